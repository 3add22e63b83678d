/* main.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

/* Returns the application's settings, or NULL when the schema is not installed. A build that
 * is run without `meson devenv` has no schema; it still starts, but does not remember the
 * window size. */
static GSettings *
beacon_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed, so the window size will not be kept. "
                 "Run Beacon from its build directory with “meson devenv -C BUILDDIR beacon”.",
                 APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static GtkWidget *
beacon_status_page_new (const char *title,
                        const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), APPLICATION_ID);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);

  return page;
}

static GtkWidget *
beacon_main_menu_button_new (void)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();

  g_menu_append (menu, _("_About Beacon"), "app.about");

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (button), TRUE);
  gtk_widget_set_tooltip_text (button, _("Main Menu"));

  return button;
}

static GtkWindow *
beacon_window_new (GtkApplication *app)
{
  g_autoptr (GSettings) settings = beacon_settings_new ();
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header_bar;
  GtkWidget *switcher_title;
  GtkWidget *switcher_bar;
  GtkWidget *stack;
  AdwViewStackPage *page;

  window = adw_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (window), _("Beacon"));
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  gtk_widget_set_size_request (window, 360, 294);

  stack = adw_view_stack_new ();
  gtk_widget_set_vexpand (stack, TRUE);

  page = adw_view_stack_add_titled (
      ADW_VIEW_STACK (stack),
      beacon_status_page_new (
          _("Broadcast Your Camera"),
          /* Translators: the text between <tt> and </tt> is a command; do not translate it. */
          _("Broadcasting from the window arrives in a later version — use "
            "<tt>beacon-cli serve</tt> for now.")),
      "broadcast", _("Broadcast"));
  adw_view_stack_page_set_icon_name (page, "camera-web-symbolic");

  page = adw_view_stack_add_titled (
      ADW_VIEW_STACK (stack),
      beacon_status_page_new (
          _("Watch a Broadcast"),
          /* Translators: the text between <tt> and </tt> is a command; do not translate it. */
          _("Watching from the window arrives in a later version — use "
            "<tt>beacon-cli watch</tt> for now.")),
      "watch", _("Watch"));
  adw_view_stack_page_set_icon_name (page, "video-display-symbolic");

  switcher_title = adw_view_switcher_title_new ();
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (switcher_title),
                                     ADW_VIEW_STACK (stack));
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (switcher_title), _("Beacon"));

  header_bar = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header_bar), switcher_title);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), beacon_main_menu_button_new ());

  /* On a narrow window the switcher title has no room for the page buttons and shows the
   * title instead; the bottom bar then takes over the switching. */
  switcher_bar = adw_view_switcher_bar_new ();
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (switcher_bar), ADW_VIEW_STACK (stack));
  g_object_bind_property (switcher_title, "title-visible", switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header_bar);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_box_append (GTK_BOX (box), switcher_bar);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  /* The bindings hold their own reference to the settings. */
  if (settings != NULL)
    {
      g_settings_bind (settings, "window-width", window, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", window, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", window, "maximized", G_SETTINGS_BIND_DEFAULT);
    }

  return GTK_WINDOW (window);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Beacon developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Beacon"),
                        "developer-name", _("The Beacon developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Broadcast your camera and microphone over WebRTC, "
                                      "watch live streams, and see how every connection "
                                      "is secured."),
                        "website", "https://github.com/beaconrtc/beacon",
                        "issue-url", "https://github.com/beaconrtc/beacon/issues",
                        "copyright", "© 2026 The Beacon developers",
                        /* GTK_LICENSE_GPL_3_0 is “GPL 3.0 or later”. */
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name/username,
                           and optionally an email or URL. */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
app_startup_cb (GApplication *app,
                gpointer      user_data)
{
  static const GActionEntry app_actions[] = {
    { .name = "about", .activate = about_activated_cb },
    { .name = "quit", .activate = quit_activated_cb },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
app_activate_cb (GApplication *app,
                 gpointer      user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = beacon_window_new (GTK_APPLICATION (app));

  gtk_window_present (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (AdwApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Beacon"));

  app = adw_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "startup", G_CALLBACK (app_startup_cb), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (app_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

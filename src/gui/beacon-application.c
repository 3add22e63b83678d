/* beacon-application.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-application.h"

#include <glib/gi18n.h>

#include "beacon-gui-util.h"
#include "beacon-preferences-window.h"
#include "beacon-turn-servers.h"
#include "beacon-window.h"

struct _BeaconApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (BeaconApplication, beacon_application, ADW_TYPE_APPLICATION)

static void
about_activated (GSimpleAction *action,
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
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  BeaconPreferencesWindow *preferences;

  if (self->settings == NULL)
    {
      if (BEACON_IS_WINDOW (parent))
        beacon_window_add_toast (BEACON_WINDOW (parent),
                                 adw_toast_new (_("Preferences need the settings schema: run "
                                                  "Beacon installed or with meson devenv")));
      return;
    }

  preferences = beacon_preferences_window_new (parent, self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (parent != NULL)
    beacon_show_help (parent);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (application));

  /* Each window is asked to close, so that one that is live asks the user first; the
   * application ends when the last one is gone. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
turn_passwords_migrated_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Each server that could not be moved was logged already, and is tried again next start. */
  if (!beacon_turn_servers_migrate_finish (result, &error))
    g_debug ("Moving TURN passwords to the keyring stopped: %s", error->message);
}

static void
beacon_application_startup (GApplication *application)
{
  BeaconApplication *self = BEACON_APPLICATION (application);
  static const GActionEntry app_actions[] = {
    { .name = "about", .activate = about_activated },
    { .name = "preferences", .activate = preferences_activated },
    { .name = "help", .activate = help_activated },
    { .name = "quit", .activate = quit_activated },
  };
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.fullscreen", { "F11", NULL } },
    { "win.focus-link", { "<Control>l", NULL } },
    { "win.show-security", { "<Control>i", NULL } },
    { "win.show-page::broadcast", { "<Alt>1", NULL } },
    { "win.show-page::watch", { "<Alt>2", NULL } },
  };

  beacon_gui_init ();

  G_APPLICATION_CLASS (beacon_application_parent_class)->startup (application);

  self->settings = beacon_settings_new ();
  /* Earlier versions kept TURN passwords in GSettings, where anything that reads dconf
   * finds them: move them to the keyring. */
  if (self->settings != NULL)
    beacon_turn_servers_migrate_async (self->settings, self->cancellable,
                                       turn_passwords_migrated_cb, NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
beacon_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (beacon_window_new (ADW_APPLICATION (application)));

  gtk_window_present (window);
}

BeaconApplication *
beacon_application_new (GApplicationFlags flags)
{
  return g_object_new (BEACON_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", flags,
                       "resource-base-path", "/io/github/beaconrtc/Beacon",
                       NULL);
}

static void
beacon_application_dispose (GObject *object)
{
  BeaconApplication *self = BEACON_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beacon_application_parent_class)->dispose (object);
}

static void
beacon_application_class_init (BeaconApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = beacon_application_dispose;
  app_class->startup = beacon_application_startup;
  app_class->activate = beacon_application_activate;
}

static void
beacon_application_init (BeaconApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

/* test-window-accessibility.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The windows under a virtual display, for keyboard and assistive technology users: shortcuts,
 * and an accessible name on every control.
 */

#include "config.h"

#include "beacon-ui-test-fixture.h"

static void
test_shortcuts (void)
{
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "win.fullscreen", "F11" },
    { "win.focus-link", "<Control>l" },
  };
  BeaconWindow *window = new_window ();
  GtkWidget *focus;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    expected[i].action);

      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }

  /* Ctrl+L: the Watch page, with the link entry focused. */
  beacon_window_show_page (window, "broadcast");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-link", NULL));
  settle (50);
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY));
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (beacon_window_get_watch_page (window))));

  /* The Keyboard Shortcuts window exists (GtkApplication loads it from the resource). */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  destroy_window (window);
}

/* Every control a user can reach has a name for screen readers. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkWidget *child;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  /* A button whose content is a label is named by it. */
  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
      return TRUE;
  return FALSE;
}

static gboolean
is_inside_library_widget (GtkWidget *widget)
{
  /* Widgets GTK and libadwaita build inside their own controls label themselves. */
  static const char *containers[] = {
    "GtkWindowControls", "AdwViewSwitcher", "AdwViewSwitcherBar", "AdwViewSwitcherTitle",
    "GtkSpinButton", "AdwComboRow", "AdwEntryRow", "AdwPasswordEntryRow", "GtkMenuButton",
    "GtkPopover", "GtkPasswordEntry", "AdwHeaderBar",
  };

  for (GtkWidget *parent = gtk_widget_get_parent (widget); parent != NULL;
       parent = gtk_widget_get_parent (parent))
    for (guint i = 0; i < G_N_ELEMENTS (containers); i++)
      if (g_strcmp0 (G_OBJECT_TYPE_NAME (parent), containers[i]) == 0 &&
          !(GTK_IS_BUTTON (widget) && gtk_widget_get_parent (widget) == parent &&
            g_str_equal (containers[i], "AdwHeaderBar")))
        return TRUE;
  return FALSE;
}

static void
check_accessible_names (GtkWidget *widget,
                        GPtrArray *unnamed)
{
  gboolean control = GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
                     GTK_IS_ENTRY (widget) || GTK_IS_SCALE (widget) ||
                     GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SWITCH (widget);

  /* Hidden widgets (such as the unused switch inside every AdwExpanderRow) are never
   * reached. */
  if (!gtk_widget_get_visible (widget))
    return;
  if (control && !is_inside_library_widget (widget) && !has_accessible_name (widget))
    g_ptr_array_add (unnamed, g_strdup_printf ("%s (%s)", G_OBJECT_TYPE_NAME (widget),
                                               gtk_widget_get_tooltip_text (widget)
                                                 ? gtk_widget_get_tooltip_text (widget) : "?"));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, unnamed);
}

static void
test_accessible_names (void)
{
  BeaconWindow *window = new_window ();
  g_autoptr(GSettings) settings = beacon_settings_new ();
  BeaconPreferencesWindow *preferences = beacon_preferences_window_new (GTK_WINDOW (window),
                                                                        settings);
  BeaconSecurityPanel *panel = beacon_window_get_security_panel (window);
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  gtk_window_present (GTK_WINDOW (preferences));
  gtk_window_present (GTK_WINDOW (panel));
  settle (100);

  save_screenshot (GTK_WIDGET (window), "broadcast-settings.png");
  save_screenshot (GTK_WIDGET (preferences), "preferences.png");

  check_accessible_names (GTK_WIDGET (window), unnamed);
  check_accessible_names (GTK_WIDGET (preferences), unnamed);
  check_accessible_names (GTK_WIDGET (panel), unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (preferences));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/ui/shortcuts", test_shortcuts);
  g_test_add_func ("/beacon/ui/accessible-names", test_accessible_names);

  return ui_test_run ();
}

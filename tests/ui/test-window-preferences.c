/* test-window-preferences.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences under a virtual display: saved servers, TURN servers whose passwords go to
 * the keyring (also those an earlier version left in the settings), and a broadcast that gets
 * its relay's password from the keyring.
 */

#include "config.h"

#include "beacon-ui-test-fixture.h"

static gboolean
is_row_titled (GtkWidget  *widget,
               const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static void
test_preferences_saved_server (void)
{
  BeaconWindow *window = new_window ();
  g_autoptr(GSettings) settings = beacon_settings_new ();
  BeaconPreferencesWindow *preferences = beacon_preferences_window_new (GTK_WINDOW (window),
                                                                        settings);
  g_autoptr(GVariant) servers = NULL;
  GtkWidget *saved_servers_button;
  const char *name;
  const char *dialect;
  const char *url;

  g_settings_reset (settings, "saved-servers");
  gtk_window_present (GTK_WINDOW (preferences));
  settle (50);

  /* Fill in the form as a user would, by the rows' accessible titles. */
  {
    GtkWidget *rows[3] = { NULL };
    const char *titles[3] = { "_Name", "_Address (wss:// or https://)", "Add _Server" };
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, preferences);
    while (stack->len > 0)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        for (guint i = 0; i < 2; i++)
          if (ADW_IS_ENTRY_ROW (widget) &&
              g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), titles[i]) == 0)
            rows[i] = widget;
        if (GTK_IS_BUTTON (widget) &&
            g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), titles[2]) == 0)
          rows[2] = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
    g_ptr_array_unref (stack);
    g_assert_nonnull (rows[0]);
    g_assert_nonnull (rows[1]);
    g_assert_nonnull (rows[2]);

    gtk_editable_set_text (GTK_EDITABLE (rows[0]), "Studio");
    gtk_editable_set_text (GTK_EDITABLE (rows[1]), "wss://studio.example:8443/");
    g_signal_emit_by_name (rows[2], "clicked");
  }

  servers = g_settings_get_value (settings, "saved-servers");
  g_assert_cmpuint (g_variant_n_children (servers), ==, 1);
  g_variant_get_child (servers, 0, "(&s&s&s)", &name, &dialect, &url);
  g_assert_cmpstr (name, ==, "Studio");
  g_assert_cmpstr (dialect, ==, "direct");
  g_assert_cmpstr (url, ==, "wss://studio.example:8443/");

  /* The Watch page offers it at once. */
  saved_servers_button = gtk_widget_get_first_child (GTK_WIDGET (beacon_window_get_watch_page (window)));
  {
    GtkWidget *found = NULL;
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, beacon_window_get_watch_page (window));
    while (stack->len > 0 && found == NULL)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_MENU_BUTTON (widget))
          found = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
    g_ptr_array_unref (stack);
    saved_servers_button = found;
  }
  g_assert_nonnull (saved_servers_button);
  g_assert_true (gtk_widget_get_visible (saved_servers_button));

  g_settings_reset (settings, "saved-servers");
  g_assert_false (gtk_widget_get_visible (saved_servers_button));

  gtk_window_destroy (GTK_WINDOW (preferences));
  destroy_window (window);
}

/* TURN passwords in the keyring */

static gboolean
is_plain_button (GtkWidget  *widget,
                 const char *unused)
{
  return GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL;
}

static gboolean
is_label_containing (GtkWidget  *widget,
                     const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* Whether some entry of "turn-servers" contains @text. */
static gboolean
turn_servers_mention (GSettings  *settings,
                      const char *text)
{
  g_auto(GStrv) servers = g_settings_get_strv (settings, "turn-servers");

  for (guint i = 0; servers[i] != NULL; i++)
    if (strstr (servers[i], text) != NULL)
      return TRUE;
  return FALSE;
}

typedef struct {
  GSettings         *settings;
  const char * const *servers;
} TurnServers;

static gboolean
turn_servers_are (gpointer data)
{
  TurnServers *wanted = data;
  g_auto(GStrv) servers = g_settings_get_strv (wanted->settings, "turn-servers");

  return g_strv_equal ((const char * const *) servers, wanted->servers);
}

#ifdef HAVE_LIBSECRET
static void
keyring_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KeyringCall *call = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_assert_no_error (error);
  call->done = TRUE;
}

static void
keyring_cleared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  KeyringCall *call = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  g_assert_no_error (error);
  call->done = TRUE;
}

static void
keyring_store (const char *url,
               const char *password)
{
  KeyringCall call = { FALSE, NULL };

  secret_password_store (&turn_password_schema, SECRET_COLLECTION_DEFAULT, "test", password,
                         NULL, keyring_stored_cb, &call, "url", url, NULL);
  g_assert_true (wait_until (keyring_call_done, &call, WAIT_SECONDS));
}

static void
keyring_clear (const char *url)
{
  KeyringCall call = { FALSE, NULL };

  secret_password_clear (&turn_password_schema, NULL, keyring_cleared_cb, &call,
                         "url", url, NULL);
  g_assert_true (wait_until (keyring_call_done, &call, WAIT_SECONDS));
}

static gboolean
keyring_lacks (gpointer data)
{
  g_autofree char *password = keyring_lookup (data);

  return password == NULL;
}
#endif

static void
test_turn_password_moved_at_start (void)
{
#ifdef HAVE_LIBSECRET
  g_autoptr(GSettings) settings = beacon_settings_new ();
  const char * const migrated[] = { MIGRATED_TURN_ENTRY, NULL };
  TurnServers wanted = { settings, migrated };
  g_autofree char *password = NULL;

  /* main () listed OLD_TURN_ENTRY before the application started. */
  g_assert_true (wait_until (turn_servers_are, &wanted, WAIT_SECONDS));
  g_assert_false (turn_servers_mention (settings, "secret"));
  password = keyring_lookup (MIGRATED_TURN_ENTRY);
  g_assert_cmpstr (password, ==, "old@secret");

  g_settings_reset (settings, "turn-servers");
  keyring_clear (MIGRATED_TURN_ENTRY);
#else
  g_test_skip ("built without libsecret");
#endif
}

static void
test_preferences_turn_password (void)
{
#ifdef HAVE_LIBSECRET
  const char *url = "turn://alice@turn.example:3478";
  BeaconWindow *window = new_window ();
  g_autoptr(GSettings) settings = beacon_settings_new ();
  BeaconPreferencesWindow *preferences = beacon_preferences_window_new (GTK_WINDOW (window),
                                                                        settings);
  const char * const added[] = { url, NULL };
  TurnServers wanted = { settings, added };
  g_autofree char *password = NULL;
  GtkWidget *address_row;
  GtkWidget *password_row;
  GtkWidget *add_button;
  GtkWidget *listed_row;
  GtkWidget *remove_button;
  const char * const none[] = { NULL };

  g_settings_reset (settings, "turn-servers");
  gtk_window_present (GTK_WINDOW (preferences));
  settle (50);

  address_row = find_widget (GTK_WIDGET (preferences), is_row_titled,
                             "TURN A_ddress (turn://user@host:3478)");
  password_row = find_widget (GTK_WIDGET (preferences), is_row_titled, "Pass_word");
  add_button = find_widget (GTK_WIDGET (preferences), is_button_labelled, "Add _TURN Server");
  g_assert_nonnull (address_row);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (password_row));
  g_assert_nonnull (add_button);

  /* Characters that would end the user part of a URL come back unchanged. */
  gtk_editable_set_text (GTK_EDITABLE (address_row), url);
  gtk_editable_set_text (GTK_EDITABLE (password_row), "hunter2:@/x");
  g_signal_emit_by_name (add_button, "clicked");

  g_assert_true (wait_until (turn_servers_are, &wanted, WAIT_SECONDS));
  g_assert_false (turn_servers_mention (settings, "hunter2"));
  /* With a relay, "Relay Only" can be chosen. */
  g_assert_true (gtk_widget_get_sensitive (find_widget (GTK_WIDGET (preferences), is_row_titled,
                                                        "_Relay Only")));
  g_settings_set_boolean (settings, "relay-only", TRUE);
  password = keyring_lookup (url);
  g_assert_cmpstr (password, ==, "hunter2:@/x");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "");

  /* Removing the server removes its password. */
  listed_row = find_widget (GTK_WIDGET (preferences), is_row_titled, url);
  g_assert_nonnull (listed_row);
  remove_button = find_widget (listed_row, is_plain_button, NULL);
  g_assert_nonnull (remove_button);
  g_signal_emit_by_name (remove_button, "clicked");
  wanted.servers = none;
  g_assert_true (wait_until (turn_servers_are, &wanted, WAIT_SECONDS));
  g_assert_true (wait_until (keyring_lacks, (gpointer) url, WAIT_SECONDS));
  /* Without one, it cannot: the last relay gone, it is off, so the next session has a path. */
  g_assert_false (gtk_widget_get_sensitive (find_widget (GTK_WIDGET (preferences), is_row_titled,
                                                         "_Relay Only")));
  g_assert_false (g_settings_get_boolean (settings, "relay-only"));

  gtk_window_destroy (GTK_WINDOW (preferences));
  destroy_window (window);
#else
  g_test_skip ("built without libsecret");
#endif
}

static gboolean
shows_missing_relay (gpointer window)
{
  return find_widget (window, is_label_containing,
                      "Starting without the TURN server turn://nobody@127.0.0.1:3479") != NULL;
}

static void
test_broadcast_gets_turn_password (void)
{
#ifdef HAVE_LIBSECRET
  /* Nothing listens there: the session only needs the URL, the broadcast no relay. */
  const char * const listed[] = {
    "turn://bob@127.0.0.1:3478",
    "turn://nobody@127.0.0.1:3479",
    NULL
  };
  const char * const expected[] = { "turn://bob:pa%3Ass%20w%2Frd@127.0.0.1:3478", NULL };
  g_autoptr(GSettings) settings = beacon_settings_new ();
  BeaconWindow *window;
  BeaconSession *session;
  g_auto(GStrv) session_servers = NULL;

  keyring_store (listed[0], "pa:ss w/rd");
  g_settings_set_strv (settings, "turn-servers", listed);
  window = new_window ();
  session = beacon_broadcast_page_get_session (beacon_window_get_broadcast_page (window));

  /* The server without a password in the keyring is left out, and the window says why. */
  start_broadcast (window);
  g_assert_true (wait_until (shows_missing_relay, window, WAIT_SECONDS));
  g_assert_true (wait_until (session_is_live, session, WAIT_SECONDS));
  g_object_get (session, "turn-servers", &session_servers, NULL);
  g_assert_cmpstrv (session_servers, expected);
  /* The password went to the session only, never back to the settings. */
  g_assert_false (turn_servers_mention (settings, "pa:ss"));
  g_assert_false (turn_servers_mention (settings, "pa%3Ass"));

  stop_broadcast (window);
  g_settings_reset (settings, "turn-servers");
  keyring_clear (listed[0]);
  destroy_window (window);
#else
  g_test_skip ("built without libsecret");
#endif
}

int
main (int   argc,
      char *argv[])
{
  /* A TURN server with its password in the settings, to be moved at start: the first case
   * checks that, and then removes it. */
  const char * const old_turn_servers[] = { OLD_TURN_ENTRY, NULL };

  ui_test_init (&argc, &argv, old_turn_servers);

  /* First, before any session starts with the relay it lists. */
  g_test_add_func ("/beacon/ui/turn-password-moved-at-start", test_turn_password_moved_at_start);
  g_test_add_func ("/beacon/ui/preferences-saved-server", test_preferences_saved_server);
  g_test_add_func ("/beacon/ui/preferences-turn-password", test_preferences_turn_password);
  g_test_add_func ("/beacon/ui/broadcast-gets-turn-password", test_broadcast_gets_turn_password);

  return ui_test_run ();
}

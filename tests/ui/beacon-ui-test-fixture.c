/* beacon-ui-test-fixture.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the UI tests share: the application with its settings and keyring in a directory of the
 * run, waiting on the main context, windows that broadcast and watch, screenshots, the keyring.
 * The helpers keep the short names they had when all of this was one file (test-window.c), so
 * that the cases read as before.
 */

#include "config.h"

#include "beacon-ui-test-fixture.h"

#include "beacon-test-process.h"

BeaconApplication *app;
char *data_dir;

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @condition holds or @seconds pass. */
gboolean
wait_until (Condition  condition,
            gpointer   data,
            guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake_up = g_timeout_add (50, wake_up_cb, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up);
  return met;
}

static gboolean
always_false (gpointer data)
{
  return FALSE;
}

/* Lets the windows lay out and draw. */
void
settle (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () + milliseconds * 1000;
  guint wake_up = g_timeout_add (20, wake_up_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up);
  (void) always_false;
}

gboolean
session_is_live (gpointer data)
{
  BeaconSessionState state = beacon_session_get_state (data);

  g_assert_cmpint (state, !=, BEACON_SESSION_STATE_FAILED);
  return state == BEACON_SESSION_STATE_LIVE && beacon_session_get_share_url (data) != NULL;
}

gboolean
session_is_idle (gpointer data)
{
  return beacon_session_get_state (data) == BEACON_SESSION_STATE_IDLE;
}

/* Screenshots */

void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *directory = g_getenv ("BEACON_SAVE_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width = 0;
  int height = 0;

  if (directory == NULL || *directory == '\0')
    return;

  paintable = gtk_widget_paintable_new (widget);
  /* A widget waiting for its next allocation draws nothing: give it a few frames. */
  for (guint attempt = 0; attempt < 20 && node == NULL; attempt++)
    {
      settle (150);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (directory, 0755);
  path = g_build_filename (directory, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s (%dx%d)", path, width, height);
}

/* Windows */

BeaconWindow *
new_window (void)
{
  BeaconWindow *window = beacon_window_new (ADW_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
  gtk_window_present (GTK_WINDOW (window));
  settle (100);
  return window;
}

void
destroy_window (BeaconWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  settle (100);
}

/* Asks @window to broadcast a test pattern on loopback. */
void
start_broadcast (BeaconWindow *window)
{
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  const char * const ice_addresses[] = { "127.0.0.1", NULL };

  beacon_broadcast_page_select_test_pattern (page);
  g_object_set (beacon_broadcast_page_get_session (page), "ice-addresses", ice_addresses, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "broadcast.go-live", NULL));
}

void
stop_broadcast (BeaconWindow *window)
{
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  BeaconSession *session = beacon_broadcast_page_get_session (page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "broadcast.go-live", NULL));
  g_assert_true (wait_until (session_is_idle, session, WAIT_SECONDS));
}

/* The first widget under @root, depth first, that @matches with @data. */
GtkWidget *
find_widget (GtkWidget  *root,
             gboolean  (*matches) (GtkWidget *widget, const char *data),
             const char *data)
{
  if (matches (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, matches, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

#ifdef HAVE_LIBSECRET
/* Written out here rather than taken from the application, so that a renamed schema, which
 * would orphan every stored password, fails the tests. */
const SecretSchema turn_password_schema = {
  "io.github.beaconrtc.Beacon.TurnPassword", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

gboolean
keyring_call_done (gpointer data)
{
  return ((KeyringCall *) data)->done;
}

static void
keyring_looked_up_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  KeyringCall *call = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  g_assert_no_error (error);
  call->password = g_strdup (password);
  secret_password_free (password);
  call->done = TRUE;
}

/* The test's keyring is reached asynchronously, as the application reaches it, while the main
 * context runs. */
char *
keyring_lookup (const char *url)
{
  KeyringCall call = { FALSE, NULL };

  secret_password_lookup (&turn_password_schema, NULL, keyring_looked_up_cb, &call,
                          "url", url, NULL);
  g_assert_true (wait_until (keyring_call_done, &call, WAIT_SECONDS));
  return call.password;
}
#endif

void
ui_test_init (int                *argc,
              char             ***argv,
              const char * const *turn_servers)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;

  /* The identity and remembered pins of this run live in a directory of its own. */
  data_dir = g_dir_make_tmp ("beacon-ui-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("BEACON_DATA_DIR", data_dir, TRUE);
  /* So does its keyring: libsecret's file backend, read before the first use of libsecret,
   * which needs no Secret Service on the test's bus and never touches the user's keyring. */
  keyring = g_build_filename (data_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "beacon-ui-test", TRUE);

  g_test_init (argc, argv, NULL);
  gst_init (argc, argv);
  gtk_init ();
  adw_init ();
  beacon_gui_init ();

  /* Loopback only, any free port, and small video: two cores encode and decode it easily. */
  settings = beacon_settings_new ();
  g_assert_nonnull (settings);
  g_settings_set_string (settings, "listen-address", "127.0.0.1");
  g_settings_set_int (settings, "listen-port", 0);
  g_settings_set_int (settings, "default-width", 640);
  g_settings_set_int (settings, "default-height", 360);
  if (turn_servers != NULL)
    g_settings_set_strv (settings, "turn-servers", turn_servers);

#ifdef HAVE_LIBSECRET
  /* Opens the keyring file before the application's migration does: two first uses at once
   * would each load it, and the last to write would drop the other's item. */
  g_free (keyring_lookup (MIGRATED_TURN_ENTRY));
#endif

  app = beacon_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
}

int
ui_test_run (void)
{
  int status = g_test_run ();

  g_clear_object (&app);
  /* Keys and pins of the run go with it. */
  beacon_test_remove_tree (data_dir);
  g_free (data_dir);
  return status;
}

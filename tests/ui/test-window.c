/* test-window.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's windows, in process, under a virtual display: one window broadcasts a
 * test pattern on loopback, another watches it through the link the first one shows. Set
 * BEACON_SAVE_SCREENSHOTS=DIR to save PNGs of the pages and the security panel into DIR.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "beacon-application.h"
#include "beacon-gui-util.h"
#include "beacon-preferences-window.h"
#include "beacon-security-report.h"
#include "beacon-window.h"

#define WAIT_SECONDS 60

/* Seeded in main () before the application starts, as an earlier version of Beacon left it. */
#define OLD_TURN_ENTRY "turn://migrated:old%40secret@127.0.0.1:3478"
#define MIGRATED_TURN_ENTRY "turn://migrated@127.0.0.1:3478"

static BeaconApplication *app;
static char *data_dir;

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @condition holds or @seconds pass. */
static gboolean
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
static void
settle (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () + milliseconds * 1000;
  guint wake_up = g_timeout_add (20, wake_up_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up);
  (void) always_false;
}

static gboolean
session_is_live (gpointer data)
{
  BeaconSessionState state = beacon_session_get_state (data);

  g_assert_cmpint (state, !=, BEACON_SESSION_STATE_FAILED);
  return state == BEACON_SESSION_STATE_LIVE && beacon_session_get_share_url (data) != NULL;
}

static gboolean
session_is_idle (gpointer data)
{
  return beacon_session_get_state (data) == BEACON_SESSION_STATE_IDLE;
}

typedef struct {
  BeaconWatchPage *page;
  const char      *state;
} PageState;

static gboolean
watch_page_shows (gpointer data)
{
  PageState *wanted = data;

  return g_strcmp0 (beacon_watch_page_get_visible_state (wanted->page), wanted->state) == 0;
}

static gboolean
watching_many_frames (gpointer data)
{
  BeaconWatchPage *page = data;
  BeaconSession *session = beacon_watch_page_get_session (page);
  BeaconVideoPaintable *paintable = beacon_watch_page_get_paintable (page);

  g_assert_cmpint (beacon_session_get_state (session), !=, BEACON_SESSION_STATE_FAILED);
  return g_strcmp0 (beacon_watch_page_get_visible_state (page), "video") == 0 &&
         beacon_session_get_frames_decoded (session) > 30 && paintable != NULL &&
         gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)) > 0;
}

static gboolean
report_is_secure (gpointer data)
{
  return beacon_security_report_get_verdict (data) == BEACON_SECURITY_VERDICT_SECURE;
}

static gboolean
report_shows_warning (gpointer data)
{
  return beacon_security_report_get_verdict (data) == BEACON_SECURITY_VERDICT_WARNING;
}

static gboolean
preview_has_frames (gpointer data)
{
  BeaconVideoPaintable *preview = beacon_broadcast_page_get_preview (data);

  return preview != NULL && beacon_video_paintable_get_frames_shown (preview) > 0;
}

static gboolean
one_viewer_shown (gpointer data)
{
  return g_strcmp0 (beacon_broadcast_page_get_shown_viewers (data), "1") == 0;
}

/* Screenshots */

static void
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
  int width;
  int height;

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

static void
expand_row (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_EXPANDER_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    expand_row (child, title);
}

/* Windows */

static BeaconWindow *
new_window (void)
{
  BeaconWindow *window = beacon_window_new (ADW_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 760);
  gtk_window_present (GTK_WINDOW (window));
  settle (100);
  return window;
}

static void
destroy_window (BeaconWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  settle (100);
}

/* Asks @window to broadcast a test pattern on loopback. */
static void
start_broadcast (BeaconWindow *window)
{
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  const char * const ice_addresses[] = { "127.0.0.1", NULL };

  beacon_broadcast_page_select_test_pattern (page);
  g_object_set (beacon_broadcast_page_get_session (page), "ice-addresses", ice_addresses, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "broadcast.go-live", NULL));
}

/* Starts a test-pattern broadcast on loopback from @window and returns its link. */
static char *
go_live (BeaconWindow *window)
{
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  BeaconSession *session = beacon_broadcast_page_get_session (page);

  start_broadcast (window);
  g_assert_true (wait_until (session_is_live, session, WAIT_SECONDS));
  g_assert_cmpint (beacon_session_get_state (session), ==, BEACON_SESSION_STATE_LIVE);

  /* The page shows the same link the session shares. */
  g_assert_cmpstr (beacon_broadcast_page_get_shown_link (page), ==,
                   beacon_session_get_share_url (session));
  return g_strdup (beacon_session_get_share_url (session));
}

static void
watch (BeaconWindow *window,
       const char   *url)
{
  BeaconWatchPage *page = beacon_window_get_watch_page (window);
  const char * const ice_addresses[] = { "127.0.0.1", NULL };

  beacon_window_show_page (window, "watch");
  g_object_set (beacon_watch_page_get_session (page), "ice-addresses", ice_addresses, NULL);
  beacon_watch_page_set_url (page, url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "watch.watch", NULL));
}

static void
stop_broadcast (BeaconWindow *window)
{
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  BeaconSession *session = beacon_broadcast_page_get_session (page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "broadcast.go-live", NULL));
  g_assert_true (wait_until (session_is_idle, session, WAIT_SECONDS));
}

/* Tests */

static void
test_broadcast_and_watch (void)
{
  BeaconWindow *broadcaster = new_window ();
  BeaconWindow *viewer = new_window ();
  BeaconBroadcastPage *broadcast_page = beacon_window_get_broadcast_page (broadcaster);
  BeaconWatchPage *watch_page = beacon_window_get_watch_page (viewer);
  BeaconSession *broadcast_session = beacon_broadcast_page_get_session (broadcast_page);
  BeaconSession *watch_session = beacon_watch_page_get_session (watch_page);
  g_autoptr(BeaconSecurityReport) broadcast_report = NULL;
  g_autoptr(BeaconSecurityReport) watch_report = NULL;
  g_autofree char *url = NULL;
  PageState ended = { watch_page, "ended" };
  BeaconVideoPaintable *paintable;

  g_assert_cmpstr (beacon_watch_page_get_visible_state (watch_page), ==, "start");

  url = go_live (broadcaster);
  g_test_message ("broadcasting at %s", url);
  g_assert_true (g_str_has_prefix (url, "wss://127.0.0.1:"));

  watch (viewer, url);
  g_assert_true (wait_until ((Condition) watching_many_frames, watch_page, WAIT_SECONDS));

  /* The picture is the broadcast's: 640×360, as the settings asked. */
  paintable = beacon_watch_page_get_paintable (watch_page);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 640);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 360);
  g_assert_nonnull (beacon_video_paintable_get_texture (paintable));
  g_assert_cmpuint (beacon_video_paintable_get_frames_shown (paintable), >, 0);
  g_assert_true (wait_until (one_viewer_shown, broadcast_page, WAIT_SECONDS));

  g_assert_true (wait_until (preview_has_frames, broadcast_page, WAIT_SECONDS));

  broadcast_report = beacon_session_dup_security_report (broadcast_session);
  watch_report = beacon_session_dup_security_report (watch_session);
  if (broadcast_report != NULL && watch_report != NULL)
    {
      BeaconSecurityPanel *broadcast_panel;
      BeaconSecurityPanel *watch_panel;

      g_assert_true (wait_until (report_is_secure, watch_report, WAIT_SECONDS));
      g_assert_true (wait_until (report_is_secure, broadcast_report, WAIT_SECONDS));

      g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "channel-secure-symbolic");
      /* Tall enough for the screenshot to show the raw values of an expanded row. */
      watch_panel = beacon_window_get_security_panel (viewer);
      gtk_window_set_default_size (GTK_WINDOW (watch_panel), 560, 1120);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "win.show-security", NULL));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (watch_panel)));
      g_assert_cmpstr (beacon_security_panel_get_visible_page (watch_panel), ==, "details");
      g_assert_cmpstr (beacon_security_panel_get_verdict_title (watch_panel), ==, "Verified");

      beacon_window_show_page (broadcaster, "broadcast");
      g_assert_cmpstr (beacon_window_get_security_icon (broadcaster), ==,
                       "channel-secure-symbolic");
      broadcast_panel = beacon_window_get_security_panel (broadcaster);
      gtk_window_present (GTK_WINDOW (broadcast_panel));
      g_assert_cmpstr (beacon_security_panel_get_verdict_title (broadcast_panel), ==, "Verified");

      /* Both sides derive the same words from the two certificates. */
      g_assert_cmpstr (beacon_security_panel_get_sas_text (watch_panel), !=, "");
      g_assert_cmpstr (beacon_security_panel_get_sas_text (watch_panel), ==,
                       beacon_security_panel_get_sas_text (broadcast_panel));
      g_assert_cmpstr (beacon_security_panel_get_sas_text (watch_panel), ==,
                       beacon_security_report_get_sas (watch_report));
      g_test_message ("SAS on both sides: %s", beacon_security_panel_get_sas_text (watch_panel));

      /* Raw values are one click away: show those of the keys in the screenshot. */
      expand_row (GTK_WIDGET (watch_panel), "Server Identity");
      settle (600);
      save_screenshot (GTK_WIDGET (watch_panel), "security-panel.png");
      gtk_widget_set_visible (GTK_WIDGET (broadcast_panel), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (watch_panel), FALSE);
    }
  else
    g_test_message ("the session has no security-report yet: the panel is not checked");

  save_screenshot (GTK_WIDGET (broadcaster), "broadcast.png");
  save_screenshot (GTK_WIDGET (viewer), "watch.png");

  /* Stopping the broadcast ends the watch, which says so. */
  stop_broadcast (broadcaster);
  g_assert_true (wait_until (watch_page_shows, &ended, WAIT_SECONDS));
  g_assert_cmpint (beacon_session_get_state (watch_session), ==, BEACON_SESSION_STATE_ENDED);
  g_assert_cmpstr (beacon_broadcast_page_get_shown_link (broadcast_page), ==, "");

  destroy_window (viewer);
  destroy_window (broadcaster);
}

/* Replaces every hex digit of the link's pin with 0: the server's real certificate then does
 * not match, as with a forged link or a man in the middle. */
static char *
forge_pin (const char *url)
{
  g_autofree char *copy = g_strdup (url);
  char *pin = strstr (copy, "#pin=sha256:");

  g_assert_nonnull (pin);
  for (char *c = pin + strlen ("#pin=sha256:"); *c != '\0' && *c != '&'; c++)
    if (g_ascii_isxdigit (*c))
      *c = '0';
  return g_steal_pointer (&copy);
}

static void
test_blocked_when_pin_does_not_match (void)
{
  BeaconWindow *broadcaster = new_window ();
  BeaconWindow *viewer = new_window ();
  BeaconWatchPage *watch_page = beacon_window_get_watch_page (viewer);
  g_autofree char *url = go_live (broadcaster);
  g_autofree char *forged = forge_pin (url);
  PageState blocked = { watch_page, "blocked" };
  BeaconVideoPaintable *paintable;
  const GError *error;

  g_assert_cmpstr (forged, !=, url);
  watch (viewer, forged);
  g_assert_true (wait_until (watch_page_shows, &blocked, WAIT_SECONDS));

  /* Blocked, not merely failed: the error is a trust failure, it is shown, and not one frame
   * reached the picture. */
  error = beacon_session_get_error (beacon_watch_page_get_session (watch_page));
  g_assert_nonnull (error);
  g_assert_true (beacon_error_is_security (error));
  g_assert_nonnull (strstr (beacon_watch_page_get_message (watch_page), error->message + 1));
  paintable = beacon_watch_page_get_paintable (watch_page);
  g_assert_null (beacon_video_paintable_get_texture (paintable));
  g_assert_cmpuint (beacon_video_paintable_get_frames_shown (paintable), ==, 0);
  g_assert_cmpuint (beacon_session_get_frames_decoded (beacon_watch_page_get_session (watch_page)),
                    ==, 0);

  /* The lock in the header bar says so too. */
  g_assert_true (beacon_watch_page_get_blocked (watch_page));
  g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "channel-insecure-symbolic");

  save_screenshot (GTK_WIDGET (viewer), "watch-blocked.png");

  stop_broadcast (broadcaster);
  destroy_window (viewer);
  destroy_window (broadcaster);
}

static void
test_failed_page_has_the_reason (void)
{
  BeaconWindow *viewer = new_window ();
  BeaconWatchPage *watch_page = beacon_window_get_watch_page (viewer);
  PageState failed = { watch_page, "failed" };
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago and is closed now: nobody answers there. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_assert_cmpuint (port, >, 0);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("wss://127.0.0.1:%u/", port);

  watch (viewer, url);
  g_assert_true (wait_until (watch_page_shows, &failed, WAIT_SECONDS));
  g_assert_nonnull (strstr (beacon_watch_page_get_message (viewer ? watch_page : NULL),
                            beacon_session_get_error (beacon_watch_page_get_session (watch_page))
                              ->message + 1));
  destroy_window (viewer);
}

/* The panel on a real report whose verdict is insecure, as the session makes it when the
 * DTLS certificate does not match the announced fingerprint. */
static void
test_security_panel_blocked (void)
{
  g_autoptr(BeaconSecurityReport) report = beacon_security_report_new ();
  BeaconSecurityPanel *panel = beacon_security_panel_new (NULL);
  const char *reason = "The certificate the other side presented does not match the one it "
                       "announced.";

  g_object_ref_sink (panel);
  g_assert_cmpstr (beacon_security_panel_get_visible_page (panel), ==, "empty");

  beacon_security_panel_set_report (panel, report);
  g_assert_cmpstr (beacon_security_panel_get_visible_page (panel), !=, "blocked");

  beacon_security_report_update (report, NULL, NULL, NULL, NULL, reason);
  g_assert_cmpint (beacon_security_report_get_verdict (report), ==,
                   BEACON_SECURITY_VERDICT_INSECURE);
  g_assert_cmpstr (beacon_security_panel_get_visible_page (panel), ==, "blocked");
  g_assert_cmpstr (beacon_security_panel_get_verdict_title (panel), ==, "Connection Blocked");
  g_assert_cmpstr (beacon_security_panel_get_sas_text (panel), ==, "");

  gtk_window_present (GTK_WINDOW (panel));
  save_screenshot (GTK_WIDGET (panel), "security-panel-blocked.png");

  gtk_window_destroy (GTK_WINDOW (panel));
  g_object_unref (panel);
  settle (50);
}

/* Changed identity */

/* The message dialog a watch page opened over @window, if one is shown. */
static AdwMessageDialog *
find_message_dialog (BeaconWindow *window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window) &&
        gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog (data) != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog (data) == NULL;
}

/* The first widget under @root, depth first, that @matches with @data. */
static GtkWidget *
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

static gboolean
is_row_titled (GtkWidget  *widget,
               const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Answers @dialog as a user does, with the button of @response: libadwaita then closes the
 * dialog and emits "response" once. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  GtkWidget *button;

  g_assert_true (adw_message_dialog_has_response (dialog, response));
  button = find_widget (GTK_WIDGET (dialog), is_button_labelled,
                        adw_message_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static guint16
pick_free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);

  g_assert_cmpuint (port, >, 0);
  g_socket_listener_close (listener);
  return port;
}

/* Broadcasts from @window with the identity kept in @directory. */
static char *
go_live_as (BeaconWindow *window,
            const char   *directory)
{
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);

  g_object_set (beacon_broadcast_page_get_session (page), "data-directory", directory, NULL);
  return go_live (window);
}

/* Watches @url in @viewer, expecting the dialog about a changed identity before any picture. */
static AdwMessageDialog *
watch_expecting_changed_identity (BeaconWindow *viewer,
                                  const char   *url)
{
  BeaconWatchPage *page = beacon_window_get_watch_page (viewer);
  BeaconSession *session = beacon_watch_page_get_session (page);
  BeaconVideoPaintable *paintable;
  AdwMessageDialog *dialog;

  watch (viewer, url);
  g_assert_true (wait_until (message_dialog_shown, viewer, WAIT_SECONDS));
  dialog = find_message_dialog (viewer);
  g_assert_true (adw_message_dialog_has_response (dialog, "accept"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));

  /* The session stopped at the identity check: no frame was decoded or shown. */
  g_assert_cmpint (beacon_session_get_state (session), ==, BEACON_SESSION_STATE_FAILED);
  g_assert_true (beacon_error_is_identity_changed (beacon_session_get_error (session)));
  g_assert_cmpuint (beacon_session_get_frames_decoded (session), ==, 0);
  paintable = beacon_watch_page_get_paintable (page);
  g_assert_null (beacon_video_paintable_get_texture (paintable));
  g_assert_cmpuint (beacon_video_paintable_get_frames_shown (paintable), ==, 0);
  g_assert_cmpstr (beacon_watch_page_get_visible_state (page), !=, "video");
  return dialog;
}

static void
test_changed_identity_asks (void)
{
  BeaconWindow *broadcaster = new_window ();
  BeaconWindow *viewer = new_window ();
  BeaconWatchPage *watch_page = beacon_window_get_watch_page (viewer);
  BeaconSession *watch_session = beacon_watch_page_get_session (watch_page);
  g_autoptr(BeaconSecurityReport) report = beacon_session_dup_security_report (watch_session);
  g_autoptr(GSettings) settings = beacon_settings_new ();
  g_autofree char *directory_a = g_build_filename (data_dir, "broadcaster-a", NULL);
  g_autofree char *directory_b = g_build_filename (data_dir, "broadcaster-b", NULL);
  g_autofree char *url_a = NULL;
  g_autofree char *url_b = NULL;
  g_autofree char *prefix = NULL;
  PageState ended = { watch_page, "ended" };
  PageState blocked = { watch_page, "blocked" };
  BeaconSecurityPanel *panel;
  AdwMessageDialog *dialog;
  guint16 port;

  if (report == NULL)
    {
      g_test_skip ("the session has no security report");
      destroy_window (viewer);
      destroy_window (broadcaster);
      return;
    }

  /* Both broadcasts at the same address: the viewer remembers identities by address and
   * stream, so the second one looks like the first broadcaster with another key. */
  port = pick_free_port ();
  prefix = g_strdup_printf ("wss://127.0.0.1:%u/", port);
  g_settings_set_int (settings, "listen-port", port);

  /* A first visit: the viewer remembers A's identity. */
  url_a = go_live_as (broadcaster, directory_a);
  g_assert_true (g_str_has_prefix (url_a, prefix));
  watch (viewer, url_a);
  g_assert_true (wait_until ((Condition) watching_many_frames, watch_page, WAIT_SECONDS));
  g_assert_null (find_message_dialog (viewer));
  g_assert_cmpstr (beacon_security_report_get_pin_status (report), ==, "new");
  g_assert_true (g_file_test (directory_a, G_FILE_TEST_IS_DIR));
  stop_broadcast (broadcaster);
  g_assert_true (wait_until (watch_page_shows, &ended, WAIT_SECONDS));

  /* B, with an identity of its own, at A's address. */
  url_b = go_live_as (broadcaster, directory_b);
  g_assert_true (g_str_has_prefix (url_b, prefix));
  g_assert_cmpstr (url_b, !=, url_a);

  /* Cancel: nothing is shown, the page stays blocked and the lock says so. */
  dialog = watch_expecting_changed_identity (viewer, url_b);
  save_screenshot (GTK_WIDGET (dialog), "identity-changed.png");
  respond (dialog, "cancel");
  g_assert_true (wait_until (no_message_dialog, viewer, WAIT_SECONDS));
  g_assert_true (wait_until (watch_page_shows, &blocked, WAIT_SECONDS));
  settle (500);
  g_assert_cmpstr (beacon_watch_page_get_visible_state (watch_page), ==, "blocked");
  g_assert_cmpint (beacon_session_get_state (watch_session), ==, BEACON_SESSION_STATE_FAILED);
  g_assert_cmpuint (beacon_session_get_frames_decoded (watch_session), ==, 0);
  g_assert_cmpuint (beacon_video_paintable_get_frames_shown (beacon_watch_page_get_paintable
                                                               (watch_page)), ==, 0);
  g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "channel-insecure-symbolic");

  /* Cancelling remembered nothing: the next attempt asks again. Trusting plays B. */
  dialog = watch_expecting_changed_identity (viewer, url_b);
  respond (dialog, "accept");
  g_assert_true (wait_until (no_message_dialog, viewer, WAIT_SECONDS));
  g_assert_true (wait_until ((Condition) watching_many_frames, watch_page, WAIT_SECONDS));
  g_assert_true (wait_until (report_shows_warning, report, WAIT_SECONDS));
  g_assert_cmpstr (beacon_security_report_get_pin_status (report), ==, "changed");
  g_assert_cmpstr (beacon_security_verdict_to_string (beacon_security_report_get_verdict (report)),
                   ==, "warning");
  g_assert_false (beacon_watch_page_get_blocked (watch_page));

  /* The window and the panel tell the user to look at it. */
  g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "security-medium-symbolic");
  panel = beacon_window_get_security_panel (viewer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "win.show-security", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_true (beacon_security_panel_get_report (panel) == report);
  g_assert_cmpstr (beacon_security_panel_get_visible_page (panel), ==, "details");
  g_assert_cmpstr (beacon_security_panel_get_verdict_title (panel), ==, "Needs Your Attention");
  save_screenshot (GTK_WIDGET (panel), "security-panel-identity-changed.png");
  gtk_widget_set_visible (GTK_WIDGET (panel), FALSE);

  /* Trusting remembered B: the next visit matches without asking. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (watch_page), "watch.watch", NULL));
  g_assert_true (wait_until (session_is_idle, watch_session, WAIT_SECONDS));
  watch (viewer, url_b);
  g_assert_true (wait_until ((Condition) watching_many_frames, watch_page, WAIT_SECONDS));
  g_assert_null (find_message_dialog (viewer));
  g_assert_true (wait_until (report_is_secure, report, WAIT_SECONDS));
  g_assert_cmpstr (beacon_security_report_get_pin_status (report), ==, "matches");

  stop_broadcast (broadcaster);
  g_assert_true (wait_until (watch_page_shows, &ended, WAIT_SECONDS));
  g_settings_set_int (settings, "listen-port", 0);
  destroy_window (viewer);
  destroy_window (broadcaster);
}

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
/* Written out here rather than taken from the application, so that a renamed schema, which
 * would orphan every stored password, fails the tests. */
static const SecretSchema turn_password_schema = {
  "io.github.beaconrtc.Beacon.TurnPassword", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct {
  gboolean  done;
  char     *password;
} KeyringCall;

static gboolean
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

/* The test's keyring is reached asynchronously, as the application reaches it, while the main
 * context runs. */
static char *
keyring_lookup (const char *url)
{
  KeyringCall call = { FALSE, NULL };

  secret_password_lookup (&turn_password_schema, NULL, keyring_looked_up_cb, &call,
                          "url", url, NULL);
  g_assert_true (wait_until (keyring_call_done, &call, WAIT_SECONDS));
  return call.password;
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

/* Removes @path and, if it is a directory, everything in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) directory = g_dir_open (path, 0, NULL);
  const char *name;

  while (directory != NULL && (name = g_dir_read_name (directory)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;
  const char * const old_turn_servers[] = { OLD_TURN_ENTRY, NULL };
  int status;

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

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
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
  /* A TURN server with its password in the settings, to be moved at start (the first test). */
  g_settings_set_strv (settings, "turn-servers", old_turn_servers);

#ifdef HAVE_LIBSECRET
  /* Opens the keyring file before the application's migration does: two first uses at once
   * would each load it, and the last to write would drop the other's item. */
  g_free (keyring_lookup (MIGRATED_TURN_ENTRY));
#endif

  app = beacon_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* First, before any session starts with the relay it lists. */
  g_test_add_func ("/beacon/ui/turn-password-moved-at-start", test_turn_password_moved_at_start);
  g_test_add_func ("/beacon/ui/broadcast-and-watch", test_broadcast_and_watch);
  g_test_add_func ("/beacon/ui/blocked-when-pin-does-not-match",
                   test_blocked_when_pin_does_not_match);
  g_test_add_func ("/beacon/ui/failed-page-has-the-reason", test_failed_page_has_the_reason);
  g_test_add_func ("/beacon/ui/changed-identity-asks", test_changed_identity_asks);
  g_test_add_func ("/beacon/ui/security-panel-blocked", test_security_panel_blocked);
  g_test_add_func ("/beacon/ui/shortcuts", test_shortcuts);
  g_test_add_func ("/beacon/ui/accessible-names", test_accessible_names);
  g_test_add_func ("/beacon/ui/preferences-saved-server", test_preferences_saved_server);
  g_test_add_func ("/beacon/ui/preferences-turn-password", test_preferences_turn_password);
  g_test_add_func ("/beacon/ui/broadcast-gets-turn-password", test_broadcast_gets_turn_password);

  status = g_test_run ();

  g_clear_object (&app);
  /* Keys and pins of the run go with it. */
  remove_tree (data_dir);
  g_free (data_dir);
  return status;
}

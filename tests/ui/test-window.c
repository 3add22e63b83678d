/* test-window.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's windows, in process, under a virtual display: one window broadcasts a
 * test pattern on loopback, another watches it through the link the first one shows; blocked
 * and failed watches, a changed identity, the security panel. Set BEACON_SAVE_SCREENSHOTS=DIR
 * to save PNGs of the pages and the security panel into DIR. Shortcuts and accessible names
 * are in test-window-accessibility.c, the preferences in test-window-preferences.c.
 */

#include "config.h"

#include "beacon-qr-code.h"
#include "beacon-share-dialog.h"
#include "beacon-test-camera.h"
#include "beacon-ui-test-fixture.h"

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
security_icon_is_neutral (gpointer data)
{
  return g_strcmp0 (beacon_window_get_security_icon (data),
                    "security-low-symbolic") == 0;
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

/* The broadcaster's row of its one viewer, and the viewer's line on the picture, both show
 * the figures of a connection that carries media: a data rate, frames and no loss. */
static gboolean
shows_health_figures (const char *text)
{
  return text != NULL && (strstr (text, "kbit/s") != NULL || strstr (text, "Mbit/s") != NULL) &&
         strstr (text, "fps") != NULL && strstr (text, "0.0 % loss") != NULL &&
         !g_str_has_prefix (text, "0 kbit/s");
}

static gboolean
viewer_row_shows_health (gpointer data)
{
  GtkListBox *list = beacon_broadcast_page_get_viewer_list (data);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0);

  return ADW_IS_ACTION_ROW (row) && gtk_list_box_get_row_at_index (list, 1) == NULL &&
         shows_health_figures (adw_action_row_get_subtitle (ADW_ACTION_ROW (row))) &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "RTT") != NULL &&
         g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                           "127.0.0.1:");
}

/* The broadcast is the test pattern, on this machine: the line has its latency too. */
static gboolean
watch_page_shows_health (gpointer data)
{
  const char *text;

  /* The line shows with the controls: as when the pointer moves over the picture. */
  beacon_watch_page_reveal_controls (data);
  text = beacon_watch_page_get_shown_health (data);

  return shows_health_figures (text) && strstr (text, " ms") != NULL &&
         strstr (text, "latency ") != NULL;
}

/* Scrolls the page @widget is on so that it shows @above_px below the top of the view. */
static void
scroll_into_view (GtkWidget *widget,
                  double     above_px)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  double x = 0;
  double y = 0;

  g_assert_nonnull (scrolled);
  g_assert_true (gtk_widget_translate_coordinates (widget, scrolled, 0, 0, &x, &y));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + y - above_px);
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

static gboolean
controls_hidden (gpointer data)
{
  return !beacon_watch_page_get_controls_shown (data);
}

static gboolean
is_leave_fullscreen_button (GtkWidget  *widget,
                            const char *data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "view-restore-symbolic") == 0 &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Leave Fullscreen") == 0;
}

/* Tests */

static gboolean
is_viewer_row_with_rate (GtkWidget  *widget,
                         const char *unused)
{
  const char *subtitle;

  if (!ADW_IS_ACTION_ROW (widget) ||
      !g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                         "Viewer at "))
    return FALSE;
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));
  return subtitle != NULL && strstr (subtitle, "bit/s") != NULL;
}

static gboolean
panel_viewer_row_shows_rate (gpointer data)
{
  return find_widget (GTK_WIDGET (data), is_viewer_row_with_rate, NULL) != NULL;
}

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
  BeaconSecurityPanel *broadcast_panel;
  BeaconSecurityPanel *watch_panel;
  g_autofree char *url = NULL;
  PageState ended = { watch_page, "ended" };
  BeaconVideoPaintable *paintable;

  g_assert_cmpstr (beacon_watch_page_get_visible_state (watch_page), ==, "start");

  url = go_live (broadcaster);
  g_test_message ("broadcasting at %s", url);
  g_assert_true (g_str_has_prefix (url, "wss://127.0.0.1:"));
  /* A loopback link reaches no other computer, and the page says so. */
  g_assert_true (g_str_has_prefix (beacon_broadcast_page_get_shown_reach (broadcast_page),
                                   "Only this computer"));

  watch (viewer, url);
  g_assert_true (wait_until ((Condition) watching_many_frames, watch_page, WAIT_SECONDS));

  /* The controls on the picture show on a move or a key and hide a few seconds after, in a
   * window as in full screen, where the same button leaves full screen. */
  beacon_watch_page_reveal_controls (watch_page);
  g_assert_true (beacon_watch_page_get_controls_shown (watch_page));
  g_assert_true (wait_until (controls_hidden, watch_page, 10));
  beacon_watch_page_set_immersive (watch_page, TRUE);
  g_assert_false (beacon_watch_page_get_controls_shown (watch_page));
  beacon_watch_page_reveal_controls (watch_page);
  g_assert_true (beacon_watch_page_get_controls_shown (watch_page));
  g_assert_nonnull (find_widget (GTK_WIDGET (watch_page), is_leave_fullscreen_button, NULL));
  g_assert_true (wait_until (controls_hidden, watch_page, 10));
  beacon_watch_page_set_immersive (watch_page, FALSE);
  g_assert_true (beacon_watch_page_get_controls_shown (watch_page));

  /* The picture is the broadcast's: 640×360, as the settings asked. */
  paintable = beacon_watch_page_get_paintable (watch_page);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 640);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 360);
  g_assert_nonnull (beacon_video_paintable_get_texture (paintable));
  g_assert_cmpuint (beacon_video_paintable_get_frames_shown (paintable), >, 0);
  g_assert_true (wait_until (one_viewer_shown, broadcast_page, WAIT_SECONDS));

  g_assert_true (wait_until (preview_has_frames, broadcast_page, WAIT_SECONDS));

  g_assert_true (wait_until (viewer_row_shows_health, broadcast_page, WAIT_SECONDS));
  g_assert_true (wait_until (watch_page_shows_health, watch_page, WAIT_SECONDS));
  g_test_message ("viewer row: %s",
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_list_box_get_row_at_index (
                    beacon_broadcast_page_get_viewer_list (broadcast_page), 0))));
  g_test_message ("watch page: %s", beacon_watch_page_get_shown_health (watch_page));

  broadcast_report = g_object_ref (beacon_session_get_security_report (broadcast_session));
  watch_report = g_object_ref (beacon_session_get_security_report (watch_session));

  g_assert_true (wait_until (report_is_secure, watch_report, WAIT_SECONDS));
  g_assert_true (wait_until (report_is_secure, broadcast_report, WAIT_SECONDS));

  g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "channel-secure-symbolic");
  /* Tall enough for the screenshot to show the raw values of an expanded row. */
  watch_panel = beacon_window_get_security_panel (viewer);
  gtk_window_set_default_size (GTK_WINDOW (watch_panel), 560, 1120);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "win.show-security", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (watch_panel)));
  g_assert_cmpstr (beacon_security_panel_get_visible_page (watch_panel), ==, "details");
  /* Verified keys, but not "Verified" until the words were compared (test_words_compared). */
  g_assert_cmpstr (beacon_security_panel_get_verdict_title (watch_panel), ==,
                   "Encrypted — Words Not Compared Yet");

  beacon_window_show_page (broadcaster, "broadcast");
  g_assert_cmpstr (beacon_window_get_security_icon (broadcaster), ==,
                   "channel-secure-symbolic");
  broadcast_panel = beacon_window_get_security_panel (broadcaster);
  gtk_window_present (GTK_WINDOW (broadcast_panel));
  g_assert_cmpstr (beacon_security_panel_get_verdict_title (broadcast_panel), ==,
                   "Encrypted — Words Not Compared With Every Viewer");

  /* Its viewer list says, for each viewer, how fast media goes to it. */
  g_assert_true (wait_until (panel_viewer_row_shows_rate, broadcast_panel, WAIT_SECONDS));

  /* Both sides derive the same words from the two certificates: the broadcaster reads them
   * on its viewer's page. */
  {
    BeaconSecurityPanel *viewer_panel = beacon_security_panel_open_viewer (broadcast_panel, 0);

    g_assert_nonnull (viewer_panel);
    g_assert_null (beacon_security_panel_open_viewer (broadcast_panel, 1));
    g_assert_cmpstr (beacon_security_panel_get_sas_text (watch_panel), !=, "");
    g_assert_cmpstr (beacon_security_panel_get_sas_text (watch_panel), ==,
                     beacon_security_panel_get_sas_text (viewer_panel));
    gtk_window_close (GTK_WINDOW (viewer_panel));
  }
  g_assert_cmpstr (beacon_security_panel_get_sas_text (watch_panel), ==,
                   beacon_security_report_get_sas (watch_report));
  g_test_message ("SAS on both sides: %s", beacon_security_panel_get_sas_text (watch_panel));

  /* Raw values are one click away: show those of the keys in the screenshot. */
  expand_row (GTK_WIDGET (watch_panel), "Server Identity");
  settle (600);
  save_screenshot (GTK_WIDGET (watch_panel), "security-panel.png");
  gtk_widget_set_visible (GTK_WIDGET (broadcast_panel), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (watch_panel), FALSE);

  save_screenshot (GTK_WIDGET (broadcaster), "broadcast.png");
  scroll_into_view (GTK_WIDGET (beacon_broadcast_page_get_viewer_list (broadcast_page)), 400);
  save_screenshot (GTK_WIDGET (broadcaster), "broadcast-viewers.png");
  beacon_watch_page_reveal_controls (watch_page);
  save_screenshot (GTK_WIDGET (viewer), "watch.png");

  /* Stopping the broadcast ends the watch, which says so. */
  stop_broadcast (broadcaster);
  g_assert_true (wait_until (watch_page_shows, &ended, WAIT_SECONDS));
  g_assert_cmpint (beacon_session_get_state (watch_session), ==, BEACON_SESSION_STATE_ENDED);
  g_assert_cmpstr (beacon_broadcast_page_get_shown_link (broadcast_page), ==, "");

  /* No stale verdict: both locks and both panels go back to "not connected" once the
   * sessions they described are gone, instead of staying green. */
  g_assert_true (wait_until (security_icon_is_neutral, viewer, WAIT_SECONDS));
  g_assert_cmpstr (beacon_security_panel_get_visible_page (watch_panel), ==, "empty");
  g_assert_true (wait_until (security_icon_is_neutral, broadcaster, WAIT_SECONDS));
  g_assert_cmpstr (beacon_security_panel_get_visible_page (broadcast_panel), ==, "empty");

  /* The next attempt fails (nobody listens there any more): it shows its own failure, and
   * neither the lock, the panel nor the report show the previous session's success. */
  {
    PageState failed = { watch_page, "failed" };

    watch (viewer, url);
    g_assert_true (wait_until (watch_page_shows, &failed, WAIT_SECONDS));
    g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "security-low-symbolic");
    g_assert_cmpstr (beacon_security_panel_get_visible_page (watch_panel), ==, "empty");
    g_assert_false (beacon_security_report_get_verified (watch_report));
    g_assert_null (beacon_security_report_get_sas (watch_report));
    g_assert_cmpint (beacon_security_report_get_verdict (watch_report), ==,
                     BEACON_SECURITY_VERDICT_UNKNOWN);
  }

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
  /* Said once, in plain words: no address, option or internal name. */
  g_assert_nonnull (strstr (beacon_watch_page_get_message (watch_page),
                            "not the one the link names"));
  g_assert_null (strstr (beacon_watch_page_get_message (watch_page), "dialect="));
  g_assert_null (strstr (beacon_watch_page_get_message (watch_page), "wss://"));
  paintable = beacon_watch_page_get_paintable (watch_page);
  g_assert_null (beacon_video_paintable_get_texture (paintable));
  g_assert_cmpuint (beacon_video_paintable_get_frames_shown (paintable), ==, 0);
  g_assert_cmpuint (beacon_session_get_frames_decoded (beacon_watch_page_get_session (watch_page)),
                    ==, 0);

  /* The lock in the header bar says so too. */
  g_assert_true (beacon_watch_page_get_blocked (watch_page));
  g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "channel-insecure-symbolic");

  settle (600);
  /* Still blocked once the session went idle: until the user starts again. */
  g_assert_cmpstr (beacon_window_get_security_icon (viewer), ==, "channel-insecure-symbolic");
  save_screenshot (GTK_WIDGET (viewer), "watch-blocked.png");

  /* Security Details goes on to what is behind the blocked page, which names the refusal. */
  {
    BeaconSecurityPanel *panel = beacon_window_get_security_panel (viewer);
    BeaconSecurityReport *report =
      beacon_session_get_security_report (beacon_watch_page_get_session (watch_page));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "win.show-security", NULL));
    g_assert_cmpstr (beacon_security_panel_get_visible_page (panel), ==, "details");
    g_assert_cmpstr (beacon_security_report_get_string (report, "signaling-trust"), ==,
                     "not-pinned");
    settle (600);
    save_screenshot (GTK_WIDGET (panel), "security-panel-refused.png");
    gtk_widget_set_visible (GTK_WIDGET (panel), FALSE);
  }

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
  g_autoptr(BeaconSecurityReport) report =
    g_object_ref (beacon_session_get_security_report (watch_session));
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

static gboolean
words_compared (gpointer data)
{
  return beacon_security_report_get_words_compared (data);
}

static gboolean
viewer_count_is_one (gpointer data)
{
  return beacon_session_get_viewer_count (data) == 1;
}

static gboolean
watch_is_over (gpointer data)
{
  BeaconSessionState state = beacon_session_get_state (data);

  return state == BEACON_SESSION_STATE_ENDED || state == BEACON_SESSION_STATE_FAILED;
}

/* Starts watching @url in a new window, with an identity of its own in @directory. */
static BeaconWindow *
new_viewer (const char *directory,
            const char *url)
{
  BeaconWindow *viewer = new_window ();
  BeaconSession *session = beacon_watch_page_get_session (beacon_window_get_watch_page (viewer));

  g_object_set (session, "data-directory", directory, NULL);
  watch (viewer, url);
  return viewer;
}

/* The broadcaster's page of the viewer whose words are @sas. */
static BeaconSecurityPanel *
open_viewer_with_words (BeaconSecurityPanel *panel,
                        const char          *sas)
{
  for (guint i = 0; i < 8; i++)
    {
      BeaconSecurityPanel *page = beacon_security_panel_open_viewer (panel, i);

      if (page == NULL)
        break;
      if (g_strcmp0 (beacon_security_panel_get_sas_text (page), sas) == 0)
        return page;
    }
  g_error ("no viewer page shows the words %s", sas);
  return NULL;
}

/* Comparing the words is a step on both sides: "They Match" makes it "Verified" (and is
 * remembered by the viewer); "They Don't Match" asks, then sends that viewer away while the
 * other keeps watching. */
static void
test_words_compared (void)
{
  g_autofree char *root = g_dir_make_tmp ("beacon-words-XXXXXX", NULL);
  g_autofree char *dir_a = g_build_filename (root, "a", NULL);
  g_autofree char *dir_b = g_build_filename (root, "b", NULL);
  BeaconWindow *broadcaster = new_window ();
  BeaconSession *broadcast_session =
    beacon_broadcast_page_get_session (beacon_window_get_broadcast_page (broadcaster));
  g_autofree char *url = go_live (broadcaster);
  BeaconWindow *viewer_a = new_viewer (dir_a, url);
  BeaconWindow *viewer_b = new_viewer (dir_b, url);
  BeaconSession *session_a = beacon_watch_page_get_session (beacon_window_get_watch_page (viewer_a));
  BeaconSession *session_b = beacon_watch_page_get_session (beacon_window_get_watch_page (viewer_b));
  BeaconSecurityReport *report_a = beacon_session_get_security_report (session_a);
  BeaconSecurityReport *report_b = beacon_session_get_security_report (session_b);
  BeaconSecurityReport *broadcast_report = beacon_session_get_security_report (broadcast_session);
  BeaconSecurityPanel *panel_a;
  BeaconSecurityPanel *broadcast_panel;
  BeaconSecurityPanel *page;
  AdwMessageDialog *dialog;

  g_assert_true (wait_until (report_is_secure, report_a, WAIT_SECONDS));
  g_assert_true (wait_until (report_is_secure, report_b, WAIT_SECONDS));
  g_assert_cmpstr (beacon_security_report_get_sas (report_a), !=,
                   beacon_security_report_get_sas (report_b));

  /* The viewer compares: "Verified" from then on, and remembered with the pin. */
  panel_a = beacon_window_get_security_panel (viewer_a);
  gtk_window_set_default_size (GTK_WINDOW (panel_a), 560, 900);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer_a), "win.show-security", NULL));
  g_assert_true (gtk_widget_get_visible (beacon_security_panel_get_words_button (panel_a, TRUE)));
  settle (300);
  save_screenshot (GTK_WIDGET (panel_a), "security-words.png");
  gtk_widget_activate (beacon_security_panel_get_words_button (panel_a, TRUE));
  g_assert_true (wait_until (words_compared, report_a, WAIT_SECONDS));
  g_assert_cmpstr (beacon_security_report_get_pin_status (report_a), ==, "compared");
  g_assert_cmpstr (beacon_security_panel_get_verdict_title (panel_a), ==, "Verified");
  g_assert_false (gtk_widget_get_mapped (beacon_security_panel_get_words_button (panel_a, TRUE)));

  /* The broadcaster lists both viewers, each with its own words. */
  beacon_window_show_page (broadcaster, "broadcast");
  broadcast_panel = beacon_window_get_security_panel (broadcaster);
  gtk_window_set_default_size (GTK_WINDOW (broadcast_panel), 560, 900);
  gtk_window_present (GTK_WINDOW (broadcast_panel));
  g_assert_cmpuint (g_list_model_get_n_items (beacon_security_report_get_peer_reports (broadcast_report)),
                    ==, 2);
  settle (300);
  save_screenshot (GTK_WIDGET (broadcast_panel), "security-viewers.png");

  page = open_viewer_with_words (broadcast_panel, beacon_security_report_get_sas (report_a));
  gtk_widget_activate (beacon_security_panel_get_words_button (page, TRUE));
  g_assert_true (wait_until (words_compared, beacon_security_panel_get_report (page), WAIT_SECONDS));
  gtk_window_close (GTK_WINDOW (page));

  /* Viewer B's words do not match: the broadcaster confirms, and B is sent away. */
  page = open_viewer_with_words (broadcast_panel, beacon_security_report_get_sas (report_b));
  gtk_widget_activate (beacon_security_panel_get_words_button (page, FALSE));
  g_assert_true (wait_until (message_dialog_shown, page, WAIT_SECONDS));
  dialog = find_message_dialog ((BeaconWindow *) page);
  respond (dialog, "end");
  g_assert_true (wait_until (viewer_count_is_one, broadcast_session, WAIT_SECONDS));
  g_assert_true (wait_until (watch_is_over, session_b, WAIT_SECONDS));
  g_assert_cmpint (beacon_session_get_state (session_a), ==, BEACON_SESSION_STATE_WATCHING);
  g_assert_cmpstr (beacon_security_panel_get_verdict_title (broadcast_panel), ==,
                   "Verified — Every Viewer’s Words Compared");

  stop_broadcast (broadcaster);
  g_assert_true (wait_until (watch_is_over, session_a, WAIT_SECONDS));
  destroy_window (viewer_b);
  destroy_window (viewer_a);
  destroy_window (broadcaster);
}

static gboolean
is_link_entry (GtkWidget  *widget,
               const char *data)
{
  return GTK_IS_ENTRY (widget);
}

typedef struct {
  BeaconSession *session;
  const char    *url;
  guint64        frames_before;
} WatchingUrl;

static gboolean
watching_url (gpointer data)
{
  WatchingUrl *wanted = data;
  g_autofree char *url = NULL;

  g_object_get (wanted->session, "url", &url, NULL);
  return g_strcmp0 (url, wanted->url) == 0 &&
         beacon_session_get_state (wanted->session) == BEACON_SESSION_STATE_WATCHING &&
         beacon_session_get_frames_decoded (wanted->session) > 10;
}

/* Enter in the link entry while one broadcast plays opens the other link, instead of only
 * stopping; Enter on the same link changes nothing. */
/* Does what pressing @keyval with @modifiers does to @widget: finds the key among the
 * shortcuts of @widget's own controllers (its class's key bindings are one of them) and
 * activates its action there. FALSE when @widget has no such shortcut. */
static gboolean
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static gboolean
panel_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

/* The keyboard reaches the sound and closes the panel: M mutes and unmutes, Ctrl+Down and
 * Ctrl+Up change the volume by a tenth, Escape closes Connection Security. */
static void
test_keyboard_shortcuts (void)
{
  BeaconWindow *window = new_window ();
  BeaconWatchPage *page = beacon_window_get_watch_page (window);
  BeaconSecurityPanel *panel;

  beacon_window_show_page (window, "watch");
  g_assert_false (beacon_watch_page_get_muted (page));
  g_assert_true (press_shortcut (GTK_WIDGET (page), GDK_KEY_m, 0));
  g_assert_true (beacon_watch_page_get_muted (page));
  g_assert_true (press_shortcut (GTK_WIDGET (page), GDK_KEY_m, 0));
  g_assert_false (beacon_watch_page_get_muted (page));

  g_assert_cmpfloat_with_epsilon (beacon_watch_page_get_volume (page), 1.0, 1e-9);
  g_assert_true (press_shortcut (GTK_WIDGET (page), GDK_KEY_Down, GDK_CONTROL_MASK));
  g_assert_true (press_shortcut (GTK_WIDGET (page), GDK_KEY_Down, GDK_CONTROL_MASK));
  g_assert_cmpfloat_with_epsilon (beacon_watch_page_get_volume (page), 0.8, 1e-9);
  g_assert_true (press_shortcut (GTK_WIDGET (page), GDK_KEY_Up, GDK_CONTROL_MASK));
  g_assert_cmpfloat_with_epsilon (beacon_watch_page_get_volume (page), 0.9, 1e-9);
  /* Plain arrows stay the focus's. */
  g_assert_false (press_shortcut (GTK_WIDGET (page), GDK_KEY_Up, 0));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-security", NULL));
  panel = beacon_window_get_security_panel (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_true (press_shortcut (GTK_WIDGET (panel), GDK_KEY_Escape, 0));
  g_assert_true (wait_until (panel_hidden, panel, WAIT_SECONDS));
  destroy_window (window);
}

static void
test_enter_switches_link (void)
{
  BeaconWindow *first = new_window ();
  BeaconWindow *second = new_window ();
  g_autofree char *url_first = NULL;
  g_autofree char *url_second = NULL;
  BeaconWindow *viewer;
  BeaconWatchPage *page;
  BeaconSession *session;
  GtkWidget *entry;
  WatchingUrl wanted;

  url_first = go_live (first);
  url_second = go_live (second);
  g_assert_cmpstr (url_first, !=, url_second);
  viewer = new_window ();
  page = beacon_window_get_watch_page (viewer);
  session = beacon_watch_page_get_session (page);
  watch (viewer, url_first);
  wanted = (WatchingUrl) { session, url_first, 0 };
  g_assert_true (wait_until (watching_url, &wanted, WAIT_SECONDS));

  entry = find_widget (GTK_WIDGET (page), is_link_entry, NULL);
  g_assert_nonnull (entry);

  /* A broken link is said under the entry as it is typed, and Enter does not act on it. */
  beacon_watch_page_set_url (page, "wss://127.0.0.1:1/#pin=sha256:nothex");
  g_assert_nonnull (beacon_watch_page_get_link_error (page));
  g_assert_true (g_str_has_prefix (beacon_watch_page_get_link_error (page),
                                   "Not a link Beacon can open: "));
  g_signal_emit_by_name (entry, "activate");
  settle (300);
  g_assert_cmpint (beacon_session_get_state (session), ==, BEACON_SESSION_STATE_WATCHING);
  beacon_watch_page_set_url (page, url_first);
  g_assert_null (beacon_watch_page_get_link_error (page));
  g_signal_emit_by_name (entry, "activate");
  settle (300);
  g_assert_cmpint (beacon_session_get_state (session), ==, BEACON_SESSION_STATE_WATCHING);

  beacon_watch_page_set_url (page, url_second);
  g_signal_emit_by_name (entry, "activate");
  wanted = (WatchingUrl) { session, url_second, 0 };
  g_assert_true (wait_until (watching_url, &wanted, WAIT_SECONDS));

  destroy_window (viewer);
  stop_broadcast (second);
  stop_broadcast (first);
  destroy_window (second);
  destroy_window (first);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closing a live broadcast's window (Ctrl+W, the close button, Quit) asks first: "Keep
 * Broadcasting" keeps it live; "Stop and Close" ends it. */
static void
test_close_asks_while_live (void)
{
  BeaconWindow *broadcaster = new_window ();
  BeaconSession *session =
    beacon_broadcast_page_get_session (beacon_window_get_broadcast_page (broadcaster));
  g_autofree char *url = go_live (broadcaster);
  g_autoptr(BeaconSession) kept = g_object_ref (session);
  gpointer window = broadcaster;

  g_object_add_weak_pointer (G_OBJECT (broadcaster), &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (broadcaster), "window.close", NULL));
  g_assert_true (wait_until (message_dialog_shown, broadcaster, WAIT_SECONDS));
  respond (find_message_dialog (broadcaster), "cancel");
  settle (300);
  g_assert_nonnull (window);
  g_assert_cmpint (beacon_session_get_state (session), ==, BEACON_SESSION_STATE_LIVE);

  gtk_window_close (GTK_WINDOW (broadcaster));
  g_assert_true (wait_until (message_dialog_shown, broadcaster, WAIT_SECONDS));
  respond (find_message_dialog (broadcaster), "stop");
  g_assert_true (wait_until (pointer_cleared, &window, WAIT_SECONDS));
  g_assert_true (wait_until (session_is_idle, kept, WAIT_SECONDS));
}

static gboolean
is_status_page_titled (GtkWidget  *widget,
                       const char *title)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_is_drawable (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

static gboolean
camera_preview_shows (gpointer data)
{
  BeaconBroadcastPage *page = data;

  return beacon_camera_preview_get_running (beacon_broadcast_page_get_camera_preview (page)) &&
         g_strcmp0 (beacon_broadcast_page_get_shown_preview (page), "video") == 0 &&
         preview_has_frames (page);
}

static gboolean
camera_preview_stopped (gpointer data)
{
  return !beacon_camera_preview_get_running (beacon_broadcast_page_get_camera_preview (data));
}

static gboolean
session_is_not_running (gpointer data)
{
  BeaconSessionState state = beacon_session_get_state (data);

  return state == BEACON_SESSION_STATE_IDLE || state == BEACON_SESSION_STATE_ENDED;
}

/* The chosen camera's picture shows before going live, stops while the page is hidden, gives
 * the camera to the broadcast (whose own picture then shows) and comes back after it; a
 * camera that fails says why on the page and turns Go Live off. The test pattern stands in
 * for a camera (none here); the failing camera is a V4L2 device node that does not exist. */
static void
test_preview_before_going_live (void)
{
  BeaconWindow *window = new_window ();
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  BeaconSession *session = beacon_broadcast_page_get_session (page);
  BeaconCameraPreview *camera_preview = beacon_broadcast_page_get_camera_preview (page);
  g_autoptr(GstDevice) camera = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  beacon_window_show_page (window, "broadcast");
  beacon_broadcast_page_select_test_pattern (page);
  g_assert_true (wait_until (camera_preview_shows, page, WAIT_SECONDS));
  g_assert_true (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (page), is_button_labelled,
                                                       "_Go Live")));
  settle (500); /* the placeholder's crossfade */
  save_screenshot (GTK_WIDGET (window), "broadcast-preview.png");

  beacon_window_show_page (window, "watch");
  g_assert_true (wait_until (camera_preview_stopped, page, WAIT_SECONDS));
  beacon_window_show_page (window, "broadcast");
  g_assert_true (wait_until (camera_preview_shows, page, WAIT_SECONDS));

  url = go_live (window);
  g_assert_false (beacon_camera_preview_get_running (camera_preview));
  g_assert_true (wait_until (preview_has_frames, page, WAIT_SECONDS));
  beacon_session_stop (session);
  g_assert_true (wait_until (session_is_not_running, session, WAIT_SECONDS));
  g_assert_true (wait_until (camera_preview_shows, page, WAIT_SECONDS));

  /* What the page does when its camera fails (the row lists only the monitor's devices, so
   * the failing one is started here the way the page starts the chosen one). */
  camera = beacon_test_camera_new ("v4l2src device=/dev/beacon-no-such-camera");
  sink = gst_object_ref_sink (gst_element_factory_make ("fakesink", NULL));
  g_assert_false (beacon_camera_preview_start (camera_preview, camera, sink, &error));
  g_assert_nonnull (error);
  settle (100);
  g_assert_cmpstr (beacon_broadcast_page_get_shown_preview (page), ==, "placeholder");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), is_status_page_titled, "Camera Unavailable"));
  g_assert_false (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (page), is_button_labelled,
                                                        "_Go Live")));
  save_screenshot (GTK_WIDGET (window), "broadcast-camera-unavailable.png");
  /* Choosing again (here the test pattern) brings the picture and the button back. */
  beacon_broadcast_page_select_test_pattern (page);
  beacon_camera_preview_start (camera_preview, NULL,
                               beacon_video_paintable_get_sink (beacon_broadcast_page_get_preview (page)),
                               NULL);
  g_assert_true (wait_until (camera_preview_shows, page, WAIT_SECONDS));
  g_assert_true (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (page), is_button_labelled,
                                                       "_Go Live")));
  destroy_window (window);
}

static gboolean
is_combo_row_titled (GtkWidget  *widget,
                     const char *title)
{
  return ADW_IS_COMBO_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_share_dialog (GtkWidget  *widget,
                 const char *unused)
{
  return BEACON_IS_SHARE_DIALOG (widget);
}

static BeaconShareDialog *
find_share_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (is_share_dialog (window, NULL) && gtk_widget_get_visible (window))
        return BEACON_SHARE_DIALOG (window);
    }
  return NULL;
}

static gboolean
share_dialog_shown (gpointer data)
{
  return find_share_dialog () != NULL;
}

static gboolean
share_dialog_gone (gpointer data)
{
  return find_share_dialog () == NULL;
}

/* Listening on every address, the page offers the addresses of this machine for the link
 * (here, in the test's network namespace, loopback's two); choosing one changes the link at
 * once, and a viewer reaches the broadcast through it. The link shows as selectable text and
 * as a QR code in a dialog that follows the link and closes with Escape. */
static void
test_share_link_and_address (void)
{
  g_autoptr(GSettings) settings = beacon_settings_new ();
  BeaconWindow *broadcaster;
  BeaconWindow *viewer;
  BeaconBroadcastPage *page;
  AdwComboRow *address_row;
  GListModel *names;
  BeaconShareDialog *dialog;
  g_autofree char *url = NULL;
  const char *ipv6_url;
  guint ipv6 = GTK_INVALID_LIST_POSITION;
  GdkTexture *qr_code;

  g_settings_set_string (settings, "listen-address", "");
  broadcaster = new_window ();
  page = beacon_window_get_broadcast_page (broadcaster);
  url = go_live (broadcaster);
  address_row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (page), is_combo_row_titled,
                                            "Address in Link"));
  g_assert_nonnull (address_row);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (address_row)));
  names = adw_combo_row_get_model (address_row);
  g_assert_cmpuint (g_list_model_get_n_items (names), >=, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "Automatic");
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    {
      const char *name = gtk_string_list_get_string (GTK_STRING_LIST (names), i);

      g_test_message ("address %u: %s", i, name);
      if (g_str_has_prefix (name, "::1 "))
        ipv6 = i;
    }
  g_assert_cmpuint (ipv6, !=, GTK_INVALID_LIST_POSITION);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "broadcast.show-link", NULL));
  g_assert_true (wait_until (share_dialog_shown, NULL, WAIT_SECONDS));
  dialog = find_share_dialog ();
  g_assert_cmpstr (beacon_share_dialog_get_url (dialog), ==, url);
  qr_code = beacon_share_dialog_get_qr_code (dialog);
  g_assert_nonnull (qr_code);
  /* Four pixels a module and a quiet zone of four modules each side: white at the corner,
   * black where the top-left finder pattern starts. */
  g_assert_cmpuint (beacon_qr_code_get_width (url), >=, 21);
  g_assert_cmpint (gdk_texture_get_width (qr_code), ==,
                   (int) (beacon_qr_code_get_width (url) + 8) * 4);
  {
    int side = gdk_texture_get_width (qr_code);
    g_autofree guint8 *pixels = g_malloc ((gsize) side * side * 4);

    gdk_texture_download (qr_code, pixels, (gsize) side * 4);
    g_assert_cmpuint (pixels[0], ==, 0xff);
    g_assert_cmpuint (pixels[((gsize) 16 * side + 16) * 4], ==, 0x00);
    g_assert_cmpuint (pixels[((gsize) 15 * side + 15) * 4], ==, 0xff);
  }
  settle (300);
  save_screenshot (GTK_WIDGET (dialog), "share-link.png");

  adw_combo_row_set_selected (address_row, ipv6);
  ipv6_url = beacon_session_get_share_url (beacon_broadcast_page_get_session (page));
  g_test_message ("link: %s", ipv6_url);
  g_assert_true (g_str_has_prefix (ipv6_url, "wss://[::1]:"));
  g_assert_cmpstr (beacon_broadcast_page_get_shown_link (page), ==, ipv6_url);
  g_assert_cmpstr (beacon_share_dialog_get_url (dialog), ==, ipv6_url);
  /* A loopback address in the link: the page says who can watch, and where to choose
   * another (the namespace may hold other addresses, which the list then offers). */
  g_test_message ("reach: %s", beacon_broadcast_page_get_shown_reach (page));
  g_assert_true (g_str_has_prefix (beacon_broadcast_page_get_shown_reach (page),
                                   "Only this computer"));
  g_assert_nonnull (strstr (beacon_broadcast_page_get_shown_reach (page), "Address in Link"));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  g_assert_true (wait_until (share_dialog_gone, NULL, WAIT_SECONDS));

  viewer = new_window ();
  watch (viewer, ipv6_url);
  g_assert_true (wait_until ((Condition) watching_many_frames,
                             beacon_window_get_watch_page (viewer), WAIT_SECONDS));

  destroy_window (viewer);
  destroy_window (broadcaster);
  g_settings_set_string (settings, "listen-address", "127.0.0.1");
}

static gboolean
session_failed (gpointer data)
{
  return beacon_session_get_state (data) == BEACON_SESSION_STATE_FAILED;
}

static gboolean
is_visible_button_labelled (GtkWidget  *widget,
                            const char *label)
{
  return is_button_labelled (widget, label) && gtk_widget_get_visible (widget);
}

static gboolean
is_copy_link_button (GtkWidget  *widget,
                     const char *data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "broadcast.copy-link") == 0;
}

/* Going live on a port another program holds says which port, once (in the banner), and
 * offers what helps: a free port, which then works. */
static void
test_port_in_use (void)
{
  g_autoptr(GSocketListener) holder = g_socket_listener_new ();
  g_autoptr(GSettings) settings = beacon_settings_new ();
  BeaconWindow *window = new_window ();
  BeaconBroadcastPage *page = beacon_window_get_broadcast_page (window);
  BeaconSession *session = beacon_broadcast_page_get_session (page);
  guint16 held = g_socket_listener_add_any_inet_port (holder, NULL, NULL);
  g_autofree char *held_text = g_strdup_printf ("Port %u is in use", held);
  GtkWidget *free_port;

  g_assert_cmpuint (held, >, 0);
  g_settings_set_int (settings, "listen-port", held);
  start_broadcast (window);
  g_assert_true (wait_until (session_failed, session, WAIT_SECONDS));
  g_assert_nonnull (beacon_broadcast_page_get_shown_error (page));
  g_assert_nonnull (strstr (beacon_broadcast_page_get_shown_error (page), held_text));
  free_port = find_widget (GTK_WIDGET (page), is_visible_button_labelled, "Use a _Free Port");
  g_assert_nonnull (free_port);
  settle (600);
  save_screenshot (GTK_WIDGET (window), "broadcast-port-in-use.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "broadcast.use-free-port", NULL));
  g_assert_true (wait_until (session_is_live, session, WAIT_SECONDS));
  g_assert_cmpint (g_settings_get_int (settings, "listen-port"), !=, held);
  g_assert_null (beacon_broadcast_page_get_shown_error (page));

  /* Stopping with the focus on the link's copy button (now hidden) puts it on Go Live. */
  g_assert_true (gtk_widget_grab_focus (find_widget (GTK_WIDGET (page), is_copy_link_button, NULL)));
  stop_broadcast (window);
  settle (200);
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

    g_assert_true (GTK_IS_BUTTON (focus));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (focus)), ==, "_Go Live");
  }
  g_settings_set_int (settings, "listen-port", 0);
  destroy_window (window);
}

static gboolean
help_dialog_shown (gpointer data)
{
  AdwMessageDialog *dialog = find_message_dialog (data);

  return dialog != NULL &&
         g_strcmp0 (adw_message_dialog_get_heading (dialog), "Help Is Not Available") == 0;
}

/* F1 on a machine without a help viewer explains that, and where the pages are online,
 * instead of failing silently or with "Operation not supported". Run last: it hides the
 * system's applications from this process. */
static void
test_help_without_viewer (void)
{
  g_autofree char *empty = g_dir_make_tmp ("beacon-no-apps-XXXXXX", NULL);
  BeaconWindow *window;
  g_autofree char *uri = NULL;
  AdwMessageDialog *dialog;

  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  g_setenv ("XDG_DATA_HOME", empty, TRUE);
  g_setenv ("XDG_CONFIG_HOME", empty, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", empty, TRUE);

  /* Uninstalled (meson devenv), the pages come from the source tree. */
  g_setenv ("BEACON_HELP_DIR", "/src/help/C", TRUE);
  uri = beacon_dup_help_uri ();
  g_assert_cmpstr (uri, ==, "file:///src/help/C/index.page");
  g_unsetenv ("BEACON_HELP_DIR");
  g_clear_pointer (&uri, g_free);
  uri = beacon_dup_help_uri ();
  g_assert_cmpstr (uri, ==, "help:beacon");

  window = new_window ();
  beacon_show_help (GTK_WINDOW (window));
  g_assert_true (wait_until (help_dialog_shown, window, WAIT_SECONDS));
  dialog = find_message_dialog (window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "https://"));
  respond (dialog, "close");
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/ui/broadcast-and-watch", test_broadcast_and_watch);
  g_test_add_func ("/beacon/ui/blocked-when-pin-does-not-match",
                   test_blocked_when_pin_does_not_match);
  g_test_add_func ("/beacon/ui/failed-page-has-the-reason", test_failed_page_has_the_reason);
  g_test_add_func ("/beacon/ui/changed-identity-asks", test_changed_identity_asks);
  g_test_add_func ("/beacon/ui/security-panel-blocked", test_security_panel_blocked);
  g_test_add_func ("/beacon/ui/words-compared", test_words_compared);
  g_test_add_func ("/beacon/ui/enter-switches-link", test_enter_switches_link);
  g_test_add_func ("/beacon/ui/keyboard-shortcuts", test_keyboard_shortcuts);
  g_test_add_func ("/beacon/ui/close-asks-while-live", test_close_asks_while_live);
  g_test_add_func ("/beacon/ui/port-in-use", test_port_in_use);
  g_test_add_func ("/beacon/ui/preview-before-going-live", test_preview_before_going_live);
  g_test_add_func ("/beacon/ui/share-link-and-address", test_share_link_and_address);
  g_test_add_func ("/beacon/ui/zz-help-without-viewer", test_help_without_viewer);

  return ui_test_run ();
}

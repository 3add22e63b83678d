/* test-lifecycle.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A broadcast that outlives many viewers: `beacon-cli serve` with the test source on 127.0.0.1
 * and a hundred real `beacon-cli watch` viewers that come and go, some killed mid-session.
 * Every departed viewer must give back its file descriptors and threads.
 */

#include <json-glib/json-glib.h>
#include <signal.h>

#include "beacon-test-child.h"
#include "beacon-test-process.h"
#include "beacon-test-session.h"

#define N_VIEWERS 100
#define BATCH 10
/* Per batch, this many viewers are killed with SIGKILL instead of finishing. */
#define KILLED_PER_BATCH 3
/* What the broadcaster may keep after every viewer left, over the figure after a first
 * viewer: sockets or threads of GLib, GStreamer and libnice pools that come and go. */
#define FD_TOLERANCE 4
#define THREAD_TOLERANCE 2

typedef struct {
  BeaconTestProcess *server;
  GPid               pid;
  guint              fds;
  guint              threads;
  guint              peak_fds;
  guint              peak_threads;
} Usage;

static guint
count_entries (Usage      *usage,
               const char *what)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) usage->pid, what);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    g_error ("the server is gone; stderr:\n%s", beacon_test_process_get_stderr (usage->server));
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
measure (Usage *usage)
{
  usage->fds = count_entries (usage, "fd");
  usage->threads = count_entries (usage, "task");
  usage->peak_fds = MAX (usage->peak_fds, usage->fds);
  usage->peak_threads = MAX (usage->peak_threads, usage->threads);
}

static gboolean
sample_cb (gpointer user_data)
{
  measure (user_data);
  return G_SOURCE_CONTINUE;
}

static gint64
read_viewers (const char *report_path)
{
  g_autoptr(JsonObject) report = NULL;

  if (!g_file_test (report_path, G_FILE_TEST_EXISTS))
    return -1;
  report = beacon_test_read_json (report_path);
  return json_object_get_int_member_with_default (report, "viewers", -1);
}

/* Waits (bounded) until the broadcaster counts no viewer. */
static void
wait_no_viewers (const char *report_path,
                 guint       timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);
  gint64 viewers;

  while ((viewers = read_viewers (report_path)) != 0 && g_get_monotonic_time () < deadline)
    beacon_test_spin (100);
  g_assert_cmpint (viewers, ==, 0);
}

/* Waits (bounded) until the broadcaster is back within the tolerance of @baseline. */
static void
wait_released (Usage       *usage,
               const Usage *baseline,
               guint        timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);

  do
    {
      beacon_test_spin (200);
      measure (usage);
    }
  while ((usage->fds > baseline->fds + FD_TOLERANCE ||
          usage->threads > baseline->threads + THREAD_TOLERANCE) &&
         g_get_monotonic_time () < deadline);
}

static BeaconTestProcess *
start_viewer (const char *dir,
              const char *url,
              guint       index,
              gboolean    to_be_killed)
{
  g_autofree char *name = g_strdup_printf ("viewer%u", index);
  g_autofree char *data_dir = g_build_filename (dir, name, NULL);
  const char *argv[] = {
    "watch", url, "--ice-address", "127.0.0.1", "--timeout", "60",
    to_be_killed ? NULL : "--frames", "5", NULL
  };

  return beacon_test_process_start (data_dir, argv);
}

static void
test_viewers_leave_nothing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-lifecycle-XXXXXX", &error);
  g_autofree char *server_dir = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) server = NULL;
  Usage usage = { 0, };
  Usage baseline;
  guint sampler;
  guint killed = 0;

  g_assert_no_error (error);
  server_dir = g_build_filename (dir, "server", NULL);
  report_path = g_build_filename (dir, "server.json", NULL);
  {
    const char *argv[] = {
      "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--width", "320",
      "--height", "240", "--ice-address", "127.0.0.1", "--report", report_path,
      /* Every viewer comes from 127.0.0.1, with the broadcaster's own connection. */
      "--max-connections-per-address", "0", NULL
    };

    server = beacon_test_process_start (server_dir, argv);
  }
  url = beacon_test_process_wait_line (server, "watch: ", 30);
  if (url == NULL)
    g_error ("the server printed no watch: line; stderr:\n%s",
             beacon_test_process_get_stderr (server));
  usage.server = server;
  usage.pid = beacon_test_process_get_pid (server);
  g_assert_cmpint (usage.pid, >, 0);

  /* A first viewer loads what every later one shares (plugins, the ICE and DTLS machinery),
   * so the baseline is taken after it. */
  {
    g_autoptr(BeaconTestProcess) warm_up = start_viewer (dir, url, N_VIEWERS, FALSE);

    beacon_test_assert_exit (warm_up, beacon_test_process_wait_exit (warm_up, 60), 0);
  }
  wait_no_viewers (report_path, 30);
  beacon_test_spin (2000);
  measure (&usage);
  baseline = usage;

  sampler = g_timeout_add (250, sample_cb, &usage);
  for (guint first = 0; first < N_VIEWERS; first += BATCH)
    {
      BeaconTestProcess *viewers[BATCH];

      for (guint i = 0; i < BATCH; i++)
        viewers[i] = start_viewer (dir, url, first + i, i < KILLED_PER_BATCH);
      for (guint i = 0; i < BATCH; i++)
        {
          if (i < KILLED_PER_BATCH)
            {
              g_autofree char *line = beacon_test_process_wait_line (viewers[i],
                                                                     "first-frame-ms: ", 60);

              if (line == NULL)
                g_error ("viewer %u decoded no frame; stderr:\n%s", first + i,
                         beacon_test_process_get_stderr (viewers[i]));
              beacon_test_process_send_signal (viewers[i], SIGKILL);
              g_assert_cmpint (beacon_test_process_wait_exit (viewers[i], 15), ==,
                               128 + SIGKILL);
              killed++;
            }
          else
            {
              beacon_test_assert_exit (viewers[i],
                                       beacon_test_process_wait_exit (viewers[i], 60), 0);
            }
          beacon_test_process_free (viewers[i]);
        }
    }
  g_source_remove (sampler);

  /* Every departure, the killed viewers' too, must have reached the broadcaster. */
  wait_no_viewers (report_path, 60);
  wait_released (&usage, &baseline, 30);

  g_test_message ("%u viewers (%u killed): fds %u before, %u peak, %u after; "
                  "threads %u before, %u peak, %u after",
                  N_VIEWERS, killed, baseline.fds, usage.peak_fds, usage.fds, baseline.threads,
                  usage.peak_threads, usage.threads);
  g_assert_cmpuint (usage.fds, <=, baseline.fds + FD_TOLERANCE);
  g_assert_cmpuint (usage.threads, <=, baseline.threads + THREAD_TOLERANCE);

  /* Still broadcasting: a new viewer gets frames. */
  {
    g_autoptr(BeaconTestProcess) late = start_viewer (dir, url, N_VIEWERS + 1, FALSE);

    beacon_test_assert_exit (late, beacon_test_process_wait_exit (late, 60), 0);
  }

  beacon_test_process_send_signal (server, SIGINT);
  beacon_test_assert_exit (server, beacon_test_process_wait_exit (server, 30), 0);
  beacon_test_remove_tree (dir);
}

static GPtrArray *
find_webrtcbins (GstBin *pipeline)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (gst_object_unref);
  g_autoptr(GstIterator) iterator = gst_bin_iterate_elements (pipeline);
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (iterator, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (element);

      if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "webrtcbin"))
        g_ptr_array_add (found, gst_object_ref (element));
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return found;
}

/* An element deep inside @bin, so the broadcaster must walk up to find the viewer. */
static GstElement *
dup_inner_element (GstElement *bin)
{
  g_autoptr(GstIterator) iterator = gst_bin_iterate_recurse (GST_BIN (bin));
  GValue item = G_VALUE_INIT;
  GstElement *inner = NULL;

  if (gst_iterator_next (iterator, &item) == GST_ITERATOR_OK)
    {
      inner = gst_object_ref (g_value_get_object (&item));
      g_value_unset (&item);
    }
  g_assert_nonnull (inner);
  return inner;
}

/* The element of the broadcast's branch that feeds @webrtcbin. */
static GstElement *
dup_branch_element (GstElement *webrtcbin)
{
  g_autoptr(GstPad) sink = gst_element_get_static_pad (webrtcbin, "sink_0");
  g_autoptr(GstPad) feeding = sink ? gst_pad_get_peer (sink) : NULL;

  g_assert_nonnull (feeding);
  return gst_pad_get_parent_element (feeding);
}

static void
post_error (GstElement *element)
{
  g_autoptr(GError) error = g_error_new_literal (GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
                                                 "injected by the test");

  gst_element_post_message (element, gst_message_new_error (GST_OBJECT (element), error, NULL));
}

static void
wait_viewer_count (BeaconSession *broadcast,
                   guint          count)
{
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (20 * G_USEC_PER_SEC);

  while (beacon_session_get_viewer_count (broadcast) != count &&
         g_get_monotonic_time () < deadline)
    beacon_test_spin (50);
  g_assert_cmpuint (beacon_session_get_viewer_count (broadcast), ==, count);
}

/* Both viewers share the broadcast's pipeline: an error in one viewer's webrtcbin or branch
 * ends that viewer only; one elsewhere ends the broadcast. */
static void
test_viewer_error_ends_only_that_viewer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-lifecycle-XXXXXX", &error);
  GstElement *preview = gst_element_factory_make ("fakesink", "preview");
  g_autoptr(BeaconSession) broadcast = NULL;
  g_autoptr(BeaconSession) first = NULL;
  g_autoptr(BeaconSession) second = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GPtrArray) webrtcbins = NULL;
  g_autoptr(GstElement) inner = NULL;
  g_autoptr(GstElement) branch = NULL;
  g_autoptr(GstElement) tee = NULL;
  BeaconSession *failed, *staying;
  guint64 frames;

  g_assert_no_error (error);
  g_object_set (preview, "sync", FALSE, NULL);
  broadcast = beacon_test_start_broadcast (dir, preview);
  first = beacon_test_start_viewer (dir, "first", broadcast);
  second = beacon_test_start_viewer (dir, "second", broadcast);
  beacon_test_wait_frames_beyond (first, 5, 60);
  beacon_test_wait_frames_beyond (second, 5, 60);
  g_assert_cmpuint (beacon_session_get_viewer_count (broadcast), ==, 2);

  /* The preview sink is the way into the broadcaster's pipeline. */
  pipeline = GST_ELEMENT (gst_object_get_parent (GST_OBJECT (preview)));
  g_assert_nonnull (pipeline);
  webrtcbins = find_webrtcbins (GST_BIN (pipeline));
  g_assert_cmpuint (webrtcbins->len, ==, 2);

  inner = dup_inner_element (g_ptr_array_index (webrtcbins, 0));
  post_error (inner);
  wait_viewer_count (broadcast, 1);
  g_assert_cmpint (beacon_session_get_state (broadcast), ==, BEACON_SESSION_STATE_LIVE);

  /* The broadcaster ended that viewer's session; the other one keeps decoding. */
  failed = beacon_session_get_state (first) == BEACON_SESSION_STATE_WATCHING ? second : first;
  staying = failed == first ? second : first;
  beacon_test_wait_session_state (failed, BEACON_SESSION_STATE_ENDED, 20);
  frames = beacon_session_get_frames_decoded (staying);
  beacon_test_wait_frames_beyond (staying, frames + 15, 20);
  g_assert_cmpint (beacon_session_get_state (staying), ==, BEACON_SESSION_STATE_WATCHING);
  g_test_message ("the staying viewer decoded %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT
                  " after the other viewer's error",
                  beacon_session_get_frames_decoded (staying),
                  beacon_session_get_frames_decoded (staying) - frames);

  /* An error on the branch feeding the remaining viewer's webrtcbin is that viewer's too. */
  branch = dup_branch_element (g_ptr_array_index (webrtcbins, 1));
  post_error (branch);
  wait_viewer_count (broadcast, 0);
  beacon_test_wait_session_state (staying, BEACON_SESSION_STATE_ENDED, 20);
  g_assert_cmpint (beacon_session_get_state (broadcast), ==, BEACON_SESSION_STATE_LIVE);

  /* The shared part is the broadcast's: an error there ends it. */
  tee = gst_bin_get_by_name (GST_BIN (pipeline), "video-tee");
  g_assert_nonnull (tee);
  post_error (tee);
  beacon_test_wait_session_state (broadcast, BEACON_SESSION_STATE_FAILED, 20);

  beacon_test_stop_session (first);
  beacon_test_stop_session (second);
  beacon_test_stop_session (broadcast);
  beacon_test_remove_tree (dir);
}

/* What a handler of "state" writes into the session's settings while it runs: another dialect
 * and a server that does not exist. */
static void
change_settings_cb (BeaconSession *session,
                    GParamSpec    *pspec,
                    guint         *changes)
{
  switch (beacon_session_get_state (session))
    {
    case BEACON_SESSION_STATE_CONNECTING:
    case BEACON_SESSION_STATE_NEGOTIATING:
    case BEACON_SESSION_STATE_CONNECTED:
    case BEACON_SESSION_STATE_LIVE:
      g_object_set (session,
                    "dialect", (*changes % 2) ? "janus" : "whip",
                    "url", "https://127.0.0.1:9/whip",
                    NULL);
      (*changes)++;
      break;
    default:
      break;
    }
}

/* A session runs with the settings it had at start (): setting the dialect and the URL while
 * it connects, negotiates or is live changes nothing until the next start (). Read live, the
 * dialect "whip" would make the broadcast wait for a media server (negotiating) instead of
 * going live, and the viewer's checks would follow another dialect's rules. */
static void
test_settings_wait_for_next_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-lifecycle-XXXXXX", &error);
  g_autoptr(BeaconSession) broadcast = NULL;
  g_autoptr(BeaconSession) viewer = NULL;
  g_autofree char *dialect = NULL;
  guint broadcast_changes = 0;
  guint viewer_changes = 0;

  g_assert_no_error (error);
  broadcast = beacon_test_new_broadcast (dir, NULL);
  g_signal_connect (broadcast, "notify::state", G_CALLBACK (change_settings_cb),
                    &broadcast_changes);
  beacon_session_start (broadcast);
  beacon_test_wait_session_state (broadcast, BEACON_SESSION_STATE_LIVE, 30);
  g_assert_cmpuint (broadcast_changes, >=, 2);
  g_object_get (broadcast, "dialect", &dialect, NULL);
  g_assert_cmpstr (dialect, ==, "janus");

  viewer = beacon_session_new (BEACON_SESSION_ROLE_WATCH);
  g_signal_connect (viewer, "notify::state", G_CALLBACK (change_settings_cb), &viewer_changes);
  {
    g_autofree char *data_dir = g_build_filename (dir, "viewer", NULL);
    const char * const loopback[] = { "127.0.0.1", NULL };

    g_object_set (viewer,
                  "url", beacon_session_get_share_url (broadcast),
                  "ice-addresses", loopback,
                  "data-directory", data_dir,
                  NULL);
  }
  beacon_session_start (viewer);
  beacon_test_wait_frames_beyond (viewer, 5, 60);
  g_assert_cmpint (beacon_session_get_state (viewer), ==, BEACON_SESSION_STATE_WATCHING);
  /* Connecting, negotiating and connected each changed the settings. */
  g_assert_cmpuint (viewer_changes, >=, 3);

  /* Changed again while live: the broadcast keeps its viewer and stays live. */
  g_object_set (broadcast, "dialect", "whep", "url", "https://127.0.0.1:9/whep", NULL);
  beacon_test_wait_frames_beyond (viewer, beacon_session_get_frames_decoded (viewer) + 15, 20);
  g_assert_cmpint (beacon_session_get_state (broadcast), ==, BEACON_SESSION_STATE_LIVE);
  g_assert_cmpuint (beacon_session_get_viewer_count (broadcast), ==, 1);

  beacon_test_stop_session (viewer);
  beacon_test_stop_session (broadcast);

  /* The next start takes the settings as they are now: publishing to a server that is not
   * there fails. */
  g_signal_handlers_disconnect_by_func (broadcast, change_settings_cb, &broadcast_changes);
  beacon_session_start (broadcast);
  beacon_test_wait_session_state (broadcast, BEACON_SESSION_STATE_FAILED, 30);
  beacon_test_stop_session (broadcast);
  beacon_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/lifecycle/viewers-leave-nothing", test_viewers_leave_nothing);
  g_test_add_func ("/beacon/lifecycle/viewer-error-ends-only-that-viewer",
                   test_viewer_error_ends_only_that_viewer);
  g_test_add_func ("/beacon/lifecycle/settings-wait-for-next-start",
                   test_settings_wait_for_next_start);

  return g_test_run ();
}

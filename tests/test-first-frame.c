/* test-first-frame.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End to end, `beacon-cli serve` with the test source and real `beacon-cli watch` viewers: the
 * report's timeline of a viewer's first picture (where its time went), on both sides, and the
 * key frame a joining viewer gets at once instead of waiting for the encoder's periodic one.
 * How fast the first frame comes is the benchmark's to say (tests/bench/bench-first-frame.sh);
 * the bounds here are generous and only tell a forced key frame from a periodic one.
 */

#include <json-glib/json-glib.h>

#include "beacon-test-child.h"
#include "beacon-test-process.h"
#include "beacon-test-serve-fixture.h"

typedef BeaconTestServeFixture Fixture;

#define fixture_path beacon_test_serve_fixture_path
#define fixture_tear_down beacon_test_serve_fixture_tear_down
#define read_report beacon_test_serve_fixture_read_report

/* Long enough that no periodic key frame comes while a test runs: a viewer that gets a
 * picture got it from a key frame forced for it. */
#define KEY_FRAME_INTERVAL "3600"

/* A viewer's first frame must come within this (scaled): far more than a join takes even on
 * a loaded machine, far less than KEY_FRAME_INTERVAL. */
#define PROMPT_FIRST_FRAME_S 20

/* The watching side's events, in the order they must come. The first remote candidate is
 * checked apart: it may come before the answer, as the broadcaster trickles its candidates
 * right after its offer. */
static const char * const watch_chain[] = {
  "signaling_connected_ms", "offer_ms", "answer_ms", "ice_connected_ms", "dtls_connected_ms",
  "verified_ms", "first_rtp_ms", "first_key_frame_ms", "first_frame_ms",
};

/* The broadcasting side's, for one viewer, up to the media passing. */
static const char * const broadcast_chain[] = {
  "viewer_joined_ms", "offer_ms", "answer_ms", "ice_connected_ms", "dtls_connected_ms",
  "verified_ms",
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  beacon_test_serve_fixture_init (fixture, "first-frame");
}

static void
start_server (Fixture    *fixture,
              const char *codec)
{
  g_autofree char *report = fixture_path (fixture, "server.json");
  const char *argv[] = {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--codec", codec,
    "--width", "320", "--height", "240", "--fps", "30", "--ice-address", "127.0.0.1",
    "--key-frame-interval", KEY_FRAME_INTERVAL, "--report", report, NULL
  };

  beacon_test_serve_fixture_start_server (fixture, argv);
}

static BeaconTestProcess *
start_viewer (Fixture    *fixture,
              const char *name,
              const char *frames)
{
  g_autofree char *timeout = g_strdup_printf ("%u",
                                              beacon_test_scaled_seconds (PROMPT_FIRST_FRAME_S));
  const char *extra[] = { "--frames", frames, "--timeout", timeout, NULL };

  return beacon_test_serve_fixture_start_viewer (fixture, name, fixture->url, extra);
}

static gint64
get_ms (JsonObject *timeline,
        const char *event)
{
  if (!json_object_has_member (timeline, event) || json_object_get_null_member (timeline, event))
    g_error ("the timeline has no %s", event);
  return json_object_get_int_member (timeline, event);
}

/* Every event of @chain is there, none before the one listed before it. */
static void
assert_in_order (JsonObject         *timeline,
                 const char * const *chain,
                 guint               n_events)
{
  gint64 before = 0;

  for (guint i = 0; i < n_events; i++)
    {
      gint64 at = get_ms (timeline, chain[i]);

      if (at < before)
        g_error ("%s (%" G_GINT64_FORMAT " ms) came before %s (%" G_GINT64_FORMAT " ms)",
                 chain[i], at, i > 0 ? chain[i - 1] : "the start", before);
      before = at;
    }
}

/* The server's report, as soon as it lists a viewer whose key frame went out. */
static JsonObject *
wait_server_viewer_timeline (Fixture *fixture)
{
  g_autofree char *path = fixture_path (fixture, "server.json");
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (20 * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonObject) report = g_file_test (path, G_FILE_TEST_EXISTS)
                                       ? beacon_test_read_json (path) : NULL;
      JsonObject *stats = report ? json_object_get_object_member (report, "stats") : NULL;
      JsonArray *viewers = stats ? json_object_get_array_member (stats, "viewers") : NULL;

      if (viewers != NULL && json_array_get_length (viewers) > 0)
        {
          JsonObject *viewer = json_array_get_object_element (viewers, 0);
          JsonObject *timeline = json_object_get_object_member (viewer, "timeline");

          if (timeline != NULL &&
              !json_object_get_null_member (timeline, "first_key_frame_sent_ms"))
            return json_object_ref (timeline);
        }
      g_usleep (100 * 1000);
    }
  g_error ("the server's report never showed a viewer's first key frame going out");
}

static void
test_timeline (Fixture       *fixture,
               gconstpointer  data)
{
  const char *codec = data;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) server_timeline = NULL;
  JsonObject *timeline;
  gint64 verified;

  start_server (fixture, codec);
  /* 150 frames: still watching while the server's report is read. */
  viewer = start_viewer (fixture, "viewer", "150");
  server_timeline = wait_server_viewer_timeline (fixture);
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 0);

  report = read_report (fixture, "viewer");
  timeline = json_object_get_object_member (report, "timeline");
  g_assert_nonnull (timeline);
  assert_in_order (timeline, watch_chain, G_N_ELEMENTS (watch_chain));
  g_assert_cmpint (get_ms (timeline, "first_remote_candidate_ms"), >=,
                   get_ms (timeline, "offer_ms"));
  g_assert_cmpint (get_ms (timeline, "first_remote_candidate_ms"), <=,
                   get_ms (timeline, "ice_connected_ms"));
  /* The broadcaster offers; the session's own first frame is the timeline's. */
  g_assert_cmpstr (json_object_get_string_member (timeline, "offerer"), ==, "remote");
  g_assert_cmpint (get_ms (timeline, "first_frame_ms"), <=,
                   json_object_get_int_member (report, "first_frame_ms"));

  assert_in_order (server_timeline, broadcast_chain, G_N_ELEMENTS (broadcast_chain));
  g_assert_cmpstr (json_object_get_string_member (server_timeline, "offerer"), ==, "local");
  verified = get_ms (server_timeline, "verified_ms");
  g_assert_cmpint (get_ms (server_timeline, "key_frame_requested_ms"), >=, verified);
  g_assert_cmpint (get_ms (server_timeline, "first_key_frame_sent_ms"), >=, verified);
}

/* With no periodic key frame for an hour, each viewer's first picture can only come from a key
 * frame forced for it: the first viewer joins a second after the broadcast's own first key
 * frame, the second while the first watches (within the limiter's interval of the first one's
 * key frame, or after it). Both sides ask: the broadcaster when a viewer connects, and the
 * viewer's depayloader (request-keyframe) when what comes first is no key frame; either is
 * enough here, neither alone is checked. */
static void
test_forced_key_frame (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *codec = data;
  g_autoptr(BeaconTestProcess) first = NULL;
  g_autoptr(BeaconTestProcess) second = NULL;
  g_autoptr(JsonObject) first_report = NULL;
  g_autoptr(JsonObject) second_report = NULL;
  g_autoptr(JsonObject) server_report = NULL;
  g_autofree char *server_path = fixture_path (fixture, "server.json");
  JsonObject *key_frames;

  start_server (fixture, codec);
  g_usleep (G_USEC_PER_SEC);
  first = start_viewer (fixture, "first", "300");
  beacon_test_serve_fixture_wait_first_frame (first,
                                              beacon_test_scaled_seconds (PROMPT_FIRST_FRAME_S));
  second = start_viewer (fixture, "second", "30");
  beacon_test_assert_exit (second, beacon_test_process_wait_exit (second, 60), 0);
  beacon_test_assert_exit (first, beacon_test_process_wait_exit (first, 60), 0);

  first_report = read_report (fixture, "first");
  second_report = read_report (fixture, "second");
  g_assert_cmpint (json_object_get_int_member (first_report, "first_frame_ms"), <,
                   beacon_test_scaled_seconds (PROMPT_FIRST_FRAME_S) * 1000);
  g_assert_cmpint (json_object_get_int_member (second_report, "first_frame_ms"), <,
                   beacon_test_scaled_seconds (PROMPT_FIRST_FRAME_S) * 1000);
  g_assert_cmpint (json_object_get_int_member (second_report, "frames_decoded"), >=, 30);

  /* The broadcaster forced them: the encoder's first key frame and one per viewer at least
   * (two joins within the limiter's interval share one, so at least two in all). */
  server_report = beacon_test_read_json (server_path);
  key_frames = json_object_get_object_member (json_object_get_object_member (server_report,
                                                                             "stats"),
                                              "key_frames");
  g_assert_cmpint (json_object_get_int_member (key_frames, "forced"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (key_frames, "encoded"), >=, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/beacon/first-frame/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("timeline-in-order-vp8", "vp8", test_timeline);
  ADD ("timeline-in-order-h264", "h264", test_timeline);
  ADD ("joining-viewer-gets-forced-key-frame-vp8", "vp8", test_forced_key_frame);
  ADD ("joining-viewer-gets-forced-key-frame-h264", "h264", test_forced_key_frame);

  return g_test_run ();
}

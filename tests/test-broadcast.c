/* test-broadcast.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End to end: `beacon-cli serve` with the test source on 127.0.0.1 and real `beacon-cli watch`
 * viewers — real encoders and decoders, real TLS, real DTLS-SRTP over ICE restricted to
 * loopback. The test pattern stands in for a camera, which this machine does not have.
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "beacon-test-gst-server.h"
#include "beacon-test-child.h"
#include "beacon-test-process.h"
#include "beacon-test-serve-fixture.h"

#define N_VIEWERS 3
#define FRAMES "60"

typedef BeaconTestServeFixture Fixture;

#define fixture_path beacon_test_serve_fixture_path
#define fixture_tear_down beacon_test_serve_fixture_tear_down
#define read_report beacon_test_serve_fixture_read_report

static void
start_server (Fixture    *fixture,
              const char *codec,
              const char *extra_option,
              const char *extra_value)
{
  const char *argv[] = {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--codec", codec,
    "--width", "320", "--height", "240", "--fps", "30", "--name", "test-broadcast",
    "--ice-address", "127.0.0.1", extra_option, extra_value, NULL
  };

  beacon_test_serve_fixture_start_server (fixture, argv);
  g_assert_true (g_str_has_prefix (fixture->url, "wss://127.0.0.1:"));
  g_assert_nonnull (strstr (fixture->url, "#pin=sha256:"));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  beacon_test_serve_fixture_init (fixture, "broadcast");
}

static BeaconTestProcess *
start_viewer (Fixture    *fixture,
              const char *name,
              const char *url,
              const char *frames,
              const char *timeout)
{
  const char *extra[] = { "--timeout", timeout, frames ? "--frames" : NULL, frames, NULL };

  return beacon_test_serve_fixture_start_viewer (fixture, name, url, extra);
}

#define assert_exit beacon_test_assert_exit

static void
test_three_viewers (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *codec = data;
  BeaconTestProcess *viewers[N_VIEWERS];

  start_server (fixture, codec, NULL, NULL);

  for (guint i = 0; i < N_VIEWERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("viewer%u", i);

      viewers[i] = start_viewer (fixture, name, fixture->url, FRAMES, "60");
    }

  for (guint i = 0; i < N_VIEWERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("viewer%u", i);
      g_autoptr(JsonObject) report = NULL;
      JsonObject *dtls, *signaling;
      int status = beacon_test_process_wait_exit (viewers[i], 90);

      assert_exit (viewers[i], status, 0);

      report = read_report (fixture, name);
      g_assert_false (json_object_get_null_member (report, "first_frame_ms"));
      g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
      g_assert_cmpstr (json_object_get_string_member (report, "state"), ==, "watching");
      signaling = json_object_get_object_member (report, "signaling");
      g_assert_cmpstr (json_object_get_string_member (signaling, "scheme"), ==, "wss");
      g_assert_cmpstr (json_object_get_string_member (signaling, "trust"), ==, "pinned");
      g_assert_nonnull (json_object_get_object_member (signaling, "tls"));
      dtls = json_object_get_object_member (report, "dtls");
      g_assert_cmpstr (json_object_get_string_member (dtls, "state"), ==, "connected");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (dtls, "local_fingerprint"),
                                       "sha-256 "));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (dtls, "announced_fingerprint"),
                                       "sha-256 "));
      g_assert_true (json_object_get_boolean_member (dtls, "verified"));
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "ice"),
                                                      "state"), !=, "failed");
      beacon_test_process_free (viewers[i]);
    }
}

/* Waits until a viewer has decoded its first frame. */
static void
wait_first_frame (BeaconTestProcess *viewer)
{
  beacon_test_serve_fixture_wait_first_frame (viewer, 40);
}

static void
test_viewer_leaving (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) staying = NULL;
  g_autoptr(BeaconTestProcess) leaving = NULL;
  g_autoptr(BeaconTestProcess) crashing = NULL;
  g_autoptr(JsonObject) report = NULL;

  start_server (fixture, "vp8", NULL, NULL);

  /* 240 frames at 30 fps: the staying viewer is still watching when the others go. */
  staying = start_viewer (fixture, "staying", fixture->url, "240", "60");
  leaving = start_viewer (fixture, "leaving", fixture->url, NULL, "60");
  crashing = start_viewer (fixture, "crashing", fixture->url, NULL, "60");
  wait_first_frame (staying);
  wait_first_frame (leaving);
  wait_first_frame (crashing);

  /* One leaves cleanly (endSession), one vanishes without a word. */
  beacon_test_process_send_signal (leaving, SIGINT);
  assert_exit (leaving, beacon_test_process_wait_exit (leaving, 15), 0);
  beacon_test_process_send_signal (crashing, SIGKILL);
  g_assert_cmpint (beacon_test_process_wait_exit (crashing, 15), ==, 128 + SIGKILL);

  assert_exit (staying, beacon_test_process_wait_exit (staying, 60), 0);
  report = read_report (fixture, "staying");
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 240);

  /* The server saw them go and is still serving: a new viewer gets frames. */
  {
    g_autoptr(BeaconTestProcess) late = start_viewer (fixture, "late", fixture->url, "30", "60");

    assert_exit (late, beacon_test_process_wait_exit (late, 60), 0);
  }
}

static void
test_broadcaster_stops (Fixture       *fixture,
                        gconstpointer  data)
{
  gboolean kill_hard = GPOINTER_TO_INT (data);
  BeaconTestProcess *viewers[2];
  gint64 stopped_at;

  start_server (fixture, "vp8", NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (viewers); i++)
    {
      g_autofree char *name = g_strdup_printf ("viewer%u", i);

      viewers[i] = start_viewer (fixture, name, fixture->url, NULL, "120");
      wait_first_frame (viewers[i]);
    }

  stopped_at = g_get_monotonic_time ();
  beacon_test_process_send_signal (fixture->server, kill_hard ? SIGKILL : SIGTERM);
  if (!kill_hard)
    assert_exit (fixture->server, beacon_test_process_wait_exit (fixture->server, 15), 0);

  for (guint i = 0; i < G_N_ELEMENTS (viewers); i++)
    {
      /* "broadcast ended" (exit 3) well before the viewers' own 120 s timeout. */
      assert_exit (viewers[i], beacon_test_process_wait_exit (viewers[i], 30), 3);
      g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewers[i]), "broadcast ended"));
      beacon_test_process_free (viewers[i]);
    }
  g_assert_cmpint ((g_get_monotonic_time () - stopped_at) / G_USEC_PER_SEC, <,
                   beacon_test_scaled_seconds (30));
}

static void
test_max_viewers (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) first = NULL;
  g_autoptr(BeaconTestProcess) second = NULL;

  start_server (fixture, "vp8", "--max-viewers", "1");
  first = start_viewer (fixture, "first", fixture->url, NULL, "60");
  wait_first_frame (first);
  second = start_viewer (fixture, "second", fixture->url, "10", "30");
  assert_exit (second, beacon_test_process_wait_exit (second, 40), 1);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (second), "broadcast is full"));
}

static void
test_wrong_pin (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autofree char *wrong = NULL;
  char *pin;

  start_server (fixture, "vp8", NULL, NULL);
  wrong = g_strdup (fixture->url);
  pin = strstr (wrong, "#pin=sha256:") + strlen ("#pin=sha256:");
  /* Flip the first hex digit of the fingerprint. */
  pin[0] = pin[0] == 'A' ? 'B' : 'A';
  viewer = start_viewer (fixture, "viewer", wrong, "10", "30");
  assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 5);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "TLS certificate not trusted"));
}

static gboolean
server_said (Fixture    *fixture,
             const char *text,
             guint       timeout_seconds)
{
  for (guint i = 0; i < timeout_seconds &&
                    strstr (beacon_test_process_get_stderr (fixture->server), text) == NULL; i++)
    {
      gboolean never = FALSE;

      beacon_test_wait_until (&never, 1);
    }
  return strstr (beacon_test_process_get_stderr (fixture->server), text) != NULL;
}

/* No path can work (the broadcaster offers only ::1, the viewer only 127.0.0.1): whichever
 * side's connect timeout comes first gives up, naming the likely cause, instead of
 * negotiating for ever. */
static void
test_no_network_path (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *argv[] = {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--width", "320",
    "--height", "240", "--ice-address", "::1", "--connect-timeout", "6", NULL
  };
  const char *patient[] = { "--timeout", "60", "--frames", "10", "--connect-timeout", "60", NULL };
  const char *hasty[] = { "--timeout", "60", "--frames", "10", "--connect-timeout", "3", NULL };
  g_autoptr(BeaconTestProcess) viewer = NULL;
  gint64 started;
  gint64 took_s;
  int status;

  beacon_test_serve_fixture_start_server (fixture, argv);

  /* The broadcaster's 6 s come first: it lets the viewer go, and says why. */
  started = g_get_monotonic_time ();
  viewer = beacon_test_serve_fixture_start_viewer (fixture, "patient", fixture->url, patient);
  g_assert_true (server_said (fixture, "no network path", 30));
  took_s = (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_test_message ("the broadcaster gave up after %" G_GINT64_FORMAT " s", took_s);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (fixture->server), "firewall"));
  status = beacon_test_process_wait_exit (viewer, 40);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpint (status, !=, -1);
  g_clear_pointer (&viewer, beacon_test_process_free);

  /* The viewer's 3 s come first: it fails with the cause, well before its 60 s timeout. */
  started = g_get_monotonic_time ();
  viewer = beacon_test_serve_fixture_start_viewer (fixture, "hasty", fixture->url, hasty);
  assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 1);
  took_s = (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_test_message ("the viewer gave up after %" G_GINT64_FORMAT " s", took_s);
  g_assert_cmpint (took_s, <, 40);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "no network path"));
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "firewall"));
  g_assert_null (strstr (beacon_test_process_get_stdout (viewer), "first-frame-ms"));
}

static void
test_no_pin (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autofree char *without = NULL;

  start_server (fixture, "vp8", NULL, NULL);
  without = g_strndup (fixture->url, strstr (fixture->url, "#") - fixture->url);
  viewer = start_viewer (fixture, "viewer", without, "10", "30");
  assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 5);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "TLS certificate not trusted"));
}

static void
test_unknown_producer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autofree char *data_dir = NULL;

  start_server (fixture, "vp8", NULL, NULL);
  data_dir = fixture_path (fixture, "viewer");
  viewer = beacon_test_process_start (data_dir, (const char *[]) {
    "watch", fixture->url, "--producer", "nobody", "--timeout", "30", NULL });
  assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 1);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "producer 'nobody' not found"));
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/", beacon_test_free_port ());
  g_autofree char *data_dir = fixture_path (fixture, "viewer");

  viewer = beacon_test_process_start (data_dir, (const char *[]) { "watch", url, "--timeout", "30", NULL });
  assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 1);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "connection refused"));
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), url));
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *data_dir = fixture_path (fixture, "lister");
  g_autoptr(BeaconTestProcess) lister = NULL;
  g_auto(GStrv) fields = NULL;

  start_server (fixture, "vp8", NULL, NULL);
  lister = beacon_test_process_start (data_dir, (const char *[]) { "list", fixture->url, NULL });
  assert_exit (lister, beacon_test_process_wait_exit (lister, 30), 0);
  fields = g_strsplit (beacon_test_process_get_stdout (lister), "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 3);
  g_assert_cmpstr (fields[1], ==, "test-broadcast");
}

/* Beacon as a producer on a server of the GStreamer signalling protocol that it does not run
 * itself, where the server's operator gave it a token; viewers pick it by name and, as on any
 * server where others publish, trust its identity on first use rather than the server's pin. */
static void
test_publish_to_gst_server (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *publisher_dir = fixture_path (fixture, "publisher");
  g_autofree char *server_dir = fixture_path (fixture, "gst-server");
  g_autoptr(BeaconTestGstServer) server = beacon_test_gst_server_new (server_dir, FALSE);
  g_autofree char *link = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;

  publisher = beacon_test_gst_server_start_publisher (server, publisher_dir, "second");

  /* Registered as a producer: the server lists it. */
  {
    g_autofree char *lister_dir = fixture_path (fixture, "lister");
    g_autoptr(BeaconTestProcess) lister =
      beacon_test_process_start (lister_dir, (const char *[]) { "list", server->link, NULL });

    assert_exit (lister, beacon_test_process_wait_exit (lister, 30), 0);
    g_assert_nonnull (strstr (beacon_test_process_get_stdout (lister), "\tsecond\t"));
  }

  link = g_strconcat (server->link, "&producer=second", NULL);
  {
    g_autofree char *data_dir = fixture_path (fixture, "viewer");
    g_autofree char *report_path = fixture_path (fixture, "viewer.json");

    viewer = beacon_test_process_start (data_dir, (const char *[]) {
      "watch", "--dialect", "gst", link, "--ice-address", "127.0.0.1", "--timeout", "60",
      "--report", report_path, "--frames", "60", "--measure-latency", NULL });
  }
  assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);
  report = read_report (fixture, "viewer");
  /* The publisher's test pattern carries latency stamps, through the server to the viewer:
   * every decoded frame was measured. */
  g_assert_nonnull (strstr (beacon_test_process_get_stdout (viewer), "latency-ms: p50 "));
  {
    JsonObject *latency = json_object_get_object_member (
      json_object_get_object_member (report, "stats"), "latency");

    g_assert_nonnull (latency);
    g_assert_cmpint (json_object_get_int_member (latency, "frames"), >=, 50);
    g_assert_cmpint (json_object_get_int_member (latency, "p50_ms"), <=,
                     json_object_get_int_member (latency, "p95_ms"));
  }
  /* The producer's identity, not the server's, is what the viewer saw and now remembers. */
  g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "new");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                  "bound_to_link"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "dtls"),
                                                  "presented_fingerprint") + strlen ("sha-256 "),
                   !=, server->pin + strlen ("sha256:"));
  beacon_test_process_send_signal (publisher, SIGINT);
  assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
}

static void
test_bad_usage (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *data_dir = fixture_path (fixture, "cli");
  struct {
    const char *argv[6];
    const char *message;
  } cases[] = {
    { { "serve", "--codec", "theora", NULL }, "--codec must be vp8 or h264" },
    { { "serve", "--source", "scanner", NULL }, "--source must be test, camera or auto" },
    { { "serve", "--port", "70000", NULL }, "--port must be between 0 and 65535" },
    { { "watch", NULL }, "watch takes one stream link" },
    { { "frobnicate", NULL }, "unknown command 'frobnicate'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BeaconTestProcess) process = beacon_test_process_start (data_dir, cases[i].argv);

      assert_exit (process, beacon_test_process_wait_exit (process, 20), 2);
      g_assert_nonnull (strstr (beacon_test_process_get_stderr (process), cases[i].message));
    }

  /* A link that is not a stream link fails with a reason, not a crash. */
  {
    g_autoptr(BeaconTestProcess) process = beacon_test_process_start (data_dir,
      (const char *[]) { "watch", "ftp://example.invalid/", "--timeout", "10", NULL });

    assert_exit (process, beacon_test_process_wait_exit (process, 20), 1);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (process), "is not a stream link"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/beacon/broadcast/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("three-viewers-vp8", "vp8", test_three_viewers);
  ADD ("three-viewers-h264", "h264", test_three_viewers);
  ADD ("viewer-leaving-does-not-disturb-others", NULL, test_viewer_leaving);
  ADD ("broadcaster-stop-ends-viewers", GINT_TO_POINTER (FALSE), test_broadcaster_stops);
  ADD ("broadcaster-killed-ends-viewers", GINT_TO_POINTER (TRUE), test_broadcaster_stops);
  ADD ("max-viewers", NULL, test_max_viewers);
  ADD ("wrong-pin-refused", NULL, test_wrong_pin);
  ADD ("self-signed-without-pin-refused", NULL, test_no_pin);
  ADD ("no-network-path-fails-in-time", NULL, test_no_network_path);
  ADD ("unknown-producer", NULL, test_unknown_producer);
  ADD ("connection-refused", NULL, test_connection_refused);
  ADD ("list", NULL, test_list);
  ADD ("publish-to-gst-server", NULL, test_publish_to_gst_server);
  ADD ("bad-usage", NULL, test_bad_usage);

  return g_test_run ();
}

/* test-janus.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beacon against a real Janus Gateway 1.1 (Debian's janus package): `beacon-cli publish`
 * into a VideoRoom room and `beacon-cli watch` of that room or of a Streaming mountpoint, over
 * wss pinned to the certificate the harness made, with real encoders, decoders and
 * DTLS-SRTP. The error paths check the sentences people see. Janus runs from
 * the templates in tests/servers/janus, started and stopped by tests/beacon-test-janus.c.
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>

#include "beacon-fingerprint.h"
#include "beacon-identity.h"
#include "beacon-test-child.h"
#include "beacon-test-process.h"
#include "beacon-test-janus.h"


#define FRAMES "60"
#define ROOM "1234"
#define VP8_ONLY_ROOM "4444"
#define MOUNTPOINT "99"

typedef struct {
  const char           *codec;
  BeaconTestJanusFlags  flags;
  gboolean              kill_hard;  /* publisher-leaves: SIGKILL instead of SIGTERM */
} Case;

typedef struct {
  char            *dir;
  BeaconTestJanus *janus;
} Fixture;

static const Case vp8_case = { "vp8", BEACON_TEST_JANUS_DEFAULT };
static const Case h264_case = { "h264", BEACON_TEST_JANUS_DEFAULT };
static const Case token_case = { "vp8", BEACON_TEST_JANUS_TOKEN_AUTH };
static const Case killed_case = { "vp8", BEACON_TEST_JANUS_DEFAULT, TRUE };

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

/* CI (BEACON_TEST_REQUIRE_SERVERS=1, set by tests/meson.build) must never hide a missing
 * server behind a skip; a developer without root may relax it. */
static void
skip_or_fail (const char *reason)
{
  if (g_strcmp0 (g_getenv ("BEACON_TEST_REQUIRE_SERVERS"), "1") == 0)
    g_error ("a server this test needs is missing (BEACON_TEST_REQUIRE_SERVERS=1): %s", reason);
  g_test_skip (reason);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *address = NULL;

  if (!beacon_test_janus_available (&reason))
    {
      skip_or_fail (reason);
      return;
    }
  address = beacon_test_janus_dup_ice_address ();
  if (address == NULL)
    {
      skip_or_fail ("Janus 1.1 needs a network interface that is not loopback, and none could "
                    "be made (not root?)");
      return;
    }

  fixture->dir = g_dir_make_tmp ("beacon-janus-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->janus = beacon_test_janus_start (fixture->dir, test_case->flags);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->janus != NULL && g_test_failed ())
    g_test_message ("Janus log:\n%s", beacon_test_janus_get_log (fixture->janus));
  g_clear_pointer (&fixture->janus, beacon_test_janus_free);
  if (fixture->dir != NULL)
    remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
assert_exit (BeaconTestProcess *process,
             int                status,
             int                expected)
{
  if (status != expected)
    g_error ("exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", status, expected,
             beacon_test_process_get_stdout (process), beacon_test_process_get_stderr (process));
}

static void
assert_stderr_contains (BeaconTestProcess *process,
                        const char        *text)
{
  if (strstr (beacon_test_process_get_stderr (process), text) == NULL)
    g_error ("expected '%s' in the error output\nstdout:\n%s\nstderr:\n%s", text,
             beacon_test_process_get_stdout (process), beacon_test_process_get_stderr (process));
}

/* Runs beacon-cli with its own data directory @name; @argv ends with NULL. The options every
 * Janus command shares come first: the dialect and the pin of the harness's certificate. */
static BeaconTestProcess *
run_cli (Fixture            *fixture,
         const char         *name,
         const char * const *argv)
{
  g_autofree char *data_dir = fixture_path (fixture, name);
  g_autoptr(GPtrArray) full = g_ptr_array_new ();

  g_ptr_array_add (full, (gpointer) argv[0]);
  g_ptr_array_add (full, (gpointer) "--dialect");
  g_ptr_array_add (full, (gpointer) "janus");
  if (g_strcmp0 (argv[0], "list") != 0)
    {
      g_ptr_array_add (full, (gpointer) "--ice-address");
      g_ptr_array_add (full, (gpointer) beacon_test_janus_get_ice_address (fixture->janus));
    }
  for (guint i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  return beacon_test_process_start (data_dir, (const char * const *) full->pdata);
}

static BeaconTestProcess *
start_publisher (Fixture    *fixture,
                 const char *name,
                 const char *codec,
                 const char *room)
{
  BeaconTestProcess *publisher;
  g_autofree char *live = NULL;

  publisher = run_cli (fixture, name, (const char *[]) {
    "publish", "--room", room, "--source", "test", "--codec", codec, "--width", "320",
    "--height", "240", "--name", name, "--pin", beacon_test_janus_get_pin (fixture->janus),
    "--timeout", "300", beacon_test_janus_get_wss_url (fixture->janus), NULL });
  live = beacon_test_process_wait_line (publisher, "live", 30);
  if (live == NULL)
    g_error ("the publisher never said 'live'\nstdout:\n%s\nstderr:\n%s",
             beacon_test_process_get_stdout (publisher),
             beacon_test_process_get_stderr (publisher));
  return publisher;
}

/* Lists room 1234 until @count publishers are in it, that is until Janus has their media
 * (a participant counts as a publisher once its PeerConnection is up). Returns their ids. */
static GStrv
wait_for_publishers (Fixture *fixture,
                     guint    count)
{
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (40 * G_USEC_PER_SEC);
  g_autofree char *last_output = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(BeaconTestProcess) list = NULL;
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_auto(GStrv) lines = NULL;
      guint found = 0;

      list = run_cli (fixture, "lister", (const char *[]) {
        "list", "--room", ROOM, "--pin", beacon_test_janus_get_pin (fixture->janus),
        beacon_test_janus_get_wss_url (fixture->janus), NULL });
      assert_exit (list, beacon_test_process_wait_exit (list, 30), 0);
      lines = g_strsplit (beacon_test_process_get_stdout (list), "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (strstr (lines[i], "publisher in room " ROOM) != NULL)
          {
            g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 2);

            g_strv_builder_add (ids, fields[0]);
            found++;
          }
      if (found >= count)
        return g_strv_builder_end (ids);
      g_free (last_output);
      last_output = g_strdup (beacon_test_process_get_stdout (list));
      g_usleep (G_USEC_PER_SEC / 2);
    }
  g_error ("room " ROOM " did not get %u publishers within 40 s; last list:\n%s", count,
           last_output ? last_output : "");
  return NULL;
}

static JsonObject *
read_report (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_watched (Fixture           *fixture,
                BeaconTestProcess *watcher,
                const char        *report_path)
{
  g_autoptr(JsonObject) report = NULL;
  JsonObject *signaling;

  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 90), 0);

  report = read_report (report_path);
  g_assert_false (json_object_get_null_member (report, "first_frame_ms"));
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
  signaling = json_object_get_object_member (report, "signaling");
  g_assert_cmpstr (json_object_get_string_member (signaling, "scheme"), ==, "wss");
  g_assert_cmpstr (json_object_get_string_member (signaling, "trust"), ==, "pinned");
}

static void
test_publish_and_watch (Fixture       *fixture,
                        gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) watcher = NULL;
  g_autofree char *report = NULL;
  g_auto(GStrv) ids = NULL;

  if (fixture->janus == NULL)
    return;

  publisher = start_publisher (fixture, "publisher", test_case->codec, ROOM);
  ids = wait_for_publishers (fixture, 1);

  report = fixture_path (fixture, "watcher.json");
  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--room", ROOM, "--frames", FRAMES, "--timeout", "60", "--report", report,
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_watched (fixture, watcher, report);

  /* The publisher leaves cleanly: SIGTERM, leave, hang up, destroy. */
  beacon_test_process_send_signal (publisher, SIGTERM);
  assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
}

static void
test_streaming (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) watcher = NULL;
  g_autofree char *report = NULL;

  if (fixture->janus == NULL)
    return;

  report = fixture_path (fixture, "watcher.json");
  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--mountpoint", MOUNTPOINT, "--frames", FRAMES, "--timeout", "60",
    "--report", report, "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_watched (fixture, watcher, report);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) list = NULL;
  g_autofree char *publisher_line = NULL;
  g_auto(GStrv) ids = NULL;
  const char *out;

  if (fixture->janus == NULL)
    return;

  publisher = start_publisher (fixture, "camera-one", "vp8", ROOM);
  ids = wait_for_publishers (fixture, 1);

  list = run_cli (fixture, "lister", (const char *[]) {
    "list", "--room", ROOM, "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (list, beacon_test_process_wait_exit (list, 30), 0);
  out = beacon_test_process_get_stdout (list);
  /* "<id>\t<name>\t<description>", one stream a line. */
  g_assert_nonnull (strstr (out, ROOM "\tBeacon test room\tVideoRoom room, 1 participant"));
  g_assert_nonnull (strstr (out, VP8_ONLY_ROOM "\tVP8 only\t"));
  g_assert_nonnull (strstr (out, MOUNTPOINT "\tBeacon test pattern\tStreaming mountpoint"));
  publisher_line = g_strdup_printf ("%s\tcamera-one\tpublisher in room " ROOM, ids[0]);
  g_assert_nonnull (strstr (out, publisher_line));
}

static void
test_choose_feed (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) first = NULL;
  g_autoptr(BeaconTestProcess) second = NULL;
  g_autoptr(BeaconTestProcess) ambiguous = NULL;
  g_autoptr(BeaconTestProcess) chosen = NULL;
  g_autofree char *report = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) ids = NULL;

  if (fixture->janus == NULL)
    return;

  first = start_publisher (fixture, "first", "vp8", ROOM);
  second = start_publisher (fixture, "second", "vp8", ROOM);
  ids = wait_for_publishers (fixture, 2);

  ambiguous = run_cli (fixture, "ambiguous", (const char *[]) {
    "watch", "--room", ROOM, "--frames", "10", "--timeout", "30",
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (ambiguous, beacon_test_process_wait_exit (ambiguous, 40), 1);
  assert_stderr_contains (ambiguous, "room " ROOM " has 2 publishers (ids ");
  assert_stderr_contains (ambiguous, "): choose one with --feed");

  /* A publisher may also be chosen by its display name. */
  {
    g_autoptr(BeaconTestProcess) named = run_cli (fixture, "named", (const char *[]) {
      "watch", "--room", ROOM, "--producer", "second", "--frames", "10", "--timeout", "60",
      "--pin", beacon_test_janus_get_pin (fixture->janus),
      beacon_test_janus_get_wss_url (fixture->janus), NULL });

    assert_exit (named, beacon_test_process_wait_exit (named, 70), 0);
  }

  report = fixture_path (fixture, "chosen.json");
  chosen = run_cli (fixture, "chosen", (const char *[]) {
    "watch", "--room", ROOM, "--feed", ids[1], "--frames", FRAMES, "--timeout", "60",
    "--report", report, "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_watched (fixture, chosen, report);
}

static void
test_no_publisher (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) watcher = NULL;

  if (fixture->janus == NULL)
    return;

  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--room", ROOM, "--frames", "10", "--timeout", "30",
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 40), 1);
  assert_stderr_contains (watcher, "room " ROOM " has no publisher");
}

static void
test_wrong_room (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) watcher = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;

  if (fixture->janus == NULL)
    return;

  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--room", "4321", "--frames", "10", "--timeout", "30",
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 40), 1);
  assert_stderr_contains (watcher, "room 4321 does not exist");

  publisher = run_cli (fixture, "publisher", (const char *[]) {
    "publish", "--room", "4321", "--source", "test", "--width", "320", "--height", "240",
    "--timeout", "30", "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (publisher, beacon_test_process_wait_exit (publisher, 40), 1);
  assert_stderr_contains (publisher, "room 4321 does not exist");
}

static void
test_codec_not_allowed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) publisher = NULL;

  if (fixture->janus == NULL)
    return;

  publisher = run_cli (fixture, "publisher", (const char *[]) {
    "publish", "--room", VP8_ONLY_ROOM, "--source", "test", "--codec", "h264", "--width", "320",
    "--height", "240", "--timeout", "30", "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (publisher, beacon_test_process_wait_exit (publisher, 40), 1);
  assert_stderr_contains (publisher, "codec not allowed in this room");
  assert_stderr_contains (publisher, "room " VP8_ONLY_ROOM " does not accept h264 video");
}

static void
test_no_such_mountpoint (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) watcher = NULL;

  if (fixture->janus == NULL)
    return;

  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--mountpoint", "5", "--frames", "10", "--timeout", "30",
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 40), 1);
  assert_stderr_contains (watcher, "mountpoint 5 does not exist");
}

static void
test_untrusted_certificate (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) unpinned = NULL;
  g_autoptr(BeaconTestProcess) wrong = NULL;
  g_autofree char *wrong_pin = NULL;
  char *digits;

  if (fixture->janus == NULL)
    return;

  unpinned = run_cli (fixture, "unpinned", (const char *[]) {
    "watch", "--room", ROOM, "--frames", "10", "--timeout", "30",
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  /* 5: a security failure. */
  assert_exit (unpinned, beacon_test_process_wait_exit (unpinned, 40), 5);
  assert_stderr_contains (unpinned, "TLS certificate not trusted");

  wrong_pin = g_strdup (beacon_test_janus_get_pin (fixture->janus));
  digits = wrong_pin + strlen ("sha256:");
  digits[0] = digits[0] == 'A' ? 'B' : 'A';
  wrong = run_cli (fixture, "wrong", (const char *[]) {
    "watch", "--room", ROOM, "--frames", "10", "--timeout", "30", "--pin", wrong_pin,
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (wrong, beacon_test_process_wait_exit (wrong, 40), 5);
  assert_stderr_contains (wrong, "TLS certificate not trusted");
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) watcher = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autofree char *url = NULL;

  if (fixture->janus == NULL)
    return;

  /* Janus down: a port where nothing listens. */
  url = g_strdup_printf ("wss://127.0.0.1:%u/", beacon_test_free_port ());
  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--room", ROOM, "--frames", "10", "--timeout", "30", url, NULL });
  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 40), 1);
  assert_stderr_contains (watcher, "connection refused");
  assert_stderr_contains (watcher, url);

  publisher = run_cli (fixture, "publisher", (const char *[]) {
    "publish", "--room", ROOM, "--source", "test", "--width", "320", "--height", "240",
    "--timeout", "30", url, NULL });
  assert_exit (publisher, beacon_test_process_wait_exit (publisher, 40), 1);
  assert_stderr_contains (publisher, "connection refused");
}

static void
wait_first_frame (BeaconTestProcess *watcher)
{
  g_autofree char *line = beacon_test_process_wait_line (watcher, "first-frame-ms: ", 40);

  if (line == NULL)
    g_error ("the watcher decoded no frame\nstdout:\n%s\nstderr:\n%s",
             beacon_test_process_get_stdout (watcher), beacon_test_process_get_stderr (watcher));
}

static void
test_publisher_leaves (Fixture       *fixture,
                       gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) watcher = NULL;
  g_auto(GStrv) ids = NULL;
  gint64 stopped_at;

  if (fixture->janus == NULL)
    return;

  publisher = start_publisher (fixture, "publisher", "vp8", ROOM);
  ids = wait_for_publishers (fixture, 1);
  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--room", ROOM, "--timeout", "120",
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  wait_first_frame (watcher);

  stopped_at = g_get_monotonic_time ();
  if (test_case->kill_hard)
    {
      /* Janus notices the closed WebSocket and drops the publisher itself. */
      beacon_test_process_send_signal (publisher, SIGKILL);
      g_assert_cmpint (beacon_test_process_wait_exit (publisher, 15), ==, 128 + SIGKILL);
    }
  else
    {
      beacon_test_process_send_signal (publisher, SIGTERM);
      assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
    }

  /* Janus tells the subscriber that the feed went away: "broadcast ended", exit 3. */
  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 30), 3);
  assert_stderr_contains (watcher, "broadcast ended");
  g_assert_cmpint ((g_get_monotonic_time () - stopped_at) / G_USEC_PER_SEC, <,
                   beacon_test_scaled_seconds (30));
}

static void
test_janus_killed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) watcher = NULL;
  g_auto(GStrv) ids = NULL;
  gint64 killed_at;
  int status;

  if (fixture->janus == NULL)
    return;

  publisher = start_publisher (fixture, "publisher", "vp8", ROOM);
  ids = wait_for_publishers (fixture, 1);
  watcher = run_cli (fixture, "watcher", (const char *[]) {
    "watch", "--room", ROOM, "--timeout", "120",
    "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  wait_first_frame (watcher);

  killed_at = g_get_monotonic_time ();
  beacon_test_janus_kill (fixture->janus);

  /* The watcher ends (3) or fails (1) with a sentence about the closed connection, long before
   * its own 120 s timeout; it never hangs. */
  status = beacon_test_process_wait_exit (watcher, 30);
  if (status != 3)
    assert_exit (watcher, status, 1);
  assert_stderr_contains (watcher, "closed");
  g_assert_cmpint ((g_get_monotonic_time () - killed_at) / G_USEC_PER_SEC, <,
                   beacon_test_scaled_seconds (30));

  /* The publisher has nobody to send to any more and says so. */
  assert_exit (publisher, beacon_test_process_wait_exit (publisher, 30), 1);
  assert_stderr_contains (publisher, "closed");
}

static void
test_token (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) without = NULL;
  g_autoptr(BeaconTestProcess) with = NULL;
  g_autofree char *token = NULL;

  if (fixture->janus == NULL)
    return;

  without = run_cli (fixture, "without", (const char *[]) {
    "list", "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (without, beacon_test_process_wait_exit (without, 40), 1);
  assert_stderr_contains (without, "unauthorized");
  assert_stderr_contains (without, "--token");

  token = beacon_test_janus_sign_token (BEACON_TEST_JANUS_TOKEN_SECRET);
  with = run_cli (fixture, "with", (const char *[]) {
    "list", "--token", token, "--pin", beacon_test_janus_get_pin (fixture->janus),
    beacon_test_janus_get_wss_url (fixture->janus), NULL });
  assert_exit (with, beacon_test_process_wait_exit (with, 40), 0);
  g_assert_nonnull (strstr (beacon_test_process_get_stdout (with), ROOM "\tBeacon test room"));
  g_assert_nonnull (strstr (beacon_test_process_get_stdout (with), MOUNTPOINT "\t"));
}

/* A hostile server: a wss endpoint on 127.0.0.1 that answers every Janus request with a
 * response whose "data" nests 100 000 levels deep. json-glib 1.6 recursed once per level and
 * crashed the client with a stack overflow; Beacon must refuse the message and say why. No
 * Janus is needed, so this runs without the fixture. */

#define HOSTILE_DEPTH 100000

typedef struct {
  SoupServer              *server;
  SoupWebsocketConnection *connection;
  guint                    answered;
} HostileServer;

static void
hostile_message_cb (SoupWebsocketConnection *connection,
                    int                      type,
                    GBytes                  *payload,
                    gpointer                 user_data)
{
  HostileServer *hostile = user_data;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  const char *transaction;

  /* Beacon's own request is small and trusted here. */
  request = json_from_string (text, NULL);
  g_assert_nonnull (request);
  transaction = json_object_get_string_member_with_default (json_node_get_object (request),
                                                            "transaction", "");
  g_string_append_printf (answer, "{\"janus\":\"success\",\"transaction\":\"%s\",\"data\":",
                          transaction);
  for (guint i = 0; i < HOSTILE_DEPTH; i++)
    g_string_append_c (answer, '[');
  for (guint i = 0; i < HOSTILE_DEPTH; i++)
    g_string_append_c (answer, ']');
  g_string_append_c (answer, '}');
  soup_websocket_connection_send_text (connection, answer->str);
  hostile->answered++;
}

static void
hostile_connected_cb (SoupServer              *server,
                      SoupServerMessage       *message,
                      const char              *path,
                      SoupWebsocketConnection *connection,
                      gpointer                 user_data)
{
  HostileServer *hostile = user_data;

  g_clear_object (&hostile->connection);
  hostile->connection = g_object_ref (connection);
  g_signal_connect (connection, "message", G_CALLBACK (hostile_message_cb), hostile);
}

static void
test_hostile_deep_nesting (void)
{
  const char *protocols[] = { "janus-protocol", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *identity_dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *url = NULL;
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(BeaconTestProcess) watcher = NULL;
  HostileServer hostile = { NULL };
  GSList *uris;

  dir = g_dir_make_tmp ("beacon-janus-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  identity_dir = g_build_filename (dir, "server", NULL);
  data_dir = g_build_filename (dir, "watcher", NULL);

  identity = beacon_identity_load_or_create (identity_dir, &error);
  g_assert_no_error (error);
  pin = beacon_fingerprint_format_pin (beacon_identity_get_fingerprint (identity));
  hostile.server = soup_server_new ("tls-certificate",
                                    beacon_identity_get_tls_certificate (identity), NULL);
  soup_server_add_websocket_handler (hostile.server, "/", NULL, (char **) protocols,
                                     hostile_connected_cb, &hostile, NULL);
  soup_server_listen (hostile.server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (hostile.server);
  url = g_strdup_printf ("wss://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  watcher = beacon_test_process_start (data_dir, (const char *[]) {
    "watch", "--dialect", "janus", "--room", ROOM, "--frames", "10", "--timeout", "30",
    "--pin", pin, url, NULL });
  assert_exit (watcher, beacon_test_process_wait_exit (watcher, 40), 1);
  g_assert_cmpuint (hostile.answered, >=, 1);
  assert_stderr_contains (watcher, "nests deeper than 32 levels");
  assert_stderr_contains (watcher, url);

  if (hostile.connection != NULL
      && soup_websocket_connection_get_state (hostile.connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (hostile.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&hostile.connection);
  soup_server_disconnect (hostile.server);
  g_clear_object (&hostile.server);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/beacon/janus/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("publish-watch-vp8", &vp8_case, test_publish_and_watch);
  ADD ("publish-watch-h264", &h264_case, test_publish_and_watch);
  ADD ("streaming-mountpoint", &vp8_case, test_streaming);
  ADD ("list", &vp8_case, test_list);
  ADD ("choose-feed", &vp8_case, test_choose_feed);
  ADD ("no-publisher", &vp8_case, test_no_publisher);
  ADD ("wrong-room", &vp8_case, test_wrong_room);
  ADD ("no-such-mountpoint", &vp8_case, test_no_such_mountpoint);
  ADD ("untrusted-certificate", &vp8_case, test_untrusted_certificate);
  ADD ("connection-refused", &vp8_case, test_connection_refused);
  ADD ("publisher-leaves", &vp8_case, test_publisher_leaves);
  ADD ("publisher-killed", &killed_case, test_publisher_leaves);
  ADD ("janus-killed", &vp8_case, test_janus_killed);
  ADD ("token", &token_case, test_token);
  ADD ("codec-not-allowed", &vp8_case, test_codec_not_allowed);
  g_test_add_func ("/beacon/janus/hostile/deep-nesting", test_hostile_deep_nesting);

  return g_test_run ();
}

/* test-whip-direct.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WHEP viewers and WHIP publishers against `beacon-cli serve`: watching, the server's own
 * offer, errors, and WHIP ingest with and without a token.
 */

#include "config.h"

#include "beacon-test-child.h"
#include "beacon-test-whip-fixture.h"

/* Beacon's own direct server */

typedef struct {
  BeaconTestProcess *server;
  guint              port;
  char              *pin;      /* "sha256:AB:…" */
  char              *link;     /* nullable: the watch: link */
  char              *report;   /* nullable: the server's --report file */
} Broadcast;

static void
broadcast_start (Broadcast  *broadcast,
                 const char *name)
{
  g_autofree char *dir = data_dir ("broadcaster");
  g_autofree char *link = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) fragment = NULL;

  broadcast->server = beacon_test_process_start (dir, (const char *[]) {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--codec", "vp8",
    "--width", "320", "--height", "240", "--ice-address", "127.0.0.1", "--name", name, NULL });
  link = beacon_test_process_wait_line (broadcast->server, "watch: ", 30);
  if (link == NULL)
    g_error ("beacon-cli serve printed no link; stderr:\n%s",
             beacon_test_process_get_stderr (broadcast->server));
  uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  broadcast->port = g_uri_get_port (uri);
  /* The link's fragment: pin=sha256:…[&producer=…] */
  g_assert_nonnull (g_uri_get_fragment (uri));
  fragment = g_strsplit (g_uri_get_fragment (uri), "&", -1);
  for (guint i = 0; fragment[i] != NULL; i++)
    if (g_str_has_prefix (fragment[i], "pin="))
      broadcast->pin = g_strdup (fragment[i] + strlen ("pin="));
  g_assert_nonnull (broadcast->pin);
}

static void
broadcast_stop (Broadcast *broadcast)
{
  beacon_test_process_send_signal (broadcast->server, SIGTERM);
  beacon_test_assert_exit (broadcast->server,
                           beacon_test_process_wait_exit (broadcast->server, 15), 0);
  g_clear_pointer (&broadcast->server, beacon_test_process_free);
  g_clear_pointer (&broadcast->pin, g_free);
  g_clear_pointer (&broadcast->link, g_free);
  g_clear_pointer (&broadcast->report, g_free);
}

static void
test_direct_whep (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("whep-viewer");
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *signaling;
  JsonObject *ice;

  broadcast_start (&broadcast, "Kitchen");
  url = g_strdup_printf ("https://127.0.0.1:%u/whep/Kitchen", broadcast.port);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--frames", "60", "--timeout", "60",
    "--report", report_path, "--ice-address", "127.0.0.1", url, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);

  report = beacon_test_read_json (report_path);
  g_assert_false (json_object_get_null_member (report, "first_frame_ms"));
  g_test_message ("WHEP first frame after %" G_GINT64_FORMAT " ms",
                  json_object_get_int_member (report, "first_frame_ms"));
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
  signaling = json_object_get_object_member (report, "signaling");
  g_assert_cmpstr (json_object_get_string_member (signaling, "url"), ==, url);
  g_assert_cmpstr (json_object_get_string_member (signaling, "scheme"), ==, "https");
  g_assert_cmpstr (json_object_get_string_member (signaling, "trust"), ==, "pinned");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                 "verified"));
  ice = json_object_get_object_member (report, "ice");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (ice, "local_candidate"),
                                   "host udp 127.0.0.1:"));

  /* The viewer's DELETE ended its session at the broadcaster. */
  if (!g_strrstr (beacon_test_process_get_stderr (broadcast.server), "viewer left"))
    {
      gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (5 * G_USEC_PER_SEC);

      while (!g_strrstr (beacon_test_process_get_stderr (broadcast.server), "viewer left") &&
             g_get_monotonic_time () < deadline)
        iterate_for (100);
    }
  assert_stderr_contains (broadcast.server, "viewer left");
  broadcast_stop (&broadcast);
}

/* A WHEP server may refuse the viewer's offer and answer 406 Not Acceptable with its own offer
 * and a Location, where the viewer PATCHes its answer. The direct server does so with its test
 * hook; the viewer must drop the webrtcbin that made the refused offer and answer with a new
 * one. */
static void
test_direct_whep_server_offers (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("whep-server-offers");
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *dtls;
  JsonArray *peers;

  /* Only the broadcaster inherits the hook. */
  g_setenv ("BEACON_DIRECT_SERVER_WHEP_OFFER", "server", TRUE);
  broadcast_start (&broadcast, "Kitchen");
  g_unsetenv ("BEACON_DIRECT_SERVER_WHEP_OFFER");
  assert_stderr_contains (broadcast.server, "BEACON_DIRECT_SERVER_WHEP_OFFER=server");

  url = g_strdup_printf ("https://127.0.0.1:%u/whep", broadcast.port);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--frames", "30", "--timeout", "40",
    "--ice-address", "127.0.0.1", "--report", report_path, url, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 0);

  report = beacon_test_read_json (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 30);
  dtls = json_object_get_object_member (report, "dtls");
  g_test_message ("viewer's DTLS role: %s", json_object_get_string_member (dtls, "role"));
  g_assert_true (json_object_get_boolean_member (dtls, "verified"));
  /* The viewer answered: the broadcaster's offer said actpass, so the answerer (the viewer)
   * chose to be the DTLS client. When the viewer offers, it is the server. */
  g_assert_cmpstr (json_object_get_string_member (dtls, "role"), ==, "client");
  /* Only the peer that answered is left, not the one whose offer was refused. */
  peers = json_object_get_array_member (report, "peers");
  g_assert_cmpuint (json_array_get_length (peers), ==, 1);

  broadcast_stop (&broadcast);
}

static void
test_direct_errors (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("whep-errors");
  g_autofree char *nobody = NULL;
  g_autofree char *whep = NULL;
  g_autofree char *whip = NULL;
  g_autoptr(BeaconTestProcess) unknown = NULL;
  g_autoptr(BeaconTestProcess) unpinned = NULL;
  g_autoptr(BeaconTestProcess) ingest = NULL;

  broadcast_start (&broadcast, "Kitchen");

  /* No such broadcast: 404, named in the message. */
  nobody = g_strdup_printf ("https://127.0.0.1:%u/whep/Nobody", broadcast.port);
  unknown = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--timeout", "30",
    "--ice-address", "127.0.0.1", nobody, NULL });
  beacon_test_assert_exit (unknown, beacon_test_process_wait_exit (unknown, 40), 1);
  assert_stderr_contains (unknown, "no WHEP endpoint at");
  assert_stderr_contains (unknown, "no broadcast named 'Nobody'");

  /* The direct server's certificate is self-signed: without the pin it is not trusted. */
  whep = g_strdup_printf ("https://127.0.0.1:%u/whep", broadcast.port);
  unpinned = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--timeout", "30", "--ice-address", "127.0.0.1", whep, NULL });
  beacon_test_assert_exit (unpinned, beacon_test_process_wait_exit (unpinned, 40), 5);
  assert_stderr_contains (unpinned, "not trusted");

  /* WHIP ingest: 501, with the reason. */
  whip = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);
  ingest = start_publish ("ingest", whip, "127.0.0.1", "--pin", broadcast.pin, NULL);
  beacon_test_assert_exit (ingest, beacon_test_process_wait_exit (ingest, 40), 1);
  assert_stderr_contains (ingest, "HTTP 501 Not Implemented");
  assert_stderr_contains (ingest, "not a media server");

  broadcast_stop (&broadcast);
}

/* WHIP ingest into Beacon's own server: `serve --source whip` */

/* @token: the --whip-token to give; NULL for --whip-open; "" for neither (a token is made
 * up and printed). */
static void
ingest_start (Broadcast  *broadcast,
              const char *name,
              const char *token)
{
  g_autofree char *dir = data_dir (name);
  g_autofree char *report = g_build_filename (dir, "server.json", NULL);
  g_autofree char *link = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *argv[] = {
    "serve", "--source", "whip", "--bind", "127.0.0.1", "--port", "0", "--width", "320",
    "--height", "240", "--ice-address", "127.0.0.1", "--report", report,
    token == NULL ? "--whip-open" : token[0] != '\0' ? "--whip-token" : NULL,
    token != NULL && token[0] != '\0' ? token : NULL, NULL };

  broadcast->server = beacon_test_process_start (dir, argv);
  link = beacon_test_process_wait_line (broadcast->server, "watch: ", 30);
  if (link == NULL)
    g_error ("beacon-cli serve --source whip printed no link; stderr:\n%s",
             beacon_test_process_get_stderr (broadcast->server));
  uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  broadcast->port = g_uri_get_port (uri);
  g_assert_true (g_str_has_prefix (g_uri_get_fragment (uri), "pin="));
  broadcast->pin = g_strndup (g_uri_get_fragment (uri) + strlen ("pin="),
                              strcspn (g_uri_get_fragment (uri) + strlen ("pin="), "&"));
  broadcast->link = g_steal_pointer (&link);
  broadcast->report = g_steal_pointer (&report);
}

static void
wait_stderr_contains (BeaconTestProcess *process,
                      const char        *text,
                      guint              timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);

  while (strstr (beacon_test_process_get_stderr (process), text) == NULL &&
         g_get_monotonic_time () < deadline)
    iterate_for (100);
  assert_stderr_contains (process, text);
}

/* Frames of WHIP publishers that went on to the encoder, from the report the server writes
 * as it stops. */
static gint64
ingest_frames (Broadcast *broadcast)
{
  g_autoptr(JsonObject) report = beacon_test_read_json (broadcast->report);

  return json_object_get_int_member (json_object_get_object_member (report, "ingest"), "frames");
}

/* A WHIP publisher's picture replaces the placeholder, and a viewer of the normal link gets
 * it; a second publisher is turned away while the first sends; the placeholder comes back
 * when the publisher leaves, with the broadcast still on the air. */
static void
test_direct_whip_ingest (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("ingest-viewer");
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *whip = NULL;
  g_autofree char *live = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) second = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(BeaconTestProcess) late_viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  const char *server_log;
  gint64 frames;

  ingest_start (&broadcast, "ingest-broadcaster", NULL);
  whip = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);

  publisher = start_publish ("ingest-publisher", whip, "127.0.0.1", "--pin", broadcast.pin,
                             NULL);
  live = beacon_test_process_wait_line (publisher, "live", 30);
  if (live == NULL)
    g_error ("the WHIP publisher never went live; publisher:\n%s\nserver:\n%s",
             beacon_test_process_get_stderr (publisher),
             beacon_test_process_get_stderr (broadcast.server));
  wait_stderr_contains (broadcast.server, "whip ingest: the publisher's video is on the air", 20);

  /* One publisher at a time. */
  second = start_publish ("ingest-second", whip, "127.0.0.1", "--pin", broadcast.pin, NULL);
  beacon_test_assert_exit (second, beacon_test_process_wait_exit (second, 40), 1);
  assert_stderr_contains (second, "HTTP 409 Conflict");
  assert_stderr_contains (second, "another WHIP publisher is already sending");

  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--frames", "60", "--timeout", "60", "--ice-address", "127.0.0.1",
    "--report", report_path, broadcast.link, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);
  report = beacon_test_read_json (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                 "verified"));
  /* The publisher was still on the air for the whole watch: what the viewer decoded was the
   * publisher's picture, not the placeholder. */
  server_log = beacon_test_process_get_stderr (broadcast.server);
  g_assert_null (strstr (server_log, "WHIP publisher left"));
  g_assert_nonnull (strstr (server_log, "WHIP publisher connected"));

  /* DELETE (the publisher stops) brings the placeholder back; viewers can still watch. */
  beacon_test_process_send_signal (publisher, SIGINT);
  beacon_test_assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
  wait_stderr_contains (broadcast.server, "WHIP publisher left", 10);
  late_viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--frames", "30", "--timeout", "40", "--ice-address", "127.0.0.1",
    broadcast.link, NULL });
  beacon_test_assert_exit (late_viewer, beacon_test_process_wait_exit (late_viewer, 60), 0);

  /* Frames of the publisher that went on to the encoder, printed when the server stops: the
   * publisher sent for longer than the 60 frames the viewer needed. */
  beacon_test_process_send_signal (broadcast.server, SIGTERM);
  beacon_test_assert_exit (broadcast.server,
                           beacon_test_process_wait_exit (broadcast.server, 15), 0);
  frames = ingest_frames (&broadcast);
  g_test_message ("whip ingest: %" G_GINT64_FORMAT " frames", frames);
  g_assert_cmpint (frames, >=, 60);
  g_clear_pointer (&broadcast.server, beacon_test_process_free);
  g_clear_pointer (&broadcast.pin, g_free);
  g_clear_pointer (&broadcast.link, g_free);
  g_clear_pointer (&broadcast.report, g_free);
}

/* --whip-token: no token or a wrong one is refused (401), the right one publishes. */
static void
test_direct_whip_ingest_token (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *whip = NULL;
  g_autofree char *live = NULL;
  g_autoptr(BeaconTestProcess) wrong = NULL;
  g_autoptr(BeaconTestProcess) none = NULL;
  g_autoptr(BeaconTestProcess) right = NULL;

  ingest_start (&broadcast, "ingest-token-broadcaster", "s3cret");
  whip = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);

  wrong = start_publish ("ingest-wrong", whip, "127.0.0.1", "--pin", broadcast.pin,
                         "--token", "guess", NULL);
  beacon_test_assert_exit (wrong, beacon_test_process_wait_exit (wrong, 40), 1);
  assert_stderr_contains (wrong, "the server refused the token");
  assert_stderr_contains (wrong, "HTTP 401");

  none = start_publish ("ingest-none", whip, "127.0.0.1", "--pin", broadcast.pin, NULL);
  beacon_test_assert_exit (none, beacon_test_process_wait_exit (none, 40), 1);
  assert_stderr_contains (none, "the server requires a token");

  right = start_publish ("ingest-right", whip, "127.0.0.1", "--pin", broadcast.pin,
                         "--token", "s3cret", NULL);
  live = beacon_test_process_wait_line (right, "live", 30);
  if (live == NULL)
    g_error ("the WHIP publisher with the right token never went live:\n%s",
             beacon_test_process_get_stderr (right));
  beacon_test_process_send_signal (right, SIGINT);
  beacon_test_assert_exit (right, beacon_test_process_wait_exit (right, 15), 0);
  broadcast_stop (&broadcast);
}

/* Without --whip-token or --whip-open, the ingest is not open: serve makes a token up and
 * prints it with the WHIP URL; only that token publishes. */
static void
test_direct_whip_ingest_generated_token (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *whip = NULL;
  g_autofree char *token = NULL;
  g_autofree char *live = NULL;
  g_autoptr(BeaconTestProcess) none = NULL;
  g_autoptr(BeaconTestProcess) right = NULL;

  ingest_start (&broadcast, "ingest-generated-broadcaster", "");
  whip = beacon_test_process_wait_line (broadcast.server, "whip: ", 10);
  token = beacon_test_process_wait_line (broadcast.server, "whip-token: ", 10);
  g_assert_nonnull (whip);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), ==, 32);
  g_assert_true (strspn (token, "0123456789abcdef") == 32);
  {
    g_autofree char *expected = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);

    g_assert_cmpstr (whip, ==, expected);
  }

  none = start_publish ("ingest-generated-none", whip, "127.0.0.1", "--pin", broadcast.pin,
                        NULL);
  beacon_test_assert_exit (none, beacon_test_process_wait_exit (none, 40), 1);
  assert_stderr_contains (none, "the server requires a token");

  right = start_publish ("ingest-generated-right", whip, "127.0.0.1", "--pin", broadcast.pin,
                         "--token", token, NULL);
  live = beacon_test_process_wait_line (right, "live", 30);
  if (live == NULL)
    g_error ("the WHIP publisher with the printed token never went live:\n%s",
             beacon_test_process_get_stderr (right));
  beacon_test_process_send_signal (right, SIGINT);
  beacon_test_assert_exit (right, beacon_test_process_wait_exit (right, 15), 0);
  broadcast_stop (&broadcast);
}

int
main (int   argc,
      char *argv[])
{
  whip_test_init (&argc, &argv);

  g_test_add_func ("/beacon/whip/direct/whep", test_direct_whep);
  g_test_add_func ("/beacon/whip/direct/whep-server-offers", test_direct_whep_server_offers);
  g_test_add_func ("/beacon/whip/direct/errors", test_direct_errors);
  g_test_add_func ("/beacon/whip/direct/ingest", test_direct_whip_ingest);
  g_test_add_func ("/beacon/whip/direct/ingest-token", test_direct_whip_ingest_token);
  g_test_add_func ("/beacon/whip/direct/ingest-generated-token",
                   test_direct_whip_ingest_generated_token);

  return whip_test_run ();
}

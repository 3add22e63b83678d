/* test-security.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connection security end to end with real TLS and DTLS: verified identities and matching short
 * authentication strings, an intercepting signaling relay that swaps the certificate
 * fingerprint, certificate pinning of the signaling channel, unencrypted signaling, and trust
 * on first use of the broadcaster's identity.
 */

#include <json-glib/json-glib.h>
#include <signal.h>

#include "beacon-test-child.h"
#include "beacon-test-gst-server.h"
#include "beacon-test-process.h"
#include "beacon-test-relay.h"
#include "beacon-test-serve-fixture.h"

enum { EXIT_SECURITY = 5 };

typedef BeaconTestServeFixture Fixture;

#define fixture_path beacon_test_serve_fixture_path
#define fixture_tear_down beacon_test_serve_fixture_tear_down
#define read_report beacon_test_serve_fixture_read_report

static void
start_server (Fixture *fixture)
{
  g_autofree char *report = fixture_path (fixture, "server.json");
  g_autofree char *port = g_strdup_printf ("%u", fixture->port);
  const char *argv[] = {
    "serve", "--bind", "127.0.0.1", "--port", port, "--source", "test", "--width", "320",
    "--height", "240", "--ice-address", "127.0.0.1", "--report", report, NULL
  };

  beacon_test_serve_fixture_start_server (fixture, argv);
}

static void
stop_server (Fixture *fixture)
{
  beacon_test_process_send_signal (fixture->server, SIGTERM);
  beacon_test_assert_exit (fixture->server, beacon_test_process_wait_exit (fixture->server, 15), 0);
  g_clear_pointer (&fixture->server, beacon_test_process_free);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  beacon_test_serve_fixture_init (fixture, "security");
  /* A fixed port, so that a restarted server is "the same server" for pinning. */
  fixture->port = beacon_test_free_port ();
  start_server (fixture);
}

/* Runs `beacon-cli watch LINK` with the viewer's own data directory @name and a report in
 * @name.json; extra arguments follow. */
static BeaconTestProcess *
start_viewer (Fixture     *fixture,
              const char  *name,
              const char  *link,
              const char  *frames,
              const char  *extra)
{
  const char *arguments[] = { "--timeout", "45", "--frames", frames, extra, NULL };

  return beacon_test_serve_fixture_start_viewer (fixture, name, link, arguments);
}

static char *
identity_of (Fixture    *fixture,
             const char *name)
{
  g_autofree char *data_dir = fixture_path (fixture, name);
  g_autoptr(BeaconTestProcess) process =
    beacon_test_process_start (data_dir, (const char *[]) { "identity", NULL });
  char *line;

  beacon_test_assert_exit (process, beacon_test_process_wait_exit (process, 20), 0);
  line = g_strstrip (g_strdup (beacon_test_process_get_stdout (process)));
  g_assert_true (g_str_has_prefix (line, "sha256:"));
  return line;
}

static const char *
member_string (JsonObject *object,
               const char *section,
               const char *member)
{
  return json_object_get_string_member (json_object_get_object_member (object, section), member);
}

/* The broadcaster's report while the viewer is connected: its verified peer. */
static JsonObject *
wait_server_peer (Fixture *fixture)
{
  g_autofree char *path = fixture_path (fixture, "server.json");
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (30 * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;
      gboolean never = FALSE;

      if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, "\"verified\" : true"))
        {
          g_autoptr(JsonObject) report = beacon_test_read_json (path);
          JsonArray *peers = json_object_get_array_member (report, "peers");

          for (guint i = 0; i < json_array_get_length (peers); i++)
            {
              JsonObject *peer = json_array_get_object_element (peers, i);

              if (json_object_get_boolean_member (json_object_get_object_member (peer, "dtls"),
                                                  "verified"))
                return json_object_ref (peer);
            }
        }
      beacon_test_wait_until (&never, 1);
    }
  g_error ("the broadcaster's report never showed a verified viewer");
  return NULL;
}

static void
test_honest_session (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "150", NULL);
  g_autoptr(JsonObject) server_peer = wait_server_peer (fixture);
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *viewer_identity = NULL;
  g_autofree char *server_identity = NULL;
  g_autofree char *viewer_fp = NULL;
  g_autofree char *server_fp = NULL;
  JsonObject *dtls, *srtp, *ice, *signaling;

  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 0);
  report = read_report (fixture, "viewer");

  viewer_identity = identity_of (fixture, "viewer");
  server_identity = identity_of (fixture, "server");
  viewer_fp = g_strconcat ("sha-256 ", viewer_identity + strlen ("sha256:"), NULL);
  server_fp = g_strconcat ("sha-256 ", server_identity + strlen ("sha256:"), NULL);

  dtls = json_object_get_object_member (report, "dtls");
  g_assert_true (json_object_get_boolean_member (dtls, "verified"));
  g_assert_cmpstr (json_object_get_string_member (dtls, "state"), ==, "connected");
  g_assert_cmpstr (json_object_get_string_member (dtls, "local_fingerprint"), ==, viewer_fp);
  g_assert_cmpstr (json_object_get_string_member (dtls, "announced_fingerprint"), ==, server_fp);
  g_assert_cmpstr (json_object_get_string_member (dtls, "presented_fingerprint"), ==, server_fp);
  g_assert_nonnull (json_object_get_string_member (dtls, "role"));
  /* The media comes from the identity the link names, not only from whoever answered. */
  g_assert_true (json_object_get_boolean_member (dtls, "bound_to_link"));
  g_assert_cmpstr (json_object_get_string_member (dtls, "link_identity"), ==,
                   server_identity + strlen ("sha256:"));

  /* The broadcaster saw the viewer's identity, and both computed the same words. */
  g_assert_cmpstr (member_string (server_peer, "dtls", "presented_fingerprint"), ==, viewer_fp);
  g_assert_cmpstr (member_string (server_peer, "dtls", "local_fingerprint"), ==, server_fp);
  g_assert_nonnull (json_object_get_string_member (report, "sas"));
  g_assert_cmpstr (json_object_get_string_member (report, "sas"), ==,
                   json_object_get_string_member (server_peer, "sas"));

  srtp = json_object_get_object_member (report, "srtp");
  g_assert_cmpstr (json_object_get_string_member (srtp, "profile"), ==, "AES_CM_128_HMAC_SHA1_80");
  g_assert_cmpstr (json_object_get_string_member (srtp, "dtls_version"), ==, "not exposed");
  ice = json_object_get_object_member (report, "ice");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (ice, "local_candidate"),
                                   "host udp 127.0.0.1:"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (ice, "remote_candidate"),
                                   "host udp 127.0.0.1:"));

  signaling = json_object_get_object_member (report, "signaling");
  g_assert_cmpstr (json_object_get_string_member (signaling, "trust"), ==, "pinned");
  g_assert_cmpstr (member_string (signaling, "certificate", "sha256"), ==,
                   server_identity + strlen ("sha256:"));
  g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "new");
  g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "secure");
}

static void
test_intercepting_relay (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *relay_dir = fixture_path (fixture, "relay");
  g_autoptr(BeaconTestRelay) relay = beacon_test_relay_new (fixture->url, NULL, TRUE, BEACON_TEST_RELAY_SWAP_FINGERPRINT,
                                                            relay_dir);
  g_autofree char *link = beacon_test_relay_dup_link (relay);
  /* As on a server where anyone may publish (no link binding), so that the check under test
   * is the DTLS certificate against the SDP. */
  g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "victim", link, "30",
                                                      "--dialect=gst");
  g_autoptr(JsonObject) report = NULL;

  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), EXIT_SECURITY);
  g_assert_cmpuint (beacon_test_relay_get_rewrites (relay), >, 0);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer),
                            "does not match the one announced during signaling — someone may be "
                            "intercepting this connection"));
  g_assert_null (strstr (beacon_test_process_get_stdout (viewer), "first-frame-ms"));

  report = read_report (fixture, "victim");
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "insecure");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                  "verified"));
  g_assert_cmpstr (json_object_get_string_member (report, "state"), ==, "failed");

  /* The relay hands out its own link: with it, the pin names the relay, and the broadcaster's
   * media is refused before any packet, because it does not come from the identity the link
   * names. */
  {
    g_autoptr(BeaconTestProcess) direct_viewer = start_viewer (fixture, "victim-direct", link,
                                                               "30", NULL);

    beacon_test_assert_exit (direct_viewer, beacon_test_process_wait_exit (direct_viewer, 60),
                             EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (direct_viewer),
                              "not from the broadcaster the link names"));
  }
}

/* A relay that swaps the certificate fingerprints in both directions: the broadcaster sees
 * the swap too and may end the session before the viewer's own check has run. The viewer must
 * still report the interception (exit 5), never "broadcast ended" — on every run. */
static void
test_intercepting_relay_both_ways (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *relay_dir = fixture_path (fixture, "relay");
  g_autoptr(BeaconTestRelay) relay = beacon_test_relay_new (fixture->url, NULL, TRUE,
                                                            BEACON_TEST_RELAY_SWAP_BOTH_WAYS,
                                                            relay_dir);
  g_autofree char *link = beacon_test_relay_dup_link (relay);
  const guint runs = 5;

  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *name = g_strdup_printf ("victim-%u", i);
      g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, name, link, "30",
                                                          "--dialect=gst");
      int status = beacon_test_process_wait_exit (viewer, 60);

      if (status != EXIT_SECURITY ||
          strstr (beacon_test_process_get_stderr (viewer),
                  "someone may be intercepting this connection") == NULL)
        g_error ("run %u of %u: exit %d, stderr:\n%s", i + 1, runs, status,
                 beacon_test_process_get_stderr (viewer));
    }
}

/* Another user, with an identity of their own, tries to publish on the broadcaster's direct
 * server under the broadcast's name: refused, and viewers of the genuine link still get the
 * genuine broadcast. */
static void
test_rogue_producer_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *rogue_dir = fixture_path (fixture, "rogue");
  g_autofree char *server_url = g_strndup (fixture->url, strcspn (fixture->url, "#"));
  const char *pin = strstr (fixture->url, "pin=") + strlen ("pin=");
  g_autofree char *pin_value = g_strndup (pin, strcspn (pin, "&"));
  g_autofree char *server_identity = identity_of (fixture, "server");
  g_autoptr(BeaconTestProcess) rogue = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *dtls;

  rogue = beacon_test_process_start (rogue_dir, (const char *[]) {
    "publish", "--dialect", "gst", "--name", "Beacon", "--pin", pin_value, "--source", "test",
    "--width", "320", "--height", "240", "--ice-address", "127.0.0.1", server_url, NULL });
  beacon_test_assert_exit (rogue, beacon_test_process_wait_exit (rogue, 30), 1);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (rogue),
                            "only the broadcaster that runs this server can publish on it"));
  g_assert_null (strstr (beacon_test_process_get_stdout (rogue), "live"));

  viewer = start_viewer (fixture, "viewer", fixture->url, "20", NULL);
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 0);
  report = read_report (fixture, "viewer");
  dtls = json_object_get_object_member (report, "dtls");
  g_assert_cmpstr (json_object_get_string_member (dtls, "presented_fingerprint")
                     + strlen ("sha-256 "), ==, server_identity + strlen ("sha256:"));
  g_assert_true (json_object_get_boolean_member (dtls, "bound_to_link"));
}

static void
assert_refused_as_not_the_link (BeaconTestProcess *viewer,
                                int                status,
                                JsonObject        *report)
{
  beacon_test_assert_exit (viewer, status, EXIT_SECURITY);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer),
                            "not from the broadcaster the link names"));
  g_assert_null (strstr (beacon_test_process_get_stdout (viewer), "first-frame-ms"));
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "insecure");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                  "bound_to_link"));
}

/* The server of a link lets someone else produce (its operator handed out a token, or it was
 * compromised): the link's pin still matches the server's TLS certificate, but the media
 * comes from another identity. A viewer of the direct link, over the GStreamer protocol and
 * over WHEP, refuses it: the pin binds the media, not only the server. */
static void
test_media_bound_to_link (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *server_dir = fixture_path (fixture, "open-server");
  g_autofree char *rogue_dir = fixture_path (fixture, "rogue");
  g_autoptr(BeaconTestGstServer) server = beacon_test_gst_server_new (server_dir, TRUE);
  g_autofree char *whep_url = g_strdup_printf ("https://%swhep", server->url + strlen ("wss://"));
  g_autoptr(BeaconTestProcess) rogue = NULL;
  g_autofree char *live = NULL;

  rogue = beacon_test_process_start (rogue_dir, (const char *[]) {
    "publish", "--dialect", "gst", "--pin", server->pin, "--token", server->token,
    "--source", "test", "--width", "320", "--height", "240", "--ice-address", "127.0.0.1",
    server->url, NULL });
  live = beacon_test_process_wait_line (rogue, "live", 30);
  g_assert_nonnull (live);

  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", server->link, "20",
                                                        NULL);
    g_autoptr(JsonObject) report = NULL;

    int status = beacon_test_process_wait_exit (viewer, 60);

    report = read_report (fixture, "viewer");
    assert_refused_as_not_the_link (viewer, status, report);
  }
  {
    g_autofree char *data_dir = fixture_path (fixture, "whep-viewer");
    g_autofree char *report_path = fixture_path (fixture, "whep-viewer.json");
    g_autoptr(BeaconTestProcess) viewer = beacon_test_process_start (data_dir, (const char *[]) {
      "watch", "--dialect", "whep", "--pin", server->pin, "--ice-address", "127.0.0.1",
      "--timeout", "45", "--report", report_path, "--frames", "20", whep_url, NULL });
    g_autoptr(JsonObject) report = NULL;

    int status = beacon_test_process_wait_exit (viewer, 60);

    report = read_report (fixture, "whep-viewer");
    assert_refused_as_not_the_link (viewer, status, report);
  }
  beacon_test_process_send_signal (rogue, SIGINT);
  beacon_test_assert_exit (rogue, beacon_test_process_wait_exit (rogue, 15), 0);
}

/* Hostile signaling: each kind of damage gives its own clear error, never a hang. */
typedef struct {
  BeaconTestRelayMode mode;
  int                 status;
  const char         *message;
} HostileCase;

static const HostileCase strip_fingerprint = {
  BEACON_TEST_RELAY_STRIP_FINGERPRINT, EXIT_SECURITY, "announces no certificate fingerprint"
};
static const HostileCase garble_sdp = {
  BEACON_TEST_RELAY_GARBLE_SDP, 1, "the remote description is not SDP"
};
static const HostileCase break_json = {
  BEACON_TEST_RELAY_BREAK_JSON, 1, "sent a message Beacon does not understand"
};

static void
test_hostile_signaling (Fixture       *fixture,
                        gconstpointer  data)
{
  const HostileCase *hostile = data;
  g_autofree char *relay_dir = fixture_path (fixture, "relay");
  g_autoptr(BeaconTestRelay) relay = beacon_test_relay_new (fixture->url, NULL, TRUE,
                                                            hostile->mode, relay_dir);
  g_autofree char *link = beacon_test_relay_dup_link (relay);
  g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", link, "10", NULL);

  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 50), hostile->status);
  g_assert_cmpuint (beacon_test_relay_get_rewrites (relay), >, 0);
  if (strstr (beacon_test_process_get_stderr (viewer), hostile->message) == NULL)
    g_error ("'%s' does not say '%s'", beacon_test_process_get_stderr (viewer), hostile->message);
}

static void
test_signaling_trust (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *without_pin = g_strndup (fixture->url, strchr (fixture->url, '#') - fixture->url);
  g_autofree char *pin = g_strdup (strstr (fixture->url, "pin=") + strlen ("pin="));
  g_autofree char *wrong_pin = g_strdup (pin);
  g_autofree char *ws_url = g_strdup_printf ("ws://127.0.0.1:%u/", fixture->port);

  wrong_pin[strlen ("sha256:")] = wrong_pin[strlen ("sha256:")] == 'A' ? 'B' : 'A';

  /* Self-signed without a pin: refused. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "a", without_pin, "10", NULL);

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "TLS certificate not trusted"));
  }
  /* With the right pin on the command line: trusted as pinned. */
  {
    g_autofree char *option = g_strconcat ("--pin=", pin, NULL);
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "b", without_pin, "10", option);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "b");
    g_assert_cmpstr (member_string (report, "signaling", "trust"), ==, "pinned");
  }
  /* With a wrong pin: refused. */
  {
    g_autofree char *option = g_strconcat ("--pin=", wrong_pin, NULL);
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "c", without_pin, "10", option);

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "TLS certificate not trusted"));
  }
  /* Plain ws:// without the flag: refused before connecting. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "d", ws_url, "10", NULL);

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer),
                              "refusing unencrypted signaling"));
  }
  /* With the flag, through a plain relay: it works, and it is reported as insecure. */
  {
    g_autoptr(BeaconTestRelay) relay = beacon_test_relay_new (fixture->url, NULL, FALSE, BEACON_TEST_RELAY_FORWARD, NULL);
    g_autofree char *link = beacon_test_relay_dup_link (relay);
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "e", link, "10",
                                                        "--allow-insecure-signaling");
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "e");
    g_assert_cmpstr (member_string (report, "signaling", "trust"), ==, "insecure");
    g_assert_cmpstr (member_string (report, "signaling", "scheme"), ==, "ws");
    g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "warning");
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                   "verified"));

    /* A pin in a ws:// link binds the media, but there is no certificate to pin on the
     * signaling: still insecure signaling, never "pinned". */
    {
      g_autofree char *pinned_link = g_strconcat (link, "#pin=", pin, NULL);
      g_autoptr(BeaconTestProcess) pinned = start_viewer (fixture, "f", pinned_link, "10",
                                                          "--allow-insecure-signaling");
      g_autoptr(JsonObject) pinned_report = NULL;

      beacon_test_assert_exit (pinned, beacon_test_process_wait_exit (pinned, 40), 0);
      pinned_report = read_report (fixture, "f");
      g_assert_cmpstr (member_string (pinned_report, "signaling", "trust"), ==, "insecure");
      g_assert_cmpstr (json_object_get_string_member (pinned_report, "verdict"), ==, "warning");
      g_assert_true (json_object_get_boolean_member (
        json_object_get_object_member (pinned_report, "dtls"), "bound_to_link"));
    }
  }
}

static void
test_identity_changed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *server_dir = fixture_path (fixture, "server");

  /* First connection: remembered. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10", NULL);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "new");
  }
  /* Same identity again: matches. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10", NULL);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "matches");
  }

  /* The broadcaster gets a new identity and comes back on the same address. */
  stop_server (fixture);
  {
    g_autoptr(BeaconTestProcess) renew =
      beacon_test_process_start (server_dir, (const char *[]) { "identity", "--new", NULL });

    beacon_test_assert_exit (renew, beacon_test_process_wait_exit (renew, 20), 0);
  }
  start_server (fixture);

  /* Refused without consent, before any media. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10", NULL);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "changed since the first connection"));
    g_assert_null (strstr (beacon_test_process_get_stdout (viewer), "first-frame-ms"));
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "changed");
    g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), ==, 0);
  }
  /* Accepted: works, reported as changed with a warning, and remembered. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10",
                                                        "--accept-new-identity");
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "changed");
    g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "warning");
  }
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10", NULL);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "matches");
  }
}

static gboolean
viewer_pins_name (Fixture    *fixture,
                  const char *viewer,
                  const char *identity)
{
  g_autofree char *path = g_build_filename (fixture->dir, viewer, "pins.json", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return strstr (text, identity + strlen ("sha256:")) != NULL;
}

/* The four words are a step: different words end the watch and forget the identity; the
 * same words are remembered with it, for every later visit. */
static void
test_words_compared (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *server_identity = identity_of (fixture, "server");
  g_autofree char *words = NULL;

  /* Words that do not match: refused, and the identity is not remembered. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "1000",
                                                        "--compare-words=wrong words right here");
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer), "did not match"));
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "insecure");
    g_assert_false (json_object_get_boolean_member (report, "words_compared"));
    g_assert_false (viewer_pins_name (fixture, "viewer", server_identity));
  }
  /* Not compared: a first visit again, and the report says the words wait. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10", NULL);
    g_autoptr(JsonObject) report = NULL;
    JsonArray *reasons;
    gboolean says_so = FALSE;
    const char *line;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "new");
    g_assert_false (json_object_get_boolean_member (report, "words_compared"));
    reasons = json_object_get_array_member (report, "reasons");
    for (guint i = 0; i < json_array_get_length (reasons); i++)
      says_so |= strstr (json_array_get_string_element (reasons, i), "not been compared") != NULL;
    g_assert_true (says_so);
    line = strstr (beacon_test_process_get_stdout (viewer), "words: ");
    g_assert_nonnull (line);
    words = g_strndup (line + strlen ("words: "), strcspn (line + strlen ("words: "), "\n"));
    g_assert_cmpstr (words, ==, json_object_get_string_member (report, "sas"));
  }
  /* The same words, as someone types them: remembered with the broadcaster's identity. */
  {
    g_autofree char *typed = g_ascii_strup (words, -1);
    g_autofree char *argument = g_strdup_printf ("--compare-words=  %s ", typed);
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10",
                                                        argument);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    g_assert_nonnull (strstr (beacon_test_process_get_stdout (viewer), "words-compared: they match"));
    report = read_report (fixture, "viewer");
    g_assert_true (json_object_get_boolean_member (report, "words_compared"));
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "compared");
    g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "secure");
  }
  /* A later visit knows it. */
  {
    g_autoptr(BeaconTestProcess) viewer = start_viewer (fixture, "viewer", fixture->url, "10", NULL);
    g_autoptr(JsonObject) report = NULL;

    beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 40), 0);
    report = read_report (fixture, "viewer");
    g_assert_cmpstr (json_object_get_string_member (report, "pin"), ==, "compared");
    g_assert_true (json_object_get_boolean_member (report, "words_compared"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/beacon/security/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("honest-session-verified-with-matching-sas", test_honest_session);
  ADD ("intercepting-relay-is-blocked", test_intercepting_relay);
  ADD ("intercepting-relay-both-ways-is-blocked", test_intercepting_relay_both_ways);
  ADD ("rogue-producer-refused", test_rogue_producer_refused);
  ADD ("media-bound-to-link", test_media_bound_to_link);
  g_test_add ("/beacon/security/sdp-without-fingerprint", Fixture, &strip_fingerprint,
              fixture_set_up, test_hostile_signaling, fixture_tear_down);
  g_test_add ("/beacon/security/sdp-garbled", Fixture, &garble_sdp,
              fixture_set_up, test_hostile_signaling, fixture_tear_down);
  g_test_add ("/beacon/security/json-broken", Fixture, &break_json,
              fixture_set_up, test_hostile_signaling, fixture_tear_down);
  ADD ("signaling-trust", test_signaling_trust);
  ADD ("identity-changed", test_identity_changed);
  ADD ("words-compared", test_words_compared);

  return g_test_run ();
}

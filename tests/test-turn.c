/* test-turn.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Media through a real TURN server: coturn on 127.0.0.1 with long-term credentials, and
 * `beacon-cli serve` and `beacon-cli watch` both told --relay-only, so that the only way the
 * media can go is through coturn's relays.
 */

/* beacon-test-servers.c, included below, needs unshare (). */
#define _GNU_SOURCE

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "beacon-test-process.h"
#include "beacon-test-servers.h"


static BeaconTestTurn *turn;
static char *root;

static char *
make_dir (const char *name)
{
  g_autofree char *dir = NULL;

  if (root == NULL)
    {
      g_autoptr(GError) error = NULL;

      root = g_dir_make_tmp ("beacon-turn-XXXXXX", &error);
      g_assert_no_error (error);
    }
  dir = g_build_filename (root, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_steal_pointer (&dir);
}

/* One coturn for every test. */
static gboolean
ensure_turn (void)
{
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;

  if (turn != NULL)
    return TRUE;
  if (!beacon_test_turn_available (&reason))
    {
      beacon_test_servers_skip (reason);
      return FALSE;
    }
  dir = make_dir ("coturn");
  turn = beacon_test_turn_start (dir);
  return TRUE;
}

typedef struct {
  BeaconTestProcess *server;
  char              *link;
  guint              port;
  char              *pin;
} Broadcast;

static void
broadcast_start (Broadcast  *broadcast,
                 const char *turn_url)
{
  g_autofree char *dir = make_dir ("broadcaster");
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) fragment = NULL;

  broadcast->server = beacon_test_process_start (dir, (const char *[]) {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--codec", "vp8",
    "--width", "320", "--height", "240", "--ice-address", "127.0.0.1",
    "--turn", turn_url, "--relay-only", NULL });
  broadcast->link = beacon_test_process_wait_line (broadcast->server, "watch: ", 30);
  if (broadcast->link == NULL)
    g_error ("beacon-cli serve printed no link; stderr:\n%s",
             beacon_test_process_get_stderr (broadcast->server));

  uri = g_uri_parse (broadcast->link, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  broadcast->port = g_uri_get_port (uri);
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
  g_clear_pointer (&broadcast->link, g_free);
  g_clear_pointer (&broadcast->pin, g_free);
}

/* "relay udp 127.0.0.1:PORT" with PORT among coturn's relayed ports. */
static void
assert_relayed_candidate (const char *candidate)
{
  guint min_port;
  guint max_port;
  guint64 port;

  beacon_test_turn_get_relay_range (turn, &min_port, &max_port);
  if (candidate == NULL || !g_str_has_prefix (candidate, "relay udp 127.0.0.1:"))
    g_error ("'%s' is not a relayed candidate of the test's coturn", candidate);
  g_assert_true (g_ascii_string_to_unsigned (candidate + strlen ("relay udp 127.0.0.1:"), 10,
                                             min_port, max_port, &port, NULL));
}

static void
assert_relayed_report (const char *path)
{
  g_autoptr(JsonObject) report = beacon_test_read_json (path);
  JsonObject *ice = json_object_get_object_member (report, "ice");
  JsonArray *peers = json_object_get_array_member (report, "peers");
  JsonObject *peer_ice;

  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
  g_assert_cmpstr (json_object_get_string_member (ice, "relay_server"), ==, "127.0.0.1");
  assert_relayed_candidate (json_object_get_string_member (ice, "local_candidate"));
  assert_relayed_candidate (json_object_get_string_member (ice, "remote_candidate"));

  /* The selected pair, peer by peer: relay on both ends. */
  g_assert_cmpuint (json_array_get_length (peers), ==, 1);
  peer_ice = json_object_get_object_member (json_array_get_object_element (peers, 0), "ice");
  g_assert_cmpstr (json_object_get_string_member (peer_ice, "local_type"), ==, "relay");
  g_assert_cmpstr (json_object_get_string_member (peer_ice, "remote_type"), ==, "relay");
}

/* coturn authenticated the user, allocated relays and bound channels for the media. */
static void
assert_turn_carried_media (void)
{
  const char *lines[] = {
    "user <beacon>: incoming packet ALLOCATE processed, success",
    "user <beacon>: incoming packet CREATE_PERMISSION processed, success",
    "user <beacon>: incoming packet CHANNEL_BIND processed, success",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (!beacon_test_turn_wait_log (turn, lines[i], 5))
      g_error ("coturn's log has no \"%s\":\n%s", lines[i], beacon_test_turn_get_log (turn));
}

static void
test_relay_only (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *report = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;

  if (!ensure_turn ())
    return;

  url = beacon_test_turn_dup_cli_url (turn, NULL);
  broadcast_start (&broadcast, url);

  dir = make_dir ("viewer");
  report = g_build_filename (dir, "report.json", NULL);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--ice-address", "127.0.0.1", "--turn", url, "--relay-only",
    "--frames", "60", "--timeout", "60", "--report", report, broadcast.link, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);

  assert_relayed_report (report);
  assert_turn_carried_media ();
  broadcast_stop (&broadcast);
}

static void
test_relay_only_whep (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *whep = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *report = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;

  if (!ensure_turn ())
    return;

  /* WHEP has no trickle from the server: the relayed candidates of both sides travel in the
   * offer and the answer, which wait for them. */
  url = beacon_test_turn_dup_cli_url (turn, NULL);
  broadcast_start (&broadcast, url);
  whep = g_strdup_printf ("https://127.0.0.1:%u/whep", broadcast.port);

  dir = make_dir ("whep-viewer");
  report = g_build_filename (dir, "report.json", NULL);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--ice-address", "127.0.0.1",
    "--turn", url, "--relay-only", "--frames", "60", "--timeout", "60", "--report", report,
    whep, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);

  assert_relayed_report (report);
  broadcast_stop (&broadcast);
}

static void
test_wrong_password (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *report_path = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  int status;

  if (!ensure_turn ())
    return;

  url = beacon_test_turn_dup_cli_url (turn, NULL);
  wrong = beacon_test_turn_dup_cli_url (turn, "not-the-password");
  broadcast_start (&broadcast, url);

  /* Without a relay the viewer has no candidate at all: it says so as soon as gathering ends,
   * well before its own timeout. */
  dir = make_dir ("refused-viewer");
  report_path = g_build_filename (dir, "report.json", NULL);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--ice-address", "127.0.0.1", "--turn", wrong, "--relay-only",
    "--frames", "10", "--timeout", "15", "--report", report_path, broadcast.link, NULL });
  status = beacon_test_process_wait_exit (viewer, 40);
  beacon_test_assert_exit (viewer, status, 1);
  g_assert_nonnull (strstr (beacon_test_process_get_stderr (viewer),
                            "the TURN server gave no relay address"));

  report = beacon_test_read_json (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), ==, 0);
  {
    JsonObject *ice = json_object_get_object_member (report, "ice");

    g_assert_true (json_object_get_null_member (ice, "local_candidate"));
  }

  /* coturn refused the credentials the viewer offered. */
  g_assert_true (beacon_test_turn_wait_log (turn, "user <beacon>: incoming packet message "
                                                  "processed, error 401", 5));
  broadcast_stop (&broadcast);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/turn/relay-only", test_relay_only);
  g_test_add_func ("/beacon/turn/relay-only-whep", test_relay_only_whep);
  g_test_add_func ("/beacon/turn/wrong-password", test_wrong_password);

  ret = g_test_run ();

  g_clear_pointer (&turn, beacon_test_turn_free);
  if (root != NULL)
    beacon_test_remove_tree (root);
  g_clear_pointer (&root, g_free);
  return ret;
}

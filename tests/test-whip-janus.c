/* test-whip-janus.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `beacon-cli publish` over WHIP to Janus through Meetecho's simple-whip-server: publishing,
 * tokens, errors, Link headers, and a server that is down.
 */

#include "config.h"

#include "beacon-test-child.h"
#include "beacon-test-whip-fixture.h"

/* Real servers: Janus behind Meetecho's simple-whip-server, and Beacon's own direct server,
 * driven by beacon-cli. */

/* Janus gathers candidates only on interfaces other than loopback: its peers send media to
 * and from the private network's address (see beacon_test_enter_private_network ()). */
#define JANUS_ICE_ADDRESS BEACON_TEST_PRIVATE_ADDRESS

/* Janus and simple-whip-server, started once for every test that needs them. */
static gboolean
ensure_whip_servers (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (whip_server != NULL)
    return TRUE;
  if (!private_network)
    {
      g_autofree char *why = g_strdup_printf ("Janus gathers no ICE candidate on loopback, and "
                                              "no private network with another interface could "
                                              "be made: %s", private_network_reason);

      beacon_test_servers_skip (why);
      return FALSE;
    }
  if (!beacon_test_janus_available (&reason) || !beacon_test_whip_server_available (&reason))
    {
      beacon_test_servers_skip (reason);
      return FALSE;
    }
  servers_dir = g_dir_make_tmp ("beacon-whip-servers-XXXXXX", &error);
  g_assert_no_error (error);
  janus = beacon_test_janus_start (servers_dir, BEACON_TEST_JANUS_DEFAULT);
  whip_server = beacon_test_whip_server_start (servers_dir, beacon_test_janus_get_ws_url (janus));
  return TRUE;
}

/* Polls simple-whip-server until endpoint @id is (or is no longer) published. */
static gboolean
wait_publishing (const char *id,
                 gboolean    publishing,
                 guint       timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline)
    {
      if (beacon_test_whip_server_is_publishing (whip_server, id) == publishing)
        return TRUE;
      iterate_for (200);
    }
  return FALSE;
}

static void
test_janus_publish (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autofree char *live = NULL;
  g_autofree char *janus_log_before = NULL;

  if (!ensure_whip_servers ())
    return;

  url = beacon_test_whip_server_create_endpoint (whip_server, "pub", 1234, NULL, NULL);
  publisher = start_publish ("publisher", url, JANUS_ICE_ADDRESS, "--allow-insecure-signaling",
                             NULL);
  live = beacon_test_process_wait_line (publisher, "live", 30);
  if (live == NULL)
    g_error ("the publisher did not go live; stderr:\n%s",
             beacon_test_process_get_stderr (publisher));
  if (!wait_publishing ("pub", TRUE, 20))
    g_error ("simple-whip-server never saw the publisher; its log:\n%s",
             beacon_test_whip_server_get_log (whip_server));

  /* Media reaches Janus: ICE and DTLS complete with Janus itself. */
  if (!beacon_test_janus_wait_log (janus, "WebRTC media is now available", 30))
    g_error ("Janus never got media from the WHIP publisher; its log:\n%s\npublisher:\n%s",
             beacon_test_janus_get_log (janus), beacon_test_process_get_stderr (publisher));

  /* Stopping ends the WHIP session with DELETE. */
  beacon_test_process_send_signal (publisher, SIGINT);
  beacon_test_assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
  if (!wait_publishing ("pub", FALSE, 10))
    g_error ("the WHIP session was not deleted; simple-whip-server's log:\n%s",
             beacon_test_whip_server_get_log (whip_server));
  g_assert_nonnull (strstr (beacon_test_whip_server_get_log (whip_server),
                            "[pub] Terminating WHIP session"));
}

static void
test_janus_token (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) wrong = NULL;
  g_autoptr(BeaconTestProcess) right = NULL;
  g_autofree char *live = NULL;

  if (!ensure_whip_servers ())
    return;

  url = beacon_test_whip_server_create_endpoint (whip_server, "tok", 1234, "s3cret", NULL);

  /* simple-whip-server answers a wrong token with 403. */
  wrong = start_publish ("wrong-token", url, JANUS_ICE_ADDRESS, "--allow-insecure-signaling",
                         "--token", "guess", NULL);
  beacon_test_assert_exit (wrong, beacon_test_process_wait_exit (wrong, 30), 1);
  assert_stderr_contains (wrong, "the server refused the token (HTTP 403 Forbidden");
  g_assert_false (beacon_test_whip_server_is_publishing (whip_server, "tok"));

  right = start_publish ("right-token", url, JANUS_ICE_ADDRESS, "--allow-insecure-signaling",
                         "--token", "s3cret", NULL);
  live = beacon_test_process_wait_line (right, "live", 30);
  g_assert_nonnull (live);
  if (!wait_publishing ("tok", TRUE, 20))
    g_error ("the publisher with the right token was not accepted; its stderr:\n%s",
             beacon_test_process_get_stderr (right));
  beacon_test_process_send_signal (right, SIGTERM);
  beacon_test_assert_exit (right, beacon_test_process_wait_exit (right, 15), 0);
  g_assert_true (wait_publishing ("tok", FALSE, 10));
}

static void
test_janus_errors (void)
{
  g_autofree char *missing = NULL;
  g_autofree char *busy_url = NULL;
  g_autoptr(BeaconTestProcess) not_found = NULL;
  g_autoptr(BeaconTestProcess) insecure = NULL;

  if (!ensure_whip_servers ())
    return;

  /* No such endpoint: 404. */
  missing = g_strdup_printf ("%s/whip/endpoint/nope",
                             beacon_test_whip_server_get_base_url (whip_server));
  not_found = start_publish ("not-found", missing, JANUS_ICE_ADDRESS,
                             "--allow-insecure-signaling", NULL);
  beacon_test_assert_exit (not_found, beacon_test_process_wait_exit (not_found, 30), 1);
  assert_stderr_contains (not_found, "no WHIP endpoint at");
  assert_stderr_contains (not_found, "/whip/endpoint/nope");

  /* simple-whip-server speaks plain http: without permission, nothing is sent. */
  busy_url = beacon_test_whip_server_create_endpoint (whip_server, "plain", 1234, NULL, NULL);
  insecure = start_publish ("insecure", busy_url, JANUS_ICE_ADDRESS, NULL);
  beacon_test_assert_exit (insecure, beacon_test_process_wait_exit (insecure, 30), 5);
  assert_stderr_contains (insecure, "--allow-insecure-signaling");
  g_assert_false (beacon_test_whip_server_is_publishing (whip_server, "plain"));
}

static void
test_janus_link_headers (void)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_auto(GStrv) servers = NULL;
  const char *links;
  guint status;

  if (!ensure_whip_servers ())
    return;

  /* How simple-whip-server writes its ICE servers (one Link header each), read by the same
   * parser that reads the 201's. */
  g_free (beacon_test_whip_server_create_endpoint (
    whip_server, "links", 1234, NULL,
    "[{\"uri\":\"turn:127.0.0.1:3478?transport=udp\",\"username\":\"user\","
    "\"credential\":\"pa:ss\"},{\"uri\":\"stun:127.0.0.1:3478\"},"
    "{\"uri\":\"turns:127.0.0.1:5349?transport=tcp\",\"username\":\"u\",\"credential\":\"c\"}]"));
  status = beacon_test_whip_server_request (whip_server, "OPTIONS", "/whip/endpoint/links",
                                            &headers);
  g_assert_cmpuint (status, ==, SOUP_STATUS_NO_CONTENT);
  links = soup_message_headers_get_list (headers, "Link");
  g_test_message ("Link: %s", links);
  servers = beacon_link_header_parse_ice_servers (links);
  g_assert_nonnull (servers);
  g_assert_cmpuint (g_strv_length (servers), ==, 3);
  g_assert_cmpstr (servers[0], ==, "turn://user:pa%3Ass@127.0.0.1:3478?transport=udp");
  g_assert_cmpstr (servers[1], ==, "stun://127.0.0.1:3478");
  g_assert_cmpstr (servers[2], ==, "turns://u:c@127.0.0.1:5349?transport=tcp");
}

static void
test_server_down (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/whip/endpoint/x",
                                          beacon_test_free_port ());
  g_autoptr(BeaconTestProcess) publisher = NULL;

  publisher = start_publish ("down", url, "127.0.0.1", "--allow-insecure-signaling", NULL);
  beacon_test_assert_exit (publisher, beacon_test_process_wait_exit (publisher, 30), 1);
  assert_stderr_contains (publisher, "connection refused");
}

int
main (int   argc,
      char *argv[])
{
  whip_test_init (&argc, &argv);

  g_test_add_func ("/beacon/whip/janus/publish", test_janus_publish);
  g_test_add_func ("/beacon/whip/janus/token", test_janus_token);
  g_test_add_func ("/beacon/whip/janus/errors", test_janus_errors);
  g_test_add_func ("/beacon/whip/janus/link-headers", test_janus_link_headers);
  g_test_add_func ("/beacon/whip/server-down", test_server_down);

  return whip_test_run ();
}

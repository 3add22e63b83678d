/* test-finalize-janus.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Janus signaler owns a WebSocket, a Janus session with its keepalive timer and plugin
 * handles: once stopped and let go it must finalize, and a second watch must leave no file
 * descriptor behind. Against a real Janus (tests/beacon-test-janus.c), so an integration test;
 * the other signalers are checked against the direct server in test-finalize.
 */

#include "beacon-fingerprint.h"
#include "beacon-signaler-factory.h"
#include "beacon-test-janus.h"
#include "beacon-test-process.h"
#include "beacon-test-recorder.h"
#include "beacon-test-servers.h"
#include "beacon-test-session.h"

/* The Streaming mountpoint the harness feeds with a VP8 test pattern. */
#define MOUNTPOINT 99

/* A watch of the mountpoint over wss: Janus offers, the viewer leaves without answering. */
static void
watch_mountpoint (BeaconTestJanus *janus)
{
  g_autoptr(BeaconSignalerOptions) options = beacon_signaler_options_new ();
  g_autoptr(GError) error = NULL;
  BeaconTestRecorder events = { 0 };
  BeaconSignaler *signaler;

  options->dialect = g_strdup ("janus");
  options->url = g_strdup (beacon_test_janus_get_wss_url (janus));
  options->pin = beacon_fingerprint_parse_pin (beacon_test_janus_get_pin (janus), &error);
  g_assert_no_error (error);
  options->mountpoint = MOUNTPOINT;
  signaler = beacon_signaler_new_for_dialect (options, &error);
  g_assert_no_error (error);

  beacon_test_start_signaler (signaler, BEACON_SIGNALER_ROLE_WATCH, NULL, &events);
  g_assert_true (events.session);
  beacon_test_wait_for_string (&events.remote_sdp, "offer from Janus");
  g_assert_cmpstr (events.remote_type, ==, "offer");

  beacon_test_stop_signaler (signaler, &events);
  /* The detach and destroy requests stop () sends hold the signaler until Janus answered. */
  beacon_test_spin (500);
  beacon_test_assert_signaler_finalizes (signaler, &events);
}

static void
test_janus_signaler (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *address = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(BeaconTestJanus) janus = NULL;
  guint fds_before = 0;

  if (!beacon_test_janus_available (&reason))
    {
      beacon_test_servers_skip (reason);
      return;
    }
  address = beacon_test_janus_dup_ice_address ();
  if (address == NULL)
    {
      beacon_test_servers_skip ("Janus 1.1 needs a network interface that is not loopback, "
                                "and none could be made (not root?)");
      return;
    }
  dir = g_dir_make_tmp ("beacon-finalize-janus-XXXXXX", &error);
  g_assert_no_error (error);
  janus = beacon_test_janus_start (dir, BEACON_TEST_JANUS_DEFAULT);

  /* The first watch opens what the process keeps for good (the SoupSession, GnuTLS's state);
   * the second must leave nothing behind. */
  for (guint round = 0; round < 2; round++)
    {
      fds_before = beacon_test_count_open_fds ();
      watch_mountpoint (janus);
    }
  g_test_message ("open file descriptors: %u before the second watch, %u after", fds_before,
                  beacon_test_count_open_fds ());
  g_assert_cmpuint (beacon_test_count_open_fds (), ==, fds_before);

  g_clear_pointer (&janus, beacon_test_janus_free);
  beacon_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/finalize/janus-signaler", test_janus_signaler);

  return g_test_run ();
}

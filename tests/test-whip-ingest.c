/* test-whip-ingest.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BeaconWhipIngest on its own: the token it puts in force, and that it lets go of the server,
 * the pipeline and the identity it was given. Publishers over real HTTP are tests/test-whip.c.
 */

#include <string.h>

#include "beacon-test-process.h"
#include "beacon-whip-ingest.h"

typedef struct {
  char                    *dir;
  BeaconIdentity          *identity;
  BeaconDirectServer      *server;
  BeaconBroadcastPipeline *broadcast;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("beacon-whip-ingest-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->identity = beacon_identity_load_or_create (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->server = beacon_direct_server_new (beacon_identity_get_tls_certificate (fixture->identity));
  fixture->broadcast = beacon_broadcast_pipeline_new (BEACON_SOURCE_WHIP, NULL, NULL, NULL,
                                                      BEACON_CODEC_VP8, 320, 240, 15, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->broadcast);
  g_assert_finalize_object (fixture->server);
  g_assert_finalize_object (fixture->identity);
  beacon_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static BeaconWhipIngest *
new_ingest (Fixture    *fixture,
            const char *token,
            gboolean    open)
{
  g_autoptr(BeaconSessionConfig) config = beacon_session_config_new ();

  config->whip_token = g_strdup (token);
  config->whip_open = open;
  return beacon_whip_ingest_new (fixture->server, fixture->broadcast, fixture->identity, config);
}

/* The given token; none when openness was asked for; otherwise one made up, never twice the
 * same. */
static void
test_token (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(BeaconWhipIngest) given = new_ingest (fixture, "s3cret", FALSE);
  g_autoptr(BeaconWhipIngest) open = new_ingest (fixture, NULL, TRUE);
  g_autoptr(BeaconWhipIngest) made_up = new_ingest (fixture, NULL, FALSE);
  g_autoptr(BeaconWhipIngest) made_up_again = new_ingest (fixture, NULL, FALSE);

  g_assert_cmpstr (beacon_whip_ingest_get_token (given), ==, "s3cret");
  g_assert_null (beacon_whip_ingest_get_token (open));
  g_assert_cmpuint (strlen (beacon_whip_ingest_get_token (made_up)), ==, 32);
  g_assert_cmpstr (beacon_whip_ingest_get_token (made_up), !=,
                   beacon_whip_ingest_get_token (made_up_again));
  g_assert_false (beacon_whip_ingest_is_connected (made_up));
  g_assert_cmpuint (beacon_whip_ingest_get_frames (made_up), ==, 0);
}

/* Closed (once, however often asked) and dropped, the ingest finalizes, and the fixture's
 * tear-down checks that the server, pipeline and identity do too. */
static void
test_finalize (Fixture       *fixture,
               gconstpointer  data)
{
  BeaconWhipIngest *ingest = new_ingest (fixture, NULL, FALSE);

  beacon_whip_ingest_set_accepting (ingest, TRUE);
  beacon_whip_ingest_close (ingest);
  beacon_whip_ingest_close (ingest);
  g_assert_finalize_object (ingest);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/beacon/whip-ingest/token", Fixture, NULL, fixture_set_up, test_token,
              fixture_tear_down);
  g_test_add ("/beacon/whip-ingest/finalize", Fixture, NULL, fixture_set_up, test_finalize,
              fixture_tear_down);

  return g_test_run ();
}

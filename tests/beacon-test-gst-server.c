/* beacon-test-gst-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-gst-server.h"

#include "beacon-test-process.h"

#include "beacon-direct-server.h"
#include "beacon-fingerprint.h"
#include "beacon-identity.h"
#include "beacon-share-link.h"

BeaconTestGstServer *
beacon_test_gst_server_new (const char *directory,
                            gboolean    announce_identity)
{
  g_autoptr(GError) error = NULL;
  BeaconTestGstServer *self = g_new0 (BeaconTestGstServer, 1);
  BeaconIdentity *identity = beacon_identity_load_or_create (directory, &error);
  BeaconDirectServer *server;

  g_assert_no_error (error);
  server = beacon_direct_server_new (beacon_identity_get_tls_certificate (identity));
  if (announce_identity)
    beacon_direct_server_set_media_identity (server, beacon_identity_get_fingerprint (identity));
  g_assert_true (beacon_direct_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  self->identity = identity;
  self->server = server;
  self->url = g_strdup_printf ("wss://127.0.0.1:%u/", beacon_direct_server_get_port (server));
  self->pin = beacon_fingerprint_format_pin (beacon_identity_get_fingerprint (identity));
  self->token = g_strdup (beacon_direct_server_get_producer_token (server));
  self->link = beacon_share_link_format (self->url, beacon_identity_get_fingerprint (identity),
                                         TRUE, NULL);
  return self;
}

void
beacon_test_gst_server_free (BeaconTestGstServer *self)
{
  if (self == NULL)
    return;
  beacon_direct_server_stop (self->server);
  g_object_unref (self->server);
  g_object_unref (self->identity);
  g_free (self->url);
  g_free (self->pin);
  g_free (self->token);
  g_free (self->link);
  g_free (self);
}

gpointer
beacon_test_gst_server_start_publisher (BeaconTestGstServer *server,
                                        const char          *directory,
                                        const char          *name)
{
  BeaconTestProcess *publisher;
  g_autofree char *live = NULL;

  publisher = beacon_test_process_start (directory, (const char *[]) {
    "publish", "--dialect", "gst", "--name", name, "--pin", server->pin,
    "--token", server->token, "--source", "test", "--width", "320", "--height", "240",
    "--ice-address", "127.0.0.1", server->url, NULL });
  /* On a server that only introduces viewers, the producer is live once registered. */
  live = beacon_test_process_wait_line (publisher, "live", 30);
  if (live == NULL)
    g_error ("the publisher did not go live; stderr:\n%s",
             beacon_test_process_get_stderr (publisher));
  return publisher;
}

/* beacon-test-signalling-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A server of the GStreamer WebRTC signalling protocol on which anyone may publish, as the
 * gst-plugins-rs signalling server does (it is not packaged in Debian 12): Beacon's direct
 * server with open producers, for the browser interop tests where Chromium produces and
 * `beacon-cli watch --dialect gst` watches. It uses the identity in $BEACON_DATA_DIR, prints
 * "watch: wss://127.0.0.1:PORT/#pin=sha256:…" and runs until SIGINT or SIGTERM.
 */

#include <glib-unix.h>

#include "beacon-direct-server.h"
#include "beacon-identity.h"
#include "beacon-share-link.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconIdentity) identity = beacon_identity_load_or_create (NULL, &error);
  g_autoptr(BeaconDirectServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *url = NULL;
  g_autofree char *link = NULL;

  if (identity == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  server = beacon_direct_server_new (beacon_identity_get_tls_certificate (identity));
  beacon_direct_server_set_open_producers (server, TRUE);
  if (!beacon_direct_server_listen (server, "127.0.0.1", 0, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  url = g_strdup_printf ("wss://127.0.0.1:%u/", beacon_direct_server_get_port (server));
  link = beacon_share_link_format (url, beacon_identity_get_fingerprint (identity), TRUE, NULL);
  g_print ("watch: %s\n", link);

  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  beacon_direct_server_stop (server);
  return 0;
}

/* beacon-test-gst-server.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A server of the GStreamer WebRTC signalling protocol on which other people publish, as a
 * gst-plugins-rs signalling server is (that server is not packaged in Debian 12): Beacon's
 * direct server, run inside the test with an identity of its own, whose producer token the
 * test hands to the publishers it lets in. */
typedef struct {
  char *url;    /* wss://127.0.0.1:PORT/ */
  char *pin;    /* "sha256:AB:…" of the server's certificate */
  char *token;  /* what publishers send with --token */
  char *link;   /* url#pin=…: what a direct link to this server looks like */
  gpointer server;
  gpointer identity;
} BeaconTestGstServer;

/* Starts the server on 127.0.0.1 with its identity in @directory. With @announce_identity,
 * its WHEP answers name its own identity as the media's, as Beacon's direct server does. */
BeaconTestGstServer *beacon_test_gst_server_new  (const char          *directory,
                                                  gboolean             announce_identity);
void                 beacon_test_gst_server_free (BeaconTestGstServer *server);
/* Starts `beacon-cli publish` of the test source as @name on @server, its data in
 * @directory, and waits (30 s at most) until it is live; the process goes to the caller. */
gpointer             beacon_test_gst_server_start_publisher (BeaconTestGstServer *server,
                                                             const char          *directory,
                                                             const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconTestGstServer, beacon_test_gst_server_free)

G_END_DECLS

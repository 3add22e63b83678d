/* beacon-gst-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

#define BEACON_TYPE_GST_SIGNALER (beacon_gst_signaler_get_type ())

G_DECLARE_FINAL_TYPE (BeaconGstSignaler, beacon_gst_signaler, BEACON, GST_SIGNALER, GObject)

/* A client of the GStreamer WebRTC signalling protocol (Beacon's direct server, the
 * gst-plugins-rs signalling server). @pin is a normalised SHA-256 fingerprint ("AB:CD:…") that
 * makes a certificate trusted even when no certificate authority vouches for it. @token
 * (nullable) goes as "Authorization: Bearer" in the WebSocket handshake: the direct server
 * lets only the connection with its producer token produce. */
BeaconGstSignaler *beacon_gst_signaler_new (const char *url,
                                            const char *pin,
                                            const char *token);

/* Off by default. Once started, asks the server for its producer list after PROBE_AFTER_MS of
 * silence and, when nothing at all has come back DEAD_AFTER_MS after the last message, closes
 * the channel and reports it closed ("failed" with BEACON_SIGNALER_ERROR_CLOSED). A TCP
 * connection whose packets are dropped stays open for minutes, and libsoup 3.2 does not tell
 * a client whether its pings are answered; a session that reconnects wants to know soon. */
void beacon_gst_signaler_set_liveness_check (BeaconGstSignaler *self,
                                             gboolean           enabled);

G_END_DECLS

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

G_END_DECLS

/* beacon-janus-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

#define BEACON_TYPE_JANUS_SIGNALER (beacon_janus_signaler_get_type ())

G_DECLARE_FINAL_TYPE (BeaconJanusSignaler, beacon_janus_signaler, BEACON, JANUS_SIGNALER, GObject)

/* Janus Gateway WebSocket API ("janus-protocol"): VideoRoom publish and subscribe, Streaming
 * watch.
 *
 * Publishing needs @options->room; watching needs @options->room (then @options->feed, or the
 * room's only publisher) or @options->mountpoint. @options->pin pins the server's certificate
 * as the gst signaler does; @options->token is sent with every request (core token
 * authentication) and with VideoRoom joins (the room's "allowed" list). The Janus server is the
 * media peer: publishing emits "session-requested" once the VideoRoom handle is attached,
 * watching emits "session-started" once Janus sent its offer. */
BeaconSignaler *beacon_janus_signaler_new (const BeaconSignalerOptions  *options,
                                           GError                      **error);

G_END_DECLS

/* beacon-whip-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-sdp.h"
#include "beacon-signaler.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WHIP_SIGNALER (beacon_whip_signaler_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWhipSignaler, beacon_whip_signaler, BEACON, WHIP_SIGNALER, GObject)

/* WHIP (RFC 9725) publishing, or WHEP watching when @whep is TRUE, over HTTPS.
 *
 * The server is the media peer, so the signaler announces the one session itself once start
 * succeeded: publishing, "session-requested" ("whip", "server"); watching, "session-started"
 * ("whep", "server"), and Beacon sends the offer (watcher_offers () is TRUE).
 *
 * The local description is POSTed only once the local ICE candidates stop arriving (200 ms
 * without a new one, or 2 s at most; an empty candidate ends the wait at once), with the
 * candidates gathered so far written into it: many servers refuse trickle ICE (405, 501,
 * 422), and then the offer alone has to carry them. Candidates that come later are sent with
 * PATCH (application/trickle-ice-sdpfrag) when the server accepts that.
 *
 * STUN and TURN servers that the server hands out in Link headers arrive with the answer, so
 * "ice-servers" is emitted after the offer was sent: they can serve only candidates gathered
 * from then on (a later ICE restart or reconnection), never the offer already sent. */
BeaconSignaler *beacon_whip_signaler_new (const BeaconSignalerOptions  *options,
                                          gboolean                      whep,
                                          GError                      **error);

G_END_DECLS

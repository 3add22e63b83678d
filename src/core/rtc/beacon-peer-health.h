/* beacon-peer-health.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BEACON_TYPE_PEER_HEALTH (beacon_peer_health_get_type ())

G_DECLARE_FINAL_TYPE (BeaconPeerHealth, beacon_peer_health, BEACON, PEER_HEALTH, GObject)

/* How one connection is doing, from two successive get-stats replies of its webrtcbin (about
 * a second apart): what a broadcaster sends to one viewer, or what a viewer receives. The
 * rates need two replies; until then they are 0. "changed" is emitted after each reply.
 *
 * Sending (a viewer of a broadcast): the bitrate of the RTP sent; loss and jitter as the
 * viewer's last receiver report says (the worse of audio and video: "fraction lost" of the
 * report's interval, before retransmissions); the round-trip time of those reports; the NACKs
 * and PLIs the viewer sent.
 * Receiving (the watcher): the bitrate received; the packets lost over the last second (those
 * the jitter buffer gave up on, after retransmissions) among those expected; the interarrival
 * jitter; the NACKs and PLIs sent. GStreamer 1.22's webrtcbin measures no round-trip time
 * for a receiver that sends no media: the RTT is unknown there.
 * The frame rate comes from the media pipelines, not from webrtcbin (1.22's stats have no
 * framesEncoded, framesSent or framesDecoded): beacon_peer_health_set_fps (). */
BeaconPeerHealth *beacon_peer_health_new            (const char         *session_id);

/* Takes the figures of one get-stats @reply of this peer's webrtcbin. */
void              beacon_peer_health_add_reply      (BeaconPeerHealth   *self,
                                                     const GstStructure *reply);
void              beacon_peer_health_set_fps        (BeaconPeerHealth   *self,
                                                     double              fps);

const char       *beacon_peer_health_get_session_id (BeaconPeerHealth   *self);
/* The remote ICE candidate's "address:port", or NULL before one is selected. */
const char       *beacon_peer_health_get_address    (BeaconPeerHealth   *self);
/* TRUE when the figures are of media sent (a broadcaster's viewer). */
gboolean          beacon_peer_health_is_sending     (BeaconPeerHealth   *self);
/* How many replies were taken; the rates are meaningful from 2 on. */
guint             beacon_peer_health_get_samples    (BeaconPeerHealth   *self);
guint             beacon_peer_health_get_bitrate_kbps (BeaconPeerHealth *self);
double            beacon_peer_health_get_fps        (BeaconPeerHealth   *self);
double            beacon_peer_health_get_loss_percent (BeaconPeerHealth *self);
/* Milliseconds, or -1 when unknown. */
double            beacon_peer_health_get_rtt_ms     (BeaconPeerHealth   *self);
double            beacon_peer_health_get_jitter_ms  (BeaconPeerHealth   *self);
/* Counts since the connection began: sent by a watcher, received from a viewer. */
guint64           beacon_peer_health_get_nack       (BeaconPeerHealth   *self);
guint64           beacon_peer_health_get_pli        (BeaconPeerHealth   *self);

/* The figures as the report has them: session, address, bitrate_kbps, fps, loss_percent,
 * rtt_ms and jitter_ms (null when unknown), nack, pli. */
JsonObject       *beacon_peer_health_to_json        (BeaconPeerHealth   *self);

G_END_DECLS

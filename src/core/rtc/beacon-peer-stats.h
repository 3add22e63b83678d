/* beacon-peer-stats.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The loss-recovery figures of one or more webrtcbins, summed: what the peer sent and
 * received, what got lost on the wire, and the feedback (NACK, PLI, FIR) and retransmissions
 * that repaired it. Received feedback counts what the remote asked of us, sent feedback what
 * we asked of it. */
typedef struct {
  guint   peers;                 /* webrtcbins that answered */
  guint64 packets_sent;
  guint64 packets_received;
  guint64 bytes_sent;            /* RTP payload and headers, first transmissions */
  guint64 bytes_received;
  gint64  packets_lost;          /* inbound: never arrived in their first transmission */
  gint64  remote_packets_lost;   /* outbound: as the remote's receiver reports say */
  guint64 packets_repaired;      /* inbound: recovered by a retransmission */
  guint64 nack_sent;
  guint64 nack_received;
  guint64 pli_sent;
  guint64 pli_received;
  guint64 fir_sent;
  guint64 fir_received;
  guint64 retransmitted_sent;    /* RTX packets sent */
  guint64 retransmitted_received;
} BeaconPeerStats;

/* Adds the figures of @webrtcbin to @stats. Asks webrtcbin's get-stats and waits at most
 * @timeout_ms for its answer (it comes from webrtcbin's own thread); a webrtcbin that does not
 * answer in time, or is closed, adds nothing but its retransmission counters. Main thread. */
void        beacon_peer_stats_add     (BeaconPeerStats *stats,
                                       GstElement      *webrtcbin,
                                       guint            timeout_ms);
/* The figures as the report's "stats" members, added to @object. */
void        beacon_peer_stats_to_json (const BeaconPeerStats *stats,
                                       JsonObject            *object);

G_END_DECLS

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

/* Adds the figures of one get-stats @reply (of one webrtcbin) to @stats. */
void        beacon_peer_stats_add_reply           (BeaconPeerStats       *stats,
                                                   const GstStructure    *reply);
/* Adds the retransmission counters of @webrtcbin's rtprtxsend and rtprtxreceive: properties,
 * read at once, without waiting for webrtcbin's thread. */
void        beacon_peer_stats_add_retransmissions (BeaconPeerStats       *stats,
                                                   GstElement            *webrtcbin);
/* Adds every figure of @other to @stats. */
void        beacon_peer_stats_add_totals          (BeaconPeerStats       *stats,
                                                   const BeaconPeerStats *other);

/* Called on the main context beacon_peer_stats_request () was called on, with a get-stats
 * reply that is no error. */
typedef void (*BeaconPeerStatsFunc) (GObject            *owner,
                                     const GstStructure *reply);

typedef struct _BeaconPeerStatsRequest BeaconPeerStatsRequest;

/* Asks @webrtcbin's get-stats and returns at once: the reply comes from webrtcbin's own thread
 * and is handed to @func on the thread-default main context, never synchronously. The pending
 * request holds @owner by a weak reference only: an owner finalized meanwhile gets nothing,
 * and an owner closed meanwhile must drop the reply itself. A webrtcbin that is closed, or
 * never answers, calls nothing. Returns the request, for the caller to wait on before it
 * stops the webrtcbin (beacon_peer_stats_request_wait ()). */
BeaconPeerStatsRequest *
            beacon_peer_stats_request             (GstElement            *webrtcbin,
                                                   GObject               *owner,
                                                   BeaconPeerStatsFunc    func);
/* Whether webrtcbin has let go of the request: its statistics task has run, or never will. */
gboolean    beacon_peer_stats_request_is_done     (BeaconPeerStatsRequest *request);
/* Waits at most @timeout_us for that; returns whether it happened. GStreamer 1.22.0's RTP
 * session empties its source table without its lock when it stops (fixed in 1.22.10): a
 * statistics task still reading that table then aborts the process with a GLib-CRITICAL. */
gboolean    beacon_peer_stats_request_wait        (BeaconPeerStatsRequest *request,
                                                   gint64                  timeout_us);
void        beacon_peer_stats_request_unref       (BeaconPeerStatsRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPeerStatsRequest, beacon_peer_stats_request_unref)

/* Whether every sending source of @webrtcbin's RTP session knows its clock rate. Until then
 * (the first sender report of each stream, about a second after media starts), GStreamer
 * 1.22.0 looks the clock rate up with the session unlocked in the middle of a walk over its
 * source table, through a webrtcbin callback that takes webrtcbin's lock; a get-stats task
 * holds that lock and widens the gap, and a remote source added in it (the viewer's first
 * receiver report) aborts the process (g_hash_table_foreach: 'version == hash_table->version';
 * fixed upstream in 1.22.10). Statistics wait for this. */
gboolean    beacon_peer_stats_senders_ready       (GstElement            *webrtcbin);
/* Calls @func with each entry of a get-stats @reply that has a type (a GstWebRTCStatsType:
 * int here, so that this header needs no unstable API). */
typedef void (*BeaconPeerStatsEntryFunc) (int                 type,
                                          const GstStructure *entry,
                                          gpointer            user_data);
void        beacon_peer_stats_foreach_entry       (const GstStructure       *reply,
                                                   BeaconPeerStatsEntryFunc  func,
                                                   gpointer                  user_data);
/* A counter of one stats structure, whatever integer type it has (0 when absent, negative or
 * of another type). */
guint64     beacon_peer_stats_get_count           (const GstStructure    *s,
                                                   const char            *field);
/* The figures as the report's "stats" members, added to @object. */
void        beacon_peer_stats_to_json             (const BeaconPeerStats *stats,
                                                   JsonObject            *object);

G_END_DECLS

/* beacon-peer-private.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-peer.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

G_BEGIN_DECLS

/* Shared by beacon-peer.c (negotiation, media), beacon-peer-identity.c (the DTLS identity
 * checks) and beacon-peer-info.c (the report); nothing else includes it. */

struct _BeaconPeer
{
  GObject       parent_instance;

  GMainContext *context;
  GstBin       *bin;
  GstElement   *webrtcbin;
  char         *session_id;

  char         *local_sdp;
  char         *remote_sdp;
  gboolean      remote_description_set;
  GArray       *pending_candidates;   /* PendingCandidate */

  char         *identity_pem;
  char         *identity_fingerprint;
  GPtrArray    *announced_fingerprints; /* "sha-256 AB:…" from the remote SDP */
  char         *presented_fingerprint;  /* "sha-256 AB:…" of the remote DTLS certificate */
  char         *expected_identity;      /* nullable: SHA-256 "AB:…" the remote side must be */
  gboolean      bound;                  /* the remote side proved to be expected_identity */
  GWeakRef      dtls_decoder;           /* an internal dtlsdec, for the SRTP profile */
  /* Atomic, in a box the pad probes share rather than the peer: a probe holding the peer
   * would keep it, its webrtcbin and the ICE agent's sockets and threads alive for good. */
  gint         *media_allowed;
  /* Atomic, in a box for the same reason: media buffers the src pads passed on (received). */
  gint         *received;
  guint         reception_timer;
  guint         reception_timeout_ms;
  gint          reception_last_count;
  gint64        reception_last_change_us;
  guint         connect_timer;
  guint         connect_timeout_ms;
  guint         n_remote_candidates;  /* trickled; those in the remote SDP are counted there */

  gboolean      offering;             /* beacon_peer_create_offer () was called */
  gboolean      offer_pending;
  guint         offer_timeout;
  GPtrArray    *caps_watches;         /* CapsWatch, while the offer waits for sink caps */
  gboolean      relay_only;
  guint         n_local_candidates;

  /* identity-verified was emitted; "connected" waits until no handler holds the identity. */
  gboolean      identity_presented;
  guint         identity_holds;
  gboolean      connected;
  gboolean      verified;
  gboolean      failed;
  gboolean      closed;

  BeaconPeerTimeline *timeline;

  /* From the last get-stats answer (beacon-peer-info.c). */
  BeaconPeerHealth       *health;
  BeaconPeerStats         stats;
  BeaconPeerStatsRequest *stats_request;  /* the last one asked, answered or not */
  gint64                  stats_held_since; /* monotonic µs; 0 while not held back */
};

typedef struct {
  guint  mline;
  char  *candidate;
} PendingCandidate;

/* The DTLS transport of the first transceiver (all media is bundled on it), or NULL. */
GstWebRTCDTLSTransport *beacon_peer_dup_dtls_transport (BeaconPeer *self);

/* Compares the certificate the remote side presented with the fingerprints its SDP announced
 * and with the expected identity; FALSE when the peer failed (it did so itself). */
gboolean beacon_peer_verify_remote_identity (BeaconPeer *self);

/* BEACON_PEER_ERROR_NOT_EXPECTED_IDENTITY for media from @fingerprint (nullable). */
GError *beacon_peer_not_expected_identity_error (BeaconPeer *self,
                                                 const char *fingerprint);

/* Waits (at most a second) until webrtcbin has finished the statistics task it was asked
 * for last, so that the webrtcbin can be stopped (beacon-peer-info.c). */
void beacon_peer_finish_stats (BeaconPeer *self);

/* Emits "stats-updated" (beacon-peer-info.c asks for the statistics). */
void beacon_peer_emit_stats_updated (BeaconPeer *self);

G_END_DECLS

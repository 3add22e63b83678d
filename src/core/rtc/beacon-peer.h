/* beacon-peer.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "beacon-peer-health.h"
#include "beacon-peer-stats.h"
#include "beacon-peer-timeline.h"

G_BEGIN_DECLS

#define BEACON_PEER_ERROR (beacon_peer_error_quark ())

typedef enum {
  BEACON_PEER_ERROR_BAD_SDP,      /* the remote description cannot be used */
  BEACON_PEER_ERROR_NEGOTIATION,  /* webrtcbin could not create or apply a description */
  BEACON_PEER_ERROR_ICE_FAILED,   /* no network path to the peer */
  BEACON_PEER_ERROR_DTLS_FAILED,  /* the encryption handshake failed */
  BEACON_PEER_ERROR_IDENTITY_MISMATCH, /* the DTLS certificate is not the one the SDP announced */
  BEACON_PEER_ERROR_NO_FINGERPRINT,    /* the SDP announces no usable certificate fingerprint */
  BEACON_PEER_ERROR_NOT_EXPECTED_IDENTITY, /* verified, but not the identity the link names */
} BeaconPeerError;

GQuark beacon_peer_error_quark (void);

/* What the report shows about one peer connection. */
/* How a peer reaches the network and who it is. */
typedef struct {
  const char * const *ice_addresses;        /* nullable: gather only on these addresses */
  const char         *stun_server;          /* nullable: stun://host:port */
  const char * const *turn_servers;         /* nullable: turn(s)://user:pass@host:port */
  gboolean            relay_only;           /* use TURN relays only */
  gboolean            upnp;                 /* let ICE map ports on the router over UPnP */
  const char         *identity_pem;         /* nullable: DTLS certificate + key (PEM) */
  const char         *identity_fingerprint; /* SHA-256 "AB:CD:…" of that certificate */
  gint64              timeline_origin_us;   /* the timeline counts from here; 0: from now */
} BeaconPeerConfig;

typedef struct {
  char *session_id;
  char *ice_state;             /* "new", "checking", "connected", … */
  char *connection_state;      /* "new", "connecting", "connected", "failed", … */
  char *dtls_state;            /* "new", "connecting", "connected", "failed", "closed" */
  char *dtls_role;             /* nullable: "client" | "server" */
  char *local_fingerprint;     /* as announced in our SDP: "sha-256 AB:…" */
  char *remote_fingerprint;    /* as announced in the remote SDP */
  char *remote_certificate_fingerprint; /* nullable: "sha-256 AB:…" of the certificate presented */
  gboolean verified;           /* the presented certificate matches the announced fingerprint */
  char *expected_identity;     /* nullable: SHA-256 "AB:…" the link binds the media to */
  gboolean bound;              /* the presented certificate is expected_identity */
  char *srtp_profile;          /* nullable: "AES_CM_128_HMAC_SHA1_80" */
  char *local_candidate;       /* nullable: "host udp 127.0.0.1:50000" */
  char *remote_candidate;      /* nullable */
  char *local_candidate_type;  /* nullable: host | srflx | prflx | relay */
  char *remote_candidate_type; /* nullable */
  char *relay_server;          /* nullable: the TURN server's URL when relayed */
  gboolean words_compared;     /* not the peer's: the session says when the user compared
                                * the four words with this peer's side and they matched */
} BeaconPeerInfo;

void beacon_peer_info_free (BeaconPeerInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPeerInfo, beacon_peer_info_free)

#define BEACON_TYPE_PEER (beacon_peer_get_type ())

G_DECLARE_FINAL_TYPE (BeaconPeer, beacon_peer, BEACON, PEER, GObject)

/* One webrtcbin peer connection inside @bin. It talks to the outside only through signals,
 * always emitted on the main context that created it:
 *   local-description (type, sdp)   to send to the remote side
 *   local-candidate   (mline, candidate)
 *   identity-verified (fingerprint) the remote DTLS certificate matches its SDP; a handler
 *                                   may still refuse it with beacon_peer_reject (), or
 *                                   decide later: beacon_peer_hold_identity ()
 *   connected ()                    ICE and DTLS are up, the identity is verified and no
 *                                   handler holds it
 *   failed (GError)                 negotiation, ICE or DTLS failed, or the identity did not
 *                                   match (fail closed)
 * No media passes in either direction until the identity is verified: pad probes on every
 * webrtcbin pad drop buffers until then. */
BeaconPeer *beacon_peer_new                      (GstBin                 *bin,
                                                  const char             *session_id,
                                                  const BeaconPeerConfig *config);
/* Watch when we offer (WHEP): receive-only video and audio transceivers. */
void        beacon_peer_add_receive_transceivers (BeaconPeer             *self);
/* The remote side must be this identity (SHA-256 "AB:CD:…"), as a direct link's pin names
 * the broadcaster: a remote description announcing another fingerprint, or a DTLS
 * certificate that is not it, fails the peer with BEACON_PEER_ERROR_NOT_EXPECTED_IDENTITY.
 * Set it before the remote description. */
void        beacon_peer_set_expected_identity    (BeaconPeer             *self,
                                                  const char             *fingerprint);
/* Checks the remote DTLS certificate now, if the handshake already brought one, instead of
 * when the connection comes up: when the other side ends the session first (it may have seen
 * the same interception), the failure is still ours to report. FALSE when the peer failed
 * (now or before). */
gboolean    beacon_peer_check_identity           (BeaconPeer             *self);
/* From now on, fails the peer with BEACON_PEER_ERROR_ICE_FAILED when no media arrives for
 * @timeout_ms (within half a second). libnice 0.1.21, as GStreamer 1.22 uses it, never
 * declares a path that stops carrying packets failed once it was connected (its keepalives
 * are indications that nobody answers, and consent freshness needs a newer libnice):
 * without this a receiver that lost its path would wait for ever. */
void        beacon_peer_watch_reception          (BeaconPeer             *self,
                                                  guint                   timeout_ms);
/* Fails the peer with @error (taken) from an identity-verified handler. */
/* Fails the peer when it is not connected (ICE, DTLS and the identity) within @timeout_ms
 * from now, with an error that says which step did not happen and the likely causes. */
void        beacon_peer_set_connect_deadline     (BeaconPeer             *self,
                                                  guint                   timeout_ms);
void        beacon_peer_reject                   (BeaconPeer             *self,
                                                  GError                 *error);
/* From an identity-verified handler whose answer takes time (a file to read, a person to
 * ask): the peer stays unconnected, and no media passes, until every hold is released —
 * or the peer is rejected, which still needs the release afterwards. */
void        beacon_peer_hold_identity            (BeaconPeer             *self);
void        beacon_peer_release_identity         (BeaconPeer             *self);
GstElement *beacon_peer_get_webrtcbin            (BeaconPeer             *self);
const char *beacon_peer_get_session_id           (BeaconPeer             *self);
gboolean    beacon_peer_is_connected             (BeaconPeer             *self);

/* Offerer: create and send an offer once the media is attached. */
void            beacon_peer_create_offer           (BeaconPeer *self);
/* TRUE once beacon_peer_create_offer () was called, even if the offer is still being made:
 * webrtcbin 1.22 cannot roll a local offer back, so such a peer cannot take a remote offer
 * and a new peer has to answer it. */
gboolean        beacon_peer_has_local_offer        (BeaconPeer *self);
/* Applies a remote offer (then answers) or answer. Errors arrive as "failed". */
void            beacon_peer_set_remote_description (BeaconPeer *self,
                                                    const char *type,
                                                    const char *sdp);
void            beacon_peer_add_remote_candidate   (BeaconPeer *self,
                                                    guint       mline,
                                                    const char *candidate);
/* Stops the webrtcbin and removes it from its bin. */
void            beacon_peer_close                  (BeaconPeer *self);
BeaconPeerInfo *beacon_peer_dup_info               (BeaconPeer *self);

/* Asks webrtcbin for its statistics without waiting (see beacon_peer_stats_request ()); when
 * they come, the peer keeps them as its health and its loss-recovery totals and emits
 * "stats-updated". A closed peer asks nothing, and drops an answer that comes after. */
void                   beacon_peer_request_stats (BeaconPeer *self);
/* Never NULL: the figures of the last answer (zero before the first). */
BeaconPeerHealth      *beacon_peer_get_health    (BeaconPeer *self);
const BeaconPeerStats *beacon_peer_get_stats     (BeaconPeer *self);
/* Never NULL: when this connection got where (see beacon-peer-timeline.h). The peer marks
 * the negotiation, ICE, DTLS, the verified identity, the first media packet it passes on
 * (receiving) and the first key frame it sends (sending); the rest is its owner's to mark. */
BeaconPeerTimeline    *beacon_peer_get_timeline  (BeaconPeer *self);

G_END_DECLS

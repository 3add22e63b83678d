/* beacon-peer.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define BEACON_PEER_ERROR (beacon_peer_error_quark ())

typedef enum {
  BEACON_PEER_ERROR_BAD_SDP,      /* the remote description cannot be used */
  BEACON_PEER_ERROR_NEGOTIATION,  /* webrtcbin could not create or apply a description */
  BEACON_PEER_ERROR_ICE_FAILED,   /* no network path to the peer */
  BEACON_PEER_ERROR_DTLS_FAILED,  /* the encryption handshake failed */
} BeaconPeerError;

GQuark beacon_peer_error_quark (void);

/* What the report shows about one peer connection. */
typedef struct {
  char *session_id;
  char *ice_state;             /* "new", "checking", "connected", … */
  char *connection_state;      /* "new", "connecting", "connected", "failed", … */
  char *dtls_state;            /* "new", "connecting", "connected", "failed", "closed" */
  char *dtls_role;             /* nullable: "client" | "server" */
  char *local_fingerprint;     /* as announced in our SDP: "sha-256 AB:…" */
  char *remote_fingerprint;    /* as announced in the remote SDP */
  char *remote_certificate_fingerprint; /* nullable: SHA-256 of the certificate presented */
} BeaconPeerInfo;

void beacon_peer_info_free (BeaconPeerInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPeerInfo, beacon_peer_info_free)

#define BEACON_TYPE_PEER (beacon_peer_get_type ())

G_DECLARE_FINAL_TYPE (BeaconPeer, beacon_peer, BEACON, PEER, GObject)

/* One webrtcbin peer connection inside @bin. It talks to the outside only through signals,
 * always emitted on the main context that created it:
 *   local-description (type, sdp)   to send to the remote side
 *   local-candidate   (mline, candidate)
 *   connected ()                    ICE and DTLS are up
 *   failed (GError)                 negotiation, ICE or DTLS failed
 * @ice_addresses, when given, are the only local addresses ICE gathers candidates on. */
BeaconPeer     *beacon_peer_new                       (GstBin             *bin,
                                                       const char         *session_id,
                                                       const char * const *ice_addresses,
                                                       const char         *stun_server);
GstElement     *beacon_peer_get_webrtcbin             (BeaconPeer         *self);
const char     *beacon_peer_get_session_id            (BeaconPeer         *self);
gboolean        beacon_peer_is_connected              (BeaconPeer         *self);

/* Offerer: create and send an offer once the media is attached. */
void            beacon_peer_create_offer              (BeaconPeer         *self);
/* Applies a remote offer (then answers) or answer. Errors arrive as "failed". */
void            beacon_peer_set_remote_description    (BeaconPeer         *self,
                                                       const char         *type,
                                                       const char         *sdp);
void            beacon_peer_add_remote_candidate      (BeaconPeer         *self,
                                                       guint               mline,
                                                       const char         *candidate);
/* Stops the webrtcbin and removes it from its bin. */
void            beacon_peer_close                     (BeaconPeer         *self);
BeaconPeerInfo *beacon_peer_dup_info                  (BeaconPeer         *self);

/* The first "a=fingerprint:" of an SDP text as "sha-256 AB:CD:…", or NULL. */
char           *beacon_sdp_find_fingerprint           (const char         *sdp);

G_END_DECLS

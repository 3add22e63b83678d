/* beacon-gst-protocol.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Messages of the GStreamer WebRTC signalling protocol, the protocol of gst-plugins-rs
 * webrtcsink/webrtcsrc and of the gstwebrtc-api browser library: JSON text frames, each an
 * object tagged by "type", with camelCase fields. One struct serves every message type; the
 * fields that a type does not use stay NULL/0. */

#define BEACON_GST_PROTOCOL_ERROR (beacon_gst_protocol_error_quark ())

typedef enum {
  BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,    /* not JSON, or not an object */
  BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE,    /* "type" missing or not one we know */
  BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,   /* a required field is missing or of a wrong type */
} BeaconGstProtocolError;

GQuark beacon_gst_protocol_error_quark (void);

typedef enum {
  BEACON_GST_MESSAGE_WELCOME,             /* server → peer: peer_id */
  BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION,/* peer → server: ignored beyond parsing */
  BEACON_GST_MESSAGE_SET_PEER_STATUS,     /* peer → server: roles, meta */
  BEACON_GST_MESSAGE_PEER_STATUS_CHANGED, /* server → peer: roles, meta, peer_id */
  BEACON_GST_MESSAGE_LIST,                /* peer → server: nothing; server → peer: peers */
  BEACON_GST_MESSAGE_LIST_CONSUMERS,      /* peer → server: nothing; server → peer: peers */
  BEACON_GST_MESSAGE_START_SESSION,       /* both ways: peer_id, session_id (server → peer), offer_sdp (optional) */
  BEACON_GST_MESSAGE_SESSION_STARTED,     /* server → peer: peer_id, session_id */
  BEACON_GST_MESSAGE_PEER_SDP,            /* "peer" with "sdp": session_id, sdp_type, sdp */
  BEACON_GST_MESSAGE_PEER_ICE,            /* "peer" with "ice": session_id, candidate, sdp_mline_index */
  BEACON_GST_MESSAGE_END_SESSION,         /* both ways: session_id */
  BEACON_GST_MESSAGE_ERROR,               /* server → peer: details */
} BeaconGstMessageType;

typedef enum {
  BEACON_GST_ROLE_NONE     = 0,
  BEACON_GST_ROLE_PRODUCER = 1 << 0,
  BEACON_GST_ROLE_LISTENER = 1 << 1,
  BEACON_GST_ROLE_CONSUMER = 1 << 2,
} BeaconGstRoles;

typedef struct {
  char       *id;
  JsonObject *meta;   /* nullable */
} BeaconGstPeerInfo;

typedef struct {
  BeaconGstMessageType type;
  char          *peer_id;          /* nullable */
  char          *session_id;       /* nullable */
  BeaconGstRoles roles;
  JsonObject    *meta;             /* nullable */
  char          *sdp_type;         /* "offer" | "answer" for PEER_SDP */
  char          *sdp;              /* PEER_SDP: the SDP; START_SESSION: the optional offer */
  char          *candidate;        /* PEER_ICE; "" is a valid end-of-candidates candidate */
  guint          sdp_mline_index;  /* PEER_ICE */
  GPtrArray     *peers;            /* LIST / LIST_CONSUMERS replies: BeaconGstPeerInfo*; nullable */
  char          *details;          /* ERROR */
} BeaconGstMessage;

/* Parses one text frame. Unknown extra fields are ignored; a missing required field, a field of
 * the wrong JSON type, an unknown "type", an SDP type other than offer/answer, or a role name
 * we do not know is an error whose message names the field. */
BeaconGstMessage *beacon_gst_message_parse          (const char              *text,
                                                     gssize                   length,
                                                     GError                 **error);
/* Serialises to a compact JSON text frame. */
char             *beacon_gst_message_to_json        (const BeaconGstMessage  *message);
BeaconGstMessage *beacon_gst_message_new            (BeaconGstMessageType     type);
void              beacon_gst_message_free           (BeaconGstMessage        *message);
const char       *beacon_gst_message_type_to_string (BeaconGstMessageType     type);

BeaconGstPeerInfo *beacon_gst_peer_info_new  (const char        *id,
                                              JsonObject        *meta);
void               beacon_gst_peer_info_free (BeaconGstPeerInfo *info);

/* Convenience builders returning JSON text. */
char *beacon_gst_build_welcome         (const char     *peer_id);
char *beacon_gst_build_set_peer_status (BeaconGstRoles  roles,
                                        JsonObject     *meta);
char *beacon_gst_build_list            (void);
char *beacon_gst_build_start_session   (const char     *peer_id,
                                        const char     *offer_sdp);
char *beacon_gst_build_peer_sdp        (const char     *session_id,
                                        const char     *sdp_type,
                                        const char     *sdp);
char *beacon_gst_build_peer_ice        (const char     *session_id,
                                        guint           sdp_mline_index,
                                        const char     *candidate);
char *beacon_gst_build_end_session     (const char     *session_id);
char *beacon_gst_build_error           (const char     *details);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconGstMessage, beacon_gst_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconGstPeerInfo, beacon_gst_peer_info_free)

G_END_DECLS

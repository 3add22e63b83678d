/* beacon-direct-server.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_DIRECT_SERVER_ERROR (beacon_direct_server_error_quark ())

typedef enum {
  BEACON_DIRECT_SERVER_ERROR_LISTEN,   /* could not bind/listen: message names address and port */
  BEACON_DIRECT_SERVER_ERROR_PORT_IN_USE, /* another program listens there: the message names the port */
} BeaconDirectServerError;

GQuark beacon_direct_server_error_quark (void);

#define BEACON_TYPE_DIRECT_SERVER (beacon_direct_server_get_type ())

G_DECLARE_FINAL_TYPE (BeaconDirectServer, beacon_direct_server, BEACON, DIRECT_SERVER, GObject)

/* The direct server: a secure WebSocket (TLS always) relay speaking the GStreamer WebRTC
 * signalling protocol, so that Beacon's own broadcaster (a producer connected over loopback)
 * and any client of that protocol meet without an external server.
 *
 * On the same port it answers WHEP (draft-ietf-wish-whep) over HTTPS, so that standard players
 * can watch: POST /whep (the only broadcast) or /whep/<name> with a recvonly offer (201 with the
 * broadcaster's answer, Location /whep/session/<id> and an ETag), PATCH that Location with
 * application/trickle-ice-sdpfrag, DELETE it to leave. POST /whip is answered 501: without a
 * media server there is nothing to ingest into (see the comment in the source), unless the
 * broadcaster takes WHIP itself (beacon_direct_server_set_whip_ingest ()). */
BeaconDirectServer *beacon_direct_server_new (GTlsCertificate *certificate);

/* The secret a connection sends as "Authorization: Bearer TOKEN" in its WebSocket handshake
 * to be allowed to produce; every other connection may only watch. Random per server. */
const char *beacon_direct_server_get_producer_token (BeaconDirectServer *self);

/* Lets every connection produce, as a standalone signalling server (gst-plugins-rs's) does.
 * Never for a broadcaster's own server: its viewers bind the media to its identity, and a
 * server where others publish cannot promise that. Default: FALSE. */
void beacon_direct_server_set_open_producers (BeaconDirectServer *self,
                                              gboolean            open);

/* The SHA-256 fingerprint ("AB:CD:…") of the DTLS identity the broadcast's media comes from,
 * sent to WHEP viewers in the BEACON_MEDIA_IDENTITY_HEADER of the answer so that they can
 * bind the media to the server they authenticated. */
void beacon_direct_server_set_media_identity (BeaconDirectServer *self,
                                              const char         *fingerprint);

/* At most @max concurrent sessions per producer (0 = no limit). A startSession beyond it is
 * answered with an "error" message saying the broadcast is full. */
void beacon_direct_server_set_max_sessions_per_producer (BeaconDirectServer *self,
                                                         guint               max);

/* What one client can take of the server. A limit of 0 is no limit; timeouts are seconds. */
typedef struct {
  guint max_connections;               /* open connections at once; more are closed at once */
  guint max_connections_per_address;   /* of them from one IP address */
  guint max_sessions_per_connection;   /* sessions a consumer takes part in at once */
  guint handshake_timeout;             /* for the TLS handshake and each HTTP request
                                        * (WebSocket handshake included) to arrive whole */
  guint idle_timeout;                  /* for a WebSocket client's first message */
  guint session_answer_timeout;        /* for a consumer's first message in a new session */
  guint max_pending_sessions;          /* sessions, of all connections together, whose
                                        * consumer has not spoken in them yet (each costs the
                                        * broadcaster a peer connection); needs the timeout */
} BeaconDirectServerLimits;

/* Fills @limits with the defaults, fit for a broadcast from home: 64 connections, 8 per
 * address, 4 sessions per connection, 10 s handshakes, 30 s to the first message, 15 s to the
 * consumer's answer, 16 sessions waiting for it at once. */
void beacon_direct_server_limits_init_default (BeaconDirectServerLimits       *limits);
void beacon_direct_server_get_limits          (BeaconDirectServer             *self,
                                               BeaconDirectServerLimits       *limits);
void beacon_direct_server_set_limits          (BeaconDirectServer             *self,
                                               const BeaconDirectServerLimits *limits);

/* How long a WHEP POST waits for the broadcaster's answer before it is answered 504 Gateway
 * Timeout (default: 10 s). */
void beacon_direct_server_set_http_answer_timeout (BeaconDirectServer *self,
                                                   guint               milliseconds);

/* Takes WHIP at POST /whip: one publisher at a time (409 for another), a Bearer @token when
 * not NULL (401 otherwise), DELETE of the Location to leave, PATCH answered 405. Each offer
 * is emitted as "whip-offer" (id, offer) and answered with beacon_direct_server_whip_answer ();
 * "whip-ended" (id) says the publisher left or its answer timed out. */
void beacon_direct_server_set_whip_ingest (BeaconDirectServer *self,
                                           gboolean            enabled,
                                           const char         *token);
/* Answers the WHIP offer @id with @answer (201, complete with candidates) or @error (406). */
void beacon_direct_server_whip_answer     (BeaconDirectServer *self,
                                           const char         *id,
                                           const char         *answer,
                                           const GError       *error);
/* The broadcaster dropped publisher @id (its connection failed): another may publish. */
void beacon_direct_server_whip_end        (BeaconDirectServer *self,
                                           const char         *id);

/* Listens on @bind_address (NULL or "" = all interfaces, IPv4 and IPv6) and @port (0 = pick a
 * free one). */
gboolean beacon_direct_server_listen   (BeaconDirectServer  *self,
                                        const char          *bind_address,
                                        guint                port,
                                        GError             **error);
guint    beacon_direct_server_get_port (BeaconDirectServer  *self);

/* Number of WebSocket connections currently open. */
guint beacon_direct_server_get_n_connections (BeaconDirectServer *self);

/* Ends every session (endSession to both sides), closes every connection and stops listening.
 * Safe to call twice. */
void beacon_direct_server_stop (BeaconDirectServer *self);

G_END_DECLS

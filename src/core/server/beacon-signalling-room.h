/* beacon-signalling-room.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "beacon-gst-protocol.h"

G_BEGIN_DECLS

#define BEACON_TYPE_SIGNALLING_ROOM (beacon_signalling_room_get_type ())

G_DECLARE_FINAL_TYPE (BeaconSignallingRoom, beacon_signalling_room, BEACON, SIGNALLING_ROOM,
                      GObject)

/* The room where the peers of the GStreamer WebRTC signalling protocol meet: who is there in
 * which roles, the sessions between producers and consumers, and the limits on sessions. It
 * speaks the protocol's messages but owns no socket: a peer joins with a function that carries
 * the room's text messages to it, and hands the room what it receives. The direct server puts
 * its WebSocket connections in it (beacon-websocket-peer); tests put in-memory peers.
 *
 * A send may close a peer's connection at once, and with it remove the peer from the room:
 * the room looks peers up by id at the moment of sending and holds no peer across a send.
 *
 * Signals:
 * - session-ended (session id): a session is over, whoever ended it; emitted after its sides
 *   were told, before it is forgotten.
 * - relayed-message (session id, BeaconGstMessage *): the producer of a relayed session (one
 *   whose consumer is not a peer of the room, see beacon_signalling_room_start_relayed_session
 *   ()) sent a "peer" message for its consumer. The message is valid during the emission. */

/* The limits that concern sessions. A limit of 0 is no limit. */
typedef struct {
  guint max_sessions_per_producer;     /* sessions of one producer at once */
  guint max_sessions_per_connection;   /* sessions a consumer takes part in at once */
  guint max_pending_sessions;          /* sessions, of all peers together, whose consumer has
                                        * not spoken in them yet; needs the timeout */
  guint session_answer_timeout;        /* seconds for a consumer's first message in a new
                                        * session */
} BeaconSignallingRoomLimits;

/* Carries one text message of the room to a peer. */
typedef void (*BeaconSignallingRoomSendFunc) (const char *text,
                                              gpointer    user_data);

BeaconSignallingRoom *beacon_signalling_room_new (void);

void beacon_signalling_room_get_limits (BeaconSignallingRoom       *self,
                                        BeaconSignallingRoomLimits *limits);
/* Sessions already running stay: the limits apply to new ones. */
void beacon_signalling_room_set_limits (BeaconSignallingRoom             *self,
                                        const BeaconSignallingRoomLimits *limits);

/* Adds a peer that may produce only when @may_produce; the room sends it its messages through
 * @send. The room owns @user_data from now on and frees it with @destroy when the peer is
 * removed. Returns the peer's id, owned by the room until then. The peer is welcomed apart
 * (beacon_signalling_room_welcome ()), once its caller is ready for what the welcome can
 * cause: a send that fails can remove the peer at once. */
const char *beacon_signalling_room_add_peer (BeaconSignallingRoom         *self,
                                             gboolean                      may_produce,
                                             BeaconSignallingRoomSendFunc  send,
                                             gpointer                      user_data,
                                             GDestroyNotify                destroy);
/* Sends peer @peer_id the "welcome" message that tells it its id. */
void beacon_signalling_room_welcome (BeaconSignallingRoom *self,
                                     const char           *peer_id);
/* The peer left: its sessions end (the other sides are told), listeners learn that a producer
 * left, and its user data is freed. Unknown ids are ignored. */
void beacon_signalling_room_remove_peer (BeaconSignallingRoom *self,
                                         const char           *peer_id);
guint beacon_signalling_room_get_n_peers (BeaconSignallingRoom *self);

/* A text message from peer @peer_id: acted on, or answered with an "error" message. */
void beacon_signalling_room_receive_text (BeaconSignallingRoom *self,
                                          const char           *peer_id,
                                          const char           *text,
                                          gsize                 length);
/* A binary message from peer @peer_id: not part of the protocol, answered with an error. */
void beacon_signalling_room_receive_binary (BeaconSignallingRoom *self,
                                            const char           *peer_id);

/* Sends @text to peer @peer_id, if it is here. */
void beacon_signalling_room_send_to (BeaconSignallingRoom *self,
                                     const char           *peer_id,
                                     const char           *text);

/* The producers (BeaconGstPeerInfo *), as a "list" reply names them. */
GPtrArray *beacon_signalling_room_list_producers (BeaconSignallingRoom *self);
/* TRUE when producer @producer_id has as many sessions as max-sessions-per-producer allows. */
gboolean beacon_signalling_room_producer_is_full (BeaconSignallingRoom *self,
                                                  const char           *producer_id);

/* Starts a session between producer @producer_id and a consumer that is not a peer of the
 * room but is spoken for by its caller (a WHEP viewer): its consumer id is @consumer_prefix
 * followed by the session id, the session does not wait for the consumer's answer and counts
 * against no limit but the producer's, and what the producer sends in it comes out as
 * "relayed-message". Nobody is told: the caller sends the startSession with
 * beacon_signalling_room_send_to (). Returns the session id; @consumer_id, when not NULL, is
 * set to the consumer id (both owned by the session). */
const char *beacon_signalling_room_start_relayed_session (BeaconSignallingRoom  *self,
                                                          const char            *producer_id,
                                                          const char            *consumer_prefix,
                                                          const char           **consumer_id);
/* The producer of session @session_id (owned by the session), or NULL when it is over. */
const char *beacon_signalling_room_get_session_producer (BeaconSignallingRoom *self,
                                                         const char           *session_id);
/* Forgets session @session_id, then sends endSession to the sides for which @notify_producer
 * and @notify_consumer are set. Unknown ids are ignored. */
void beacon_signalling_room_end_session (BeaconSignallingRoom *self,
                                         const char           *session_id,
                                         gboolean              notify_producer,
                                         gboolean              notify_consumer);

/* Ends every session (endSession to both sides), then removes every peer without telling the
 * others (all are leaving). */
void beacon_signalling_room_close (BeaconSignallingRoom *self);

G_END_DECLS

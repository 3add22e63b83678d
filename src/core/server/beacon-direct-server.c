/* beacon-direct-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "beacon-direct-server.h"
#include "beacon-gst-protocol.h"
#include "beacon-random.h"
#include "beacon-whip-signaler.h"
#include "beacon-websocket-limit.h"

/* Signalling messages are a few kilobytes (an SDP with many candidates stays well below
 * 100 KiB); anything larger is refused by libsoup, which closes the connection. A message may
 * come whole or in fragments: the limit holds for each frame and for the sum of a message's
 * fragments, so a connection holds at most twice this (the frame being read and the message
 * being assembled). */
#define MAX_MESSAGE_SIZE          (256 * 1024)
#define MAX_INCOMING_PAYLOAD_SIZE MAX_MESSAGE_SIZE

/* Pings keep NAT mappings and proxies from dropping idle viewers' connections. */
#define KEEPALIVE_INTERVAL_SECONDS 20

/* WHEP: how long a POST waits for the broadcaster's answer before it gets 504. */
#define DEFAULT_HTTP_ANSWER_TIMEOUT_MS 10000

/* WHEP has no way to send the broadcaster's later ICE candidates to the viewer, so its answer
 * waits until the candidates stop coming (GATHER_QUIET_MS without a new one) and carries
 * them, or goes out when GATHER_MAX_MS have passed. */
#define GATHER_QUIET_MS 200
#define GATHER_MAX_MS   2000

/* An SDP offer or a trickle fragment is a few kilobytes. */
#define MAX_HTTP_BODY_SIZE (64 * 1024)

/* Sessions of viewers that came over WHEP have this prefix in their consumer id: they have
 * no WebSocket peer, the server speaks for them. */
#define WHEP_CONSUMER_PREFIX "whep-"

/* A test hook: with BEACON_DIRECT_SERVER_WHEP_OFFER=server in the environment, POST /whep drops
 * the viewer's offer and asks the broadcaster for one, which goes back to the viewer in a
 * 406 Not Acceptable (the WHEP server-offer flow); the viewer's answer then comes with PATCH.
 * Beacon's broadcaster always answers an offer, so only this makes the flow testable. */
#define WHEP_OFFER_ENV "BEACON_DIRECT_SERVER_WHEP_OFFER"

typedef struct {
  BeaconDirectServer      *server;      /* unowned: the server owns every peer */
  char                    *id;
  SoupWebsocketConnection *connection;
  guint                    idle_source; /* until its first message */
  BeaconGstRoles           roles;
  JsonObject              *meta;        /* nullable */
  gboolean                 may_produce; /* sent the producer token when it connected */
} Peer;

typedef struct {
  char *id;
  char *producer_id;
  char *consumer_id;
  guint answer_source;                  /* until the consumer's first message in it */
} Session;

/* One TCP connection, from its acceptance (before the TLS handshake) until it closes, also
 * as a WebSocket. */
typedef struct {
  BeaconDirectServer      *server;      /* unowned */
  GSocket                 *socket;
  char                    *address;     /* the client's IP address */
  SoupServerMessage       *msg;         /* nullable: the latest request; its "disconnected"
                                         * ends an HTTP connection */
  SoupWebsocketConnection *websocket;   /* nullable: once upgraded; its "closed" ends it */
  gboolean                 upgrading;
  guint                    deadline_source;
} Connection;

/* A session whose consumer is a WHEP client: the HTTP side of it. */
typedef struct {
  BeaconDirectServer *server;       /* unowned */
  char               *session_id;
  char               *etag;         /* quoted, as sent in ETag */
  GStrv               mids;         /* of the viewer's offer, to map trickled candidates */
  char               *ufrag;        /* of the viewer's offer */
  SoupServerMessage  *pending;      /* the POST waiting for the broadcaster's description */
  char               *sdp_type;     /* what the broadcaster sent: "answer" or "offer" */
  char               *sdp;
  GPtrArray          *candidates;   /* BeaconWhipCandidate*: the broadcaster's so far */
  gboolean            gathering_done;
  gboolean            responded;
  gboolean            expects_answer;  /* we relayed the broadcaster's offer (406) */
  guint               timeout_source;
  guint               quiet_source;
  guint               deadline_source;
} WhepResource;

/* The one WHIP publisher: the POST waits for the broadcaster's answer, then the resource
 * lives until DELETE or until the broadcaster ends it. */
typedef struct {
  char               *id;
  char               *etag;
  SoupServerMessage  *pending;
  gboolean            answered;
  guint               timeout_source;
} WhipIngest;

/* A listening socket, watched for libsoup giving up on it (see listener_check_cb ()). */
typedef struct {
  BeaconDirectServer *server;           /* unowned */
  GSocket            *socket;
  gboolean            was_readable;     /* at the last check */
  guint64             n_accepted;       /* the server's count at the last check */
  guint               check_source;
} Listener;

/* How often listening sockets are checked. */
#define LISTENER_CHECK_SECONDS 1

struct _BeaconDirectServer
{
  GObject          parent_instance;

  GTlsCertificate *certificate;
  SoupServer      *soup_server;
  char            *producer_token;      /* only a connection that sends it may produce */
  gboolean         open_producers;      /* anyone may produce (not Beacon's own server) */
  char            *media_identity;      /* nullable: "AB:CD:…", announced to WHEP viewers */
  guint            max_sessions_per_producer;
  guint            port;

  GHashTable      *peers;               /* id → Peer*, owned */
  GHashTable      *sessions;            /* id → Session*, owned */
  GHashTable      *whep;                /* session id → WhepResource*, owned */
  GHashTable      *connections;         /* GSocket* → Connection*, owned */
  GHashTable      *per_address;         /* IP address → number of its connections */
  GPtrArray       *listeners;           /* Listener*, owned */
  guint64          n_accepted;          /* connections libsoup has accepted */
  BeaconDirectServerLimits limits;
  guint            http_answer_timeout_ms;
  gboolean         whep_server_offers;  /* the WHEP_OFFER_ENV test hook */

  /* WHIP ingest: taken only when the broadcaster asked for it; at most one publisher. */
  gboolean         whip_enabled;
  char            *whip_token;          /* nullable: the Bearer token publishers must send */
  WhipIngest      *whip;                /* nullable, owned: the current publisher */
};

G_DEFINE_FINAL_TYPE (BeaconDirectServer, beacon_direct_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (beacon-direct-server-error, beacon_direct_server_error)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_MAX_SESSIONS_PER_PRODUCER,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_WHIP_OFFER,
  SIGNAL_WHIP_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void whep_session_ended   (BeaconDirectServer *self,
                                  const char         *session_id);
static void whep_from_producer   (BeaconDirectServer *self,
                                  Session            *session,
                                  BeaconGstMessage   *message);

/* Peers and sessions */

static void
closing_connection_closed_cb (SoupWebsocketConnection *connection,
                              gpointer                 user_data)
{
  g_signal_handlers_disconnect_by_func (connection, closing_connection_closed_cb, user_data);
  g_object_unref (connection);
}

/* Drops a peer's connection. A connection still open is closed with @close_code and kept
 * alive until the close handshake is over: finalizing it earlier would cut the socket before
 * the close frame is written. */
static void
peer_release_connection (Peer   *peer,
                         gushort close_code)
{
  SoupWebsocketConnection *connection = g_steal_pointer (&peer->connection);

  if (connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (connection, peer);

  if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection, close_code, NULL);

  if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_CLOSED)
    {
      /* The reference moves to the handler, which drops it when "closed" arrives. */
      g_signal_connect (connection, "closed", G_CALLBACK (closing_connection_closed_cb), NULL);
      return;
    }

  g_object_unref (connection);
}

static void
peer_free (Peer *peer)
{
  g_clear_handle_id (&peer->idle_source, g_source_remove);
  peer_release_connection (peer, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_clear_pointer (&peer->meta, json_object_unref);
  g_free (peer->id);
  g_free (peer);
}

static void
session_free (Session *session)
{
  g_clear_handle_id (&session->answer_source, g_source_remove);
  g_free (session->id);
  g_free (session->producer_id);
  g_free (session->consumer_id);
  g_free (session);
}

static void
peer_send (Peer       *peer,
           const char *text)
{
  if (peer == NULL || peer->connection == NULL || text == NULL)
    return;

  if (soup_websocket_connection_get_state (peer->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_debug ("Not sending to peer %s: its connection is closing", peer->id);
      return;
    }

  /* The parser only accepts valid UTF-8 and json-glib escapes what it writes, so this is a
   * last line of defence: libsoup answers invalid text with a critical. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_debug ("Not sending a message that is not valid UTF-8 to peer %s", peer->id);
      return;
    }

  soup_websocket_connection_send_text (peer->connection, text);
}

static void
peer_send_message (Peer                   *peer,
                   const BeaconGstMessage *message)
{
  g_autofree char *text = beacon_gst_message_to_json (message);

  peer_send (peer, text);
}

static void
peer_send_error (Peer       *peer,
                 const char *details)
{
  g_autofree char *text = beacon_gst_build_error (details);

  g_debug ("Error for peer %s: %s", peer->id, details);
  peer_send (peer, text);
}

static Peer *
lookup_peer (BeaconDirectServer *self,
             const char         *id)
{
  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->peers, id);
}

static const char *
session_other_side (Session    *session,
                    const char *peer_id)
{
  if (g_strcmp0 (session->producer_id, peer_id) == 0)
    return session->consumer_id;
  if (g_strcmp0 (session->consumer_id, peer_id) == 0)
    return session->producer_id;
  return NULL;
}

/* Looks the recipient up by id at the moment of sending: a send can fail at once and close
 * a connection, so peer pointers are not held across sends. */
static void
send_to (BeaconDirectServer *self,
         const char         *peer_id,
         const char         *text)
{
  peer_send (lookup_peer (self, peer_id), text);
}

/* Forgets @session_id, then sends endSession to the sides for which @notify_producer and
 * @notify_consumer are set. */
static void
end_session (BeaconDirectServer *self,
             const char         *session_id,
             gboolean            notify_producer,
             gboolean            notify_consumer)
{
  g_autofree char *text = NULL;
  gpointer value;
  Session *session;

  if (!g_hash_table_steal_extended (self->sessions, session_id, NULL, &value))
    return;

  session = value;
  g_debug ("Ending session %s (producer %s, consumer %s)",
           session->id, session->producer_id, session->consumer_id);

  text = beacon_gst_build_end_session (session->id);
  if (notify_producer)
    send_to (self, session->producer_id, text);
  if (notify_consumer)
    send_to (self, session->consumer_id, text);

  whep_session_ended (self, session->id);
  session_free (session);
}

/* Ends the sessions @peer_id takes part in (only those where it produces, if
 * @producing_only), telling the other side. */
static void
end_sessions_of_peer (BeaconDirectServer *self,
                      const char         *peer_id,
                      gboolean            producing_only)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Session *session;

  /* Collected first: ending a session modifies the table. */
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      gboolean produces = g_strcmp0 (session->producer_id, peer_id) == 0;
      gboolean consumes = g_strcmp0 (session->consumer_id, peer_id) == 0;

      if (produces || (consumes && !producing_only))
        g_ptr_array_add (ids, g_strdup (session->id));
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      Session *s = g_hash_table_lookup (self->sessions, id);

      if (s != NULL)
        end_session (self, id,
                     g_strcmp0 (s->producer_id, peer_id) != 0,
                     g_strcmp0 (s->consumer_id, peer_id) != 0);
    }
}

/* The sessions in which @peer_id is the producer (@producing) or the consumer. */
static guint
count_sessions (BeaconDirectServer *self,
                const char         *peer_id,
                gboolean            producing)
{
  GHashTableIter iter;
  Session *session;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      if (g_strcmp0 (producing ? session->producer_id : session->consumer_id, peer_id) == 0)
        n++;
    }

  return n;
}

static guint
count_producer_sessions (BeaconDirectServer *self,
                         const char         *producer_id)
{
  return count_sessions (self, producer_id, TRUE);
}

typedef struct {
  BeaconDirectServer *server;
  char               *session_id;
} SessionRef;

static void
session_ref_free (SessionRef *ref)
{
  g_free (ref->session_id);
  g_free (ref);
}

static gboolean
session_answer_timeout_cb (gpointer user_data)
{
  SessionRef *ref = user_data;
  Session *session = g_hash_table_lookup (ref->server->sessions, ref->session_id);

  g_debug ("Session %s: the consumer did not answer within %u s, ending it", ref->session_id,
           ref->server->limits.session_answer_timeout);
  /* The source is being dispatched: session_free must not remove it. */
  if (session != NULL)
    session->answer_source = 0;
  end_session (ref->server, ref->session_id, TRUE, TRUE);
  return G_SOURCE_REMOVE;
}

/* Sessions whose consumer has not spoken in them yet. */
static guint
count_pending_sessions (BeaconDirectServer *self)
{
  GHashTableIter iter;
  Session *session;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      if (session->answer_source != 0)
        n++;
    }
  return n;
}

/* A producer prepares a peer connection (threads, sockets) for every session: one the consumer
 * never takes up is ended instead of being kept until the consumer leaves. */
static void
session_wait_for_consumer (BeaconDirectServer *self,
                           Session            *session)
{
  SessionRef *ref;

  if (self->limits.session_answer_timeout == 0)
    return;
  ref = g_new0 (SessionRef, 1);
  ref->server = self;
  ref->session_id = g_strdup (session->id);
  session->answer_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
                                                       self->limits.session_answer_timeout,
                                                       session_answer_timeout_cb, ref,
                                                       (GDestroyNotify) session_ref_free);
}

/* Tells every listener, and @peer itself (browser clients wait for that echo before they
 * consider themselves registered), about @peer's roles. */
static void
announce_peer_status (BeaconDirectServer *self,
                      Peer               *peer,
                      BeaconGstRoles      roles,
                      gboolean            include_peer)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  Peer *other;

  message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  message->roles = roles;
  message->meta = peer->meta != NULL ? json_object_ref (peer->meta) : NULL;
  message->peer_id = g_strdup (peer->id);
  text = beacon_gst_message_to_json (message);

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    {
      if (other == peer ? include_peer : (other->roles & BEACON_GST_ROLE_LISTENER) != 0)
        g_ptr_array_add (recipients, g_strdup (other->id));
    }

  for (guint i = 0; i < recipients->len; i++)
    send_to (self, g_ptr_array_index (recipients, i), text);
}

static void
remove_peer (BeaconDirectServer *self,
             Peer               *peer)
{
  g_debug ("Peer %s left", peer->id);

  end_sessions_of_peer (self, peer->id, FALSE);

  if (peer->roles & BEACON_GST_ROLE_PRODUCER)
    announce_peer_status (self, peer, BEACON_GST_ROLE_NONE, FALSE);

  g_hash_table_remove (self->peers, peer->id);
}

/* Message handlers */

static void
handle_set_peer_status (BeaconDirectServer *self,
                        Peer               *peer,
                        BeaconGstMessage   *message)
{
  gboolean was_producer = (peer->roles & BEACON_GST_ROLE_PRODUCER) != 0;

  /* A viewer of a direct link trusts whatever this server relays as the broadcast, so only
   * the broadcaster that runs the server may produce here: anyone else could otherwise
   * publish under its name to every viewer of the genuine link. */
  if ((message->roles & BEACON_GST_ROLE_PRODUCER) && !peer->may_produce)
    {
      g_debug ("Peer %s asked to produce without the producer token: refused", peer->id);
      peer_send_error (peer, "only the broadcaster that runs this server can publish on it");
      return;
    }

  peer->roles = message->roles;
  g_clear_pointer (&peer->meta, json_object_unref);
  peer->meta = g_steal_pointer (&message->meta);

  g_debug ("Peer %s now has roles 0x%x", peer->id, peer->roles);

  if (was_producer && !(peer->roles & BEACON_GST_ROLE_PRODUCER))
    end_sessions_of_peer (self, peer->id, TRUE);

  announce_peer_status (self, peer, peer->roles, TRUE);
}

static void
handle_list (BeaconDirectServer   *self,
             Peer                 *peer,
             BeaconGstMessageType  type,
             BeaconGstRoles        role)
{
  g_autoptr(BeaconGstMessage) reply = beacon_gst_message_new (type);
  GHashTableIter iter;
  Peer *other;

  reply->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_gst_peer_info_free);

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    {
      if (other->roles & role)
        g_ptr_array_add (reply->peers, beacon_gst_peer_info_new (other->id, other->meta));
    }

  peer_send_message (peer, reply);
}

static void
handle_start_session (BeaconDirectServer *self,
                      Peer               *peer,
                      BeaconGstMessage   *message)
{
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) started = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *started_text = NULL;
  Peer *target = lookup_peer (self, message->peer_id);
  Peer *producer;
  Peer *consumer;
  Session *session;

  if (target != NULL && target != peer && (target->roles & BEACON_GST_ROLE_PRODUCER))
    {
      producer = target;
      consumer = peer;
    }
  else if (target != NULL && target != peer
           && (target->roles & BEACON_GST_ROLE_CONSUMER)
           && (peer->roles & BEACON_GST_ROLE_PRODUCER))
    {
      producer = peer;
      consumer = target;
    }
  else
    {
      g_autofree char *details = g_strdup_printf ("producer '%s' not found", message->peer_id);

      peer_send_error (peer, details);
      return;
    }

  if (self->limits.max_sessions_per_connection > 0
      && count_sessions (self, consumer->id, FALSE) >= self->limits.max_sessions_per_connection)
    {
      g_autofree char *details =
        g_strdup_printf ("too many sessions: at most %u at once on one connection",
                         self->limits.max_sessions_per_connection);

      peer_send_error (peer, details);
      return;
    }

  /* Strangers can open 64 connections of 4 sessions each, and every session costs the
   * broadcaster a webrtcbin (threads, sockets, memory) until its consumer answers or the
   * answer timeout ends it: the sessions still waiting are capped for all of them together. */
  if (self->limits.max_pending_sessions > 0
      && count_pending_sessions (self) >= self->limits.max_pending_sessions)
    {
      g_autofree char *details =
        g_strdup_printf ("the broadcaster is busy with %u viewers joining; try again in a moment",
                         self->limits.max_pending_sessions);

      peer_send_error (peer, details);
      return;
    }

  if (self->max_sessions_per_producer > 0
      && count_producer_sessions (self, producer->id) >= self->max_sessions_per_producer)
    {
      g_autofree char *details = g_strdup_printf ("broadcast is full: at most %u viewers",
                                                  self->max_sessions_per_producer);

      peer_send_error (peer, details);
      return;
    }

  session = g_new0 (Session, 1);
  session->id = beacon_random_hex (16);
  session->producer_id = g_strdup (producer->id);
  session->consumer_id = g_strdup (consumer->id);
  g_hash_table_insert (self->sessions, session->id, session);

  g_debug ("Session %s started by %s (producer %s, consumer %s)",
           session->id, peer->id, producer->id, consumer->id);
  session_wait_for_consumer (self, session);

  /* The side that did not ask is told to start, with the asker's id; the asker learns the
   * session id. */
  start = beacon_gst_message_new (BEACON_GST_MESSAGE_START_SESSION);
  start->peer_id = g_strdup (peer->id);
  start->session_id = g_strdup (session->id);
  start->sdp = g_steal_pointer (&message->sdp);
  start_text = beacon_gst_message_to_json (start);

  started = beacon_gst_message_new (BEACON_GST_MESSAGE_SESSION_STARTED);
  started->peer_id = g_strdup (target->id);
  started->session_id = g_strdup (session->id);
  started_text = beacon_gst_message_to_json (started);

  send_to (self, target->id, start_text);
  send_to (self, start->peer_id, started_text);
}

static Session *
lookup_session_of_peer (BeaconDirectServer *self,
                        Peer               *peer,
                        const char         *session_id)
{
  Session *session = g_hash_table_lookup (self->sessions, session_id);
  g_autofree char *details = NULL;

  if (session != NULL && session_other_side (session, peer->id) != NULL)
    return session;

  details = g_strdup_printf ("session '%s' not found", session_id);
  peer_send_error (peer, details);
  return NULL;
}

static void
handle_peer_message (BeaconDirectServer *self,
                     Peer               *peer,
                     BeaconGstMessage   *message)
{
  Session *session = lookup_session_of_peer (self, peer, message->session_id);

  if (session == NULL)
    return;

  if (g_strcmp0 (session->consumer_id, peer->id) == 0)
    g_clear_handle_id (&session->answer_source, g_source_remove);

  if (g_str_has_prefix (session->consumer_id, WHEP_CONSUMER_PREFIX) &&
      g_strcmp0 (session->producer_id, peer->id) == 0)
    {
      whep_from_producer (self, session, message);
      return;
    }

  /* Re-serialised rather than forwarded as received, so that nothing but the fields of the
   * protocol reaches the other side. */
  peer_send_message (lookup_peer (self, session_other_side (session, peer->id)), message);
}

static void
handle_end_session (BeaconDirectServer *self,
                    Peer               *peer,
                    BeaconGstMessage   *message)
{
  Session *session = lookup_session_of_peer (self, peer, message->session_id);

  if (session == NULL)
    return;

  end_session (self, session->id,
               g_strcmp0 (session->producer_id, peer->id) != 0,
               g_strcmp0 (session->consumer_id, peer->id) != 0);
}

static void
handle_text (BeaconDirectServer *self,
             Peer               *peer,
             const char         *text,
             gsize               length)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = beacon_gst_message_parse (text, length, &error);
  if (message == NULL)
    {
      peer_send_error (peer, error->message);
      return;
    }

  switch (message->type)
    {
    case BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION:
      break;

    case BEACON_GST_MESSAGE_SET_PEER_STATUS:
      handle_set_peer_status (self, peer, message);
      break;

    case BEACON_GST_MESSAGE_LIST:
      handle_list (self, peer, BEACON_GST_MESSAGE_LIST, BEACON_GST_ROLE_PRODUCER);
      break;

    case BEACON_GST_MESSAGE_LIST_CONSUMERS:
      handle_list (self, peer, BEACON_GST_MESSAGE_LIST_CONSUMERS, BEACON_GST_ROLE_CONSUMER);
      break;

    case BEACON_GST_MESSAGE_START_SESSION:
      handle_start_session (self, peer, message);
      break;

    case BEACON_GST_MESSAGE_PEER_SDP:
    case BEACON_GST_MESSAGE_PEER_ICE:
      handle_peer_message (self, peer, message);
      break;

    case BEACON_GST_MESSAGE_END_SESSION:
      handle_end_session (self, peer, message);
      break;

    case BEACON_GST_MESSAGE_WELCOME:
    case BEACON_GST_MESSAGE_PEER_STATUS_CHANGED:
    case BEACON_GST_MESSAGE_SESSION_STARTED:
    case BEACON_GST_MESSAGE_ERROR:
    default:
      {
        g_autofree char *details =
          g_strdup_printf ("unexpected message type '%s' from a peer",
                           beacon_gst_message_type_to_string (message->type));

        peer_send_error (peer, details);
      }
      break;
    }
}

/* Connections */

static void
connection_message_cb (SoupWebsocketConnection *connection,
                       gint                     type,
                       GBytes                  *bytes,
                       gpointer                 user_data)
{
  Peer *peer = user_data;
  const char *data;
  gsize length;

  g_clear_handle_id (&peer->idle_source, g_source_remove);
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      peer_send_error (peer, "binary messages are not part of the protocol");
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  handle_text (peer->server, peer, data, length);
}

static void
connection_error_cb (SoupWebsocketConnection *connection,
                     GError                  *error,
                     gpointer                 user_data)
{
  Peer *peer = user_data;

  g_debug ("Connection of peer %s: %s", peer->id, error->message);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      gpointer                 user_data)
{
  Peer *peer = user_data;

  g_debug ("Connection of peer %s closed (code %u)",
           peer->id, soup_websocket_connection_get_close_code (connection));

  remove_peer (peer->server, peer);
}

/* Compares without an early exit, so that the time taken says nothing about the token. */
static gboolean
token_equal (const char *given,
             const char *expected)
{
  gsize given_length = strlen (given);
  gsize expected_length = strlen (expected);
  guchar difference = given_length != expected_length;

  for (gsize i = 0; i < expected_length; i++)
    difference |= (guchar) expected[i] ^ (guchar) (i < given_length ? given[i] : 0);
  return difference == 0;
}

/* TRUE when @msg carries "Authorization: Bearer @token". */
static gboolean
request_has_bearer (SoupServerMessage *msg,
                    const char        *token)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  return token != NULL && authorization != NULL &&
         g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0 &&
         token_equal (authorization + 7, token);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  BeaconDirectServer *self = user_data;
  g_autofree char *welcome = NULL;
  Peer *peer;

  peer = g_new0 (Peer, 1);
  peer->server = self;
  peer->id = g_uuid_string_random ();
  peer->connection = g_object_ref (connection);
  peer->may_produce = self->open_producers || request_has_bearer (msg, self->producer_token);
  g_hash_table_insert (self->peers, peer->id, peer);

  g_debug ("Peer %s connected from %s",
           peer->id,
           soup_server_message_get_remote_host (msg) ? soup_server_message_get_remote_host (msg)
                                                     : "an unknown address");

  soup_websocket_connection_set_max_incoming_payload_size (connection,
                                                           MAX_INCOMING_PAYLOAD_SIZE);
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_INTERVAL_SECONDS);

  g_signal_connect (connection, "message", G_CALLBACK (connection_message_cb), peer);
  g_signal_connect (connection, "error", G_CALLBACK (connection_error_cb), peer);
  g_signal_connect (connection, "closed", G_CALLBACK (connection_closed_cb), peer);

  welcome = beacon_gst_build_welcome (peer->id);
  peer_send (peer, welcome);
}

/* Connections
 *
 * Each connection is counted from its acceptance: libsoup emits request-started for a new
 * connection's first request before the TLS handshake. One that would go over a limit is shut
 * down there, before it costs a handshake. Until a request has been read whole, a deadline
 * runs (handshake-timeout): it covers the TLS handshake, slow headers and bodies, and idle
 * keep-alive connections; a connection that misses it is shut down. */

static void
connection_free (Connection *connection)
{
  BeaconDirectServer *self = connection->server;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, connection->address));

  if (n > 1)
    g_hash_table_insert (self->per_address, g_strdup (connection->address),
                         GUINT_TO_POINTER (n - 1));
  else
    g_hash_table_remove (self->per_address, connection->address);

  g_clear_handle_id (&connection->deadline_source, g_source_remove);
  if (connection->msg != NULL)
    g_signal_handlers_disconnect_by_data (connection->msg, connection);
  g_clear_object (&connection->msg);
  if (connection->websocket != NULL)
    g_signal_handlers_disconnect_by_data (connection->websocket, connection);
  g_clear_object (&connection->websocket);
  g_clear_object (&connection->socket);
  g_free (connection->address);
  g_free (connection);
}

static void
connection_end (Connection *connection)
{
  g_debug ("Connection from %s ended", connection->address);
  g_hash_table_remove (connection->server->connections, connection->socket);
}

static gboolean
connection_deadline_cb (gpointer user_data)
{
  Connection *connection = user_data;

  connection->deadline_source = 0;
  g_debug ("Connection from %s sent no complete request within %u s, closing it",
           connection->address, connection->server->limits.handshake_timeout);
  /* libsoup sees the end of the stream and drops the connection, which ends it here. */
  g_socket_shutdown (connection->socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
connection_arm_deadline (Connection *connection)
{
  g_clear_handle_id (&connection->deadline_source, g_source_remove);
  if (connection->server->limits.handshake_timeout > 0)
    connection->deadline_source =
      g_timeout_add_seconds (connection->server->limits.handshake_timeout,
                             connection_deadline_cb, connection);
}

static void
connection_request_read_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  Connection *connection = user_data;

  g_clear_handle_id (&connection->deadline_source, g_source_remove);
}

static void
connection_request_done_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  connection_arm_deadline (user_data);
}

static void
connection_disconnected_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  Connection *connection = user_data;

  /* Taking the connection for a WebSocket disconnects it from libsoup's side only. */
  if (!connection->upgrading)
    connection_end (connection);
}

static void
connection_websocket_closed_cb (SoupWebsocketConnection *websocket,
                                gpointer                 user_data)
{
  connection_end (user_data);
}

static Connection *
connection_new (BeaconDirectServer *self,
                GSocket            *socket,
                const char         *address)
{
  Connection *connection = g_new0 (Connection, 1);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));

  connection->server = self;
  connection->socket = g_object_ref (socket);
  connection->address = g_strdup (address);
  g_hash_table_insert (self->connections, socket, connection);
  g_hash_table_insert (self->per_address, g_strdup (address), GUINT_TO_POINTER (n + 1));
  connection_arm_deadline (connection);
  return connection;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  BeaconDirectServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *address = soup_server_message_get_remote_host (msg);
  Connection *connection;

  if (socket == NULL)
    return;

  connection = g_hash_table_lookup (self->connections, socket);
  if (connection == NULL)
    {
      guint from_address;

      self->n_accepted++;
      address = address != NULL ? address : "";
      from_address = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
      if ((self->limits.max_connections > 0 &&
           g_hash_table_size (self->connections) >= self->limits.max_connections) ||
          (self->limits.max_connections_per_address > 0 &&
           from_address >= self->limits.max_connections_per_address))
        {
          g_debug ("Refusing a connection from %s: %u connections, %u from that address",
                   address, g_hash_table_size (self->connections), from_address);
          g_socket_shutdown (socket, TRUE, TRUE, NULL);
          return;
        }
      connection = connection_new (self, socket, address);
    }

  /* The latest request stands for the connection: libsoup tells it when the connection
   * ends, also between requests. */
  if (connection->msg != NULL)
    g_signal_handlers_disconnect_by_data (connection->msg, connection);
  g_set_object (&connection->msg, msg);
  g_signal_connect (msg, "got-body", G_CALLBACK (connection_request_read_cb), connection);
  g_signal_connect (msg, "finished", G_CALLBACK (connection_request_done_cb), connection);
  g_signal_connect (msg, "disconnected", G_CALLBACK (connection_disconnected_cb), connection);
}

/* Moves the count of @msg's connection over to @websocket, before libsoup lets it go. */
static Connection *
connection_start_upgrade (BeaconDirectServer *self,
                          SoupServerMessage  *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Connection *connection = socket ? g_hash_table_lookup (self->connections, socket) : NULL;

  if (connection != NULL)
    connection->upgrading = TRUE;
  return connection;
}

static void
connection_finish_upgrade (Connection              *connection,
                           SoupWebsocketConnection *websocket)
{
  if (connection->msg != NULL)
    g_signal_handlers_disconnect_by_data (connection->msg, connection);
  g_clear_object (&connection->msg);
  connection->upgrading = FALSE;
  connection->websocket = g_object_ref (websocket);
  g_signal_connect (websocket, "closed", G_CALLBACK (connection_websocket_closed_cb),
                    connection);
}

static gboolean
peer_idle_cb (gpointer user_data)
{
  Peer *peer = user_data;

  peer->idle_source = 0;
  g_debug ("Peer %s sent nothing within %u s of its welcome, closing its connection", peer->id,
           peer->server->limits.idle_timeout);
  soup_websocket_connection_close (peer->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                   "no message");
  return G_SOURCE_REMOVE;
}

/* A client that connects and says nothing holds a connection for no one: every client of the
 * protocol states its role or asks for something as soon as it is welcomed. */
static void
peer_wait_for_first_message (BeaconDirectServer      *self,
                             SoupWebsocketConnection *websocket)
{
  GHashTableIter iter;
  Peer *peer;

  if (self->limits.idle_timeout == 0)
    return;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      if (peer->connection == websocket && peer->idle_source == 0)
        peer->idle_source = g_timeout_add_seconds (self->limits.idle_timeout, peer_idle_cb, peer);
    }
}

/* The WebSocket upgrade is done here rather than by soup_server_add_websocket_handler (), so
 * that the connection reads through a BeaconWebsocketLimit: libsoup before 3.7.1 limits each
 * frame but not a message's fragments together (150 MiB sent as 1 MiB fragments was accepted),
 * and the stream is only reachable between the 101 response and the connection's creation. */
static void
websocket_upgrade_written_cb (SoupServerMessage *msg,
                              gpointer           user_data)
{
  BeaconDirectServer *self = user_data;
  g_autoptr(SoupServerMessage) held = g_object_ref (msg);
  g_autoptr(GIOStream) stolen = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  GUri *uri = soup_server_message_get_uri (msg);

  Connection *counted;

  g_signal_handlers_disconnect_by_func (msg, websocket_upgrade_written_cb, user_data);
  counted = connection_start_upgrade (self, msg);
  stolen = soup_server_message_steal_connection (msg);
  if (stolen == NULL)
    {
      if (counted != NULL)
        connection_end (counted);
      return;
    }

#if SOUP_CHECK_VERSION (3, 7, 1)
  stream = g_steal_pointer (&stolen);
#else
  stream = beacon_websocket_limit_new (stolen, MAX_MESSAGE_SIZE);
#endif
  connection = soup_websocket_connection_new (
    stream, uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"),
    soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                  "Sec-WebSocket-Protocol"),
    NULL);
#if SOUP_CHECK_VERSION (3, 7, 1)
  soup_websocket_connection_set_max_total_message_size (connection, MAX_MESSAGE_SIZE);
#endif

  if (counted != NULL)
    connection_finish_upgrade (counted, connection);
  websocket_cb (self->soup_server, msg, g_uri_get_path (uri), connection, self);
  peer_wait_for_first_message (self, connection);
}

static void
websocket_handler_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  BeaconDirectServer *self = user_data;

  /* No extensions are offered: see the comment on permessage-deflate in constructed (). A
   * request that is not a valid handshake gets its error status from libsoup. */
  if (soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    g_signal_connect_object (msg, "wrote-informational",
                             G_CALLBACK (websocket_upgrade_written_cb), self, 0);
}

/* WHEP and WHIP over HTTPS
 *
 * Standard WHEP players (draft-ietf-wish-whep) watch a broadcast with one POST: the viewer's
 * offer goes to the broadcaster as the offer of a startSession, exactly as a client of the
 * WebSocket protocol would send it, and the broadcaster's answer comes back as the response.
 * The viewer's trickled candidates (PATCH) go on as "peer" ice messages, and DELETE ends the
 * session. The broadcaster's own candidates cannot reach a WHEP viewer after the response, so
 * the response waits for them and carries them in the answer.
 *
 * WHIP (ingest) is taken only when the broadcaster's source is a WHIP ingest
 * (beacon_direct_server_set_whip_ingest ()): then the broadcaster itself terminates the
 * publisher's PeerConnection and encodes its media for every viewer, as for a camera. The
 * server only carries the offer and the answer ("whip-offer", beacon_direct_server_whip_answer
 * ()) and keeps GStreamer out. Otherwise WHIP is refused with 501 Not Implemented: a WHIP client makes one PeerConnection
 * and sends one offer, expecting the server to terminate it and pass the media on to everyone
 * watching: that is the job of a media server (an SFU). The direct server carries no media; it
 * only relays signaling, and each viewer gets a PeerConnection of its own from the
 * broadcaster. Relayed to a viewer, a WHIP client's single PeerConnection could serve that one
 * viewer only, and never a WHEP viewer, which sends an offer too: two offers do not make a
 * negotiation. */

static const char *whip_refusal =
  "This is a Beacon broadcast, not a media server: it cannot take a WHIP stream.\n"
  "Beacon's direct server only introduces a broadcaster to its viewers; the media goes from "
  "the broadcaster to each viewer directly, and a WHIP publisher makes only one connection, "
  "so it could not reach more than one viewer. Publish with Beacon itself (beacon-cli serve), "
  "or send WHIP to a media server (Janus with simple-whip-server, MediaMTX, …) and let viewers "
  "watch it there, or start a broadcast that takes WHIP (beacon-cli serve --source whip). To "
  "watch this broadcast with a WHEP player, POST its offer to /whep.";

static void
set_cors_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Browser WHEP players on other origins need to read Location and ETag. The server keeps no
   * cookies or credentials that another origin could abuse. */
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Expose-Headers",
                                "Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After");
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  g_autofree char *body = g_strdup_printf ("%s\n", text);

  set_cors_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
respond_preflight (SoupServerMessage *msg,
                   const char        *methods)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  set_cors_headers (msg);
  soup_message_headers_replace (headers, "Allow", methods);
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", methods);
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                "Content-Type, Authorization, If-Match");
  soup_message_headers_replace (headers, "Accept-Post", "application/sdp");
  soup_message_headers_replace (headers, "Accept-Patch",
                                "application/trickle-ice-sdpfrag, application/sdp");
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *methods)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                methods);
  respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method not allowed here");
}

/* Checks what a broadcaster needs from a WHEP offer before anything is relayed: SDP text with
 * at least one media section and ICE credentials. webrtcbin checks the rest. */
static char *
validate_sdp (GBytes  *bytes,
              GError **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_media = 0;
  gboolean has_ufrag = FALSE;

  if (length == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the body is empty");
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the body is not UTF-8 text");
      return NULL;
    }
  text = g_strndup (data, length);
  if (!g_str_has_prefix (text, "v=0"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the body is not SDP (it does not start with v=0)");
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize line_length = strlen (line);

      if (line_length > 0 && line[line_length - 1] == '\r')
        line[--line_length] = '\0';
      if (line_length == 0)
        continue;
      if (line_length < 2 || line[1] != '=' || !g_ascii_islower (line[0]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u is not an SDP line (type=value)", i + 1);
          return NULL;
        }
      if (line[0] == 'm')
        {
          g_auto(GStrv) fields = g_strsplit (line + 2, " ", -1);
          guint64 port;

          if (g_strv_length (fields) < 4 ||
              !g_ascii_string_to_unsigned (fields[1], 10, 0, 65535, &port, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "line %u is not a valid media line (m=<media> <port> <proto> <fmt>)",
                           i + 1);
              return NULL;
            }
          n_media++;
        }
      else if (g_str_has_prefix (line, "a=ice-ufrag:"))
        {
          has_ufrag = TRUE;
        }
    }

  if (n_media == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the SDP has no media (m=) line");
      return NULL;
    }
  if (!has_ufrag)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the SDP has no ICE credentials (a=ice-ufrag)");
      return NULL;
    }
  return beacon_whip_normalize_sdp (text);
}

/* The first a=ice-ufrag of an SDP checked by validate_sdp (), or NULL. */
static char *
dup_ice_ufrag (const char *sdp)
{
  g_auto(GStrv) lines = g_strsplit (sdp, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "a=ice-ufrag:"))
      return g_strstrip (g_strdup (lines[i] + strlen ("a=ice-ufrag:")));
  return NULL;
}

static const char *
peer_name (Peer *peer)
{
  if (peer->meta != NULL && json_object_has_member (peer->meta, "name"))
    {
      JsonNode *node = json_object_get_member (peer->meta, "name");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }
  return NULL;
}

static void
whep_resource_clear_gathering (WhepResource *resource)
{
  g_clear_handle_id (&resource->quiet_source, g_source_remove);
  g_clear_handle_id (&resource->deadline_source, g_source_remove);
}

static void
whep_pending_lost_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  WhepResource *resource = user_data;
  g_autofree char *session_id = g_strdup (resource->session_id);
  BeaconDirectServer *self = resource->server;

  /* The viewer went away before its answer: the broadcaster stops preparing one. */
  g_debug ("WHEP viewer of session %s left before the answer", session_id);
  g_signal_handlers_disconnect_by_data (msg, resource);
  g_clear_object (&resource->pending);
  resource->responded = TRUE;
  end_session (self, session_id, TRUE, FALSE);
}

/* Answers the POST that is waiting, if any. */
static void
whep_respond (WhepResource *resource,
              guint         status,
              const char   *content_type,
              const char   *body)
{
  SoupServerMessage *msg = g_steal_pointer (&resource->pending);

  g_clear_handle_id (&resource->timeout_source, g_source_remove);
  whep_resource_clear_gathering (resource);
  resource->responded = TRUE;
  if (msg == NULL)
    return;

  g_signal_handlers_disconnect_by_data (msg, resource);
  if (g_strcmp0 (content_type, "application/sdp") == 0)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autofree char *location = g_strdup_printf ("/whep/session/%s", resource->session_id);

      set_cors_headers (msg);
      soup_message_headers_replace (headers, "Location", location);
      soup_message_headers_replace (headers, "ETag", resource->etag);
      soup_message_headers_replace (headers, "Accept-Patch", "application/trickle-ice-sdpfrag");
      /* Over TLS that the viewer authenticated, this tells it which DTLS identity the media
       * must come from (see BEACON_MEDIA_IDENTITY_HEADER). */
      if (resource->server->media_identity != NULL)
        {
          g_autofree char *value = g_strconcat ("sha256:", resource->server->media_identity, NULL);

          soup_message_headers_replace (headers, BEACON_MEDIA_IDENTITY_HEADER, value);
        }
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
    }
  else
    {
      respond_text (msg, status, body);
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static void
whep_resource_free (WhepResource *resource)
{
  if (resource->pending != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (resource->pending),
                                    "Retry-After", "5");
      whep_respond (resource, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                    "the broadcaster ended the session before answering (the broadcast may be "
                    "full or over)");
    }
  g_clear_handle_id (&resource->timeout_source, g_source_remove);
  whep_resource_clear_gathering (resource);
  g_free (resource->session_id);
  g_free (resource->etag);
  g_strfreev (resource->mids);
  g_free (resource->ufrag);
  g_free (resource->sdp_type);
  g_free (resource->sdp);
  g_ptr_array_unref (resource->candidates);
  g_free (resource);
}

static void
whep_session_ended (BeaconDirectServer *self,
                    const char         *session_id)
{
  if (self->whep != NULL)
    g_hash_table_remove (self->whep, session_id);
}

static void
whep_send_description (WhepResource *resource)
{
  g_autofree char *sdp = NULL;
  gboolean is_offer = g_strcmp0 (resource->sdp_type, "offer") == 0;

  whep_resource_clear_gathering (resource);
  if (resource->pending == NULL)
    return;

  sdp = beacon_whip_sdp_add_candidates (resource->sdp, resource->candidates);
  /* A broadcaster that offers instead of answering gets the viewer's answer through PATCH, as
   * the WHEP draft describes for 406 responses. */
  resource->expects_answer = is_offer;
  g_debug ("WHEP session %s: sending the broadcaster's %s with %u candidates",
           resource->session_id, resource->sdp_type, resource->candidates->len);
  whep_respond (resource, is_offer ? SOUP_STATUS_NOT_ACCEPTABLE : SOUP_STATUS_CREATED,
                "application/sdp", sdp);
}

static gboolean
whep_gathering_settled_cb (gpointer user_data)
{
  WhepResource *resource = user_data;

  resource->quiet_source = 0;
  whep_send_description (resource);
  return G_SOURCE_REMOVE;
}

static gboolean
whep_gathering_deadline_cb (gpointer user_data)
{
  WhepResource *resource = user_data;

  resource->deadline_source = 0;
  whep_send_description (resource);
  return G_SOURCE_REMOVE;
}

static gboolean
whep_answer_timeout_cb (gpointer user_data)
{
  WhepResource *resource = user_data;
  g_autofree char *session_id = g_strdup (resource->session_id);
  g_autofree char *text = NULL;
  BeaconDirectServer *self = resource->server;

  resource->timeout_source = 0;
  text = g_strdup_printf ("the broadcaster did not answer within %u s",
                          (self->http_answer_timeout_ms + 999) / 1000);
  whep_respond (resource, SOUP_STATUS_GATEWAY_TIMEOUT, NULL, text);
  end_session (self, session_id, TRUE, FALSE);
  return G_SOURCE_REMOVE;
}

static void
whep_from_producer (BeaconDirectServer *self,
                    Session            *session,
                    BeaconGstMessage   *message)
{
  WhepResource *resource = g_hash_table_lookup (self->whep, session->id);
  gboolean end;

  if (resource == NULL)
    return;

  if (message->type == BEACON_GST_MESSAGE_PEER_SDP)
    {
      if (resource->sdp != NULL || resource->pending == NULL)
        {
          g_debug ("WHEP session %s: ignoring a second description from the broadcaster: a "
                   "WHEP viewer cannot renegotiate", session->id);
          return;
        }
      resource->sdp_type = g_strdup (message->sdp_type);
      resource->sdp = beacon_whip_normalize_sdp (message->sdp);
      if (resource->gathering_done)
        {
          whep_send_description (resource);
          return;
        }
      resource->deadline_source = g_timeout_add (GATHER_MAX_MS, whep_gathering_deadline_cb,
                                                 resource);
      if (resource->candidates->len > 0)
        resource->quiet_source = g_timeout_add (GATHER_QUIET_MS, whep_gathering_settled_cb,
                                                resource);
      return;
    }

  if (message->type != BEACON_GST_MESSAGE_PEER_ICE)
    return;

  if (resource->responded)
    {
      g_debug ("WHEP session %s: a candidate came after the answer; WHEP cannot deliver it",
               session->id);
      return;
    }
  end = message->candidate == NULL || message->candidate[0] == '\0';
  g_ptr_array_add (resource->candidates,
                   beacon_whip_candidate_new (message->sdp_mline_index, message->candidate));
  if (end)
    resource->gathering_done = TRUE;
  if (resource->sdp == NULL)
    return;
  g_clear_handle_id (&resource->quiet_source, g_source_remove);
  if (end)
    whep_send_description (resource);
  else
    resource->quiet_source = g_timeout_add (GATHER_QUIET_MS, whep_gathering_settled_cb, resource);
}

static gboolean
content_type_is (SoupServerMessage *msg,
                 const char        *type)
{
  const char *content_type =
    soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return content_type != NULL && g_ascii_strcasecmp (content_type, type) == 0;
}

static void
whep_post (BeaconDirectServer *self,
           SoupServerMessage  *msg,
           const char         *name)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) producers = g_ptr_array_new ();
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *etag_value = NULL;
  GHashTableIter iter;
  WhepResource *resource;
  Session *session;
  Peer *producer = NULL;
  Peer *peer;

  if (!content_type_is (msg, "application/sdp"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Accept-Post", "application/sdp");
      respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                    "a WHEP offer is sent with Content-Type: application/sdp");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > MAX_HTTP_BODY_SIZE)
    {
      respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "the offer is too large");
      return;
    }
  offer = validate_sdp (body, &error);
  if (offer == NULL)
    {
      g_autofree char *text = g_strdup_printf ("the offer is not usable: %s", error->message);

      respond_text (msg, SOUP_STATUS_BAD_REQUEST, text);
      return;
    }

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      if (!(peer->roles & BEACON_GST_ROLE_PRODUCER))
        continue;
      g_ptr_array_add (producers, peer);
      if (name != NULL && (g_strcmp0 (peer_name (peer), name) == 0 || g_str_equal (peer->id, name)))
        producer = peer;
    }

  if (name != NULL && producer == NULL)
    {
      g_autofree char *text = g_strdup_printf ("no broadcast named '%s' is live here", name);

      respond_text (msg, SOUP_STATUS_NOT_FOUND, text);
      return;
    }
  if (producer == NULL && producers->len == 0)
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "nothing is broadcasting here");
      return;
    }
  if (producer == NULL && producers->len > 1)
    {
      g_autoptr(GString) text = g_string_new ("several broadcasts are live here; choose one:");

      for (guint i = 0; i < producers->len; i++)
        {
          Peer *candidate = g_ptr_array_index (producers, i);
          const char *candidate_name = peer_name (candidate);
          g_autofree char *escaped = g_uri_escape_string (candidate_name ? candidate_name
                                                                         : candidate->id,
                                                          NULL, FALSE);

          g_string_append_printf (text, "\n/whep/%s", escaped);
        }
      respond_text (msg, SOUP_STATUS_MULTIPLE_CHOICES, text->str);
      return;
    }
  if (producer == NULL)
    producer = g_ptr_array_index (producers, 0);

  if (self->max_sessions_per_producer > 0 &&
      count_producer_sessions (self, producer->id) >= self->max_sessions_per_producer)
    {
      g_autofree char *text = g_strdup_printf ("the broadcast is full: at most %u viewers",
                                               self->max_sessions_per_producer);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "10");
      respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, text);
      return;
    }

  session = g_new0 (Session, 1);
  session->id = beacon_random_hex (16);
  session->producer_id = g_strdup (producer->id);
  session->consumer_id = g_strconcat (WHEP_CONSUMER_PREFIX, session->id, NULL);
  g_hash_table_insert (self->sessions, session->id, session);

  etag_value = beacon_random_hex (16);
  resource = g_new0 (WhepResource, 1);
  resource->server = self;
  resource->session_id = g_strdup (session->id);
  resource->etag = g_strdup_printf ("\"%s\"", etag_value);
  resource->mids = beacon_whip_sdp_dup_mids (offer);
  resource->candidates = beacon_whip_candidate_array_new ();
  resource->ufrag = dup_ice_ufrag (offer);
  g_hash_table_insert (self->whep, resource->session_id, resource);

  g_debug ("WHEP session %s started from %s (producer %s)", session->id,
           soup_server_message_get_remote_host (msg) ? soup_server_message_get_remote_host (msg)
                                                     : "an unknown address",
           producer->id);

  /* The broadcaster hears of it as of any consumer that offers, or, with the test hook, as of
   * one that waits for the broadcaster's offer. */
  start = beacon_gst_message_new (BEACON_GST_MESSAGE_START_SESSION);
  start->peer_id = g_strdup (session->consumer_id);
  start->session_id = g_strdup (session->id);
  if (!self->whep_server_offers)
    start->sdp = g_steal_pointer (&offer);
  start_text = beacon_gst_message_to_json (start);

  soup_server_message_pause (msg);
  resource->pending = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (whep_pending_lost_cb), resource);
  g_signal_connect (msg, "finished", G_CALLBACK (whep_pending_lost_cb), resource);
  resource->timeout_source = g_timeout_add (self->http_answer_timeout_ms, whep_answer_timeout_cb,
                                            resource);

  send_to (self, producer->id, start_text);
}

static void
whep_patch (BeaconDirectServer *self,
            SoupServerMessage  *msg,
            WhepResource       *resource)
{
  const char *if_match =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-Match");
  Session *session = g_hash_table_lookup (self->sessions, resource->session_id);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such WHEP session");
      return;
    }
  if (if_match != NULL && !g_str_equal (if_match, "*") && !g_str_equal (if_match, resource->etag))
    {
      respond_text (msg, SOUP_STATUS_PRECONDITION_FAILED,
                    "If-Match does not match this session's ETag");
      return;
    }

  if (content_type_is (msg, "application/trickle-ice-sdpfrag"))
    {
      g_autoptr(GPtrArray) candidates = NULL;
      g_autofree char *ufrag = NULL;
      g_autofree char *text = NULL;
      gsize length;
      const char *data = g_bytes_get_data (body, &length);

      if (memchr (data, '\0', length) == NULL)
        text = g_strndup (data, length);
      candidates = beacon_whip_sdpfrag_parse (text, (const char * const *) resource->mids,
                                              &ufrag, NULL, &error);
      if (candidates == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("the fragment is not usable: %s",
                                                     error->message);

          respond_text (msg, SOUP_STATUS_BAD_REQUEST, reason);
          return;
        }
      if (ufrag != NULL && resource->ufrag != NULL && !g_str_equal (ufrag, resource->ufrag))
        {
          respond_text (msg, SOUP_STATUS_NOT_IMPLEMENTED, "ICE restarts are not supported");
          return;
        }
      for (guint i = 0; i < candidates->len; i++)
        {
          BeaconWhipCandidate *candidate = g_ptr_array_index (candidates, i);
          g_autofree char *ice = beacon_gst_build_peer_ice (session->id, candidate->mline,
                                                            candidate->candidate);

          send_to (self, session->producer_id, ice);
        }
      set_cors_headers (msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    resource->etag);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  if (content_type_is (msg, "application/sdp"))
    {
      g_autofree char *answer = NULL;
      g_autofree char *text = NULL;

      if (!resource->expects_answer)
        {
          respond_text (msg, SOUP_STATUS_BAD_REQUEST,
                        "this session has its answer already; send candidates as "
                        "application/trickle-ice-sdpfrag");
          return;
        }
      answer = validate_sdp (body, &error);
      if (answer == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("the answer is not usable: %s",
                                                     error->message);

          respond_text (msg, SOUP_STATUS_BAD_REQUEST, reason);
          return;
        }
      resource->expects_answer = FALSE;
      /* The viewer's credentials and media sections are those of its answer from now on:
       * later trickle fragments are checked and mapped against it, not against the refused
       * offer. */
      g_strfreev (resource->mids);
      resource->mids = beacon_whip_sdp_dup_mids (answer);
      g_free (resource->ufrag);
      resource->ufrag = dup_ice_ufrag (answer);
      text = beacon_gst_build_peer_sdp (session->id, "answer", answer);
      send_to (self, session->producer_id, text);
      set_cors_headers (msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    resource->etag);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Accept-Patch",
                                "application/trickle-ice-sdpfrag");
  respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                "send ICE candidates as application/trickle-ice-sdpfrag");
}

static void
whep_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BeaconDirectServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rest;

  if (!g_str_has_prefix (path, "/whep"))
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }
  rest = path + strlen ("/whep");

  if (g_str_has_prefix (rest, "/session/"))
    {
      g_autofree char *session_id = g_uri_unescape_string (rest + strlen ("/session/"), "/");
      WhepResource *resource = session_id ? g_hash_table_lookup (self->whep, session_id) : NULL;

      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        {
          respond_preflight (msg, "PATCH, DELETE, OPTIONS");
          return;
        }
      if (resource == NULL || !resource->responded)
        {
          respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such WHEP session");
          return;
        }
      if (g_str_equal (method, "PATCH"))
        {
          whep_patch (self, msg, resource);
        }
      else if (g_str_equal (method, SOUP_METHOD_DELETE))
        {
          g_debug ("WHEP session %s ended by the viewer", session_id);
          end_session (self, session_id, TRUE, FALSE);
          respond_text (msg, SOUP_STATUS_OK, "session ended");
        }
      else
        {
          respond_method_not_allowed (msg, "PATCH, DELETE, OPTIONS");
        }
      return;
    }

  if (*rest == '\0' || g_str_equal (rest, "/") ||
      (rest[0] == '/' && strchr (rest + 1, '/') == NULL))
    {
      g_autofree char *name = NULL;

      if (rest[0] == '/' && rest[1] != '\0')
        {
          name = g_uri_unescape_string (rest + 1, "/");
          if (name == NULL || !g_utf8_validate (name, -1, NULL))
            {
              respond_text (msg, SOUP_STATUS_BAD_REQUEST, "the broadcast name is not valid");
              return;
            }
        }
      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        respond_preflight (msg, "POST, OPTIONS");
      else if (g_str_equal (method, SOUP_METHOD_POST))
        whep_post (self, msg, name);
      else
        respond_method_not_allowed (msg, "POST, OPTIONS");
      return;
    }

  respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
}

/* Answers the publisher's POST that is waiting, if any. */
static void
whip_respond (BeaconDirectServer *self,
              guint               status,
              const char         *content_type,
              const char         *body)
{
  WhipIngest *whip = self->whip;
  SoupServerMessage *msg = g_steal_pointer (&whip->pending);

  g_clear_handle_id (&whip->timeout_source, g_source_remove);
  if (msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (msg, self);
  if (g_strcmp0 (content_type, "application/sdp") == 0)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autofree char *location = g_strdup_printf ("/whip/session/%s", whip->id);

      set_cors_headers (msg);
      soup_message_headers_replace (headers, "Location", location);
      soup_message_headers_replace (headers, "ETag", whip->etag);
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
    }
  else
    {
      respond_text (msg, status, body);
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

/* Forgets the publisher; tells the broadcaster when @notify. */
static void
whip_end (BeaconDirectServer *self,
          gboolean            notify)
{
  g_autofree char *id = NULL;

  if (self->whip == NULL)
    return;
  if (self->whip->pending != NULL)
    whip_respond (self, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                  "the broadcaster stopped taking this WHIP stream before answering");
  g_clear_handle_id (&self->whip->timeout_source, g_source_remove);
  id = g_steal_pointer (&self->whip->id);
  g_free (self->whip->etag);
  g_clear_pointer (&self->whip, g_free);
  if (notify)
    g_signal_emit (self, signals[SIGNAL_WHIP_ENDED], 0, id);
}

static void
whip_pending_lost_cb (SoupServerMessage  *msg,
                      BeaconDirectServer *self)
{
  /* The publisher went away before its answer. */
  g_signal_handlers_disconnect_by_data (msg, self);
  if (self->whip != NULL && self->whip->pending == msg)
    {
      g_clear_object (&self->whip->pending);
      whip_end (self, TRUE);
    }
}

static gboolean
whip_answer_timeout_cb (gpointer user_data)
{
  BeaconDirectServer *self = user_data;
  g_autofree char *text = NULL;

  self->whip->timeout_source = 0;
  text = g_strdup_printf ("the broadcaster did not answer within %u s",
                          (self->http_answer_timeout_ms + 999) / 1000);
  whip_respond (self, SOUP_STATUS_GATEWAY_TIMEOUT, NULL, text);
  whip_end (self, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
whip_authorized (BeaconDirectServer *self,
                 SoupServerMessage  *msg)
{
  const char *authorization;

  if (self->whip_token == NULL)
    return TRUE;
  if (request_has_bearer (msg, self->whip_token))
    return TRUE;
  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer");
  respond_text (msg, SOUP_STATUS_UNAUTHORIZED,
                authorization == NULL ? "this WHIP endpoint needs a Bearer token"
                                      : "the Bearer token is not the one this WHIP endpoint "
                                        "takes");
  return FALSE;
}

static void
whip_post (BeaconDirectServer *self,
           SoupServerMessage  *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *etag_value = NULL;
  g_autofree char *id = NULL;

  if (!whip_authorized (self, msg))
    return;
  if (!content_type_is (msg, "application/sdp"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Accept-Post", "application/sdp");
      respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                    "a WHIP offer is sent with Content-Type: application/sdp");
      return;
    }
  if (self->whip != NULL)
    {
      respond_text (msg, SOUP_STATUS_CONFLICT,
                    "another WHIP publisher is already sending to this broadcast; it takes one "
                    "publisher at a time (try again once that one has stopped)");
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > MAX_HTTP_BODY_SIZE)
    {
      respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "the offer is too large");
      return;
    }
  offer = validate_sdp (body, &error);
  if (offer == NULL)
    {
      g_autofree char *text = g_strdup_printf ("the offer is not usable: %s", error->message);

      respond_text (msg, SOUP_STATUS_BAD_REQUEST, text);
      return;
    }

  etag_value = beacon_random_hex (16);
  self->whip = g_new0 (WhipIngest, 1);
  self->whip->id = beacon_random_hex (16);
  self->whip->etag = g_strdup_printf ("\"%s\"", etag_value);
  self->whip->pending = g_object_ref (msg);
  id = g_strdup (self->whip->id);
  soup_server_message_pause (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (whip_pending_lost_cb), self);
  g_signal_connect (msg, "finished", G_CALLBACK (whip_pending_lost_cb), self);
  self->whip->timeout_source = g_timeout_add (self->http_answer_timeout_ms,
                                              whip_answer_timeout_cb, self);
  g_debug ("WHIP publisher %s offers", id);
  g_signal_emit (self, signals[SIGNAL_WHIP_OFFER], 0, id, offer);
}

static void
whip_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BeaconDirectServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (!self->whip_enabled)
    {
      respond_text (msg, SOUP_STATUS_NOT_IMPLEMENTED, whip_refusal);
      return;
    }

  if (g_str_has_prefix (path, "/whip/session/"))
    {
      const char *id = path + strlen ("/whip/session/");

      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        {
          respond_preflight (msg, "DELETE, OPTIONS");
          return;
        }
      if (self->whip == NULL || !self->whip->answered || !g_str_equal (id, self->whip->id))
        {
          respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such WHIP session");
          return;
        }
      if (!whip_authorized (self, msg))
        return;
      if (g_str_equal (method, SOUP_METHOD_DELETE))
        {
          g_debug ("WHIP session %s ended by the publisher", id);
          whip_end (self, TRUE);
          respond_text (msg, SOUP_STATUS_OK, "session ended");
        }
      else
        {
          /* Trickle ICE is optional (RFC 9725): the publisher's offer carries its candidates,
           * and Beacon's answer carries all of its own. */
          respond_method_not_allowed (msg, "DELETE, OPTIONS");
        }
      return;
    }

  if (g_str_equal (path, "/whip") || g_str_equal (path, "/whip/"))
    {
      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        respond_preflight (msg, "POST, OPTIONS");
      else if (g_str_equal (method, SOUP_METHOD_POST))
        whip_post (self, msg);
      else
        respond_method_not_allowed (msg, "POST, OPTIONS");
      return;
    }
  respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found; WHIP publishers POST to /whip");
}

/* A refused request's connection, taken from libsoup: the response is written, then what the
 * client still sends is read and dropped for a while before the connection is closed.
 * Closing at once, with the body still arriving, would make the kernel reset the connection,
 * and the client would see the reset instead of the response. */
typedef struct {
  GIOStream    *stream;
  GBytes       *response;
  GCancellable *cancellable;
  guint         linger_source;
  guint8        buffer[16 * 1024];
} Refusal;

/* How long a refused client may go on sending before its connection is closed. */
#define REFUSAL_LINGER_MS 2000

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->linger_source, g_source_remove);
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&refusal->stream);
  g_clear_pointer (&refusal->response, g_bytes_unref);
  g_clear_object (&refusal->cancellable);
  g_free (refusal);
}

static gboolean
refusal_linger_over_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->linger_source = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
refusal_drained_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL) <= 0)
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->cancellable, refusal_drained_cb,
                             refusal);
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, refusal->cancellable,
                             refusal_drained_cb, refusal);
}

/* Answers @msg with @status and closes its connection without reading the request's body.
 * libsoup 3.2 reads the whole body, into memory, even when an early handler has set the
 * status (a 150 MiB POST took 353 MiB), and has no way to skip it but taking the connection.
 * The connection is not reused: the body would come next on it. */
static void
refuse_unread_body (SoupServerMessage *msg,
                    guint              status,
                    const char        *text)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *head = NULL;
  Refusal *refusal;
  gsize length;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Connection: close\r\n"
                          "Access-Control-Allow-Origin: *\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Length: %zu\r\n"
                          "\r\n"
                          "%s\n",
                          status, soup_status_get_phrase (status), strlen (text) + 1, text);
  length = strlen (head);

  refusal = g_new0 (Refusal, 1);
  refusal->stream = g_steal_pointer (&stream);
  refusal->response = g_bytes_new_take (g_steal_pointer (&head), length);
  refusal->cancellable = g_cancellable_new ();
  refusal->linger_source = g_timeout_add (REFUSAL_LINGER_MS, refusal_linger_over_cb, refusal);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_bytes_get_data (refusal->response, NULL), length,
                                   G_PRIORITY_DEFAULT, refusal->cancellable, refusal_written_cb,
                                   refusal);
}

/* Runs on every path once the headers are in, before the body is read: a body the endpoints
 * would refuse is never read. */
static void
http_early_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_HTTP_BODY_SIZE)
    refuse_unread_body (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "the body is too large");
  else if (encoding != SOUP_ENCODING_CONTENT_LENGTH && encoding != SOUP_ENCODING_NONE)
    refuse_unread_body (msg, SOUP_STATUS_LENGTH_REQUIRED, "send the body with a Content-Length");
}

/* Listening
 *
 * libsoup 3.2 stops accepting on a listening socket for good after one failed accept (its
 * SoupListener removes its source when g_socket_accept () fails, as it does with EMFILE once
 * the process is out of file descriptors): the server would stay deaf after an attack that
 * only held connections for a while. So each listening socket is checked every second: a
 * socket with connections waiting at two checks in a row, while libsoup accepted none in
 * between, has been given up, and is handed to libsoup again. A live listener accepts within
 * one main loop iteration, so it is never taken for a dead one; while descriptors stay short,
 * libsoup gives up again at once, and the check retries once a second. (A watch on the socket
 * at a lower priority than libsoup's source looked simpler, but never ran in beacon-cli serve,
 * whose main loop is busier than a test's.) */

static gboolean
listener_check_cb (gpointer user_data)
{
  Listener *listener = user_data;
  BeaconDirectServer *self = listener->server;
  gboolean readable = (g_socket_condition_check (listener->socket, G_IO_IN) & G_IO_IN) != 0;

  if (readable && listener->was_readable && listener->n_accepted == self->n_accepted)
    {
      g_autoptr(GError) error = NULL;

      g_debug ("The listener stopped accepting connections (out of file descriptors?); "
               "listening again");
      if (!soup_server_listen_socket (self->soup_server, listener->socket,
                                      SOUP_SERVER_LISTEN_HTTPS, &error))
        g_debug ("Cannot listen again: %s", error->message);
      readable = FALSE;
    }
  listener->was_readable = readable;
  listener->n_accepted = self->n_accepted;
  return G_SOURCE_CONTINUE;
}

static void
listener_free (Listener *listener)
{
  g_clear_handle_id (&listener->check_source, g_source_remove);
  g_clear_object (&listener->socket);
  g_free (listener);
}

static void
watch_listeners (BeaconDirectServer *self)
{
  g_autoptr(GSList) sockets = soup_server_get_listeners (self->soup_server);

  g_ptr_array_set_size (self->listeners, 0);
  for (GSList *l = sockets; l != NULL; l = l->next)
    {
      Listener *listener = g_new0 (Listener, 1);

      listener->server = self;
      listener->socket = g_object_ref (l->data);
      listener->check_source = g_timeout_add_seconds (LISTENER_CHECK_SECONDS, listener_check_cb,
                                                      listener);
      g_ptr_array_add (self->listeners, listener);
    }
}

/* GObject */

static void
beacon_direct_server_constructed (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  G_OBJECT_CLASS (beacon_direct_server_parent_class)->constructed (object);

  self->soup_server = soup_server_new ("tls-certificate", self->certificate, NULL);
  /* permessage-deflate lets a few kilobytes on the wire inflate to hundreds of megabytes in
   * memory before any size limit sees them (a 255 KB frame took the server over 1 GiB), and
   * signalling messages are too small for compression to be worth that. */
  soup_server_remove_websocket_extension (self->soup_server,
                                          SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_handler (self->soup_server, NULL, websocket_handler_cb, self, NULL);
  g_signal_connect (self->soup_server, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_early_handler (self->soup_server, NULL, http_early_cb, self, NULL);
  soup_server_add_early_handler (self->soup_server, "/whep", http_early_cb, self, NULL);
  soup_server_add_early_handler (self->soup_server, "/whip", http_early_cb, self, NULL);
  soup_server_add_handler (self->soup_server, "/whep", whep_handler_cb, self, NULL);
  soup_server_add_handler (self->soup_server, "/whip", whip_handler_cb, self, NULL);
}

static void
beacon_direct_server_dispose (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  beacon_direct_server_stop (self);

  if (self->soup_server != NULL)
    g_signal_handlers_disconnect_by_data (self->soup_server, self);
  if (self->connections != NULL)
    g_hash_table_remove_all (self->connections);
  g_clear_object (&self->soup_server);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (beacon_direct_server_parent_class)->dispose (object);
}

static void
beacon_direct_server_finalize (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  g_clear_pointer (&self->whep, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->listeners, g_ptr_array_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  g_free (self->whip_token);
  g_free (self->producer_token);
  g_free (self->media_identity);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->peers, g_hash_table_unref);

  G_OBJECT_CLASS (beacon_direct_server_parent_class)->finalize (object);
}

static void
beacon_direct_server_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;

    case PROP_MAX_SESSIONS_PER_PRODUCER:
      g_value_set_uint (value, self->max_sessions_per_producer);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_direct_server_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      self->certificate = g_value_dup_object (value);
      break;

    case PROP_MAX_SESSIONS_PER_PRODUCER:
      beacon_direct_server_set_max_sessions_per_producer (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_direct_server_class_init (BeaconDirectServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = beacon_direct_server_constructed;
  object_class->dispose = beacon_direct_server_dispose;
  object_class->finalize = beacon_direct_server_finalize;
  object_class->get_property = beacon_direct_server_get_property;
  object_class->set_property = beacon_direct_server_set_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_SESSIONS_PER_PRODUCER] =
    g_param_spec_uint ("max-sessions-per-producer", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* whip-offer (id, offer): a WHIP publisher offers; answer with
   * beacon_direct_server_whip_answer (). whip-ended (id): the publisher left (DELETE, or it
   * went away before the answer), or the answer timed out. */
  signals[SIGNAL_WHIP_OFFER] =
    g_signal_new ("whip-offer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_WHIP_ENDED] =
    g_signal_new ("whip-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
beacon_direct_server_init (BeaconDirectServer *self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal,
                                       NULL, (GDestroyNotify) peer_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          NULL, (GDestroyNotify) session_free);
  self->whep = g_hash_table_new_full (g_str_hash, g_str_equal,
                                      NULL, (GDestroyNotify) whep_resource_free);
  self->connections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) connection_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_free);
  beacon_direct_server_limits_init_default (&self->limits);
  self->http_answer_timeout_ms = DEFAULT_HTTP_ANSWER_TIMEOUT_MS;
  self->producer_token = beacon_random_hex (32);
  self->whep_server_offers = g_strcmp0 (g_getenv (WHEP_OFFER_ENV), "server") == 0;
  if (self->whep_server_offers)
    g_message ("%s=server: WHEP viewers get the broadcaster's offer (406)", WHEP_OFFER_ENV);
}

/* Public API */

BeaconDirectServer *
beacon_direct_server_new (GTlsCertificate *certificate)
{
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  return g_object_new (BEACON_TYPE_DIRECT_SERVER,
                       "certificate", certificate,
                       NULL);
}

const char *
beacon_direct_server_get_producer_token (BeaconDirectServer *self)
{
  g_return_val_if_fail (BEACON_IS_DIRECT_SERVER (self), NULL);

  return self->producer_token;
}

void
beacon_direct_server_set_open_producers (BeaconDirectServer *self,
                                         gboolean            open)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  self->open_producers = open;
}

void
beacon_direct_server_set_media_identity (BeaconDirectServer *self,
                                         const char         *fingerprint)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  g_free (self->media_identity);
  self->media_identity = g_strdup (fingerprint);
}

void
beacon_direct_server_set_max_sessions_per_producer (BeaconDirectServer *self,
                                                    guint               max)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  if (self->max_sessions_per_producer == max)
    return;

  /* Sessions already running stay: the limit applies to new ones. */
  self->max_sessions_per_producer = max;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SESSIONS_PER_PRODUCER]);
}

void
beacon_direct_server_limits_init_default (BeaconDirectServerLimits *limits)
{
  g_return_if_fail (limits != NULL);

  *limits = (BeaconDirectServerLimits) {
    .max_connections = 64,
    .max_connections_per_address = 8,
    .max_sessions_per_connection = 4,
    .handshake_timeout = 10,
    .idle_timeout = 30,
    .session_answer_timeout = 15,
    .max_pending_sessions = 16,
  };
}

void
beacon_direct_server_get_limits (BeaconDirectServer       *self,
                                 BeaconDirectServerLimits *limits)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));
  g_return_if_fail (limits != NULL);

  *limits = self->limits;
}

void
beacon_direct_server_set_limits (BeaconDirectServer             *self,
                                 const BeaconDirectServerLimits *limits)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));
  g_return_if_fail (limits != NULL);

  /* Connections and sessions already there keep running: the limits apply to new ones. */
  self->limits = *limits;
}

void
beacon_direct_server_set_http_answer_timeout (BeaconDirectServer *self,
                                              guint               milliseconds)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));
  g_return_if_fail (milliseconds > 0);

  self->http_answer_timeout_ms = milliseconds;
}

gboolean
beacon_direct_server_listen (BeaconDirectServer *self,
                             const char         *bind_address,
                             guint               port,
                             GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSList) uris = NULL;
  gboolean listening;

  g_return_val_if_fail (BEACON_IS_DIRECT_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (port > G_MAXUINT16)
    {
      g_set_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_LISTEN,
                   "Cannot listen on port %u: ports go from 1 to 65535 (or 0 for any free port)",
                   port);
      return FALSE;
    }

  if (bind_address == NULL || *bind_address == '\0')
    {
      listening = soup_server_listen_all (self->soup_server, port, SOUP_SERVER_LISTEN_HTTPS,
                                          &local_error);
      bind_address = "all interfaces";
    }
  else
    {
      g_autoptr(GSocketAddress) address = NULL;

      address = g_inet_socket_address_new_from_string (bind_address, port);
      if (address == NULL)
        {
          g_set_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_LISTEN,
                       "Cannot listen on “%s”: not an IP address", bind_address);
          return FALSE;
        }

      listening = soup_server_listen (self->soup_server, address, SOUP_SERVER_LISTEN_HTTPS,
                                      &local_error);
    }

  if (!listening)
    {
      g_set_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_LISTEN,
                   "Cannot listen on %s port %u: %s", bind_address, port, local_error->message);
      return FALSE;
    }

  uris = soup_server_get_uris (self->soup_server);
  if (uris != NULL)
    {
      guint real_port = (guint) g_uri_get_port (uris->data);

      if (real_port != self->port)
        {
          self->port = real_port;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
        }
    }
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  watch_listeners (self);
  g_debug ("Direct server listening on %s port %u", bind_address, self->port);

  return TRUE;
}

guint
beacon_direct_server_get_port (BeaconDirectServer *self)
{
  g_return_val_if_fail (BEACON_IS_DIRECT_SERVER (self), 0);

  return self->port;
}

guint
beacon_direct_server_get_n_connections (BeaconDirectServer *self)
{
  g_return_val_if_fail (BEACON_IS_DIRECT_SERVER (self), 0);

  return g_hash_table_size (self->peers);
}

void
beacon_direct_server_stop (BeaconDirectServer *self)
{
  g_autoptr(GPtrArray) session_ids = NULL;

  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  if (self->sessions != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      session_ids = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_iter_init (&iter, self->sessions);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (session_ids, g_strdup (key));

      for (guint i = 0; i < session_ids->len; i++)
        end_session (self, g_ptr_array_index (session_ids, i), TRUE, TRUE);
    }

  whip_end (self, FALSE);

  /* Freeing each peer closes its connection with 1001 (going away). */
  if (self->peers != NULL)
    g_hash_table_remove_all (self->peers);

  if (self->listeners != NULL)
    g_ptr_array_set_size (self->listeners, 0);
  if (self->soup_server != NULL)
    soup_server_disconnect (self->soup_server);

  if (self->port != 0)
    {
      self->port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

void
beacon_direct_server_set_whip_ingest (BeaconDirectServer *self,
                                      gboolean            enabled,
                                      const char         *token)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  self->whip_enabled = enabled;
  g_free (self->whip_token);
  self->whip_token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  if (!enabled)
    whip_end (self, FALSE);
}

void
beacon_direct_server_whip_answer (BeaconDirectServer *self,
                                  const char         *id,
                                  const char         *answer,
                                  const GError       *error)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail ((answer == NULL) != (error == NULL));

  if (self->whip == NULL || !g_str_equal (self->whip->id, id) || self->whip->pending == NULL)
    return;
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf ("the broadcaster cannot take this stream: %s",
                                               error->message);

      whip_respond (self, SOUP_STATUS_NOT_ACCEPTABLE, NULL, text);
      whip_end (self, FALSE);
      return;
    }
  {
    g_autofree char *sdp = beacon_whip_normalize_sdp (answer);

    self->whip->answered = TRUE;
    whip_respond (self, SOUP_STATUS_CREATED, "application/sdp", sdp);
  }
}

void
beacon_direct_server_whip_end (BeaconDirectServer *self,
                               const char         *id)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  if (self->whip != NULL && g_strcmp0 (self->whip->id, id) == 0)
    whip_end (self, FALSE);
}

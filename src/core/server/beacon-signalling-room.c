/* beacon-signalling-room.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-signalling-room.h"
#include "beacon-random.h"

typedef struct {
  char                         *id;
  BeaconGstRoles                roles;
  JsonObject                   *meta;        /* nullable */
  gboolean                      may_produce; /* sent the producer token when it connected */
  BeaconSignallingRoomSendFunc  send;
  gpointer                      user_data;   /* owned, freed with destroy */
  GDestroyNotify                destroy;
} Peer;

typedef struct {
  char     *id;
  char     *producer_id;
  char     *consumer_id;
  gboolean  relayed;                    /* the consumer is spoken for, not a peer here */
  guint     answer_source;              /* until the consumer's first message in it */
} Session;

struct _BeaconSignallingRoom
{
  GObject                     parent_instance;

  GHashTable                 *peers;     /* id → Peer*, owned */
  GHashTable                 *sessions;  /* id → Session*, owned */
  BeaconSignallingRoomLimits  limits;
};

G_DEFINE_FINAL_TYPE (BeaconSignallingRoom, beacon_signalling_room, G_TYPE_OBJECT)

enum {
  SIGNAL_SESSION_ENDED,
  SIGNAL_RELAYED_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Peers and sessions */

static void
peer_free (Peer *peer)
{
  if (peer->destroy != NULL)
    g_clear_pointer (&peer->user_data, peer->destroy);
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
  if (peer == NULL || text == NULL)
    return;

  peer->send (text, peer->user_data);
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
lookup_peer (BeaconSignallingRoom *self,
             const char           *id)
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
send_to (BeaconSignallingRoom *self,
         const char           *peer_id,
         const char           *text)
{
  peer_send (lookup_peer (self, peer_id), text);
}

/* Forgets @session_id, then sends endSession to the sides for which @notify_producer and
 * @notify_consumer are set. */
static void
end_session (BeaconSignallingRoom *self,
             const char           *session_id,
             gboolean              notify_producer,
             gboolean              notify_consumer)
{
  g_autofree char *text = NULL;
  gpointer value;
  Session *session;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

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

  g_signal_emit (self, signals[SIGNAL_SESSION_ENDED], 0, session->id);
  session_free (session);
}

/* Ends the sessions @peer_id takes part in (only those where it produces, if
 * @producing_only), telling the other side. */
static void
end_sessions_of_peer (BeaconSignallingRoom *self,
                      const char           *peer_id,
                      gboolean              producing_only)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Session *session;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

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
count_sessions (BeaconSignallingRoom *self,
                const char           *peer_id,
                gboolean              producing)
{
  GHashTableIter iter;
  Session *session;
  guint n = 0;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      if (g_strcmp0 (producing ? session->producer_id : session->consumer_id, peer_id) == 0)
        n++;
    }

  return n;
}

typedef struct {
  BeaconSignallingRoom *room;
  char                 *session_id;
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
  Session *session = g_hash_table_lookup (ref->room->sessions, ref->session_id);

  g_debug ("Session %s: the consumer did not answer within %u s, ending it", ref->session_id,
           ref->room->limits.session_answer_timeout);
  /* The source is being dispatched: session_free must not remove it. */
  if (session != NULL)
    session->answer_source = 0;
  end_session (ref->room, ref->session_id, TRUE, TRUE);
  return G_SOURCE_REMOVE;
}

/* Sessions whose consumer has not spoken in them yet. */
static guint
count_pending_sessions (BeaconSignallingRoom *self)
{
  GHashTableIter iter;
  Session *session;
  guint n = 0;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

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
session_wait_for_consumer (BeaconSignallingRoom *self,
                           Session              *session)
{
  SessionRef *ref;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  if (self->limits.session_answer_timeout == 0)
    return;
  ref = g_new0 (SessionRef, 1);
  ref->room = self;
  ref->session_id = g_strdup (session->id);
  session->answer_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
                                                       self->limits.session_answer_timeout,
                                                       session_answer_timeout_cb, ref,
                                                       (GDestroyNotify) session_ref_free);
}

static Session *
session_new (BeaconSignallingRoom *self,
             const char           *producer_id)
{
  Session *session = g_new0 (Session, 1);

  session->id = beacon_random_hex (16);
  session->producer_id = g_strdup (producer_id);
  return session;
}

/* Tells every listener, and @peer itself (browser clients wait for that echo before they
 * consider themselves registered), about @peer's roles. */
static void
announce_peer_status (BeaconSignallingRoom *self,
                      Peer                 *peer,
                      BeaconGstRoles        roles,
                      gboolean              include_peer)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  Peer *other;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

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
remove_peer (BeaconSignallingRoom *self,
             Peer                 *peer)
{
  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  g_debug ("Peer %s left", peer->id);

  end_sessions_of_peer (self, peer->id, FALSE);

  if (peer->roles & BEACON_GST_ROLE_PRODUCER)
    announce_peer_status (self, peer, BEACON_GST_ROLE_NONE, FALSE);

  g_hash_table_remove (self->peers, peer->id);
}

static GPtrArray *
list_peers (BeaconSignallingRoom *self,
            BeaconGstRoles        role)
{
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_gst_peer_info_free);
  GHashTableIter iter;
  Peer *peer;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      if (peer->roles & role)
        g_ptr_array_add (peers, beacon_gst_peer_info_new (peer->id, peer->meta));
    }
  return peers;
}

/* Message handlers */

static void
handle_set_peer_status (BeaconSignallingRoom *self,
                        Peer                 *peer,
                        BeaconGstMessage     *message)
{
  gboolean was_producer = (peer->roles & BEACON_GST_ROLE_PRODUCER) != 0;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

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
handle_list (BeaconSignallingRoom *self,
             Peer                 *peer,
             BeaconGstMessageType  type,
             BeaconGstRoles        role)
{
  g_autoptr(BeaconGstMessage) reply = beacon_gst_message_new (type);

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  reply->peers = list_peers (self, role);
  peer_send_message (peer, reply);
}

static void
handle_start_session (BeaconSignallingRoom *self,
                      Peer                 *peer,
                      BeaconGstMessage     *message)
{
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) started = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *started_text = NULL;
  Peer *target;
  Peer *producer;
  Peer *consumer;
  Session *session;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  target = lookup_peer (self, message->peer_id);
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

  if (beacon_signalling_room_producer_is_full (self, producer->id))
    {
      g_autofree char *details = g_strdup_printf ("broadcast is full: at most %u viewers",
                                                  self->limits.max_sessions_per_producer);

      peer_send_error (peer, details);
      return;
    }

  session = session_new (self, producer->id);
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
lookup_session_of_peer (BeaconSignallingRoom *self,
                        Peer                 *peer,
                        const char           *session_id)
{
  g_autofree char *details = NULL;
  Session *session;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  session = g_hash_table_lookup (self->sessions, session_id);
  if (session != NULL && session_other_side (session, peer->id) != NULL)
    return session;

  details = g_strdup_printf ("session '%s' not found", session_id);
  peer_send_error (peer, details);
  return NULL;
}

static void
handle_peer_message (BeaconSignallingRoom *self,
                     Peer                 *peer,
                     BeaconGstMessage     *message)
{
  Session *session;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  session = lookup_session_of_peer (self, peer, message->session_id);
  if (session == NULL)
    return;

  if (g_strcmp0 (session->consumer_id, peer->id) == 0)
    g_clear_handle_id (&session->answer_source, g_source_remove);

  if (session->relayed && g_strcmp0 (session->producer_id, peer->id) == 0)
    {
      g_signal_emit (self, signals[SIGNAL_RELAYED_MESSAGE], 0, session->id, message);
      return;
    }

  /* Re-serialised rather than forwarded as received, so that nothing but the fields of the
   * protocol reaches the other side. */
  peer_send_message (lookup_peer (self, session_other_side (session, peer->id)), message);
}

static void
handle_end_session (BeaconSignallingRoom *self,
                    Peer                 *peer,
                    BeaconGstMessage     *message)
{
  Session *session;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

  session = lookup_session_of_peer (self, peer, message->session_id);
  if (session == NULL)
    return;

  end_session (self, session->id,
               g_strcmp0 (session->producer_id, peer->id) != 0,
               g_strcmp0 (session->consumer_id, peer->id) != 0);
}

static void
handle_text (BeaconSignallingRoom *self,
             Peer                 *peer,
             const char           *text,
             gsize                 length)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (BEACON_IS_SIGNALLING_ROOM (self));

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

/* GObject */

static void
beacon_signalling_room_dispose (GObject *object)
{
  BeaconSignallingRoom *self = BEACON_SIGNALLING_ROOM (object);

  /* Sessions first: their answer timeouts hold the room without a reference. */
  g_hash_table_remove_all (self->sessions);
  g_hash_table_remove_all (self->peers);

  G_OBJECT_CLASS (beacon_signalling_room_parent_class)->dispose (object);
}

static void
beacon_signalling_room_finalize (GObject *object)
{
  BeaconSignallingRoom *self = BEACON_SIGNALLING_ROOM (object);

  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->peers, g_hash_table_unref);

  G_OBJECT_CLASS (beacon_signalling_room_parent_class)->finalize (object);
}

static void
beacon_signalling_room_class_init (BeaconSignallingRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_signalling_room_dispose;
  object_class->finalize = beacon_signalling_room_finalize;

  signals[SIGNAL_SESSION_ENDED] =
    g_signal_new ("session-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The message is a BeaconGstMessage, which has no GType of its own. */
  signals[SIGNAL_RELAYED_MESSAGE] =
    g_signal_new ("relayed-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);
}

static void
beacon_signalling_room_init (BeaconSignallingRoom *self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal,
                                       NULL, (GDestroyNotify) peer_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          NULL, (GDestroyNotify) session_free);
}

/* Public API */

BeaconSignallingRoom *
beacon_signalling_room_new (void)
{
  return g_object_new (BEACON_TYPE_SIGNALLING_ROOM, NULL);
}

void
beacon_signalling_room_get_limits (BeaconSignallingRoom       *self,
                                   BeaconSignallingRoomLimits *limits)
{
  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));
  g_return_if_fail (limits != NULL);

  *limits = self->limits;
}

void
beacon_signalling_room_set_limits (BeaconSignallingRoom             *self,
                                   const BeaconSignallingRoomLimits *limits)
{
  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));
  g_return_if_fail (limits != NULL);

  self->limits = *limits;
}

const char *
beacon_signalling_room_add_peer (BeaconSignallingRoom         *self,
                                 gboolean                      may_produce,
                                 BeaconSignallingRoomSendFunc  send,
                                 gpointer                      user_data,
                                 GDestroyNotify                destroy)
{
  Peer *peer;

  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (self), NULL);
  g_return_val_if_fail (send != NULL, NULL);

  peer = g_new0 (Peer, 1);
  peer->id = g_uuid_string_random ();
  peer->may_produce = may_produce;
  peer->send = send;
  peer->user_data = user_data;
  peer->destroy = destroy;
  g_hash_table_insert (self->peers, peer->id, peer);
  return peer->id;
}

void
beacon_signalling_room_welcome (BeaconSignallingRoom *self,
                                const char           *peer_id)
{
  g_autofree char *welcome = NULL;

  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));
  g_return_if_fail (peer_id != NULL);

  welcome = beacon_gst_build_welcome (peer_id);
  send_to (self, peer_id, welcome);
}

void
beacon_signalling_room_remove_peer (BeaconSignallingRoom *self,
                                    const char           *peer_id)
{
  Peer *peer;

  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));

  peer = lookup_peer (self, peer_id);
  if (peer != NULL)
    remove_peer (self, peer);
}

guint
beacon_signalling_room_get_n_peers (BeaconSignallingRoom *self)
{
  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (self), 0);

  return g_hash_table_size (self->peers);
}

void
beacon_signalling_room_receive_text (BeaconSignallingRoom *self,
                                     const char           *peer_id,
                                     const char           *text,
                                     gsize                 length)
{
  Peer *peer;

  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));
  g_return_if_fail (text != NULL || length == 0);

  peer = lookup_peer (self, peer_id);
  if (peer != NULL)
    handle_text (self, peer, text, length);
}

void
beacon_signalling_room_receive_binary (BeaconSignallingRoom *self,
                                       const char           *peer_id)
{
  Peer *peer;

  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));

  peer = lookup_peer (self, peer_id);
  if (peer != NULL)
    peer_send_error (peer, "binary messages are not part of the protocol");
}

void
beacon_signalling_room_send_to (BeaconSignallingRoom *self,
                                const char           *peer_id,
                                const char           *text)
{
  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));

  send_to (self, peer_id, text);
}

GPtrArray *
beacon_signalling_room_list_producers (BeaconSignallingRoom *self)
{
  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (self), NULL);

  return list_peers (self, BEACON_GST_ROLE_PRODUCER);
}

gboolean
beacon_signalling_room_producer_is_full (BeaconSignallingRoom *self,
                                         const char           *producer_id)
{
  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (self), FALSE);

  return self->limits.max_sessions_per_producer > 0 &&
         count_sessions (self, producer_id, TRUE) >= self->limits.max_sessions_per_producer;
}

const char *
beacon_signalling_room_start_relayed_session (BeaconSignallingRoom  *self,
                                              const char            *producer_id,
                                              const char            *consumer_prefix,
                                              const char           **consumer_id)
{
  Session *session;

  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (self), NULL);
  g_return_val_if_fail (producer_id != NULL, NULL);
  g_return_val_if_fail (consumer_prefix != NULL, NULL);

  session = session_new (self, producer_id);
  session->consumer_id = g_strconcat (consumer_prefix, session->id, NULL);
  session->relayed = TRUE;
  g_hash_table_insert (self->sessions, session->id, session);

  if (consumer_id != NULL)
    *consumer_id = session->consumer_id;
  return session->id;
}

const char *
beacon_signalling_room_get_session_producer (BeaconSignallingRoom *self,
                                             const char           *session_id)
{
  Session *session;

  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (self), NULL);

  session = g_hash_table_lookup (self->sessions, session_id);
  return session != NULL ? session->producer_id : NULL;
}

void
beacon_signalling_room_end_session (BeaconSignallingRoom *self,
                                    const char           *session_id,
                                    gboolean              notify_producer,
                                    gboolean              notify_consumer)
{
  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));
  g_return_if_fail (session_id != NULL);

  end_session (self, session_id, notify_producer, notify_consumer);
}

void
beacon_signalling_room_close (BeaconSignallingRoom *self)
{
  g_autoptr(GPtrArray) session_ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (self));

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (session_ids, g_strdup (key));

  for (guint i = 0; i < session_ids->len; i++)
    end_session (self, g_ptr_array_index (session_ids, i), TRUE, TRUE);

  g_hash_table_remove_all (self->peers);
}

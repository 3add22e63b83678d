/* beacon-direct-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "beacon-direct-server.h"
#include "beacon-gst-protocol.h"

/* Signalling messages are a few kilobytes (an SDP with many candidates stays well below
 * 100 KiB); anything larger is refused by libsoup, which closes the connection. */
#define MAX_INCOMING_PAYLOAD_SIZE (1024 * 1024)

/* Pings keep NAT mappings and proxies from dropping idle viewers' connections. */
#define KEEPALIVE_INTERVAL_SECONDS 20

typedef struct {
  BeaconDirectServer      *server;      /* unowned: the server owns every peer */
  char                    *id;
  SoupWebsocketConnection *connection;
  BeaconGstRoles           roles;
  JsonObject              *meta;        /* nullable */
} Peer;

typedef struct {
  char *id;
  char *producer_id;
  char *consumer_id;
} Session;

struct _BeaconDirectServer
{
  GObject          parent_instance;

  GTlsCertificate *certificate;
  SoupServer      *soup_server;
  guint            max_sessions_per_producer;
  guint            port;

  GHashTable      *peers;               /* id → Peer*, owned */
  GHashTable      *sessions;            /* id → Session*, owned */
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
  peer_release_connection (peer, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_clear_pointer (&peer->meta, json_object_unref);
  g_free (peer->id);
  g_free (peer);
}

static void
session_free (Session *session)
{
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

static guint
count_producer_sessions (BeaconDirectServer *self,
                         const char         *producer_id)
{
  GHashTableIter iter;
  Session *session;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      if (g_strcmp0 (session->producer_id, producer_id) == 0)
        n++;
    }

  return n;
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

  if (self->max_sessions_per_producer > 0
      && count_producer_sessions (self, producer->id) >= self->max_sessions_per_producer)
    {
      g_autofree char *details = g_strdup_printf ("broadcast is full: at most %u viewers",
                                                  self->max_sessions_per_producer);

      peer_send_error (peer, details);
      return;
    }

  session = g_new0 (Session, 1);
  session->id = g_uuid_string_random ();
  session->producer_id = g_strdup (producer->id);
  session->consumer_id = g_strdup (consumer->id);
  g_hash_table_insert (self->sessions, session->id, session);

  g_debug ("Session %s started by %s (producer %s, consumer %s)",
           session->id, peer->id, producer->id, consumer->id);

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

/* GObject */

static void
beacon_direct_server_constructed (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  G_OBJECT_CLASS (beacon_direct_server_parent_class)->constructed (object);

  self->soup_server = soup_server_new ("tls-certificate", self->certificate, NULL);
  soup_server_add_websocket_handler (self->soup_server, "/", NULL, NULL,
                                     websocket_cb, self, NULL);
}

static void
beacon_direct_server_dispose (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  beacon_direct_server_stop (self);

  g_clear_object (&self->soup_server);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (beacon_direct_server_parent_class)->dispose (object);
}

static void
beacon_direct_server_finalize (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

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
}

static void
beacon_direct_server_init (BeaconDirectServer *self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal,
                                       NULL, (GDestroyNotify) peer_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          NULL, (GDestroyNotify) session_free);
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

  /* Freeing each peer closes its connection with 1001 (going away). */
  if (self->peers != NULL)
    g_hash_table_remove_all (self->peers);

  if (self->soup_server != NULL)
    soup_server_disconnect (self->soup_server);

  if (self->port != 0)
    {
      self->port = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

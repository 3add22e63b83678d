/* beacon-direct-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "beacon-direct-server.h"
#include "beacon-viewer-page.h"
#include "beacon-http-endpoint.h"
#include "beacon-http-refusal.h"
#include "beacon-random.h"
#include "beacon-signalling-room.h"
#include "beacon-soup-initial-message.h"
#include "beacon-websocket-peer.h"
#include "beacon-whep-endpoint.h"
#include "beacon-whip-endpoint.h"

/* The direct server is a shell around its parts: it owns the SoupServer (TLS, listening,
 * every connection's limits and deadlines) and hands the requests on. WebSocket clients
 * become peers of the signalling room (beacon-websocket-peer), which relays the protocol
 * between producers and consumers and holds the limits on sessions; /whep
 * (BeaconWhepEndpoint) speaks in the room for HTTP viewers, and /whip (BeaconWhipEndpoint)
 * hands a publisher's offer to the broadcaster. */

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
  gboolean                 request_read; /* headers of a request came on it */
  guint                    deadline_source;
} Connection;

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
  GObject               parent_instance;

  GTlsCertificate      *certificate;
  SoupServer           *soup_server;
  char                 *producer_token;  /* only a connection that sends it may produce */
  gboolean              open_producers;  /* anyone may produce (not Beacon's own server) */
  guint                 max_sessions_per_producer;
  guint                 port;

  BeaconSignallingRoom *room;
  BeaconWhepEndpoint   *whep;
  BeaconWhipEndpoint   *whip;

  GHashTable           *connections;     /* GSocket* → Connection*, owned */
  GHashTable           *per_address;     /* IP address → number of its connections */
  GPtrArray            *listeners;       /* Listener*, owned */
  guint64               n_accepted;      /* connections libsoup has accepted */
  BeaconDirectServerLimits limits;
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
  /* The connection's first message, with no request read on it: libsoup 3.2 would keep it. */
  if (connection->msg != NULL && !connection->request_read)
    beacon_soup_release_unused_initial_message (g_steal_pointer (&connection->msg));
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
connection_got_headers_cb (SoupServerMessage *msg,
                           gpointer           user_data)
{
  Connection *connection = user_data;

  connection->request_read = TRUE;
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
refused_disconnected_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  g_signal_handlers_disconnect_by_func (msg, refused_disconnected_cb, user_data);
  beacon_soup_release_unused_initial_message (g_object_ref (msg));
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
          /* Never counted, so connection_free () will not see it: its first message goes
           * unused too (see beacon-soup-initial-message.h). */
          g_signal_connect (msg, "disconnected", G_CALLBACK (refused_disconnected_cb), NULL);
          return;
        }
      connection = connection_new (self, socket, address);
    }

  /* The latest request stands for the connection: libsoup tells it when the connection
   * ends, also between requests. */
  if (connection->msg != NULL)
    g_signal_handlers_disconnect_by_data (connection->msg, connection);
  g_set_object (&connection->msg, msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (connection_got_headers_cb), connection);
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

/* The WebSocket upgrade is done here rather than by soup_server_add_websocket_handler (), so
 * that the connection reads through a size limit (see beacon_websocket_peer_accept ()): right
 * after the 101 response, the connection becomes a WebSocket, counted as the same connection,
 * and its client a peer of the room. */
static void
websocket_upgrade_written_cb (SoupServerMessage *msg,
                              gpointer           user_data)
{
  BeaconDirectServer *self = user_data;
  g_autoptr(SoupServerMessage) held = g_object_ref (msg);
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  Connection *counted;
  gboolean may_produce;

  g_signal_handlers_disconnect_by_func (msg, websocket_upgrade_written_cb, user_data);
  counted = connection_start_upgrade (self, msg);
  connection = beacon_websocket_peer_accept (msg);
  if (connection == NULL)
    {
      if (counted != NULL)
        connection_end (counted);
      return;
    }

  if (counted != NULL)
    connection_finish_upgrade (counted, connection);
  may_produce = self->open_producers ||
                beacon_http_request_has_bearer (msg, self->producer_token);
  beacon_websocket_peer_join (self->room, connection, msg, may_produce,
                              self->limits.idle_timeout);
}

static void
websocket_handler_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  BeaconDirectServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* A plain request for the viewer page (a browser following the browser link); the
   * signaling WebSocket shares "/" with it, told apart by its Upgrade header. */
  if (!soup_message_headers_header_contains (headers, "Upgrade", "websocket") &&
      beacon_viewer_page_handle (msg, path))
    return;
  /* No extensions are offered: see the comment on permessage-deflate in constructed (). A
   * request that is not a valid handshake gets its error status from libsoup. */
  if (soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    g_signal_connect_object (msg, "wrote-informational",
                             G_CALLBACK (websocket_upgrade_written_cb), self, 0);
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
      soup_message_headers_get_content_length (headers) > BEACON_HTTP_MAX_BODY_SIZE)
    beacon_http_refuse_unread_body (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                    "the body is too large");
  else if (encoding != SOUP_ENCODING_CONTENT_LENGTH && encoding != SOUP_ENCODING_NONE)
    beacon_http_refuse_unread_body (msg, SOUP_STATUS_LENGTH_REQUIRED,
                                    "send the body with a Content-Length");
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

/* The parts */

static void
whep_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BeaconDirectServer *self = user_data;

  beacon_whep_endpoint_handle_request (self->whep, msg, path);
}

static void
whip_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BeaconDirectServer *self = user_data;

  beacon_whip_endpoint_handle_request (self->whip, msg, path);
}

static void
whip_offer_cb (BeaconWhipEndpoint *whip,
               const char         *id,
               const char         *offer,
               gpointer            user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_WHIP_OFFER], 0, id, offer);
}

static void
whip_ended_cb (BeaconWhipEndpoint *whip,
               const char         *id,
               gpointer            user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_WHIP_ENDED], 0, id);
}

/* The room holds the limits on sessions; the server's setters keep them in step. */
static void
update_room_limits (BeaconDirectServer *self)
{
  BeaconSignallingRoomLimits room_limits = {
    .max_sessions_per_producer = self->max_sessions_per_producer,
    .max_sessions_per_connection = self->limits.max_sessions_per_connection,
    .max_pending_sessions = self->limits.max_pending_sessions,
    .session_answer_timeout = self->limits.session_answer_timeout,
  };

  g_assert (BEACON_IS_DIRECT_SERVER (self));

  beacon_signalling_room_set_limits (self->room, &room_limits);
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
  if (self->whip != NULL)
    g_signal_handlers_disconnect_by_data (self->whip, self);
  g_clear_object (&self->whip);
  g_clear_object (&self->whep);
  g_clear_object (&self->room);

  G_OBJECT_CLASS (beacon_direct_server_parent_class)->dispose (object);
}

static void
beacon_direct_server_finalize (GObject *object)
{
  BeaconDirectServer *self = BEACON_DIRECT_SERVER (object);

  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->listeners, g_ptr_array_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  g_free (self->producer_token);

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
  self->connections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) connection_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_free);
  beacon_direct_server_limits_init_default (&self->limits);
  self->producer_token = beacon_random_hex (32);

  self->room = beacon_signalling_room_new ();
  update_room_limits (self);
  self->whep = beacon_whep_endpoint_new (self->room);
  self->whip = beacon_whip_endpoint_new ();
  g_signal_connect (self->whip, "offer", G_CALLBACK (whip_offer_cb), self);
  g_signal_connect (self->whip, "ended", G_CALLBACK (whip_ended_cb), self);
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

  beacon_whep_endpoint_set_media_identity (self->whep, fingerprint);
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
  update_room_limits (self);
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
  update_room_limits (self);
}

void
beacon_direct_server_set_http_answer_timeout (BeaconDirectServer *self,
                                              guint               milliseconds)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));
  g_return_if_fail (milliseconds > 0);

  beacon_whep_endpoint_set_answer_timeout (self->whep, milliseconds);
  beacon_whip_endpoint_set_answer_timeout (self->whip, milliseconds);
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

  if (!listening && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      g_set_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_PORT_IN_USE,
                   "Port %u is in use by another program (on %s): choose another port, or 0 "
                   "for any free one", port, bind_address);
      return FALSE;
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

  return beacon_signalling_room_get_n_peers (self->room);
}

void
beacon_direct_server_stop (BeaconDirectServer *self)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  /* Every session ends (endSession to both sides), then freeing each peer closes its
   * connection with 1001 (going away). */
  if (self->room != NULL)
    beacon_signalling_room_close (self->room);
  if (self->whip != NULL)
    beacon_whip_endpoint_stop (self->whip);

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

  beacon_whip_endpoint_set_ingest (self->whip, enabled, token);
}

void
beacon_direct_server_whip_answer (BeaconDirectServer *self,
                                  const char         *id,
                                  const char         *answer,
                                  const GError       *error)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  beacon_whip_endpoint_answer (self->whip, id, answer, error);
}

void
beacon_direct_server_whip_end (BeaconDirectServer *self,
                               const char         *id)
{
  g_return_if_fail (BEACON_IS_DIRECT_SERVER (self));

  beacon_whip_endpoint_end (self->whip, id);
}

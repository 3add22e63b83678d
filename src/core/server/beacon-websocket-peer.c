/* beacon-websocket-peer.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-websocket-peer.h"
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

/* The room owns it, as the user data of its peer, and frees it when the peer leaves. */
typedef struct {
  BeaconSignallingRoom    *room;        /* unowned: the room owns every peer */
  char                    *id;
  SoupWebsocketConnection *connection;
  guint                    idle_source; /* until its first message */
  guint                    idle_timeout;
} WebsocketPeer;

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
peer_release_connection (WebsocketPeer *peer,
                         gushort        close_code)
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
peer_free (WebsocketPeer *peer)
{
  g_clear_handle_id (&peer->idle_source, g_source_remove);
  peer_release_connection (peer, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_free (peer->id);
  g_free (peer);
}

static void
peer_send (const char *text,
           gpointer    user_data)
{
  WebsocketPeer *peer = user_data;

  if (peer->connection == NULL)
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
connection_message_cb (SoupWebsocketConnection *connection,
                       gint                     type,
                       GBytes                  *bytes,
                       gpointer                 user_data)
{
  WebsocketPeer *peer = user_data;
  const char *data;
  gsize length;

  g_clear_handle_id (&peer->idle_source, g_source_remove);
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      beacon_signalling_room_receive_binary (peer->room, peer->id);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  beacon_signalling_room_receive_text (peer->room, peer->id, data, length);
}

static void
connection_error_cb (SoupWebsocketConnection *connection,
                     GError                  *error,
                     gpointer                 user_data)
{
  WebsocketPeer *peer = user_data;

  g_debug ("Connection of peer %s: %s", peer->id, error->message);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      gpointer                 user_data)
{
  WebsocketPeer *peer = user_data;

  g_debug ("Connection of peer %s closed (code %u)",
           peer->id, soup_websocket_connection_get_close_code (connection));

  /* Frees @peer. */
  beacon_signalling_room_remove_peer (peer->room, peer->id);
}

static gboolean
peer_idle_cb (gpointer user_data)
{
  WebsocketPeer *peer = user_data;

  peer->idle_source = 0;
  g_debug ("Peer %s sent nothing within %u s of its welcome, closing its connection", peer->id,
           peer->idle_timeout);
  soup_websocket_connection_close (peer->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                   "no message");
  return G_SOURCE_REMOVE;
}

/* The WebSocket upgrade is done by the server rather than by
 * soup_server_add_websocket_handler (), so that the connection reads through a
 * BeaconWebsocketLimit: libsoup before 3.7.1 limits each frame but not a message's fragments
 * together (150 MiB sent as 1 MiB fragments was accepted), and the stream is only reachable
 * between the 101 response and the connection's creation. */
SoupWebsocketConnection *
beacon_websocket_peer_accept (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stolen = NULL;
  g_autoptr(GIOStream) stream = NULL;
  SoupWebsocketConnection *connection;
  GUri *uri = soup_server_message_get_uri (msg);

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  stolen = soup_server_message_steal_connection (msg);
  if (stolen == NULL)
    return NULL;

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

  return connection;
}

void
beacon_websocket_peer_join (BeaconSignallingRoom    *room,
                            SoupWebsocketConnection *connection,
                            SoupServerMessage       *msg,
                            gboolean                 may_produce,
                            guint                    idle_timeout)
{
  const char *remote_host;
  WebsocketPeer *peer;

  g_return_if_fail (BEACON_IS_SIGNALLING_ROOM (room));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  peer = g_new0 (WebsocketPeer, 1);
  peer->room = room;
  peer->connection = g_object_ref (connection);
  peer->idle_timeout = idle_timeout;
  peer->id = g_strdup (beacon_signalling_room_add_peer (room, may_produce, peer_send, peer,
                                                        (GDestroyNotify) peer_free));

  remote_host = soup_server_message_get_remote_host (msg);
  g_debug ("Peer %s connected from %s", peer->id,
           remote_host != NULL ? remote_host : "an unknown address");

  soup_websocket_connection_set_max_incoming_payload_size (connection,
                                                           MAX_INCOMING_PAYLOAD_SIZE);
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_INTERVAL_SECONDS);

  g_signal_connect (connection, "message", G_CALLBACK (connection_message_cb), peer);
  g_signal_connect (connection, "error", G_CALLBACK (connection_error_cb), peer);
  g_signal_connect (connection, "closed", G_CALLBACK (connection_closed_cb), peer);

  /* A client that connects and says nothing holds a connection for no one: every client of
   * the protocol states its role or asks for something as soon as it is welcomed. The
   * deadline is set before the welcome goes out, because a welcome that fails frees the
   * peer, and the deadline with it. */
  if (idle_timeout > 0)
    peer->idle_source = g_timeout_add_seconds (idle_timeout, peer_idle_cb, peer);

  beacon_signalling_room_welcome (room, peer->id);
}

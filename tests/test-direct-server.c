/* test-direct-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The direct server's signalling relay: roles, sessions, relaying, disconnects, malformed and
 * oversized messages, stopping. The WHEP and WHIP endpoints are in test-direct-server-http.c,
 * its limits in test-direct-server-limits.c.
 */

#include "config.h"

#include "beacon-test-direct-server-fixture.h"

/* Tests */

static void
test_welcome (Fixture       *fixture,
              gconstpointer  user_data)
{
  Client *a = client_connect (fixture);
  Client *b = client_connect (fixture);

  g_assert_cmpstr (a->peer_id, !=, b->peer_id);
  g_assert_true (g_uuid_string_is_valid (a->peer_id));
  g_assert_cmpuint (beacon_direct_server_get_n_connections (fixture->server), ==, 2);

  client_close (a);
  wait_for_connections (fixture, 1);
}

/* Only the broadcaster that runs the server may produce: anyone else asking is refused with an
 * error, is not announced, cannot be watched, and cannot take the broadcast's name. */
static void
test_stranger_cannot_produce (Fixture       *fixture,
                              gconstpointer  user_data)
{
  Client *listener = client_connect (fixture);
  Client *producer = client_connect (fixture);
  Client *stranger = client_connect_full (fixture, FALSE);
  Client *viewer = client_connect_full (fixture, FALSE);
  g_autoptr(BeaconGstMessage) notification = NULL;
  g_autoptr(BeaconGstMessage) list = NULL;
  g_autoptr(JsonObject) meta = json_object_new ();

  client_register (listener, BEACON_GST_ROLE_LISTENER, NULL);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, "Kitchen");
  notification = client_expect (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);

  json_object_set_string_member (meta, "name", "Kitchen");
  client_send_take (stranger, beacon_gst_build_set_peer_status (BEACON_GST_ROLE_PRODUCER, meta));
  client_expect_error (stranger, "only the broadcaster that runs this server can publish on it");
  client_send_take (stranger, beacon_gst_build_set_peer_status (BEACON_GST_ROLE_PRODUCER |
                                                                BEACON_GST_ROLE_LISTENER, NULL));
  client_expect_error (stranger, "only the broadcaster that runs this server can publish on it");
  client_assert_nothing_pending (listener);

  /* The stranger is nobody's producer: not listed, and a session with it is refused. */
  client_send_take (viewer, beacon_gst_build_list ());
  list = client_expect (viewer, BEACON_GST_MESSAGE_LIST);
  g_assert_cmpuint (list->peers->len, ==, 1);
  client_send_take (viewer, beacon_gst_build_start_session (stranger->peer_id, NULL));
  client_expect_error (viewer, "not found");

  /* Watching stays open to everyone. */
  client_register (stranger, BEACON_GST_ROLE_LISTENER, NULL);
}

static void
test_register (Fixture       *fixture,
               gconstpointer  user_data)
{
  Client *listener = client_connect (fixture);
  Client *producer = client_connect (fixture);
  Client *bystander = client_connect (fixture);
  g_autoptr(BeaconGstMessage) notification = NULL;

  client_register (listener, BEACON_GST_ROLE_LISTENER, NULL);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, "Kitchen");

  notification = client_expect (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpstr (notification->peer_id, ==, producer->peer_id);
  g_assert_cmpint (notification->roles, ==, BEACON_GST_ROLE_PRODUCER);
  g_assert_nonnull (notification->meta);
  g_assert_cmpstr (json_object_get_string_member (notification->meta, "name"), ==, "Kitchen");

  /* A peer without the listener role hears about nobody but itself. */
  client_assert_nothing_pending (bystander);

  /* The exact wire form of the echo. */
  {
    g_autofree char *text = NULL;

    client_send (producer, "{\"type\":\"setPeerStatus\",\"roles\":[\"producer\"],\"meta\":null}");
    text = client_next_text (producer);
    g_assert_nonnull (strstr (text, "\"type\":\"peerStatusChanged\""));
    g_assert_nonnull (strstr (text, "\"roles\":[\"producer\"]"));
    g_assert_nonnull (strstr (text, "\"meta\":null"));
    g_assert_nonnull (strstr (text, producer->peer_id));
  }
}

static void
test_list (Fixture       *fixture,
           gconstpointer  user_data)
{
  Client *p1 = client_connect (fixture);
  Client *p2 = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  Client *asker = client_connect (fixture);
  g_autoptr(BeaconGstMessage) reply = NULL;
  gboolean seen_p1 = FALSE;
  gboolean seen_p2 = FALSE;

  /* Nobody produces yet: an empty reply, not a request. */
  client_send_take (asker, beacon_gst_build_list ());
  reply = client_expect (asker, BEACON_GST_MESSAGE_LIST);
  g_assert_nonnull (reply->peers);
  g_assert_cmpuint (reply->peers->len, ==, 0);
  g_clear_pointer (&reply, beacon_gst_message_free);

  client_register (p1, BEACON_GST_ROLE_PRODUCER, "One");
  client_register (p2, BEACON_GST_ROLE_PRODUCER | BEACON_GST_ROLE_LISTENER, NULL);
  client_register (consumer, BEACON_GST_ROLE_CONSUMER, "Viewer");

  client_send_take (asker, beacon_gst_build_list ());
  reply = client_expect (asker, BEACON_GST_MESSAGE_LIST);
  g_assert_cmpuint (reply->peers->len, ==, 2);
  for (guint i = 0; i < reply->peers->len; i++)
    {
      BeaconGstPeerInfo *info = g_ptr_array_index (reply->peers, i);

      if (g_strcmp0 (info->id, p1->peer_id) == 0)
        {
          seen_p1 = TRUE;
          g_assert_cmpstr (json_object_get_string_member (info->meta, "name"), ==, "One");
        }
      else if (g_strcmp0 (info->id, p2->peer_id) == 0)
        {
          seen_p2 = TRUE;
          g_assert_null (info->meta);
        }
    }
  g_assert_true (seen_p1 && seen_p2);
  g_clear_pointer (&reply, beacon_gst_message_free);

  client_send (asker, "{\"type\":\"listConsumers\"}");
  reply = client_expect (asker, BEACON_GST_MESSAGE_LIST_CONSUMERS);
  g_assert_cmpuint (reply->peers->len, ==, 1);
  g_assert_cmpstr (((BeaconGstPeerInfo *) g_ptr_array_index (reply->peers, 0))->id, ==,
                   consumer->peer_id);
  g_clear_pointer (&reply, beacon_gst_message_free);

  /* A producer that leaves is no longer listed. */
  client_close (p1);
  wait_for_connections (fixture, 3);
  client_send_take (asker, beacon_gst_build_list ());
  reply = client_expect (asker, BEACON_GST_MESSAGE_LIST);
  g_assert_cmpuint (reply->peers->len, ==, 1);
  g_assert_cmpstr (((BeaconGstPeerInfo *) g_ptr_array_index (reply->peers, 0))->id, ==,
                   p2->peer_id);
}

static void
test_start_session (Fixture       *fixture,
                    gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  Client *consumer2 = client_connect (fixture);
  g_autofree char *session1 = NULL;
  g_autofree char *session2 = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* A consumer need not register to ask for a session. */
  session1 = start_session (consumer, producer, NULL);
  g_assert_cmpuint (strlen (session1), ==, 32);

  /* With an offer: the producer gets it in startSession. */
  session2 = start_session (consumer2, producer, "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n");
  g_assert_cmpstr (session1, !=, session2);

  client_assert_nothing_pending (consumer);
  client_assert_nothing_pending (producer);
}

static void
test_start_session_from_producer (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autoptr(BeaconGstMessage) started = NULL;
  g_autoptr(BeaconGstMessage) start = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  client_register (consumer, BEACON_GST_ROLE_CONSUMER, NULL);

  /* The mirror: a producer invites a waiting consumer. */
  client_send_take (producer, beacon_gst_build_start_session (consumer->peer_id, NULL));
  started = client_expect (producer, BEACON_GST_MESSAGE_SESSION_STARTED);
  g_assert_cmpstr (started->peer_id, ==, consumer->peer_id);
  start = client_expect (consumer, BEACON_GST_MESSAGE_START_SESSION);
  g_assert_cmpstr (start->peer_id, ==, producer->peer_id);
  g_assert_cmpstr (start->session_id, ==, started->session_id);
}

static void
test_relay (Fixture       *fixture,
            gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *forged = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  session = start_session (consumer, producer, NULL);

  client_send_take (producer, beacon_gst_build_peer_sdp (session, "offer", "v=0\r\nm=video\r\n"));
  message = client_expect (consumer, BEACON_GST_MESSAGE_PEER_SDP);
  g_assert_cmpstr (message->session_id, ==, session);
  g_assert_cmpstr (message->sdp_type, ==, "offer");
  g_assert_cmpstr (message->sdp, ==, "v=0\r\nm=video\r\n");
  g_clear_pointer (&message, beacon_gst_message_free);

  client_send_take (consumer, beacon_gst_build_peer_sdp (session, "answer", "v=0\r\na=x\r\n"));
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_SDP);
  g_assert_cmpstr (message->sdp_type, ==, "answer");
  g_assert_cmpstr (message->sdp, ==, "v=0\r\na=x\r\n");
  g_clear_pointer (&message, beacon_gst_message_free);

  client_send_take (producer, beacon_gst_build_peer_ice (session, 1, "candidate:1 1 udp 1 127.0.0.1 9 typ host"));
  message = client_expect (consumer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpstr (message->session_id, ==, session);
  g_assert_cmpuint (message->sdp_mline_index, ==, 1);
  g_assert_cmpstr (message->candidate, ==, "candidate:1 1 udp 1 127.0.0.1 9 typ host");
  g_clear_pointer (&message, beacon_gst_message_free);

  client_send_take (consumer, beacon_gst_build_peer_ice (session, 0, ""));
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpuint (message->sdp_mline_index, ==, 0);
  g_assert_cmpstr (message->candidate, ==, "");
  g_clear_pointer (&message, beacon_gst_message_free);

  /* Only protocol fields are forwarded, not whatever else the sender adds. */
  forged = g_strdup_printf ("{\"type\":\"peer\",\"sessionId\":\"%s\",\"x-secret\":1,"
                            "\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":2,\"sdpMid\":\"v\"}}",
                            session);
  client_send (consumer, forged);
  raw = client_next_text (producer);
  g_assert_null (strstr (raw, "x-secret"));
  g_assert_null (strstr (raw, "sdpMid"));
  g_assert_nonnull (strstr (raw, "\"sdpMLineIndex\":2"));
}

static void
test_not_in_session (Fixture       *fixture,
                     gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  Client *intruder = client_connect (fixture);
  g_autofree char *session = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  session = start_session (consumer, producer, NULL);

  client_send_take (intruder, beacon_gst_build_peer_sdp (session, "offer", "v=0"));
  client_expect_error (intruder, "not found");
  client_send_take (intruder, beacon_gst_build_end_session (session));
  client_expect_error (intruder, "not found");
  client_send_take (intruder, beacon_gst_build_peer_ice ("no-such-session", 0, "c"));
  client_expect_error (intruder, "session 'no-such-session' not found");

  client_assert_nothing_pending (producer);
  client_assert_nothing_pending (consumer);

  /* The session is intact. */
  client_send_take (consumer, beacon_gst_build_peer_ice (session, 0, "c"));
  g_clear_pointer (&session, g_free);
  {
    g_autoptr(BeaconGstMessage) message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  }
}

static void
test_end_session (Fixture       *fixture,
                  gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* Ended by the consumer. */
  session = start_session (consumer, producer, NULL);
  client_send_take (consumer, beacon_gst_build_end_session (session));
  message = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  g_clear_pointer (&message, beacon_gst_message_free);
  client_assert_nothing_pending (consumer);

  /* The session is gone for both sides. */
  client_send_take (producer, beacon_gst_build_peer_sdp (session, "offer", "v=0"));
  client_expect_error (producer, "not found");
  g_clear_pointer (&session, g_free);

  /* Ended by the producer. */
  session = start_session (consumer, producer, NULL);
  client_send_take (producer, beacon_gst_build_end_session (session));
  message = client_expect (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  client_assert_nothing_pending (producer);
}

static void
test_producer_disconnect (Fixture       *fixture,
                          gconstpointer  user_data)
{
  Client *listener = client_connect (fixture);
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;

  client_register (listener, BEACON_GST_ROLE_LISTENER, NULL);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  message = client_expect (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_clear_pointer (&message, beacon_gst_message_free);
  session = start_session (consumer, producer, NULL);

  client_close (producer);

  message = client_expect (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = client_expect (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpstr (message->peer_id, ==, producer->peer_id);
  g_assert_cmpint (message->roles, ==, BEACON_GST_ROLE_NONE);
  g_clear_pointer (&message, beacon_gst_message_free);

  g_assert_cmpuint (beacon_direct_server_get_n_connections (fixture->server), ==, 2);

  /* The producer is gone for good. */
  client_send_take (consumer, beacon_gst_build_start_session (producer->peer_id, NULL));
  client_expect_error (consumer, "not found");
}

static void
test_abrupt_disconnect (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  session = start_session (consumer, producer, NULL);

  /* The consumer vanishes without a close handshake. */
  g_io_stream_close (soup_websocket_connection_get_io_stream (consumer->connection), NULL, &error);
  g_assert_no_error (error);

  message = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  client_assert_nothing_pending (producer);
  g_assert_cmpuint (beacon_direct_server_get_n_connections (fixture->server), ==, 1);
}

static void
test_drop_producer_role (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  session = start_session (consumer, producer, NULL);

  client_register (producer, BEACON_GST_ROLE_LISTENER, NULL);
  message = client_expect (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
}

static void
test_unknown_producer (Fixture       *fixture,
                       gconstpointer  user_data)
{
  Client *client = client_connect (fixture);
  Client *other = client_connect (fixture);

  client_send_take (client, beacon_gst_build_start_session ("nobody", NULL));
  client_expect_error (client, "producer 'nobody' not found");

  /* A peer that does not produce is not a producer either. */
  client_send_take (client, beacon_gst_build_start_session (other->peer_id, NULL));
  client_expect_error (client, "not found");

  /* Nor is oneself. */
  client_register (client, BEACON_GST_ROLE_PRODUCER, NULL);
  client_send_take (client, beacon_gst_build_start_session (client->peer_id, NULL));
  client_expect_error (client, "not found");

  client_assert_nothing_pending (other);
}

static void
test_max_sessions (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *c1 = client_connect (fixture);
  Client *c2 = client_connect (fixture);
  Client *c3 = client_connect (fixture);
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;

  beacon_direct_server_set_max_sessions_per_producer (fixture->server, 2);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  s1 = start_session (c1, producer, NULL);
  s2 = start_session (c2, producer, NULL);

  client_send_take (c3, beacon_gst_build_start_session (producer->peer_id, NULL));
  client_expect_error (c3, "broadcast is full: at most 2 viewers");
  /* No session was offered to the producer. */
  client_assert_nothing_pending (producer);

  /* A freed place can be taken. */
  client_send_take (c1, beacon_gst_build_end_session (s1));
  {
    g_autoptr(BeaconGstMessage) ended = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  }
  s3 = start_session (c3, producer, NULL);

  /* 0 lifts the limit. */
  beacon_direct_server_set_max_sessions_per_producer (fixture->server, 0);
  g_clear_pointer (&s1, g_free);
  s1 = start_session (c1, producer, NULL);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  user_data)
{
  Client *client = client_connect (fixture);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x01\x02", 2);
  g_autoptr(GString) deep = g_string_new (NULL);

  client_send (client, "not json");
  client_expect_error (client, "not valid JSON");
  client_assert_nothing_pending (client);

  client_send (client, "[]");
  client_expect_error (client, "not a JSON object");

  client_send (client, "{\"type\":\"dance\"}");
  client_expect_error (client, "unknown message type 'dance'");

  client_send (client, "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\","
                       "\"sdpMLineIndex\":-1}}");
  client_expect_error (client, "sdpMLineIndex");

  client_send (client, "{\"type\":\"endSession\"}");
  client_expect_error (client, "message field 'sessionId' is missing or not a string");

  client_send (client, "{\"type\":\"setPeerStatus\",\"roles\":[\"king\"]}");
  client_expect_error (client, "'roles'");

  /* Messages only a server sends. */
  client_send (client, "{\"type\":\"welcome\",\"peerId\":\"me\"}");
  client_expect_error (client, "unexpected message type 'welcome'");

  soup_websocket_connection_send_message (client->connection, SOUP_WEBSOCKET_DATA_BINARY, binary);
  client_expect_error (client, "binary");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  client_send (client, deep->str);
  client_expect_error (client, "nests deeper than 32 levels");

  /* An escaped NUL inside a string and a lone surrogate. */
  client_send (client, "{\"type\":\"startSession\",\"peerId\":\"a\\u0000b\"}");
  client_expect_error (client, "not found");
  client_send (client, "{\"type\":\"startSession\",\"peerId\":\"\\ud800xx\"}");
  client_expect_error (client, "UTF-8");

  /* Still connected and served. */
  client_register (client, BEACON_GST_ROLE_PRODUCER, NULL);
  client_assert_nothing_pending (client);
  g_assert_cmpuint (beacon_direct_server_get_n_connections (fixture->server), ==, 1);
}

static void
test_oversized_message (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Client *big = client_connect (fixture);
  Client *other = client_connect (fixture);
  g_autofree char *huge = NULL;
  gsize size = 2 * 1024 * 1024;

  huge = g_malloc (size + 1);
  memset (huge, ' ', size);
  huge[size] = '\0';

  /* libsoup limits the frame and drops the connection; the server lives on. */
  client_send (big, huge);
  wait_for (is_closed, big, "the oversized connection to close");
  g_assert_cmpuint (big->close_code, !=, SOUP_WEBSOCKET_CLOSE_NORMAL);

  client_assert_nothing_pending (other);
  wait_for_connections (fixture, 1);
}

#define WEBSOCKET_UPGRADE_REQUEST \
  "GET / HTTP/1.1\r\n" \
  "Host: 127.0.0.1\r\n" \
  "Upgrade: websocket\r\n" \
  "Connection: Upgrade\r\n" \
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" \
  "Sec-WebSocket-Version: 13\r\n" \
  "\r\n"

static void
test_fragmented_message (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Client *other = client_connect (fixture);
  RawClient raw = {
    .request = g_strdup (WEBSOCKET_UPGRADE_REQUEST),
    .websocket = TRUE,
    .size = 50 * 1024 * 1024,
    .piece = 60000,  /* each fragment well under the per-frame limit */
  };
  gsize growth;

  growth = raw_client_run (fixture, &raw);
  g_assert_nonnull (raw.response);
  g_assert_true (g_str_has_prefix (raw.response, "HTTP/1.1 101"));
  g_assert_true (raw.closed);
  g_assert_cmpuint (raw.sent, <, raw.size);
  g_assert_cmpuint (growth, <, MAX_RSS_GROWTH_KIB);

  /* The server lives on and serves the others. */
  wait_for_connections (fixture, 1);
  client_assert_nothing_pending (other);
  raw_client_clear (&raw);
}

static void
test_no_deflate (Fixture       *fixture,
                 gconstpointer  user_data)
{
  Client *client;

  /* Offer permessage-deflate, as browsers do; the server must not take it. */
  soup_session_add_feature_by_type (fixture->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  client = client_connect (fixture);

  g_assert_null (soup_websocket_connection_get_extensions (client->connection));
}

static void
test_stop (Fixture       *fixture,
           gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  Client *idle = client_connect (fixture);
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  ConnectData data = { NULL };
  SoupWebsocketConnection *refused;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  session = start_session (consumer, producer, NULL);

  beacon_direct_server_stop (fixture->server);
  g_assert_cmpuint (beacon_direct_server_get_n_connections (fixture->server), ==, 0);
  g_assert_cmpuint (beacon_direct_server_get_port (fixture->server), ==, 0);

  message = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  g_clear_pointer (&message, beacon_gst_message_free);
  message = client_expect (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);

  wait_for (is_closed, producer, "the producer's connection to close");
  wait_for (is_closed, consumer, "the consumer's connection to close");
  wait_for (is_closed, idle, "the idle connection to close");
  g_assert_cmpuint (producer->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpuint (idle->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_true (g_queue_is_empty (&idle->messages));

  /* Twice is harmless. */
  beacon_direct_server_stop (fixture->server);

  /* Nobody listens any more. */
  uri = g_strdup_printf ("wss://127.0.0.1:%u/", fixture->port);
  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  soup_session_websocket_connect_async (fixture->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, &data);
  wait_for (connect_done, &data, "the refused connection");
  refused = soup_session_websocket_connect_finish (fixture->session, data.result, &error);
  g_clear_object (&data.result);
  g_assert_null (refused);
  g_assert_nonnull (error);
}

static void
test_dispose_with_connections (void)
{
  g_autoptr(GError) error = NULL;
  Fixture fixture = { NULL };
  Client *producer;
  Client *consumer;
  g_autofree char *session = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;

  fixture_setup (&fixture, NULL);
  producer = client_connect (&fixture);
  consumer = client_connect (&fixture);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  session = start_session (consumer, producer, NULL);

  /* Dropping the last reference stops the server: sessions end, connections close. */
  g_assert_finalize_object (g_steal_pointer (&fixture.server));

  message = client_expect (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  wait_for (is_closed, producer, "the producer's connection to close");
  wait_for (is_closed, consumer, "the consumer's connection to close");

  g_clear_pointer (&fixture.clients, g_ptr_array_unref);
  g_assert_finalize_object (fixture.session);
}

static void
test_listen_errors (void)
{
  g_autoptr(BeaconDirectServer) first = beacon_direct_server_new (test_certificate);
  g_autoptr(BeaconDirectServer) second = beacon_direct_server_new (test_certificate);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;

  g_assert_false (beacon_direct_server_listen (first, "not an address", 0, &error));
  g_assert_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_LISTEN);
  g_assert_nonnull (strstr (error->message, "not an address"));
  g_clear_error (&error);

  g_assert_true (beacon_direct_server_listen (first, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  /* The same port twice: the message names the address and the port. */
  g_assert_false (beacon_direct_server_listen (second, "127.0.0.1",
                                               beacon_direct_server_get_port (first), &error));
  g_assert_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_PORT_IN_USE);
  port = g_strdup_printf ("%u", beacon_direct_server_get_port (first));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, port));
  g_assert_cmpuint (beacon_direct_server_get_port (second), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  direct_server_test_init (&argc, &argv);

  ADD_TEST ("welcome", test_welcome);
  ADD_TEST ("register", test_register);
  ADD_TEST ("list", test_list);
  ADD_TEST ("start-session", test_start_session);
  ADD_TEST ("start-session-from-producer", test_start_session_from_producer);
  ADD_TEST ("relay", test_relay);
  ADD_TEST ("not-in-session", test_not_in_session);
  ADD_TEST ("end-session", test_end_session);
  ADD_TEST ("producer-disconnect", test_producer_disconnect);
  ADD_TEST ("abrupt-disconnect", test_abrupt_disconnect);
  ADD_TEST ("drop-producer-role", test_drop_producer_role);
  ADD_TEST ("unknown-producer", test_unknown_producer);
  ADD_TEST ("max-sessions", test_max_sessions);
  ADD_TEST ("malformed", test_malformed);
  ADD_TEST ("oversized-message", test_oversized_message);
  ADD_TEST ("no-deflate", test_no_deflate);
  ADD_TEST ("fragmented-message", test_fragmented_message);
  ADD_TEST ("stop", test_stop);

  g_test_add ("/beacon/direct-server/stranger-cannot-produce", Fixture, NULL, fixture_setup,
              test_stranger_cannot_produce, fixture_teardown);
  g_test_add_func ("/beacon/direct-server/dispose-with-connections", test_dispose_with_connections);
  g_test_add_func ("/beacon/direct-server/listen-errors", test_listen_errors);

  return direct_server_test_run ();
}

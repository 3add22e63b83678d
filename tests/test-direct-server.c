/* test-direct-server.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <libsoup/soup.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "beacon-direct-server.h"
#include "beacon-gst-protocol.h"
#include "beacon-whip-signaler.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

/* Every wait is bounded: a broken server fails the test instead of hanging it. */
#define WAIT_TIMEOUT_MS 5000

static GTlsCertificate *test_certificate;

/* A throwaway ECDSA P-256 key and self-signed certificate for 127.0.0.1. */
static GTlsCertificate *
create_certificate (void)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) x509 = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  GTlsCertificate *certificate;
  X509_NAME *name;
  char *data;
  long length;

  key = EVP_EC_gen ("P-256");
  g_assert_nonnull (key);

  x509 = X509_new ();
  g_assert_nonnull (x509);
  g_assert_cmpint (X509_set_version (x509, 2), ==, 1);
  g_assert_cmpint (ASN1_INTEGER_set (X509_get_serialNumber (x509),
                                     g_random_int_range (1, G_MAXINT32)), ==, 1);
  g_assert_nonnull (X509_gmtime_adj (X509_getm_notBefore (x509), -3600));
  g_assert_nonnull (X509_gmtime_adj (X509_getm_notAfter (x509), 24 * 3600));
  g_assert_cmpint (X509_set_pubkey (x509, key), ==, 1);
  name = X509_get_subject_name (x509);
  g_assert_cmpint (X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
                                               (const unsigned char *) "127.0.0.1", -1, -1, 0),
                   ==, 1);
  g_assert_cmpint (X509_set_issuer_name (x509, name), ==, 1);
  g_assert_cmpint (X509_sign (x509, key, EVP_sha256 ()), >, 0);

  bio = BIO_new (BIO_s_mem ());
  g_assert_cmpint (PEM_write_bio_X509 (bio, x509), ==, 1);
  g_assert_cmpint (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL), ==, 1);
  length = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, length);

  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);

  return certificate;
}

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add (WAIT_TIMEOUT_MS, timeout_cb, &timed_out);
  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!condition (data))
    g_error ("Timed out after %d ms waiting for %s", WAIT_TIMEOUT_MS, what);

  if (!timed_out)
    g_source_remove (timeout_id);
}

/* Test clients */

typedef struct {
  SoupWebsocketConnection *connection;
  GQueue                   messages;     /* char*: raw text frames */
  gboolean                 closed;
  gushort                  close_code;
  char                    *peer_id;
} Client;

typedef struct {
  BeaconDirectServer *server;
  SoupSession        *session;
  guint               port;
  GPtrArray          *clients;
} Fixture;

static void
client_message_cb (SoupWebsocketConnection *connection,
                   gint                     type,
                   GBytes                  *bytes,
                   gpointer                 user_data)
{
  Client *client = user_data;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_queue_push_tail (&client->messages, g_strndup (data, length));
}

static void
client_closed_cb (SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  Client *client = user_data;

  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (connection);
}

static void
client_free (Client *client)
{
  if (client->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->connection, client);
      g_clear_object (&client->connection);
    }
  g_queue_clear_full (&client->messages, g_free);
  g_free (client->peer_id);
  g_free (client);
}

static gboolean
accept_certificate_cb (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  /* Trust exactly the server's own self-signed certificate, nothing else. */
  return g_tls_certificate_is_same (certificate, test_certificate);
}

typedef struct {
  GAsyncResult *result;
} ConnectData;

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectData *data = user_data;

  data->result = g_object_ref (result);
}

static gboolean
connect_done (gpointer data)
{
  return ((ConnectData *) data)->result != NULL;
}

static gboolean
has_message (gpointer data)
{
  Client *client = data;

  return !g_queue_is_empty (&client->messages) || client->closed;
}

static gboolean
is_closed (gpointer data)
{
  return ((Client *) data)->closed;
}

static char *
client_next_text (Client *client)
{
  wait_for (has_message, client, "a message");
  if (g_queue_is_empty (&client->messages))
    g_error ("Connection closed (code %u) while waiting for a message", client->close_code);

  return g_queue_pop_head (&client->messages);
}

static BeaconGstMessage *
client_next (Client *client)
{
  g_autofree char *text = client_next_text (client);
  g_autoptr(GError) error = NULL;
  BeaconGstMessage *message;

  g_test_message ("received: %s", text);
  message = beacon_gst_message_parse (text, -1, &error);
  g_assert_no_error (error);

  return message;
}

static BeaconGstMessage *
client_expect (Client               *client,
               BeaconGstMessageType  type)
{
  BeaconGstMessage *message = client_next (client);

  if (message->type != type)
    g_error ("Expected a '%s' message, got '%s'", beacon_gst_message_type_to_string (type),
             beacon_gst_message_type_to_string (message->type));

  return message;
}

static void
client_expect_error (Client     *client,
                     const char *details)
{
  g_autoptr(BeaconGstMessage) message = client_expect (client, BEACON_GST_MESSAGE_ERROR);

  if (strstr (message->details, details) == NULL)
    g_error ("Error \"%s\" does not contain \"%s\"", message->details, details);
}

static void
client_send (Client     *client,
             const char *text)
{
  g_test_message ("sending: %s", text);
  soup_websocket_connection_send_text (client->connection, text);
}

static void
client_send_take (Client *client,
                  char   *text)
{
  client_send (client, text);
  g_free (text);
}

/* Messages on one connection arrive in order, and the server answers each request before
 * reading the next: once a list request is answered, anything the server sent this client
 * before has been received. */
static void
client_assert_nothing_pending (Client *client)
{
  g_autoptr(BeaconGstMessage) reply = NULL;

  client_send_take (client, beacon_gst_build_list ());
  reply = client_next (client);
  if (reply->type != BEACON_GST_MESSAGE_LIST || reply->peers == NULL)
    g_error ("Unexpected '%s' message", beacon_gst_message_type_to_string (reply->type));
}

/* With @may_produce, the client sends the server's producer token, as the broadcaster that
 * runs the server does; without, it is any other client. */
static Client *
client_connect_full (Fixture  *fixture,
                     gboolean  may_produce)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconGstMessage) welcome = NULL;
  g_autofree char *uri = g_strdup_printf ("wss://127.0.0.1:%u/", fixture->port);
  ConnectData data = { NULL };
  Client *client;

  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  if (may_produce)
    {
      g_autofree char *authorization =
        g_strconcat ("Bearer ", beacon_direct_server_get_producer_token (fixture->server), NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
    }
  soup_session_websocket_connect_async (fixture->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, &data);
  wait_for (connect_done, &data, "the WebSocket connection");

  client = g_new0 (Client, 1);
  client->connection = soup_session_websocket_connect_finish (fixture->session, data.result,
                                                              &error);
  g_clear_object (&data.result);
  g_assert_no_error (error);
  g_queue_init (&client->messages);
  g_signal_connect (client->connection, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (client->connection, "closed", G_CALLBACK (client_closed_cb), client);
  g_ptr_array_add (fixture->clients, client);

  welcome = client_expect (client, BEACON_GST_MESSAGE_WELCOME);
  g_assert_nonnull (welcome->peer_id);
  g_assert_cmpstr (welcome->peer_id, !=, "");
  client->peer_id = g_strdup (welcome->peer_id);

  return client;
}

static Client *
client_connect (Fixture *fixture)
{
  return client_connect_full (fixture, TRUE);
}

typedef struct {
  Fixture *fixture;
  guint    n;
} ConnectionCount;

static gboolean
has_n_connections (gpointer data)
{
  ConnectionCount *count = data;

  return beacon_direct_server_get_n_connections (count->fixture->server) == count->n;
}

/* The server drops a peer when its side of the connection has closed, which may come a little
 * after the client's side. */
static void
wait_for_connections (Fixture *fixture,
                      guint    n)
{
  ConnectionCount count = { fixture, n };

  wait_for (has_n_connections, &count, "the server's connection count");
}

static void
client_close (Client *client)
{
  soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  wait_for (is_closed, client, "the connection to close");
}

static void
client_register (Client         *client,
                 BeaconGstRoles  roles,
                 const char     *name)
{
  g_autoptr(JsonObject) meta = NULL;
  g_autoptr(BeaconGstMessage) echo = NULL;

  if (name != NULL)
    {
      meta = json_object_new ();
      json_object_set_string_member (meta, "name", name);
    }

  client_send_take (client, beacon_gst_build_set_peer_status (roles, meta));
  echo = client_expect (client, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpstr (echo->peer_id, ==, client->peer_id);
  g_assert_cmpint (echo->roles, ==, roles);
}

/* Starts a session from @consumer to @producer and returns its id. */
static char *
start_session (Client     *consumer,
               Client     *producer,
               const char *offer)
{
  g_autoptr(BeaconGstMessage) started = NULL;
  g_autoptr(BeaconGstMessage) start = NULL;

  client_send_take (consumer, beacon_gst_build_start_session (producer->peer_id, offer));

  started = client_expect (consumer, BEACON_GST_MESSAGE_SESSION_STARTED);
  g_assert_cmpstr (started->peer_id, ==, producer->peer_id);
  g_assert_nonnull (started->session_id);

  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  g_assert_cmpstr (start->peer_id, ==, consumer->peer_id);
  g_assert_cmpstr (start->session_id, ==, started->session_id);
  g_assert_cmpstr (start->sdp, ==, offer);

  return g_strdup (started->session_id);
}

/* Fixture */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  BeaconDirectServerLimits limits;

  fixture->server = beacon_direct_server_new (test_certificate);
  /* The test session does not reuse a connection whose certificate it accepted itself, so
   * every request opens one; the tests of the limits set them. */
  beacon_direct_server_get_limits (fixture->server, &limits);
  limits.max_connections = 0;
  limits.max_connections_per_address = 0;
  beacon_direct_server_set_limits (fixture->server, &limits);
  beacon_direct_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  fixture->port = beacon_direct_server_get_port (fixture->server);
  g_assert_cmpuint (fixture->port, >, 0);

  /* No proxy, whatever the environment says: these connections stay on loopback. */
  fixture->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  fixture->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  beacon_direct_server_stop (fixture->server);
  g_assert_cmpuint (beacon_direct_server_get_n_connections (fixture->server), ==, 0);
  g_assert_finalize_object (fixture->server);

  /* Let the close handshakes finish before the connections go. */
  for (guint i = 0; i < fixture->clients->len; i++)
    wait_for (is_closed, g_ptr_array_index (fixture->clients, i), "the connection to close");

  g_clear_pointer (&fixture->clients, g_ptr_array_unref);
  g_assert_finalize_object (fixture->session);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

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

/* Memory: the server runs in this process, so its peak resident size is this process's. */

static gsize
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

/* Starts a new measurement of the peak (Linux resets VmHWM when 5 is written to clear_refs). */
static void
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs ("5", file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
  g_assert_cmpuint (status_kib ("VmHWM:"), <=, status_kib ("VmRSS:") + 1024);
}

/* Raw clients: what libsoup's client cannot be made to send (fragmented messages, bodies that
 * the server should refuse before they are sent). They run in a thread with blocking I/O while
 * the main thread runs the server. */

typedef struct {
  guint     port;
  char     *request;         /* the HTTP request head, sent first */
  gboolean  plain;           /* TCP without TLS */
  gboolean  read_first;      /* read the response head before sending anything more */
  gboolean  websocket;       /* then send one text message as fragments (else: a body) */
  gboolean  chunked;         /* the body is sent with chunked transfer coding */
  gsize     size;            /* of the message or body */
  gsize     piece;           /* size of each fragment or write */

  /* Results */
  char     *response;        /* the response head, if one came */
  gsize     sent;            /* bytes of the message or body written */
  gboolean  closed;          /* the server closed the connection */
  gint      done;            /* atomic */
} RawClient;

static gboolean
raw_accept_certificate_cb (GTlsConnection       *connection,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return g_tls_certificate_is_same (certificate, test_certificate);
}

static void
raw_client_event_cb (GSocketClient      *socket_client,
                     GSocketClientEvent  event,
                     GSocketConnectable *connectable,
                     GIOStream          *connection,
                     gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate",
                      G_CALLBACK (raw_accept_certificate_cb), NULL);
}

/* Reads up to the end of a response head; NULL if the connection ended or timed out first. */
static char *
raw_read_head (GInputStream *input)
{
  g_autoptr(GString) head = g_string_new (NULL);
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n") && head->len < 16384)
    {
      if (g_input_stream_read (input, &c, 1, NULL, NULL) != 1)
        return NULL;
      g_string_append_c (head, c);
    }
  return g_string_free (g_steal_pointer (&head), FALSE);
}

static gboolean
raw_write (GOutputStream *output,
           const void    *data,
           gsize          length)
{
  return g_output_stream_write_all (output, data, length, NULL, NULL, NULL);
}

static gboolean
raw_send_fragments (RawClient     *raw,
                    GOutputStream *output,
                    const guint8  *piece)
{
  while (raw->sent < raw->size)
    {
      gsize length = MIN (raw->piece, raw->size - raw->sent);
      gboolean first = raw->sent == 0;
      gboolean last = raw->sent + length == raw->size;
      guint8 header[8];

      g_assert_cmpuint (length, >, 125);
      g_assert_cmpuint (length, <=, G_MAXUINT16);
      /* FIN on the last fragment; text (1) on the first, continuation (0) after. A client
       * masks every frame; an all-zero key leaves the payload as it is. */
      header[0] = (last ? 0x80 : 0) | (first ? 0x01 : 0x00);
      header[1] = 0x80 | 126;
      header[2] = length >> 8;
      header[3] = length & 0xff;
      memset (header + 4, 0, 4);
      if (!raw_write (output, header, sizeof header) || !raw_write (output, piece, length))
        return FALSE;
      raw->sent += length;
    }
  return TRUE;
}

static gboolean
raw_send_body (RawClient     *raw,
               GOutputStream *output,
               const guint8  *piece)
{
  while (raw->sent < raw->size)
    {
      gsize length = MIN (raw->piece, raw->size - raw->sent);

      if (raw->chunked)
        {
          g_autofree char *size_line = g_strdup_printf ("%zx\r\n", length);

          if (!raw_write (output, size_line, strlen (size_line)))
            return FALSE;
        }
      if (!raw_write (output, piece, length) || (raw->chunked && !raw_write (output, "\r\n", 2)))
        return FALSE;
      raw->sent += length;
    }
  return !raw->chunked || raw_write (output, "0\r\n\r\n", 5);
}

static gpointer
raw_client_thread (gpointer data)
{
  RawClient *raw = data;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *piece = g_malloc (raw->piece);
  GInputStream *input;
  GOutputStream *output;
  gboolean all_sent = FALSE;
  char c;

  /* g_malloc (0) is NULL, which memset must not get even for 0 bytes (UBSan). */
  if (raw->piece > 0)
    memset (piece, ' ', raw->piece);
  g_socket_client_set_enable_proxy (socket_client, FALSE);
  g_socket_client_set_tls (socket_client, !raw->plain);
  g_signal_connect (socket_client, "event", G_CALLBACK (raw_client_event_cb), NULL);
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", raw->port, NULL,
                                                &error);
  g_assert_no_error (error);
  /* Every read is bounded: a server that does not answer fails the test, it does not hang. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 5);
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  if (raw_write (output, raw->request, strlen (raw->request)))
    {
      if (raw->read_first || raw->websocket)
        raw->response = raw_read_head (input);
      if (raw->websocket)
        all_sent = raw_send_fragments (raw, output, piece);
      else
        all_sent = raw_send_body (raw, output, piece);
    }

  if (!all_sent)
    {
      raw->closed = TRUE;
    }
  else
    {
      if (raw->response == NULL && !raw->websocket)
        raw->response = raw_read_head (input);
      /* Read on until the server closes or the timeout. */
      for (;;)
        {
          gssize n = g_input_stream_read (input, &c, 1, NULL, &error);

          if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
            raw->closed = TRUE;
          if (n <= 0)
            break;
        }
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_set (&raw->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
raw_client_done (gpointer data)
{
  return g_atomic_int_get (&((RawClient *) data)->done);
}

/* Runs @raw against the fixture's server; returns the server's peak resident size growth in
 * KiB while it ran. */
static gsize
raw_client_run (Fixture   *fixture,
                RawClient *raw)
{
  g_autoptr(GThread) thread = NULL;
  gsize before;
  gboolean timed_out = FALSE;
  guint timeout_id;
  gsize growth;

  raw->port = fixture->port;
  before = status_kib ("VmRSS:");
  reset_peak_rss ();
  thread = g_thread_new ("raw-client", raw_client_thread, raw);

  /* Longer than wait_for (): the client's reads may time out (5 s) before it gives up. */
  timeout_id = g_timeout_add (30000, timeout_cb, &timed_out);
  while (!raw_client_done (raw) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!raw_client_done (raw))
    g_error ("Timed out waiting for the raw client");
  if (!timed_out)
    g_source_remove (timeout_id);
  g_thread_join (g_steal_pointer (&thread));

  growth = status_kib ("VmHWM:") - MIN (before, status_kib ("VmHWM:"));
  g_test_message ("peak RSS growth %zu KiB (%zu bytes sent, %s)", growth, raw->sent,
                  raw->closed ? "closed by the server" : "still open");
  return growth;
}

static void
raw_client_clear (RawClient *raw)
{
  g_clear_pointer (&raw->request, g_free);
  g_clear_pointer (&raw->response, g_free);
}

#define WEBSOCKET_UPGRADE_REQUEST \
  "GET / HTTP/1.1\r\n" \
  "Host: 127.0.0.1\r\n" \
  "Upgrade: websocket\r\n" \
  "Connection: Upgrade\r\n" \
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" \
  "Sec-WebSocket-Version: 13\r\n" \
  "\r\n"

/* Bound on the server's peak memory growth while a client sends what it must refuse. */
#define MAX_RSS_GROWTH_KIB (16 * 1024)

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
  g_assert_error (error, BEACON_DIRECT_SERVER_ERROR, BEACON_DIRECT_SERVER_ERROR_LISTEN);
  port = g_strdup_printf ("%u", beacon_direct_server_get_port (first));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, port));
  g_assert_cmpuint (beacon_direct_server_get_port (second), ==, 0);
}

/* WHEP and WHIP over HTTPS */

#define TEST_OFFER \
  "v=0\r\n" \
  "o=- 1 1 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE video0 audio1\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=mid:video0\r\n" \
  "a=ice-ufrag:viewerufrag\r\n" \
  "a=ice-pwd:viewerpasswordviewerpassword\r\n" \
  "a=recvonly\r\n" \
  "a=rtpmap:96 VP8/90000\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=mid:audio1\r\n" \
  "a=ice-ufrag:viewerufrag\r\n" \
  "a=ice-pwd:viewerpasswordviewerpassword\r\n" \
  "a=recvonly\r\n" \
  "a=rtpmap:111 OPUS/48000/2\r\n"

#define TEST_ANSWER \
  "v=0\r\n" \
  "o=- 2 1 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE video0 audio1\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "a=mid:video0\r\n" \
  "a=ice-ufrag:producerufrag\r\n" \
  "a=sendonly\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" \
  "a=mid:audio1\r\n" \
  "a=ice-ufrag:producerufrag\r\n" \
  "a=sendonly\r\n"

#define PRODUCER_CANDIDATE "candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host"
#define VIEWER_CANDIDATE "candidate:7 1 UDP 2015363327 127.0.0.1 50000 typ host"

typedef struct {
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  gboolean     done;
} HttpResult;

static void
http_result_clear (HttpResult *result)
{
  g_clear_object (&result->msg);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_error (&result->error);
  result->done = FALSE;
}

static void
http_sent_cb (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  HttpResult *result = user_data;

  result->body = soup_session_send_and_read_finish (SOUP_SESSION (source), async_result,
                                                    &result->error);
  result->done = TRUE;
}

static gboolean
http_done (gpointer data)
{
  return ((HttpResult *) data)->done;
}

/* Starts a request to @path on the fixture's server; wait with http_wait (). */
static void
http_start (Fixture      *fixture,
            const char   *method,
            const char   *path,
            const char   *content_type,
            const char   *body,
            const char   *if_match,
            HttpResult   *result,
            GCancellable *cancellable)
{
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u%s", fixture->port, path);

  http_result_clear (result);
  result->msg = soup_message_new (method, uri);
  g_assert_nonnull (result->msg);
  g_signal_connect (result->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (result->msg, content_type, bytes);
    }
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (result->msg), "If-Match",
                                  if_match);
  soup_session_send_and_read_async (fixture->session, result->msg, G_PRIORITY_DEFAULT,
                                    cancellable, http_sent_cb, result);
}

static guint
http_wait (HttpResult *result)
{
  wait_for (http_done, result, "the HTTP response");
  g_assert_no_error (result->error);
  g_test_message ("HTTP %u: %.*s", soup_message_get_status (result->msg),
                  (int) g_bytes_get_size (result->body),
                  (const char *) g_bytes_get_data (result->body, NULL));
  return soup_message_get_status (result->msg);
}

static guint
http_request (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *content_type,
              const char *body,
              const char *if_match,
              HttpResult *result)
{
  http_start (fixture, method, path, content_type, body, if_match, result, NULL);
  return http_wait (result);
}

static const char *
response_header (HttpResult *result,
                 const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (result->msg), name);
}

static char *
response_text (HttpResult *result)
{
  gsize length;
  const char *data = g_bytes_get_data (result->body, &length);

  return g_strndup (data, length);
}

static void
assert_response_contains (HttpResult *result,
                          const char *needle)
{
  g_autofree char *text = response_text (result);

  if (strstr (text, needle) == NULL)
    g_error ("Response \"%s\" does not contain \"%s\"", text, needle);
}

/* POSTs the test offer to @path and plays the broadcaster: it answers, trickles a candidate
 * and ends its candidates. Returns the WHEP session id (the producer's session id). */
static char *
whep_start (Fixture    *fixture,
            Client     *producer,
            const char *path,
            HttpResult *result)
{
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autofree char *answer_text = NULL;

  http_start (fixture, "POST", path, "application/sdp", TEST_OFFER, NULL, result, NULL);

  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  g_assert_true (g_str_has_prefix (start->peer_id, "whep-"));
  g_assert_nonnull (start->session_id);
  g_assert_cmpstr (start->sdp, ==, TEST_OFFER);
  g_assert_false (result->done);

  client_send_take (producer, beacon_gst_build_peer_sdp (start->session_id, "answer", TEST_ANSWER));
  client_send_take (producer, beacon_gst_build_peer_ice (start->session_id, 0, PRODUCER_CANDIDATE));
  client_send_take (producer, beacon_gst_build_peer_ice (start->session_id, 0, ""));

  return g_strdup (start->session_id);
}

/* Ids that give access to a session or a WHEP resource (session ids, resource URLs, ETags)
 * come from a cryptographic generator: reseeding GLib's GRand, which g_uuid_string_random ()
 * draws from, does not repeat them. */
static void
test_ids_unpredictable (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  Client *consumer2 = client_connect (fixture);
  HttpResult first = { 0 };
  HttpResult second = { 0 };
  g_autofree char *session1 = NULL;
  g_autofree char *session2 = NULL;
  g_autofree char *whep1 = NULL;
  g_autofree char *whep2 = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  g_random_set_seed (42);
  session1 = start_session (consumer, producer, NULL);
  g_random_set_seed (42);
  session2 = start_session (consumer2, producer, NULL);
  g_assert_cmpstr (session1, !=, session2);

  g_random_set_seed (42);
  whep1 = whep_start (fixture, producer, "/whep", &first);
  g_assert_cmpuint (http_wait (&first), ==, SOUP_STATUS_CREATED);
  g_random_set_seed (42);
  whep2 = whep_start (fixture, producer, "/whep", &second);
  g_assert_cmpuint (http_wait (&second), ==, SOUP_STATUS_CREATED);
  g_assert_cmpstr (whep1, !=, whep2);
  g_assert_cmpstr (response_header (&first, "ETag"), !=, response_header (&second, "ETag"));
  g_assert_cmpuint (strlen (whep1), ==, 32);

  http_result_clear (&first);
  http_result_clear (&second);
}

/* A body over the limit is refused as soon as its headers are in, on any path, and what the
 * client sends after is not kept. */
static void
assert_body_refused_unread (Fixture    *fixture,
                            const char *path,
                            gboolean    chunked,
                            guint       status)
{
  RawClient raw = {
    .read_first = TRUE,
    .chunked = chunked,
    .size = 150 * 1024 * 1024,
    .piece = 64 * 1024,
  };
  g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u ", status);
  gsize growth;

  raw.request = g_strdup_printf ("POST %s HTTP/1.1\r\n"
                                 "Host: 127.0.0.1\r\n"
                                 "Content-Type: application/sdp\r\n"
                                 "%s\r\n"
                                 "\r\n",
                                 path,
                                 chunked ? "Transfer-Encoding: chunked"
                                         : "Content-Length: 157286400");
  growth = raw_client_run (fixture, &raw);
  if (raw.response == NULL)
    g_error ("No response to %s before its body was sent", path);
  g_test_message ("%s", raw.response);
  g_assert_true (g_str_has_prefix (raw.response, status_line));
  g_assert_nonnull (strstr (raw.response, "Connection: close"));
  g_assert_true (raw.closed);
  g_assert_cmpuint (growth, <, MAX_RSS_GROWTH_KIB);
  raw_client_clear (&raw);
}

static void
test_body_refused_unread (Fixture       *fixture,
                          gconstpointer  user_data)
{
  HttpResult result = { NULL };

  assert_body_refused_unread (fixture, "/whep", FALSE, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_body_refused_unread (fixture, "/nonexistent", FALSE,
                              SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_body_refused_unread (fixture, "/whip", TRUE, SOUP_STATUS_LENGTH_REQUIRED);
  assert_body_refused_unread (fixture, "/", TRUE, SOUP_STATUS_LENGTH_REQUIRED);

  /* The server still answers. */
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_NOT_FOUND);
  http_result_clear (&result);
}

static void
set_limits (Fixture *fixture,
            guint    max_connections,
            guint    max_connections_per_address,
            guint    timeout)
{
  BeaconDirectServerLimits limits;

  beacon_direct_server_get_limits (fixture->server, &limits);
  limits.max_connections = max_connections;
  limits.max_connections_per_address = max_connections_per_address;
  if (timeout > 0)
    {
      limits.handshake_timeout = timeout;
      limits.idle_timeout = timeout;
      limits.session_answer_timeout = timeout;
    }
  beacon_direct_server_set_limits (fixture->server, &limits);
}

static gboolean
client_connect_refused (Fixture *fixture)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autofree char *uri = g_strdup_printf ("wss://127.0.0.1:%u/", fixture->port);
  ConnectData data = { NULL };

  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  soup_session_websocket_connect_async (fixture->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connect_cb, &data);
  wait_for (connect_done, &data, "the WebSocket connection");
  connection = soup_session_websocket_connect_finish (fixture->session, data.result, &error);
  g_clear_object (&data.result);
  if (connection != NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return FALSE;
    }
  g_test_message ("refused: %s", error->message);
  return TRUE;
}

static void
assert_connection_limit (Fixture *fixture)
{
  Client *a = client_connect (fixture);
  Client *b = client_connect (fixture);

  /* A third is closed before its handshake; the two are served. */
  g_assert_true (client_connect_refused (fixture));
  client_assert_nothing_pending (a);
  client_assert_nothing_pending (b);

  /* Once one has left, another gets in. */
  client_close (a);
  wait_for_connections (fixture, 1);
  client_connect (fixture);
  g_assert_true (client_connect_refused (fixture));
}

static void
test_connection_limits (Fixture       *fixture,
                        gconstpointer  user_data)
{
  set_limits (fixture, 0, 2, 0);
  assert_connection_limit (fixture);

  g_ptr_array_set_size (fixture->clients, 0);
  wait_for_connections (fixture, 0);
  set_limits (fixture, 2, 0, 0);
  assert_connection_limit (fixture);
}

static void
test_sessions_per_connection (Fixture       *fixture,
                              gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  BeaconDirectServerLimits limits;

  beacon_direct_server_get_limits (fixture->server, &limits);
  g_assert_cmpuint (limits.max_sessions_per_connection, ==, 4);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  for (guint i = 0; i < limits.max_sessions_per_connection; i++)
    g_free (start_session (consumer, producer, NULL));

  client_send_take (consumer, beacon_gst_build_start_session (producer->peer_id, NULL));
  client_expect_error (consumer, "too many sessions");
  client_assert_nothing_pending (producer);
}

/* Sessions whose consumer has not spoken yet are capped for all connections together: many
 * strangers cannot make the broadcaster prepare a peer connection each. One that the consumer
 * takes up no longer counts. */
static void
test_pending_sessions (Fixture       *fixture,
                       gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *first = client_connect (fixture);
  Client *second = client_connect (fixture);
  Client *third = client_connect (fixture);
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autofree char *taken_up = NULL;
  BeaconDirectServerLimits limits;

  beacon_direct_server_get_limits (fixture->server, &limits);
  g_assert_cmpuint (limits.max_pending_sessions, ==, 16);
  limits.max_pending_sessions = 2;
  beacon_direct_server_set_limits (fixture->server, &limits);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  taken_up = start_session (first, producer, NULL);
  g_free (start_session (second, producer, NULL));
  client_send_take (third, beacon_gst_build_start_session (producer->peer_id, NULL));
  client_expect_error (third, "busy");

  client_send_take (first, beacon_gst_build_peer_ice (taken_up, 0, PRODUCER_CANDIDATE));
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_free (start_session (third, producer, NULL));
}

static void
wait_ms (guint milliseconds)
{
  gboolean timed_out = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_session_answer_timeout (Fixture       *fixture,
                             gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  g_autofree char *silent = NULL;
  g_autofree char *answered = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;

  set_limits (fixture, 0, 0, 1);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* The consumer never says anything in this session: both sides hear it ended. */
  silent = start_session (consumer, producer, NULL);
  message = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, silent);
  g_clear_pointer (&message, beacon_gst_message_free);
  message = client_expect (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, silent);
  g_clear_pointer (&message, beacon_gst_message_free);

  /* This one the consumer takes up: it lasts. */
  answered = start_session (consumer, producer, NULL);
  client_send_take (consumer, beacon_gst_build_peer_ice (answered, 0, PRODUCER_CANDIDATE));
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  wait_ms (1500);
  client_assert_nothing_pending (producer);
  client_assert_nothing_pending (consumer);
}

static void
test_idle_timeout (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *silent;
  Client *talker;

  set_limits (fixture, 0, 0, 1);
  silent = client_connect (fixture);
  talker = client_connect (fixture);
  client_assert_nothing_pending (talker);

  wait_for (is_closed, silent, "the silent connection to close");
  g_assert_cmpuint (silent->close_code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  wait_ms (500);
  g_assert_false (talker->closed);
  client_assert_nothing_pending (talker);
  wait_for_connections (fixture, 1);
}

/* A connection that never completes its TLS handshake, or its request, is closed. */
static void
test_handshake_timeout (Fixture       *fixture,
                        gconstpointer  user_data)
{
  RawClient plain = { .plain = TRUE, .request = g_strdup ("") };
  RawClient tls = { .request = g_strdup ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n") };
  gint64 start;

  set_limits (fixture, 0, 0, 1);

  start = g_get_monotonic_time ();
  raw_client_run (fixture, &plain);
  g_assert_true (plain.closed);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  start = g_get_monotonic_time ();
  raw_client_run (fixture, &tls);
  g_assert_true (tls.closed);
  g_assert_null (tls.response);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  raw_client_clear (&plain);
  raw_client_clear (&tls);
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Once the process has run out of file descriptors and some are free again, the server
 * accepts connections again (libsoup 3.2 alone stops for good after a failed accept). */
static void
test_accept_after_emfile (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, fixture->port);
  struct rlimit saved;
  struct rlimit low;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  low = saved;
  low.rlim_cur = count_open_fds () + 16;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);

  /* Each connection takes a descriptor here and one in the server, until there are none. */
  for (guint i = 0; i < 64; i++)
    {
      GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL);

      if (socket == NULL)
        break;
      g_socket_set_blocking (socket, FALSE);
      g_socket_connect (socket, address, NULL, NULL);
      g_ptr_array_add (sockets, socket);
      wait_ms (20);
    }
  g_test_message ("%u connections before the descriptors ran out", sockets->len);
  g_assert_cmpuint (sockets->len, <, 64);
  wait_ms (200);

  /* Freed again: the server's ends close once it sees the clients gone. */
  g_ptr_array_set_size (sockets, 0);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  wait_ms (500);

  client_assert_nothing_pending (client_connect (fixture));
}

static void
test_whep_answer (Fixture       *fixture,
                  gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  HttpResult patch = { 0 };
  g_autofree char *session = NULL;
  g_autofree char *location = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *expected_answer = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;
  const char *etag;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, "Kitchen");
  session = whep_start (fixture, producer, "/whep", &result);

  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_CREATED);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (result.msg), NULL), ==, "application/sdp");
  location = g_strdup_printf ("/whep/session/%s", session);
  g_assert_cmpstr (response_header (&result, "Location"), ==, location);
  etag = response_header (&result, "ETag");
  g_assert_nonnull (etag);
  g_assert_true (g_str_has_prefix (etag, "\"") && g_str_has_suffix (etag, "\""));
  g_assert_cmpstr (response_header (&result, "Access-Control-Allow-Origin"), ==, "*");

  /* The broadcaster's candidates ride in the answer, in both bundled sections. */
  answer = response_text (&result);
  expected_answer = g_strdup (TEST_ANSWER);
  g_assert_nonnull (strstr (answer, "a=mid:video0\r\na=ice-ufrag:producerufrag\r\na=sendonly\r\n"
                                    "a=" PRODUCER_CANDIDATE "\r\na=end-of-candidates\r\n"));
  g_assert_nonnull (strstr (answer, "a=mid:audio1\r\na=ice-ufrag:producerufrag\r\na=sendonly\r\n"
                                    "a=" PRODUCER_CANDIDATE "\r\na=end-of-candidates\r\n"));

  /* Trickle from the viewer: a candidate of the audio section goes on with its m-line. */
  fragment = g_strdup ("a=ice-ufrag:viewerufrag\r\na=ice-pwd:viewerpasswordviewerpassword\r\n"
                       "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:audio1\r\n"
                       "a=" VIEWER_CANDIDATE "\r\na=end-of-candidates\r\n");
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  fragment, etag, &patch), ==, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpstr (response_header (&patch, "ETag"), ==, etag);
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpstr (message->session_id, ==, session);
  g_assert_cmpuint (message->sdp_mline_index, ==, 1);
  g_assert_cmpstr (message->candidate, ==, VIEWER_CANDIDATE);
  g_clear_pointer (&message, beacon_gst_message_free);
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpstr (message->candidate, ==, "");
  g_clear_pointer (&message, beacon_gst_message_free);

  /* If-Match: * is accepted; another ETag is not. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:video0\r\n"
                                  "a=" VIEWER_CANDIDATE "\r\n", "*", &patch),
                    ==, SOUP_STATUS_NO_CONTENT);
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpuint (message->sdp_mline_index, ==, 0);
  g_clear_pointer (&message, beacon_gst_message_free);
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  fragment, "\"stale\"", &patch),
                    ==, SOUP_STATUS_PRECONDITION_FAILED);

  /* Wrong media type, an ICE restart, a fragment that is not SDP. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "text/plain", "hello", NULL, &patch),
                    ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpstr (response_header (&patch, "Accept-Patch"), ==, "application/trickle-ice-sdpfrag");
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  "a=ice-ufrag:newufrag\r\na=ice-pwd:newpasswordnewpassword\r\n",
                                  "*", &patch), ==, SOUP_STATUS_NOT_IMPLEMENTED);
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  "this is not sdp", NULL, &patch), ==, SOUP_STATUS_BAD_REQUEST);
  /* An answer is only taken when the broadcaster offered. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/sdp", TEST_OFFER, NULL,
                                  &patch), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http_request (fixture, "GET", location, NULL, NULL, NULL, &patch),
                    ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  client_assert_nothing_pending (producer);

  /* DELETE ends the session for the broadcaster, and the resource is gone. */
  g_assert_cmpuint (http_request (fixture, "DELETE", location, NULL, NULL, NULL, &patch),
                    ==, SOUP_STATUS_OK);
  message = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  g_assert_cmpuint (http_request (fixture, "DELETE", location, NULL, NULL, NULL, &patch),
                    ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  fragment, NULL, &patch), ==, SOUP_STATUS_NOT_FOUND);

  http_result_clear (&result);
  http_result_clear (&patch);
}

static void
test_whep_choose_producer (Fixture       *fixture,
                           gconstpointer  user_data)
{
  Client *kitchen = client_connect (fixture);
  Client *garden = client_connect (fixture);
  HttpResult result = { 0 };
  g_autofree char *session = NULL;

  /* Nothing is live yet. */
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_NOT_FOUND);
  assert_response_contains (&result, "nothing is broadcasting");

  client_register (kitchen, BEACON_GST_ROLE_PRODUCER, "Kitchen");
  client_register (garden, BEACON_GST_ROLE_PRODUCER, "Garden Shed");

  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_MULTIPLE_CHOICES);
  assert_response_contains (&result, "/whep/Kitchen");
  assert_response_contains (&result, "/whep/Garden%20Shed");

  g_assert_cmpuint (http_request (fixture, "POST", "/whep/Nobody", "application/sdp", TEST_OFFER,
                                  NULL, &result), ==, SOUP_STATUS_NOT_FOUND);
  assert_response_contains (&result, "no broadcast named 'Nobody'");

  /* By name (escaped in the path) or by peer id. */
  session = whep_start (fixture, garden, "/whep/Garden%20Shed", &result);
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_CREATED);
  g_clear_pointer (&session, g_free);
  {
    g_autofree char *path = g_strdup_printf ("/whep/%s", kitchen->peer_id);

    session = whep_start (fixture, kitchen, path, &result);
    g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_CREATED);
  }
  client_assert_nothing_pending (garden);

  http_result_clear (&result);
}

static void
test_whep_bad_requests (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autofree char *huge = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/json", "{}", NULL,
                                  &result), ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpstr (response_header (&result, "Accept-Post"), ==, "application/sdp");
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);

  /* Malformed SDP. */
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", "hello", NULL,
                                  &result), ==, SOUP_STATUS_BAD_REQUEST);
  assert_response_contains (&result, "v=0");
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", NULL,
                                  &result), ==, SOUP_STATUS_BAD_REQUEST);
  assert_response_contains (&result, "no media");
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\nthis is not sdp\r\n", NULL, &result),
                    ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\nm=video nine UDP/TLS/RTP/SAVPF 96\r\na=ice-ufrag:x\r\n",
                                  NULL, &result), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n", NULL, &result),
                    ==, SOUP_STATUS_BAD_REQUEST);
  assert_response_contains (&result, "ice-ufrag");

  /* Too large to be an offer: refused before the body is read. */
  huge = g_malloc (200 * 1024 + 1);
  memset (huge, 'a', 200 * 1024);
  huge[200 * 1024] = '\0';
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", huge, NULL,
                                  &result), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  /* Other methods, unknown paths and sessions. */
  g_assert_cmpuint (http_request (fixture, "GET", "/whep", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (response_header (&result, "Allow"), ==, "POST, OPTIONS");
  g_assert_cmpuint (http_request (fixture, "OPTIONS", "/whep", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpstr (response_header (&result, "Accept-Post"), ==, "application/sdp");
  g_assert_nonnull (response_header (&result, "Access-Control-Allow-Methods"));
  g_assert_cmpuint (http_request (fixture, "PATCH", "/whep/session/nope",
                                  "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n",
                                  NULL, &result), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (http_request (fixture, "DELETE", "/whep/session/nope", NULL, NULL, NULL,
                                  &result), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep/a/b", "application/sdp", TEST_OFFER,
                                  NULL, &result), ==, SOUP_STATUS_NOT_FOUND);

  /* None of it reached the broadcaster. */
  client_assert_nothing_pending (producer);
  http_result_clear (&result);
}

static void
test_whip_refused (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  g_assert_cmpuint (http_request (fixture, "POST", "/whip", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_NOT_IMPLEMENTED);
  assert_response_contains (&result, "not a media server");
  assert_response_contains (&result, "/whep");
  g_assert_cmpuint (http_request (fixture, "POST", "/whip/endpoint/x", "application/sdp",
                                  TEST_OFFER, NULL, &result), ==, SOUP_STATUS_NOT_IMPLEMENTED);
  client_assert_nothing_pending (producer);
  http_result_clear (&result);
}

static void
test_whep_timeout (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) ended = NULL;

  beacon_direct_server_set_http_answer_timeout (fixture->server, 300);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  /* The broadcaster never answers. */
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_GATEWAY_TIMEOUT);
  assert_response_contains (&result, "did not answer");
  ended = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (ended->session_id, ==, start->session_id);

  /* A late answer goes nowhere. */
  client_send_take (producer, beacon_gst_build_peer_sdp (start->session_id, "answer", TEST_ANSWER));
  client_expect_error (producer, "not found");
  http_result_clear (&result);
}

static void
test_whep_producer_ends (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* The broadcaster refuses the viewer (it is full, say). */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  client_send_take (producer, beacon_gst_build_end_session (start->session_id));
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  g_assert_cmpstr (response_header (&result, "Retry-After"), ==, "5");
  g_clear_pointer (&start, beacon_gst_message_free);

  /* The broadcaster goes away while the viewer waits. */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  client_close (producer);
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  http_result_clear (&result);
}

static void
test_whep_full (Fixture       *fixture,
                gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult first = { 0 };
  HttpResult second = { 0 };
  g_autofree char *session = NULL;

  beacon_direct_server_set_max_sessions_per_producer (fixture->server, 1);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  session = whep_start (fixture, producer, "/whep", &first);
  g_assert_cmpuint (http_wait (&first), ==, SOUP_STATUS_CREATED);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &second), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  assert_response_contains (&second, "full");
  g_assert_nonnull (response_header (&second, "Retry-After"));
  client_assert_nothing_pending (producer);

  http_result_clear (&first);
  http_result_clear (&second);
}

static void
test_whep_producer_offers (Fixture       *fixture,
                           gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  HttpResult patch = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) answer = NULL;
  g_autofree char *location = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* A broadcaster that ignores the viewer's offer and sends its own: the viewer gets 406 with
   * that offer and answers with PATCH. */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  client_send_take (producer, beacon_gst_build_peer_sdp (start->session_id, "offer", TEST_ANSWER));
  client_send_take (producer, beacon_gst_build_peer_ice (start->session_id, 0, ""));
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_NOT_ACCEPTABLE);
  assert_response_contains (&result, "a=ice-ufrag:producerufrag");
  location = g_strdup_printf ("/whep/session/%s", start->session_id);
  g_assert_cmpstr (response_header (&result, "Location"), ==, location);

  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/sdp", TEST_OFFER,
                                  response_header (&result, "ETag"), &patch),
                    ==, SOUP_STATUS_NO_CONTENT);
  answer = client_expect (producer, BEACON_GST_MESSAGE_PEER_SDP);
  g_assert_cmpstr (answer->sdp_type, ==, "answer");
  g_assert_cmpstr (answer->sdp, ==, TEST_OFFER);

  /* Only once. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/sdp", TEST_OFFER, NULL,
                                  &patch), ==, SOUP_STATUS_BAD_REQUEST);
  http_result_clear (&result);
  http_result_clear (&patch);
}

static void
test_whep_viewer_leaves (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) ended = NULL;

  beacon_direct_server_set_http_answer_timeout (fixture->server, 300);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* The viewer gives up while the broadcaster prepares its answer. libsoup does not read a
   * connection whose request is paused, so the server may learn of it only when the answer
   * timeout writes its 504: either way the broadcaster's session ends, within that bound. */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, cancellable);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  g_cancellable_cancel (cancellable);
  wait_for (http_done, &result, "the cancelled request");
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);

  ended = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (ended->session_id, ==, start->session_id);
  http_result_clear (&result);
}

static void
test_whep_stop_while_pending (Fixture       *fixture,
                              gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);

  /* Stopping the server never leaves a viewer hanging: it gets an answer or a closed
   * connection. */
  beacon_direct_server_stop (fixture->server);
  wait_for (http_done, &result, "the pending request to end");
  if (result.error == NULL)
    g_assert_cmpuint (soup_message_get_status (result.msg), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  http_result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  test_certificate = create_certificate ();

#define ADD_TEST(name, func) \
  g_test_add ("/beacon/direct-server/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD_TEST ("welcome", test_welcome);
  ADD_TEST ("register", test_register);
  ADD_TEST ("list", test_list);
  ADD_TEST ("start-session", test_start_session);
  ADD_TEST ("start-session-from-producer", test_start_session_from_producer);
  ADD_TEST ("ids-unpredictable", test_ids_unpredictable);
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
  ADD_TEST ("whep/answer", test_whep_answer);
  ADD_TEST ("whep/choose-producer", test_whep_choose_producer);
  ADD_TEST ("whep/bad-requests", test_whep_bad_requests);
  ADD_TEST ("whep/timeout", test_whep_timeout);
  ADD_TEST ("whep/producer-ends", test_whep_producer_ends);
  ADD_TEST ("whep/full", test_whep_full);
  ADD_TEST ("whep/producer-offers", test_whep_producer_offers);
  ADD_TEST ("whep/viewer-leaves", test_whep_viewer_leaves);
  ADD_TEST ("whep/stop-while-pending", test_whep_stop_while_pending);
  ADD_TEST ("whip/refused", test_whip_refused);
  ADD_TEST ("body-refused-unread", test_body_refused_unread);
  ADD_TEST ("limits/connections", test_connection_limits);
  ADD_TEST ("limits/sessions-per-connection", test_sessions_per_connection);
  ADD_TEST ("limits/session-answer-timeout", test_session_answer_timeout);
  ADD_TEST ("limits/pending-sessions", test_pending_sessions);
  ADD_TEST ("limits/idle-timeout", test_idle_timeout);
  ADD_TEST ("limits/handshake-timeout", test_handshake_timeout);
  ADD_TEST ("limits/accept-after-emfile", test_accept_after_emfile);

#undef ADD_TEST

  g_test_add ("/beacon/direct-server/stranger-cannot-produce", Fixture, NULL, fixture_setup,
              test_stranger_cannot_produce, fixture_teardown);
  g_test_add_func ("/beacon/direct-server/dispose-with-connections", test_dispose_with_connections);
  g_test_add_func ("/beacon/direct-server/listen-errors", test_listen_errors);

  ret = g_test_run ();

  g_clear_object (&test_certificate);

  return ret;
}

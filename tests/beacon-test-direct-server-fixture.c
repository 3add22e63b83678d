/* beacon-test-direct-server-fixture.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The direct server in this process on 127.0.0.1, and the clients the test-direct-server-*
 * tests drive it with: WebSocket clients of the signalling protocol, raw TLS clients that send
 * what libsoup's client cannot, and HTTPS requests for WHEP and WHIP. The helpers keep the short
 * names they had when all of this was one file, so that the cases read as before.
 */

#include "config.h"

#include "beacon-test-direct-server-fixture.h"

#include <stdio.h>

GTlsCertificate *test_certificate;

gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
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

gboolean
accept_certificate_cb (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  /* Trust exactly the server's own self-signed certificate, nothing else. */
  return g_tls_certificate_is_same (certificate, test_certificate);
}

void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectData *data = user_data;

  data->result = g_object_ref (result);
}

gboolean
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

gboolean
is_closed (gpointer data)
{
  return ((Client *) data)->closed;
}

char *
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

BeaconGstMessage *
client_expect (Client               *client,
               BeaconGstMessageType  type)
{
  BeaconGstMessage *message = client_next (client);

  if (message->type != type)
    g_error ("Expected a '%s' message, got '%s'", beacon_gst_message_type_to_string (type),
             beacon_gst_message_type_to_string (message->type));

  return message;
}

void
client_expect_error (Client     *client,
                     const char *details)
{
  g_autoptr(BeaconGstMessage) message = client_expect (client, BEACON_GST_MESSAGE_ERROR);

  if (strstr (message->details, details) == NULL)
    g_error ("Error \"%s\" does not contain \"%s\"", message->details, details);
}

void
client_send (Client     *client,
             const char *text)
{
  g_test_message ("sending: %s", text);
  soup_websocket_connection_send_text (client->connection, text);
}

void
client_send_take (Client *client,
                  char   *text)
{
  client_send (client, text);
  g_free (text);
}

/* Messages on one connection arrive in order, and the server answers each request before
 * reading the next: once a list request is answered, anything the server sent this client
 * before has been received. */
void
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
Client *
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

Client *
client_connect (Fixture *fixture)
{
  return client_connect_full (fixture, TRUE);
}

static gboolean
has_n_connections (gpointer data)
{
  ConnectionCount *count = data;

  return beacon_direct_server_get_n_connections (count->fixture->server) == count->n;
}

/* The server drops a peer when its side of the connection has closed, which may come a little
 * after the client's side. */
void
wait_for_connections (Fixture *fixture,
                      guint    n)
{
  ConnectionCount count = { fixture, n };

  wait_for (has_n_connections, &count, "the server's connection count");
}

void
client_close (Client *client)
{
  soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  wait_for (is_closed, client, "the connection to close");
}

void
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
char *
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

void
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

void
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
gsize
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

void
raw_client_clear (RawClient *raw)
{
  g_clear_pointer (&raw->request, g_free);
  g_clear_pointer (&raw->response, g_free);
}

void
direct_server_test_init (int    *argc,
                         char ***argv)
{
  g_test_init (argc, argv, NULL);
  test_certificate = beacon_test_create_certificate ();
}

int
direct_server_test_run (void)
{
  int ret = g_test_run ();

  g_clear_object (&test_certificate);
  return ret;
}

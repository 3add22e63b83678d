/* test-direct-server-limits.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the direct server lets clients take: connections, sessions per connection, sessions
 * waiting for an answer, idle and handshake timeouts, accepting again after running out of file
 * descriptors.
 */

#include "config.h"

#include <malloc.h>

#include "beacon-test-direct-server-fixture.h"

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
open_and_close_connections (GSocketAddress *address,
                            guint           n)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL);

      g_assert_nonnull (socket);
      g_socket_set_blocking (socket, FALSE);
      g_socket_connect (socket, address, NULL, NULL);
      g_ptr_array_add (sockets, socket);
    }
  /* Accepted and in their TLS handshakes, then closed unused. */
  wait_ms (300);
  g_ptr_array_set_size (sockets, 0);
  wait_ms (300);
}

/* Connections closed before their TLS handshake ended free what libsoup made for them: about
 * 22 KB each with the TLS session, which libsoup 3.2 alone keeps in a reference cycle (see
 * beacon-soup-initial-message.h). Measured as the heap in use (GLib's instance counts are
 * compiled out of Debian's GLib): 100 such connections, in batches some of which the
 * per-address limit refuses, may leave at most 4 KB each; the cycle left about 22 KB each. */
static void
test_unused_connections_freed (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, fixture->port);
  const guint batches = 10;
  /* Twice what a client address may have: the refused ones must be freed too. */
  const guint per_batch = 10;
  size_t before;
  size_t after;

  set_limits (fixture, 0, per_batch / 2, 0);
  /* The first connections fill caches (TLS, GType, the allocator's arenas). */
  open_and_close_connections (address, per_batch);
  before = mallinfo2 ().uordblks;
  for (guint i = 0; i < batches; i++)
    open_and_close_connections (address, per_batch);
  after = mallinfo2 ().uordblks;
  g_test_message ("heap in use: %zu KiB before, %zu KiB after %u unused connections",
                  before / 1024, after / 1024, batches * per_batch);
  g_assert_cmpuint (after, <, before + batches * per_batch * 4 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  direct_server_test_init (&argc, &argv);

#define ADD_TEST(name, func) \
  g_test_add ("/beacon/direct-server/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD_TEST ("limits/connections", test_connection_limits);
  ADD_TEST ("limits/sessions-per-connection", test_sessions_per_connection);
  ADD_TEST ("limits/session-answer-timeout", test_session_answer_timeout);
  ADD_TEST ("limits/pending-sessions", test_pending_sessions);
  ADD_TEST ("limits/idle-timeout", test_idle_timeout);
  ADD_TEST ("limits/handshake-timeout", test_handshake_timeout);
  ADD_TEST ("limits/accept-after-emfile", test_accept_after_emfile);
  ADD_TEST ("limits/unused-connections-freed", test_unused_connections_freed);

  return direct_server_test_run ();
}

/* beacon-test-relay.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-relay.h"

#include <libsoup/soup.h>

#include "beacon-fingerprint.h"
#include "beacon-identity.h"
#include "beacon-share-link.h"

/* A certificate nobody has: what the attacker announces instead of the broadcaster's. */
#define FAKE_FINGERPRINT "a=fingerprint:sha-256 " \
  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"

struct _BeaconTestRelay
{
  SoupServer     *server;
  SoupSession    *session;
  BeaconIdentity *identity;
  char           *upstream_url;
  char           *upstream_pin;
  gboolean        tls;
  BeaconTestRelayMode mode;
  GRegex         *fingerprint_regex;
  GRegex         *sdp_regex;
  GPtrArray      *pairs;
  guint           rewrites;
};

typedef struct {
  BeaconTestRelay         *relay;
  SoupWebsocketConnection *client;
  SoupWebsocketConnection *upstream;
  GPtrArray               *pending;   /* client messages before upstream is connected */
} Pair;

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  if (pair->client != NULL)
    g_signal_handlers_disconnect_by_data (pair->client, pair);
  if (pair->upstream != NULL)
    g_signal_handlers_disconnect_by_data (pair->upstream, pair);
  g_clear_object (&pair->client);
  g_clear_object (&pair->upstream);
  g_ptr_array_unref (pair->pending);
  g_free (pair);
}

static void
close_if_open (SoupWebsocketConnection *connection)
{
  if (connection != NULL &&
      soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

static void
from_client_cb (SoupWebsocketConnection *connection,
                int                      type,
                GBytes                  *message,
                Pair                    *pair)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));

  if (pair->relay->mode == BEACON_TEST_RELAY_SWAP_BOTH_WAYS && strstr (text, "a=fingerprint:"))
    {
      char *rewritten = g_regex_replace_literal (pair->relay->fingerprint_regex, text, -1, 0,
                                                 FAKE_FINGERPRINT, 0, NULL);

      g_free (text);
      text = rewritten;
      pair->relay->rewrites++;
    }
  if (pair->upstream == NULL)
    g_ptr_array_add (pair->pending, g_steal_pointer (&text));
  else if (soup_websocket_connection_get_state (pair->upstream) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (pair->upstream, text);
}

static void
from_upstream_cb (SoupWebsocketConnection *connection,
                  int                      type,
                  GBytes                  *message,
                  Pair                    *pair)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));

  if (pair->relay->mode != BEACON_TEST_RELAY_FORWARD && strstr (text, "a=fingerprint:") != NULL)
    {
      char *rewritten = NULL;

      switch (pair->relay->mode)
        {
        case BEACON_TEST_RELAY_SWAP_FINGERPRINT:
        case BEACON_TEST_RELAY_SWAP_BOTH_WAYS:
          rewritten = g_regex_replace_literal (pair->relay->fingerprint_regex, text, -1, 0,
                                               FAKE_FINGERPRINT, 0, NULL);
          break;
        case BEACON_TEST_RELAY_STRIP_FINGERPRINT:
          rewritten = g_regex_replace_literal (pair->relay->fingerprint_regex, text, -1, 0,
                                               "a=x-removed:1", 0, NULL);
          break;
        case BEACON_TEST_RELAY_GARBLE_SDP:
          rewritten = g_regex_replace (pair->relay->sdp_regex, text, -1, 0,
                                       "\\1\"sdp\":\"hello, this is not SDP\"", 0, NULL);
          break;
        case BEACON_TEST_RELAY_BREAK_JSON:
          rewritten = g_strndup (text, strlen (text) / 2);
          break;
        case BEACON_TEST_RELAY_FORWARD:
        default:
          g_assert_not_reached ();
        }
      g_free (text);
      text = rewritten;
      pair->relay->rewrites++;
    }
  if (soup_websocket_connection_get_state (pair->client) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (pair->client, text);
}

static void
side_closed_cb (SoupWebsocketConnection *connection,
                Pair                    *pair)
{
  close_if_open (pair->client);
  close_if_open (pair->upstream);
}

static gboolean
accept_upstream_certificate_cb (SoupMessage          *message,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                Pair                 *pair)
{
  g_autofree char *fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256",
                                                                        NULL);

  return beacon_fingerprint_equal (fingerprint, pair->relay->upstream_pin);
}

static void
upstream_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Pair *pair = user_data;
  g_autoptr(GError) error = NULL;

  pair->upstream = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (pair->upstream == NULL)
    {
      g_printerr ("# relay: upstream failed: %s\n", error->message);
      close_if_open (pair->client);
      return;
    }
  g_signal_connect (pair->upstream, "message", G_CALLBACK (from_upstream_cb), pair);
  g_signal_connect (pair->upstream, "closed", G_CALLBACK (side_closed_cb), pair);
  for (guint i = 0; i < pair->pending->len; i++)
    soup_websocket_connection_send_text (pair->upstream, g_ptr_array_index (pair->pending, i));
  g_ptr_array_set_size (pair->pending, 0);
}

static void
client_connected_cb (SoupServer              *server,
                     SoupServerMessage       *message,
                     const char              *path,
                     SoupWebsocketConnection *connection,
                     gpointer                 user_data)
{
  BeaconTestRelay *relay = user_data;
  Pair *pair = g_new0 (Pair, 1);
  g_autoptr(SoupMessage) upstream_message = NULL;

  pair->relay = relay;
  pair->client = g_object_ref (connection);
  pair->pending = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (relay->pairs, pair);
  g_signal_connect (connection, "message", G_CALLBACK (from_client_cb), pair);
  g_signal_connect (connection, "closed", G_CALLBACK (side_closed_cb), pair);

  upstream_message = soup_message_new (SOUP_METHOD_GET, relay->upstream_url);
  g_signal_connect (upstream_message, "accept-certificate",
                    G_CALLBACK (accept_upstream_certificate_cb), pair);
  soup_session_websocket_connect_async (relay->session, upstream_message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, NULL, upstream_connected_cb, pair);
}

BeaconTestRelay *
beacon_test_relay_new (const char *upstream_link,
                       const char *upstream_pin,
                       gboolean    tls,
                       BeaconTestRelayMode mode,
                       const char *certificate_directory)
{
  BeaconTestRelay *relay = g_new0 (BeaconTestRelay, 1);
  g_autoptr(BeaconShareLink) link = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  link = beacon_share_link_parse (upstream_link, &error);
  g_assert_no_error (error);
  relay->upstream_url = g_strdup (link->url);
  relay->upstream_pin = g_strdup (upstream_pin ? upstream_pin : link->pin);
  relay->tls = tls;
  relay->mode = mode;
  relay->pairs = g_ptr_array_new_with_free_func (pair_free);
  relay->fingerprint_regex = g_regex_new ("a=fingerprint:[a-zA-Z0-9-]+ [0-9A-Fa-f:]+", 0, 0,
                                          NULL);
  /* The "sdp" text member inside the "sdp" object of a peer message. */
  relay->sdp_regex = g_regex_new ("(\"type\":\"(offer|answer)\",)\"sdp\":\"(\\\\.|[^\"\\\\])*\"", 0, 0,
                                  NULL);
  g_assert_nonnull (relay->sdp_regex);
  relay->session = soup_session_new ();

  if (tls)
    {
      relay->identity = beacon_identity_load_or_create (certificate_directory, &error);
      g_assert_no_error (error);
      relay->server = soup_server_new ("tls-certificate",
                                       beacon_identity_get_tls_certificate (relay->identity),
                                       NULL);
    }
  else
    {
      relay->server = soup_server_new (NULL, NULL);
    }
  soup_server_add_websocket_handler (relay->server, "/", NULL, NULL, client_connected_cb, relay,
                                     NULL);
  soup_server_listen (relay->server, address, tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &error);
  g_assert_no_error (error);
  return relay;
}

char *
beacon_test_relay_dup_link (BeaconTestRelay *relay)
{
  GSList *uris = soup_server_get_uris (relay->server);
  GUri *uri = uris->data;
  char *link;

  if (relay->tls)
    {
      g_autofree char *base = g_strdup_printf ("wss://127.0.0.1:%d/", g_uri_get_port (uri));

      link = beacon_share_link_format (base, beacon_identity_get_fingerprint (relay->identity),
                                       TRUE, NULL);
    }
  else
    {
      link = g_strdup_printf ("ws://127.0.0.1:%d/", g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return link;
}

guint
beacon_test_relay_get_rewrites (BeaconTestRelay *relay)
{
  return relay->rewrites;
}

void
beacon_test_relay_free (BeaconTestRelay *relay)
{
  if (relay == NULL)
    return;
  for (guint i = 0; i < relay->pairs->len; i++)
    {
      Pair *pair = g_ptr_array_index (relay->pairs, i);

      close_if_open (pair->client);
      close_if_open (pair->upstream);
    }
  soup_server_disconnect (relay->server);
  g_ptr_array_unref (relay->pairs);
  g_clear_object (&relay->server);
  g_clear_object (&relay->session);
  g_clear_object (&relay->identity);
  g_regex_unref (relay->fingerprint_regex);
  g_regex_unref (relay->sdp_regex);
  g_free (relay->upstream_url);
  g_free (relay->upstream_pin);
  g_free (relay);
}

/* beacon-websocket-channel.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-websocket-channel.h"

#include "beacon-fingerprint.h"

/* Signalling messages are a few kilobytes; an SDP with many candidates stays far below. */
#define MAX_INCOMING_PAYLOAD (1024 * 1024)
/* Pings keep NAT mappings and proxies from dropping an idle channel. */
#define KEEPALIVE_SECONDS 20

typedef struct {
  SoupMessage       *handshake;
  char              *url;
  char              *pin;
  BeaconChannelInfo *info;       /* the caller's: it outlives the source object's task */
  gboolean           certificate_rejected;
} ConnectData;

static void
connect_data_free (gpointer pointer)
{
  ConnectData *data = pointer;

  /* libsoup may keep the message a little longer than the task. */
  g_signal_handlers_disconnect_by_data (data->handshake, data);
  g_clear_object (&data->handshake);
  g_free (data->url);
  g_free (data->pin);
  g_free (data);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       ConnectData          *data)
{
  g_autofree char *fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256",
                                                                        NULL);

  if (data->pin != NULL && fingerprint != NULL && beacon_fingerprint_equal (fingerprint, data->pin))
    return TRUE;
  data->certificate_rejected = TRUE;
  return FALSE;
}

static GError *
untrusted_error (ConnectData *data)
{
  return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,
                      "could not connect to %s: TLS certificate not trusted%s", data->url,
                      data->pin ? " (it does not match the pinned fingerprint)"
                                : ": trust it with --pin sha256:<its SHA-256 fingerprint>");
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      if (data->certificate_rejected)
        g_task_return_error (task, untrusted_error (data));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, beacon_signaler_describe_connect_error (data->url, error));
      return;
    }

  beacon_channel_info_set_tls (data->info, data->handshake);
  /* The handshake already trusted nothing but the pin; this holds even if libsoup handed over
   * a connection that did not go through that handshake. */
  if (data->pin != NULL && data->info->peer_fingerprint != NULL &&
      !beacon_fingerprint_equal (data->info->peer_fingerprint, data->pin))
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      g_task_return_error (task, untrusted_error (data));
      return;
    }
  /* Plain ws:// has no certificate to match: a pin in a link changes nothing about that. */
  if (data->pin != NULL && data->info->trust != BEACON_SIGNALING_TRUST_INSECURE)
    data->info->trust = BEACON_SIGNALING_TRUST_PINNED;
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_INCOMING_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_SECONDS);
  g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
}

void
beacon_websocket_channel_connect_async (gpointer             source_object,
                                        const char          *url,
                                        const char          *pin,
                                        const char          *token,
                                        const char * const  *protocols,
                                        BeaconChannelInfo   *info,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  ConnectData *data;

  g_task_set_source_tag (task, beacon_websocket_channel_connect_async);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                               "'%s' is not a valid URL: %s", url, error->message);
      return;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") != 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (uri), "ws") != 0)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                               "'%s' is not a WebSocket URL (wss://…)", url);
      return;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "ws") == 0)
    info->trust = BEACON_SIGNALING_TRUST_INSECURE;

  data = g_new0 (ConnectData, 1);
  data->url = g_strdup (url);
  data->pin = g_strdup (pin);
  data->info = info;
  data->handshake = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  g_task_set_task_data (task, data, connect_data_free);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (data->handshake),
                                    "Authorization", authorization);
    }
  g_signal_connect (data->handshake, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                    data);
  beacon_signaler_pin_message (data->handshake, pin);
  soup_session_websocket_connect_async (beacon_signaler_get_soup_session_for_uri (uri),
                                        data->handshake,
                                        NULL, (char **) protocols, G_PRIORITY_DEFAULT,
                                        cancellable, connected_cb, g_object_ref (task));
}

SoupWebsocketConnection *
beacon_websocket_channel_connect_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        beacon_websocket_channel_connect_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

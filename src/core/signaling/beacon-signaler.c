/* beacon-signaler.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-signaler.h"

#include "beacon-fingerprint.h"

G_DEFINE_QUARK (beacon-signaler-error, beacon_signaler_error)

G_DEFINE_INTERFACE (BeaconSignaler, beacon_signaler, G_TYPE_OBJECT)

static void
beacon_signaler_default_init (BeaconSignalerInterface *iface)
{
  g_signal_new ("session-requested", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  g_signal_new ("session-started", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  g_signal_new ("remote-description", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  g_signal_new ("remote-candidate", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
  g_signal_new ("session-ended", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  g_signal_new ("failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  g_signal_new ("ice-servers", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

gboolean
beacon_signaler_watcher_offers (BeaconSignaler *self)
{
  BeaconSignalerInterface *iface;

  g_return_val_if_fail (BEACON_IS_SIGNALER (self), FALSE);
  iface = BEACON_SIGNALER_GET_IFACE (self);
  return iface->watcher_offers != NULL && iface->watcher_offers (self);
}

gboolean
beacon_signaler_start_session (BeaconSignaler *self)
{
  BeaconSignalerInterface *iface;

  g_return_val_if_fail (BEACON_IS_SIGNALER (self), FALSE);
  iface = BEACON_SIGNALER_GET_IFACE (self);
  return iface->start_session != NULL && iface->start_session (self);
}

void
beacon_signaler_list_async (BeaconSignaler      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  BeaconSignalerInterface *iface;

  g_return_if_fail (BEACON_IS_SIGNALER (self));
  iface = BEACON_SIGNALER_GET_IFACE (self);
  if (iface->list_async == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, beacon_signaler_list_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "this kind of server cannot list its streams");
      return;
    }
  iface->list_async (self, cancellable, callback, user_data);
}

GPtrArray *
beacon_signaler_list_finish (BeaconSignaler  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  BeaconSignalerInterface *iface;

  g_return_val_if_fail (BEACON_IS_SIGNALER (self), NULL);
  iface = BEACON_SIGNALER_GET_IFACE (self);
  if (iface->list_finish == NULL || g_task_get_source_tag (G_TASK (result)) == beacon_signaler_list_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  return iface->list_finish (self, result, error);
}

BeaconStreamInfo *
beacon_stream_info_new (const char *id,
                        const char *name,
                        const char *description)
{
  BeaconStreamInfo *info = g_new0 (BeaconStreamInfo, 1);

  info->id = g_strdup (id);
  info->name = g_strdup (name);
  info->description = g_strdup (description);
  return info;
}

void
beacon_stream_info_free (BeaconStreamInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->description);
  g_free (info);
}

BeaconSignalerOptions *
beacon_signaler_options_new (void)
{
  BeaconSignalerOptions *options = g_new0 (BeaconSignalerOptions, 1);

  options->room = -1;
  options->feed = -1;
  options->mountpoint = -1;
  return options;
}

void
beacon_signaler_options_free (BeaconSignalerOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->dialect);
  g_free (options->url);
  g_free (options->pin);
  g_free (options->token);
  g_free (options->display_name);
  g_free (options->video_codec);
  g_free (options);
}

void
beacon_signaler_start_async (BeaconSignaler      *self,
                             BeaconSignalerRole   role,
                             const char          *stream_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_SIGNALER (self));
  BEACON_SIGNALER_GET_IFACE (self)->start_async (self, role, stream_name, cancellable,
                                                 callback, user_data);
}

char *
beacon_signaler_start_finish (BeaconSignaler  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (BEACON_IS_SIGNALER (self), NULL);
  return BEACON_SIGNALER_GET_IFACE (self)->start_finish (self, result, error);
}

void
beacon_signaler_send_description (BeaconSignaler *self,
                                  const char     *session_id,
                                  const char     *type,
                                  const char     *sdp)
{
  g_return_if_fail (BEACON_IS_SIGNALER (self));
  BEACON_SIGNALER_GET_IFACE (self)->send_description (self, session_id, type, sdp);
}

void
beacon_signaler_send_candidate (BeaconSignaler *self,
                                const char     *session_id,
                                guint           mline,
                                const char     *candidate)
{
  g_return_if_fail (BEACON_IS_SIGNALER (self));
  BEACON_SIGNALER_GET_IFACE (self)->send_candidate (self, session_id, mline, candidate);
}

void
beacon_signaler_end_session (BeaconSignaler *self,
                             const char     *session_id)
{
  g_return_if_fail (BEACON_IS_SIGNALER (self));
  BEACON_SIGNALER_GET_IFACE (self)->end_session (self, session_id);
}

void
beacon_signaler_stop (BeaconSignaler *self)
{
  g_return_if_fail (BEACON_IS_SIGNALER (self));
  BEACON_SIGNALER_GET_IFACE (self)->stop (self);
}

BeaconChannelInfo *
beacon_signaler_dup_channel_info (BeaconSignaler *self)
{
  g_return_val_if_fail (BEACON_IS_SIGNALER (self), NULL);
  return BEACON_SIGNALER_GET_IFACE (self)->dup_channel_info (self);
}

void
beacon_channel_info_free (BeaconChannelInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->url);
  g_free (info->scheme);
  g_free (info->tls_version);
  g_free (info->tls_cipher);
  g_free (info->peer_fingerprint);
  g_free (info->peer_subject);
  g_free (info->peer_issuer);
  g_free (info->peer_not_before);
  g_free (info->peer_not_after);
  g_free (info->media_identity);
  g_free (info);
}

BeaconChannelInfo *
beacon_channel_info_copy (const BeaconChannelInfo *info)
{
  BeaconChannelInfo *copy = g_new0 (BeaconChannelInfo, 1);

  copy->url = g_strdup (info->url);
  copy->scheme = g_strdup (info->scheme);
  copy->tls_version = g_strdup (info->tls_version);
  copy->tls_cipher = g_strdup (info->tls_cipher);
  copy->peer_fingerprint = g_strdup (info->peer_fingerprint);
  copy->peer_subject = g_strdup (info->peer_subject);
  copy->peer_issuer = g_strdup (info->peer_issuer);
  copy->peer_not_before = g_strdup (info->peer_not_before);
  copy->peer_not_after = g_strdup (info->peer_not_after);
  copy->trust = info->trust;
  copy->media_identity = g_strdup (info->media_identity);
  return copy;
}

static char *
describe_tls_version (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return g_strdup ("TLS 1.0");
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return g_strdup ("TLS 1.1");
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return g_strdup ("TLS 1.2");
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return g_strdup ("TLS 1.3");
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return g_strdup ("SSL 3.0");
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return NULL;
    }
}

static char *
format_date (GDateTime *date)
{
  return date ? g_date_time_format_iso8601 (date) : NULL;
}

void
beacon_channel_info_set_tls (BeaconChannelInfo *info,
                             SoupMessage       *message)
{
  GTlsCertificate *certificate = soup_message_get_tls_peer_certificate (message);
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;

  if (certificate == NULL)
    return;
  if (info->trust == BEACON_SIGNALING_TRUST_NONE)
    info->trust = BEACON_SIGNALING_TRUST_CA;
  g_free (info->tls_version);
  info->tls_version = describe_tls_version (soup_message_get_tls_protocol_version (message));
  g_free (info->tls_cipher);
  info->tls_cipher = g_strdup (soup_message_get_tls_ciphersuite_name (message));
  g_free (info->peer_fingerprint);
  info->peer_fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256", NULL);
  g_clear_pointer (&info->peer_subject, g_free);
  g_clear_pointer (&info->peer_issuer, g_free);
  g_object_get (certificate,
                "subject-name", &info->peer_subject,
                "issuer-name", &info->peer_issuer,
                "not-valid-before", &not_before,
                "not-valid-after", &not_after,
                NULL);
  g_free (info->peer_not_before);
  info->peer_not_before = format_date (not_before);
  g_free (info->peer_not_after);
  info->peer_not_after = format_date (not_after);
}

const char *
beacon_signaling_trust_to_string (BeaconSignalingTrust trust)
{
  switch (trust)
    {
    case BEACON_SIGNALING_TRUST_CA:
      return "ca";
    case BEACON_SIGNALING_TRUST_PINNED:
      return "pinned";
    case BEACON_SIGNALING_TRUST_INSECURE:
      return "insecure";
    case BEACON_SIGNALING_TRUST_NOT_PINNED:
      return "not-pinned";
    case BEACON_SIGNALING_TRUST_UNTRUSTED:
      return "untrusted";
    case BEACON_SIGNALING_TRUST_NONE:
    default:
      return "none";
    }
}

/* Every session Beacon's clients use is made the same way; @remote (nullable) replaces the
 * URI's host and port as the place to connect to. */
static SoupSession *
new_soup_session (GSocketConnectable *remote)
{
  return soup_session_new_with_options ("user-agent", "Beacon/0.1",
                                        "timeout", 30,
                                        "remote-connectable", remote,
                                        NULL);
}

SoupSession *
beacon_signaler_get_soup_session (void)
{
  static SoupSession *session;

  /* One session per process, created on first use on the main thread; it lives as long as
   * the process (libsoup keeps its connection pool there). */
  if (g_once_init_enter (&session))
    g_once_init_leave (&session, new_soup_session (NULL));
  return session;
}

/* A server named by an IPv6 literal (wss://[::1]:8443/) must get no SNI: RFC 6066 forbids
 * addresses there, and GnuTLS servers (Beacon's own among them) end the handshake when a
 * client sends one. glib-networking 2.74 sends whatever host names the server, and libsoup 3.2
 * names it by the URI's host; a session whose "remote-connectable" is a socket address names
 * it by that address instead, which sends no SNI (certificate checks still compare it with the
 * certificate's IP addresses). IPv4 literals pass GnuTLS's check and keep the shared session.
 * One such session per address and port, for the life of the process, like the shared one. */
SoupSession *
beacon_signaler_get_soup_session_for_uri (GUri *uri)
{
  static GHashTable *sessions;
  const char *host;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autofree char *key = NULL;
  SoupSession *session;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  host = g_uri_get_host (uri);
  /* Only TLS sends a server name. */
  if (g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0 &&
      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return beacon_signaler_get_soup_session ();
  if (host == NULL || strchr (host, ':') == NULL ||
      (address = g_inet_address_new_from_string (host)) == NULL)
    return beacon_signaler_get_soup_session ();

  port = g_uri_get_port (uri);
  if (port <= 0)
    port = 443;
  key = g_strdup_printf ("[%s]:%d", host, port);
  if (sessions == NULL)
    sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  session = g_hash_table_lookup (sessions, key);
  if (session != NULL)
    return session;

  socket_address = g_inet_socket_address_new (address, (guint16) port);
  session = new_soup_session (G_SOCKET_CONNECTABLE (socket_address));
  g_hash_table_insert (sessions, g_steal_pointer (&key), session);
  return session;
}

static void
pinned_network_event_cb (SoupMessage        *message,
                         GSocketClientEvent  event,
                         GIOStream          *connection,
                         gpointer            user_data)
{
  /* Without a database every certificate fails validation, so libsoup asks the message's
   * "accept-certificate" handler about each one, and that handler accepts the pin only. */
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), NULL);
}

void
beacon_signaler_pin_message (SoupMessage *message,
                             const char  *pin)
{
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  if (pin == NULL)
    return;
  /* A pooled connection was accepted by whatever rule applied to the message that opened it. */
  soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION);
  g_signal_connect (message, "network-event", G_CALLBACK (pinned_network_event_cb), NULL);
}

/* HTTP requests of the signalers still under way (a WHIP/WHEP DELETE sent while stopping). */
static guint requests_in_flight;

void
beacon_signaler_request_started (void)
{
  requests_in_flight++;
}

void
beacon_signaler_request_finished (void)
{
  g_return_if_fail (requests_in_flight > 0);
  requests_in_flight--;
}

gboolean
beacon_signaler_wait_for_requests (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (requests_in_flight > 0 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
  return requests_in_flight == 0;
}

GError *
beacon_signaler_describe_connect_error (const char   *url,
                                        const GError *error)
{
  const char *reason = error->message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    reason = "connection refused";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    reason = "the server did not answer in time";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
           g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    reason = "host not found";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    reason = "no route to host";
  else if (error->domain == G_TLS_ERROR)
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,
                        "could not connect to %s: TLS certificate not trusted (%s)",
                        url, error->message);

  return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CONNECT,
                      "could not connect to %s: %s", url, reason);
}

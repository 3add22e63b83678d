/* beacon-whip-http.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "beacon-fingerprint.h"
#include "beacon-whip-signaler.h"
#include "beacon-whip-signaler-private.h"

/* The HTTP side of the WHIP and WHEP clients: one request with its TLS checks, its body read
 * within a limit, and the words for a status a server answered. The protocol (what is sent
 * when, and what a response means for the session) stays in beacon-whip-signaler.c. */

/* An SDP answer is a few kilobytes; a larger body is not an answer. */
#define MAX_BODY_SIZE (1024 * 1024)

/* How much of a server's error text goes into a message. */
#define MAX_REASON_LENGTH 200

typedef struct {
  BeaconWhipSignaler *self;
  SoupMessage        *message;
  BeaconWhipResponseFunc func;
  GInputStream       *stream;
  GByteArray         *body;
  gboolean            certificate_rejected;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_clear_object (&request->message);
  g_clear_object (&request->self);
  g_free (request);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Request *request = user_data;
  g_autofree char *fingerprint = NULL;

  fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256", NULL);
  if (request->self->pin != NULL && beacon_fingerprint_equal (fingerprint, request->self->pin))
    return TRUE;
  request->certificate_rejected = TRUE;
  return FALSE;
}

/* Every response is checked, not only the first: the process shares one SoupSession, whose
 * pooled connections may have been accepted for another signaler. With a pin, only the pinned
 * certificate is trusted (a certificate authority does not override it); without one, only a
 * certificate that the system's authorities trust. */
static gboolean
check_channel (BeaconWhipSignaler  *self,
               SoupMessage         *message,
               GError             **error)
{
  GTlsCertificate *certificate = soup_message_get_tls_peer_certificate (message);
  GTlsCertificateFlags errors = soup_message_get_tls_peer_certificate_errors (message);
  g_autofree char *fingerprint = NULL;
  BeaconSignalingTrust trust;
  GUri *uri = soup_message_get_uri (message);

  if (certificate == NULL)
    {
      if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
        {
          g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,
                       "could not connect to %s: the server presented no certificate",
                       self->url);
          return FALSE;
        }
      trust = BEACON_SIGNALING_TRUST_INSECURE;
    }
  else
    {
      fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256", NULL);
      if (self->pin != NULL)
        {
          if (!beacon_fingerprint_equal (fingerprint, self->pin))
            {
              g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,
                           "could not connect to %s: TLS certificate not trusted (it does not "
                           "match the pinned fingerprint)", self->url);
              return FALSE;
            }
          trust = BEACON_SIGNALING_TRUST_PINNED;
        }
      else if (errors != 0)
        {
          g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,
                       "could not connect to %s: TLS certificate not trusted", self->url);
          return FALSE;
        }
      else
        {
          trust = BEACON_SIGNALING_TRUST_CA;
        }
    }

  if (self->info->trust == BEACON_SIGNALING_TRUST_NONE ||
      g_strcmp0 (self->info->peer_fingerprint, fingerprint) != 0)
    {
      self->info->trust = trust;
      g_clear_pointer (&self->info->tls_version, g_free);
      g_clear_pointer (&self->info->tls_cipher, g_free);
      g_clear_pointer (&self->info->peer_fingerprint, g_free);
      g_clear_pointer (&self->info->peer_subject, g_free);
      g_clear_pointer (&self->info->peer_issuer, g_free);
      if (certificate != NULL)
        beacon_channel_info_set_tls (self->info, message);
    }
  return TRUE;
}

static void
request_finish (Request      *request,
                const GError *error)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) checked = NULL;
  BeaconWhipSignaler *self = request->self;

  if (error == NULL)
    {
      body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
      if (!check_channel (self, request->message, &checked))
        {
          g_clear_pointer (&body, g_bytes_unref);
          error = checked;
        }
    }
  request->func (self, request->message, body, error);
  request_free (request);
  beacon_signaler_request_finished ();
}

static void body_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
read_more (Request *request)
{
  g_input_stream_read_bytes_async (request->stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   request->self->cancellable, body_read_cb, request);
}

static void
body_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      request_finish (request, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      request_finish (request, NULL);
      return;
    }
  if (request->body->len + g_bytes_get_size (chunk) > MAX_BODY_SIZE)
    {
      g_autoptr(GError) too_large =
        g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                     "%s sent a response larger than %d bytes", request->self->url,
                     MAX_BODY_SIZE);

      request_finish (request, too_large);
      return;
    }
  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_more (request);
}

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      if (request->certificate_rejected)
        {
          g_clear_error (&error);
          error = g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,
                               "could not connect to %s: TLS certificate not trusted%s",
                               request->self->url,
                               request->self->pin ? " (it does not match the pinned fingerprint)"
                                                  : "");
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *target = g_uri_to_string (soup_message_get_uri (request->message));
          GError *described = beacon_signaler_describe_connect_error (target, error);

          g_clear_error (&error);
          error = described;
        }
      request_finish (request, error);
      return;
    }
  request->body = g_byte_array_new ();
  read_more (request);
}

/* TRUE when @a and @b have the same scheme, host and port. */
static gboolean
same_origin (const char *a,
             const char *b)
{
  g_autoptr(GUri) uri_a = g_uri_parse (a, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) uri_b = g_uri_parse (b, SOUP_HTTP_URI_FLAGS, NULL);

  return uri_a != NULL && uri_b != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (uri_a), g_uri_get_scheme (uri_b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (uri_a), g_uri_get_host (uri_b)) == 0 &&
         g_uri_get_port (uri_a) == g_uri_get_port (uri_b);
}

void
beacon_whip_http_send (BeaconWhipSignaler     *self,
                       const char             *method,
                       const char             *url,
                       const char             *content_type,
                       const char             *body,
                       const char             *if_match,
                       BeaconWhipResponseFunc  func,
                       gboolean                cancellable)
{
  Request *request = g_new0 (Request, 1);
  SoupMessageHeaders *headers;

  beacon_signaler_request_started ();
  request->self = g_object_ref (self);
  request->func = func;
  request->message = soup_message_new (method, url);
  g_assert (request->message != NULL);
  headers = soup_message_get_request_headers (request->message);

  /* The endpoint's redirects are followed by hand (see post_response_cb ()), and libsoup
   * would turn other methods into GET. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  /* The offer and the token go out only on a connection whose certificate this signaler
   * checked itself: the process's one SoupSession could otherwise reuse a connection that
   * another signaler accepted for its own pin. With a pin, every request checks it during the
   * TLS handshake, before anything is sent; every response is checked too (check_channel ()). */
  if (g_str_equal (method, SOUP_METHOD_POST))
    soup_message_add_flags (request->message, SOUP_MESSAGE_NEW_CONNECTION);
  beacon_signaler_pin_message (request->message, self->pin);
  /* The token is for the endpoint the user named: a redirect or a resource on another origin
   * does not get it. */
  if (self->token != NULL && same_origin (url, self->url))
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (g_str_equal (method, SOUP_METHOD_POST))
    soup_message_headers_replace (headers, "Accept", "application/sdp");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      /* Exactly the media type with no parameters: some servers compare the header as a
       * string. */
      soup_message_set_request_body_from_bytes (request->message, NULL, bytes);
      soup_message_headers_replace (headers, "Content-Type", content_type);
    }
  g_signal_connect (request->message, "accept-certificate",
                    G_CALLBACK (accept_certificate_cb), request);

  g_debug ("%s → %s %s", protocol_name (self), method, url);
  soup_session_send_async (beacon_signaler_get_soup_session_for_uri (
                             soup_message_get_uri (request->message)),
                           request->message,
                           G_PRIORITY_DEFAULT, cancellable ? self->cancellable : NULL,
                           request_sent_cb, request);
}

/* A short, printable excerpt of an error response's text, or NULL. */
static char *
describe_body (SoupMessage *message,
               GBytes      *body)
{
  const char *type;
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                NULL);
  if (type != NULL && !g_str_has_prefix (type, "text/") && !g_str_equal (type, "application/json"))
    return NULL;
  data = g_bytes_get_data (body, &length);
  text = g_strndup (data, MIN (length, MAX_REASON_LENGTH));
  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  for (char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

/* Seconds from a Retry-After header (delta-seconds or an HTTP date), or -1. */
static gint64
retry_after_seconds (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return seconds;
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (date, now) / G_TIME_SPAN_SECOND);
}

GError *
beacon_whip_http_describe_status (BeaconWhipSignaler *self,
                                  SoupMessage        *message,
                                  GBytes             *body,
                                  const char         *url)
{
  guint status = soup_message_get_status (message);
  const char *reason = soup_message_get_reason_phrase (message);
  g_autofree char *text = describe_body (message, body);
  g_autofree char *detail = NULL;
  gint64 retry = retry_after_seconds (message);
  g_autofree char *retry_text = NULL;

  if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);
  detail = g_strdup_printf ("HTTP %u %s%s%s", status, reason ? reason : "",
                            text ? ": " : "", text ? text : "");
  if (retry >= 0)
    retry_text = g_strdup_printf ("; try again in %" G_GINT64_FORMAT " s", retry);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      if (self->token == NULL)
        return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_UNAUTHORIZED,
                            "%s: the server requires a token (%s); give it with --token",
                            url, detail);
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_UNAUTHORIZED,
                          "%s: the server refused the token (%s)", url, detail);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                          "no %s endpoint at %s (%s)", protocol_name (self), url, detail);
    case SOUP_STATUS_CONFLICT:
      /* WHEP: nothing to watch yet. WHIP: the endpoint already has a publisher. */
      if (self->whep)
        return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_BUSY,
                            "%s: the stream is not live yet%s (%s)", url,
                            retry_text ? retry_text : "", detail);
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_BUSY,
                          "%s: another publisher is already sending to this endpoint%s (%s)",
                          url, retry_text ? retry_text : "", detail);
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      if (retry >= 0)
        return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_BUSY,
                            "%s: the server is busy; try again in %" G_GINT64_FORMAT " s (%s)",
                            url, retry, detail);
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_BUSY,
                          "%s: the server is busy (%s)", url, detail);
    default:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                          "%s answered %s", url, detail);
    }
}

char *
beacon_whip_http_resolve_location (SoupMessage *message,
                                   const char  *base)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                       "Location");
  g_autoptr(GUri) resolved = NULL;
  g_autoptr(GUri) base_uri = NULL;

  if (location == NULL || *location == '\0')
    return NULL;
  base_uri = g_uri_parse (base, SOUP_HTTP_URI_FLAGS, NULL);
  if (base_uri == NULL)
    return NULL;
  resolved = g_uri_parse_relative (base_uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (resolved == NULL)
    return NULL;
  return g_uri_to_string (resolved);
}

gboolean
beacon_whip_http_is_sdp_body (GBytes *body)
{
  gsize length;
  const char *data;

  if (body == NULL)
    return FALSE;
  data = g_bytes_get_data (body, &length);
  return length >= 3 && memcmp (data, "v=0", 3) == 0 &&
         g_utf8_validate_len (data, length, NULL) && memchr (data, '\0', length) == NULL;
}

char *
beacon_whip_http_body_text (GBytes *body)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  return g_strndup (data, length);
}

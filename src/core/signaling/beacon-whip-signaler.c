/* beacon-whip-signaler.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-whip-signaler.h"

#include <string.h>

#include "beacon-fingerprint.h"
#include "beacon-ice-gathering.h"
#include "beacon-link-header.h"
#include "beacon-sdp.h"

/* Candidates that come after the offer are sent together when they come this close. */
#define TRICKLE_BATCH_MS 50

/* RFC 9725 lets an endpoint redirect the POST with 307 (308 is treated alike); more hops than
 * this is a loop. */
#define MAX_REDIRECTS 5

/* An SDP answer is a few kilobytes; a larger body is not an answer. */
#define MAX_BODY_SIZE (1024 * 1024)

/* How much of a server's error text goes into a message. */
#define MAX_REASON_LENGTH 200

typedef enum {
  PHASE_IDLE,       /* no local description yet */
  PHASE_GATHERING,  /* holding the local description until candidates stop coming */
  PHASE_SENDING,    /* the POST (offer) or PATCH (answer) is on its way */
  PHASE_ANSWERED,   /* the server has our description; later candidates trickle */
} Phase;

struct _BeaconWhipSignaler
{
  GObject              parent_instance;

  /* Settings */
  gboolean             whep;
  char                *url;
  char                *pin;
  char                *token;
  gboolean             allow_insecure;

  /* Running */
  BeaconChannelInfo   *info;
  GCancellable        *cancellable;
  GTask               *start_task;
  char                *session_id;
  guint                announce_source;
  gboolean             started;
  gboolean             stopped;

  Phase                phase;
  char                *local_type;
  char                *local_sdp;
  GPtrArray           *gathered;        /* BeaconSdpCandidate*, not yet sent */
  BeaconIceGathering  *gathering;       /* holds the local description for its candidates */
  char                *post_url;        /* where the next POST goes (after redirects) */
  guint                redirects;

  char                *resource_url;    /* Location of the session, resolved */
  char                *etag;
  gboolean             trickle_stopped;
  gboolean             patch_in_flight;
  guint                trickle_source;
  gboolean             deleted;
};

static void beacon_whip_signaler_iface_init (BeaconSignalerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconWhipSignaler, beacon_whip_signaler, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_SIGNALER,
                                                      beacon_whip_signaler_iface_init))

static const char *
protocol_name (BeaconWhipSignaler *self)
{
  return self->whep ? "WHEP" : "WHIP";
}

/* Failing and finishing */

static void
fail (BeaconWhipSignaler *self,
      GError             *error)
{
  if (self->start_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->start_task);

      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (!self->stopped)
    {
      g_debug ("%s signaler failed: %s", protocol_name (self), error->message);
      self->stopped = TRUE;
      g_cancellable_cancel (self->cancellable);
      g_signal_emit_by_name (self, "failed", error);
    }
  g_error_free (error);
}

/* HTTP */

typedef void (*ResponseFunc) (BeaconWhipSignaler *self,
                              SoupMessage        *message,
                              GBytes             *body,
                              const GError       *error);

typedef struct {
  BeaconWhipSignaler *self;
  SoupMessage        *message;
  ResponseFunc        func;
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

/* Sends @method to @url with @body of @content_type (both nullable), then calls @func. */
static void
send_request (BeaconWhipSignaler *self,
              const char         *method,
              const char         *url,
              const char         *content_type,
              const char         *body,
              const char         *if_match,
              ResponseFunc        func,
              gboolean            cancellable)
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
  soup_session_send_async (beacon_signaler_get_soup_session (), request->message,
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

static GError *
describe_status (BeaconWhipSignaler *self,
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

static char *
resolve_location (SoupMessage *message,
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

static gboolean
is_sdp_body (GBytes *body)
{
  gsize length;
  const char *data;

  if (body == NULL)
    return FALSE;
  data = g_bytes_get_data (body, &length);
  return length >= 3 && memcmp (data, "v=0", 3) == 0 &&
         g_utf8_validate_len (data, length, NULL) && memchr (data, '\0', length) == NULL;
}

static char *
body_text (GBytes *body)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  return g_strndup (data, length);
}

static void
emit_ice_servers (BeaconWhipSignaler *self,
                  SoupMessage        *message)
{
  const char *links;
  g_auto(GStrv) servers = NULL;

  links = soup_message_headers_get_list (soup_message_get_response_headers (message), "Link");
  servers = beacon_link_header_parse_ice_servers (links);
  if (servers == NULL)
    return;
  for (guint i = 0; servers[i] != NULL; i++)
    g_debug ("%s server offers ICE server %s", protocol_name (self),
             g_str_has_prefix (servers[i], "turn") ? "(a TURN server)" : servers[i]);
  g_signal_emit_by_name (self, "ice-servers", servers);
}

static void
record_resource (BeaconWhipSignaler *self,
                 SoupMessage        *message,
                 const char         *request_url)
{
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                   "ETag");

  g_free (self->resource_url);
  self->resource_url = resolve_location (message, request_url);
  if (self->resource_url == NULL)
    g_debug ("%s server gave no Location: no trickle ICE and no DELETE", protocol_name (self));
  if (etag != NULL)
    {
      g_free (self->etag);
      self->etag = g_strdup (etag);
    }
}

/* A successful PATCH may move the session to a new ETag. */
static void
update_etag (BeaconWhipSignaler *self,
             SoupMessage        *message)
{
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                   "ETag");

  if (etag == NULL)
    return;
  g_free (self->etag);
  self->etag = g_strdup (etag);
}

/* Trickle ICE */

static void send_trickle (BeaconWhipSignaler *self);

static gboolean
trickle_batch_elapsed_cb (gpointer user_data)
{
  BeaconWhipSignaler *self = user_data;

  self->trickle_source = 0;
  send_trickle (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_trickle (BeaconWhipSignaler *self)
{
  if (self->trickle_source != 0 || self->patch_in_flight || self->gathered->len == 0)
    return;
  self->trickle_source = g_timeout_add (TRICKLE_BATCH_MS, trickle_batch_elapsed_cb, self);
}

static void
stop_trickle (BeaconWhipSignaler *self)
{
  self->trickle_stopped = TRUE;
  g_clear_handle_id (&self->trickle_source, g_source_remove);
  g_ptr_array_set_size (self->gathered, 0);
}

static void
trickle_response_cb (BeaconWhipSignaler *self,
                     SoupMessage        *message,
                     GBytes             *body,
                     const GError       *error)
{
  guint status;

  self->patch_in_flight = FALSE;
  if (self->stopped)
    return;
  if (error != NULL)
    {
      g_message ("could not send ICE candidates to %s: %s", self->resource_url, error->message);
      stop_trickle (self);
      return;
    }

  status = soup_message_get_status (message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      update_etag (self, message);
      schedule_trickle (self);
      return;
    }

  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_IMPLEMENTED ||
      status == SOUP_STATUS_UNPROCESSABLE_ENTITY || status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE)
    {
      /* Allowed by RFC 9725: the candidates written into the offer have to do. */
      g_debug ("%s server does not take trickle ICE (HTTP %u); relying on the candidates in "
               "the offer", protocol_name (self), status);
      stop_trickle (self);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* The server has forgotten the session: it ended it. */
      stop_trickle (self);
      g_signal_emit_by_name (self, "session-ended", self->session_id);
      return;
    }

  {
    g_autoptr(GError) described = describe_status (self, message, body, self->resource_url);

    g_message ("could not send ICE candidates: %s", described->message);
    stop_trickle (self);
  }
}

static void
send_trickle (BeaconWhipSignaler *self)
{
  g_autofree char *fragment = NULL;

  if (self->stopped || self->trickle_stopped || self->patch_in_flight ||
      self->phase != PHASE_ANSWERED || self->gathered->len == 0)
    return;
  if (self->resource_url == NULL)
    {
      stop_trickle (self);
      return;
    }

  fragment = beacon_sdp_fragment_build (self->local_sdp, self->gathered);
  g_ptr_array_set_size (self->gathered, 0);
  self->patch_in_flight = TRUE;
  send_request (self, "PATCH", self->resource_url, "application/trickle-ice-sdpfrag", fragment,
                self->etag, trickle_response_cb, TRUE);
}

/* Sending the local description */

static void send_local_description (BeaconWhipSignaler *self);

static void
answer_patch_response_cb (BeaconWhipSignaler *self,
                          SoupMessage        *message,
                          GBytes             *body,
                          const GError       *error)
{
  if (self->stopped)
    return;
  if (error != NULL)
    {
      fail (self, g_error_copy (error));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      fail (self, describe_status (self, message, body, self->resource_url));
      return;
    }
  update_etag (self, message);
  self->phase = PHASE_ANSWERED;
  schedule_trickle (self);
}

/* A Beacon direct server names the identity its media comes from; the session binds the
 * media to it. A malformed value fails the session rather than being ignored: ignoring it
 * would silently drop the binding. */
static gboolean
record_media_identity (BeaconWhipSignaler *self,
                       SoupMessage        *message,
                       const char         *request_url)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    BEACON_MEDIA_IDENTITY_HEADER);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  if (value == NULL)
    return TRUE;
  fingerprint = beacon_fingerprint_parse_pin (value, &error);
  if (fingerprint == NULL)
    {
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                               "%s sent a malformed %s header: %s", request_url,
                               BEACON_MEDIA_IDENTITY_HEADER, error->message));
      return FALSE;
    }
  g_free (self->info->media_identity);
  self->info->media_identity = g_steal_pointer (&fingerprint);
  return TRUE;
}

static void
post_response_cb (BeaconWhipSignaler *self,
                  SoupMessage        *message,
                  GBytes             *body,
                  const GError       *error)
{
  g_autofree char *request_url = NULL;
  g_autofree char *sdp = NULL;
  guint status;

  if (self->stopped)
    return;
  if (error != NULL)
    {
      fail (self, g_error_copy (error));
      return;
    }

  request_url = g_uri_to_string (soup_message_get_uri (message));
  status = soup_message_get_status (message);

  if (status == SOUP_STATUS_TEMPORARY_REDIRECT || status == SOUP_STATUS_PERMANENT_REDIRECT)
    {
      g_autofree char *target = resolve_location (message, request_url);
      g_autoptr(GUri) target_uri = NULL;

      if (target == NULL)
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                   "%s redirected without a usable Location", request_url));
          return;
        }
      if (++self->redirects > MAX_REDIRECTS)
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                   "%s redirected more than %d times", self->url,
                                   MAX_REDIRECTS));
          return;
        }
      target_uri = g_uri_parse (target, SOUP_HTTP_URI_FLAGS, NULL);
      if (target_uri == NULL ||
          (g_ascii_strcasecmp (g_uri_get_scheme (target_uri), "https") != 0 &&
           g_ascii_strcasecmp (g_uri_get_scheme (target_uri), "http") != 0))
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                   "%s redirected to '%s', which is not an http(s) URL",
                                   request_url, target));
          return;
        }
      if (g_ascii_strcasecmp (g_uri_get_scheme (target_uri), "http") == 0 && !self->allow_insecure)
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE,
                                   "%s redirected to unencrypted %s; refusing (allow it with "
                                   "--allow-insecure-signaling)", request_url, target));
          return;
        }
      g_debug ("%s endpoint redirected to %s", protocol_name (self), target);
      g_free (self->post_url);
      self->post_url = g_steal_pointer (&target);
      self->phase = PHASE_GATHERING;
      send_local_description (self);
      return;
    }

  if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK)
    {
      if (!is_sdp_body (body))
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                   "%s accepted the offer but sent no SDP answer", request_url));
          return;
        }
      if (!record_media_identity (self, message, request_url))
        return;
      record_resource (self, message, request_url);
      self->phase = PHASE_ANSWERED;
      sdp = body_text (body);
      emit_ice_servers (self, message);
      if (self->stopped)
        return;
      g_signal_emit_by_name (self, "remote-description", self->session_id, "answer", sdp);
      schedule_trickle (self);
      return;
    }

  /* WHEP: a server that wants to offer itself answers 406 with its offer and a Location,
   * where Beacon's answer goes with PATCH. */
  if (self->whep && status == SOUP_STATUS_NOT_ACCEPTABLE && is_sdp_body (body) &&
      soup_message_headers_get_one (soup_message_get_response_headers (message), "Location"))
    {
      /* The session answers on a new peer: candidates gathered for the refused offer belong
       * to the old one and must not go with the answer. */
      g_ptr_array_set_size (self->gathered, 0);
      beacon_ice_gathering_reset (self->gathering);
      if (!record_media_identity (self, message, request_url))
        return;
      record_resource (self, message, request_url);
      self->phase = PHASE_IDLE;
      sdp = body_text (body);
      emit_ice_servers (self, message);
      if (self->stopped)
        return;
      g_signal_emit_by_name (self, "remote-description", self->session_id, "offer", sdp);
      return;
    }

  fail (self, describe_status (self, message, body, self->url));
}

static void
send_local_description (BeaconWhipSignaler *self)
{
  g_autofree char *sdp = NULL;

  beacon_ice_gathering_stop (self->gathering);
  if (self->phase != PHASE_GATHERING || self->stopped)
    return;

  /* The candidates so far go into the description; those that come later trickle. The offer
   * is kept as it was sent: trickle fragments are built from its credentials and m-lines. */
  sdp = beacon_sdp_add_candidates (self->local_sdp, self->gathered);
  g_ptr_array_set_size (self->gathered, 0);
  self->phase = PHASE_SENDING;

  if (g_str_equal (self->local_type, "offer"))
    {
      send_request (self, SOUP_METHOD_POST, self->post_url, "application/sdp", sdp, NULL,
                    post_response_cb, TRUE);
    }
  else if (self->resource_url != NULL)
    {
      send_request (self, "PATCH", self->resource_url, "application/sdp", sdp, self->etag,
                    answer_patch_response_cb, TRUE);
    }
  else
    {
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                               "the server offered no session to answer"));
    }
}

static void
gathering_finished_cb (BeaconIceGathering       *gathering,
                       BeaconIceGatheringReason  reason,
                       gpointer                  user_data)
{
  BeaconWhipSignaler *self = user_data;

  if (reason == BEACON_ICE_GATHERING_DEADLINE)
    g_debug ("%s: sending the description after %d ms of gathering", protocol_name (self),
             BEACON_ICE_GATHERING_MAX_MS);
  send_local_description (self);
}

/* BeaconSignaler */

static gboolean
announce_session_cb (gpointer user_data)
{
  BeaconWhipSignaler *self = user_data;

  self->announce_source = 0;
  if (self->stopped)
    return G_SOURCE_REMOVE;
  if (self->whep)
    {
      g_signal_emit_by_name (self, "session-started", self->session_id, "server");
    }
  else
    {
      /* A third argument (the remote offer, NULL here: Beacon offers) is read only by a
       * "session-requested" that declares it. */
      g_signal_emit_by_name (self, "session-requested", self->session_id, "server", NULL);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
complete_start_cb (gpointer user_data)
{
  BeaconWhipSignaler *self = user_data;
  GTask *task = g_steal_pointer (&self->start_task);

  self->announce_source = 0;
  if (task == NULL)
    return G_SOURCE_REMOVE;
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (self->stopped)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "the %s signaler was stopped", protocol_name (self));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  self->started = TRUE;
  g_task_return_pointer (task, g_strdup (self->session_id), g_free);
  g_object_unref (task);

  /* The session is announced only after the starter has seen start succeed. */
  self->announce_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, announce_session_cb, self,
                                           NULL);
  return G_SOURCE_REMOVE;
}

/* Servers such as simple-whip-server answer an OPTIONS request on the endpoint with their ICE
 * servers in Link headers. Asking before the first offer lets this session use them:
 * webrtcbin 1.22 gathers as soon as the peer exists, so servers named only in the 201 response
 * come too late for it. OPTIONS is optional for a server: any failure here is ignored, and a
 * real problem (refused connection, untrusted certificate) is reported by the POST. */
static void
options_response_cb (BeaconWhipSignaler *self,
                     SoupMessage        *message,
                     GBytes             *body,
                     const GError       *error)
{
  if (!self->stopped && error == NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    emit_ice_servers (self, message);
  complete_start_cb (self);
}

static void
beacon_whip_signaler_start_async (BeaconSignaler      *signaler,
                                  BeaconSignalerRole   role,
                                  const char          *stream_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (signaler);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_whip_signaler_start_async);

  if (self->start_task != NULL || self->started || self->stopped)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "this %s signaler was already started", protocol_name (self));
      return;
    }
  if (self->whep && role == BEACON_SIGNALER_ROLE_PUBLISH)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                               "%s is a WHEP (watch) endpoint: to broadcast, use a WHIP "
                               "endpoint", self->url);
      return;
    }
  if (!self->whep && role == BEACON_SIGNALER_ROLE_WATCH)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                               "%s is a WHIP (broadcast) endpoint: to watch, use a WHEP "
                               "endpoint", self->url);
      return;
    }

  /* The URL names the stream; @stream_name has nothing to choose. Nothing is sent before
   * there is an offer: WHIP and WHEP have no request without one. */
  self->session_id = g_strdup (self->whep ? "whep" : "whip");
  self->start_task = g_steal_pointer (&task);
  send_request (self, SOUP_METHOD_OPTIONS, self->url, NULL, NULL, NULL, options_response_cb, TRUE);
}

static char *
beacon_whip_signaler_start_finish (BeaconSignaler  *signaler,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, signaler), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
beacon_whip_signaler_send_description (BeaconSignaler *signaler,
                                       const char     *session_id,
                                       const char     *type,
                                       const char     *sdp)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (signaler);

  if (self->stopped || g_strcmp0 (session_id, self->session_id) != 0)
    return;
  if (g_strcmp0 (type, "offer") != 0 && g_strcmp0 (type, "answer") != 0)
    return;
  if (g_str_equal (type, "answer") && self->resource_url == NULL)
    {
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                               "%s servers take an offer from Beacon, not an answer",
                               protocol_name (self)));
      return;
    }
  if (self->phase == PHASE_SENDING || self->phase == PHASE_ANSWERED)
    {
      g_debug ("%s: ignoring a new %s: renegotiation is not part of the protocol",
               protocol_name (self), type);
      return;
    }

  beacon_ice_gathering_stop (self->gathering);
  g_free (self->local_type);
  self->local_type = g_strdup (type);
  g_free (self->local_sdp);
  self->local_sdp = beacon_sdp_normalize (sdp);
  g_free (self->post_url);
  self->post_url = g_strdup (self->url);
  self->redirects = 0;
  self->phase = PHASE_GATHERING;

  /* Sends at once when the end of the candidates already came. */
  beacon_ice_gathering_wait (self->gathering, self->cancellable, gathering_finished_cb, self);
}

static void
beacon_whip_signaler_send_candidate (BeaconSignaler *signaler,
                                     const char     *session_id,
                                     guint           mline,
                                     const char     *candidate)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (signaler);

  if (self->stopped || g_strcmp0 (session_id, self->session_id) != 0 || self->trickle_stopped)
    return;

  g_ptr_array_add (self->gathered, beacon_sdp_candidate_new (mline, candidate));
  switch (self->phase)
    {
    case PHASE_GATHERING:
      /* Restarts the quiet time, or sends the description now at the end of the candidates
       * (gathering_finished_cb ()). */
      beacon_ice_gathering_add_candidate (self->gathering, candidate);
      break;
    case PHASE_ANSWERED:
      schedule_trickle (self);
      break;
    case PHASE_IDLE:
    case PHASE_SENDING:
    default:
      /* Kept for the description (idle) or for the first PATCH once answered (sending). */
      beacon_ice_gathering_add_candidate (self->gathering, candidate);
      break;
    }
}

static void
delete_response_cb (BeaconWhipSignaler *self,
                    SoupMessage        *message,
                    GBytes             *body,
                    const GError       *error)
{
  if (error != NULL)
    g_debug ("could not end the %s session: %s", protocol_name (self), error->message);
  else
    g_debug ("%s session ended: HTTP %u", protocol_name (self), soup_message_get_status (message));
}

static void
delete_resource (BeaconWhipSignaler *self)
{
  if (self->deleted || self->resource_url == NULL)
    return;
  self->deleted = TRUE;
  /* Not cancellable: it has to go out while the signaler stops. The request holds a
   * reference, so it outlives the session that dropped the signaler. */
  send_request (self, SOUP_METHOD_DELETE, self->resource_url, NULL, NULL, NULL,
                delete_response_cb, FALSE);
}

static void
beacon_whip_signaler_end_session (BeaconSignaler *signaler,
                                  const char     *session_id)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (signaler);

  if (g_strcmp0 (session_id, self->session_id) != 0)
    return;
  delete_resource (self);
}

static void
beacon_whip_signaler_stop (BeaconSignaler *signaler)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (signaler);

  delete_resource (self);
  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_cancellable_cancel (self->cancellable);
  beacon_ice_gathering_stop (self->gathering);
  g_clear_handle_id (&self->trickle_source, g_source_remove);
}

static BeaconChannelInfo *
beacon_whip_signaler_dup_channel_info (BeaconSignaler *signaler)
{
  return beacon_channel_info_copy (BEACON_WHIP_SIGNALER (signaler)->info);
}

static gboolean
beacon_whip_signaler_watcher_offers (BeaconSignaler *signaler)
{
  return TRUE;
}

static void
beacon_whip_signaler_iface_init (BeaconSignalerInterface *iface)
{
  iface->start_async = beacon_whip_signaler_start_async;
  iface->start_finish = beacon_whip_signaler_start_finish;
  iface->send_description = beacon_whip_signaler_send_description;
  iface->send_candidate = beacon_whip_signaler_send_candidate;
  iface->end_session = beacon_whip_signaler_end_session;
  iface->stop = beacon_whip_signaler_stop;
  iface->dup_channel_info = beacon_whip_signaler_dup_channel_info;
  iface->watcher_offers = beacon_whip_signaler_watcher_offers;
}

/* GObject */

static void
beacon_whip_signaler_dispose (GObject *object)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->announce_source, g_source_remove);
  /* Stopped, not dropped: a method called after dispose still finds it. */
  beacon_ice_gathering_stop (self->gathering);
  g_clear_handle_id (&self->trickle_source, g_source_remove);
  g_clear_object (&self->start_task);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (beacon_whip_signaler_parent_class)->dispose (object);
}

static void
beacon_whip_signaler_finalize (GObject *object)
{
  BeaconWhipSignaler *self = BEACON_WHIP_SIGNALER (object);

  g_free (self->url);
  g_free (self->pin);
  g_free (self->token);
  g_free (self->session_id);
  g_free (self->local_type);
  g_free (self->local_sdp);
  g_free (self->post_url);
  g_free (self->resource_url);
  g_free (self->etag);
  g_ptr_array_unref (self->gathered);
  g_object_unref (self->gathering);
  beacon_channel_info_free (self->info);

  G_OBJECT_CLASS (beacon_whip_signaler_parent_class)->finalize (object);
}

static void
beacon_whip_signaler_class_init (BeaconWhipSignalerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_whip_signaler_dispose;
  object_class->finalize = beacon_whip_signaler_finalize;
}

static void
beacon_whip_signaler_init (BeaconWhipSignaler *self)
{
  self->cancellable = g_cancellable_new ();
  self->gathered = beacon_sdp_candidate_array_new ();
  self->gathering = beacon_ice_gathering_new (BEACON_ICE_GATHERING_QUIET_MS,
                                              BEACON_ICE_GATHERING_MAX_MS);
  self->info = g_new0 (BeaconChannelInfo, 1);
}

BeaconSignaler *
beacon_whip_signaler_new (const BeaconSignalerOptions *options,
                          gboolean                     whep,
                          GError                     **error)
{
  g_autoptr(BeaconWhipSignaler) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name = whep ? "WHEP" : "WHIP";
  const char *scheme;

  g_return_val_if_fail (options != NULL, NULL);

  if (options->url == NULL || *options->url == '\0')
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "no %s endpoint URL given", name);
      return NULL;
    }
  uri = g_uri_parse (options->url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' is not a valid URL: %s", options->url, local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "a %s endpoint is an https:// URL, not '%s'", name, options->url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' names no host", options->url);
      return NULL;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !options->allow_insecure)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE,
                   "refusing unencrypted signaling to %s: anyone on the network could read and "
                   "change it; use https://, or allow it with --allow-insecure-signaling",
                   options->url);
      return NULL;
    }
  if (options->token != NULL && strpbrk (options->token, "\r\n") != NULL)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "the token must be a single line");
      return NULL;
    }

  self = g_object_new (BEACON_TYPE_WHIP_SIGNALER, NULL);
  self->whep = whep;
  /* The fragment never goes to the server (nor into reports). */
  self->url = g_uri_to_string_partial (uri, G_URI_HIDE_FRAGMENT | G_URI_HIDE_PASSWORD);
  self->pin = g_strdup (options->pin);
  self->token = g_strdup (options->token && *options->token ? options->token : NULL);
  self->allow_insecure = options->allow_insecure;
  self->info->url = g_strdup (self->url);
  self->info->scheme = g_ascii_strdown (scheme, -1);
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    self->info->trust = BEACON_SIGNALING_TRUST_INSECURE;
  return BEACON_SIGNALER (g_steal_pointer (&self));
}

/* beacon-whip-signaler.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-whip-signaler.h"
#include "beacon-whip-signaler-private.h"

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

static void beacon_whip_signaler_iface_init (BeaconSignalerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconWhipSignaler, beacon_whip_signaler, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_SIGNALER,
                                                      beacon_whip_signaler_iface_init))

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
  self->resource_url = beacon_whip_http_resolve_location (message, request_url);
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
    g_autoptr(GError) described = beacon_whip_http_describe_status (self, message, body,
                                                                    self->resource_url);

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
  beacon_whip_http_send (self, "PATCH", self->resource_url, "application/trickle-ice-sdpfrag",
                         fragment, self->etag, trickle_response_cb, TRUE);
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
      fail (self, beacon_whip_http_describe_status (self, message, body, self->resource_url));
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
      g_autofree char *target = beacon_whip_http_resolve_location (message, request_url);
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
      if (!beacon_whip_http_is_sdp_body (body))
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                   "%s accepted the offer but sent no SDP answer", request_url));
          return;
        }
      if (!record_media_identity (self, message, request_url))
        return;
      record_resource (self, message, request_url);
      self->phase = PHASE_ANSWERED;
      sdp = beacon_whip_http_body_text (body);
      emit_ice_servers (self, message);
      if (self->stopped)
        return;
      g_signal_emit_by_name (self, "remote-description", self->session_id, "answer", sdp);
      schedule_trickle (self);
      return;
    }

  /* WHEP: a server that wants to offer itself answers 406 with its offer and a Location,
   * where Beacon's answer goes with PATCH. */
  if (self->whep && status == SOUP_STATUS_NOT_ACCEPTABLE && beacon_whip_http_is_sdp_body (body) &&
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
      sdp = beacon_whip_http_body_text (body);
      emit_ice_servers (self, message);
      if (self->stopped)
        return;
      g_signal_emit_by_name (self, "remote-description", self->session_id, "offer", sdp);
      return;
    }

  fail (self, beacon_whip_http_describe_status (self, message, body, self->url));
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
      beacon_whip_http_send (self, SOUP_METHOD_POST, self->post_url, "application/sdp", sdp, NULL,
                             post_response_cb, TRUE);
    }
  else if (self->resource_url != NULL)
    {
      beacon_whip_http_send (self, "PATCH", self->resource_url, "application/sdp", sdp,
                             self->etag, answer_patch_response_cb, TRUE);
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
  beacon_whip_http_send (self, SOUP_METHOD_OPTIONS, self->url, NULL, NULL, NULL,
                         options_response_cb, TRUE);
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
  beacon_whip_http_send (self, SOUP_METHOD_DELETE, self->resource_url, NULL, NULL, NULL,
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

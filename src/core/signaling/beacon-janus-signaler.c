/* beacon-janus-signaler.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-janus-signaler.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "beacon-fingerprint.h"
#include "beacon-janus-message.h"
#include "beacon-janus-signaler-private.h"
#include "beacon-sdp.h"
#include "beacon-websocket-channel.h"

/* Teardown should not hold up the application when Janus is slow or gone. */
#define DESTROY_TIMEOUT_SECONDS 2


#define PUBLISHER_SESSION_ID "janus-publisher"
#define SUBSCRIBER_SESSION_ID "janus-subscriber"
#define STREAMING_SESSION_ID "janus-streaming"
#define JANUS_PEER_ID "janus"

static void beacon_janus_signaler_iface_init (BeaconSignalerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconJanusSignaler, beacon_janus_signaler, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_SIGNALER,
                                                      beacon_janus_signaler_iface_init))

/* Reporting */

static void
fail_start (BeaconJanusSignaler *self,
            GError              *error)
{
  GTask *task = g_steal_pointer (&self->start_task);

  if (task == NULL)
    {
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
complete_start (BeaconJanusSignaler *self,
                const char          *value)
{
  GTask *task = g_steal_pointer (&self->start_task);

  if (task == NULL)
    return;
  g_task_return_pointer (task, g_strdup (value), g_free);
  g_object_unref (task);
}

/* Ends the start task if still pending, or reports the failure of the running channel once. */
void
beacon_janus_signaler_fail (BeaconJanusSignaler *self,
                            GError              *error)
{
  if (self->start_task != NULL)
    {
      fail_start (self, error);
      return;
    }
  if (!self->stopped && !self->failed)
    {
      self->failed = TRUE;
      g_signal_emit_by_name (self, "failed", error);
    }
  g_error_free (error);
}

static void
end_media_session (BeaconJanusSignaler *self,
                   const char          *why)
{
  if (!self->media_active || self->stopped)
    return;
  self->media_active = FALSE;
  g_message ("Janus ended the %s: %s",
             self->role == BEACON_SIGNALER_ROLE_PUBLISH ? "publication" : "stream", why);
  g_signal_emit_by_name (self, "session-ended", self->media_session_id);
  /* A publisher whose PeerConnection Janus closed has nobody left to send to. */
  if (self->role == BEACON_SIGNALER_ROLE_PUBLISH)
    beacon_janus_signaler_fail (
        self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                           "Janus ended the publication in room %" G_GINT64_FORMAT ": %s",
                           self->room, why));
}

/* Events Janus sends on its own */

void
beacon_janus_signaler_act_on_event (BeaconJanusSignaler *self,
                                    JsonObject          *message)
{
  BeaconJanusTarget target = beacon_janus_signaler_target (self);
  BeaconJanusHandleState state = { self->role, self->media_handle, self->media_active };
  BeaconJanusEvent event;

  beacon_janus_read_event (message, &target, &state, &event);
  switch (event.kind)
    {
    case BEACON_JANUS_EVENT_MEDIA_ENDED:
      end_media_session (self, event.reason);
      break;
    case BEACON_JANUS_EVENT_FAILED:
      beacon_janus_signaler_fail (self, g_steal_pointer (&event.error));
      break;
    case BEACON_JANUS_EVENT_CANDIDATES:
      for (guint i = 0; i < event.candidates->len; i++)
        {
          BeaconSdpCandidate *candidate = g_ptr_array_index (event.candidates, i);

          g_signal_emit_by_name (self, "remote-candidate", self->media_session_id,
                                 candidate->mline, candidate->candidate);
        }
      break;
    case BEACON_JANUS_EVENT_NONE:
    default:
      break;
    }
  beacon_janus_event_clear (&event);
}

/* Publish */

static gboolean
emit_session_requested_cb (gpointer user_data)
{
  BeaconJanusSignaler *self = user_data;

  self->session_requested_id = 0;
  if (!self->stopped && self->media_active)
    /* Janus answers: Beacon offers, so no offer comes with the request. */
    g_signal_emit_by_name (self, "session-requested", PUBLISHER_SESSION_ID, JANUS_PEER_ID,
                           NULL);
  return G_SOURCE_REMOVE;
}

static void
room_checked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = beacon_janus_request_finish (self, result, &error);
  if (reply == NULL)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  if (!beacon_janus_get_boolean (beacon_janus_get_plugin_data (reply), "exists"))
    {
      fail_start (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                                     "room %" G_GINT64_FORMAT " does not exist on %s",
                                     self->room, self->url));
      return;
    }

  self->media_session_id = PUBLISHER_SESSION_ID;
  self->media_active = TRUE;
  complete_start (self, PUBLISHER_SESSION_ID);
  /* The session goes live when start finishes; only then does it accept a viewer. */
  self->session_requested_id = g_idle_add (emit_session_requested_cb, self);
}

static void
publish_answered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *jsep;
  const char *sdp;

  reply = beacon_janus_request_finish (self, result, &error);
  if (self->stopped)
    return;
  if (reply == NULL)
    {
      beacon_janus_signaler_fail (self, g_steal_pointer (&error));
      return;
    }

  self->joined = TRUE;
  beacon_janus_get_int (beacon_janus_get_plugin_data (reply), "id", &self->publisher_id);
  jsep = beacon_janus_get_object (reply, "jsep");
  sdp = beacon_janus_get_string (jsep, "sdp");
  if (sdp == NULL || g_strcmp0 (beacon_janus_get_string (jsep, "type"), "answer") != 0)
    {
      beacon_janus_signaler_fail (
          self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                             "Janus at %s accepted the publication but sent no answer", self->url));
      return;
    }
  if (beacon_sdp_video_is_inactive (sdp))
    {
      beacon_janus_signaler_fail (
          self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                             "codec not allowed in this room: room %" G_GINT64_FORMAT
                             " refused Beacon's %s video",
                             self->room, self->video_codec ? self->video_codec : ""));
      return;
    }
  g_message ("publishing in Janus room %" G_GINT64_FORMAT " as publisher %" G_GINT64_FORMAT,
             self->room, self->publisher_id);
  g_signal_emit_by_name (self, "remote-description", PUBLISHER_SESSION_ID, "answer", sdp);
}

static void
send_publish_offer (BeaconJanusSignaler *self,
                    const char          *sdp)
{
  JsonObject *body;

  if (!self->joined)
    {
      body = beacon_janus_new_body ("joinandconfigure");
      json_object_set_int_member (body, "room", self->room);
      json_object_set_string_member (body, "ptype", "publisher");
      json_object_set_string_member (body, "display", self->display_name ? self->display_name
                                                                         : "Beacon");
      json_object_set_boolean_member (body, "audio", TRUE);
      json_object_set_boolean_member (body, "video", TRUE);
      /* Naming the codec makes Janus refuse a room that does not allow it with a clear error,
       * instead of silently turning the video off. */
      if (self->video_codec != NULL)
        json_object_set_string_member (body, "videocodec", self->video_codec);
      if (self->token != NULL)
        json_object_set_string_member (body, "token", self->token);
    }
  else
    {
      body = beacon_janus_new_body ("configure");
    }
  beacon_janus_request_async (
      self, beacon_janus_new_message (self, self->media_handle, body, "offer", sdp),
      self->joined ? "configure" : "joinandconfigure", REQUEST_TIMEOUT_SECONDS, publish_answered_cb,
      NULL);
}

/* Watch */

static void
watch_offer_received_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sdp = NULL;
  JsonObject *jsep;

  reply = beacon_janus_request_finish (self, result, &error);
  if (reply == NULL)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  jsep = beacon_janus_get_object (reply, "jsep");
  sdp = g_strdup (beacon_janus_get_string (jsep, "sdp"));
  if (sdp == NULL || g_strcmp0 (beacon_janus_get_string (jsep, "type"), "offer") != 0)
    {
      fail_start (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                     "Janus at %s accepted the subscription but sent no offer",
                                     self->url));
      return;
    }

  self->media_session_id = g_strcmp0 (self->media_plugin, BEACON_JANUS_STREAMING_PLUGIN) == 0
                           ? STREAMING_SESSION_ID : SUBSCRIBER_SESSION_ID;
  self->media_active = TRUE;
  g_object_ref (self);
  g_signal_emit_by_name (self, "session-started", self->media_session_id, JANUS_PEER_ID);
  complete_start (self, self->media_session_id);
  if (!self->stopped && self->media_active)
    g_signal_emit_by_name (self, "remote-description", self->media_session_id, "offer", sdp);
  g_object_unref (self);
}

static void
subscriber_attached_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonArray *streams;
  JsonObject *stream;
  gint64 handle = beacon_janus_finish_id (self, result, &error);

  if (handle == 0)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  self->media_handle = handle;
  self->media_plugin = BEACON_JANUS_VIDEOROOM_PLUGIN;
  if (self->stopped)
    return;

  body = beacon_janus_new_body ("join");
  json_object_set_string_member (body, "ptype", "subscriber");
  json_object_set_int_member (body, "room", self->room);
  streams = json_array_new ();
  stream = json_object_new ();
  json_object_set_int_member (stream, "feed", self->feed);
  json_array_add_object_element (streams, stream);
  json_object_set_array_member (body, "streams", streams);
  if (self->token != NULL)
    json_object_set_string_member (body, "token", self->token);
  beacon_janus_request_async (self, beacon_janus_new_message (self, handle, body, NULL, NULL),
                              "join", REQUEST_TIMEOUT_SECONDS, watch_offer_received_cb, NULL);
}

static void
participants_listed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autofree char *stream_name = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = beacon_janus_request_finish (self, result, &error);
  if (reply == NULL ||
      !beacon_janus_choose_feed (beacon_janus_get_plugin_data (reply), self->room, stream_name,
                                 &self->feed, &error))
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  if (self->stopped)
    return;
  g_debug ("watching feed %" G_GINT64_FORMAT " of room %" G_GINT64_FORMAT, self->feed,
           self->room);
  beacon_janus_attach_async (self, BEACON_JANUS_VIDEOROOM_PLUGIN, subscriber_attached_cb, NULL);
}

/* Start */

static void
start_attached_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autofree char *stream_name = user_data;
  g_autoptr(GError) error = NULL;
  gint64 handle = beacon_janus_finish_id (self, result, &error);
  JsonObject *body;

  if (handle == 0)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  if (self->stopped)
    return;

  if (self->role == BEACON_SIGNALER_ROLE_PUBLISH)
    {
      self->media_handle = handle;
      self->media_plugin = BEACON_JANUS_VIDEOROOM_PLUGIN;
      body = beacon_janus_new_body ("exists");
      json_object_set_int_member (body, "room", self->room);
      beacon_janus_request_async (self, beacon_janus_new_message (self, handle, body, NULL, NULL),
                                  "exists", REQUEST_TIMEOUT_SECONDS, room_checked_cb, NULL);
    }
  else if (self->mountpoint >= 0)
    {
      self->media_handle = handle;
      self->media_plugin = BEACON_JANUS_STREAMING_PLUGIN;
      body = beacon_janus_new_body ("watch");
      json_object_set_int_member (body, "id", self->mountpoint);
      beacon_janus_request_async (self, beacon_janus_new_message (self, handle, body, NULL, NULL),
                                  "watch", REQUEST_TIMEOUT_SECONDS, watch_offer_received_cb, NULL);
    }
  else
    {
      self->manager_handle = handle;
      body = beacon_janus_new_body ("listparticipants");
      json_object_set_int_member (body, "room", self->room);
      beacon_janus_request_async (self, beacon_janus_new_message (self, handle, body, NULL, NULL),
                                  "listparticipants", REQUEST_TIMEOUT_SECONDS,
                                  participants_listed_cb, g_steal_pointer (&stream_name));
    }
}

static void
start_session_ready_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autofree char *stream_name = user_data;
  g_autoptr(GError) error = NULL;
  gboolean streaming = self->role == BEACON_SIGNALER_ROLE_WATCH && self->mountpoint >= 0;

  if (!beacon_janus_ensure_session_finish (self, result, &error))
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  beacon_janus_attach_async (
      self, streaming ? BEACON_JANUS_STREAMING_PLUGIN : BEACON_JANUS_VIDEOROOM_PLUGIN,
      start_attached_cb, g_steal_pointer (&stream_name));
}

static void
beacon_janus_signaler_start_async (BeaconSignaler      *signaler,
                                   BeaconSignalerRole   role,
                                   const char          *stream_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (signaler);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_janus_signaler_start_async);

  if (self->start_task != NULL || self->media_session_id != NULL || self->stopped)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "this signaling channel was already started");
      return;
    }
  if (role == BEACON_SIGNALER_ROLE_PUBLISH && self->room < 0)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                               "publishing to Janus needs a VideoRoom room: pass --room N");
      return;
    }
  if (role == BEACON_SIGNALER_ROLE_WATCH && self->room < 0 && self->mountpoint < 0)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                               "watching on Janus needs a VideoRoom room (--room N) or a "
                               "Streaming mountpoint (--mountpoint N)");
      return;
    }

  self->role = role;
  if (role == BEACON_SIGNALER_ROLE_PUBLISH && self->display_name == NULL)
    self->display_name = g_strdup (stream_name);
  self->start_task = g_steal_pointer (&task);
  beacon_janus_ensure_session_async (self, start_session_ready_cb,
                                     role == BEACON_SIGNALER_ROLE_WATCH ? g_strdup (stream_name)
                                                                        : NULL);
}

static char *
beacon_janus_signaler_start_finish (BeaconSignaler  *signaler,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, signaler), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Running */

static void
watch_started_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = beacon_janus_request_finish (self, result, &error);
  if (reply == NULL && !self->stopped)
    beacon_janus_signaler_fail (self, g_steal_pointer (&error));
}

static void
beacon_janus_signaler_send_description (BeaconSignaler *signaler,
                                        const char     *session_id,
                                        const char     *type,
                                        const char     *sdp)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (signaler);

  if (self->stopped || !self->media_active || g_strcmp0 (session_id, self->media_session_id) != 0)
    return;

  if (self->role == BEACON_SIGNALER_ROLE_PUBLISH && g_strcmp0 (type, "offer") == 0)
    {
      send_publish_offer (self, sdp);
    }
  else if (self->role == BEACON_SIGNALER_ROLE_WATCH && g_strcmp0 (type, "answer") == 0)
    {
      beacon_janus_request_async (self,
                                  beacon_janus_new_message (self, self->media_handle,
                                                            beacon_janus_new_body ("start"),
                                                            "answer", sdp),
                                  "start", REQUEST_TIMEOUT_SECONDS, watch_started_cb, NULL);
    }
  else
    {
      g_debug ("Janus: not sending a local %s while %s", type,
               self->role == BEACON_SIGNALER_ROLE_PUBLISH ? "publishing" : "watching");
    }
}

static void
beacon_janus_signaler_send_candidate (BeaconSignaler *signaler,
                                      const char     *session_id,
                                      guint           mline,
                                      const char     *candidate)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (signaler);
  JsonObject *request;
  JsonObject *body;

  if (self->stopped || !self->media_active || self->media_handle == 0 ||
      g_strcmp0 (session_id, self->media_session_id) != 0 || candidate == NULL ||
      *candidate == '\0')
    return;

  request = beacon_janus_new_request (self, "trickle", self->media_handle);
  body = json_object_new ();
  json_object_set_int_member (body, "sdpMLineIndex", mline);
  json_object_set_string_member (body, "candidate", candidate);
  json_object_set_object_member (request, "candidate", body);
  beacon_janus_send (self, request, "trickle");
}

/* Ends the publication or the subscription; the handles stay until stop (). A publisher
 * unpublishes rather than leaves: Janus 1.1 tells the subscribers of a feed that it went away
 * only while the publisher is still in the room (a "leave" first drops it from the room, and
 * the subscribers then never hear of it). Destroying the session makes it leave. */
static void
leave (BeaconJanusSignaler *self)
{
  const char *request;

  if (g_strcmp0 (self->media_plugin, BEACON_JANUS_STREAMING_PLUGIN) == 0)
    request = "stop";
  else if (self->role == BEACON_SIGNALER_ROLE_PUBLISH)
    request = "unpublish";
  else
    request = "leave";

  if (!self->media_active || self->media_handle == 0)
    return;
  self->media_active = FALSE;
  beacon_janus_send (self,
                     beacon_janus_new_message (self, self->media_handle,
                                               beacon_janus_new_body (request), NULL, NULL),
                     request);
}

static void
beacon_janus_signaler_end_session (BeaconSignaler *signaler,
                                   const char     *session_id)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (signaler);

  if (g_strcmp0 (session_id, self->media_session_id) == 0)
    leave (self);
}

static void
session_destroyed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(JsonObject) reply = beacon_janus_request_finish (self, result, NULL);

  /* Answered or not, we are done with this server. */
  if (beacon_janus_connection_is_open (self))
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, "stopped");
}

static void
beacon_janus_signaler_stop (BeaconSignaler *signaler)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (signaler);
  g_autoptr(GError) error = NULL;

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->session_requested_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the signaling channel was stopped");
  fail_start (self, g_error_copy (error));
  beacon_janus_fail_all_requests (self, error);
  beacon_janus_complete_session_waiters (self, error);

  if (!beacon_janus_connection_is_open (self) || self->session_id == 0)
    {
      g_cancellable_cancel (self->cancellable);
      if (beacon_janus_connection_is_open (self))
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, "stopped");
      return;
    }

  /* Leave, hang up, detach, destroy: the order a Janus client tears down in. Janus would clean
   * up after a closed connection by itself, but only after its reclaim timeout. */
  leave (self);
  if (self->media_handle != 0)
    {
      beacon_janus_send (self, beacon_janus_new_request (self, "hangup", self->media_handle),
                         "hangup");
      beacon_janus_send (self, beacon_janus_new_request (self, "detach", self->media_handle),
                         "detach");
    }
  if (self->manager_handle != 0)
    beacon_janus_send (self, beacon_janus_new_request (self, "detach", self->manager_handle),
                       "detach");
  beacon_janus_request_async (self, beacon_janus_new_request (self, "destroy", 0), "destroy",
                              DESTROY_TIMEOUT_SECONDS, session_destroyed_cb, NULL);
}

static BeaconChannelInfo *
beacon_janus_signaler_dup_channel_info (BeaconSignaler *signaler)
{
  return beacon_channel_info_copy (BEACON_JANUS_SIGNALER (signaler)->info);
}

static void
beacon_janus_signaler_iface_init (BeaconSignalerInterface *iface)
{
  iface->start_async = beacon_janus_signaler_start_async;
  iface->start_finish = beacon_janus_signaler_start_finish;
  iface->send_description = beacon_janus_signaler_send_description;
  iface->send_candidate = beacon_janus_signaler_send_candidate;
  iface->end_session = beacon_janus_signaler_end_session;
  iface->stop = beacon_janus_signaler_stop;
  iface->dup_channel_info = beacon_janus_signaler_dup_channel_info;
  iface->list_async = beacon_janus_signaler_list_async;
  iface->list_finish = beacon_janus_signaler_list_finish;
}

static void
beacon_janus_signaler_dispose (GObject *object)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (object);

  g_clear_handle_id (&self->session_requested_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         NULL);
    }
  g_clear_object (&self->connection);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->start_task);

  G_OBJECT_CLASS (beacon_janus_signaler_parent_class)->dispose (object);
}

static void
beacon_janus_signaler_finalize (GObject *object)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (object);

  g_free (self->url);
  g_free (self->pin);
  g_free (self->token);
  g_free (self->display_name);
  g_free (self->video_codec);
  g_ptr_array_unref (self->session_waiters);
  g_hash_table_unref (self->pending);
  beacon_channel_info_free (self->info);

  G_OBJECT_CLASS (beacon_janus_signaler_parent_class)->finalize (object);
}

static void
beacon_janus_signaler_class_init (BeaconJanusSignalerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_janus_signaler_dispose;
  object_class->finalize = beacon_janus_signaler_finalize;
}

static void
beacon_janus_signaler_init (BeaconJanusSignaler *self)
{
  /* Requests hold a reference on their GTask, which holds one on the signaler: the table is
   * empty whenever the signaler is finalized. */
  self->pending = g_hash_table_new (g_str_hash, g_str_equal);
  self->session_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->info = g_new0 (BeaconChannelInfo, 1);
  self->room = self->feed = self->mountpoint = -1;
}

BeaconSignaler *
beacon_janus_signaler_new (const BeaconSignalerOptions  *options,
                           GError                      **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  BeaconJanusSignaler *self;
  const char *scheme;

  g_return_val_if_fail (options != NULL, NULL);

  uri = g_uri_parse (options->url ? options->url : "", SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' is not a valid URL: %s", options->url ? options->url : "",
                   local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "wss") != 0 && g_ascii_strcasecmp (scheme, "ws") != 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "a Janus server is reached with wss:// (or ws://), not '%s'", options->url);
      return NULL;
    }
  if (options->video_codec != NULL && g_strcmp0 (options->video_codec, "vp8") != 0 &&
      g_strcmp0 (options->video_codec, "h264") != 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "Beacon publishes vp8 or h264 to Janus, not '%s'", options->video_codec);
      return NULL;
    }

  self = g_object_new (BEACON_TYPE_JANUS_SIGNALER, NULL);
  self->url = g_strdup (options->url);
  self->pin = g_strdup (options->pin);
  self->token = g_strdup (options->token);
  self->display_name = g_strdup (options->display_name);
  self->video_codec = g_strdup (options->video_codec);
  self->room = options->room;
  self->feed = options->feed;
  self->mountpoint = options->mountpoint;
  self->info->url = g_strdup (options->url);
  self->info->scheme = g_ascii_strdown (scheme, -1);
  if (g_ascii_strcasecmp (scheme, "ws") == 0)
    self->info->trust = BEACON_SIGNALING_TRUST_INSECURE;
  return BEACON_SIGNALER (self);
}

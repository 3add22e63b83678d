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
#include "beacon-sdp.h"
#include "beacon-websocket-channel.h"

/* Janus drops a session after 60 s of silence (session_timeout); stay well inside that. */
#define KEEPALIVE_SECONDS 25
/* Every request gets an answer within this time, or the server is considered gone. */
#define REQUEST_TIMEOUT_SECONDS 10
/* Teardown should not hold up the application when Janus is slow or gone. */
#define DESTROY_TIMEOUT_SECONDS 2

#define VIDEOROOM_PLUGIN BEACON_JANUS_VIDEOROOM_PLUGIN
#define STREAMING_PLUGIN BEACON_JANUS_STREAMING_PLUGIN

#define PUBLISHER_SESSION_ID "janus-publisher"
#define SUBSCRIBER_SESSION_ID "janus-subscriber"
#define STREAMING_SESSION_ID "janus-streaming"
#define JANUS_PEER_ID "janus"

struct _BeaconJanusSignaler
{
  GObject                  parent_instance;

  /* Settings */
  char                    *url;
  char                    *pin;
  char                    *token;
  char                    *display_name;
  char                    *video_codec;
  gint64                   room;
  gint64                   feed;
  gint64                   mountpoint;

  /* The WebSocket and the Janus session on it */
  gboolean                 connecting;  /* the one connection was asked for */
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;
  GPtrArray               *session_waiters;  /* GTask waiting for the Janus session */
  GHashTable              *pending;          /* transaction → GTask of a request */
  gint64                   session_id;
  guint                    keepalive_id;
  BeaconChannelInfo       *info;
  gboolean                 closed;

  /* The broadcast or watch */
  BeaconSignalerRole       role;
  GTask                   *start_task;
  gint64                   manager_handle;   /* watch: the handle that lists participants */
  gint64                   media_handle;     /* the handle that carries the PeerConnection */
  const char              *media_plugin;
  const char              *media_session_id;
  gboolean                 media_active;
  gboolean                 joined;           /* publish: joinandconfigure succeeded */
  gint64                   publisher_id;     /* publish: our id in the room */
  guint                    session_requested_id;
  gboolean                 failed;
  gboolean                 stopped;
};

static void beacon_janus_signaler_iface_init (BeaconSignalerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconJanusSignaler, beacon_janus_signaler, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_SIGNALER,
                                                      beacon_janus_signaler_iface_init))

/* What the error sentences of beacon-janus-message.c name. */
static BeaconJanusTarget
target_of (BeaconJanusSignaler *self)
{
  BeaconJanusTarget target = {
    .url = self->url,
    .token = self->token,
    .video_codec = self->video_codec,
    .room = self->room,
    .feed = self->feed,
    .mountpoint = self->mountpoint,
  };

  return target;
}

/* Sending */

static gboolean
connection_is_open (BeaconJanusSignaler *self)
{
  return self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

typedef struct {
  char     *transaction;
  char     *what;
  gboolean  wait_event;
  guint     timeout_id;
  guint     timeout_seconds;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_free (pending->transaction);
  g_free (pending->what);
  g_free (pending);
}

/* Ends the request @transaction with @reply or @error (taken). */
static void
finish_request (BeaconJanusSignaler *self,
                const char          *transaction,
                JsonObject          *reply,
                GError              *error)
{
  gpointer key, value;
  GTask *task;
  Pending *pending;

  if (!g_hash_table_steal_extended (self->pending, transaction, &key, &value))
    {
      g_clear_error (&error);
      return;
    }
  task = value;
  pending = g_task_get_task_data (task);
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
  g_object_unref (task);
}

static gboolean
request_timed_out_cb (gpointer user_data)
{
  GTask *task = user_data;
  Pending *pending = g_task_get_task_data (task);
  BeaconJanusSignaler *self = g_task_get_source_object (task);
  g_autofree char *transaction = g_strdup (pending->transaction);

  pending->timeout_id = 0;
  finish_request (self, transaction, NULL,
                  g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                               "Janus at %s did not answer the %s request within %u s",
                               self->url, pending->what, pending->timeout_seconds));
  return G_SOURCE_REMOVE;
}

static void
fail_all_requests (BeaconJanusSignaler *self,
                   const GError        *error)
{
  g_autoptr(GList) tasks = g_hash_table_get_values (self->pending);

  /* Callbacks may send new requests: take the current ones out first. */
  g_hash_table_steal_all (self->pending);
  for (GList *l = tasks; l != NULL; l = l->next)
    {
      GTask *task = l->data;
      Pending *pending = g_task_get_task_data (task);

      g_clear_handle_id (&pending->timeout_id, g_source_remove);
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

static JsonObject *
new_request (BeaconJanusSignaler *self,
             const char          *verb,
             gint64               handle)
{
  JsonObject *request = json_object_new ();

  json_object_set_string_member (request, "janus", verb);
  if (self->session_id != 0)
    json_object_set_int_member (request, "session_id", self->session_id);
  if (handle != 0)
    json_object_set_int_member (request, "handle_id", handle);
  return request;
}

/* A plugin message to @handle; @body is taken. */
static JsonObject *
new_message (BeaconJanusSignaler *self,
             gint64               handle,
             JsonObject          *body,
             const char          *jsep_type,
             const char          *sdp)
{
  JsonObject *request = new_request (self, "message", handle);

  json_object_set_object_member (request, "body", body);
  if (jsep_type != NULL)
    {
      JsonObject *jsep = json_object_new ();

      json_object_set_string_member (jsep, "type", jsep_type);
      json_object_set_string_member (jsep, "sdp", sdp);
      json_object_set_object_member (request, "jsep", jsep);
    }
  return request;
}

static JsonObject *
new_body (const char *request)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "request", request);
  return body;
}

/* Sends @request (taken) with a fresh transaction. The reply is the JSON object that ends the
 * transaction: "success", "ack" or, for plugin messages, the plugin's "success" or "event"
 * (Janus acknowledges asynchronous plugin requests first and answers with an event later). A
 * core or plugin error arrives as a GError with a sentence made for people. */
static void
janus_request_async (BeaconJanusSignaler *self,
                     JsonObject          *request,
                     const char          *what,
                     guint                timeout_seconds,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(JsonObject) owned = request;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Pending *pending = g_new0 (Pending, 1);

  g_task_set_source_tag (task, janus_request_async);
  pending->transaction = g_uuid_string_random ();
  pending->what = g_strdup (what);
  pending->wait_event = g_strcmp0 (beacon_janus_get_string (request, "janus"), "message") == 0;
  pending->timeout_seconds = timeout_seconds;
  g_task_set_task_data (task, pending, pending_free);

  if (!connection_is_open (self))
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                               "the signaling connection to %s is closed", self->url);
      g_object_unref (task);
      return;
    }

  json_object_set_string_member (request, "transaction", pending->transaction);
  if (self->token != NULL)
    json_object_set_string_member (request, "token", self->token);
  root = json_node_init_object (json_node_alloc (), request);
  text = json_to_string (root, FALSE);
  if (self->token != NULL && *self->token != '\0')
    {
      /* The token is a credential: the log shows where it went, not what it is. */
      g_autoptr(GString) shown = g_string_new (text);

      g_string_replace (shown, self->token, "(token)", 0);
      g_debug ("janus → %.2000s", shown->str);
    }
  else
    {
      g_debug ("janus → %.2000s", text);
    }

  g_hash_table_insert (self->pending, pending->transaction, task);
  pending->timeout_id = g_timeout_add_seconds (timeout_seconds, request_timed_out_cb, task);
  soup_websocket_connection_send_text (self->connection, text);
}

static JsonObject *
janus_request_finish (BeaconJanusSignaler  *self,
                      GAsyncResult         *result,
                      GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A request whose answer does not matter (trickle, teardown). */
static void
janus_send (BeaconJanusSignaler *self,
            JsonObject          *request,
            const char          *what)
{
  janus_request_async (self, request, what, REQUEST_TIMEOUT_SECONDS, NULL, NULL);
}

static void
attach_async (BeaconJanusSignaler *self,
              const char          *plugin,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  JsonObject *request = new_request (self, "attach", 0);

  json_object_set_string_member (request, "plugin", plugin);
  janus_request_async (self, request, "attach", REQUEST_TIMEOUT_SECONDS, callback, user_data);
}

/* The "data.id" of a create or attach reply, or 0 with @error set. */
static gint64
finish_id (BeaconJanusSignaler  *self,
           GAsyncResult         *result,
           GError              **error)
{
  g_autoptr(JsonObject) reply = janus_request_finish (self, result, error);
  gint64 id = 0;

  if (reply == NULL)
    return 0;
  if (!beacon_janus_get_int (beacon_janus_get_object (reply, "data"), "id", &id) || id == 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                   "Janus at %s answered without an id", self->url);
      return 0;
    }
  return id;
}

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
static void
fail (BeaconJanusSignaler *self,
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
    fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                             "Janus ended the publication in room %" G_GINT64_FORMAT ": %s",
                             self->room, why));
}

/* Connection and Janus session */

static void
complete_session_waiters (BeaconJanusSignaler *self,
                          const GError        *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->session_waiters);

  self->session_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
keepalive_answered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = janus_request_finish (self, result, &error);
  if (reply == NULL && !self->stopped && !self->closed)
    {
      g_message ("Janus keepalive failed: %s", error->message);
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                               "Janus at %s stopped answering: %s", self->url, error->message));
    }
}

static gboolean
keepalive_cb (gpointer user_data)
{
  BeaconJanusSignaler *self = user_data;

  janus_request_async (self, new_request (self, "keepalive", 0), "keepalive",
                       REQUEST_TIMEOUT_SECONDS, keepalive_answered_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
session_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  g_autoptr(GError) error = NULL;
  gint64 id = finish_id (self, result, &error);

  if (id == 0)
    {
      complete_session_waiters (self, error);
      return;
    }
  self->session_id = id;
  self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, keepalive_cb, self);
  complete_session_waiters (self, NULL);
}

static void handle_message (BeaconJanusSignaler *self,
                            JsonObject          *message);

static void
message_received_cb (SoupWebsocketConnection *connection,
                     int                      type,
                     GBytes                  *payload,
                     BeaconJanusSignaler     *self)
{
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (payload, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_debug ("ignoring a binary message from Janus");
      return;
    }
  g_debug ("janus ← %.*s", (int) MIN (length, 2000), data);
  message = beacon_janus_message_parse (data, length, &error);
  if (error != NULL)
    {
      /* Janus never sends such a message: the server is broken or hostile. It may be the
       * answer to a pending request, so waiting for that request to time out would only hide
       * the reason. */
      g_object_ref (self);
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                               "Janus at %s sent a message Beacon does not understand: %s",
                               self->url, error->message));
      g_object_unref (self);
      return;
    }
  if (message == NULL)
    return;

  g_object_ref (self);
  handle_message (self, message);
  g_object_unref (self);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      BeaconJanusSignaler     *self)
{
  g_autoptr(GError) error = NULL;
  guint16 code = soup_websocket_connection_get_close_code (connection);
  const char *reason = soup_websocket_connection_get_close_data (connection);

  g_object_ref (self);
  self->closed = TRUE;
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  error = g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                       "the signaling connection to %s closed (code %u%s%s)",
                       self->url, code, reason && *reason ? ": " : "", reason ? reason : "");
  fail_all_requests (self, error);
  complete_session_waiters (self, error);
  fail (self, g_error_copy (error));
  g_object_unref (self);
}

static void
websocket_connected_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BeaconJanusSignaler) self = user_data;
  g_autoptr(GError) error = NULL;

  self->connection = beacon_websocket_channel_connect_finish (result, &error);
  if (self->connection == NULL)
    {
      self->closed = TRUE;
      complete_session_waiters (self, error);
      return;
    }
  g_signal_connect_object (self->connection, "message",
                           G_CALLBACK (message_received_cb), self, 0);
  g_signal_connect_object (self->connection, "closed",
                           G_CALLBACK (connection_closed_cb), self, 0);

  if (self->stopped)
    {
      soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }
  janus_request_async (self, new_request (self, "create", 0), "create",
                       REQUEST_TIMEOUT_SECONDS, session_created_cb, NULL);
}

/* Connects and creates the Janus session unless that happened already. */
static void
ensure_session_async (BeaconJanusSignaler *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  const char * const protocols[] = { "janus-protocol", NULL };
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, ensure_session_async);

  if (self->session_id != 0 && connection_is_open (self))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (self->closed || self->stopped)
    {
      g_task_return_new_error (task, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                               "the signaling connection to %s is closed", self->url);
      g_object_unref (task);
      return;
    }

  g_ptr_array_add (self->session_waiters, task);
  if (self->connecting)
    return;

  self->connecting = TRUE;
  beacon_websocket_channel_connect_async (self, self->url, self->pin, NULL, protocols,
                                          self->info, self->cancellable, websocket_connected_cb,
                                          g_object_ref (self));
}

static gboolean
ensure_session_finish (BeaconJanusSignaler  *self,
                       GAsyncResult         *result,
                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Events Janus sends on its own */

static void
act_on_event (BeaconJanusSignaler *self,
              JsonObject          *message)
{
  BeaconJanusTarget target = target_of (self);
  BeaconJanusHandleState state = { self->role, self->media_handle, self->media_active };
  BeaconJanusEvent event;

  beacon_janus_read_event (message, &target, &state, &event);
  switch (event.kind)
    {
    case BEACON_JANUS_EVENT_MEDIA_ENDED:
      end_media_session (self, event.reason);
      break;
    case BEACON_JANUS_EVENT_FAILED:
      fail (self, g_steal_pointer (&event.error));
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

/* Ends the request a message answers, or acts on an event that answers none. */
static void
handle_message (BeaconJanusSignaler *self,
                JsonObject          *message)
{
  const char *verb = beacon_janus_get_string (message, "janus");
  const char *transaction = beacon_janus_get_string (message, "transaction");

  if (verb == NULL)
    return;

  if (transaction != NULL && g_hash_table_contains (self->pending, transaction))
    {
      GTask *task = g_hash_table_lookup (self->pending, transaction);
      Pending *pending = g_task_get_task_data (task);
      BeaconJanusTarget target = target_of (self);

      /* Asynchronous plugin requests are acknowledged first; the answer is an event. */
      if (g_str_equal (verb, "ack") && pending->wait_event)
        return;
      finish_request (self, transaction, message,
                      beacon_janus_error_from_reply (&target, message, pending->what));
      return;
    }
  act_on_event (self, message);
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

  reply = janus_request_finish (self, result, &error);
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

  reply = janus_request_finish (self, result, &error);
  if (self->stopped)
    return;
  if (reply == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->joined = TRUE;
  beacon_janus_get_int (beacon_janus_get_plugin_data (reply), "id", &self->publisher_id);
  jsep = beacon_janus_get_object (reply, "jsep");
  sdp = beacon_janus_get_string (jsep, "sdp");
  if (sdp == NULL || g_strcmp0 (beacon_janus_get_string (jsep, "type"), "answer") != 0)
    {
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                               "Janus at %s accepted the publication but sent no answer",
                               self->url));
      return;
    }
  if (beacon_sdp_video_is_inactive (sdp))
    {
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                               "codec not allowed in this room: room %" G_GINT64_FORMAT
                               " refused Beacon's %s video", self->room,
                               self->video_codec ? self->video_codec : ""));
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
      body = new_body ("joinandconfigure");
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
      body = new_body ("configure");
    }
  janus_request_async (self, new_message (self, self->media_handle, body, "offer", sdp),
                       self->joined ? "configure" : "joinandconfigure", REQUEST_TIMEOUT_SECONDS,
                       publish_answered_cb, NULL);
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

  reply = janus_request_finish (self, result, &error);
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

  self->media_session_id = g_strcmp0 (self->media_plugin, STREAMING_PLUGIN) == 0
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
  gint64 handle = finish_id (self, result, &error);

  if (handle == 0)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  self->media_handle = handle;
  self->media_plugin = VIDEOROOM_PLUGIN;
  if (self->stopped)
    return;

  body = new_body ("join");
  json_object_set_string_member (body, "ptype", "subscriber");
  json_object_set_int_member (body, "room", self->room);
  streams = json_array_new ();
  stream = json_object_new ();
  json_object_set_int_member (stream, "feed", self->feed);
  json_array_add_object_element (streams, stream);
  json_object_set_array_member (body, "streams", streams);
  if (self->token != NULL)
    json_object_set_string_member (body, "token", self->token);
  janus_request_async (self, new_message (self, handle, body, NULL, NULL), "join",
                       REQUEST_TIMEOUT_SECONDS, watch_offer_received_cb, NULL);
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

  reply = janus_request_finish (self, result, &error);
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
  attach_async (self, VIDEOROOM_PLUGIN, subscriber_attached_cb, NULL);
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
  gint64 handle = finish_id (self, result, &error);
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
      self->media_plugin = VIDEOROOM_PLUGIN;
      body = new_body ("exists");
      json_object_set_int_member (body, "room", self->room);
      janus_request_async (self, new_message (self, handle, body, NULL, NULL), "exists",
                           REQUEST_TIMEOUT_SECONDS, room_checked_cb, NULL);
    }
  else if (self->mountpoint >= 0)
    {
      self->media_handle = handle;
      self->media_plugin = STREAMING_PLUGIN;
      body = new_body ("watch");
      json_object_set_int_member (body, "id", self->mountpoint);
      janus_request_async (self, new_message (self, handle, body, NULL, NULL), "watch",
                           REQUEST_TIMEOUT_SECONDS, watch_offer_received_cb, NULL);
    }
  else
    {
      self->manager_handle = handle;
      body = new_body ("listparticipants");
      json_object_set_int_member (body, "room", self->room);
      janus_request_async (self, new_message (self, handle, body, NULL, NULL),
                           "listparticipants", REQUEST_TIMEOUT_SECONDS, participants_listed_cb,
                           g_steal_pointer (&stream_name));
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

  if (!ensure_session_finish (self, result, &error))
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }
  attach_async (self, streaming ? STREAMING_PLUGIN : VIDEOROOM_PLUGIN, start_attached_cb,
                g_steal_pointer (&stream_name));
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
  ensure_session_async (self, start_session_ready_cb,
                        role == BEACON_SIGNALER_ROLE_WATCH ? g_strdup (stream_name) : NULL);
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

  reply = janus_request_finish (self, result, &error);
  if (reply == NULL && !self->stopped)
    fail (self, g_steal_pointer (&error));
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
      janus_request_async (self, new_message (self, self->media_handle, new_body ("start"),
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

  request = new_request (self, "trickle", self->media_handle);
  body = json_object_new ();
  json_object_set_int_member (body, "sdpMLineIndex", mline);
  json_object_set_string_member (body, "candidate", candidate);
  json_object_set_object_member (request, "candidate", body);
  janus_send (self, request, "trickle");
}

/* Ends the publication or the subscription; the handles stay until stop (). A publisher
 * unpublishes rather than leaves: Janus 1.1 tells the subscribers of a feed that it went away
 * only while the publisher is still in the room (a "leave" first drops it from the room, and
 * the subscribers then never hear of it). Destroying the session makes it leave. */
static void
leave (BeaconJanusSignaler *self)
{
  const char *request;

  if (g_strcmp0 (self->media_plugin, STREAMING_PLUGIN) == 0)
    request = "stop";
  else if (self->role == BEACON_SIGNALER_ROLE_PUBLISH)
    request = "unpublish";
  else
    request = "leave";

  if (!self->media_active || self->media_handle == 0)
    return;
  self->media_active = FALSE;
  janus_send (self, new_message (self, self->media_handle, new_body (request), NULL, NULL),
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
  g_autoptr(JsonObject) reply = janus_request_finish (self, result, NULL);

  /* Answered or not, we are done with this server. */
  if (connection_is_open (self))
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
  fail_all_requests (self, error);
  complete_session_waiters (self, error);

  if (!connection_is_open (self) || self->session_id == 0)
    {
      g_cancellable_cancel (self->cancellable);
      if (connection_is_open (self))
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL,
                                         "stopped");
      return;
    }

  /* Leave, hang up, detach, destroy: the order a Janus client tears down in. Janus would clean
   * up after a closed connection by itself, but only after its reclaim timeout. */
  leave (self);
  if (self->media_handle != 0)
    {
      janus_send (self, new_request (self, "hangup", self->media_handle), "hangup");
      janus_send (self, new_request (self, "detach", self->media_handle), "detach");
    }
  if (self->manager_handle != 0)
    janus_send (self, new_request (self, "detach", self->manager_handle), "detach");
  janus_request_async (self, new_request (self, "destroy", 0), "destroy",
                       DESTROY_TIMEOUT_SECONDS, session_destroyed_cb, NULL);
}

static BeaconChannelInfo *
beacon_janus_signaler_dup_channel_info (BeaconSignaler *signaler)
{
  return beacon_channel_info_copy (BEACON_JANUS_SIGNALER (signaler)->info);
}

/* List */

typedef struct {
  GPtrArray *streams;          /* BeaconStreamInfo */
  gint64     videoroom_handle;
  gint64     streaming_handle;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *list = data;

  g_ptr_array_unref (list->streams);
  g_free (list);
}

static void
list_done (BeaconJanusSignaler *self,
           GTask               *task,
           GError              *error)
{
  ListData *list = g_task_get_task_data (task);

  /* The handles only served the listing. */
  if (list->videoroom_handle != 0)
    janus_send (self, new_request (self, "detach", list->videoroom_handle), "detach");
  if (list->streaming_handle != 0)
    janus_send (self, new_request (self, "detach", list->streaming_handle), "detach");
  list->videoroom_handle = list->streaming_handle = 0;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_ptr_array_ref (list->streams),
                           (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
mountpoints_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  GTask *task = user_data;
  ListData *list = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *mountpoints;

  reply = janus_request_finish (self, result, &error);
  if (reply == NULL)
    {
      list_done (self, task, g_steal_pointer (&error));
      return;
    }
  mountpoints = beacon_janus_get_array (beacon_janus_get_plugin_data (reply), "list");
  for (guint i = 0; mountpoints != NULL && i < json_array_get_length (mountpoints); i++)
    {
      JsonNode *node = json_array_get_element (mountpoints, i);
      JsonObject *mountpoint = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *media = beacon_janus_get_array (mountpoint, "media");
      g_autoptr(GString) description = g_string_new ("Streaming mountpoint");
      g_autofree char *id = NULL;
      gint64 number;

      if (!beacon_janus_get_int (mountpoint, "id", &number))
        continue;
      id = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      if (beacon_janus_get_string (mountpoint, "type") != NULL)
        g_string_append_printf (description, ", %s", beacon_janus_get_string (mountpoint, "type"));
      for (guint j = 0; media != NULL && j < json_array_get_length (media); j++)
        {
          JsonNode *media_node = json_array_get_element (media, j);
          JsonObject *stream = JSON_NODE_HOLDS_OBJECT (media_node)
                               ? json_node_get_object (media_node) : NULL;

          if (beacon_janus_get_string (stream, "type") != NULL)
            g_string_append_printf (description, "%s%s", j == 0 ? ": " : " + ",
                                    beacon_janus_get_string (stream, "type"));
        }
      if (json_object_has_member (mountpoint, "enabled") &&
          !beacon_janus_get_boolean (mountpoint, "enabled"))
        g_string_append (description, " (disabled)");
      g_ptr_array_add (list->streams,
                       beacon_stream_info_new (id,
                                               beacon_janus_get_string (mountpoint, "description"),
                                               description->str));
    }
  list_done (self, task, NULL);
}

static void
streaming_attached_for_list_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  GTask *task = user_data;
  ListData *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  list->streaming_handle = finish_id (self, result, &error);
  if (list->streaming_handle == 0)
    {
      /* A server without the Streaming plugin still has rooms to show. */
      g_debug ("not listing mountpoints: %s", error->message);
      list_done (self, task, NULL);
      return;
    }
  janus_request_async (self, new_message (self, list->streaming_handle, new_body ("list"),
                                          NULL, NULL),
                       "list", REQUEST_TIMEOUT_SECONDS, mountpoints_listed_cb, task);
}

static void
list_participants_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  GTask *task = user_data;
  ListData *list = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *participants;

  reply = janus_request_finish (self, result, &error);
  if (reply == NULL)
    {
      list_done (self, task, g_steal_pointer (&error));
      return;
    }
  participants = beacon_janus_get_array (beacon_janus_get_plugin_data (reply), "participants");
  for (guint i = 0; participants != NULL && i < json_array_get_length (participants); i++)
    {
      JsonNode *node = json_array_get_element (participants, i);
      JsonObject *participant = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                              : NULL;
      g_autofree char *id = NULL;
      g_autofree char *description = NULL;
      gint64 number;

      if (!beacon_janus_get_int (participant, "id", &number) ||
          !beacon_janus_get_boolean (participant, "publisher"))
        continue;
      id = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      description = g_strdup_printf ("publisher in room %" G_GINT64_FORMAT, self->room);
      g_ptr_array_add (list->streams,
                       beacon_stream_info_new (id, beacon_janus_get_string (participant, "display"),
                                               description));
    }
  attach_async (self, STREAMING_PLUGIN, streaming_attached_for_list_cb, task);
}

static void
rooms_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  GTask *task = user_data;
  ListData *list = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rooms;
  JsonObject *body;

  reply = janus_request_finish (self, result, &error);
  if (reply == NULL)
    {
      list_done (self, task, g_steal_pointer (&error));
      return;
    }
  rooms = beacon_janus_get_array (beacon_janus_get_plugin_data (reply), "list");
  for (guint i = 0; rooms != NULL && i < json_array_get_length (rooms); i++)
    {
      JsonNode *node = json_array_get_element (rooms, i);
      JsonObject *room = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *id = NULL;
      g_autofree char *description = NULL;
      const char *codec = beacon_janus_get_string (room, "videocodec");
      gint64 number;
      gint64 participants;

      if (!beacon_janus_get_int (room, "room", &number))
        continue;
      participants = beacon_janus_get_int_or (room, "num_participants", 0);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      description = g_strdup_printf ("VideoRoom room, %" G_GINT64_FORMAT " participant%s%s%s",
                                     participants, participants == 1 ? "" : "s",
                                     codec ? ", video " : "", codec ? codec : "");
      g_ptr_array_add (list->streams,
                       beacon_stream_info_new (id, beacon_janus_get_string (room, "description"),
                                               description));
    }

  if (self->room >= 0)
    {
      body = new_body ("listparticipants");
      json_object_set_int_member (body, "room", self->room);
      janus_request_async (self, new_message (self, list->videoroom_handle, body, NULL, NULL),
                           "listparticipants", REQUEST_TIMEOUT_SECONDS, list_participants_cb,
                           task);
      return;
    }
  attach_async (self, STREAMING_PLUGIN, streaming_attached_for_list_cb, task);
}

static void
videoroom_attached_for_list_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  GTask *task = user_data;
  ListData *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  list->videoroom_handle = finish_id (self, result, &error);
  if (list->videoroom_handle == 0)
    {
      list_done (self, task, g_steal_pointer (&error));
      return;
    }
  janus_request_async (self, new_message (self, list->videoroom_handle, new_body ("list"),
                                          NULL, NULL),
                       "list", REQUEST_TIMEOUT_SECONDS, rooms_listed_cb, task);
}

static void
list_session_ready_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (source);
  GTask *task = user_data;
  GError *error = NULL;

  if (!ensure_session_finish (self, result, &error))
    {
      list_done (self, task, error);
      return;
    }
  attach_async (self, VIDEOROOM_PLUGIN, videoroom_attached_for_list_cb, task);
}

static void
beacon_janus_signaler_list_async (BeaconSignaler      *signaler,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  BeaconJanusSignaler *self = BEACON_JANUS_SIGNALER (signaler);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *list = g_new0 (ListData, 1);

  g_task_set_source_tag (task, beacon_janus_signaler_list_async);
  list->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_stream_info_free);
  g_task_set_task_data (task, list, list_data_free);
  ensure_session_async (self, list_session_ready_cb, task);
}

static GPtrArray *
beacon_janus_signaler_list_finish (BeaconSignaler  *signaler,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, signaler), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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

/* beacon-janus-transport.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-janus-signaler.h"

#include <json-glib/json-glib.h>

#include "beacon-janus-message.h"
#include "beacon-janus-signaler-private.h"
#include "beacon-websocket-channel.h"

/* The transport of the Janus signaler: the WebSocket, the Janus session on it (create,
 * keepalive), and requests with their transactions and time limits. What the requests are for
 * (publish, watch, list) is in beacon-janus-signaler.c and beacon-janus-list.c; what a message
 * means is in beacon-janus-message.c. */

/* Janus drops a session after 60 s of silence (session_timeout); stay well inside that. */
#define KEEPALIVE_SECONDS 25

/* Requests */

gboolean
beacon_janus_connection_is_open (BeaconJanusSignaler *self)
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

void
beacon_janus_fail_all_requests (BeaconJanusSignaler *self,
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

JsonObject *
beacon_janus_new_request (BeaconJanusSignaler *self,
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
JsonObject *
beacon_janus_new_message (BeaconJanusSignaler *self,
                          gint64               handle,
                          JsonObject          *body,
                          const char          *jsep_type,
                          const char          *sdp)
{
  JsonObject *request = beacon_janus_new_request (self, "message", handle);

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

JsonObject *
beacon_janus_new_body (const char *request)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "request", request);
  return body;
}

/* Sends @request (taken) with a fresh transaction. The reply is the JSON object that ends the
 * transaction: "success", "ack" or, for plugin messages, the plugin's "success" or "event"
 * (Janus acknowledges asynchronous plugin requests first and answers with an event later). A
 * core or plugin error arrives as a GError with a sentence made for people. */
void
beacon_janus_request_async (BeaconJanusSignaler *self,
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

  g_task_set_source_tag (task, beacon_janus_request_async);
  pending->transaction = g_uuid_string_random ();
  pending->what = g_strdup (what);
  pending->wait_event = g_strcmp0 (beacon_janus_get_string (request, "janus"), "message") == 0;
  pending->timeout_seconds = timeout_seconds;
  g_task_set_task_data (task, pending, pending_free);

  if (!beacon_janus_connection_is_open (self))
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

JsonObject *
beacon_janus_request_finish (BeaconJanusSignaler  *self,
                             GAsyncResult         *result,
                             GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A request whose answer does not matter (trickle, teardown). */
void
beacon_janus_send (BeaconJanusSignaler *self,
                   JsonObject          *request,
                   const char          *what)
{
  beacon_janus_request_async (self, request, what, REQUEST_TIMEOUT_SECONDS, NULL, NULL);
}

void
beacon_janus_attach_async (BeaconJanusSignaler *self,
                           const char          *plugin,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  JsonObject *request = beacon_janus_new_request (self, "attach", 0);

  json_object_set_string_member (request, "plugin", plugin);
  beacon_janus_request_async (self, request, "attach", REQUEST_TIMEOUT_SECONDS, callback,
                              user_data);
}

/* The "data.id" of a create or attach reply, or 0 with @error set. */
gint64
beacon_janus_finish_id (BeaconJanusSignaler  *self,
                        GAsyncResult         *result,
                        GError              **error)
{
  g_autoptr(JsonObject) reply = beacon_janus_request_finish (self, result, error);
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

/* Connection and Janus session */

void
beacon_janus_complete_session_waiters (BeaconJanusSignaler *self,
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

  reply = beacon_janus_request_finish (self, result, &error);
  if (reply == NULL && !self->stopped && !self->closed)
    {
      g_message ("Janus keepalive failed: %s", error->message);
      beacon_janus_signaler_fail (
          self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                             "Janus at %s stopped answering: %s", self->url, error->message));
    }
}

static gboolean
keepalive_cb (gpointer user_data)
{
  BeaconJanusSignaler *self = user_data;

  beacon_janus_request_async (self, beacon_janus_new_request (self, "keepalive", 0), "keepalive",
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
  gint64 id = beacon_janus_finish_id (self, result, &error);

  if (id == 0)
    {
      beacon_janus_complete_session_waiters (self, error);
      return;
    }
  self->session_id = id;
  self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, keepalive_cb, self);
  beacon_janus_complete_session_waiters (self, NULL);
}

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
      beacon_janus_signaler_fail (
          self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                             "Janus at %s sent a message Beacon does not understand: %s", self->url,
                             error->message));
      g_object_unref (self);
      return;
    }
  if (message == NULL)
    return;

  g_object_ref (self);
  beacon_janus_handle_message (self, message);
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
  beacon_janus_fail_all_requests (self, error);
  beacon_janus_complete_session_waiters (self, error);
  beacon_janus_signaler_fail (self, g_error_copy (error));
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
      beacon_janus_complete_session_waiters (self, error);
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
  beacon_janus_request_async (self, beacon_janus_new_request (self, "create", 0), "create",
                              REQUEST_TIMEOUT_SECONDS, session_created_cb, NULL);
}

/* Connects and creates the Janus session unless that happened already. */
void
beacon_janus_ensure_session_async (BeaconJanusSignaler *self,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  const char * const protocols[] = { "janus-protocol", NULL };
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, beacon_janus_ensure_session_async);

  if (self->session_id != 0 && beacon_janus_connection_is_open (self))
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

gboolean
beacon_janus_ensure_session_finish (BeaconJanusSignaler  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Ends the request a message answers, or acts on an event that answers none. */
void
beacon_janus_handle_message (BeaconJanusSignaler *self,
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
      BeaconJanusTarget target = beacon_janus_signaler_target (self);

      /* Asynchronous plugin requests are acknowledged first; the answer is an event. */
      if (g_str_equal (verb, "ack") && pending->wait_event)
        return;
      finish_request (self, transaction, message,
                      beacon_janus_error_from_reply (&target, message, pending->what));
      return;
    }
  beacon_janus_signaler_act_on_event (self, message);
}

/* beacon-gst-signaler.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-gst-signaler.h"

#include "beacon-fingerprint.h"
#include "beacon-gst-protocol.h"
#include "beacon-websocket-channel.h"

/* See beacon_gst_signaler_set_liveness_check (). A probe is a "list" request, which every
 * server of this protocol answers and which changes nothing on it. Four seconds without a
 * word on a channel that was asked to speak is far beyond a round trip on any network a
 * stream plays over, and short enough that a viewer reconnects within a brief outage; a false
 * alarm costs one new negotiation, not the broadcast. */
#define PROBE_AFTER_MS 2000
#define DEAD_AFTER_MS  4000
#define LIVENESS_TICK_MS 500

struct _BeaconGstSignaler
{
  GObject                  parent_instance;

  char                    *url;
  char                    *pin;
  char                    *token;      /* nullable: sent as a Bearer token in the handshake */

  gboolean                 connecting;  /* start was called: one connection per signaler */
  SoupWebsocketConnection *connection;
  GTask                   *start_task;
  GCancellable            *cancellable;

  BeaconSignalerRole       role;
  char                    *stream_name;
  char                    *own_peer_id;
  char                    *producer_id;
  GHashTable              *sessions;   /* session id → peer id */

  BeaconChannelInfo       *info;
  gboolean                 listing;
  gboolean                 stopped;

  gboolean                 check_liveness;
  guint                    liveness_source;
  gint64                   last_received_us;
  gint64                   last_tick_us;
  gboolean                 probe_sent;
};

static void beacon_gst_signaler_iface_init (BeaconSignalerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconGstSignaler, beacon_gst_signaler, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_SIGNALER,
                                                      beacon_gst_signaler_iface_init))

static void
send_text (BeaconGstSignaler *self,
           const char        *text)
{
  if (self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  g_debug ("gst signaler → %.200s", text);
  soup_websocket_connection_send_text (self->connection, text);
}

/* Ends the start task (if still pending) or reports a failure of the running channel. */
static void
fail (BeaconGstSignaler *self,
      GError            *error)
{
  if (self->start_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->start_task);

      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_clear_handle_id (&self->liveness_source, g_source_remove);
  if (!self->stopped)
    {
      self->stopped = TRUE;
      g_signal_emit_by_name (self, "failed", error);
    }
  g_error_free (error);
}

static void
complete_start (BeaconGstSignaler *self,
                const char        *value)
{
  GTask *task = g_steal_pointer (&self->start_task);

  if (task == NULL)
    return;
  g_task_return_pointer (task, g_strdup (value), g_free);
  g_object_unref (task);
}

static const char *
producer_name (BeaconGstPeerInfo *producer)
{
  if (producer->meta != NULL && json_object_has_member (producer->meta, "name"))
    {
      JsonNode *node = json_object_get_member (producer->meta, "name");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }
  return NULL;
}

static void
choose_producer (BeaconGstSignaler *self,
                 GPtrArray         *producers)
{
  BeaconGstPeerInfo *chosen = NULL;
  g_autofree char *session_request = NULL;

  if (producers == NULL || producers->len == 0)
    {
      if (self->stream_name != NULL)
        fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                                 "producer '%s' not found: nothing is broadcasting on %s",
                                 self->stream_name, self->url));
      else
        fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                                 "nothing is broadcasting on %s", self->url));
      return;
    }

  if (self->stream_name != NULL)
    {
      for (guint i = 0; i < producers->len; i++)
        {
          BeaconGstPeerInfo *producer = g_ptr_array_index (producers, i);

          if (g_strcmp0 (producer_name (producer), self->stream_name) == 0 ||
              g_strcmp0 (producer->id, self->stream_name) == 0)
            {
              chosen = producer;
              break;
            }
        }
      if (chosen == NULL)
        {
          fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                                   "producer '%s' not found on %s", self->stream_name, self->url));
          return;
        }
    }
  else if (producers->len == 1)
    {
      chosen = g_ptr_array_index (producers, 0);
    }
  else
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < producers->len; i++)
        {
          BeaconGstPeerInfo *producer = g_ptr_array_index (producers, i);
          const char *name = producer_name (producer);

          g_string_append_printf (names, "%s'%s'", i > 0 ? ", " : "", name ? name : producer->id);
        }
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                               "%u broadcasts are live on %s (%s): choose one by name",
                               producers->len, self->url, names->str));
      return;
    }

  g_free (self->producer_id);
  self->producer_id = g_strdup (chosen->id);
  session_request = beacon_gst_build_start_session (chosen->id, NULL);
  send_text (self, session_request);
}

static void
complete_list (BeaconGstSignaler *self,
               GPtrArray         *producers)
{
  GTask *task = g_steal_pointer (&self->start_task);
  GPtrArray *streams = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_stream_info_free);

  for (guint i = 0; producers != NULL && i < producers->len; i++)
    {
      BeaconGstPeerInfo *producer = g_ptr_array_index (producers, i);

      g_ptr_array_add (streams, beacon_stream_info_new (producer->id, producer_name (producer),
                                                        "producer"));
    }
  g_task_return_pointer (task, streams, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
handle_message (BeaconGstSignaler *self,
                BeaconGstMessage  *message)
{
  switch (message->type)
    {
    case BEACON_GST_MESSAGE_WELCOME:
      g_free (self->own_peer_id);
      self->own_peer_id = g_strdup (message->peer_id);
      if (self->role == BEACON_SIGNALER_ROLE_PUBLISH && !self->listing)
        {
          g_autoptr(JsonObject) meta = json_object_new ();
          g_autofree char *status = NULL;

          if (self->stream_name != NULL)
            json_object_set_string_member (meta, "name", self->stream_name);
          g_autofree char *list = beacon_gst_build_list ();

          status = beacon_gst_build_set_peer_status (BEACON_GST_ROLE_PRODUCER, meta);
          send_text (self, status);
          /* Servers of this protocol do not acknowledge a status change to the producer
           * itself, but they may refuse it with an error (Beacon's direct server lets only its
           * own broadcaster produce). They answer in order, so the reply to a list sent right
           * after it says that the status change went through. */
          send_text (self, list);
        }
      else
        {
          g_autofree char *list = beacon_gst_build_list ();

          send_text (self, list);
        }
      break;

    case BEACON_GST_MESSAGE_LIST:
      if (self->listing && self->start_task != NULL)
        complete_list (self, message->peers);
      else if (self->role == BEACON_SIGNALER_ROLE_PUBLISH && self->start_task != NULL)
        complete_start (self, self->own_peer_id);
      else if (self->role == BEACON_SIGNALER_ROLE_WATCH && self->start_task != NULL &&
               self->producer_id == NULL)
        choose_producer (self, message->peers);
      break;

    case BEACON_GST_MESSAGE_SESSION_STARTED:
      if (message->session_id == NULL)
        break;
      g_hash_table_insert (self->sessions, g_strdup (message->session_id),
                           g_strdup (message->peer_id));
      g_signal_emit_by_name (self, "session-started", message->session_id, message->peer_id);
      complete_start (self, message->session_id);
      break;

    case BEACON_GST_MESSAGE_START_SESSION:
      if (self->role != BEACON_SIGNALER_ROLE_PUBLISH || message->session_id == NULL)
        break;
      g_hash_table_insert (self->sessions, g_strdup (message->session_id),
                           g_strdup (message->peer_id));
      g_signal_emit_by_name (self, "session-requested", message->session_id, message->peer_id,
                             message->sdp);
      break;

    case BEACON_GST_MESSAGE_PEER_SDP:
      if (!g_hash_table_contains (self->sessions, message->session_id))
        break;
      g_signal_emit_by_name (self, "remote-description", message->session_id,
                             message->sdp_type, message->sdp);
      break;

    case BEACON_GST_MESSAGE_PEER_ICE:
      if (!g_hash_table_contains (self->sessions, message->session_id))
        break;
      g_signal_emit_by_name (self, "remote-candidate", message->session_id,
                             message->sdp_mline_index, message->candidate);
      break;

    case BEACON_GST_MESSAGE_END_SESSION:
      if (g_hash_table_remove (self->sessions, message->session_id))
        g_signal_emit_by_name (self, "session-ended", message->session_id);
      break;

    case BEACON_GST_MESSAGE_ERROR:
      {
        const char *details = message->details ? message->details : "unknown error";

        if (self->start_task != NULL)
          {
            int code = BEACON_SIGNALER_ERROR_SERVER;

            if (strstr (details, "not found") != NULL)
              code = BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND;
            fail (self, g_error_new (BEACON_SIGNALER_ERROR, code, "%s", details));
          }
        else
          {
            /* Once running, a server error concerns one request; the channel stays usable
             * and sessions end with their own endSession. */
            g_debug ("server reported an error: %s", details);
          }
      }
      break;

    case BEACON_GST_MESSAGE_PEER_STATUS_CHANGED:
    case BEACON_GST_MESSAGE_LIST_CONSUMERS:
    case BEACON_GST_MESSAGE_SET_PEER_STATUS:
    case BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION:
    default:
      break;
    }
}

static void
message_received_cb (SoupWebsocketConnection *connection,
                     int                      type,
                     GBytes                  *payload,
                     BeaconGstSignaler       *self)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  g_object_ref (self);
  self->last_received_us = g_get_monotonic_time ();
  self->probe_sent = FALSE;
  data = g_bytes_get_data (payload, &length);
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                               "%s sent a binary message; this protocol uses JSON text",
                               self->url));
      g_object_unref (self);
      return;
    }

  g_debug ("gst signaler ← %.*s", (int) MIN (length, 200), data);
  message = beacon_gst_message_parse (data, length, &error);
  if (message == NULL)
    {
      /* A message type from a newer server is skipped; a broken message is not, because the
       * offer or answer it may have carried is lost and waiting would only end in a timeout. */
      if (g_error_matches (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE) &&
          self->start_task == NULL)
        g_debug ("ignoring a message: %s", error->message);
      else
        fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                                 "%s sent a message Beacon does not understand: %s",
                                 self->url, error->message));
    }
  else
    {
      handle_message (self, message);
    }
  g_object_unref (self);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      BeaconGstSignaler       *self)
{
  g_object_ref (self);
  if (!self->stopped || self->start_task != NULL)
    {
      guint16 code = soup_websocket_connection_get_close_code (connection);
      const char *reason = soup_websocket_connection_get_close_data (connection);

      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                               "the signaling connection to %s closed (code %u%s%s)",
                               self->url, code, reason && *reason ? ": " : "",
                               reason ? reason : ""));
    }
  g_object_unref (self);
}

static gboolean
liveness_tick_cb (gpointer user_data)
{
  BeaconGstSignaler *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 silent_ms = (now - self->last_received_us) / 1000;

  if (self->stopped || self->connection == NULL)
    {
      self->liveness_source = 0;
      return G_SOURCE_REMOVE;
    }
  /* A main loop that was held up (a loaded machine) may have an answer waiting unread in the
   * socket: it gets one more turn before the silence counts. */
  if ((now - self->last_tick_us) / 1000 > 2 * LIVENESS_TICK_MS)
    {
      self->last_tick_us = now;
      return G_SOURCE_CONTINUE;
    }
  self->last_tick_us = now;
  if (silent_ms >= DEAD_AFTER_MS)
    {
      g_autoptr(SoupWebsocketConnection) connection = g_steal_pointer (&self->connection);

      self->liveness_source = 0;
      g_debug ("no message from %s for %" G_GINT64_FORMAT " ms: closing the channel", self->url,
               silent_ms);
      /* The close frame will probably not arrive; the channel is given up either way. */
      g_signal_handlers_disconnect_by_data (connection, self);
      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_object_ref (self);
      fail (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                               "the signaling connection to %s stopped answering (nothing "
                               "for %u s)", self->url, DEAD_AFTER_MS / 1000));
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  if (silent_ms >= PROBE_AFTER_MS && !self->probe_sent)
    {
      g_autofree char *list = beacon_gst_build_list ();

      self->probe_sent = TRUE;
      send_text (self, list);
    }
  return G_SOURCE_CONTINUE;
}

static void
websocket_connected_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BeaconGstSignaler) self = user_data;
  g_autoptr(GError) error = NULL;

  self->connection = beacon_websocket_channel_connect_finish (result, &error);
  if (self->connection == NULL)
    {
      if (self->start_task != NULL)
        fail (self, g_steal_pointer (&error));
      return;
    }
  g_signal_connect_object (self->connection, "message",
                           G_CALLBACK (message_received_cb), self, 0);
  g_signal_connect_object (self->connection, "closed",
                           G_CALLBACK (connection_closed_cb), self, 0);
  self->last_received_us = self->last_tick_us = g_get_monotonic_time ();
  if (self->check_liveness && !self->listing)
    self->liveness_source = g_timeout_add (LIVENESS_TICK_MS, liveness_tick_cb, self);
  /* The server speaks first (welcome); the rest of start happens in handle_message (). */
}

static void
beacon_gst_signaler_start_async (BeaconSignaler      *signaler,
                                 BeaconSignalerRole   role,
                                 const char          *stream_name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_gst_signaler_start_async);

  if (self->start_task != NULL || self->connecting)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "this signaling channel was already started");
      return;
    }

  self->role = role;
  g_free (self->stream_name);
  self->stream_name = g_strdup (stream_name);
  self->start_task = g_steal_pointer (&task);
  g_set_object (&self->cancellable, cancellable);

  self->connecting = TRUE;
  beacon_websocket_channel_connect_async (self, self->url, self->pin, self->token, NULL,
                                          self->info, cancellable, websocket_connected_cb,
                                          g_object_ref (self));
}

static char *
beacon_gst_signaler_start_finish (BeaconSignaler  *signaler,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, signaler), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
beacon_gst_signaler_send_description (BeaconSignaler *signaler,
                                      const char     *session_id,
                                      const char     *type,
                                      const char     *sdp)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);
  g_autofree char *text = beacon_gst_build_peer_sdp (session_id, type, sdp);

  send_text (self, text);
}

static void
beacon_gst_signaler_send_candidate (BeaconSignaler *signaler,
                                    const char     *session_id,
                                    guint           mline,
                                    const char     *candidate)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);
  g_autofree char *text = beacon_gst_build_peer_ice (session_id, mline, candidate);

  send_text (self, text);
}

static void
beacon_gst_signaler_end_session (BeaconSignaler *signaler,
                                 const char     *session_id)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);
  g_autofree char *text = NULL;

  if (!g_hash_table_remove (self->sessions, session_id))
    return;
  text = beacon_gst_build_end_session (session_id);
  send_text (self, text);
}

/* The producer start chose (choose_producer ()) offers once more, in a new session. */
static gboolean
beacon_gst_signaler_start_session (BeaconSignaler *signaler)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);
  g_autofree char *text = NULL;

  if (self->role != BEACON_SIGNALER_ROLE_WATCH || self->producer_id == NULL ||
      self->start_task != NULL || self->stopped || self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;
  text = beacon_gst_build_start_session (self->producer_id, NULL);
  send_text (self, text);
  return TRUE;
}

static void
beacon_gst_signaler_stop (BeaconSignaler *signaler)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);
  GHashTableIter iter;
  const char *session_id;

  if (self->stopped)
    return;
  self->stopped = TRUE;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, (gpointer *) &session_id, NULL))
    {
      g_autofree char *text = beacon_gst_build_end_session (session_id);

      send_text (self, text);
    }
  g_hash_table_remove_all (self->sessions);

  g_clear_handle_id (&self->liveness_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL &&
      soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, "stopped");
}

static BeaconChannelInfo *
beacon_gst_signaler_dup_channel_info (BeaconSignaler *signaler)
{
  return beacon_channel_info_copy (BEACON_GST_SIGNALER (signaler)->info);
}

static void
beacon_gst_signaler_list_async (BeaconSignaler      *signaler,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (signaler);

  /* Listing is a start that ends at the list reply: connect, welcome, list. */
  self->listing = TRUE;
  beacon_gst_signaler_start_async (signaler, BEACON_SIGNALER_ROLE_WATCH, NULL, cancellable,
                                   callback, user_data);
}

static GPtrArray *
beacon_gst_signaler_list_finish (BeaconSignaler  *signaler,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, signaler), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
beacon_gst_signaler_iface_init (BeaconSignalerInterface *iface)
{
  iface->list_async = beacon_gst_signaler_list_async;
  iface->list_finish = beacon_gst_signaler_list_finish;
  iface->start_async = beacon_gst_signaler_start_async;
  iface->start_finish = beacon_gst_signaler_start_finish;
  iface->send_description = beacon_gst_signaler_send_description;
  iface->send_candidate = beacon_gst_signaler_send_candidate;
  iface->end_session = beacon_gst_signaler_end_session;
  iface->start_session = beacon_gst_signaler_start_session;
  iface->stop = beacon_gst_signaler_stop;
  iface->dup_channel_info = beacon_gst_signaler_dup_channel_info;
}

static void
beacon_gst_signaler_dispose (GObject *object)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (object);

  g_clear_handle_id (&self->liveness_source, g_source_remove);
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

  G_OBJECT_CLASS (beacon_gst_signaler_parent_class)->dispose (object);
}

static void
beacon_gst_signaler_finalize (GObject *object)
{
  BeaconGstSignaler *self = BEACON_GST_SIGNALER (object);

  g_free (self->url);
  g_free (self->pin);
  g_free (self->token);
  g_free (self->stream_name);
  g_free (self->own_peer_id);
  g_free (self->producer_id);
  g_hash_table_unref (self->sessions);
  beacon_channel_info_free (self->info);

  G_OBJECT_CLASS (beacon_gst_signaler_parent_class)->finalize (object);
}

static void
beacon_gst_signaler_class_init (BeaconGstSignalerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_gst_signaler_dispose;
  object_class->finalize = beacon_gst_signaler_finalize;
}

static void
beacon_gst_signaler_init (BeaconGstSignaler *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->info = g_new0 (BeaconChannelInfo, 1);
}

BeaconGstSignaler *
beacon_gst_signaler_new (const char *url,
                         const char *pin,
                         const char *token)
{
  BeaconGstSignaler *self = g_object_new (BEACON_TYPE_GST_SIGNALER, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  self->url = g_strdup (url);
  self->pin = g_strdup (pin);
  self->token = g_strdup (token);
  self->info->url = g_strdup (url);
  self->info->scheme = g_strdup (uri ? g_uri_get_scheme (uri) : NULL);
  return self;
}

void
beacon_gst_signaler_set_liveness_check (BeaconGstSignaler *self,
                                        gboolean           enabled)
{
  g_return_if_fail (BEACON_IS_GST_SIGNALER (self));

  self->check_liveness = enabled;
}

/* beacon-janus-list.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-janus-signaler.h"

#include <json-glib/json-glib.h>

#include "beacon-janus-message.h"
#include "beacon-janus-signaler-private.h"

/* Listing what a Janus server offers (beacon_signaler_list_async ()): Streaming mountpoints,
 * VideoRoom rooms and their publishers, each on a handle of its own that is detached again. */

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
    beacon_janus_send (self, beacon_janus_new_request (self, "detach", list->videoroom_handle),
                       "detach");
  if (list->streaming_handle != 0)
    beacon_janus_send (self, beacon_janus_new_request (self, "detach", list->streaming_handle),
                       "detach");
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

  reply = beacon_janus_request_finish (self, result, &error);
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
      g_ptr_array_add (list->streams, beacon_stream_info_new (
                                          id, beacon_janus_get_string (mountpoint, "description"),
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

  list->streaming_handle = beacon_janus_finish_id (self, result, &error);
  if (list->streaming_handle == 0)
    {
      /* A server without the Streaming plugin still has rooms to show. */
      g_debug ("not listing mountpoints: %s", error->message);
      list_done (self, task, NULL);
      return;
    }
  beacon_janus_request_async (self,
                              beacon_janus_new_message (self, list->streaming_handle,
                                                        beacon_janus_new_body ("list"), NULL, NULL),
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

  reply = beacon_janus_request_finish (self, result, &error);
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
  beacon_janus_attach_async (self, BEACON_JANUS_STREAMING_PLUGIN, streaming_attached_for_list_cb,
                             task);
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

  reply = beacon_janus_request_finish (self, result, &error);
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
      g_ptr_array_add (
          list->streams,
          beacon_stream_info_new (id, beacon_janus_get_string (room, "description"), description));
    }

  if (self->room >= 0)
    {
      body = beacon_janus_new_body ("listparticipants");
      json_object_set_int_member (body, "room", self->room);
      beacon_janus_request_async (
          self, beacon_janus_new_message (self, list->videoroom_handle, body, NULL, NULL),
          "listparticipants", REQUEST_TIMEOUT_SECONDS, list_participants_cb, task);
      return;
    }
  beacon_janus_attach_async (self, BEACON_JANUS_STREAMING_PLUGIN, streaming_attached_for_list_cb,
                             task);
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

  list->videoroom_handle = beacon_janus_finish_id (self, result, &error);
  if (list->videoroom_handle == 0)
    {
      list_done (self, task, g_steal_pointer (&error));
      return;
    }
  beacon_janus_request_async (self,
                              beacon_janus_new_message (self, list->videoroom_handle,
                                                        beacon_janus_new_body ("list"), NULL, NULL),
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

  if (!beacon_janus_ensure_session_finish (self, result, &error))
    {
      list_done (self, task, error);
      return;
    }
  beacon_janus_attach_async (self, BEACON_JANUS_VIDEOROOM_PLUGIN, videoroom_attached_for_list_cb,
                             task);
}

void
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
  beacon_janus_ensure_session_async (self, list_session_ready_cb, task);
}

GPtrArray *
beacon_janus_signaler_list_finish (BeaconSignaler  *signaler,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, signaler), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* beacon-janus-message.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-janus-message.h"

#include <string.h>

#include "beacon-json.h"
#include "beacon-sdp.h"

/* Janus core error codes (janus-gateway src/apierror.h). */
#define JANUS_ERROR_UNAUTHORIZED 403
#define JANUS_ERROR_UNAUTHORIZED_PLUGIN 405
#define JANUS_ERROR_UNKNOWN 490
#define JANUS_ERROR_SESSION_NOT_FOUND 458
#define JANUS_ERROR_PLUGIN_NOT_FOUND 460
#define JANUS_ERROR_JSEP_INVALID_SDP 465
#define JANUS_ERROR_TOKEN_NOT_FOUND 470

/* VideoRoom plugin error codes (plugins/janus_videoroom.c). */
#define VIDEOROOM_ERROR_NO_SUCH_ROOM 426
#define VIDEOROOM_ERROR_NO_SUCH_FEED 428
#define VIDEOROOM_ERROR_INVALID_ELEMENT 430
#define VIDEOROOM_ERROR_PUBLISHERS_FULL 432
#define VIDEOROOM_ERROR_UNAUTHORIZED 433
#define VIDEOROOM_ERROR_INVALID_SDP 437

/* Streaming plugin error codes (plugins/janus_streaming.c). */
#define STREAMING_ERROR_NO_SUCH_MOUNTPOINT 455
#define STREAMING_ERROR_UNAUTHORIZED 457
JsonObject *
beacon_janus_message_parse (const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  root = beacon_json_parse (data, length, BEACON_JSON_MAX_DEPTH, BEACON_JANUS_MAX_MESSAGE_SIZE,
                            &local_error);
  if (root == NULL && !g_error_matches (local_error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (root == NULL)
    {
      g_debug ("ignoring a message from Janus that is not JSON: %s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Members */

JsonObject *
beacon_janus_get_object (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
beacon_janus_get_array (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
beacon_janus_get_string (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
beacon_janus_get_int (JsonObject *object,
                      const char *name,
                      gint64     *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

gint64
beacon_janus_get_int_or (JsonObject *object,
                         const char *name,
                         gint64      fallback)
{
  gint64 value;

  return beacon_janus_get_int (object, name, &value) ? value : fallback;
}

gboolean
beacon_janus_get_boolean (JsonObject *object,
                          const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* plugindata.data of a reply or event, or NULL. */
JsonObject *
beacon_janus_get_plugin_data (JsonObject *message)
{
  return beacon_janus_get_object (beacon_janus_get_object (message, "plugindata"), "data");
}

/* Errors */

GError *
beacon_janus_describe_core_error (const BeaconJanusTarget *target,
                                  JsonObject              *reply,
                                  const char              *what)
{
  JsonObject *error = beacon_janus_get_object (reply, "error");
  gint64 code = beacon_janus_get_int_or (error, "code", 0);
  const char *reason = beacon_janus_get_string (error, "reason");

  if (reason == NULL)
    reason = "no reason given";

  switch (code)
    {
    case JANUS_ERROR_UNAUTHORIZED:
    case JANUS_ERROR_UNAUTHORIZED_PLUGIN:
    case JANUS_ERROR_TOKEN_NOT_FOUND:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_UNAUTHORIZED,
                          "Janus at %s refused the %s request: unauthorized (%s); %s",
                          target->url, what, reason,
                          target->token ? "check the token given with --token"
                                      : "the server needs a token: pass it with --token");
    case JANUS_ERROR_PLUGIN_NOT_FOUND:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                          "Janus at %s does not offer what Beacon needs: %s", target->url, reason);
    case JANUS_ERROR_SESSION_NOT_FOUND:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                          "Janus at %s no longer knows our session (%s)", target->url, reason);
    case JANUS_ERROR_UNKNOWN:
      if (strstr (reason, "ICE") != NULL)
        return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                            "Janus at %s could not set up ICE (%s): it has no network address "
                            "to send media from; check ice_enforce_list and ice_ignore_list in "
                            "janus.jcfg (Janus never uses loopback)", target->url, reason);
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                          "Janus at %s refused the %s request: %s", target->url, what, reason);
    case JANUS_ERROR_JSEP_INVALID_SDP:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                          "Janus at %s rejected Beacon's session description: %s",
                          target->url, reason);
    default:
      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                          "Janus at %s refused the %s request: %s (error %" G_GINT64_FORMAT ")",
                          target->url, what, reason, code);
    }
}

GError *
beacon_janus_describe_plugin_error (const BeaconJanusTarget *target,
                                    const char              *plugin,
                                    JsonObject              *data,
                                    const char              *what)
{
  gint64 code = beacon_janus_get_int_or (data, "error_code", 0);
  const char *reason = beacon_janus_get_string (data, "error");
  gboolean videoroom = g_strcmp0 (plugin, BEACON_JANUS_VIDEOROOM_PLUGIN) == 0;
  gboolean streaming = g_strcmp0 (plugin, BEACON_JANUS_STREAMING_PLUGIN) == 0;

  if (reason == NULL)
    reason = "no reason given";

  if (videoroom && code == VIDEOROOM_ERROR_NO_SUCH_ROOM)
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                        "room %" G_GINT64_FORMAT " does not exist on %s", target->room,
                        target->url);
  if (videoroom && code == VIDEOROOM_ERROR_NO_SUCH_FEED)
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                        "room %" G_GINT64_FORMAT " has no publisher %" G_GINT64_FORMAT
                        " (no such feed); list the publishers with 'beacon-cli list --room %"
                        G_GINT64_FORMAT "'",
                        target->room, target->feed, target->room);
  if (videoroom && code == VIDEOROOM_ERROR_INVALID_ELEMENT && strstr (reason, "codec") != NULL)
    {
      gboolean audio = strstr (reason, "Audio") != NULL;

      return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                          "codec not allowed in this room: room %" G_GINT64_FORMAT
                          " does not accept %s %s (Janus: %s)",
                          target->room,
                          audio ? "opus" : target->video_codec ? target->video_codec : "this",
                          audio ? "audio" : "video", reason);
    }
  if (videoroom && code == VIDEOROOM_ERROR_PUBLISHERS_FULL)
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_BUSY,
                        "room %" G_GINT64_FORMAT " is full: it has as many publishers as it "
                        "allows", target->room);
  if ((videoroom && code == VIDEOROOM_ERROR_UNAUTHORIZED) ||
      (streaming && code == STREAMING_ERROR_UNAUTHORIZED))
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_UNAUTHORIZED,
                        "%s refused the %s request: unauthorized (%s); %s",
                        videoroom ? "the room" : "the mountpoint", what, reason,
                        target->token ? "check the token given with --token"
                                    : "it needs a token: pass it with --token");
  if (videoroom && code == VIDEOROOM_ERROR_INVALID_SDP)
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL,
                        "Janus rejected Beacon's session description: %s", reason);
  if (streaming && code == STREAMING_ERROR_NO_SUCH_MOUNTPOINT)
    return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                        "mountpoint %" G_GINT64_FORMAT " does not exist on %s",
                        target->mountpoint, target->url);

  return g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_SERVER,
                      "Janus %s refused the %s request: %s (error %" G_GINT64_FORMAT ")",
                      videoroom ? "VideoRoom" : streaming ? "Streaming" : "plugin",
                      what, reason, code);
}

GError *
beacon_janus_error_from_reply (const BeaconJanusTarget *target,
                               JsonObject              *reply,
                               const char              *what)
{
  JsonObject *plugindata = beacon_janus_get_object (reply, "plugindata");
  JsonObject *data = beacon_janus_get_object (plugindata, "data");

  if (g_strcmp0 (beacon_janus_get_string (reply, "janus"), "error") == 0)
    return beacon_janus_describe_core_error (target, reply, what);
  if (data != NULL && json_object_has_member (data, "error_code"))
    return beacon_janus_describe_plugin_error (target,
                                               beacon_janus_get_string (plugindata, "plugin"),
                                               data, what);
  return NULL;
}

gboolean
beacon_janus_choose_feed (JsonObject  *data,
                          gint64       room,
                          const char  *stream_name,
                          gint64      *feed,
                          GError     **error)
{
  JsonArray *participants = beacon_janus_get_array (data, "participants");
  guint n = participants ? json_array_get_length (participants) : 0;
  g_autoptr(GArray) publishers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (participants, i);
      JsonObject *participant = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                              : NULL;
      gint64 id;

      if (!beacon_janus_get_int (participant, "id", &id) ||
          !beacon_janus_get_boolean (participant, "publisher"))
        continue;
      if (*feed < 0 && stream_name != NULL &&
          g_strcmp0 (beacon_janus_get_string (participant, "display"), stream_name) == 0)
        {
          *feed = id;
          return TRUE;
        }
      if (*feed >= 0 && id == *feed)
        return TRUE;
      g_array_append_val (publishers, id);
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len ? ", " : "", id);
    }

  if (*feed >= 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_NOT_FOUND,
                   "room %" G_GINT64_FORMAT " has no publisher %" G_GINT64_FORMAT
                   "%s%s%s", room, *feed,
                   ids->len ? " (publishers: " : "", ids->str, ids->len ? ")" : "");
      return FALSE;
    }
  if (stream_name != NULL)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                   "room %" G_GINT64_FORMAT " has no publisher named '%s'%s%s%s", room,
                   stream_name, ids->len ? " (publishers: " : "", ids->str,
                   ids->len ? ")" : "");
      return FALSE;
    }
  if (publishers->len == 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                   "room %" G_GINT64_FORMAT " has no publisher", room);
      return FALSE;
    }
  if (publishers->len > 1)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND,
                   "room %" G_GINT64_FORMAT " has %u publishers (ids %s): choose one with "
                   "--feed", room, publishers->len, ids->str);
      return FALSE;
    }
  *feed = g_array_index (publishers, gint64, 0);
  return TRUE;
}


/* Events that answer no request */

/* TRUE when a subscriber's "updated" stream list has no audio or video left to receive. */
static gboolean
streams_all_inactive (JsonArray *streams)
{
  guint n = streams ? json_array_get_length (streams) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (streams, i);
      JsonObject *stream = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (g_strcmp0 (beacon_janus_get_string (stream, "type"), "data") == 0)
        continue;
      if (beacon_janus_get_boolean (stream, "active"))
        return FALSE;
    }
  return TRUE;
}

static void
end_media (BeaconJanusEvent *event,
           const char       *reason)
{
  event->kind = BEACON_JANUS_EVENT_MEDIA_ENDED;
  event->reason = g_strdup (reason);
}

static void
read_videoroom_event (JsonObject                   *data,
                      gint64                        sender,
                      const BeaconJanusTarget      *target,
                      const BeaconJanusHandleState *state,
                      BeaconJanusEvent             *event)
{
  const char *kind = beacon_janus_get_string (data, "videoroom");
  gint64 id;

  if (g_strcmp0 (kind, "destroyed") == 0)
    {
      end_media (event, "the room was destroyed");
      return;
    }

  if (state->role == BEACON_SIGNALER_ROLE_WATCH)
    {
      if ((beacon_janus_get_int (data, "unpublished", &id) ||
           beacon_janus_get_int (data, "leaving", &id)) &&
          id == target->feed)
        {
          end_media (event, "the publisher left the room");
          return;
        }
      if (g_strcmp0 (kind, "updated") == 0 && sender == state->media_handle &&
          streams_all_inactive (beacon_janus_get_array (data, "streams")))
        {
          end_media (event, "the publisher stopped publishing");
          return;
        }
    }
  else if (sender == state->media_handle && beacon_janus_get_string (data, "leaving") != NULL)
    {
      /* We did not leave (that clears media_active first): the room removed us. */
      end_media (event, "Janus removed us from the room");
    }
}

static void
read_plugin_event (JsonObject                   *message,
                   const BeaconJanusTarget      *target,
                   const BeaconJanusHandleState *state,
                   BeaconJanusEvent             *event)
{
  JsonObject *plugindata = beacon_janus_get_object (message, "plugindata");
  JsonObject *data = beacon_janus_get_object (plugindata, "data");
  const char *plugin = beacon_janus_get_string (plugindata, "plugin");
  gint64 sender = beacon_janus_get_int_or (message, "sender", 0);

  if (data == NULL)
    return;
  if (json_object_has_member (data, "error_code"))
    {
      /* An error that answers no request of ours concerns the media handle's state. */
      if (sender == state->media_handle && state->media_active)
        {
          event->kind = BEACON_JANUS_EVENT_FAILED;
          event->error = beacon_janus_describe_plugin_error (target, plugin, data, "running");
        }
      else
        {
          g_debug ("Janus reported an error: %s", beacon_janus_get_string (data, "error"));
        }
      return;
    }
  if (g_strcmp0 (plugin, BEACON_JANUS_VIDEOROOM_PLUGIN) == 0)
    read_videoroom_event (data, sender, target, state, event);
  else if (g_strcmp0 (plugin, BEACON_JANUS_STREAMING_PLUGIN) == 0 &&
           sender == state->media_handle &&
           g_strcmp0 (beacon_janus_get_string (beacon_janus_get_object (data, "result"),
                                               "status"), "stopped") == 0)
    end_media (event, "the mountpoint stopped");
}

/* One "candidate" object, or a "candidates" array of them. */
static void
read_trickle (JsonObject                   *message,
              const BeaconJanusHandleState *state,
              BeaconJanusEvent             *event)
{
  JsonObject *candidate = beacon_janus_get_object (message, "candidate");
  JsonArray *candidates = beacon_janus_get_array (message, "candidates");
  guint n = candidates ? json_array_get_length (candidates) : 0;
  g_autoptr(GPtrArray) found = beacon_sdp_candidate_array_new ();

  if (beacon_janus_get_int_or (message, "sender", 0) != state->media_handle ||
      !state->media_active)
    return;

  for (guint i = 0; i <= n; i++)
    {
      JsonObject *entry = candidate;
      BeaconSdpCandidate *entry_candidate;
      const char *text;

      if (i < n)
        {
          JsonNode *node = json_array_get_element (candidates, i);

          entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
        }
      else if (candidates != NULL)
        break;

      text = beacon_janus_get_string (entry, "candidate");
      /* {"completed": true} ends Janus's candidates; webrtcbin needs no word about it. */
      if (entry == NULL || beacon_janus_get_boolean (entry, "completed") || text == NULL)
        continue;
      /* Kept as Janus sent it (beacon_sdp_candidate_new () would strip an "a="). */
      entry_candidate = g_new0 (BeaconSdpCandidate, 1);
      entry_candidate->mline = (guint) beacon_janus_get_int_or (entry, "sdpMLineIndex", 0);
      entry_candidate->candidate = g_strdup (text);
      g_ptr_array_add (found, entry_candidate);
    }
  if (found->len == 0)
    return;
  event->kind = BEACON_JANUS_EVENT_CANDIDATES;
  event->candidates = g_steal_pointer (&found);
}

void
beacon_janus_read_event (JsonObject                   *message,
                         const BeaconJanusTarget      *target,
                         const BeaconJanusHandleState *state,
                         BeaconJanusEvent             *event)
{
  const char *verb = beacon_janus_get_string (message, "janus");
  gint64 sender = beacon_janus_get_int_or (message, "sender", 0);

  g_return_if_fail (target != NULL);
  g_return_if_fail (state != NULL);
  g_return_if_fail (event != NULL);

  memset (event, 0, sizeof *event);
  if (verb == NULL)
    return;

  if (g_str_equal (verb, "event"))
    read_plugin_event (message, target, state, event);
  else if (g_str_equal (verb, "trickle"))
    read_trickle (message, state, event);
  else if (g_str_equal (verb, "webrtcup"))
    g_debug ("Janus: PeerConnection of handle %" G_GINT64_FORMAT " is up", sender);
  else if (g_str_equal (verb, "hangup") && sender != 0 && sender == state->media_handle)
    {
      const char *reason = beacon_janus_get_string (message, "reason");

      event->kind = BEACON_JANUS_EVENT_MEDIA_ENDED;
      event->reason = g_strdup_printf ("hangup (%s)", reason ? reason : "no reason given");
    }
  else if (g_str_equal (verb, "detached") && sender != 0 && sender == state->media_handle)
    end_media (event, "the handle was detached");
  else if (g_str_equal (verb, "timeout"))
    {
      event->kind = BEACON_JANUS_EVENT_FAILED;
      event->error = g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                                  "Janus at %s ended our session (timeout)", target->url);
    }
  else if (g_str_equal (verb, "media") || g_str_equal (verb, "slowlink"))
    g_debug ("Janus: %s on handle %" G_GINT64_FORMAT, verb, sender);
}

void
beacon_janus_event_clear (BeaconJanusEvent *event)
{
  g_clear_pointer (&event->reason, g_free);
  g_clear_error (&event->error);
  g_clear_pointer (&event->candidates, g_ptr_array_unref);
  event->kind = BEACON_JANUS_EVENT_NONE;
}

/* beacon-gst-protocol.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-gst-protocol.h"
#include "beacon-json.h"

/* ICE m-line indices are small; anything beyond a 16-bit value is garbage or an attack. */
#define MAX_SDP_MLINE_INDEX 65535

G_DEFINE_QUARK (beacon-gst-protocol-error, beacon_gst_protocol_error)

static const struct {
  BeaconGstMessageType type;
  const char          *name;
} message_types[] = {
  { BEACON_GST_MESSAGE_WELCOME, "welcome" },
  { BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION, "setProtocolVersion" },
  { BEACON_GST_MESSAGE_SET_PEER_STATUS, "setPeerStatus" },
  { BEACON_GST_MESSAGE_PEER_STATUS_CHANGED, "peerStatusChanged" },
  { BEACON_GST_MESSAGE_LIST, "list" },
  { BEACON_GST_MESSAGE_LIST_CONSUMERS, "listConsumers" },
  { BEACON_GST_MESSAGE_START_SESSION, "startSession" },
  { BEACON_GST_MESSAGE_SESSION_STARTED, "sessionStarted" },
  { BEACON_GST_MESSAGE_PEER_SDP, "peer" },
  { BEACON_GST_MESSAGE_PEER_ICE, "peer" },
  { BEACON_GST_MESSAGE_END_SESSION, "endSession" },
  { BEACON_GST_MESSAGE_ERROR, "error" },
};

static const struct {
  BeaconGstRoles role;
  const char    *name;
} role_names[] = {
  { BEACON_GST_ROLE_PRODUCER, "producer" },
  { BEACON_GST_ROLE_LISTENER, "listener" },
  { BEACON_GST_ROLE_CONSUMER, "consumer" },
};

const char *
beacon_gst_message_type_to_string (BeaconGstMessageType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (message_types); i++)
    {
      if (message_types[i].type == type)
        return message_types[i].name;
    }

  return NULL;
}

BeaconGstPeerInfo *
beacon_gst_peer_info_new (const char *id,
                          JsonObject *meta)
{
  BeaconGstPeerInfo *info;

  info = g_new0 (BeaconGstPeerInfo, 1);
  info->id = g_strdup (id);
  info->meta = meta != NULL ? json_object_ref (meta) : NULL;

  return info;
}

void
beacon_gst_peer_info_free (BeaconGstPeerInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_clear_pointer (&info->meta, json_object_unref);
  g_free (info);
}

BeaconGstMessage *
beacon_gst_message_new (BeaconGstMessageType type)
{
  BeaconGstMessage *message;

  message = g_new0 (BeaconGstMessage, 1);
  message->type = type;

  return message;
}

void
beacon_gst_message_free (BeaconGstMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->peer_id);
  g_free (message->session_id);
  g_clear_pointer (&message->meta, json_object_unref);
  g_free (message->sdp_type);
  g_free (message->sdp);
  g_free (message->candidate);
  g_clear_pointer (&message->peers, g_ptr_array_unref);
  g_free (message->details);
  g_free (message);
}

/* Parsing */

/* json-glib turns escapes such as an unpaired "\ud800" into bytes that are not UTF-8. Such a
 * string must not reach a WebSocket text frame (libsoup refuses it with a critical), so the
 * whole tree is checked once here. The depth was bounded before parsing. */
static gboolean
node_is_valid_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, object);
        while (json_object_iter_next (&iter, &name, &member))
          {
            if (!g_utf8_validate (name, -1, NULL) || !node_is_valid_utf8 (member))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          {
            if (!node_is_valid_utf8 (json_array_get_element (array, i)))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_utf8_validate (json_node_get_string (node), -1, NULL);
      return TRUE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL
         && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static void
set_missing_field_error (GError    **error,
                         const char *field,
                         const char *expected)
{
  g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
               "message field '%s' is missing or not %s", field, expected);
}

/* @field names the member inside @object; @path is the name used in error messages (for
 * nested members, "sdp.type"). An optional string may be absent or null. */
static gboolean
read_string (JsonObject  *object,
             const char  *field,
             const char  *path,
             gboolean     optional,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (optional && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    {
      *out = NULL;
      return TRUE;
    }

  if (!node_is_string (node))
    {
      set_missing_field_error (error, path, "a string");
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* "meta" is free-form. Where @strict, anything other than absent, null or an object is an
 * error; otherwise (messages from a server we do not control) it is ignored. */
static gboolean
read_meta (JsonObject  *object,
           const char  *path,
           gboolean     strict,
           JsonObject **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, "meta");

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      *out = json_object_ref (json_node_get_object (node));
      return TRUE;
    }

  if (!strict)
    return TRUE;

  g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
               "message field '%s' is not an object or null", path);
  return FALSE;
}

static gboolean
read_roles (JsonObject     *object,
            BeaconGstRoles *out,
            GError        **error)
{
  JsonNode *node = json_object_get_member (object, "roles");
  JsonArray *array;
  BeaconGstRoles roles = BEACON_GST_ROLE_NONE;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_missing_field_error (error, "roles", "an array");
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *name;
      gboolean known = FALSE;

      if (!node_is_string (element))
        {
          g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                       "message field 'roles' has an element that is not a string");
          return FALSE;
        }

      name = json_node_get_string (element);
      for (guint j = 0; j < G_N_ELEMENTS (role_names); j++)
        {
          if (g_strcmp0 (name, role_names[j].name) == 0)
            {
              roles |= role_names[j].role;
              known = TRUE;
              break;
            }
        }

      if (!known)
        {
          g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                       "message field 'roles' has an unknown role '%s'", name);
          return FALSE;
        }
    }

  *out = roles;
  return TRUE;
}

/* The request forms of "list" and "listConsumers" carry no array; the replies do. */
static gboolean
read_peers (JsonObject *object,
            const char *field,
            GPtrArray **out,
            GError    **error)
{
  g_autoptr(GPtrArray) peers = NULL;
  JsonNode *node = json_object_get_member (object, field);
  JsonArray *array;
  guint n;

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                   "message field '%s' is not an array", field);
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  peers = g_ptr_array_new_full (n, (GDestroyNotify) beacon_gst_peer_info_free);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = NULL;
      g_autofree char *id = NULL;
      g_autoptr(JsonObject) meta = NULL;
      JsonObject *peer;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                       "message field '%s' has an element that is not an object", field);
          return FALSE;
        }

      peer = json_node_get_object (element);
      path = g_strdup_printf ("%s[%u].id", field, i);
      if (!read_string (peer, "id", path, FALSE, &id, error))
        return FALSE;

      read_meta (peer, NULL, FALSE, &meta, NULL);
      g_ptr_array_add (peers, beacon_gst_peer_info_new (id, meta));
    }

  *out = g_steal_pointer (&peers);
  return TRUE;
}

static gboolean
read_peer_status (JsonObject       *object,
                  BeaconGstMessage *message,
                  gboolean          strict_meta,
                  GError          **error)
{
  return read_roles (object, &message->roles, error)
         && read_meta (object, "meta", strict_meta, &message->meta, error)
         && read_string (object, "peerId", "peerId", TRUE, &message->peer_id, error);
}

static gboolean
read_sdp (JsonNode         *node,
          BeaconGstMessage *message,
          GError          **error)
{
  JsonObject *sdp;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_missing_field_error (error, "sdp", "an object");
      return FALSE;
    }

  sdp = json_node_get_object (node);
  if (!read_string (sdp, "type", "sdp.type", FALSE, &message->sdp_type, error))
    return FALSE;

  if (g_strcmp0 (message->sdp_type, "offer") != 0 && g_strcmp0 (message->sdp_type, "answer") != 0)
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                   "message field 'sdp.type' is '%s', not 'offer' or 'answer'",
                   message->sdp_type);
      return FALSE;
    }

  return read_string (sdp, "sdp", "sdp.sdp", FALSE, &message->sdp, error);
}

static gboolean
read_ice (JsonNode         *node,
          BeaconGstMessage *message,
          GError          **error)
{
  JsonObject *ice;
  JsonNode *index;
  gint64 value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_missing_field_error (error, "ice", "an object");
      return FALSE;
    }

  ice = json_node_get_object (node);
  if (!read_string (ice, "candidate", "ice.candidate", FALSE, &message->candidate, error))
    return FALSE;

  /* Only integers: like the reference implementation (a u32), 1.0 or "1" is refused. */
  index = json_object_get_member (ice, "sdpMLineIndex");
  if (index == NULL
      || !JSON_NODE_HOLDS_VALUE (index)
      || json_node_get_value_type (index) != G_TYPE_INT64)
    {
      set_missing_field_error (error, "ice.sdpMLineIndex", "an integer");
      return FALSE;
    }

  value = json_node_get_int (index);
  if (value < 0 || value > MAX_SDP_MLINE_INDEX)
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                   "message field 'ice.sdpMLineIndex' is out of range (0 to %u)",
                   MAX_SDP_MLINE_INDEX);
      return FALSE;
    }

  message->sdp_mline_index = (guint) value;
  return TRUE;
}

static gboolean
read_peer_message (JsonObject       *object,
                   BeaconGstMessage *message,
                   GError          **error)
{
  JsonNode *sdp = json_object_get_member (object, "sdp");
  JsonNode *ice = json_object_get_member (object, "ice");

  if (!read_string (object, "sessionId", "sessionId", FALSE, &message->session_id, error))
    return FALSE;

  if (sdp != NULL && ice != NULL)
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                   "message has both an 'sdp' and an 'ice' field");
      return FALSE;
    }

  if (sdp != NULL)
    {
      message->type = BEACON_GST_MESSAGE_PEER_SDP;
      return read_sdp (sdp, message, error);
    }

  if (ice != NULL)
    {
      message->type = BEACON_GST_MESSAGE_PEER_ICE;
      return read_ice (ice, message, error);
    }

  g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
               "message field 'sdp' or 'ice' is missing");
  return FALSE;
}

static gboolean
lookup_message_type (const char           *name,
                     BeaconGstMessageType *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (message_types); i++)
    {
      if (strcmp (message_types[i].name, name) == 0)
        {
          *out = message_types[i].type;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
read_message_fields (JsonObject       *object,
                     BeaconGstMessage *message,
                     GError          **error)
{
  switch (message->type)
    {
    case BEACON_GST_MESSAGE_WELCOME:
      return read_string (object, "peerId", "peerId", FALSE, &message->peer_id, error);

    case BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION:
      return TRUE;

    case BEACON_GST_MESSAGE_SET_PEER_STATUS:
      return read_peer_status (object, message, TRUE, error);

    case BEACON_GST_MESSAGE_PEER_STATUS_CHANGED:
      return read_peer_status (object, message, FALSE, error);

    case BEACON_GST_MESSAGE_LIST:
      return read_peers (object, "producers", &message->peers, error);

    case BEACON_GST_MESSAGE_LIST_CONSUMERS:
      return read_peers (object, "consumers", &message->peers, error);

    case BEACON_GST_MESSAGE_START_SESSION:
      return read_string (object, "peerId", "peerId", FALSE, &message->peer_id, error)
             && read_string (object, "sessionId", "sessionId", TRUE, &message->session_id, error)
             && read_string (object, "offer", "offer", TRUE, &message->sdp, error);

    case BEACON_GST_MESSAGE_SESSION_STARTED:
      return read_string (object, "peerId", "peerId", FALSE, &message->peer_id, error)
             && read_string (object, "sessionId", "sessionId", FALSE, &message->session_id, error);

    case BEACON_GST_MESSAGE_PEER_SDP:
    case BEACON_GST_MESSAGE_PEER_ICE:
      return read_peer_message (object, message, error);

    case BEACON_GST_MESSAGE_END_SESSION:
      return read_string (object, "sessionId", "sessionId", FALSE, &message->session_id, error);

    case BEACON_GST_MESSAGE_ERROR:
      return read_string (object, "details", "details", FALSE, &message->details, error);

    default:
      g_assert_not_reached ();
    }
}

BeaconGstMessage *
beacon_gst_message_parse (const char *text,
                          gssize      length,
                          GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GError) local_error = NULL;
  BeaconGstMessageType type;
  JsonObject *object;
  JsonNode *type_node;
  const char *type_name;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);

  /* A NUL byte inside the frame fails this check too, so the C strings taken from the tree
   * below can never be silently cut short by the frame itself. */
  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,
                   "message is not valid UTF-8 text");
      return NULL;
    }

  /* The size limit is the largest frame the signalers and the direct server accept. */
  root = beacon_json_parse (text, length, BEACON_JSON_MAX_DEPTH, BEACON_JSON_MAX_SIZE,
                            &local_error);
  if (root == NULL)
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,
                   g_error_matches (local_error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_INVALID)
                   ? "message is not valid JSON: %s" : "message refused: %s",
                   local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,
                   "message is not a JSON object");
      return NULL;
    }

  if (!node_is_valid_utf8 (root))
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,
                   "message has a string that is not valid UTF-8");
      return NULL;
    }

  object = json_node_get_object (root);
  type_node = json_object_get_member (object, "type");
  if (!node_is_string (type_node))
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE,
                   "message field 'type' is missing or not a string");
      return NULL;
    }

  type_name = json_node_get_string (type_node);
  if (!lookup_message_type (type_name, &type))
    {
      g_set_error (error, BEACON_GST_PROTOCOL_ERROR, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE,
                   "unknown message type '%s'", type_name);
      return NULL;
    }

  message = beacon_gst_message_new (type);
  if (!read_message_fields (object, message, error))
    return NULL;

  return g_steal_pointer (&message);
}

/* Serialisation */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_meta (JsonBuilder *builder,
          JsonObject  *meta)
{
  json_builder_set_member_name (builder, "meta");
  if (meta != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, meta);
      json_builder_add_value (builder, g_steal_pointer (&node));
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

static void
add_roles (JsonBuilder   *builder,
           BeaconGstRoles roles)
{
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (roles & role_names[i].role)
        json_builder_add_string_value (builder, role_names[i].name);
    }
  json_builder_end_array (builder);
}

static void
add_peers (JsonBuilder *builder,
           const char  *name,
           GPtrArray   *peers)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < peers->len; i++)
    {
      BeaconGstPeerInfo *info = g_ptr_array_index (peers, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", info->id);
      add_meta (builder, info->meta);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

char *
beacon_gst_message_to_json (const BeaconGstMessage *message)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "type", beacon_gst_message_type_to_string (message->type));

  switch (message->type)
    {
    case BEACON_GST_MESSAGE_WELCOME:
      add_string (builder, "peerId", message->peer_id);
      break;

    case BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION:
      /* The reference serialises its only version, ProtocolVersion::V1_0, this way. */
      add_string (builder, "version", "v1_0");
      break;

    case BEACON_GST_MESSAGE_SET_PEER_STATUS:
    case BEACON_GST_MESSAGE_PEER_STATUS_CHANGED:
      add_roles (builder, message->roles);
      add_meta (builder, message->meta);
      if (message->peer_id != NULL)
        add_string (builder, "peerId", message->peer_id);
      break;

    case BEACON_GST_MESSAGE_LIST:
      if (message->peers != NULL)
        add_peers (builder, "producers", message->peers);
      break;

    case BEACON_GST_MESSAGE_LIST_CONSUMERS:
      if (message->peers != NULL)
        add_peers (builder, "consumers", message->peers);
      break;

    case BEACON_GST_MESSAGE_START_SESSION:
      add_string (builder, "peerId", message->peer_id);
      if (message->session_id != NULL)
        add_string (builder, "sessionId", message->session_id);
      if (message->sdp != NULL)
        add_string (builder, "offer", message->sdp);
      break;

    case BEACON_GST_MESSAGE_SESSION_STARTED:
      add_string (builder, "peerId", message->peer_id);
      add_string (builder, "sessionId", message->session_id);
      break;

    case BEACON_GST_MESSAGE_PEER_SDP:
      add_string (builder, "sessionId", message->session_id);
      json_builder_set_member_name (builder, "sdp");
      json_builder_begin_object (builder);
      add_string (builder, "type", message->sdp_type);
      add_string (builder, "sdp", message->sdp);
      json_builder_end_object (builder);
      break;

    case BEACON_GST_MESSAGE_PEER_ICE:
      add_string (builder, "sessionId", message->session_id);
      json_builder_set_member_name (builder, "ice");
      json_builder_begin_object (builder);
      add_string (builder, "candidate", message->candidate);
      json_builder_set_member_name (builder, "sdpMLineIndex");
      json_builder_add_int_value (builder, message->sdp_mline_index);
      json_builder_end_object (builder);
      break;

    case BEACON_GST_MESSAGE_END_SESSION:
      add_string (builder, "sessionId", message->session_id);
      break;

    case BEACON_GST_MESSAGE_ERROR:
      add_string (builder, "details", message->details);
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* Convenience builders */

char *
beacon_gst_build_welcome (const char *peer_id)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_WELCOME);

  message->peer_id = g_strdup (peer_id);
  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_set_peer_status (BeaconGstRoles roles,
                                  JsonObject    *meta)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_SET_PEER_STATUS);

  message->roles = roles;
  message->meta = meta != NULL ? json_object_ref (meta) : NULL;
  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_list (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_LIST);

  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_start_session (const char *peer_id,
                                const char *offer_sdp)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_START_SESSION);

  message->peer_id = g_strdup (peer_id);
  message->sdp = g_strdup (offer_sdp);
  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_peer_sdp (const char *session_id,
                           const char *sdp_type,
                           const char *sdp)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_SDP);

  message->session_id = g_strdup (session_id);
  message->sdp_type = g_strdup (sdp_type);
  message->sdp = g_strdup (sdp);
  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_peer_ice (const char *session_id,
                           guint       sdp_mline_index,
                           const char *candidate)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_ICE);

  message->session_id = g_strdup (session_id);
  message->sdp_mline_index = sdp_mline_index;
  message->candidate = g_strdup (candidate);
  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_end_session (const char *session_id)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_END_SESSION);

  message->session_id = g_strdup (session_id);
  return beacon_gst_message_to_json (message);
}

char *
beacon_gst_build_error (const char *details)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_ERROR);

  message->details = g_strdup (details);
  return beacon_gst_message_to_json (message);
}

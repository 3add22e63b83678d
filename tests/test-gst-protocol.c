/* test-gst-protocol.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GStreamer WebRTC signalling protocol's messages: every message built and parsed back,
 * the names on the wire, messages of the reference implementation, lengths and type names.
 * What a parser must refuse is in test-gst-protocol-malformed.c.
 */

#include "config.h"

#include "beacon-test-gst-protocol-fixture.h"

/* Helpers */

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

/* Asserts that @object has exactly the members named in the NULL-terminated @names. */
static void
assert_members (JsonObject  *object,
                const char **names)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) names));
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!json_object_has_member (object, names[i]))
        g_error ("member '%s' missing", names[i]);
    }
}

static BeaconGstMessage *
round_trip (const BeaconGstMessage *message)
{
  g_autofree char *text = beacon_gst_message_to_json (message);
  g_autoptr(GError) error = NULL;
  BeaconGstMessage *parsed;

  g_assert_nonnull (text);
  g_test_message ("%s", text);
  parsed = beacon_gst_message_parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  g_assert_cmpint (parsed->type, ==, message->type);

  return parsed;
}

/* Round trips */

static void
test_round_trip_welcome (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_WELCOME);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  message->peer_id = g_strdup ("8d0a4f6e-5c51-4f5c-9c36-0a0b2b8a7c11");
  parsed = round_trip (message);
  g_assert_cmpstr (parsed->peer_id, ==, message->peer_id);
}

static void
test_round_trip_set_protocol_version (void)
{
  g_autoptr(BeaconGstMessage) message =
    beacon_gst_message_new (BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION);
  g_autoptr(BeaconGstMessage) parsed = round_trip (message);

  g_assert_null (parsed->peer_id);
}

static void
test_round_trip_set_peer_status (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_SET_PEER_STATUS);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  message->roles = BEACON_GST_ROLE_PRODUCER | BEACON_GST_ROLE_LISTENER;
  message->meta = json_object_new ();
  json_object_set_string_member (message->meta, "name", "Kitchen camera ✓");
  json_object_set_int_member (message->meta, "viewers", 3);

  parsed = round_trip (message);
  g_assert_cmpint (parsed->roles, ==, BEACON_GST_ROLE_PRODUCER | BEACON_GST_ROLE_LISTENER);
  g_assert_nonnull (parsed->meta);
  g_assert_cmpstr (json_object_get_string_member (parsed->meta, "name"), ==, "Kitchen camera ✓");
  g_assert_cmpint (json_object_get_int_member (parsed->meta, "viewers"), ==, 3);
  g_assert_null (parsed->peer_id);

  /* Without meta and with every role. */
  g_clear_pointer (&message->meta, json_object_unref);
  message->roles = BEACON_GST_ROLE_PRODUCER | BEACON_GST_ROLE_LISTENER | BEACON_GST_ROLE_CONSUMER;
  g_clear_pointer (&parsed, beacon_gst_message_free);
  parsed = round_trip (message);
  g_assert_cmpint (parsed->roles, ==, message->roles);
  g_assert_null (parsed->meta);

  /* No roles at all is valid: that is how a peer withdraws. */
  message->roles = BEACON_GST_ROLE_NONE;
  g_clear_pointer (&parsed, beacon_gst_message_free);
  parsed = round_trip (message);
  g_assert_cmpint (parsed->roles, ==, BEACON_GST_ROLE_NONE);
}

static void
test_round_trip_peer_status_changed (void)
{
  g_autoptr(BeaconGstMessage) message =
    beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  message->roles = BEACON_GST_ROLE_CONSUMER;
  message->peer_id = g_strdup ("peer-1");
  message->meta = json_object_new ();
  json_object_set_boolean_member (message->meta, "audio", TRUE);

  parsed = round_trip (message);
  g_assert_cmpint (parsed->roles, ==, BEACON_GST_ROLE_CONSUMER);
  g_assert_cmpstr (parsed->peer_id, ==, "peer-1");
  g_assert_true (json_object_get_boolean_member (parsed->meta, "audio"));
}

static void
test_round_trip_list (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_LIST);
  g_autoptr(BeaconGstMessage) parsed = NULL;
  g_autoptr(JsonObject) meta = json_object_new ();
  BeaconGstPeerInfo *info;

  /* The request. */
  parsed = round_trip (message);
  g_assert_null (parsed->peers);

  /* An empty reply stays a reply. */
  message->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_gst_peer_info_free);
  g_clear_pointer (&parsed, beacon_gst_message_free);
  parsed = round_trip (message);
  g_assert_nonnull (parsed->peers);
  g_assert_cmpuint (parsed->peers->len, ==, 0);

  json_object_set_string_member (meta, "name", "Studio");
  g_ptr_array_add (message->peers, beacon_gst_peer_info_new ("p1", meta));
  g_ptr_array_add (message->peers, beacon_gst_peer_info_new ("p2", NULL));
  g_clear_pointer (&parsed, beacon_gst_message_free);
  parsed = round_trip (message);
  g_assert_cmpuint (parsed->peers->len, ==, 2);
  info = g_ptr_array_index (parsed->peers, 0);
  g_assert_cmpstr (info->id, ==, "p1");
  g_assert_cmpstr (json_object_get_string_member (info->meta, "name"), ==, "Studio");
  info = g_ptr_array_index (parsed->peers, 1);
  g_assert_cmpstr (info->id, ==, "p2");
  g_assert_null (info->meta);
}

static void
test_round_trip_list_consumers (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_LIST_CONSUMERS);
  g_autoptr(BeaconGstMessage) parsed = NULL;
  BeaconGstPeerInfo *info;

  parsed = round_trip (message);
  g_assert_null (parsed->peers);

  message->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_gst_peer_info_free);
  g_ptr_array_add (message->peers, beacon_gst_peer_info_new ("c1", NULL));
  g_clear_pointer (&parsed, beacon_gst_message_free);
  parsed = round_trip (message);
  g_assert_cmpuint (parsed->peers->len, ==, 1);
  info = g_ptr_array_index (parsed->peers, 0);
  g_assert_cmpstr (info->id, ==, "c1");
}

static void
test_round_trip_start_session (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_START_SESSION);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  /* Peer to server, without an offer. */
  message->peer_id = g_strdup ("producer-1");
  parsed = round_trip (message);
  g_assert_cmpstr (parsed->peer_id, ==, "producer-1");
  g_assert_null (parsed->session_id);
  g_assert_null (parsed->sdp);

  /* Server to peer, with an offer. */
  message->session_id = g_strdup ("session-1");
  message->sdp = g_strdup ("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n");
  g_clear_pointer (&parsed, beacon_gst_message_free);
  parsed = round_trip (message);
  g_assert_cmpstr (parsed->session_id, ==, "session-1");
  g_assert_cmpstr (parsed->sdp, ==, message->sdp);
}

static void
test_round_trip_session_started (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_SESSION_STARTED);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  message->peer_id = g_strdup ("producer-1");
  message->session_id = g_strdup ("session-1");
  parsed = round_trip (message);
  g_assert_cmpstr (parsed->peer_id, ==, "producer-1");
  g_assert_cmpstr (parsed->session_id, ==, "session-1");
}

static void
test_round_trip_peer_sdp (void)
{
  const char *types[] = { "offer", "answer" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_SDP);
      g_autoptr(BeaconGstMessage) parsed = NULL;

      message->session_id = g_strdup ("session-1");
      message->sdp_type = g_strdup (types[i]);
      message->sdp = g_strdup ("v=0\r\ns=\"quoted\" \\ back\\slash\r\n");
      parsed = round_trip (message);
      g_assert_cmpstr (parsed->session_id, ==, "session-1");
      g_assert_cmpstr (parsed->sdp_type, ==, types[i]);
      g_assert_cmpstr (parsed->sdp, ==, message->sdp);
    }
}

static void
test_round_trip_peer_ice (void)
{
  const guint indices[] = { 0, 1, 65535 };

  for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
    {
      g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_ICE);
      g_autoptr(BeaconGstMessage) parsed = NULL;

      message->session_id = g_strdup ("session-1");
      message->candidate = g_strdup ("candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host");
      message->sdp_mline_index = indices[i];
      parsed = round_trip (message);
      g_assert_cmpstr (parsed->candidate, ==, message->candidate);
      g_assert_cmpuint (parsed->sdp_mline_index, ==, indices[i]);
    }

  /* An empty candidate (end of candidates) survives. */
  {
    g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_ICE);
    g_autoptr(BeaconGstMessage) parsed = NULL;

    message->session_id = g_strdup ("session-1");
    message->candidate = g_strdup ("");
    parsed = round_trip (message);
    g_assert_cmpstr (parsed->candidate, ==, "");
  }
}

static void
test_round_trip_end_session (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_END_SESSION);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  message->session_id = g_strdup ("session-1");
  parsed = round_trip (message);
  g_assert_cmpstr (parsed->session_id, ==, "session-1");
}

static void
test_round_trip_error (void)
{
  g_autoptr(BeaconGstMessage) message = beacon_gst_message_new (BEACON_GST_MESSAGE_ERROR);
  g_autoptr(BeaconGstMessage) parsed = NULL;

  message->details = g_strdup ("producer 'x' not found");
  parsed = round_trip (message);
  g_assert_cmpstr (parsed->details, ==, "producer 'x' not found");
}

/* Wire format */

static void
test_wire_names (void)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) meta = json_object_new ();
  JsonObject *inner;
  JsonArray *array;

  text = beacon_gst_build_welcome ("id-1");
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "peerId", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "welcome");
  g_assert_cmpstr (json_object_get_string_member (object, "peerId"), ==, "id-1");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);

  json_object_set_string_member (meta, "name", "n");
  text = beacon_gst_build_set_peer_status (BEACON_GST_ROLE_PRODUCER, meta);
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "roles", "meta", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "setPeerStatus");
  array = json_object_get_array_member (object, "roles");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "producer");
  inner = json_object_get_object_member (object, "meta");
  g_assert_cmpstr (json_object_get_string_member (inner, "name"), ==, "n");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);

  /* A missing meta is written as null, as the reference does. */
  text = beacon_gst_build_set_peer_status (BEACON_GST_ROLE_LISTENER | BEACON_GST_ROLE_CONSUMER,
                                           NULL);
  object = parse_object (text);
  g_assert_true (json_object_get_null_member (object, "meta"));
  array = json_object_get_array_member (object, "roles");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "listener");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "consumer");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);

  text = beacon_gst_build_list ();
  g_assert_cmpstr (text, ==, "{\"type\":\"list\"}");
  g_clear_pointer (&text, g_free);

  text = beacon_gst_build_start_session ("p", NULL);
  g_assert_cmpstr (text, ==, "{\"type\":\"startSession\",\"peerId\":\"p\"}");
  g_clear_pointer (&text, g_free);

  text = beacon_gst_build_start_session ("p", "v=0");
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "peerId", "offer", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "offer"), ==, "v=0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);

  text = beacon_gst_build_peer_sdp ("s", "answer", "v=0\r\n");
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "sessionId", "sdp", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "peer");
  g_assert_cmpstr (json_object_get_string_member (object, "sessionId"), ==, "s");
  inner = json_object_get_object_member (object, "sdp");
  assert_members (inner, (const char *[]) { "type", "sdp", NULL });
  g_assert_cmpstr (json_object_get_string_member (inner, "type"), ==, "answer");
  g_assert_cmpstr (json_object_get_string_member (inner, "sdp"), ==, "v=0\r\n");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);

  text = beacon_gst_build_peer_ice ("s", 2, "candidate:x");
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "sessionId", "ice", NULL });
  inner = json_object_get_object_member (object, "ice");
  assert_members (inner, (const char *[]) { "candidate", "sdpMLineIndex", NULL });
  g_assert_cmpstr (json_object_get_string_member (inner, "candidate"), ==, "candidate:x");
  g_assert_cmpint (json_object_get_int_member (inner, "sdpMLineIndex"), ==, 2);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);

  text = beacon_gst_build_end_session ("s");
  g_assert_cmpstr (text, ==, "{\"type\":\"endSession\",\"sessionId\":\"s\"}");
  g_clear_pointer (&text, g_free);

  text = beacon_gst_build_error ("bad \"thing\"");
  g_assert_cmpstr (text, ==, "{\"type\":\"error\",\"details\":\"bad \\\"thing\\\"\"}");
  g_clear_pointer (&text, g_free);
}

static void
test_wire_names_server_messages (void)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *peer;

  message = beacon_gst_message_new (BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  message->roles = BEACON_GST_ROLE_PRODUCER;
  message->peer_id = g_strdup ("p");
  text = beacon_gst_message_to_json (message);
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "roles", "meta", "peerId", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "peerStatusChanged");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = beacon_gst_message_new (BEACON_GST_MESSAGE_START_SESSION);
  message->peer_id = g_strdup ("c");
  message->session_id = g_strdup ("s");
  text = beacon_gst_message_to_json (message);
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "peerId", "sessionId", NULL });
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = beacon_gst_message_new (BEACON_GST_MESSAGE_SESSION_STARTED);
  message->peer_id = g_strdup ("p");
  message->session_id = g_strdup ("s");
  text = beacon_gst_message_to_json (message);
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "peerId", "sessionId", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "sessionStarted");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = beacon_gst_message_new (BEACON_GST_MESSAGE_LIST_CONSUMERS);
  message->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_gst_peer_info_free);
  g_ptr_array_add (message->peers, beacon_gst_peer_info_new ("c", NULL));
  text = beacon_gst_message_to_json (message);
  object = parse_object (text);
  assert_members (object, (const char *[]) { "type", "consumers", NULL });
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "listConsumers");
  peer = json_array_get_object_element (json_object_get_array_member (object, "consumers"), 0);
  assert_members (peer, (const char *[]) { "id", "meta", NULL });
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = beacon_gst_message_new (BEACON_GST_MESSAGE_LIST);
  message->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_gst_peer_info_free);
  text = beacon_gst_message_to_json (message);
  g_assert_cmpstr (text, ==, "{\"type\":\"list\",\"producers\":[]}");
}

/* Messages exactly as the reference server and clients write them. */
static void
test_parse_reference_messages (void)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  BeaconGstPeerInfo *info;

  message = parse_ok ("{\"type\":\"welcome\",\"peerId\":\"a\"}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_WELCOME);
  g_assert_cmpstr (message->peer_id, ==, "a");
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"setPeerStatus\",\"roles\":[\"listener\"],\"meta\":null,"
                      "\"peerId\":\"a\"}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_SET_PEER_STATUS);
  g_assert_cmpint (message->roles, ==, BEACON_GST_ROLE_LISTENER);
  g_assert_null (message->meta);
  g_assert_cmpstr (message->peer_id, ==, "a");
  g_clear_pointer (&message, beacon_gst_message_free);

  /* meta absent entirely. */
  message = parse_ok ("{\"type\":\"setPeerStatus\",\"roles\":[\"producer\",\"producer\"]}");
  g_assert_cmpint (message->roles, ==, BEACON_GST_ROLE_PRODUCER);
  g_assert_null (message->meta);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"peerStatusChanged\",\"roles\":[\"producer\"],"
                      "\"meta\":{\"name\":\"x\"},\"peerId\":\"p\"}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpstr (json_object_get_string_member (message->meta, "name"), ==, "x");
  g_assert_cmpstr (message->peer_id, ==, "p");
  g_clear_pointer (&message, beacon_gst_message_free);

  /* A server we do not control may send a meta of another type: ignored there. */
  message = parse_ok ("{\"type\":\"peerStatusChanged\",\"roles\":[],\"meta\":\"x\",\"peerId\":\"p\"}");
  g_assert_null (message->meta);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"list\",\"producers\":[{\"id\":\"p1\",\"meta\":null},"
                      "{\"id\":\"p2\"},{\"id\":\"p3\",\"meta\":{\"a\":[1,2]}}]}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_LIST);
  g_assert_cmpuint (message->peers->len, ==, 3);
  info = g_ptr_array_index (message->peers, 2);
  g_assert_cmpstr (info->id, ==, "p3");
  g_assert_nonnull (info->meta);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"listConsumers\"}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_LIST_CONSUMERS);
  g_assert_null (message->peers);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"startSession\",\"peerId\":\"p\",\"offer\":null}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_START_SESSION);
  g_assert_null (message->sdp);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\","
                      "\"sdpMLineIndex\":0,\"sdpMid\":\"0\"}}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpuint (message->sdp_mline_index, ==, 0);
  g_clear_pointer (&message, beacon_gst_message_free);

  message = parse_ok ("{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"type\":\"offer\","
                      "\"sdp\":\"v=0\"}}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_PEER_SDP);
  g_assert_cmpstr (message->sdp_type, ==, "offer");
  g_clear_pointer (&message, beacon_gst_message_free);

  /* setProtocolVersion: contents accepted and ignored. */
  message = parse_ok ("{\"type\":\"setProtocolVersion\",\"version\":\"v1_0\"}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION);
  g_clear_pointer (&message, beacon_gst_message_free);
  message = parse_ok ("{\"type\":\"setProtocolVersion\",\"version\":[{\"x\":null}]}");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION);
  g_clear_pointer (&message, beacon_gst_message_free);

  /* Unknown extra fields are ignored; whitespace is fine. */
  message = parse_ok ("  {\n \"type\" : \"endSession\", \"sessionId\": \"s\", \"extra\": [1, {}] }\n");
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, "s");
}

static void
test_parse_length (void)
{
  const char text[] = "{\"type\":\"list\"}trailing garbage";
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  /* @length bounds the frame: what follows is never read. */
  message = beacon_gst_message_parse (text, strlen ("{\"type\":\"list\"}"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_LIST);

  assert_parse_error (text, -1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
  assert_parse_error (text, 5, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
  assert_parse_error (text, 0, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
  assert_parse_error (NULL, 0, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
}

static void
test_type_names (void)
{
  g_assert_cmpstr (beacon_gst_message_type_to_string (BEACON_GST_MESSAGE_WELCOME), ==, "welcome");
  g_assert_cmpstr (beacon_gst_message_type_to_string (BEACON_GST_MESSAGE_PEER_SDP), ==, "peer");
  g_assert_cmpstr (beacon_gst_message_type_to_string (BEACON_GST_MESSAGE_PEER_ICE), ==, "peer");
  g_assert_cmpstr (beacon_gst_message_type_to_string (BEACON_GST_MESSAGE_LIST_CONSUMERS), ==,
                   "listConsumers");
  g_assert_cmpstr (beacon_gst_message_type_to_string (BEACON_GST_MESSAGE_SET_PROTOCOL_VERSION), ==,
                   "setProtocolVersion");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/gst-protocol/round-trip/welcome", test_round_trip_welcome);
  g_test_add_func ("/beacon/gst-protocol/round-trip/set-protocol-version",
                   test_round_trip_set_protocol_version);
  g_test_add_func ("/beacon/gst-protocol/round-trip/set-peer-status",
                   test_round_trip_set_peer_status);
  g_test_add_func ("/beacon/gst-protocol/round-trip/peer-status-changed",
                   test_round_trip_peer_status_changed);
  g_test_add_func ("/beacon/gst-protocol/round-trip/list", test_round_trip_list);
  g_test_add_func ("/beacon/gst-protocol/round-trip/list-consumers", test_round_trip_list_consumers);
  g_test_add_func ("/beacon/gst-protocol/round-trip/start-session", test_round_trip_start_session);
  g_test_add_func ("/beacon/gst-protocol/round-trip/session-started",
                   test_round_trip_session_started);
  g_test_add_func ("/beacon/gst-protocol/round-trip/peer-sdp", test_round_trip_peer_sdp);
  g_test_add_func ("/beacon/gst-protocol/round-trip/peer-ice", test_round_trip_peer_ice);
  g_test_add_func ("/beacon/gst-protocol/round-trip/end-session", test_round_trip_end_session);
  g_test_add_func ("/beacon/gst-protocol/round-trip/error", test_round_trip_error);
  g_test_add_func ("/beacon/gst-protocol/wire-names", test_wire_names);
  g_test_add_func ("/beacon/gst-protocol/wire-names-server", test_wire_names_server_messages);
  g_test_add_func ("/beacon/gst-protocol/parse-reference", test_parse_reference_messages);
  g_test_add_func ("/beacon/gst-protocol/parse-length", test_parse_length);
  g_test_add_func ("/beacon/gst-protocol/type-names", test_type_names);

  return g_test_run ();
}

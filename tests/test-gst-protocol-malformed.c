/* test-gst-protocol-malformed.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Messages of the GStreamer WebRTC signalling protocol that the parser must refuse: broken
 * JSON, unknown types, wrong fields, deep nesting, oversize messages, embedded NULs, invalid
 * UTF-8 and random mutations of valid messages.
 */

#include "config.h"

#include "beacon-test-gst-protocol-fixture.h"

/* What beacon_gst_message_parse() says about a message nested too deeply. */
#define DEPTH_ERROR "nests deeper than 32 levels"

/* Malformed input */

static void
test_malformed_json (void)
{
  static const char *cases[] = {
    "",
    " ",
    "\n\t",
    "not json",
    "{",
    "}",
    "{\"type\":\"list\"",
    "{\"type\":\"list\",}",
    "{\"type\":\"list\"}}",
    "[]",
    "[{\"type\":\"list\"}]",
    "\"list\"",
    "42",
    "null",
    "true",
    "{\"type\":\"list\" \"x\":1}",
    "\xff\xfe{}",
    "{\"type\":\"\xc3\x28\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      assert_parse_error (cases[i], -1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
    }

  assert_parse_error ("[1]", -1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, "not a JSON object");
}

static void
test_malformed_type (void)
{
  assert_parse_error ("{}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, "'type'");
  assert_parse_error ("{\"peerId\":\"a\"}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, "'type'");
  assert_parse_error ("{\"type\":null}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, "'type'");
  assert_parse_error ("{\"type\":1}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, "'type'");
  assert_parse_error ("{\"type\":[\"list\"]}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, "'type'");
  assert_parse_error ("{\"type\":{\"a\":1}}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, "'type'");
  assert_parse_error ("{\"type\":\"hello\"}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE,
                      "unknown message type 'hello'");
  assert_parse_error ("{\"type\":\"\"}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, NULL);
  assert_parse_error ("{\"type\":\"List\"}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, NULL);
  assert_parse_error ("{\"type\":\"newPeer\"}", -1, BEACON_GST_PROTOCOL_ERROR_UNKNOWN_TYPE, NULL);
}

static void
test_malformed_fields (void)
{
  static const struct {
    const char *text;
    const char *field;
  } cases[] = {
    { "{\"type\":\"welcome\"}", "'peerId' is missing or not a string" },
    { "{\"type\":\"welcome\",\"peerId\":null}", "'peerId'" },
    { "{\"type\":\"welcome\",\"peerId\":7}", "'peerId'" },
    { "{\"type\":\"welcome\",\"peerId\":{}}", "'peerId'" },
    { "{\"type\":\"setPeerStatus\"}", "'roles' is missing or not an array" },
    { "{\"type\":\"setPeerStatus\",\"roles\":\"producer\"}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":null}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[1]}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[null]}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[[\"producer\"]]}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[\"boss\"]}", "unknown role 'boss'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[\"Producer\"]}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[\"producer\",\"\"]}", "'roles'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[],\"meta\":\"x\"}", "'meta'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[],\"meta\":[]}", "'meta'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[],\"meta\":3}", "'meta'" },
    { "{\"type\":\"setPeerStatus\",\"roles\":[],\"peerId\":3}", "'peerId'" },
    { "{\"type\":\"peerStatusChanged\",\"roles\":{}}", "'roles'" },
    { "{\"type\":\"list\",\"producers\":{}}", "'producers'" },
    { "{\"type\":\"list\",\"producers\":null}", "'producers'" },
    { "{\"type\":\"list\",\"producers\":[\"p1\"]}", "'producers'" },
    { "{\"type\":\"list\",\"producers\":[{}]}", "'producers[0].id'" },
    { "{\"type\":\"list\",\"producers\":[{\"id\":\"a\"},{\"id\":1}]}", "'producers[1].id'" },
    { "{\"type\":\"listConsumers\",\"consumers\":1}", "'consumers'" },
    { "{\"type\":\"startSession\"}", "'peerId' is missing or not a string" },
    { "{\"type\":\"startSession\",\"peerId\":true}", "'peerId'" },
    { "{\"type\":\"startSession\",\"peerId\":\"p\",\"offer\":1}", "'offer'" },
    { "{\"type\":\"startSession\",\"peerId\":\"p\",\"offer\":{\"sdp\":\"v=0\"}}", "'offer'" },
    { "{\"type\":\"startSession\",\"peerId\":\"p\",\"sessionId\":[]}", "'sessionId'" },
    { "{\"type\":\"sessionStarted\",\"peerId\":\"p\"}", "'sessionId' is missing or not a string" },
    { "{\"type\":\"sessionStarted\",\"sessionId\":\"s\"}", "'peerId'" },
    { "{\"type\":\"peer\"}", "'sessionId' is missing or not a string" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\"}", "'sdp' or 'ice'" },
    { "{\"type\":\"peer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v\"}}", "'sessionId'" },
    { "{\"type\":\"peer\",\"sessionId\":1,\"sdp\":{\"type\":\"offer\",\"sdp\":\"v\"}}", "'sessionId'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":\"v=0\"}", "'sdp'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":null}", "'sdp'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"sdp\":\"v\"}}", "'sdp.type'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"type\":\"pranswer\",\"sdp\":\"v\"}}",
      "'sdp.type'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"type\":\"Offer\",\"sdp\":\"v\"}}",
      "'sdp.type'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"type\":1,\"sdp\":\"v\"}}", "'sdp.type'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"type\":\"offer\"}}", "'sdp.sdp'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"sdp\":{\"type\":\"offer\",\"sdp\":[]}}", "'sdp.sdp'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":[]}", "'ice'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"sdpMLineIndex\":0}}", "'ice.candidate'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":null,\"sdpMLineIndex\":0}}",
      "'ice.candidate'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\"}}", "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":\"0\"}}",
      "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":null}}",
      "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":1.5}}",
      "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":true}}",
      "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":-1}}",
      "'ice.sdpMLineIndex' is out of range" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":65536}}",
      "'ice.sdpMLineIndex' is out of range" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\","
      "\"sdpMLineIndex\":4294967296}}", "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\","
      "\"sdpMLineIndex\":99999999999999999999999999}}", "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\","
      "\"sdpMLineIndex\":1e999}}", "'ice.sdpMLineIndex'" },
    { "{\"type\":\"peer\",\"sessionId\":\"s\",\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":0},"
      "\"sdp\":{\"type\":\"offer\",\"sdp\":\"v\"}}", "both" },
    { "{\"type\":\"endSession\"}", "'sessionId' is missing or not a string" },
    { "{\"type\":\"endSession\",\"sessionId\":null}", "'sessionId'" },
    { "{\"type\":\"endSession\",\"sessionId\":12}", "'sessionId'" },
    { "{\"type\":\"error\"}", "'details'" },
    { "{\"type\":\"error\",\"details\":{\"a\":1}}", "'details'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].text);
      assert_parse_error (cases[i].text, -1, BEACON_GST_PROTOCOL_ERROR_MISSING_FIELD,
                          cases[i].field);
    }
}

/* A setPeerStatus message nested @levels deep in all: the message object, then objects in
 * "meta", the innermost holding an array. */
static char *
peer_status_with_meta (gsize levels)
{
  GString *text = g_string_new ("{\"type\":\"setPeerStatus\",\"roles\":[],\"meta\":");

  g_assert_cmpuint (levels, >=, 3);
  for (gsize i = 0; i < levels - 2; i++)
    g_string_append (text, "{\"a\":");
  g_string_append (text, "[1]");
  for (gsize i = 0; i < levels - 2; i++)
    g_string_append_c (text, '}');
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static void
test_deep_nesting (void)
{
  /* Deep enough to crash json-glib, small enough (under 1 MiB even as {"a": levels) that the
   * depth limit, not the size limit, is what refuses it. */
  const gsize depth = 100000;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autofree char *meta = NULL;

  /* Unbalanced and balanced, bare and inside a field: all refused before parsing. */
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  assert_parse_error (text->str, text->len, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, DEPTH_ERROR);
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  assert_parse_error (text->str, text->len, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, DEPTH_ERROR);

  meta = peer_status_with_meta (depth);
  assert_parse_error (meta, -1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, DEPTH_ERROR);

  /* Brackets inside strings do not count, even with escaped quotes. */
  g_string_assign (text, "{\"type\":\"error\",\"details\":\"\\\"");
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  g_string_append (text, "\"}");
  message = beacon_gst_message_parse (text->str, text->len, NULL);
  g_assert_nonnull (message);
  g_assert_cmpint (message->type, ==, BEACON_GST_MESSAGE_ERROR);
  g_clear_pointer (&message, beacon_gst_message_free);

  /* Moderate nesting in meta is fine. */
  g_free (meta);
  meta = peer_status_with_meta (22);
  message = parse_ok (meta);
  g_assert_nonnull (message->meta);
  g_clear_pointer (&message, beacon_gst_message_free);

  /* The limit is 32 levels in all: the message object and meta count too. */
  g_free (meta);
  meta = peer_status_with_meta (32);
  message = parse_ok (meta);
  g_assert_nonnull (message->meta);
  g_free (meta);
  meta = peer_status_with_meta (33);
  assert_parse_error (meta, -1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, DEPTH_ERROR);
}

static void
test_oversize (void)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"error\",\"details\":\"");

  /* Larger than any WebSocket frame Beacon accepts (1 MiB). */
  while (text->len < 1024 * 1024)
    g_string_append (text, "xxxxxxxxxxxxxxxx");
  g_string_append (text, "\"}");
  assert_parse_error (text->str, text->len, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,
                      "larger than 1048576 bytes");
}

static void
test_embedded_nul (void)
{
  const char with_nul[] = "{\"type\":\"list\"}\0{\"type\":\"error\"}";
  const char nul_inside[] = "{\"type\":\"welcome\",\"peerId\":\"a\0b\"}";
  const char only_nul[] = "\0";

  assert_parse_error (with_nul, sizeof with_nul - 1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
  assert_parse_error (nul_inside, sizeof nul_inside - 1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON,
                      NULL);
  assert_parse_error (only_nul, 1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, NULL);
}

static void
test_invalid_utf8 (void)
{
  /* Raw bytes that are not UTF-8. */
  assert_parse_error ("{\"type\":\"welcome\",\"peerId\":\"\xc0\xaf\"}", -1,
                      BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, "UTF-8");
  /* An escaped lone surrogate, which json-glib turns into invalid UTF-8 (swallowing the next
   * character), anywhere in the tree, including keys and meta, which are forwarded verbatim. */
  assert_parse_error ("{\"type\":\"welcome\",\"peerId\":\"\\ud800xx\"}", -1,
                      BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, "UTF-8");
  assert_parse_error ("{\"type\":\"setPeerStatus\",\"roles\":[],\"meta\":{\"\\udfffxx\":1}}", -1,
                      BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, "UTF-8");
  assert_parse_error ("{\"type\":\"setPeerStatus\",\"roles\":[],\"meta\":{\"a\":[\"\\ud834xx\"]}}",
                      -1, BEACON_GST_PROTOCOL_ERROR_INVALID_JSON, "UTF-8");

  /* A proper surrogate pair is fine. */
  {
    g_autoptr(BeaconGstMessage) message =
      parse_ok ("{\"type\":\"welcome\",\"peerId\":\"\\ud834\\udd1e\"}");

    g_assert_cmpstr (message->peer_id, ==, "\xf0\x9d\x84\x9e");
  }
}

/* Every prefix and many single-byte corruptions of valid messages: each must either parse or
 * fail with an error, never crash or warn. */
static void
test_mutations (void)
{
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  static const char replacements[] = "{}[]\",:\\0-1e.nulltrue \xff";

  g_ptr_array_add (samples, beacon_gst_build_welcome ("abc"));
  g_ptr_array_add (samples, beacon_gst_build_set_peer_status (BEACON_GST_ROLE_PRODUCER, NULL));
  g_ptr_array_add (samples, beacon_gst_build_start_session ("p", "v=0"));
  g_ptr_array_add (samples, beacon_gst_build_peer_sdp ("s", "offer", "v=0\r\n"));
  g_ptr_array_add (samples, beacon_gst_build_peer_ice ("s", 1, "candidate:1"));
  g_ptr_array_add (samples, beacon_gst_build_end_session ("s"));
  g_ptr_array_add (samples, g_strdup ("{\"type\":\"list\",\"producers\":[{\"id\":\"p\",\"meta\":"
                                      "{\"x\":[1,{\"y\":null}]}}]}"));

  for (guint s = 0; s < samples->len; s++)
    {
      const char *sample = g_ptr_array_index (samples, s);
      gsize len = strlen (sample);

      for (gsize prefix = 0; prefix <= len; prefix++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(BeaconGstMessage) message = beacon_gst_message_parse (sample, prefix, &error);

          g_assert_true ((message == NULL) != (error == NULL));
          if (prefix == len)
            g_assert_nonnull (message);
        }

      for (guint round = 0; round < 500; round++)
        {
          g_autofree char *copy = g_strdup (sample);
          g_autoptr(GError) error = NULL;
          g_autoptr(BeaconGstMessage) message = NULL;
          guint n = g_rand_int_range (rand, 1, 4);

          for (guint k = 0; k < n; k++)
            {
              gsize at = g_rand_int_range (rand, 0, len);

              copy[at] = replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
            }

          message = beacon_gst_message_parse (copy, len, &error);
          g_assert_true ((message == NULL) != (error == NULL));
          if (message != NULL)
            {
              /* Whatever parsed must serialise again. */
              g_autofree char *again = beacon_gst_message_to_json (message);

              g_assert_nonnull (again);
              g_assert_true (g_utf8_validate (again, -1, NULL));
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/beacon/gst-protocol/malformed/json", test_malformed_json);
  g_test_add_func ("/beacon/gst-protocol/malformed/type", test_malformed_type);
  g_test_add_func ("/beacon/gst-protocol/malformed/fields", test_malformed_fields);
  g_test_add_func ("/beacon/gst-protocol/malformed/deep-nesting", test_deep_nesting);
  g_test_add_func ("/beacon/gst-protocol/malformed/oversize", test_oversize);
  g_test_add_func ("/beacon/gst-protocol/malformed/embedded-nul", test_embedded_nul);
  g_test_add_func ("/beacon/gst-protocol/malformed/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/beacon/gst-protocol/malformed/mutations", test_mutations);

  return g_test_run ();
}

/* test-json.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-json.h"

/* Far deeper than json-glib's recursion survives: the crash measured with a Janus server. */
#define HOSTILE_DEPTH 100000

static JsonNode *
parse (const char *text,
       gssize      length,
       GError    **error)
{
  return beacon_json_parse (text, length, BEACON_JSON_MAX_DEPTH, BEACON_JSON_MAX_SIZE, error);
}

static void
assert_refused (const char *text,
                gssize      length,
                int         code,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = parse (text, length, &error);

  g_assert_null (root);
  g_assert_error (error, BEACON_JSON_ERROR, code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("expected '%s' in the error message '%s'", message_part, error->message);
}

static void
assert_too_deep (const char *text)
{
  assert_refused (text, -1, BEACON_JSON_ERROR_TOO_DEEP, "nests deeper than 32 levels");
}

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static void
assert_parses (const char *text)
{
  g_autoptr(JsonNode) root = parse_ok (text);
}

/* @depth copies of @open, @middle, then @depth copies of @close. */
static char *
nest (const char *open,
      const char *middle,
      const char *close,
      gsize       depth)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < depth; i++)
    g_string_append (text, open);
  g_string_append (text, middle);
  for (gsize i = 0; i < depth; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

static void
test_deep_arrays (void)
{
  g_autofree char *balanced = nest ("[", "1", "]", HOSTILE_DEPTH);
  g_autofree char *unbalanced = nest ("[", "", "", HOSTILE_DEPTH);

  assert_too_deep (balanced);
  assert_too_deep (unbalanced);
}

static void
test_deep_objects (void)
{
  g_autofree char *balanced = nest ("{\"a\":", "1", "}", HOSTILE_DEPTH);
  g_autofree char *unbalanced = nest ("{\"a\":", "", "", HOSTILE_DEPTH);
  g_autofree char *mixed = nest ("{\"a\":[", "1", "]}", HOSTILE_DEPTH / 2);
  g_autofree char *inside = NULL;

  assert_too_deep (balanced);
  assert_too_deep (unbalanced);
  assert_too_deep (mixed);

  /* Deep nesting in one member of an otherwise ordinary message. */
  inside = g_strconcat ("{\"janus\":\"success\",\"transaction\":\"t\",\"data\":", balanced, "}",
                        NULL);
  assert_too_deep (inside);
}

static void
test_limit (void)
{
  g_autofree char *arrays_at_limit = nest ("[", "1", "]", BEACON_JSON_MAX_DEPTH);
  g_autofree char *arrays_over = nest ("[", "1", "]", BEACON_JSON_MAX_DEPTH + 1);
  g_autofree char *mixed_at_limit = nest ("{\"a\":[", "1", "]}", BEACON_JSON_MAX_DEPTH / 2);
  g_autofree char *mixed_over = nest ("{\"a\":[", "{}", "]}", BEACON_JSON_MAX_DEPTH / 2);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_cmpuint (BEACON_JSON_MAX_DEPTH, ==, 32);

  root = parse_ok (arrays_at_limit);
  node = root;
  for (guint i = 1; i < BEACON_JSON_MAX_DEPTH; i++)
    node = json_array_get_element (json_node_get_array (node), 0);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (node), 0), ==, 1);
  g_clear_pointer (&root, json_node_unref);

  root = parse_ok (mixed_at_limit);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_clear_pointer (&root, json_node_unref);

  assert_too_deep (arrays_over);
  assert_too_deep (mixed_over);

  /* Depth counts open levels, not brackets in total: many siblings are fine. */
  {
    g_autoptr(GString) siblings = g_string_new ("[");

    for (guint i = 0; i < 10000; i++)
      g_string_append (siblings, i == 0 ? "[[]]" : ",[[]]");
    g_string_append_c (siblings, ']');
    root = parse_ok (siblings->str);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 10000);
    g_clear_pointer (&root, json_node_unref);
  }

  /* A caller may ask for less. */
  root = beacon_json_parse ("[[1]]", -1, 1, BEACON_JSON_MAX_SIZE, &error);
  g_assert_error (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "the JSON text nests deeper than 1 levels");
  g_assert_null (root);
}

static void
test_brackets_in_strings (void)
{
  g_autofree char *brackets = nest ("[{", "", "", HOSTILE_DEPTH);
  g_autofree char *closing = nest ("]}", "", "", HOSTILE_DEPTH);
  g_autofree char *in_value = g_strconcat ("{\"sdp\":\"", brackets, "\"}", NULL);
  g_autofree char *in_name = g_strconcat ("{\"", brackets, "\":1}", NULL);
  g_autofree char *closers = g_strconcat ("{\"a\":\"", closing, "\",\"b\":", NULL);
  g_autofree char *deep = nest ("[", "", "]", BEACON_JSON_MAX_DEPTH + 1);
  g_autofree char *closers_then_deep = g_strconcat (closers, deep, "}", NULL);
  g_autoptr(JsonNode) root = NULL;

  root = parse_ok (in_value);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (root), "sdp")),
                    ==, 2 * HOSTILE_DEPTH);
  g_clear_pointer (&root, json_node_unref);

  assert_parses (in_name);

  /* Closing brackets in a string must not hide real depth that follows it. */
  assert_too_deep (closers_then_deep);
}

static void
test_escapes_in_strings (void)
{
  g_autofree char *brackets = nest ("[", "", "", HOSTILE_DEPTH);
  g_autofree char *deep = nest ("[", "1", "]", BEACON_JSON_MAX_DEPTH + 1);
  g_autofree char *after_escaped_quote = g_strconcat ("[\"\\\"", brackets, "\"]", NULL);
  g_autofree char *after_unicode_quote = g_strconcat ("[\"\\u0022", brackets, "\"]", NULL);
  g_autofree char *after_backslashes = g_strconcat ("[\"\\\\\\\\\\\"", brackets, "\"]", NULL);
  g_autofree char *escaped_backslash_ends = g_strconcat ("[\"\\\\\",", deep, "]", NULL);
  g_autoptr(JsonNode) root = NULL;

  /* "\"[[[…": the escaped quote does not end the string, so the brackets are text. */
  root = parse_ok (after_escaped_quote);
  g_assert_cmpuint (strlen (json_array_get_string_element (json_node_get_array (root), 0)),
                    ==, HOSTILE_DEPTH + 1);
  g_clear_pointer (&root, json_node_unref);

  assert_parses (after_unicode_quote);

  /* "\\\\\"[[[…": two escaped backslashes, then an escaped quote; still inside the string. */
  assert_parses (after_backslashes);

  /* "\\" is a complete string: the quote after the escaped backslash ends it, and the depth
   * after it counts. */
  assert_too_deep (escaped_backslash_ends);
}

static void
test_size (void)
{
  g_autofree char *text = g_strnfill (BEACON_JSON_MAX_SIZE, ' ');
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* Exactly the limit is allowed. */
  text[0] = '[';
  text[BEACON_JSON_MAX_SIZE - 1] = ']';
  root = parse_ok (text);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_clear_pointer (&root, json_node_unref);

  root = beacon_json_parse (text, -1, BEACON_JSON_MAX_DEPTH, BEACON_JSON_MAX_SIZE - 1, &error);
  g_assert_null (root);
  g_assert_error (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "larger than 1048575 bytes"));
}

static void
test_length (void)
{
  const char text[] = "{\"a\":[1,2]}garbage";
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* Only @length bytes count, for the depth scan as for the parser. */
  root = parse (text, strlen ("{\"a\":[1,2]}"), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_clear_pointer (&root, json_node_unref);

  root = parse ("[[[[", 2, &error);
  g_assert_error (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_INVALID);
  g_assert_null (root);
  g_clear_error (&error);

  root = parse (NULL, 0, &error);
  g_assert_error (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_INVALID);
  g_assert_null (root);
}

static void
test_invalid (void)
{
  g_autofree char *brackets = nest ("[", "", "", BEACON_JSON_MAX_DEPTH);
  g_autofree char *open_string = nest ("[", "", "", HOSTILE_DEPTH);
  g_autofree char *unterminated_deep = g_strconcat (brackets, "1", NULL);
  g_autofree char *unterminated_string = g_strconcat ("[\"", open_string, NULL);
  const char *cases[] = {
    "",
    "   ",
    "[1,2",
    "{\"a\":",
    "{\"a\"",
    "\"abc",
    "[\"abc\\",
    "{\"a\":1}}",
    "]]]]",
    "nul",
    "{\"a\":1,}",
    unterminated_deep,
    unterminated_string,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %.40s", i, cases[i]);
      assert_refused (cases[i], -1, BEACON_JSON_ERROR_INVALID, NULL);
    }
}

static void
test_legal_messages (void)
{
  /* Shapes of the deepest messages of each protocol Beacon reads. */
  const char *cases[] = {
    "{\"janus\":\"event\",\"session_id\":1,\"sender\":2,\"transaction\":\"t\","
    "\"plugindata\":{\"plugin\":\"janus.plugin.videoroom\",\"data\":{\"videoroom\":\"attached\","
    "\"room\":1234,\"streams\":[{\"type\":\"data\",\"mindex\":2,\"mid\":\"2\",\"sources\":"
    "[{\"id\":5,\"display\":\"a\"}]}]}},\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}",
    "{\"janus\":\"event\",\"plugindata\":{\"plugin\":\"janus.plugin.videoroom\",\"data\":"
    "{\"videoroom\":\"joined\",\"publishers\":[{\"id\":1,\"display\":\"x\",\"streams\":"
    "[{\"type\":\"video\",\"mindex\":0,\"mid\":\"0\",\"codec\":\"vp8\",\"simulcast\":true}]}]}}}",
    "{\"type\":\"list\",\"producers\":[{\"id\":\"p\",\"meta\":{\"name\":\"n\",\"a\":{\"b\":[1]}}}]}",
    "{\"sha256:AB\":{\"fingerprint\":\"sha256:AB\",\"remembered\":\"2026-01-01T00:00:00Z\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = parse_ok (cases[i]);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/json/deep/arrays", test_deep_arrays);
  g_test_add_func ("/beacon/json/deep/objects", test_deep_objects);
  g_test_add_func ("/beacon/json/deep/limit", test_limit);
  g_test_add_func ("/beacon/json/strings/brackets", test_brackets_in_strings);
  g_test_add_func ("/beacon/json/strings/escapes", test_escapes_in_strings);
  g_test_add_func ("/beacon/json/size", test_size);
  g_test_add_func ("/beacon/json/length", test_length);
  g_test_add_func ("/beacon/json/invalid", test_invalid);
  g_test_add_func ("/beacon/json/legal-messages", test_legal_messages);

  return g_test_run ();
}

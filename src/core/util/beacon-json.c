/* beacon-json.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-json.h"

G_DEFINE_QUARK (beacon-json-error, beacon_json_error)

/* Counts bracket nesting outside string literals, in one pass and without recursion, so that
 * its cost does not depend on how hostile the text is. It validates nothing else: it only has
 * to be right about texts json-glib would accept, and harmless on the rest (an unterminated
 * string or unbalanced brackets are left for json-glib to refuse). */
static gboolean
check_depth (const char *data,
             gsize       length,
             guint       max_depth,
             GError    **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_TOO_DEEP,
                           "the JSON text nests deeper than %u levels", max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

/**
 * beacon_json_parse:
 * @data: the JSON text; need not be NUL-terminated when @length is given
 * @length: the length of @data in bytes, or -1 when it is NUL-terminated
 * @max_depth: how deep arrays and objects may nest; 1 allows `[1]` but not `[[1]]`
 * @max_size: how many bytes @data may have
 * @error: a #BEACON_JSON_ERROR
 *
 * Refuses texts larger than @max_size or nested deeper than @max_depth before json-glib
 * sees them, then parses with json-glib.
 *
 * Returns: (transfer full): the root node, never %NULL on success
 */
JsonNode *
beacon_json_parse (const char  *data,
                   gssize       length,
                   guint        max_depth,
                   gsize        max_size,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);

  if ((gsize) length > max_size)
    {
      g_set_error (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_TOO_LARGE,
                   "the JSON text is larger than %" G_GSIZE_FORMAT " bytes", max_size);
      return NULL;
    }
  if (!check_depth (data, length, max_depth, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error_literal (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_INVALID,
                           local_error->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  /* json-glib accepts an empty or all-blank text and gives no root. */
  if (root == NULL)
    {
      g_set_error_literal (error, BEACON_JSON_ERROR, BEACON_JSON_ERROR_INVALID,
                           "the JSON text is empty");
      return NULL;
    }

  return root;
}

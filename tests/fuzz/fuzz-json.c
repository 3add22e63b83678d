/* fuzz-json.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-json.h"
#include "fuzz-common.h"

/* Any JSON text from outside the process goes through beacon_json_parse (): it must refuse
 * deep nesting before json-glib recurses, and never read past @length. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) shallow = NULL;
  g_autoptr(JsonNode) deep = NULL;
  g_autoptr(GError) error = NULL;

  /* The input is not NUL-terminated, as a WebSocket payload is not. */
  shallow = beacon_json_parse ((const char *) data, size, 4, 64 * 1024, &error);
  g_assert_true ((shallow == NULL) == (error != NULL));
  g_clear_error (&error);

  deep = beacon_json_parse ((const char *) data, size, BEACON_JSON_MAX_DEPTH,
                            BEACON_JSON_MAX_SIZE, &error);
  g_assert_true ((deep == NULL) == (error != NULL));
  /* A looser limit accepts whatever a tighter one does, and reads it the same. */
  if (shallow != NULL)
    {
      if (deep == NULL)
        g_error ("accepted at depth 4 but not at %d: %s", BEACON_JSON_MAX_DEPTH, error->message);
      g_assert_true (json_node_equal (shallow, deep));
    }
  return 0;
}

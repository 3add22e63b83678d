/* fuzz-link-header.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-link-header.h"
#include "fuzz-common.h"

/* The Link header values of a WHIP/WHEP response (RFC 8288, ICE servers as in RFC 9725), as
 * libsoup folds several headers into one. Every URL that comes out is handed to webrtcbin. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *header = fuzz_dup_string (data, size);
  g_auto(GStrv) servers = beacon_link_header_parse_ice_servers (header);

  for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (servers[i], "stun://") ||
                     g_str_has_prefix (servers[i], "stuns://") ||
                     g_str_has_prefix (servers[i], "turn://") ||
                     g_str_has_prefix (servers[i], "turns://"));
      if (!g_uri_is_valid (servers[i], G_URI_FLAGS_ENCODED, NULL))
        g_error ("not a URL: %s", servers[i]);
    }
  return 0;
}

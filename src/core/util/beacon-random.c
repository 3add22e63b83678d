/* beacon-random.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-random.h"

#include <openssl/rand.h>

char *
beacon_random_hex (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  GString *text = g_string_sized_new (2 * n_bytes);

  g_return_val_if_fail (n_bytes > 0 && n_bytes <= G_MAXINT, NULL);

  if (RAND_bytes (bytes, (int) n_bytes) != 1)
    g_error ("OpenSSL's random generator failed: refusing to run without one");
  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
  return g_string_free (text, FALSE);
}

/* beacon-random.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @n_bytes from OpenSSL's CSPRNG as lower-case hex (2 × @n_bytes characters), for secrets and
 * for names others must not guess (tokens, resource URLs, ETags). GLib's g_random_* and
 * g_uuid_string_random () are not meant for that. Aborts if the CSPRNG fails: there is no
 * safe way to go on without one. */
char *beacon_random_hex (gsize n_bytes);

G_END_DECLS

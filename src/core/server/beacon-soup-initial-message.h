/* beacon-soup-initial-message.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Lets go of @msg, the first message of a server connection that ended before any request
 * was read on it (its TLS handshake failed, timed out or was cut), taking the caller's
 * reference. libsoup before 3.3 keeps such a message in a reference cycle with its
 * connection (the message refs the connection, the connection keeps its "initial message"),
 * so neither is ever freed: about 22 KB a connection with the TLS session, which a stranger
 * can multiply by opening connections and closing them unused. Fixed in libsoup 3.3.0
 * (commit 6308303e, "server-connection: fix dep cycle and connection leak").
 *
 * The cycle is recognised, not assumed: once the main loop is idle, a message that is still
 * alive although nobody but its connection can hold it (no request was read, so no handler
 * ever saw it) is in the cycle, and the connection's reference is dropped; the connection's
 * finalize does not touch it in libsoup 3.2. A libsoup that breaks the cycle itself frees the
 * message first, and then nothing is done. */
void beacon_soup_release_unused_initial_message (SoupServerMessage *msg);

G_END_DECLS

/* beacon-websocket-limit.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_TYPE_WEBSOCKET_LIMIT (beacon_websocket_limit_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWebsocketLimit, beacon_websocket_limit, BEACON, WEBSOCKET_LIMIT,
                      GIOStream)

/* A stream for the server side of a WebSocket connection, put between the upgraded HTTP
 * connection @base and the SoupWebsocketConnection reading it. It passes every byte through
 * unchanged, follows the frame headers the client sends, and fails the read (with
 * G_IO_ERROR_MESSAGE_TOO_LARGE) that would take one message, all its fragments together, over
 * @max_message_size bytes, which makes libsoup close the connection. libsoup 3.2 limits each
 * frame (max-incoming-payload-size) but appends fragments with no limit on their sum; this
 * bounds what it can be made to hold. */
GIOStream *beacon_websocket_limit_new (GIOStream *base,
                                       guint64    max_message_size);

G_END_DECLS

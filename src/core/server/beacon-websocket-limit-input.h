/* beacon-websocket-limit-input.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_TYPE_WEBSOCKET_LIMIT_INPUT (beacon_websocket_limit_input_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWebsocketLimitInput, beacon_websocket_limit_input, BEACON,
                      WEBSOCKET_LIMIT_INPUT, GInputStream)

/* The input side of a BeaconWebsocketLimit, which does its work: it passes the bytes of the
 * pollable stream @base through unchanged, follows the WebSocket frame headers in them, and
 * fails the read (G_IO_ERROR_MESSAGE_TOO_LARGE) that would take one message, all its fragments
 * together, over @max_message_size bytes. It is a type of its own because GIOStream hands out
 * its streams as objects. Closing it leaves @base open: the connection it belongs to closes
 * it. */
GInputStream *beacon_websocket_limit_input_new (GInputStream *base,
                                                guint64       max_message_size);

G_END_DECLS

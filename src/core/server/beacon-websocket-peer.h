/* beacon-websocket-peer.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "beacon-signalling-room.h"

G_BEGIN_DECLS

/* A WebSocket client of the direct server as a peer of its signalling room: what it sends goes
 * into the room, what the room sends goes out over its connection. */

/* Takes the connection of @msg, whose 101 response has just been written, as the server side
 * of a WebSocket that refuses messages over the signalling size limit, fragments included.
 * NULL when libsoup no longer has the connection. */
SoupWebsocketConnection *beacon_websocket_peer_accept (SoupServerMessage       *msg);

/* Puts @connection, opened by @msg, into @room as a peer that may produce when @may_produce,
 * and welcomes it. The connection is closed when it sends nothing within @idle_timeout
 * seconds of its welcome (0: no limit) and when the room removes the peer; the peer leaves
 * the room when the connection closes. */
void                     beacon_websocket_peer_join   (BeaconSignallingRoom    *room,
                                                       SoupWebsocketConnection *connection,
                                                       SoupServerMessage       *msg,
                                                       gboolean                 may_produce,
                                                       guint                    idle_timeout);

G_END_DECLS

/* beacon-link-header.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 8288 Link header values, as WHIP and WHEP servers hand out their ICE servers (RFC 9725
 * section 4.4). */

/* Turns the Link header values of a WHIP/WHEP response (several may be folded into one,
 * separated by commas outside <…> and quotes) into the URLs webrtcbin takes:
 * "stun://host:port", "turn://user:pass@host:port", "turns://…", keeping "?transport=tcp" or
 * "udp". Links whose rel is not "ice-server", and URIs that are not a valid stun:, stuns:,
 * turn: or turns: host and port, are skipped. Returns NULL when there is none. */
GStrv beacon_link_header_parse_ice_servers (const char *link_header);

G_END_DECLS

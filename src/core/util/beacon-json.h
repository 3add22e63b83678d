/* beacon-json.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every JSON text that comes from outside the process (a signaling server, a peer, a file a
 * user or another program may have written) is parsed with beacon_json_parse(), never with
 * json-glib directly: json-glib 1.6 recurses once per nesting level and has no limit, so a
 * few hundred kilobytes of '[' overflow the stack and crash the process. */

#define BEACON_JSON_ERROR (beacon_json_error_quark ())

typedef enum {
  BEACON_JSON_ERROR_TOO_LARGE, /* more bytes than the caller allows */
  BEACON_JSON_ERROR_TOO_DEEP,  /* arrays and objects nested deeper than the caller allows */
  BEACON_JSON_ERROR_INVALID,   /* not JSON, or empty; the message is json-glib's */
} BeaconJsonError;

GQuark beacon_json_error_quark (void);

/* The deepest messages Beacon reads are Janus VideoRoom events, about 8 levels (root,
 * plugindata, data, publishers, a publisher, its streams, a stream, its sources); GStreamer
 * signalling messages nest 4 levels plus whatever a peer puts in "meta"; pins.json nests 2.
 * 32 leaves room for servers that add a few levels and for a peer's meta, and is still a
 * trivial depth for json-glib's recursion. */
#define BEACON_JSON_MAX_DEPTH 32

/* The largest WebSocket message the signalers accept: SDP with many candidates stays far
 * below it. */
#define BEACON_JSON_MAX_SIZE (1024 * 1024)

JsonNode *beacon_json_parse (const char  *data,
                             gssize       length,
                             guint        max_depth,
                             gsize        max_size,
                             GError     **error);

G_END_DECLS

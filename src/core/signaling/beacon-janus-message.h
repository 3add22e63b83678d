/* beacon-janus-message.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* Reading what a Janus Gateway sends over its WebSocket API ("janus-protocol"): the text of a
 * message, the members of a reply or event, its errors as sentences for people, and what an
 * event that answers no request means for the media handle. Nothing here sends or keeps
 * state, so all of it can be driven without a socket (tests/fuzz/fuzz-janus-message.c). */

#define BEACON_JANUS_VIDEOROOM_PLUGIN "janus.plugin.videoroom"
#define BEACON_JANUS_STREAMING_PLUGIN "janus.plugin.streaming"

/* How large a message from Janus may be: SDP with many candidates stays far below this. */
#define BEACON_JANUS_MAX_MESSAGE_SIZE (1024 * 1024)

/* The text of one WebSocket message as a JSON object. Returns NULL without an error for a
 * message to ignore (not JSON, or JSON that is not an object); NULL with an error
 * (BEACON_JSON_ERROR, not _INVALID) for one beyond the size or depth limits, which Janus never
 * sends: the server is broken or hostile. */
JsonObject *beacon_janus_message_parse (const char  *data,
                                        gsize        length,
                                        GError     **error);

/* Members that never warn on a missing member or an unexpected type: what Janus sends is
 * input, not a contract. @object may be NULL. */
JsonObject *beacon_janus_get_object      (JsonObject *object,
                                          const char *name);
JsonArray  *beacon_janus_get_array       (JsonObject *object,
                                          const char *name);
const char *beacon_janus_get_string      (JsonObject *object,
                                          const char *name);
gboolean    beacon_janus_get_int         (JsonObject *object,
                                          const char *name,
                                          gint64     *value);
gint64      beacon_janus_get_int_or      (JsonObject *object,
                                          const char *name,
                                          gint64      fallback);
/* TRUE only for a JSON true. */
gboolean    beacon_janus_get_boolean     (JsonObject *object,
                                          const char *name);
/* plugindata.data of a reply or event, or NULL. */
JsonObject *beacon_janus_get_plugin_data (JsonObject *message);

/* What the error sentences name: the server, and the room, feed or mountpoint asked for. */
typedef struct {
  const char *url;
  const char *token;        /* nullable: only whether there is one shows */
  const char *video_codec;  /* nullable */
  gint64      room;
  gint64      feed;
  gint64      mountpoint;
} BeaconJanusTarget;

/* A core error reply ({"janus": "error", "error": {code, reason}}) to the @what request. */
GError *beacon_janus_describe_core_error   (const BeaconJanusTarget *target,
                                            JsonObject              *reply,
                                            const char              *what);
/* A plugin error (plugindata.data with "error_code" and "error") of @plugin. */
GError *beacon_janus_describe_plugin_error (const BeaconJanusTarget *target,
                                            const char              *plugin,
                                            JsonObject              *data,
                                            const char              *what);
/* The error a reply carries, core or plugin, or NULL. */
GError *beacon_janus_error_from_reply      (const BeaconJanusTarget *target,
                                            JsonObject              *reply,
                                            const char              *what);

/* Picks the feed to watch from the data of a listparticipants reply: the one *@feed names
 * (>= 0), else the publisher whose display name is @stream_name (nullable), else the only
 * publisher; *@feed receives it. Fails with a sentence that lists the publishers. */
gboolean beacon_janus_choose_feed (JsonObject  *data,
                                   gint64       room,
                                   const char  *stream_name,
                                   gint64      *feed,
                                   GError     **error);

/* The media handle an event that answers no request is read against. */
typedef struct {
  BeaconSignalerRole role;
  gint64             media_handle;  /* 0 before it is attached */
  gboolean           media_active;  /* published, or watching */
} BeaconJanusHandleState;

typedef enum {
  BEACON_JANUS_EVENT_NONE,         /* nothing for Beacon to do */
  BEACON_JANUS_EVENT_MEDIA_ENDED,  /* Janus ended the publication or stream: @reason */
  BEACON_JANUS_EVENT_FAILED,       /* the channel failed: @error */
  BEACON_JANUS_EVENT_CANDIDATES,   /* remote candidates for the media handle: @candidates */
} BeaconJanusEventKind;

typedef struct {
  BeaconJanusEventKind  kind;
  char                 *reason;      /* MEDIA_ENDED */
  GError               *error;       /* FAILED */
  GPtrArray            *candidates;  /* CANDIDATES: BeaconSdpCandidate*, text as sent */
} BeaconJanusEvent;

/* Reads a message that answers no request of ours (event, trickle, hangup, detached,
 * timeout, webrtcup, media, slowlink) into @event, which the caller clears. */
void beacon_janus_read_event  (JsonObject                   *message,
                               const BeaconJanusTarget      *target,
                               const BeaconJanusHandleState *state,
                               BeaconJanusEvent             *event);
void beacon_janus_event_clear (BeaconJanusEvent             *event);

G_END_DECLS

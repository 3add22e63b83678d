/* beacon-peer-timeline.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The moments one peer connection went through on its way to the first picture, each kept
 * once: the first time it happened, in milliseconds of the monotonic clock since an origin
 * (the session's start). The report shows them, so that a slow start says where its time
 * went. Listed in the order they normally come; the first remote candidate may come before
 * the answer (the offerer trickles its candidates right after its offer). */
typedef enum {
  BEACON_TIMELINE_SIGNALING_CONNECTED,  /* watching: the signaling channel is up */
  BEACON_TIMELINE_VIEWER_JOINED,        /* broadcasting: the viewer's session began */
  BEACON_TIMELINE_OFFER,                /* the offer was sent or received */
  BEACON_TIMELINE_ANSWER,               /* the answer was sent or received */
  BEACON_TIMELINE_FIRST_REMOTE_CANDIDATE,
  BEACON_TIMELINE_ICE_CONNECTED,
  BEACON_TIMELINE_DTLS_CONNECTED,       /* the peer connection (ICE and DTLS) is connected */
  BEACON_TIMELINE_VERIFIED,             /* the remote identity passed: media flows from now */
  BEACON_TIMELINE_KEY_FRAME_REQUESTED,  /* broadcasting: a key frame was asked for the viewer */
  BEACON_TIMELINE_FIRST_KEY_FRAME_SENT, /* broadcasting: the first key frame the viewer got */
  BEACON_TIMELINE_FIRST_RTP,            /* watching: the first media packet, decrypted */
  BEACON_TIMELINE_FIRST_KEY_FRAME,      /* watching: the first key frame, depayloaded */
  BEACON_TIMELINE_FIRST_FRAME,          /* watching: the first decoded video frame */
  BEACON_TIMELINE_N_EVENTS
} BeaconTimelineEvent;

/* Shared, reference counted, and safe to mark from any thread: streaming threads mark the
 * media events through pad probes that hold a reference, not the peer. */
typedef struct _BeaconPeerTimeline BeaconPeerTimeline;

BeaconPeerTimeline *beacon_peer_timeline_new     (gint64               origin_us);
BeaconPeerTimeline *beacon_peer_timeline_ref     (BeaconPeerTimeline  *self);
void                beacon_peer_timeline_unref   (BeaconPeerTimeline  *self);
/* Keeps @event at now, unless it was kept before; TRUE when this call kept it. */
gboolean            beacon_peer_timeline_mark    (BeaconPeerTimeline  *self,
                                                  BeaconTimelineEvent  event);
/* The same, at @when_us of the monotonic clock (an event that happened before the peer). */
gboolean            beacon_peer_timeline_mark_at (BeaconPeerTimeline  *self,
                                                  BeaconTimelineEvent  event,
                                                  gint64               when_us);
/* Milliseconds since the origin, or -1 when it did not happen (yet). */
gint64              beacon_peer_timeline_get_ms  (BeaconPeerTimeline  *self,
                                                  BeaconTimelineEvent  event);
/* "offer" and "answer" tell who sent them: TRUE when this side offered. */
void                beacon_peer_timeline_set_offered_locally (BeaconPeerTimeline *self,
                                                              gboolean            local);
/* The report's "timeline" object: "<event>_ms" members, each a number or null, for the
 * events of a watching (@watching) or a broadcasting side, and "offerer" ("local" or
 * "remote", null before an offer). */
JsonObject         *beacon_peer_timeline_to_json (BeaconPeerTimeline  *self,
                                                  gboolean             watching);

/* Adds a probe to @pad that marks @event at the first buffer that is a key frame (as the
 * RTP payload of VP8 or H.264 says, or for raw and depayloaded video, the absence of
 * GST_BUFFER_FLAG_DELTA_UNIT), then removes itself. When @allowed is given (an atomic gint
 * box of g_atomic_rc_box), only buffers while it is non-zero count: those the peer lets
 * through. */
void                beacon_peer_timeline_watch_key_frame (BeaconPeerTimeline  *self,
                                                          GstPad              *pad,
                                                          BeaconTimelineEvent  event,
                                                          gint                *allowed);
/* Adds a probe to @pad that marks @event at its first buffer (while @allowed, as above),
 * then removes itself. */
void                beacon_peer_timeline_watch_first_buffer (BeaconPeerTimeline  *self,
                                                             GstPad              *pad,
                                                             BeaconTimelineEvent  event,
                                                             gint                *allowed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPeerTimeline, beacon_peer_timeline_unref)

G_END_DECLS

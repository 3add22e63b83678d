/* beacon-watch-pipeline.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "beacon-latency-stamp.h"
#include "beacon-peer-timeline.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WATCH_PIPELINE (beacon_watch_pipeline_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWatchPipeline, beacon_watch_pipeline, BEACON, WATCH_PIPELINE, GObject)

/* Receive → decode → the sinks the front end provides (an appsink feeding a paintable in the
 * GUI; counting fakesinks in the CLI when NULL). Properties, notified on the main context:
 * "frames-decoded" (guint64). Signals: "first-frame" (), "failed" (GError). */
BeaconWatchPipeline *beacon_watch_pipeline_new                (GstElement           *video_sink,
                                                               GstElement           *audio_sink);
GstBin              *beacon_watch_pipeline_get_bin            (BeaconWatchPipeline  *self);
/* Decodes what @webrtcbin (already in the bin) receives, and marks the first key frame and
 * the first decoded frame on the peer's @timeline (nullable). */
void                 beacon_watch_pipeline_attach_peer        (BeaconWatchPipeline  *self,
                                                               GstElement           *webrtcbin,
                                                               BeaconPeerTimeline   *timeline);
/* Forgets @webrtcbin (closed, or about to be): its decoders go, and the streams of the next
 * peer attached reach the same sinks. */
void                 beacon_watch_pipeline_detach_peer        (BeaconWatchPipeline  *self,
                                                               GstElement           *webrtcbin);
gboolean             beacon_watch_pipeline_start              (BeaconWatchPipeline  *self,
                                                               GError              **error);
void                 beacon_watch_pipeline_stop               (BeaconWatchPipeline  *self);
guint64              beacon_watch_pipeline_get_frames_decoded (BeaconWatchPipeline  *self);
/* Glass-to-glass latency of the frames that carried a latency stamp (a Beacon test pattern
 * broadcast on this machine): FALSE while none did. */
gboolean             beacon_watch_pipeline_get_latency        (BeaconWatchPipeline  *self,
                                                               BeaconLatencyFigures *figures);
/* The longest time between two decoded video frames, in milliseconds (0 before the second
 * frame). A stream that stops for good shows in frames-decoded instead. */
guint64              beacon_watch_pipeline_get_longest_freeze_ms (BeaconWatchPipeline  *self);
/* For tests: ask the broadcaster for a key frame every @interval_ms (0 = stop), through the
 * decoder's path, so that the RTP session sends real PLIs. */
void                 beacon_watch_pipeline_set_key_frame_request_interval (BeaconWatchPipeline *self,
                                                                           guint                interval_ms);

G_END_DECLS

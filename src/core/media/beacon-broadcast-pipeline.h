/* beacon-broadcast-pipeline.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "beacon-key-frame-limiter.h"
#include "beacon-media-source.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BROADCAST_PIPELINE (beacon_broadcast_pipeline_get_type ())

G_DECLARE_FINAL_TYPE (BeaconBroadcastPipeline, beacon_broadcast_pipeline, BEACON,
                      BROADCAST_PIPELINE, GObject)

/* Capture → encode once → payload once → one tee per medium; each viewer's webrtcbin hangs off
 * the tees, so another viewer costs only SRTP and sending, never a second encoder.
 * Emits "failed" (GError) on the main context when the pipeline reports an error, and
 * "viewer-failed" (webrtcbin, GError) instead when the error comes from one viewer's webrtcbin
 * or branch: that viewer is lost, the broadcast goes on. */
BeaconBroadcastPipeline *beacon_broadcast_pipeline_new                    (BeaconSourceKind          source,
                                                                           GstDevice                *camera,
                                                                           GstDevice                *microphone,
                                                                           GstElement               *preview_sink,
                                                                           BeaconCodec               codec,
                                                                           guint                     width,
                                                                           guint                     height,
                                                                           guint                     fps,
                                                                           GError                  **error);
gboolean                 beacon_broadcast_pipeline_start                  (BeaconBroadcastPipeline  *self,
                                                                           GError                  **error);
void                     beacon_broadcast_pipeline_stop                   (BeaconBroadcastPipeline  *self);
GstBin                  *beacon_broadcast_pipeline_get_bin                (BeaconBroadcastPipeline  *self);
const char              *beacon_broadcast_pipeline_get_source_description (BeaconBroadcastPipeline  *self);

/* Links a send-only video and audio branch into @webrtcbin (already in the bin). When the
 * viewer offered first, @remote_offer is its SDP: its payload type numbers are used for its
 * branches, and a medium it does not offer is left out. */
gboolean beacon_broadcast_pipeline_attach_peer       (BeaconBroadcastPipeline  *self,
                                                      GstElement               *webrtcbin,
                                                      const char               *remote_offer,
                                                      GError                  **error);
/* Unlinks the branches of @webrtcbin and stops it (in NULL, its state locked); the caller
 * then removes the webrtcbin. */
void     beacon_broadcast_pipeline_detach_peer       (BeaconBroadcastPipeline  *self,
                                                      GstElement               *webrtcbin);
/* Bytes of encoded video produced so far (what one viewer receives, before RTP overhead). */
guint64  beacon_broadcast_pipeline_get_encoded_bytes (BeaconBroadcastPipeline  *self);
/* Asks the encoder for a key frame, so that a viewer who just connected starts at once;
 * rate-limited with the viewers' own requests (PLI, FIR), see beacon-key-frame-limiter. */
void     beacon_broadcast_pipeline_request_key_frame (BeaconBroadcastPipeline  *self);
/* Seconds between the encoder's periodic key frames (default 2), before start (): tests make
 * it long, so that a viewer's first picture shows it came from a key frame asked for it. */
void     beacon_broadcast_pipeline_set_key_frame_interval (BeaconBroadcastPipeline *self,
                                                           guint                    seconds);
/* The limiter on the shared encoder, for its counters. */
BeaconKeyFrameLimiter *beacon_broadcast_pipeline_get_key_frame_limiter (BeaconBroadcastPipeline *self);


/* WHIP ingest (a pipeline made with BEACON_SOURCE_WHIP): the media @webrtcbin (already in the
 * bin) receives is decoded, converted to the broadcast's size and rate, and replaces the
 * placeholder until beacon_broadcast_pipeline_detach_ingest (). One publisher at a time. */
gboolean beacon_broadcast_pipeline_attach_ingest     (BeaconBroadcastPipeline  *self,
                                                      GstElement               *webrtcbin,
                                                      GError                  **error);
/* Back to the placeholder; the caller closes the webrtcbin first. */
void     beacon_broadcast_pipeline_detach_ingest     (BeaconBroadcastPipeline  *self);
/* Video frames of WHIP publishers that went on to the encoder so far. */
guint64  beacon_broadcast_pipeline_get_ingest_frames (BeaconBroadcastPipeline  *self);

G_END_DECLS

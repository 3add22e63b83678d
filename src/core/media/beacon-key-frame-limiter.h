/* beacon-key-frame-limiter.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define BEACON_TYPE_KEY_FRAME_LIMITER (beacon_key_frame_limiter_get_type ())

G_DECLARE_FINAL_TYPE (BeaconKeyFrameLimiter, beacon_key_frame_limiter, BEACON,
                      KEY_FRAME_LIMITER, GObject)

/* Sits on the shared video encoder's source pad: key frame requests (force-key-unit events
 * going upstream, which webrtcbin makes of every viewer's PLI and FIR, and Beacon's own when a
 * viewer connects) reach the encoder at most once per @min_interval_ms for all viewers
 * together; a request that comes sooner is answered by one deferred request at the end of the
 * interval, so none is lost. Counts the requests, the ones passed on, and the key frames the
 * encoder produced. Its timer runs on the thread-default main context of the caller. */
BeaconKeyFrameLimiter *beacon_key_frame_limiter_new               (GstElement            *encoder,
                                                                   guint                  min_interval_ms);
/* Asks for a key frame through the limiter, as a viewer's request would. */
void                   beacon_key_frame_limiter_request           (BeaconKeyFrameLimiter *self);
guint64                beacon_key_frame_limiter_get_requests      (BeaconKeyFrameLimiter *self);
guint64                beacon_key_frame_limiter_get_forwarded     (BeaconKeyFrameLimiter *self);
guint64                beacon_key_frame_limiter_get_key_frames    (BeaconKeyFrameLimiter *self);
/* All frames the encoder produced, key frames or not. */
guint64                beacon_key_frame_limiter_get_frames        (BeaconKeyFrameLimiter *self);
/* Removes the probes and the timer; also done by dispose. Again is harmless. */
void                   beacon_key_frame_limiter_detach            (BeaconKeyFrameLimiter *self);

G_END_DECLS

/* beacon-camera-preview.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define BEACON_TYPE_CAMERA_PREVIEW (beacon_camera_preview_get_type ())

G_DECLARE_FINAL_TYPE (BeaconCameraPreview, beacon_camera_preview, BEACON, CAMERA_PREVIEW, GObject)

/* The picture of a camera (or of the test pattern) before going live: a small pipeline of its
 * own from the source to a sink the front end gives, without encoder or network. It must be
 * stopped before a broadcast opens the same camera (most cameras have one reader at a time).
 * "error" (a GError, nullable) says why the picture stopped or never started. */
BeaconCameraPreview *beacon_camera_preview_new     (void);

/* Shows @camera (the test pattern when %NULL) in @sink, replacing whatever was shown; @sink
 * must not be in another pipeline. Fails at once when the source cannot be made; a camera that
 * fails later (busy, unplugged) sets "error" and stops. */
gboolean             beacon_camera_preview_start   (BeaconCameraPreview  *self,
                                                    GstDevice            *camera,
                                                    GstElement           *sink,
                                                    GError              **error);
/* Stops and releases the camera; returns once it is released. Does nothing when stopped. */
void                 beacon_camera_preview_stop    (BeaconCameraPreview  *self);
gboolean             beacon_camera_preview_get_running (BeaconCameraPreview *self);
const GError        *beacon_camera_preview_get_error   (BeaconCameraPreview *self);
/* Frames that reached the sink since the last start. */
guint                beacon_camera_preview_get_frames  (BeaconCameraPreview *self);

G_END_DECLS

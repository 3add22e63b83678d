/* beacon-video-paintable.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define BEACON_TYPE_VIDEO_PAINTABLE (beacon_video_paintable_get_type ())

G_DECLARE_FINAL_TYPE (BeaconVideoPaintable, beacon_video_paintable, BEACON, VIDEO_PAINTABLE, GObject)

/* A GdkPaintable that shows the newest frame an appsink received. Hand the element from
 * get_sink () to a pipeline (a session's "video-sink" or "preview-sink"); each frame becomes a
 * GdkMemoryTexture over the mapped GStreamer buffer, without a copy, on the main context that
 * was the thread default when the paintable was created.
 *
 * Properties: "sink" (GstElement, read-only), "frames-shown" (guint64, read-only; frames that
 * reached the main context, notified at most once per frame). */
BeaconVideoPaintable *beacon_video_paintable_new              (void);
GstElement           *beacon_video_paintable_get_sink         (BeaconVideoPaintable *self);
guint64               beacon_video_paintable_get_frames_shown (BeaconVideoPaintable *self);
/* The newest frame, or NULL before the first one and after clear (). */
GdkTexture           *beacon_video_paintable_get_texture      (BeaconVideoPaintable *self);
/* Forgets the current frame, so the paintable is empty until the next one arrives. */
void                  beacon_video_paintable_clear            (BeaconVideoPaintable *self);

G_END_DECLS

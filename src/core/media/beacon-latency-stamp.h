/* beacon-latency-stamp.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Glass-to-glass latency on one machine. The broadcaster's test pattern carries, in its top
 * rows, the time each frame was made: a row of large black and white blocks (a sync pair,
 * 28 bits of CLOCK_MONOTONIC milliseconds and a 4-bit check), big enough to survive VP8 and
 * H.264 at their usual bitrates. A viewer on the same machine reads it from each decoded
 * frame and compares it with the same clock. Frames whose row does not read back (another
 * source, a frame the encoder smeared) are not counted. */

/* Stamps every I420 frame that passes @pad (raw video, before the encoder). */
void beacon_latency_stamp_attach (GstPad *pad);

/* Writes @time_ms into the stamp row of an I420 frame (@y, @u, @v planes and strides); FALSE
 * when the frame is too small to carry one. Exposed for tests. */
gboolean beacon_latency_stamp_write (guint8 *y,
                                     int     y_stride,
                                     guint8 *u,
                                     int     u_stride,
                                     guint8 *v,
                                     int     v_stride,
                                     int     width,
                                     int     height,
                                     guint64 time_ms);
/* Reads the stamp of a frame's luma plane: TRUE with *@time_ms (28 bits) when it reads back. */
gboolean beacon_latency_stamp_read  (const guint8 *y,
                                     int           y_stride,
                                     int           width,
                                     int           height,
                                     guint32      *time_ms);

/* The latencies read on the decoded frames that pass one pad, kept for their percentiles. */
typedef struct _BeaconLatencyMeter BeaconLatencyMeter;

typedef struct {
  guint   frames;   /* stamped frames read */
  guint   p50_ms;
  guint   p95_ms;
  guint   max_ms;
  guint   last_ms;
} BeaconLatencyFigures;

BeaconLatencyMeter *beacon_latency_meter_new     (void);
void                beacon_latency_meter_free    (BeaconLatencyMeter   *meter);
/* Reads the stamp of each decoded frame (any 8-bit format whose first plane is luma: I420,
 * YV12, NV12, Y42B, Y444) that passes @pad. The probe holds a reference on the meter. */
void                beacon_latency_meter_attach  (BeaconLatencyMeter   *meter,
                                                  GstPad               *pad);
/* Adds one reading, in milliseconds: for tests and for the probe. */
void                beacon_latency_meter_add     (BeaconLatencyMeter   *meter,
                                                  guint                 latency_ms);
/* FALSE while no stamped frame was read. Any thread. */
gboolean            beacon_latency_meter_get     (BeaconLatencyMeter   *meter,
                                                  BeaconLatencyFigures *figures);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconLatencyMeter, beacon_latency_meter_free)

G_END_DECLS

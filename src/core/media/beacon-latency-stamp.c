/* beacon-latency-stamp.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-latency-stamp.h"

#include <gst/video/video.h>
#include <stdlib.h>
#include <string.h>

/* The row: white, black (where the row starts and how bright "white" is), then 28 bits of
 * time and 4 check bits, most significant first: 34 square blocks across the frame's width.
 * Blocks of 16 pixels and more sit on whole macroblocks of a 1280-pixel-wide frame, which the
 * encoders keep flat; the reader looks only at the middle half of each block, away from the
 * ringing at its edges. */
#define N_SYNC_BLOCKS 2
#define N_TIME_BITS 28
#define N_CHECK_BITS 4
#define N_BLOCKS (N_SYNC_BLOCKS + N_TIME_BITS + N_CHECK_BITS)
#define TIME_MASK ((1u << N_TIME_BITS) - 1)
#define MIN_BLOCK 4

#define WHITE 235
#define BLACK 16
/* A block reads as a bit only when its middle is clearly one or the other. */
#define DARK_BELOW 96
#define BRIGHT_ABOVE 160

/* A latency beyond this is a misread (or a broadcast paused in a debugger), not a figure. */
#define MAX_LATENCY_MS 60000
/* Enough for the percentiles of a long session; older readings give way to newer ones. */
#define MAX_READINGS 4096

static int
block_size (int width,
            int height)
{
  int size = (width / N_BLOCKS) & ~3;

  return size >= MIN_BLOCK && size <= height ? size : 0;
}

/* The XOR of the seven 4-bit groups of the time. */
static guint32
check_bits (guint32 time)
{
  guint32 check = 0;

  for (int i = 0; i < N_TIME_BITS; i += 4)
    check ^= (time >> i) & 0xf;
  return check;
}

gboolean
beacon_latency_stamp_write (guint8  *y,
                            int      y_stride,
                            guint8  *u,
                            int      u_stride,
                            guint8  *v,
                            int      v_stride,
                            int      width,
                            int      height,
                            guint64  time_ms)
{
  int size = block_size (width, height);
  guint32 time = (guint32) (time_ms & TIME_MASK);
  guint64 bits = ((guint64) time << N_CHECK_BITS) | check_bits (time);

  if (size == 0)
    return FALSE;

  for (int block = 0; block < N_BLOCKS; block++)
    {
      gboolean white;

      if (block < N_SYNC_BLOCKS)
        white = block == 0;
      else
        white = (bits >> (N_BLOCKS - 1 - block)) & 1;
      for (int row = 0; row < size; row++)
        memset (y + row * y_stride + block * size, white ? WHITE : BLACK, size);
      /* No colour: the chroma of the picture under the row would tint the blocks. */
      for (int row = 0; row < size / 2; row++)
        {
          memset (u + row * u_stride + block * size / 2, 128, size / 2);
          memset (v + row * v_stride + block * size / 2, 128, size / 2);
        }
    }
  return TRUE;
}

/* The mean luma of the middle half of one block. */
static guint
block_mean (const guint8 *y,
            int           y_stride,
            int           size,
            int           block)
{
  int first = size / 4;
  int last = size - size / 4;
  guint sum = 0;
  guint count = 0;

  for (int row = first; row < last; row++)
    for (int column = first; column < last; column++)
      {
        sum += y[row * y_stride + block * size + column];
        count++;
      }
  return sum / count;
}

gboolean
beacon_latency_stamp_read (const guint8 *y,
                           int           y_stride,
                           int           width,
                           int           height,
                           guint32      *time_ms)
{
  int size = block_size (width, height);
  guint64 bits = 0;
  guint32 time;

  if (size == 0)
    return FALSE;
  if (block_mean (y, y_stride, size, 0) <= BRIGHT_ABOVE ||
      block_mean (y, y_stride, size, 1) >= DARK_BELOW)
    return FALSE;
  for (int block = N_SYNC_BLOCKS; block < N_BLOCKS; block++)
    {
      guint mean = block_mean (y, y_stride, size, block);

      if (mean > DARK_BELOW && mean < BRIGHT_ABOVE)
        return FALSE;
      bits = (bits << 1) | (mean >= BRIGHT_ABOVE);
    }
  time = (guint32) (bits >> N_CHECK_BITS);
  if (check_bits (time) != (bits & 0xf))
    return FALSE;
  *time_ms = time;
  return TRUE;
}

static guint64
now_ms (void)
{
  /* CLOCK_MONOTONIC: one clock for every process of the machine. */
  return (guint64) g_get_monotonic_time () / 1000;
}

static GstPadProbeReturn
stamp_probe_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstVideoInfo video_info;
  GstVideoFrame frame;
  GstBuffer *buffer;

  if (caps == NULL || !gst_video_info_from_caps (&video_info, caps) ||
      GST_VIDEO_INFO_FORMAT (&video_info) != GST_VIDEO_FORMAT_I420)
    return GST_PAD_PROBE_OK;
  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (!gst_video_frame_map (&frame, &video_info, buffer, GST_MAP_WRITE))
    return GST_PAD_PROBE_OK;
  beacon_latency_stamp_write (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                              GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                              GST_VIDEO_FRAME_PLANE_DATA (&frame, 1),
                              GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 1),
                              GST_VIDEO_FRAME_PLANE_DATA (&frame, 2),
                              GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 2),
                              GST_VIDEO_FRAME_WIDTH (&frame), GST_VIDEO_FRAME_HEIGHT (&frame),
                              now_ms ());
  gst_video_frame_unmap (&frame);
  return GST_PAD_PROBE_OK;
}

void
beacon_latency_stamp_attach (GstPad *pad)
{
  g_return_if_fail (GST_IS_PAD (pad));
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_probe_cb, NULL, NULL);
}

struct _BeaconLatencyMeter {
  GMutex  lock;
  guint   readings[MAX_READINGS];  /* a ring, under lock */
  guint   n_readings;              /* under lock: how many of them are used */
  guint   next;                    /* under lock */
  guint   frames;                  /* under lock: every reading so far */
  guint   last_ms;                 /* under lock */
};

static void
meter_clear (gpointer data)
{
  BeaconLatencyMeter *meter = data;

  g_mutex_clear (&meter->lock);
}

BeaconLatencyMeter *
beacon_latency_meter_new (void)
{
  BeaconLatencyMeter *meter = g_atomic_rc_box_new0 (BeaconLatencyMeter);

  g_mutex_init (&meter->lock);
  return meter;
}

void
beacon_latency_meter_free (BeaconLatencyMeter *meter)
{
  if (meter != NULL)
    g_atomic_rc_box_release_full (meter, meter_clear);
}

void
beacon_latency_meter_add (BeaconLatencyMeter *meter,
                          guint               latency_ms)
{
  g_mutex_lock (&meter->lock);
  meter->readings[meter->next] = latency_ms;
  meter->next = (meter->next + 1) % MAX_READINGS;
  meter->n_readings = MIN (meter->n_readings + 1, MAX_READINGS);
  meter->frames++;
  meter->last_ms = latency_ms;
  g_mutex_unlock (&meter->lock);
}

static GstPadProbeReturn
meter_probe_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  BeaconLatencyMeter *meter = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  guint64 now = now_ms ();
  GstVideoInfo video_info;
  GstVideoFrame frame;
  guint32 stamp;
  gboolean read;

  if (caps == NULL || !gst_video_info_from_caps (&video_info, caps) ||
      !GST_VIDEO_FORMAT_INFO_IS_YUV (video_info.finfo) ||
      GST_VIDEO_INFO_COMP_DEPTH (&video_info, 0) != 8 ||
      GST_VIDEO_INFO_COMP_PLANE (&video_info, 0) != 0 ||
      GST_VIDEO_INFO_COMP_PSTRIDE (&video_info, 0) != 1)
    return GST_PAD_PROBE_OK;
  if (!gst_video_frame_map (&frame, &video_info, GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  read = beacon_latency_stamp_read (GST_VIDEO_FRAME_COMP_DATA (&frame, 0),
                                    GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0),
                                    GST_VIDEO_FRAME_WIDTH (&frame),
                                    GST_VIDEO_FRAME_HEIGHT (&frame), &stamp);
  gst_video_frame_unmap (&frame);
  if (read)
    {
      guint latency = (guint) ((now - stamp) & TIME_MASK);

      if (latency <= MAX_LATENCY_MS)
        beacon_latency_meter_add (meter, latency);
    }
  return GST_PAD_PROBE_OK;
}

void
beacon_latency_meter_attach (BeaconLatencyMeter *meter,
                             GstPad             *pad)
{
  g_return_if_fail (meter != NULL && GST_IS_PAD (pad));
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, meter_probe_cb,
                     g_atomic_rc_box_acquire (meter), (GDestroyNotify) beacon_latency_meter_free);
}

static int
compare_readings (gconstpointer a,
                  gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

gboolean
beacon_latency_meter_get (BeaconLatencyMeter   *meter,
                          BeaconLatencyFigures *figures)
{
  g_autofree guint *sorted = NULL;
  guint n;

  g_return_val_if_fail (meter != NULL && figures != NULL, FALSE);

  g_mutex_lock (&meter->lock);
  n = meter->n_readings;
  sorted = g_memdup2 (meter->readings, sizeof (guint) * MAX_READINGS);
  figures->frames = meter->frames;
  figures->last_ms = meter->last_ms;
  g_mutex_unlock (&meter->lock);
  if (n == 0)
    return FALSE;
  qsort (sorted, n, sizeof (guint), compare_readings);
  /* Nearest rank. */
  figures->p50_ms = sorted[(n * 50 + 99) / 100 - 1];
  figures->p95_ms = sorted[(n * 95 + 99) / 100 - 1];
  figures->max_ms = sorted[n - 1];
  return TRUE;
}

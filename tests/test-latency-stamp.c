/* test-latency-stamp.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The latency meter: a stamp reads back what was written, a damaged or missing one reads as
 * nothing, and through a real VP8 encoder and decoder the meter measures a known added delay
 * (200 ms more of waiting for the clock on one of two branches) within ±10 ms.
 */

#include <gst/gst.h>
#include <string.h>

#include "beacon-latency-stamp.h"

typedef struct {
  int     width, height;
  guint8 *y, *u, *v;
} Frame;

static void
frame_init (Frame *frame,
            int    width,
            int    height,
            guint8 luma)
{
  frame->width = width;
  frame->height = height;
  frame->y = g_malloc (width * height);
  frame->u = g_malloc (width * height / 4);
  frame->v = g_malloc (width * height / 4);
  memset (frame->y, luma, width * height);
  memset (frame->u, 128, width * height / 4);
  memset (frame->v, 128, width * height / 4);
}

static void
frame_clear (Frame *frame)
{
  g_free (frame->y);
  g_free (frame->u);
  g_free (frame->v);
}

static gboolean
frame_write (Frame   *frame,
             guint64  time_ms)
{
  return beacon_latency_stamp_write (frame->y, frame->width, frame->u, frame->width / 2,
                                     frame->v, frame->width / 2, frame->width, frame->height,
                                     time_ms);
}

static gboolean
frame_read (Frame   *frame,
            guint32 *time_ms)
{
  return beacon_latency_stamp_read (frame->y, frame->width, frame->width, frame->height, time_ms);
}

static void
test_round_trip (void)
{
  const guint64 times[] = { 0, 1, 123456789, G_GUINT64_CONSTANT (0xfffffff),
                            G_GUINT64_CONSTANT (0x123456789abc) };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      Frame frame;
      guint32 read = 0;

      frame_init (&frame, 640, 360, 80);
      g_assert_true (frame_write (&frame, times[i]));
      g_assert_true (frame_read (&frame, &read));
      /* 28 bits of milliseconds: the reader compares modulo that, about 74 hours. */
      g_assert_cmpuint (read, ==, times[i] & 0xfffffff);
      frame_clear (&frame);
    }
}

/* A frame of another source, a damaged bit, a smeared block and a frame too narrow for the
 * row all read as nothing, never as a wrong time. */
static void
test_refuses_what_is_not_a_stamp (void)
{
  Frame frame;
  guint32 read;
  int size = (640 / 34) & ~3;

  for (guint luma = 0; luma <= 255; luma += 51)
    {
      frame_init (&frame, 640, 360, luma);
      g_assert_false (frame_read (&frame, &read));
      frame_clear (&frame);
    }

  /* One data block flipped: the check bits no longer agree. */
  frame_init (&frame, 640, 360, 80);
  g_assert_true (frame_write (&frame, 987654));
  for (int row = 0; row < size; row++)
    for (int column = 0; column < size; column++)
      {
        guint8 *pixel = &frame.y[row * 640 + 10 * size + column];

        *pixel = *pixel > 128 ? 16 : 235;
      }
  g_assert_false (frame_read (&frame, &read));
  frame_clear (&frame);

  /* A block neither dark nor bright (an encoder that smeared it). */
  frame_init (&frame, 640, 360, 80);
  g_assert_true (frame_write (&frame, 987654));
  for (int row = 0; row < size; row++)
    memset (&frame.y[row * 640 + 5 * size], 128, size);
  g_assert_false (frame_read (&frame, &read));
  frame_clear (&frame);

  frame_init (&frame, 100, 60, 80);
  g_assert_false (frame_write (&frame, 5));
  g_assert_false (frame_read (&frame, &read));
  frame_clear (&frame);
}

static gboolean
stop_loop_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
attach_meter (GstElement         *pipeline,
              const char         *sink_name,
              BeaconLatencyMeter *meter)
{
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), sink_name);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");

  beacon_latency_meter_attach (meter, pad);
}

/* Stamped test pattern → VP8 → decoder → two sinks behind clocks that release each frame
 * 100 ms and 300 ms after its timestamp: the meter must read 200 ms between them. */
static void
test_measures_a_known_delay (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (
    "videotestsrc name=source is-live=true pattern=ball "
    "! video/x-raw,format=I420,width=640,height=360,framerate=30/1 "
    "! vp8enc deadline=1 cpu-used=8 keyframe-max-dist=60 ! vp8dec ! tee name=t "
    "t. ! queue ! clocksync ts-offset=100000000 ! fakesink name=direct sync=false "
    "t. ! queue ! clocksync ts-offset=300000000 ! fakesink name=delayed sync=false",
    &error);
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstPad) source_pad = NULL;
  g_autoptr(BeaconLatencyMeter) direct = beacon_latency_meter_new ();
  g_autoptr(BeaconLatencyMeter) delayed = beacon_latency_meter_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  BeaconLatencyFigures direct_figures, delayed_figures;
  int difference;

  g_assert_no_error (error);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  source_pad = gst_element_get_static_pad (source, "src");
  beacon_latency_stamp_attach (source_pad);
  attach_meter (pipeline, "direct", direct);
  attach_meter (pipeline, "delayed", delayed);

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  g_timeout_add (4000, stop_loop_cb, loop);
  g_main_loop_run (loop);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_assert_true (beacon_latency_meter_get (direct, &direct_figures));
  g_assert_true (beacon_latency_meter_get (delayed, &delayed_figures));
  g_test_message ("direct: %u frames, p50 %u p95 %u max %u ms; delayed: %u frames, p50 %u "
                  "p95 %u max %u ms", direct_figures.frames, direct_figures.p50_ms,
                  direct_figures.p95_ms, direct_figures.max_ms, delayed_figures.frames,
                  delayed_figures.p50_ms, delayed_figures.p95_ms, delayed_figures.max_ms);
  /* Every decoded frame carried a readable stamp (4 s at 30 fps, minus the start). */
  g_assert_cmpuint (direct_figures.frames, >=, 60);
  g_assert_cmpuint (delayed_figures.frames, >=, 60);
  /* Both branches let each frame go at a fixed time after its timestamp, the second 200 ms
   * later than the first: whatever encoding, decoding and the clock's own reference add is
   * the same on both (as long as it is under the first branch's 100 ms). */
  difference = (int) delayed_figures.p50_ms - (int) direct_figures.p50_ms;
  g_assert_cmpint (difference, >=, 190);
  g_assert_cmpint (difference, <=, 210);
}

static void
test_percentiles (void)
{
  g_autoptr(BeaconLatencyMeter) meter = beacon_latency_meter_new ();
  BeaconLatencyFigures figures;

  g_assert_false (beacon_latency_meter_get (meter, &figures));
  for (guint i = 1; i <= 100; i++)
    beacon_latency_meter_add (meter, i);
  g_assert_true (beacon_latency_meter_get (meter, &figures));
  g_assert_cmpuint (figures.frames, ==, 100);
  g_assert_cmpuint (figures.p50_ms, ==, 50);
  g_assert_cmpuint (figures.p95_ms, ==, 95);
  g_assert_cmpuint (figures.max_ms, ==, 100);
  g_assert_cmpuint (figures.last_ms, ==, 100);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/latency-stamp/round-trip", test_round_trip);
  g_test_add_func ("/beacon/latency-stamp/refuses-what-is-not-a-stamp",
                   test_refuses_what_is_not_a_stamp);
  g_test_add_func ("/beacon/latency-stamp/percentiles", test_percentiles);
  g_test_add_func ("/beacon/latency-stamp/measures-a-known-delay", test_measures_a_known_delay);

  return g_test_run ();
}

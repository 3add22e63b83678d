/* test-bandwidth-units.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/rtp/rtp.h>

#include "beacon-layer-filter.h"
#include "beacon-rate-controller.h"

/* An RTP packet of a VP8 frame as rtpvp8pay 1.22 writes it with temporal layers: X, then T
 * and L, TL0PICIDX, TID|Y. */
static GstBuffer *
vp8_packet (guint16  seq,
            guint32  timestamp,
            gboolean start,
            guint    layer,
            gboolean sync)
{
  GstBuffer *buffer = gst_rtp_buffer_new_allocate (4 + 10, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint8 *payload;

  g_assert_true (gst_rtp_buffer_map (buffer, GST_MAP_WRITE, &rtp));
  gst_rtp_buffer_set_seq (&rtp, seq);
  gst_rtp_buffer_set_timestamp (&rtp, timestamp);
  gst_rtp_buffer_set_ssrc (&rtp, 0x1234);
  payload = gst_rtp_buffer_get_payload (&rtp);
  payload[0] = 0x80 | (start ? 0x10 : 0);
  payload[1] = 0x40 | 0x20;
  payload[2] = 7;
  payload[3] = (layer << 6) | (sync ? 0x20 : 0);
  gst_rtp_buffer_unmap (&rtp);
  return buffer;
}

static guint16
seq_of (GstBuffer *buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint16 seq;

  g_assert_true (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp));
  seq = gst_rtp_buffer_get_seq (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  return seq;
}

/* Passes frames of two packets each, layers 0 1 0 1 …; returns the sequence numbers that came
 * out, in @out (G_MAXUINT for a dropped packet). */
static void
pass_frames (BeaconLayerFilter *filter,
             guint16           *seq,
             guint              first_frame,
             guint              n_frames,
             gboolean           sync,
             guint             *out)
{
  for (guint f = 0; f < n_frames; f++)
    for (guint p = 0; p < 2; p++)
      {
        guint frame = first_frame + f;
        g_autoptr(GstBuffer) buffer = vp8_packet ((*seq)++, frame * 3000, p == 0, frame % 2,
                                                  sync);

        out[2 * f + p] = beacon_layer_filter_process (filter, &buffer) ? seq_of (buffer)
                                                                        : G_MAXUINT;
      }
}

static void
test_parse (void)
{
  const guint8 plain[] = { 0x10, 0x9d };
  const guint8 picture_id[] = { 0x90, 0xe0, 0x81, 0x02, 0x05, 0x60 };
  guint layer;
  gboolean sync, start;

  g_assert_true (beacon_layer_filter_parse_vp8 (plain, sizeof plain, &layer, &sync, &start));
  g_assert_cmpuint (layer, ==, 0);
  g_assert_true (sync);
  g_assert_true (start);
  /* 15 bit picture id, TL0PICIDX, TID 1 with Y. */
  g_assert_true (beacon_layer_filter_parse_vp8 (picture_id, sizeof picture_id, &layer, &sync,
                                                &start));
  g_assert_cmpuint (layer, ==, 1);
  g_assert_true (sync);
  g_assert_false (beacon_layer_filter_parse_vp8 (picture_id, 3, &layer, &sync, &start));
}

static void
test_drop_and_renumber (void)
{
  g_autoptr(BeaconLayerFilter) filter = beacon_layer_filter_new ();
  guint16 seq = 65530;
  guint out[8];

  /* Every layer: unchanged. */
  pass_frames (filter, &seq, 0, 2, TRUE, out);
  g_assert_cmpuint (out[0], ==, 65530);
  g_assert_cmpuint (out[3], ==, 65533);

  /* Base layer only: the upper frames go, the others follow without a gap, across the
   * sequence number's wrap. */
  beacon_layer_filter_set_max_layer (filter, 0);
  pass_frames (filter, &seq, 2, 4, TRUE, out);
  g_assert_cmpuint (out[0], ==, 65534);
  g_assert_cmpuint (out[1], ==, 65535);
  g_assert_cmpuint (out[2], ==, G_MAXUINT);
  g_assert_cmpuint (out[3], ==, G_MAXUINT);
  g_assert_cmpuint (out[4], ==, 0);
  g_assert_cmpuint (out[5], ==, 1);
  g_assert_cmpuint (out[6], ==, G_MAXUINT);
  g_assert_cmpuint (beacon_layer_filter_get_ssrc (filter), ==, 0x1234);

  /* Back up, but upper frames without the sync flag wait: they may refer to dropped ones. */
  beacon_layer_filter_set_max_layer (filter, 1);
  pass_frames (filter, &seq, 6, 2, FALSE, out);
  g_assert_cmpuint (out[0], ==, 2);
  g_assert_cmpuint (out[2], ==, G_MAXUINT);
  pass_frames (filter, &seq, 8, 2, TRUE, out);
  g_assert_cmpuint (out[0], ==, 4);
  g_assert_cmpuint (out[1], ==, 5);
  g_assert_cmpuint (out[2], ==, 6);
  g_assert_cmpuint (out[3], ==, 7);
}

static void
test_frame_not_cut (void)
{
  g_autoptr(BeaconLayerFilter) filter = beacon_layer_filter_new ();
  g_autoptr(GstBuffer) first = vp8_packet (10, 3000, TRUE, 1, TRUE);
  g_autoptr(GstBuffer) second = vp8_packet (11, 3000, FALSE, 1, TRUE);

  /* The layer changes in the middle of an upper frame: the frame still goes out whole. */
  g_assert_true (beacon_layer_filter_process (filter, &first));
  beacon_layer_filter_set_max_layer (filter, 0);
  g_assert_true (beacon_layer_filter_process (filter, &second));
  g_assert_cmpuint (seq_of (second), ==, 11);
}

#define SECOND G_USEC_PER_SEC

static void
test_controller (void)
{
  BeaconRateController *controller = beacon_rate_controller_new (2000, 150, 2000);
  gint64 now = 100 * SECOND;

  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now), ==, 2);
  /* 50 % loss: the estimate falls by a quarter, and the viewer gets the base layer. */
  beacon_rate_controller_add_report (controller, 128, now);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1500);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now), ==, 1);
  /* Some loss: it holds. */
  beacon_rate_controller_add_report (controller, 10, now + SECOND);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1500);
  /* Clean reports: 8 % a second, however many reports come. */
  beacon_rate_controller_add_report (controller, 0, now + 2 * SECOND);
  beacon_rate_controller_add_report (controller, 0, now + 2 * SECOND + SECOND / 2);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1620);
  /* Not beyond 1.6 times what it is sent. */
  beacon_rate_controller_set_sent_kbps (controller, 1000);
  beacon_rate_controller_add_report (controller, 0, now + 4 * SECOND);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1620);
  beacon_rate_controller_set_sent_kbps (controller, 1200);
  for (guint i = 5; i < 10; i++)
    beacon_rate_controller_add_report (controller, 0, now + i * SECOND);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1920);
  /* Above 90 % of the whole, but the probe waits for its hold time: 16 s, as the viewer's
   * start with every layer, a probe too, failed within 5 s. */
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 15 * SECOND),
                    ==, 1);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 17 * SECOND),
                    ==, 2);
  /* The probe fails at once: back to the base layer, and the next one waits 32 s. */
  beacon_rate_controller_add_report (controller, 200, now + 18 * SECOND);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 18 * SECOND),
                    ==, 1);
  beacon_rate_controller_set_sent_kbps (controller, 2000);
  for (guint i = 19; i < 50; i++)
    beacon_rate_controller_add_report (controller, 0, now + i * SECOND);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 49 * SECOND),
                    ==, 1);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 51 * SECOND),
                    ==, 2);
  /* This one holds for 5 s: the hold time is back to 8 s. */
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 57 * SECOND),
                    ==, 2);
  beacon_rate_controller_add_report (controller, 200, now + 58 * SECOND);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 58 * SECOND),
                    ==, 1);
  /* Heavy loss of a known rate: no more than what got through (2000 * 56 / 256 = 437), but
   * at most halved by one report. */
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1000);
  for (guint i = 59; i < 80; i++)
    beacon_rate_controller_add_report (controller, 0, now + i * SECOND);
  g_assert_cmpuint (beacon_rate_controller_update_layers (controller, 2000, 2, now + 79 * SECOND),
                    ==, 2);
  beacon_rate_controller_free (controller);
}

static void
test_start (void)
{
  BeaconRateController *controller = beacon_rate_controller_new (1000, 150, 2764);
  gint64 now = 100 * SECOND;

  /* Until the first loss, 25 % a second; after it, 8 %. */
  beacon_rate_controller_add_report (controller, 0, now + SECOND);
  beacon_rate_controller_add_report (controller, 0, now + 2 * SECOND);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1562);
  beacon_rate_controller_add_report (controller, 10, now + 3 * SECOND);
  beacon_rate_controller_add_report (controller, 0, now + 4 * SECOND);
  g_assert_cmpuint (beacon_rate_controller_get_kbps (controller), ==, 1687);
  beacon_rate_controller_free (controller);
}

static void
test_encoder_rates (void)
{
  guint total, base;

  /* Upper median: one narrow viewer of two does not pull the other down. */
  beacon_rate_controller_encoder_rates ((guint[]) { 2764, 800 }, 2, 150, 2764, 0.6, 0,
                                        &total, &base);
  g_assert_cmpuint (total, ==, 2764);
  g_assert_cmpuint (base, ==, 691);   /* 800 * 0.8 = 640, but at least a quarter */
  beacon_rate_controller_encoder_rates ((guint[]) { 900, 2764, 2764 }, 3, 150, 2764, 0.6, 0,
                                        &total, &base);
  g_assert_cmpuint (total, ==, 2764);
  g_assert_cmpuint (base, ==, 720);
  /* Two narrow of three: the encoder follows them. */
  beacon_rate_controller_encoder_rates ((guint[]) { 900, 2764, 1000 }, 3, 150, 2764, 0.6, 0,
                                        &total, &base);
  g_assert_cmpuint (total, ==, 1000);
  g_assert_cmpuint (base, ==, 600);
  /* The encoder makes a base layer of half the stream, more than the narrow viewer takes:
   * the whole comes down to fit it (640 / 0.5), not to the narrow viewer's rate. */
  beacon_rate_controller_encoder_rates ((guint[]) { 2764, 800 }, 2, 150, 2764, 0.6, 0.5,
                                        &total, &base);
  g_assert_cmpuint (total, ==, 1280);
  g_assert_cmpuint (base, ==, 640);
  /* A very narrow viewer: no lower than 40 % of the median's rate. */
  beacon_rate_controller_encoder_rates ((guint[]) { 2764, 200 }, 2, 150, 2764, 0.6, 0.5,
                                        &total, &base);
  g_assert_cmpuint (total, ==, 1105);
  /* No viewer: the configured rate. */
  beacon_rate_controller_encoder_rates (NULL, 0, 150, 2764, 0.6, 0, &total, &base);
  g_assert_cmpuint (total, ==, 2764);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/beacon/bandwidth/vp8-descriptor", test_parse);
  g_test_add_func ("/beacon/bandwidth/drop-and-renumber", test_drop_and_renumber);
  g_test_add_func ("/beacon/bandwidth/frame-not-cut", test_frame_not_cut);
  g_test_add_func ("/beacon/bandwidth/controller", test_controller);
  g_test_add_func ("/beacon/bandwidth/start", test_start);
  g_test_add_func ("/beacon/bandwidth/encoder-rates", test_encoder_rates);
  return g_test_run ();
}

/* test-peer-timeline.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report's timeline of one peer connection (beacon-peer-timeline) and the key frames it
 * recognises in RTP packets (beacon-rtp-key-frame), without a network.
 */

#include <gst/gst.h>
#include <gst/rtp/rtp.h>

#include "beacon-peer-timeline.h"
#include "beacon-rtp-key-frame.h"

static GstBuffer *
rtp_packet (const guint8 *payload,
            gsize         size)
{
  GstBuffer *buffer = gst_rtp_buffer_new_allocate (size, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  g_assert_true (gst_rtp_buffer_map (buffer, GST_MAP_WRITE, &rtp));
  memcpy (gst_rtp_buffer_get_payload (&rtp), payload, size);
  gst_rtp_buffer_unmap (&rtp);
  return buffer;
}

static gboolean
starts_key_frame (const guint8 *payload,
                  gsize         size,
                  const char   *encoding_name)
{
  g_autoptr(GstBuffer) buffer = rtp_packet (payload, size);

  return beacon_rtp_key_frame_starts (buffer, encoding_name);
}

static void
test_vp8 (void)
{
  /* S=1, PID=0, no extension; the frame tag's lowest bit: 0 key, 1 delta. */
  const guint8 key[] = { 0x10, 0x50, 0x2a, 0x00 };
  const guint8 delta[] = { 0x10, 0x51, 0x2a, 0x00 };
  /* X=1 with a 15-bit picture ID (I=1, M=1), then a key frame tag. */
  const guint8 key_with_picture_id[] = { 0x90, 0x80, 0x81, 0x23, 0x50 };
  const guint8 delta_with_picture_id[] = { 0x90, 0x80, 0x81, 0x23, 0x51 };
  /* Not the start of the partition: the byte after is no frame tag. */
  const guint8 continuation[] = { 0x00, 0x50 };

  g_assert_true (starts_key_frame (key, sizeof key, "VP8"));
  g_assert_false (starts_key_frame (delta, sizeof delta, "VP8"));
  g_assert_true (starts_key_frame (key_with_picture_id, sizeof key_with_picture_id, "VP8"));
  g_assert_false (starts_key_frame (delta_with_picture_id, sizeof delta_with_picture_id, "VP8"));
  g_assert_false (starts_key_frame (continuation, sizeof continuation, "VP8"));
  /* Truncated: an extension announced but missing. */
  g_assert_false (starts_key_frame (key_with_picture_id, 2, "VP8"));
}

static void
test_h264 (void)
{
  const guint8 idr[] = { 0x65, 0x88 };
  const guint8 non_idr[] = { 0x41, 0x9a };
  /* STAP-A: SPS (2 bytes), PPS (2 bytes). */
  const guint8 stap_a[] = { 0x18, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce };
  const guint8 stap_a_overlong[] = { 0x18, 0x00, 0x09, 0x41, 0x9a };
  /* FU-A of an IDR slice: the first fragment starts it, the next does not. */
  const guint8 fu_a_start[] = { 0x7c, 0x85, 0x88 };
  const guint8 fu_a_middle[] = { 0x7c, 0x05, 0x88 };
  const guint8 fu_a_non_idr[] = { 0x5c, 0x81, 0x9a };

  g_assert_true (starts_key_frame (idr, sizeof idr, "H264"));
  g_assert_false (starts_key_frame (non_idr, sizeof non_idr, "H264"));
  g_assert_true (starts_key_frame (stap_a, sizeof stap_a, "H264"));
  g_assert_true (starts_key_frame (fu_a_start, sizeof fu_a_start, "H264"));
  g_assert_false (starts_key_frame (fu_a_middle, sizeof fu_a_middle, "H264"));
  g_assert_false (starts_key_frame (fu_a_non_idr, sizeof fu_a_non_idr, "H264"));
  /* A STAP-A whose first size runs past the packet ends there, without reading beyond. */
  g_assert_false (starts_key_frame (stap_a_overlong, sizeof stap_a_overlong, "H264"));
  g_assert_false (starts_key_frame (idr, sizeof idr, "OPUS"));
  g_assert_false (starts_key_frame (idr, sizeof idr, NULL));
}

static void
test_marked_once (void)
{
  gint64 origin = g_get_monotonic_time () - 5 * G_USEC_PER_SEC;
  g_autoptr(BeaconPeerTimeline) timeline = beacon_peer_timeline_new (origin);

  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_OFFER), ==, -1);
  g_assert_true (beacon_peer_timeline_mark_at (timeline, BEACON_TIMELINE_OFFER,
                                               origin + 1200 * 1000));
  /* Only the first time counts: a second offer (a renegotiation) changes nothing. */
  g_assert_false (beacon_peer_timeline_mark (timeline, BEACON_TIMELINE_OFFER));
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_OFFER), ==, 1200);
  /* An event at the origin itself is 0 ms, not "never". */
  g_assert_true (beacon_peer_timeline_mark_at (timeline, BEACON_TIMELINE_VIEWER_JOINED, origin));
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_VIEWER_JOINED), ==, 0);
  g_assert_true (beacon_peer_timeline_mark (timeline, BEACON_TIMELINE_ICE_CONNECTED));
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_ICE_CONNECTED), >=,
                   5000);
}

static void
test_json (void)
{
  gint64 origin = g_get_monotonic_time ();
  g_autoptr(BeaconPeerTimeline) timeline = beacon_peer_timeline_new (origin);
  g_autoptr(JsonObject) watching = NULL;
  g_autoptr(JsonObject) broadcasting = NULL;

  beacon_peer_timeline_mark_at (timeline, BEACON_TIMELINE_OFFER, origin + 30 * 1000);
  beacon_peer_timeline_set_offered_locally (timeline, FALSE);
  /* Who offered is settled by the first offer. */
  beacon_peer_timeline_set_offered_locally (timeline, TRUE);
  watching = beacon_peer_timeline_to_json (timeline, TRUE);
  broadcasting = beacon_peer_timeline_to_json (timeline, FALSE);

  g_assert_cmpint (json_object_get_int_member (watching, "offer_ms"), ==, 30);
  g_assert_true (json_object_get_null_member (watching, "first_frame_ms"));
  g_assert_true (json_object_has_member (watching, "signaling_connected_ms"));
  g_assert_false (json_object_has_member (watching, "viewer_joined_ms"));
  g_assert_false (json_object_has_member (watching, "first_key_frame_sent_ms"));
  g_assert_cmpstr (json_object_get_string_member (watching, "offerer"), ==, "remote");

  g_assert_true (json_object_has_member (broadcasting, "viewer_joined_ms"));
  g_assert_true (json_object_has_member (broadcasting, "first_key_frame_sent_ms"));
  g_assert_false (json_object_has_member (broadcasting, "first_frame_ms"));
  g_assert_false (json_object_has_member (broadcasting, "signaling_connected_ms"));
}

static GstFlowReturn
drop_chain_cb (GstPad    *pad,
               GstObject *parent,
               GstBuffer *buffer)
{
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

/* The probes: a key frame after delta frames marks the event once, a first buffer at once,
 * and neither counts while the peer holds the media back. */
static void
test_probes (void)
{
  g_autoptr(BeaconPeerTimeline) timeline = beacon_peer_timeline_new (g_get_monotonic_time ());
  g_autoptr(GstPad) src = gst_pad_new ("src", GST_PAD_SRC);
  g_autoptr(GstPad) sink = gst_pad_new ("sink", GST_PAD_SINK);
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-vp8");
  gint *allowed = g_atomic_rc_box_new0 (gint);
  GstSegment segment;
  GstBuffer *buffer;

  gst_pad_set_chain_function (sink, drop_chain_cb);
  gst_pad_set_active (src, TRUE);
  gst_pad_set_active (sink, TRUE);
  g_assert_cmpint (gst_pad_link (src, sink), ==, GST_PAD_LINK_OK);
  gst_pad_push_event (src, gst_event_new_stream_start ("timeline"));
  gst_pad_push_event (src, gst_event_new_caps (caps));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (src, gst_event_new_segment (&segment));

  beacon_peer_timeline_watch_key_frame (timeline, src, BEACON_TIMELINE_FIRST_KEY_FRAME,
                                        allowed);
  beacon_peer_timeline_watch_first_buffer (timeline, src, BEACON_TIMELINE_FIRST_RTP, allowed);

  /* Held back: nothing counts, even a key frame. */
  gst_pad_push (src, gst_buffer_new ());
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_FIRST_RTP), ==, -1);
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_FIRST_KEY_FRAME),
                   ==, -1);

  g_atomic_int_set (allowed, 1);
  buffer = gst_buffer_new ();
  GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  gst_pad_push (src, buffer);
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_FIRST_RTP), >=, 0);
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_FIRST_KEY_FRAME),
                   ==, -1);
  gst_pad_push (src, gst_buffer_new ());
  g_assert_cmpint (beacon_peer_timeline_get_ms (timeline, BEACON_TIMELINE_FIRST_KEY_FRAME),
                   >=, 0);

  gst_pad_set_active (src, FALSE);
  gst_pad_set_active (sink, FALSE);
  g_atomic_rc_box_release (allowed);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/peer-timeline/rtp-key-frame-vp8", test_vp8);
  g_test_add_func ("/beacon/peer-timeline/rtp-key-frame-h264", test_h264);
  g_test_add_func ("/beacon/peer-timeline/marked-once", test_marked_once);
  g_test_add_func ("/beacon/peer-timeline/json", test_json);
  g_test_add_func ("/beacon/peer-timeline/probes", test_probes);

  return g_test_run ();
}

/* beacon-loss-recovery.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-loss-recovery.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

/* How webrtcbin 1.22 wires NACK and RTX (gstwebrtcbin.c): a transceiver's do-nack adds
 * rtcp-fb nack to its caps and an rtx payload type (apt=) to the offer or answer; rtpbin then
 * asks for an aux sender (rtprtxsend, keeping the last 500 packets) and an aux receiver
 * (rtprtxreceive), and each new rtpjitterbuffer gets do-retransmission from its transceiver's
 * do-nack. The jitter buffers' latency is webrtcbin's "latency". */

/* Long enough for a retransmission request, its answer and one more try on a path with a
 * round trip of about 100 ms; the default 200 ms leaves room for only one on such a path.
 * Packets in order pass at once: the latency is only how long a gap may hold them up. */
G_STATIC_ASSERT (BEACON_LOSS_RECOVERY_LATENCY_MS >= 200);

/* The jitter buffer starts after this many packets in sequence instead of holding the first
 * one for the whole latency: a key frame is dozens of packets, so a new viewer's first
 * picture no longer waits for the latency made larger for retransmissions. */
#define FASTSTART_MIN_PACKETS 2

static void
new_transceiver_cb (GstElement              *webrtcbin,
                    GstWebRTCRTPTransceiver *transceiver,
                    gpointer                 user_data)
{
  GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
  GstWebRTCRTPTransceiverDirection direction = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE;

  /* Sending, video only: with do-nack on audio, webrtcbin 1.22 announces an RTX SSRC in the
   * audio m-line too, and Chromium refuses such an offer ("Failed to add remote stream ssrc
   * … to {mid: audio1}"); browsers do not NACK audio, Opus in-band FEC repairs it. Receiving,
   * every transceiver: in a bundle, 1.22 takes a jitter buffer's do-retransmission from the
   * transceiver its SSRC maps to, and with only the video one set no NACK went out at all.
   * A receiver's answer adds RTX only where the offer has it. */
  g_object_get (transceiver, "kind", &kind, "direction", &direction, NULL);
  if (kind == GST_WEBRTC_KIND_VIDEO || direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY)
    g_object_set (transceiver, "do-nack", TRUE, NULL);
}

static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory ? gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)) : NULL;

  if (g_strcmp0 (name, "rtpjitterbuffer") != 0)
    return;
  /* By default the jitter buffer also asks for the packet it expects next, timed from the
   * spacing of the packets so far. Video comes in bursts (a frame's packets, then nothing
   * for 33 ms), so that guess fires before the next frame was even sent: on a lossless
   * loopback it made 72 needless NACKs and 169 retransmissions in 8 s (25 % more packets),
   * most of them right after the new viewer's key frame. Gaps are still found by the packets
   * after them. */
  g_object_set (element,
                "rtx-next-seqnum", FALSE,
                "faststart-min-packets", FASTSTART_MIN_PACKETS,
                NULL);
}

void
beacon_loss_recovery_before_negotiation (GstElement *webrtcbin)
{
  g_autoptr(GArray) transceivers = NULL;

  /* A transceiver made for a requested sink pad learns its kind only from the caps that come
   * later, so on-new-transceiver saw it unknown: by the time a description is made, it is
   * known. */
  g_signal_emit_by_name (webrtcbin, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers != NULL && i < transceivers->len; i++)
    new_transceiver_cb (webrtcbin, g_array_index (transceivers, GstWebRTCRTPTransceiver *, i),
                        NULL);
}

void
beacon_loss_recovery_configure (GstElement *webrtcbin)
{
  g_object_set (webrtcbin, "latency", BEACON_LOSS_RECOVERY_LATENCY_MS, NULL);
  g_signal_connect (webrtcbin, "on-new-transceiver", G_CALLBACK (new_transceiver_cb), NULL);
  g_signal_connect (webrtcbin, "deep-element-added", G_CALLBACK (deep_element_added_cb), NULL);
}

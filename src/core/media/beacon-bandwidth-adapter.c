/* beacon-bandwidth-adapter.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-bandwidth-adapter.h"

#include <string.h>

#include <gst/rtp/rtp.h>

#include "beacon-rate-controller.h"

/* Two temporal layers: the base layer is every other frame, so a narrow viewer keeps 15 of
 * 30 fps. Three would leave it 7.5 fps at the narrowest step. */
#define N_LAYERS 2
/* The base layer's natural share of the whole when every viewer takes everything (what
 * libvpx spends on it at 1280x720 with this pattern: references cost more). */
#define BASE_SHARE 0.6
/* Below this a 1280x720 picture is mush for everyone: the encoder does not go lower. */
#define MIN_KBPS 150
/* A new viewer's estimate: what most links carry. Starting at the configured rate swamped a
 * narrow viewer for the seconds its first reports took (a freeze of 2 to 3 s at 800 kbit/s);
 * from here a wide one reaches 2.8 Mbit/s in about five seconds. */
#define START_KBPS 1000
#define TICK_MS 1000
#define MAX_INTRA_PERCENT 300
/* Distinct packets NACKed in a second, as a share of those sent, that count as loss. */
#define HIGH_NACK_RATIO 0.1
/* The encoder is reconfigured only for changes larger than this, in per cent. */
#define MIN_CHANGE_PERCENT 5

typedef struct {
  BeaconRateController *controller;
  BeaconLayerFilter    *filter;      /* nullable: no temporal layers */
  GstElement           *rtpbin;
  gulong                active_handler;
  gulong                sender_handler;
  GMutex                lock;
  guint32               hooked_sessions;   /* bit per RTP session id, under lock */
  GHashTable           *nacked;            /* sequence numbers NACKed since the last tick,
                                            * under lock */
  /* The main thread's */
  guint64               last_bytes;
  guint64               last_packets;
  gint64                last_time_us;
  guint                 sent_kbps;
} Viewer;

struct _BeaconBandwidthAdapter
{
  GObject      parent_instance;

  GstElement  *encoder;
  gboolean     temporal_layers;
  guint        max_kbps;
  guint        total_kbps;
  guint        base_kbps;
  double       measured_share;   /* the base layer's share of the stream, smoothed; 0 unknown */
  guint64      seen_base_bytes;
  guint64      seen_bytes;
  gpointer     share_viewer;     /* unowned: only compared with */
  GHashTable  *viewers;   /* webrtcbin (unowned key) → Viewer */
  GPtrArray   *order;     /* the webrtcbins in the order they came, for the report */
  GSource     *timer;
};

G_DEFINE_FINAL_TYPE (BeaconBandwidthAdapter, beacon_bandwidth_adapter, G_TYPE_OBJECT)

static void
viewer_clear (gpointer data)
{
  Viewer *viewer = data;

  beacon_rate_controller_free (viewer->controller);
  if (viewer->filter != NULL)
    beacon_layer_filter_unref (viewer->filter);
  gst_clear_object (&viewer->rtpbin);
  g_hash_table_unref (viewer->nacked);
  g_mutex_clear (&viewer->lock);
}

static Viewer *
viewer_ref (Viewer *viewer)
{
  return g_atomic_rc_box_acquire (viewer);
}

static void
viewer_unref (gpointer viewer)
{
  g_atomic_rc_box_release_full (viewer, viewer_clear);
}

static void
viewer_unref_closure (gpointer  viewer,
                      GClosure *closure)
{
  viewer_unref (viewer);
}

/* The bitrate of a REMB (draft-alvestrand-rmcat-remb): "REMB", number of SSRCs, then a 6 bit
 * exponent and an 18 bit mantissa. */
static gboolean
parse_remb (GstRTCPPacket *packet,
            guint64       *bitrate)
{
  guint8 *fci = gst_rtcp_packet_fb_get_fci (packet);
  guint length = gst_rtcp_packet_fb_get_fci_length (packet) * 4;

  if (gst_rtcp_packet_fb_get_type (packet) != GST_RTCP_PSFB_TYPE_AFB || fci == NULL ||
      length < 8 || memcmp (fci, "REMB", 4) != 0)
    return FALSE;
  *bitrate = (guint64) (((fci[5] & 0x03) << 16) | (fci[6] << 8) | fci[7]) << (fci[5] >> 2);
  return TRUE;
}

/* RFC 4585 generic NACK: each FCI entry is a packet id and a bitmask of the 16 after it.
 * Only distinct sequence numbers count: the jitter buffer asks again for the same ones. */
static void
add_nacks (Viewer        *viewer,
           GstRTCPPacket *packet)
{
  guint8 *fci = gst_rtcp_packet_fb_get_fci (packet);
  guint length = gst_rtcp_packet_fb_get_fci_length (packet);

  if (fci == NULL)
    return;
  g_mutex_lock (&viewer->lock);
  for (guint i = 0; i < length; i++)
    {
      guint16 pid = GST_READ_UINT16_BE (fci + 4 * i);
      guint16 blp = GST_READ_UINT16_BE (fci + 4 * i + 2);

      g_hash_table_add (viewer->nacked, GUINT_TO_POINTER (pid));
      for (guint bit = 0; bit < 16; bit++)
        if (blp & (1u << bit))
          g_hash_table_add (viewer->nacked, GUINT_TO_POINTER ((guint16) (pid + bit + 1)));
    }
  g_mutex_unlock (&viewer->lock);
}

/* Runs on the thread that receives the viewer's RTCP (decrypted). */
static void
receiving_rtcp_cb (GObject   *session,
                   GstBuffer *buffer,
                   Viewer    *viewer)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean more;
  gboolean have_report = FALSE;
  guint worst = 0;
  guint64 remb;

  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp))
    return;
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
       more = gst_rtcp_packet_move_to_next (&packet))
    {
      GstRTCPType type = gst_rtcp_packet_get_type (&packet);

      if (type == GST_RTCP_TYPE_RR || type == GST_RTCP_TYPE_SR)
        {
          guint count = gst_rtcp_packet_get_rb_count (&packet);

          /* The worst of the viewer's report blocks (video, audio, retransmissions): they
           * all share its path. */
          for (guint i = 0; i < count; i++)
            {
              guint32 ssrc, exthighestseq, jitter, lsr, dlsr;
              guint8 fraction_lost;
              gint32 packets_lost;

              gst_rtcp_packet_get_rb (&packet, i, &ssrc, &fraction_lost, &packets_lost,
                                      &exthighestseq, &jitter, &lsr, &dlsr);
              worst = MAX (worst, fraction_lost);
              have_report = TRUE;
            }
        }
      else if (type == GST_RTCP_TYPE_PSFB && parse_remb (&packet, &remb))
        beacon_rate_controller_add_remb (viewer->controller, remb);
      else if (type == GST_RTCP_TYPE_RTPFB &&
               gst_rtcp_packet_fb_get_type (&packet) == GST_RTCP_RTPFB_TYPE_NACK)
        add_nacks (viewer, &packet);
    }
  gst_rtcp_buffer_unmap (&rtcp);
  if (have_report)
    beacon_rate_controller_add_report (viewer->controller, worst, g_get_monotonic_time ());
}

/* The RTP sessions exist only once webrtcbin negotiated: each is hooked when the broadcaster
 * starts sending in it, or else the first time its viewer sends a report in it. Runs on a
 * streaming thread. */
static void
hook_session_cb (GstElement *rtpbin,
                 guint       session_id,
                 guint       ssrc,
                 Viewer     *viewer)
{
  GObject *session = NULL;

  if (session_id >= 32)
    return;
  g_mutex_lock (&viewer->lock);
  if ((viewer->hooked_sessions & (1u << session_id)) == 0)
    {
      g_signal_emit_by_name (rtpbin, "get-internal-session", session_id, &session);
      if (session != NULL)
        {
          viewer->hooked_sessions |= 1u << session_id;
          g_signal_connect_data (session, "on-receiving-rtcp", G_CALLBACK (receiving_rtcp_cb),
                                 viewer_ref (viewer), viewer_unref_closure, 0);
          g_object_unref (session);
        }
    }
  g_mutex_unlock (&viewer->lock);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
/* vpxenc's per-layer properties are GValueArrays, which have no replacement there. */
static void
set_int_array (GstElement *element,
               const char *property,
               const int  *values,
               guint       n)
{
  GValueArray *array = g_value_array_new (n);

  for (guint i = 0; i < n; i++)
    {
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, values[i]);
      g_value_array_append (array, &value);
      g_value_unset (&value);
    }
  g_object_set (element, property, array, NULL);
  g_value_array_free (array);
}
G_GNUC_END_IGNORE_DEPRECATIONS

static void
set_encoder_rates (BeaconBandwidthAdapter *self,
                   guint                   total_kbps,
                   guint                   base_kbps)
{
  self->total_kbps = total_kbps;
  self->base_kbps = base_kbps;
  if (!self->temporal_layers)
    {
      g_object_set (self->encoder, "bitrate", total_kbps, NULL);   /* x264enc: kbit/s */
      return;
    }
  /* libvpx takes the layers' rates cumulatively: the base, then base and upper together. */
  set_int_array (self->encoder, "temporal-scalability-target-bitrate",
                 (int[]) { base_kbps * 1000, total_kbps * 1000 }, N_LAYERS);
  g_object_set (self->encoder, "target-bitrate", (int) total_kbps * 1000, NULL);
}

/* Two layers over a period of two frames. Each base frame refers to the previous base frame
 * only; each upper frame refers to the previous base frame only and updates nothing (no
 * reference, no entropy), so dropping any upper frame harms no other and every upper frame
 * is a layer sync point. */
static void
configure_layers (BeaconBandwidthAdapter *self)
{
  g_object_set (self->encoder, "temporal-scalability-number-layers", N_LAYERS,
                "temporal-scalability-periodicity", N_LAYERS, NULL);
  set_int_array (self->encoder, "temporal-scalability-layer-id", (int[]) { 0, 1 }, N_LAYERS);
  set_int_array (self->encoder, "temporal-scalability-rate-decimator", (int[]) { 2, 1 },
                 N_LAYERS);
  gst_util_set_object_arg (G_OBJECT (self->encoder), "temporal-scalability-layer-flags",
                           "<no-ref-golden+no-ref-alt+no-upd-golden+no-upd-alt,"
                           "no-ref-golden+no-ref-alt+no-upd-last+no-upd-golden+no-upd-alt"
                           "+no-upd-entropy>");
  /* vpxenc 1.22 divides by the number of these: it must be set with the layer ids. */
  gst_util_set_object_arg (G_OBJECT (self->encoder), "temporal-scalability-layer-sync-flags",
                           "<false,true>");
  /* Every key frame is in the base layer, which the narrowest viewer must carry: unbounded,
   * a 1280x720 key frame takes an 800 kbit/s link most of a second, the viewer loses packets,
   * asks for another key frame, and so on. Three average frames is what WebRTC allows it on
   * a link of about that size. */
  g_object_set (self->encoder, "max-intra-bitrate", MAX_INTRA_PERCENT, NULL);
}

static gboolean
differs (guint a,
         guint b)
{
  return (guint64) MAX (a, b) * 100 > (guint64) MIN (a, b) * (100 + MIN_CHANGE_PERCENT);
}

static void
measure_share (BeaconBandwidthAdapter *self,
               gpointer                viewer_key,
               BeaconLayerFilter      *filter)
{
  guint64 base, all;
  double share;

  beacon_layer_filter_get_seen_bytes (filter, &base, &all);
  if (viewer_key != self->share_viewer || all <= self->seen_bytes)
    {
      /* Another viewer's filter, or nothing new: counted from here on. */
      self->share_viewer = viewer_key;
      self->seen_bytes = all;
      self->seen_base_bytes = base;
      return;
    }
  share = (double) (base - self->seen_base_bytes) / (all - self->seen_bytes);
  self->seen_bytes = all;
  self->seen_base_bytes = base;
  /* Smoothed over a few seconds: key frames, all in the base layer, come in bursts. */
  self->measured_share = self->measured_share == 0 ? share
                                                   : 0.7 * self->measured_share + 0.3 * share;
}

static gboolean
tick_cb (gpointer user_data)
{
  BeaconBandwidthAdapter *self = user_data;
  g_autofree guint *kbps = g_new0 (guint, MAX (1, self->order->len));
  gint64 now = g_get_monotonic_time ();
  guint total, base;

  for (guint i = 0; i < self->order->len; i++)
    {
      Viewer *viewer = g_hash_table_lookup (self->viewers, g_ptr_array_index (self->order, i));

      kbps[i] = beacon_rate_controller_get_kbps (viewer->controller);
    }
  /* Every filter sees the whole stream: the oldest viewer's counters serve. */
  if (self->order->len > 0)
    {
      gpointer first = g_ptr_array_index (self->order, 0);
      Viewer *viewer = g_hash_table_lookup (self->viewers, first);

      if (viewer->filter != NULL)
        measure_share (self, first, viewer->filter);
    }
  beacon_rate_controller_encoder_rates (kbps, self->order->len, MIN_KBPS, self->max_kbps,
                                        BASE_SHARE, self->measured_share, &total, &base);
  if (differs (total, self->total_kbps) || differs (base, self->base_kbps))
    set_encoder_rates (self, total, base);

  for (guint i = 0; i < self->order->len; i++)
    {
      Viewer *viewer = g_hash_table_lookup (self->viewers, g_ptr_array_index (self->order, i));
      guint layers = beacon_rate_controller_update_layers (viewer->controller, self->total_kbps,
                                                          self->temporal_layers ? N_LAYERS : 1,
                                                          now);

      if (viewer->filter != NULL)
        {
          guint64 bytes = beacon_layer_filter_get_bytes (viewer->filter);
          guint64 packets = beacon_layer_filter_get_packets (viewer->filter);
          guint nacked;

          g_mutex_lock (&viewer->lock);
          nacked = g_hash_table_size (viewer->nacked);
          g_hash_table_remove_all (viewer->nacked);
          g_mutex_unlock (&viewer->lock);
          /* The NACKs come within a round trip of a loss, receiver reports only every so
           * often (5 s from a GStreamer viewer by default, and late when its link is
           * swamped): heavy loss the NACKs show counts as a report. */
          if (viewer->last_time_us != 0 && packets > viewer->last_packets &&
              nacked > HIGH_NACK_RATIO * (packets - viewer->last_packets))
            beacon_rate_controller_add_report (viewer->controller,
                                               MIN (255, 256 * nacked /
                                                         (packets - viewer->last_packets)),
                                               now);
          viewer->last_packets = packets;

          beacon_layer_filter_set_max_layer (viewer->filter, layers - 1);
          if (viewer->last_time_us != 0 && now > viewer->last_time_us)
            viewer->sent_kbps = (guint) ((bytes - viewer->last_bytes) * 8 * 1000 /
                                         (guint64) (now - viewer->last_time_us));
          viewer->last_bytes = bytes;
          viewer->last_time_us = now;
          beacon_rate_controller_set_sent_kbps (viewer->controller, viewer->sent_kbps);
        }
    }
  return G_SOURCE_CONTINUE;
}

BeaconBandwidthAdapter *
beacon_bandwidth_adapter_new (GstElement *encoder,
                              gboolean    temporal_layers,
                              guint       max_kbps)
{
  BeaconBandwidthAdapter *self;

  g_return_val_if_fail (GST_IS_ELEMENT (encoder), NULL);

  self = g_object_new (BEACON_TYPE_BANDWIDTH_ADAPTER, NULL);
  self->encoder = gst_object_ref (encoder);
  self->temporal_layers = temporal_layers;
  self->max_kbps = MAX (max_kbps, MIN_KBPS);
  if (temporal_layers)
    configure_layers (self);
  set_encoder_rates (self, self->max_kbps, (guint) (self->max_kbps * BASE_SHARE));
  self->timer = g_timeout_source_new (TICK_MS);
  g_source_set_callback (self->timer, tick_cb, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
  return self;
}

BeaconLayerFilter *
beacon_bandwidth_adapter_add_viewer (BeaconBandwidthAdapter *self,
                                     GstElement             *webrtcbin)
{
  Viewer *viewer;

  g_return_val_if_fail (BEACON_IS_BANDWIDTH_ADAPTER (self), NULL);
  g_return_val_if_fail (GST_IS_BIN (webrtcbin), NULL);

  beacon_bandwidth_adapter_remove_viewer (self, webrtcbin);
  viewer = g_atomic_rc_box_new0 (Viewer);
  g_mutex_init (&viewer->lock);
  viewer->nacked = g_hash_table_new (NULL, NULL);
  viewer->controller = beacon_rate_controller_new (START_KBPS, MIN_KBPS, self->max_kbps);
  if (self->temporal_layers)
    viewer->filter = beacon_layer_filter_new ();
  /* webrtcbin's own rtpbin, made when webrtcbin is: the one place its RTCP is decrypted and
   * parsed. */
  viewer->rtpbin = gst_bin_get_by_name (GST_BIN (webrtcbin), "rtpbin");
  if (viewer->rtpbin != NULL)
    {
      viewer->active_handler = g_signal_connect_data (viewer->rtpbin, "on-ssrc-active",
                                                      G_CALLBACK (hook_session_cb),
                                                      viewer_ref (viewer), viewer_unref_closure,
                                                      0);
      viewer->sender_handler = g_signal_connect_data (viewer->rtpbin, "on-new-sender-ssrc",
                                                      G_CALLBACK (hook_session_cb),
                                                      viewer_ref (viewer), viewer_unref_closure,
                                                      0);
    }
  else
    g_warning ("webrtcbin has no rtpbin: this viewer's bandwidth is not followed");
  g_hash_table_insert (self->viewers, webrtcbin, viewer);
  g_ptr_array_add (self->order, webrtcbin);
  return viewer->filter;
}

void
beacon_bandwidth_adapter_remove_viewer (BeaconBandwidthAdapter *self,
                                        GstElement             *webrtcbin)
{
  Viewer *viewer;

  g_return_if_fail (BEACON_IS_BANDWIDTH_ADAPTER (self));

  viewer = g_hash_table_lookup (self->viewers, webrtcbin);
  if (viewer == NULL)
    return;
  if (viewer->active_handler != 0)
    g_signal_handler_disconnect (viewer->rtpbin, viewer->active_handler);
  if (viewer->sender_handler != 0)
    g_signal_handler_disconnect (viewer->rtpbin, viewer->sender_handler);
  g_ptr_array_remove (self->order, webrtcbin);
  g_hash_table_remove (self->viewers, webrtcbin);
}

JsonObject *
beacon_bandwidth_adapter_to_json (BeaconBandwidthAdapter *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *viewers = json_array_new ();

  g_return_val_if_fail (BEACON_IS_BANDWIDTH_ADAPTER (self), object);

  json_object_set_int_member (object, "encoder_kbps", self->total_kbps);
  json_object_set_int_member (object, "base_layer_kbps",
                              self->temporal_layers ? self->base_kbps : self->total_kbps);
  json_object_set_int_member (object, "layers", self->temporal_layers ? N_LAYERS : 1);
  json_object_set_double_member (object, "base_layer_share", self->measured_share);
  for (guint i = 0; i < self->order->len; i++)
    {
      Viewer *viewer = g_hash_table_lookup (self->viewers, g_ptr_array_index (self->order, i));
      JsonObject *entry = json_object_new ();
      guint layers = beacon_rate_controller_get_layers (viewer->controller);

      json_object_set_int_member (entry, "estimate_kbps",
                                  beacon_rate_controller_get_kbps (viewer->controller));
      json_object_set_double_member (entry, "loss_percent",
                                     beacon_rate_controller_get_loss (viewer->controller));
      json_object_set_int_member (entry, "reports",
                                  beacon_rate_controller_get_reports (viewer->controller));
      json_object_set_int_member (entry, "layers", layers != 0 ? layers : 1);
      if (viewer->filter != NULL)
        json_object_set_int_member (entry, "sent_video_kbps", viewer->sent_kbps);
      json_array_add_object_element (viewers, entry);
    }
  json_object_set_array_member (object, "viewers", viewers);
  return object;
}

void
beacon_bandwidth_adapter_detach (BeaconBandwidthAdapter *self)
{
  g_return_if_fail (BEACON_IS_BANDWIDTH_ADAPTER (self));

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  while (self->order->len > 0)
    beacon_bandwidth_adapter_remove_viewer (self, g_ptr_array_index (self->order, 0));
}

static void
beacon_bandwidth_adapter_dispose (GObject *object)
{
  BeaconBandwidthAdapter *self = BEACON_BANDWIDTH_ADAPTER (object);

  beacon_bandwidth_adapter_detach (self);
  gst_clear_object (&self->encoder);

  G_OBJECT_CLASS (beacon_bandwidth_adapter_parent_class)->dispose (object);
}

static void
beacon_bandwidth_adapter_finalize (GObject *object)
{
  BeaconBandwidthAdapter *self = BEACON_BANDWIDTH_ADAPTER (object);

  g_hash_table_unref (self->viewers);
  g_ptr_array_unref (self->order);

  G_OBJECT_CLASS (beacon_bandwidth_adapter_parent_class)->finalize (object);
}

static void
beacon_bandwidth_adapter_class_init (BeaconBandwidthAdapterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_bandwidth_adapter_dispose;
  object_class->finalize = beacon_bandwidth_adapter_finalize;
}

static void
beacon_bandwidth_adapter_init (BeaconBandwidthAdapter *self)
{
  self->viewers = g_hash_table_new_full (NULL, NULL, NULL, viewer_unref);
  self->order = g_ptr_array_new ();
}

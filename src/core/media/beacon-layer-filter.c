/* beacon-layer-filter.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-layer-filter.h"

#include <gst/rtp/rtp.h>

#include "beacon-media-source.h"

/* VP8 allows up to four temporal layers (TID is two bits). */
#define MAX_LAYERS 4

struct _BeaconLayerFilter
{
  GMutex   lock;
  guint    max_layer;
  /* Everything below is the streaming thread's, under lock too because the reading of the
   * counters comes from elsewhere. */
  gboolean synced[MAX_LAYERS];   /* forwarding layer i again since its last sync frame */
  gboolean have_frame;
  guint32  frame_timestamp;
  gboolean frame_dropped;        /* the decision for every packet of the current frame */
  guint16  seq_offset;           /* packets dropped so far, taken off every sequence number */
  guint64  bytes;
  guint64  packets;
  guint64  seen_bytes;           /* every packet that came, forwarded or not */
  guint64  seen_base_bytes;      /* of them, the base layer's */
  guint32  ssrc;
};

BeaconLayerFilter *
beacon_layer_filter_new (void)
{
  BeaconLayerFilter *self = g_atomic_rc_box_new0 (BeaconLayerFilter);

  g_mutex_init (&self->lock);
  self->max_layer = MAX_LAYERS - 1;
  for (guint i = 0; i < MAX_LAYERS; i++)
    self->synced[i] = TRUE;
  return self;
}

BeaconLayerFilter *
beacon_layer_filter_ref (BeaconLayerFilter *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
layer_filter_clear (gpointer data)
{
  BeaconLayerFilter *self = data;

  g_mutex_clear (&self->lock);
}

void
beacon_layer_filter_unref (BeaconLayerFilter *self)
{
  g_atomic_rc_box_release_full (self, layer_filter_clear);
}

void
beacon_layer_filter_set_max_layer (BeaconLayerFilter *self,
                                   guint              max_layer)
{
  g_mutex_lock (&self->lock);
  self->max_layer = MIN (max_layer, MAX_LAYERS - 1);
  g_mutex_unlock (&self->lock);
}

guint
beacon_layer_filter_get_max_layer (BeaconLayerFilter *self)
{
  guint max_layer;

  g_mutex_lock (&self->lock);
  max_layer = self->max_layer;
  g_mutex_unlock (&self->lock);
  return max_layer;
}

guint64
beacon_layer_filter_get_bytes (BeaconLayerFilter *self)
{
  guint64 bytes;

  g_mutex_lock (&self->lock);
  bytes = self->bytes;
  g_mutex_unlock (&self->lock);
  return bytes;
}

void
beacon_layer_filter_get_seen_bytes (BeaconLayerFilter *self,
                                    guint64           *base,
                                    guint64           *all)
{
  g_mutex_lock (&self->lock);
  *base = self->seen_base_bytes;
  *all = self->seen_bytes;
  g_mutex_unlock (&self->lock);
}

guint64
beacon_layer_filter_get_packets (BeaconLayerFilter *self)
{
  guint64 packets;

  g_mutex_lock (&self->lock);
  packets = self->packets;
  g_mutex_unlock (&self->lock);
  return packets;
}

guint32
beacon_layer_filter_get_ssrc (BeaconLayerFilter *self)
{
  guint32 ssrc;

  g_mutex_lock (&self->lock);
  ssrc = self->ssrc;
  g_mutex_unlock (&self->lock);
  return ssrc;
}

/* RFC 7741 section 4.2: X|R|N|S|R|PID, then with X: I|L|T|K|RSV, PictureID (I, 7 or 15
 * bits), TL0PICIDX (L), TID|Y|KEYIDX (T or K). */
gboolean
beacon_layer_filter_parse_vp8 (const guint8 *payload,
                               gsize         size,
                               guint        *layer,
                               gboolean     *sync,
                               gboolean     *frame_start)
{
  gsize offset = 2;
  guint8 extension;

  *layer = 0;
  *sync = TRUE;
  if (size < 1)
    return FALSE;
  *frame_start = (payload[0] & 0x10) != 0 && (payload[0] & 0x0f) == 0;
  if ((payload[0] & 0x80) == 0)
    return TRUE;
  if (size < 2)
    return FALSE;
  extension = payload[1];
  if (extension & 0x80)
    {
      if (size <= offset)
        return FALSE;
      offset += (payload[offset] & 0x80) ? 2 : 1;
    }
  if (extension & 0x40)
    offset++;
  if (extension & 0x20)
    {
      if (size <= offset)
        return FALSE;
      *layer = payload[offset] >> 6;
      *sync = (payload[offset] & 0x20) != 0;
    }
  return TRUE;
}

gboolean
beacon_layer_filter_process (BeaconLayerFilter  *self,
                             GstBuffer         **buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint layer = 0;
  gboolean sync = TRUE, frame_start = FALSE, parsed;
  guint32 timestamp;
  guint16 seq_offset;
  gboolean drop;

  if (!gst_rtp_buffer_map (*buffer, GST_MAP_READ, &rtp))
    return TRUE;
  parsed = beacon_layer_filter_parse_vp8 (gst_rtp_buffer_get_payload (&rtp),
                                          gst_rtp_buffer_get_payload_len (&rtp),
                                          &layer, &sync, &frame_start);
  timestamp = gst_rtp_buffer_get_timestamp (&rtp);

  g_mutex_lock (&self->lock);
  self->ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  self->seen_bytes += gst_buffer_get_size (*buffer);
  if (!parsed || layer == 0)
    self->seen_base_bytes += gst_buffer_get_size (*buffer);
  /* Every packet of a frame shares its timestamp: the decision is made once per frame, so a
   * frame is never cut in half when the chosen layer changes while it passes. */
  if (!self->have_frame || timestamp != self->frame_timestamp || frame_start)
    {
      self->have_frame = TRUE;
      self->frame_timestamp = timestamp;
      if (!parsed || layer == 0)
        self->frame_dropped = FALSE;
      else if (layer > self->max_layer)
        {
          self->frame_dropped = TRUE;
          /* Its later frames may refer to this one: wait for a sync frame. */
          for (guint i = layer; i < MAX_LAYERS; i++)
            self->synced[i] = FALSE;
        }
      else
        {
          if (sync)
            self->synced[layer] = TRUE;
          self->frame_dropped = !self->synced[layer];
        }
    }
  drop = self->frame_dropped;
  if (drop)
    self->seq_offset++;
  else
    {
      self->bytes += gst_buffer_get_size (*buffer);
      self->packets++;
    }
  seq_offset = self->seq_offset;
  g_mutex_unlock (&self->lock);

  if (drop)
    return FALSE;
  if (seq_offset != 0)
    {
      *buffer = gst_buffer_make_writable (*buffer);
      /* Mapping for writing copies the memory the other viewers' branches share. */
      if (gst_rtp_buffer_map (*buffer, GST_MAP_READWRITE, &rtp))
        {
          gst_rtp_buffer_set_seq (&rtp, gst_rtp_buffer_get_seq (&rtp) - seq_offset);
          gst_rtp_buffer_unmap (&rtp);
        }
    }
  return TRUE;
}

static gboolean
filter_one_cb (GstBuffer **buffer,
               guint       index,
               gpointer    user_data)
{
  if (!beacon_layer_filter_process (user_data, buffer))
    gst_clear_buffer (buffer);
  return TRUE;
}

static GstPadProbeReturn
filter_cb (GstPad          *pad,
           GstPadProbeInfo *info,
           gpointer         user_data)
{
  return beacon_media_probe_each_buffer (info, filter_one_cb, user_data);
}

void
beacon_layer_filter_attach (BeaconLayerFilter *self,
                            GstPad            *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, filter_cb,
                     beacon_layer_filter_ref (self),
                     (GDestroyNotify) beacon_layer_filter_unref);
}

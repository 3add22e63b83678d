/* beacon-rtp-key-frame.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-rtp-key-frame.h"

#include <gst/rtp/rtp.h>

#define H264_NAL_IDR    5
#define H264_NAL_SPS    7
#define H264_NAL_STAP_A 24
#define H264_NAL_FU_A   28

static gboolean
vp8_key_frame_starts (const guint8 *payload,
                      gsize         size)
{
  gsize offset = 1;

  if (size < 1)
    return FALSE;
  /* S (start of a partition) with partition index 0: the VP8 frame header follows. */
  if ((payload[0] & 0x10) == 0 || (payload[0] & 0x07) != 0)
    return FALSE;
  if (payload[0] & 0x80)
    {
      guint8 extension;

      if (size < 2)
        return FALSE;
      extension = payload[1];
      offset = 2;
      if (extension & 0x80)                     /* I: picture ID, 7 or 15 bits */
        {
          if (offset >= size)
            return FALSE;
          offset += (payload[offset] & 0x80) ? 2 : 1;
        }
      if (extension & 0x40)                     /* L: TL0PICIDX */
        offset++;
      if (extension & 0x30)                     /* T or K: TID/Y/KEYIDX */
        offset++;
    }
  /* The frame tag's lowest bit is 0 for a key frame. */
  return offset < size && (payload[offset] & 0x01) == 0;
}

static gboolean
h264_nal_is_key (guint8 nal_header)
{
  guint8 type = nal_header & 0x1f;

  return type == H264_NAL_IDR || type == H264_NAL_SPS;
}

static gboolean
h264_key_frame_starts (const guint8 *payload,
                       gsize         size)
{
  guint8 type;

  if (size < 1)
    return FALSE;
  type = payload[0] & 0x1f;
  if (type == H264_NAL_STAP_A)
    {
      for (gsize offset = 1; offset + 2 < size;)
        {
          gsize nal_size = ((gsize) payload[offset] << 8) | payload[offset + 1];

          if (h264_nal_is_key (payload[offset + 2]))
            return TRUE;
          offset += 2 + nal_size;
        }
      return FALSE;
    }
  if (type == H264_NAL_FU_A)
    return size >= 2 && (payload[1] & 0x80) != 0 && h264_nal_is_key (payload[1]);
  return h264_nal_is_key (payload[0]);
}

gboolean
beacon_rtp_key_frame_starts (GstBuffer  *buffer,
                             const char *encoding_name)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gboolean key = FALSE;
  const guint8 *payload;
  gsize size;

  if (encoding_name == NULL || !gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return FALSE;
  payload = gst_rtp_buffer_get_payload (&rtp);
  size = gst_rtp_buffer_get_payload_len (&rtp);
  if (g_ascii_strcasecmp (encoding_name, "VP8") == 0)
    key = vp8_key_frame_starts (payload, size);
  else if (g_ascii_strcasecmp (encoding_name, "H264") == 0)
    key = h264_key_frame_starts (payload, size);
  gst_rtp_buffer_unmap (&rtp);
  return key;
}

/* beacon-rtp-key-frame.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* TRUE when the RTP packet @buffer carries the start of a key frame: a VP8 partition start
 * whose frame header says key frame (RFC 7741), or an H.264 IDR slice or sequence parameter
 * set, alone, aggregated (STAP-A) or as the first fragment (FU-A) (RFC 6184). Payloaders do
 * not keep GST_BUFFER_FLAG_DELTA_UNIT on the packets, so the payload is read. Other
 * @encoding_name values (as in RTP caps: "VP8", "H264") are never key frames. */
gboolean beacon_rtp_key_frame_starts (GstBuffer  *buffer,
                                      const char *encoding_name);

G_END_DECLS

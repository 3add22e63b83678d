/* beacon-loss-recovery.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* The jitter buffer's latency on a receiving webrtcbin, in milliseconds. */
#define BEACON_LOSS_RECOVERY_LATENCY_MS 300

/* Turns on what repairs lost packets on a new webrtcbin, sending or receiving: NACK and RTX
 * on every video transceiver it makes (webrtcbin 1.22 then offers or answers rtcp-fb nack and an
 * rtx payload type, keeps sent packets for retransmission and makes its jitter buffers ask
 * for missing ones), and a jitter buffer sized and tuned for it. PLI and FIR are always
 * negotiated for video by webrtcbin. Call before the webrtcbin makes any transceiver. */
void beacon_loss_recovery_configure          (GstElement *webrtcbin);
/* Call before each create-offer or create-answer: NACK for the video transceivers whose kind
 * became known after they were made. */
void beacon_loss_recovery_before_negotiation (GstElement *webrtcbin);

G_END_DECLS

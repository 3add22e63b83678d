/* beacon-rate-controller.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BeaconRateController BeaconRateController;

/* One viewer's bandwidth estimate, from the loss its RTCP receiver reports announce (and a
 * REMB figure when its receiver sends one), and the temporal layers it gets. Loss based, as
 * the loss-based half of Google Congestion Control: over 10 % loss the estimate falls by half
 * the loss, and to no more than what got through (when what the viewer is sent is known),
 * by at most half a report;
 * under 2 % it grows by 8 % a second (25 % until the viewer's first loss, to climb from its
 * start), but not beyond 1.6 times what the viewer is actually sent (when known); in between
 * it holds.
 *
 * Layers: a viewer gets every layer while its estimate stays above 90 % of the encoder's
 * whole rate, and the base layer alone below. Going back up is a probe: it is tried only when
 * the estimate is above 90 % again, the last report was clean, and the viewer has been on the
 * base layer for the hold time, which doubles (8 s up to 64 s) each time a probe ends in loss
 * within 5 s, so a narrow viewer does not flap between freezing and not.
 * Thread safe: reports come on an RTCP thread, decisions are taken on the main thread. */
BeaconRateController *beacon_rate_controller_new          (guint                 start_kbps,
                                                           guint                 min_kbps,
                                                           guint                 max_kbps);
void                  beacon_rate_controller_free         (BeaconRateController *self);
/* A receiver report's fraction lost (0 to 255, as RFC 3550 writes it), at @now_us. */
void                  beacon_rate_controller_add_report   (BeaconRateController *self,
                                                           guint                 fraction_lost,
                                                           gint64                now_us);
/* A REMB's bitrate: an upper bound for the estimate. */
void                  beacon_rate_controller_add_remb     (BeaconRateController *self,
                                                           guint64               bitrate_bps);
/* What the viewer's branch sent over the last second. */
void                  beacon_rate_controller_set_sent_kbps (BeaconRateController *self,
                                                            guint                 sent_kbps);
guint                 beacon_rate_controller_get_kbps     (BeaconRateController *self);
/* Decides how many layers (1 or @n_layers) the viewer gets now that the encoder sends
 * @total_kbps in all; returns it. */
guint                 beacon_rate_controller_update_layers (BeaconRateController *self,
                                                            guint                 total_kbps,
                                                            guint                 n_layers,
                                                            gint64                now_us);
guint                 beacon_rate_controller_get_layers   (BeaconRateController *self);
/* Reports received, and the loss of the last one in percent. */
guint                 beacon_rate_controller_get_reports  (BeaconRateController *self);
double                beacon_rate_controller_get_loss     (BeaconRateController *self);

/* The encoder's rates for a set of viewers' estimates (@kbps, @n of them): the whole stream
 * follows the median viewer (the upper one of an even count), so one narrow viewer never
 * pulls the others down to its rate; the base layer follows the narrowest viewer, so that it
 * still gets a picture, but takes at least a quarter of the whole (a viewer narrower than that
 * is beyond what one encoder for everyone can serve) and at most @base_share of it. When the
 * base layer's @measured_share of the stream (0: unknown) is larger than the narrowest viewer
 * can take, the whole rate comes down until it fits, to no less than 40 % of the median's
 * rate. Both within @min_kbps and @max_kbps. With no viewer,
 * the maximum. */
void                  beacon_rate_controller_encoder_rates (const guint         *kbps,
                                                            guint                n,
                                                            guint                min_kbps,
                                                            guint                max_kbps,
                                                            double               base_share,
                                                            double               measured_share,
                                                            guint               *total_kbps,
                                                            guint               *base_kbps);

G_END_DECLS

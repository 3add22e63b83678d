/* beacon-bandwidth-adapter.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "beacon-layer-filter.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BANDWIDTH_ADAPTER (beacon_bandwidth_adapter_get_type ())

G_DECLARE_FINAL_TYPE (BeaconBandwidthAdapter, beacon_bandwidth_adapter, BEACON,
                      BANDWIDTH_ADAPTER, GObject)

/* Adapts the one shared video encoder and each viewer's branch to the viewers' bandwidth.
 * Each viewer's RTCP receiver reports (and REMB) feed its own estimate
 * (beacon-rate-controller.h); once a second the encoder's rate follows the median viewer and,
 * with @temporal_layers (a VP8 encoder, which this configures for two temporal layers), its
 * base layer follows the narrowest one, while each narrow viewer's branch drops the upper
 * layer (beacon-layer-filter.h). Without temporal layers (H.264) only the encoder's rate
 * adapts. @max_kbps is the configured rate, never exceeded. Its timer runs on the
 * thread-default main context of the caller. */
BeaconBandwidthAdapter *beacon_bandwidth_adapter_new           (GstElement             *encoder,
                                                                gboolean                temporal_layers,
                                                                guint                   max_kbps);
/* Starts following the viewer of @webrtcbin. Returns the layer filter for its video branch
 * (owned by the adapter), or NULL without temporal layers. */
BeaconLayerFilter      *beacon_bandwidth_adapter_add_viewer    (BeaconBandwidthAdapter *self,
                                                                GstElement             *webrtcbin);
void                    beacon_bandwidth_adapter_remove_viewer (BeaconBandwidthAdapter *self,
                                                                GstElement             *webrtcbin);
/* The figures for the report: the encoder's rates, and per viewer its estimate, loss, layers
 * and what its branch sent. */
JsonObject             *beacon_bandwidth_adapter_to_json       (BeaconBandwidthAdapter *self);
/* Stops the timer and lets go of the encoder; also done by dispose. */
void                    beacon_bandwidth_adapter_detach        (BeaconBandwidthAdapter *self);

G_END_DECLS

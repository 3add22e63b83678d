/* beacon-layer-filter.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _BeaconLayerFilter BeaconLayerFilter;

/* One viewer's VP8 temporal layer filter: it forwards the RTP packets of the layers up to the
 * one chosen for the viewer (beacon_layer_filter_set_max_layer) and drops the others, whole
 * frames at a time, renumbering the RTP sequence numbers so that the viewer's jitter buffer
 * sees no gap (and neither NACKs nor reports the dropped packets as lost). A higher layer is
 * taken up again only at a frame that the VP8 payload descriptor marks as a layer sync (Y),
 * which depends on the base layer alone. Packets without temporal layer fields are layer 0.
 * Reference counted; thread safe (the layer is chosen on one thread, packets pass on
 * another). */
BeaconLayerFilter *beacon_layer_filter_new            (void);
BeaconLayerFilter *beacon_layer_filter_ref            (BeaconLayerFilter *self);
void               beacon_layer_filter_unref          (BeaconLayerFilter *self);
void               beacon_layer_filter_set_max_layer  (BeaconLayerFilter *self,
                                                       guint              max_layer);
guint              beacon_layer_filter_get_max_layer  (BeaconLayerFilter *self);
/* Filters one RTP packet: FALSE when it is to be dropped; otherwise *buffer may have been
 * replaced by a writable copy with a new sequence number. */
gboolean           beacon_layer_filter_process        (BeaconLayerFilter *self,
                                                       GstBuffer        **buffer);
/* Installs the filter on @pad for buffers and buffer lists; the probe holds a reference. */
void               beacon_layer_filter_attach         (BeaconLayerFilter *self,
                                                       GstPad            *pad);
/* Bytes of the packets forwarded, and the SSRC last seen (0 before the first packet). */
guint64            beacon_layer_filter_get_bytes      (BeaconLayerFilter *self);
guint64            beacon_layer_filter_get_packets    (BeaconLayerFilter *self);
guint32            beacon_layer_filter_get_ssrc       (BeaconLayerFilter *self);
/* Bytes of every packet that came (forwarded or not), and of those of the base layer. */
void               beacon_layer_filter_get_seen_bytes (BeaconLayerFilter *self,
                                                       guint64           *base,
                                                       guint64           *all);
/* Reads the temporal layer (TID) and layer sync (Y) of a VP8 RTP payload descriptor; FALSE
 * when the payload is too short. Without temporal layer fields: layer 0, sync. */
gboolean           beacon_layer_filter_parse_vp8      (const guint8      *payload,
                                                       gsize              size,
                                                       guint             *layer,
                                                       gboolean          *sync,
                                                       gboolean          *frame_start);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconLayerFilter, beacon_layer_filter_unref)

G_END_DECLS

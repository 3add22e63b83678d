/* beacon-whip-ingest.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-broadcast-pipeline.h"
#include "beacon-direct-server.h"
#include "beacon-identity.h"
#include "beacon-session-config.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WHIP_INGEST (beacon_whip_ingest_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWhipIngest, beacon_whip_ingest, BEACON, WHIP_INGEST, GObject)

/* A broadcast (source "whip") as the WHIP ingest endpoint of its own direct server: the
 * publisher's offer reaches @server, which hands it here; it is answered on a webrtcbin in
 * @broadcast's pipeline, and the publisher's media replaces the placeholder until it leaves.
 * Turns WHIP on at @server with the token in force (see beacon_whip_ingest_get_token ());
 * call it before the server listens. Property "connected": a publisher's connection is up. */
BeaconWhipIngest *beacon_whip_ingest_new           (BeaconDirectServer        *server,
                                                    BeaconBroadcastPipeline   *broadcast,
                                                    BeaconIdentity            *identity,
                                                    BeaconSessionConfig       *config);
/* Publishers are turned away until the broadcast is on the air, and once it is no more. */
void              beacon_whip_ingest_set_accepting (BeaconWhipIngest          *self,
                                                    gboolean                   accepting);
/* The Bearer token publishers must send: the config's "whip-token", one made up here, or NULL
 * with "whip-open". */
const char       *beacon_whip_ingest_get_token     (BeaconWhipIngest          *self);
gboolean          beacon_whip_ingest_is_connected  (BeaconWhipIngest          *self);
guint64           beacon_whip_ingest_get_frames    (BeaconWhipIngest          *self);
/* Drops the publisher, takes no other, and logs the frames ingested; once. */
void              beacon_whip_ingest_close         (BeaconWhipIngest          *self);

G_END_DECLS

/* beacon-janus-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* Janus Gateway WebSocket API ("janus-protocol"): VideoRoom publish and subscribe, Streaming
 * watch. */
BeaconSignaler *beacon_janus_signaler_new (const BeaconSignalerOptions *options,
                                           GError                     **error);

G_END_DECLS

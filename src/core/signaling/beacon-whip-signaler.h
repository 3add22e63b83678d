/* beacon-whip-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* WHIP (RFC 9725) publishing, or WHEP watching when @whep is TRUE, over HTTPS. */
BeaconSignaler *beacon_whip_signaler_new (const BeaconSignalerOptions *options,
                                          gboolean                     whep,
                                          GError                     **error);

G_END_DECLS

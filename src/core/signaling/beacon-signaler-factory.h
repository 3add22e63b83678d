/* beacon-signaler-factory.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* The signaler for @options->dialect. Refuses plain ws:// and http:// unless
 * @options->allow_insecure, with an error that says how to allow it. */
BeaconSignaler *beacon_signaler_new_for_dialect (const BeaconSignalerOptions  *options,
                                                 GError                      **error);

/* TRUE for the dialect names above. */
gboolean beacon_signaler_dialect_is_valid (const char *dialect);

G_END_DECLS

/* beacon-test-gst-protocol-fixture.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See beacon-test-gst-protocol-fixture.c.
 */

#pragma once

#include <string.h>

#include "beacon-gst-protocol.h"

G_BEGIN_DECLS

void              assert_parse_error (const char *text,
                                      gssize      length,
                                      int         code,
                                      const char *substring);
BeaconGstMessage *parse_ok           (const char *text);

G_END_DECLS

/* beacon-test-tls-certificate.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A throwaway ECDSA P-256 key and self-signed certificate for 127.0.0.1, valid for a day, for
 * the servers the tests run in their own process. */
GTlsCertificate *beacon_test_create_certificate (void);

G_END_DECLS

/* beacon-tls-policy.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The GnuTLS priority string of every TLS connection Beacon makes or accepts (the direct
 * server's HTTPS and WSS, and the client connections to signaling servers): TLS 1.2 and 1.3
 * only, AEAD ciphers only (AES-GCM, ChaCha20-Poly1305), and no static RSA key exchange, so
 * that every TLS 1.2 connection has forward secrecy. */
#define BEACON_TLS_PRIORITY                                                                   \
  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"                                               \
  "-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-RSA"

/* Applies BEACON_TLS_PRIORITY to the process. Call it first thing in main (), before any TLS
 * connection exists and before other threads start. */
void beacon_tls_policy_init (void);

G_END_DECLS

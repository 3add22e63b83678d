/* beacon-dtls-warmup.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Readies the DTLS element every peer connection needs, on a worker thread, before any peer
 * asks for it. GStreamer 1.22's dtlsdec generates an RSA 2048 key for its default certificate
 * the first time one is made in a process, even when a certificate of our own replaces it at
 * once: a tenth to half a second on the path of the first offer or answer. The key is made
 * here instead, once per process. Without @pem, the plugins webrtcbin loads when the first
 * description is applied are loaded here too.
 *
 * With @pem (our certificate and key), the element returned also holds dtlsdec's agent for
 * that certificate: dtlsdec keeps one agent (an SSL_CTX) per certificate only while an element
 * uses it, so without it each connection that comes when no other is open builds it again.
 * Keep the element (in NULL state) for as long as connections may come. */
void        beacon_dtls_warmup_async  (const char           *pem,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
/* The dtlsdec (a full reference, owned by nobody else), or NULL with @error. */
GstElement *beacon_dtls_warmup_finish (GAsyncResult         *result,
                                       GError              **error);
/* Waits, @timeout_ms at most, until no warm-up runs. A process must not exit during one:
 * OpenSSL's exit handler frees what the key generation on the worker thread still uses, and
 * a session that failed at once (a refused certificate) ended beacon-cli with SIGSEGV. */
void        beacon_dtls_warmup_wait   (guint                 timeout_ms);

G_END_DECLS

/* beacon-websocket-channel.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* The WebSocket that a signaler of the GStreamer protocol or of Janus talks over, opened one
 * way for both: with a @pin, only the certificate with that SHA-256 fingerprint is trusted,
 * decided during the TLS handshake (beacon_signaler_pin_message ()); without one, only a
 * certificate the system's authorities vouch for. @token (nullable) goes in the handshake as
 * "Authorization: Bearer". @info, the caller's, gets the TLS details and the trust. The
 * connection comes with Beacon's incoming message limit and a keepalive. Errors are
 * BEACON_SIGNALER_ERROR with a sentence a person can act on, or G_IO_ERROR_CANCELLED. */
void                     beacon_websocket_channel_connect_async  (gpointer              source_object,
                                                                  const char           *url,
                                                                  const char           *pin,
                                                                  const char           *token,
                                                                  const char * const   *protocols,
                                                                  BeaconChannelInfo    *info,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
SoupWebsocketConnection *beacon_websocket_channel_connect_finish (GAsyncResult         *result,
                                                                  GError              **error);

G_END_DECLS

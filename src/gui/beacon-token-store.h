/* beacon-token-store.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Access tokens of saved servers (WHIP/WHEP bearer tokens, Janus tokens) and passwords of TURN
 * servers, kept in the user's keyring through libsecret, one per server URL; never in
 * GSettings. Without libsecret every call fails with G_IO_ERROR_NOT_SUPPORTED. */
/* What a secret is for. A server's token is keyed by the server's URL; a TURN password by the
 * relay's URL without the password, turn(s)://user@host:port, as GSettings keeps it (see
 * beacon-turn-servers.h). */
typedef enum {
  BEACON_SECRET_SERVER_TOKEN,
  BEACON_SECRET_TURN_PASSWORD,
} BeaconSecretKind;

gboolean beacon_token_store_is_available (void);

/* @server_name names a server token in the keyring's list; TURN passwords are named by @url. */
void     beacon_token_store_save_async  (BeaconSecretKind      kind,
                                         const char           *url,
                                         const char           *server_name,
                                         const char           *secret,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean beacon_token_store_save_finish (GAsyncResult         *result,
                                         GError              **error);

/* Returns NULL without an error when no secret is stored for @url. */
void  beacon_token_store_lookup_async  (BeaconSecretKind      kind,
                                        const char           *url,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char *beacon_token_store_lookup_finish (GAsyncResult         *result,
                                        GError              **error);

void     beacon_token_store_clear_async  (BeaconSecretKind      kind,
                                          const char           *url,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean beacon_token_store_clear_finish (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS

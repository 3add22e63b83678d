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
gboolean  beacon_token_store_is_available (void);

void      beacon_token_store_save_async   (const char           *url,
                                           const char           *server_name,
                                           const char           *token,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean  beacon_token_store_save_finish  (GAsyncResult         *result,
                                           GError              **error);

/* Returns NULL without an error when no token is stored for @url. */
void      beacon_token_store_lookup_async (const char           *url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char     *beacon_token_store_lookup_finish (GAsyncResult        *result,
                                            GError             **error);

void      beacon_token_store_clear_async  (const char           *url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean  beacon_token_store_clear_finish (GAsyncResult         *result,
                                           GError              **error);

/* A TURN password is keyed by the relay's URL without the password, turn(s)://user@host:port,
 * as GSettings keeps it (see beacon-turn-servers.h). */
void      beacon_token_store_save_turn_password_async    (const char           *turn_url,
                                                          const char           *password,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean  beacon_token_store_save_turn_password_finish   (GAsyncResult         *result,
                                                          GError              **error);

/* Returns NULL without an error when no password is stored for @turn_url. */
void      beacon_token_store_lookup_turn_password_async  (const char           *turn_url,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char     *beacon_token_store_lookup_turn_password_finish (GAsyncResult         *result,
                                                          GError              **error);

void      beacon_token_store_clear_turn_password_async   (const char           *turn_url,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean  beacon_token_store_clear_turn_password_finish  (GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS

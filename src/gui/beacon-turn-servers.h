/* beacon-turn-servers.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "beacon-session.h"

G_BEGIN_DECLS

/* The TURN servers of the "turn-servers" key. GSettings keeps each one without its password,
 * turn(s)://user@host:port; the password lives in the keyring (beacon-token-store.h), and the
 * two are put together only right before a session starts. */

/* Whether @url is written turn://… or turns://…. */
gboolean beacon_turn_servers_is_turn_url (const char *url);

/* Returns @url without its password and sets @password to the password, unescaped, or to
 * NULL when @url has none. */
char *beacon_turn_servers_strip_password (const char  *url,
                                          char       **password);

/* Returns @url with @password escaped into its user part, or NULL when @url names no user to
 * give it to. */
char *beacon_turn_servers_add_password (const char *url,
                                        const char *password);

/* Moves the password of every entry of @settings' "turn-servers" that still has one to the
 * keyring, and rewrites the entry without it once the keyring has it. An entry whose password
 * the keyring does not take stays as it is, to be moved on a later start. */
void     beacon_turn_servers_migrate_async  (GSettings            *settings,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean beacon_turn_servers_migrate_finish (GAsyncResult         *result,
                                             GError              **error);

/* Gives @session's "turn-servers" property the servers of @settings, at once, when none needs
 * a password from the keyring; returns FALSE, giving nothing, otherwise. Starting without a
 * turn of the main loop keeps the session's state in step with the action that started it. */
gboolean beacon_turn_servers_hand_over_now (GSettings     *settings,
                                            BeaconSession *session);

/* Gives @session's "turn-servers" property the full turn(s)://user:password@host:port URLs of
 * @settings' servers, with the passwords from the keyring. A server whose password the keyring
 * cannot give is left out, and a toast in @widget's window says which and why. Fails only
 * when cancelled, and then gives nothing. */
void     beacon_turn_servers_hand_over_async  (GSettings            *settings,
                                               BeaconSession        *session,
                                               GtkWidget            *widget,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean beacon_turn_servers_hand_over_finish (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS

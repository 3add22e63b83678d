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
gboolean  beacon_turn_servers_is_turn_url        (const char           *url);

/* Returns @url without its password and sets @password to the password, unescaped, or to
 * NULL when @url has none. */
char     *beacon_turn_servers_strip_password     (const char           *url,
                                                  char                **password);

/* Returns @url with @password escaped into its user part, or NULL when @url names no user to
 * give it to. */
char     *beacon_turn_servers_add_password       (const char           *url,
                                                  const char           *password);

/* Moves the password of every entry of @settings' "turn-servers" that still has one to the
 * keyring, and rewrites the entry without it once the keyring has it. An entry whose password
 * the keyring does not take stays as it is, to be moved on a later start. */
void      beacon_turn_servers_migrate_async      (GSettings            *settings,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean  beacon_turn_servers_migrate_finish     (GAsyncResult         *result,
                                                  GError              **error);

/* The full turn(s)://user:password@host:port URLs of @settings' "turn-servers", with the
 * passwords from the keyring, for a session's "turn-servers" property. A server whose password
 * the keyring cannot give is left out, and @problem (never NULL) receives a sentence that says
 * which and why, or NULL when every server is there. Fails only when cancelled. */
void      beacon_turn_servers_resolve_async      (GSettings            *settings,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GStrv     beacon_turn_servers_resolve_finish     (GAsyncResult         *result,
                                                  char                **problem,
                                                  GError              **error);

/* The same as beacon_turn_servers_resolve_finish() would return, at once, when no server of
 * @settings needs a password from the keyring; otherwise NULL. Starting without a turn of
 * the main loop keeps the session's state in step with the action that started it. */
GStrv     beacon_turn_servers_try_resolve        (GSettings            *settings);

/* Gives @session the @servers beacon_turn_servers_resolve_finish() returned and, when some
 * were left out, shows its @problem in a toast of @widget's window. */
void      beacon_turn_servers_hand_over          (BeaconSession        *session,
                                                  const char * const   *servers,
                                                  const char           *problem,
                                                  GtkWidget            *widget);

G_END_DECLS

/* beacon-preferences-window.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BEACON_TYPE_PREFERENCES_WINDOW (beacon_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BeaconPreferencesWindow, beacon_preferences_window, BEACON,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Defaults for new broadcasts, the built-in server, saved servers (their tokens go to the
 * keyring) and STUN/TURN servers, all stored in @settings. */
BeaconPreferencesWindow *beacon_preferences_window_new (GtkWindow *parent,
                                                        GSettings *settings);

G_END_DECLS

/* beacon-window.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "beacon-broadcast-page.h"
#include "beacon-security-panel.h"
#include "beacon-watch-page.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WINDOW (beacon_window_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWindow, beacon_window, BEACON, WINDOW, AdwApplicationWindow)

/* The main window: the Broadcast and Watch pages, and a lock button that reflects the security
 * verdict of the page in view and opens the security panel. Actions: win.fullscreen,
 * win.leave-fullscreen, win.show-security, win.focus-link, win.show-page (s). */
BeaconWindow        *beacon_window_new                (AdwApplication *application);
BeaconBroadcastPage *beacon_window_get_broadcast_page (BeaconWindow   *self);
BeaconWatchPage     *beacon_window_get_watch_page     (BeaconWindow   *self);
/* The security panel, created on first use. */
BeaconSecurityPanel *beacon_window_get_security_panel (BeaconWindow   *self);
/* The icon the lock button shows, for tests. */
const char          *beacon_window_get_security_icon  (BeaconWindow   *self);
void                 beacon_window_show_page          (BeaconWindow   *self,
                                                       const char     *name);
void                 beacon_window_add_toast          (BeaconWindow   *self,
                                                       AdwToast       *toast);

G_END_DECLS

/* beacon-broadcast-page.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "beacon-camera-preview.h"
#include "beacon-session.h"
#include "beacon-video-paintable.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BROADCAST_PAGE (beacon_broadcast_page_get_type ())

G_DECLARE_FINAL_TYPE (BeaconBroadcastPage, beacon_broadcast_page, BEACON, BROADCAST_PAGE, AdwBin)

/* The Broadcast page: camera and microphone, destination and quality, the live preview, and
 * while on the air the link to share and how many watch. It owns one broadcast session.
 * Actions: broadcast.go-live (start or stop), broadcast.copy-link, broadcast.dismiss-error.
 * Signal: "error" (const char *message) when going live failed, for the window's toast. */
GtkWidget            *beacon_broadcast_page_new                 (void);
BeaconSession        *beacon_broadcast_page_get_session         (BeaconBroadcastPage *self);
BeaconVideoPaintable *beacon_broadcast_page_get_preview         (BeaconBroadcastPage *self);
/* The picture before going live (beacon-camera-preview.h). */
BeaconCameraPreview  *beacon_broadcast_page_get_camera_preview  (BeaconBroadcastPage *self);
/* "video" when a picture shows, "placeholder" otherwise. */
const char           *beacon_broadcast_page_get_shown_preview   (BeaconBroadcastPage *self);
/* Picks the test pattern instead of a camera, as a user would in the camera row. */
void                  beacon_broadcast_page_select_test_pattern (BeaconBroadcastPage *self);
/* What the page shows: the link to share ("" when not live) and the number of viewers. */
/* The error the banner shows, or NULL when none is shown. */
const char *beacon_broadcast_page_get_shown_error (BeaconBroadcastPage *self);
/* Who can open the shared link, as the page says it (from the address it names), or NULL. */
const char *beacon_broadcast_page_get_shown_reach (BeaconBroadcastPage *self);
const char           *beacon_broadcast_page_get_shown_link      (BeaconBroadcastPage *self);
const char           *beacon_broadcast_page_get_shown_viewers   (BeaconBroadcastPage *self);
/* For tests: the list of viewers, one AdwActionRow each (address, health in the subtitle). */
GtkListBox           *beacon_broadcast_page_get_viewer_list     (BeaconBroadcastPage *self);

G_END_DECLS

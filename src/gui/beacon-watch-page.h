/* beacon-watch-page.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "beacon-session.h"
#include "beacon-video-paintable.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WATCH_PAGE (beacon_watch_page_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWatchPage, beacon_watch_page, BEACON, WATCH_PAGE, AdwBin)

/* The Watch page: a link entry, and the broadcast with sound, or a page that says what is
 * happening (connecting, waiting for the picture, ended, failed, blocked). It owns one watch
 * session. Actions: watch.watch (start, or stop while watching). */
GtkWidget            *beacon_watch_page_new               (void);
BeaconSession        *beacon_watch_page_get_session       (BeaconWatchPage *self);
/* The paintable of the current attempt (a new one per start), or NULL before the first. */
BeaconVideoPaintable *beacon_watch_page_get_paintable     (BeaconWatchPage *self);
/* "start", "connecting", "waiting", "video", "ended", "failed" or "blocked". */
const char           *beacon_watch_page_get_visible_state (BeaconWatchPage *self);
/* TRUE while the blocked page shows: the other side could not be trusted. Notified through
 * the "blocked" property. */
/* What is wrong with the link in the entry, as shown under it, or NULL. */
/* The controls on the picture: shown on pointer motion or a key press (as
 * beacon_watch_page_reveal_controls () does), hidden a few seconds after. */
gboolean    beacon_watch_page_get_controls_shown (BeaconWatchPage *self);
void        beacon_watch_page_reveal_controls    (BeaconWatchPage *self);
const char *beacon_watch_page_get_link_error (BeaconWatchPage *self);
gboolean              beacon_watch_page_get_blocked       (BeaconWatchPage *self);
/* The health line on the picture ("1.8 Mbit/s · 30 fps · …"), or NULL while it is hidden. */
const char           *beacon_watch_page_get_shown_health  (BeaconWatchPage *self);
/* The sound controls as shown (and as the pipeline's volume element follows them). */
gboolean              beacon_watch_page_get_muted         (BeaconWatchPage *self);
double                beacon_watch_page_get_volume        (BeaconWatchPage *self);
/* The message the failed or blocked page shows. */
const char           *beacon_watch_page_get_message       (BeaconWatchPage *self);
void                  beacon_watch_page_set_url           (BeaconWatchPage *self,
                                                           const char      *url);
void                  beacon_watch_page_focus_link        (BeaconWatchPage *self);
/* Hides the link bar and the video controls, for fullscreen. */
void                  beacon_watch_page_set_immersive     (BeaconWatchPage *self,
                                                           gboolean         immersive);

G_END_DECLS

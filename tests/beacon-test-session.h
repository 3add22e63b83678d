/* beacon-test-session.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-session.h"

G_BEGIN_DECLS

/* In-process sessions on 127.0.0.1 for tests that need to reach the objects themselves. */

/* Iterates the default main context for @ms milliseconds. */
void           beacon_test_spin                 (guint               ms);
/* Iterates until @session reaches @state (fails the test after @timeout_seconds). */
void           beacon_test_wait_session_state   (BeaconSession      *session,
                                                 BeaconSessionState  state,
                                                 guint               timeout_seconds);
/* Iterates until @session decoded more than @frames (fails after @timeout_seconds). */
void           beacon_test_wait_frames_beyond   (BeaconSession      *session,
                                                 guint64             frames,
                                                 guint               timeout_seconds);
/* A `serve` broadcast of the test source, with its identity under @dir, not started yet. */
BeaconSession *beacon_test_new_broadcast        (const char         *dir,
                                                 GstElement         *preview_sink);
/* beacon_test_new_broadcast (), started and live. */
BeaconSession *beacon_test_start_broadcast      (const char         *dir,
                                                 GstElement         *preview_sink);
/* A viewer of @broadcast's share link, with its identity under @dir/@name. */
BeaconSession *beacon_test_start_viewer         (const char         *dir,
                                                 const char         *name,
                                                 BeaconSession      *broadcast);
/* A "notify" handler that counts into the guint at @count. */
void           beacon_test_count_notify_cb      (GObject            *object,
                                                 GParamSpec         *pspec,
                                                 guint              *count);
/* Stops @session and waits until it is idle. */
void           beacon_test_stop_session         (BeaconSession      *session);

G_END_DECLS

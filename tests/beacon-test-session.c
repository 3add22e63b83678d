/* beacon-test-session.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-session.h"

static const char * const loopback[] = { "127.0.0.1", NULL };

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
beacon_test_spin (guint ms)
{
  gboolean elapsed = FALSE;

  g_timeout_add (ms, set_flag_cb, &elapsed);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
}

void
beacon_test_wait_session_state (BeaconSession      *session,
                                BeaconSessionState  state,
                                guint               timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;

  while (beacon_session_get_state (session) != state && g_get_monotonic_time () < deadline)
    beacon_test_spin (50);
  if (beacon_session_get_state (session) != state)
    {
      const GError *error = beacon_session_get_error (session);

      g_error ("the session is %s, not %s, after %u s (%s)",
               beacon_session_state_to_string (beacon_session_get_state (session)),
               beacon_session_state_to_string (state), timeout_seconds,
               error ? error->message : "no error");
    }
}

void
beacon_test_wait_frames_beyond (BeaconSession *session,
                                guint64        frames,
                                guint          timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;

  while (beacon_session_get_frames_decoded (session) <= frames &&
         g_get_monotonic_time () < deadline)
    beacon_test_spin (50);
  if (beacon_session_get_frames_decoded (session) <= frames)
    g_error ("the viewer decoded %" G_GUINT64_FORMAT " frames, no more than %" G_GUINT64_FORMAT
             " after %u s (state %s)", beacon_session_get_frames_decoded (session), frames,
             timeout_seconds,
             beacon_session_state_to_string (beacon_session_get_state (session)));
}

BeaconSession *
beacon_test_new_broadcast (const char *dir,
                           GstElement *preview_sink)
{
  g_autofree char *data_dir = g_build_filename (dir, "broadcaster", NULL);
  BeaconSession *session = beacon_session_new (BEACON_SESSION_ROLE_BROADCAST);

  g_object_set (session,
                "source", BEACON_SOURCE_TEST,
                "width", 320,
                "height", 240,
                "fps", 15,
                "bind-address", "127.0.0.1",
                "port", 0,
                "ice-addresses", loopback,
                "data-directory", data_dir,
                "preview-sink", preview_sink,
                NULL);
  return session;
}

BeaconSession *
beacon_test_start_broadcast (const char *dir,
                             GstElement *preview_sink)
{
  BeaconSession *session = beacon_test_new_broadcast (dir, preview_sink);

  beacon_session_start (session);
  beacon_test_wait_session_state (session, BEACON_SESSION_STATE_LIVE, 30);
  g_assert_nonnull (beacon_session_get_share_url (session));
  return session;
}

BeaconSession *
beacon_test_start_viewer (const char    *dir,
                          const char    *name,
                          BeaconSession *broadcast)
{
  g_autofree char *data_dir = g_build_filename (dir, name, NULL);
  BeaconSession *session = beacon_session_new (BEACON_SESSION_ROLE_WATCH);

  g_object_set (session,
                "url", beacon_session_get_share_url (broadcast),
                "ice-addresses", loopback,
                "data-directory", data_dir,
                NULL);
  beacon_session_start (session);
  return session;
}

void
beacon_test_stop_session (BeaconSession *session)
{
  beacon_session_stop (session);
  beacon_test_wait_session_state (session, BEACON_SESSION_STATE_IDLE, 10);
}

void
beacon_test_count_notify_cb (GObject    *object,
                             GParamSpec *pspec,
                             guint      *count)
{
  (*count)++;
}

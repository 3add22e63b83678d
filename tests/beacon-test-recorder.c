/* beacon-test-recorder.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-recorder.h"

#include "beacon-test-process.h"
#include "beacon-test-session.h"

guint
beacon_test_count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  /* The descriptor of the listing itself. */
  return count - 1;
}

void
beacon_test_recorder_clear (BeaconTestRecorder *recorder)
{
  g_clear_pointer (&recorder->session_id, g_free);
  g_clear_pointer (&recorder->offer, g_free);
  g_clear_pointer (&recorder->remote_type, g_free);
  g_clear_pointer (&recorder->remote_sdp, g_free);
  g_clear_pointer (&recorder->start_result, g_free);
  g_clear_error (&recorder->error);
}

static void
session_started_cb (BeaconSignaler     *signaler,
                    const char         *session_id,
                    const char         *peer_id,
                    BeaconTestRecorder *recorder)
{
  g_free (recorder->session_id);
  recorder->session_id = g_strdup (session_id);
  recorder->session = TRUE;
}

static void
session_requested_cb (BeaconSignaler     *signaler,
                      const char         *session_id,
                      const char         *peer_id,
                      const char         *offer,
                      BeaconTestRecorder *recorder)
{
  session_started_cb (signaler, session_id, peer_id, recorder);
  g_free (recorder->offer);
  recorder->offer = g_strdup (offer);
}

static void
remote_description_cb (BeaconSignaler     *signaler,
                       const char         *session_id,
                       const char         *type,
                       const char         *sdp,
                       BeaconTestRecorder *recorder)
{
  g_free (recorder->remote_type);
  recorder->remote_type = g_strdup (type);
  g_free (recorder->remote_sdp);
  recorder->remote_sdp = g_strdup (sdp);
}

static void
session_ended_cb (BeaconSignaler     *signaler,
                  const char         *session_id,
                  BeaconTestRecorder *recorder)
{
  recorder->ended = TRUE;
}

static void
signaler_failed_cb (BeaconSignaler     *signaler,
                    const GError       *error,
                    BeaconTestRecorder *recorder)
{
  g_clear_error (&recorder->error);
  recorder->error = g_error_copy (error);
}

static void
signaler_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  BeaconTestRecorder *recorder = user_data;

  recorder->start_result = beacon_signaler_start_finish (BEACON_SIGNALER (source), result,
                                                         &recorder->error);
  recorder->started = TRUE;
}

static void
record (BeaconSignaler     *signaler,
        BeaconTestRecorder *recorder)
{
  g_signal_connect (signaler, "session-requested", G_CALLBACK (session_requested_cb), recorder);
  g_signal_connect (signaler, "session-started", G_CALLBACK (session_started_cb), recorder);
  g_signal_connect (signaler, "remote-description", G_CALLBACK (remote_description_cb),
                    recorder);
  g_signal_connect (signaler, "session-ended", G_CALLBACK (session_ended_cb), recorder);
  g_signal_connect (signaler, "failed", G_CALLBACK (signaler_failed_cb), recorder);
}

void
beacon_test_start_signaler (BeaconSignaler     *signaler,
                            BeaconSignalerRole  role,
                            const char         *stream_name,
                            BeaconTestRecorder *recorder)
{
  record (signaler, recorder);
  beacon_signaler_start_async (signaler, role, stream_name, NULL, signaler_started_cb, recorder);
  g_assert_true (beacon_test_wait_until (&recorder->started, 20));
  g_assert_no_error (recorder->error);
}

void
beacon_test_wait_for_string (char * const *field,
                             const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*field == NULL && g_get_monotonic_time () < deadline)
    beacon_test_spin (20);
  if (*field == NULL)
    g_error ("no %s after 20 s", what);
}

void
beacon_test_stop_signaler (BeaconSignaler     *signaler,
                           BeaconTestRecorder *recorder)
{
  beacon_signaler_stop (signaler);
  g_signal_handlers_disconnect_by_data (signaler, recorder);
}

void
beacon_test_assert_signaler_finalizes (BeaconSignaler     *signaler,
                                       BeaconTestRecorder *recorder)
{
  g_assert_finalize_object (signaler);
  g_assert_no_error (recorder->error);
  beacon_test_recorder_clear (recorder);
}

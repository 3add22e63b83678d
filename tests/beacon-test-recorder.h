/* beacon-test-recorder.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* What one signaler reported, for a finalize test to wait on. */
typedef struct {
  char     *session_id;
  char     *offer;          /* session-requested's offer, when the viewer made it */
  char     *remote_type;
  char     *remote_sdp;
  char     *start_result;   /* the producer id or session id start returned */
  GError   *error;          /* of start, or of "failed" */
  gboolean  started;
  gboolean  session;        /* session-requested or session-started came */
  gboolean  ended;
} BeaconTestRecorder;

void  beacon_test_recorder_clear            (BeaconTestRecorder *recorder);
/* Records @signaler's signals in @recorder, starts it in @role and waits (20 s at most) until
 * start finished without an error. */
void  beacon_test_start_signaler            (BeaconSignaler     *signaler,
                                             BeaconSignalerRole  role,
                                             const char         *stream_name,
                                             BeaconTestRecorder *recorder);
/* Waits (20 s at most) until *@field is set; fails the test naming @what otherwise. */
void  beacon_test_wait_for_string           (char * const       *field,
                                             const char         *what);
/* Stops @signaler as a session does when it ends and stops recording it. */
void  beacon_test_stop_signaler             (BeaconSignaler     *signaler,
                                             BeaconTestRecorder *recorder);
/* The stopped @signaler is gone once its owner lets go, and reported no failure. */
void  beacon_test_assert_signaler_finalizes (BeaconSignaler     *signaler,
                                             BeaconTestRecorder *recorder);

/* The file descriptors the process has open, as lsof would list them. */
guint beacon_test_count_open_fds            (void);

G_END_DECLS

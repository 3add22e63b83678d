/* beacon-test-child.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A server a test starts (Janus, coturn, simple-whip-server, an RTP source): its stdout and
 * stderr, merged, are collected line by line on the main context; it dies with the test
 * process, and every wait is bounded in time. */
typedef struct {
  GSubprocess      *subprocess;
  GDataInputStream *out;
  GString          *text;        /* everything it printed so far */
  GCancellable     *cancellable;
  gboolean          exited;
  const char       *name;        /* static: for BEACON_TEST_VERBOSE logs */
} BeaconTestChild;

/* @environment: NULL or NAME, VALUE pairs, NULL-terminated. */
void     beacon_test_child_spawn    (BeaconTestChild    *child,
                                     const char         *name,
                                     const char         *cwd,
                                     const char * const *environment,
                                     const char * const *argv);
/* Waits until @text was printed, the child exited, or @timeout_seconds passed. */
gboolean beacon_test_child_wait_log (BeaconTestChild    *child,
                                     const char         *text,
                                     guint               timeout_seconds);
/* Sends @signal_number and waits (bounded) for the exit; force-kills if needed. */
void     beacon_test_child_stop     (BeaconTestChild    *child,
                                     int                 signal_number);
/* Stops it (SIGTERM) and frees what it holds; the struct can be reused. */
void     beacon_test_child_clear    (BeaconTestChild    *child);

/* How much longer than usual the tests may wait: $BEACON_TEST_TIME_SCALE (a number, at least
 * 1; default 1). A sanitizer build runs the same work several times slower, so every upper
 * bound on a wait or a duration is multiplied by it; lower bounds ("not before 2 s") are not. */
double   beacon_test_time_scale     (void);
/* @seconds (or @us) stretched by beacon_test_time_scale (). */
guint    beacon_test_scaled_seconds (guint               seconds);
gint64   beacon_test_scaled_us      (gint64              us);

/* Iterates the default main context until *@done or @timeout_ms (scaled, see above); returns
 * *@done. */
gboolean beacon_test_iterate_until  (const gboolean     *done,
                                     guint               timeout_ms);
/* A port on 127.0.0.1 of @type that nothing uses right now: bound once, noted, released. */
guint16  beacon_test_free_port_of_type (GSocketType      type);

G_END_DECLS

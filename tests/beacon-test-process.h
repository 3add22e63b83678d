/* beacon-test-process.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A beacon-cli child process for integration tests: its stdout and stderr are collected line
 * by line on the main context, and every wait is bounded in time. */
typedef struct _BeaconTestProcess BeaconTestProcess;

/* Starts $BEACON_CLI with @argv (NULL-terminated, without the program) and @data_dir as its
 * BEACON_DATA_DIR. */
BeaconTestProcess *beacon_test_process_start       (const char         *data_dir,
                                                    const char * const *argv);
/* Waits until a stdout line starts with @prefix; returns the rest of the line or NULL. */
char              *beacon_test_process_wait_line   (BeaconTestProcess  *process,
                                                    const char         *prefix,
                                                    guint               timeout_seconds);
/* Waits for the process to exit; returns its exit status, or -1 on timeout (then kills it). */
int                beacon_test_process_wait_exit   (BeaconTestProcess  *process,
                                                    guint               timeout_seconds);
void               beacon_test_process_send_signal (BeaconTestProcess  *process,
                                                    int                 signal_number);
/* The child's process id, for reading /proc/PID; 0 once it has exited. */
GPid               beacon_test_process_get_pid     (BeaconTestProcess  *process);
const char        *beacon_test_process_get_stdout  (BeaconTestProcess  *process);
const char        *beacon_test_process_get_stderr  (BeaconTestProcess  *process);
void               beacon_test_process_free        (BeaconTestProcess  *process);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconTestProcess, beacon_test_process_free)

/* Iterates the default main context until @done (*done becomes TRUE) or @timeout_seconds. */
gboolean           beacon_test_wait_until          (const gboolean     *done,
                                                    guint               timeout_seconds);

G_END_DECLS

G_BEGIN_DECLS

/* Removes a directory tree made by a test. */
void        beacon_test_remove_tree   (const char        *path);
/* Reads a JSON object from @path; fails the test when it is not one. */
gpointer    beacon_test_read_json     (const char        *path);
/* Fails the test with the process's output unless @status is @expected. */
void        beacon_test_assert_exit   (BeaconTestProcess *process,
                                       int                status,
                                       int                expected);
/* A port on 127.0.0.1 that nothing listens on right now. */
guint       beacon_test_free_port     (void);

G_END_DECLS

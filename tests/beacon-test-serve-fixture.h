/* beacon-test-serve-fixture.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "beacon-test-process.h"

G_BEGIN_DECLS

/* A temporary directory for one test case, and the `beacon-cli serve` a case may start in it
 * (test-broadcast.c, test-security.c, test-hardening.c). */
typedef struct {
  char              *dir;
  BeaconTestProcess *server;
  char              *url;     /* the watch: link the server printed */
  guint              port;    /* the server's port, read from that link */
} BeaconTestServeFixture;

/* Makes the directory, beacon-@name-XXXXXX in the temporary directory. */
void        beacon_test_serve_fixture_init         (BeaconTestServeFixture *fixture,
                                                    const char             *name);
/* Stops the server (SIGKILL) and removes the directory. */
void        beacon_test_serve_fixture_clear        (BeaconTestServeFixture *fixture);
/* beacon_test_serve_fixture_clear () as a GTestFixtureFunc. */
void        beacon_test_serve_fixture_tear_down    (BeaconTestServeFixture *fixture,
                                                    gconstpointer           data);
/* @name in the directory. */
char       *beacon_test_serve_fixture_path         (BeaconTestServeFixture *fixture,
                                                    const char             *name);
/* Starts `beacon-cli serve` with @argv, its data in "server", instead of a server that runs,
 * and waits (30 s at most) for the link it prints. */
void        beacon_test_serve_fixture_start_server (BeaconTestServeFixture *fixture,
                                                    const char * const     *argv);
/* Starts `beacon-cli watch @link` on 127.0.0.1 with its own data directory @name and its
 * report in @name.json; the NULL-terminated @extra arguments follow (a NULL in the middle of
 * an argument list ends it). */
BeaconTestProcess *beacon_test_serve_fixture_start_viewer (BeaconTestServeFixture *fixture,
                                                           const char             *name,
                                                           const char             *link,
                                                           const char * const     *extra);
/* Waits (@timeout_seconds at most) for @viewer's first decoded frame; fails the test with its
 * stderr otherwise. */
void        beacon_test_serve_fixture_wait_first_frame (BeaconTestProcess *viewer,
                                                        guint              timeout_seconds);
/* The report in @name.json of the directory. */
JsonObject *beacon_test_serve_fixture_read_report  (BeaconTestServeFixture *fixture,
                                                    const char             *name);

G_END_DECLS

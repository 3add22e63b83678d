/* beacon-test-servers.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Real servers for the WHIP and TURN integration tests, started by hand on 127.0.0.1 with
 * configurations from tests/servers/, each wait bounded. They need no network: the tests run
 * in a namespace that has only loopback. What must be installed or fetched beforehand is said
 * by the *_available () functions. */

/* Moves the calling process, and so every child it starts later, into a network namespace of
 * its own with loopback up and one more interface, beacon0 (192.0.2.1, a TEST-NET-1 address
 * that exists only in that namespace, on a veth pair whose other end stays there too). Janus
 * skips loopback interfaces when it gathers ICE candidates, so it needs that second interface
 * to carry media at all; nothing can leave the namespace. Call it first thing in main (), before
 * any thread exists: a namespace belongs to threads, and later threads inherit it. Needs root
 * (as CI runs); otherwise FALSE with @reason, and the process stays where it was. */
gboolean              beacon_test_enter_private_network     (char           **reason);
#define BEACON_TEST_PRIVATE_ADDRESS "192.0.2.1"

/* TRUE when a missing server must fail the test instead of skipping it
 * (BEACON_TEST_REQUIRE_SERVERS=1, for CI once its setup installs them). */
gboolean              beacon_test_servers_required          (void);
/* Skips the current test with @reason, or fails it when servers are required. */
void                  beacon_test_servers_skip              (const char *reason);

/* coturn (Debian package coturn), started as `turnserver -c …` with long-term credentials. */
typedef struct _BeaconTestTurn BeaconTestTurn;

gboolean              beacon_test_turn_available            (char           **reason);
BeaconTestTurn       *beacon_test_turn_start                (const char      *dir);
guint                 beacon_test_turn_get_port             (BeaconTestTurn  *turn);
const char           *beacon_test_turn_get_user             (BeaconTestTurn  *turn);
const char           *beacon_test_turn_get_password         (BeaconTestTurn  *turn);
/* "turn:USER:PASSWORD@127.0.0.1:PORT", as beacon-cli --turn takes it. */
char                 *beacon_test_turn_dup_cli_url          (BeaconTestTurn  *turn,
                                                             const char      *password);
const char           *beacon_test_turn_get_log              (BeaconTestTurn  *turn);
/* Waits until a line of the log contains @text; FALSE after @timeout_seconds. */
gboolean              beacon_test_turn_wait_log             (BeaconTestTurn  *turn,
                                                             const char      *text,
                                                             guint            timeout_seconds);
/* The relayed ports coturn hands out are in this range. */
void                  beacon_test_turn_get_relay_range      (BeaconTestTurn  *turn,
                                                             guint           *min_port,
                                                             guint           *max_port);
void                  beacon_test_turn_free                 (BeaconTestTurn  *turn);

/* Meetecho's simple-whip-server, run with Node.js from the files that
 * tests/servers/whip/prepare-simple-whip-server fetched into
 * $BEACON_SIMPLE_WHIP_SERVER_DIR (default: <build>/tests/servers/simple-whip-server),
 * feeding a Janus whose WebSocket URL is given. Plain http:// only. */
typedef struct _BeaconTestWhipServer BeaconTestWhipServer;

gboolean              beacon_test_whip_server_available     (char                 **reason);
BeaconTestWhipServer *beacon_test_whip_server_start         (const char            *dir,
                                                             const char            *janus_ws_url);
/* "http://127.0.0.1:PORT" */
const char           *beacon_test_whip_server_get_base_url  (BeaconTestWhipServer  *server);
/* POST /whip/create {"id","room"[,"token"][,"iceServers"]}; @ice_servers is a JSON array
 * or NULL. Returns the endpoint's URL; fails the test on an error. */
char                 *beacon_test_whip_server_create_endpoint (BeaconTestWhipServer *server,
                                                              const char           *id,
                                                              gint64                room,
                                                              const char           *token,
                                                              const char           *ice_servers);
/* GET /whip/endpoints: whether endpoint @id has a publisher now. */
gboolean              beacon_test_whip_server_is_publishing (BeaconTestWhipServer  *server,
                                                             const char            *id);
/* Sends @method to @path ("/whip/…") and returns the status; @headers (nullable) receives the
 * response headers. */
guint                 beacon_test_whip_server_request       (BeaconTestWhipServer  *server,
                                                             const char            *method,
                                                             const char            *path,
                                                             SoupMessageHeaders   **headers);
const char           *beacon_test_whip_server_get_log       (BeaconTestWhipServer  *server);
gboolean              beacon_test_whip_server_wait_log      (BeaconTestWhipServer  *server,
                                                             const char            *text,
                                                             guint                  seconds);
void                  beacon_test_whip_server_free          (BeaconTestWhipServer  *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconTestTurn, beacon_test_turn_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconTestWhipServer, beacon_test_whip_server_free)

G_END_DECLS

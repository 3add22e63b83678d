/* beacon-test-janus.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real Janus Gateway for integration tests: configured from the templates in
 * tests/servers/janus, its WebSocket API (ws and wss) on 127.0.0.1 at ports chosen at random,
 * a self-signed P-256 certificate made with openssl, VideoRoom rooms 1234 (VP8 and H.264) and
 * 4444 (VP8 only), and Streaming mountpoint 99 fed by a gst-launch-1.0 VP8 test pattern over
 * RTP. Every wait is bounded. */
typedef struct _BeaconTestJanus BeaconTestJanus;

typedef enum {
  BEACON_TEST_JANUS_DEFAULT     = 0,
  /* Janus checks signed tokens (token_auth with BEACON_TEST_JANUS_TOKEN_SECRET). */
  BEACON_TEST_JANUS_TOKEN_AUTH  = 1 << 0,
} BeaconTestJanusFlags;

#define BEACON_TEST_JANUS_TOKEN_SECRET "beacon-test-token-secret"

/* TRUE when janus, openssl and gst-launch-1.0 are installed; otherwise sets @reason. */
gboolean         beacon_test_janus_available  (char                **reason);

/* Starts Janus with its configuration and files under @dir and waits (at most 20 s) until its
 * log says that the WebSocket servers listen. Aborts the test on failure, with Janus's log. */
BeaconTestJanus *beacon_test_janus_start      (const char           *dir,
                                               BeaconTestJanusFlags  flags);
/* "ws://127.0.0.1:PORT/" and "wss://127.0.0.1:PORT/" */
const char      *beacon_test_janus_get_ws_url  (BeaconTestJanus     *janus);
const char      *beacon_test_janus_get_wss_url (BeaconTestJanus     *janus);
/* "sha256:AB:CD:…", the fingerprint of the wss certificate, for --pin. */
const char      *beacon_test_janus_get_pin     (BeaconTestJanus     *janus);
/* The local address Janus gathers ICE candidates on; give it to Beacon with --ice-address.
 * Janus 1.1 never uses loopback: in a namespace with only loopback, starting Janus adds a veth
 * pair (10.203.0.1) first. */
const char      *beacon_test_janus_get_ice_address (BeaconTestJanus *janus);
/* The address of the first non-loopback interface, made as above when there is none; NULL when
 * that is impossible (not root). */
char            *beacon_test_janus_dup_ice_address (void);
/* Everything Janus printed so far. */
const char      *beacon_test_janus_get_log     (BeaconTestJanus     *janus);
/* Waits until a line of the log contains @text; FALSE after @timeout_seconds. */
gboolean         beacon_test_janus_wait_log    (BeaconTestJanus     *janus,
                                               const char          *text,
                                               guint                timeout_seconds);
/* Kills Janus at once (SIGKILL), as a crash would, and waits for it to be gone. */
void             beacon_test_janus_kill        (BeaconTestJanus     *janus);
void             beacon_test_janus_free        (BeaconTestJanus     *janus);

/* A signed Janus token ("expiry,janus,plugin…:signature", HMAC-SHA1 with @secret) valid for
 * an hour, for the VideoRoom and Streaming plugins. */
char            *beacon_test_janus_sign_token  (const char          *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconTestJanus, beacon_test_janus_free)

G_END_DECLS

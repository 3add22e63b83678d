/* beacon-test-relay.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A signaling relay on 127.0.0.1 for tests: viewers connect to it and it forwards every
 * WebSocket message to and from an upstream server. With @rewrite_fingerprints it plays the
 * attacker who controls signaling: it replaces every a=fingerprint in messages coming from
 * upstream. With @tls FALSE it serves plain ws://. */
typedef struct _BeaconTestRelay BeaconTestRelay;

/* What the relay does to the messages that carry an SDP from upstream. */
typedef enum {
  BEACON_TEST_RELAY_FORWARD,            /* nothing */
  BEACON_TEST_RELAY_SWAP_FINGERPRINT,   /* announce another certificate */
  BEACON_TEST_RELAY_SWAP_BOTH_WAYS,     /* the same, also in messages from the client */
  BEACON_TEST_RELAY_STRIP_FINGERPRINT,  /* announce none */
  BEACON_TEST_RELAY_GARBLE_SDP,         /* replace the SDP with text that is not SDP */
  BEACON_TEST_RELAY_BREAK_JSON,         /* replace the whole message with broken JSON */
} BeaconTestRelayMode;

BeaconTestRelay *beacon_test_relay_new      (const char      *upstream_url,
                                             const char      *upstream_pin,
                                             gboolean         tls,
                                             BeaconTestRelayMode mode,
                                             const char      *certificate_directory);
/* The link a viewer uses: wss://127.0.0.1:PORT/#pin=sha256:… (the relay's own certificate),
 * or ws://127.0.0.1:PORT/. */
char            *beacon_test_relay_dup_link (BeaconTestRelay *relay);
guint            beacon_test_relay_get_rewrites (BeaconTestRelay *relay);
void             beacon_test_relay_free     (BeaconTestRelay *relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconTestRelay, beacon_test_relay_free)

G_END_DECLS

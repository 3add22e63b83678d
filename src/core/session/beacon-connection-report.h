/* beacon-connection-report.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "beacon-peer.h"
#include "beacon-signaler.h"

G_BEGIN_DECLS

/* The facts a connection report is made of, gathered by BeaconSession. */
typedef struct {
  const char              *role;              /* "broadcast" | "watch" */
  const char              *state;
  const char              *error;             /* nullable */
  const BeaconChannelInfo *channel;           /* nullable */
  GPtrArray               *peers;             /* BeaconPeerInfo* */
  const char              *local_fingerprint; /* nullable: our identity */
  const char              *share_url;         /* nullable */
  guint64                  frames_decoded;
  gint64                   first_frame_ms;
} BeaconConnectionReportInput;

/* Pretty-printed JSON: role, state, error, signaling {url, scheme, tls {version, cipher},
 * certificate {subject, issuer, sha256}, trust}, peers [{session_id, connection_state,
 * ice {state}, dtls {state, role, local_fingerprint, remote_fingerprint,
 * remote_certificate_sha256}}], and, watching, the single peer's ice and dtls at the top. */
char *beacon_connection_report_to_json (const BeaconConnectionReportInput *input);

G_END_DECLS

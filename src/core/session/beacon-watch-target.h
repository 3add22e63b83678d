/* beacon-watch-target.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-peer.h"
#include "beacon-session-config.h"
#include "beacon-signaler.h"

G_BEGIN_DECLS

/* What a viewer connects to and whom its media may come from: the signaling URL and TLS pin
 * of its link, the identity the link binds the media to, and the broadcaster's identity
 * remembered on first use, per server and stream. */
typedef struct {
  char                *url;            /* the signaling URL, without a share link's fragment */
  char                *pin;            /* nullable: pins the signaling's TLS, "AB:CD:…" */
  char                *producer;       /* nullable: the stream to watch */
  char                *link_identity;  /* nullable: the DTLS identity the media must be */
  char                *pin_key;        /* the server and stream the identity is remembered for */
  char                *pin_status;     /* nullable until checked: beacon_pin_status_to_string () */
  BeaconSessionConfig *config;
} BeaconWatchTarget;

/* The target of a watch with @config: its "url" (a share link for the direct and gst
 * dialects), "pin", "stream-name" and the dialect's room, feed or mountpoint. */
BeaconWatchTarget *beacon_watch_target_new            (BeaconSessionConfig *config,
                                                       GError             **error);
void               beacon_watch_target_free           (BeaconWatchTarget   *target);

/* Before @peer takes the remote description: a direct link's pin names the broadcaster, and
 * a WHEP answer of a Beacon direct server names that identity itself, over the TLS @signaler
 * authenticated. @peer then fails unless its DTLS certificate is that identity. */
void               beacon_watch_target_bind_peer      (BeaconWatchTarget   *target,
                                                       BeaconSignaler      *signaler,
                                                       BeaconPeer          *peer);
/* Trust on first use of the verified DTLS @fingerprint ("sha-256 AB:…"), on a worker
 * thread (remembering an identity waits for the disk). TRUE when the identity may pass, else
 * FALSE with the BEACON_SECURITY_ERROR to reject the peer with: a changed identity, unless
 * "accept-new-identity", or a pin store that cannot be used. *@pin_status is what the store
 * said (beacon_pin_status_to_string (), "changed" too), NULL when it could not say; after a
 * cancellation it means nothing. @target need not outlive the call. */
void               beacon_watch_target_check_identity_async  (BeaconWatchTarget   *target,
                                                              const char          *fingerprint,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean           beacon_watch_target_check_identity_finish (GAsyncResult        *result,
                                                              const char         **pin_status,
                                                              GError             **error);

/* The BeaconSecurityError a failure of the watched peer stands for, or -1 when it is not a
 * security one. */
int                beacon_watch_target_security_error_of_peer_error (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconWatchTarget, beacon_watch_target_free)

G_END_DECLS

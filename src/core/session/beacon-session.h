/* beacon-session.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "beacon-direct-server.h"
#include "beacon-latency-stamp.h"
#include "beacon-media-source.h"
#include "beacon-peer-health.h"
#include "beacon-security-report.h"

G_BEGIN_DECLS

#define BEACON_SESSION_ERROR (beacon_session_error_quark ())

typedef enum {
  BEACON_SESSION_ERROR_FAILED,        /* see the message */
  BEACON_SESSION_ERROR_INVALID,       /* the session's settings cannot work */
} BeaconSessionError;

GQuark beacon_session_error_quark (void);

typedef enum {
  BEACON_SESSION_ROLE_BROADCAST,
  BEACON_SESSION_ROLE_WATCH,
} BeaconSessionRole;

typedef enum {
  BEACON_SESSION_STATE_IDLE,
  BEACON_SESSION_STATE_CONNECTING,   /* reaching the signaling server (and, broadcasting, starting it) */
  BEACON_SESSION_STATE_NEGOTIATING,  /* watch: exchanging SDP and ICE with the broadcaster */
  BEACON_SESSION_STATE_CONNECTED,    /* watch: ICE and DTLS are up, waiting for the first frame */
  BEACON_SESSION_STATE_LIVE,         /* broadcast: on the air, viewers may join */
  BEACON_SESSION_STATE_WATCHING,     /* watch: frames are being decoded */
  BEACON_SESSION_STATE_CLOSING,
  BEACON_SESSION_STATE_ENDED,        /* watch: the broadcaster ended the broadcast */
  BEACON_SESSION_STATE_FAILED,       /* see the "error" property */
} BeaconSessionState;

#define BEACON_TYPE_SESSION (beacon_session_get_type ())

G_DECLARE_FINAL_TYPE (BeaconSession, beacon_session, BEACON, SESSION, GObject)

/* The controller both front ends drive: one broadcast or one watch. Configure it with
 * properties (the settings of beacon-session-config.h; start () takes them as they are then,
 * and a change while running waits for the next start ()), call start (), follow "state",
 * "error", "viewer-count", "frames-decoded", "share-url"; call stop () to end it. Everything happens on the main context.
 * A lost signaling channel (direct and gst dialects) is tried again while the peers keep
 * playing: "reconnecting" (boolean) and "reconnecting-since" (g_get_monotonic_time ()
 * microseconds, 0 when not) say so, and the signal "reconnect-waiting" (guint attempt, guint
 * delay_ms) announces each try. The state stays what it was (live, watching). */
BeaconSession *beacon_session_new   (BeaconSessionRole  role);
void           beacon_session_start (BeaconSession     *self);
void           beacon_session_stop  (BeaconSession     *self);

/* What clients may take of the direct server a broadcast starts (defaults:
 * beacon_direct_server_limits_init_default ()). Like the properties, it applies from the next
 * start () on. */
void beacon_session_set_server_limits (BeaconSession                  *self,
                                       const BeaconDirectServerLimits *limits);

BeaconSessionState    beacon_session_get_state           (BeaconSession *self);
const GError         *beacon_session_get_error           (BeaconSession *self);
const char           *beacon_session_get_share_url       (BeaconSession *self);
/* The host the share link names ("link-host"; %NULL or "" for the automatic choice). While a
 * direct broadcast is live, the link changes at once ("notify::share-url"). */
void                  beacon_session_set_link_host       (BeaconSession *self,
                                                          const char    *link_host);
/* With source "whip", once live: the Bearer token publishers must send (the "whip-token"
 * given, or one made up at start), or NULL when "whip-open" is set. */
const char           *beacon_session_get_whip_token      (BeaconSession *self);
guint                 beacon_session_get_viewer_count    (BeaconSession *self);
guint64               beacon_session_get_frames_decoded  (BeaconSession *self);
/* Watching a Beacon test pattern on this machine: its glass-to-glass latency so far (see
 * beacon-latency-stamp); FALSE while no frame carried a stamp. */
gboolean              beacon_session_get_latency         (BeaconSession        *self,
                                                          BeaconLatencyFigures *figures);
/* Milliseconds from start () to the first decoded video frame, or -1. */
gint64                beacon_session_get_first_frame_ms  (BeaconSession *self);
/* Health, updated each second (signal "health-updated", after the peers' statistics came):
 * broadcasting, a list of BeaconPeerHealth, one per viewer in the order they came (empty
 * watching); watching, the broadcaster connection's, or NULL (also when broadcasting). */
GListModel           *beacon_session_get_viewer_health   (BeaconSession *self);
BeaconPeerHealth     *beacon_session_get_watch_health    (BeaconSession *self);
/* Watching: TRUE while a failed media path (ICE) is negotiated again over the signaling
 * ("reconnecting" is TRUE then too, and "reconnect-waiting" announces each attempt). */
gboolean              beacon_session_is_repairing_media  (BeaconSession *self);
/* Never NULL; describes the current (or last) connection. */
BeaconSecurityReport *beacon_session_get_security_report (BeaconSession *self);
/* The connection report as pretty-printed JSON: the security report plus role, state, error
 * and, watching, frames_decoded and first_frame_ms. */
char                 *beacon_session_dup_report_json     (BeaconSession *self);

/* The user compared the four words (the report's "sas") of one connection with the other
 * side: the viewer @session_id (the report's "session-id"; broadcasting), or the broadcaster
 * (@session_id NULL; watching). Matching words are remembered: watching, with the
 * broadcaster's identity in the pin store ("compared" from then on); broadcasting, for that
 * viewer's connection. Words that do not match end the connection: the viewer is sent away,
 * or the watch fails with BEACON_SECURITY_ERROR_WORDS_DIFFER. Fails when that connection is
 * not verified (or gone), or the pin store cannot be written. */
void     beacon_session_compare_words_async  (BeaconSession       *self,
                                              const char          *session_id,
                                              gboolean             match,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean beacon_session_compare_words_finish (BeaconSession       *self,
                                              GAsyncResult        *result,
                                              GError             **error);

const char *beacon_session_state_to_string (BeaconSessionState state);

/* TRUE for failures of a security check: an untrusted or unpinned certificate, refused plain
 * signaling, a DTLS certificate that does not match its fingerprint, a changed identity. */
gboolean beacon_session_error_is_security (const GError *error);

G_END_DECLS

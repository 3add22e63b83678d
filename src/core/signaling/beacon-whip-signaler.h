/* beacon-whip-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WHIP_SIGNALER (beacon_whip_signaler_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWhipSignaler, beacon_whip_signaler, BEACON, WHIP_SIGNALER, GObject)

/* WHIP (RFC 9725) publishing, or WHEP watching when @whep is TRUE, over HTTPS.
 *
 * The server is the media peer, so the signaler announces the one session itself once start
 * succeeded: publishing, "session-requested" ("whip", "server"); watching, "session-started"
 * ("whep", "server"), and Beacon sends the offer (watcher_offers () is TRUE).
 *
 * The local description is POSTed only once the local ICE candidates stop arriving (200 ms
 * without a new one, or 2 s at most; an empty candidate ends the wait at once), with the
 * candidates gathered so far written into it: many servers refuse trickle ICE (405, 501,
 * 422), and then the offer alone has to carry them. Candidates that come later are sent with
 * PATCH (application/trickle-ice-sdpfrag) when the server accepts that.
 *
 * STUN and TURN servers that the server hands out in Link headers arrive with the answer, so
 * "ice-servers" is emitted after the offer was sent: they can serve only candidates gathered
 * from then on (a later ICE restart or reconnection), never the offer already sent. */
BeaconSignaler *beacon_whip_signaler_new (const BeaconSignalerOptions  *options,
                                          gboolean                      whep,
                                          GError                      **error);

/* SDP helpers for WHIP and WHEP, shared with the direct server's WHEP endpoint. */

/* One ICE candidate: "candidate:…" (without "a="), for the m-line @mline. An empty candidate
 * marks the end of the candidates. */
typedef struct {
  guint  mline;
  char  *candidate;
} BeaconWhipCandidate;

BeaconWhipCandidate *beacon_whip_candidate_new       (guint                mline,
                                                      const char          *candidate);
void                 beacon_whip_candidate_free      (BeaconWhipCandidate *candidate);
/* An empty GPtrArray that frees the BeaconWhipCandidate* it holds. */
GPtrArray           *beacon_whip_candidate_array_new (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconWhipCandidate, beacon_whip_candidate_free)

/* @sdp with CRLF line endings and a final CRLF, as servers that compare lines expect. */
char *beacon_whip_normalize_sdp (const char *sdp);

/* Writes @candidates (BeaconWhipCandidate*) into @sdp: each after the attributes of its
 * m-section; an m-section in a BUNDLE group that got none of its own gets those of the first
 * bundled m-section that has some. Sections with port 0 (rejected or bundle-only) get none.
 * Empty candidates add "a=end-of-candidates" to every section that got candidates. */
char *beacon_whip_sdp_add_candidates (const char *sdp,
                                      GPtrArray  *candidates);

/* An RFC 8840 fragment (application/trickle-ice-sdpfrag) for @candidates, with the ICE
 * credentials and the m=/a=mid lines of @local_sdp. */
char *beacon_whip_sdpfrag_build (const char *local_sdp,
                                 GPtrArray  *candidates);

/* Parses a trickle fragment. @mids are the a=mid values of the offer, in m-line order, to map
 * each candidate to its m-line. Returns BeaconWhipCandidate* (an empty candidate for
 * a=end-of-candidates); @ufrag and @pwd receive the credentials if the fragment has them. */
GPtrArray *beacon_whip_sdpfrag_parse (const char          *fragment,
                                      const char * const  *mids,
                                      char               **ufrag,
                                      char               **pwd,
                                      GError             **error);

/* The a=mid values of @sdp in m-line order (NULL entries become ""). */
GStrv beacon_whip_sdp_dup_mids (const char *sdp);

/* Turns the Link header values of a WHIP/WHEP response (several may be folded into one,
 * separated by commas outside <…> and quotes) into the URLs webrtcbin takes:
 * "stun://host:port", "turn://user:pass@host:port", "turns://…", keeping "?transport=tcp".
 * Links whose rel is not "ice-server" are skipped. Returns NULL when there is none. */
GStrv beacon_whip_parse_ice_servers (const char *link_header);

G_END_DECLS

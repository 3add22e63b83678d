/* beacon-sdp.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

/* SDP text as Beacon reads, checks and rewrites it: for WebRTC peers, the WHIP and WHEP clients
 * and the direct server's WHIP and WHEP endpoints. Every function takes text that came from the
 * network (NULL, not UTF-8, not SDP) without crashing; the checks refuse what they cannot
 * vouch for. */

/* Candidates */

/* One ICE candidate: "candidate:…" (without "a="), for the m-line @mline. An empty candidate
 * marks the end of the candidates. */
typedef struct {
  guint  mline;
  char  *candidate;
} BeaconSdpCandidate;

/* A leading "a=" of @candidate is dropped; NULL becomes the empty (end) candidate. */
BeaconSdpCandidate *beacon_sdp_candidate_new       (guint               mline,
                                                    const char         *candidate);
void                beacon_sdp_candidate_free      (BeaconSdpCandidate *candidate);
/* An empty GPtrArray that frees the BeaconSdpCandidate* it holds. */
GPtrArray          *beacon_sdp_candidate_array_new (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSdpCandidate, beacon_sdp_candidate_free)

/* Rewriting text */

/* @sdp with CRLF line endings and a final CRLF, empty lines dropped, as servers that compare
 * lines expect. */
char *beacon_sdp_normalize (const char *sdp);

/* The a=mid values of @sdp in m-line order (an m-section without one gives ""). */
GStrv beacon_sdp_dup_mids (const char *sdp);

/* Writes @candidates (BeaconSdpCandidate*) into @sdp: each after the attributes of its
 * m-section; an m-section in a BUNDLE group that got none of its own gets those of the first
 * bundled m-section that has some. Sections with port 0 (rejected or bundle-only) get none.
 * Empty candidates add "a=end-of-candidates" to every section that got candidates. */
char *beacon_sdp_add_candidates (const char *sdp,
                                 GPtrArray  *candidates);

/* An RFC 8840 fragment (application/trickle-ice-sdpfrag) for @candidates, with the ICE
 * credentials and the m=/a=mid lines of @local_sdp. */
char *beacon_sdp_fragment_build (const char *local_sdp,
                                 GPtrArray  *candidates);

/* Parses a trickle fragment. @mids are the a=mid values of the offer, in m-line order, to map
 * each candidate to its m-line. Returns BeaconSdpCandidate* (an empty candidate for
 * a=end-of-candidates); @ufrag and @pwd (nullable) receive the credentials if the fragment has
 * them. Fails (G_IO_ERROR_INVALID_DATA) on text that is not UTF-8 or has a line that is not
 * "x=…". */
GPtrArray *beacon_sdp_fragment_parse (const char          *fragment,
                                      const char * const  *mids,
                                      char               **ufrag,
                                      char               **pwd,
                                      GError             **error);

/* Fingerprints */

/* The first "a=fingerprint:" of an SDP text as "sha-256 AB:CD:…", or NULL. */
char *beacon_sdp_find_fingerprint (const char *sdp);

/* Every a=fingerprint of an SDP (session and media level), as "algorithm value" strings,
 * checked: fails (BEACON_PEER_ERROR_NO_FINGERPRINT) when there is none, when one is malformed
 * or not hexadecimal, or when one uses a hash weaker than SHA-256. */
GPtrArray *beacon_sdp_collect_fingerprints (const char  *sdp,
                                            GError     **error);

/* Replaces every a=fingerprint of @sdp (session and media level) with "sha-256 @fingerprint".
 * GStreamer 1.22 announces a wrong a=fingerprint when given its certificate as PEM (it hashes
 * the PEM text), so a peer puts the fingerprint of Beacon's identity in before the description
 * is applied and sent. */
void beacon_sdp_announce_fingerprint (GstSDPMessage *sdp,
                                      const char    *fingerprint);

/* Checks */

/* Checks a remote description before webrtcbin sees it, which would otherwise accept silently
 * or crash on an SDP that the parser takes but that describes no usable media: it must start
 * with v=0, parse, have at least one m-line, an a=mid in every m-line, and (with two or more)
 * every m-line in use (port not 0) in the session's BUNDLE group, so that one verified DTLS
 * certificate covers all media. Errors are BEACON_PEER_ERROR_BAD_SDP. On success
 * @out_message receives the parsed message. */
gboolean beacon_sdp_validate_remote (const char     *sdp,
                                     GstSDPMessage **out_message,
                                     GError        **error);

/* Checks an HTTP body that should be an offer or an answer (the direct server's WHIP and WHEP
 * endpoints) before anything is relayed: not empty, UTF-8 without NUL bytes, starting with v=0,
 * every line "x=…" with a lowercase type, every m-line "m=<media> <port> <proto> <fmt>" with a
 * port up to 65535, at least one m-line, and an a=ice-ufrag. webrtcbin checks the rest.
 * Returns the text normalized (beacon_sdp_normalize ()), or NULL with a G_IO_ERROR_INVALID_DATA
 * error whose message can go back to the client. */
char *beacon_sdp_validate_body (GBytes  *bytes,
                                GError **error);

/* The first a=ice-ufrag of an SDP with CRLF line endings (as beacon_sdp_validate_body ()
 * returns it), or NULL. */
char *beacon_sdp_dup_ice_ufrag (const char *sdp);

/* Media sections */

/* The payload type @offer gives to @encoding (an rtpmap name: "VP8", "H264", "OPUS") in its
 * first @media_kind ("video", "audio") section, or -1. For H.264 only packetization-mode=1 in
 * the baseline family (profile_idc 42) qualifies, constrained baseline first, and
 * @profile_level_id receives the chosen one's (it is left alone for other encodings). */
int beacon_sdp_find_payload_type (const GstSDPMessage  *offer,
                                  const char           *media_kind,
                                  const char           *encoding,
                                  char                **profile_level_id);

/* TRUE for a constrained baseline H.264 profile-level-id (42e01f, 42c01f, 42401f…):
 * profile_idc 66 with constraint_set1, what Beacon's encoder produces. */
gboolean beacon_sdp_h264_is_constrained_baseline (const char *profile_level_id);

/* TRUE when @sdp parses, has video sections, and every one of them is rejected (port 0) or
 * a=inactive; FALSE for anything else, unparsable text included. */
gboolean beacon_sdp_video_is_inactive (const char *sdp);

G_END_DECLS

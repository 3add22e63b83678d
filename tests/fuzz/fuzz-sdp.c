/* fuzz-sdp.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-sdp.h"
#include "fuzz-common.h"

/* SDP text from a signalling server, a WHIP/WHEP server or a viewer: every function of
 * beacon-sdp.c. The checks of a remote description and of an HTTP body, the fingerprint
 * checks, the codec lookups, and the helpers that rewrite an SDP or read a trickle fragment
 * (application/trickle-ice-sdpfrag, the body of a server's PATCH). The same text serves as a
 * description and as a fragment. */

/* What the checks accept must hold what they promise. */
static void
check_validators (const char *sdp,
                  size_t      size)
{
  g_autoptr(GstSDPMessage) message = NULL;
  g_autoptr(GBytes) body = g_bytes_new (sdp, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;

  if (beacon_sdp_validate_remote (sdp, &message, &error))
    {
      g_autofree char *profile = NULL;
      g_autofree char *unused = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (gst_sdp_message_medias_len (message), >, 0);
      beacon_sdp_find_payload_type (message, "video", "H264", &profile);
      beacon_sdp_find_payload_type (message, "video", "VP8", &unused);
      beacon_sdp_find_payload_type (message, "audio", "OPUS", &unused);
      beacon_sdp_announce_fingerprint (message, "AB:CD");
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_null (message);
    }
  g_clear_error (&error);

  checked = beacon_sdp_validate_body (body, &error);
  g_assert_true ((checked == NULL) == (error != NULL));
  if (checked != NULL)
    {
      g_autofree char *ufrag = beacon_sdp_dup_ice_ufrag (checked);

      /* A body is refused without ICE credentials. */
      g_assert_nonnull (ufrag);
    }
  beacon_sdp_video_is_inactive (sdp);
}

/* The m-lines of a real offer (tests/test-whip.c), to map a fragment's a=mid lines. */
static const char * const offer_mids[] = { "video0", "audio1", NULL };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *sdp = fuzz_dup_string (data, size);
  g_autoptr(GPtrArray) fingerprints = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) local = beacon_sdp_candidate_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *with = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *ufrag = NULL;
  g_autofree char *pwd = NULL;
  g_auto(GStrv) mids = NULL;

  check_validators (sdp, size);
  fingerprints = beacon_sdp_collect_fingerprints (sdp, &error);
  g_assert_true ((fingerprints == NULL) == (error != NULL));
  g_clear_error (&error);
  first = beacon_sdp_find_fingerprint (sdp);

  normalized = beacon_sdp_normalize (sdp);
  mids = beacon_sdp_dup_mids (sdp);

  /* Local candidates as webrtcbin hands them out, for m-lines that may or may not exist. */
  g_ptr_array_add (local, beacon_sdp_candidate_new (0, "candidate:1 1 UDP 2015363327 "
                                                        "127.0.0.1 40001 typ host"));
  g_ptr_array_add (local, beacon_sdp_candidate_new (1, "a=candidate:2 1 TCP 1015021823 "
                                                        "127.0.0.1 9 typ host tcptype active"));
  g_ptr_array_add (local, beacon_sdp_candidate_new (7, "candidate:3 1 UDP 1 ::1 9 typ host"));
  g_ptr_array_add (local, beacon_sdp_candidate_new (0, ""));
  with = beacon_sdp_add_candidates (sdp, local);
  fragment = beacon_sdp_fragment_build (sdp, local);

  /* As a fragment, against the offer's mids and against its own. */
  candidates = beacon_sdp_fragment_parse (sdp, offer_mids, &ufrag, &pwd, &error);
  g_assert_true ((candidates == NULL) == (error != NULL));
  g_clear_error (&error);
  if (candidates != NULL)
    {
      g_autofree char *rewritten = NULL;
      g_autofree char *rebuilt = NULL;

      /* What a server sent goes back into descriptions and fragments Beacon writes. */
      rewritten = beacon_sdp_add_candidates (normalized, candidates);
      rebuilt = beacon_sdp_fragment_build (sdp, candidates);
    }
  g_clear_pointer (&candidates, g_ptr_array_unref);
  g_clear_pointer (&ufrag, g_free);
  g_clear_pointer (&pwd, g_free);
  candidates = beacon_sdp_fragment_parse (sdp, (const char * const *) mids, NULL, NULL, NULL);
  return 0;
}

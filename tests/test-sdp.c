/* test-sdp.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gst/gst.h>

#include "beacon-peer.h"
#include "beacon-sdp.h"

/* beacon-sdp: every function with what a browser or webrtcbin sends, and with what a hostile
 * server or viewer could send instead. */

#define OFFER \
  "v=0\n" \
  "o=- 1 0 IN IP4 0.0.0.0\n" \
  "s=-\n" \
  "t=0 0\n" \
  "a=group:BUNDLE video0 audio1\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\n" \
  "c=IN IP4 0.0.0.0\n" \
  "a=ice-ufrag:ourufrag\n" \
  "a=ice-pwd:ourpasswordourpassword\n" \
  "a=fingerprint:sha-256 " FP_A "\n" \
  "a=mid:video0\n" \
  "a=sendonly\n" \
  "a=rtpmap:96 VP8/90000\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\n" \
  "c=IN IP4 0.0.0.0\n" \
  "a=ice-ufrag:ourufrag\n" \
  "a=ice-pwd:ourpasswordourpassword\n" \
  "a=fingerprint:sha-256 " FP_A "\n" \
  "a=mid:audio1\n" \
  "a=sendonly\n" \
  "a=rtpmap:111 OPUS/48000/2\n"

#define FP_A "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
#define FP_B "01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20"

#define CANDIDATE_1 "candidate:1 1 UDP 2015363327 192.0.2.1 40001 typ host"
#define CANDIDATE_2 "candidate:2 1 TCP 1015021823 192.0.2.1 9 typ host tcptype active"

/* Text no function may crash on or take for SDP. */
static const char * const hostile[] = {
  "",
  "\n",
  "\r\n\r\n\r\n",
  "=",
  "m=",
  "m=\n",
  "m=video\n",
  "a=mid:\nm=video 0\n",
  "v=0\nm=video 9 UDP 96\na=group:BUNDLE\n",
  "v=0\na=group:BUNDLE \nm=audio 9 RTP/AVP 0\n",
  "v=0\nm=video 99999999999999999999 RTP/AVP 96\n",
  "v=0\nm=video -1 RTP/AVP 96\na=mid:x\na=rtpmap:96\na=fmtp:96\n",
  "v=0\nm=video 9 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 ;;;=;profile-level-id=\n",
  "\xff\xfe\xfd",
  "v=0\n\xc3\x28\n",
  "a=fingerprint:\n",
  "a=fingerprint: \t \n",
  "a=candidate:\na=end-of-candidates\na=ice-ufrag:\na=ice-pwd:\n",
};

/* @error is @domain/@code and its message mentions @needle (case @i of a table). */
static void
assert_refused (const GError *error,
                GQuark        domain,
                int           code,
                guint         i,
                const char   *needle)
{
  g_assert_error (error, domain, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("case %u: '%s' does not mention '%s'", i, error->message, needle);
}

static void
test_candidate (void)
{
  g_autoptr(BeaconSdpCandidate) plain = beacon_sdp_candidate_new (1, CANDIDATE_1);
  g_autoptr(BeaconSdpCandidate) prefixed = beacon_sdp_candidate_new (2, "a=" CANDIDATE_1);
  g_autoptr(BeaconSdpCandidate) end = beacon_sdp_candidate_new (0, NULL);
  g_autoptr(BeaconSdpCandidate) only_prefix = beacon_sdp_candidate_new (0, "a=");
  g_autoptr(GPtrArray) array = beacon_sdp_candidate_array_new ();

  g_assert_cmpuint (plain->mline, ==, 1);
  g_assert_cmpstr (plain->candidate, ==, CANDIDATE_1);
  g_assert_cmpuint (prefixed->mline, ==, 2);
  g_assert_cmpstr (prefixed->candidate, ==, CANDIDATE_1);
  g_assert_cmpstr (end->candidate, ==, "");
  g_assert_cmpstr (only_prefix->candidate, ==, "");

  /* The array frees what it holds (the leak check of an ASan build proves it). */
  g_ptr_array_add (array, beacon_sdp_candidate_new (0, CANDIDATE_2));
  g_assert_cmpuint (array->len, ==, 1);
  beacon_sdp_candidate_free (NULL);
}

static void
test_normalize (void)
{
  g_autofree char *normalized = beacon_sdp_normalize ("v=0\r\n\r\ns=-\nt=0 0");
  g_autofree char *empty = beacon_sdp_normalize ("");
  g_autofree char *null = beacon_sdp_normalize (NULL);
  g_autofree char *twice = NULL;

  g_assert_cmpstr (normalized, ==, "v=0\r\ns=-\r\nt=0 0\r\n");
  twice = beacon_sdp_normalize (normalized);
  g_assert_cmpstr (twice, ==, normalized);
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (null, ==, "");
}

static void
test_dup_mids (void)
{
  g_auto(GStrv) mids = beacon_sdp_dup_mids (OFFER);
  g_auto(GStrv) missing = beacon_sdp_dup_mids ("v=0\nm=video 9 RTP/AVP 96\n"
                                               "m=audio 9 RTP/AVP 0\na=mid: two \na=mid:three\n");
  g_auto(GStrv) none = beacon_sdp_dup_mids (NULL);

  g_assert_cmpuint (g_strv_length (mids), ==, 2);
  g_assert_cmpstr (mids[0], ==, "video0");
  g_assert_cmpstr (mids[1], ==, "audio1");
  /* No a=mid gives "", the first one counts, and it is trimmed; a session-level a=mid is no
   * m-section's. */
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  g_assert_cmpstr (missing[0], ==, "");
  g_assert_cmpstr (missing[1], ==, "two");
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_add_candidates (void)
{
  g_autoptr(GPtrArray) candidates = beacon_sdp_candidate_array_new ();
  g_autoptr(GPtrArray) none = beacon_sdp_candidate_array_new ();
  g_autofree char *unbundled = NULL;
  g_autofree char *unchanged = NULL;
  g_autofree char *no_media = NULL;
  g_autofree char *out_of_range = NULL;

  /* Without BUNDLE each section keeps its own: audio (1) has none, so it gets none. */
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (0, CANDIDATE_1));
  unbundled = beacon_sdp_add_candidates ("v=0\nm=video 9 RTP/AVP 96\na=mid:v\n"
                                         "m=audio 9 RTP/AVP 0\na=mid:a\n", candidates);
  g_assert_cmpstr (unbundled, ==, "v=0\r\nm=video 9 RTP/AVP 96\r\na=mid:v\r\na=" CANDIDATE_1
                                  "\r\nm=audio 9 RTP/AVP 0\r\na=mid:a\r\n");

  /* No candidates: the text is only normalized. */
  unchanged = beacon_sdp_add_candidates (OFFER, none);
  g_assert_null (strstr (unchanged, "a=candidate"));
  g_assert_true (g_str_has_suffix (unchanged, "a=rtpmap:111 OPUS/48000/2\r\n"));

  /* Lines without m-sections are kept; a candidate for an m-line that does not exist goes
   * nowhere. */
  no_media = beacon_sdp_add_candidates ("v=0\ns=-\n", candidates);
  g_assert_cmpstr (no_media, ==, "v=0\r\ns=-\r\n");
  g_ptr_array_set_size (candidates, 0);
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (7, CANDIDATE_2));
  out_of_range = beacon_sdp_add_candidates (OFFER, candidates);
  g_assert_null (strstr (out_of_range, "a=candidate"));

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *with = beacon_sdp_add_candidates (hostile[i], candidates);

      g_assert_nonnull (with);
    }
  g_free (beacon_sdp_add_candidates (NULL, NULL));
}

static void
test_fragment (void)
{
  g_autoptr(GPtrArray) candidates = beacon_sdp_candidate_array_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *orphan = NULL;
  g_autofree char *ufrag = NULL;
  g_autofree char *pwd = NULL;
  const char * const mids[] = { "video0", "audio1", NULL };
  BeaconSdpCandidate *candidate;

  /* A candidate for an m-line the description does not have goes with the first one. */
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (5, CANDIDATE_1));
  orphan = beacon_sdp_fragment_build (OFFER, candidates);
  g_assert_cmpstr (orphan, ==,
                   "a=ice-ufrag:ourufrag\r\n"
                   "a=ice-pwd:ourpasswordourpassword\r\n"
                   "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                   "a=mid:video0\r\n"
                   "a=" CANDIDATE_1 "\r\n");

  /* The first credentials count; a=mid maps to m-lines; other lines are skipped. */
  parsed = beacon_sdp_fragment_parse ("a=ice-ufrag:one\r\na=ice-ufrag:two\r\na=ice-pwd: p \r\n"
                                      "m=audio 9 RTP/AVP 0\r\na=mid:audio1\r\nc=IN IP4 0.0.0.0\r\n"
                                      "a=" CANDIDATE_2 "\r\na=end-of-candidates\r\n",
                                      mids, &ufrag, &pwd, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ufrag, ==, "one");
  g_assert_cmpstr (pwd, ==, "p");
  g_assert_cmpuint (parsed->len, ==, 2);
  candidate = g_ptr_array_index (parsed, 0);
  g_assert_cmpuint (candidate->mline, ==, 1);
  g_assert_cmpstr (candidate->candidate, ==, CANDIDATE_2);
  candidate = g_ptr_array_index (parsed, 1);
  g_assert_cmpuint (candidate->mline, ==, 1);
  g_assert_cmpstr (candidate->candidate, ==, "");
  g_clear_pointer (&parsed, g_ptr_array_unref);
  g_clear_pointer (&ufrag, g_free);
  g_clear_pointer (&pwd, g_free);

  /* Refused: NULL, not UTF-8, a line that is not type=value; the credentials stay NULL. */
  g_assert_null (beacon_sdp_fragment_parse (NULL, mids, &ufrag, &pwd, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (beacon_sdp_fragment_parse ("a=ice-ufrag:x\n\xff", mids, &ufrag, &pwd, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (ufrag);
  g_clear_error (&error);
  g_assert_null (beacon_sdp_fragment_parse ("a=ice-ufrag:x\n1=2\n", mids, &ufrag, &pwd, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_pointer (&ufrag, g_free);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *built = beacon_sdp_fragment_build (hostile[i], candidates);
      g_autoptr(GPtrArray) read = beacon_sdp_fragment_parse (hostile[i], mids, NULL, NULL, NULL);

      g_assert_nonnull (built);
    }
}

static void
test_fingerprints (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = beacon_sdp_collect_fingerprints (OFFER, &error);
  g_autofree char *first = beacon_sdp_find_fingerprint (OFFER);
  g_autofree char *spaced = beacon_sdp_find_fingerprint ("v=0\r\na=fingerprint: sha-1 AB \r\n");

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (found, 0), ==, "sha-256 " FP_A);
  g_assert_cmpstr (first, ==, "sha-256 " FP_A);
  /* Reading is not checking: the report shows what was announced. */
  g_assert_cmpstr (spaced, ==, "sha-1 AB");
  g_assert_null (beacon_sdp_find_fingerprint (NULL));
  g_assert_null (beacon_sdp_find_fingerprint ("v=0\r\n a=fingerprint:sha-256 " FP_A "\r\n"));

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) hostile_error = NULL;
      g_autofree char *any = beacon_sdp_find_fingerprint (hostile[i]);

      g_assert_null (beacon_sdp_collect_fingerprints (hostile[i], &hostile_error));
      g_assert_error (hostile_error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT);
    }
}

static void
test_announce_fingerprint (void)
{
  g_autoptr(GstSDPMessage) message = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (gst_sdp_message_new_from_text ("v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\n"
                                                  "t=0 0\r\na=fingerprint:sha-256 00:00\r\n"
                                                  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                                                  "a=fingerprint:sha-1 11:11\r\na=mid:0\r\n",
                                                  &message), ==, GST_SDP_OK);
  beacon_sdp_announce_fingerprint (message, FP_B);
  text = gst_sdp_message_as_text (message);
  g_assert_nonnull (strstr (text, "t=0 0\r\na=fingerprint:sha-256 " FP_B "\r\n"));
  g_assert_nonnull (strstr (text, "RTP/SAVPF 96\r\na=fingerprint:sha-256 " FP_B "\r\n"));
  g_assert_null (strstr (text, "00:00"));
  g_assert_null (strstr (text, "11:11"));
}

static void
test_validate_remote (void)
{
  struct {
    const char *sdp;
    const char *message;
  } refused[] = {
    { NULL, "not SDP" },
    { "", "not SDP" },
    { "o=- 1 0 IN IP4 0.0.0.0\r\nv=0\r\n", "not SDP" },
    { "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "no media" },
    { "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "has no a=mid" },
    { "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
      "a=mid:a\r\n", "does not bundle" },
    { "v=0\r\na=group:BUNDLE v\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\n", "does not bundle its media line 'a'" },
  };
  g_autoptr(GstSDPMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_sdp_validate_remote (OFFER, &message, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gst_sdp_message_medias_len (message), ==, 2);
  g_clear_pointer (&message, gst_sdp_message_free);

  /* A rejected section (port 0) need not be bundled; one m-line needs no BUNDLE. */
  g_assert_true (beacon_sdp_validate_remote ("v=0\r\na=group:BUNDLE v\r\n"
                                             "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n"
                                             "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\n",
                                             &message, &error));
  g_clear_pointer (&message, gst_sdp_message_free);
  g_assert_true (beacon_sdp_validate_remote ("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n",
                                             &message, &error));
  g_clear_pointer (&message, gst_sdp_message_free);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) refused_error = NULL;

      g_assert_false (beacon_sdp_validate_remote (refused[i].sdp, &message, &refused_error));
      g_assert_null (message);
      assert_refused (refused_error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP, i,
                      refused[i].message);
    }
  /* Hostile text is refused with an error, or (what the parser takes) checked like any. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) hostile_error = NULL;

      if (beacon_sdp_validate_remote (hostile[i], &message, &hostile_error))
        g_clear_pointer (&message, gst_sdp_message_free);
      else
        g_assert_nonnull (hostile_error);
    }
}

static char *
validate_body (const char  *text,
               gsize        length,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);

  return beacon_sdp_validate_body (bytes, error);
}

static void
test_validate_body (void)
{
  struct {
    const char *body;
    gsize       length;
    const char *message;
  } refused[] = {
    { "", 0, "empty" },
    { "v=0\0m=video 9 RTP/AVP 96", 24, "not UTF-8" },
    { "v=0\n\xff", 5, "not UTF-8" },
    { "o=- 1 0 IN IP4 0.0.0.0\nv=0\n", 27, "not SDP" },
    { "v=0\nhello\n", 10, "line 2 is not an SDP line" },
    { "v=0\nA=b\n", 8, "line 2 is not an SDP line" },
    { "v=0\nm=video 9 RTP/AVP\n", 22, "line 2 is not a valid media line" },
    { "v=0\nm=video 65536 RTP/AVP 96\n", 29, "line 2 is not a valid media line" },
    { "v=0\nm=video x RTP/AVP 96\n", 25, "line 2 is not a valid media line" },
    { "v=0\na=ice-ufrag:u\n", 18, "no media" },
    { "v=0\nm=video 9 RTP/AVP 96\n", 25, "no ICE credentials" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = validate_body (OFFER, strlen (OFFER), &error);
  g_autofree char *ufrag = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (normalized, "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\n"));
  ufrag = beacon_sdp_dup_ice_ufrag (normalized);
  g_assert_cmpstr (ufrag, ==, "ourufrag");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) refused_error = NULL;

      g_assert_null (validate_body (refused[i].body, refused[i].length, &refused_error));
      assert_refused (refused_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, i,
                      refused[i].message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) hostile_error = NULL;

      g_assert_null (validate_body (hostile[i], strlen (hostile[i]), &hostile_error));
      g_assert_nonnull (hostile_error);
    }
}

static void
test_dup_ice_ufrag (void)
{
  g_autofree char *session = beacon_sdp_dup_ice_ufrag ("v=0\r\na=ice-ufrag: u1 \r\n"
                                                       "m=video 9 RTP/AVP 96\r\n"
                                                       "a=ice-ufrag:u2\r\n");
  g_autofree char *empty = beacon_sdp_dup_ice_ufrag ("a=ice-ufrag:\r\n");

  g_assert_cmpstr (session, ==, "u1");
  g_assert_cmpstr (empty, ==, "");
  g_assert_null (beacon_sdp_dup_ice_ufrag ("v=0\r\nm=video 9 RTP/AVP 96\r\n"));
  g_assert_null (beacon_sdp_dup_ice_ufrag (""));
  g_assert_null (beacon_sdp_dup_ice_ufrag (NULL));
}

static int
find_payload_type (const char  *sdp,
                   const char  *media,
                   const char  *encoding,
                   char       **profile_level_id)
{
  g_autoptr(GstSDPMessage) message = NULL;

  g_assert_cmpint (gst_sdp_message_new_from_text (sdp, &message), ==, GST_SDP_OK);
  return beacon_sdp_find_payload_type (message, media, encoding, profile_level_id);
}

static void
test_find_payload_type (void)
{
  const char *h264 =
    "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 109\r\na=rtpmap:109 opus/48000/2\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 97 98 99 100 101\r\n"
    "a=rtpmap:97 H264/90000\r\na=fmtp:97 profile-level-id=42e01f;packetization-mode=0\r\n"
    "a=rtpmap:98 H264/90000\r\na=fmtp:98 profile-level-id=640c1f;packetization-mode=1\r\n"
    "a=rtpmap:99 H264/90000\r\na=fmtp:99 profile-level-id=42001f; packetization-mode=1\r\n"
    "a=rtpmap:100 H264/90000\r\na=fmtp:100 profile-level-id=42e01f;packetization-mode=1\r\n"
    "a=rtpmap:101 VP8/90000\r\n";
  g_autofree char *profile = NULL;

  /* Constrained baseline with packetization-mode=1 wins over plain baseline. */
  g_assert_cmpint (find_payload_type (h264, "video", "H264", &profile), ==, 100);
  g_assert_cmpstr (profile, ==, "42e01f");
  g_clear_pointer (&profile, g_free);
  g_assert_cmpint (find_payload_type (h264, "video", "VP8", &profile), ==, 101);
  g_assert_null (profile);
  /* Case does not matter for the rtpmap name; a prefix is not a match. */
  g_assert_cmpint (find_payload_type (h264, "audio", "OPUS", &profile), ==, 109);
  g_assert_cmpint (find_payload_type (h264, "audio", "OPU", &profile), ==, -1);
  g_assert_cmpint (find_payload_type (h264, "video", "AV1", &profile), ==, -1);
  g_assert_cmpint (find_payload_type (h264, "text", "H264", &profile), ==, -1);

  /* Without constrained baseline, the first baseline one. */
  g_assert_cmpint (find_payload_type ("v=0\r\nm=video 9 RTP/AVP 99 100\r\n"
                                      "a=rtpmap:99 H264/90000\r\n"
                                      "a=fmtp:99 profile-level-id=42001f;packetization-mode=1\r\n"
                                      "a=rtpmap:100 H264/90000\r\n"
                                      "a=fmtp:100 profile-level-id=42zz1f;packetization-mode=1\r\n",
                                      "video", "H264", &profile), ==, 99);
  g_assert_cmpstr (profile, ==, "42001f");
  g_clear_pointer (&profile, g_free);

  /* Hostile: formats that are not numbers, rtpmap without a clock rate, empty fmtp. */
  g_assert_cmpint (find_payload_type ("v=0\r\nm=video 9 RTP/AVP x 96 -1\r\n"
                                      "a=rtpmap:x H264/90000\r\na=rtpmap:96 H264\r\n"
                                      "a=fmtp:96\r\na=rtpmap:-1 H264/90000\r\na=fmtp:-1 \r\n",
                                      "video", "H264", &profile), ==, -1);
  g_assert_null (profile);
}

static void
test_h264_constrained_baseline (void)
{
  g_assert_true (beacon_sdp_h264_is_constrained_baseline ("42e01f"));
  g_assert_true (beacon_sdp_h264_is_constrained_baseline ("42C01F"));
  g_assert_true (beacon_sdp_h264_is_constrained_baseline ("42401f"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline ("42001f"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline ("640c1f"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline ("42e01"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline ("42e01f0"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline ("42zz1f"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline ("42\xff\xff" "1f"));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline (""));
  g_assert_false (beacon_sdp_h264_is_constrained_baseline (NULL));
}

static void
test_video_is_inactive (void)
{
  g_assert_false (beacon_sdp_video_is_inactive (OFFER));
  g_assert_true (beacon_sdp_video_is_inactive ("v=0\r\nm=video 0 RTP/AVP 96\r\n"
                                               "m=audio 9 RTP/AVP 0\r\n"));
  g_assert_true (beacon_sdp_video_is_inactive ("v=0\r\nm=video 9 RTP/AVP 96\r\na=inactive\r\n"
                                               "m=video 0 RTP/AVP 96\r\n"));
  /* One active video section is enough; no video at all is not "inactive video". */
  g_assert_false (beacon_sdp_video_is_inactive ("v=0\r\nm=video 0 RTP/AVP 96\r\n"
                                                "m=video 9 RTP/AVP 96\r\n"));
  g_assert_false (beacon_sdp_video_is_inactive ("v=0\r\nm=audio 0 RTP/AVP 0\r\n"));
  g_assert_false (beacon_sdp_video_is_inactive (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    beacon_sdp_video_is_inactive (hostile[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/beacon/sdp/candidate", test_candidate);
  g_test_add_func ("/beacon/sdp/normalize", test_normalize);
  g_test_add_func ("/beacon/sdp/dup-mids", test_dup_mids);
  g_test_add_func ("/beacon/sdp/add-candidates", test_add_candidates);
  g_test_add_func ("/beacon/sdp/fragment", test_fragment);
  g_test_add_func ("/beacon/sdp/fingerprints", test_fingerprints);
  g_test_add_func ("/beacon/sdp/announce-fingerprint", test_announce_fingerprint);
  g_test_add_func ("/beacon/sdp/validate-remote", test_validate_remote);
  g_test_add_func ("/beacon/sdp/validate-body", test_validate_body);
  g_test_add_func ("/beacon/sdp/dup-ice-ufrag", test_dup_ice_ufrag);
  g_test_add_func ("/beacon/sdp/find-payload-type", test_find_payload_type);
  g_test_add_func ("/beacon/sdp/h264-constrained-baseline", test_h264_constrained_baseline);
  g_test_add_func ("/beacon/sdp/video-is-inactive", test_video_is_inactive);

  return g_test_run ();
}

/* test-whip.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WHIP client against a stub server in this process: links, SDP and trickle fragments,
 * publishing, ICE servers, gathering, refused trickle, redirects. The same client's errors are
 * in test-whip-errors.c, the WHEP client in test-whep.c; against real servers:
 * test-whip-janus.c (Janus through simple-whip-server) and test-whip-direct.c (Beacon's own
 * direct server).
 */

#include "config.h"

#include "beacon-test-child.h"
#include "beacon-test-whip-fixture.h"

#define CANDIDATE_2 "candidate:2 1 TCP 1015021823 127.0.0.1 9 typ host tcptype active"

#define CANDIDATE_4 "candidate:4 1 UDP 2015363327 127.0.0.1 40004 typ host"

/* Unit tests of the helpers */

static void
test_parse_ice_servers (void)
{
  g_auto(GStrv) servers = NULL;

  /* Folded into one header, with commas and semicolons inside quotes and a non-ICE link. */
  servers = beacon_link_header_parse_ice_servers (
    "<turn:turn.example.net:3478?transport=udp>; rel=\"ice-server\"; username=\"user,1\"; "
    "credential=\"pa;ss:w@rd\"; credential-type=\"password\", "
    "<stun:stun.example.net>; rel=\"ice-server\", "
    "<https://example.net/help>; rel=\"help\", "
    "<turns:turn.example.net?transport=tcp>; rel=\"ice-server\"; username=u; credential=p, "
    "<turn:[::1]:3479>; rel=\"ice-server\"");
  g_assert_nonnull (servers);
  g_assert_cmpuint (g_strv_length (servers), ==, 4);
  g_assert_cmpstr (servers[0], ==, "turn://user%2C1:pa%3Bss%3Aw%40rd@turn.example.net:3478"
                                   "?transport=udp");
  g_assert_cmpstr (servers[1], ==, "stun://stun.example.net:3478");
  g_assert_cmpstr (servers[2], ==, "turns://u:p@turn.example.net:5349?transport=tcp");
  g_assert_cmpstr (servers[3], ==, "turn://[::1]:3479");

  g_assert_null (beacon_link_header_parse_ice_servers (NULL));
  g_assert_null (beacon_link_header_parse_ice_servers ("<https://example.net/>; rel=\"next\""));
  g_assert_null (beacon_link_header_parse_ice_servers ("garbage, <>; rel=ice-server, <turn:>; "
                                                       "rel=\"ice-server\""));
  /* What would not be a valid URL is skipped; of two transports the first counts. */
  g_assert_null (beacon_link_header_parse_ice_servers ("<stun:st%zzun.example>; rel=ice-server, "
                                                       "<turn:a/b>; rel=ice-server"));
  g_clear_pointer (&servers, g_strfreev);
  servers = beacon_link_header_parse_ice_servers ("<turn:h?transport=TCP&transport=udp>; "
                                                  "rel=ice-server");
  g_assert_nonnull (servers);
  g_assert_cmpstr (servers[0], ==, "turn://h:3478?transport=tcp");
}

static void
test_sdp_candidates (void)
{
  g_autoptr(GPtrArray) candidates = beacon_sdp_candidate_array_new ();
  g_autofree char *normalized = beacon_sdp_normalize (OFFER);
  g_autofree char *with = NULL;
  g_autofree char *rejected = NULL;
  g_auto(GStrv) mids = NULL;

  /* CRLF everywhere, and nothing else changes. */
  g_assert_true (g_str_has_suffix (normalized, "a=rtpmap:111 OPUS/48000/2\r\n"));
  for (const char *p = normalized; *p != '\0'; p++)
    if (*p == '\n')
      g_assert_true (p > normalized && p[-1] == '\r');

  mids = beacon_sdp_dup_mids (OFFER);
  g_assert_cmpuint (g_strv_length (mids), ==, 2);
  g_assert_cmpstr (mids[0], ==, "video0");
  g_assert_cmpstr (mids[1], ==, "audio1");

  /* Candidates of the first bundled section go to both sections of the bundle. */
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (0, CANDIDATE_1));
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (0, "a=" CANDIDATE_2));
  with = beacon_sdp_add_candidates (OFFER, candidates);
  g_assert_nonnull (strstr (with, "a=rtpmap:96 VP8/90000\r\na=" CANDIDATE_1 "\r\na="
                                  CANDIDATE_2 "\r\nm=audio"));
  g_assert_true (g_str_has_suffix (with, "a=rtpmap:111 OPUS/48000/2\r\na=" CANDIDATE_1
                                         "\r\na=" CANDIDATE_2 "\r\n"));
  g_assert_null (strstr (with, "end-of-candidates"));
  g_clear_pointer (&with, g_free);

  /* The end of candidates is marked where candidates are. */
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (0, ""));
  with = beacon_sdp_add_candidates (OFFER, candidates);
  g_assert_true (g_str_has_suffix (with, "a=" CANDIDATE_2 "\r\na=end-of-candidates\r\n"));

  /* A rejected section (port 0) gets none. */
  rejected = beacon_sdp_add_candidates ("v=0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\n"
                                        "m=audio 0 RTP/AVP 0\r\na=mid:1\r\n", candidates);
  g_assert_cmpstr (rejected, ==, "v=0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\na=" CANDIDATE_1
                                 "\r\na=" CANDIDATE_2 "\r\na=end-of-candidates\r\n"
                                 "m=audio 0 RTP/AVP 0\r\na=mid:1\r\n");
}

static void
test_sdp_fragment (void)
{
  g_autoptr(GPtrArray) candidates = beacon_sdp_candidate_array_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *ufrag = NULL;
  g_autofree char *pwd = NULL;
  g_auto(GStrv) mids = beacon_sdp_dup_mids (OFFER);
  BeaconSdpCandidate *candidate;

  g_ptr_array_add (candidates, beacon_sdp_candidate_new (0, CANDIDATE_3));
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (1, CANDIDATE_4));
  g_ptr_array_add (candidates, beacon_sdp_candidate_new (0, ""));
  fragment = beacon_sdp_fragment_build (OFFER, candidates);
  g_assert_cmpstr (fragment, ==,
                   "a=ice-ufrag:ourufrag\r\n"
                   "a=ice-pwd:ourpasswordourpassword\r\n"
                   "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                   "a=mid:video0\r\n"
                   "a=" CANDIDATE_3 "\r\n"
                   "a=end-of-candidates\r\n"
                   "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                   "a=mid:audio1\r\n"
                   "a=" CANDIDATE_4 "\r\n"
                   "a=end-of-candidates\r\n");

  /* And back. */
  parsed = beacon_sdp_fragment_parse (fragment, (const char * const *) mids, &ufrag, &pwd, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ufrag, ==, "ourufrag");
  g_assert_cmpstr (pwd, ==, "ourpasswordourpassword");
  g_assert_cmpuint (parsed->len, ==, 4);
  candidate = g_ptr_array_index (parsed, 0);
  g_assert_cmpuint (candidate->mline, ==, 0);
  g_assert_cmpstr (candidate->candidate, ==, CANDIDATE_3);
  candidate = g_ptr_array_index (parsed, 1);
  g_assert_cmpstr (candidate->candidate, ==, "");
  candidate = g_ptr_array_index (parsed, 2);
  g_assert_cmpuint (candidate->mline, ==, 1);
  g_assert_cmpstr (candidate->candidate, ==, CANDIDATE_4);
  candidate = g_ptr_array_index (parsed, 3);
  g_assert_cmpuint (candidate->mline, ==, 1);
  g_assert_cmpstr (candidate->candidate, ==, "");
  g_clear_pointer (&parsed, g_ptr_array_unref);

  /* An unknown mid falls back to the order of the m= lines; garbage is refused. */
  parsed = beacon_sdp_fragment_parse ("m=audio 9 RTP/AVP 0\na=mid:zzz\na=" CANDIDATE_1 "\n",
                                      (const char * const *) mids, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((BeaconSdpCandidate *) g_ptr_array_index (parsed, 0))->mline, ==, 0);
  g_assert_null (beacon_sdp_fragment_parse ("hello world", NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_new_errors (void)
{
  g_autoptr(BeaconSignalerOptions) options = beacon_signaler_options_new ();
  g_autoptr(GError) error = NULL;

  options->url = g_strdup ("http://127.0.0.1:1/whip");
  g_assert_null (beacon_whip_signaler_new (options, FALSE, &error));
  g_assert_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "--allow-insecure-signaling"));
  g_clear_error (&error);

  g_free (options->url);
  options->url = g_strdup ("wss://127.0.0.1:1/whip");
  g_assert_null (beacon_whip_signaler_new (options, TRUE, &error));
  g_assert_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
  g_clear_error (&error);

  g_free (options->url);
  options->url = g_strdup ("not a url");
  g_assert_null (beacon_whip_signaler_new (options, FALSE, &error));
  g_assert_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
  g_clear_error (&error);

  g_free (options->url);
  options->url = g_strdup ("https://127.0.0.1:1/whip");
  options->token = g_strdup ("two\r\nlines");
  g_assert_null (beacon_whip_signaler_new (options, FALSE, &error));
  g_assert_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
}

/* ICE servers announced in the answer to OPTIONS come before the session, so that the peer the
 * session then creates uses them. */
static void
test_ice_servers_before_offer (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;

  stub->options_links = "<turn:127.0.0.1:3478?transport=udp>; rel=\"ice-server\"; "
                        "username=\"u\"; credential=\"p\"";
  signaler = make_signaler (url, FALSE, stub_pin, "tok", FALSE, &recorder);
  beacon_signaler_start_async (signaler, BEACON_SIGNALER_ROLE_PUBLISH, NULL, NULL, started_cb,
                               &recorder);
  recorder_wait (&recorder, "session-requested whip server");
  g_assert_cmpuint (stub->n_options, ==, 1);
  g_assert_cmpuint (stub->requests->len, ==, 0);
  g_assert_cmpint (recorder_index (&recorder, "ice-servers"), >=, 0);
  g_assert_cmpint (recorder_index (&recorder, "ice-servers"), <,
                   recorder_index (&recorder, "session-requested whip server"));
  g_assert_cmpstr (recorder.ice_servers[0], ==, "turn://u:p@127.0.0.1:3478?transport=udp");
  beacon_signaler_stop (signaler);
  recorder_clear (&recorder);
}

static void
test_publish (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autoptr(BeaconSignaler) signaler = NULL;
  g_autoptr(BeaconChannelInfo) info = NULL;
  g_autofree char *stub_fingerprint = NULL;
  Recorder recorder;
  StubRequest *request;
  gint64 offered_at;

  signaler = make_signaler (url, FALSE, stub_pin, "tok", FALSE, &recorder);
  g_assert_true (beacon_signaler_watcher_offers (signaler));
  start_signaler (signaler, FALSE, &recorder);
  g_assert_cmpuint (stub->requests->len, ==, 0);

  /* The offer waits for the candidates that come right after it. */
  offered_at = g_get_monotonic_time ();
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_1);
  iterate_for (100);
  g_assert_cmpuint (stub->requests->len, ==, 0);
  beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_2);
  /* Another session's candidate is none of its business. */
  beacon_signaler_send_candidate (signaler, "other", 0, CANDIDATE_4);

  request = stub_wait_request (stub, 1);
  g_assert_cmpint (request->time_us - offered_at, >=, 250 * 1000);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->content_type, ==, "application/sdp");
  g_assert_cmpstr (request->authorization, ==, "Bearer tok");
  for (const char *p = request->body; *p != '\0'; p++)
    if (*p == '\n')
      g_assert_true (p > request->body && p[-1] == '\r');
  g_assert_nonnull (strstr (request->body, "a=rtpmap:96 VP8/90000\r\na=" CANDIDATE_1 "\r\na="
                                           CANDIDATE_2 "\r\nm=audio"));
  g_assert_true (g_str_has_suffix (request->body, "a=" CANDIDATE_2 "\r\n"));
  g_assert_null (strstr (request->body, CANDIDATE_4));

  /* The server's ICE servers, then its answer. */
  recorder_wait (&recorder, "remote-description whip answer");
  g_assert_cmpstr (recorder.remote_sdp, ==, ANSWER);
  g_assert_cmpint (recorder_index (&recorder, "ice-servers"), <,
                   recorder_index (&recorder, "remote-description whip answer"));
  g_assert_cmpuint (g_strv_length (recorder.ice_servers), ==, 2);
  g_assert_cmpstr (recorder.ice_servers[0], ==, "turn://u%2C1:p%3Bw@127.0.0.1:3478?transport=udp");
  g_assert_cmpstr (recorder.ice_servers[1], ==, "stun://127.0.0.1:3479");

  /* Later candidates trickle, batched, to the resolved Location with the ETag. */
  beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_3);
  beacon_signaler_send_candidate (signaler, "whip", 1, CANDIDATE_4);
  request = stub_wait_request (stub, 2);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->path, ==, "/whip/resource/abc");
  g_assert_cmpstr (request->content_type, ==, "application/trickle-ice-sdpfrag");
  g_assert_cmpstr (request->if_match, ==, "\"e1\"");
  g_assert_cmpstr (request->authorization, ==, "Bearer tok");
  g_assert_cmpstr (request->body, ==,
                   "a=ice-ufrag:ourufrag\r\n"
                   "a=ice-pwd:ourpasswordourpassword\r\n"
                   "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                   "a=mid:video0\r\n"
                   "a=" CANDIDATE_3 "\r\n"
                   "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                   "a=mid:audio1\r\n"
                   "a=" CANDIDATE_4 "\r\n");

  /* The next PATCH carries the ETag of the last answer. */
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  request = stub_wait_request (stub, 3);
  g_assert_cmpstr (request->if_match, ==, "\"e2\"");
  g_assert_nonnull (strstr (request->body, "a=end-of-candidates\r\n"));

  info = beacon_signaler_dup_channel_info (signaler);
  stub_fingerprint = beacon_fingerprint_of_tls_certificate (stub_certificate, "sha-256", NULL);
  g_assert_cmpstr (info->url, ==, url);
  g_assert_cmpstr (info->scheme, ==, "https");
  g_assert_cmpint (info->trust, ==, BEACON_SIGNALING_TRUST_PINNED);
  g_assert_cmpstr (info->peer_fingerprint, ==, stub_fingerprint);
  g_assert_nonnull (info->tls_version);
  g_assert_nonnull (info->tls_cipher);

  /* Stopping deletes the session, once. */
  beacon_signaler_end_session (signaler, "whip");
  beacon_signaler_stop (signaler);
  request = stub_wait_request (stub, 4);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/whip/resource/abc");
  g_assert_cmpstr (request->authorization, ==, "Bearer tok");
  iterate_for (200);
  g_assert_cmpuint (stub->requests->len, ==, 4);
  g_assert_false (recorder_has (&recorder, "failed"));

  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_gathering_bounds (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;
  StubRequest *request;
  gint64 offered_at;

  /* An empty candidate (gathering complete) sends the offer at once, with no quiet period:
   * here the candidates are all in before the offer, as when gathering is quick. (The bound is
   * loose for slow runs, such as under valgrind, but far below the 2 s deadline.) */
  signaler = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_1);
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  offered_at = g_get_monotonic_time ();
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  request = stub_wait_request (stub, 1);
  g_assert_cmpint (request->time_us - offered_at, <, beacon_test_scaled_us (1000 * 1000));
  g_assert_null (request->authorization);
  g_assert_nonnull (strstr (request->body, "a=" CANDIDATE_1 "\r\na=end-of-candidates\r\n"));
  recorder_wait (&recorder, "remote-description whip answer");
  g_clear_object (&signaler);
  recorder_clear (&recorder);

  /* Without any candidate, the offer goes after 2 s. */
  signaler = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  offered_at = g_get_monotonic_time ();
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  request = stub_wait_request (stub, 2);
  g_assert_cmpint (request->time_us - offered_at, >=, 1900 * 1000);
  g_assert_cmpint (request->time_us - offered_at, <, beacon_test_scaled_us (3000 * 1000));
  g_assert_null (strstr (request->body, "a=candidate"));
  recorder_wait (&recorder, "remote-description whip answer");
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
trickle_refused_handler (Stub              *stub,
                         SoupServerMessage *msg,
                         const char        *path,
                         StubRequest       *request)
{
  guint status = GPOINTER_TO_UINT (stub->data);

  if (g_str_equal (request->method, "POST"))
    {
      stub_header (msg, "Location", "/whip/resource/1");
      stub_respond (msg, SOUP_STATUS_CREATED, "application/sdp", ANSWER);
    }
  else if (g_str_equal (request->method, "PATCH"))
    stub_respond (msg, status, "text/plain", "no trickle here");
  else
    stub_respond (msg, SOUP_STATUS_OK, NULL, NULL);
}

static void
test_trickle_refused (void)
{
  const guint statuses[] = { SOUP_STATUS_METHOD_NOT_ALLOWED, SOUP_STATUS_NOT_IMPLEMENTED,
                             SOUP_STATUS_UNPROCESSABLE_ENTITY };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(Stub) stub = stub_new (trickle_refused_handler, GUINT_TO_POINTER (statuses[i]));
      g_autofree char *url = stub_url (stub, "/whip/endpoint/x");
      g_autoptr(BeaconSignaler) signaler = NULL;
      Recorder recorder;
      StubRequest *request;

      signaler = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &recorder);
      start_signaler (signaler, FALSE, &recorder);
      beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
      beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_1);
      recorder_wait (&recorder, "remote-description whip answer");

      /* One PATCH is refused; no other follows, and the session goes on. */
      beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_2);
      request = stub_wait_request (stub, 2);
      g_assert_cmpstr (request->method, ==, "PATCH");
      iterate_for (150);
      beacon_signaler_send_candidate (signaler, "whip", 0, CANDIDATE_3);
      iterate_for (200);
      g_assert_cmpuint (stub->requests->len, ==, 2);
      g_assert_false (recorder_has (&recorder, "failed"));

      beacon_signaler_stop (signaler);
      request = stub_wait_request (stub, 3);
      g_assert_cmpstr (request->method, ==, "DELETE");
      g_clear_object (&signaler);
      recorder_clear (&recorder);
    }
}

static void
redirect_handler (Stub              *stub,
                  SoupServerMessage *msg,
                  const char        *path,
                  StubRequest       *request)
{
  if (g_str_equal (path, "/loop"))
    {
      stub_header (msg, "Location", "/loop");
      stub_respond (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL, NULL);
    }
  else if (g_str_equal (path, "/a"))
    {
      stub_header (msg, "Location", "/b");
      stub_respond (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL, NULL);
    }
  else if (g_str_equal (path, "/b"))
    {
      stub_header (msg, "Location", "c/endpoint");
      stub_respond (msg, SOUP_STATUS_PERMANENT_REDIRECT, NULL, NULL);
    }
  else if (g_str_equal (path, "/c/endpoint"))
    {
      stub_header (msg, "Location", "session/9");
      stub_respond (msg, SOUP_STATUS_CREATED, "application/sdp", ANSWER);
    }
  else if (g_str_equal (path, "/insecure"))
    {
      stub_header (msg, "Location", "http://127.0.0.1:1/whip");
      stub_respond (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL, NULL);
    }
  else
    {
      stub_respond (msg, SOUP_STATUS_OK, NULL, NULL);
    }
}

static void
test_redirect (void)
{
  g_autoptr(Stub) stub = stub_new (redirect_handler, NULL);
  g_autoptr(BeaconSignaler) signaler = NULL;
  g_autofree char *url = stub_url (stub, "/a");
  Recorder recorder;
  StubRequest *request;

  /* 307, then 308, then 201: the POST and its body follow; the Location of the session is
   * relative to the URL that answered. */
  signaler = make_signaler (url, FALSE, stub_pin, "tok", FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  recorder_wait (&recorder, "remote-description whip answer");
  g_assert_cmpuint (stub->requests->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      request = g_ptr_array_index (stub->requests, i);
      g_assert_cmpstr (request->method, ==, "POST");
      g_assert_cmpstr (request->content_type, ==, "application/sdp");
      g_assert_cmpstr (request->authorization, ==, "Bearer tok");
      g_assert_true (g_str_has_prefix (request->body, "v=0\r\n"));
    }
  g_assert_cmpstr (((StubRequest *) g_ptr_array_index (stub->requests, 2))->path, ==,
                   "/c/endpoint");
  beacon_signaler_stop (signaler);
  request = stub_wait_request (stub, 4);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/c/session/9");
  g_clear_object (&signaler);
  recorder_clear (&recorder);

  /* A loop ends after 5 hops. */
  g_free (url);
  url = stub_url (stub, "/loop");
  g_ptr_array_set_size (stub->requests, 0);
  signaler = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  recorder_wait (&recorder, "failed");
  g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (recorder.failure->message, "more than 5 times"));
  g_assert_cmpuint (stub->requests->len, ==, 6);
  g_clear_object (&signaler);
  recorder_clear (&recorder);

  /* No redirect from https to http without permission. */
  g_free (url);
  url = stub_url (stub, "/insecure");
  signaler = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  recorder_wait (&recorder, "failed");
  g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE);
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

int
main (int   argc,
      char *argv[])
{
  whip_test_init (&argc, &argv);

  g_test_add_func ("/beacon/whip/link/ice-servers", test_parse_ice_servers);
  g_test_add_func ("/beacon/whip/sdp/candidates", test_sdp_candidates);
  g_test_add_func ("/beacon/whip/sdp/fragment", test_sdp_fragment);
  g_test_add_func ("/beacon/whip/signaler/new-errors", test_new_errors);
  g_test_add_func ("/beacon/whip/signaler/publish", test_publish);
  g_test_add_func ("/beacon/whip/signaler/ice-servers-before-offer", test_ice_servers_before_offer);
  g_test_add_func ("/beacon/whip/signaler/gathering-bounds", test_gathering_bounds);
  g_test_add_func ("/beacon/whip/signaler/trickle-refused", test_trickle_refused);
  g_test_add_func ("/beacon/whip/signaler/redirect", test_redirect);

  return whip_test_run ();
}

/* test-direct-server-http.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The direct server's WHEP and WHIP endpoints over HTTPS: answers, producers, bad requests,
 * timeouts, resources that cannot be guessed, bodies refused before they are read.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "beacon-sas.h"
#include "beacon-test-direct-server-fixture.h"

/* WHEP and WHIP over HTTPS */

#define TEST_OFFER \
  "v=0\r\n" \
  "o=- 1 1 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE video0 audio1\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=mid:video0\r\n" \
  "a=ice-ufrag:viewerufrag\r\n" \
  "a=ice-pwd:viewerpasswordviewerpassword\r\n" \
  "a=recvonly\r\n" \
  "a=rtpmap:96 VP8/90000\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=mid:audio1\r\n" \
  "a=ice-ufrag:viewerufrag\r\n" \
  "a=ice-pwd:viewerpasswordviewerpassword\r\n" \
  "a=recvonly\r\n" \
  "a=rtpmap:111 OPUS/48000/2\r\n"

#define TEST_ANSWER \
  "v=0\r\n" \
  "o=- 2 1 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE video0 audio1\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "a=mid:video0\r\n" \
  "a=ice-ufrag:producerufrag\r\n" \
  "a=sendonly\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" \
  "a=mid:audio1\r\n" \
  "a=ice-ufrag:producerufrag\r\n" \
  "a=sendonly\r\n"

#define VIEWER_CANDIDATE "candidate:7 1 UDP 2015363327 127.0.0.1 50000 typ host"

typedef struct {
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  gboolean     done;
} HttpResult;

static void
http_result_clear (HttpResult *result)
{
  g_clear_object (&result->msg);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_error (&result->error);
  result->done = FALSE;
}

static void
http_sent_cb (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  HttpResult *result = user_data;

  result->body = soup_session_send_and_read_finish (SOUP_SESSION (source), async_result,
                                                    &result->error);
  result->done = TRUE;
}

static gboolean
http_done (gpointer data)
{
  return ((HttpResult *) data)->done;
}

/* Starts a request to @path on the fixture's server; wait with http_wait (). */
static void
http_start (Fixture      *fixture,
            const char   *method,
            const char   *path,
            const char   *content_type,
            const char   *body,
            const char   *if_match,
            HttpResult   *result,
            GCancellable *cancellable)
{
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u%s", fixture->port, path);

  http_result_clear (result);
  result->msg = soup_message_new (method, uri);
  g_assert_nonnull (result->msg);
  g_signal_connect (result->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (result->msg, content_type, bytes);
    }
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (result->msg), "If-Match",
                                  if_match);
  soup_session_send_and_read_async (fixture->session, result->msg, G_PRIORITY_DEFAULT,
                                    cancellable, http_sent_cb, result);
}

static guint
http_wait (HttpResult *result)
{
  wait_for (http_done, result, "the HTTP response");
  g_assert_no_error (result->error);
  g_test_message ("HTTP %u: %.*s", soup_message_get_status (result->msg),
                  (int) g_bytes_get_size (result->body),
                  (const char *) g_bytes_get_data (result->body, NULL));
  return soup_message_get_status (result->msg);
}

static guint
http_request (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *content_type,
              const char *body,
              const char *if_match,
              HttpResult *result)
{
  http_start (fixture, method, path, content_type, body, if_match, result, NULL);
  return http_wait (result);
}

static const char *
response_header (HttpResult *result,
                 const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (result->msg), name);
}

static char *
response_text (HttpResult *result)
{
  gsize length;
  const char *data = g_bytes_get_data (result->body, &length);

  return g_strndup (data, length);
}

static void
assert_response_contains (HttpResult *result,
                          const char *needle)
{
  g_autofree char *text = response_text (result);

  if (strstr (text, needle) == NULL)
    g_error ("Response \"%s\" does not contain \"%s\"", text, needle);
}

/* POSTs the test offer to @path and plays the broadcaster: it answers, trickles a candidate
 * and ends its candidates. Returns the WHEP session id (the producer's session id). */
static char *
whep_start (Fixture    *fixture,
            Client     *producer,
            const char *path,
            HttpResult *result)
{
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autofree char *answer_text = NULL;

  http_start (fixture, "POST", path, "application/sdp", TEST_OFFER, NULL, result, NULL);

  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  g_assert_true (g_str_has_prefix (start->peer_id, "whep-"));
  g_assert_nonnull (start->session_id);
  g_assert_cmpstr (start->sdp, ==, TEST_OFFER);
  g_assert_false (result->done);

  client_send_take (producer, beacon_gst_build_peer_sdp (start->session_id, "answer", TEST_ANSWER));
  client_send_take (producer, beacon_gst_build_peer_ice (start->session_id, 0, PRODUCER_CANDIDATE));
  client_send_take (producer, beacon_gst_build_peer_ice (start->session_id, 0, ""));

  return g_strdup (start->session_id);
}

/* Ids that give access to a session or a WHEP resource (session ids, resource URLs, ETags)
 * come from a cryptographic generator: reseeding GLib's GRand, which g_uuid_string_random ()
 * draws from, does not repeat them. */
static void
test_ids_unpredictable (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  Client *consumer = client_connect (fixture);
  Client *consumer2 = client_connect (fixture);
  HttpResult first = { 0 };
  HttpResult second = { 0 };
  g_autofree char *session1 = NULL;
  g_autofree char *session2 = NULL;
  g_autofree char *whep1 = NULL;
  g_autofree char *whep2 = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  g_random_set_seed (42);
  session1 = start_session (consumer, producer, NULL);
  g_random_set_seed (42);
  session2 = start_session (consumer2, producer, NULL);
  g_assert_cmpstr (session1, !=, session2);

  g_random_set_seed (42);
  whep1 = whep_start (fixture, producer, "/whep", &first);
  g_assert_cmpuint (http_wait (&first), ==, SOUP_STATUS_CREATED);
  g_random_set_seed (42);
  whep2 = whep_start (fixture, producer, "/whep", &second);
  g_assert_cmpuint (http_wait (&second), ==, SOUP_STATUS_CREATED);
  g_assert_cmpstr (whep1, !=, whep2);
  g_assert_cmpstr (response_header (&first, "ETag"), !=, response_header (&second, "ETag"));
  g_assert_cmpuint (strlen (whep1), ==, 32);

  http_result_clear (&first);
  http_result_clear (&second);
}

/* A body over the limit is refused as soon as its headers are in, on any path, and what the
 * client sends after is not kept. */
static void
assert_body_refused_unread (Fixture    *fixture,
                            const char *path,
                            gboolean    chunked,
                            guint       status)
{
  RawClient raw = {
    .read_first = TRUE,
    .chunked = chunked,
    .size = 150 * 1024 * 1024,
    .piece = 64 * 1024,
  };
  g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u ", status);
  gsize growth;

  raw.request = g_strdup_printf ("POST %s HTTP/1.1\r\n"
                                 "Host: 127.0.0.1\r\n"
                                 "Content-Type: application/sdp\r\n"
                                 "%s\r\n"
                                 "\r\n",
                                 path,
                                 chunked ? "Transfer-Encoding: chunked"
                                         : "Content-Length: 157286400");
  growth = raw_client_run (fixture, &raw);
  if (raw.response == NULL)
    g_error ("No response to %s before its body was sent", path);
  g_test_message ("%s", raw.response);
  g_assert_true (g_str_has_prefix (raw.response, status_line));
  g_assert_nonnull (strstr (raw.response, "Connection: close"));
  g_assert_true (raw.closed);
  g_assert_cmpuint (growth, <, MAX_RSS_GROWTH_KIB);
  raw_client_clear (&raw);
}

static void
test_body_refused_unread (Fixture       *fixture,
                          gconstpointer  user_data)
{
  HttpResult result = { NULL };

  assert_body_refused_unread (fixture, "/whep", FALSE, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_body_refused_unread (fixture, "/nonexistent", FALSE,
                              SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_body_refused_unread (fixture, "/whip", TRUE, SOUP_STATUS_LENGTH_REQUIRED);
  assert_body_refused_unread (fixture, "/", TRUE, SOUP_STATUS_LENGTH_REQUIRED);

  /* The server still answers. */
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_NOT_FOUND);
  http_result_clear (&result);
}

static void
test_whep_answer (Fixture       *fixture,
                  gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  HttpResult patch = { 0 };
  g_autofree char *session = NULL;
  g_autofree char *location = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *expected_answer = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;
  const char *etag;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, "Kitchen");
  session = whep_start (fixture, producer, "/whep", &result);

  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_CREATED);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (result.msg), NULL), ==, "application/sdp");
  location = g_strdup_printf ("/whep/session/%s", session);
  g_assert_cmpstr (response_header (&result, "Location"), ==, location);
  etag = response_header (&result, "ETag");
  g_assert_nonnull (etag);
  g_assert_true (g_str_has_prefix (etag, "\"") && g_str_has_suffix (etag, "\""));
  g_assert_cmpstr (response_header (&result, "Access-Control-Allow-Origin"), ==, "*");

  /* The broadcaster's candidates ride in the answer, in both bundled sections. */
  answer = response_text (&result);
  expected_answer = g_strdup (TEST_ANSWER);
  g_assert_nonnull (strstr (answer, "a=mid:video0\r\na=ice-ufrag:producerufrag\r\na=sendonly\r\n"
                                    "a=" PRODUCER_CANDIDATE "\r\na=end-of-candidates\r\n"));
  g_assert_nonnull (strstr (answer, "a=mid:audio1\r\na=ice-ufrag:producerufrag\r\na=sendonly\r\n"
                                    "a=" PRODUCER_CANDIDATE "\r\na=end-of-candidates\r\n"));

  /* Trickle from the viewer: a candidate of the audio section goes on with its m-line. */
  fragment = g_strdup ("a=ice-ufrag:viewerufrag\r\na=ice-pwd:viewerpasswordviewerpassword\r\n"
                       "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:audio1\r\n"
                       "a=" VIEWER_CANDIDATE "\r\na=end-of-candidates\r\n");
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  fragment, etag, &patch), ==, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpstr (response_header (&patch, "ETag"), ==, etag);
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpstr (message->session_id, ==, session);
  g_assert_cmpuint (message->sdp_mline_index, ==, 1);
  g_assert_cmpstr (message->candidate, ==, VIEWER_CANDIDATE);
  g_clear_pointer (&message, beacon_gst_message_free);
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpstr (message->candidate, ==, "");
  g_clear_pointer (&message, beacon_gst_message_free);

  /* If-Match: * is accepted; another ETag is not. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:video0\r\n"
                                  "a=" VIEWER_CANDIDATE "\r\n", "*", &patch),
                    ==, SOUP_STATUS_NO_CONTENT);
  message = client_expect (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpuint (message->sdp_mline_index, ==, 0);
  g_clear_pointer (&message, beacon_gst_message_free);
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  fragment, "\"stale\"", &patch),
                    ==, SOUP_STATUS_PRECONDITION_FAILED);

  /* Wrong media type, an ICE restart, a fragment that is not SDP. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "text/plain", "hello", NULL, &patch),
                    ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpstr (response_header (&patch, "Accept-Patch"), ==, "application/trickle-ice-sdpfrag");
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  "a=ice-ufrag:newufrag\r\na=ice-pwd:newpasswordnewpassword\r\n",
                                  "*", &patch), ==, SOUP_STATUS_NOT_IMPLEMENTED);
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  "this is not sdp", NULL, &patch), ==, SOUP_STATUS_BAD_REQUEST);
  /* An answer is only taken when the broadcaster offered. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/sdp", TEST_OFFER, NULL,
                                  &patch), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http_request (fixture, "GET", location, NULL, NULL, NULL, &patch),
                    ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  client_assert_nothing_pending (producer);

  /* DELETE ends the session for the broadcaster, and the resource is gone. */
  g_assert_cmpuint (http_request (fixture, "DELETE", location, NULL, NULL, NULL, &patch),
                    ==, SOUP_STATUS_OK);
  message = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (message->session_id, ==, session);
  g_assert_cmpuint (http_request (fixture, "DELETE", location, NULL, NULL, NULL, &patch),
                    ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/trickle-ice-sdpfrag",
                                  fragment, NULL, &patch), ==, SOUP_STATUS_NOT_FOUND);

  http_result_clear (&result);
  http_result_clear (&patch);
}

static void
test_whep_choose_producer (Fixture       *fixture,
                           gconstpointer  user_data)
{
  Client *kitchen = client_connect (fixture);
  Client *garden = client_connect (fixture);
  HttpResult result = { 0 };
  g_autofree char *session = NULL;

  /* Nothing is live yet. */
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_NOT_FOUND);
  assert_response_contains (&result, "nothing is broadcasting");

  client_register (kitchen, BEACON_GST_ROLE_PRODUCER, "Kitchen");
  client_register (garden, BEACON_GST_ROLE_PRODUCER, "Garden Shed");

  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_MULTIPLE_CHOICES);
  assert_response_contains (&result, "/whep/Kitchen");
  assert_response_contains (&result, "/whep/Garden%20Shed");

  g_assert_cmpuint (http_request (fixture, "POST", "/whep/Nobody", "application/sdp", TEST_OFFER,
                                  NULL, &result), ==, SOUP_STATUS_NOT_FOUND);
  assert_response_contains (&result, "no broadcast named 'Nobody'");

  /* By name (escaped in the path) or by peer id. */
  session = whep_start (fixture, garden, "/whep/Garden%20Shed", &result);
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_CREATED);
  g_clear_pointer (&session, g_free);
  {
    g_autofree char *path = g_strdup_printf ("/whep/%s", kitchen->peer_id);

    session = whep_start (fixture, kitchen, path, &result);
    g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_CREATED);
  }
  client_assert_nothing_pending (garden);

  http_result_clear (&result);
}

static void
test_whep_bad_requests (Fixture       *fixture,
                        gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autofree char *huge = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/json", "{}", NULL,
                                  &result), ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpstr (response_header (&result, "Accept-Post"), ==, "application/sdp");
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);

  /* Malformed SDP. */
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", "hello", NULL,
                                  &result), ==, SOUP_STATUS_BAD_REQUEST);
  assert_response_contains (&result, "v=0");
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", NULL,
                                  &result), ==, SOUP_STATUS_BAD_REQUEST);
  assert_response_contains (&result, "no media");
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\nthis is not sdp\r\n", NULL, &result),
                    ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\nm=video nine UDP/TLS/RTP/SAVPF 96\r\na=ice-ufrag:x\r\n",
                                  NULL, &result), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp",
                                  "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n", NULL, &result),
                    ==, SOUP_STATUS_BAD_REQUEST);
  assert_response_contains (&result, "ice-ufrag");

  /* Too large to be an offer: refused before the body is read. */
  huge = g_malloc (200 * 1024 + 1);
  memset (huge, 'a', 200 * 1024);
  huge[200 * 1024] = '\0';
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", huge, NULL,
                                  &result), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  /* Other methods, unknown paths and sessions. */
  g_assert_cmpuint (http_request (fixture, "GET", "/whep", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (response_header (&result, "Allow"), ==, "POST, OPTIONS");
  g_assert_cmpuint (http_request (fixture, "OPTIONS", "/whep", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpstr (response_header (&result, "Accept-Post"), ==, "application/sdp");
  g_assert_nonnull (response_header (&result, "Access-Control-Allow-Methods"));
  g_assert_cmpuint (http_request (fixture, "PATCH", "/whep/session/nope",
                                  "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n",
                                  NULL, &result), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (http_request (fixture, "DELETE", "/whep/session/nope", NULL, NULL, NULL,
                                  &result), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep/a/b", "application/sdp", TEST_OFFER,
                                  NULL, &result), ==, SOUP_STATUS_NOT_FOUND);

  /* None of it reached the broadcaster. */
  client_assert_nothing_pending (producer);
  http_result_clear (&result);
}

static void
test_whip_refused (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  g_assert_cmpuint (http_request (fixture, "POST", "/whip", "application/sdp", TEST_OFFER, NULL,
                                  &result), ==, SOUP_STATUS_NOT_IMPLEMENTED);
  assert_response_contains (&result, "not a media server");
  assert_response_contains (&result, "/whep");
  g_assert_cmpuint (http_request (fixture, "POST", "/whip/endpoint/x", "application/sdp",
                                  TEST_OFFER, NULL, &result), ==, SOUP_STATUS_NOT_IMPLEMENTED);
  client_assert_nothing_pending (producer);
  http_result_clear (&result);
}

static void
test_whep_timeout (Fixture       *fixture,
                   gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) ended = NULL;

  beacon_direct_server_set_http_answer_timeout (fixture->server, 300);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  /* The broadcaster never answers. */
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_GATEWAY_TIMEOUT);
  assert_response_contains (&result, "did not answer");
  ended = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (ended->session_id, ==, start->session_id);

  /* A late answer goes nowhere. */
  client_send_take (producer, beacon_gst_build_peer_sdp (start->session_id, "answer", TEST_ANSWER));
  client_expect_error (producer, "not found");
  http_result_clear (&result);
}

static void
test_whep_producer_ends (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* The broadcaster refuses the viewer (it is full, say). */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  client_send_take (producer, beacon_gst_build_end_session (start->session_id));
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  g_assert_cmpstr (response_header (&result, "Retry-After"), ==, "5");
  g_clear_pointer (&start, beacon_gst_message_free);

  /* The broadcaster goes away while the viewer waits. */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  client_close (producer);
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  http_result_clear (&result);
}

static void
test_whep_full (Fixture       *fixture,
                gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult first = { 0 };
  HttpResult second = { 0 };
  g_autofree char *session = NULL;

  beacon_direct_server_set_max_sessions_per_producer (fixture->server, 1);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  session = whep_start (fixture, producer, "/whep", &first);
  g_assert_cmpuint (http_wait (&first), ==, SOUP_STATUS_CREATED);
  g_assert_cmpuint (http_request (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL,
                                  &second), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  assert_response_contains (&second, "full");
  g_assert_nonnull (response_header (&second, "Retry-After"));
  client_assert_nothing_pending (producer);

  http_result_clear (&first);
  http_result_clear (&second);
}

static void
test_whep_producer_offers (Fixture       *fixture,
                           gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  HttpResult patch = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) answer = NULL;
  g_autofree char *location = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* A broadcaster that ignores the viewer's offer and sends its own: the viewer gets 406 with
   * that offer and answers with PATCH. */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  client_send_take (producer, beacon_gst_build_peer_sdp (start->session_id, "offer", TEST_ANSWER));
  client_send_take (producer, beacon_gst_build_peer_ice (start->session_id, 0, ""));
  g_assert_cmpuint (http_wait (&result), ==, SOUP_STATUS_NOT_ACCEPTABLE);
  assert_response_contains (&result, "a=ice-ufrag:producerufrag");
  location = g_strdup_printf ("/whep/session/%s", start->session_id);
  g_assert_cmpstr (response_header (&result, "Location"), ==, location);

  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/sdp", TEST_OFFER,
                                  response_header (&result, "ETag"), &patch),
                    ==, SOUP_STATUS_NO_CONTENT);
  answer = client_expect (producer, BEACON_GST_MESSAGE_PEER_SDP);
  g_assert_cmpstr (answer->sdp_type, ==, "answer");
  g_assert_cmpstr (answer->sdp, ==, TEST_OFFER);

  /* Only once. */
  g_assert_cmpuint (http_request (fixture, "PATCH", location, "application/sdp", TEST_OFFER, NULL,
                                  &patch), ==, SOUP_STATUS_BAD_REQUEST);
  http_result_clear (&result);
  http_result_clear (&patch);
}

static void
test_whep_viewer_leaves (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) ended = NULL;

  beacon_direct_server_set_http_answer_timeout (fixture->server, 300);
  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);

  /* The viewer gives up while the broadcaster prepares its answer. libsoup does not read a
   * connection whose request is paused, so the server may learn of it only when the answer
   * timeout writes its 504: either way the broadcaster's session ends, within that bound. */
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, cancellable);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);
  g_cancellable_cancel (cancellable);
  wait_for (http_done, &result, "the cancelled request");
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);

  ended = client_expect (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (ended->session_id, ==, start->session_id);
  http_result_clear (&result);
}

static void
test_whep_stop_while_pending (Fixture       *fixture,
                              gconstpointer  user_data)
{
  Client *producer = client_connect (fixture);
  HttpResult result = { 0 };
  g_autoptr(BeaconGstMessage) start = NULL;

  client_register (producer, BEACON_GST_ROLE_PRODUCER, NULL);
  http_start (fixture, "POST", "/whep", "application/sdp", TEST_OFFER, NULL, &result, NULL);
  start = client_expect (producer, BEACON_GST_MESSAGE_START_SESSION);

  /* Stopping the server never leaves a viewer hanging: it gets an answer or a closed
   * connection. */
  beacon_direct_server_stop (fixture->server);
  wait_for (http_done, &result, "the pending request to end");
  if (result.error == NULL)
    g_assert_cmpuint (soup_message_get_status (result.msg), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  http_result_clear (&result);
}

/* The browser viewer page: the page itself at "/" and "/watch/NAME", its script and style,
 * and the word list from the same table as Beacon's words, each with a Content-Security-Policy
 * that allows nothing but the server itself and no inline script; other methods get 405, other
 * paths are not the page's. */
static void
test_viewer_page (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct {
    const char *path;
    const char *content_type;
    const char *contains;
  } files[] = {
    { "/", "text/html", "<script src=\"/viewer.js\" defer></script>" },
    { "/watch/studio", "text/html", "Security words" },
    { "/viewer.js", "text/javascript", "beacon-sas-v1|" },
    { "/viewer.css", "text/css", "video" },
  };
  HttpResult result = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *words_json = NULL;
  JsonArray *words;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      const char *policy;

      g_assert_cmpuint (http_request (fixture, "GET", files[i].path, NULL, NULL, NULL, &result),
                        ==, SOUP_STATUS_OK);
      g_assert_true (g_str_has_prefix (response_header (&result, "Content-Type"),
                                       files[i].content_type));
      assert_response_contains (&result, files[i].contains);
      policy = response_header (&result, "Content-Security-Policy");
      g_assert_nonnull (policy);
      g_assert_nonnull (strstr (policy, "default-src 'none'"));
      g_assert_nonnull (strstr (policy, "script-src 'self';"));
      g_assert_null (strstr (policy, "unsafe-inline"));
      g_assert_cmpstr (response_header (&result, "X-Content-Type-Options"), ==, "nosniff");
    }
  /* No inline script in the page. */
  g_assert_cmpuint (http_request (fixture, "GET", "/", NULL, NULL, NULL, &result), ==,
                    SOUP_STATUS_OK);
  {
    g_autofree char *page = response_text (&result);

    g_assert_null (strstr (page, "<script>"));
    g_assert_null (strstr (page, "onclick"));
  }

  g_assert_cmpuint (http_request (fixture, "GET", "/sas-words.json", NULL, NULL, NULL, &result),
                    ==, SOUP_STATUS_OK);
  words_json = response_text (&result);
  json_parser_load_from_data (parser, words_json, -1, &error);
  g_assert_no_error (error);
  words = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (words), ==, 256);
  for (guint i = 0; i < 256; i++)
    g_assert_cmpstr (json_array_get_string_element (words, i), ==, beacon_sas_get_words ()[i]);

  g_assert_cmpuint (http_request (fixture, "POST", "/", "text/plain", "x", NULL, &result), ==,
                    SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpuint (http_request (fixture, "GET", "/watch/", NULL, NULL, NULL, &result), !=,
                    SOUP_STATUS_OK);
  g_assert_cmpuint (http_request (fixture, "GET", "/index.html", NULL, NULL, NULL, &result), !=,
                    SOUP_STATUS_OK);
  http_result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  direct_server_test_init (&argc, &argv);

#define ADD_TEST(name, func) \
  g_test_add ("/beacon/direct-server/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD_TEST ("ids-unpredictable", test_ids_unpredictable);
  ADD_TEST ("whep/answer", test_whep_answer);
  ADD_TEST ("whep/choose-producer", test_whep_choose_producer);
  ADD_TEST ("whep/bad-requests", test_whep_bad_requests);
  ADD_TEST ("whep/timeout", test_whep_timeout);
  ADD_TEST ("whep/producer-ends", test_whep_producer_ends);
  ADD_TEST ("whep/full", test_whep_full);
  ADD_TEST ("whep/producer-offers", test_whep_producer_offers);
  ADD_TEST ("whep/viewer-leaves", test_whep_viewer_leaves);
  ADD_TEST ("whep/stop-while-pending", test_whep_stop_while_pending);
  ADD_TEST ("whip/refused", test_whip_refused);
  ADD_TEST ("body-refused-unread", test_body_refused_unread);
  ADD_TEST ("viewer-page", test_viewer_page);

  return direct_server_test_run ();
}

/* test-whip.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* beacon-test-servers.c, included below, needs unshare (). */
#define _GNU_SOURCE

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "beacon-fingerprint.h"
#include "beacon-signaler-factory.h"
#include "beacon-test-child.h"
#include "beacon-test-process.h"
#include "beacon-test-servers.h"
#include "beacon-test-janus.h"
#include "beacon-whip-signaler.h"


G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

/* Every wait is bounded: a broken server fails the test instead of hanging it. */
#define WAIT_SECONDS 10

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
  "a=mid:video0\n" \
  "a=sendonly\n" \
  "a=rtpmap:96 VP8/90000\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 111\n" \
  "c=IN IP4 0.0.0.0\n" \
  "a=ice-ufrag:ourufrag\n" \
  "a=ice-pwd:ourpasswordourpassword\n" \
  "a=mid:audio1\n" \
  "a=sendonly\n" \
  "a=rtpmap:111 OPUS/48000/2\n"

#define ANSWER \
  "v=0\r\n" \
  "o=- 2 0 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "a=mid:video0\r\n" \
  "a=recvonly\r\n"

#define CANDIDATE_1 "candidate:1 1 UDP 2015363327 127.0.0.1 40001 typ host"
#define CANDIDATE_2 "candidate:2 1 TCP 1015021823 127.0.0.1 9 typ host tcptype active"
#define CANDIDATE_3 "candidate:3 1 UDP 2015363327 127.0.0.1 40003 typ host"
#define CANDIDATE_4 "candidate:4 1 UDP 2015363327 127.0.0.1 40004 typ host"

static GTlsCertificate *stub_certificate;
static char *stub_pin;

/* A throwaway ECDSA P-256 key and self-signed certificate for 127.0.0.1. */
static GTlsCertificate *
create_certificate (void)
{
  g_autoptr(EVP_PKEY) key = EVP_EC_gen ("P-256");
  g_autoptr(X509) x509 = X509_new ();
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  GTlsCertificate *certificate;
  X509_NAME *name;
  char *data;
  long length;

  g_assert_nonnull (key);
  X509_set_version (x509, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (x509), g_random_int_range (1, G_MAXINT32));
  X509_gmtime_adj (X509_getm_notBefore (x509), -3600);
  X509_gmtime_adj (X509_getm_notAfter (x509), 24 * 3600);
  X509_set_pubkey (x509, key);
  name = X509_get_subject_name (x509);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC, (const unsigned char *) "127.0.0.1",
                              -1, -1, 0);
  X509_set_issuer_name (x509, name);
  g_assert_cmpint (X509_sign (x509, key, EVP_sha256 ()), >, 0);
  PEM_write_bio_X509 (bio, x509);
  PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL);
  length = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, length);
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  return certificate;
}

static gboolean
iterate_for_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, iterate_for_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A stub WHIP/WHEP endpoint: records every request and answers with the test's handler. */

typedef struct {
  char   *method;
  char   *path;
  char   *content_type;    /* the header as sent */
  char   *authorization;
  char   *if_match;
  char   *body;
  gint64  time_us;
} StubRequest;

typedef struct _Stub Stub;
typedef void (*StubHandler) (Stub              *stub,
                             SoupServerMessage *msg,
                             const char        *path,
                             StubRequest       *request);

struct _Stub {
  SoupServer  *server;
  guint        port;
  GPtrArray   *requests;       /* StubRequest* */
  StubHandler  handler;
  gpointer     data;
  /* OPTIONS (the signaler's ICE server pre-flight) is answered here and not recorded. */
  const char  *options_links;  /* nullable: Link header of the OPTIONS answer */
  guint        n_options;
};

static void
stub_request_free (StubRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->content_type);
  g_free (request->authorization);
  g_free (request->if_match);
  g_free (request->body);
  g_free (request);
}

static void
stub_respond (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
stub_header (SoupServerMessage *msg,
             const char        *name,
             const char        *value)
{
  soup_message_headers_append (soup_server_message_get_response_headers (msg), name, value);
}

static void
stub_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Stub *stub = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  StubRequest *request;

  if (g_str_equal (soup_server_message_get_method (msg), "OPTIONS"))
    {
      stub->n_options++;
      if (stub->options_links != NULL)
        stub_header (msg, "Link", stub->options_links);
      stub_respond (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL);
      return;
    }
  request = g_new0 (StubRequest, 1);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->if_match = g_strdup (soup_message_headers_get_one (headers, "If-Match"));
  request->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  request->time_us = g_get_monotonic_time ();
  g_ptr_array_add (stub->requests, request);
  g_test_message ("stub ← %s %s (%s)", request->method, path,
                  request->content_type ? request->content_type : "no body");
  stub->handler (stub, msg, path, request);
}

static Stub *
stub_new (StubHandler handler,
          gpointer    data)
{
  Stub *stub = g_new0 (Stub, 1);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  stub->server = soup_server_new ("tls-certificate", stub_certificate, NULL);
  soup_server_add_handler (stub->server, NULL, stub_handler_cb, stub, NULL);
  soup_server_listen (stub->server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (stub->server);
  stub->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  stub->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) stub_request_free);
  stub->handler = handler;
  stub->data = data;
  return stub;
}

static char *
stub_url (Stub       *stub,
          const char *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u%s", stub->port, path);
}

static void
stub_free (Stub *stub)
{
  soup_server_disconnect (stub->server);
  g_object_unref (stub->server);
  g_ptr_array_unref (stub->requests);
  g_free (stub);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stub, stub_free)

static StubRequest *
stub_wait_request (Stub *stub,
                   guint n)
{
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (WAIT_SECONDS * G_USEC_PER_SEC);

  while (stub->requests->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (stub->requests->len < n)
    g_error ("the stub got %u requests, not %u, within %d s", stub->requests->len, n,
             WAIT_SECONDS);
  return g_ptr_array_index (stub->requests, n - 1);
}

/* What a signaler reported, in order. */

typedef struct {
  GPtrArray *events;       /* char*: "session-requested whip server", … */
  GStrv      ice_servers;
  char      *remote_type;
  char      *remote_sdp;
  GError    *failure;
  char      *started;      /* start's result */
  GError    *start_error;
  gboolean   start_done;
} Recorder;

static void
recorder_clear (Recorder *recorder)
{
  g_clear_pointer (&recorder->events, g_ptr_array_unref);
  g_clear_pointer (&recorder->ice_servers, g_strfreev);
  g_clear_pointer (&recorder->remote_type, g_free);
  g_clear_pointer (&recorder->remote_sdp, g_free);
  g_clear_error (&recorder->failure);
  g_clear_pointer (&recorder->started, g_free);
  g_clear_error (&recorder->start_error);
}

static void
session_requested_cb (BeaconSignaler *signaler,
                      const char     *session_id,
                      const char     *peer_id,
                      const char     *offer,
                      Recorder       *recorder)
{
  g_assert_null (offer);
  g_ptr_array_add (recorder->events, g_strdup_printf ("session-requested %s %s", session_id,
                                                      peer_id));
}

static void
session_started_cb (BeaconSignaler *signaler,
                    const char     *session_id,
                    const char     *peer_id,
                    Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("session-started %s %s", session_id,
                                                      peer_id));
}

static void
remote_description_cb (BeaconSignaler *signaler,
                       const char     *session_id,
                       const char     *type,
                       const char     *sdp,
                       Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("remote-description %s %s", session_id,
                                                      type));
  g_free (recorder->remote_type);
  recorder->remote_type = g_strdup (type);
  g_free (recorder->remote_sdp);
  recorder->remote_sdp = g_strdup (sdp);
}

static void
ice_servers_cb (BeaconSignaler  *signaler,
                const char     **servers,
                Recorder        *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup ("ice-servers"));
  g_strfreev (recorder->ice_servers);
  recorder->ice_servers = g_strdupv ((char **) servers);
}

static void
failed_cb (BeaconSignaler *signaler,
           const GError   *error,
           Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup ("failed"));
  g_clear_error (&recorder->failure);
  recorder->failure = g_error_copy (error);
}

static void
session_ended_cb (BeaconSignaler *signaler,
                  const char     *session_id,
                  Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("session-ended %s", session_id));
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Recorder *recorder = user_data;

  recorder->started = beacon_signaler_start_finish (BEACON_SIGNALER (source), result,
                                                    &recorder->start_error);
  recorder->start_done = TRUE;
  g_ptr_array_add (recorder->events, g_strdup ("started"));
}

static gboolean
recorder_has (Recorder   *recorder,
              const char *event)
{
  for (guint i = 0; i < recorder->events->len; i++)
    if (g_str_equal (g_ptr_array_index (recorder->events, i), event))
      return TRUE;
  return FALSE;
}

static gint
recorder_index (Recorder   *recorder,
                const char *event)
{
  for (guint i = 0; i < recorder->events->len; i++)
    if (g_str_equal (g_ptr_array_index (recorder->events, i), event))
      return i;
  return -1;
}

static void
recorder_wait (Recorder   *recorder,
               const char *event)
{
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (WAIT_SECONDS * G_USEC_PER_SEC);

  while (!recorder_has (recorder, event) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!recorder_has (recorder, event))
    g_error ("no '%s' within %d s (failure: %s)", event, WAIT_SECONDS,
             recorder->failure ? recorder->failure->message : "none");
}

static BeaconSignaler *
make_signaler (const char *url,
               gboolean    whep,
               const char *pin,
               const char *token,
               gboolean    allow_insecure,
               Recorder   *recorder)
{
  g_autoptr(BeaconSignalerOptions) options = beacon_signaler_options_new ();
  g_autoptr(GError) error = NULL;
  BeaconSignaler *signaler;

  options->dialect = g_strdup (whep ? "whep" : "whip");
  options->url = g_strdup (url);
  options->pin = g_strdup (pin);
  options->token = g_strdup (token);
  options->allow_insecure = allow_insecure;
  signaler = beacon_signaler_new_for_dialect (options, &error);
  g_assert_no_error (error);
  g_assert_true (BEACON_IS_WHIP_SIGNALER (signaler));

  memset (recorder, 0, sizeof *recorder);
  recorder->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (signaler, "session-requested", G_CALLBACK (session_requested_cb), recorder);
  g_signal_connect (signaler, "session-started", G_CALLBACK (session_started_cb), recorder);
  g_signal_connect (signaler, "remote-description", G_CALLBACK (remote_description_cb), recorder);
  g_signal_connect (signaler, "ice-servers", G_CALLBACK (ice_servers_cb), recorder);
  g_signal_connect (signaler, "failed", G_CALLBACK (failed_cb), recorder);
  g_signal_connect (signaler, "session-ended", G_CALLBACK (session_ended_cb), recorder);
  return signaler;
}

/* Starts @signaler and waits for its session to be announced. */
static void
start_signaler (BeaconSignaler *signaler,
                gboolean        whep,
                Recorder       *recorder)
{
  beacon_signaler_start_async (signaler, whep ? BEACON_SIGNALER_ROLE_WATCH
                                              : BEACON_SIGNALER_ROLE_PUBLISH,
                               NULL, NULL, started_cb, recorder);
  recorder_wait (recorder, whep ? "session-started whep server"
                                : "session-requested whip server");
  g_assert_no_error (recorder->start_error);
  g_assert_cmpstr (recorder->started, ==, whep ? "whep" : "whip");
  /* Start completes before the session is announced. */
  g_assert_cmpint (recorder_index (recorder, "started"), ==, 0);
}

/* Unit tests of the helpers */

static void
test_parse_ice_servers (void)
{
  g_auto(GStrv) servers = NULL;

  /* Folded into one header, with commas and semicolons inside quotes and a non-ICE link. */
  servers = beacon_whip_parse_ice_servers (
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

  g_assert_null (beacon_whip_parse_ice_servers (NULL));
  g_assert_null (beacon_whip_parse_ice_servers ("<https://example.net/>; rel=\"next\""));
  g_assert_null (beacon_whip_parse_ice_servers ("garbage, <>; rel=ice-server, <turn:>; "
                                                "rel=\"ice-server\""));
  /* What would not be a valid URL is skipped; of two transports the first counts. */
  g_assert_null (beacon_whip_parse_ice_servers ("<stun:st%zzun.example>; rel=ice-server, "
                                                "<turn:a/b>; rel=ice-server"));
  g_clear_pointer (&servers, g_strfreev);
  servers = beacon_whip_parse_ice_servers ("<turn:h?transport=TCP&transport=udp>; rel=ice-server");
  g_assert_nonnull (servers);
  g_assert_cmpstr (servers[0], ==, "turn://h:3478?transport=tcp");
}

static void
test_sdp_candidates (void)
{
  g_autoptr(GPtrArray) candidates = beacon_whip_candidate_array_new ();
  g_autofree char *normalized = beacon_whip_normalize_sdp (OFFER);
  g_autofree char *with = NULL;
  g_autofree char *rejected = NULL;
  g_auto(GStrv) mids = NULL;

  /* CRLF everywhere, and nothing else changes. */
  g_assert_true (g_str_has_suffix (normalized, "a=rtpmap:111 OPUS/48000/2\r\n"));
  for (const char *p = normalized; *p != '\0'; p++)
    if (*p == '\n')
      g_assert_true (p > normalized && p[-1] == '\r');

  mids = beacon_whip_sdp_dup_mids (OFFER);
  g_assert_cmpuint (g_strv_length (mids), ==, 2);
  g_assert_cmpstr (mids[0], ==, "video0");
  g_assert_cmpstr (mids[1], ==, "audio1");

  /* Candidates of the first bundled section go to both sections of the bundle. */
  g_ptr_array_add (candidates, beacon_whip_candidate_new (0, CANDIDATE_1));
  g_ptr_array_add (candidates, beacon_whip_candidate_new (0, "a=" CANDIDATE_2));
  with = beacon_whip_sdp_add_candidates (OFFER, candidates);
  g_assert_nonnull (strstr (with, "a=rtpmap:96 VP8/90000\r\na=" CANDIDATE_1 "\r\na="
                                  CANDIDATE_2 "\r\nm=audio"));
  g_assert_true (g_str_has_suffix (with, "a=rtpmap:111 OPUS/48000/2\r\na=" CANDIDATE_1
                                         "\r\na=" CANDIDATE_2 "\r\n"));
  g_assert_null (strstr (with, "end-of-candidates"));
  g_clear_pointer (&with, g_free);

  /* The end of candidates is marked where candidates are. */
  g_ptr_array_add (candidates, beacon_whip_candidate_new (0, ""));
  with = beacon_whip_sdp_add_candidates (OFFER, candidates);
  g_assert_true (g_str_has_suffix (with, "a=" CANDIDATE_2 "\r\na=end-of-candidates\r\n"));

  /* A rejected section (port 0) gets none. */
  rejected = beacon_whip_sdp_add_candidates ("v=0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\n"
                                             "m=audio 0 RTP/AVP 0\r\na=mid:1\r\n", candidates);
  g_assert_cmpstr (rejected, ==, "v=0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\na=" CANDIDATE_1
                                 "\r\na=" CANDIDATE_2 "\r\na=end-of-candidates\r\n"
                                 "m=audio 0 RTP/AVP 0\r\na=mid:1\r\n");
}

static void
test_sdp_fragment (void)
{
  g_autoptr(GPtrArray) candidates = beacon_whip_candidate_array_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *ufrag = NULL;
  g_autofree char *pwd = NULL;
  g_auto(GStrv) mids = beacon_whip_sdp_dup_mids (OFFER);
  BeaconWhipCandidate *candidate;

  g_ptr_array_add (candidates, beacon_whip_candidate_new (0, CANDIDATE_3));
  g_ptr_array_add (candidates, beacon_whip_candidate_new (1, CANDIDATE_4));
  g_ptr_array_add (candidates, beacon_whip_candidate_new (0, ""));
  fragment = beacon_whip_sdpfrag_build (OFFER, candidates);
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
  parsed = beacon_whip_sdpfrag_parse (fragment, (const char * const *) mids, &ufrag, &pwd, &error);
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
  parsed = beacon_whip_sdpfrag_parse ("m=audio 9 RTP/AVP 0\na=mid:zzz\na=" CANDIDATE_1 "\n",
                                      (const char * const *) mids, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((BeaconWhipCandidate *) g_ptr_array_index (parsed, 0))->mline, ==, 0);
  g_assert_null (beacon_whip_sdpfrag_parse ("hello world", NULL, NULL, NULL, &error));
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

/* The signaler against the stub */

static void
publish_handler (Stub              *stub,
                 SoupServerMessage *msg,
                 const char        *path,
                 StubRequest       *request)
{
  if (g_str_equal (request->method, "POST") && g_str_equal (path, "/whip/endpoint/ep"))
    {
      stub_header (msg, "Location", "../resource/abc");
      stub_header (msg, "ETag", "\"e1\"");
      /* Two Link headers, one of them folding two links and a link of another kind. */
      stub_header (msg, "Link", "<turn:127.0.0.1:3478?transport=udp>; rel=\"ice-server\"; "
                                "username=\"u,1\"; credential=\"p;w\"; "
                                "credential-type=\"password\"");
      stub_header (msg, "Link", "<stun:127.0.0.1:3479>; rel=\"ice-server\", "
                                "<https://example.net/>; rel=\"help\"");
      stub_respond (msg, SOUP_STATUS_CREATED, "application/sdp", ANSWER);
    }
  else if (g_str_equal (request->method, "PATCH") && g_str_equal (path, "/whip/resource/abc"))
    {
      stub_header (msg, "ETag", g_str_equal (request->if_match, "\"e1\"") ? "\"e2\"" : "\"e3\"");
      stub_respond (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    }
  else if (g_str_equal (request->method, "DELETE") && g_str_equal (path, "/whip/resource/abc"))
    {
      stub_respond (msg, SOUP_STATUS_OK, NULL, NULL);
    }
  else
    {
      stub_respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "nope");
    }
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

typedef struct {
  guint       status;
  const char *retry_after;
  const char *content_type;
  const char *body;
  const char *token;
  int         code;
  const char *message;
} ErrorCase;

static void
error_handler (Stub              *stub,
               SoupServerMessage *msg,
               const char        *path,
               StubRequest       *request)
{
  const ErrorCase *error_case = stub->data;

  if (error_case->retry_after != NULL)
    stub_header (msg, "Retry-After", error_case->retry_after);
  stub_respond (msg, error_case->status, error_case->content_type, error_case->body);
}

/* Runs one offer against a stub answering as @error_case says, and checks the failure. */
static void
check_error_case (const ErrorCase *error_case,
                  gboolean         whep)
{
  g_autoptr(Stub) stub = stub_new (error_handler, (gpointer) error_case);
  g_autofree char *url = stub_url (stub, "/endpoint");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;

  signaler = make_signaler (url, whep, stub_pin, error_case->token, FALSE, &recorder);
  start_signaler (signaler, whep, &recorder);
  beacon_signaler_send_description (signaler, whep ? "whep" : "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, whep ? "whep" : "whip", 0, "");
  recorder_wait (&recorder, "failed");
  g_test_message ("HTTP %u → %s", error_case->status, recorder.failure->message);
  g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR, error_case->code);
  if (strstr (recorder.failure->message, error_case->message) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", recorder.failure->message, error_case->message);
  g_assert_false (recorder_has (&recorder, "remote-description whip answer"));

  /* Nothing to delete: no session was made. */
  beacon_signaler_stop (signaler);
  iterate_for (100);
  g_assert_cmpuint (stub->requests->len, ==, 1);
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_errors (void)
{
  const ErrorCase cases[] = {
    { 401, NULL, NULL, NULL, "wrong", BEACON_SIGNALER_ERROR_UNAUTHORIZED,
      "the server refused the token (HTTP 401 Unauthorized)" },
    { 403, NULL, "text/plain", "Unauthorized", NULL, BEACON_SIGNALER_ERROR_UNAUTHORIZED,
      "requires a token (HTTP 403 Forbidden: Unauthorized); give it with --token" },
    { 404, NULL, "text/plain", "Invalid endpoint ID", NULL, BEACON_SIGNALER_ERROR_NOT_FOUND,
      "no WHIP endpoint at https://127.0.0.1:" },
    { 409, "7", NULL, NULL, NULL, BEACON_SIGNALER_ERROR_BUSY,
      "another publisher is already sending to this endpoint; try again in 7 s" },
    { 503, "30", NULL, NULL, NULL, BEACON_SIGNALER_ERROR_BUSY,
      "the server is busy; try again in 30 s" },
    { 503, NULL, NULL, NULL, NULL, BEACON_SIGNALER_ERROR_BUSY, "the server is busy" },
    { 500, NULL, "text/plain", "kaboom\nat line 3", NULL, BEACON_SIGNALER_ERROR_SERVER,
      "answered HTTP 500 Internal Server Error: kaboom at line 3" },
    /* A body that is not text is not quoted. */
    { 400, NULL, "application/octet-stream", "\x01\x02", NULL, BEACON_SIGNALER_ERROR_SERVER,
      "answered HTTP 400 Bad Request" },
    { 201, NULL, "text/plain", "welcome!", NULL, BEACON_SIGNALER_ERROR_PROTOCOL,
      "sent no SDP answer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_error_case (&cases[i], FALSE);

  {
    const ErrorCase whep_case = { 404, NULL, NULL, NULL, NULL, BEACON_SIGNALER_ERROR_NOT_FOUND,
                                  "no WHEP endpoint at" };

    check_error_case (&whep_case, TRUE);
  }
}

static void
test_connection_errors (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autofree char *refused_url = NULL;
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;

  /* Nobody listens. */
  refused_url = g_strdup_printf ("https://127.0.0.1:%u/whip", beacon_test_free_port ());
  signaler = make_signaler (refused_url, FALSE, NULL, NULL, FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  recorder_wait (&recorder, "failed");
  g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CONNECT);
  g_assert_nonnull (strstr (recorder.failure->message, "connection refused"));
  g_clear_object (&signaler);
  recorder_clear (&recorder);

  /* A self-signed certificate without a pin, and with another pin. */
  for (guint i = 0; i < 2; i++)
    {
      const char *pin = i == 0 ? NULL
                               : "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                                 "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

      signaler = make_signaler (url, FALSE, pin, NULL, FALSE, &recorder);
      start_signaler (signaler, FALSE, &recorder);
      beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
      beacon_signaler_send_candidate (signaler, "whip", 0, "");
      recorder_wait (&recorder, "failed");
      g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR,
                      BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED);
      if (pin != NULL)
        g_assert_nonnull (strstr (recorder.failure->message, "does not match the pinned"));
      g_clear_object (&signaler);
      recorder_clear (&recorder);
    }
  g_assert_cmpuint (stub->requests->len, ==, 0);
}

static void
test_pooled_connection_keeps_pin (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autoptr(BeaconSignaler) pinned = NULL;
  g_autoptr(BeaconSignaler) unpinned = NULL;
  Recorder first;
  Recorder second;

  /* The process shares one SoupSession: a connection that one signaler accepted for its pin
   * must not carry another signaler's requests past its own checks. */
  pinned = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &first);
  start_signaler (pinned, FALSE, &first);
  beacon_signaler_send_description (pinned, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (pinned, "whip", 0, "");
  recorder_wait (&first, "remote-description whip answer");

  unpinned = make_signaler (url, FALSE, NULL, NULL, FALSE, &second);
  start_signaler (unpinned, FALSE, &second);
  beacon_signaler_send_description (unpinned, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (unpinned, "whip", 0, "");
  recorder_wait (&second, "failed");
  g_assert_error (second.failure, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED);
  g_assert_false (recorder_has (&second, "remote-description whip answer"));
  /* The second offer never left: its connection was refused before it was sent. */
  g_assert_cmpuint (stub->requests->len, ==, 1);

  g_clear_object (&pinned);
  g_clear_object (&unpinned);
  recorder_clear (&first);
  recorder_clear (&second);
}

static void
whep_handler (Stub              *stub,
              SoupServerMessage *msg,
              const char        *path,
              StubRequest       *request)
{
  gboolean server_offers = GPOINTER_TO_INT (stub->data);

  if (g_str_equal (request->method, "POST"))
    {
      stub_header (msg, "Location", "/whep/resource/r1");
      stub_header (msg, "ETag", "\"w1\"");
      stub_respond (msg, server_offers ? SOUP_STATUS_NOT_ACCEPTABLE : SOUP_STATUS_CREATED,
                    "application/sdp", ANSWER);
    }
  else
    {
      stub_header (msg, "ETag", "\"w2\"");
      stub_respond (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    }
}

static void
test_whep (void)
{
  g_autoptr(Stub) stub = stub_new (whep_handler, GINT_TO_POINTER (FALSE));
  g_autofree char *url = stub_url (stub, "/whep/endpoint/cam");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;
  StubRequest *request;

  signaler = make_signaler (url, TRUE, stub_pin, "viewer-token", FALSE, &recorder);
  g_assert_true (beacon_signaler_watcher_offers (signaler));
  start_signaler (signaler, TRUE, &recorder);

  beacon_signaler_send_description (signaler, "whep", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whep", 0, CANDIDATE_1);
  recorder_wait (&recorder, "remote-description whep answer");
  g_assert_cmpstr (recorder.remote_sdp, ==, ANSWER);
  request = g_ptr_array_index (stub->requests, 0);
  g_assert_cmpstr (request->content_type, ==, "application/sdp");
  g_assert_cmpstr (request->authorization, ==, "Bearer viewer-token");
  g_assert_nonnull (strstr (request->body, "a=" CANDIDATE_1));

  beacon_signaler_stop (signaler);
  request = stub_wait_request (stub, 2);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/whep/resource/r1");
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_whep_server_offers (void)
{
  g_autoptr(Stub) stub = stub_new (whep_handler, GINT_TO_POINTER (TRUE));
  g_autofree char *url = stub_url (stub, "/whep/endpoint/cam");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;
  StubRequest *request;

  /* 406 with the server's own offer: Beacon answers it with PATCH. */
  signaler = make_signaler (url, TRUE, stub_pin, NULL, FALSE, &recorder);
  start_signaler (signaler, TRUE, &recorder);
  beacon_signaler_send_description (signaler, "whep", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whep", 0, "");
  recorder_wait (&recorder, "remote-description whep offer");
  g_assert_cmpstr (recorder.remote_sdp, ==, ANSWER);
  g_assert_false (recorder_has (&recorder, "failed"));

  beacon_signaler_send_description (signaler, "whep", "answer", OFFER);
  request = stub_wait_request (stub, 2);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->path, ==, "/whep/resource/r1");
  g_assert_cmpstr (request->content_type, ==, "application/sdp");
  g_assert_cmpstr (request->if_match, ==, "\"w1\"");
  g_assert_true (g_str_has_prefix (request->body, "v=0\r\n"));

  /* Then candidates trickle as usual. */
  iterate_for (50);
  beacon_signaler_send_candidate (signaler, "whep", 0, CANDIDATE_3);
  request = stub_wait_request (stub, 3);
  g_assert_cmpstr (request->content_type, ==, "application/trickle-ice-sdpfrag");
  g_assert_cmpstr (request->if_match, ==, "\"w2\"");
  g_assert_false (recorder_has (&recorder, "failed"));
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_role_mismatch (void)
{
  g_autoptr(BeaconSignaler) whep = NULL;
  g_autoptr(BeaconSignaler) whip = NULL;
  Recorder a;
  Recorder b;

  whep = make_signaler ("https://127.0.0.1:1/whep", TRUE, NULL, NULL, FALSE, &a);
  beacon_signaler_start_async (whep, BEACON_SIGNALER_ROLE_PUBLISH, NULL, NULL, started_cb, &a);
  beacon_test_wait_until (&a.start_done, WAIT_SECONDS);
  g_assert_error (a.start_error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (a.start_error->message, "WHEP"));

  whip = make_signaler ("https://127.0.0.1:1/whip", FALSE, NULL, NULL, FALSE, &b);
  beacon_signaler_start_async (whip, BEACON_SIGNALER_ROLE_WATCH, NULL, NULL, started_cb, &b);
  beacon_test_wait_until (&b.start_done, WAIT_SECONDS);
  g_assert_error (b.start_error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
  iterate_for (50);
  g_assert_false (recorder_has (&b, "session-started whep server"));

  g_clear_object (&whep);
  g_clear_object (&whip);
  recorder_clear (&a);
  recorder_clear (&b);
}

/* Real servers: Janus behind Meetecho's simple-whip-server, and Beacon's own direct server,
 * driven by beacon-cli. */

/* Janus gathers candidates only on interfaces other than loopback: its peers send media to
 * and from the private network's address (see beacon_test_enter_private_network ()). */
#define JANUS_ICE_ADDRESS BEACON_TEST_PRIVATE_ADDRESS

static gboolean private_network;
static char *private_network_reason;
static BeaconTestJanus *janus;
static BeaconTestWhipServer *whip_server;
static char *servers_dir;
static char *data_root;

static char *
data_dir (const char *name)
{
  g_autofree char *dir = NULL;

  if (data_root == NULL)
    {
      g_autoptr(GError) error = NULL;

      data_root = g_dir_make_tmp ("beacon-whip-XXXXXX", &error);
      g_assert_no_error (error);
    }
  dir = g_build_filename (data_root, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_steal_pointer (&dir);
}

/* Janus and simple-whip-server, started once for every test that needs them. */
static gboolean
ensure_whip_servers (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (whip_server != NULL)
    return TRUE;
  if (!private_network)
    {
      g_autofree char *why = g_strdup_printf ("Janus gathers no ICE candidate on loopback, and "
                                              "no private network with another interface could "
                                              "be made: %s", private_network_reason);

      beacon_test_servers_skip (why);
      return FALSE;
    }
  if (!beacon_test_janus_available (&reason) || !beacon_test_whip_server_available (&reason))
    {
      beacon_test_servers_skip (reason);
      return FALSE;
    }
  servers_dir = g_dir_make_tmp ("beacon-whip-servers-XXXXXX", &error);
  g_assert_no_error (error);
  janus = beacon_test_janus_start (servers_dir, BEACON_TEST_JANUS_DEFAULT);
  whip_server = beacon_test_whip_server_start (servers_dir, beacon_test_janus_get_ws_url (janus));
  return TRUE;
}

/* Starts `beacon-cli publish --dialect whip` with a small test picture. Media goes from
 * @ice_address. */
static BeaconTestProcess *
start_publish (const char *name,
               const char *url,
               const char *ice_address,
               const char *first_option,
               ...)
{
  g_autofree char *dir = data_dir (name);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *option;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "publish");
  g_ptr_array_add (argv, (gpointer) "--dialect");
  g_ptr_array_add (argv, (gpointer) "whip");
  g_ptr_array_add (argv, (gpointer) "--source");
  g_ptr_array_add (argv, (gpointer) "test");
  g_ptr_array_add (argv, (gpointer) "--codec");
  g_ptr_array_add (argv, (gpointer) "vp8");
  g_ptr_array_add (argv, (gpointer) "--width");
  g_ptr_array_add (argv, (gpointer) "320");
  g_ptr_array_add (argv, (gpointer) "--height");
  g_ptr_array_add (argv, (gpointer) "240");
  g_ptr_array_add (argv, (gpointer) "--ice-address");
  g_ptr_array_add (argv, (gpointer) ice_address);
  va_start (args, first_option);
  for (option = first_option; option != NULL; option = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) option);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) url);
  g_ptr_array_add (argv, NULL);
  return beacon_test_process_start (dir, (const char * const *) argv->pdata);
}

static void
assert_stderr_contains (BeaconTestProcess *process,
                        const char        *text)
{
  if (strstr (beacon_test_process_get_stderr (process), text) == NULL)
    g_error ("stderr does not contain \"%s\":\n%s", text,
             beacon_test_process_get_stderr (process));
}

/* Polls simple-whip-server until endpoint @id is (or is no longer) published. */
static gboolean
wait_publishing (const char *id,
                 gboolean    publishing,
                 guint       timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline)
    {
      if (beacon_test_whip_server_is_publishing (whip_server, id) == publishing)
        return TRUE;
      iterate_for (200);
    }
  return FALSE;
}

static void
test_janus_publish (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autofree char *live = NULL;
  g_autofree char *janus_log_before = NULL;

  if (!ensure_whip_servers ())
    return;

  url = beacon_test_whip_server_create_endpoint (whip_server, "pub", 1234, NULL, NULL);
  publisher = start_publish ("publisher", url, JANUS_ICE_ADDRESS, "--allow-insecure-signaling",
                             NULL);
  live = beacon_test_process_wait_line (publisher, "live", 30);
  if (live == NULL)
    g_error ("the publisher did not go live; stderr:\n%s",
             beacon_test_process_get_stderr (publisher));
  if (!wait_publishing ("pub", TRUE, 20))
    g_error ("simple-whip-server never saw the publisher; its log:\n%s",
             beacon_test_whip_server_get_log (whip_server));

  /* Media reaches Janus: ICE and DTLS complete with Janus itself. */
  if (!beacon_test_janus_wait_log (janus, "WebRTC media is now available", 30))
    g_error ("Janus never got media from the WHIP publisher; its log:\n%s\npublisher:\n%s",
             beacon_test_janus_get_log (janus), beacon_test_process_get_stderr (publisher));

  /* Stopping ends the WHIP session with DELETE. */
  beacon_test_process_send_signal (publisher, SIGINT);
  beacon_test_assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
  if (!wait_publishing ("pub", FALSE, 10))
    g_error ("the WHIP session was not deleted; simple-whip-server's log:\n%s",
             beacon_test_whip_server_get_log (whip_server));
  g_assert_nonnull (strstr (beacon_test_whip_server_get_log (whip_server),
                            "[pub] Terminating WHIP session"));
}

static void
test_janus_token (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) wrong = NULL;
  g_autoptr(BeaconTestProcess) right = NULL;
  g_autofree char *live = NULL;

  if (!ensure_whip_servers ())
    return;

  url = beacon_test_whip_server_create_endpoint (whip_server, "tok", 1234, "s3cret", NULL);

  /* simple-whip-server answers a wrong token with 403. */
  wrong = start_publish ("wrong-token", url, JANUS_ICE_ADDRESS, "--allow-insecure-signaling",
                         "--token", "guess", NULL);
  beacon_test_assert_exit (wrong, beacon_test_process_wait_exit (wrong, 30), 1);
  assert_stderr_contains (wrong, "the server refused the token (HTTP 403 Forbidden");
  g_assert_false (beacon_test_whip_server_is_publishing (whip_server, "tok"));

  right = start_publish ("right-token", url, JANUS_ICE_ADDRESS, "--allow-insecure-signaling",
                         "--token", "s3cret", NULL);
  live = beacon_test_process_wait_line (right, "live", 30);
  g_assert_nonnull (live);
  if (!wait_publishing ("tok", TRUE, 20))
    g_error ("the publisher with the right token was not accepted; its stderr:\n%s",
             beacon_test_process_get_stderr (right));
  beacon_test_process_send_signal (right, SIGTERM);
  beacon_test_assert_exit (right, beacon_test_process_wait_exit (right, 15), 0);
  g_assert_true (wait_publishing ("tok", FALSE, 10));
}

static void
test_janus_errors (void)
{
  g_autofree char *missing = NULL;
  g_autofree char *busy_url = NULL;
  g_autoptr(BeaconTestProcess) not_found = NULL;
  g_autoptr(BeaconTestProcess) insecure = NULL;

  if (!ensure_whip_servers ())
    return;

  /* No such endpoint: 404. */
  missing = g_strdup_printf ("%s/whip/endpoint/nope",
                             beacon_test_whip_server_get_base_url (whip_server));
  not_found = start_publish ("not-found", missing, JANUS_ICE_ADDRESS,
                             "--allow-insecure-signaling", NULL);
  beacon_test_assert_exit (not_found, beacon_test_process_wait_exit (not_found, 30), 1);
  assert_stderr_contains (not_found, "no WHIP endpoint at");
  assert_stderr_contains (not_found, "/whip/endpoint/nope");

  /* simple-whip-server speaks plain http: without permission, nothing is sent. */
  busy_url = beacon_test_whip_server_create_endpoint (whip_server, "plain", 1234, NULL, NULL);
  insecure = start_publish ("insecure", busy_url, JANUS_ICE_ADDRESS, NULL);
  beacon_test_assert_exit (insecure, beacon_test_process_wait_exit (insecure, 30), 5);
  assert_stderr_contains (insecure, "--allow-insecure-signaling");
  g_assert_false (beacon_test_whip_server_is_publishing (whip_server, "plain"));
}

static void
test_janus_link_headers (void)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_auto(GStrv) servers = NULL;
  const char *links;
  guint status;

  if (!ensure_whip_servers ())
    return;

  /* How simple-whip-server writes its ICE servers (one Link header each), read by the same
   * parser that reads the 201's. */
  g_free (beacon_test_whip_server_create_endpoint (
    whip_server, "links", 1234, NULL,
    "[{\"uri\":\"turn:127.0.0.1:3478?transport=udp\",\"username\":\"user\","
    "\"credential\":\"pa:ss\"},{\"uri\":\"stun:127.0.0.1:3478\"},"
    "{\"uri\":\"turns:127.0.0.1:5349?transport=tcp\",\"username\":\"u\",\"credential\":\"c\"}]"));
  status = beacon_test_whip_server_request (whip_server, "OPTIONS", "/whip/endpoint/links",
                                            &headers);
  g_assert_cmpuint (status, ==, SOUP_STATUS_NO_CONTENT);
  links = soup_message_headers_get_list (headers, "Link");
  g_test_message ("Link: %s", links);
  servers = beacon_whip_parse_ice_servers (links);
  g_assert_nonnull (servers);
  g_assert_cmpuint (g_strv_length (servers), ==, 3);
  g_assert_cmpstr (servers[0], ==, "turn://user:pa%3Ass@127.0.0.1:3478?transport=udp");
  g_assert_cmpstr (servers[1], ==, "stun://127.0.0.1:3478");
  g_assert_cmpstr (servers[2], ==, "turns://u:c@127.0.0.1:5349?transport=tcp");
}

static void
test_server_down (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/whip/endpoint/x",
                                          beacon_test_free_port ());
  g_autoptr(BeaconTestProcess) publisher = NULL;

  publisher = start_publish ("down", url, "127.0.0.1", "--allow-insecure-signaling", NULL);
  beacon_test_assert_exit (publisher, beacon_test_process_wait_exit (publisher, 30), 1);
  assert_stderr_contains (publisher, "connection refused");
}

/* Beacon's own direct server */

typedef struct {
  BeaconTestProcess *server;
  guint              port;
  char              *pin;      /* "sha256:AB:…" */
  char              *link;     /* nullable: the watch: link */
} Broadcast;

static void
broadcast_start (Broadcast  *broadcast,
                 const char *name)
{
  g_autofree char *dir = data_dir ("broadcaster");
  g_autofree char *link = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) fragment = NULL;

  broadcast->server = beacon_test_process_start (dir, (const char *[]) {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--codec", "vp8",
    "--width", "320", "--height", "240", "--ice-address", "127.0.0.1", "--name", name, NULL });
  link = beacon_test_process_wait_line (broadcast->server, "watch: ", 30);
  if (link == NULL)
    g_error ("beacon-cli serve printed no link; stderr:\n%s",
             beacon_test_process_get_stderr (broadcast->server));
  uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  broadcast->port = g_uri_get_port (uri);
  /* The link's fragment: pin=sha256:…[&producer=…] */
  g_assert_nonnull (g_uri_get_fragment (uri));
  fragment = g_strsplit (g_uri_get_fragment (uri), "&", -1);
  for (guint i = 0; fragment[i] != NULL; i++)
    if (g_str_has_prefix (fragment[i], "pin="))
      broadcast->pin = g_strdup (fragment[i] + strlen ("pin="));
  g_assert_nonnull (broadcast->pin);
}

static void
broadcast_stop (Broadcast *broadcast)
{
  beacon_test_process_send_signal (broadcast->server, SIGTERM);
  beacon_test_assert_exit (broadcast->server,
                           beacon_test_process_wait_exit (broadcast->server, 15), 0);
  g_clear_pointer (&broadcast->server, beacon_test_process_free);
  g_clear_pointer (&broadcast->pin, g_free);
  g_clear_pointer (&broadcast->link, g_free);
}

static void
test_direct_whep (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("whep-viewer");
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *url = NULL;
  g_autofree char *first_frame = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *signaling;
  JsonObject *ice;

  broadcast_start (&broadcast, "Kitchen");
  url = g_strdup_printf ("https://127.0.0.1:%u/whep/Kitchen", broadcast.port);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--frames", "60", "--timeout", "60",
    "--report", report_path, "--ice-address", "127.0.0.1", url, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);
  first_frame = beacon_test_process_wait_line (viewer, "first-frame-ms: ", 1);
  g_assert_nonnull (first_frame);
  g_test_message ("WHEP first frame after %s ms", first_frame);

  report = beacon_test_read_json (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
  signaling = json_object_get_object_member (report, "signaling");
  g_assert_cmpstr (json_object_get_string_member (signaling, "url"), ==, url);
  g_assert_cmpstr (json_object_get_string_member (signaling, "scheme"), ==, "https");
  g_assert_cmpstr (json_object_get_string_member (signaling, "trust"), ==, "pinned");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                 "verified"));
  ice = json_object_get_object_member (report, "ice");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (ice, "local_candidate"),
                                   "host udp 127.0.0.1:"));

  /* The viewer's DELETE ended its session at the broadcaster. */
  if (!g_strrstr (beacon_test_process_get_stderr (broadcast.server), "viewer left"))
    {
      gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (5 * G_USEC_PER_SEC);

      while (!g_strrstr (beacon_test_process_get_stderr (broadcast.server), "viewer left") &&
             g_get_monotonic_time () < deadline)
        iterate_for (100);
    }
  assert_stderr_contains (broadcast.server, "viewer left");
  broadcast_stop (&broadcast);
}

/* A WHEP server may refuse the viewer's offer and answer 406 Not Acceptable with its own offer
 * and a Location, where the viewer PATCHes its answer. The direct server does so with its test
 * hook; the viewer must drop the webrtcbin that made the refused offer and answer with a new
 * one. */
static void
test_direct_whep_server_offers (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("whep-server-offers");
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *url = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *dtls;
  JsonArray *peers;

  /* Only the broadcaster inherits the hook. */
  g_setenv ("BEACON_DIRECT_SERVER_WHEP_OFFER", "server", TRUE);
  broadcast_start (&broadcast, "Kitchen");
  g_unsetenv ("BEACON_DIRECT_SERVER_WHEP_OFFER");
  assert_stderr_contains (broadcast.server, "BEACON_DIRECT_SERVER_WHEP_OFFER=server");

  url = g_strdup_printf ("https://127.0.0.1:%u/whep", broadcast.port);
  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--frames", "30", "--timeout", "40",
    "--ice-address", "127.0.0.1", "--report", report_path, url, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 0);

  report = beacon_test_read_json (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 30);
  dtls = json_object_get_object_member (report, "dtls");
  g_test_message ("viewer's DTLS role: %s", json_object_get_string_member (dtls, "role"));
  g_assert_true (json_object_get_boolean_member (dtls, "verified"));
  /* The viewer answered: the broadcaster's offer said actpass, so the answerer (the viewer)
   * chose to be the DTLS client. When the viewer offers, it is the server. */
  g_assert_cmpstr (json_object_get_string_member (dtls, "role"), ==, "client");
  /* Only the peer that answered is left, not the one whose offer was refused. */
  peers = json_object_get_array_member (report, "peers");
  g_assert_cmpuint (json_array_get_length (peers), ==, 1);

  broadcast_stop (&broadcast);
}

static void
test_direct_errors (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("whep-errors");
  g_autofree char *nobody = NULL;
  g_autofree char *whep = NULL;
  g_autofree char *whip = NULL;
  g_autoptr(BeaconTestProcess) unknown = NULL;
  g_autoptr(BeaconTestProcess) unpinned = NULL;
  g_autoptr(BeaconTestProcess) ingest = NULL;

  broadcast_start (&broadcast, "Kitchen");

  /* No such broadcast: 404, named in the message. */
  nobody = g_strdup_printf ("https://127.0.0.1:%u/whep/Nobody", broadcast.port);
  unknown = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--pin", broadcast.pin, "--timeout", "30",
    "--ice-address", "127.0.0.1", nobody, NULL });
  beacon_test_assert_exit (unknown, beacon_test_process_wait_exit (unknown, 40), 1);
  assert_stderr_contains (unknown, "no WHEP endpoint at");
  assert_stderr_contains (unknown, "no broadcast named 'Nobody'");

  /* The direct server's certificate is self-signed: without the pin it is not trusted. */
  whep = g_strdup_printf ("https://127.0.0.1:%u/whep", broadcast.port);
  unpinned = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--dialect", "whep", "--timeout", "30", "--ice-address", "127.0.0.1", whep, NULL });
  beacon_test_assert_exit (unpinned, beacon_test_process_wait_exit (unpinned, 40), 5);
  assert_stderr_contains (unpinned, "not trusted");

  /* WHIP ingest: 501, with the reason. */
  whip = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);
  ingest = start_publish ("ingest", whip, "127.0.0.1", "--pin", broadcast.pin, NULL);
  beacon_test_assert_exit (ingest, beacon_test_process_wait_exit (ingest, 40), 1);
  assert_stderr_contains (ingest, "HTTP 501 Not Implemented");
  assert_stderr_contains (ingest, "not a media server");

  broadcast_stop (&broadcast);
}


/* WHIP ingest into Beacon's own server: `serve --source whip` */

/* @token: the --whip-token to give; NULL for --whip-open; "" for neither (a token is made
 * up and printed). */
static void
ingest_start (Broadcast  *broadcast,
              const char *name,
              const char *token)
{
  g_autofree char *dir = data_dir (name);
  g_autofree char *link = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *argv[] = {
    "serve", "--source", "whip", "--bind", "127.0.0.1", "--port", "0", "--width", "320",
    "--height", "240", "--ice-address", "127.0.0.1",
    token == NULL ? "--whip-open" : token[0] != '\0' ? "--whip-token" : NULL,
    token != NULL && token[0] != '\0' ? token : NULL, NULL };

  broadcast->server = beacon_test_process_start (dir, argv);
  link = beacon_test_process_wait_line (broadcast->server, "watch: ", 30);
  if (link == NULL)
    g_error ("beacon-cli serve --source whip printed no link; stderr:\n%s",
             beacon_test_process_get_stderr (broadcast->server));
  uri = g_uri_parse (link, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  broadcast->port = g_uri_get_port (uri);
  g_assert_true (g_str_has_prefix (g_uri_get_fragment (uri), "pin="));
  broadcast->pin = g_strndup (g_uri_get_fragment (uri) + strlen ("pin="),
                              strcspn (g_uri_get_fragment (uri) + strlen ("pin="), "&"));
  broadcast->link = g_steal_pointer (&link);
}

static void
wait_stderr_contains (BeaconTestProcess *process,
                      const char        *text,
                      guint              timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);

  while (strstr (beacon_test_process_get_stderr (process), text) == NULL &&
         g_get_monotonic_time () < deadline)
    iterate_for (100);
  assert_stderr_contains (process, text);
}

/* N of the "whip ingest: N frames" line the server prints when it stops, or -1. */
static gint64
ingest_frames (BeaconTestProcess *server)
{
  const char *log = beacon_test_process_get_stderr (server);

  for (const char *found = strstr (log, "whip ingest: "); found != NULL;
       found = strstr (found + 1, "whip ingest: "))
    {
      const char *number = found + strlen ("whip ingest: ");
      char *end = NULL;
      gint64 frames = g_ascii_strtoll (number, &end, 10);

      if (end != number && g_str_has_prefix (end, " frames"))
        return frames;
    }
  return -1;
}

/* A WHIP publisher's picture replaces the placeholder, and a viewer of the normal link gets
 * it; a second publisher is turned away while the first sends; the placeholder comes back
 * when the publisher leaves, with the broadcast still on the air. */
static void
test_direct_whip_ingest (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *dir = data_dir ("ingest-viewer");
  g_autofree char *report_path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *whip = NULL;
  g_autofree char *live = NULL;
  g_autoptr(BeaconTestProcess) publisher = NULL;
  g_autoptr(BeaconTestProcess) second = NULL;
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(BeaconTestProcess) late_viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  const char *server_log;
  gint64 frames;

  ingest_start (&broadcast, "ingest-broadcaster", NULL);
  whip = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);

  publisher = start_publish ("ingest-publisher", whip, "127.0.0.1", "--pin", broadcast.pin,
                             NULL);
  live = beacon_test_process_wait_line (publisher, "live", 30);
  if (live == NULL)
    g_error ("the WHIP publisher never went live; publisher:\n%s\nserver:\n%s",
             beacon_test_process_get_stderr (publisher),
             beacon_test_process_get_stderr (broadcast.server));
  wait_stderr_contains (broadcast.server, "whip ingest: the publisher's video is on the air", 20);

  /* One publisher at a time. */
  second = start_publish ("ingest-second", whip, "127.0.0.1", "--pin", broadcast.pin, NULL);
  beacon_test_assert_exit (second, beacon_test_process_wait_exit (second, 40), 1);
  assert_stderr_contains (second, "HTTP 409 Conflict");
  assert_stderr_contains (second, "another WHIP publisher is already sending");

  viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--frames", "60", "--timeout", "60", "--ice-address", "127.0.0.1",
    "--report", report_path, broadcast.link, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 90), 0);
  report = beacon_test_read_json (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "frames_decoded"), >=, 60);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (report, "dtls"),
                                                 "verified"));
  /* The publisher was still on the air for the whole watch: what the viewer decoded was the
   * publisher's picture, not the placeholder. */
  server_log = beacon_test_process_get_stderr (broadcast.server);
  g_assert_null (strstr (server_log, "WHIP publisher left"));
  g_assert_nonnull (strstr (server_log, "WHIP publisher connected"));

  /* DELETE (the publisher stops) brings the placeholder back; viewers can still watch. */
  beacon_test_process_send_signal (publisher, SIGINT);
  beacon_test_assert_exit (publisher, beacon_test_process_wait_exit (publisher, 15), 0);
  wait_stderr_contains (broadcast.server, "WHIP publisher left", 10);
  late_viewer = beacon_test_process_start (dir, (const char *[]) {
    "watch", "--frames", "30", "--timeout", "40", "--ice-address", "127.0.0.1",
    broadcast.link, NULL });
  beacon_test_assert_exit (late_viewer, beacon_test_process_wait_exit (late_viewer, 60), 0);

  /* Frames of the publisher that went on to the encoder, printed when the server stops: the
   * publisher sent for longer than the 60 frames the viewer needed. */
  beacon_test_process_send_signal (broadcast.server, SIGTERM);
  beacon_test_assert_exit (broadcast.server,
                           beacon_test_process_wait_exit (broadcast.server, 15), 0);
  frames = ingest_frames (broadcast.server);
  g_test_message ("whip ingest: %" G_GINT64_FORMAT " frames", frames);
  g_assert_cmpint (frames, >=, 60);
  g_clear_pointer (&broadcast.server, beacon_test_process_free);
  g_clear_pointer (&broadcast.pin, g_free);
  g_clear_pointer (&broadcast.link, g_free);
}

/* --whip-token: no token or a wrong one is refused (401), the right one publishes. */
static void
test_direct_whip_ingest_token (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *whip = NULL;
  g_autofree char *live = NULL;
  g_autoptr(BeaconTestProcess) wrong = NULL;
  g_autoptr(BeaconTestProcess) none = NULL;
  g_autoptr(BeaconTestProcess) right = NULL;

  ingest_start (&broadcast, "ingest-token-broadcaster", "s3cret");
  whip = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);

  wrong = start_publish ("ingest-wrong", whip, "127.0.0.1", "--pin", broadcast.pin,
                         "--token", "guess", NULL);
  beacon_test_assert_exit (wrong, beacon_test_process_wait_exit (wrong, 40), 1);
  assert_stderr_contains (wrong, "the server refused the token");
  assert_stderr_contains (wrong, "HTTP 401");

  none = start_publish ("ingest-none", whip, "127.0.0.1", "--pin", broadcast.pin, NULL);
  beacon_test_assert_exit (none, beacon_test_process_wait_exit (none, 40), 1);
  assert_stderr_contains (none, "the server requires a token");

  right = start_publish ("ingest-right", whip, "127.0.0.1", "--pin", broadcast.pin,
                         "--token", "s3cret", NULL);
  live = beacon_test_process_wait_line (right, "live", 30);
  if (live == NULL)
    g_error ("the WHIP publisher with the right token never went live:\n%s",
             beacon_test_process_get_stderr (right));
  beacon_test_process_send_signal (right, SIGINT);
  beacon_test_assert_exit (right, beacon_test_process_wait_exit (right, 15), 0);
  broadcast_stop (&broadcast);
}

/* Without --whip-token or --whip-open, the ingest is not open: serve makes a token up and
 * prints it with the WHIP URL; only that token publishes. */
static void
test_direct_whip_ingest_generated_token (void)
{
  Broadcast broadcast = { 0 };
  g_autofree char *whip = NULL;
  g_autofree char *token = NULL;
  g_autofree char *live = NULL;
  g_autoptr(BeaconTestProcess) none = NULL;
  g_autoptr(BeaconTestProcess) right = NULL;

  ingest_start (&broadcast, "ingest-generated-broadcaster", "");
  whip = beacon_test_process_wait_line (broadcast.server, "whip: ", 10);
  token = beacon_test_process_wait_line (broadcast.server, "whip-token: ", 10);
  g_assert_nonnull (whip);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), ==, 32);
  g_assert_true (strspn (token, "0123456789abcdef") == 32);
  {
    g_autofree char *expected = g_strdup_printf ("https://127.0.0.1:%u/whip", broadcast.port);

    g_assert_cmpstr (whip, ==, expected);
  }

  none = start_publish ("ingest-generated-none", whip, "127.0.0.1", "--pin", broadcast.pin,
                        NULL);
  beacon_test_assert_exit (none, beacon_test_process_wait_exit (none, 40), 1);
  assert_stderr_contains (none, "the server requires a token");

  right = start_publish ("ingest-generated-right", whip, "127.0.0.1", "--pin", broadcast.pin,
                         "--token", token, NULL);
  live = beacon_test_process_wait_line (right, "live", 30);
  if (live == NULL)
    g_error ("the WHIP publisher with the printed token never went live:\n%s",
             beacon_test_process_get_stderr (right));
  beacon_test_process_send_signal (right, SIGINT);
  beacon_test_assert_exit (right, beacon_test_process_wait_exit (right, 15), 0);
  broadcast_stop (&broadcast);
}

static void
cleanup_servers (void)
{
  g_clear_pointer (&whip_server, beacon_test_whip_server_free);
  g_clear_pointer (&janus, beacon_test_janus_free);
  if (servers_dir != NULL)
    beacon_test_remove_tree (servers_dir);
  if (data_root != NULL)
    beacon_test_remove_tree (data_root);
  g_clear_pointer (&servers_dir, g_free);
  g_clear_pointer (&data_root, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before anything else, while this is the only thread. */
  private_network = beacon_test_enter_private_network (&private_network_reason);

  g_test_init (&argc, &argv, NULL);
  if (!private_network)
    g_test_message ("no private network: %s", private_network_reason);

  stub_certificate = create_certificate ();
  {
    g_autofree char *fingerprint = beacon_fingerprint_of_tls_certificate (stub_certificate,
                                                                          "sha-256", NULL);

    stub_pin = g_strdup (fingerprint);
  }

  g_test_add_func ("/beacon/whip/link/ice-servers", test_parse_ice_servers);
  g_test_add_func ("/beacon/whip/sdp/candidates", test_sdp_candidates);
  g_test_add_func ("/beacon/whip/sdp/fragment", test_sdp_fragment);
  g_test_add_func ("/beacon/whip/signaler/new-errors", test_new_errors);
  g_test_add_func ("/beacon/whip/signaler/publish", test_publish);
  g_test_add_func ("/beacon/whip/signaler/ice-servers-before-offer", test_ice_servers_before_offer);
  g_test_add_func ("/beacon/whip/signaler/gathering-bounds", test_gathering_bounds);
  g_test_add_func ("/beacon/whip/signaler/trickle-refused", test_trickle_refused);
  g_test_add_func ("/beacon/whip/signaler/redirect", test_redirect);
  g_test_add_func ("/beacon/whip/signaler/http-errors", test_errors);
  g_test_add_func ("/beacon/whip/signaler/connection-errors", test_connection_errors);
  g_test_add_func ("/beacon/whip/signaler/pooled-connection-keeps-pin",
                   test_pooled_connection_keeps_pin);
  g_test_add_func ("/beacon/whip/signaler/whep", test_whep);
  g_test_add_func ("/beacon/whip/signaler/whep-server-offers", test_whep_server_offers);
  g_test_add_func ("/beacon/whip/signaler/role-mismatch", test_role_mismatch);

  g_test_add_func ("/beacon/whip/janus/publish", test_janus_publish);
  g_test_add_func ("/beacon/whip/janus/token", test_janus_token);
  g_test_add_func ("/beacon/whip/janus/errors", test_janus_errors);
  g_test_add_func ("/beacon/whip/janus/link-headers", test_janus_link_headers);
  g_test_add_func ("/beacon/whip/server-down", test_server_down);
  g_test_add_func ("/beacon/whip/direct/whep", test_direct_whep);
  g_test_add_func ("/beacon/whip/direct/whep-server-offers", test_direct_whep_server_offers);
  g_test_add_func ("/beacon/whip/direct/errors", test_direct_errors);
  g_test_add_func ("/beacon/whip/direct/ingest", test_direct_whip_ingest);
  g_test_add_func ("/beacon/whip/direct/ingest-token", test_direct_whip_ingest_token);
  g_test_add_func ("/beacon/whip/direct/ingest-generated-token",
                   test_direct_whip_ingest_generated_token);

  ret = g_test_run ();

  cleanup_servers ();

  g_clear_object (&stub_certificate);
  g_clear_pointer (&stub_pin, g_free);
  g_clear_pointer (&private_network_reason, g_free);
  return ret;
}

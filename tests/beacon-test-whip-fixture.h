/* beacon-test-whip-fixture.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See beacon-test-whip-fixture.c.
 */

#pragma once

#include <signal.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "beacon-fingerprint.h"
#include "beacon-link-header.h"
#include "beacon-signaler-factory.h"
#include "beacon-test-process.h"
#include "beacon-test-servers.h"
#include "beacon-test-janus.h"
#include "beacon-whip-signaler.h"
#include "beacon-test-tls-certificate.h"

G_BEGIN_DECLS

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
#define CANDIDATE_3 "candidate:3 1 UDP 2015363327 127.0.0.1 40003 typ host"

extern GTlsCertificate *stub_certificate;

extern char *stub_pin;

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

extern gboolean private_network;

extern char *private_network_reason;

extern BeaconTestJanus *janus;

extern BeaconTestWhipServer *whip_server;

extern char *servers_dir;

void               iterate_for            (guint              milliseconds);
void               stub_respond           (SoupServerMessage *msg,
                                           guint              status,
                                           const char        *content_type,
                                           const char        *body);
void               stub_header            (SoupServerMessage *msg,
                                           const char        *name,
                                           const char        *value);
Stub              *stub_new               (StubHandler        handler,
                                           gpointer           data);
char              *stub_url               (Stub              *stub,
                                           const char        *path);
StubRequest       *stub_wait_request      (Stub              *stub,
                                           guint              n);
void               recorder_clear         (Recorder          *recorder);
void               started_cb             (GObject           *source,
                                           GAsyncResult      *result,
                                           gpointer           user_data);
gboolean           recorder_has           (Recorder          *recorder,
                                           const char        *event);
gint               recorder_index         (Recorder          *recorder,
                                           const char        *event);
void               recorder_wait          (Recorder          *recorder,
                                           const char        *event);
BeaconSignaler    *make_signaler          (const char        *url,
                                           gboolean           whep,
                                           const char        *pin,
                                           const char        *token,
                                           gboolean           allow_insecure,
                                           Recorder          *recorder);
void               start_signaler         (BeaconSignaler    *signaler,
                                           gboolean           whep,
                                           Recorder          *recorder);
void               publish_handler        (Stub              *stub,
                                           SoupServerMessage *msg,
                                           const char        *path,
                                           StubRequest       *request);
char              *data_dir               (const char        *name);
BeaconTestProcess *start_publish          (const char        *name,
                                           const char        *url,
                                           const char        *ice_address,
                                           const char        *first_option,
                                           ...);
void               assert_stderr_contains (BeaconTestProcess *process,
                                           const char        *text);
void               cleanup_servers        (void);

/* Enters a private network namespace when it can (before any thread starts), g_test_init (),
 * and the stub server's certificate (stub_certificate, stub_pin). */
void whip_test_init (int    *argc,
                     char ***argv);
/* g_test_run (), then the servers the cases started and the certificate go. */
int  whip_test_run  (void);

void stub_free (Stub *stub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stub, stub_free)

G_END_DECLS

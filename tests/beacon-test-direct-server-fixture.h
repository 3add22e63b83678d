/* beacon-test-direct-server-fixture.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See beacon-test-direct-server-fixture.c.
 */

#pragma once

#include <string.h>
#include <sys/resource.h>
#include <libsoup/soup.h>

#include "beacon-direct-server.h"
#include "beacon-gst-protocol.h"
#include "beacon-whip-signaler.h"
#include "beacon-test-tls-certificate.h"

G_BEGIN_DECLS

/* Every wait is bounded: a broken server fails the test instead of hanging it. */
#define WAIT_TIMEOUT_MS 5000

extern GTlsCertificate *test_certificate;

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

/* Test clients */

typedef struct {
  SoupWebsocketConnection *connection;
  GQueue                   messages;     /* char*: raw text frames */
  gboolean                 closed;
  gushort                  close_code;
  char                    *peer_id;
} Client;

typedef struct {
  BeaconDirectServer *server;
  SoupSession        *session;
  guint               port;
  GPtrArray          *clients;
} Fixture;

typedef struct {
  GAsyncResult *result;
} ConnectData;

typedef struct {
  Fixture *fixture;
  guint    n;
} ConnectionCount;

/* Raw clients: what libsoup's client cannot be made to send (fragmented messages, bodies that
 * the server should refuse before they are sent). They run in a thread with blocking I/O while
 * the main thread runs the server. */

typedef struct {
  guint     port;
  char     *request;         /* the HTTP request head, sent first */
  gboolean  plain;           /* TCP without TLS */
  gboolean  read_first;      /* read the response head before sending anything more */
  gboolean  websocket;       /* then send one text message as fragments (else: a body) */
  gboolean  chunked;         /* the body is sent with chunked transfer coding */
  gsize     size;            /* of the message or body */
  gsize     piece;           /* size of each fragment or write */

  /* Results */
  char     *response;        /* the response head, if one came */
  gsize     sent;            /* bytes of the message or body written */
  gboolean  closed;          /* the server closed the connection */
  gint      done;            /* atomic */
} RawClient;

/* Bound on the server's peak memory growth while a client sends what it must refuse. */
#define MAX_RSS_GROWTH_KIB (16 * 1024)

#define PRODUCER_CANDIDATE "candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host"

gboolean          timeout_cb                    (gpointer              user_data);
void              wait_for                      (Condition             condition,
                                                 gpointer              data,
                                                 const char           *what);
gboolean          accept_certificate_cb         (SoupMessage          *msg,
                                                 GTlsCertificate      *certificate,
                                                 GTlsCertificateFlags  errors,
                                                 gpointer              user_data);
void              connect_cb                    (GObject              *source,
                                                 GAsyncResult         *result,
                                                 gpointer              user_data);
gboolean          connect_done                  (gpointer              data);
gboolean          is_closed                     (gpointer              data);
char             *client_next_text              (Client               *client);
BeaconGstMessage *client_expect                 (Client               *client,
                                                 BeaconGstMessageType  type);
void              client_expect_error           (Client               *client,
                                                 const char           *details);
void              client_send                   (Client               *client,
                                                 const char           *text);
void              client_send_take              (Client               *client,
                                                 char                 *text);
void              client_assert_nothing_pending (Client               *client);
Client           *client_connect_full           (Fixture              *fixture,
                                                 gboolean              may_produce);
Client           *client_connect                (Fixture              *fixture);
void              wait_for_connections          (Fixture              *fixture,
                                                 guint                 n);
void              client_close                  (Client               *client);
void              client_register               (Client               *client,
                                                 BeaconGstRoles        roles,
                                                 const char           *name);
char             *start_session                 (Client               *consumer,
                                                 Client               *producer,
                                                 const char           *offer);
void              fixture_setup                 (Fixture              *fixture,
                                                 gconstpointer         user_data);
void              fixture_teardown              (Fixture              *fixture,
                                                 gconstpointer         user_data);
gsize             raw_client_run                (Fixture              *fixture,
                                                 RawClient            *raw);
void              raw_client_clear              (RawClient            *raw);

/* g_test_init (), and the certificate every case's server presents (test_certificate). */
void direct_server_test_init (int    *argc,
                              char ***argv);
/* g_test_run (), then the certificate goes. */
int  direct_server_test_run  (void);

/* Adds a case that runs with a Fixture, as /beacon/direct-server/@name. */
#define ADD_TEST(name, func) \
  g_test_add ("/beacon/direct-server/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

G_END_DECLS

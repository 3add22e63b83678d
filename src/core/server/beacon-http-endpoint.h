/* beacon-http-endpoint.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What the direct server's HTTP endpoints (WHEP, WHIP) share: their replies, the checks they
 * make on requests, and the limit on a request's body. */

/* An SDP offer or a trickle fragment is a few kilobytes. */
#define BEACON_HTTP_MAX_BODY_SIZE (64 * 1024)

/* Lets browser players on other origins read the headers the endpoints send. */
void      beacon_http_set_cors_headers           (SoupServerMessage *msg);
/* Answers @msg with @status and @text (a line of plain text). */
void      beacon_http_respond_text               (SoupServerMessage *msg,
                                                  guint              status,
                                                  const char        *text);
/* Answers a CORS preflight for a resource that takes @methods ("POST, OPTIONS"). */
void      beacon_http_respond_preflight          (SoupServerMessage *msg,
                                                  const char        *methods);
void      beacon_http_respond_method_not_allowed (SoupServerMessage *msg,
                                                  const char        *methods);

/* TRUE when the request's Content-Type is @type. */
gboolean  beacon_http_content_type_is            (SoupServerMessage *msg,
                                                  const char        *type);
/* TRUE when the request's body is SDP; otherwise answers 415, saying that @what ("a WHEP
 * offer") is sent as application/sdp. */
gboolean  beacon_http_require_sdp                (SoupServerMessage *msg,
                                                  const char        *what);
/* The offer in the request's body, checked by beacon_sdp_validate_body (); NULL once @msg has been
 * answered 413 or 400 with what is wrong with it. */
char     *beacon_http_read_offer                 (SoupServerMessage *msg);
/* TRUE when @msg carries "Authorization: Bearer @token" (never for a NULL @token). */
gboolean  beacon_http_request_has_bearer         (SoupServerMessage *msg,
                                                  const char        *token);

G_END_DECLS

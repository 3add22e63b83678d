/* beacon-http-refusal.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Answers @msg with @status and @text and closes its connection without reading the request's
 * body, which libsoup 3.2 would otherwise read whole, into memory, whatever its size. For an
 * early handler (soup_server_add_early_handler ()): the headers are in, the body is not. */
void beacon_http_refuse_unread_body (SoupServerMessage *msg,
                                     guint              status,
                                     const char        *text);

G_END_DECLS

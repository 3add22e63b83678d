/* beacon-whip-endpoint.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define BEACON_TYPE_WHIP_ENDPOINT (beacon_whip_endpoint_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWhipEndpoint, beacon_whip_endpoint, BEACON, WHIP_ENDPOINT, GObject)

/* The direct server's WHIP (RFC 9725) endpoint, /whip: refused with 501 Not Implemented unless
 * the broadcaster takes WHIP ingest (beacon_whip_endpoint_set_ingest ()); then one publisher at
 * a time, with a Bearer token when one is set, and DELETE of its Location to leave. It only
 * carries the offer and the answer: the broadcaster terminates the publisher's PeerConnection.
 *
 * Signals:
 * - offer (id, offer): a publisher offers; answer with beacon_whip_endpoint_answer ().
 * - ended (id): the publisher left (DELETE, or it went away before the answer), or the answer
 *   timed out. */
BeaconWhipEndpoint *beacon_whip_endpoint_new                (void);

/* How long a POST waits for the broadcaster's answer before it gets 504 (default: 10 s). */
void                beacon_whip_endpoint_set_answer_timeout (BeaconWhipEndpoint *self,
                                                             guint               milliseconds);
/* Takes WHIP when @enabled, from publishers that send "Authorization: Bearer @token" when
 * @token is not NULL or empty. Disabling drops the publisher without "ended". */
void                beacon_whip_endpoint_set_ingest         (BeaconWhipEndpoint *self,
                                                             gboolean            enabled,
                                                             const char         *token);
/* Answers the offer @id with @answer (201, complete with candidates) or @error (406). */
void                beacon_whip_endpoint_answer             (BeaconWhipEndpoint *self,
                                                             const char         *id,
                                                             const char         *answer,
                                                             const GError       *error);
/* The broadcaster dropped publisher @id: another may publish. No "ended" is emitted. */
void                beacon_whip_endpoint_end                (BeaconWhipEndpoint *self,
                                                             const char         *id);
/* Drops the publisher, if any, without "ended" (the server stops). */
void                beacon_whip_endpoint_stop               (BeaconWhipEndpoint *self);

/* Answers a request for /whip or a path below it. */
void                beacon_whip_endpoint_handle_request     (BeaconWhipEndpoint *self,
                                                             SoupServerMessage  *msg,
                                                             const char         *path);

G_END_DECLS

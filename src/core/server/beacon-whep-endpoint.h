/* beacon-whep-endpoint.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "beacon-signalling-room.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WHEP_ENDPOINT (beacon_whep_endpoint_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWhepEndpoint, beacon_whep_endpoint, BEACON, WHEP_ENDPOINT, GObject)

/* The direct server's WHEP (draft-ietf-wish-whep) endpoint, /whep: a viewer's POST becomes a
 * session of @room's producer, whose consumer the endpoint speaks for; PATCH trickles the
 * viewer's candidates, DELETE ends the session. */
BeaconWhepEndpoint *beacon_whep_endpoint_new                 (BeaconSignallingRoom *room);

/* The SHA-256 fingerprint ("AB:CD:…") of the DTLS identity the media comes from, sent in the
 * BEACON_MEDIA_IDENTITY_HEADER of every answer; NULL sends none. */
void                beacon_whep_endpoint_set_media_identity  (BeaconWhepEndpoint   *self,
                                                              const char           *fingerprint);
/* How long a POST waits for the broadcaster's answer before it gets 504 (default: 10 s). */
void                beacon_whep_endpoint_set_answer_timeout  (BeaconWhepEndpoint   *self,
                                                              guint                 milliseconds);

/* Answers a request for /whep or a path below it. */
void                beacon_whep_endpoint_handle_request      (BeaconWhepEndpoint   *self,
                                                              SoupServerMessage    *msg,
                                                              const char           *path);

G_END_DECLS

/* beacon-whip-signaler-private.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "beacon-ice-gathering.h"
#include "beacon-signaler.h"
#include "beacon-whip-signaler.h"

G_BEGIN_DECLS

/* Shared by beacon-whip-signaler.c (the protocol) and beacon-whip-http.c (its HTTP requests);
 * nothing else includes it. */

typedef enum {
  PHASE_IDLE,       /* no local description yet */
  PHASE_GATHERING,  /* holding the local description until candidates stop coming */
  PHASE_SENDING,    /* the POST (offer) or PATCH (answer) is on its way */
  PHASE_ANSWERED,   /* the server has our description; later candidates trickle */
} Phase;

struct _BeaconWhipSignaler
{
  GObject              parent_instance;

  /* Settings */
  gboolean             whep;
  char                *url;
  char                *pin;
  char                *token;
  gboolean             allow_insecure;

  /* Running */
  BeaconChannelInfo   *info;
  GCancellable        *cancellable;
  GTask               *start_task;
  char                *session_id;
  guint                announce_source;
  gboolean             started;
  gboolean             stopped;

  Phase                phase;
  char                *local_type;
  char                *local_sdp;
  GPtrArray           *gathered;        /* BeaconSdpCandidate*, not yet sent */
  BeaconIceGathering  *gathering;       /* holds the local description for its candidates */
  char                *post_url;        /* where the next POST goes (after redirects) */
  guint                redirects;

  char                *resource_url;    /* Location of the session, resolved */
  char                *etag;
  gboolean             trickle_stopped;
  gboolean             patch_in_flight;
  guint                trickle_source;
  gboolean             deleted;
};

static inline const char *
protocol_name (BeaconWhipSignaler *self)
{
  return self->whep ? "WHEP" : "WHIP";
}

/* Called once a request ends: @body (with @error NULL) is the whole response body, and the
 * channel has been checked (pin or authorities) for this response too. */
typedef void (*BeaconWhipResponseFunc) (BeaconWhipSignaler *self,
                                        SoupMessage        *message,
                                        GBytes             *body,
                                        const GError       *error);

/* Sends @method to @url with @body of @content_type (both nullable) and @if_match (nullable),
 * then calls @func. The Bearer token goes only to the origin of the signaler's URL; with
 * @cancellable the request ends when the signaler stops. */
void beacon_whip_http_send (BeaconWhipSignaler     *self,
                            const char             *method,
                            const char             *url,
                            const char             *content_type,
                            const char             *body,
                            const char             *if_match,
                            BeaconWhipResponseFunc  func,
                            gboolean                cancellable);

/* A sentence for a status that is not success: token, endpoint, busy, with the server's text
 * and its Retry-After. */
GError *beacon_whip_http_describe_status (BeaconWhipSignaler *self,
                                          SoupMessage        *message,
                                          GBytes             *body,
                                          const char         *url);

/* The response's Location resolved against @base, or NULL. */
char *beacon_whip_http_resolve_location (SoupMessage *message,
                                         const char  *base);

/* TRUE for a body that is SDP text: "v=0…", UTF-8, no NUL byte. */
gboolean  beacon_whip_http_is_sdp_body (GBytes *body);
char     *beacon_whip_http_body_text   (GBytes *body);

G_END_DECLS

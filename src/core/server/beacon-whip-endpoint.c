/* beacon-whip-endpoint.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-http-endpoint.h"
#include "beacon-random.h"
#include "beacon-sdp.h"
#include "beacon-whip-endpoint.h"

/* How long a POST waits for the broadcaster's answer before it gets 504, unless set. */
#define DEFAULT_ANSWER_TIMEOUT_MS 10000

/* WHIP (ingest) is taken only when the broadcaster's source is a WHIP ingest
 * (beacon_direct_server_set_whip_ingest ()): then the broadcaster itself terminates the
 * publisher's PeerConnection and encodes its media for every viewer, as for a camera. The
 * server only carries the offer and the answer ("whip-offer", beacon_direct_server_whip_answer
 * ()) and keeps GStreamer out. Otherwise WHIP is refused with 501 Not Implemented: a WHIP
 * client makes one PeerConnection and sends one offer, expecting the server to terminate it
 * and pass the media on to everyone watching: that is the job of a media server (an SFU). The
 * direct server carries no media; it only relays signaling, and each viewer gets a
 * PeerConnection of its own from the broadcaster. Relayed to a viewer, a WHIP client's single
 * PeerConnection could serve that one viewer only, and never a WHEP viewer, which sends an
 * offer too: two offers do not make a negotiation. */

static const char *whip_refusal =
  "This is a Beacon broadcast, not a media server: it cannot take a WHIP stream.\n"
  "Beacon's direct server only introduces a broadcaster to its viewers; the media goes from "
  "the broadcaster to each viewer directly, and a WHIP publisher makes only one connection, "
  "so it could not reach more than one viewer. Publish with Beacon itself (beacon-cli serve), "
  "or send WHIP to a media server (Janus with simple-whip-server, MediaMTX, …) and let viewers "
  "watch it there, or start a broadcast that takes WHIP (beacon-cli serve --source whip). To "
  "watch this broadcast with a WHEP player, POST its offer to /whep.";

/* The one WHIP publisher: the POST waits for the broadcaster's answer, then the resource
 * lives until DELETE or until the broadcaster ends it. */
typedef struct {
  char               *id;
  char               *etag;
  SoupServerMessage  *pending;
  gboolean            answered;
  guint               timeout_source;
} WhipIngest;

struct _BeaconWhipEndpoint
{
  GObject     parent_instance;

  gboolean    enabled;           /* WHIP is taken only when the broadcaster asked for it */
  char       *token;             /* nullable: the Bearer token publishers must send */
  WhipIngest *publisher;         /* nullable, owned: the current publisher */
  guint       answer_timeout_ms;
};

G_DEFINE_FINAL_TYPE (BeaconWhipEndpoint, beacon_whip_endpoint, G_TYPE_OBJECT)

enum {
  SIGNAL_OFFER,
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Answers the publisher's POST that is waiting, if any. */
static void
whip_respond (BeaconWhipEndpoint *self,
              guint               status,
              const char         *content_type,
              const char         *body)
{
  WhipIngest *whip;
  SoupServerMessage *msg;

  g_assert (BEACON_IS_WHIP_ENDPOINT (self));

  whip = self->publisher;
  msg = g_steal_pointer (&whip->pending);
  g_clear_handle_id (&whip->timeout_source, g_source_remove);
  if (msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (msg, self);
  if (g_strcmp0 (content_type, "application/sdp") == 0)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autofree char *location = g_strdup_printf ("/whip/session/%s", whip->id);

      beacon_http_set_cors_headers (msg);
      soup_message_headers_replace (headers, "Location", location);
      soup_message_headers_replace (headers, "ETag", whip->etag);
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
    }
  else
    {
      beacon_http_respond_text (msg, status, body);
    }
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

/* Forgets the publisher; tells the broadcaster when @notify. */
static void
whip_end (BeaconWhipEndpoint *self,
          gboolean            notify)
{
  g_autofree char *id = NULL;

  g_assert (BEACON_IS_WHIP_ENDPOINT (self));

  if (self->publisher == NULL)
    return;
  if (self->publisher->pending != NULL)
    whip_respond (self, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                  "the broadcaster stopped taking this WHIP stream before answering");
  g_clear_handle_id (&self->publisher->timeout_source, g_source_remove);
  id = g_steal_pointer (&self->publisher->id);
  g_free (self->publisher->etag);
  g_clear_pointer (&self->publisher, g_free);
  if (notify)
    g_signal_emit (self, signals[SIGNAL_ENDED], 0, id);
}

static void
whip_pending_lost_cb (SoupServerMessage  *msg,
                      BeaconWhipEndpoint *self)
{
  /* The publisher went away before its answer. */
  g_signal_handlers_disconnect_by_data (msg, self);
  if (self->publisher != NULL && self->publisher->pending == msg)
    {
      g_clear_object (&self->publisher->pending);
      whip_end (self, TRUE);
    }
}

static gboolean
whip_answer_timeout_cb (gpointer user_data)
{
  BeaconWhipEndpoint *self = user_data;
  g_autofree char *text = NULL;

  self->publisher->timeout_source = 0;
  text = g_strdup_printf ("the broadcaster did not answer within %u s",
                          (self->answer_timeout_ms + 999) / 1000);
  whip_respond (self, SOUP_STATUS_GATEWAY_TIMEOUT, NULL, text);
  whip_end (self, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
whip_authorized (BeaconWhipEndpoint *self,
                 SoupServerMessage  *msg)
{
  const char *authorization;

  g_assert (BEACON_IS_WHIP_ENDPOINT (self));

  if (self->token == NULL)
    return TRUE;
  if (beacon_http_request_has_bearer (msg, self->token))
    return TRUE;
  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer");
  beacon_http_respond_text (msg, SOUP_STATUS_UNAUTHORIZED,
                            authorization == NULL ? "this WHIP endpoint needs a Bearer token"
                                                  : "the Bearer token is not the one this "
                                                    "WHIP endpoint takes");
  return FALSE;
}

static void
whip_post (BeaconWhipEndpoint *self,
           SoupServerMessage  *msg)
{
  g_autofree char *offer = NULL;
  g_autofree char *etag_value = NULL;
  g_autofree char *id = NULL;

  g_assert (BEACON_IS_WHIP_ENDPOINT (self));

  if (!whip_authorized (self, msg))
    return;
  if (!beacon_http_require_sdp (msg, "a WHIP offer"))
    return;
  if (self->publisher != NULL)
    {
      beacon_http_respond_text (msg, SOUP_STATUS_CONFLICT,
                                "another WHIP publisher is already sending to this broadcast; "
                                "it takes one publisher at a time (try again once that one has "
                                "stopped)");
      return;
    }
  offer = beacon_http_read_offer (msg);
  if (offer == NULL)
    return;

  etag_value = beacon_random_hex (16);
  self->publisher = g_new0 (WhipIngest, 1);
  self->publisher->id = beacon_random_hex (16);
  self->publisher->etag = g_strdup_printf ("\"%s\"", etag_value);
  self->publisher->pending = g_object_ref (msg);
  id = g_strdup (self->publisher->id);
  soup_server_message_pause (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (whip_pending_lost_cb), self);
  g_signal_connect (msg, "finished", G_CALLBACK (whip_pending_lost_cb), self);
  self->publisher->timeout_source = g_timeout_add (self->answer_timeout_ms,
                                              whip_answer_timeout_cb, self);
  g_debug ("WHIP publisher %s offers", id);
  g_signal_emit (self, signals[SIGNAL_OFFER], 0, id, offer);
}

void
beacon_whip_endpoint_handle_request (BeaconWhipEndpoint *self,
                                     SoupServerMessage  *msg,
                                     const char         *path)
{
  const char *method;

  g_return_if_fail (BEACON_IS_WHIP_ENDPOINT (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  method = soup_server_message_get_method (msg);

  if (!self->enabled)
    {
      beacon_http_respond_text (msg, SOUP_STATUS_NOT_IMPLEMENTED, whip_refusal);
      return;
    }

  if (g_str_has_prefix (path, "/whip/session/"))
    {
      const char *id = path + strlen ("/whip/session/");

      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        {
          beacon_http_respond_preflight (msg, "DELETE, OPTIONS");
          return;
        }
      if (self->publisher == NULL || !self->publisher->answered ||
          !g_str_equal (id, self->publisher->id))
        {
          beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such WHIP session");
          return;
        }
      if (!whip_authorized (self, msg))
        return;
      if (g_str_equal (method, SOUP_METHOD_DELETE))
        {
          g_debug ("WHIP session %s ended by the publisher", id);
          whip_end (self, TRUE);
          beacon_http_respond_text (msg, SOUP_STATUS_OK, "session ended");
        }
      else
        {
          /* Trickle ICE is optional (RFC 9725): the publisher's offer carries its candidates,
           * and Beacon's answer carries all of its own. */
          beacon_http_respond_method_not_allowed (msg, "DELETE, OPTIONS");
        }
      return;
    }

  if (g_str_equal (path, "/whip") || g_str_equal (path, "/whip/"))
    {
      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        beacon_http_respond_preflight (msg, "POST, OPTIONS");
      else if (g_str_equal (method, SOUP_METHOD_POST))
        whip_post (self, msg);
      else
        beacon_http_respond_method_not_allowed (msg, "POST, OPTIONS");
      return;
    }
  beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found; WHIP publishers POST to /whip");
}

/* GObject */

static void
beacon_whip_endpoint_dispose (GObject *object)
{
  BeaconWhipEndpoint *self = BEACON_WHIP_ENDPOINT (object);

  whip_end (self, FALSE);

  G_OBJECT_CLASS (beacon_whip_endpoint_parent_class)->dispose (object);
}

static void
beacon_whip_endpoint_finalize (GObject *object)
{
  BeaconWhipEndpoint *self = BEACON_WHIP_ENDPOINT (object);

  g_free (self->token);

  G_OBJECT_CLASS (beacon_whip_endpoint_parent_class)->finalize (object);
}

static void
beacon_whip_endpoint_class_init (BeaconWhipEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_whip_endpoint_dispose;
  object_class->finalize = beacon_whip_endpoint_finalize;

  signals[SIGNAL_OFFER] =
    g_signal_new ("offer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
beacon_whip_endpoint_init (BeaconWhipEndpoint *self)
{
  self->answer_timeout_ms = DEFAULT_ANSWER_TIMEOUT_MS;
}

/* Public API */

BeaconWhipEndpoint *
beacon_whip_endpoint_new (void)
{
  return g_object_new (BEACON_TYPE_WHIP_ENDPOINT, NULL);
}

void
beacon_whip_endpoint_set_answer_timeout (BeaconWhipEndpoint *self,
                                         guint               milliseconds)
{
  g_return_if_fail (BEACON_IS_WHIP_ENDPOINT (self));
  g_return_if_fail (milliseconds > 0);

  self->answer_timeout_ms = milliseconds;
}

void
beacon_whip_endpoint_set_ingest (BeaconWhipEndpoint *self,
                                 gboolean            enabled,
                                 const char         *token)
{
  g_return_if_fail (BEACON_IS_WHIP_ENDPOINT (self));

  self->enabled = enabled;
  g_free (self->token);
  self->token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  if (!enabled)
    whip_end (self, FALSE);
}

void
beacon_whip_endpoint_answer (BeaconWhipEndpoint *self,
                             const char         *id,
                             const char         *answer,
                             const GError       *error)
{
  g_return_if_fail (BEACON_IS_WHIP_ENDPOINT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail ((answer == NULL) != (error == NULL));

  if (self->publisher == NULL || !g_str_equal (self->publisher->id, id) ||
      self->publisher->pending == NULL)
    return;
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf ("the broadcaster cannot take this stream: %s",
                                               error->message);

      whip_respond (self, SOUP_STATUS_NOT_ACCEPTABLE, NULL, text);
      whip_end (self, FALSE);
      return;
    }
  {
    g_autofree char *sdp = beacon_sdp_normalize (answer);

    self->publisher->answered = TRUE;
    whip_respond (self, SOUP_STATUS_CREATED, "application/sdp", sdp);
  }
}

void
beacon_whip_endpoint_end (BeaconWhipEndpoint *self,
                          const char         *id)
{
  g_return_if_fail (BEACON_IS_WHIP_ENDPOINT (self));

  if (self->publisher != NULL && g_strcmp0 (self->publisher->id, id) == 0)
    whip_end (self, FALSE);
}

void
beacon_whip_endpoint_stop (BeaconWhipEndpoint *self)
{
  g_return_if_fail (BEACON_IS_WHIP_ENDPOINT (self));

  whip_end (self, FALSE);
}

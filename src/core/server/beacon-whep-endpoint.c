/* beacon-whep-endpoint.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-http-endpoint.h"
#include "beacon-ice-gathering.h"
#include "beacon-random.h"
#include "beacon-sdp.h"
#include "beacon-signaler.h"
#include "beacon-whep-endpoint.h"

/* Standard WHEP players (draft-ietf-wish-whep) watch a broadcast with one POST: the viewer's
 * offer goes to the broadcaster as the offer of a startSession, exactly as a client of the
 * WebSocket protocol would send it, and the broadcaster's answer comes back as the response.
 * The viewer's trickled candidates (PATCH) go on as "peer" ice messages, and DELETE ends the
 * session. The broadcaster's own candidates cannot reach a WHEP viewer after the response, so
 * the response waits for them and carries them in the answer. */

/* WHEP: how long a POST waits for the broadcaster's answer before it gets 504. */
#define DEFAULT_ANSWER_TIMEOUT_MS 10000


/* Sessions of viewers that came over WHEP have this prefix in their consumer id: they have
 * no WebSocket peer, the server speaks for them. */
#define WHEP_CONSUMER_PREFIX "whep-"

/* A test hook: with BEACON_DIRECT_SERVER_WHEP_OFFER=server in the environment, POST /whep drops
 * the viewer's offer and asks the broadcaster for one, which goes back to the viewer in a
 * 406 Not Acceptable (the WHEP server-offer flow); the viewer's answer then comes with PATCH.
 * Beacon's broadcaster always answers an offer, so only this makes the flow testable. */
#define WHEP_OFFER_ENV "BEACON_DIRECT_SERVER_WHEP_OFFER"

/* A session whose consumer is a WHEP client: the HTTP side of it. */
typedef struct {
  BeaconWhepEndpoint *endpoint;     /* unowned */
  char               *session_id;
  char               *etag;         /* quoted, as sent in ETag */
  GStrv               mids;         /* of the viewer's offer, to map trickled candidates */
  char               *ufrag;        /* of the viewer's offer */
  SoupServerMessage  *pending;      /* the POST waiting for the broadcaster's description */
  char               *sdp_type;     /* what the broadcaster sent: "answer" or "offer" */
  char               *sdp;
  GPtrArray          *candidates;   /* BeaconSdpCandidate*: the broadcaster's so far */
  gboolean            responded;
  gboolean            expects_answer;  /* we relayed the broadcaster's offer (406) */
  guint               timeout_source;
  /* WHEP has no way to send the broadcaster's later ICE candidates to the viewer, so its
   * answer waits for them (see beacon-ice-gathering.h) and carries them. */
  BeaconIceGathering *gathering;
} WhepResource;

struct _BeaconWhepEndpoint
{
  GObject               parent_instance;

  BeaconSignallingRoom *room;
  GHashTable           *resources;      /* session id → WhepResource*, owned */
  char                 *media_identity; /* nullable: "AB:CD:…", announced to viewers */
  guint                 answer_timeout_ms;
  gboolean              server_offers;  /* the WHEP_OFFER_ENV test hook */
};

G_DEFINE_FINAL_TYPE (BeaconWhepEndpoint, beacon_whep_endpoint, G_TYPE_OBJECT)

static const char *
peer_name (BeaconGstPeerInfo *peer)
{
  if (peer->meta != NULL && json_object_has_member (peer->meta, "name"))
    {
      JsonNode *node = json_object_get_member (peer->meta, "name");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }
  return NULL;
}

static void
whep_pending_lost_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  WhepResource *resource = user_data;
  g_autofree char *session_id = g_strdup (resource->session_id);
  BeaconWhepEndpoint *self = resource->endpoint;

  /* The viewer went away before its answer: the broadcaster stops preparing one. */
  g_debug ("WHEP viewer of session %s left before the answer", session_id);
  g_signal_handlers_disconnect_by_data (msg, resource);
  g_clear_object (&resource->pending);
  resource->responded = TRUE;
  beacon_signalling_room_end_session (self->room, session_id, TRUE, FALSE);
}

/* Answers the POST that is waiting, if any. */
static void
whep_respond (WhepResource *resource,
              guint         status,
              const char   *content_type,
              const char   *body)
{
  SoupServerMessage *msg = g_steal_pointer (&resource->pending);

  g_clear_handle_id (&resource->timeout_source, g_source_remove);
  beacon_ice_gathering_stop (resource->gathering);
  resource->responded = TRUE;
  if (msg == NULL)
    return;

  g_signal_handlers_disconnect_by_data (msg, resource);
  if (g_strcmp0 (content_type, "application/sdp") == 0)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autofree char *location = g_strdup_printf ("/whep/session/%s", resource->session_id);

      beacon_http_set_cors_headers (msg);
      soup_message_headers_replace (headers, "Location", location);
      soup_message_headers_replace (headers, "ETag", resource->etag);
      soup_message_headers_replace (headers, "Accept-Patch", "application/trickle-ice-sdpfrag");
      /* Over TLS that the viewer authenticated, this tells it which DTLS identity the media
       * must come from (see BEACON_MEDIA_IDENTITY_HEADER). */
      if (resource->endpoint->media_identity != NULL)
        {
          g_autofree char *value = g_strconcat ("sha256:", resource->endpoint->media_identity,
                                                NULL);

          soup_message_headers_replace (headers, BEACON_MEDIA_IDENTITY_HEADER, value);
        }
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

static void
whep_resource_free (WhepResource *resource)
{
  if (resource->pending != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (resource->pending),
                                    "Retry-After", "5");
      whep_respond (resource, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL,
                    "the broadcaster ended the session before answering (the broadcast may be "
                    "full or over)");
    }
  g_clear_handle_id (&resource->timeout_source, g_source_remove);
  g_clear_object (&resource->gathering);
  g_free (resource->session_id);
  g_free (resource->etag);
  g_strfreev (resource->mids);
  g_free (resource->ufrag);
  g_free (resource->sdp_type);
  g_free (resource->sdp);
  g_ptr_array_unref (resource->candidates);
  g_free (resource);
}

static void
session_ended_cb (BeaconSignallingRoom *room,
                  const char           *session_id,
                  gpointer              user_data)
{
  BeaconWhepEndpoint *self = user_data;

  g_hash_table_remove (self->resources, session_id);
}

static void
whep_send_description (WhepResource *resource)
{
  g_autofree char *sdp = NULL;
  gboolean is_offer = g_strcmp0 (resource->sdp_type, "offer") == 0;

  if (resource->pending == NULL)
    return;

  sdp = beacon_sdp_add_candidates (resource->sdp, resource->candidates);
  /* A broadcaster that offers instead of answering gets the viewer's answer through PATCH, as
   * the WHEP draft describes for 406 responses. */
  resource->expects_answer = is_offer;
  g_debug ("WHEP session %s: sending the broadcaster's %s with %u candidates",
           resource->session_id, resource->sdp_type, resource->candidates->len);
  whep_respond (resource, is_offer ? SOUP_STATUS_NOT_ACCEPTABLE : SOUP_STATUS_CREATED,
                "application/sdp", sdp);
}

static void
whep_gathering_done_cb (BeaconIceGathering       *gathering,
                        BeaconIceGatheringReason  reason,
                        gpointer                  user_data)
{
  whep_send_description (user_data);
}

static gboolean
whep_answer_timeout_cb (gpointer user_data)
{
  WhepResource *resource = user_data;
  g_autofree char *session_id = g_strdup (resource->session_id);
  g_autofree char *text = NULL;
  BeaconWhepEndpoint *self = resource->endpoint;

  resource->timeout_source = 0;
  text = g_strdup_printf ("the broadcaster did not answer within %u s",
                          (self->answer_timeout_ms + 999) / 1000);
  whep_respond (resource, SOUP_STATUS_GATEWAY_TIMEOUT, NULL, text);
  beacon_signalling_room_end_session (self->room, session_id, TRUE, FALSE);
  return G_SOURCE_REMOVE;
}

/* The broadcaster spoke in the session of a WHEP viewer. */
static void
relayed_message_cb (BeaconSignallingRoom *room,
                    const char           *session_id,
                    gpointer              data,
                    gpointer              user_data)
{
  BeaconWhepEndpoint *self = user_data;
  BeaconGstMessage *message = data;
  WhepResource *resource = g_hash_table_lookup (self->resources, session_id);

  if (resource == NULL)
    return;

  if (message->type == BEACON_GST_MESSAGE_PEER_SDP)
    {
      if (resource->sdp != NULL || resource->pending == NULL)
        {
          g_debug ("WHEP session %s: ignoring a second description from the broadcaster: a "
                   "WHEP viewer cannot renegotiate", session_id);
          return;
        }
      resource->sdp_type = g_strdup (message->sdp_type);
      resource->sdp = beacon_sdp_normalize (message->sdp);
      beacon_ice_gathering_wait (resource->gathering, NULL, whep_gathering_done_cb, resource);
      return;
    }

  if (message->type != BEACON_GST_MESSAGE_PEER_ICE)
    return;

  if (resource->responded)
    {
      g_debug ("WHEP session %s: a candidate came after the answer; WHEP cannot deliver it",
               session_id);
      return;
    }
  g_ptr_array_add (resource->candidates,
                   beacon_sdp_candidate_new (message->sdp_mline_index, message->candidate));
  beacon_ice_gathering_add_candidate (resource->gathering, message->candidate);
}

static void
whep_post (BeaconWhepEndpoint *self,
           SoupServerMessage  *msg,
           const char         *name)
{
  g_autoptr(GPtrArray) producers = NULL;
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *etag_value = NULL;
  WhepResource *resource;
  const char *session_id;
  const char *consumer_id;
  BeaconGstPeerInfo *producer = NULL;

  g_assert (BEACON_IS_WHEP_ENDPOINT (self));

  if (!beacon_http_require_sdp (msg, "a WHEP offer"))
    return;

  offer = beacon_http_read_offer (msg);
  if (offer == NULL)
    return;

  producers = beacon_signalling_room_list_producers (self->room);
  for (guint i = 0; i < producers->len; i++)
    {
      BeaconGstPeerInfo *peer = g_ptr_array_index (producers, i);

      if (name != NULL && (g_strcmp0 (peer_name (peer), name) == 0 || g_str_equal (peer->id, name)))
        producer = peer;
    }

  if (name != NULL && producer == NULL)
    {
      g_autofree char *text = g_strdup_printf ("no broadcast named '%s' is live here", name);

      beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, text);
      return;
    }
  if (producer == NULL && producers->len == 0)
    {
      beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "nothing is broadcasting here");
      return;
    }
  if (producer == NULL && producers->len > 1)
    {
      g_autoptr(GString) text = g_string_new ("several broadcasts are live here; choose one:");

      for (guint i = 0; i < producers->len; i++)
        {
          BeaconGstPeerInfo *candidate = g_ptr_array_index (producers, i);
          const char *candidate_name = peer_name (candidate);
          g_autofree char *escaped = g_uri_escape_string (candidate_name ? candidate_name
                                                                         : candidate->id,
                                                          NULL, FALSE);

          g_string_append_printf (text, "\n/whep/%s", escaped);
        }
      beacon_http_respond_text (msg, SOUP_STATUS_MULTIPLE_CHOICES, text->str);
      return;
    }
  if (producer == NULL)
    producer = g_ptr_array_index (producers, 0);

  if (beacon_signalling_room_producer_is_full (self->room, producer->id))
    {
      BeaconSignallingRoomLimits limits;
      g_autofree char *text = NULL;

      beacon_signalling_room_get_limits (self->room, &limits);
      text = g_strdup_printf ("the broadcast is full: at most %u viewers",
                              limits.max_sessions_per_producer);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "10");
      beacon_http_respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, text);
      return;
    }

  session_id = beacon_signalling_room_start_relayed_session (self->room, producer->id,
                                                             WHEP_CONSUMER_PREFIX, &consumer_id);

  etag_value = beacon_random_hex (16);
  resource = g_new0 (WhepResource, 1);
  resource->endpoint = self;
  resource->session_id = g_strdup (session_id);
  resource->etag = g_strdup_printf ("\"%s\"", etag_value);
  resource->mids = beacon_sdp_dup_mids (offer);
  resource->candidates = beacon_sdp_candidate_array_new ();
  resource->gathering = beacon_ice_gathering_new (BEACON_ICE_GATHERING_QUIET_MS,
                                                  BEACON_ICE_GATHERING_MAX_MS);
  resource->ufrag = beacon_sdp_dup_ice_ufrag (offer);
  g_hash_table_insert (self->resources, resource->session_id, resource);

  g_debug ("WHEP session %s started from %s (producer %s)", session_id,
           soup_server_message_get_remote_host (msg) ? soup_server_message_get_remote_host (msg)
                                                     : "an unknown address",
           producer->id);

  /* The broadcaster hears of it as of any consumer that offers, or, with the test hook, as of
   * one that waits for the broadcaster's offer. */
  start = beacon_gst_message_new (BEACON_GST_MESSAGE_START_SESSION);
  start->peer_id = g_strdup (consumer_id);
  start->session_id = g_strdup (session_id);
  if (!self->server_offers)
    start->sdp = g_steal_pointer (&offer);
  start_text = beacon_gst_message_to_json (start);

  soup_server_message_pause (msg);
  resource->pending = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (whep_pending_lost_cb), resource);
  g_signal_connect (msg, "finished", G_CALLBACK (whep_pending_lost_cb), resource);
  resource->timeout_source = g_timeout_add (self->answer_timeout_ms, whep_answer_timeout_cb,
                                            resource);

  beacon_signalling_room_send_to (self->room, producer->id, start_text);
}

static void
whep_patch (BeaconWhepEndpoint *self,
            SoupServerMessage  *msg,
            WhepResource       *resource)
{
  const char *if_match =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-Match");
  g_autofree char *producer_id = NULL;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GError) error = NULL;

  g_assert (BEACON_IS_WHEP_ENDPOINT (self));

  producer_id =
    g_strdup (beacon_signalling_room_get_session_producer (self->room, resource->session_id));
  if (producer_id == NULL)
    {
      beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such WHEP session");
      return;
    }
  if (if_match != NULL && !g_str_equal (if_match, "*") && !g_str_equal (if_match, resource->etag))
    {
      beacon_http_respond_text (msg, SOUP_STATUS_PRECONDITION_FAILED,
                                "If-Match does not match this session's ETag");
      return;
    }

  if (beacon_http_content_type_is (msg, "application/trickle-ice-sdpfrag"))
    {
      g_autoptr(GPtrArray) candidates = NULL;
      g_autofree char *ufrag = NULL;
      g_autofree char *text = NULL;
      gsize length;
      const char *data = g_bytes_get_data (body, &length);

      if (memchr (data, '\0', length) == NULL)
        text = g_strndup (data, length);
      candidates = beacon_sdp_fragment_parse (text, (const char * const *) resource->mids,
                                              &ufrag, NULL, &error);
      if (candidates == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("the fragment is not usable: %s",
                                                     error->message);

          beacon_http_respond_text (msg, SOUP_STATUS_BAD_REQUEST, reason);
          return;
        }
      if (ufrag != NULL && resource->ufrag != NULL && !g_str_equal (ufrag, resource->ufrag))
        {
          beacon_http_respond_text (msg, SOUP_STATUS_NOT_IMPLEMENTED,
                                    "ICE restarts are not supported");
          return;
        }
      for (guint i = 0; i < candidates->len; i++)
        {
          BeaconSdpCandidate *candidate = g_ptr_array_index (candidates, i);
          g_autofree char *ice = beacon_gst_build_peer_ice (resource->session_id, candidate->mline,
                                                            candidate->candidate);

          beacon_signalling_room_send_to (self->room, producer_id, ice);
        }
      beacon_http_set_cors_headers (msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    resource->etag);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  if (beacon_http_content_type_is (msg, "application/sdp"))
    {
      g_autofree char *answer = NULL;
      g_autofree char *text = NULL;

      if (!resource->expects_answer)
        {
          beacon_http_respond_text (msg, SOUP_STATUS_BAD_REQUEST,
                                    "this session has its answer already; send candidates as "
                                    "application/trickle-ice-sdpfrag");
          return;
        }
      answer = beacon_sdp_validate_body (body, &error);
      if (answer == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("the answer is not usable: %s",
                                                     error->message);

          beacon_http_respond_text (msg, SOUP_STATUS_BAD_REQUEST, reason);
          return;
        }
      resource->expects_answer = FALSE;
      /* The viewer's credentials and media sections are those of its answer from now on:
       * later trickle fragments are checked and mapped against it, not against the refused
       * offer. */
      g_strfreev (resource->mids);
      resource->mids = beacon_sdp_dup_mids (answer);
      g_free (resource->ufrag);
      resource->ufrag = beacon_sdp_dup_ice_ufrag (answer);
      text = beacon_gst_build_peer_sdp (resource->session_id, "answer", answer);
      beacon_signalling_room_send_to (self->room, producer_id, text);
      beacon_http_set_cors_headers (msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    resource->etag);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Accept-Patch",
                                "application/trickle-ice-sdpfrag");
  beacon_http_respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                            "send ICE candidates as application/trickle-ice-sdpfrag");
}

void
beacon_whep_endpoint_handle_request (BeaconWhepEndpoint *self,
                                     SoupServerMessage  *msg,
                                     const char         *path)
{
  const char *method;
  const char *rest;

  g_return_if_fail (BEACON_IS_WHEP_ENDPOINT (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  method = soup_server_message_get_method (msg);

  if (!g_str_has_prefix (path, "/whep"))
    {
      beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }
  rest = path + strlen ("/whep");

  if (g_str_has_prefix (rest, "/session/"))
    {
      g_autofree char *session_id = g_uri_unescape_string (rest + strlen ("/session/"), "/");
      WhepResource *resource =
        session_id != NULL ? g_hash_table_lookup (self->resources, session_id) : NULL;

      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        {
          beacon_http_respond_preflight (msg, "PATCH, DELETE, OPTIONS");
          return;
        }
      if (resource == NULL || !resource->responded)
        {
          beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "no such WHEP session");
          return;
        }
      if (g_str_equal (method, "PATCH"))
        {
          whep_patch (self, msg, resource);
        }
      else if (g_str_equal (method, SOUP_METHOD_DELETE))
        {
          g_debug ("WHEP session %s ended by the viewer", session_id);
          beacon_signalling_room_end_session (self->room, session_id, TRUE, FALSE);
          beacon_http_respond_text (msg, SOUP_STATUS_OK, "session ended");
        }
      else
        {
          beacon_http_respond_method_not_allowed (msg, "PATCH, DELETE, OPTIONS");
        }
      return;
    }

  if (*rest == '\0' || g_str_equal (rest, "/") ||
      (rest[0] == '/' && strchr (rest + 1, '/') == NULL))
    {
      g_autofree char *name = NULL;

      if (rest[0] == '/' && rest[1] != '\0')
        {
          name = g_uri_unescape_string (rest + 1, "/");
          if (name == NULL || !g_utf8_validate (name, -1, NULL))
            {
              beacon_http_respond_text (msg, SOUP_STATUS_BAD_REQUEST,
                                        "the broadcast name is not valid");
              return;
            }
        }
      if (g_str_equal (method, SOUP_METHOD_OPTIONS))
        beacon_http_respond_preflight (msg, "POST, OPTIONS");
      else if (g_str_equal (method, SOUP_METHOD_POST))
        whep_post (self, msg, name);
      else
        beacon_http_respond_method_not_allowed (msg, "POST, OPTIONS");
      return;
    }

  beacon_http_respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
}

/* GObject */

static void
beacon_whep_endpoint_dispose (GObject *object)
{
  BeaconWhepEndpoint *self = BEACON_WHEP_ENDPOINT (object);

  if (self->room != NULL)
    g_signal_handlers_disconnect_by_data (self->room, self);
  g_hash_table_remove_all (self->resources);
  g_clear_object (&self->room);

  G_OBJECT_CLASS (beacon_whep_endpoint_parent_class)->dispose (object);
}

static void
beacon_whep_endpoint_finalize (GObject *object)
{
  BeaconWhepEndpoint *self = BEACON_WHEP_ENDPOINT (object);

  g_clear_pointer (&self->resources, g_hash_table_unref);
  g_free (self->media_identity);

  G_OBJECT_CLASS (beacon_whep_endpoint_parent_class)->finalize (object);
}

static void
beacon_whep_endpoint_class_init (BeaconWhepEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_whep_endpoint_dispose;
  object_class->finalize = beacon_whep_endpoint_finalize;
}

static void
beacon_whep_endpoint_init (BeaconWhepEndpoint *self)
{
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal,
                                           NULL, (GDestroyNotify) whep_resource_free);
  self->answer_timeout_ms = DEFAULT_ANSWER_TIMEOUT_MS;
  self->server_offers = g_strcmp0 (g_getenv (WHEP_OFFER_ENV), "server") == 0;
  if (self->server_offers)
    g_message ("%s=server: WHEP viewers get the broadcaster's offer (406)", WHEP_OFFER_ENV);
}

/* Public API */

BeaconWhepEndpoint *
beacon_whep_endpoint_new (BeaconSignallingRoom *room)
{
  BeaconWhepEndpoint *self;

  g_return_val_if_fail (BEACON_IS_SIGNALLING_ROOM (room), NULL);

  self = g_object_new (BEACON_TYPE_WHEP_ENDPOINT, NULL);
  self->room = g_object_ref (room);
  g_signal_connect (room, "session-ended", G_CALLBACK (session_ended_cb), self);
  g_signal_connect (room, "relayed-message", G_CALLBACK (relayed_message_cb), self);
  return self;
}

void
beacon_whep_endpoint_set_media_identity (BeaconWhepEndpoint *self,
                                         const char         *fingerprint)
{
  g_return_if_fail (BEACON_IS_WHEP_ENDPOINT (self));

  g_free (self->media_identity);
  self->media_identity = g_strdup (fingerprint);
}

void
beacon_whep_endpoint_set_answer_timeout (BeaconWhepEndpoint *self,
                                         guint               milliseconds)
{
  g_return_if_fail (BEACON_IS_WHEP_ENDPOINT (self));
  g_return_if_fail (milliseconds > 0);

  self->answer_timeout_ms = milliseconds;
}

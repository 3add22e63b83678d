/* beacon-whip-ingest.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-whip-ingest.h"

#include "beacon-ice-gathering.h"
#include "beacon-peer.h"
#include "beacon-random.h"
#include "beacon-sdp.h"
#include "beacon-session.h"

struct _BeaconWhipIngest
{
  GObject                  parent_instance;

  BeaconDirectServer      *server;
  BeaconBroadcastPipeline *broadcast;
  BeaconIdentity          *identity;
  BeaconSessionConfig     *config;
  char                    *token;          /* the token in force: given, generated or NULL */
  gboolean                 accepting;
  gboolean                 closed;

  /* The publisher's connection. It gets Beacon's answer with every candidate in it (the direct
   * server does not trickle to a WHIP client): ingest_gathering says when they are all there. */
  BeaconPeer              *ingest_peer;
  char                    *ingest_id;
  char                    *ingest_answer;
  GPtrArray               *ingest_candidates;  /* BeaconSdpCandidate* */
  BeaconIceGathering      *ingest_gathering;
  gboolean                 ingest_answered;
};

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BeaconWhipIngest, beacon_whip_ingest, G_TYPE_OBJECT)

static void
drop_ingest (BeaconWhipIngest *self)
{
  gboolean was_connected = beacon_whip_ingest_is_connected (self);

  g_clear_object (&self->ingest_gathering);
  if (self->ingest_peer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ingest_peer, self);
      beacon_peer_close (self->ingest_peer);
      g_clear_object (&self->ingest_peer);
    }
  if (self->broadcast != NULL)
    beacon_broadcast_pipeline_detach_ingest (self->broadcast);
  g_clear_pointer (&self->ingest_id, g_free);
  g_clear_pointer (&self->ingest_answer, g_free);
  g_clear_pointer (&self->ingest_candidates, g_ptr_array_unref);
  self->ingest_answered = FALSE;
  if (was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
ingest_send_answer (BeaconWhipIngest *self)
{
  g_autofree char *sdp = NULL;

  if (self->ingest_answered || self->ingest_answer == NULL || self->server == NULL)
    return;
  self->ingest_answered = TRUE;
  sdp = beacon_sdp_add_candidates (self->ingest_answer, self->ingest_candidates);
  g_debug ("WHIP publisher %s: answering with %u candidates", self->ingest_id,
           self->ingest_candidates->len);
  beacon_direct_server_whip_answer (self->server, self->ingest_id, sdp, NULL);
}

static void
ingest_gathering_done_cb (BeaconIceGathering       *gathering,
                          BeaconIceGatheringReason  reason,
                          gpointer                  user_data)
{
  ingest_send_answer (user_data);
}

static void
ingest_local_description_cb (BeaconPeer       *peer,
                             const char       *type,
                             const char       *sdp,
                             BeaconWhipIngest *self)
{
  if (self->ingest_answer != NULL)
    return;
  self->ingest_answer = g_strdup (sdp);
  beacon_ice_gathering_wait (self->ingest_gathering, NULL, ingest_gathering_done_cb, self);
}

static void
ingest_local_candidate_cb (BeaconPeer       *peer,
                           guint             mline,
                           const char       *candidate,
                           BeaconWhipIngest *self)
{
  if (self->ingest_answered)
    return;
  g_ptr_array_add (self->ingest_candidates, beacon_sdp_candidate_new (mline, candidate));
  beacon_ice_gathering_add_candidate (self->ingest_gathering, candidate);
}

static void
ingest_connected_cb (BeaconPeer       *peer,
                     BeaconWhipIngest *self)
{
  g_message ("WHIP publisher connected (session %s)", self->ingest_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
ingest_failed_cb (BeaconPeer       *peer,
                  const GError     *error,
                  BeaconWhipIngest *self)
{
  g_autofree char *id = g_strdup (self->ingest_id);

  g_message ("WHIP publisher %s failed: %s", id, error->message);
  if (self->server != NULL)
    {
      if (!self->ingest_answered)
        beacon_direct_server_whip_answer (self->server, id, NULL, error);
      else
        beacon_direct_server_whip_end (self->server, id);
    }
  drop_ingest (self);
}

/* The publisher's webrtcbin is a peer like every viewer's: same identity, ICE addresses and
 * fail-closed DTLS check. */
static BeaconPeer *
make_ingest_peer (BeaconWhipIngest *self,
                  const char       *id)
{
  BeaconPeerConfig peer_config;

  beacon_session_config_fill_peer_config (self->config, self->identity, &peer_config);
  return beacon_peer_new (beacon_broadcast_pipeline_get_bin (self->broadcast), id, &peer_config);
}

static void
whip_offer_cb (BeaconDirectServer *server,
               const char         *id,
               const char         *offer,
               BeaconWhipIngest   *self)
{
  g_autoptr(GError) error = NULL;
  GstElement *webrtcbin;

  if (!self->accepting || self->ingest_peer != NULL)
    {
      error = g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                           "the broadcast is not ready for a WHIP publisher");
      beacon_direct_server_whip_answer (server, id, NULL, error);
      return;
    }

  g_message ("WHIP publisher offers (session %s)", id);
  self->ingest_id = g_strdup (id);
  self->ingest_candidates = beacon_sdp_candidate_array_new ();
  self->ingest_gathering = beacon_ice_gathering_new (BEACON_ICE_GATHERING_QUIET_MS,
                                                     BEACON_ICE_GATHERING_MAX_MS);
  self->ingest_peer = make_ingest_peer (self, id);
  g_signal_connect_object (self->ingest_peer, "local-description",
                           G_CALLBACK (ingest_local_description_cb), self, 0);
  g_signal_connect_object (self->ingest_peer, "local-candidate",
                           G_CALLBACK (ingest_local_candidate_cb), self, 0);
  g_signal_connect_object (self->ingest_peer, "connected",
                           G_CALLBACK (ingest_connected_cb), self, 0);
  g_signal_connect_object (self->ingest_peer, "failed",
                           G_CALLBACK (ingest_failed_cb), self, 0);
  webrtcbin = beacon_peer_get_webrtcbin (self->ingest_peer);
  if (!beacon_broadcast_pipeline_attach_ingest (self->broadcast, webrtcbin, &error) ||
      !gst_element_sync_state_with_parent (webrtcbin))
    {
      if (error == NULL)
        error = g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                             "could not start a connection for the WHIP publisher");
      beacon_direct_server_whip_answer (server, id, NULL, error);
      drop_ingest (self);
      return;
    }
  beacon_peer_set_remote_description (self->ingest_peer, "offer", offer);
}

static void
whip_ended_cb (BeaconDirectServer *server,
               const char         *id,
               BeaconWhipIngest   *self)
{
  if (g_strcmp0 (id, self->ingest_id) != 0)
    return;
  g_message ("WHIP publisher left (session %s)", id);
  drop_ingest (self);
}

BeaconWhipIngest *
beacon_whip_ingest_new (BeaconDirectServer      *server,
                        BeaconBroadcastPipeline *broadcast,
                        BeaconIdentity          *identity,
                        BeaconSessionConfig     *config)
{
  BeaconWhipIngest *self;

  g_return_val_if_fail (BEACON_IS_DIRECT_SERVER (server), NULL);
  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (broadcast), NULL);
  g_return_val_if_fail (BEACON_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (BEACON_TYPE_WHIP_INGEST, NULL);
  self->server = g_object_ref (server);
  self->broadcast = g_object_ref (broadcast);
  self->identity = g_object_ref (identity);
  self->config = beacon_session_config_ref (config);
  /* An ingest open to anyone who can reach the port would let a stranger broadcast as this
   * user; without a given token, one is made up, unless openness was asked for. */
  self->token = config->whip_token != NULL ? g_strdup (config->whip_token)
              : config->whip_open ? NULL
              : beacon_random_hex (16);
  beacon_direct_server_set_whip_ingest (server, TRUE, self->token);
  g_signal_connect_object (server, "whip-offer", G_CALLBACK (whip_offer_cb), self, 0);
  g_signal_connect_object (server, "whip-ended", G_CALLBACK (whip_ended_cb), self, 0);
  return self;
}

void
beacon_whip_ingest_set_accepting (BeaconWhipIngest *self,
                                  gboolean          accepting)
{
  g_return_if_fail (BEACON_IS_WHIP_INGEST (self));

  self->accepting = accepting && !self->closed;
}

const char *
beacon_whip_ingest_get_token (BeaconWhipIngest *self)
{
  g_return_val_if_fail (BEACON_IS_WHIP_INGEST (self), NULL);

  return self->token;
}

gboolean
beacon_whip_ingest_is_connected (BeaconWhipIngest *self)
{
  g_return_val_if_fail (BEACON_IS_WHIP_INGEST (self), FALSE);

  return self->ingest_peer != NULL && beacon_peer_is_connected (self->ingest_peer);
}

guint64
beacon_whip_ingest_get_frames (BeaconWhipIngest *self)
{
  g_return_val_if_fail (BEACON_IS_WHIP_INGEST (self), 0);

  return self->broadcast != NULL ? beacon_broadcast_pipeline_get_ingest_frames (self->broadcast)
                                 : 0;
}

void
beacon_whip_ingest_close (BeaconWhipIngest *self)
{
  g_return_if_fail (BEACON_IS_WHIP_INGEST (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  self->accepting = FALSE;
  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  drop_ingest (self);
  /* tests/test-whip.c reads this line from `beacon-cli serve`. */
  g_message ("whip ingest: %" G_GUINT64_FORMAT " frames", beacon_whip_ingest_get_frames (self));
}

static void
beacon_whip_ingest_dispose (GObject *object)
{
  BeaconWhipIngest *self = BEACON_WHIP_INGEST (object);

  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  drop_ingest (self);
  g_clear_object (&self->server);
  g_clear_object (&self->broadcast);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (beacon_whip_ingest_parent_class)->dispose (object);
}

static void
beacon_whip_ingest_finalize (GObject *object)
{
  BeaconWhipIngest *self = BEACON_WHIP_INGEST (object);

  g_clear_pointer (&self->config, beacon_session_config_unref);
  g_free (self->token);

  G_OBJECT_CLASS (beacon_whip_ingest_parent_class)->finalize (object);
}

static void
beacon_whip_ingest_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeaconWhipIngest *self = BEACON_WHIP_INGEST (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, beacon_whip_ingest_is_connected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_whip_ingest_class_init (BeaconWhipIngestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = beacon_whip_ingest_get_property;
  object_class->dispose = beacon_whip_ingest_dispose;
  object_class->finalize = beacon_whip_ingest_finalize;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_whip_ingest_init (BeaconWhipIngest *self)
{
}

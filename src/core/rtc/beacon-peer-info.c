/* beacon-peer-info.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-peer.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <string.h>

#include "beacon-fingerprint.h"
#include "beacon-peer-private.h"
#include "beacon-sdp.h"

/* What the security report shows about a BeaconPeer (beacon_peer_dup_info ()): states,
 * fingerprints, the DTLS role and SRTP profile, the selected candidate pair. It only reads
 * the webrtcbin. Below it, the statistics: the only state kept here is the last answer of
 * get-stats (the peer's health and loss-recovery totals). */

static char *
enum_nick (GType  type,
           int    value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return g_strdup (enum_value ? enum_value->value_nick : "unknown");
}

GstWebRTCDTLSTransport *
beacon_peer_dup_dtls_transport (BeaconPeer *self)
{
  GstWebRTCRTPTransceiver *transceiver = NULL;
  GstWebRTCRTPSender *sender = NULL;
  GstWebRTCDTLSTransport *transport = NULL;

  g_signal_emit_by_name (self->webrtcbin, "get-transceiver", 0, &transceiver);
  if (transceiver == NULL)
    return NULL;
  g_object_get (transceiver, "sender", &sender, NULL);
  if (sender != NULL)
    g_object_get (sender, "transport", &transport, NULL);
  if (transport == NULL)
    {
      GstWebRTCRTPReceiver *receiver = NULL;

      g_object_get (transceiver, "receiver", &receiver, NULL);
      if (receiver != NULL)
        g_object_get (receiver, "transport", &transport, NULL);
      g_clear_object (&receiver);
    }
  g_clear_object (&sender);
  g_clear_object (&transceiver);
  return transport;
}

/* The protection profile the DTLS handshake chose, as the internal dtlsdec reports it
 * (GstDtlsSrtpCipher 1 = AES_128_ICM; GstDtlsSrtpAuth 1 = HMAC_SHA1_32, 2 = HMAC_SHA1_80). */
static char *
dup_srtp_profile (BeaconPeer *self)
{
  g_autoptr(GstElement) decoder = g_weak_ref_get (&self->dtls_decoder);
  guint cipher = 0;
  guint auth = 0;

  if (decoder == NULL || !self->connected)
    return NULL;
  g_object_get (decoder, "srtp-cipher", &cipher, "srtp-auth", &auth, NULL);
  if (cipher == 1 && auth == 2)
    return g_strdup ("AES_CM_128_HMAC_SHA1_80");
  if (cipher == 1 && auth == 1)
    return g_strdup ("AES_CM_128_HMAC_SHA1_32");
  return g_strdup_printf ("unknown (cipher %u, authentication %u)", cipher, auth);
}

static char *
describe_candidate (const GstWebRTCICECandidateStats *stats)
{
  gboolean ipv6 = stats->ipaddr != NULL && strchr (stats->ipaddr, ':') != NULL;

  return g_strdup_printf ("%s %s %s%s%s:%u", stats->type ? stats->type : "?",
                          stats->proto ? stats->proto : "?", ipv6 ? "[" : "",
                          stats->ipaddr ? stats->ipaddr : "?", ipv6 ? "]" : "", stats->port);
}

/* The selected candidate pair, read from the ICE agent rather than from webrtcbin's stats,
 * which swap local and remote candidate types in 1.22. */
static void
add_selected_pair (BeaconPeerInfo         *info,
                   GstWebRTCDTLSTransport *transport,
                   BeaconPeer             *self)
{
  g_autoptr(GstWebRTCICETransport) ice_transport = NULL;
  g_autoptr(GstWebRTCICE) ice = NULL;
  g_autoptr(GObject) stream = NULL;
  GstWebRTCICECandidateStats *local = NULL;
  GstWebRTCICECandidateStats *remote = NULL;

  g_object_get (transport, "transport", &ice_transport, NULL);
  g_object_get (self->webrtcbin, "ice-agent", &ice, NULL);
  if (ice_transport == NULL || ice == NULL ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (ice_transport), "stream") == NULL)
    return;
  g_object_get (ice_transport, "stream", &stream, NULL);
  if (stream == NULL ||
      !gst_webrtc_ice_get_selected_pair (ice, GST_WEBRTC_ICE_STREAM (stream), &local, &remote))
    return;

  if (local != NULL)
    {
      info->local_candidate = describe_candidate (local);
      info->local_candidate_type = g_strdup (local->type);
      if (g_strcmp0 (local->type, "relay") == 0 && local->url != NULL)
        info->relay_server = g_strdup (local->url);
    }
  if (remote != NULL)
    {
      info->remote_candidate = describe_candidate (remote);
      info->remote_candidate_type = g_strdup (remote->type);
    }
  g_clear_pointer (&local, gst_webrtc_ice_candidate_stats_free);
  g_clear_pointer (&remote, gst_webrtc_ice_candidate_stats_free);
}

BeaconPeerInfo *
beacon_peer_dup_info (BeaconPeer *self)
{
  BeaconPeerInfo *info = g_new0 (BeaconPeerInfo, 1);
  GstWebRTCPeerConnectionState state;
  GstWebRTCICEConnectionState ice_state;
  GstWebRTCDTLSTransport *transport;

  g_return_val_if_fail (BEACON_IS_PEER (self), info);

  g_object_get (self->webrtcbin,
                "connection-state", &state,
                "ice-connection-state", &ice_state,
                NULL);
  info->session_id = g_strdup (self->session_id);
  info->connection_state = enum_nick (GST_TYPE_WEBRTC_PEER_CONNECTION_STATE, state);
  info->ice_state = enum_nick (GST_TYPE_WEBRTC_ICE_CONNECTION_STATE, ice_state);
  info->local_fingerprint = beacon_sdp_find_fingerprint (self->local_sdp);
  info->remote_fingerprint = beacon_sdp_find_fingerprint (self->remote_sdp);
  info->verified = self->verified;
  info->expected_identity = g_strdup (self->expected_identity);
  info->bound = self->bound;
  info->srtp_profile = dup_srtp_profile (self);

  transport = beacon_peer_dup_dtls_transport (self);
  if (transport != NULL)
    {
      GstWebRTCDTLSTransportState dtls_state;
      gboolean client;
      g_autofree char *remote_pem = NULL;

      g_object_get (transport,
                    "state", &dtls_state,
                    "client", &client,
                    "remote-certificate", &remote_pem,
                    NULL);
      info->dtls_state = enum_nick (GST_TYPE_WEBRTC_DTLS_TRANSPORT_STATE, dtls_state);
      if (dtls_state != GST_WEBRTC_DTLS_TRANSPORT_STATE_NEW)
        info->dtls_role = g_strdup (client ? "client" : "server");
      if (remote_pem != NULL)
        {
          g_autofree char *fingerprint = beacon_fingerprint_of_pem (remote_pem, "sha-256", NULL);

          if (fingerprint != NULL)
            info->remote_certificate_fingerprint = g_strdup_printf ("sha-256 %s", fingerprint);
        }
      add_selected_pair (info, transport, self);
      g_object_unref (transport);
    }
  else
    {
      info->dtls_state = g_strdup ("new");
    }
  return info;
}

void
beacon_peer_info_free (BeaconPeerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->session_id);
  g_free (info->ice_state);
  g_free (info->connection_state);
  g_free (info->dtls_state);
  g_free (info->dtls_role);
  g_free (info->local_fingerprint);
  g_free (info->remote_fingerprint);
  g_free (info->remote_certificate_fingerprint);
  g_free (info->expected_identity);
  g_free (info->srtp_profile);
  g_free (info->local_candidate);
  g_free (info->remote_candidate);
  g_free (info->local_candidate_type);
  g_free (info->remote_candidate_type);
  g_free (info->relay_server);
  g_free (info);
}

/* How long statistics wait for the senders' clock rates at most (they take about a second). */
#define STATS_HOLD_MAX_US (5 * G_USEC_PER_SEC)

/* An answer of get-stats, on the peer's main context. */
static void
stats_answered_cb (GObject            *owner,
                   const GstStructure *reply)
{
  BeaconPeer *self = BEACON_PEER (owner);

  if (self->closed)
    return;
  self->stats = (BeaconPeerStats) { 0, };
  beacon_peer_stats_add_reply (&self->stats, reply);
  beacon_peer_stats_add_retransmissions (&self->stats, self->webrtcbin);
  beacon_peer_health_add_reply (self->health, reply);
  beacon_peer_emit_stats_updated (self);
}

void
beacon_peer_request_stats (BeaconPeer *self)
{
  g_return_if_fail (BEACON_IS_PEER (self));

  if (self->closed)
    return;
  /* One at a time: a webrtcbin busy for longer than a second gets no queue of them. */
  if (self->stats_request != NULL && !beacon_peer_stats_request_is_done (self->stats_request))
    return;
  /* Held back until the first sender reports went out (beacon-peer-stats.h says why), but not
   * forever: a stream whose clock rate webrtcbin cannot tell must not cost the peer its
   * statistics. */
  if (!beacon_peer_stats_senders_ready (self->webrtcbin))
    {
      gint64 now = g_get_monotonic_time ();

      if (self->stats_held_since == 0)
        self->stats_held_since = now;
      if (now - self->stats_held_since < STATS_HOLD_MAX_US)
        return;
    }
  else
    {
      self->stats_held_since = 0;
    }
  g_clear_pointer (&self->stats_request, beacon_peer_stats_request_unref);
  self->stats_request = beacon_peer_stats_request (self->webrtcbin, G_OBJECT (self),
                                                   stats_answered_cb);
}

void
beacon_peer_finish_stats (BeaconPeer *self)
{
  if (self->stats_request == NULL)
    return;
  /* Bounded: a webrtcbin thread that never answers must not hold the caller forever; its
   * tasks take milliseconds. */
  if (!beacon_peer_stats_request_wait (self->stats_request, G_USEC_PER_SEC))
    g_warning ("get-stats still running after 1 s; stopping the connection anyway");
  g_clear_pointer (&self->stats_request, beacon_peer_stats_request_unref);
}

BeaconPeerHealth *
beacon_peer_get_health (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), NULL);
  return self->health;
}

const BeaconPeerStats *
beacon_peer_get_stats (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), NULL);
  return &self->stats;
}

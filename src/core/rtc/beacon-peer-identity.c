/* beacon-peer-identity.c
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

/* The fail-closed identity checks of a BeaconPeer: the certificate the remote side presents
 * in the DTLS handshake against the fingerprints its SDP announced, and against the identity
 * a link names. Negotiation and media stay in beacon-peer.c. */

GError *
beacon_peer_not_expected_identity_error (BeaconPeer *self,
                                         const char *fingerprint)
{
  return g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_NOT_EXPECTED_IDENTITY,
                      "the media comes from sha256:%s, not from the broadcaster the link "
                      "names (sha256:%s): someone else is broadcasting under its name on that "
                      "server, or intercepting it",
                      fingerprint ? fingerprint : "(unknown)", self->expected_identity);
}

/* The DTLS certificate matched the SDP; with an expected identity it must also be that one. */
static gboolean
verify_expected_identity (BeaconPeer *self,
                          const char *remote_pem)
{
  g_autofree char *presented = NULL;

  if (self->expected_identity == NULL)
    return TRUE;
  presented = beacon_fingerprint_of_pem (remote_pem, "sha-256", NULL);
  if (presented != NULL && beacon_fingerprint_equal (presented, self->expected_identity))
    {
      self->bound = TRUE;
      return TRUE;
    }
  beacon_peer_reject (self, beacon_peer_not_expected_identity_error (self, presented));
  return FALSE;
}

/* Compares the certificate the remote side presented in the DTLS handshake with the
 * fingerprints its SDP announced; only a match lets media through (fail closed). */
gboolean
beacon_peer_verify_remote_identity (BeaconPeer *self)
{
  g_autoptr(GstWebRTCDTLSTransport) transport = beacon_peer_dup_dtls_transport (self);
  g_autofree char *remote_pem = NULL;

  if (transport != NULL)
    g_object_get (transport, "remote-certificate", &remote_pem, NULL);
  if (remote_pem == NULL)
    {
      beacon_peer_reject (self, g_error_new (BEACON_PEER_ERROR,
                                             BEACON_PEER_ERROR_IDENTITY_MISMATCH,
                                             "the peer presented no encryption certificate"));
      return FALSE;
    }

  for (guint i = 0; i < self->announced_fingerprints->len; i++)
    {
      const char *announced = g_ptr_array_index (self->announced_fingerprints, i);
      const char *space = strchr (announced, ' ');
      g_autofree char *algorithm = g_strndup (announced, space - announced);
      g_autofree char *presented = beacon_fingerprint_of_pem (remote_pem, algorithm, NULL);

      if (presented != NULL && beacon_fingerprint_equal (presented, space + 1))
        {
          g_free (self->presented_fingerprint);
          self->presented_fingerprint = g_strdup_printf ("%s %s", algorithm, presented);
          return verify_expected_identity (self, remote_pem);
        }
    }

  {
    g_autofree char *presented = beacon_fingerprint_of_pem (remote_pem, "sha-256", NULL);

    g_free (self->presented_fingerprint);
    self->presented_fingerprint = presented ? g_strdup_printf ("sha-256 %s", presented) : NULL;
  }
  beacon_peer_reject (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_IDENTITY_MISMATCH,
                                         "the peer's encryption certificate does not match the "
                                         "one announced during signaling — someone may be "
                                         "intercepting this connection"));
  return FALSE;
}

gboolean
beacon_peer_check_identity (BeaconPeer *self)
{
  g_autoptr(GstWebRTCDTLSTransport) transport = NULL;
  g_autofree char *remote_pem = NULL;

  g_return_val_if_fail (BEACON_IS_PEER (self), FALSE);

  if (self->failed)
    return FALSE;
  if (self->verified || self->closed || self->announced_fingerprints->len == 0)
    return TRUE;
  transport = beacon_peer_dup_dtls_transport (self);
  if (transport != NULL)
    g_object_get (transport, "remote-certificate", &remote_pem, NULL);
  if (remote_pem == NULL)
    return TRUE;
  return beacon_peer_verify_remote_identity (self);
}

void
beacon_peer_set_expected_identity (BeaconPeer *self,
                                   const char *fingerprint)
{
  g_return_if_fail (BEACON_IS_PEER (self));
  g_return_if_fail (!self->connected);

  g_free (self->expected_identity);
  self->expected_identity = g_strdup (fingerprint);
}

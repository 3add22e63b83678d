/* beacon-connection-report.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-connection-report.h"

#include <json-glib/json-glib.h>

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_ice (JsonBuilder          *builder,
         const BeaconPeerInfo *peer)
{
  json_builder_set_member_name (builder, "ice");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "state", peer->ice_state);
  json_builder_end_object (builder);
}

static void
add_dtls (JsonBuilder          *builder,
          const BeaconPeerInfo *peer)
{
  json_builder_set_member_name (builder, "dtls");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "state", peer->dtls_state);
  add_string_or_null (builder, "role", peer->dtls_role);
  add_string_or_null (builder, "local_fingerprint", peer->local_fingerprint);
  add_string_or_null (builder, "remote_fingerprint", peer->remote_fingerprint);
  add_string_or_null (builder, "remote_certificate_sha256", peer->remote_certificate_fingerprint);
  json_builder_end_object (builder);
}

static void
add_signaling (JsonBuilder             *builder,
               const BeaconChannelInfo *channel)
{
  json_builder_set_member_name (builder, "signaling");
  if (channel == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  add_string_or_null (builder, "url", channel->url);
  add_string_or_null (builder, "scheme", channel->scheme);
  json_builder_set_member_name (builder, "tls");
  if (channel->tls_version != NULL || channel->tls_cipher != NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "version", channel->tls_version);
      add_string_or_null (builder, "cipher", channel->tls_cipher);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "certificate");
  if (channel->peer_fingerprint != NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "subject", channel->peer_subject);
      add_string_or_null (builder, "issuer", channel->peer_issuer);
      add_string_or_null (builder, "sha256", channel->peer_fingerprint);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  add_string_or_null (builder, "trust", beacon_signaling_trust_to_string (channel->trust));
  json_builder_end_object (builder);
}

char *
beacon_connection_report_to_json (const BeaconConnectionReportInput *input)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "role", input->role);
  add_string_or_null (builder, "state", input->state);
  add_string_or_null (builder, "error", input->error);
  add_string_or_null (builder, "local_identity_sha256", input->local_fingerprint);
  if (input->share_url != NULL)
    add_string_or_null (builder, "share_url", input->share_url);
  add_signaling (builder, input->channel);

  if (g_str_equal (input->role, "watch"))
    {
      const BeaconPeerInfo *peer = input->peers->len > 0 ? g_ptr_array_index (input->peers, 0)
                                                         : NULL;

      if (peer != NULL)
        {
          add_ice (builder, peer);
          add_dtls (builder, peer);
        }
      json_builder_set_member_name (builder, "frames_decoded");
      json_builder_add_int_value (builder, (gint64) input->frames_decoded);
      json_builder_set_member_name (builder, "first_frame_ms");
      if (input->first_frame_ms >= 0)
        json_builder_add_int_value (builder, input->first_frame_ms);
      else
        json_builder_add_null_value (builder);
    }

  json_builder_set_member_name (builder, "peers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < input->peers->len; i++)
    {
      const BeaconPeerInfo *peer = g_ptr_array_index (input->peers, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "session_id", peer->session_id);
      add_string_or_null (builder, "connection_state", peer->connection_state);
      add_ice (builder, peer);
      add_dtls (builder, peer);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

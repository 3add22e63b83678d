/* beacon-security-report.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-security-report.h"

#include <json-glib/json-glib.h>

#include "beacon-enums.h"
#include "beacon-peer.h"
#include "beacon-sas.h"
#include "beacon-signaler.h"

/* The string properties, in the order of the panel. Each is a field of the report. */
static const char * const string_properties[] = {
  "signaling-url", "signaling-scheme", "signaling-tls-version", "signaling-cipher",
  "signaling-subject", "signaling-issuer", "signaling-not-before", "signaling-not-after",
  "signaling-fingerprint", "signaling-trust",
  "dtls-state", "dtls-role", "local-fingerprint", "announced-fingerprint",
  "presented-fingerprint", "srtp-profile", "dtls-version", "dtls-cipher",
  "ice-state", "local-candidate", "remote-candidate", "relay-server", "relay-transport",
  "sas", "pin-status", "link-identity", "session-id", "role",
};

#define N_STRINGS G_N_ELEMENTS (string_properties)

enum {
  PROP_0,
  PROP_VERDICT,
  PROP_REASONS,
  PROP_VERIFIED,
  PROP_BOUND_TO_LINK,
  PROP_WORDS_COMPARED,
  PROP_FIRST_STRING,
  N_PROPS = PROP_FIRST_STRING + N_STRINGS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _BeaconSecurityReport
{
  GObject                parent_instance;

  char                  *strings[N_STRINGS];
  BeaconSecurityVerdict  verdict;
  GStrv                  reasons;
  gboolean               verified;
  gboolean               bound_to_link;
  gboolean               words_compared;
  /* Every viewer of a broadcast, as JSON objects. */
  JsonArray             *peers;
  /* And as reports of their own: see beacon_security_report_get_peer_reports (). */
  GListStore            *peer_reports;
  gboolean               describes_one_peer;  /* one of those: its list stays empty */
  char                  *last_json;
};

G_DEFINE_QUARK (beacon-security-error, beacon_security_error)

G_DEFINE_FINAL_TYPE (BeaconSecurityReport, beacon_security_report, G_TYPE_OBJECT)

static void set_string (BeaconSecurityReport *self,
                        const char           *property,
                        const char           *value);

static int
string_index (const char *property)
{
  for (guint i = 0; i < N_STRINGS; i++)
    if (g_strcmp0 (string_properties[i], property) == 0)
      return (int) i;
  return -1;
}

gboolean
beacon_security_report_get_bound_to_link (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), FALSE);

  return self->bound_to_link;
}

gboolean
beacon_security_report_get_words_compared (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), FALSE);

  return self->words_compared;
}

gboolean
beacon_security_report_describes_one_peer (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), FALSE);

  return self->describes_one_peer;
}

GListModel *
beacon_security_report_get_peer_reports (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), NULL);

  return G_LIST_MODEL (self->peer_reports);
}

void
beacon_security_report_set_role (BeaconSecurityReport *self,
                                 const char           *role)
{
  g_return_if_fail (BEACON_IS_SECURITY_REPORT (self));

  set_string (self, "role", role);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->peer_reports)); i++)
    {
      g_autoptr(BeaconSecurityReport) peer_report =
        g_list_model_get_item (G_LIST_MODEL (self->peer_reports), i);

      beacon_security_report_set_role (peer_report, role);
    }
}

const char *
beacon_security_report_get_string (BeaconSecurityReport *self,
                                   const char           *property)
{
  int index;

  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), NULL);
  index = string_index (property);
  g_return_val_if_fail (index >= 0, NULL);
  return self->strings[index];
}

static void
set_string (BeaconSecurityReport *self,
            const char           *property,
            const char           *value)
{
  int index = string_index (property);

  g_assert (index >= 0);
  if (g_strcmp0 (self->strings[index], value) == 0)
    return;
  g_free (self->strings[index]);
  self->strings[index] = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_STRING + index]);
}

BeaconSecurityVerdict
beacon_security_report_get_verdict (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), BEACON_SECURITY_VERDICT_UNKNOWN);
  return self->verdict;
}

const char * const *
beacon_security_report_get_reasons (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), NULL);
  return (const char * const *) self->reasons;
}

gboolean
beacon_security_report_get_verified (BeaconSecurityReport *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), FALSE);
  return self->verified;
}

const char *
beacon_security_report_get_sas (BeaconSecurityReport *self)
{
  return beacon_security_report_get_string (self, "sas");
}

const char *
beacon_security_report_get_pin_status (BeaconSecurityReport *self)
{
  return beacon_security_report_get_string (self, "pin-status");
}

const char *
beacon_security_verdict_to_string (BeaconSecurityVerdict verdict)
{
  switch (verdict)
    {
    case BEACON_SECURITY_VERDICT_SECURE:
      return "secure";
    case BEACON_SECURITY_VERDICT_WARNING:
      return "warning";
    case BEACON_SECURITY_VERDICT_INSECURE:
      return "insecure";
    case BEACON_SECURITY_VERDICT_UNKNOWN:
    default:
      return "unknown";
    }
}

/* How the relay is reached: libnice 0.1.21 does not wrap turns: in TLS, so a relay is never
 * reported as TLS-protected — the media inside stays DTLS-SRTP encrypted either way. */
static const char *
describe_relay_transport (const char *relay_server)
{
  if (relay_server == NULL)
    return NULL;
  if (g_str_has_prefix (relay_server, "turns:"))
    return "tcp without TLS (libnice does not encrypt turns: connections); media stays "
           "DTLS-SRTP encrypted";
  if (strstr (relay_server, "transport=tcp") != NULL)
    return "tcp, unencrypted; media stays DTLS-SRTP encrypted";
  return "udp, unencrypted; media stays DTLS-SRTP encrypted";
}

static JsonNode *
peer_to_json (const BeaconPeerInfo *peer,
              const char           *local_fingerprint,
              const char           *sas)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

#define ADD_STRING(name, value) \
  G_STMT_START { \
    json_builder_set_member_name (builder, name); \
    if ((value) != NULL) json_builder_add_string_value (builder, value); \
    else json_builder_add_null_value (builder); \
  } G_STMT_END

  json_builder_begin_object (builder);
  ADD_STRING ("session_id", peer->session_id);
  ADD_STRING ("connection_state", peer->connection_state);

  json_builder_set_member_name (builder, "dtls");
  json_builder_begin_object (builder);
  ADD_STRING ("state", peer->dtls_state);
  ADD_STRING ("role", peer->dtls_role);
  ADD_STRING ("local_fingerprint", local_fingerprint ? local_fingerprint : peer->local_fingerprint);
  ADD_STRING ("announced_fingerprint", peer->remote_fingerprint);
  ADD_STRING ("presented_fingerprint", peer->remote_certificate_fingerprint);
  json_builder_set_member_name (builder, "verified");
  json_builder_add_boolean_value (builder, peer->verified);
  ADD_STRING ("link_identity", peer->expected_identity);
  json_builder_set_member_name (builder, "bound_to_link");
  json_builder_add_boolean_value (builder, peer->bound);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "srtp");
  json_builder_begin_object (builder);
  ADD_STRING ("profile", peer->srtp_profile);
  ADD_STRING ("dtls_version", "not exposed");
  ADD_STRING ("dtls_cipher", "not exposed");
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "ice");
  json_builder_begin_object (builder);
  ADD_STRING ("state", peer->ice_state);
  ADD_STRING ("local_candidate", peer->local_candidate);
  ADD_STRING ("local_type", peer->local_candidate_type);
  ADD_STRING ("remote_candidate", peer->remote_candidate);
  ADD_STRING ("remote_type", peer->remote_candidate_type);
  ADD_STRING ("relay_server", peer->relay_server);
  ADD_STRING ("relay_transport", describe_relay_transport (peer->relay_server));
  json_builder_end_object (builder);

  ADD_STRING ("sas", sas);
  json_builder_set_member_name (builder, "words_compared");
  json_builder_add_boolean_value (builder, peer->verified && peer->words_compared);
  json_builder_end_object (builder);
#undef ADD_STRING
  return json_builder_get_root (builder);
}

/* One report per peer, kept while its peer is, so that a page showing it follows along. */
static void
update_peer_reports (BeaconSecurityReport    *self,
                     const BeaconChannelInfo *channel,
                     GPtrArray               *peers,
                     const char              *local_fingerprint)
{
  GListModel *model = G_LIST_MODEL (self->peer_reports);
  guint i = 0;

  /* Reports of departed peers go; the order of the others stays. */
  while (i < g_list_model_get_n_items (model))
    {
      g_autoptr(BeaconSecurityReport) peer_report = g_list_model_get_item (model, i);
      const char *session_id = beacon_security_report_get_string (peer_report, "session-id");
      gboolean present = FALSE;

      for (guint j = 0; peers != NULL && j < peers->len && !present; j++)
        present = g_strcmp0 (((BeaconPeerInfo *) g_ptr_array_index (peers, j))->session_id,
                             session_id) == 0;
      if (present)
        i++;
      else
        g_list_store_remove (self->peer_reports, i);
    }

  for (guint j = 0; peers != NULL && j < peers->len; j++)
    {
      BeaconPeerInfo *peer = g_ptr_array_index (peers, j);
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_autoptr(BeaconSecurityReport) peer_report = NULL;

      for (i = 0; i < g_list_model_get_n_items (model) && peer_report == NULL; i++)
        {
          g_autoptr(BeaconSecurityReport) candidate = g_list_model_get_item (model, i);

          if (g_strcmp0 (beacon_security_report_get_string (candidate, "session-id"),
                         peer->session_id) == 0)
            peer_report = g_steal_pointer (&candidate);
        }
      if (peer_report == NULL)
        {
          peer_report = beacon_security_report_new ();
          peer_report->describes_one_peer = TRUE;
          set_string (peer_report, "role", beacon_security_report_get_string (self, "role"));
          g_list_store_append (self->peer_reports, peer_report);
        }
      g_ptr_array_add (one, peer);
      /* A viewer is not pinned and blocks nothing of the others: those belong to the whole. */
      beacon_security_report_update (peer_report, channel, one, local_fingerprint, NULL, NULL);
    }
}

void
beacon_security_report_update (BeaconSecurityReport *self,
                               gconstpointer         channel_pointer,
                               GPtrArray            *peers,
                               const char           *local_fingerprint,
                               const char           *pin_status,
                               const char           *blocked_reason)
{
  const BeaconChannelInfo *channel = channel_pointer;
  const BeaconPeerInfo *primary = NULL;
  g_autofree char *local = NULL;
  g_autofree char *sas = NULL;
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  BeaconSecurityVerdict verdict = BEACON_SECURITY_VERDICT_UNKNOWN;
  gboolean verified;
  gboolean bound_to_link;
  gboolean words_compared;

  g_return_if_fail (BEACON_IS_SECURITY_REPORT (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (local_fingerprint != NULL)
    local = g_strdup_printf ("sha-256 %s", local_fingerprint);

  /* The most recently connected peer is the one the properties describe. */
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      const BeaconPeerInfo *peer = g_ptr_array_index (peers, i);

      if (primary == NULL || peer->verified || !primary->verified)
        primary = peer;
    }

  set_string (self, "signaling-url", channel ? channel->url : NULL);
  set_string (self, "signaling-scheme", channel ? channel->scheme : NULL);
  set_string (self, "signaling-tls-version", channel ? channel->tls_version : NULL);
  set_string (self, "signaling-cipher", channel ? channel->tls_cipher : NULL);
  set_string (self, "signaling-subject", channel ? channel->peer_subject : NULL);
  set_string (self, "signaling-issuer", channel ? channel->peer_issuer : NULL);
  set_string (self, "signaling-not-before", channel ? channel->peer_not_before : NULL);
  set_string (self, "signaling-not-after", channel ? channel->peer_not_after : NULL);
  set_string (self, "signaling-fingerprint", channel ? channel->peer_fingerprint : NULL);
  set_string (self, "signaling-trust",
              channel && channel->trust != BEACON_SIGNALING_TRUST_NONE
                ? beacon_signaling_trust_to_string (channel->trust) : NULL);

  set_string (self, "dtls-state", primary ? primary->dtls_state : NULL);
  set_string (self, "dtls-role", primary ? primary->dtls_role : NULL);
  set_string (self, "local-fingerprint", local ? local : (primary ? primary->local_fingerprint : NULL));
  set_string (self, "announced-fingerprint", primary ? primary->remote_fingerprint : NULL);
  set_string (self, "presented-fingerprint",
              primary ? primary->remote_certificate_fingerprint : NULL);
  set_string (self, "srtp-profile", primary ? primary->srtp_profile : NULL);
  set_string (self, "dtls-version", primary ? "not exposed" : NULL);
  set_string (self, "dtls-cipher", primary ? "not exposed" : NULL);
  set_string (self, "ice-state", primary ? primary->ice_state : NULL);
  set_string (self, "local-candidate", primary ? primary->local_candidate : NULL);
  set_string (self, "remote-candidate", primary ? primary->remote_candidate : NULL);
  set_string (self, "relay-server", primary ? primary->relay_server : NULL);
  set_string (self, "relay-transport",
              primary ? describe_relay_transport (primary->relay_server) : NULL);

  verified = primary != NULL && primary->verified;
  if (verified)
    sas = beacon_sas_derive (local ? local : primary->local_fingerprint,
                             primary->remote_certificate_fingerprint);
  set_string (self, "sas", sas);
  set_string (self, "pin-status", pin_status);
  set_string (self, "link-identity", primary ? primary->expected_identity : NULL);
  set_string (self, "session-id", primary ? primary->session_id : NULL);

  if (verified != self->verified)
    {
      self->verified = verified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFIED]);
    }
  bound_to_link = verified && primary->bound;
  if (bound_to_link != self->bound_to_link)
    {
      self->bound_to_link = bound_to_link;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUND_TO_LINK]);
    }
  words_compared = verified && primary->words_compared;
  if (words_compared != self->words_compared)
    {
      self->words_compared = words_compared;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORDS_COMPARED]);
    }

  /* The verdict: blocked beats warning beats secure. */
  if (blocked_reason != NULL)
    {
      verdict = BEACON_SECURITY_VERDICT_INSECURE;
      g_ptr_array_add (reasons, g_strdup (blocked_reason));
    }
  else if (verified)
    {
      verdict = BEACON_SECURITY_VERDICT_SECURE;
      g_ptr_array_add (reasons, g_strdup ("The media is encrypted (DTLS-SRTP) to the certificate "
                                          "the other side announced, and that was verified."));
      if (bound_to_link)
        g_ptr_array_add (reasons, g_strdup ("The media comes from the identity the link names: "
                                            "the person who gave you the link, not just anyone "
                                            "on that server."));
      if (words_compared)
        g_ptr_array_add (reasons, g_strdup ("The four words were compared with the other side "
                                            "and matched: no one is in the middle."));
      else
        g_ptr_array_add (reasons, g_strdup ("The four words have not been compared yet: read "
                                            "them to the other side (in person or on a call); "
                                            "if theirs are the same, no one is in the middle."));
      /* Matching words prove what the signaling's TLS would have: no one swapped the keys. */
      if (channel != NULL && channel->trust == BEACON_SIGNALING_TRUST_INSECURE && !words_compared)
        {
          verdict = BEACON_SECURITY_VERDICT_WARNING;
          g_ptr_array_add (reasons, g_strdup ("Signaling is not encrypted: someone on the network "
                                              "could have swapped the certificates. Compare the "
                                              "four words with the other side."));
        }
      else if (channel != NULL && channel->trust == BEACON_SIGNALING_TRUST_PINNED)
        g_ptr_array_add (reasons, g_strdup ("The signaling server's certificate matches the pinned "
                                            "fingerprint."));
      else if (channel != NULL && channel->trust == BEACON_SIGNALING_TRUST_CA)
        g_ptr_array_add (reasons, g_strdup ("The signaling server's certificate is signed by a "
                                            "trusted authority."));
      if (g_strcmp0 (pin_status, "changed") == 0)
        {
          verdict = BEACON_SECURITY_VERDICT_WARNING;
          g_ptr_array_add (reasons, g_strdup ("The other side's identity changed since the first "
                                              "connection. Make sure this is expected."));
        }
    }
  else if (primary != NULL)
    {
      g_ptr_array_add (reasons, g_strdup ("The connection is not verified yet."));
    }
  g_ptr_array_add (reasons, NULL);

  if (verdict != self->verdict)
    {
      self->verdict = verdict;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
    }
  if (!g_strv_equal ((const char * const *) self->reasons, (const char * const *) reasons->pdata))
    {
      g_strfreev (self->reasons);
      self->reasons = (GStrv) g_ptr_array_steal (reasons, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONS]);
    }

  g_clear_pointer (&self->peers, json_array_unref);
  self->peers = json_array_new ();
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      const BeaconPeerInfo *peer = g_ptr_array_index (peers, i);
      g_autofree char *peer_sas = NULL;

      if (peer->verified)
        peer_sas = beacon_sas_derive (local ? local : peer->local_fingerprint,
                                      peer->remote_certificate_fingerprint);
      json_array_add_element (self->peers, peer_to_json (peer, local, peer_sas));
    }
  if (!self->describes_one_peer)
    update_peer_reports (self, channel, peers, local_fingerprint);

  g_object_thaw_notify (G_OBJECT (self));

  /* Updates arrive every second while connected; "changed" only when something did. */
  {
    g_autofree char *json = beacon_security_report_to_json (self);

    if (g_strcmp0 (json, self->last_json) != 0)
      {
        g_free (self->last_json);
        self->last_json = g_steal_pointer (&json);
        g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      }
  }
}

gpointer
beacon_security_report_to_json_node (BeaconSecurityReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (BEACON_IS_SECURITY_REPORT (self), NULL);

#define S(name) beacon_security_report_get_string (self, name)
#define ADD_STRING(name, value) \
  G_STMT_START { \
    const char *v_ = (value); \
    json_builder_set_member_name (builder, name); \
    if (v_ != NULL) json_builder_add_string_value (builder, v_); \
    else json_builder_add_null_value (builder); \
  } G_STMT_END

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "signaling");
  json_builder_begin_object (builder);
  ADD_STRING ("url", S ("signaling-url"));
  ADD_STRING ("scheme", S ("signaling-scheme"));
  ADD_STRING ("trust", S ("signaling-trust"));
  json_builder_set_member_name (builder, "tls");
  if (S ("signaling-tls-version") != NULL || S ("signaling-cipher") != NULL)
    {
      json_builder_begin_object (builder);
      ADD_STRING ("version", S ("signaling-tls-version"));
      ADD_STRING ("cipher", S ("signaling-cipher"));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "certificate");
  if (S ("signaling-fingerprint") != NULL)
    {
      json_builder_begin_object (builder);
      ADD_STRING ("subject", S ("signaling-subject"));
      ADD_STRING ("issuer", S ("signaling-issuer"));
      ADD_STRING ("not_before", S ("signaling-not-before"));
      ADD_STRING ("not_after", S ("signaling-not-after"));
      ADD_STRING ("sha256", S ("signaling-fingerprint"));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "dtls");
  json_builder_begin_object (builder);
  ADD_STRING ("state", S ("dtls-state"));
  ADD_STRING ("role", S ("dtls-role"));
  ADD_STRING ("local_fingerprint", S ("local-fingerprint"));
  ADD_STRING ("announced_fingerprint", S ("announced-fingerprint"));
  ADD_STRING ("presented_fingerprint", S ("presented-fingerprint"));
  json_builder_set_member_name (builder, "verified");
  json_builder_add_boolean_value (builder, self->verified);
  ADD_STRING ("link_identity", S ("link-identity"));
  json_builder_set_member_name (builder, "bound_to_link");
  json_builder_add_boolean_value (builder, self->bound_to_link);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "srtp");
  json_builder_begin_object (builder);
  ADD_STRING ("profile", S ("srtp-profile"));
  ADD_STRING ("dtls_version", S ("dtls-version"));
  ADD_STRING ("dtls_cipher", S ("dtls-cipher"));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "ice");
  json_builder_begin_object (builder);
  ADD_STRING ("state", S ("ice-state"));
  ADD_STRING ("local_candidate", S ("local-candidate"));
  ADD_STRING ("remote_candidate", S ("remote-candidate"));
  ADD_STRING ("relay_server", S ("relay-server"));
  ADD_STRING ("relay_transport", S ("relay-transport"));
  json_builder_end_object (builder);

  ADD_STRING ("sas", S ("sas"));
  json_builder_set_member_name (builder, "words_compared");
  json_builder_add_boolean_value (builder, self->words_compared);
  ADD_STRING ("pin", S ("pin-status"));
  ADD_STRING ("verdict", beacon_security_verdict_to_string (self->verdict));
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; self->reasons != NULL && self->reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, self->reasons[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "peers");
  if (self->peers != NULL)
    json_builder_add_value (builder, json_node_init_array (json_node_alloc (), self->peers));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
#undef ADD_STRING
#undef S
  return json_builder_get_root (builder);
}

char *
beacon_security_report_to_json (BeaconSecurityReport *self)
{
  g_autoptr(JsonNode) root = beacon_security_report_to_json_node (self);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static void
beacon_security_report_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BeaconSecurityReport *self = BEACON_SECURITY_REPORT (object);

  if (prop_id >= PROP_FIRST_STRING && prop_id < N_PROPS)
    {
      g_value_set_string (value, self->strings[prop_id - PROP_FIRST_STRING]);
      return;
    }
  switch (prop_id)
    {
    case PROP_VERDICT:
      g_value_set_enum (value, self->verdict);
      break;
    case PROP_REASONS:
      g_value_set_boxed (value, self->reasons);
      break;
    case PROP_VERIFIED:
      g_value_set_boolean (value, self->verified);
      break;
    case PROP_BOUND_TO_LINK:
      g_value_set_boolean (value, self->bound_to_link);
      break;
    case PROP_WORDS_COMPARED:
      g_value_set_boolean (value, self->words_compared);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_security_report_finalize (GObject *object)
{
  BeaconSecurityReport *self = BEACON_SECURITY_REPORT (object);

  for (guint i = 0; i < N_STRINGS; i++)
    g_free (self->strings[i]);
  g_strfreev (self->reasons);
  g_clear_pointer (&self->peers, json_array_unref);
  g_clear_object (&self->peer_reports);
  g_free (self->last_json);

  G_OBJECT_CLASS (beacon_security_report_parent_class)->finalize (object);
}

static void
beacon_security_report_class_init (BeaconSecurityReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = beacon_security_report_get_property;
  object_class->finalize = beacon_security_report_finalize;

  properties[PROP_VERDICT] =
    g_param_spec_enum ("verdict", NULL, NULL, BEACON_TYPE_SECURITY_VERDICT,
                       BEACON_SECURITY_VERDICT_UNKNOWN, flags);
  properties[PROP_REASONS] =
    g_param_spec_boxed ("reasons", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_VERIFIED] =
    g_param_spec_boolean ("verified", NULL, NULL, FALSE, flags);
  /* The verified DTLS identity is the one the link names (a direct link's pin). */
  properties[PROP_BOUND_TO_LINK] =
    g_param_spec_boolean ("bound-to-link", NULL, NULL, FALSE, flags);
  /* Verified, and the user compared the four words with the other side: they matched. */
  properties[PROP_WORDS_COMPARED] =
    g_param_spec_boolean ("words-compared", NULL, NULL, FALSE, flags);
  for (guint i = 0; i < N_STRINGS; i++)
    properties[PROP_FIRST_STRING + i] =
      g_param_spec_string (string_properties[i], NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
beacon_security_report_init (BeaconSecurityReport *self)
{
  self->reasons = g_new0 (char *, 1);
  self->peer_reports = g_list_store_new (BEACON_TYPE_SECURITY_REPORT);
}

BeaconSecurityReport *
beacon_security_report_new (void)
{
  return g_object_new (BEACON_TYPE_SECURITY_REPORT, NULL);
}

/* beacon-security-panel.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-security-panel.h"

#include <glib/gi18n.h>

#include "beacon-gui-util.h"
#include "beacon-security-row.h"

struct _BeaconSecurityPanel
{
  AdwWindow             parent_instance;

  BeaconSecurityReport *report;
  /* Once the user asked for the details of a blocked connection, they stay. */
  gboolean              details_requested;

  GtkStack             *stack;
  AdwStatusPage        *blocked_page;
  GtkImage             *verdict_icon;
  GtkLabel             *verdict_title;
  GtkLabel             *verdict_reasons;
  AdwPreferencesGroup  *sas_group;
  GtkLabel             *sas_label;
  BeaconSecurityRow    *signaling_connection_row;
  BeaconSecurityRow    *signaling_identity_row;
  BeaconSecurityRow    *media_encryption_row;
  BeaconSecurityRow    *media_keys_row;
  BeaconSecurityRow    *network_path_row;
  BeaconSecurityRow    *identity_row;
};

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BeaconSecurityPanel, beacon_security_panel, ADW_TYPE_WINDOW)

static const char *
report_string (BeaconSecurityPanel *self,
               const char          *property)
{
  const char *value = beacon_security_report_get_string (self->report, property);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Copies every raw value a row lists from the report. */
static void
update_values (BeaconSecurityPanel *self,
               BeaconSecurityRow   *row,
               const char * const  *keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    beacon_security_row_set_value (row, keys[i], report_string (self, keys[i]));
}

static void
update_signaling (BeaconSecurityPanel *self)
{
  static const char * const connection_keys[] = {
    "signaling-url", "signaling-scheme", "signaling-tls-version", "signaling-cipher", NULL
  };
  static const char * const identity_keys[] = {
    "signaling-trust", "signaling-fingerprint", "signaling-subject", "signaling-issuer",
    "signaling-not-before", "signaling-not-after", NULL
  };
  const char *scheme = report_string (self, "signaling-scheme");
  const char *tls_version = report_string (self, "signaling-tls-version");
  const char *trust = report_string (self, "signaling-trust");

  update_values (self, self->signaling_connection_row, connection_keys);
  update_values (self, self->signaling_identity_row, identity_keys);

  if (scheme == NULL)
    beacon_security_row_set_status (self->signaling_connection_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Not connected yet"));
  else if (g_str_equal (scheme, "wss") || g_str_equal (scheme, "https"))
    {
      /* Translators: %s is a protocol version such as "TLS 1.3". */
      g_autofree char *text = g_strdup_printf (_("Encrypted with %s"),
                                               tls_version ? tls_version : "TLS");

      beacon_security_row_set_status (self->signaling_connection_row, BEACON_SECURITY_ROW_GOOD,
                                      text);
    }
  else
    beacon_security_row_set_status (self->signaling_connection_row, BEACON_SECURITY_ROW_BAD,
                                    _("Not encrypted: others on the network can read and change "
                                      "it"));

  if (trust == NULL)
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Not checked yet"));
  else if (g_str_equal (trust, "pinned"))
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Its certificate matches the fingerprint in the link"));
  else if (g_str_equal (trust, "ca"))
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Its certificate is vouched for by a certificate "
                                      "authority"));
  else
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_BAD,
                                    _("Not verified: any server could have answered"));
}

/* TRUE when @fingerprint ("sha-256 AB:…", nullable: not known yet) is not known to differ
 * from @identity ("AB:…"). */
static gboolean
is_identity (const char *fingerprint,
             const char *identity)
{
  const char *value;

  if (fingerprint == NULL)
    return TRUE;
  value = strchr (fingerprint, ' ') ? strchr (fingerprint, ' ') + 1 : fingerprint;
  return g_ascii_strcasecmp (value, identity) == 0;
}

static void
update_media (BeaconSecurityPanel *self)
{
  static const char * const encryption_keys[] = {
    "dtls-state", "dtls-role", "srtp-profile", "dtls-version", "dtls-cipher", NULL
  };
  static const char * const key_keys[] = {
    "announced-fingerprint", "presented-fingerprint", "link-identity", "local-fingerprint", NULL
  };
  const char *link_identity = report_string (self, "link-identity");
  const char *dtls_state = report_string (self, "dtls-state");
  const char *srtp_profile = report_string (self, "srtp-profile");
  const char *announced = report_string (self, "announced-fingerprint");
  const char *presented = report_string (self, "presented-fingerprint");

  update_values (self, self->media_encryption_row, encryption_keys);
  update_values (self, self->media_keys_row, key_keys);

  if (dtls_state == NULL || g_str_equal (dtls_state, "new"))
    beacon_security_row_set_status (self->media_encryption_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("No media connection yet"));
  else if (g_str_equal (dtls_state, "connected"))
    {
      g_autofree char *text = NULL;

      if (srtp_profile != NULL)
        /* Translators: %s is an SRTP profile such as "AES_CM_128_HMAC_SHA1_80". */
        text = g_strdup_printf (_("Encrypted end to end with DTLS-SRTP (%s)"), srtp_profile);
      else
        text = g_strdup (_("Encrypted end to end with DTLS-SRTP"));
      beacon_security_row_set_status (self->media_encryption_row, BEACON_SECURITY_ROW_GOOD, text);
    }
  else if (g_str_equal (dtls_state, "failed") || g_str_equal (dtls_state, "closed"))
    beacon_security_row_set_status (self->media_encryption_row, BEACON_SECURITY_ROW_BAD,
                                    _("The encrypted connection failed or was closed"));
  else
    beacon_security_row_set_status (self->media_encryption_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Setting up encryption…"));

  if (beacon_security_report_get_verified (self->report) &&
      beacon_security_report_get_bound_to_link (self->report))
    beacon_security_row_set_status (self->media_keys_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Verified: the media comes from the identity in the link"));
  else if (beacon_security_report_get_verified (self->report))
    beacon_security_row_set_status (self->media_keys_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Verified: the other side’s key is the one it announced"));
  else if (link_identity != NULL && (!is_identity (announced, link_identity) ||
                                      !is_identity (presented, link_identity)))
    beacon_security_row_set_status (self->media_keys_row, BEACON_SECURITY_ROW_BAD,
                                    _("Refused: the media does not come from the identity in "
                                      "the link"));
  else if (announced != NULL && presented != NULL && g_strcmp0 (announced, presented) != 0)
    beacon_security_row_set_status (self->media_keys_row, BEACON_SECURITY_ROW_BAD,
                                    _("Mismatch: the other side’s key is not the one it "
                                      "announced"));
  else
    beacon_security_row_set_status (self->media_keys_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Not verified yet"));
}

static void
update_network (BeaconSecurityPanel *self)
{
  static const char * const path_keys[] = {
    "ice-state", "local-candidate", "remote-candidate", "relay-server", "relay-transport", NULL
  };
  const char *ice_state = report_string (self, "ice-state");
  const char *relay = report_string (self, "relay-server");

  update_values (self, self->network_path_row, path_keys);

  if (ice_state == NULL || g_str_equal (ice_state, "new"))
    beacon_security_row_set_status (self->network_path_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("No route yet"));
  else if (g_str_equal (ice_state, "connected") || g_str_equal (ice_state, "completed"))
    {
      g_autofree char *text = NULL;

      if (relay != NULL)
        /* Translators: %s is the address of a TURN relay server. */
        text = g_strdup_printf (_("Through the relay server %s, which cannot decrypt it"), relay);
      else
        text = g_strdup (_("Directly between the two computers"));
      beacon_security_row_set_status (self->network_path_row, BEACON_SECURITY_ROW_GOOD, text);
    }
  else if (g_str_equal (ice_state, "failed") || g_str_equal (ice_state, "disconnected"))
    beacon_security_row_set_status (self->network_path_row, BEACON_SECURITY_ROW_BAD,
                                    _("The computers cannot reach each other"));
  else
    beacon_security_row_set_status (self->network_path_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Looking for a route…"));
}

static void
update_identity (BeaconSecurityPanel *self)
{
  static const char * const identity_keys[] = {
    "pin-status", "presented-fingerprint", NULL
  };
  const char *pin_status = report_string (self, "pin-status");
  const char *sas = report_string (self, "sas");

  update_values (self, self->identity_row, identity_keys);

  if (pin_status == NULL)
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Not checked yet"));
  else if (g_str_equal (pin_status, "matches"))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("The same identity as on your earlier visits"));
  else if (g_str_equal (pin_status, "new"))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("First visit: Beacon will remember this identity"));
  else if (g_str_equal (pin_status, "changed"))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_WARNING,
                                    _("Changed since your last visit: make sure it is really "
                                      "them"));
  else
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_UNKNOWN, pin_status);

  gtk_label_set_text (self->sas_label, sas ? sas : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sas_group), sas != NULL);
}

static void
update_summary (BeaconSecurityPanel *self)
{
  BeaconSecurityVerdict verdict = beacon_security_report_get_verdict (self->report);
  const char * const *reasons = beacon_security_report_get_reasons (self->report);
  g_autofree char *reasons_text = reasons ? g_strjoinv ("\n", (char **) reasons) : g_strdup ("");
  const char *title;
  static const char *classes[] = { "success", "warning", "error" };

  switch (verdict)
    {
    case BEACON_SECURITY_VERDICT_SECURE:
      title = _("Verified");
      break;
    case BEACON_SECURITY_VERDICT_WARNING:
      title = _("Needs Your Attention");
      break;
    case BEACON_SECURITY_VERDICT_INSECURE:
      title = _("Connection Blocked");
      break;
    case BEACON_SECURITY_VERDICT_UNKNOWN:
    default:
      title = _("Not Verified Yet");
      break;
    }

  gtk_image_set_from_icon_name (self->verdict_icon, beacon_verdict_icon_name (verdict));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), classes[i]);
  if (verdict == BEACON_SECURITY_VERDICT_SECURE)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), "success");
  else if (verdict == BEACON_SECURITY_VERDICT_WARNING)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), "warning");
  else if (verdict == BEACON_SECURITY_VERDICT_INSECURE)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), "error");

  gtk_label_set_text (self->verdict_title, title);
  gtk_label_set_text (self->verdict_reasons, reasons_text);
  adw_status_page_set_description (self->blocked_page, reasons_text);
}

static void
update (BeaconSecurityPanel *self)
{
  if (self->report == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  update_summary (self);
  update_signaling (self);
  update_media (self);
  update_network (self);
  update_identity (self);

  if (beacon_security_report_get_verdict (self->report) == BEACON_SECURITY_VERDICT_INSECURE &&
      !self->details_requested)
    gtk_stack_set_visible_child_name (self->stack, "blocked");
  else
    gtk_stack_set_visible_child_name (self->stack, "details");
}

static void
report_changed_cb (BeaconSecurityPanel *self)
{
  update (self);
}

static void
show_details_clicked_cb (BeaconSecurityPanel *self)
{
  self->details_requested = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "details");
}

BeaconSecurityPanel *
beacon_security_panel_new (GtkWindow *parent)
{
  return g_object_new (BEACON_TYPE_SECURITY_PANEL, "transient-for", parent, NULL);
}

void
beacon_security_panel_set_report (BeaconSecurityPanel  *self,
                                  BeaconSecurityReport *report)
{
  g_return_if_fail (BEACON_IS_SECURITY_PANEL (self));
  g_return_if_fail (report == NULL || BEACON_IS_SECURITY_REPORT (report));

  if (self->report == report)
    return;

  if (self->report != NULL)
    g_signal_handlers_disconnect_by_data (self->report, self);
  g_set_object (&self->report, report);
  self->details_requested = FALSE;
  if (self->report != NULL)
    {
      /* "changed" follows every batch of updates, so one handler sees them all at once. */
      g_signal_connect_object (self->report, "changed", G_CALLBACK (report_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

BeaconSecurityReport *
beacon_security_panel_get_report (BeaconSecurityPanel *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_PANEL (self), NULL);
  return self->report;
}

const char *
beacon_security_panel_get_visible_page (BeaconSecurityPanel *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_PANEL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
beacon_security_panel_get_verdict_title (BeaconSecurityPanel *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_PANEL (self), NULL);
  return gtk_label_get_text (self->verdict_title);
}

const char *
beacon_security_panel_get_sas_text (BeaconSecurityPanel *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_PANEL (self), NULL);
  return gtk_label_get_text (self->sas_label);
}

static void
add_values (BeaconSecurityRow  *row,
            const char * const *pairs)
{
  for (guint i = 0; pairs[i] != NULL; i += 2)
    beacon_security_row_add_value (row, pairs[i], _(pairs[i + 1]));
}

static void
beacon_security_panel_dispose (GObject *object)
{
  BeaconSecurityPanel *self = BEACON_SECURITY_PANEL (object);

  if (self->report != NULL)
    g_signal_handlers_disconnect_by_data (self->report, self);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (beacon_security_panel_parent_class)->dispose (object);
}

static void
beacon_security_panel_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeaconSecurityPanel *self = BEACON_SECURITY_PANEL (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_security_panel_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BeaconSecurityPanel *self = BEACON_SECURITY_PANEL (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      beacon_security_panel_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_security_panel_class_init (BeaconSecurityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_security_panel_dispose;
  object_class->get_property = beacon_security_panel_get_property;
  object_class->set_property = beacon_security_panel_set_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, BEACON_TYPE_SECURITY_REPORT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BEACON_TYPE_SECURITY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beaconrtc/Beacon/ui/beacon-security-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, blocked_page);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, verdict_reasons);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, sas_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, sas_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, signaling_connection_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, signaling_identity_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, media_encryption_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, media_keys_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, network_path_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, identity_row);
  gtk_widget_class_bind_template_callback (widget_class, show_details_clicked_cb);
}

static void
beacon_security_panel_init (BeaconSecurityPanel *self)
{
  /* Raw values: the report property each row explains, and a label for it. */
  static const char * const signaling_connection_values[] = {
    "signaling-url", N_("Address"),
    "signaling-scheme", N_("Protocol"),
    "signaling-tls-version", N_("TLS version"),
    "signaling-cipher", N_("TLS cipher"),
    NULL
  };
  static const char * const signaling_identity_values[] = {
    "signaling-trust", N_("Trusted because"),
    "signaling-fingerprint", N_("Certificate fingerprint"),
    "signaling-subject", N_("Certificate subject"),
    "signaling-issuer", N_("Certificate issuer"),
    "signaling-not-before", N_("Valid from"),
    "signaling-not-after", N_("Valid until"),
    NULL
  };
  static const char * const media_encryption_values[] = {
    "dtls-state", N_("DTLS state"),
    "dtls-role", N_("DTLS role"),
    "srtp-profile", N_("SRTP profile"),
    "dtls-version", N_("DTLS version"),
    "dtls-cipher", N_("DTLS cipher"),
    NULL
  };
  static const char * const media_keys_values[] = {
    "announced-fingerprint", N_("Fingerprint the other side announced"),
    "presented-fingerprint", N_("Fingerprint the other side presented"),
    "link-identity", N_("Identity the link names"),
    "local-fingerprint", N_("Your fingerprint"),
    NULL
  };
  static const char * const network_path_values[] = {
    "ice-state", N_("ICE state"),
    "local-candidate", N_("Your address"),
    "remote-candidate", N_("Their address"),
    "relay-server", N_("Relay server"),
    "relay-transport", N_("Relay transport"),
    NULL
  };
  static const char * const identity_values[] = {
    "pin-status", N_("Pin status"),
    "presented-fingerprint", N_("Their fingerprint"),
    NULL
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  add_values (self->signaling_connection_row, signaling_connection_values);
  add_values (self->signaling_identity_row, signaling_identity_values);
  add_values (self->media_encryption_row, media_encryption_values);
  add_values (self->media_keys_row, media_keys_values);
  add_values (self->network_path_row, network_path_values);
  add_values (self->identity_row, identity_values);

  update (self);
}

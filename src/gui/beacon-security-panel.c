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
  /* The broadcast's BeaconPeerHealth list: each viewer row shows its sending rate. */
  GListModel           *viewer_health;
  /* Once the user asked for the details of a blocked connection, they stay. */
  gboolean              details_requested;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *blocked_page;
  GtkImage             *verdict_icon;
  GtkLabel             *verdict_title;
  GtkLabel             *verdict_reasons;
  AdwPreferencesGroup  *sas_group;
  GtkLabel             *sas_label;
  GtkWidget            *compare_box;
  GtkWidget            *words_match_button;
  GtkWidget            *words_differ_button;
  GtkLabel             *words_compared_label;
  GtkWidget            *viewers_group;
  GtkListBox           *viewers_list;
  GtkWidget            *media_group;
  GtkWidget            *network_group;
  GtkWidget            *identity_group;
  /* The page of the viewer opened from the list (broadcasting), while it is open. */
  BeaconSecurityPanel  *viewer_panel;
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

enum {
  SIGNAL_COMPARE_WORDS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeaconSecurityPanel, beacon_security_panel, ADW_TYPE_WINDOW)

static const char *
report_string (BeaconSecurityPanel *self,
               const char          *property)
{
  const char *value = beacon_security_report_get_string (self->report, property);

  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
is_broadcast (BeaconSecurityPanel *self)
{
  return g_strcmp0 (report_string (self, "role"), "broadcast") == 0;
}

/* A broadcast's whole: its viewers are listed, each with a page of its own. */
static gboolean
is_overview (BeaconSecurityPanel *self)
{
  return is_broadcast (self) && !beacon_security_report_describes_one_peer (self->report);
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
  else if (g_strcmp0 (trust, "not-pinned") == 0 || g_strcmp0 (trust, "untrusted") == 0)
    beacon_security_row_set_status (self->signaling_connection_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Ended before anything was sent: the server was refused"));
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
  else if (g_str_equal (trust, "pinned") && is_broadcast (self))
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Its certificate matches the fingerprint Beacon pinned"));
  else if (g_str_equal (trust, "pinned"))
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Its certificate matches the fingerprint in the link"));
  else if (g_str_equal (trust, "not-pinned"))
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_BAD,
                                    _("Does not match the link: another server answered"));
  else if (g_str_equal (trust, "untrusted"))
    beacon_security_row_set_status (self->signaling_identity_row, BEACON_SECURITY_ROW_BAD,
                                    _("Not trusted: no authority vouches for its certificate"));
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
  else if (beacon_security_report_get_verified (self->report) && is_broadcast (self))
    beacon_security_row_set_status (self->media_keys_row, BEACON_SECURITY_ROW_GOOD,
                                    _("Verified: the viewer’s key is the one it announced"));
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

  if (is_broadcast (self) && beacon_security_report_get_words_compared (self->report))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("You compared this viewer’s words: they matched"));
  else if (is_broadcast (self))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Viewers are not remembered: compare the words to know "
                                      "who is watching"));
  else if (pin_status == NULL)
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_UNKNOWN,
                                    _("Not checked yet"));
  else if (g_str_equal (pin_status, "matches"))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("The same identity as on your earlier visits"));
  else if (g_str_equal (pin_status, "compared"))
    beacon_security_row_set_status (self->identity_row, BEACON_SECURITY_ROW_GOOD,
                                    _("The same identity as before, and you compared its words"));
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
  gtk_widget_set_visible (GTK_WIDGET (self->sas_group), sas != NULL && !is_overview (self));
}

/* The comparison is offered until it was made; then what it found stays in view. */
static void
update_words (BeaconSecurityPanel *self)
{
  gboolean compared = beacon_security_report_get_words_compared (self->report);

  gtk_widget_set_visible (self->compare_box, !compared);
  gtk_widget_set_visible (GTK_WIDGET (self->words_compared_label), compared);
  gtk_label_set_text (self->words_compared_label,
                      is_broadcast (self)
                        ? _("You compared these words with this viewer: they matched.")
                        : _("You compared these words with the broadcaster: they matched. "
                            "Beacon remembers it for this broadcast."));
}

/* Of every viewer's report: how many there are and how many had their words compared. */
static void
count_viewers (BeaconSecurityPanel *self,
               guint               *viewers,
               guint               *compared)
{
  GListModel *model = beacon_security_report_get_peer_reports (self->report);

  *viewers = g_list_model_get_n_items (model);
  *compared = 0;
  for (guint i = 0; i < *viewers; i++)
    {
      g_autoptr(BeaconSecurityReport) viewer = g_list_model_get_item (model, i);

      if (beacon_security_report_get_words_compared (viewer))
        (*compared)++;
    }
}

/* "Verified" only once the words were compared: before, the keys are checked against what
 * the signaling announced, which is only as good as the signaling. */
static const char *
secure_title (BeaconSecurityPanel *self)
{
  guint viewers, compared;

  if (!is_overview (self))
    return beacon_security_report_get_words_compared (self->report)
             ? _("Verified") : _("Encrypted — Words Not Compared Yet");
  count_viewers (self, &viewers, &compared);
  if (viewers > 0 && compared == viewers)
    return _("Verified — Every Viewer’s Words Compared");
  return _("Encrypted — Words Not Compared With Every Viewer");
}

static void
update_viewers (BeaconSecurityPanel *self)
{
  gboolean overview = is_overview (self);

  gtk_widget_set_visible (self->viewers_group, overview);
  gtk_widget_set_visible (self->media_group, !overview);
  gtk_widget_set_visible (self->network_group, !overview);
  gtk_widget_set_visible (self->identity_group, !overview);
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
      title = secure_title (self);
      break;
    case BEACON_SECURITY_VERDICT_WARNING:
      title = _("Needs Your Attention");
      break;
    case BEACON_SECURITY_VERDICT_INSECURE:
      title = _("Connection Blocked");
      break;
    case BEACON_SECURITY_VERDICT_UNKNOWN:
    default:
      title = is_overview (self) ? _("On the Air — No Viewer Connected Yet")
                                 : _("Not Verified Yet");
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
  update_words (self);
  update_viewers (self);

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

/* Viewers */

/* "host udp 127.0.0.1:50000" → "127.0.0.1:50000". */
static const char *
candidate_address (const char *candidate)
{
  const char *space = candidate ? strrchr (candidate, ' ') : NULL;

  return space ? space + 1 : candidate;
}

static void update_viewer_row (AdwActionRow *row);

/* The health of the viewer @row describes, found by session id and then followed: the row
 * changes with it, about once a second. */
static BeaconPeerHealth *
viewer_row_health (AdwActionRow *row)
{
  BeaconSecurityReport *viewer = g_object_get_data (G_OBJECT (row), "report");
  BeaconSecurityPanel *self = g_object_get_data (G_OBJECT (row), "panel");
  BeaconPeerHealth *health = g_object_get_data (G_OBJECT (row), "health");
  const char *session_id = beacon_security_report_get_string (viewer, "session-id");

  if (health != NULL || self->viewer_health == NULL || session_id == NULL)
    return health;
  for (guint i = 0; i < g_list_model_get_n_items (self->viewer_health); i++)
    {
      g_autoptr(BeaconPeerHealth) candidate = g_list_model_get_item (self->viewer_health, i);

      if (g_strcmp0 (beacon_peer_health_get_session_id (candidate), session_id) != 0)
        continue;
      g_object_set_data_full (G_OBJECT (row), "health", g_object_ref (candidate),
                              g_object_unref);
      g_signal_connect_object (candidate, "changed", G_CALLBACK (update_viewer_row), row,
                               G_CONNECT_SWAPPED);
      return candidate;
    }
  return NULL;
}

static void
update_viewer_row (AdwActionRow *row)
{
  BeaconSecurityReport *viewer = g_object_get_data (G_OBJECT (row), "report");
  BeaconPeerHealth *health = viewer_row_health (row);
  g_autofree char *rate = health && beacon_peer_health_get_samples (health) > 0
                            ? beacon_format_bitrate (beacon_peer_health_get_bitrate_kbps (health))
                            : NULL;
  const char *address = candidate_address (beacon_security_report_get_string (viewer,
                                                                               "remote-candidate"));
  const char *sas = beacon_security_report_get_sas (viewer);
  const char *relay = beacon_security_report_get_string (viewer, "relay-server");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *state;

  if (address != NULL)
    /* Translators: %s is a network address such as "192.168.1.20:50000". */
    title = g_strdup_printf (_("Viewer at %s"), address);
  else
    title = g_strdup (_("Viewer connecting"));

  if (beacon_security_report_get_verdict (viewer) == BEACON_SECURITY_VERDICT_INSECURE)
    state = _("blocked");
  else if (sas == NULL)
    state = _("not verified yet");
  else if (beacon_security_report_get_words_compared (viewer))
    state = _("words compared ✓");
  else
    state = _("words not compared yet");

  if (sas != NULL && rate != NULL)
    /* Translators: the four security words, their state, the network route, then the rate
     * media is sent to this viewer at, such as "1.2 Mbit/s". */
    subtitle = g_strdup_printf (_("“%s” · %s · %s · %s"), sas, state,
                                relay ? _("through a relay") : _("direct"), rate);
  else if (sas != NULL)
    /* Translators: the four security words, then their state, then the network route. */
    subtitle = g_strdup_printf (_("“%s” · %s · %s"), sas, state,
                                relay ? _("through a relay") : _("direct"));
  else
    subtitle = g_strdup (state);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
}

static GtkWidget *
create_viewer_row (gpointer item,
                   gpointer user_data)
{
  BeaconSecurityReport *viewer = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  g_object_set_data_full (G_OBJECT (row), "report", g_object_ref (viewer), g_object_unref);
  g_object_set_data (G_OBJECT (row), "panel", user_data);
  g_signal_connect_object (viewer, "changed", G_CALLBACK (update_viewer_row), row,
                           G_CONNECT_SWAPPED);
  update_viewer_row (ADW_ACTION_ROW (row));
  return row;
}

static void
viewer_compare_words_cb (BeaconSecurityPanel *viewer_panel,
                         const char          *session_id,
                         gboolean             match,
                         BeaconSecurityPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_COMPARE_WORDS], 0, session_id, match);
}

static void
viewer_panel_destroyed_cb (BeaconSecurityPanel *self)
{
  self->viewer_panel = NULL;
}

BeaconSecurityPanel *
beacon_security_panel_open_viewer (BeaconSecurityPanel *self,
                                   guint                position)
{
  g_autoptr(BeaconSecurityReport) viewer = NULL;

  g_return_val_if_fail (BEACON_IS_SECURITY_PANEL (self), NULL);

  if (self->report == NULL)
    return NULL;
  viewer = g_list_model_get_item (beacon_security_report_get_peer_reports (self->report),
                                  position);
  if (viewer == NULL)
    return NULL;
  if (self->viewer_panel == NULL)
    {
      self->viewer_panel = beacon_security_panel_new (GTK_WINDOW (self));
      gtk_window_set_modal (GTK_WINDOW (self->viewer_panel), TRUE);
      /* Closing the viewer's page ends it: the next viewer opened gets a fresh one. */
      gtk_window_set_hide_on_close (GTK_WINDOW (self->viewer_panel), FALSE);
      g_signal_connect_object (self->viewer_panel, "compare-words",
                               G_CALLBACK (viewer_compare_words_cb), self, 0);
      g_signal_connect_object (self->viewer_panel, "destroy",
                               G_CALLBACK (viewer_panel_destroyed_cb), self, G_CONNECT_SWAPPED);
    }
  beacon_security_panel_set_report (self->viewer_panel, viewer);
  gtk_window_present (GTK_WINDOW (self->viewer_panel));
  return self->viewer_panel;
}

/* A viewer that left has no connection to describe: its open page says so, not how it was. */
static void
viewers_changed_cb (BeaconSecurityPanel *self)
{
  GListModel *model = beacon_security_report_get_peer_reports (self->report);
  BeaconSecurityReport *shown;
  gboolean present = FALSE;

  if (self->viewer_panel == NULL)
    return;
  shown = beacon_security_panel_get_report (self->viewer_panel);
  for (guint i = 0; shown != NULL && i < g_list_model_get_n_items (model) && !present; i++)
    {
      g_autoptr(BeaconSecurityReport) viewer = g_list_model_get_item (model, i);

      present = viewer == shown;
    }
  if (!present)
    beacon_security_panel_set_report (self->viewer_panel, NULL);
}

static void
viewer_activated_cb (BeaconSecurityPanel *self,
                     GtkListBoxRow       *row)
{
  beacon_security_panel_open_viewer (self, (guint) gtk_list_box_row_get_index (row));
}

/* Comparing the words */

static void
emit_compare_words (BeaconSecurityPanel *self,
                    gboolean             match)
{
  if (self->report == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_COMPARE_WORDS], 0,
                 beacon_security_report_get_string (self->report, "session-id"), match);
}

static void
words_match_clicked_cb (BeaconSecurityPanel *self)
{
  emit_compare_words (self, TRUE);
}

static void
words_differ_response_cb (AdwMessageDialog    *dialog,
                          const char          *response,
                          BeaconSecurityPanel *self)
{
  if (g_strcmp0 (response, "end") == 0)
    emit_compare_words (self, FALSE);
}

/* Different words are serious and end the connection: the user confirms, knowing why. */
static void
words_differ_clicked_cb (BeaconSecurityPanel *self)
{
  AdwMessageDialog *dialog;
  const char *body;

  if (is_broadcast (self))
    body = _("Someone may be between you and this viewer, reading or changing what it receives. "
             "Beacon will disconnect this viewer; the others keep watching.");
  else
    body = _("Someone may be between you and the broadcaster, reading or changing the stream. "
             "Beacon will end the connection and forget this broadcaster’s identity. Ask the "
             "broadcaster for the link again, over a channel you trust.");
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("End the Connection?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "end", _("_End Connection"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (words_differ_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
beacon_security_panel_get_words_button (BeaconSecurityPanel *self,
                                        gboolean             match)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_PANEL (self), NULL);
  return match ? self->words_match_button : self->words_differ_button;
}

void
beacon_security_panel_add_toast (BeaconSecurityPanel *self,
                                 const char          *text)
{
  g_return_if_fail (BEACON_IS_SECURITY_PANEL (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
beacon_security_panel_show_details (BeaconSecurityPanel *self)
{
  g_return_if_fail (BEACON_IS_SECURITY_PANEL (self));
  self->details_requested = TRUE;
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
beacon_security_panel_set_viewer_health (BeaconSecurityPanel *self,
                                         GListModel          *viewer_health)
{
  g_return_if_fail (BEACON_IS_SECURITY_PANEL (self));
  g_return_if_fail (viewer_health == NULL || G_IS_LIST_MODEL (viewer_health));

  g_set_object (&self->viewer_health, viewer_health);
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
    {
      g_signal_handlers_disconnect_by_data (self->report, self);
      g_signal_handlers_disconnect_by_data (beacon_security_report_get_peer_reports (self->report),
                                            self);
    }
  g_set_object (&self->report, report);
  self->details_requested = FALSE;
  gtk_list_box_bind_model (self->viewers_list,
                           report ? beacon_security_report_get_peer_reports (report) : NULL,
                           create_viewer_row, self, NULL);
  if (self->viewer_panel != NULL)
    gtk_window_destroy (GTK_WINDOW (self->viewer_panel));
  if (self->report != NULL)
    {
      /* "changed" follows every batch of updates, so one handler sees them all at once. */
      g_signal_connect_object (self->report, "changed", G_CALLBACK (report_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (beacon_security_report_get_peer_reports (self->report),
                               "items-changed", G_CALLBACK (viewers_changed_cb), self,
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
  g_clear_object (&self->viewer_health);
  if (self->viewer_panel != NULL)
    gtk_window_destroy (GTK_WINDOW (self->viewer_panel));

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

  /* The user compared the words of the connection @session_id ("session-id" of the report,
   * nullable) with the other side, and they @match or not; the owner of the session acts. */
  signals[SIGNAL_COMPARE_WORDS] =
    g_signal_new ("compare-words", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /* Like a dialog: Escape closes (hides) the panel. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (BEACON_TYPE_SECURITY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beaconrtc/Beacon/ui/beacon-security-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, compare_box);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, words_match_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, words_differ_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, words_compared_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, viewers_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, viewers_list);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, media_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, network_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconSecurityPanel, identity_group);
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
  gtk_widget_class_bind_template_callback (widget_class, words_match_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, words_differ_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, viewer_activated_cb);
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

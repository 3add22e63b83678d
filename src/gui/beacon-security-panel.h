/* beacon-security-panel.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "beacon-security-report.h"

G_BEGIN_DECLS

#define BEACON_TYPE_SECURITY_PANEL (beacon_security_panel_get_type ())

G_DECLARE_FINAL_TYPE (BeaconSecurityPanel, beacon_security_panel, BEACON, SECURITY_PANEL, AdwWindow)

/* A window that explains one BeaconSecurityReport in four groups — signaling channel, media
 * encryption, network path, identity — and follows it as it changes. A report whose verdict
 * is insecure shows a full "blocked" page first. Property: "report" (nullable). A broadcast's
 * report lists its viewers instead, each opening a page of its own. The security words are
 * compared as a step: signal "compare-words" (session_id, match) asks the owner of the
 * session to act (beacon_session_compare_words_async ()). */
BeaconSecurityPanel  *beacon_security_panel_new        (GtkWindow            *parent);
/* The broadcast's viewers' health (BeaconPeerHealth items), for the rate in their rows. */
void                  beacon_security_panel_set_viewer_health (BeaconSecurityPanel *self,
                                                               GListModel          *viewer_health);
void                  beacon_security_panel_set_report (BeaconSecurityPanel  *self,
                                                        BeaconSecurityReport *report);
BeaconSecurityReport *beacon_security_panel_get_report (BeaconSecurityPanel  *self);

/* What the panel shows, for tests and accessibility checks: "empty", "details" or
 * "blocked"; the verdict's title ("Verified", "Connection Blocked", …); the SAS words. */
const char *beacon_security_panel_get_visible_page  (BeaconSecurityPanel *self);
const char *beacon_security_panel_get_verdict_title (BeaconSecurityPanel *self);
const char *beacon_security_panel_get_sas_text      (BeaconSecurityPanel *self);

/* Skips the blocked page: the user asked for the details (e.g. on a blocked page already). */
void        beacon_security_panel_show_details      (BeaconSecurityPanel *self);
void        beacon_security_panel_add_toast         (BeaconSecurityPanel *self,
                                                     const char          *text);
/* Broadcasting: opens the page of the viewer at @position in the list (modal over this one),
 * or NULL when there is none. Its "compare-words" is emitted by this panel too. */
BeaconSecurityPanel *beacon_security_panel_open_viewer (BeaconSecurityPanel *self,
                                                        guint                position);
/* The "They Match" (@match) or "They Don't Match" button, for tests. */
GtkWidget  *beacon_security_panel_get_words_button  (BeaconSecurityPanel *self,
                                                     gboolean             match);

G_END_DECLS

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
 * is insecure shows a full "blocked" page first. Property: "report" (nullable). */
BeaconSecurityPanel  *beacon_security_panel_new        (GtkWindow            *parent);
void                  beacon_security_panel_set_report (BeaconSecurityPanel  *self,
                                                        BeaconSecurityReport *report);
BeaconSecurityReport *beacon_security_panel_get_report (BeaconSecurityPanel  *self);

/* What the panel shows, for tests and accessibility checks: "empty", "details" or
 * "blocked"; the verdict's title ("Verified", "Connection Blocked", …); the SAS words. */
const char *beacon_security_panel_get_visible_page  (BeaconSecurityPanel *self);
const char *beacon_security_panel_get_verdict_title (BeaconSecurityPanel *self);
const char *beacon_security_panel_get_sas_text      (BeaconSecurityPanel *self);

G_END_DECLS

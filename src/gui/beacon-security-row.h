/* beacon-security-row.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  BEACON_SECURITY_ROW_UNKNOWN,  /* not known yet */
  BEACON_SECURITY_ROW_GOOD,
  BEACON_SECURITY_ROW_WARNING,
  BEACON_SECURITY_ROW_BAD,
} BeaconSecurityRowStatus;

#define BEACON_TYPE_SECURITY_ROW (beacon_security_row_get_type ())

G_DECLARE_FINAL_TYPE (BeaconSecurityRow, beacon_security_row, BEACON, SECURITY_ROW, AdwExpanderRow)

/* One fact of the security panel: a plain-words title and subtitle with a status icon, and,
 * when expanded, the raw values behind it, each selectable and with a copy button. */
GtkWidget               *beacon_security_row_new        (void);
void                     beacon_security_row_set_status (BeaconSecurityRow       *self,
                                                         BeaconSecurityRowStatus  status,
                                                         const char              *subtitle);
BeaconSecurityRowStatus  beacon_security_row_get_status (BeaconSecurityRow       *self);
/* Adds a raw value, identified by @key (usually the report property it shows). */
void                     beacon_security_row_add_value  (BeaconSecurityRow       *self,
                                                         const char              *key,
                                                         const char              *label);
/* NULL shows "Not known yet" and disables copying. */
void                     beacon_security_row_set_value  (BeaconSecurityRow       *self,
                                                         const char              *key,
                                                         const char              *value);
const char              *beacon_security_row_get_value  (BeaconSecurityRow       *self,
                                                         const char              *key);

G_END_DECLS

/* beacon-application.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BEACON_TYPE_APPLICATION (beacon_application_get_type ())

G_DECLARE_FINAL_TYPE (BeaconApplication, beacon_application, BEACON, APPLICATION, AdwApplication)

/* The application: one BeaconWindow per activation when none is open, and the app actions
 * app.quit (Ctrl+Q), app.preferences (Ctrl+,), app.help (F1), app.about. */
BeaconApplication *beacon_application_new (GApplicationFlags flags);

G_END_DECLS

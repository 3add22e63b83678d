/* beacon-gui-util.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "beacon-security-report.h"
#include "beacon-session.h"

G_BEGIN_DECLS

/* Registers the GResource and the widget types the templates use. Call once before building
 * a window (the application and the UI tests do). */
void beacon_gui_init (void);

/* The application's settings, or NULL when the schema is not installed (a build run without
 * `meson devenv`): then nothing is remembered, and the defaults are used. */
GSettings *beacon_settings_new (void);

/* The verdict's symbolic icon (beacon_security_verdict_to_string () gives its nick). */
const char           *beacon_verdict_icon_name           (BeaconSecurityVerdict  verdict);

/* Failures that mean the other side could not be trusted, as opposed to failures of the
 * network or the media: they are shown as "blocked", never with a plain retry. */
gboolean beacon_error_is_security         (const GError *error);
/* The broadcaster presented another identity than the one remembered from an earlier visit. */
gboolean beacon_error_is_identity_changed (const GError *error);

/* The message of a session error in a form fit for a status page: first letter upper case,
 * ending with a full stop. */
char *beacon_error_dup_display_message (const GError *error);

/* "Reconnecting… 12 s" while @session tries a lost signaling connection again, else NULL. */
char *beacon_session_dup_reconnecting_text (BeaconSession *session);

/* A data rate: "850 kbit/s", "1.8 Mbit/s". */
char *beacon_format_bitrate (guint kbps);

/* One connection's health on one line, in words and numbers (never only a color):
 * "1.8 Mbit/s · 30 fps · 0.5 % loss · RTT 4 ms · jitter 2 ms · NACK 3 · PLI 1", the RTT and
 * jitter only when known; "Measuring…" until two answers of its statistics came. */
char *beacon_health_dup_summary (BeaconPeerHealth *health);

/* @text, or NULL when it is NULL or empty: an empty entry means "not set" to the session. */
const char *beacon_text_or_null (const char *text);

/* Shows @toast in the toast overlay @widget is inside of; without one it is dropped. */
void beacon_widget_add_toast (GtkWidget *widget,
                              AdwToast  *toast);

/* Finishes beacon_token_store_lookup_async () for a session about to start. A keyring that
 * fails does not stop the start: a toast on @widget says so, and @token stays NULL, as it does
 * when no token is stored. Returns FALSE only when the lookup was cancelled, and then the
 * caller does not start. */
gboolean beacon_token_lookup_finish_for_start (GAsyncResult  *result,
                                               GtkWidget     *widget,
                                               char         **token);

/* Opens Beacon's help in the help viewer (the source tree's pages when BEACON_HELP_DIR is
 * set, as `meson devenv` does), or says in a dialog over @parent that none can, and where the
 * same pages are online. */
void  beacon_show_help     (GtkWindow *parent);
char *beacon_dup_help_uri  (void);

G_END_DECLS

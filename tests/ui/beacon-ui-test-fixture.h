/* beacon-ui-test-fixture.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See beacon-ui-test-fixture.c.
 */

#pragma once

#include <glib/gstdio.h>
#include <gst/gst.h>
#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "beacon-application.h"
#include "beacon-gui-util.h"
#include "beacon-preferences-window.h"
#include "beacon-security-report.h"
#include "beacon-window.h"

G_BEGIN_DECLS

#define WAIT_SECONDS 60

/* Seeded by test-window-preferences.c before the application starts, as an earlier version
 * of Beacon left it. */
#define OLD_TURN_ENTRY "turn://migrated:old%40secret@127.0.0.1:3478"
#define MIGRATED_TURN_ENTRY "turn://migrated@127.0.0.1:3478"

extern BeaconApplication *app;

extern char *data_dir;

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

gboolean      wait_until      (Condition     condition,
                               gpointer      data,
                               guint         seconds);
void          settle          (guint         milliseconds);
gboolean      session_is_live (gpointer      data);
gboolean      session_is_idle (gpointer      data);
void          save_screenshot (GtkWidget    *widget,
                               const char   *name);
BeaconWindow *new_window      (void);
void          destroy_window  (BeaconWindow *window);
void          start_broadcast (BeaconWindow *window);
void          stop_broadcast  (BeaconWindow *window);
GtkWidget * find_widget (GtkWidget *root, gboolean (*matches) (GtkWidget *widget, const char *data), const char *data);
gboolean is_button_labelled (GtkWidget  *widget,
                             const char *label);

/* Sets up the run (its own data directory, keyring and settings), g_test_init () and the
 * application (app); call first. @turn_servers, when not NULL, are in the settings when the
 * application starts, as an earlier version of Beacon may have left them. */
void ui_test_init (int                  *argc,
                   char               ***argv,
                   const char * const   *turn_servers);
/* g_test_run (), then the application and the run's directory go. */
int  ui_test_run  (void);

#ifdef HAVE_LIBSECRET
/* The keyring of the run, as the application uses it. */
extern const SecretSchema turn_password_schema;

typedef struct {
  gboolean  done;
  char     *password;
} KeyringCall;

gboolean  keyring_call_done (gpointer    data);
char     *keyring_lookup    (const char *url);
#endif

G_END_DECLS

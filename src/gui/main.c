/* main.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "beacon-application.h"
#include "beacon-dtls-warmup.h"
#include "beacon-tls-policy.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BeaconApplication) app = NULL;
  int status;

  beacon_tls_policy_init ();
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GStreamer takes its own options (--gst-debug …) before GApplication sees the rest. */
  gst_init (&argc, &argv);
  g_set_application_name (_("Beacon"));

  app = beacon_application_new (G_APPLICATION_DEFAULT_FLAGS);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  /* Quitting right after a session started must not exit while DTLS's key is made. */
  beacon_dtls_warmup_wait (5000);
  return status;
}

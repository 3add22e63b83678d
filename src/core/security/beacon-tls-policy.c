/* beacon-tls-policy.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-tls-policy.h"

void
beacon_tls_policy_init (void)
{
  /* GIO has no API for TLS versions or cipher suites; glib-networking's GnuTLS backend takes
   * them from this variable instead. It reads it once, when the first TLS connection of the
   * process is created, and ignores later changes: hence a call at the top of main (), and
   * g_setenv () while no other thread can be reading the environment.
   *
   * An existing value is replaced rather than kept: a priority string inherited from a
   * desktop session or a wrapper script would otherwise silently bring back TLS 1.0 or CBC
   * suites, and Beacon offers no supported way to weaken its policy.
   *
   * Other GIO TLS backends (glib-networking built with OpenSSL, selected with GIO_USE_TLS)
   * ignore the variable and keep their own defaults. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", BEACON_TLS_PRIORITY, TRUE);
  g_debug ("TLS priority: %s", BEACON_TLS_PRIORITY);
}

/* beacon-local-addresses.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One address of this machine that a link could name. */
typedef struct {
  char     *address;    /* numeric, without brackets */
  char     *interface;  /* "eth0", "wlp2s0", "lo" */
  gboolean  loopback;   /* reaches this machine only */
} BeaconLocalAddress;

void beacon_local_address_free (BeaconLocalAddress *address);

/* The addresses of the interfaces that are up: IPv4 first, then IPv6 global ones (link-local
 * IPv6 addresses need a zone that links cannot carry, so they are left out), loopback last.
 * An array of BeaconLocalAddress, never %NULL. */
GPtrArray *beacon_local_addresses_list (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconLocalAddress, beacon_local_address_free)

G_END_DECLS

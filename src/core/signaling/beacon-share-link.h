/* beacon-share-link.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A Beacon share link is the signaling URL with Beacon's parameters in the fragment, which is
 * never sent to the server:  wss://host:port/#pin=sha256:AB:CD:…&producer=NAME
 * The pin is the SHA-256 fingerprint of the broadcaster's certificate, so a viewer can trust a
 * self-signed certificate without a prompt. */
typedef struct {
  char *url;        /* the URL without the fragment */
  char *pin;        /* nullable; normalised "AB:CD:…" */
  char *producer;   /* nullable */
} BeaconShareLink;

BeaconShareLink *beacon_share_link_parse  (const char      *link,
                                           GError         **error);
char            *beacon_share_link_format (const char      *url,
                                           const char      *fingerprint,
                                           const char      *producer);
void             beacon_share_link_free   (BeaconShareLink *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconShareLink, beacon_share_link_free)

G_END_DECLS

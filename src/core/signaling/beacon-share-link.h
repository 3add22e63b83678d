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
 * self-signed certificate without a prompt; the same certificate is the broadcaster's DTLS
 * identity, which the media must come from.
 * A direct server whose TLS certificate a certificate authority vouches for (serve --tls-cert)
 * gives  wss://host:port/#id=sha256:AB:CD:…  instead: the signaling is validated by the
 * authorities, and id names only the DTLS identity the media must come from. */
typedef struct {
  char *url;        /* the URL without the fragment */
  char *pin;        /* nullable; normalised "AB:CD:…": pins the TLS certificate and the media */
  char *identity;   /* nullable; normalised "AB:CD:…": the media's identity (pin, or id) */
  char *producer;   /* nullable */
} BeaconShareLink;

BeaconShareLink *beacon_share_link_parse  (const char       *link,
                                           GError          **error);
/* With @pins_tls, @fingerprint goes in as pin=, else as id=. */
char            *beacon_share_link_format (const char       *url,
                                           const char       *fingerprint,
                                           gboolean          pins_tls,
                                           const char       *producer);
void             beacon_share_link_free   (BeaconShareLink  *link);

/* The share link of a direct server listening on @bind_address (NULL, "", "0.0.0.0" or "::"
 * for every interface) and @port. Its host is @link_host when given (the name in the TLS
 * certificate), else the bind address, else, listening everywhere, the first address other
 * machines may reach this one on. @fingerprint, @pins_tls and @producer as for
 * beacon_share_link_format (). */
char            *beacon_share_link_for_server (const char *bind_address,
                                               const char *link_host,
                                               guint       port,
                                               const char *fingerprint,
                                               gboolean    pins_tls,
                                               const char *producer);
/* The browser form of a direct server's share @link: https://HOST:PORT/ (the viewer page),
 * or https://HOST:PORT/watch/NAME for a named broadcast; NULL when @link is not a wss:// link. */
char            *beacon_share_link_browser_url (const char *link);
/* The URL the broadcaster reaches its own direct server at from this machine: the bind
 * address, or loopback when the server listens on every interface. */
char            *beacon_share_link_local_url  (const char *bind_address,
                                               guint       port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconShareLink, beacon_share_link_free)

G_END_DECLS

/* beacon-fingerprint.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_FINGERPRINT_ERROR (beacon_fingerprint_error_quark ())

typedef enum {
  BEACON_FINGERPRINT_ERROR_INVALID,           /* not hex pairs separated by colons */
  BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM, /* not a hash function name we know */
  BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM,    /* known but weaker than SHA-256 (md5, sha-1) */
  BEACON_FINGERPRINT_ERROR_CERTIFICATE,       /* the certificate could not be decoded */
} BeaconFingerprintError;

GQuark beacon_fingerprint_error_quark (void);

/* Hash of DER bytes with the named algorithm (SDP names: "sha-256", "sha-384", "sha-512"; also
 * accepted: "sha256" etc.), as upper-case colon-separated hex "AB:CD:…". */
char *beacon_fingerprint_of_der             (const guint8     *der,
                                             gsize             length,
                                             const char       *algorithm,
                                             GError          **error);
/* The same for the first certificate in a PEM text, and for a GTlsCertificate. */
char *beacon_fingerprint_of_pem             (const char       *pem,
                                             const char       *algorithm,
                                             GError          **error);
char *beacon_fingerprint_of_tls_certificate (GTlsCertificate  *certificate,
                                             const char       *algorithm,
                                             GError          **error);

/* Parses a pin as given on the command line or in a share link: "sha256:AB:CD:…" (also
 * "sha-256:" and without colons between the hex pairs, any case). Returns the normalised
 * upper-case colon form of the SHA-256 value, or NULL with an error. */
char *beacon_fingerprint_parse_pin  (const char  *pin,
                                     GError     **error);
/* Formats "sha256:AB:CD:…". */
char *beacon_fingerprint_format_pin (const char  *fingerprint);

/* Compares two fingerprints ignoring case and colons; FALSE if either is NULL. */
gboolean beacon_fingerprint_equal (const char *a,
                                   const char *b);

G_END_DECLS

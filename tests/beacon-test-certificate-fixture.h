/* beacon-test-certificate-fixture.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A certificate for test-identity.c and test-fingerprint.c.
 */

#pragma once

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "beacon-fingerprint.h"
#include "beacon-identity.h"

G_BEGIN_DECLS

/* A certificate made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=fixture
 * Its fingerprints, in test-fingerprint.c, are as "openssl x509 -noout -fingerprint -sha256"
 * (and -sha384, -sha512) prints them. Static in the header, so that a test may take its size. */
static const char fixture_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBezCCASGgAwIBAgIUH200NYvWMpQTJbdIJ2w41oL/VOAwCgYIKoZIzj0EAwIw\n"
  "EjEQMA4GA1UEAwwHZml4dHVyZTAgFw0yNjExMjkxMDE2MTVaGA8yMTI2MTEwNTEw\n"
  "MTYxNVowEjEQMA4GA1UEAwwHZml4dHVyZTBZMBMGByqGSM49AgEGCCqGSM49AwEH\n"
  "A0IABCrW28tOr9GKQ7YMao9JA430XCJp1T5xBgHTWZCyyJfJXgrhSgmrdoJGOjy4\n"
  "SHJpN+0PisUX6JO8K9NfqXiy1iajUzBRMB0GA1UdDgQWBBSyb7/OsMUtykIYQ3mO\n"
  "6M6CgvigRTAfBgNVHSMEGDAWgBSyb7/OsMUtykIYQ3mO6M6CgvigRTAPBgNVHRMB\n"
  "Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIGFnJ3Haofpljeubga/LF6im62pI\n"
  "S9Kh/6l7a44BEhcLAiEA4Umg56FhNHw0kOQzqdecDwpj5CalcIWKAPjOYxKePt0=\n"
  "-----END CERTIFICATE-----\n";

G_END_DECLS

/* beacon-test-tls-certificate.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-test-tls-certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

GTlsCertificate *
beacon_test_create_certificate (void)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) x509 = NULL;
  g_autoptr(BIO) bio = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  GTlsCertificate *certificate;
  X509_NAME *name;
  char *data;
  long length;

  key = EVP_EC_gen ("P-256");
  g_assert_nonnull (key);

  x509 = X509_new ();
  g_assert_nonnull (x509);
  g_assert_cmpint (X509_set_version (x509, 2), ==, 1);
  g_assert_cmpint (ASN1_INTEGER_set (X509_get_serialNumber (x509),
                                     g_random_int_range (1, G_MAXINT32)), ==, 1);
  g_assert_nonnull (X509_gmtime_adj (X509_getm_notBefore (x509), -3600));
  g_assert_nonnull (X509_gmtime_adj (X509_getm_notAfter (x509), 24 * 3600));
  g_assert_cmpint (X509_set_pubkey (x509, key), ==, 1);
  name = X509_get_subject_name (x509);
  g_assert_cmpint (X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
                                               (const unsigned char *) "127.0.0.1", -1, -1, 0),
                   ==, 1);
  g_assert_cmpint (X509_set_issuer_name (x509, name), ==, 1);
  g_assert_cmpint (X509_sign (x509, key, EVP_sha256 ()), >, 0);

  bio = BIO_new (BIO_s_mem ());
  g_assert_cmpint (PEM_write_bio_X509 (bio, x509), ==, 1);
  g_assert_cmpint (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL), ==, 1);
  length = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, length);

  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);

  return certificate;
}

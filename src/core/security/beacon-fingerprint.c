/* beacon-fingerprint.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "beacon-fingerprint.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

G_DEFINE_QUARK (beacon-fingerprint-error, beacon_fingerprint_error)

#define PIN_ALGORITHM "sha256"
#define PIN_LENGTH 32 /* bytes of a SHA-256 digest */

/* SDP spells them "sha-256" (RFC 8122); OpenSSL and most users write "sha256". */
static const struct {
  const char *sdp_name;
  const char *short_name;
  const EVP_MD *(*get_md) (void);
} digests[] = {
  { "sha-256", "sha256", EVP_sha256 },
  { "sha-384", "sha384", EVP_sha384 },
  { "sha-512", "sha512", EVP_sha512 },
};

static const char * const weak_algorithms[] = { "sha-1", "sha1", "md5", "md2", NULL };

static const EVP_MD *
lookup_digest (const char  *algorithm,
               GError     **error)
{
  if (algorithm == NULL || *algorithm == '\0')
    {
      g_set_error_literal (error,
                           BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM,
                           _("No fingerprint algorithm given; use sha-256, sha-384 or sha-512"));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
    {
      if (g_ascii_strcasecmp (algorithm, digests[i].sdp_name) == 0
          || g_ascii_strcasecmp (algorithm, digests[i].short_name) == 0)
        return digests[i].get_md ();
    }

  for (guint i = 0; weak_algorithms[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (algorithm, weak_algorithms[i]) == 0)
        {
          g_set_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM,
                       _("The fingerprint algorithm “%s” is too weak to identify a certificate; "
                         "use sha-256, sha-384 or sha-512"),
                       algorithm);
          return NULL;
        }
    }

  g_set_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM,
               _("Unknown fingerprint algorithm “%s”; use sha-256, sha-384 or sha-512"),
               algorithm);
  return NULL;
}

static char *
format_hex (const guint8 *bytes,
            gsize         length)
{
  static const char digits[] = "0123456789ABCDEF";
  GString *string;

  if (length == 0)
    return g_strdup ("");

  string = g_string_sized_new (length * 3);
  for (gsize i = 0; i < length; i++)
    {
      if (i > 0)
        g_string_append_c (string, ':');
      g_string_append_c (string, digits[bytes[i] >> 4]);
      g_string_append_c (string, digits[bytes[i] & 0xf]);
    }

  return g_string_free (string, FALSE);
}

char *
beacon_fingerprint_of_der (const guint8  *der,
                           gsize          length,
                           const char    *algorithm,
                           GError       **error)
{
  const EVP_MD *md;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;

  g_return_val_if_fail (der != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  md = lookup_digest (algorithm, error);
  if (md == NULL)
    return NULL;

  if (EVP_Digest (der, length, digest, &digest_length, md, NULL) != 1)
    {
      ERR_clear_error ();
      g_set_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_CERTIFICATE,
                   _("Could not compute the %s fingerprint"), algorithm);
      return NULL;
    }

  return format_hex (digest, digest_length);
}

char *
beacon_fingerprint_of_pem (const char  *pem,
                           const char  *algorithm,
                           GError     **error)
{
  g_autoptr(BIO) bio = NULL;
  g_autoptr(X509) certificate = NULL;
  guint8 *der = NULL;
  int der_length;
  char *fingerprint;

  g_return_val_if_fail (pem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Check the algorithm first so that a bad name is reported as such, not as a bad PEM. */
  if (lookup_digest (algorithm, error) == NULL)
    return NULL;

  bio = BIO_new_mem_buf (pem, -1);
  if (bio != NULL)
    certificate = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  if (certificate == NULL)
    {
      ERR_clear_error ();
      g_set_error_literal (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_CERTIFICATE,
                           _("The text does not contain a PEM certificate"));
      return NULL;
    }

  der_length = i2d_X509 (certificate, &der);
  if (der_length <= 0)
    {
      ERR_clear_error ();
      g_set_error_literal (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_CERTIFICATE,
                           _("The certificate could not be encoded"));
      return NULL;
    }

  fingerprint = beacon_fingerprint_of_der (der, der_length, algorithm, error);
  OPENSSL_free (der);

  return fingerprint;
}

char *
beacon_fingerprint_of_tls_certificate (GTlsCertificate  *certificate,
                                       const char       *algorithm,
                                       GError          **error)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    {
      g_set_error_literal (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_CERTIFICATE,
                           _("The TLS certificate has no DER encoding"));
      return NULL;
    }

  return beacon_fingerprint_of_der (der->data, der->len, algorithm, error);
}

static void
set_pin_error (GError                 **error,
               BeaconFingerprintError   code,
               const char              *problem)
{
  g_set_error (error, BEACON_FINGERPRINT_ERROR, code,
               _("%s; a pin must be sha256: followed by %d hex bytes, like sha256:AB:CD:…"),
               problem, PIN_LENGTH);
}

static gboolean
is_hex_text (const char *text,
             gsize       length)
{
  if (length == 0)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isxdigit (text[i]) && text[i] != ':')
        return FALSE;
    }

  return TRUE;
}

char *
beacon_fingerprint_parse_pin (const char  *pin,
                              GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *algorithm = NULL;
  const char *colon;
  const char *p;
  guint8 bytes[PIN_LENGTH];
  gsize n_bytes = 0;
  guint digits_in_pair = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Pins are pasted from share links and terminals; surrounding blanks are never meaningful. */
  copy = g_strstrip (g_strdup (pin != NULL ? pin : ""));

  if (*copy == '\0')
    {
      set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID, _("The pin is empty"));
      return NULL;
    }

  colon = strchr (copy, ':');
  if (colon == NULL || colon == copy)
    {
      set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID,
                     _("The pin does not start with “sha256:”"));
      return NULL;
    }

  algorithm = g_ascii_strdown (copy, colon - copy);
  if (strcmp (algorithm, "sha256") != 0 && strcmp (algorithm, "sha-256") != 0)
    {
      g_autofree char *problem = NULL;
      BeaconFingerprintError code;

      if (g_strv_contains (weak_algorithms, algorithm))
        {
          code = BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM;
          problem = g_strdup_printf (_("The pin uses %s, which is too weak"), algorithm);
        }
      else if (is_hex_text (copy, strlen (copy)))
        {
          /* "AB:CD:…" on its own: the hex is there, only the prefix is missing. */
          code = BEACON_FINGERPRINT_ERROR_INVALID;
          problem = g_strdup (_("The pin does not start with “sha256:”"));
        }
      else
        {
          code = BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM;
          problem = g_strdup_printf (_("The pin algorithm “%s” is not supported"), algorithm);
        }

      set_pin_error (error, code, problem);
      return NULL;
    }

  p = colon + 1;
  if (*p == '\0')
    {
      set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID, _("The pin has no hex digits"));
      return NULL;
    }

  /* Colons are optional, but when present they must separate whole hex pairs. */
  for (; *p != '\0'; p++)
    {
      if (*p == ':')
        {
          if (digits_in_pair != 0 || n_bytes == 0 || p[1] == '\0' || p[1] == ':')
            {
              set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID,
                             _("The pin has a misplaced colon"));
              return NULL;
            }
          continue;
        }

      if (!g_ascii_isxdigit (*p))
        {
          g_autofree char *problem = NULL;

          if (g_ascii_isprint (*p))
            problem = g_strdup_printf (_("The pin contains “%c”, which is not a hex digit"), *p);
          else
            problem = g_strdup (_("The pin contains a character that is not a hex digit"));
          set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID, problem);
          return NULL;
        }

      if (n_bytes == PIN_LENGTH)
        {
          set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID, _("The pin is too long"));
          return NULL;
        }

      if (digits_in_pair == 0)
        {
          bytes[n_bytes] = g_ascii_xdigit_value (*p) << 4;
          digits_in_pair = 1;
        }
      else
        {
          bytes[n_bytes++] |= g_ascii_xdigit_value (*p);
          digits_in_pair = 0;
        }
    }

  if (digits_in_pair != 0)
    {
      set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID,
                     _("The pin has an odd number of hex digits"));
      return NULL;
    }

  if (n_bytes != PIN_LENGTH)
    {
      g_autofree char *problem = NULL;

      problem = g_strdup_printf (_("The pin has %u hex bytes"), (guint) n_bytes);
      set_pin_error (error, BEACON_FINGERPRINT_ERROR_INVALID, problem);
      return NULL;
    }

  return format_hex (bytes, n_bytes);
}

char *
beacon_fingerprint_format_pin (const char *fingerprint)
{
  g_return_val_if_fail (fingerprint != NULL, NULL);

  return g_strconcat (PIN_ALGORITHM ":", fingerprint, NULL);
}

gboolean
beacon_fingerprint_equal (const char *a,
                          const char *b)
{
  gboolean empty = TRUE;

  if (a == NULL || b == NULL)
    return FALSE;

  for (;;)
    {
      while (*a == ':')
        a++;
      while (*b == ':')
        b++;

      if (*a == '\0' || *b == '\0')
        break;

      if (g_ascii_toupper (*a) != g_ascii_toupper (*b))
        return FALSE;

      empty = FALSE;
      a++;
      b++;
    }

  /* Two empty strings are not a matching pair of fingerprints; a pin check must never pass on
   * them. */
  return *a == '\0' && *b == '\0' && !empty;
}

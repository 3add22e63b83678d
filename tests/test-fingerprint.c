/* test-fingerprint.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Certificate fingerprints and pins: known values, PEM and TLS certificates, weak and unknown
 * algorithms, parsing, formatting and comparing pins.
 */

#include "config.h"

#include "beacon-test-certificate-fixture.h"

static const char fixture_sha256[] =
  "EE:DC:F9:3E:15:E4:CB:7C:05:65:42:3F:01:59:FB:BD:43:5A:95:4E:08:C5:79:52:58:87:F1:34:37:8B:71:86";

static const char fixture_sha384[] =
  "C5:D0:70:B1:11:3B:7D:92:B8:3E:1D:B5:69:2D:6C:24:E5:6C:1E:49:97:40:D0:E6:5E:63:98:40:8A:9C:FD:69:"
  "24:C4:3D:E9:8C:19:85:4F:26:8F:C5:81:06:66:6F:D3";

static const char fixture_sha512[] =
  "32:9E:18:28:F5:D3:A8:D2:91:FF:55:78:73:50:A2:02:AA:6B:1A:DB:B0:A6:7D:E6:84:A2:4B:6F:B5:98:D2:EA:"
  "8C:DB:4B:5B:CC:F5:51:5F:B0:D7:91:32:82:05:F3:BB:9D:1F:BB:82:D9:CE:83:FA:58:A2:60:C5:1B:22:49:5F";

/* FIPS 180-2 test vectors for the message "abc". */
static const char abc_sha256[] =
  "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";

static const char abc_sha384[] =
  "CB:00:75:3F:45:A3:5E:8B:B5:A0:3D:69:9A:C6:50:07:27:2C:32:AB:0E:DE:D1:63:1A:8B:60:5A:43:FF:5B:ED:"
  "80:86:07:2B:A1:E7:CC:23:58:BA:EC:A1:34:C8:25:A7";

static const char abc_sha512[] =
  "DD:AF:35:A1:93:61:7A:BA:CC:41:73:49:AE:20:41:31:12:E6:FA:4E:89:A9:7E:A2:0A:9E:EE:E6:4B:55:D3:9A:"
  "21:92:99:2A:27:4F:C1:A8:36:BA:3C:23:A3:FE:EB:BD:45:4D:44:23:64:3C:E8:0E:2A:9A:C9:4F:A5:4C:A4:9F";

static void
test_fingerprint_der_known_values (void)
{
  static const struct {
    const char *algorithm;
    const char *expected;
  } cases[] = {
    { "sha-256", abc_sha256 },
    { "sha256", abc_sha256 },
    { "SHA-256", abc_sha256 },
    { "Sha256", abc_sha256 },
    { "sha-384", abc_sha384 },
    { "SHA384", abc_sha384 },
    { "sha-512", abc_sha512 },
    { "sha512", abc_sha512 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint = NULL;

      fingerprint = beacon_fingerprint_of_der ((const guint8 *) "abc", 3, cases[i].algorithm,
                                               &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fingerprint, ==, cases[i].expected);
    }
}

static void
test_fingerprint_pem (void)
{
  static const struct {
    const char *algorithm;
    const char *expected;
  } cases[] = {
    { "sha-256", fixture_sha256 },
    { "sha-384", fixture_sha384 },
    { "sha-512", fixture_sha512 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint = NULL;

      fingerprint = beacon_fingerprint_of_pem (fixture_pem, cases[i].algorithm, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fingerprint, ==, cases[i].expected);
    }
}

static void
test_fingerprint_tls_certificate (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  certificate = g_tls_certificate_new_from_pem (fixture_pem, -1, &error);
  g_assert_no_error (error);

  fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fingerprint, ==, fixture_sha256);
  g_clear_pointer (&fingerprint, g_free);

  fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-1", &error);
  g_assert_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM);
  g_assert_null (fingerprint);
}

static void
test_fingerprint_invalid_pem (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *truncated = g_strndup (fixture_pem, sizeof fixture_pem / 2);

  fingerprint = beacon_fingerprint_of_pem ("not a certificate", "sha-256", &error);
  g_assert_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_CERTIFICATE);
  g_assert_null (fingerprint);
  g_clear_error (&error);

  fingerprint = beacon_fingerprint_of_pem (truncated, "sha-256", &error);
  g_assert_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_CERTIFICATE);
  g_assert_null (fingerprint);
  g_clear_error (&error);

  /* A bad algorithm is reported as such even when the PEM is bad too. */
  fingerprint = beacon_fingerprint_of_pem ("not a certificate", "md5", &error);
  g_assert_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM);
  g_assert_null (fingerprint);
}

static void
test_fingerprint_weak_algorithms (void)
{
  static const char * const weak[] = { "sha-1", "sha1", "SHA-1", "SHA1", "md5", "MD5", "md2" };

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint = NULL;

      fingerprint = beacon_fingerprint_of_der ((const guint8 *) "abc", 3, weak[i], &error);
      g_assert_error (error, BEACON_FINGERPRINT_ERROR, BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM);
      g_assert_null (fingerprint);
    }
}

static void
test_fingerprint_unknown_algorithms (void)
{
  static const char * const unknown[] = {
    "", "sha", "sha-2", "sha-224", "sha3-256", "sha-256 ", "blake2b", "sha-256:",
    NULL, /* no algorithm at all */
  };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint = NULL;

      fingerprint = beacon_fingerprint_of_der ((const guint8 *) "abc", 3, unknown[i], &error);
      g_assert_error (error, BEACON_FINGERPRINT_ERROR,
                      BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM);
      g_assert_null (fingerprint);
    }
}

#define HEX32_COLONS \
  "EE:DC:F9:3E:15:E4:CB:7C:05:65:42:3F:01:59:FB:BD:43:5A:95:4E:08:C5:79:52:58:87:F1:34:37:8B:71:86"
#define HEX32_PLAIN "EEDCF93E15E4CB7C0565423F0159FBBD435A954E08C579525887F134378B7186"
#define HEX32_LOWER "eedcf93e15e4cb7c0565423f0159fbbd435a954e08c579525887f134378b7186"

static void
test_fingerprint_parse_pin (void)
{
  static const char * const accepted[] = {
    "sha256:" HEX32_COLONS,
    "sha-256:" HEX32_COLONS,
    "SHA256:" HEX32_COLONS,
    "Sha-256:" HEX32_COLONS,
    "sha256:" HEX32_PLAIN,
    "sha256:" HEX32_LOWER,
    "sha-256:" HEX32_LOWER,
    "  sha256:" HEX32_COLONS "\n",
    "sha256:EEDC:F93E15E4:CB:7C0565423F0159FBBD435A954E08C579525887F134378B7186",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint = NULL;

      fingerprint = beacon_fingerprint_parse_pin (accepted[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fingerprint, ==, fixture_sha256);
    }
}

static void
test_fingerprint_parse_pin_rejects (void)
{
  static const struct {
    const char *pin;
    gint code; /* BeaconFingerprintError; gint to match GError's code */
  } rejected[] = {
    { NULL, BEACON_FINGERPRINT_ERROR_INVALID },
    { "", BEACON_FINGERPRINT_ERROR_INVALID },
    { "   ", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:", BEACON_FINGERPRINT_ERROR_INVALID },
    { ":" HEX32_COLONS, BEACON_FINGERPRINT_ERROR_INVALID },
    { HEX32_COLONS, BEACON_FINGERPRINT_ERROR_INVALID },
    { HEX32_PLAIN, BEACON_FINGERPRINT_ERROR_INVALID },
    /* Wrong lengths: 31 and 33 bytes, and a SHA-512 value. */
    { "sha256:" "EEDCF93E15E4CB7C0565423F0159FBBD435A954E08C579525887F134378B71",
      BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" HEX32_COLONS ":00", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" HEX32_PLAIN HEX32_PLAIN, BEACON_FINGERPRINT_ERROR_INVALID },
    /* Odd number of digits, non-hex characters, misplaced colons. */
    { "sha256:" HEX32_PLAIN "0", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" "EEDCF93E15E4CB7C0565423F0159FBBD435A954E08C579525887F134378B718",
      BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" "GGDCF93E15E4CB7C0565423F0159FBBD435A954E08C579525887F134378B7186",
      BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" "EE DC F9 3E 15 E4 CB 7C 05 65 42 3F 01 59 FB BD 43 5A 95 4E 08 C5 79 52 58 87 F1 "
      "34 37 8B 71 86", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" "0xEEDCF93E15E4CB7C0565423F0159FBBD435A954E08C579525887F134378B71",
      BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:E:EDCF93E15E4CB7C0565423F0159FBBD435A954E08C579525887F134378B7186",
      BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256::" HEX32_COLONS, BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" HEX32_COLONS ":", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:EE::DC:F9:3E:15:E4:CB:7C:05:65:42:3F:01:59:FB:BD:43:5A:95:4E:08:C5:79:52:58:87:F1:34:"
      "37:8B:71:86", BEACON_FINGERPRINT_ERROR_INVALID },
    { "sha256:" HEX32_COLONS "\xc3\xa9", BEACON_FINGERPRINT_ERROR_INVALID },
    /* Other algorithms. */
    { "sha1:" "EEDCF93E15E4CB7C0565423F0159FBBD435A954E", BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM },
    { "SHA-1:" HEX32_COLONS, BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM },
    { "md5:" "EEDCF93E15E4CB7C0565423F0159FBBD", BEACON_FINGERPRINT_ERROR_WEAK_ALGORITHM },
    { "sha512:" HEX32_PLAIN HEX32_PLAIN, BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM },
    { "sha-384:" HEX32_COLONS, BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM },
    { "blake3:" HEX32_COLONS, BEACON_FINGERPRINT_ERROR_UNKNOWN_ALGORITHM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint = NULL;

      fingerprint = beacon_fingerprint_parse_pin (rejected[i].pin, &error);
      g_assert_error (error, BEACON_FINGERPRINT_ERROR, rejected[i].code);
      g_assert_null (fingerprint);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* Every message says what a good pin looks like. */
      g_assert_nonnull (strstr (error->message, "sha256: followed by 32 hex bytes"));
      g_test_message ("%s → %s", rejected[i].pin ? rejected[i].pin : "(null)", error->message);
    }
}

static void
test_fingerprint_format_pin (void)
{
  g_autofree char *pin = beacon_fingerprint_format_pin (fixture_sha256);
  g_autofree char *parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (pin, ==, "sha256:" HEX32_COLONS);

  parsed = beacon_fingerprint_parse_pin (pin, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed, ==, fixture_sha256);
}

static void
test_fingerprint_equal (void)
{
  static const struct {
    const char *a;
    const char *b;
    gboolean equal;
  } cases[] = {
    { HEX32_COLONS, HEX32_COLONS, TRUE },
    { HEX32_COLONS, HEX32_PLAIN, TRUE },
    { HEX32_COLONS, HEX32_LOWER, TRUE },
    { HEX32_LOWER, HEX32_PLAIN, TRUE },
    { "ab:cd", "ABCD", TRUE },
    { "AB:CD", "AB:CE", FALSE },
    { "AB:CD", "AB:CD:EF", FALSE },
    { "AB:CD:EF", "AB:CD", FALSE },
    { HEX32_COLONS, abc_sha256, FALSE },
    { HEX32_COLONS, NULL, FALSE },
    { NULL, HEX32_COLONS, FALSE },
    { NULL, NULL, FALSE },
    { "", "", FALSE },
    { ":", "", FALSE },
    { "", HEX32_COLONS, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s == %s", cases[i].a ? cases[i].a : "(null)",
                      cases[i].b ? cases[i].b : "(null)");
      g_assert_cmpint (beacon_fingerprint_equal (cases[i].a, cases[i].b), ==, cases[i].equal);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/beacon/fingerprint/der-known-values", test_fingerprint_der_known_values);
  g_test_add_func ("/beacon/fingerprint/pem", test_fingerprint_pem);
  g_test_add_func ("/beacon/fingerprint/tls-certificate", test_fingerprint_tls_certificate);
  g_test_add_func ("/beacon/fingerprint/invalid-pem", test_fingerprint_invalid_pem);
  g_test_add_func ("/beacon/fingerprint/weak-algorithms", test_fingerprint_weak_algorithms);
  g_test_add_func ("/beacon/fingerprint/unknown-algorithms", test_fingerprint_unknown_algorithms);
  g_test_add_func ("/beacon/fingerprint/parse-pin", test_fingerprint_parse_pin);
  g_test_add_func ("/beacon/fingerprint/parse-pin-rejects", test_fingerprint_parse_pin_rejects);
  g_test_add_func ("/beacon/fingerprint/format-pin", test_fingerprint_format_pin);
  g_test_add_func ("/beacon/fingerprint/equal", test_fingerprint_equal);

  return g_test_run ();
}

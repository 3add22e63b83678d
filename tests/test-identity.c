/* test-identity.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

/* A certificate made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=fixture
 * and its fingerprints as printed by "openssl x509 -noout -fingerprint -sha256" (and -sha384,
 * -sha512). */
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

typedef struct
{
  char *tmpdir;
  /* Not created by the fixture: the identity code has to make it. */
  char *directory;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("beacon-test-identity-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->directory = g_build_filename (fixture->tmpdir, "data", "beacon", NULL);
  fixture->path = g_build_filename (fixture->directory, "identity.pem", NULL);
}

static void
remove_recursively (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_recursively (child);
        }

      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    {
      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_recursively (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->directory, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static BeaconIdentity *
create_identity_in (const char *directory)
{
  g_autoptr(GError) error = NULL;
  BeaconIdentity *identity;

  identity = beacon_identity_load_or_create (directory, &error);
  g_assert_no_error (error);
  g_assert_true (BEACON_IS_IDENTITY (identity));

  return identity;
}

static void
write_identity_file (Fixture    *fixture,
                     const char *contents,
                     gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->directory, 0700), ==, 0);
  /* CONSISTENT, because GLib 2.74 does not truncate an existing file without it. */
  g_file_set_contents_full (fixture->path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                            &error);
  g_assert_no_error (error);
}

/* Loading must fail with a LOAD error that names the file, and must leave the file alone. */
static void
assert_load_fails (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *display_name = g_filename_display_name (fixture->path);

  g_file_get_contents (fixture->path, &before, NULL, NULL);

  identity = beacon_identity_load_or_create (fixture->directory, &error);
  g_assert_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_LOAD);
  g_assert_null (identity);
  g_test_message ("Error: %s", error->message);
  g_assert_nonnull (strstr (error->message, display_name));

  g_file_get_contents (fixture->path, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
}

static X509 *
parse_certificate (const char *pem)
{
  g_autoptr(BIO) bio = BIO_new_mem_buf (pem, -1);
  X509 *certificate = PEM_read_bio_X509 (bio, NULL, NULL, NULL);

  g_assert_nonnull (certificate);
  return certificate;
}

static EVP_PKEY *
parse_private_key (const char *pem)
{
  g_autoptr(BIO) bio = BIO_new_mem_buf (pem, -1);
  EVP_PKEY *key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);

  g_assert_nonnull (key);
  return key;
}

static const char *
private_key_pem_of (BeaconIdentity *identity)
{
  const char *key_pem = strstr (beacon_identity_get_pem_bundle (identity),
                                "-----BEGIN PRIVATE KEY-----\n");

  g_assert_nonnull (key_pem);
  return key_pem;
}

static void
test_identity_create_and_reload (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) created = NULL;
  g_autoptr(BeaconIdentity) loaded = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (g_file_test (fixture->directory, G_FILE_TEST_EXISTS));

  created = create_identity_in (fixture->directory);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (beacon_identity_get_path (created), ==, fixture->path);
  g_assert_true (g_str_has_prefix (beacon_identity_get_pem_bundle (created),
                                   beacon_identity_get_certificate_pem (created)));

  /* The file is exactly the bundle: certificate, then PKCS#8 key. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, beacon_identity_get_pem_bundle (created));
  g_assert_true (g_str_has_prefix (contents, "-----BEGIN CERTIFICATE-----\n"));
  g_assert_nonnull (strstr (contents, "-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n"));
  g_assert_true (g_str_has_suffix (contents, "-----END PRIVATE KEY-----\n"));

  loaded = create_identity_in (fixture->directory);
  g_assert_cmpstr (beacon_identity_get_fingerprint (loaded), ==,
                   beacon_identity_get_fingerprint (created));
  g_assert_cmpstr (beacon_identity_get_pem_bundle (loaded), ==,
                   beacon_identity_get_pem_bundle (created));

  g_assert_finalize_object (g_steal_pointer (&created));
  g_assert_finalize_object (g_steal_pointer (&loaded));
}

typedef struct {
  BeaconIdentity *identity;
  GError         *error;
  GThread        *thread;
} AsyncLoad;

static void
identity_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AsyncLoad *load = user_data;

  load->identity = beacon_identity_load_or_create_finish (result, &load->error);
  load->thread = g_thread_self ();
}

static void
load_identity_async (const char *directory,
                     AsyncLoad  *load)
{
  beacon_identity_load_or_create_async (directory, NULL, identity_loaded_cb, load);
  while (load->thread == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (load->thread == g_thread_self ());
}

/* Off the main thread: created once (mode 0600), then the same identity loaded back; a
 * directory that cannot be made is an error, delivered the same way. */
static void
test_identity_load_or_create_async (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) reloaded = NULL;
  g_autofree char *blocked = g_build_filename (fixture->tmpdir, "not-a-directory", NULL);
  g_autofree char *inside = g_build_filename (blocked, "beacon", NULL);
  AsyncLoad created = { 0 };
  AsyncLoad loaded = { 0 };
  AsyncLoad failed = { 0 };
  GStatBuf st;

  load_identity_async (fixture->directory, &created);
  g_assert_no_error (created.error);
  g_assert_true (BEACON_IS_IDENTITY (created.identity));
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  load_identity_async (fixture->directory, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpstr (beacon_identity_get_fingerprint (loaded.identity), ==,
                   beacon_identity_get_fingerprint (created.identity));
  reloaded = create_identity_in (fixture->directory);
  g_assert_cmpstr (beacon_identity_get_fingerprint (reloaded), ==,
                   beacon_identity_get_fingerprint (created.identity));

  g_assert_true (g_file_set_contents (blocked, "", 0, NULL));
  load_identity_async (inside, &failed);
  g_assert_null (failed.identity);
  g_assert_nonnull (failed.error);
  g_clear_error (&failed.error);

  g_assert_finalize_object (created.identity);
  g_assert_finalize_object (loaded.identity);
}

static void
test_identity_file_modes (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  GStatBuf buf;

  identity = create_identity_in (fixture->directory);

  g_assert_cmpint (g_stat (fixture->directory, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  g_clear_object (&identity);
  identity = beacon_identity_create_new (fixture->directory, NULL);
  g_assert_nonnull (identity);
  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
}

static void
test_identity_create_new (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) first = NULL;
  g_autoptr(BeaconIdentity) second = NULL;
  g_autoptr(BeaconIdentity) reloaded = NULL;
  g_autoptr(GError) error = NULL;

  first = create_identity_in (fixture->directory);
  second = beacon_identity_create_new (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_false (beacon_fingerprint_equal (beacon_identity_get_fingerprint (first),
                                            beacon_identity_get_fingerprint (second)));

  /* The new identity replaced the old one on disk; the old object is unchanged. */
  reloaded = create_identity_in (fixture->directory);
  g_assert_cmpstr (beacon_identity_get_fingerprint (reloaded), ==,
                   beacon_identity_get_fingerprint (second));
  g_assert_cmpstr (beacon_identity_get_fingerprint (first), !=,
                   beacon_identity_get_fingerprint (reloaded));
}

static void
test_identity_openssl_fingerprint (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *argv[] = {
    "openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", NULL, NULL
  };
  const char *equals;
  int status = 0;

  identity = create_identity_in (fixture->directory);
  argv[6] = fixture->path;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &output, NULL, &status, &error))
    {
      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        {
          g_test_skip ("The openssl command is not installed");
          return;
        }
      g_assert_no_error (error);
    }

  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  /* "sha256 Fingerprint=AB:CD:…" (OpenSSL 3) or "SHA256 Fingerprint=…" (OpenSSL 1.1). */
  equals = strchr (output, '=');
  g_assert_nonnull (equals);
  g_assert_cmpstr (g_strstrip ((char *) equals + 1), ==,
                   beacon_identity_get_fingerprint (identity));
}

static void
test_identity_certificate (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(X509) certificate = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(BIGNUM) serial = NULL;
  EVP_PKEY *public_key;
  char text[64];
  size_t length = 0;
  int days = 0;
  int seconds = 0;

  identity = create_identity_in (fixture->directory);
  certificate = parse_certificate (beacon_identity_get_certificate_pem (identity));
  key = parse_private_key (private_key_pem_of (identity));

  /* ECDSA on P-256, signed with SHA-256. */
  public_key = X509_get0_pubkey (certificate);
  g_assert_nonnull (public_key);
  g_assert_true (EVP_PKEY_is_a (public_key, "EC"));
  g_assert_cmpint (EVP_PKEY_get_group_name (public_key, text, sizeof text, &length), ==, 1);
  g_assert_cmpint (OBJ_sn2nid (text), ==, NID_X9_62_prime256v1);
  g_assert_cmpint (EVP_PKEY_get_bits (public_key), ==, 256);
  g_assert_cmpint (X509_get_signature_nid (certificate), ==, NID_ecdsa_with_SHA256);
  g_assert_cmpint (X509_verify (certificate, public_key), ==, 1);
  g_assert_cmpint (X509_check_private_key (certificate, key), ==, 1);

  /* Self-signed v3 end-entity certificate for CN=Beacon. */
  g_assert_cmpint (X509_get_version (certificate), ==, X509_VERSION_3);
  g_assert_cmpint (X509_NAME_get_text_by_NID (X509_get_subject_name (certificate),
                                              NID_commonName, text, sizeof text), >, 0);
  g_assert_cmpstr (text, ==, "Beacon");
  g_assert_cmpint (X509_NAME_cmp (X509_get_subject_name (certificate),
                                  X509_get_issuer_name (certificate)), ==, 0);
  g_assert_cmpint (X509_check_ca (certificate), ==, 0);

  /* A positive 16-byte random serial. */
  serial = ASN1_INTEGER_to_BN (X509_get0_serialNumber (certificate), NULL);
  g_assert_nonnull (serial);
  g_assert_false (BN_is_negative (serial));
  g_assert_cmpint (BN_num_bytes (serial), ==, 16);

  /* Valid from a day ago for ten years. */
  g_assert_cmpint (ASN1_TIME_diff (&days, &seconds, X509_get0_notBefore (certificate), NULL),
                   ==, 1);
  g_assert_cmpint ((gint64) days * 86400 + seconds, >=, 86400 - 120);
  g_assert_cmpint ((gint64) days * 86400 + seconds, <=, 86400 + 120);
  g_assert_cmpint (ASN1_TIME_diff (&days, &seconds, X509_get0_notBefore (certificate),
                                   X509_get0_notAfter (certificate)), ==, 1);
  g_assert_cmpint (days, >=, 365 * 10 + 2);
  g_assert_cmpint (days, <=, 365 * 10 + 3);
}

static void
test_identity_tls_certificate (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(GByteArray) private_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  GTlsCertificate *certificate;

  identity = create_identity_in (fixture->directory);
  certificate = beacon_identity_get_tls_certificate (identity);
  g_assert_true (G_IS_TLS_CERTIFICATE (certificate));

  g_object_get (certificate, "private-key", &private_key, NULL);
  g_assert_nonnull (private_key);
  g_assert_cmpuint (private_key->len, >, 0);

  fingerprint = beacon_fingerprint_of_tls_certificate (certificate, "sha-256", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fingerprint, ==, beacon_identity_get_fingerprint (identity));
}

typedef struct
{
  GMainLoop *loop;
  guint pending;
  GError *server_error;
  GError *client_error;
} Handshake;

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *peer_certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Self-signed by design: Beacon viewers check the pin, not a chain. */
  return TRUE;
}

static void
handshake_finished_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Handshake *handshake = user_data;
  GError **error = G_IS_TLS_SERVER_CONNECTION (source) ? &handshake->server_error
                                                        : &handshake->client_error;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, error);
  if (--handshake->pending == 0)
    g_main_loop_quit (handshake->loop);
}

static GIOStream *
connection_from_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (sock));
}

static void
test_identity_tls_handshake (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(GIOStream) server_base = NULL;
  g_autoptr(GIOStream) client_base = NULL;
  g_autoptr(GIOStream) server = NULL;
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *peer_fingerprint = NULL;
  Handshake handshake = { loop, 2, NULL, NULL };
  GTlsCertificate *peer;
  int fds[2];

  identity = create_identity_in (fixture->directory);

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  server_base = connection_from_fd (fds[0]);
  client_base = connection_from_fd (fds[1]);

  server = g_tls_server_connection_new (server_base,
                                        beacon_identity_get_tls_certificate (identity), &error);
  g_assert_no_error (error);
  client = g_tls_client_connection_new (client_base, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);

  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT, NULL,
                                    handshake_finished_cb, &handshake);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT, NULL,
                                    handshake_finished_cb, &handshake);
  g_main_loop_run (loop);

  g_assert_no_error (handshake.server_error);
  g_assert_no_error (handshake.client_error);

  /* The client saw exactly the certificate whose fingerprint a viewer would pin. */
  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (client));
  g_assert_nonnull (peer);
  peer_fingerprint = beacon_fingerprint_of_tls_certificate (peer, "sha-256", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peer_fingerprint, ==, beacon_identity_get_fingerprint (identity));

  g_io_stream_close (client, NULL, NULL);
  g_io_stream_close (server, NULL, NULL);
}

static void
test_identity_corrupt_file (Fixture       *fixture,
                            gconstpointer  user_data)
{
  static const guint8 garbage[] = { 0x00, 0xff, 0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x42, 0x80, 0x00 };

  write_identity_file (fixture, "this is not a PEM file\n", -1);
  assert_load_fails (fixture);

  write_identity_file (fixture, "", 0);
  assert_load_fails (fixture);

  write_identity_file (fixture, (const char *) garbage, sizeof garbage);
  assert_load_fails (fixture);

  /* A certificate on its own is not an identity. */
  write_identity_file (fixture, fixture_pem, -1);
  assert_load_fails (fixture);
}

static void
test_identity_truncated_file (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autofree char *bundle = NULL;
  gsize certificate_length;
  gsize length;
  gsize cuts[4];

  identity = create_identity_in (fixture->directory);
  bundle = g_strdup (beacon_identity_get_pem_bundle (identity));
  length = strlen (bundle);
  certificate_length = strlen (beacon_identity_get_certificate_pem (identity));
  g_clear_object (&identity);

  cuts[0] = 40;                      /* inside the certificate's first line of base64 */
  cuts[1] = certificate_length / 2;  /* inside the certificate */
  cuts[2] = certificate_length;      /* the certificate alone */
  cuts[3] = length - 40;             /* inside the private key */

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_test_message ("Truncated to %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                      cuts[i], length);
      write_identity_file (fixture, bundle, cuts[i]);
      assert_load_fails (fixture);
    }
}

static void
test_identity_mismatched_key (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) first = NULL;
  g_autoptr(BeaconIdentity) second = NULL;
  g_autofree char *other_directory = g_build_filename (fixture->tmpdir, "other", NULL);
  g_autofree char *mixed = NULL;

  first = create_identity_in (fixture->directory);
  second = create_identity_in (other_directory);

  mixed = g_strconcat (beacon_identity_get_certificate_pem (first),
                       private_key_pem_of (second), NULL);
  write_identity_file (fixture, mixed, -1);
  assert_load_fails (fixture);
}

static void
test_identity_encrypted_key (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  g_autofree char *encrypted = NULL;
  static const char passphrase[] = "passphrase";
  char *data = NULL;
  long length;

  identity = create_identity_in (fixture->directory);
  key = parse_private_key (private_key_pem_of (identity));

  g_assert_true (PEM_write_bio_PKCS8PrivateKey (bio, key, EVP_aes_256_cbc (),
                                                passphrase, strlen (passphrase), NULL, NULL));
  length = BIO_get_mem_data (bio, &data);
  g_assert_cmpint (length, >, 0);
  encrypted = g_strdup_printf ("%s%.*s", beacon_identity_get_certificate_pem (identity),
                               (int) length, data);
  g_assert_nonnull (strstr (encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));

  /* A loader that asked for the passphrase on the terminal would hang here. */
  write_identity_file (fixture, encrypted, -1);
  assert_load_fails (fixture);
}

static void
test_identity_blocks_in_any_order (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(BeaconIdentity) reloaded = NULL;
  g_autofree char *reordered = NULL;

  identity = create_identity_in (fixture->directory);
  reordered = g_strconcat ("Comment before the blocks\n",
                           private_key_pem_of (identity),
                           beacon_identity_get_certificate_pem (identity), NULL);
  write_identity_file (fixture, reordered, -1);

  reloaded = create_identity_in (fixture->directory);
  g_assert_cmpstr (beacon_identity_get_fingerprint (reloaded), ==,
                   beacon_identity_get_fingerprint (identity));
  /* The bundle is normalised to certificate first, whatever the file held. */
  g_assert_cmpstr (beacon_identity_get_pem_bundle (reloaded), ==,
                   beacon_identity_get_pem_bundle (identity));
}

static void
test_identity_unreadable_path (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  /* A directory where the file should be. */
  g_assert_cmpint (g_mkdir_with_parents (fixture->path, 0700), ==, 0);
  identity = beacon_identity_load_or_create (fixture->directory, &error);
  g_assert_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_LOAD);
  g_assert_null (identity);
}

/* A key other users could read is refused, like ssh refuses one, and the file is left as it
 * is; the message names the mode and the command that fixes it. */
static void
test_identity_permissions (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const int too_open[] = { 0644, 0640, 0604, 0620, 0660 };
  g_autoptr(BeaconIdentity) identity = create_identity_in (fixture->directory);
  g_autoptr(BeaconIdentity) reloaded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (too_open); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconIdentity) refused = NULL;
      g_autofree char *mode = g_strdup_printf ("(mode %04o)", too_open[i]);
      GStatBuf buf;

      g_assert_cmpint (g_chmod (fixture->path, too_open[i]), ==, 0);
      refused = beacon_identity_load_or_create (fixture->directory, &error);
      g_assert_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_PERMISSIONS);
      g_assert_null (refused);
      g_test_message ("Error: %s", error->message);
      g_assert_nonnull (strstr (error->message, mode));
      g_assert_nonnull (strstr (error->message, "chmod 600"));
      g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
      g_assert_cmpint (buf.st_mode & 0777, ==, too_open[i]);
    }

  g_assert_cmpint (g_chmod (fixture->path, 0600), ==, 0);
  reloaded = create_identity_in (fixture->directory);
  g_assert_cmpstr (beacon_identity_get_fingerprint (reloaded), ==,
                   beacon_identity_get_fingerprint (identity));
}

static void
test_identity_default_directory (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("BEACON_DATA_DIR"));
  g_autofree char *directory = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "beacon", NULL);

  g_unsetenv ("BEACON_DATA_DIR");
  directory = beacon_identity_dup_default_directory ();
  g_assert_cmpstr (directory, ==, expected);
  g_clear_pointer (&directory, g_free);

  g_setenv ("BEACON_DATA_DIR", fixture->directory, TRUE);
  directory = beacon_identity_dup_default_directory ();
  g_assert_cmpstr (directory, ==, fixture->directory);

  /* NULL means the default directory. */
  identity = create_identity_in (NULL);
  g_assert_cmpstr (beacon_identity_get_path (identity), ==, fixture->path);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  if (saved != NULL)
    g_setenv ("BEACON_DATA_DIR", saved, TRUE);
  else
    g_unsetenv ("BEACON_DATA_DIR");
}

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

#define ADD_IDENTITY_TEST(name, func) \
  g_test_add ("/beacon/identity/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_IDENTITY_TEST ("create-and-reload", test_identity_create_and_reload);
  ADD_IDENTITY_TEST ("file-modes", test_identity_file_modes);
  ADD_IDENTITY_TEST ("load-or-create-async", test_identity_load_or_create_async);
  ADD_IDENTITY_TEST ("create-new", test_identity_create_new);
  ADD_IDENTITY_TEST ("openssl-fingerprint", test_identity_openssl_fingerprint);
  ADD_IDENTITY_TEST ("certificate", test_identity_certificate);
  ADD_IDENTITY_TEST ("tls-certificate", test_identity_tls_certificate);
  ADD_IDENTITY_TEST ("tls-handshake", test_identity_tls_handshake);
  ADD_IDENTITY_TEST ("corrupt-file", test_identity_corrupt_file);
  ADD_IDENTITY_TEST ("truncated-file", test_identity_truncated_file);
  ADD_IDENTITY_TEST ("mismatched-key", test_identity_mismatched_key);
  ADD_IDENTITY_TEST ("encrypted-key", test_identity_encrypted_key);
  ADD_IDENTITY_TEST ("blocks-in-any-order", test_identity_blocks_in_any_order);
  ADD_IDENTITY_TEST ("unreadable-path", test_identity_unreadable_path);
  ADD_IDENTITY_TEST ("permissions", test_identity_permissions);
  ADD_IDENTITY_TEST ("default-directory", test_identity_default_directory);

#undef ADD_IDENTITY_TEST

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

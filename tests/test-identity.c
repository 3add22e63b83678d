/* test-identity.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user's identity: creating, storing and reloading the key and certificate, file modes,
 * broken and foreign files, the TLS certificate and a handshake with it. Fingerprints and pins
 * are in test-fingerprint.c.
 */

#include "config.h"

#include "beacon-test-certificate-fixture.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

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

  return g_test_run ();
}

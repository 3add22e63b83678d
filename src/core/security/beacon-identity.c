/* beacon-identity.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "beacon-fingerprint.h"
#include "beacon-identity.h"

#define IDENTITY_FILE_NAME "identity.pem"
#define CERTIFICATE_COMMON_NAME "Beacon"
#define SERIAL_LENGTH 16
#define VALIDITY_YEARS 10
/* Far larger than any certificate and key Beacon writes; a bound on what is read into memory. */
#define MAX_FILE_SIZE (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_NAME, X509_NAME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_EXTENSION, X509_EXTENSION_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

/* Text that holds a private key: wiped before it is freed. */
typedef char SecretText;

static void
secret_text_free (SecretText *text)
{
  if (text == NULL)
    return;

  OPENSSL_cleanse (text, strlen (text));
  g_free (text);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretText, secret_text_free)

struct _BeaconIdentity
{
  GObject parent_instance;

  char *path;
  char *fingerprint;
  char *certificate_pem;
  SecretText *pem_bundle;
  GTlsCertificate *tls_certificate;
};

G_DEFINE_FINAL_TYPE (BeaconIdentity, beacon_identity, G_TYPE_OBJECT)

G_DEFINE_QUARK (beacon-identity-error, beacon_identity_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_FINGERPRINT,
  PROP_TLS_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
beacon_identity_dispose (GObject *object)
{
  BeaconIdentity *self = BEACON_IDENTITY (object);

  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (beacon_identity_parent_class)->dispose (object);
}

static void
beacon_identity_finalize (GObject *object)
{
  BeaconIdentity *self = BEACON_IDENTITY (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->certificate_pem, g_free);
  g_clear_pointer (&self->pem_bundle, secret_text_free);

  G_OBJECT_CLASS (beacon_identity_parent_class)->finalize (object);
}

static void
beacon_identity_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BeaconIdentity *self = BEACON_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_identity_class_init (BeaconIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_identity_dispose;
  object_class->finalize = beacon_identity_finalize;
  object_class->get_property = beacon_identity_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_identity_init (BeaconIdentity *self)
{
}

char *
beacon_identity_dup_default_directory (void)
{
  const char *directory = g_getenv ("BEACON_DATA_DIR");

  if (directory != NULL && *directory != '\0')
    return g_strdup (directory);

  return g_build_filename (g_get_user_data_dir (), "beacon", NULL);
}

/* Never prompt on the terminal for the passphrase of an encrypted key: Beacon writes its keys
 * unencrypted, so an encrypted one is simply not ours. */
static int
no_passphrase_cb (char *buffer,
                  int   size,
                  int   rwflag,
                  void *user_data)
{
  return -1;
}

static char *
bio_dup_text (BIO *bio)
{
  char *data = NULL;
  long length;

  length = BIO_get_mem_data (bio, &data);
  if (length <= 0 || data == NULL)
    return NULL;

  return g_strndup (data, length);
}

static char *
certificate_to_pem (X509 *certificate)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());

  if (bio == NULL || !PEM_write_bio_X509 (bio, certificate))
    return NULL;

  return bio_dup_text (bio);
}

static SecretText *
bundle_to_pem (X509     *certificate,
               EVP_PKEY *key)
{
  /* Freeing a memory BIO wipes its buffer, so the key does not linger in OpenSSL's heap. */
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());

  if (bio == NULL
      || !PEM_write_bio_X509 (bio, certificate)
      || !PEM_write_bio_PKCS8PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    return NULL;

  return bio_dup_text (bio);
}

static char *
certificate_fingerprint (X509 *certificate)
{
  guint8 *der = NULL;
  int der_length;
  char *fingerprint;

  der_length = i2d_X509 (certificate, &der);
  if (der_length <= 0)
    return NULL;

  fingerprint = beacon_fingerprint_of_der (der, der_length, "sha-256", NULL);
  OPENSSL_free (der);

  return fingerprint;
}

/* Builds an identity from the text of an identity file. @text may hold anything; every problem
 * becomes an error with @code that names @path. */
static BeaconIdentity *
identity_new_from_text (const char           *path,
                        const char           *text,
                        gsize                 length,
                        BeaconIdentityError   code,
                        GError              **error)
{
  g_autoptr(BeaconIdentity) self = NULL;
  g_autoptr(BIO) certificate_bio = NULL;
  g_autoptr(BIO) key_bio = NULL;
  g_autoptr(X509) certificate = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = g_filename_display_name (path);
  const char *problem = NULL;

  if (length > G_MAXINT)
    {
      problem = _("it is far too large");
      goto invalid;
    }

  /* Each read gets its own BIO so that the order of the blocks in the file does not matter;
   * the PEM readers skip blocks of other types. */
  certificate_bio = BIO_new_mem_buf (text, (int) length);
  key_bio = BIO_new_mem_buf (text, (int) length);
  if (certificate_bio == NULL || key_bio == NULL)
    {
      problem = _("out of memory");
      goto invalid;
    }

  certificate = PEM_read_bio_X509 (certificate_bio, NULL, no_passphrase_cb, NULL);
  if (certificate == NULL)
    {
      problem = _("it holds no readable certificate");
      goto invalid;
    }

  key = PEM_read_bio_PrivateKey (key_bio, NULL, no_passphrase_cb, NULL);
  if (key == NULL)
    {
      problem = _("it holds no readable, unencrypted private key");
      goto invalid;
    }

  if (X509_check_private_key (certificate, key) != 1)
    {
      problem = _("its private key does not belong to its certificate");
      goto invalid;
    }

  self = g_object_new (BEACON_TYPE_IDENTITY, NULL);
  self->path = g_strdup (path);

  /* Re-encode rather than keep the file's text, so that the bundle handed to webrtc and GLib
   * holds exactly one certificate and one key whatever else the file contains. */
  self->certificate_pem = certificate_to_pem (certificate);
  self->pem_bundle = bundle_to_pem (certificate, key);
  self->fingerprint = certificate_fingerprint (certificate);
  if (self->certificate_pem == NULL || self->pem_bundle == NULL || self->fingerprint == NULL)
    {
      problem = _("it could not be re-encoded");
      goto invalid;
    }

  self->tls_certificate = g_tls_certificate_new_from_pem (self->pem_bundle, -1, &local_error);
  if (self->tls_certificate == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, BEACON_IDENTITY_ERROR, code,
                   _("The identity in “%s” cannot be used for TLS: %s"),
                   display_name, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);

invalid:
  /* OpenSSL's queued errors describe parser internals; the problem above is what matters. */
  ERR_clear_error ();
  g_set_error (error, BEACON_IDENTITY_ERROR, code,
               _("The identity file “%s” is not valid: %s. Move it away to create a new "
                 "identity (viewers who pinned the old one will need the new pin)"),
               display_name, problem);
  return NULL;
}

static gboolean
set_random_serial (X509 *certificate)
{
  guint8 bytes[SERIAL_LENGTH];
  g_autoptr(BIGNUM) serial = NULL;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    return FALSE;

  /* A positive, non-zero serial of at most 20 octets, as RFC 5280 asks. */
  bytes[0] &= 0x7f;
  bytes[0] |= 0x40;

  serial = BN_bin2bn (bytes, sizeof bytes, NULL);
  OPENSSL_cleanse (bytes, sizeof bytes);

  return serial != NULL && BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (certificate)) != NULL;
}

static gboolean
set_validity (X509 *certificate)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) not_before = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) not_after = g_date_time_add_years (not_before, VALIDITY_YEARS);

  /* ASN1_TIME_set picks UTCTime or GeneralizedTime by year, as RFC 5280 requires. */
  return ASN1_TIME_set (X509_getm_notBefore (certificate),
                        (time_t) g_date_time_to_unix (not_before)) != NULL
         && ASN1_TIME_set (X509_getm_notAfter (certificate),
                           (time_t) g_date_time_to_unix (not_after)) != NULL;
}

static gboolean
add_extension (X509       *certificate,
               int         nid,
               const char *value)
{
  g_autoptr(X509_EXTENSION) extension = NULL;
  X509V3_CTX context;

  X509V3_set_ctx (&context, certificate, certificate, NULL, NULL, 0);
  extension = X509V3_EXT_nconf_nid (NULL, &context, nid, value);

  return extension != NULL && X509_add_ext (certificate, extension, -1) == 1;
}

static SecretText *
generate_bundle (GError **error)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) certificate = NULL;
  g_autoptr(X509_NAME) name = NULL;
  SecretText *bundle;

  key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  if (key == NULL)
    goto failed;

  certificate = X509_new ();
  name = X509_NAME_new ();
  if (certificate == NULL || name == NULL)
    goto failed;

  if (!X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8,
                                   (const unsigned char *) CERTIFICATE_COMMON_NAME, -1, -1, 0)
      || !X509_set_version (certificate, X509_VERSION_3)
      || !set_random_serial (certificate)
      || !set_validity (certificate)
      || !X509_set_subject_name (certificate, name)
      || !X509_set_issuer_name (certificate, name)
      || !X509_set_pubkey (certificate, key)
      || !add_extension (certificate, NID_basic_constraints, "critical,CA:FALSE")
      || !add_extension (certificate, NID_key_usage, "critical,digitalSignature")
      || !add_extension (certificate, NID_subject_key_identifier, "hash")
      || X509_sign (certificate, key, EVP_sha256 ()) <= 0)
    goto failed;

  bundle = bundle_to_pem (certificate, key);
  if (bundle == NULL)
    goto failed;

  return bundle;

failed:
  {
    unsigned long code = ERR_peek_last_error ();
    const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;

    g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_GENERATE,
                 _("Could not create a new key and certificate: %s"),
                 reason != NULL ? reason : _("OpenSSL failed"));
    ERR_clear_error ();
    return NULL;
  }
}

static gboolean
ensure_directory (const char  *directory,
                  GError     **error)
{
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display_name = g_filename_display_name (directory);

      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_SAVE,
                   _("Could not create the directory “%s” for the identity: %s"),
                   display_name, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Reads the identity file at @path into *@text. A missing file is not an error: then it
 * returns FALSE with *@missing set. A file other users may read or change is refused, as ssh
 * refuses such a private key: its key may already be known to someone else. */
static gboolean
read_identity_file (const char  *path,
                    SecretText **text,
                    gsize       *length,
                    gboolean    *missing,
                    GError     **error)
{
  g_autofree char *display_name = g_filename_display_name (path);
  g_autoptr(SecretText) buffer = NULL;
  const char *problem = NULL;
  struct stat info;
  gsize filled = 0;
  int saved_errno;
  int fd;

  *missing = FALSE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        {
          *missing = TRUE;
          return FALSE;
        }
      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_LOAD,
                   _("Could not read the identity file “%s”: %s"),
                   display_name, g_strerror (saved_errno));
      return FALSE;
    }

  /* The checks and the read use the same descriptor, so they are about the same file. */
  if (fstat (fd, &info) != 0)
    problem = g_strerror (errno);
  else if (!S_ISREG (info.st_mode))
    problem = _("it is not a regular file");
  else if (info.st_size > MAX_FILE_SIZE)
    problem = _("it is far too large");
  if (problem != NULL)
    {
      g_close (fd, NULL);
      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_LOAD,
                   _("Could not read the identity file “%s”: %s"), display_name, problem);
      return FALSE;
    }
  if ((info.st_mode & 0077) != 0)
    {
      g_autofree char *quoted = g_shell_quote (path);

      g_close (fd, NULL);
      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_PERMISSIONS,
                   _("The identity file “%s” is accessible by other users (mode %04o), so its "
                     "private key may not be private. Run “chmod 600 %s” if nobody else could "
                     "have read it, or move it away to create a new identity"),
                   display_name, (guint) (info.st_mode & 07777), quoted);
      return FALSE;
    }

  buffer = g_malloc (info.st_size + 1);
  while (filled < (gsize) info.st_size)
    {
      gssize got = read (fd, buffer + filled, info.st_size - filled);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      filled += got;
    }
  saved_errno = errno;
  g_close (fd, NULL);
  /* Terminated where the read stopped, so secret_text_free () wipes all of it. */
  buffer[filled] = '\0';
  if (filled < (gsize) info.st_size)
    {
      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_LOAD,
                   _("Could not read the identity file “%s”: %s"), display_name,
                   g_strerror (saved_errno));
      return FALSE;
    }

  *text = g_steal_pointer (&buffer);
  *length = filled;
  return TRUE;
}

/* Loads the identity file at @path; *@missing tells when there is none. */
static BeaconIdentity *
load_identity (const char  *path,
               gboolean    *missing,
               GError     **error)
{
  g_autoptr(SecretText) text = NULL;
  gsize length = 0;

  if (!read_identity_file (path, &text, &length, missing, error))
    return NULL;

  return identity_new_from_text (path, text, length, BEACON_IDENTITY_ERROR_LOAD, error);
}

/* Stores @self's bundle at @path unless a file is already there. The bundle is written to a
 * 0600 temporary file next to @path, then linked to @path: link () never replaces a file, so
 * of several processes creating the identity at once exactly one wins, and the others see a
 * complete file. *@exists tells that another one won. */
static gboolean
save_new_identity (BeaconIdentity  *self,
                   const char      *directory,
                   const char      *path,
                   gboolean        *exists,
                   GError         **error)
{
  g_autofree char *temporary = g_build_filename (directory, ".identity-XXXXXX.pem", NULL);
  g_autoptr(GError) local_error = NULL;
  gsize length = strlen (self->pem_bundle);
  gsize written = 0;
  int saved_errno = 0;
  gboolean linked;
  int fd;

  *exists = FALSE;
  fd = g_mkstemp_full (temporary, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      goto failed;
    }
  while (written < length)
    {
      gssize done = write (fd, self->pem_bundle + written, length - written);

      if (done < 0 && errno == EINTR)
        continue;
      if (done <= 0)
        break;
      written += done;
    }
  if (written < length || fsync (fd) != 0)
    {
      saved_errno = errno;
      g_close (fd, NULL);
      g_unlink (temporary);
      goto failed;
    }
  g_close (fd, NULL);

  linked = link (temporary, path) == 0;
  saved_errno = errno;
  g_unlink (temporary);
  if (linked)
    return TRUE;
  if (saved_errno == EEXIST)
    {
      *exists = TRUE;
      return FALSE;
    }

  /* A file system without hard links: an atomic rename is the next best thing, and only
   * processes racing on such a file system can still end with different identities. */
  if (!g_file_set_contents_full (path, self->pem_bundle, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_SAVE,
                   _("Could not save the identity: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;

failed:
  {
    g_autofree char *display_name = g_filename_display_name (directory);

    g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_SAVE,
                 _("Could not save the identity in “%s”: %s"), display_name,
                 g_strerror (saved_errno));
    return FALSE;
  }
}

/* Creates an identity and stores it at @path: replacing what is there when @replace, else
 * only where there is none, returning the stored one if another process was quicker. */
static BeaconIdentity *
create_identity (const char  *directory,
                 const char  *path,
                 gboolean     replace,
                 GError     **error)
{
  g_autoptr(BeaconIdentity) self = NULL;
  g_autoptr(SecretText) bundle = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!ensure_directory (directory, error))
    return NULL;

  bundle = generate_bundle (error);
  if (bundle == NULL)
    return NULL;

  /* Check what was generated the same way a stored file is checked before it replaces
   * anything on disk. */
  self = identity_new_from_text (path, bundle, strlen (bundle), BEACON_IDENTITY_ERROR_GENERATE,
                                 error);
  if (self == NULL)
    return NULL;

  if (!replace)
    {
      gboolean exists = FALSE;
      gboolean missing = FALSE;

      if (!save_new_identity (self, directory, path, &exists, error))
        return exists ? load_identity (path, &missing, error) : NULL;
    }
  /* Written to a 0600 temporary file, then renamed over the old one: the key is never readable
   * by others, and a crash leaves either the old identity or the new one. */
  else if (!g_file_set_contents_full (path, self->pem_bundle, -1,
                                      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                      0600, &local_error))
    {
      g_set_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_SAVE,
                   _("Could not save the identity: %s"), local_error->message);
      return NULL;
    }

  g_debug ("Created a new identity with fingerprint %s in %s", self->fingerprint, path);

  return g_steal_pointer (&self);
}

BeaconIdentity *
beacon_identity_load_or_create (const char  *directory,
                                GError     **error)
{
  g_autofree char *resolved = NULL;
  g_autofree char *path = NULL;
  g_autoptr(BeaconIdentity) identity = NULL;
  gboolean missing = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  resolved = directory != NULL ? g_strdup (directory) : beacon_identity_dup_default_directory ();
  path = g_build_filename (resolved, IDENTITY_FILE_NAME, NULL);

  identity = load_identity (path, &missing, error);
  if (identity == NULL && missing)
    return create_identity (resolved, path, FALSE, error);

  return g_steal_pointer (&identity);
}

static void
load_or_create_in_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  const char *directory = task_data;
  GError *error = NULL;
  BeaconIdentity *identity = beacon_identity_load_or_create (directory, &error);

  /* A key made here gave this pool thread OpenSSL's per-thread random generators; a pool
   * thread ends without telling OpenSSL, so they are released now (a later use on this
   * thread makes new ones). */
  OPENSSL_thread_stop ();
  if (identity == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, identity, g_object_unref);
}

void
beacon_identity_load_or_create_async (const char          *directory,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_identity_load_or_create_async);
  g_task_set_task_data (task, g_strdup (directory), g_free);
  g_task_run_in_thread (task, load_or_create_in_thread);
}

BeaconIdentity *
beacon_identity_load_or_create_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        beacon_identity_load_or_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

BeaconIdentity *
beacon_identity_create_new (const char  *directory,
                            GError     **error)
{
  g_autofree char *resolved = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  resolved = directory != NULL ? g_strdup (directory) : beacon_identity_dup_default_directory ();
  path = g_build_filename (resolved, IDENTITY_FILE_NAME, NULL);

  return create_identity (resolved, path, TRUE, error);
}

const char *
beacon_identity_get_fingerprint (BeaconIdentity *self)
{
  g_return_val_if_fail (BEACON_IS_IDENTITY (self), NULL);

  return self->fingerprint;
}

const char *
beacon_identity_get_certificate_pem (BeaconIdentity *self)
{
  g_return_val_if_fail (BEACON_IS_IDENTITY (self), NULL);

  return self->certificate_pem;
}

const char *
beacon_identity_get_pem_bundle (BeaconIdentity *self)
{
  g_return_val_if_fail (BEACON_IS_IDENTITY (self), NULL);

  return self->pem_bundle;
}

GTlsCertificate *
beacon_identity_get_tls_certificate (BeaconIdentity *self)
{
  g_return_val_if_fail (BEACON_IS_IDENTITY (self), NULL);

  return self->tls_certificate;
}

const char *
beacon_identity_get_path (BeaconIdentity *self)
{
  g_return_val_if_fail (BEACON_IS_IDENTITY (self), NULL);

  return self->path;
}

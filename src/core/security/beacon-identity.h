/* beacon-identity.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_IDENTITY_ERROR (beacon_identity_error_quark ())

typedef enum {
  BEACON_IDENTITY_ERROR_GENERATE,  /* OpenSSL could not create the key or certificate */
  BEACON_IDENTITY_ERROR_LOAD,      /* the stored file is unreadable or not a key + certificate */
  BEACON_IDENTITY_ERROR_SAVE,      /* the file could not be written */
  BEACON_IDENTITY_ERROR_PERMISSIONS, /* the file is accessible by other users */
} BeaconIdentityError;

GQuark beacon_identity_error_quark (void);

#define BEACON_TYPE_IDENTITY (beacon_identity_get_type ())

G_DECLARE_FINAL_TYPE (BeaconIdentity, beacon_identity, BEACON, IDENTITY, GObject)

/* The directory that holds the user's identity: $BEACON_DATA_DIR if set, else
 * g_get_user_data_dir()/beacon. */
char *beacon_identity_dup_default_directory (void);

/* Loads "identity.pem" (certificate + PKCS#8 private key, PEM) from @directory, creating the
 * directory (0700) and a new ECDSA P-256 key with a self-signed X.509 certificate (file mode
 * 0600) when it does not exist yet. A NULL @directory means the default directory. A file
 * that group or others may access is refused (BEACON_IDENTITY_ERROR_PERMISSIONS). Processes
 * that create it at the same time all end with the same identity. */
BeaconIdentity *beacon_identity_load_or_create     (const char      *directory,
                                                    GError         **error);
/* The same on a worker thread: creating an identity waits for the disk (fsync), which the
 * main loop that carries media and signaling must not do. The result arrives on the thread
 * default main context of the caller. */
void            beacon_identity_load_or_create_async  (const char          *directory,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
BeaconIdentity *beacon_identity_load_or_create_finish (GAsyncResult        *result,
                                                       GError             **error);
/* Replaces the stored identity with a newly generated one and returns it. */
BeaconIdentity *beacon_identity_create_new     (const char  *directory,
                                                GError     **error);

/* "AB:CD:…" — upper-case hex SHA-256 of the certificate's DER encoding, colon separated. */
const char      *beacon_identity_get_fingerprint     (BeaconIdentity *self);
const char      *beacon_identity_get_certificate_pem (BeaconIdentity *self);
/* Certificate followed by private key, as webrtc's dtlssrtpdec "pem" property takes it.
 * Holds the private key: never log or display it. */
const char      *beacon_identity_get_pem_bundle      (BeaconIdentity *self);
GTlsCertificate *beacon_identity_get_tls_certificate (BeaconIdentity *self);
const char      *beacon_identity_get_path            (BeaconIdentity *self);

G_END_DECLS

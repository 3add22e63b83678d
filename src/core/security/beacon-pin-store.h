/* beacon-pin-store.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  BEACON_PIN_STATUS_NEW,      /* first time this server and stream were seen */
  BEACON_PIN_STATUS_MATCHES,  /* the same identity as the first time */
  BEACON_PIN_STATUS_COMPARED, /* the same, and the user compared its four words */
  BEACON_PIN_STATUS_CHANGED,  /* a different identity than the first time */
} BeaconPinStatus;

const char *beacon_pin_status_to_string (BeaconPinStatus status);

/* Trust on first use. Looks up @key (server address and stream) in "pins.json" under
 * @directory (NULL = the identity's default directory). A new key is remembered with
 * @fingerprint. A changed one is replaced only when @remember_change is TRUE. The file is
 * written with mode 0600. On a read or write failure returns FALSE with @error. */
gboolean        beacon_pin_store_check      (const char      *directory,
                                             const char      *key,
                                             const char      *fingerprint,
                                             gboolean         remember_change,
                                             BeaconPinStatus *status,
                                             char           **previous_fingerprint,
                                             GError         **error);
/* The same on a worker thread: remembering an identity waits for the disk (the file is
 * replaced by a rename after an fsync), which the main loop must not do. Checks of one
 * process run one at a time, so that two of them never lose each other's entry. */
void            beacon_pin_store_check_async  (const char          *directory,
                                               const char          *key,
                                               const char          *fingerprint,
                                               gboolean             remember_change,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        beacon_pin_store_check_finish (GAsyncResult        *result,
                                               BeaconPinStatus     *status,
                                               char               **previous_fingerprint,
                                               GError             **error);

/* The user compared the four words of the remembered identity @fingerprint of @key with the
 * other side. When they @matched, it is "compared" from now on, until the identity changes;
 * when not, it is forgotten: it may be whoever sat in the middle, and the next connection
 * must not call it known. Fails when @key's remembered identity is not @fingerprint (it
 * changed meanwhile). */
gboolean beacon_pin_store_record_comparison        (const char          *directory,
                                                    const char          *key,
                                                    const char          *fingerprint,
                                                    gboolean             matched,
                                                    GError             **error);
void     beacon_pin_store_record_comparison_async  (const char          *directory,
                                                    const char          *key,
                                                    const char          *fingerprint,
                                                    gboolean             matched,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean beacon_pin_store_record_comparison_finish (GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS

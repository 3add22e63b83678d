/* beacon-token-store.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-token-store.h"

#include <glib/gi18n.h>

#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>

/* Each kind has its own schema, so that a relay and a server at the same address never share
 * an item. */
static const SecretSchema *
schema_for (BeaconSecretKind kind)
{
  static const SecretSchema token_schema = {
    "io.github.beaconrtc.Beacon.ServerToken", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  /* Keyed by the relay's URL without its password (turn://user@host:3478), which is what
   * GSettings keeps: the two together give back the URL webrtcbin needs. */
  static const SecretSchema turn_schema = {
    "io.github.beaconrtc.Beacon.TurnPassword", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return kind == BEACON_SECRET_TURN_PASSWORD ? &turn_schema : &token_schema;
}
#endif

gboolean
beacon_token_store_is_available (void)
{
#ifdef HAVE_LIBSECRET
  return TRUE;
#else
  return FALSE;
#endif
}

#ifdef HAVE_LIBSECRET
static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      /* Hand the token on in ordinary memory: the task's result outlives libsecret's
       * non-pageable buffer only briefly, and every user copies it into a property anyway. */
      char *token = g_strdup (password);

      secret_password_free (password);
      g_task_return_pointer (task, token, g_free);
    }
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}
#endif

/* The task of a keyring call, or NULL when there is no keyring: then the task has already
 * returned G_IO_ERROR_NOT_SUPPORTED. */
static GTask *
keyring_task_new (gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
#ifndef HAVE_LIBSECRET
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This copy of Beacon was built without libsecret, so it cannot use "
                             "the keyring"));
  return NULL;
#else
  return g_steal_pointer (&task);
#endif
}

void
beacon_token_store_save_async (BeaconSecretKind     kind,
                               const char          *url,
                               const char          *server_name,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (url != NULL && secret != NULL);

  task = keyring_task_new (beacon_token_store_save_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  if (kind == BEACON_SECRET_TURN_PASSWORD)
    /* Translators: the label of a password in the keyring; %s is a TURN server's address
     * without its password, such as turn://user@host:3478. */
    label = g_strdup_printf (_("Beacon TURN password for %s"), url);
  else
    /* Translators: the label of a password in the keyring; %s is the server's name. */
    label = g_strdup_printf (_("Beacon access token for %s"), server_name ? server_name : url);
#ifdef HAVE_LIBSECRET
  secret_password_store (schema_for (kind), SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         stored_cb, g_steal_pointer (&task), "url", url, NULL);
#endif
}

gboolean
beacon_token_store_save_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef enum {
  URL_CALL_LOOKUP,
  URL_CALL_CLEAR,
} UrlCall;

/* Looking up and clearing take the same arguments and differ only in the libsecret call. */
static void
url_call_async (UrlCall              call,
                gpointer             source_tag,
                BeaconSecretKind     kind,
                const char          *url,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = keyring_task_new (source_tag, cancellable, callback, user_data);

  if (task == NULL)
    return;
#ifdef HAVE_LIBSECRET
  if (call == URL_CALL_CLEAR)
    secret_password_clear (schema_for (kind), cancellable, cleared_cb, g_steal_pointer (&task),
                           "url", url, NULL);
  else
    secret_password_lookup (schema_for (kind), cancellable, looked_up_cb,
                            g_steal_pointer (&task), "url", url, NULL);
#endif
}

void
beacon_token_store_lookup_async (BeaconSecretKind     kind,
                                 const char          *url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (url != NULL);

  url_call_async (URL_CALL_LOOKUP, beacon_token_store_lookup_async, kind, url, cancellable,
                  callback, user_data);
}

char *
beacon_token_store_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beacon_token_store_clear_async (BeaconSecretKind     kind,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (url != NULL);

  url_call_async (URL_CALL_CLEAR, beacon_token_store_clear_async, kind, url, cancellable,
                  callback, user_data);
}

gboolean
beacon_token_store_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

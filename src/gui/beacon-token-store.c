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

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.beaconrtc.Beacon.ServerToken", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
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

static gboolean
return_unsupported (GTask *task)
{
#ifndef HAVE_LIBSECRET
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This copy of Beacon was built without libsecret, so it cannot keep "
                             "access tokens"));
  return TRUE;
#else
  return FALSE;
#endif
}

void
beacon_token_store_save_async (const char          *url,
                               const char          *server_name,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (url != NULL && token != NULL);
  g_task_set_source_tag (task, beacon_token_store_save_async);

  if (return_unsupported (task))
    return;
#ifdef HAVE_LIBSECRET
  {
    /* Translators: the label of a password in the keyring; %s is the server's name. */
    g_autofree char *label = g_strdup_printf (_("Beacon access token for %s"),
                                              server_name ? server_name : url);

    secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                           stored_cb, g_steal_pointer (&task), "url", url, NULL);
  }
#endif
}

gboolean
beacon_token_store_save_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
beacon_token_store_lookup_async (const char          *url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (url != NULL);
  g_task_set_source_tag (task, beacon_token_store_lookup_async);

  if (return_unsupported (task))
    return;
#ifdef HAVE_LIBSECRET
  secret_password_lookup (token_schema (), cancellable, looked_up_cb, g_steal_pointer (&task),
                          "url", url, NULL);
#endif
}

char *
beacon_token_store_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beacon_token_store_clear_async (const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (url != NULL);
  g_task_set_source_tag (task, beacon_token_store_clear_async);

  if (return_unsupported (task))
    return;
#ifdef HAVE_LIBSECRET
  secret_password_clear (token_schema (), cancellable, cleared_cb, g_steal_pointer (&task),
                         "url", url, NULL);
#endif
}

gboolean
beacon_token_store_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

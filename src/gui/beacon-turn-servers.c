/* beacon-turn-servers.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-turn-servers.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "beacon-gui-util.h"
#include "beacon-token-store.h"

gboolean
beacon_turn_servers_is_turn_url (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "turn://") || g_str_has_prefix (url, "turns://"));
}

/* Finds the user part of @url: from @user up to @at, with the ':' before a password at @colon
 * (NULL without one). webrtcbin splits it the same way: at the last '@', then at the first
 * ':'. Returns FALSE when @url names no user. */
static gboolean
find_user_part (const char  *url,
                const char **user,
                const char **colon,
                const char **at)
{
  const char *scheme_end = strstr (url, "://");

  if (scheme_end == NULL)
    return FALSE;
  *user = scheme_end + strlen ("://");
  *at = strrchr (*user, '@');
  if (*at == NULL)
    return FALSE;
  *colon = memchr (*user, ':', *at - *user);
  return TRUE;
}

char *
beacon_turn_servers_strip_password (const char  *url,
                                    char       **password)
{
  const char *user;
  const char *colon;
  const char *at;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  *password = NULL;
  if (!find_user_part (url, &user, &colon, &at) || colon == NULL)
    return g_strdup (url);

  /* webrtcbin unescapes the password, so the keyring gets what the relay expects; a password
   * that is not valid escaping is kept as written rather than lost. */
  *password = g_uri_unescape_segment (colon + 1, at, NULL);
  if (*password == NULL)
    *password = g_strndup (colon + 1, at - (colon + 1));
  return g_strdup_printf ("%.*s%s", (int) (colon - url), url, at);
}

char *
beacon_turn_servers_add_password (const char *url,
                                  const char *password)
{
  const char *user;
  const char *colon;
  const char *at;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (!find_user_part (url, &user, &colon, &at))
    return NULL;
  if (colon != NULL)
    return g_strdup (url);
  /* A ':', '@' or '/' in the password would end the user part early. */
  escaped = g_uri_escape_string (password, NULL, FALSE);
  return g_strdup_printf ("%.*s:%s%s", (int) (at - url), url, escaped, at);
}

/* Migration */

typedef struct {
  GSettings *settings;
  GStrv      entries;
  guint      next;
  /* The entry being moved, as GSettings has it, and without its password. */
  char      *entry;
  char      *stripped;
} Migration;

static void
migration_free (Migration *migration)
{
  g_clear_object (&migration->settings);
  g_strfreev (migration->entries);
  g_free (migration->entry);
  g_free (migration->stripped);
  g_free (migration);
}

/* Replaces the entry that still has its password with the one without, where it is now: the
 * user may have changed the list meanwhile. Drops it instead when that server is already
 * listed without a password. */
static void
rewrite_entry (Migration *migration)
{
  g_auto(GStrv) current = g_settings_get_strv (migration->settings, "turn-servers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  gboolean listed = g_strv_contains ((const char * const *) current, migration->stripped);

  for (guint i = 0; current[i] != NULL; i++)
    if (!g_str_equal (current[i], migration->entry))
      g_strv_builder_add (builder, current[i]);
    else if (!listed)
      {
        g_strv_builder_add (builder, migration->stripped);
        listed = TRUE;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (migration->settings, "turn-servers", (const char * const *) updated);
}

static void migrate_next (GTask *task);

static void
migrated_password_stored_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Migration *migration = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (beacon_token_store_save_turn_password_finish (result, &error))
    {
      rewrite_entry (migration);
      g_debug ("Moved the password of the TURN server %s to the keyring", migration->stripped);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    /* Only the stripped URL is logged: the password must not reach a log. */
    g_debug ("The keyring did not take the password of the TURN server %s, so it stays in the "
             "settings until the next start: %s", migration->stripped, error->message);

  migrate_next (g_steal_pointer (&task));
}

static void
migrate_next (GTask *task)
{
  Migration *migration = g_task_get_task_data (task);

  for (; migration->entries[migration->next] != NULL; migration->next++)
    {
      const char *entry = migration->entries[migration->next];
      g_autofree char *password = NULL;
      g_autofree char *stripped = beacon_turn_servers_strip_password (entry, &password);

      if (password == NULL)
        continue;

      migration->next++;
      g_free (migration->entry);
      migration->entry = g_strdup (entry);
      g_free (migration->stripped);
      migration->stripped = g_steal_pointer (&stripped);
      beacon_token_store_save_turn_password_async (migration->stripped, password,
                                                   g_task_get_cancellable (task),
                                                   migrated_password_stored_cb, task);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
beacon_turn_servers_migrate_async (GSettings           *settings,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Migration *migration;

  g_return_if_fail (G_IS_SETTINGS (settings));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_turn_servers_migrate_async);
  migration = g_new0 (Migration, 1);
  migration->settings = g_object_ref (settings);
  migration->entries = g_settings_get_strv (settings, "turn-servers");
  g_task_set_task_data (task, migration, (GDestroyNotify) migration_free);
  migrate_next (g_steal_pointer (&task));
}

gboolean
beacon_turn_servers_migrate_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Resolving */

typedef struct {
  GStrv         entries;
  guint         next;
  GStrvBuilder *servers;
  /* The servers left out, and why the first one was. */
  guint         n_missing;
  char         *first_missing;
  char         *first_reason;
  char         *problem;
} Resolution;

static void
resolution_free (Resolution *resolution)
{
  g_strfreev (resolution->entries);
  g_strv_builder_unref (resolution->servers);
  g_free (resolution->first_missing);
  g_free (resolution->first_reason);
  g_free (resolution->problem);
  g_free (resolution);
}

static void
leave_out (Resolution *resolution,
           const char *entry,
           char       *reason)
{
  g_debug ("Starting without the TURN server %s: %s", entry, reason);
  if (resolution->n_missing++ == 0)
    {
      resolution->first_missing = g_strdup (entry);
      resolution->first_reason = reason;
    }
  else
    g_free (reason);
}

/* Whether @entry names a user but not the password, which the keyring then has. */
static gboolean
needs_keyring (const char *entry)
{
  const char *user;
  const char *colon;
  const char *at;

  return find_user_part (entry, &user, &colon, &at) && colon == NULL;
}

GStrv
beacon_turn_servers_try_resolve (GSettings *settings)
{
  g_auto(GStrv) entries = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  entries = g_settings_get_strv (settings, "turn-servers");
  for (guint i = 0; entries[i] != NULL; i++)
    if (needs_keyring (entries[i]))
      return NULL;
  return g_steal_pointer (&entries);
}

static void resolve_next (GTask *task);

static void
resolved_password_looked_up_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolution *resolution = g_task_get_task_data (task);
  const char *entry = resolution->entries[resolution->next++];
  g_autoptr(GError) error = NULL;
  g_autofree char *password = beacon_token_store_lookup_turn_password_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    /* Translators: %s is the keyring's error message. */
    leave_out (resolution, entry,
               g_strdup_printf (_("the keyring is locked or unavailable (%s)"), error->message));
  else if (password == NULL)
    leave_out (resolution, entry,
               g_strdup (_("its password is not in the keyring; add the server again in the "
                           "preferences")));
  else
    {
      g_autofree char *server = beacon_turn_servers_add_password (entry, password);

      g_strv_builder_add (resolution->servers, server);
    }

  resolve_next (g_steal_pointer (&task));
}

static char *
describe_missing (Resolution *resolution)
{
  if (resolution->n_missing == 0)
    return NULL;
  if (resolution->n_missing == 1)
    /* Translators: the first %s is a TURN server such as turn://user@host:3478, the second
     * why it is not used. */
    return g_strdup_printf (_("Starting without the TURN server %s: %s"),
                            resolution->first_missing, resolution->first_reason);
  /* Translators: %u is a number of TURN servers (at least two), the first %s one of them, the
   * second why it is not used. */
  return g_strdup_printf (ngettext ("Starting without %u TURN servers, such as %s: %s",
                                    "Starting without %u TURN servers, such as %s: %s",
                                    resolution->n_missing),
                          resolution->n_missing, resolution->first_missing,
                          resolution->first_reason);
}

static void
resolve_next (GTask *task)
{
  Resolution *resolution = g_task_get_task_data (task);

  for (; resolution->entries[resolution->next] != NULL; resolution->next++)
    {
      const char *entry = resolution->entries[resolution->next];

      /* An entry that names no user and one that still has its password (the keyring did not
       * take it yet) have nothing to look up. */
      if (!needs_keyring (entry))
        {
          g_strv_builder_add (resolution->servers, entry);
          continue;
        }
      beacon_token_store_lookup_turn_password_async (entry, g_task_get_cancellable (task),
                                                     resolved_password_looked_up_cb, task);
      return;
    }

  resolution->problem = describe_missing (resolution);
  g_task_return_pointer (task, g_strv_builder_end (resolution->servers),
                         (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

void
beacon_turn_servers_resolve_async (GSettings           *settings,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Resolution *resolution;

  g_return_if_fail (G_IS_SETTINGS (settings));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_turn_servers_resolve_async);
  resolution = g_new0 (Resolution, 1);
  resolution->entries = g_settings_get_strv (settings, "turn-servers");
  resolution->servers = g_strv_builder_new ();
  g_task_set_task_data (task, resolution, (GDestroyNotify) resolution_free);
  resolve_next (g_steal_pointer (&task));
}

GStrv
beacon_turn_servers_resolve_finish (GAsyncResult  *result,
                                    char         **problem,
                                    GError       **error)
{
  Resolution *resolution;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (problem != NULL, NULL);

  resolution = g_task_get_task_data (G_TASK (result));
  *problem = g_steal_pointer (&resolution->problem);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beacon_turn_servers_hand_over (BeaconSession      *session,
                               const char * const *servers,
                               const char         *problem,
                               GtkWidget          *widget)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_if_fail (BEACON_IS_SESSION (session));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (problem != NULL)
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
      /* A toast's title is markup; the problem names URLs, which may hold a '&'. */
      g_autofree char *title = g_markup_escape_text (problem, -1);

      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
    }
  g_value_init (&value, G_TYPE_STRV);
  g_value_set_boxed (&value, servers);
  beacon_object_set_if_present (session, "turn-servers", &value);
}

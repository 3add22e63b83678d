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

/* Walking the list: one keyring call at a time, in the order of the list. Migrating and
 * handing over each use their own part of the state. */

typedef struct {
  GSettings     *settings;
  GStrv          entries;
  guint          next;
  /* Migrating: the entry being moved, as GSettings has it, and without its password. */
  char          *entry;
  char          *stripped;
  /* Handing over: to whom, the full URLs so far, and the servers left out (why the first
   * one was). */
  BeaconSession *session;
  GtkWidget     *widget;
  GStrvBuilder  *servers;
  guint          n_missing;
  char          *first_missing;
  char          *first_reason;
} Walk;

static void
walk_free (Walk *walk)
{
  g_clear_object (&walk->settings);
  g_strfreev (walk->entries);
  g_free (walk->entry);
  g_free (walk->stripped);
  g_clear_object (&walk->session);
  g_clear_object (&walk->widget);
  g_clear_pointer (&walk->servers, g_strv_builder_unref);
  g_free (walk->first_missing);
  g_free (walk->first_reason);
  g_free (walk);
}

static GTask *
walk_task_new (GSettings           *settings,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Walk *walk = g_new0 (Walk, 1);

  g_task_set_source_tag (task, source_tag);
  walk->settings = g_object_ref (settings);
  walk->entries = g_settings_get_strv (settings, "turn-servers");
  g_task_set_task_data (task, walk, (GDestroyNotify) walk_free);
  return task;
}

/* Migration */

/* Replaces the entry that still has its password with the one without, where it is now: the
 * user may have changed the list meanwhile. Drops it instead when that server is already
 * listed without a password. */
static void
rewrite_entry (Walk *walk)
{
  g_auto(GStrv) current = g_settings_get_strv (walk->settings, "turn-servers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  gboolean listed = g_strv_contains ((const char * const *) current, walk->stripped);

  for (guint i = 0; current[i] != NULL; i++)
    if (!g_str_equal (current[i], walk->entry))
      g_strv_builder_add (builder, current[i]);
    else if (!listed)
      {
        g_strv_builder_add (builder, walk->stripped);
        listed = TRUE;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (walk->settings, "turn-servers", (const char * const *) updated);
}

static void migrate_next (GTask *task);

static void
migrated_password_stored_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Walk *walk = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (beacon_token_store_save_finish (result, &error))
    {
      rewrite_entry (walk);
      g_debug ("Moved the password of the TURN server %s to the keyring", walk->stripped);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    /* Only the stripped URL is logged: the password must not reach a log. */
    g_debug ("The keyring did not take the password of the TURN server %s, so it stays in the "
             "settings until the next start: %s", walk->stripped, error->message);

  migrate_next (g_steal_pointer (&task));
}

/* Takes @task. */
static void
migrate_next (GTask *task)
{
  Walk *walk = g_task_get_task_data (task);

  for (; walk->entries[walk->next] != NULL; walk->next++)
    {
      const char *entry = walk->entries[walk->next];
      g_autofree char *password = NULL;
      g_autofree char *stripped = beacon_turn_servers_strip_password (entry, &password);

      if (password == NULL)
        continue;

      walk->next++;
      g_free (walk->entry);
      walk->entry = g_strdup (entry);
      g_free (walk->stripped);
      walk->stripped = g_steal_pointer (&stripped);
      beacon_token_store_save_async (BEACON_SECRET_TURN_PASSWORD, walk->stripped, NULL,
                                     password, g_task_get_cancellable (task),
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
  g_return_if_fail (G_IS_SETTINGS (settings));

  migrate_next (walk_task_new (settings, beacon_turn_servers_migrate_async, cancellable,
                               callback, user_data));
}

gboolean
beacon_turn_servers_migrate_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Handing over */

/* Whether @entry names a user but not the password, which the keyring then has. */
static gboolean
needs_keyring (const char *entry)
{
  const char *user;
  const char *colon;
  const char *at;

  return find_user_part (entry, &user, &colon, &at) && colon == NULL;
}

static void
set_session_servers (BeaconSession      *session,
                     const char * const *servers)
{
  g_object_set (session, "turn-servers", servers, NULL);
}

gboolean
beacon_turn_servers_hand_over_now (GSettings     *settings,
                                   BeaconSession *session)
{
  g_auto(GStrv) entries = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (BEACON_IS_SESSION (session), FALSE);

  entries = g_settings_get_strv (settings, "turn-servers");
  for (guint i = 0; entries[i] != NULL; i++)
    if (needs_keyring (entries[i]))
      return FALSE;
  set_session_servers (session, (const char * const *) entries);
  return TRUE;
}

static void
leave_out (Walk       *walk,
           const char *entry,
           char       *reason)
{
  g_debug ("Starting without the TURN server %s: %s", entry, reason);
  if (walk->n_missing++ == 0)
    {
      walk->first_missing = g_strdup (entry);
      walk->first_reason = reason;
    }
  else
    g_free (reason);
}

static void hand_over_next (GTask *task);

static void
handed_over_password_looked_up_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Walk *walk = g_task_get_task_data (task);
  const char *entry = walk->entries[walk->next++];
  g_autoptr(GError) error = NULL;
  g_autofree char *password = beacon_token_store_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    /* Translators: %s is the keyring's error message. */
    leave_out (walk, entry,
               g_strdup_printf (_("the keyring is locked or unavailable (%s)"), error->message));
  else if (password == NULL)
    leave_out (walk, entry,
               g_strdup (_("its password is not in the keyring; add the server again in the "
                           "preferences")));
  else
    {
      g_autofree char *server = beacon_turn_servers_add_password (entry, password);

      g_strv_builder_add (walk->servers, server);
    }

  hand_over_next (g_steal_pointer (&task));
}

/* Says which servers were left out and why, in a toast of the window of @walk's widget. */
static void
show_missing (Walk *walk)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (walk->widget, ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *problem = NULL;
  g_autofree char *title = NULL;

  if (walk->n_missing == 0 || overlay == NULL)
    return;
  if (walk->n_missing == 1)
    /* Translators: the first %s is a TURN server such as turn://user@host:3478, the second
     * why it is not used. */
    problem = g_strdup_printf (_("Starting without the TURN server %s: %s"),
                               walk->first_missing, walk->first_reason);
  else
    /* Translators: %u is a number of TURN servers (at least two), the first %s one of them,
     * the second why it is not used. */
    problem = g_strdup_printf (ngettext ("Starting without %u TURN servers, such as %s: %s",
                                         "Starting without %u TURN servers, such as %s: %s",
                                         walk->n_missing),
                               walk->n_missing, walk->first_missing, walk->first_reason);
  /* A toast's title is markup; the problem names URLs, which may hold a '&'. */
  title = g_markup_escape_text (problem, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

/* Takes @task. */
static void
hand_over_next (GTask *task)
{
  Walk *walk = g_task_get_task_data (task);
  g_auto(GStrv) servers = NULL;

  for (; walk->entries[walk->next] != NULL; walk->next++)
    {
      const char *entry = walk->entries[walk->next];

      /* An entry that names no user and one that still has its password (the keyring did not
       * take it yet) have nothing to look up. */
      if (!needs_keyring (entry))
        {
          g_strv_builder_add (walk->servers, entry);
          continue;
        }
      beacon_token_store_lookup_async (BEACON_SECRET_TURN_PASSWORD, entry,
                                       g_task_get_cancellable (task),
                                       handed_over_password_looked_up_cb, task);
      return;
    }

  servers = g_strv_builder_end (walk->servers);
  set_session_servers (walk->session, (const char * const *) servers);
  show_missing (walk);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
beacon_turn_servers_hand_over_async (GSettings           *settings,
                                     BeaconSession       *session,
                                     GtkWidget           *widget,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  Walk *walk;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (BEACON_IS_SESSION (session));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  task = walk_task_new (settings, beacon_turn_servers_hand_over_async, cancellable, callback,
                        user_data);
  walk = g_task_get_task_data (task);
  walk->session = g_object_ref (session);
  walk->widget = g_object_ref (widget);
  walk->servers = g_strv_builder_new ();
  hand_over_next (task);
}

gboolean
beacon_turn_servers_hand_over_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

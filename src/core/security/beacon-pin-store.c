/* beacon-pin-store.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-pin-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "beacon-fingerprint.h"
#include "beacon-identity.h"
#include "beacon-json.h"

/* An entry is about 150 bytes: this is thousands of remembered identities. */
#define MAX_PINS_FILE_SIZE (1024 * 1024)

const char *
beacon_pin_status_to_string (BeaconPinStatus status)
{
  switch (status)
    {
    case BEACON_PIN_STATUS_MATCHES:
      return "matches";
    case BEACON_PIN_STATUS_CHANGED:
      return "changed";
    case BEACON_PIN_STATUS_NEW:
    default:
      return "new";
    }
}

/* Every check of the process, on the main thread or a worker, reads and rewrites the file
 * under this lock: two at once would each write back what they read, losing an entry. */
static GMutex pins_file_lock;

gboolean
beacon_pin_store_check (const char       *directory,
                        const char       *key,
                        const char       *fingerprint,
                        gboolean          remember_change,
                        BeaconPinStatus  *status,
                        char            **previous_fingerprint,
                        GError          **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&pins_file_lock);
  g_autofree char *default_directory = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) pins = NULL;
  g_autoptr(GError) load_error = NULL;
  gsize length;
  const char *known = NULL;

  if (directory == NULL)
    directory = default_directory = beacon_identity_dup_default_directory ();
  path = g_build_filename (directory, "pins.json", NULL);

  /* The file may have been written by anything, so it gets the limits of network input. */
  if (g_file_get_contents (path, &contents, &length, &load_error))
    root = beacon_json_parse (contents, length, BEACON_JSON_MAX_DEPTH, MAX_PINS_FILE_SIZE,
                              &load_error);

  if (root != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s is damaged: it is not a JSON object; remove it to start over", path);
          return FALSE;
        }
      pins = json_object_ref (json_node_get_object (root));
    }
  else if (g_error_matches (load_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      pins = json_object_new ();
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "could not read the remembered identities in %s: %s", path,
                   load_error->message);
      return FALSE;
    }

  if (json_object_has_member (pins, key))
    {
      JsonNode *entry = json_object_get_member (pins, key);

      if (JSON_NODE_HOLDS_OBJECT (entry))
        known = json_object_get_string_member_with_default (json_node_get_object (entry),
                                                            "fingerprint", NULL);
    }

  if (previous_fingerprint != NULL)
    *previous_fingerprint = g_strdup (known);
  if (known != NULL && beacon_fingerprint_equal (known, fingerprint))
    {
      *status = BEACON_PIN_STATUS_MATCHES;
      return TRUE;
    }
  *status = known == NULL ? BEACON_PIN_STATUS_NEW : BEACON_PIN_STATUS_CHANGED;
  if (known != NULL && !remember_change)
    return TRUE;

  {
    g_autoptr(JsonObject) entry = json_object_new ();
    g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *text = NULL;
    g_autofree char *remembered = g_date_time_format_iso8601 (now);

    json_object_set_string_member (entry, "fingerprint", fingerprint);
    json_object_set_string_member (entry, "remembered", remembered);
    json_object_set_object_member (pins, key, g_steal_pointer (&entry));
    json_node_set_object (root, pins);
    json_generator_set_root (generator, root);
    json_generator_set_pretty (generator, TRUE);
    text = json_generator_to_data (generator, NULL);

    if (g_mkdir_with_parents (directory, 0700) != 0)
      {
        int saved_errno = errno;

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "could not create %s: %s", directory, g_strerror (saved_errno));
        return FALSE;
      }
    if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
      return FALSE;
  }
  return TRUE;
}

typedef struct {
  char            *directory;
  char            *key;
  char            *fingerprint;
  gboolean         remember_change;
  BeaconPinStatus  status;
  char            *previous_fingerprint;
} PinCheck;

static void
pin_check_free (gpointer data)
{
  PinCheck *check = data;

  g_free (check->directory);
  g_free (check->key);
  g_free (check->fingerprint);
  g_free (check->previous_fingerprint);
  g_free (check);
}

static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PinCheck *check = task_data;
  GError *error = NULL;

  if (beacon_pin_store_check (check->directory, check->key, check->fingerprint,
                              check->remember_change, &check->status,
                              &check->previous_fingerprint, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
beacon_pin_store_check_async (const char          *directory,
                              const char          *key,
                              const char          *fingerprint,
                              gboolean             remember_change,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PinCheck *check;

  g_return_if_fail (key != NULL && fingerprint != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  check = g_new0 (PinCheck, 1);
  check->directory = g_strdup (directory);
  check->key = g_strdup (key);
  check->fingerprint = g_strdup (fingerprint);
  check->remember_change = remember_change;
  g_task_set_source_tag (task, beacon_pin_store_check_async);
  g_task_set_task_data (task, check, pin_check_free);
  g_task_run_in_thread (task, check_in_thread);
}

gboolean
beacon_pin_store_check_finish (GAsyncResult     *result,
                               BeaconPinStatus  *status,
                               char            **previous_fingerprint,
                               GError          **error)
{
  PinCheck *check;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        beacon_pin_store_check_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  check = g_task_get_task_data (G_TASK (result));
  *status = check->status;
  if (previous_fingerprint != NULL)
    *previous_fingerprint = g_steal_pointer (&check->previous_fingerprint);
  return TRUE;
}

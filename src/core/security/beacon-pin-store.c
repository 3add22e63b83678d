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
    case BEACON_PIN_STATUS_COMPARED:
      return "compared";
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

/* Reads "pins.json" at @path into a new object (empty when there is no file yet). */
static JsonObject *
load_pins (const char  *path,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) load_error = NULL;
  gsize length;

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
          return NULL;
        }
      return json_object_ref (json_node_get_object (root));
    }
  if (g_error_matches (load_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return json_object_new ();

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "could not read the remembered identities in %s: %s", path, load_error->message);
  return NULL;
}

static gboolean
save_pins (const char  *directory,
           const char  *path,
           JsonObject  *pins,
           GError     **error)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

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
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static char *
dup_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

/* The entry of @key, when it is an object. */
static JsonObject *
lookup_entry (JsonObject *pins,
              const char *key)
{
  JsonNode *entry = json_object_get_member (pins, key);

  return entry != NULL && JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL;
}

/* The pins file of a directory (NULL: the identity's default one), read: its pins, and one
 * key's entry and the fingerprint it remembers, when there is one. */
typedef struct {
  char       *directory;
  char       *path;
  JsonObject *pins;
  JsonObject *entry;   /* nullable, in pins */
  const char *known;   /* nullable, in entry */
} PinsFile;

static void
pins_file_clear (PinsFile *file)
{
  g_free (file->directory);
  g_free (file->path);
  g_clear_pointer (&file->pins, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PinsFile, pins_file_clear)

static gboolean
pins_file_open (PinsFile    *file,
                const char  *directory,
                const char  *key,
                GError     **error)
{
  file->directory = directory ? g_strdup (directory) : beacon_identity_dup_default_directory ();
  file->path = g_build_filename (file->directory, "pins.json", NULL);
  file->pins = load_pins (file->path, error);
  if (file->pins == NULL)
    return FALSE;
  file->entry = lookup_entry (file->pins, key);
  if (file->entry != NULL)
    file->known = json_object_get_string_member_with_default (file->entry, "fingerprint", NULL);
  return TRUE;
}

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
  g_auto(PinsFile) file = { 0 };
  g_autoptr(JsonObject) new_entry = NULL;
  g_autofree char *remembered = NULL;
  const char *known;

  if (!pins_file_open (&file, directory, key, error))
    return FALSE;
  known = file.known;
  if (previous_fingerprint != NULL)
    *previous_fingerprint = g_strdup (known);
  if (known != NULL && beacon_fingerprint_equal (known, fingerprint))
    {
      /* The words belong to this identity: a changed one replaces the entry, and them. */
      *status = json_object_has_member (file.entry, "words_compared") ? BEACON_PIN_STATUS_COMPARED
                                                                 : BEACON_PIN_STATUS_MATCHES;
      return TRUE;
    }
  *status = known == NULL ? BEACON_PIN_STATUS_NEW : BEACON_PIN_STATUS_CHANGED;
  if (known != NULL && !remember_change)
    return TRUE;

  remembered = dup_now_iso8601 ();
  new_entry = json_object_new ();
  json_object_set_string_member (new_entry, "fingerprint", fingerprint);
  json_object_set_string_member (new_entry, "remembered", remembered);
  json_object_set_object_member (file.pins, key, g_steal_pointer (&new_entry));
  return save_pins (file.directory, file.path, file.pins, error);
}

gboolean
beacon_pin_store_record_comparison (const char  *directory,
                                    const char  *key,
                                    const char  *fingerprint,
                                    gboolean     matched,
                                    GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&pins_file_lock);
  g_auto(PinsFile) file = { 0 };
  g_autofree char *compared = NULL;

  if (!pins_file_open (&file, directory, key, error))
    return FALSE;
  if (file.known == NULL || !beacon_fingerprint_equal (file.known, fingerprint))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "the identity whose words were compared is not the one remembered for %s",
                   key);
      return FALSE;
    }
  if (matched)
    {
      compared = dup_now_iso8601 ();
      json_object_set_string_member (file.entry, "words_compared", compared);
    }
  else
    json_object_remove_member (file.pins, key);
  return save_pins (file.directory, file.path, file.pins, error);
}

typedef struct {
  char            *directory;
  char            *key;
  char            *fingerprint;
  /* Whether the identity is written down: a changed one accepted (check), or its words
   * matched (record_comparison). */
  gboolean         keep_identity;
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
                              check->keep_identity, &check->status,
                              &check->previous_fingerprint, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Runs @func on a worker thread with a PinCheck of copies; @flag is keep_identity. */
static void
run_pin_task (const char          *directory,
              const char          *key,
              const char          *fingerprint,
              gboolean             flag,
              gpointer             source_tag,
              GTaskThreadFunc      func,
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
  check->keep_identity = flag;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, check, pin_check_free);
  g_task_run_in_thread (task, func);
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
  run_pin_task (directory, key, fingerprint, remember_change, beacon_pin_store_check_async,
                check_in_thread, cancellable, callback, user_data);
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

static void
record_comparison_in_thread (GTask        *task,
                             gpointer      source_object,
                             gpointer      task_data,
                             GCancellable *cancellable)
{
  PinCheck *check = task_data;
  GError *error = NULL;

  if (beacon_pin_store_record_comparison (check->directory, check->key, check->fingerprint,
                                          check->keep_identity, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
beacon_pin_store_record_comparison_async (const char          *directory,
                                          const char          *key,
                                          const char          *fingerprint,
                                          gboolean             matched,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  run_pin_task (directory, key, fingerprint, matched, beacon_pin_store_record_comparison_async,
                record_comparison_in_thread, cancellable, callback, user_data);
}

gboolean
beacon_pin_store_record_comparison_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        beacon_pin_store_record_comparison_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* beacon-test-process.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-process.h"

#include "beacon-test-child.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>

struct _BeaconTestProcess
{
  GSubprocess      *subprocess;
  GDataInputStream *out;
  GDataInputStream *err;
  GString          *out_text;
  GString          *err_text;
  GCancellable     *cancellable;
  gboolean          out_closed;
  gboolean          err_closed;
  gboolean          exited;
  int               status;
};

typedef struct {
  BeaconTestProcess *process;
  gboolean           is_stdout;
} Reader;

static void read_next_line (Reader *reader);

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (reader->is_stdout)
            reader->process->out_closed = TRUE;
          else
            reader->process->err_closed = TRUE;
        }
      g_free (reader);
      return;
    }
  g_string_append_printf (reader->is_stdout ? reader->process->out_text
                                            : reader->process->err_text, "%s\n", line);
  if (g_getenv ("BEACON_TEST_VERBOSE") != NULL)
    g_printerr ("# [%p %s] %s\n", (void *) reader->process,
                reader->is_stdout ? "out" : "err", line);
  read_next_line (reader);
}

static void
read_next_line (Reader *reader)
{
  g_data_input_stream_read_line_async (reader->is_stdout ? reader->process->out
                                                         : reader->process->err,
                                       G_PRIORITY_DEFAULT, reader->process->cancellable,
                                       line_read_cb, reader);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  BeaconTestProcess *process = user_data;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL))
    return;
  process->exited = TRUE;
  if (g_subprocess_get_if_exited (process->subprocess))
    process->status = g_subprocess_get_exit_status (process->subprocess);
  else
    process->status = 128 + g_subprocess_get_term_sig (process->subprocess);
}

/* A child outlives a test that aborts; this makes the kernel end it with its parent. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

BeaconTestProcess *
beacon_test_process_start (const char         *data_dir,
                           const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) full_argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  BeaconTestProcess *process = g_new0 (BeaconTestProcess, 1);
  const char *cli = g_getenv ("BEACON_CLI");
  Reader *reader;

  g_assert_nonnull (cli);
  g_ptr_array_add (full_argv, (gpointer) cli);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full_argv, (gpointer) argv[i]);
  g_ptr_array_add (full_argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BEACON_DATA_DIR", data_dir, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process->subprocess = g_subprocess_launcher_spawnv (launcher,
                                                      (const char * const *) full_argv->pdata,
                                                      &error);
  g_assert_no_error (error);

  process->cancellable = g_cancellable_new ();
  process->out_text = g_string_new (NULL);
  process->err_text = g_string_new (NULL);
  process->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process->subprocess));
  process->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process->subprocess));

  reader = g_new0 (Reader, 1);
  reader->process = process;
  reader->is_stdout = TRUE;
  read_next_line (reader);
  reader = g_new0 (Reader, 1);
  reader->process = process;
  reader->is_stdout = FALSE;
  read_next_line (reader);

  g_subprocess_wait_async (process->subprocess, process->cancellable, exited_cb, process);
  return process;
}

gboolean
beacon_test_wait_until (const gboolean *done,
                        guint           timeout_seconds)
{
  return beacon_test_iterate_until (done, timeout_seconds * 1000);
}

static char *
find_line (GString    *text,
           const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text->str, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  return NULL;
}

char *
beacon_test_process_wait_line (BeaconTestProcess *process,
                               const char        *prefix,
                               guint              timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);
  char *found = NULL;

  /* Bounded both in time and by the stream closing. */
  while ((found = find_line (process->out_text, prefix)) == NULL &&
         !(process->out_closed && process->exited) &&
         g_get_monotonic_time () < deadline)
    {
      gboolean never = FALSE;

      beacon_test_iterate_until (&never, 50);
    }
  return found;
}

int
beacon_test_process_wait_exit (BeaconTestProcess *process,
                               guint              timeout_seconds)
{
  gint64 deadline;

  if (!beacon_test_wait_until (&process->exited, timeout_seconds))
    {
      g_subprocess_force_exit (process->subprocess);
      beacon_test_wait_until (&process->exited, 5);
      return -1;
    }
  /* Collect what the process printed last. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!(process->out_closed && process->err_closed) && g_get_monotonic_time () < deadline)
    {
      gboolean never = FALSE;

      beacon_test_iterate_until (&never, 50);
    }
  return process->status;
}

void
beacon_test_process_send_signal (BeaconTestProcess *process,
                                 int                signal_number)
{
  if (!process->exited)
    g_subprocess_send_signal (process->subprocess, signal_number);
}

GPid
beacon_test_process_get_pid (BeaconTestProcess *process)
{
  const char *identifier = g_subprocess_get_identifier (process->subprocess);

  return identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : 0;
}

const char *
beacon_test_process_get_stdout (BeaconTestProcess *process)
{
  return process->out_text->str;
}

const char *
beacon_test_process_get_stderr (BeaconTestProcess *process)
{
  return process->err_text->str;
}

void
beacon_test_process_free (BeaconTestProcess *process)
{
  if (process == NULL)
    return;
  if (!process->exited)
    {
      g_subprocess_force_exit (process->subprocess);
      beacon_test_wait_until (&process->exited, 5);
    }
  g_cancellable_cancel (process->cancellable);
  /* Let the cancelled reads finish before their streams go away. */
  for (int i = 0; i < 10 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&process->out);
  g_clear_object (&process->err);
  g_clear_object (&process->subprocess);
  g_clear_object (&process->cancellable);
  g_string_free (process->out_text, TRUE);
  g_string_free (process->err_text, TRUE);
  g_free (process);
}

void
beacon_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          beacon_test_remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

gpointer
beacon_test_read_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

void
beacon_test_assert_exit (BeaconTestProcess *process,
                         int                status,
                         int                expected)
{
  if (status != expected)
    g_error ("exit status %d, expected %d\nstdout:\n%s\nstderr:\n%s", status, expected,
             beacon_test_process_get_stdout (process), beacon_test_process_get_stderr (process));
}

guint
beacon_test_free_port (void)
{
  return beacon_test_free_port_of_type (G_SOCKET_TYPE_STREAM);
}

/* beacon-test-child.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-child.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define STOP_TIMEOUT_SECONDS 5

static gboolean
timeout_reached_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

double
beacon_test_time_scale (void)
{
  static double scale;

  if (scale == 0)
    {
      const char *value = g_getenv ("BEACON_TEST_TIME_SCALE");
      double parsed = value != NULL ? g_ascii_strtod (value, NULL) : 1;

      scale = MAX (parsed, 1);
    }
  return scale;
}

guint
beacon_test_scaled_seconds (guint seconds)
{
  return (guint) (seconds * beacon_test_time_scale ());
}

gint64
beacon_test_scaled_us (gint64 us)
{
  return (gint64) (us * beacon_test_time_scale ());
}

gboolean
beacon_test_iterate_until (const gboolean *done,
                           guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add ((guint) (timeout_ms * beacon_test_time_scale ()),
                                 timeout_reached_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  return *done;
}

static void read_next_line (BeaconTestChild *child);

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BeaconTestChild *child = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    NULL);
  if (line == NULL)
    return;
  g_string_append_printf (child->text, "%s\n", line);
  if (g_getenv ("BEACON_TEST_VERBOSE") != NULL)
    g_printerr ("# [%s] %s\n", child->name, line);
  read_next_line (child);
}

static void
read_next_line (BeaconTestChild *child)
{
  g_data_input_stream_read_line_async (child->out, G_PRIORITY_DEFAULT, child->cancellable,
                                       line_read_cb, child);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  BeaconTestChild *child = user_data;

  if (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL))
    child->exited = TRUE;
}

/* Runs in the child between fork and exec: a test that aborts (a failed assertion) must not
 * leave its servers running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

void
beacon_test_child_spawn (BeaconTestChild    *child,
                         const char         *name,
                         const char         *cwd,
                         const char * const *environment,
                         const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  for (guint i = 0; environment != NULL && environment[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, environment[i], environment[i + 1], TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child->name = name;
  child->exited = FALSE;
  child->subprocess = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  child->text = g_string_new (NULL);
  child->cancellable = g_cancellable_new ();
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->subprocess));
  read_next_line (child);
  g_subprocess_wait_async (child->subprocess, child->cancellable, exited_cb, child);
}

gboolean
beacon_test_child_wait_log (BeaconTestChild *child,
                            const char      *text,
                            guint            timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (timeout_seconds * G_USEC_PER_SEC);

  while (strstr (child->text->str, text) == NULL && !child->exited &&
         g_get_monotonic_time () < deadline)
    {
      gboolean never = FALSE;

      beacon_test_iterate_until (&never, 50);
    }
  return strstr (child->text->str, text) != NULL;
}

void
beacon_test_child_stop (BeaconTestChild *child,
                        int              signal_number)
{
  if (child->subprocess == NULL || child->exited)
    return;
  g_subprocess_send_signal (child->subprocess, signal_number);
  if (!beacon_test_iterate_until (&child->exited, STOP_TIMEOUT_SECONDS * 1000))
    {
      g_subprocess_force_exit (child->subprocess);
      beacon_test_iterate_until (&child->exited, STOP_TIMEOUT_SECONDS * 1000);
    }
}

void
beacon_test_child_clear (BeaconTestChild *child)
{
  if (child->subprocess == NULL)
    return;
  beacon_test_child_stop (child, SIGTERM);
  g_cancellable_cancel (child->cancellable);
  /* Let the cancelled reads finish before their stream goes away. */
  for (int i = 0; i < 10 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&child->out);
  g_clear_object (&child->subprocess);
  g_clear_object (&child->cancellable);
  g_string_free (child->text, TRUE);
  child->text = NULL;
}

guint16
beacon_test_free_port_of_type (GSocketType type)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

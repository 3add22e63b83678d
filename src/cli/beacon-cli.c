/* beacon-cli.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>

#include "beacon-identity.h"
#include "beacon-session.h"

/* Exit codes, documented in help/ and README. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_ENDED = 3,
  EXIT_TIMEOUT = 4,
};

typedef struct {
  GMainLoop     *loop;
  BeaconSession *session;
  int            exit_code;
  const char    *report_path;
  guint64        frames_wanted;
  gboolean       first_frame_printed;
  gboolean       stopping;
  guint          timeout_seconds;
  guint          timeout_source;
} Run;

static void
print_error (const char *message)
{
  g_printerr ("beacon-cli: %s\n", message);
}

static void
write_report (Run *run)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  if (run->report_path == NULL)
    return;
  json = beacon_session_dup_report_json (run->session);
  if (!g_file_set_contents_full (run->report_path, json, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    g_printerr ("beacon-cli: could not write the report: %s\n", error->message);
}

/* Stops the session and leaves the loop once it is idle, with @exit_code. */
static void
finish_run (Run *run,
            int  exit_code)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->exit_code = exit_code;
  write_report (run);
  if (beacon_session_get_state (run->session) == BEACON_SESSION_STATE_IDLE)
    g_main_loop_quit (run->loop);
  else
    beacon_session_stop (run->session);
}

static void
state_changed_cb (BeaconSession *session,
                  GParamSpec    *pspec,
                  Run           *run)
{
  BeaconSessionState state = beacon_session_get_state (session);
  const GError *error = beacon_session_get_error (session);

  switch (state)
    {
    case BEACON_SESSION_STATE_LIVE:
      g_print ("watch: %s\n", beacon_session_get_share_url (session));
      write_report (run);
      break;
    case BEACON_SESSION_STATE_FAILED:
      print_error (error ? error->message : "the session failed");
      finish_run (run, EXIT_FAILED);
      break;
    case BEACON_SESSION_STATE_ENDED:
      print_error (error ? error->message : "broadcast ended");
      finish_run (run, EXIT_ENDED);
      break;
    case BEACON_SESSION_STATE_IDLE:
      if (run->stopping)
        g_main_loop_quit (run->loop);
      break;
    case BEACON_SESSION_STATE_CONNECTING:
    case BEACON_SESSION_STATE_NEGOTIATING:
    case BEACON_SESSION_STATE_CONNECTED:
    case BEACON_SESSION_STATE_WATCHING:
    case BEACON_SESSION_STATE_CLOSING:
    default:
      break;
    }
}

static void
viewer_count_changed_cb (BeaconSession *session,
                         GParamSpec    *pspec,
                         Run           *run)
{
  g_printerr ("viewers: %u\n", beacon_session_get_viewer_count (session));
  write_report (run);
}

static void
frames_decoded_cb (BeaconSession *session,
                   GParamSpec    *pspec,
                   Run           *run)
{
  guint64 frames = beacon_session_get_frames_decoded (session);

  if (!run->first_frame_printed && frames > 0)
    {
      run->first_frame_printed = TRUE;
      g_print ("first-frame-ms: %" G_GINT64_FORMAT "\n", beacon_session_get_first_frame_ms (session));
    }
  if (run->frames_wanted > 0 && frames >= run->frames_wanted && !run->stopping)
    {
      g_print ("frames: %" G_GUINT64_FORMAT "\n", frames);
      finish_run (run, EXIT_OK);
    }
}

static gboolean
stop_signal_cb (gpointer user_data)
{
  Run *run = user_data;

  finish_run (run, run->exit_code);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  Run *run = user_data;
  g_autofree char *message = NULL;

  run->timeout_source = 0;
  message = g_strdup_printf ("timed out after %u s (state: %s, %" G_GUINT64_FORMAT " frames decoded)",
                             run->timeout_seconds,
                             beacon_session_state_to_string (beacon_session_get_state (run->session)),
                             beacon_session_get_frames_decoded (run->session));
  print_error (message);
  finish_run (run, EXIT_TIMEOUT);
  return G_SOURCE_REMOVE;
}

static int
run_session (Run *run)
{
  guint sigint = g_unix_signal_add (SIGINT, stop_signal_cb, run);
  guint sigterm = g_unix_signal_add (SIGTERM, stop_signal_cb, run);

  run->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (run->session, "notify::state", G_CALLBACK (state_changed_cb), run);
  g_signal_connect (run->session, "notify::viewer-count",
                    G_CALLBACK (viewer_count_changed_cb), run);
  g_signal_connect (run->session, "notify::frames-decoded", G_CALLBACK (frames_decoded_cb), run);
  if (run->timeout_seconds > 0)
    run->timeout_source = g_timeout_add_seconds (run->timeout_seconds, timeout_cb, run);

  beacon_session_start (run->session);
  if (!run->stopping)
    g_main_loop_run (run->loop);

  g_clear_handle_id (&run->timeout_source, g_source_remove);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (run->session, run);
  g_clear_object (&run->session);
  g_main_loop_unref (run->loop);
  return run->exit_code;
}

static gboolean
parse_options (GOptionContext   *context,
               int              *argc,
               char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error (error->message);
      return FALSE;
    }
  return TRUE;
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_error (message);
  return EXIT_USAGE;
}

static int
command_serve (int    argc,
               char **argv)
{
  g_autofree char *bind = NULL;
  int port = 8443;
  g_autofree char *source_name = NULL;
  g_autofree char *codec_name = NULL;
  int width = 1280, height = 720, fps = 30;
  g_autofree char *name = NULL;
  int max_viewers = 0;
  g_auto(GStrv) ice_addresses = NULL;
  g_autofree char *stun = NULL;
  g_autofree char *report = NULL;
  BeaconSourceKind source = BEACON_SOURCE_AUTO;
  BeaconCodec codec = BEACON_CODEC_VP8;
  GOptionEntry entries[] = {
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, "Address to listen on (default: all interfaces)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on; 0 picks a free one (default: 8443)", "PORT" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_name, "test, camera or auto (default: auto)", "SOURCE" },
    { "codec", 0, 0, G_OPTION_ARG_STRING, &codec_name, "vp8 or h264 (default: vp8)", "CODEC" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Video width (default: 1280)", "PIXELS" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Video height (default: 720)", "PIXELS" },
    { "fps", 0, 0, G_OPTION_ARG_INT, &fps, "Frames per second (default: 30)", "FPS" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the broadcast shown to viewers", "NAME" },
    { "max-viewers", 0, 0, G_OPTION_ARG_INT, &max_viewers, "Most viewers at once; 0 = no limit", "N" },
    { "ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ice_addresses, "Gather ICE candidates only on this address (repeatable)", "ADDR" },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &stun, "STUN server, stun://host:port", "URL" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report, "Write a JSON connection report to FILE", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- broadcast with the built-in direct server");
  Run run = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    return usage_error ("serve takes no arguments, got '%s'", argv[1]);
  if (source_name != NULL && !beacon_source_kind_from_string (source_name, &source))
    return usage_error ("--source must be test, camera or auto, not '%s'", source_name);
  if (codec_name != NULL && !beacon_codec_from_string (codec_name, &codec))
    return usage_error ("--codec must be vp8 or h264, not '%s'", codec_name);
  if (port < 0 || port > 65535)
    return usage_error ("--port must be between 0 and 65535");
  if (width < 16 || width > 7680 || height < 16 || height > 4320 || width % 2 || height % 2)
    return usage_error ("--width and --height must be even numbers between 16x16 and 7680x4320");
  if (fps < 1 || fps > 120)
    return usage_error ("--fps must be between 1 and 120");
  if (max_viewers < 0)
    return usage_error ("--max-viewers must not be negative");

  run.report_path = report;
  run.session = beacon_session_new (BEACON_SESSION_ROLE_BROADCAST);
  g_object_set (run.session,
                "bind-address", bind,
                "port", (guint) port,
                "source", source,
                "codec", codec,
                "width", (guint) width,
                "height", (guint) height,
                "fps", (guint) fps,
                "stream-name", name,
                "max-viewers", (guint) max_viewers,
                "ice-addresses", ice_addresses,
                "stun-server", stun,
                NULL);
  return run_session (&run);
}

static int
command_watch (int    argc,
               char **argv)
{
  g_autofree char *producer = NULL;
  int frames = 0;
  int timeout = 0;
  g_autofree char *report = NULL;
  g_auto(GStrv) ice_addresses = NULL;
  g_autofree char *stun = NULL;
  GOptionEntry entries[] = {
    { "producer", 0, 0, G_OPTION_ARG_STRING, &producer, "Watch the broadcast with this name", "NAME" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Exit 0 after N decoded video frames", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds (exit 4)", "S" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report, "Write a JSON connection report to FILE", "FILE" },
    { "ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ice_addresses, "Gather ICE candidates only on this address (repeatable)", "ADDR" },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &stun, "STUN server, stun://host:port", "URL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("URL - watch a broadcast");
  Run run = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error ("watch takes one stream link (wss://…), as printed by 'beacon-cli serve'");
  if (frames < 0 || timeout < 0)
    return usage_error ("--frames and --timeout must not be negative");

  run.report_path = report;
  run.frames_wanted = (guint64) frames;
  run.timeout_seconds = (guint) timeout;
  run.session = beacon_session_new (BEACON_SESSION_ROLE_WATCH);
  g_object_set (run.session,
                "url", argv[1],
                "stream-name", producer,
                "ice-addresses", ice_addresses,
                "stun-server", stun,
                NULL);
  return run_session (&run);
}

static int
command_identity (int    argc,
                  char **argv)
{
  gboolean new_identity = FALSE;
  GOptionEntry entries[] = {
    { "new", 0, 0, G_OPTION_ARG_NONE, &new_identity, "Replace the identity with a new one", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- print this user's identity fingerprint");
  g_autoptr(BeaconIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  identity = new_identity ? beacon_identity_create_new (NULL, &error)
                          : beacon_identity_load_or_create (NULL, &error);
  if (identity == NULL)
    {
      print_error (error->message);
      return EXIT_FAILED;
    }
  g_print ("sha256:%s\n", beacon_identity_get_fingerprint (identity));
  return EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream,
           "Usage: beacon-cli COMMAND [OPTION…]\n"
           "\n"
           "Commands:\n"
           "  serve      Broadcast with the built-in direct server and print the stream link\n"
           "  watch URL  Watch a broadcast\n"
           "  identity   Print this user's identity fingerprint\n"
           "\n"
           "Run 'beacon-cli COMMAND --help' for the options of a command.\n");
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  gst_init (&argc, &argv);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }
  command = argv[1];
  /* Each command parses its own options, with the command name as argv[0]. */
  argc--;
  argv++;

  if (g_str_equal (command, "serve"))
    return command_serve (argc, argv);
  if (g_str_equal (command, "watch"))
    return command_watch (argc, argv);
  if (g_str_equal (command, "identity"))
    return command_identity (argc, argv);
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (command, "--version"))
    {
      g_print ("beacon-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  print_usage (stderr);
  return usage_error ("unknown command '%s'", command);
}

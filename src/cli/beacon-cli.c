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
#include <string.h>

#include "beacon-cli-options.h"
#include "beacon-dtls-warmup.h"
#include "beacon-fingerprint.h"
#include "beacon-identity.h"
#include "beacon-session.h"
#include "beacon-share-link.h"
#include "beacon-signaler-factory.h"
#include "beacon-tls-policy.h"


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
  gboolean       report_writing;  /* a write is on its worker thread */
  char          *report_pending;  /* the newest report, taken meanwhile: written after it */
  gint64         report_frames_us; /* when frames last rewrote the report */
  gboolean       measure_latency;  /* print the latency stamps' figures at the end */
  char          *words_heard;      /* --compare-words: the other side's four words */
  gboolean       words_printed;
  gboolean       words_recording;  /* the comparison is on its way to the pin store */
} Run;

typedef struct {
  char *path;
  char *json;
} ReportWrite;

static void
report_write_free (gpointer data)
{
  ReportWrite *write = data;

  g_free (write->path);
  g_free (write->json);
  g_free (write);
}

static void
write_report_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ReportWrite *write = task_data;
  GError *error = NULL;

  /* The report names who connected from which address and the pins in use: only the user
   * reads it. The file is replaced by a rename, so an older, wider mode does not survive. */
  if (g_file_set_contents_full (write->path, write->json, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                0600, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_report_write (Run  *run,
                                char *json);

static void
report_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->report_writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_printerr ("beacon-cli: could not write the report: %s\n", error->message);
  if (run->report_pending != NULL)
    start_report_write (run, g_steal_pointer (&run->report_pending));
}

static void
start_report_write (Run  *run,
                    char *json)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, report_written_cb, run);
  ReportWrite *write = g_new0 (ReportWrite, 1);

  write->path = g_strdup (run->report_path);
  write->json = json;
  run->report_writing = TRUE;
  g_task_set_task_data (task, write, report_write_free);
  g_task_run_in_thread (task, write_report_in_thread);
}

/* A consistent write waits for the disk (fsync before the rename), which may take long on a
 * busy one: it runs on a worker thread, one write at a time, so the main loop that carries
 * the media and the signaling never waits. The report is taken when it changes; while a
 * write is under way only the newest one waits, and it is written last. */
static void
write_report (Run *run)
{
  char *json;

  if (run->report_path == NULL || run->session == NULL)
    return;
  json = beacon_session_dup_report_json (run->session);
  if (run->report_writing)
    {
      g_free (run->report_pending);
      run->report_pending = json;
      return;
    }
  start_report_write (run, json);
}

/* The last state reaches the file before the process exits. */
static void
flush_report (Run *run)
{
  while (run->report_writing)
    g_main_context_iteration (NULL, TRUE);
}

/* Stops the session and leaves the loop once it is idle, with @exit_code. */
/* `watch --measure-latency`: glass-to-glass, read from the test pattern's stamps. */
static void
print_latency (Run *run)
{
  BeaconLatencyFigures figures;

  if (beacon_session_get_latency (run->session, &figures))
    g_print ("latency-ms: p50 %u p95 %u max %u (%u frames)\n", figures.p50_ms, figures.p95_ms,
             figures.max_ms, figures.frames);
  else
    g_printerr ("beacon-cli: no latency measured: no decoded frame carried a latency stamp "
                "(only a Beacon test pattern broadcast on this machine has them)\n");
}

static void
finish_run (Run *run,
            int  exit_code)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  run->exit_code = exit_code;
  if (run->measure_latency)
    print_latency (run);
  write_report (run);
  if (beacon_session_get_state (run->session) == BEACON_SESSION_STATE_IDLE)
    g_main_loop_quit (run->loop);
  else
    beacon_session_stop (run->session);
}

/* Lower case, single spaces: how the words are compared. */
static char *
normalise_words (const char *words)
{
  g_auto(GStrv) parts = g_strsplit_set (words, " \t\n,", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
  return g_utf8_strdown (out->str, -1);
}

static void
words_compared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->words_recording = FALSE;
  if (!beacon_session_compare_words_finish (BEACON_SESSION (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf ("could not remember the compared words: %s",
                                                  error->message);

      beacon_cli_print_error (message);
      finish_run (run, EXIT_FAILED);
      return;
    }
  /* Different words failed the session, which says why (state_changed_cb ()). */
  if (beacon_security_report_get_words_compared (beacon_session_get_security_report (run->session)))
    g_print ("words-compared: they match; remembered with the broadcaster's identity\n");
}

/* The words, once the connection is verified; with --compare-words, the comparison. */
static void
handle_words (Run *run)
{
  BeaconSecurityReport *report = beacon_session_get_security_report (run->session);
  const char *sas = beacon_security_report_get_sas (report);
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;

  if (sas == NULL || run->words_printed || run->stopping ||
      g_strcmp0 (beacon_security_report_get_string (report, "role"), "watch") != 0)
    return;
  run->words_printed = TRUE;
  g_print ("words: %s\n", sas);
  if (run->words_heard == NULL)
    return;
  ours = normalise_words (sas);
  theirs = normalise_words (run->words_heard);
  run->words_recording = TRUE;
  beacon_session_compare_words_async (run->session, NULL, g_str_equal (ours, theirs), NULL,
                                      words_compared_cb, run);
}

static void
security_report_changed_cb (BeaconSecurityReport *report,
                            Run                  *run)
{
  handle_words (run);
  write_report (run);
}

/* With a WHIP ingest: where publishers send their stream, and the token they need. */
static void
print_whip_ingest (BeaconSession *session)
{
  g_autoptr(BeaconShareLink) link = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *token = beacon_session_get_whip_token (session);
  BeaconSourceKind source;

  g_object_get (session, "source", &source, NULL);
  if (source != BEACON_SOURCE_WHIP)
    return;
  link = beacon_share_link_parse (beacon_session_get_share_url (session), NULL);
  uri = link != NULL ? g_uri_parse (link->url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri != NULL)
    {
      gboolean ipv6 = strchr (g_uri_get_host (uri), ':') != NULL;

      g_print ("whip: https://%s%s%s:%d/whip\n", ipv6 ? "[" : "", g_uri_get_host (uri),
               ipv6 ? "]" : "", g_uri_get_port (uri));
    }
  if (token != NULL)
    g_print ("whip-token: %s\n", token);
  else
    g_print ("whip-token: none (--whip-open: anyone who reaches this port can publish)\n");
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
      if (beacon_session_get_share_url (session) != NULL)
        {
          g_autofree char *browser_url =
            beacon_share_link_browser_url (beacon_session_get_share_url (session));

          g_print ("watch: %s\n", beacon_session_get_share_url (session));
          if (browser_url != NULL)
            g_print ("browser: %s\n", browser_url);
          print_whip_ingest (session);
        }
      else
        g_print ("live\n");
      write_report (run);
      break;
    case BEACON_SESSION_STATE_FAILED:
      beacon_cli_print_error (error ? error->message : "the session failed");
      finish_run (run, beacon_session_error_is_security (error) ? EXIT_SECURITY : EXIT_FAILED);
      break;
    case BEACON_SESSION_STATE_ENDED:
      beacon_cli_print_error (error ? error->message : "broadcast ended");
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

/* Each second, once the peers' statistics came: the report follows, so that its stats, the
 * viewers' health and the bitrate do. */
static void
health_updated_cb (BeaconSession *session,
                   Run           *run)
{
  write_report (run);
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
  /* frames_decoded in the report lets a test follow the frame rate while it watches; once a
   * second is enough for that and costs one small file write. */
  if (run->report_path != NULL &&
      g_get_monotonic_time () - run->report_frames_us >= G_USEC_PER_SEC)
    {
      run->report_frames_us = g_get_monotonic_time ();
      write_report (run);
    }
  if (run->frames_wanted > 0 && frames >= run->frames_wanted && !run->stopping)
    {
      g_print ("frames: %" G_GUINT64_FORMAT "\n", frames);
      finish_run (run, EXIT_OK);
    }
}

static void
reconnect_waiting_cb (BeaconSession *session,
                      guint          attempt,
                      guint          delay_ms,
                      Run           *run)
{
  if (beacon_session_is_repairing_media (session))
    g_printerr ("reconnecting media (attempt %u, next in %.1f s)\n", attempt, delay_ms / 1000.0);
  else
    g_printerr ("reconnecting to signaling server (attempt %u, next in %.1f s)\n", attempt,
                delay_ms / 1000.0);
}

static void
reconnecting_changed_cb (BeaconSession *session,
                         GParamSpec    *pspec,
                         Run           *run)
{
  gboolean reconnecting;
  BeaconSessionState state = beacon_session_get_state (session);

  g_object_get (session, "reconnecting", &reconnecting, NULL);
  if (!reconnecting && state != BEACON_SESSION_STATE_FAILED && state != BEACON_SESSION_STATE_ENDED)
    g_printerr ("reconnected\n");
  write_report (run);
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
  beacon_cli_print_error (message);
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
  g_signal_connect (run->session, "reconnect-waiting", G_CALLBACK (reconnect_waiting_cb), run);
  g_signal_connect (run->session, "notify::reconnecting", G_CALLBACK (reconnecting_changed_cb),
                    run);
  g_signal_connect (run->session, "health-updated", G_CALLBACK (health_updated_cb), run);
  g_signal_connect (beacon_session_get_security_report (run->session), "changed",
                    G_CALLBACK (security_report_changed_cb), run);
  if (run->timeout_seconds > 0)
    run->timeout_source = g_timeout_add_seconds (run->timeout_seconds, timeout_cb, run);

  beacon_session_start (run->session);
  if (!run->stopping)
    g_main_loop_run (run->loop);

  /* Different words forget the identity: that must reach the disk before the exit. */
  while (run->words_recording)
    g_main_context_iteration (NULL, TRUE);
  flush_report (run);
  beacon_signaler_wait_for_requests (3000);
  /* A session that failed at once may leave DTLS's key half made: see there. */
  beacon_dtls_warmup_wait (5000);
  g_clear_handle_id (&run->timeout_source, g_source_remove);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (run->session, run);
  g_signal_handlers_disconnect_by_data (beacon_session_get_security_report (run->session), run);
  g_clear_object (&run->session);
  g_main_loop_unref (run->loop);
  return run->exit_code;
}

static int
command_serve (int    argc,
               char **argv)
{
  g_auto(BeaconCliOptions) o;
  g_autofree char *bind = NULL;
  g_autofree char *whip_token = NULL;
  gboolean whip_open = FALSE;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *host = NULL;
  int port = 8443;
  int max_viewers = 0;
  BeaconDirectServerLimits limits;
  int max_connections;
  int max_connections_per_address;
  int max_sessions_per_connection;
  int handshake_timeout;
  int idle_timeout;
  int session_answer_timeout;
  int max_pending_sessions;
  int key_frame_interval = 0;
  GOptionEntry entries[] = {
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, "Address to listen on (default: all interfaces)", "ADDR" },
    { "whip-token", 0, 0, G_OPTION_ARG_STRING, &whip_token, "With --source whip: the Bearer token WHIP publishers must send (default: a random one, printed)", "TOKEN" },
    { "whip-open", 0, 0, G_OPTION_ARG_NONE, &whip_open, "With --source whip: take publishers without any token", NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve TLS with this certificate (PEM, e.g. one browsers trust for your domain); the media keeps your own identity", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The private key of --tls-cert (PEM)", "FILE" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Host name the link carries (the name in --tls-cert)", "NAME" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on; 0 picks a free one (default: 8443)", "PORT" },
    { "max-viewers", 0, 0, G_OPTION_ARG_INT, &max_viewers, "Most viewers at once; 0 = no limit", "N" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections, "Most open connections at once; 0 = no limit (default: 64)", "N" },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &max_connections_per_address, "Most open connections from one IP address; 0 = no limit (default: 16)", "N" },
    { "max-sessions-per-connection", 0, 0, G_OPTION_ARG_INT, &max_sessions_per_connection, "Most sessions one signalling connection takes part in; 0 = no limit (default: 4)", "N" },
    { "handshake-timeout", 0, 0, G_OPTION_ARG_INT, &handshake_timeout, "Seconds a connection has for its TLS handshake and each request; 0 = none (default: 10)", "S" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout, "Seconds a WebSocket client has for its first message; 0 = none (default: 30)", "S" },
    { "session-answer-timeout", 0, 0, G_OPTION_ARG_INT, &session_answer_timeout, "Seconds a viewer has to answer a new session; 0 = none (default: 15)", "S" },
    { "max-pending-sessions", 0, 0, G_OPTION_ARG_INT, &max_pending_sessions, "Most new sessions waiting for their viewer's answer, of all viewers together; 0 = no limit (default: 16)", "N" },
    { "key-frame-interval", 0, 0, G_OPTION_ARG_INT, &key_frame_interval, "Testing: seconds between the encoder's periodic key frames (default: 2)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- broadcast with the built-in direct server");
  Run run = { 0 };
  int status;

  beacon_direct_server_limits_init_default (&limits);
  max_connections = limits.max_connections;
  max_connections_per_address = limits.max_connections_per_address;
  max_sessions_per_connection = limits.max_sessions_per_connection;
  handshake_timeout = limits.handshake_timeout;
  idle_timeout = limits.idle_timeout;
  session_answer_timeout = limits.session_answer_timeout;
  max_pending_sessions = limits.max_pending_sessions;

  beacon_cli_options_init (&o);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, beacon_cli_media_group (&o));
  g_option_context_add_group (context, beacon_cli_network_group (&o));
  if (!beacon_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    return beacon_cli_usage_error ("serve takes no arguments, got '%s'", argv[1]);
  if (max_connections < 0 || max_connections_per_address < 0 ||
      max_sessions_per_connection < 0 || handshake_timeout < 0 || idle_timeout < 0 ||
      session_answer_timeout < 0 || max_pending_sessions < 0)
    return beacon_cli_usage_error ("the connection limits and timeouts must not be negative");
  limits.max_connections = max_connections;
  limits.max_connections_per_address = max_connections_per_address;
  limits.max_sessions_per_connection = max_sessions_per_connection;
  limits.handshake_timeout = handshake_timeout;
  limits.idle_timeout = idle_timeout;
  limits.session_answer_timeout = session_answer_timeout;
  limits.max_pending_sessions = max_pending_sessions;
  if (port < 0 || port > 65535)
    return beacon_cli_usage_error ("--port must be between 0 and 65535");
  if (max_viewers < 0)
    return beacon_cli_usage_error ("--max-viewers must not be negative");
  if (key_frame_interval < 0 || key_frame_interval > 3600)
    return beacon_cli_usage_error ("--key-frame-interval must be between 0 and 3600");
  if ((whip_token != NULL || whip_open) && g_strcmp0 (o.source, "whip") != 0)
    return beacon_cli_usage_error ("--whip-token and --whip-open need --source whip");
  if ((tls_cert == NULL) != (tls_key == NULL))
    return beacon_cli_usage_error ("--tls-cert and --tls-key go together");
  if (whip_token != NULL && whip_open)
    return beacon_cli_usage_error ("--whip-open takes publishers without a token: drop --whip-token");

  run.session = beacon_session_new (BEACON_SESSION_ROLE_BROADCAST);
  status = beacon_cli_apply_options (&o, run.session, TRUE);
  if (status != EXIT_OK)
    {
      g_object_unref (run.session);
      return status;
    }
  g_object_set (run.session,
                "bind-address", bind,
                "port", (guint) port,
                "max-viewers", (guint) max_viewers,
                "whip-token", whip_token,
                "whip-open", whip_open,
                "tls-certificate-file", tls_cert,
                "tls-key-file", tls_key,
                "link-host", host,
                "key-frame-interval", (guint) key_frame_interval,
                NULL);
  beacon_session_set_server_limits (run.session, &limits);
  run.report_path = o.report;
  return run_session (&run);
}

static int
command_publish (int    argc,
                 char **argv)
{
  g_auto(BeaconCliOptions) o;
  GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o.timeout, "Stop after S seconds (exit 4 if not live by then)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("URL - publish to a server (Janus, WHIP, GStreamer signalling)");
  Run run = { 0 };
  int status;

  beacon_cli_options_init (&o);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, beacon_cli_media_group (&o));
  g_option_context_add_group (context, beacon_cli_network_group (&o));
  g_option_context_add_group (context, beacon_cli_server_group (&o, FALSE));
  if (!beacon_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return beacon_cli_usage_error ("publish takes one server URL");
  if (o.dialect == NULL)
    o.dialect = g_strdup ("gst");
  if (g_str_equal (o.dialect, "direct") || g_str_equal (o.dialect, "whep"))
    return beacon_cli_usage_error ("publish works with --dialect gst, janus or whip (use 'serve' for the direct server)");
  if (g_strcmp0 (o.source, "whip") == 0)
    return beacon_cli_usage_error ("--source whip is for serve: publish sends a test picture or the camera");

  run.session = beacon_session_new (BEACON_SESSION_ROLE_BROADCAST);
  status = beacon_cli_apply_options (&o, run.session, TRUE);
  if (status != EXIT_OK)
    {
      g_object_unref (run.session);
      return status;
    }
  g_object_set (run.session, "url", argv[1], NULL);
  run.report_path = o.report;
  run.timeout_seconds = (guint) o.timeout;
  return run_session (&run);
}

static int
command_watch (int    argc,
               char **argv)
{
  g_auto(BeaconCliOptions) o;
  int key_frame_interval = 0;
  gboolean measure_latency = FALSE;
  g_autofree char *words_heard = NULL;
  GOptionEntry entries[] = {
    { "producer", 0, 0, G_OPTION_ARG_STRING, &o.producer, "Watch the broadcast with this name", "NAME" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &o.frames, "Exit 0 after N decoded video frames", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o.timeout, "Give up after S seconds (exit 4)", "S" },
    { "accept-new-identity", 0, 0, G_OPTION_ARG_NONE, &o.accept_new_identity, "Continue when the broadcaster's identity changed, and remember the new one", NULL },
    { "request-key-frames", 0, 0, G_OPTION_ARG_INT, &key_frame_interval, "Testing: ask the broadcaster for a key frame every MS milliseconds (sent as PLI)", "MS" },
    { "measure-latency", 0, 0, G_OPTION_ARG_NONE, &measure_latency, "Print the glass-to-glass latency at the end (a Beacon test pattern broadcast on this machine)", NULL },
    { "compare-words", 0, 0, G_OPTION_ARG_STRING, &words_heard, "The four words the broadcaster reads out: when ours match, remember that they were compared; when not, end the connection (exit 5)", "WORDS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("URL - watch a broadcast");
  Run run = { 0 };
  int status;

  beacon_cli_options_init (&o);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, beacon_cli_network_group (&o));
  g_option_context_add_group (context, beacon_cli_server_group (&o, TRUE));
  if (!beacon_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return beacon_cli_usage_error ("watch takes one stream link (wss://…), as printed by 'beacon-cli serve'");
  if (o.dialect != NULL && g_str_equal (o.dialect, "whip"))
    return beacon_cli_usage_error ("watch works with --dialect direct, gst, janus or whep");

  run.session = beacon_session_new (BEACON_SESSION_ROLE_WATCH);
  status = beacon_cli_apply_options (&o, run.session, FALSE);
  if (status != EXIT_OK)
    {
      g_object_unref (run.session);
      return status;
    }
  if (key_frame_interval < 0 || key_frame_interval > 60000)
    {
      g_object_unref (run.session);
      return beacon_cli_usage_error ("--request-key-frames takes 0 to 60000 milliseconds");
    }
  g_object_set (run.session,
                "url", argv[1],
                "key-frame-request-interval", (guint) key_frame_interval,
                NULL);
  run.report_path = o.report;
  run.frames_wanted = (guint64) o.frames;
  run.timeout_seconds = (guint) o.timeout;
  run.measure_latency = measure_latency;
  if (words_heard != NULL)
    {
      g_autofree char *normalised = normalise_words (words_heard);
      g_auto(GStrv) words = g_strsplit (normalised, " ", -1);

      if (g_strv_length (words) != 4)
        {
          g_object_unref (run.session);
          return beacon_cli_usage_error ("--compare-words takes the four words the broadcaster "
                                         "reads out, e.g. \"apple river stone cloud\"");
        }
      run.words_heard = words_heard;
    }
  return run_session (&run);
}

typedef struct {
  GMainLoop *loop;
  GPtrArray *streams;
  GError    *error;
} ListRun;

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListRun *list = user_data;

  list->streams = beacon_signaler_list_finish (BEACON_SIGNALER (source), result, &list->error);
  g_main_loop_quit (list->loop);
}

static int
command_list (int    argc,
              char **argv)
{
  g_auto(BeaconCliOptions) o;
  g_autoptr(GOptionContext) context = g_option_context_new ("URL - list the streams of a server");
  g_autoptr(BeaconSignalerOptions) options = beacon_signaler_options_new ();
  g_autoptr(BeaconSignaler) signaler = NULL;
  g_autoptr(GError) error = NULL;
  ListRun list = { 0 };

  beacon_cli_options_init (&o);
  g_option_context_add_group (context, beacon_cli_server_group (&o, TRUE));
  if (!beacon_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return beacon_cli_usage_error ("list takes one server URL");
  if (o.dialect != NULL && !beacon_signaler_dialect_is_valid (o.dialect))
    return beacon_cli_usage_error ("--dialect must be direct, gst, janus, whip or whep, not '%s'", o.dialect);

  options->dialect = g_strdup (o.dialect ? o.dialect : "direct");
  options->url = g_strdup (argv[1]);
  if (g_str_equal (options->dialect, "direct") || g_str_equal (options->dialect, "gst"))
    {
      /* A share link carries the server's pin after '#'. */
      g_autoptr(BeaconShareLink) link = beacon_share_link_parse (argv[1], &error);

      if (link == NULL)
        {
          beacon_cli_print_error (error->message);
          return EXIT_FAILED;
        }
      g_free (options->url);
      options->url = g_strdup (link->url);
      options->pin = g_strdup (link->pin);
    }
  options->allow_insecure = o.allow_insecure;
  options->token = g_strdup (o.token);
  options->room = o.room;
  if (o.pin != NULL)
    {
      g_free (options->pin);
      options->pin = beacon_fingerprint_parse_pin (o.pin, &error);
      if (options->pin == NULL)
        return beacon_cli_usage_error ("--pin: %s", error->message);
    }
  signaler = beacon_signaler_new_for_dialect (options, &error);
  if (signaler == NULL)
    {
      beacon_cli_print_error (error->message);
      return EXIT_FAILED;
    }

  list.loop = g_main_loop_new (NULL, FALSE);
  beacon_signaler_list_async (signaler, NULL, listed_cb, &list);
  g_main_loop_run (list.loop);
  g_main_loop_unref (list.loop);
  beacon_signaler_stop (signaler);

  if (list.streams == NULL)
    {
      beacon_cli_print_error (list.error->message);
      g_error_free (list.error);
      return EXIT_FAILED;
    }
  for (guint i = 0; i < list.streams->len; i++)
    {
      BeaconStreamInfo *stream = g_ptr_array_index (list.streams, i);

      g_print ("%s\t%s\t%s\n", stream->id, stream->name ? stream->name : "",
               stream->description ? stream->description : "");
    }
  g_ptr_array_unref (list.streams);
  return EXIT_OK;
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
  if (!beacon_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  identity = new_identity ? beacon_identity_create_new (NULL, &error)
                          : beacon_identity_load_or_create (NULL, &error);
  if (identity == NULL)
    {
      beacon_cli_print_error (error->message);
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
           "  serve        Broadcast with the built-in direct server and print the stream link\n"
           "  publish URL  Broadcast through a server (Janus, WHIP, GStreamer signalling)\n"
           "  watch URL    Watch a broadcast\n"
           "  list URL     List the streams of a server\n"
           "  identity     Print this user's identity fingerprint (--new replaces it)\n"
           "\n"
           "Run 'beacon-cli COMMAND --help' for the options of a command.\n");
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  beacon_tls_policy_init ();
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
  if (g_str_equal (command, "publish"))
    return command_publish (argc, argv);
  if (g_str_equal (command, "list"))
    return command_list (argc, argv);
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
  return beacon_cli_usage_error ("unknown command '%s'", command);
}

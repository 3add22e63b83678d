/* beacon-cli-options.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "beacon-cli-options.h"
#include "beacon-fingerprint.h"
#include "beacon-signaler-factory.h"

/* The options the commands share (media, network, server and trust): their entries, and how
 * they are checked and applied to a session. The commands themselves are in beacon-cli.c. */

void
beacon_cli_print_error (const char *message)
{
  g_printerr ("beacon-cli: %s\n", message);
}

gboolean
beacon_cli_parse_options (GOptionContext   *context,
                          int              *argc,
                          char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      beacon_cli_print_error (error->message);
      return FALSE;
    }
  return TRUE;
}

int
beacon_cli_usage_error (const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  beacon_cli_print_error (message);
  return EXIT_USAGE;
}


void
beacon_cli_options_clear (BeaconCliOptions *options)
{
  g_free (options->source);
  g_free (options->codec);
  g_free (options->name);
  g_strfreev (options->ice_addresses);
  g_free (options->stun);
  g_strfreev (options->turn);
  g_free (options->dialect);
  g_free (options->pin);
  g_free (options->token);
  g_free (options->producer);
  g_free (options->report);
}

void
beacon_cli_options_init (BeaconCliOptions *options)
{
  memset (options, 0, sizeof *options);
  options->width = 1280;
  options->height = 720;
  options->fps = 30;
  options->room = options->feed = options->mountpoint = -1;
  options->reconnect_timeout = -1;
  options->connect_timeout = -1;
}

GOptionGroup *
beacon_cli_media_group (BeaconCliOptions *o)
{
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &o->source, "test, camera or auto (default: auto); serve also takes whip", "SOURCE" },
    { "codec", 0, 0, G_OPTION_ARG_STRING, &o->codec, "vp8 or h264 (default: vp8)", "CODEC" },
    { "width", 0, 0, G_OPTION_ARG_INT, &o->width, "Video width (default: 1280)", "PIXELS" },
    { "height", 0, 0, G_OPTION_ARG_INT, &o->height, "Video height (default: 720)", "PIXELS" },
    { "fps", 0, 0, G_OPTION_ARG_INT, &o->fps, "Frames per second (default: 30)", "FPS" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o->name, "Name of the broadcast shown to viewers", "NAME" },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("media", "Media options:", "Show media options", NULL, NULL);

  g_option_group_add_entries (group, entries);
  return group;
}

GOptionGroup *
beacon_cli_network_group (BeaconCliOptions *o)
{
  GOptionEntry entries[] = {
    { "ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->ice_addresses, "Gather ICE candidates only on this address (repeatable)", "ADDR" },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &o->stun, "STUN server, stun://host:port", "URL" },
    { "turn", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->turn, "TURN server, turn(s):user:pass@host:port (repeatable)", "SERVER" },
    { "relay-only", 0, 0, G_OPTION_ARG_NONE, &o->relay_only, "Send media only through TURN relays", NULL },
    { "upnp", 0, 0, G_OPTION_ARG_NONE, &o->upnp, "Let ICE ask the router for port mappings over UPnP (off by default)", NULL },
    { "connect-timeout", 0, 0, G_OPTION_ARG_INT, &o->connect_timeout, "Give a media connection this long to come up (negotiation, ICE, DTLS) before it fails with the step that did not happen (default: 15)", "SECONDS" },
    { "reconnect-timeout", 0, 0, G_OPTION_ARG_INT, &o->reconnect_timeout, "Try a lost signaling connection, or a failed media path, again for this long (direct and gst servers; default: 15, 0 = never)", "SECONDS" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &o->report, "Write a JSON security report to FILE, updated on change", "FILE" },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("network", "Network options:", "Show network options", NULL, NULL);

  g_option_group_add_entries (group, entries);
  return group;
}

GOptionGroup *
beacon_cli_server_group (BeaconCliOptions *o,
                         gboolean watching)
{
  GOptionEntry entries[] = {
    { "dialect", 0, 0, G_OPTION_ARG_STRING, &o->dialect, watching ? "direct, gst, janus or whep (default: direct)" : "gst, janus or whip (default: gst)", "DIALECT" },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &o->pin, "Trust the server's certificate with this SHA-256 fingerprint", "sha256:…" },
    { "allow-insecure-signaling", 0, 0, G_OPTION_ARG_NONE, &o->allow_insecure, "Permit unencrypted ws:// and http:// signaling", NULL },
    { "token", 0, 0, G_OPTION_ARG_STRING, &o->token, "Bearer token (WHIP/WHEP) or Janus token", "TOKEN" },
    { "room", 0, 0, G_OPTION_ARG_INT64, &o->room, "Janus VideoRoom room", "ROOM" },
    { "feed", 0, 0, G_OPTION_ARG_INT64, &o->feed, "Janus VideoRoom publisher to watch", "ID" },
    { "mountpoint", 0, 0, G_OPTION_ARG_INT64, &o->mountpoint, "Janus Streaming mountpoint to watch", "ID" },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("server", "Server options:", "Show server options", NULL, NULL);

  g_option_group_add_entries (group, entries);
  return group;
}

/* turn:user:pass@host:port (the CLI's form) → turn://user:pass@host:port (webrtcbin's). */
static char *
normalise_turn (const char  *server,
                GError     **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;

  if (g_str_has_prefix (server, "turn://") || g_str_has_prefix (server, "turns://"))
    url = g_strdup (server);
  else if (g_str_has_prefix (server, "turn:"))
    url = g_strconcat ("turn://", server + strlen ("turn:"), NULL);
  else if (g_str_has_prefix (server, "turns:"))
    url = g_strconcat ("turns://", server + strlen ("turns:"), NULL);
  uri = url ? g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL) : NULL;
  if (uri == NULL || g_uri_get_user (uri) == NULL || g_uri_get_password (uri) == NULL ||
      g_uri_get_host (uri) == NULL || g_uri_get_port (uri) <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--turn must look like turn:user:password@host:port, not '%s'", server);
      return NULL;
    }
  return g_steal_pointer (&url);
}

int
beacon_cli_apply_options (BeaconCliOptions       *o,
                          BeaconSession *session,
                          gboolean       media)
{
  BeaconSourceKind source = BEACON_SOURCE_AUTO;
  BeaconCodec codec = BEACON_CODEC_VP8;
  g_autoptr(GStrvBuilder) turn = g_strv_builder_new ();
  g_auto(GStrv) turn_servers = NULL;

  if (media)
    {
      if (o->source != NULL && !beacon_source_kind_from_string (o->source, &source))
        return beacon_cli_usage_error ("--source must be test, camera or auto (serve also takes whip), "
                            "not '%s'", o->source);
      if (o->codec != NULL && !beacon_codec_from_string (o->codec, &codec))
        return beacon_cli_usage_error ("--codec must be vp8 or h264, not '%s'", o->codec);
      if (o->width < 16 || o->width > 7680 || o->height < 16 || o->height > 4320 ||
          o->width % 2 || o->height % 2)
        return beacon_cli_usage_error ("--width and --height must be even numbers between 16x16 and 7680x4320");
      if (o->fps < 1 || o->fps > 120)
        return beacon_cli_usage_error ("--fps must be between 1 and 120");
      g_object_set (session,
                    "source", source,
                    "codec", codec,
                    "width", (guint) o->width,
                    "height", (guint) o->height,
                    "fps", (guint) o->fps,
                    "stream-name", o->name,
                    NULL);
    }
  if (o->dialect != NULL && !beacon_signaler_dialect_is_valid (o->dialect))
    return beacon_cli_usage_error ("--dialect must be direct, gst, janus, whip or whep, not '%s'", o->dialect);
  if (o->pin != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pin = beacon_fingerprint_parse_pin (o->pin, &error);

      if (pin == NULL)
        return beacon_cli_usage_error ("--pin: %s", error->message);
    }
  for (guint i = 0; o->turn != NULL && o->turn[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = normalise_turn (o->turn[i], &error);

      if (url == NULL)
        return beacon_cli_usage_error ("%s", error->message);
      g_strv_builder_add (turn, url);
    }
  if (o->relay_only && (o->turn == NULL || o->turn[0] == NULL))
    return beacon_cli_usage_error ("--relay-only needs a TURN server (--turn)");
  if (o->timeout < 0 || o->frames < 0)
    return beacon_cli_usage_error ("--frames and --timeout must not be negative");
  if (o->connect_timeout == 0 || o->connect_timeout > 3600)
    return beacon_cli_usage_error ("--connect-timeout takes 1 to 3600 seconds");
  if (o->connect_timeout > 0)
    g_object_set (session, "connect-timeout", (guint) o->connect_timeout, NULL);
  if (o->reconnect_timeout > 3600)
    return beacon_cli_usage_error ("--reconnect-timeout must be at most 3600 seconds");
  turn_servers = g_strv_builder_end (turn);
  if (o->reconnect_timeout >= 0)
    g_object_set (session, "reconnect-timeout", (guint) o->reconnect_timeout, NULL);

  g_object_set (session,
                "ice-addresses", o->ice_addresses,
                "stun-server", o->stun,
                "turn-servers", turn_servers,
                "relay-only", o->relay_only,
                "upnp", o->upnp,
                "pin", o->pin,
                "allow-insecure-signaling", o->allow_insecure,
                "accept-new-identity", o->accept_new_identity,
                "token", o->token,
                "room", o->room,
                "feed", o->feed,
                "mountpoint", o->mountpoint,
                NULL);
  if (o->dialect != NULL)
    g_object_set (session, "dialect", o->dialect, NULL);
  if (o->producer != NULL)
    g_object_set (session, "stream-name", o->producer, NULL);
  return EXIT_OK;
}

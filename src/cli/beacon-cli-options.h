/* beacon-cli-options.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-session.h"

G_BEGIN_DECLS

/* Exit codes, documented in help/ and README. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_ENDED = 3,
  EXIT_TIMEOUT = 4,
  EXIT_SECURITY = 5,  /* fingerprint mismatch, changed identity, untrusted certificate */
};

/* The options shared by the commands, parsed into one struct and applied to a session. */
typedef struct {
  /* media (serve, publish) */
  char    *source;
  char    *codec;
  int      width, height, fps;
  char    *name;
  /* network */
  GStrv    ice_addresses;
  char    *stun;
  GStrv    turn;
  gboolean relay_only;
  gboolean upnp;
  int      reconnect_timeout;  /* -1: the session's default */
  int      connect_timeout;    /* -1: the session's default */
  /* server and trust */
  char    *dialect;
  char    *pin;
  gboolean allow_insecure;
  gboolean accept_new_identity;
  char    *token;
  gint64   room, feed, mountpoint;
  char    *producer;
  /* run */
  char    *report;
  int      timeout;
  int      frames;
} BeaconCliOptions;

void          beacon_cli_print_error   (const char        *message);
/* Prints the message and returns EXIT_USAGE. */
int           beacon_cli_usage_error   (const char        *format,
                                        ...) G_GNUC_PRINTF (1, 2);
gboolean      beacon_cli_parse_options (GOptionContext    *context,
                                        int               *argc,
                                        char            ***argv);

void          beacon_cli_options_init  (BeaconCliOptions  *options);
void          beacon_cli_options_clear (BeaconCliOptions  *options);
/* Option groups whose entries write into @o. */
GOptionGroup *beacon_cli_media_group   (BeaconCliOptions  *o);
GOptionGroup *beacon_cli_network_group (BeaconCliOptions  *o);
GOptionGroup *beacon_cli_server_group  (BeaconCliOptions  *o,
                                        gboolean           watching);
/* Checks the options and applies them to @session; returns EXIT_OK or the exit code. */
int           beacon_cli_apply_options (BeaconCliOptions  *o,
                                        BeaconSession     *session,
                                        gboolean           media);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BeaconCliOptions, beacon_cli_options_clear)

G_END_DECLS

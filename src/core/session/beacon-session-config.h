/* beacon-session-config.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "beacon-direct-server.h"
#include "beacon-identity.h"
#include "beacon-media-source.h"
#include "beacon-peer.h"
#include "beacon-signaler.h"

G_BEGIN_DECLS

/* The settings of one BeaconSession run. The session's properties write into a config of
 * its own; beacon_session_start () takes a copy, and the running session reads only that
 * copy. A property changed while the session runs therefore waits for the next start ()
 * instead of changing, say, the dialect under a connection made for another one. */
typedef struct {
  char                    *url;
  char                    *stream_name;
  BeaconSourceKind         source;
  BeaconCodec              codec;
  guint                    width;
  guint                    height;
  guint                    fps;
  guint                    max_viewers;
  guint                    key_frame_request_interval;  /* ms, watching; 0 = off */
  guint                    key_frame_interval;  /* s, broadcasting; 0 = the default */
  BeaconDirectServerLimits server_limits;   /* not a property: beacon_session_set_server_limits () */
  char                    *bind_address;
  guint                    port;
  GStrv                    ice_addresses;
  char                    *stun_server;
  GstElement              *video_sink;
  GstElement              *audio_sink;
  GstElement              *preview_sink;
  GstDevice               *camera;
  GstDevice               *microphone;
  char                    *dialect;
  char                    *pin;
  char                    *token;
  gint64                   room;
  gint64                   feed;
  gint64                   mountpoint;
  gboolean                 allow_insecure_signaling;
  GStrv                    turn_servers;
  gboolean                 relay_only;
  gboolean                 upnp;
  gboolean                 accept_new_identity;
  char                    *data_directory;
  char                    *whip_token;
  gboolean                 whip_open;
  char                    *tls_certificate_file;
  char                    *tls_key_file;
  char                    *link_host;
  guint                    reconnect_timeout;  /* seconds; 0 = no reconnecting */
  guint                    connect_timeout;    /* seconds a peer may take to connect */
} BeaconSessionConfig;

#define BEACON_TYPE_SESSION_CONFIG (beacon_session_config_get_type ())

GType                beacon_session_config_get_type (void) G_GNUC_CONST;
/* A config with the properties' defaults. */
BeaconSessionConfig *beacon_session_config_new      (void);
/* A deep copy: strings and lists are copied, elements and devices referenced. */
BeaconSessionConfig *beacon_session_config_copy     (const BeaconSessionConfig *config);
BeaconSessionConfig *beacon_session_config_ref      (BeaconSessionConfig       *config);
void                 beacon_session_config_unref    (BeaconSessionConfig       *config);

/* The dialect is Beacon's own direct server. */
gboolean             beacon_session_config_is_direct (const BeaconSessionConfig *config);
/* Janus and WHIP/WHEP servers are the media peer themselves: one connection, to the server.
 * The direct server and other servers of the GStreamer protocol only introduce the viewers. */
gboolean             beacon_session_config_through_media_server (const BeaconSessionConfig *config);
/* How a peer of this session reaches the network, as @identity. The pointers in @peer_config
 * are borrowed from @config and @identity. */
void                 beacon_session_config_fill_peer_config (const BeaconSessionConfig *config,
                                                             BeaconIdentity            *identity,
                                                             BeaconPeerConfig          *peer_config);

/* The settings as properties of @klass, with ids from @first_prop_id on; returns the id after
 * the last. The class's get_property and set_property hand them to the two functions below,
 * which return FALSE for a property that is not a setting. */
guint                beacon_session_config_install_properties (GObjectClass *klass,
                                                               guint         first_prop_id);
gboolean             beacon_session_config_get_property (const BeaconSessionConfig *config,
                                                         guint                      first_prop_id,
                                                         guint                      prop_id,
                                                         GValue                    *value);
gboolean             beacon_session_config_set_property (BeaconSessionConfig       *config,
                                                         guint                      first_prop_id,
                                                         guint                      prop_id,
                                                         const GValue              *value);

/* What a signaler of this session needs to reach @url; @producer_token (nullable) replaces
 * the configured token: the broadcaster's own connection to its direct server. */
BeaconSignalerOptions *beacon_session_config_make_signaler_options (const BeaconSessionConfig *config,
                                                                    const char                *url,
                                                                    const char                *pin,
                                                                    const char                *producer_token);
/* A lost signaling channel is tried again ("reconnect-timeout" > 0 and a dialect of the
 * GStreamer protocol: Janus, WHIP and WHEP servers are the media peer themselves). */
gboolean             beacon_session_config_reconnects (const BeaconSessionConfig *config);
/* The ICE @servers a signaling server handed out, added to *@turn_servers (the config's when
 * NULL); the first STUN server becomes *@stun_server unless one is set already. */
void                 beacon_session_config_add_ice_servers (const BeaconSessionConfig  *config,
                                                            const char * const         *servers,
                                                            GStrv                      *turn_servers,
                                                            char                      **stun_server);
/* The direct server's TLS certificate: the user's own (serve --tls-cert) or @identity's. */
GTlsCertificate     *beacon_session_config_load_tls_certificate (const BeaconSessionConfig  *config,
                                                                 BeaconIdentity             *identity,
                                                                 GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSessionConfig, beacon_session_config_unref)

G_END_DECLS

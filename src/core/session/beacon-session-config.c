/* beacon-session-config.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-session-config.h"

#include "beacon-enums.h"
#include "beacon-session.h"

/* Each setting is a property and a field. One table says which field a property is, and the
 * property's value type says how to read, write, copy and free the field: a new setting is a
 * field, a line in the enum, its offset and its GParamSpec, and nothing else. */
enum {
  SETTING_URL,
  SETTING_STREAM_NAME,
  SETTING_SOURCE,
  SETTING_CODEC,
  SETTING_WIDTH,
  SETTING_HEIGHT,
  SETTING_FPS,
  SETTING_MAX_VIEWERS,
  SETTING_BIND_ADDRESS,
  SETTING_PORT,
  SETTING_ICE_ADDRESSES,
  SETTING_STUN_SERVER,
  SETTING_VIDEO_SINK,
  SETTING_AUDIO_SINK,
  SETTING_PREVIEW_SINK,
  SETTING_CAMERA,
  SETTING_MICROPHONE,
  SETTING_DIALECT,
  SETTING_PIN,
  SETTING_TOKEN,
  SETTING_ROOM,
  SETTING_FEED,
  SETTING_MOUNTPOINT,
  SETTING_ALLOW_INSECURE_SIGNALING,
  SETTING_TURN_SERVERS,
  SETTING_RELAY_ONLY,
  SETTING_UPNP,
  SETTING_ACCEPT_NEW_IDENTITY,
  SETTING_DATA_DIRECTORY,
  SETTING_WHIP_TOKEN,
  SETTING_WHIP_OPEN,
  SETTING_TLS_CERTIFICATE_FILE,
  SETTING_TLS_KEY_FILE,
  SETTING_LINK_HOST,
  SETTING_RECONNECT_TIMEOUT,
  SETTING_KEY_FRAME_REQUEST_INTERVAL,
  SETTING_CONNECT_TIMEOUT,
  SETTING_KEY_FRAME_INTERVAL,
  N_SETTINGS
};

#define FIELD(name) G_STRUCT_OFFSET (BeaconSessionConfig, name)

static const glong setting_offsets[N_SETTINGS] = {
  [SETTING_URL] = FIELD (url),
  [SETTING_STREAM_NAME] = FIELD (stream_name),
  [SETTING_SOURCE] = FIELD (source),
  [SETTING_CODEC] = FIELD (codec),
  [SETTING_WIDTH] = FIELD (width),
  [SETTING_HEIGHT] = FIELD (height),
  [SETTING_FPS] = FIELD (fps),
  [SETTING_MAX_VIEWERS] = FIELD (max_viewers),
  [SETTING_BIND_ADDRESS] = FIELD (bind_address),
  [SETTING_PORT] = FIELD (port),
  [SETTING_ICE_ADDRESSES] = FIELD (ice_addresses),
  [SETTING_STUN_SERVER] = FIELD (stun_server),
  [SETTING_VIDEO_SINK] = FIELD (video_sink),
  [SETTING_AUDIO_SINK] = FIELD (audio_sink),
  [SETTING_PREVIEW_SINK] = FIELD (preview_sink),
  [SETTING_CAMERA] = FIELD (camera),
  [SETTING_MICROPHONE] = FIELD (microphone),
  [SETTING_DIALECT] = FIELD (dialect),
  [SETTING_PIN] = FIELD (pin),
  [SETTING_TOKEN] = FIELD (token),
  [SETTING_ROOM] = FIELD (room),
  [SETTING_FEED] = FIELD (feed),
  [SETTING_MOUNTPOINT] = FIELD (mountpoint),
  [SETTING_ALLOW_INSECURE_SIGNALING] = FIELD (allow_insecure_signaling),
  [SETTING_TURN_SERVERS] = FIELD (turn_servers),
  [SETTING_RELAY_ONLY] = FIELD (relay_only),
  [SETTING_UPNP] = FIELD (upnp),
  [SETTING_ACCEPT_NEW_IDENTITY] = FIELD (accept_new_identity),
  [SETTING_DATA_DIRECTORY] = FIELD (data_directory),
  [SETTING_WHIP_TOKEN] = FIELD (whip_token),
  [SETTING_WHIP_OPEN] = FIELD (whip_open),
  [SETTING_TLS_CERTIFICATE_FILE] = FIELD (tls_certificate_file),
  [SETTING_TLS_KEY_FILE] = FIELD (tls_key_file),
  [SETTING_LINK_HOST] = FIELD (link_host),
  [SETTING_RECONNECT_TIMEOUT] = FIELD (reconnect_timeout),
  [SETTING_KEY_FRAME_REQUEST_INTERVAL] = FIELD (key_frame_request_interval),
  [SETTING_CONNECT_TIMEOUT] = FIELD (connect_timeout),
  [SETTING_KEY_FRAME_INTERVAL] = FIELD (key_frame_interval),
};

#undef FIELD

static GParamSpec *
make_setting_pspec (guint setting)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  switch (setting)
    {
    case SETTING_URL:
      return g_param_spec_string ("url", NULL, NULL, NULL, rw);
    case SETTING_STREAM_NAME:
      return g_param_spec_string ("stream-name", NULL, NULL, NULL, rw);
    case SETTING_SOURCE:
      return g_param_spec_enum ("source", NULL, NULL, BEACON_TYPE_SOURCE_KIND, BEACON_SOURCE_AUTO,
                                rw);
    case SETTING_CODEC:
      return g_param_spec_enum ("codec", NULL, NULL, BEACON_TYPE_CODEC, BEACON_CODEC_VP8, rw);
    case SETTING_WIDTH:
      return g_param_spec_uint ("width", NULL, NULL, 16, 7680, 1280, rw);
    case SETTING_HEIGHT:
      return g_param_spec_uint ("height", NULL, NULL, 16, 4320, 720, rw);
    case SETTING_FPS:
      return g_param_spec_uint ("fps", NULL, NULL, 1, 120, 30, rw);
    case SETTING_MAX_VIEWERS:
      return g_param_spec_uint ("max-viewers", NULL, NULL, 0, 10000, 0, rw);
    case SETTING_KEY_FRAME_REQUEST_INTERVAL:
      /* Watching, for tests: milliseconds between key frame requests the viewer makes on its
       * own, as a decoder that keeps losing pictures would; 0 = only when needed. */
      return g_param_spec_uint ("key-frame-request-interval", NULL, NULL, 0, 60000, 0, rw);
    case SETTING_KEY_FRAME_INTERVAL:
      /* Broadcasting, for tests: seconds between the encoder's periodic key frames; 0 = the
       * pipeline's own (see beacon-broadcast-pipeline.c). */
      return g_param_spec_uint ("key-frame-interval", NULL, NULL, 0, 3600, 0, rw);
    case SETTING_BIND_ADDRESS:
      return g_param_spec_string ("bind-address", NULL, NULL, NULL, rw);
    case SETTING_PORT:
      return g_param_spec_uint ("port", NULL, NULL, 0, 65535, 8443, rw);
    case SETTING_ICE_ADDRESSES:
      return g_param_spec_boxed ("ice-addresses", NULL, NULL, G_TYPE_STRV, rw);
    case SETTING_STUN_SERVER:
      return g_param_spec_string ("stun-server", NULL, NULL, NULL, rw);
    case SETTING_VIDEO_SINK:
      return g_param_spec_object ("video-sink", NULL, NULL, GST_TYPE_ELEMENT, rw);
    case SETTING_AUDIO_SINK:
      return g_param_spec_object ("audio-sink", NULL, NULL, GST_TYPE_ELEMENT, rw);
    case SETTING_PREVIEW_SINK:
      return g_param_spec_object ("preview-sink", NULL, NULL, GST_TYPE_ELEMENT, rw);
    case SETTING_CAMERA:
      return g_param_spec_object ("camera", NULL, NULL, GST_TYPE_DEVICE, rw);
    case SETTING_MICROPHONE:
      return g_param_spec_object ("microphone", NULL, NULL, GST_TYPE_DEVICE, rw);
    case SETTING_DIALECT:
      return g_param_spec_string ("dialect", NULL, NULL, "direct", rw);
    case SETTING_PIN:
      return g_param_spec_string ("pin", NULL, NULL, NULL, rw);
    case SETTING_TOKEN:
      return g_param_spec_string ("token", NULL, NULL, NULL, rw);
    case SETTING_ROOM:
      return g_param_spec_int64 ("room", NULL, NULL, -1, G_MAXINT64, -1, rw);
    case SETTING_FEED:
      return g_param_spec_int64 ("feed", NULL, NULL, -1, G_MAXINT64, -1, rw);
    case SETTING_MOUNTPOINT:
      return g_param_spec_int64 ("mountpoint", NULL, NULL, -1, G_MAXINT64, -1, rw);
    case SETTING_ALLOW_INSECURE_SIGNALING:
      return g_param_spec_boolean ("allow-insecure-signaling", NULL, NULL, FALSE, rw);
    case SETTING_TURN_SERVERS:
      return g_param_spec_boxed ("turn-servers", NULL, NULL, G_TYPE_STRV, rw);
    case SETTING_RELAY_ONLY:
      return g_param_spec_boolean ("relay-only", NULL, NULL, FALSE, rw);
    case SETTING_UPNP:
      /* Whether ICE may ask the router for a port mapping over UPnP: off by default, because
       * it announces the session on the local network and reaches beyond the ICE addresses. */
      return g_param_spec_boolean ("upnp", NULL, NULL, FALSE, rw);
    case SETTING_ACCEPT_NEW_IDENTITY:
      return g_param_spec_boolean ("accept-new-identity", NULL, NULL, FALSE, rw);
    case SETTING_DATA_DIRECTORY:
      /* Where the identity and the remembered identities live; NULL = the user's default. */
      return g_param_spec_string ("data-directory", NULL, NULL, NULL, rw);
    case SETTING_WHIP_TOKEN:
      /* With source "whip": the Bearer token WHIP publishers must send; NULL = none. */
      return g_param_spec_string ("whip-token", NULL, NULL, NULL, rw);
    case SETTING_WHIP_OPEN:
      /* With source "whip" and no token: take publishers without any token. Otherwise a random
       * token is made up at start (beacon_session_get_whip_token ()). */
      return g_param_spec_boolean ("whip-open", NULL, NULL, FALSE, rw);
    case SETTING_TLS_CERTIFICATE_FILE:
      /* The direct server's TLS certificate and key (PEM files), for example one for the
       * user's domain that browsers already trust; NULL = the identity's self-signed
       * certificate. The DTLS identity stays the user's own either way. */
      return g_param_spec_string ("tls-certificate-file", NULL, NULL, NULL, rw);
    case SETTING_TLS_KEY_FILE:
      return g_param_spec_string ("tls-key-file", NULL, NULL, NULL, rw);
    case SETTING_LINK_HOST:
      /* The host name share links carry (the name in the TLS certificate); NULL = an
       * address. */
      return g_param_spec_string ("link-host", NULL, NULL, NULL, rw);
    case SETTING_RECONNECT_TIMEOUT:
      /* Seconds a lost signaling channel (direct and gst dialects) is tried again before the
       * session ends; 0 = never, as before. 15 s covers a broadcaster that restarts, and a
       * viewer whose broadcaster is gone for good still ends well within half a minute. */
      return g_param_spec_uint ("reconnect-timeout", NULL, NULL, 0, 3600, 15, rw);
    case SETTING_CONNECT_TIMEOUT:
      /* Seconds a peer connection may take to come up (negotiation, ICE, DTLS, identity)
       * before it fails with what did not happen: a path that cannot work is said within
       * 15 s, not left "negotiating" (on loopback a connection takes well under 1 s). */
      return g_param_spec_uint ("connect-timeout", NULL, NULL, 1, 3600, 15, rw);
    default:
      g_assert_not_reached ();
    }
}

/* Made once and kept: every BeaconSession class shares them, and a config made without a
 * session (in the unit tests) takes its defaults from them too. */
static GParamSpec * const *
get_setting_pspecs (void)
{
  static GParamSpec *pspecs[N_SETTINGS];
  static gsize made = 0;

  if (g_once_init_enter (&made))
    {
      for (guint i = 0; i < N_SETTINGS; i++)
        pspecs[i] = g_param_spec_ref_sink (make_setting_pspec (i));
      g_once_init_leave (&made, 1);
    }
  return pspecs;
}

static gpointer
setting_field (const BeaconSessionConfig *config,
               guint                      setting)
{
  return G_STRUCT_MEMBER_P ((BeaconSessionConfig *) config, setting_offsets[setting]);
}

static void
read_setting (const BeaconSessionConfig *config,
              guint                      setting,
              GValue                    *value)
{
  gpointer field = setting_field (config, setting);

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_STRING:
      g_value_set_string (value, *(char **) field);
      break;
    case G_TYPE_BOXED:
      g_value_set_boxed (value, *(GStrv *) field);
      break;
    case G_TYPE_OBJECT:
      g_value_set_object (value, *(GObject **) field);
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (value, *(int *) field);
      break;
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) field);
      break;
    case G_TYPE_UINT:
      g_value_set_uint (value, *(guint *) field);
      break;
    case G_TYPE_INT64:
      g_value_set_int64 (value, *(gint64 *) field);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_setting (BeaconSessionConfig *config,
               guint                setting,
               const GValue        *value)
{
  gpointer field = setting_field (config, setting);

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_STRING:
      g_free (*(char **) field);
      *(char **) field = g_value_dup_string (value);
      break;
    case G_TYPE_BOXED:
      g_assert (G_VALUE_HOLDS (value, G_TYPE_STRV));
      g_strfreev (*(GStrv *) field);
      *(GStrv *) field = g_value_dup_boxed (value);
      break;
    case G_TYPE_OBJECT:
      {
        GObject *object = g_value_get_object (value);

        /* A sink is usually handed over new, still floating: the config takes it. A device
         * belongs to the device monitor and is only referenced. */
        if (object != NULL && GST_IS_ELEMENT (object))
          gst_object_ref_sink (object);
        else if (object != NULL)
          g_object_ref (object);
        g_clear_object ((GObject **) field);
        *(GObject **) field = object;
      }
      break;
    case G_TYPE_ENUM:
      *(int *) field = g_value_get_enum (value);
      break;
    case G_TYPE_BOOLEAN:
      *(gboolean *) field = g_value_get_boolean (value);
      break;
    case G_TYPE_UINT:
      *(guint *) field = g_value_get_uint (value);
      break;
    case G_TYPE_INT64:
      *(gint64 *) field = g_value_get_int64 (value);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Writes each setting of @config from @source, or from its default when @source is NULL. */
static void
write_settings (BeaconSessionConfig       *config,
                const BeaconSessionConfig *source)
{
  GParamSpec * const *pspecs = get_setting_pspecs ();

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      if (source != NULL)
        read_setting (source, i, &value);
      else
        g_param_value_set_default (pspecs[i], &value);
      write_setting (config, i, &value);
    }
}

static void
config_clear (BeaconSessionConfig *config)
{
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      gpointer field = setting_field (config, i);

      switch (G_TYPE_FUNDAMENTAL (G_PARAM_SPEC_VALUE_TYPE (get_setting_pspecs ()[i])))
        {
        case G_TYPE_STRING:
          g_clear_pointer ((char **) field, g_free);
          break;
        case G_TYPE_BOXED:
          g_clear_pointer ((GStrv *) field, g_strfreev);
          break;
        case G_TYPE_OBJECT:
          g_clear_object ((GObject **) field);
          break;
        default:
          break;
        }
    }
}

BeaconSessionConfig *
beacon_session_config_new (void)
{
  BeaconSessionConfig *config = g_rc_box_new0 (BeaconSessionConfig);

  write_settings (config, NULL);
  beacon_direct_server_limits_init_default (&config->server_limits);
  return config;
}

BeaconSessionConfig *
beacon_session_config_copy (const BeaconSessionConfig *config)
{
  BeaconSessionConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_rc_box_new0 (BeaconSessionConfig);
  write_settings (copy, config);
  copy->server_limits = config->server_limits;
  return copy;
}

BeaconSessionConfig *
beacon_session_config_ref (BeaconSessionConfig *config)
{
  return g_rc_box_acquire (config);
}

void
beacon_session_config_unref (BeaconSessionConfig *config)
{
  g_rc_box_release_full (config, (GDestroyNotify) config_clear);
}

G_DEFINE_BOXED_TYPE (BeaconSessionConfig, beacon_session_config, beacon_session_config_ref,
                     beacon_session_config_unref)

gboolean
beacon_session_config_is_direct (const BeaconSessionConfig *config)
{
  return config->dialect == NULL || g_str_equal (config->dialect, "direct");
}

gboolean
beacon_session_config_through_media_server (const BeaconSessionConfig *config)
{
  return config->dialect != NULL &&
         (g_str_equal (config->dialect, "janus") || g_str_equal (config->dialect, "whip") ||
          g_str_equal (config->dialect, "whep"));
}

void
beacon_session_config_fill_peer_config (const BeaconSessionConfig *config,
                                        BeaconIdentity            *identity,
                                        BeaconPeerConfig          *peer_config)
{
  *peer_config = (BeaconPeerConfig) {
    .ice_addresses = (const char * const *) config->ice_addresses,
    .stun_server = config->stun_server,
    .turn_servers = (const char * const *) config->turn_servers,
    .relay_only = config->relay_only,
    .upnp = config->upnp,
    .identity_pem = beacon_identity_get_pem_bundle (identity),
    .identity_fingerprint = beacon_identity_get_fingerprint (identity),
  };
}

guint
beacon_session_config_install_properties (GObjectClass *klass,
                                          guint         first_prop_id)
{
  GParamSpec * const *pspecs = get_setting_pspecs ();

  for (guint i = 0; i < N_SETTINGS; i++)
    g_object_class_install_property (klass, first_prop_id + i, pspecs[i]);
  return first_prop_id + N_SETTINGS;
}

gboolean
beacon_session_config_get_property (const BeaconSessionConfig *config,
                                    guint                      first_prop_id,
                                    guint                      prop_id,
                                    GValue                    *value)
{
  if (prop_id < first_prop_id || prop_id >= first_prop_id + N_SETTINGS)
    return FALSE;
  read_setting (config, prop_id - first_prop_id, value);
  return TRUE;
}

gboolean
beacon_session_config_set_property (BeaconSessionConfig *config,
                                    guint                first_prop_id,
                                    guint                prop_id,
                                    const GValue        *value)
{
  if (prop_id < first_prop_id || prop_id >= first_prop_id + N_SETTINGS)
    return FALSE;
  write_setting (config, prop_id - first_prop_id, value);
  return TRUE;
}

BeaconSignalerOptions *
beacon_session_config_make_signaler_options (const BeaconSessionConfig *config,
                                             const char                *url,
                                             const char                *pin,
                                             const char                *producer_token)
{
  BeaconSignalerOptions *options = beacon_signaler_options_new ();

  options->dialect = g_strdup (config->dialect ? config->dialect : "direct");
  options->url = g_strdup (url);
  options->pin = g_strdup (pin);
  options->allow_insecure = config->allow_insecure_signaling;
  /* The broadcaster's own connection to its direct server proves with the server's producer
   * token that it may produce there. */
  options->token = g_strdup (producer_token != NULL ? producer_token : config->token);
  options->room = config->room;
  options->feed = config->feed;
  options->mountpoint = config->mountpoint;
  options->display_name = g_strdup (config->stream_name ? config->stream_name : "Beacon");
  options->video_codec = g_strdup (beacon_codec_to_string (config->codec));
  /* A reconnecting session wants to notice a silent channel soon; only the broadcaster's own
   * direct server (the one with a producer token) runs in this process, with nothing
   * between to go silent. */
  options->check_liveness = beacon_session_config_reconnects (config) && producer_token == NULL;
  return options;
}

gboolean
beacon_session_config_reconnects (const BeaconSessionConfig *config)
{
  const char *dialect = config->dialect ? config->dialect : "direct";

  return config->reconnect_timeout > 0 &&
         (g_str_equal (dialect, "direct") || g_str_equal (dialect, "gst"));
}

GTlsCertificate *
beacon_session_config_load_tls_certificate (const BeaconSessionConfig  *config,
                                            BeaconIdentity             *identity,
                                            GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;

  if (config->tls_certificate_file == NULL && config->tls_key_file == NULL)
    return g_object_ref (beacon_identity_get_tls_certificate (identity));
  if (config->tls_certificate_file == NULL || config->tls_key_file == NULL)
    {
      g_set_error (error, BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_INVALID,
                   "a TLS certificate needs both its certificate file and its key file");
      return NULL;
    }
  certificate = g_tls_certificate_new_from_files (config->tls_certificate_file,
                                                  config->tls_key_file, &local_error);
  if (certificate == NULL)
    g_set_error (error, BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_INVALID,
                 "could not load the TLS certificate %s with the key %s: %s",
                 config->tls_certificate_file, config->tls_key_file, local_error->message);
  return certificate;
}

void
beacon_session_config_add_ice_servers (const BeaconSessionConfig  *config,
                                       const char * const         *servers,
                                       GStrv                      *turn_servers,
                                       char                      **stun_server)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* Servers the server hands out join those the user configured, for peers made from now on;
   * the configuration itself stays as it was given. */
  if (*turn_servers != NULL)
    g_strv_builder_addv (builder, (const char **) *turn_servers);
  else if (config->turn_servers != NULL)
    g_strv_builder_addv (builder, (const char **) config->turn_servers);
  for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
    if (g_str_has_prefix (servers[i], "turn"))
      g_strv_builder_add (builder, servers[i]);
    else if (g_str_has_prefix (servers[i], "stun") && config->stun_server == NULL &&
             *stun_server == NULL)
      *stun_server = g_strdup (servers[i]);
  g_strfreev (*turn_servers);
  *turn_servers = g_strv_builder_end (builder);
}

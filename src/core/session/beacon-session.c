/* beacon-session.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why this file is longer than ~900 lines: it is the state machine of one broadcast or one
 * watch, and what is left here all reads and writes that one state (the peer table, the
 * signaler, the pipelines, the report) from callbacks of the signaler, the peers and the
 * pipelines. The parts with a state of their own live beside it: the settings
 * (beacon-session-config), the WHIP ingest (beacon-whip-ingest), whom a viewer connects to
 * and trusts (beacon-watch-target), the share link (signaling/beacon-share-link) and bringing
 * a lost signaling channel back (beacon-reconnector: only swapping in its signaler and keeping
 * the peers meanwhile is here, ~90 lines, because that is the peer table and the signaler).
 * Asking every peer for its statistics each second, and the round that ends in
 * "health-updated" (~80 lines), stay for the same reason: they walk the peer table.
 * Cutting the rest by role would split one object's state between files.
 */

#include "beacon-session.h"

#include <json-glib/json-glib.h>

#include "beacon-broadcast-pipeline.h"
#include "beacon-direct-server.h"
#include "beacon-dtls-warmup.h"
#include "beacon-enums.h"
#include "beacon-fingerprint.h"
#include "beacon-identity.h"
#include "beacon-peer.h"
#include "beacon-pin-store.h"
#include "beacon-reconnector.h"
#include "beacon-security-report.h"
#include "beacon-session-config.h"
#include "beacon-share-link.h"
#include "beacon-signaler-factory.h"
#include "beacon-watch-pipeline.h"
#include "beacon-watch-target.h"
#include "beacon-whip-ingest.h"

/* After stop (), how long the main context keeps running before the session is idle, so that
 * the endSession and close frames already queued reach the other side. */
#define CLOSE_GRACE_MS 300

struct _BeaconSession
{
  GObject                  parent_instance;

  BeaconSessionRole        role;
  BeaconSessionState       state;
  GError                  *error;

  /* What the properties write; start () copies it into config, and only the copy is read
   * while running (see beacon-session-config.h). */
  BeaconSessionConfig     *settings;
  BeaconSessionConfig     *config;

  /* Running */
  GCancellable            *cancellable;
  BeaconIdentity          *identity;
  GstElement              *dtls_ready;     /* holds dtlsdec's agent for our certificate */
  BeaconDirectServer      *server;
  BeaconSignaler          *signaler;
  BeaconBroadcastPipeline *broadcast;
  BeaconWatchPipeline     *watch;
  GHashTable              *peers;          /* session id → BeaconPeer */
  /* Broadcasting, the viewers (session ids) whose four words the user compared, and they
   * matched; watching, the pin store remembers it ("compared"). */
  GHashTable              *words_compared;
  char                    *share_url;
  gint64                   started_at_us;
  gint64                   signaling_connected_us;  /* 0 until the signaler started */
  gint64                   first_frame_ms;
  /* Watching, the newest peer's timeline: it stays for the report after the peer is gone. */
  BeaconPeerTimeline      *watch_timeline;
  BeaconPeerStats          departed_stats;  /* of the peers already gone, for the report */
  guint                    close_timeout;
  BeaconSecurityReport    *security_report;
  guint                    report_timer;
  char                    *blocked_reason;
  /* The signaling server's certificate was refused: what the report says of its trust. */
  BeaconSignalingTrust     refused_trust;
  BeaconWatchTarget       *watch_target;
  guint64                  last_encoded_bytes;
  guint                    bitrate_kbps;

  /* Health, each second: the get-stats requests of one round still unanswered, and what the
   * frame rate is measured from (frames decoded, or encoded, at the last tick). */
  GListStore              *viewer_health;   /* BeaconPeerHealth of each viewer, broadcasting */
  guint                    stats_pending;
  gint64                   last_tick_us;
  guint64                  last_frames;

  /* ICE servers the signaling server handed out, added to the configured ones for the peers
   * made from then on; NULL until it does. */
  GStrv                    turn_servers;
  char                    *stun_server;
  BeaconWhipIngest        *whip_ingest;     /* source "whip": the publisher's connection */
  BeaconReconnector       *reconnector;     /* NULL unless the config reconnects */

  /* Watching, a media path that failed (ICE) is repaired by a new session over the signaling
   * that still runs, on the reconnector's schedule: since when (0 when not), the attempt
   * waited for or under way, its timer, the repairs that succeeded, the failure that began
   * it. */
  gint64                   repair_since_us;
  guint                    repair_attempt;
  guint                    repair_source;
  guint                    repairs;
  char                    *repair_reason;
};

enum {
  PROP_0,
  PROP_ROLE,
  PROP_STATE,
  PROP_ERROR,
  PROP_SHARE_URL,
  PROP_VIEWER_COUNT,
  PROP_FRAMES_DECODED,
  PROP_FIRST_FRAME_MS,
  PROP_SECURITY_REPORT,
  PROP_BITRATE_KBPS,
  PROP_RECONNECTING,
  PROP_RECONNECTING_SINCE,
  N_PROPS
  /* The settings follow, from N_PROPS on: beacon_session_config_install_properties (). */
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RECONNECT_WAITING,
  SIGNAL_HEALTH_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (beacon-session-error, beacon_session_error)

G_DEFINE_FINAL_TYPE (BeaconSession, beacon_session, G_TYPE_OBJECT)

const char *
beacon_session_state_to_string (BeaconSessionState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (BEACON_TYPE_SESSION_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value ? value->value_nick : "unknown";
}

static void
set_state (BeaconSession      *self,
           BeaconSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("session %s → %s", beacon_session_state_to_string (self->state),
           beacon_session_state_to_string (state));
  self->state = state;
  if (self->whip_ingest != NULL)
    beacon_whip_ingest_set_accepting (self->whip_ingest, state == BEACON_SESSION_STATE_LIVE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean is_direct (BeaconSession *self);

static gboolean
is_reconnecting (BeaconSession *self)
{
  return self->reconnector != NULL && beacon_reconnector_is_active (self->reconnector);
}

static gboolean
is_repairing (BeaconSession *self)
{
  return self->repair_since_us != 0;
}

/* What "reconnecting" shows: the signaling or the media path coming back. */
static gboolean
shows_reconnecting (BeaconSession *self)
{
  return is_reconnecting (self) || is_repairing (self);
}
static gboolean through_media_server (BeaconSession *self);

/* A peer's loss-recovery figures stay in the report after it leaves: those of its last
 * statistics, at most a second old (asking again now would mean waiting for its thread). */
static void
keep_stats_of (BeaconSession *self,
               BeaconPeer    *peer)
{
  beacon_peer_stats_add_totals (&self->departed_stats, beacon_peer_get_stats (peer));
}

/* A viewer that leaves leaves the list of viewers' health. */
static void
forget_health_of (BeaconSession *self,
                  BeaconPeer    *peer)
{
  guint position;

  if (g_list_store_find (self->viewer_health, beacon_peer_get_health (peer), &position))
    g_list_store_remove (self->viewer_health, position);
}

/* Glass-to-glass, when the broadcast carries latency stamps (see beacon-latency-stamp). */
static void
add_latency (BeaconSession *self,
             JsonObject    *object)
{
  BeaconLatencyFigures figures;
  JsonObject *latency;

  if (!beacon_session_get_latency (self, &figures))
    return;
  latency = json_object_new ();
  json_object_set_int_member (latency, "frames", figures.frames);
  json_object_set_int_member (latency, "p50_ms", figures.p50_ms);
  json_object_set_int_member (latency, "p95_ms", figures.p95_ms);
  json_object_set_int_member (latency, "max_ms", figures.max_ms);
  json_object_set_int_member (latency, "last_ms", figures.last_ms);
  json_object_set_object_member (object, "latency", latency);
}

static BeaconPeer *
find_peer_of_health (BeaconSession    *self,
                     BeaconPeerHealth *health)
{
  GHashTableIter iter;
  BeaconPeer *peer;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    if (beacon_peer_get_health (peer) == health)
      return peer;
  return NULL;
}

static JsonObject *
stats_to_json (BeaconSession *self)
{
  BeaconPeerStats stats = self->departed_stats;
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  BeaconPeer *peer;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    beacon_peer_stats_add_totals (&stats, beacon_peer_get_stats (peer));
  beacon_peer_stats_to_json (&stats, object);
  if (self->role == BEACON_SESSION_ROLE_WATCH)
    {
      BeaconPeerHealth *health = beacon_session_get_watch_health (self);

      if (health != NULL)
        json_object_set_object_member (object, "health", beacon_peer_health_to_json (health));
      else
        json_object_set_null_member (object, "health");
      json_object_set_int_member (object, "frames_decoded",
                                  (gint64) beacon_session_get_frames_decoded (self));
      guint64 freeze_ms = self->watch != NULL
                            ? beacon_watch_pipeline_get_longest_freeze_ms (self->watch)
                            : 0;

      json_object_set_int_member (object, "longest_freeze_ms", (gint64) freeze_ms);
      add_latency (self, object);
    }
  else if (self->broadcast != NULL)
    {
      BeaconKeyFrameLimiter *limiter =
        beacon_broadcast_pipeline_get_key_frame_limiter (self->broadcast);
      JsonObject *key_frames = json_object_new ();

      json_object_set_int_member (key_frames, "requested",
                                  (gint64) beacon_key_frame_limiter_get_requests (limiter));
      json_object_set_int_member (key_frames, "forced",
                                  (gint64) beacon_key_frame_limiter_get_forwarded (limiter));
      json_object_set_int_member (key_frames, "encoded",
                                  (gint64) beacon_key_frame_limiter_get_key_frames (limiter));
      json_object_set_object_member (object, "key_frames", key_frames);
      json_object_set_int_member (object, "frames_encoded",
                                  (gint64) beacon_key_frame_limiter_get_frames (limiter));
    }
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    {
      JsonArray *viewers = json_array_new ();
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->viewer_health));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BeaconPeerHealth) health =
            g_list_model_get_item (G_LIST_MODEL (self->viewer_health), i);
          JsonObject *viewer = beacon_peer_health_to_json (health);
          BeaconPeer *peer = find_peer_of_health (self, health);

          if (peer != NULL)
            json_object_set_object_member (viewer, "timeline",
                                           beacon_peer_timeline_to_json (
                                             beacon_peer_get_timeline (peer), FALSE));
          json_array_add_object_element (viewers, viewer);
        }
      json_object_set_array_member (object, "viewers", viewers);
    }
  return object;
}

static void
update_security_report (BeaconSession *self)
{
  g_autoptr(BeaconChannelInfo) channel = NULL;
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_peer_info_free);
  GHashTableIter iter;
  BeaconPeer *peer;

  if (self->signaler != NULL)
    channel = beacon_signaler_dup_channel_info (self->signaler);
  if (self->refused_trust != BEACON_SIGNALING_TRUST_NONE)
    {
      if (channel == NULL)
        channel = g_new0 (BeaconChannelInfo, 1);
      channel->trust = self->refused_trust;
    }
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      BeaconPeerInfo *info = beacon_peer_dup_info (peer);

      if (self->role == BEACON_SESSION_ROLE_BROADCAST)
        info->words_compared = g_hash_table_contains (self->words_compared, info->session_id);
      else
        info->words_compared = self->watch_target != NULL &&
                               g_strcmp0 (self->watch_target->pin_status, "compared") == 0;
      g_ptr_array_add (infos, info);
    }
  beacon_security_report_update (self->security_report, channel, infos,
                                 self->identity ? beacon_identity_get_fingerprint (self->identity)
                                                : NULL,
                                 self->watch_target ? self->watch_target->pin_status : NULL,
                                 self->blocked_reason);
}

static void
tear_down (BeaconSession *self)
{
  GHashTableIter iter;
  BeaconPeer *peer;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->report_timer, g_source_remove);
  g_clear_handle_id (&self->repair_source, g_source_remove);
  if (self->reconnector != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reconnector, self);
      beacon_reconnector_cancel (self->reconnector);
    }
  if (self->whip_ingest != NULL)
    beacon_whip_ingest_close (self->whip_ingest);
  /* The last word of the report describes the connection as it was when it ended. */
  if (self->security_report != NULL && g_hash_table_size (self->peers) > 0)
    update_security_report (self);

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      g_signal_handlers_disconnect_by_data (peer, self);
      keep_stats_of (self, peer);
      forget_health_of (self, peer);
      if (self->signaler != NULL)
        beacon_signaler_end_session (self->signaler, beacon_peer_get_session_id (peer));
      beacon_peer_close (peer);
      if (self->broadcast != NULL)
        beacon_broadcast_pipeline_detach_peer (self->broadcast, beacon_peer_get_webrtcbin (peer));
    }
  g_hash_table_remove_all (self->peers);

  if (self->signaler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->signaler, self);
      beacon_signaler_stop (self->signaler);
    }
  if (self->server != NULL)
    beacon_direct_server_stop (self->server);
  if (self->broadcast != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->broadcast, self);
      beacon_broadcast_pipeline_stop (self->broadcast);
    }
  if (self->watch != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watch, self);
      beacon_watch_pipeline_stop (self->watch);
    }
}

/* Ends the session in a final state. The objects stay alive until the next start () or
 * dispose so that the report can still be read. */
static void
finish (BeaconSession      *self,
        BeaconSessionState  final_state,
        GError             *error)
{
  if (self->state == BEACON_SESSION_STATE_FAILED || self->state == BEACON_SESSION_STATE_ENDED ||
      self->state == BEACON_SESSION_STATE_IDLE)
    {
      g_clear_error (&error);
      return;
    }

  tear_down (self);
  if (error != NULL)
    {
      g_clear_error (&self->error);
      self->error = error;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  set_state (self, final_state);
}

gboolean
beacon_session_error_is_security (const GError *error)
{
  return error != NULL &&
         (error->domain == BEACON_SECURITY_ERROR ||
          g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED) ||
          g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE));
}

/* Why a security failure blocked the connection, in words for the person in front of the
 * report, not for the terminal: no addresses, options or internal names (the CLI prints the
 * error itself as well). */
static const char *
describe_blocking (BeaconSession *self,
                   const GError  *error)
{
  if (g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED))
    return self->refused_trust == BEACON_SIGNALING_TRUST_NOT_PINNED
             ? "The server's certificate is not the one the link names: another server "
               "answered in its place, or the link was changed."
             : "The server's certificate is not trusted: no certificate authority vouches for "
               "it, and the link names no fingerprint to check it against.";
  if (g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE))
    return "The server offers only unencrypted signaling, which anyone on the network could "
           "read and change.";
  if (error->domain != BEACON_SECURITY_ERROR)
    return error->message;
  switch ((BeaconSecurityError) error->code)
    {
    case BEACON_SECURITY_ERROR_IDENTITY_MISMATCH:
      return "The encryption key the other side used is not the one it announced: someone may "
             "be in between.";
    case BEACON_SECURITY_ERROR_NO_FINGERPRINT:
      return "The other side announced no encryption key, so nobody can check who it is.";
    case BEACON_SECURITY_ERROR_NOT_LINK_IDENTITY:
      return "The media does not come from the broadcaster the link names: someone else "
             "answered.";
    case BEACON_SECURITY_ERROR_WORDS_DIFFER:
      return "The security words did not match: someone may be between you and the "
             "broadcaster. The connection was ended and this identity forgotten.";
    case BEACON_SECURITY_ERROR_IDENTITY_CHANGED:
    case BEACON_SECURITY_ERROR_PIN_STORE:
    default:
      return error->message;
    }
}

static void
fail_with (BeaconSession *self,
           GError        *error)
{
  /* A refused certificate or refused plain signaling blocks the connection: the report says
   * so, not just "unknown". A changed identity is a warning the user may accept. */
  if (g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED))
    {
      const char *pin = self->watch_target ? self->watch_target->pin : self->config->pin;

      self->refused_trust = pin != NULL ? BEACON_SIGNALING_TRUST_NOT_PINNED
                                        : BEACON_SIGNALING_TRUST_UNTRUSTED;
    }
  if (beacon_session_error_is_security (error) &&
      !g_error_matches (error, BEACON_SECURITY_ERROR, BEACON_SECURITY_ERROR_IDENTITY_CHANGED) &&
      self->blocked_reason == NULL)
    {
      self->blocked_reason = g_strdup (describe_blocking (self, error));
      update_security_report (self);
    }
  finish (self, BEACON_SESSION_STATE_FAILED, error);
}

static void
notify_viewer_count (BeaconSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWER_COUNT]);
}

static void
remove_peer (BeaconSession *self,
             const char    *session_id)
{
  BeaconPeer *peer = g_hash_table_lookup (self->peers, session_id);

  if (peer == NULL)
    return;
  g_signal_handlers_disconnect_by_data (peer, self);
  keep_stats_of (self, peer);
  forget_health_of (self, peer);
  /* The branch goes first, so the tee never pushes into a webrtcbin already stopped. */
  if (self->broadcast != NULL)
    beacon_broadcast_pipeline_detach_peer (self->broadcast, beacon_peer_get_webrtcbin (peer));
  beacon_peer_close (peer);
  if (self->watch != NULL)
    beacon_watch_pipeline_detach_peer (self->watch, beacon_peer_get_webrtcbin (peer));
  g_hash_table_remove (self->peers, session_id);
  g_hash_table_remove (self->words_compared, session_id);
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    notify_viewer_count (self);
  update_security_report (self);
}

/* Peer callbacks */

static void
peer_local_description_cb (BeaconPeer    *peer,
                           const char    *type,
                           const char    *sdp,
                           BeaconSession *self)
{
  if (self->signaler != NULL)
    beacon_signaler_send_description (self->signaler, beacon_peer_get_session_id (peer), type,
                                      sdp);
}

static void
peer_local_candidate_cb (BeaconPeer    *peer,
                         guint          mline,
                         const char    *candidate,
                         BeaconSession *self)
{
  if (self->signaler != NULL)
    beacon_signaler_send_candidate (self->signaler, beacon_peer_get_session_id (peer), mline,
                                    candidate);
}

static void notify_reconnecting (BeaconSession *self);

/* How long a watch may receive nothing before its media path counts as failed: the consent
 * timeout of RFC 7675, which libnice applies itself only when built with consent freshness
 * (not 0.1.21; see beacon_peer_watch_reception ()). Longer than a short cut of the network,
 * which the same path survives. */
#define RECEPTION_TIMEOUT_MS 10000

/* Repairing needs a signaling channel that can ask for another session (direct and gst), and
 * the time to do it in ("reconnect-timeout"). */
static gboolean
can_repair (BeaconSession *self)
{
  return self->role == BEACON_SESSION_ROLE_WATCH && beacon_session_config_reconnects (self->config);
}

/* The repair is over once a picture through the new peer is decoded, not when it connects:
 * a peer that connected right as a cut ended was once seen to bring nothing at all, and it
 * then fails within the attempt's time like any other. From now on the peer gets the usual
 * time. */
static void
end_repair (BeaconSession *self)
{
  GHashTableIter iter;
  BeaconPeer *peer;

  g_message ("media connection repaired (attempt %u)", self->repair_attempt);
  g_clear_handle_id (&self->repair_source, g_source_remove);
  self->repair_since_us = 0;
  self->repairs++;
  g_clear_pointer (&self->repair_reason, g_free);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    beacon_peer_watch_reception (peer, RECEPTION_TIMEOUT_MS);
  notify_reconnecting (self);
}

static void
peer_connected_cb (BeaconPeer    *peer,
                   BeaconSession *self)
{
  update_security_report (self);
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    {
      g_message ("viewer connected (session %s)", beacon_peer_get_session_id (peer));
      beacon_peer_timeline_mark (beacon_peer_get_timeline (peer),
                                 BEACON_TIMELINE_KEY_FRAME_REQUESTED);
      beacon_broadcast_pipeline_request_key_frame (self->broadcast);
      /* Publishing through a media server is live once that server takes the media. */
      if (through_media_server (self) && self->state == BEACON_SESSION_STATE_NEGOTIATING)
        set_state (self, BEACON_SESSION_STATE_LIVE);
    }
  else
    {
      if (self->state == BEACON_SESSION_STATE_NEGOTIATING)
        set_state (self, BEACON_SESSION_STATE_CONNECTED);
      /* A repair's peer keeps the attempt's time until a picture comes (end_repair ()). */
      if (can_repair (self) && !is_repairing (self))
        beacon_peer_watch_reception (peer, RECEPTION_TIMEOUT_MS);
    }
}

typedef struct {
  BeaconSession *session;
  BeaconPeer    *peer;
} IdentityCheckCall;

static void
identity_checked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  IdentityCheckCall *call = user_data;
  BeaconSession *self = call->session;
  g_autoptr(GError) error = NULL;
  const char *pin_status = NULL;
  gboolean passed = beacon_watch_target_check_identity_finish (result, &pin_status, &error);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (pin_status != NULL && !cancelled && self->watch_target != NULL)
    {
      g_free (self->watch_target->pin_status);
      self->watch_target->pin_status = g_strdup (pin_status);
    }
  if (!passed && !cancelled)
    beacon_peer_reject (call->peer, g_steal_pointer (&error));
  /* Cancelled: the session stopped, and the peer is closed, so the release lets nothing in. */
beacon_peer_release_identity (call->peer);
  g_object_unref (call->peer);
  g_object_unref (call->session);
  g_free (call);
}

/* Watching, the broadcaster's identity is remembered on first use: see beacon-watch-target.
 * Until the pin store answers, the peer holds the media and the verdict back. */
static void
peer_identity_verified_cb (BeaconPeer    *peer,
                           const char    *fingerprint,
                           BeaconSession *self)
{
  IdentityCheckCall *call;

  if (self->watch_target == NULL)
    return;
  call = g_new0 (IdentityCheckCall, 1);
  call->session = g_object_ref (self);
  call->peer = g_object_ref (peer);
beacon_peer_hold_identity (peer);
  beacon_watch_target_check_identity_async (self->watch_target, fingerprint, self->cancellable,
                                            identity_checked_cb, call);
}

static void schedule_repair (BeaconSession *self);

/* The server did not start the session asked for (it may have refused it with an error,
 * which the gst protocol does not tie to the request): the next attempt follows. */
static gboolean
repair_session_timed_out_cb (gpointer user_data)
{
  BeaconSession *self = user_data;

  self->repair_source = 0;
  g_message ("no new session within %u s", BEACON_RECONNECT_ATTEMPT_MS / 1000);
  schedule_repair (self);
  return G_SOURCE_REMOVE;
}

static gboolean
repair_wait_elapsed_cb (gpointer user_data)
{
  BeaconSession *self = user_data;

  self->repair_source = 0;
  if (self->signaler == NULL || !beacon_signaler_start_session (self->signaler))
    {
      fail_with (self, g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                                    "the media connection failed (%s), and the signaling "
                                    "server could not be asked for a new one",
                                    self->repair_reason));
      return G_SOURCE_REMOVE;
    }
  /* The new session's peer (session_started_cb ()) ends the repair once connected, or fails
   * and schedules the next attempt. */
  self->repair_source = g_timeout_add (BEACON_RECONNECT_ATTEMPT_MS, repair_session_timed_out_cb,
                                       self);
  return G_SOURCE_REMOVE;
}

/* Waits for the next attempt on the reconnector's schedule, or gives up when
 * "reconnect-timeout" is up. */
static void
schedule_repair (BeaconSession *self)
{
  guint give_up_ms = self->config->reconnect_timeout * 1000;
  gint64 elapsed_ms = (g_get_monotonic_time () - self->repair_since_us) / 1000;
  guint delay;

  if (elapsed_ms >= give_up_ms)
    {
      fail_with (self, g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                                    "the media connection failed (%s) and could not be "
                                    "repaired within %u s (attempts: %u)",
                                    self->repair_reason, (guint) (elapsed_ms / 1000),
                                    self->repair_attempt));
      return;
    }
  self->repair_attempt++;
  delay = beacon_reconnector_delay_ms (BEACON_RECONNECT_INITIAL_MS, BEACON_RECONNECT_MAX_MS,
                                       BEACON_RECONNECT_JITTER_PERCENT, self->repair_attempt,
                                       g_random_double_range (-1.0, 1.0));
  delay = MIN (delay, (guint) (give_up_ms - elapsed_ms));
  self->repair_source = g_timeout_add (delay, repair_wait_elapsed_cb, self);
  g_signal_emit (self, signals[SIGNAL_RECONNECT_WAITING], 0, self->repair_attempt, delay);
}

/* A watch whose media path failed (ICE) while the signaling still runs: webrtcbin 1.22 has no
 * ICE restart, so the failed peer's session ends (the broadcaster drops that branch only) and
 * a new session with a fresh peer replaces it; the watch pipeline and its sinks stay. Only a
 * watch that was playing, or is being repaired: a first connection that fails fails as
 * before. */
static gboolean
begin_repair (BeaconSession *self,
              const char    *session_id,
              const GError  *error)
{
  if (!can_repair (self) || self->signaler == NULL || is_reconnecting (self) ||
      !g_error_matches (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_ICE_FAILED) ||
      (!is_repairing (self) && self->first_frame_ms < 0) ||
      self->state < BEACON_SESSION_STATE_NEGOTIATING || self->state > BEACON_SESSION_STATE_WATCHING)
    return FALSE;
  g_message ("media connection lost (%s): negotiating a new one", error->message);
  beacon_signaler_end_session (self->signaler, session_id);
  remove_peer (self, session_id);
  if (self->repair_source != 0)
    return TRUE;
  if (!is_repairing (self))
    {
      self->repair_since_us = g_get_monotonic_time ();
      self->repair_attempt = 0;
      g_free (self->repair_reason);
      self->repair_reason = g_strdup (error->message);
      notify_reconnecting (self);
    }
  schedule_repair (self);
  return TRUE;
}

static void
peer_failed_cb (BeaconPeer    *peer,
                const GError  *error,
                BeaconSession *self)
{
  g_autofree char *session_id = g_strdup (beacon_peer_get_session_id (peer));
  int security_code;

  /* Through a media server there is one peer, the server: without it there is no broadcast. */
  if (self->role == BEACON_SESSION_ROLE_BROADCAST && through_media_server (self))
    {
      fail_with (self, g_error_copy (error));
      return;
    }
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    {
      /* One viewer's trouble never disturbs the others. */
      g_message ("viewer session %s failed: %s", session_id, error->message);
      if (self->signaler != NULL)
        beacon_signaler_end_session (self->signaler, session_id);
      remove_peer (self, session_id);
      return;
    }
  security_code = beacon_watch_target_security_error_of_peer_error (error);
  if (security_code < 0 && is_reconnecting (self))
    {
      /* The broadcaster is gone with the signaling; the new session brings a new peer. */
      remove_peer (self, session_id);
      return;
    }
  if (security_code >= 0)
    {
      /* This failure, not an earlier one, is what the report blocks on. */
      g_clear_pointer (&self->blocked_reason, g_free);
      fail_with (self, g_error_new (BEACON_SECURITY_ERROR, security_code, "%s", error->message));
      return;
    }
  if (begin_repair (self, session_id, error))
    return;
  update_security_report (self);
  fail_with (self, g_error_copy (error));
}

/* One round of statistics is over when every peer asked answered; a peer that does not
 * (closing, or busy) holds it up until the next round at most: see request_health (). An
 * answer that comes after its round counts towards the next one, which then ends a little
 * early, with that peer's newest figures all the same. */
static void
finish_health_round (BeaconSession *self)
{
  self->stats_pending = 0;
  g_signal_emit (self, signals[SIGNAL_HEALTH_UPDATED], 0);
}

static void
peer_stats_updated_cb (BeaconPeer    *peer,
                       BeaconSession *self)
{
  if (self->stats_pending > 0 && --self->stats_pending == 0)
    finish_health_round (self);
}

static BeaconPeer *
make_peer (BeaconSession *self,
           GstBin        *bin,
           const char    *session_id)
{
  BeaconPeerConfig config;

  beacon_session_config_fill_peer_config (self->config, self->identity, &config);
  config.timeline_origin_us = self->started_at_us;
  if (self->turn_servers != NULL)
    config.turn_servers = (const char * const *) self->turn_servers;
  if (self->stun_server != NULL)
    config.stun_server = self->stun_server;
  return beacon_peer_new (bin, session_id, &config);
}

static BeaconPeer *
add_peer (BeaconSession *self,
          GstBin        *bin,
          const char    *session_id)
{
  BeaconPeer *peer = make_peer (self, bin, session_id);

  g_signal_connect_object (peer, "local-description",
                           G_CALLBACK (peer_local_description_cb), self, 0);
  g_signal_connect_object (peer, "local-candidate",
                           G_CALLBACK (peer_local_candidate_cb), self, 0);
  g_signal_connect_object (peer, "identity-verified",
                           G_CALLBACK (peer_identity_verified_cb), self, 0);
  g_signal_connect_object (peer, "connected", G_CALLBACK (peer_connected_cb), self, 0);
  g_signal_connect_object (peer, "failed", G_CALLBACK (peer_failed_cb), self, 0);
  g_signal_connect_object (peer, "stats-updated", G_CALLBACK (peer_stats_updated_cb), self, 0);
  g_hash_table_insert (self->peers, g_strdup (session_id), peer);
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    {
      g_list_store_append (self->viewer_health, beacon_peer_get_health (peer));
      beacon_peer_timeline_mark (beacon_peer_get_timeline (peer), BEACON_TIMELINE_VIEWER_JOINED);
    }
  else
    {
      if (self->signaling_connected_us != 0)
        beacon_peer_timeline_mark_at (beacon_peer_get_timeline (peer),
                                      BEACON_TIMELINE_SIGNALING_CONNECTED,
                                      self->signaling_connected_us);
      g_clear_pointer (&self->watch_timeline, beacon_peer_timeline_unref);
      self->watch_timeline = beacon_peer_timeline_ref (beacon_peer_get_timeline (peer));
    }
  beacon_peer_set_connect_deadline (peer, self->config->connect_timeout * 1000);
  return peer;
}

/* Signaler callbacks */

static void
session_requested_cb (BeaconSignaler *signaler,
                      const char     *session_id,
                      const char     *viewer_id,
                      const char     *offer,
                      BeaconSession  *self)
{
  g_autoptr(GError) error = NULL;
  BeaconPeer *peer;

  if (self->state != BEACON_SESSION_STATE_LIVE &&
      !(self->state == BEACON_SESSION_STATE_NEGOTIATING && through_media_server (self)) &&
      !(self->state == BEACON_SESSION_STATE_CONNECTING && through_media_server (self)))
    {
      beacon_signaler_end_session (signaler, session_id);
      return;
    }
  if (self->config->max_viewers > 0 &&
      g_hash_table_size (self->peers) >= self->config->max_viewers)
    {
      g_message ("refusing viewer %s: already %u viewers", viewer_id, self->config->max_viewers);
      beacon_signaler_end_session (signaler, session_id);
      return;
    }

  peer = add_peer (self, beacon_broadcast_pipeline_get_bin (self->broadcast), session_id);
  if (!beacon_broadcast_pipeline_attach_peer (self->broadcast, beacon_peer_get_webrtcbin (peer),
                                              offer, &error))
    {
      g_message ("could not serve viewer %s: %s", viewer_id, error->message);
      beacon_signaler_end_session (signaler, session_id);
      remove_peer (self, session_id);
      return;
    }
  notify_viewer_count (self);
  /* A viewer that brings its own offer (a WHEP client through the direct server) gets an
   * answer; otherwise the broadcaster offers, as webrtcsink does. */
  if (offer != NULL)
    beacon_peer_set_remote_description (peer, "offer", offer);
  else
    beacon_peer_create_offer (peer);
}

static void
session_started_cb (BeaconSignaler *signaler,
                    const char     *session_id,
                    const char     *producer_id,
                    BeaconSession  *self)
{
  g_autoptr(GError) error = NULL;
  BeaconPeer *peer;

  if (self->role != BEACON_SESSION_ROLE_WATCH)
    return;
  if (g_hash_table_size (self->peers) > 0)
    {
      g_autofree gpointer *keys = NULL;
      g_auto(GStrv) ids = NULL;

      if (!is_reconnecting (self))
        return;
      /* The old session belonged to the lost connection, and the server ends it once it sees
       * that connection go: the new session's fresh negotiation replaces its peer. Until now
       * it kept playing whatever still came. */
      keys = g_hash_table_get_keys_as_array (self->peers, NULL);
      ids = g_strdupv ((GStrv) keys);
      for (guint i = 0; ids[i] != NULL; i++)
        remove_peer (self, ids[i]);
    }

  peer = add_peer (self, beacon_watch_pipeline_get_bin (self->watch), session_id);
  beacon_watch_pipeline_attach_peer (self->watch, beacon_peer_get_webrtcbin (peer),
                                     beacon_peer_get_timeline (peer));
  if (!beacon_watch_pipeline_start (self->watch, &error) ||
      !gst_element_sync_state_with_parent (beacon_peer_get_webrtcbin (peer)))
    {
      fail_with (self, error ? g_steal_pointer (&error)
                             : g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                                            "could not start a connection to the broadcaster"));
      return;
    }
  /* A repair's peer that receives nothing within one attempt's time (what the reconnector
   * gives a signaling attempt) fails, and the next attempt follows: libnice does not check a
   * pair again once its checks failed (during a cut that goes on), and with trickle ICE it
   * never declares the whole path failed either, so that peer would wait for ever. */
  if (is_repairing (self))
    {
      g_clear_handle_id (&self->repair_source, g_source_remove);
      beacon_peer_watch_reception (peer, BEACON_RECONNECT_ATTEMPT_MS);
    }
  /* Reconnected, a viewer that was watching stays so while the new peer connects. */
  if (self->state < BEACON_SESSION_STATE_NEGOTIATING)
    set_state (self, BEACON_SESSION_STATE_NEGOTIATING);
  if (beacon_signaler_watcher_offers (signaler))
    {
      beacon_peer_add_receive_transceivers (peer);
      beacon_peer_create_offer (peer);
    }
}

/* A WHEP server may refuse the viewer's offer and send its own (406 Not Acceptable). The
 * webrtcbin that made the offer cannot roll it back in GStreamer 1.22, so a fresh peer for the
 * same session answers instead. The old one is closed first: its callbacks are disconnected and
 * it runs nothing more, so none of its candidates reach the signaler from now on. */
static BeaconPeer *
replace_watch_peer (BeaconSession *self,
                    const char    *session_id)
{
  g_autofree char *id = g_strdup (session_id);
  GstBin *bin = beacon_watch_pipeline_get_bin (self->watch);
  BeaconPeer *old_peer = g_hash_table_lookup (self->peers, id);
  BeaconPeer *peer;

  g_debug ("session %s: the server offers itself; answering with a new peer", id);
  g_signal_handlers_disconnect_by_data (old_peer, self);
  keep_stats_of (self, old_peer);
  beacon_peer_close (old_peer);
  g_hash_table_remove (self->peers, id);

  peer = add_peer (self, bin, id);
  beacon_watch_pipeline_attach_peer (self->watch, beacon_peer_get_webrtcbin (peer),
                                     beacon_peer_get_timeline (peer));
  /* The pipeline is already playing: the new webrtcbin joins it in that state. */
  if (!gst_element_sync_state_with_parent (beacon_peer_get_webrtcbin (peer)))
    {
      fail_with (self, g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                                    "could not start a connection to answer the server's offer"));
      return NULL;
    }
  update_security_report (self);
  return peer;
}

static void
remote_description_cb (BeaconSignaler *signaler,
                       const char     *session_id,
                       const char     *type,
                       const char     *sdp,
                       BeaconSession  *self)
{
  BeaconPeer *peer = g_hash_table_lookup (self->peers, session_id);

  if (peer == NULL)
    return;
  if (self->role == BEACON_SESSION_ROLE_WATCH && self->watch != NULL &&
      g_strcmp0 (type, "offer") == 0 && beacon_peer_has_local_offer (peer))
    {
      peer = replace_watch_peer (self, session_id);
      if (peer == NULL)
        return;
    }
  if (self->role == BEACON_SESSION_ROLE_WATCH)
    beacon_watch_target_bind_peer (self->watch_target, signaler, peer);
  beacon_peer_set_remote_description (peer, type, sdp);
}

static void
remote_candidate_cb (BeaconSignaler *signaler,
                     const char     *session_id,
                     guint           mline,
                     const char     *candidate,
                     BeaconSession  *self)
{
  BeaconPeer *peer = g_hash_table_lookup (self->peers, session_id);

  if (peer != NULL)
    beacon_peer_add_remote_candidate (peer, mline, candidate);
}

/* A broadcaster that saw our certificate swapped ends the session, and that may reach us
 * before our own check of its certificate has run: an interception must not pass for an
 * ended broadcast. A failing peer fails the session through peer_failed_cb (). */
static gboolean
watch_peers_pass_identity_check (BeaconSession *self)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  BeaconPeer *peer;

  /* Collected first: a failing peer tears the session down, and the table with it. */
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    g_ptr_array_add (peers, g_object_ref (peer));
  for (guint i = 0; i < peers->len; i++)
    {
      if (!beacon_peer_check_identity (g_ptr_array_index (peers, i)))
        return FALSE;
    }
  return TRUE;
}

static void
session_ended_cb (BeaconSignaler *signaler,
                  const char     *session_id,
                  BeaconSession  *self)
{
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    {
      g_message ("viewer left (session %s)", session_id);
      remove_peer (self, session_id);
      return;
    }
  if (!watch_peers_pass_identity_check (self))
    return;
  if (g_hash_table_contains (self->peers, session_id))
    finish (self, BEACON_SESSION_STATE_ENDED,
            g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED, "broadcast ended"));
}

static void
notify_reconnecting (BeaconSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECTING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECTING_SINCE]);
}

/* A lost connection, not an ended session: the peers stay (their media does not pass through
 * the signaling), and the reconnector brings the channel back. The old signaler stays until
 * the first attempt's replaces it, so that the report still describes the channel. */
static gboolean
begin_reconnect (BeaconSession *self,
                 const GError  *error)
{
  if (self->reconnector == NULL || is_reconnecting (self) ||
      !g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED) ||
      (self->state != BEACON_SESSION_STATE_LIVE && self->state < BEACON_SESSION_STATE_NEGOTIATING) ||
      self->state > BEACON_SESSION_STATE_WATCHING)
    return FALSE;
  g_debug ("signaling lost (%s): reconnecting", error->message);
  /* The reconnection brings a new session, and its peer, anyway. */
  g_clear_handle_id (&self->repair_source, g_source_remove);
  self->repair_since_us = 0;
  g_signal_handlers_disconnect_by_data (self->signaler, self);
  beacon_signaler_stop (self->signaler);
  beacon_reconnector_begin (self->reconnector, error);
  notify_reconnecting (self);
  return TRUE;
}

static void
signaler_failed_cb (BeaconSignaler *signaler,
                    const GError   *error,
                    BeaconSession  *self)
{
  /* A broadcaster killed and restarted, or a network outage, is a lost connection; a
   * broadcast ended on purpose says so with endSession first (session_ended_cb ()). */
  if (self->role == BEACON_SESSION_ROLE_WATCH && self->reconnector != NULL &&
      !watch_peers_pass_identity_check (self))
    return;
  if (begin_reconnect (self, error))
    return;

  /* A viewer whose signaling channel closes has lost the broadcaster: Beacon's broadcaster and
   * its server live in one process, and other servers end sessions the same way. */
  if (self->role == BEACON_SESSION_ROLE_WATCH &&
      g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED) &&
      self->state >= BEACON_SESSION_STATE_NEGOTIATING)
    {
      if (!watch_peers_pass_identity_check (self))
        return;
      finish (self, BEACON_SESSION_STATE_ENDED,
              g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED,
                           "broadcast ended: %s", error->message));
      return;
    }
  fail_with (self, g_error_copy (error));
}

static void
media_failed_cb (GObject       *pipeline,
                 const GError  *error,
                 BeaconSession *self)
{
  fail_with (self, g_error_copy (error));
}

/* An error in one viewer's part of the shared pipeline fails that viewer's peer only. */
static void
viewer_media_failed_cb (BeaconBroadcastPipeline *pipeline,
                        GstElement              *webrtcbin,
                        const GError            *error,
                        BeaconSession           *self)
{
  GHashTableIter iter;
  BeaconPeer *peer;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    if (beacon_peer_get_webrtcbin (peer) == webrtcbin)
      {
        beacon_peer_reject (peer, g_error_copy (error));
        return;
      }
}

static void
first_frame_cb (BeaconWatchPipeline *pipeline,
                BeaconSession       *self)
{
  self->first_frame_ms = (g_get_monotonic_time () - self->started_at_us) / 1000;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FRAME_MS]);
  if (self->state == BEACON_SESSION_STATE_NEGOTIATING ||
      self->state == BEACON_SESSION_STATE_CONNECTED)
    set_state (self, BEACON_SESSION_STATE_WATCHING);
}

static void
frames_decoded_cb (BeaconWatchPipeline *pipeline,
                   GParamSpec          *pspec,
                   BeaconSession       *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES_DECODED]);
  /* The failed peer is gone: what is decoded now came through the new one. */
  if (is_repairing (self) && g_hash_table_size (self->peers) > 0)
    end_repair (self);
}

static void ice_servers_cb (BeaconSignaler *signaler,
                            const char    **servers,
                            BeaconSession  *self);

static void
connect_signaler (BeaconSession *self)
{
  g_signal_connect_object (self->signaler, "ice-servers", G_CALLBACK (ice_servers_cb), self, 0);
  g_signal_connect_object (self->signaler, "session-requested",
                           G_CALLBACK (session_requested_cb), self, 0);
  g_signal_connect_object (self->signaler, "session-started",
                           G_CALLBACK (session_started_cb), self, 0);
  g_signal_connect_object (self->signaler, "remote-description",
                           G_CALLBACK (remote_description_cb), self, 0);
  g_signal_connect_object (self->signaler, "remote-candidate",
                           G_CALLBACK (remote_candidate_cb), self, 0);
  g_signal_connect_object (self->signaler, "session-ended",
                           G_CALLBACK (session_ended_cb), self, 0);
  g_signal_connect_object (self->signaler, "failed",
                           G_CALLBACK (signaler_failed_cb), self, 0);
}

/* A watch's peer may come before the signaler says it started (its session-started comes
 * first with some servers): the peers already there are marked too. */
static void
mark_signaling_connected (BeaconSession *self)
{
  GHashTableIter iter;
  BeaconPeer *peer;

  self->signaling_connected_us = g_get_monotonic_time ();
  if (self->role != BEACON_SESSION_ROLE_WATCH)
    return;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    beacon_peer_timeline_mark_at (beacon_peer_get_timeline (peer),
                                  BEACON_TIMELINE_SIGNALING_CONNECTED,
                                  self->signaling_connected_us);
}

static void
signaler_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  BeaconSession *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = beacon_signaler_start_finish (BEACON_SIGNALER (source), result, &error);
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_with (self, g_steal_pointer (&error));
      g_object_unref (self);
      return;
    }
  mark_signaling_connected (self);
  if (self->role == BEACON_SESSION_ROLE_BROADCAST && self->state == BEACON_SESSION_STATE_CONNECTING)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARE_URL]);
      /* The direct server is live as soon as viewers can come; a media server once it has
       * accepted the media (see peer_connected_cb). */
      set_state (self, !through_media_server (self) ? BEACON_SESSION_STATE_LIVE
                                        : BEACON_SESSION_STATE_NEGOTIATING);
    }
  g_object_unref (self);
}

/* Frames per second since the last tick: decoded watching; broadcasting, encoded by the one
 * encoder all viewers share (webrtcbin 1.22 counts no frames sent per viewer). */
static double
measure_fps (BeaconSession *self,
             gint64         now_us)
{
  guint64 frames = 0;
  double fps = 0;

  if (self->watch != NULL)
    frames = beacon_watch_pipeline_get_frames_decoded (self->watch);
  else if (self->broadcast != NULL)
    frames = beacon_key_frame_limiter_get_frames (
      beacon_broadcast_pipeline_get_key_frame_limiter (self->broadcast));
  if (self->last_tick_us > 0 && now_us > self->last_tick_us && frames >= self->last_frames)
    fps = (frames - self->last_frames) * (double) G_USEC_PER_SEC / (now_us - self->last_tick_us);
  self->last_tick_us = now_us;
  self->last_frames = frames;
  return fps;
}

/* Each second: asks every peer for its statistics, without waiting. The answers come back
 * one by one (peer_stats_updated_cb ()), and "health-updated" follows the last of them, or
 * this tick of the next second when one never came. */
static void
request_health (BeaconSession *self)
{
  double fps = measure_fps (self, g_get_monotonic_time ());
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  BeaconPeer *peer;

  if (self->stats_pending > 0)
    finish_health_round (self);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    g_ptr_array_add (peers, g_object_ref (peer));
  self->stats_pending = peers->len;
  for (guint i = 0; i < peers->len; i++)
    {
      peer = g_ptr_array_index (peers, i);
      beacon_peer_health_set_fps (beacon_peer_get_health (peer), fps);
      beacon_peer_request_stats (peer);
    }
  if (peers->len == 0)
    finish_health_round (self);
}

static gboolean
report_timer_cb (gpointer user_data)
{
  BeaconSession *self = user_data;

  if (self->broadcast != NULL)
    {
      guint64 bytes = beacon_broadcast_pipeline_get_encoded_bytes (self->broadcast);
      guint kbps = (guint) ((bytes - self->last_encoded_bytes) * 8 / 1000);

      self->last_encoded_bytes = bytes;
      if (kbps != self->bitrate_kbps)
        {
          self->bitrate_kbps = kbps;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BITRATE_KBPS]);
        }
    }
  /* ICE and DTLS states change without telling the session; refresh what the panel shows. */
  update_security_report (self);
  request_health (self);
  return G_SOURCE_CONTINUE;
}

/* The publisher's connection is not a viewer's, but the panel shows whether it is up. */
static void
whip_ingest_connected_cb (BeaconWhipIngest *ingest,
                          GParamSpec       *pspec,
                          BeaconSession    *self)
{
  update_security_report (self);
}

static void
ice_servers_cb (BeaconSignaler *signaler,
                const char    **servers,
                BeaconSession  *self)
{
  beacon_session_config_add_ice_servers (self->config, servers, &self->turn_servers,
                                         &self->stun_server);
}

/* Reconnector callbacks */

static void
reconnect_waiting_cb (BeaconReconnector *reconnector,
                      guint              attempt,
                      guint              delay_ms,
                      BeaconSession     *self)
{
  g_signal_emit (self, signals[SIGNAL_RECONNECT_WAITING], 0, attempt, delay_ms);
}

/* Each attempt's signaler becomes the session's before it starts: a viewer's new session
 * starts while the signaler does (session_started_cb ()). */
static void
reconnect_signaler_created_cb (BeaconReconnector *reconnector,
                               BeaconSignaler    *signaler,
                               BeaconSession     *self)
{
  if (self->signaler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->signaler, self);
      beacon_signaler_stop (self->signaler);
    }
  g_set_object (&self->signaler, signaler);
  connect_signaler (self);
}

static void
reconnected_cb (BeaconReconnector *reconnector,
                BeaconSignaler    *signaler,
                const char        *id,
                BeaconSession     *self)
{
  mark_signaling_connected (self);
  notify_reconnecting (self);
  update_security_report (self);
}

static void
reconnect_failed_cb (BeaconReconnector *reconnector,
                     const GError      *error,
                     BeaconSession     *self)
{
  /* Time up: for a viewer, the broadcast is over, as when the connection closed before
   * Beacon reconnected. A refused certificate fails closed, with the first connection's error. */
  if (self->role == BEACON_SESSION_ROLE_WATCH &&
      g_error_matches (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED))
    finish (self, BEACON_SESSION_STATE_ENDED,
            g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_FAILED, "broadcast ended: %s",
                         error->message));
  else
    fail_with (self, g_error_copy (error));
  notify_reconnecting (self);
}

static gboolean
create_signaler (BeaconSession      *self,
                 BeaconSignalerRole  role,
                 const char         *url,
                 const char         *pin,
                 const char         *name)
{
  g_autoptr(BeaconSignalerOptions) options = beacon_session_config_make_signaler_options (
    self->config, url, pin,
    self->server != NULL ? beacon_direct_server_get_producer_token (self->server) : NULL);
  g_autoptr(GError) error = NULL;

  self->signaler = beacon_signaler_new_for_dialect (options, &error);
  if (self->signaler == NULL)
    {
      fail_with (self, g_steal_pointer (&error));
      return FALSE;
    }
  connect_signaler (self);
  if (!beacon_session_config_reconnects (self->config))
    return TRUE;
  self->reconnector = beacon_reconnector_new (g_steal_pointer (&options), role, name,
                                              self->config->reconnect_timeout * 1000);
  g_signal_connect_object (self->reconnector, "waiting", G_CALLBACK (reconnect_waiting_cb),
                           self, 0);
  g_signal_connect_object (self->reconnector, "signaler-created",
                           G_CALLBACK (reconnect_signaler_created_cb), self, 0);
  g_signal_connect_object (self->reconnector, "reconnected", G_CALLBACK (reconnected_cb), self, 0);
  g_signal_connect_object (self->reconnector, "failed", G_CALLBACK (reconnect_failed_cb), self, 0);
  return TRUE;
}

static gboolean
is_direct (BeaconSession *self)
{
  return beacon_session_config_is_direct (self->config);
}

static gboolean
through_media_server (BeaconSession *self)
{
  return beacon_session_config_through_media_server (self->config);
}

/* Creates the signaler for @url and starts it in @role, as @name. */
static void
start_signaling (BeaconSession      *self,
                 BeaconSignalerRole  role,
                 const char         *url,
                 const char         *pin,
                 const char         *name)
{
  if (!create_signaler (self, role, url, pin, name))
    return;
  self->report_timer = g_timeout_add_seconds (1, report_timer_cb, self);
  beacon_signaler_start_async (self->signaler, role, name, self->cancellable,
                               signaler_started_cb, g_object_ref (self));
}

/* Publishing to a server of another dialect: that server fans out to the viewers. */
static void
start_publish (BeaconSession *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  if (self->config->url == NULL)
    {
      fail_with (self, g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_INVALID,
                                    "no server URL given to publish to"));
      return;
    }
  if (self->config->pin != NULL)
    {
      pin = beacon_fingerprint_parse_pin (self->config->pin, &error);
      if (pin == NULL)
        {
          fail_with (self, g_steal_pointer (&error));
          return;
        }
    }
  start_signaling (self, BEACON_SIGNALER_ROLE_PUBLISH, self->config->url, pin,
                   self->config->stream_name ? self->config->stream_name : "Beacon");
}

/* Serving viewers from Beacon's own direct server. The broadcaster joins it as a producer
 * over loopback, pinned to its own certificate: one code path for the direct server and for
 * external servers. */

/* The link a direct server's viewers open, from the settings the session started with. With a
 * certificate of its own (serve --tls-cert), the signaling is validated by the certificate
 * authorities and the link names only the media's identity. */
static char *
dup_direct_share_url (BeaconSession *self)
{
  const BeaconSessionConfig *config = self->config;

  return beacon_share_link_for_server (config->bind_address, config->link_host,
                                       beacon_direct_server_get_port (self->server),
                                       beacon_identity_get_fingerprint (self->identity),
                                       config->tls_certificate_file == NULL,
                                       config->stream_name);
}

static void
start_serve (BeaconSession *self)
{
  const BeaconSessionConfig *config = self->config;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) tls_certificate = NULL;
  g_autofree char *tls_pin = NULL;
  g_autofree char *local_url = NULL;
  guint port;

  tls_certificate = beacon_session_config_load_tls_certificate (self->config, self->identity,
                                                               &error);
  if (tls_certificate == NULL)
    {
      fail_with (self, g_steal_pointer (&error));
      return;
    }
  tls_pin = beacon_fingerprint_of_tls_certificate (tls_certificate, "sha-256", NULL);
  self->server = beacon_direct_server_new (tls_certificate);
  beacon_direct_server_set_max_sessions_per_producer (self->server, config->max_viewers);
  beacon_direct_server_set_media_identity (self->server,
                                           beacon_identity_get_fingerprint (self->identity));
  if (config->source == BEACON_SOURCE_WHIP)
    {
      self->whip_ingest = beacon_whip_ingest_new (self->server, self->broadcast, self->identity,
                                                  self->config);
      g_signal_connect_object (self->whip_ingest, "notify::connected",
                               G_CALLBACK (whip_ingest_connected_cb), self, 0);
    }
  beacon_direct_server_set_limits (self->server, &config->server_limits);
  if (!beacon_direct_server_listen (self->server, config->bind_address, config->port, &error))
    {
      fail_with (self, g_steal_pointer (&error));
      return;
    }

  port = beacon_direct_server_get_port (self->server);
  local_url = beacon_share_link_local_url (config->bind_address, port);
  g_free (self->share_url);
  self->share_url = dup_direct_share_url (self);
  start_signaling (self, BEACON_SIGNALER_ROLE_PUBLISH, local_url, tls_pin,
                   config->stream_name ? config->stream_name : "Beacon");
}

static void start_broadcast_media (BeaconSession *self);
static void start_watch_media     (BeaconSession *self);

/* The process-wide part (dtlsdec's generated key) stays made; the element goes. */
static void
dtls_key_made_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GstElement) decoder = beacon_dtls_warmup_finish (result, NULL);
}

static void
dtls_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BeaconSession) self = user_data;
  g_autoptr(GError) error = NULL;
  GstElement *decoder = beacon_dtls_warmup_finish (result, &error);

  /* Cancelled: the session stopped, maybe started again, and this one is not its. */
  if (decoder == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("could not ready DTLS ahead: %s", error->message);
      return;
    }
  gst_clear_object (&self->dtls_ready);
  self->dtls_ready = decoder;
}

static void
identity_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BeaconSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->identity = beacon_identity_load_or_create_finish (result, &error);
  if (self->identity == NULL)
    {
      /* Cancelled: the session was stopped (and maybe started again) meanwhile. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_with (self, g_steal_pointer (&error));
      return;
    }
  beacon_dtls_warmup_async (beacon_identity_get_pem_bundle (self->identity), self->cancellable,
                            dtls_ready_cb, g_object_ref (self));
  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    start_broadcast_media (self);
  else
    start_watch_media (self);
}

/* The identity (the DTLS certificate and, serving, the TLS one) is read, or created and
 * written, on a worker thread: creating it waits for the disk. The session goes on once it
 * is there. */
static void
load_identity (BeaconSession *self)
{
  beacon_identity_load_or_create_async (self->config->data_directory, self->cancellable,
                                        identity_loaded_cb, g_object_ref (self));
}

static void
start_broadcast (BeaconSession *self)
{
  const BeaconSessionConfig *config = self->config;

  if (config->source == BEACON_SOURCE_WHIP && !is_direct (self))
    {
      fail_with (self, g_error_new (BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_INVALID,
                                    "a WHIP ingest needs Beacon's own server (serve), not "
                                    "publishing to another server"));
      return;
    }
  load_identity (self);
}

static void
start_broadcast_media (BeaconSession *self)
{
  const BeaconSessionConfig *config = self->config;
  g_autoptr(GError) error = NULL;

  self->broadcast = beacon_broadcast_pipeline_new (config->source, config->camera,
                                                   config->microphone, config->preview_sink,
                                                   config->codec, config->width, config->height,
                                                   config->fps, &error);
  if (self->broadcast == NULL)
    {
      fail_with (self, g_steal_pointer (&error));
      return;
    }
  if (config->key_frame_interval > 0)
    beacon_broadcast_pipeline_set_key_frame_interval (self->broadcast, config->key_frame_interval);
  g_signal_connect_object (self->broadcast, "failed", G_CALLBACK (media_failed_cb), self, 0);
  g_signal_connect_object (self->broadcast, "viewer-failed", G_CALLBACK (viewer_media_failed_cb),
                           self, 0);
  if (!beacon_broadcast_pipeline_start (self->broadcast, &error))
    {
      fail_with (self, g_steal_pointer (&error));
      return;
    }

  if (is_direct (self))
    start_serve (self);
  else
    start_publish (self);
}

static void
start_watch (BeaconSession *self)
{
  g_autoptr(GError) error = NULL;

  self->watch_target = beacon_watch_target_new (self->config, &error);
  if (self->watch_target == NULL)
    {
      fail_with (self, g_steal_pointer (&error));
      return;
    }
  load_identity (self);
}

static void
start_watch_media (BeaconSession *self)
{
  const BeaconSessionConfig *config = self->config;
  BeaconWatchTarget *target = self->watch_target;

  self->watch = beacon_watch_pipeline_new (config->video_sink, config->audio_sink);
  beacon_watch_pipeline_set_key_frame_request_interval (self->watch,
                                                        config->key_frame_request_interval);
  g_signal_connect_object (self->watch, "failed", G_CALLBACK (media_failed_cb), self, 0);
  g_signal_connect_object (self->watch, "first-frame", G_CALLBACK (first_frame_cb), self, 0);
  g_signal_connect_object (self->watch, "notify::frames-decoded",
                          G_CALLBACK (frames_decoded_cb), self, 0);

  start_signaling (self, BEACON_SIGNALER_ROLE_WATCH, target->url, target->pin, target->producer);
}

static void
clear_running (BeaconSession *self)
{
  g_clear_handle_id (&self->close_timeout, g_source_remove);
  g_clear_object (&self->whip_ingest);
  g_clear_object (&self->reconnector);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->peers);
  g_hash_table_remove_all (self->words_compared);
  g_clear_object (&self->signaler);
  g_clear_object (&self->server);
  g_clear_object (&self->broadcast);
  g_clear_object (&self->watch);
  g_clear_object (&self->identity);
  gst_clear_object (&self->dtls_ready);
  g_clear_pointer (&self->share_url, g_free);
  g_clear_pointer (&self->blocked_reason, g_free);
  self->refused_trust = BEACON_SIGNALING_TRUST_NONE;
  g_clear_pointer (&self->watch_target, beacon_watch_target_free);
  g_clear_pointer (&self->turn_servers, g_strfreev);
  g_clear_pointer (&self->stun_server, g_free);
  g_clear_pointer (&self->repair_reason, g_free);
  self->repair_since_us = 0;
  self->repair_attempt = 0;
  self->repairs = 0;
  g_clear_error (&self->error);
  self->first_frame_ms = -1;
  self->signaling_connected_us = 0;
  g_clear_pointer (&self->watch_timeline, beacon_peer_timeline_unref);
  self->departed_stats = (BeaconPeerStats) { 0, };
  self->last_encoded_bytes = 0;
  self->bitrate_kbps = 0;
  g_list_store_remove_all (self->viewer_health);
  self->stats_pending = 0;
  self->last_tick_us = 0;
  self->last_frames = 0;
}

void
beacon_session_start (BeaconSession *self)
{
  g_return_if_fail (BEACON_IS_SESSION (self));

  if (self->state != BEACON_SESSION_STATE_IDLE && self->state != BEACON_SESSION_STATE_FAILED &&
      self->state != BEACON_SESSION_STATE_ENDED)
    return;

  clear_running (self);
  /* Taken before anything runs, even before "state" changes: a handler of that notification
   * may already set properties, and they are for the next start (). */
  beacon_session_config_unref (self->config);
  self->config = beacon_session_config_copy (self->settings);
  self->cancellable = g_cancellable_new ();
  self->started_at_us = g_get_monotonic_time ();
  /* A new attempt starts from nothing: the report never shows the previous session's
   * verdict, words or certificates as if they were this one's. */
  update_security_report (self);
  set_state (self, BEACON_SESSION_STATE_CONNECTING);
  /* DTLS's key, made while the identity loads and the signaling connects: the first peer
   * then does not wait for it (see beacon-dtls-warmup.h). */
  beacon_dtls_warmup_async (NULL, self->cancellable, dtls_key_made_cb, NULL);

  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    start_broadcast (self);
  else
    start_watch (self);
}

static gboolean
close_grace_elapsed_cb (gpointer user_data)
{
  BeaconSession *self = user_data;

  self->close_timeout = 0;
  set_state (self, BEACON_SESSION_STATE_IDLE);
  return G_SOURCE_REMOVE;
}

void
beacon_session_stop (BeaconSession *self)
{
  g_return_if_fail (BEACON_IS_SESSION (self));

  if (self->state == BEACON_SESSION_STATE_IDLE || self->state == BEACON_SESSION_STATE_CLOSING)
    return;
  if (self->state == BEACON_SESSION_STATE_FAILED || self->state == BEACON_SESSION_STATE_ENDED)
    {
      set_state (self, BEACON_SESSION_STATE_IDLE);
      return;
    }

  set_state (self, BEACON_SESSION_STATE_CLOSING);
  tear_down (self);
  self->close_timeout = g_timeout_add (CLOSE_GRACE_MS, close_grace_elapsed_cb, self);
}

BeaconSessionState
beacon_session_get_state (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), BEACON_SESSION_STATE_IDLE);
  return self->state;
}

const GError *
beacon_session_get_error (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);
  return self->error;
}

const char *
beacon_session_get_whip_token (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);

  return self->whip_ingest != NULL ? beacon_whip_ingest_get_token (self->whip_ingest) : NULL;
}

void
beacon_session_set_link_host (BeaconSession *self,
                              const char    *link_host)
{
  g_return_if_fail (BEACON_IS_SESSION (self));

  if (link_host != NULL && *link_host == '\0')
    link_host = NULL;
  g_object_set (self, "link-host", link_host, NULL);
  /* Live from the direct server: the link changes at once, nothing else does. */
  if (self->config != NULL && self->server != NULL && self->share_url != NULL)
    {
      g_free (self->config->link_host);
      self->config->link_host = g_strdup (link_host);
      g_free (self->share_url);
      self->share_url = dup_direct_share_url (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARE_URL]);
    }
}

const char *
beacon_session_get_share_url (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);
  return self->share_url;
}

guint
beacon_session_get_viewer_count (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), 0);
  return self->role == BEACON_SESSION_ROLE_BROADCAST ? g_hash_table_size (self->peers) : 0;
}

gboolean
beacon_session_get_latency (BeaconSession        *self,
                            BeaconLatencyFigures *figures)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), FALSE);
  return self->watch != NULL && beacon_watch_pipeline_get_latency (self->watch, figures);
}

guint64
beacon_session_get_frames_decoded (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), 0);
  return self->watch ? beacon_watch_pipeline_get_frames_decoded (self->watch) : 0;
}

gboolean
beacon_session_is_repairing_media (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), FALSE);
  return is_repairing (self);
}

gint64
beacon_session_get_first_frame_ms (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), -1);
  return self->first_frame_ms;
}

char *
beacon_session_dup_report_json (BeaconSession *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *object;

  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);

  if (self->state != BEACON_SESSION_STATE_IDLE && self->state != BEACON_SESSION_STATE_FAILED &&
      self->state != BEACON_SESSION_STATE_ENDED && self->state != BEACON_SESSION_STATE_CLOSING)
    update_security_report (self);

  /* The security report, with what the session adds about itself. */
  root = beacon_security_report_to_json_node (self->security_report);
  object = json_node_get_object (root);
  json_object_set_string_member (object, "role",
                                 self->role == BEACON_SESSION_ROLE_BROADCAST ? "broadcast" : "watch");
  json_object_set_string_member (object, "state", beacon_session_state_to_string (self->state));
  if (self->error != NULL)
    json_object_set_string_member (object, "error", self->error->message);
  else
    json_object_set_null_member (object, "error");
  if (self->identity != NULL)
    json_object_set_string_member (object, "local_identity_sha256",
                                   beacon_identity_get_fingerprint (self->identity));
  if (self->share_url != NULL)
    json_object_set_string_member (object, "share_url", self->share_url);
  json_object_set_boolean_member (object, "reconnecting", shows_reconnecting (self));
  json_object_set_int_member (object, "reconnects",
                              self->reconnector ? beacon_reconnector_get_reconnects (self->reconnector)
                                                : 0);
  if (self->role == BEACON_SESSION_ROLE_WATCH)
    {
      json_object_set_int_member (object, "media_repairs", self->repairs);
      json_object_set_int_member (object, "frames_decoded",
                                  (gint64) beacon_session_get_frames_decoded (self));
      if (self->first_frame_ms >= 0)
        json_object_set_int_member (object, "first_frame_ms", self->first_frame_ms);
      else
        json_object_set_null_member (object, "first_frame_ms");
      if (self->watch_timeline != NULL)
        json_object_set_object_member (object, "timeline",
                                       beacon_peer_timeline_to_json (self->watch_timeline, TRUE));
      else
        json_object_set_null_member (object, "timeline");
    }
  else
    {
      json_object_set_int_member (object, "viewers", beacon_session_get_viewer_count (self));
      json_object_set_int_member (object, "bitrate_kbps", self->bitrate_kbps);
      if (self->config->source == BEACON_SOURCE_WHIP)
        {
          JsonObject *ingest = json_object_new ();
          BeaconWhipIngest *whip_ingest = self->whip_ingest;

          json_object_set_boolean_member (ingest, "connected",
                                          whip_ingest != NULL &&
                                          beacon_whip_ingest_is_connected (whip_ingest));
          json_object_set_int_member (ingest, "frames",
                                      whip_ingest != NULL
                                        ? (gint64) beacon_whip_ingest_get_frames (whip_ingest)
                                        : 0);
          json_object_set_object_member (object, "ingest", ingest);
        }
    }

  json_object_set_object_member (object, "stats", stats_to_json (self));

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

GListModel *
beacon_session_get_viewer_health (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->viewer_health);
}

/* While a reconnection brings a new peer, the old one may still be in the table: the one
 * that is connected is the one that plays. */
BeaconPeerHealth *
beacon_session_get_watch_health (BeaconSession *self)
{
  GHashTableIter iter;
  BeaconPeer *peer;
  BeaconPeer *found = NULL;

  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);

  if (self->role != BEACON_SESSION_ROLE_WATCH)
    return NULL;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    if (found == NULL || beacon_peer_is_connected (peer))
      found = peer;
  return found != NULL ? beacon_peer_get_health (found) : NULL;
}

BeaconSecurityReport *
beacon_session_get_security_report (BeaconSession *self)
{
  g_return_val_if_fail (BEACON_IS_SESSION (self), NULL);
  return self->security_report;
}

static void
beacon_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BeaconSession *self = BEACON_SESSION (object);

  if (beacon_session_config_get_property (self->settings, N_PROPS, prop_id, value))
    return;

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_SECURITY_REPORT:
      g_value_set_object (value, self->security_report);
      break;
    case PROP_BITRATE_KBPS:
      g_value_set_uint (value, self->bitrate_kbps);
      break;
    case PROP_SHARE_URL:
      g_value_set_string (value, self->share_url);
      break;
    case PROP_VIEWER_COUNT:
      g_value_set_uint (value, beacon_session_get_viewer_count (self));
      break;
    case PROP_FRAMES_DECODED:
      g_value_set_uint64 (value, beacon_session_get_frames_decoded (self));
      break;
    case PROP_FIRST_FRAME_MS:
      g_value_set_int64 (value, self->first_frame_ms);
      break;
    case PROP_RECONNECTING:
      g_value_set_boolean (value, shows_reconnecting (self));
      break;
    case PROP_RECONNECTING_SINCE:
      g_value_set_int64 (value, is_reconnecting (self)
                                  ? beacon_reconnector_get_since_us (self->reconnector)
                                  : self->repair_since_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The settings are all the writable properties but "role". Written while the session runs,
 * they wait for the next start (): see beacon_session_start (). */
static void
beacon_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BeaconSession *self = BEACON_SESSION (object);

  if (prop_id == PROP_ROLE)
    {
      self->role = g_value_get_enum (value);
      beacon_security_report_set_role (self->security_report,
                                       self->role == BEACON_SESSION_ROLE_BROADCAST ? "broadcast"
                                                                                    : "watch");
      return;
    }
  if (!beacon_session_config_set_property (self->settings, N_PROPS, prop_id, value))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
beacon_session_dispose (GObject *object)
{
  BeaconSession *self = BEACON_SESSION (object);

  tear_down (self);
  clear_running (self);
  g_clear_object (&self->security_report);
  /* The session may be the last thing a process drops before it exits. */
  beacon_dtls_warmup_wait (5000);

  G_OBJECT_CLASS (beacon_session_parent_class)->dispose (object);
}

static void
beacon_session_finalize (GObject *object)
{
  BeaconSession *self = BEACON_SESSION (object);

  g_hash_table_unref (self->peers);
  g_hash_table_unref (self->words_compared);
  g_object_unref (self->viewer_health);
  beacon_session_config_unref (self->settings);
  beacon_session_config_unref (self->config);

  G_OBJECT_CLASS (beacon_session_parent_class)->finalize (object);
}

static void
beacon_session_class_init (BeaconSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = beacon_session_get_property;
  object_class->set_property = beacon_session_set_property;
  object_class->dispose = beacon_session_dispose;
  object_class->finalize = beacon_session_finalize;

  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, BEACON_TYPE_SESSION_ROLE,
                       BEACON_SESSION_ROLE_WATCH,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEACON_TYPE_SESSION_STATE,
                       BEACON_SESSION_STATE_IDLE, ro);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_SECURITY_REPORT] =
    g_param_spec_object ("security-report", NULL, NULL, BEACON_TYPE_SECURITY_REPORT, ro);
  properties[PROP_BITRATE_KBPS] =
    g_param_spec_uint ("bitrate-kbps", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SHARE_URL] =
    g_param_spec_string ("share-url", NULL, NULL, NULL, ro);
  properties[PROP_VIEWER_COUNT] =
    g_param_spec_uint ("viewer-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FRAMES_DECODED] =
    g_param_spec_uint64 ("frames-decoded", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FIRST_FRAME_MS] =
    g_param_spec_int64 ("first-frame-ms", NULL, NULL, -1, G_MAXINT64, -1, ro);

  /* While a lost signaling channel is tried again, or a watch's failed media path is
   * negotiated again (beacon_session_is_repairing_media ()); since when, in
   * g_get_monotonic_time () microseconds (0 when not). "reconnect-waiting" (attempt,
   * delay_ms): the next try. */
  properties[PROP_RECONNECTING] =
    g_param_spec_boolean ("reconnecting", NULL, NULL, FALSE, ro);
  properties[PROP_RECONNECTING_SINCE] =
    g_param_spec_int64 ("reconnecting-since", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_RECONNECT_WAITING] =
    g_signal_new ("reconnect-waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /* Each second while running, once the peers' statistics came: see
   * beacon_session_get_viewer_health () and beacon_session_get_watch_health (). */
  signals[SIGNAL_HEALTH_UPDATED] =
    g_signal_new ("health-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  beacon_session_config_install_properties (object_class, N_PROPS);
}

static void
beacon_session_init (BeaconSession *self)
{
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->words_compared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->viewer_health = g_list_store_new (BEACON_TYPE_PEER_HEALTH);
  self->settings = beacon_session_config_new ();
  /* Until the first start (), the running config is the defaults: the report and
   * tear_down () may read it before anything ran. */
  self->config = beacon_session_config_new ();
  self->first_frame_ms = -1;
  self->security_report = beacon_security_report_new ();
}

BeaconSession *
beacon_session_new (BeaconSessionRole role)
{
  return g_object_new (BEACON_TYPE_SESSION, "role", role, NULL);
}

void
beacon_session_set_server_limits (BeaconSession                  *self,
                                  const BeaconDirectServerLimits *limits)
{
  g_return_if_fail (BEACON_IS_SESSION (self));
  g_return_if_fail (limits != NULL);

  self->settings->server_limits = *limits;
}

/* Comparing the four words */

static void
comparison_recorded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconSession *self = g_task_get_source_object (task);
  gboolean matched = GPOINTER_TO_INT (g_task_get_task_data (task));
  GError *error = NULL;

  if (!beacon_pin_store_record_comparison_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (matched && self->watch_target != NULL)
    {
      g_free (self->watch_target->pin_status);
      self->watch_target->pin_status = g_strdup ("compared");
      update_security_report (self);
    }
  g_task_return_boolean (task, TRUE);
}

/* The one peer of a watch, or @session_id's. */
static BeaconPeer *
lookup_compared_peer (BeaconSession *self,
                      const char    *session_id)
{
  GHashTableIter iter;
  BeaconPeer *peer = NULL;

  if (session_id != NULL)
    return g_hash_table_lookup (self->peers, session_id);
  if (self->role != BEACON_SESSION_ROLE_WATCH || g_hash_table_size (self->peers) != 1)
    return NULL;
  g_hash_table_iter_init (&iter, self->peers);
  g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer);
  return peer;
}

void
beacon_session_compare_words_async (BeaconSession       *self,
                                    const char          *session_id,
                                    gboolean             match,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BeaconPeerInfo) info = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *pin_key = NULL;
  BeaconPeer *peer;
  const char *fingerprint;

  g_return_if_fail (BEACON_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_session_compare_words_async);
  g_task_set_task_data (task, GINT_TO_POINTER (match), NULL);

  peer = lookup_compared_peer (self, session_id);
  if (peer != NULL)
    info = beacon_peer_dup_info (peer);
  if (info == NULL || !info->verified || info->remote_certificate_fingerprint == NULL)
    {
      g_task_return_new_error (task, BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_INVALID,
                               "there are no words to compare: that connection is not "
                               "verified, or it is gone");
      return;
    }

  if (self->role == BEACON_SESSION_ROLE_BROADCAST)
    {
      /* A viewer has no remembered identity here: what the user found holds for this
       * connection. Different words mean someone in the middle holds the keys of one end:
       * that viewer is sent away, the others stay. */
      if (match)
        {
          g_hash_table_add (self->words_compared, g_strdup (info->session_id));
          update_security_report (self);
        }
      else
        {
          g_message ("viewer session %s sent away: its four words did not match",
                     info->session_id);
          if (self->signaler != NULL)
            beacon_signaler_end_session (self->signaler, info->session_id);
          remove_peer (self, info->session_id);  /* updates the report */
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Watching: the comparison is remembered with the broadcaster's identity; different words
   * also end the watch, and the identity is forgotten. */
  directory = g_strdup (self->watch_target->config->data_directory);
  pin_key = g_strdup (self->watch_target->pin_key);
  fingerprint = strchr (info->remote_certificate_fingerprint, ' ');
  fingerprint = fingerprint ? fingerprint + 1 : info->remote_certificate_fingerprint;
  if (!match)
    {
      g_clear_pointer (&self->blocked_reason, g_free);
      fail_with (self, g_error_new (BEACON_SECURITY_ERROR, BEACON_SECURITY_ERROR_WORDS_DIFFER,
                                    "the four words did not match the broadcaster's: someone "
                                    "may be between you, so the connection was ended"));
    }
  beacon_pin_store_record_comparison_async (directory, pin_key, fingerprint, match, cancellable,
                                            comparison_recorded_cb, g_steal_pointer (&task));
}

gboolean
beacon_session_compare_words_finish (BeaconSession  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        beacon_session_compare_words_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

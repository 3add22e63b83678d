/* beacon-peer-stats.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-peer-stats.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

/* One get-stats request on its way: webrtcbin answers on its own thread, and the answer goes
 * back to the requester's main context. Only a weak reference to the owner travels with it, so
 * a request that is never answered (a webrtcbin stopping) keeps nothing alive but itself, and
 * no strong reference is ever taken or dropped on webrtcbin's thread (dropping the last one
 * there would dispose the owner, and stop the webrtcbin, from that webrtcbin's own thread).
 * Shared by the promise and the delivery: whoever lets go last frees it. */
struct _BeaconPeerStatsRequest {
  GMainContext        *context;
  GWeakRef             owner;
  BeaconPeerStatsFunc  func;
  GstStructure        *reply;  /* written before the delivery is attached, read after */
  /* Set when webrtcbin let go of the promise: its task has run (or will never run). */
  GMutex               lock;
  GCond                done_cond;
  gboolean             done;
};
typedef BeaconPeerStatsRequest StatsRequest;

static void
stats_request_clear (gpointer data)
{
  StatsRequest *request = data;

  g_mutex_clear (&request->lock);
  g_cond_clear (&request->done_cond);
  g_main_context_unref (request->context);
  g_weak_ref_clear (&request->owner);
  gst_clear_structure (&request->reply);
}

static void
stats_request_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, stats_request_clear);
}

static gboolean
stats_deliver_cb (gpointer data)
{
  StatsRequest *request = data;
  g_autoptr(GObject) owner = g_weak_ref_get (&request->owner);

  if (owner != NULL)
    request->func (owner, request->reply);
  return G_SOURCE_REMOVE;
}

/* webrtcbin's thread (or the caller's, when webrtcbin refuses at once). */
static void
stats_replied_cb (GstPromise *promise,
                  gpointer    user_data)
{
  StatsRequest *request = user_data;
  const GstStructure *reply = NULL;
  GSource *source;

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply (promise);
  if (reply == NULL || gst_structure_has_field (reply, "error"))
    return;

  /* An idle source rather than g_main_context_invoke (), which would call the owner
   * synchronously when the answer comes on the owner's own thread. */
  request->reply = gst_structure_copy (reply);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, stats_deliver_cb, g_atomic_rc_box_acquire (request),
                         stats_request_release);
  g_source_set_static_name (source, "[beacon] get-stats reply");
  g_source_attach (source, request->context);
  g_source_unref (source);
}

/* The promise's destroy notify: webrtcbin dropped it, on its thread or on the caller's. */
static void
stats_promise_released (gpointer data)
{
  StatsRequest *request = data;

  g_mutex_lock (&request->lock);
  request->done = TRUE;
  g_cond_broadcast (&request->done_cond);
  g_mutex_unlock (&request->lock);
  stats_request_release (request);
}

BeaconPeerStatsRequest *
beacon_peer_stats_request (GstElement          *webrtcbin,
                           GObject             *owner,
                           BeaconPeerStatsFunc  func)
{
  StatsRequest *request;
  GstPromise *promise;

  g_return_val_if_fail (GST_IS_ELEMENT (webrtcbin), NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  request = g_atomic_rc_box_new0 (StatsRequest);
  request->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&request->owner, owner);
  request->func = func;
  g_mutex_init (&request->lock);
  g_cond_init (&request->done_cond);
  promise = gst_promise_new_with_change_func (stats_replied_cb,
                                              g_atomic_rc_box_acquire (request),
                                              stats_promise_released);
  g_signal_emit_by_name (webrtcbin, "get-stats", NULL, promise);
  gst_promise_unref (promise);
  return request;
}

gboolean
beacon_peer_stats_request_is_done (BeaconPeerStatsRequest *request)
{
  gboolean done;

  g_return_val_if_fail (request != NULL, TRUE);

  g_mutex_lock (&request->lock);
  done = request->done;
  g_mutex_unlock (&request->lock);
  return done;
}

gboolean
beacon_peer_stats_request_wait (BeaconPeerStatsRequest *request,
                                gint64                  timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  gboolean done;

  g_return_val_if_fail (request != NULL, TRUE);

  g_mutex_lock (&request->lock);
  while (!request->done)
    if (!g_cond_wait_until (&request->done_cond, &request->lock, deadline))
      break;
  done = request->done;
  g_mutex_unlock (&request->lock);
  return done;
}

void
beacon_peer_stats_request_unref (BeaconPeerStatsRequest *request)
{
  if (request != NULL)
    stats_request_release (request);
}

/* One internal sending source's figures, from its "stats" structure. */
static gboolean
source_is_sender_without_clock_rate (GObject *source)
{
  g_autoptr(GstStructure) stats = NULL;
  gboolean internal = FALSE, is_sender = FALSE;
  int clock_rate = -1;

  g_object_get (source, "stats", &stats, NULL);
  if (stats == NULL)
    return FALSE;
  gst_structure_get (stats, "internal", G_TYPE_BOOLEAN, &internal,
                     "is-sender", G_TYPE_BOOLEAN, &is_sender, NULL);
  gst_structure_get_int (stats, "clock-rate", &clock_rate);
  return internal && is_sender && clock_rate <= 0;
}

gboolean
beacon_peer_stats_senders_ready (GstElement *webrtcbin)
{
  g_autoptr(GstElement) rtpbin = NULL;
  g_autoptr(GObject) session = NULL;
  GValueArray *sources = NULL;
  gboolean ready = TRUE;

  g_return_val_if_fail (GST_IS_BIN (webrtcbin), TRUE);

  rtpbin = gst_bin_get_by_name (GST_BIN (webrtcbin), "rtpbin");
  if (rtpbin == NULL)
    return TRUE;
  /* One session: webrtcbin bundles every stream (max-bundle) in Beacon. */
  g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &session);
  if (session == NULL)
    return TRUE;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_object_get (session, "sources", &sources, NULL);
  for (guint i = 0; sources != NULL && i < sources->n_values && ready; i++)
    {
      GObject *source = g_value_get_object (g_value_array_get_nth (sources, i));

      if (source != NULL && source_is_sender_without_clock_rate (source))
        ready = FALSE;
    }
  if (sources != NULL)
    g_value_array_free (sources);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return ready;
}

guint64
beacon_peer_stats_get_count (const GstStructure *s,
                             const char         *field)
{
  const GValue *value = gst_structure_get_value (s, field);

  if (value == NULL)
    return 0;
  if (G_VALUE_HOLDS_UINT (value))
    return g_value_get_uint (value);
  if (G_VALUE_HOLDS_UINT64 (value))
    return g_value_get_uint64 (value);
  if (G_VALUE_HOLDS_INT (value))
    return MAX (0, g_value_get_int (value));
  if (G_VALUE_HOLDS_INT64 (value))
    return MAX (0, g_value_get_int64 (value));
  return 0;
}

typedef struct {
  BeaconPeerStatsEntryFunc func;
  gpointer                 user_data;
} ForeachEntry;

static gboolean
foreach_entry_cb (GQuark        field,
                  const GValue *value,
                  gpointer      user_data)
{
  ForeachEntry *foreach = user_data;
  const GstStructure *s;
  GstWebRTCStatsType type;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL))
    foreach->func (type, s, foreach->user_data);
  return TRUE;
}

void
beacon_peer_stats_foreach_entry (const GstStructure       *reply,
                                 BeaconPeerStatsEntryFunc  func,
                                 gpointer                  user_data)
{
  ForeachEntry foreach = { func, user_data };

  gst_structure_foreach (reply, foreach_entry_cb, &foreach);
}

static void
add_one_stats (int                 type,
               const GstStructure *s,
               gpointer            user_data)
{
  BeaconPeerStats *stats = user_data;

  switch (type)
    {
    case GST_WEBRTC_STATS_INBOUND_RTP:
      stats->packets_received += beacon_peer_stats_get_count (s, "packets-received");
      stats->packets_lost += beacon_peer_stats_get_count (s, "packets-lost");
      stats->packets_repaired += beacon_peer_stats_get_count (s, "packets-repaired");
      stats->nack_sent += beacon_peer_stats_get_count (s, "nack-count");
      stats->pli_sent += beacon_peer_stats_get_count (s, "pli-count");
      stats->fir_sent += beacon_peer_stats_get_count (s, "fir-count");
      break;
    case GST_WEBRTC_STATS_OUTBOUND_RTP:
      stats->packets_sent += beacon_peer_stats_get_count (s, "packets-sent");
      stats->nack_received += beacon_peer_stats_get_count (s, "nack-count");
      stats->pli_received += beacon_peer_stats_get_count (s, "pli-count");
      stats->fir_received += beacon_peer_stats_get_count (s, "fir-count");
      break;
    case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
      stats->remote_packets_lost += beacon_peer_stats_get_count (s, "packets-lost");
      break;
    default:
      break;
    }
}

/* webrtcbin 1.22's stats have no retransmission counters: its rtprtxsend and rtprtxreceive
 * keep them. */
void
beacon_peer_stats_add_retransmissions (BeaconPeerStats *stats,
                                       GstElement      *webrtcbin)
{
  g_autoptr(GstIterator) iterator = gst_bin_iterate_recurse (GST_BIN (webrtcbin));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (iterator, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (element);
      const char *name = factory ? gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory))
                                 : NULL;
      guint packets = 0;

      if (g_strcmp0 (name, "rtprtxsend") == 0)
        {
          g_object_get (element, "num-rtx-packets", &packets, NULL);
          stats->retransmitted_sent += packets;
        }
      else if (g_strcmp0 (name, "rtprtxreceive") == 0)
        {
          g_object_get (element, "num-rtx-packets", &packets, NULL);
          stats->retransmitted_received += packets;
        }
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

void
beacon_peer_stats_add_reply (BeaconPeerStats    *stats,
                             const GstStructure *reply)
{
  g_return_if_fail (stats != NULL && reply != NULL);

  stats->peers++;
  beacon_peer_stats_foreach_entry (reply, add_one_stats, stats);
}

void
beacon_peer_stats_add_totals (BeaconPeerStats       *stats,
                              const BeaconPeerStats *other)
{
  stats->peers += other->peers;
  stats->packets_sent += other->packets_sent;
  stats->packets_received += other->packets_received;
  stats->packets_lost += other->packets_lost;
  stats->remote_packets_lost += other->remote_packets_lost;
  stats->packets_repaired += other->packets_repaired;
  stats->nack_sent += other->nack_sent;
  stats->nack_received += other->nack_received;
  stats->pli_sent += other->pli_sent;
  stats->pli_received += other->pli_received;
  stats->fir_sent += other->fir_sent;
  stats->fir_received += other->fir_received;
  stats->retransmitted_sent += other->retransmitted_sent;
  stats->retransmitted_received += other->retransmitted_received;
}

void
beacon_peer_stats_to_json (const BeaconPeerStats *stats,
                           JsonObject            *object)
{
  json_object_set_int_member (object, "packets_sent", (gint64) stats->packets_sent);
  json_object_set_int_member (object, "packets_received", (gint64) stats->packets_received);
  json_object_set_int_member (object, "packets_lost", stats->packets_lost);
  json_object_set_int_member (object, "remote_packets_lost", stats->remote_packets_lost);
  json_object_set_int_member (object, "packets_repaired", (gint64) stats->packets_repaired);
  json_object_set_int_member (object, "nack_sent", (gint64) stats->nack_sent);
  json_object_set_int_member (object, "nack_received", (gint64) stats->nack_received);
  json_object_set_int_member (object, "pli_sent", (gint64) stats->pli_sent);
  json_object_set_int_member (object, "pli_received", (gint64) stats->pli_received);
  json_object_set_int_member (object, "fir_sent", (gint64) stats->fir_sent);
  json_object_set_int_member (object, "fir_received", (gint64) stats->fir_received);
  json_object_set_int_member (object, "retransmitted_sent", (gint64) stats->retransmitted_sent);
  json_object_set_int_member (object, "retransmitted_received",
                              (gint64) stats->retransmitted_received);
}

/* beacon-peer-stats.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-peer-stats.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

/* A reply of get-stats, shared between the waiting main thread and webrtcbin's thread, which
 * may answer after the wait gave up: whoever lets go last frees it. */
typedef struct {
  GMutex        lock;
  GCond         cond;
  gboolean      done;
  GstStructure *reply;
} StatsWait;

static void
stats_wait_clear (gpointer data)
{
  StatsWait *wait = data;

  gst_clear_structure (&wait->reply);
  g_mutex_clear (&wait->lock);
  g_cond_clear (&wait->cond);
}

static void
stats_wait_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, stats_wait_clear);
}

static void
stats_replied_cb (GstPromise *promise,
                  gpointer    user_data)
{
  StatsWait *wait = user_data;
  const GstStructure *reply = NULL;

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply (promise);
  g_mutex_lock (&wait->lock);
  if (reply != NULL && !gst_structure_has_field (reply, "error"))
    wait->reply = gst_structure_copy (reply);
  wait->done = TRUE;
  g_cond_signal (&wait->cond);
  g_mutex_unlock (&wait->lock);
}

static guint64
get_count (const GstStructure *s,
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

static gboolean
add_one_stats_cb (GQuark        field,
                  const GValue *value,
                  gpointer      user_data)
{
  BeaconPeerStats *stats = user_data;
  const GstStructure *s;
  GstWebRTCStatsType type;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL))
    return TRUE;
  switch (type)
    {
    case GST_WEBRTC_STATS_INBOUND_RTP:
      stats->packets_received += get_count (s, "packets-received");
      stats->bytes_received += get_count (s, "bytes-received");
      stats->packets_lost += get_count (s, "packets-lost");
      stats->packets_repaired += get_count (s, "packets-repaired");
      stats->nack_sent += get_count (s, "nack-count");
      stats->pli_sent += get_count (s, "pli-count");
      stats->fir_sent += get_count (s, "fir-count");
      break;
    case GST_WEBRTC_STATS_OUTBOUND_RTP:
      stats->packets_sent += get_count (s, "packets-sent");
      stats->bytes_sent += get_count (s, "bytes-sent");
      stats->nack_received += get_count (s, "nack-count");
      stats->pli_received += get_count (s, "pli-count");
      stats->fir_received += get_count (s, "fir-count");
      break;
    case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
      stats->remote_packets_lost += get_count (s, "packets-lost");
      break;
    default:
      break;
    }
  return TRUE;
}

/* webrtcbin 1.22's stats have no retransmission counters: its rtprtxsend and rtprtxreceive
 * keep them. */
static void
add_retransmissions (BeaconPeerStats *stats,
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
beacon_peer_stats_add (BeaconPeerStats *stats,
                       GstElement      *webrtcbin,
                       guint            timeout_ms)
{
  StatsWait *wait = g_atomic_rc_box_new0 (StatsWait);
  GstPromise *promise;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GstStructure *reply;

  g_return_if_fail (stats != NULL && GST_IS_ELEMENT (webrtcbin));

  g_mutex_init (&wait->lock);
  g_cond_init (&wait->cond);
  promise = gst_promise_new_with_change_func (stats_replied_cb,
                                              g_atomic_rc_box_acquire (wait),
                                              stats_wait_release);
  g_signal_emit_by_name (webrtcbin, "get-stats", NULL, promise);
  gst_promise_unref (promise);

  g_mutex_lock (&wait->lock);
  while (!wait->done)
    if (!g_cond_wait_until (&wait->cond, &wait->lock, deadline))
      break;
  reply = g_steal_pointer (&wait->reply);
  g_mutex_unlock (&wait->lock);
  stats_wait_release (wait);

  add_retransmissions (stats, webrtcbin);
  if (reply == NULL)
    return;
  stats->peers++;
  gst_structure_foreach (reply, add_one_stats_cb, stats);
  gst_structure_free (reply);
}

void
beacon_peer_stats_to_json (const BeaconPeerStats *stats,
                           JsonObject            *object)
{
  json_object_set_int_member (object, "packets_sent", (gint64) stats->packets_sent);
  json_object_set_int_member (object, "packets_received", (gint64) stats->packets_received);
  json_object_set_int_member (object, "bytes_sent", (gint64) stats->bytes_sent);
  json_object_set_int_member (object, "bytes_received", (gint64) stats->bytes_received);
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

/* beacon-peer-health.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-peer-health.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <math.h>

#include "beacon-peer-stats.h"

/* The counters of one reply that the rates are made of, summed over audio and video. The
 * field names are those of GStreamer 1.22's gstwebrtcstats.c. */
typedef struct {
  double   timestamp_ms;        /* the reply's, on the monotonic clock; -1: none */
  gboolean receiving;           /* more bytes came in than went out */
  guint64  bytes_sent;          /* outbound "bytes-sent" */
  guint64  bytes_received;      /* inbound "bytes-received" */
  guint64  packets_received;    /* inbound "packets-received" */
  gint64   packets_lost;        /* inbound "packets-lost" (the jitter buffer's) */
  double   fraction_lost;       /* remote-inbound "fraction-lost", the worst; -1: none */
  double   rtt_s;               /* remote-inbound "round-trip-time"; -1: none */
  double   jitter_s;            /* inbound "jitter"; -1: none */
  double   remote_jitter_s;     /* remote-inbound "jitter"; -1: none */
  guint64  nack_sent;           /* inbound "nack-count": what we asked for */
  guint64  nack_received;       /* outbound "nack-count": what the remote asked for */
  guint64  pli_sent;
  guint64  pli_received;
  char    *address;             /* the remote candidate's, "address:port" */
} Sample;

struct _BeaconPeerHealth
{
  GObject  parent_instance;

  char    *session_id;
  char    *address;
  gboolean sending;
  guint    samples;
  Sample   last;

  guint    bitrate_kbps;
  double   fps;
  double   loss_percent;
  double   rtt_ms;
  double   jitter_ms;
  guint64  nack;
  guint64  pli;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeaconPeerHealth, beacon_peer_health, G_TYPE_OBJECT)

static double
get_double (const GstStructure *s,
            const char         *field,
            double              fallback)
{
  double value;

  return gst_structure_get_double (s, field, &value) ? value : fallback;
}

/* Under BUNDLE, GStreamer 1.22 files every stream of the transport under each pad in turn,
 * and the last pad's "kind" ends up on all of them: which stream is the video cannot be told
 * from it. The worst stream stands for the connection. */
static void
take_worst (double             *worst,
            const GstStructure *s,
            const char         *field)
{
  double value = get_double (s, field, -1);

  /* A source whose clock rate is unknown (-1: an RTCP-only one) has its jitter divided by
   * it, down to -0.0, which is no figure at all. */
  if (value >= 0 && !signbit (value))
    *worst = MAX (*worst, value);
}

static void
read_one_stats (int                 type,
                const GstStructure *s,
                gpointer            user_data)
{
  Sample *sample = user_data;

  /* GStreamer 1.22.0 stamps each entry, not the reply itself; all with the same time. */
  if (sample->timestamp_ms < 0)
    sample->timestamp_ms = get_double (s, "timestamp", -1);
  switch (type)
    {
    case GST_WEBRTC_STATS_INBOUND_RTP:
      sample->bytes_received += beacon_peer_stats_get_count (s, "bytes-received");
      sample->packets_received += beacon_peer_stats_get_count (s, "packets-received");
      sample->packets_lost += beacon_peer_stats_get_count (s, "packets-lost");
      sample->nack_sent += beacon_peer_stats_get_count (s, "nack-count");
      sample->pli_sent += beacon_peer_stats_get_count (s, "pli-count");
      take_worst (&sample->jitter_s, s, "jitter");
      break;
    case GST_WEBRTC_STATS_OUTBOUND_RTP:
      sample->bytes_sent += beacon_peer_stats_get_count (s, "bytes-sent");
      sample->nack_received += beacon_peer_stats_get_count (s, "nack-count");
      sample->pli_received += beacon_peer_stats_get_count (s, "pli-count");
      break;
    case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
      take_worst (&sample->fraction_lost, s, "fraction-lost");
      take_worst (&sample->rtt_s, s, "round-trip-time");
      take_worst (&sample->remote_jitter_s, s, "jitter");
      break;
    case GST_WEBRTC_STATS_REMOTE_CANDIDATE:
      if (sample->address == NULL && gst_structure_has_field (s, "address"))
        sample->address = g_strdup_printf ("%s:%u", gst_structure_get_string (s, "address"),
                                           (guint) beacon_peer_stats_get_count (s, "port"));
      break;
    default:
      break;
    }
}

/* Both sides have inbound and outbound entries (the RTCP-only source of a receiver shows as
 * one of them, with nothing in it): the media goes the way more bytes went. */
static void
read_sample (Sample             *sample,
             const GstStructure *reply)
{
  *sample = (Sample) { 0, };
  sample->timestamp_ms = get_double (reply, "timestamp", -1);
  sample->fraction_lost = -1;
  sample->rtt_s = -1;
  sample->jitter_s = -1;
  sample->remote_jitter_s = -1;
  beacon_peer_stats_foreach_entry (reply, read_one_stats, sample);
  sample->receiving = sample->bytes_received > sample->bytes_sent;
}

static double
to_ms (double seconds)
{
  return seconds >= 0 ? seconds * 1000.0 : -1;
}

void
beacon_peer_health_add_reply (BeaconPeerHealth   *self,
                              const GstStructure *reply)
{
  Sample sample;
  double elapsed_ms;

  g_return_if_fail (BEACON_IS_PEER_HEALTH (self));
  g_return_if_fail (reply != NULL);

  read_sample (&sample, reply);
  elapsed_ms = sample.timestamp_ms - self->last.timestamp_ms;
  self->sending = !sample.receiving;
  if (self->samples > 0 && self->last.timestamp_ms >= 0 && elapsed_ms > 0)
    {
      /* bits per millisecond are kilobits per second */
      guint64 bytes = sample.receiving ? sample.bytes_received : sample.bytes_sent;
      guint64 last_bytes = sample.receiving ? self->last.bytes_received : self->last.bytes_sent;

      self->bitrate_kbps = bytes >= last_bytes ? (guint) ((bytes - last_bytes) * 8 / elapsed_ms)
                                               : 0;
      if (sample.receiving)
        {
          gint64 lost = MAX (0, sample.packets_lost - self->last.packets_lost);
          gint64 received = sample.packets_received >= self->last.packets_received
                              ? (gint64) (sample.packets_received - self->last.packets_received)
                              : 0;

          self->loss_percent = lost + received > 0 ? 100.0 * lost / (lost + received) : 0;
        }
    }
  if (!sample.receiving)
    self->loss_percent = sample.fraction_lost >= 0 ? 100.0 * sample.fraction_lost : 0;
  self->rtt_ms = sample.receiving ? -1 : to_ms (sample.rtt_s);
  self->jitter_ms = to_ms (sample.receiving ? sample.jitter_s : sample.remote_jitter_s);
  self->nack = sample.receiving ? sample.nack_sent : sample.nack_received;
  self->pli = sample.receiving ? sample.pli_sent : sample.pli_received;
  if (sample.address != NULL && g_strcmp0 (sample.address, self->address) != 0)
    {
      g_free (self->address);
      self->address = g_strdup (sample.address);
    }
  g_clear_pointer (&sample.address, g_free);
  self->last = sample;
  self->samples++;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
beacon_peer_health_set_fps (BeaconPeerHealth *self,
                            double            fps)
{
  g_return_if_fail (BEACON_IS_PEER_HEALTH (self));
  self->fps = MAX (0, fps);
}

const char *
beacon_peer_health_get_session_id (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), NULL);
  return self->session_id;
}

const char *
beacon_peer_health_get_address (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), NULL);
  return self->address;
}

gboolean
beacon_peer_health_is_sending (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), FALSE);
  return self->sending;
}

guint
beacon_peer_health_get_samples (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), 0);
  return self->samples;
}

guint
beacon_peer_health_get_bitrate_kbps (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), 0);
  return self->bitrate_kbps;
}

double
beacon_peer_health_get_fps (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), 0);
  return self->fps;
}

double
beacon_peer_health_get_loss_percent (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), 0);
  return self->loss_percent;
}

double
beacon_peer_health_get_rtt_ms (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), -1);
  return self->rtt_ms;
}

double
beacon_peer_health_get_jitter_ms (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), -1);
  return self->jitter_ms;
}

guint64
beacon_peer_health_get_nack (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), 0);
  return self->nack;
}

guint64
beacon_peer_health_get_pli (BeaconPeerHealth *self)
{
  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), 0);
  return self->pli;
}

/* One decimal is all a reader of the report needs, and keeps it short. */
static double
round1 (double value)
{
  return (gint64) (value * 10 + 0.5) / 10.0;
}

static void
set_ms_member (JsonObject *object,
               const char *name,
               double      ms)
{
  if (ms >= 0)
    json_object_set_double_member (object, name, round1 (ms));
  else
    json_object_set_null_member (object, name);
}

JsonObject *
beacon_peer_health_to_json (BeaconPeerHealth *self)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (BEACON_IS_PEER_HEALTH (self), object);

  json_object_set_string_member (object, "session", self->session_id);
  if (self->address != NULL)
    json_object_set_string_member (object, "address", self->address);
  else
    json_object_set_null_member (object, "address");
  json_object_set_string_member (object, "direction", self->sending ? "send" : "receive");
  json_object_set_int_member (object, "bitrate_kbps", self->bitrate_kbps);
  json_object_set_double_member (object, "fps", round1 (self->fps));
  json_object_set_double_member (object, "loss_percent", round1 (self->loss_percent));
  set_ms_member (object, "rtt_ms", self->rtt_ms);
  set_ms_member (object, "jitter_ms", self->jitter_ms);
  json_object_set_int_member (object, "nack", (gint64) self->nack);
  json_object_set_int_member (object, "pli", (gint64) self->pli);
  json_object_set_int_member (object, "samples", self->samples);
  return object;
}

static void
beacon_peer_health_finalize (GObject *object)
{
  BeaconPeerHealth *self = BEACON_PEER_HEALTH (object);

  g_free (self->session_id);
  g_free (self->address);

  G_OBJECT_CLASS (beacon_peer_health_parent_class)->finalize (object);
}

static void
beacon_peer_health_class_init (BeaconPeerHealthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_peer_health_finalize;

  /* After each reply: all the figures changed at once. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
beacon_peer_health_init (BeaconPeerHealth *self)
{
  self->sending = TRUE;
  self->rtt_ms = -1;
  self->jitter_ms = -1;
  self->last.timestamp_ms = -1;
}

BeaconPeerHealth *
beacon_peer_health_new (const char *session_id)
{
  BeaconPeerHealth *self = g_object_new (BEACON_TYPE_PEER_HEALTH, NULL);

  self->session_id = g_strdup (session_id);
  return self;
}

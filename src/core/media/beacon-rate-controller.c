/* beacon-rate-controller.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-rate-controller.h"

#include <stdlib.h>

/* Loss thresholds of GCC's loss-based controller (draft-ietf-rmcat-gcc-02, section 6). */
#define HIGH_LOSS 0.10
#define LOW_LOSS  0.02
#define GROWTH    1.08
/* Until its first loss, a viewer's estimate climbs faster from its modest start, as GCC's
 * start-up does: the configured rate within about five seconds. */
#define START_GROWTH 1.25
/* GCC grows by 8 % a second, whatever the report rate. */
#define GROWTH_INTERVAL_US G_USEC_PER_SEC
/* The estimate grows only while the viewer takes most of it: a viewer that is sent little
 * (the base layer alone, a still picture) proves nothing about more. */
#define SENT_HEADROOM 1.6

/* A probe back to every layer that meets loss within this time failed. */
#define PROBE_SECONDS 5
#define MIN_HOLD_SECONDS 8
#define MAX_HOLD_SECONDS 64
/* The estimate may fall this far under the whole rate before the upper layers go. */
#define DROP_RATIO 0.9

struct _BeaconRateController
{
  GMutex  lock;
  double  kbps;
  guint   min_kbps;
  guint   max_kbps;
  guint   reports;
  gboolean seen_loss;
  gint64  last_growth_us;
  guint   sent_kbps;         /* 0: unknown */
  double  last_loss;
  guint   layers;            /* 0 until the first decision: every layer */
  gint64  base_since_us;     /* when the viewer went down to the base layer */
  gint64  probe_started_us;  /* when it last went up to every layer, 0 once that held */
  gint64  hold_us;
};

BeaconRateController *
beacon_rate_controller_new (guint start_kbps,
                            guint min_kbps,
                            guint max_kbps)
{
  BeaconRateController *self = g_new0 (BeaconRateController, 1);

  g_mutex_init (&self->lock);
  self->min_kbps = min_kbps;
  self->max_kbps = MAX (min_kbps, max_kbps);
  self->kbps = CLAMP (start_kbps, self->min_kbps, self->max_kbps);
  self->hold_us = MIN_HOLD_SECONDS * G_USEC_PER_SEC;
  return self;
}

void
beacon_rate_controller_free (BeaconRateController *self)
{
  if (self == NULL)
    return;
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
beacon_rate_controller_add_report (BeaconRateController *self,
                                   guint                 fraction_lost,
                                   gint64                now_us)
{
  double loss = MIN (fraction_lost, 255) / 256.0;

  g_mutex_lock (&self->lock);
  self->reports++;
  self->last_loss = loss;
  if (loss >= LOW_LOSS)
    self->seen_loss = TRUE;
  if (loss > HIGH_LOSS)
    {
      double before = self->kbps;

      self->kbps *= 1.0 - 0.5 * loss;
      /* Not more than got through, either: a link a third as wide as the stream loses two
       * thirds at once, and halving by steps would take seconds of frozen picture. But at
       * most halved by one report: a burst of NACKs over a second in which little was sent
       * (just after the upper layer went) looks like near total loss. */
      if (self->sent_kbps != 0)
        self->kbps = MAX (0.5 * before, MIN (self->kbps, self->sent_kbps * (1.0 - loss)));
    }
  else if (loss < LOW_LOSS && now_us - self->last_growth_us >= GROWTH_INTERVAL_US)
    {
      double grown = self->kbps * (self->seen_loss ? GROWTH : START_GROWTH);

      if (self->sent_kbps != 0)
        grown = MIN (grown, MAX (self->kbps, SENT_HEADROOM * self->sent_kbps));
      self->kbps = grown;
      self->last_growth_us = now_us;
    }
  self->kbps = CLAMP (self->kbps, self->min_kbps, self->max_kbps);
  g_mutex_unlock (&self->lock);
}

void
beacon_rate_controller_add_remb (BeaconRateController *self,
                                 guint64               bitrate_bps)
{
  g_mutex_lock (&self->lock);
  self->kbps = CLAMP (MIN (self->kbps, bitrate_bps / 1000.0), self->min_kbps, self->max_kbps);
  g_mutex_unlock (&self->lock);
}

void
beacon_rate_controller_set_sent_kbps (BeaconRateController *self,
                                      guint                 sent_kbps)
{
  g_mutex_lock (&self->lock);
  self->sent_kbps = sent_kbps;
  g_mutex_unlock (&self->lock);
}

guint
beacon_rate_controller_get_kbps (BeaconRateController *self)
{
  guint kbps;

  g_mutex_lock (&self->lock);
  kbps = (guint) self->kbps;
  g_mutex_unlock (&self->lock);
  return kbps;
}

guint
beacon_rate_controller_get_reports (BeaconRateController *self)
{
  guint reports;

  g_mutex_lock (&self->lock);
  reports = self->reports;
  g_mutex_unlock (&self->lock);
  return reports;
}

double
beacon_rate_controller_get_loss (BeaconRateController *self)
{
  double loss;

  g_mutex_lock (&self->lock);
  loss = self->last_loss * 100.0;
  g_mutex_unlock (&self->lock);
  return loss;
}

guint
beacon_rate_controller_get_layers (BeaconRateController *self)
{
  guint layers;

  g_mutex_lock (&self->lock);
  layers = self->layers;
  g_mutex_unlock (&self->lock);
  return layers;
}

guint
beacon_rate_controller_update_layers (BeaconRateController *self,
                                      guint                 total_kbps,
                                      guint                 n_layers,
                                      gint64                now_us)
{
  guint layers;

  g_mutex_lock (&self->lock);
  if (self->layers == 0)
    {
      /* A new viewer starts with every layer, as on probation. */
      self->layers = n_layers;
      self->probe_started_us = now_us;
    }
  if (n_layers <= 1)
    self->layers = 1;
  else if (self->layers > 1)
    {
      if (self->kbps < DROP_RATIO * total_kbps)
        {
          if (self->probe_started_us != 0 &&
              now_us - self->probe_started_us < PROBE_SECONDS * G_USEC_PER_SEC)
            self->hold_us = MIN (2 * self->hold_us, MAX_HOLD_SECONDS * G_USEC_PER_SEC);
          self->layers = 1;
          self->base_since_us = now_us;
          self->probe_started_us = 0;
        }
      else if (self->probe_started_us != 0 &&
               now_us - self->probe_started_us >= PROBE_SECONDS * G_USEC_PER_SEC)
        {
          self->hold_us = MIN_HOLD_SECONDS * G_USEC_PER_SEC;
          self->probe_started_us = 0;
        }
      self->layers = self->layers > 1 ? n_layers : 1;
    }
  else if (self->kbps >= DROP_RATIO * total_kbps && self->last_loss < LOW_LOSS &&
           now_us - self->base_since_us >= self->hold_us)
    {
      self->layers = n_layers;
      self->probe_started_us = now_us;
    }
  layers = self->layers;
  g_mutex_unlock (&self->lock);
  return layers;
}

static int
compare_kbps (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

void
beacon_rate_controller_encoder_rates (const guint *kbps,
                                      guint        n,
                                      guint        min_kbps,
                                      guint        max_kbps,
                                      double       base_share,
                                      double       measured_share,
                                      guint       *total_kbps,
                                      guint       *base_kbps)
{
  g_autofree guint *sorted = NULL;
  guint total, base, wanted;

  if (n == 0)
    {
      *total_kbps = max_kbps;
      *base_kbps = (guint) (max_kbps * base_share);
      return;
    }
  sorted = g_memdup2 (kbps, n * sizeof (guint));
  qsort (sorted, n, sizeof (guint), compare_kbps);
  total = CLAMP (sorted[n / 2], min_kbps, max_kbps);
  /* What the narrowest viewer can take, with room for its audio and retransmissions. */
  wanted = (guint) (sorted[0] * 0.8);
  base = CLAMP (wanted, total / 4, (guint) (total * base_share));
  /* libvpx spends more than asked on the base layer where its frames are far apart (a
   * loaded machine that encodes fewer frames; fast motion): then the whole rate comes down
   * until the base layer the encoder actually makes fits, but never under 40 % of what the
   * median viewer takes. */
  if (measured_share > 0 && measured_share * total > wanted)
    {
      guint fitting = (guint) (wanted / measured_share);

      total = MAX (fitting, (guint) (total * 0.4));
      total = CLAMP (total, min_kbps, max_kbps);
      base = CLAMP (wanted, total / 4, (guint) (total * base_share));
    }
  *total_kbps = total;
  *base_kbps = MAX (base, min_kbps / 2);
}

/* beacon-ice-gathering.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-ice-gathering.h"

struct _BeaconIceGathering
{
  GObject                 parent_instance;

  guint                   quiet_ms;
  guint                   max_ms;

  guint                   n_candidates;
  gboolean                complete;

  /* The running wait; func is NULL when there is none. */
  BeaconIceGatheringFunc  func;
  gpointer                user_data;
  GCancellable           *cancellable;
  guint                   quiet_source;
  guint                   deadline_source;
};

G_DEFINE_FINAL_TYPE (BeaconIceGathering, beacon_ice_gathering, G_TYPE_OBJECT)

static void
clear_wait (BeaconIceGathering *self)
{
  g_assert (BEACON_IS_ICE_GATHERING (self));

  g_clear_handle_id (&self->quiet_source, g_source_remove);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  g_clear_object (&self->cancellable);
  self->func = NULL;
  self->user_data = NULL;
}

/* Ends the wait, then calls back: the callback may start a new wait or drop the object, so
 * nothing of @self is touched after it. */
static void
finish_wait (BeaconIceGathering       *self,
             BeaconIceGatheringReason  reason)
{
  BeaconIceGatheringFunc func = self->func;
  gpointer user_data = self->user_data;
  gboolean cancelled = g_cancellable_is_cancelled (self->cancellable);

  clear_wait (self);
  if (func != NULL && !cancelled)
    func (self, reason, user_data);
}

static gboolean
quiet_time_elapsed_cb (gpointer user_data)
{
  BeaconIceGathering *self = user_data;

  self->quiet_source = 0;
  finish_wait (self, BEACON_ICE_GATHERING_SETTLED);
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_passed_cb (gpointer user_data)
{
  BeaconIceGathering *self = user_data;

  self->deadline_source = 0;
  finish_wait (self, BEACON_ICE_GATHERING_DEADLINE);
  return G_SOURCE_REMOVE;
}

static void
restart_quiet_time (BeaconIceGathering *self)
{
  g_assert (BEACON_IS_ICE_GATHERING (self));

  g_clear_handle_id (&self->quiet_source, g_source_remove);
  self->quiet_source = g_timeout_add (self->quiet_ms, quiet_time_elapsed_cb, self);
}

BeaconIceGathering *
beacon_ice_gathering_new (guint quiet_ms,
                          guint max_ms)
{
  BeaconIceGathering *self = g_object_new (BEACON_TYPE_ICE_GATHERING, NULL);

  self->quiet_ms = quiet_ms;
  self->max_ms = max_ms;
  return self;
}

void
beacon_ice_gathering_add_candidate (BeaconIceGathering *self,
                                    const char         *candidate)
{
  gboolean end = candidate == NULL || *candidate == '\0';

  g_return_if_fail (BEACON_IS_ICE_GATHERING (self));

  self->n_candidates++;
  if (end)
    self->complete = TRUE;
  if (self->func == NULL)
    return;
  if (end)
    finish_wait (self, BEACON_ICE_GATHERING_COMPLETE);
  else
    restart_quiet_time (self);
}

void
beacon_ice_gathering_wait (BeaconIceGathering     *self,
                           GCancellable           *cancellable,
                           BeaconIceGatheringFunc  func,
                           gpointer                user_data)
{
  g_return_if_fail (BEACON_IS_ICE_GATHERING (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (func != NULL);

  clear_wait (self);
  self->func = func;
  self->user_data = user_data;
  g_set_object (&self->cancellable, cancellable);
  if (self->complete)
    {
      finish_wait (self, BEACON_ICE_GATHERING_COMPLETE);
      return;
    }
  self->deadline_source = g_timeout_add (self->max_ms, deadline_passed_cb, self);
  if (self->n_candidates > 0)
    restart_quiet_time (self);
}

void
beacon_ice_gathering_stop (BeaconIceGathering *self)
{
  g_return_if_fail (BEACON_IS_ICE_GATHERING (self));

  clear_wait (self);
}

void
beacon_ice_gathering_reset (BeaconIceGathering *self)
{
  g_return_if_fail (BEACON_IS_ICE_GATHERING (self));

  clear_wait (self);
  self->n_candidates = 0;
  self->complete = FALSE;
}

gboolean
beacon_ice_gathering_is_waiting (BeaconIceGathering *self)
{
  g_return_val_if_fail (BEACON_IS_ICE_GATHERING (self), FALSE);

  return self->func != NULL;
}

gboolean
beacon_ice_gathering_is_complete (BeaconIceGathering *self)
{
  g_return_val_if_fail (BEACON_IS_ICE_GATHERING (self), FALSE);

  return self->complete;
}

static void
beacon_ice_gathering_dispose (GObject *object)
{
  BeaconIceGathering *self = BEACON_ICE_GATHERING (object);

  clear_wait (self);

  G_OBJECT_CLASS (beacon_ice_gathering_parent_class)->dispose (object);
}

static void
beacon_ice_gathering_class_init (BeaconIceGatheringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_ice_gathering_dispose;
}

static void
beacon_ice_gathering_init (BeaconIceGathering *self)
{
  self->quiet_ms = BEACON_ICE_GATHERING_QUIET_MS;
  self->max_ms = BEACON_ICE_GATHERING_MAX_MS;
}

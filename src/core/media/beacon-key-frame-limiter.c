/* beacon-key-frame-limiter.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-key-frame-limiter.h"

#include <gst/video/video.h>

struct _BeaconKeyFrameLimiter
{
  GObject       parent_instance;

  GMainContext *context;
  GstPad       *pad;            /* the encoder's source pad */
  gulong        event_probe;
  gulong        buffer_probe;
  gint64        min_interval_us;

  /* The probes run on streaming threads (RTCP, the encoder's): all below is under lock. */
  GMutex        lock;
  gboolean      detached;
  gint64        last_forwarded_us;
  GSource      *deferred;       /* the one request waiting for the end of the interval */
  guint64       requests;
  guint64       forwarded;
  guint64       key_frames;
  guint64       frames;
};

G_DEFINE_FINAL_TYPE (BeaconKeyFrameLimiter, beacon_key_frame_limiter, G_TYPE_OBJECT)

static GstEvent *
new_request (void)
{
  return gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0);
}

/* Runs on the main context; the source is destroyed by detach before the object goes. */
static gboolean
deferred_request_cb (gpointer user_data)
{
  BeaconKeyFrameLimiter *self = user_data;
  g_autoptr(GstPad) pad = NULL;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->deferred, g_source_unref);
  if (!self->detached)
    pad = gst_object_ref (self->pad);
  g_mutex_unlock (&self->lock);
  /* Counted again as a request: it goes through the probe like any other. */
  if (pad != NULL)
    gst_pad_send_event (pad, new_request ());
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
upstream_event_cb (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  BeaconKeyFrameLimiter *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  gint64 now;

  if (!gst_video_event_is_force_key_unit (event))
    return GST_PAD_PROBE_OK;

  now = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  self->requests++;
  if (self->last_forwarded_us == 0 || now - self->last_forwarded_us >= self->min_interval_us)
    {
      self->last_forwarded_us = now;
      self->forwarded++;
    }
  else
    {
      if (self->deferred == NULL && !self->detached)
        {
          gint64 wait_us = self->last_forwarded_us + self->min_interval_us - now;

          self->deferred = g_timeout_source_new (MAX (1, (guint) ((wait_us + 999) / 1000)));
          g_source_set_callback (self->deferred, deferred_request_cb, self, NULL);
          g_source_attach (self->deferred, self->context);
        }
      ret = GST_PAD_PROBE_DROP;
    }
  g_mutex_unlock (&self->lock);
  return ret;
}

static GstPadProbeReturn
buffer_cb (GstPad          *pad,
           GstPadProbeInfo *info,
           gpointer         user_data)
{
  BeaconKeyFrameLimiter *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_mutex_lock (&self->lock);
  self->frames++;
  if (!GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    self->key_frames++;
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

BeaconKeyFrameLimiter *
beacon_key_frame_limiter_new (GstElement *encoder,
                              guint       min_interval_ms)
{
  BeaconKeyFrameLimiter *self = g_object_new (BEACON_TYPE_KEY_FRAME_LIMITER, NULL);

  self->pad = gst_element_get_static_pad (encoder, "src");
  g_assert (self->pad != NULL);
  self->min_interval_us = (gint64) min_interval_ms * 1000;
  self->event_probe = gst_pad_add_probe (self->pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
                                         upstream_event_cb, self, NULL);
  self->buffer_probe = gst_pad_add_probe (self->pad, GST_PAD_PROBE_TYPE_BUFFER, buffer_cb, self,
                                          NULL);
  return self;
}

void
beacon_key_frame_limiter_request (BeaconKeyFrameLimiter *self)
{
  g_return_if_fail (BEACON_IS_KEY_FRAME_LIMITER (self));
  if (self->pad != NULL)
    gst_pad_send_event (self->pad, new_request ());
}

static guint64
read_counter (BeaconKeyFrameLimiter *self,
              const guint64         *counter)
{
  guint64 value;

  g_mutex_lock (&self->lock);
  value = *counter;
  g_mutex_unlock (&self->lock);
  return value;
}

guint64
beacon_key_frame_limiter_get_requests (BeaconKeyFrameLimiter *self)
{
  g_return_val_if_fail (BEACON_IS_KEY_FRAME_LIMITER (self), 0);
  return read_counter (self, &self->requests);
}

guint64
beacon_key_frame_limiter_get_forwarded (BeaconKeyFrameLimiter *self)
{
  g_return_val_if_fail (BEACON_IS_KEY_FRAME_LIMITER (self), 0);
  return read_counter (self, &self->forwarded);
}

guint64
beacon_key_frame_limiter_get_key_frames (BeaconKeyFrameLimiter *self)
{
  g_return_val_if_fail (BEACON_IS_KEY_FRAME_LIMITER (self), 0);
  return read_counter (self, &self->key_frames);
}

guint64
beacon_key_frame_limiter_get_frames (BeaconKeyFrameLimiter *self)
{
  g_return_val_if_fail (BEACON_IS_KEY_FRAME_LIMITER (self), 0);
  return read_counter (self, &self->frames);
}

void
beacon_key_frame_limiter_detach (BeaconKeyFrameLimiter *self)
{
  g_return_if_fail (BEACON_IS_KEY_FRAME_LIMITER (self));

  if (self->pad == NULL || self->event_probe == 0)
    return;
  gst_pad_remove_probe (self->pad, self->event_probe);
  gst_pad_remove_probe (self->pad, self->buffer_probe);
  self->event_probe = 0;
  self->buffer_probe = 0;
  g_mutex_lock (&self->lock);
  self->detached = TRUE;
  if (self->deferred != NULL)
    {
      g_source_destroy (self->deferred);
      g_clear_pointer (&self->deferred, g_source_unref);
    }
  g_mutex_unlock (&self->lock);
}

static void
beacon_key_frame_limiter_dispose (GObject *object)
{
  BeaconKeyFrameLimiter *self = BEACON_KEY_FRAME_LIMITER (object);

  beacon_key_frame_limiter_detach (self);
  gst_clear_object (&self->pad);

  G_OBJECT_CLASS (beacon_key_frame_limiter_parent_class)->dispose (object);
}

static void
beacon_key_frame_limiter_finalize (GObject *object)
{
  BeaconKeyFrameLimiter *self = BEACON_KEY_FRAME_LIMITER (object);

  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (beacon_key_frame_limiter_parent_class)->finalize (object);
}

static void
beacon_key_frame_limiter_class_init (BeaconKeyFrameLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_key_frame_limiter_dispose;
  object_class->finalize = beacon_key_frame_limiter_finalize;
}

static void
beacon_key_frame_limiter_init (BeaconKeyFrameLimiter *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
}

/* beacon-video-paintable.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-video-paintable.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

/* BGRA first: it is cairo's own pixel layout on little-endian machines, so the cairo renderer
 * draws it without converting; the GL renderer uploads either. */
#define SINK_CAPS "video/x-raw, format = (string) { BGRA, RGBA }"

struct _BeaconVideoPaintable
{
  GObject       parent_instance;

  GMainContext *context;
  GstElement   *sink;

  /* Guarded by lock: written by the streaming thread, taken by the main context. */
  GMutex        lock;
  GstSample    *pending;

  /* Main context only. */
  GdkTexture   *texture;
  int           par_n;
  int           par_d;
  guint64       frames_shown;
};

enum {
  PROP_0,
  PROP_SINK,
  PROP_FRAMES_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void beacon_video_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconVideoPaintable, beacon_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      beacon_video_paintable_paintable_init))

/* What a texture's GBytes keeps alive: the mapping of the buffer and the sample that owns it.
 * Unmapping when GTK drops the last reference to the texture is what makes it safe to hand
 * GStreamer's memory to GDK without a copy. */
typedef struct {
  GstVideoFrame  frame;
  GstSample     *sample;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  gst_sample_unref (mapped->sample);
  g_free (mapped);
}

static GdkTexture *
texture_new_for_sample (GstSample *sample,
                        int       *par_n,
                        int       *par_d)
{
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  MappedFrame *mapped;
  GdkMemoryFormat format;
  g_autoptr(GBytes) bytes = NULL;
  gsize stride;
  gsize needed;
  gsize available;
  int width;
  int height;

  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps))
    return NULL;

  switch (GST_VIDEO_INFO_FORMAT (&info))
    {
    /* The alpha of decoded video is always opaque, where premultiplied and straight alpha are
     * the same thing; declaring it premultiplied spares the renderer a conversion. */
    case GST_VIDEO_FORMAT_BGRA:
      format = GDK_MEMORY_B8G8R8A8_PREMULTIPLIED;
      break;
    case GST_VIDEO_FORMAT_RGBA:
      format = GDK_MEMORY_R8G8B8A8_PREMULTIPLIED;
      break;
    default:
      return NULL;
    }

  mapped = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }
  mapped->sample = gst_sample_ref (sample);

  width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);
  needed = stride * (height - 1) + (gsize) width * 4;
  available = mapped->frame.map[0].size - GST_VIDEO_FRAME_PLANE_OFFSET (&mapped->frame, 0);
  if (width <= 0 || height <= 0 || needed > available)
    {
      mapped_frame_free (mapped);
      return NULL;
    }

  *par_n = GST_VIDEO_INFO_PAR_N (&info) > 0 ? GST_VIDEO_INFO_PAR_N (&info) : 1;
  *par_d = GST_VIDEO_INFO_PAR_D (&info) > 0 ? GST_VIDEO_INFO_PAR_D (&info) : 1;

  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0), needed,
                                      mapped_frame_free, mapped);
  return gdk_memory_texture_new (width, height, format, bytes, stride);
}

static int
intrinsic_width (BeaconVideoPaintable *self)
{
  if (self->texture == NULL)
    return 0;
  return (int) gst_util_uint64_scale_int (gdk_texture_get_width (self->texture), self->par_n,
                                          self->par_d);
}

static void
set_texture (BeaconVideoPaintable *self,
             GdkTexture           *texture,
             int                   par_n,
             int                   par_d)
{
  int old_width = intrinsic_width (self);
  int old_height = self->texture ? gdk_texture_get_height (self->texture) : 0;

  g_set_object (&self->texture, texture);
  self->par_n = par_n;
  self->par_d = par_d;

  if (old_width != intrinsic_width (self) ||
      old_height != (self->texture ? gdk_texture_get_height (self->texture) : 0))
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/* Runs on the paintable's main context, once per sample the streaming thread handed over; when
 * frames arrive faster than the main context runs, only the newest is shown. */
static gboolean
show_pending_sample_cb (gpointer user_data)
{
  BeaconVideoPaintable *self = user_data;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int par_n = 1;
  int par_d = 1;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->pending);
  g_mutex_unlock (&self->lock);

  if (sample == NULL)
    return G_SOURCE_REMOVE;

  texture = texture_new_for_sample (sample, &par_n, &par_d);
  if (texture == NULL)
    return G_SOURCE_REMOVE;

  set_texture (self, texture, par_n, par_d);
  self->frames_shown++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES_SHOWN]);
  return G_SOURCE_REMOVE;
}

/* The appsink outlives nothing it should not: it may run its streaming thread after the
 * paintable is gone (the pipeline owns it too), so it only holds a weak reference. */
static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  GWeakRef *weak = user_data;
  BeaconVideoPaintable *self;
  GSource *source;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;

  self = g_weak_ref_get (weak);
  if (self == NULL)
    {
      gst_sample_unref (sample);
      return GST_FLOW_OK;
    }

  g_mutex_lock (&self->lock);
  if (self->pending != NULL)
    gst_sample_unref (self->pending);
  self->pending = sample;
  g_mutex_unlock (&self->lock);

  /* An idle source, not g_main_context_invoke (): from a thread whose default context is the
   * same global one, invoke () would run the callback right here whenever the main thread is
   * not iterating. The idle holds the reference taken above, so the last one is always dropped
   * on the main context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, show_pending_sample_cb, self, g_object_unref);
  g_source_set_static_name (source, "[beacon] show video frame");
  g_source_attach (source, self->context);
  g_source_unref (source);
  return GST_FLOW_OK;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

BeaconVideoPaintable *
beacon_video_paintable_new (void)
{
  return g_object_new (BEACON_TYPE_VIDEO_PAINTABLE, NULL);
}

GstElement *
beacon_video_paintable_get_sink (BeaconVideoPaintable *self)
{
  g_return_val_if_fail (BEACON_IS_VIDEO_PAINTABLE (self), NULL);
  return self->sink;
}

guint64
beacon_video_paintable_get_frames_shown (BeaconVideoPaintable *self)
{
  g_return_val_if_fail (BEACON_IS_VIDEO_PAINTABLE (self), 0);
  return self->frames_shown;
}

GdkTexture *
beacon_video_paintable_get_texture (BeaconVideoPaintable *self)
{
  g_return_val_if_fail (BEACON_IS_VIDEO_PAINTABLE (self), NULL);
  return self->texture;
}

void
beacon_video_paintable_clear (BeaconVideoPaintable *self)
{
  g_return_if_fail (BEACON_IS_VIDEO_PAINTABLE (self));

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pending, gst_sample_unref);
  g_mutex_unlock (&self->lock);

  if (self->texture != NULL)
    set_texture (self, NULL, 1, 1);
}

/* GdkPaintable */

static void
beacon_video_paintable_snapshot (GdkPaintable *paintable,
                                 GdkSnapshot  *snapshot,
                                 double        width,
                                 double        height)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
beacon_video_paintable_get_current_image (GdkPaintable *paintable)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (paintable);

  /* A texture never changes, so it is its own still image. */
  if (self->texture != NULL)
    return g_object_ref (GDK_PAINTABLE (self->texture));
  return gdk_paintable_new_empty (0, 0);
}

static int
beacon_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return intrinsic_width (BEACON_VIDEO_PAINTABLE (paintable));
}

static int
beacon_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (paintable);

  return self->texture ? gdk_texture_get_height (self->texture) : 0;
}

static double
beacon_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0.0;
  return (double) intrinsic_width (self) / gdk_texture_get_height (self->texture);
}

static void
beacon_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = beacon_video_paintable_snapshot;
  iface->get_current_image = beacon_video_paintable_get_current_image;
  iface->get_intrinsic_width = beacon_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = beacon_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = beacon_video_paintable_get_intrinsic_aspect_ratio;
}

/* GObject */

static void
beacon_video_paintable_dispose (GObject *object)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (object);

  if (self->sink != NULL)
    {
      GstAppSinkCallbacks none = { NULL };

      gst_app_sink_set_callbacks (GST_APP_SINK (self->sink), &none, NULL, NULL);
      gst_clear_object (&self->sink);
    }
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pending, gst_sample_unref);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (beacon_video_paintable_parent_class)->dispose (object);
}

static void
beacon_video_paintable_finalize (GObject *object)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (object);

  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (beacon_video_paintable_parent_class)->finalize (object);
}

static void
beacon_video_paintable_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BeaconVideoPaintable *self = BEACON_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_SINK:
      g_value_set_object (value, self->sink);
      break;
    case PROP_FRAMES_SHOWN:
      g_value_set_uint64 (value, self->frames_shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_video_paintable_class_init (BeaconVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = beacon_video_paintable_dispose;
  object_class->finalize = beacon_video_paintable_finalize;
  object_class->get_property = beacon_video_paintable_get_property;

  properties[PROP_SINK] =
    g_param_spec_object ("sink", NULL, NULL, GST_TYPE_ELEMENT, ro);
  properties[PROP_FRAMES_SHOWN] =
    g_param_spec_uint64 ("frames-shown", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_video_paintable_init (BeaconVideoPaintable *self)
{
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  g_autoptr(GstCaps) caps = gst_caps_from_string (SINK_CAPS);
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->par_n = 1;
  self->par_d = 1;

  self->sink = gst_element_factory_make ("appsink", NULL);
  if (self->sink == NULL)
    {
      /* appsink is in gst-plugins-base, a hard dependency of the core. */
      g_critical ("The GStreamer element appsink is missing: install gst-plugins-base");
      g_free (weak);
      return;
    }
  gst_object_ref_sink (self->sink);
  /* One buffer, dropping older ones: the picture shows the newest frame and never holds the
   * pipeline back. */
  g_object_set (self->sink,
                "caps", caps,
                "max-buffers", 1,
                "drop", TRUE,
                "enable-last-sample", FALSE,
                NULL);
  g_weak_ref_init (weak, self);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->sink), &callbacks, weak, weak_ref_free);
}

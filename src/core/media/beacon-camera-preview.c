/* beacon-camera-preview.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-camera-preview.h"

#include "beacon-media-source.h"

/* The preview is a picture in a window: no need for more pixels than that, and a camera's
 * full size would cost the front end a large upload for every frame. */
#define PREVIEW_MAX_WIDTH 640

struct _BeaconCameraPreview {
  GObject     parent_instance;

  GstElement *pipeline;
  guint       bus_watch;
  GError     *error;
  gint        frames;    /* atomic: counted on the streaming thread, read on the main one */
};

G_DEFINE_FINAL_TYPE (BeaconCameraPreview, beacon_camera_preview, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_error (BeaconCameraPreview *self,
           GError              *error)
{
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
stop_pipeline (BeaconCameraPreview *self)
{
  if (self->pipeline == NULL)
    return;
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  /* Synchronous: the camera is free for the broadcast once this returns. */
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
bus_message_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  BeaconCameraPreview *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      g_autofree char *debug = NULL;
      g_autofree char *source = gst_object_get_name (GST_MESSAGE_SRC (message));

      gst_message_parse_error (message, &gst_error, &debug);
      g_debug ("preview stopped by %s: %s (%s)", source, gst_error->message, debug);
      self->bus_watch = 0;
      stop_pipeline (self);
      set_error (self, g_error_new (BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                                    "The picture stopped: %s", gst_error->message));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
count_frame_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  BeaconCameraPreview *self = user_data;

  g_atomic_int_inc (&self->frames);
  return GST_PAD_PROBE_OK;
}

gboolean
beacon_camera_preview_start (BeaconCameraPreview  *self,
                             GstDevice            *camera,
                             GstElement           *sink,
                             GError              **out_error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GError) local_error = NULL;
  GError **error = &local_error;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstElement *source;
  GstElement *convert;
  GstElement *scale;
  GstElement *filter;
  GstElement *queue;

  g_return_val_if_fail (BEACON_IS_CAMERA_PREVIEW (self), FALSE);
  g_return_val_if_fail (camera == NULL || GST_IS_DEVICE (camera), FALSE);
  g_return_val_if_fail (GST_IS_ELEMENT (sink), FALSE);
  g_return_val_if_fail (out_error == NULL || *out_error == NULL, FALSE);

  stop_pipeline (self);
  g_atomic_int_set (&self->frames, 0);

  pipeline = gst_object_ref_sink (gst_pipeline_new ("camera-preview"));
  source = beacon_media_make_video_source (camera, "preview-source", error);
  if (source == NULL)
    goto failed;
  gst_bin_add (GST_BIN (pipeline), source);
  convert = beacon_media_make_element ("videoconvert", NULL, error);
  scale = convert ? beacon_media_make_element ("videoscale", NULL, error) : NULL;
  filter = scale ? beacon_media_make_element ("capsfilter", NULL, error) : NULL;
  /* Leaky: a slow front end drops frames instead of holding the camera back. */
  queue = filter ? beacon_media_make_element ("queue", NULL, error) : NULL;
  if (queue == NULL)
    {
      g_clear_pointer (&convert, gst_object_unref);
      g_clear_pointer (&scale, gst_object_unref);
      g_clear_pointer (&filter, gst_object_unref);
      goto failed;
    }
  caps = gst_caps_from_string ("video/x-raw,pixel-aspect-ratio=1/1");
  gst_caps_set_simple (caps, "width", GST_TYPE_INT_RANGE, 16, PREVIEW_MAX_WIDTH, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (queue, "leaky", 2 /* downstream */, "max-size-buffers", 2, NULL);
  gst_bin_add_many (GST_BIN (pipeline), convert, scale, filter, queue, sink, NULL);
  if (!gst_element_link_many (source, convert, scale, filter, queue, sink, NULL))
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "The picture’s elements could not be linked.");
      goto failed;
    }
  sink_pad = gst_element_get_static_pad (sink, "sink");
  if (sink_pad != NULL)
    gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER, count_frame_cb, self, NULL);

  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  self->pipeline = g_steal_pointer (&pipeline);
  self->bus_watch = gst_bus_add_watch (bus, bus_message_cb, self);
  if (self->error != NULL)
    set_error (self, NULL);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) gst_error = NULL;

      /* The bus usually says why. */
      if (message != NULL)
        gst_message_parse_error (message, &gst_error, NULL);
      stop_pipeline (self);
      /* GStreamer's reason is a sentence of its own ("Cannot identify device '…'."). */
      g_set_error_literal (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                           gst_error ? gst_error->message : "The picture could not start.");
      goto failed;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;

failed:
  /* The sink is the caller's: whatever happened, it leaves this pipeline. */
  if (pipeline != NULL && GST_OBJECT_PARENT (sink) == GST_OBJECT (pipeline))
    {
      gst_object_ref (sink);
      gst_bin_remove (GST_BIN (pipeline), sink);
    }
  set_error (self, g_error_copy (local_error));
  g_propagate_error (out_error, g_steal_pointer (&local_error));
  return FALSE;
}

void
beacon_camera_preview_stop (BeaconCameraPreview *self)
{
  g_return_if_fail (BEACON_IS_CAMERA_PREVIEW (self));
  stop_pipeline (self);
}

gboolean
beacon_camera_preview_get_running (BeaconCameraPreview *self)
{
  g_return_val_if_fail (BEACON_IS_CAMERA_PREVIEW (self), FALSE);
  return self->pipeline != NULL;
}

const GError *
beacon_camera_preview_get_error (BeaconCameraPreview *self)
{
  g_return_val_if_fail (BEACON_IS_CAMERA_PREVIEW (self), NULL);
  return self->error;
}

guint
beacon_camera_preview_get_frames (BeaconCameraPreview *self)
{
  g_return_val_if_fail (BEACON_IS_CAMERA_PREVIEW (self), 0);
  return (guint) g_atomic_int_get (&self->frames);
}

BeaconCameraPreview *
beacon_camera_preview_new (void)
{
  return g_object_new (BEACON_TYPE_CAMERA_PREVIEW, NULL);
}

static void
beacon_camera_preview_dispose (GObject *object)
{
  stop_pipeline (BEACON_CAMERA_PREVIEW (object));
  G_OBJECT_CLASS (beacon_camera_preview_parent_class)->dispose (object);
}

static void
beacon_camera_preview_finalize (GObject *object)
{
  g_clear_error (&BEACON_CAMERA_PREVIEW (object)->error);
  G_OBJECT_CLASS (beacon_camera_preview_parent_class)->finalize (object);
}

static void
beacon_camera_preview_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeaconCameraPreview *self = BEACON_CAMERA_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->pipeline != NULL);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_camera_preview_class_init (BeaconCameraPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_camera_preview_dispose;
  object_class->finalize = beacon_camera_preview_finalize;
  object_class->get_property = beacon_camera_preview_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_camera_preview_init (BeaconCameraPreview *self)
{
}

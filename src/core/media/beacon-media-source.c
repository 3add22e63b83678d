/* beacon-media-source.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-media-source.h"

#include "beacon-latency-stamp.h"

G_DEFINE_QUARK (beacon-media-error, beacon_media_error)

gboolean
beacon_source_kind_from_string (const char       *text,
                                BeaconSourceKind *kind)
{
  if (g_strcmp0 (text, "test") == 0)
    *kind = BEACON_SOURCE_TEST;
  else if (g_strcmp0 (text, "camera") == 0)
    *kind = BEACON_SOURCE_CAMERA;
  else if (g_strcmp0 (text, "auto") == 0)
    *kind = BEACON_SOURCE_AUTO;
  else if (g_strcmp0 (text, "whip") == 0)
    *kind = BEACON_SOURCE_WHIP;
  else
    return FALSE;
  return TRUE;
}

gboolean
beacon_codec_from_string (const char  *text,
                          BeaconCodec *codec)
{
  if (g_ascii_strcasecmp (text, "vp8") == 0)
    *codec = BEACON_CODEC_VP8;
  else if (g_ascii_strcasecmp (text, "h264") == 0)
    *codec = BEACON_CODEC_H264;
  else
    return FALSE;
  return TRUE;
}

const char *
beacon_codec_to_string (BeaconCodec codec)
{
  return codec == BEACON_CODEC_H264 ? "h264" : "vp8";
}

GstElement *
beacon_media_make_element (const char  *factory,
                           const char  *name,
                           GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_MISSING_ELEMENT,
                 "the GStreamer element '%s' is not installed", factory);
  return element;
}

/* The first device of @klass ("Video/Source", "Audio/Source") that the device monitor sees:
 * PipeWire (and so the camera portal inside Flatpak), V4L2 or PulseAudio, whichever
 * providers are installed. */
static GstDevice *
find_first_device (const char *klass)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices;
  GstDevice *device = NULL;

  gst_device_monitor_add_filter (monitor, klass, NULL);
  if (!gst_device_monitor_start (monitor))
    return NULL;
  devices = gst_device_monitor_get_devices (monitor);
  if (devices != NULL)
    device = g_object_ref (devices->data);
  g_list_free_full (devices, gst_object_unref);
  gst_device_monitor_stop (monitor);
  return device;
}

static gboolean
add_with_ghost_pad (GstBin      *bin,
                    GstElement  *first,
                    GstElement  *last,
                    const char  *pad_name,
                    GError     **error)
{
  g_autoptr(GstPad) target = gst_element_get_static_pad (last, "src");

  if (first != last && !gst_element_link (first, last))
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "could not link the %s source", pad_name);
      return FALSE;
    }
  gst_element_add_pad (GST_ELEMENT (bin), gst_ghost_pad_new (pad_name, target));
  return TRUE;
}

GstElement *
beacon_media_make_video_source (GstDevice   *camera,
                                const char  *name,
                                GError     **error)
{
  GstElement *source;

  if (camera != NULL)
    {
      source = gst_device_create_element (camera, name);
      if (source == NULL)
        {
          g_autofree char *camera_name = gst_device_get_display_name (camera);

          g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                       "the camera '%s' could not be opened", camera_name);
        }
      return source;
    }

  source = beacon_media_make_element ("videotestsrc", name, error);

  if (source != NULL)
    {
      g_autoptr(GstPad) pad = gst_element_get_static_pad (source, "src");

      g_object_set (source, "is-live", TRUE, "pattern", 18 /* ball: moves every frame */, NULL);
      /* The time each frame was made, for a viewer's latency meter (see beacon-latency-stamp):
       * the test pattern is what benchmarks and tests broadcast. */
      beacon_latency_stamp_attach (pad);
    }
  return source;
}

static GstElement *
make_test_audio (gboolean   silent,
                 GError   **error)
{
  GstElement *source = beacon_media_make_element ("audiotestsrc", "audio-source", error);

  if (source != NULL)
    g_object_set (source, "is-live", TRUE, "wave", silent ? 4 /* silence */ : 0 /* sine */,
                  "freq", 440.0, "volume", 0.3, NULL);
  return source;
}

GstElement *
beacon_media_source_create (BeaconSourceKind   kind,
                            GstDevice         *chosen_camera,
                            GstDevice         *chosen_microphone,
                            char             **description,
                            GError           **error)
{
  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new ("media-source"));
  g_autoptr(GstDevice) camera = NULL;
  g_autoptr(GstDevice) microphone = NULL;
  GstElement *video;
  GstElement *audio;

  if (kind != BEACON_SOURCE_TEST)
    {
      camera = chosen_camera ? g_object_ref (chosen_camera) : find_first_device ("Video/Source");
      if (camera == NULL && kind == BEACON_SOURCE_CAMERA)
        {
          g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_NO_CAMERA,
                       "no camera found: connect one, or use the test pattern");
          return NULL;
        }
      if (camera != NULL)
        microphone = chosen_microphone ? g_object_ref (chosen_microphone)
                                       : find_first_device ("Audio/Source");
    }

  if (camera != NULL)
    {
      video = beacon_media_make_video_source (camera, "video-source", error);
      if (video == NULL)
        return NULL;
      audio = microphone ? gst_device_create_element (microphone, "audio-source") : NULL;
      if (audio == NULL)
        audio = make_test_audio (TRUE, error);
      if (description != NULL)
        *description = gst_device_get_display_name (camera);
    }
  else
    {
      video = beacon_media_make_video_source (NULL, "video-source", error);
      audio = video ? make_test_audio (FALSE, error) : NULL;
      if (description != NULL)
        *description = g_strdup ("Test pattern");
    }
  if (video == NULL || audio == NULL)
    {
      g_clear_pointer (&video, gst_object_unref);
      if (description != NULL)
        g_clear_pointer (description, g_free);
      return NULL;
    }

  gst_bin_add_many (GST_BIN (bin), video, audio, NULL);
  if (!add_with_ghost_pad (GST_BIN (bin), video, video, "video", error) ||
      !add_with_ghost_pad (GST_BIN (bin), audio, audio, "audio", error))
    return NULL;

  return g_steal_pointer (&bin);
}

GstElement *
beacon_media_source_create_placeholder (guint    width,
                                        guint    height,
                                        guint    fps,
                                        GError **error)
{
  g_autoptr(GstElement) bin = gst_object_ref_sink (gst_bin_new ("placeholder-source"));
  g_autoptr(GstCaps) video_caps = NULL;
  g_autoptr(GstCaps) audio_caps = NULL;
  GstElement *video = beacon_media_make_element ("videotestsrc", "placeholder-video", error);
  GstElement *video_filter = video ? beacon_media_make_element ("capsfilter", NULL, error) : NULL;
  GstElement *audio = video_filter ? make_test_audio (TRUE, error) : NULL;
  GstElement *audio_filter = audio ? beacon_media_make_element ("capsfilter", NULL, error) : NULL;

  if (audio_filter == NULL)
    {
      g_clear_pointer (&video, gst_object_unref);
      g_clear_pointer (&video_filter, gst_object_unref);
      g_clear_pointer (&audio, gst_object_unref);
      return NULL;
    }
  g_object_set (video, "is-live", TRUE, "pattern", 2 /* black */, NULL);
  video_caps = beacon_media_raw_video_caps (width, height, fps);
  g_object_set (video_filter, "caps", video_caps, NULL);
  audio_caps = beacon_media_raw_audio_caps ();
  g_object_set (audio_filter, "caps", audio_caps, NULL);

  gst_bin_add_many (GST_BIN (bin), video, video_filter, audio, audio_filter, NULL);
  if (!add_with_ghost_pad (GST_BIN (bin), video, video_filter, "video", error) ||
      !add_with_ghost_pad (GST_BIN (bin), audio, audio_filter, "audio", error))
    return NULL;
  return g_steal_pointer (&bin);
}

GstCaps *
beacon_media_raw_video_caps (guint width,
                             guint height,
                             guint fps)
{
  return gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "I420",
                              "width", G_TYPE_INT, (int) width,
                              "height", G_TYPE_INT, (int) height,
                              "framerate", GST_TYPE_FRACTION, (int) fps, 1,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
}

GstCaps *
beacon_media_raw_audio_caps (void)
{
  return gst_caps_from_string ("audio/x-raw,format=S16LE,layout=interleaved,rate=48000,"
                               "channels=2");
}

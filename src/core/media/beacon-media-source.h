/* beacon-media-source.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define BEACON_MEDIA_ERROR (beacon_media_error_quark ())

typedef enum {
  BEACON_MEDIA_ERROR_NO_CAMERA,        /* --source camera and no camera was found */
  BEACON_MEDIA_ERROR_MISSING_ELEMENT,  /* a GStreamer plugin is not installed */
  BEACON_MEDIA_ERROR_PIPELINE,         /* the pipeline failed while running */
} BeaconMediaError;

GQuark beacon_media_error_quark (void);

typedef enum {
  BEACON_SOURCE_TEST,    /* moving test pattern and a tone */
  BEACON_SOURCE_CAMERA,  /* the first camera and microphone of the device monitor */
  BEACON_SOURCE_AUTO,    /* the camera when there is one, else the test pattern */
  BEACON_SOURCE_WHIP,    /* a WHIP publisher's media, a black picture and silence without one */
} BeaconSourceKind;

typedef enum {
  BEACON_CODEC_VP8,
  BEACON_CODEC_H264,
} BeaconCodec;

gboolean    beacon_source_kind_from_string (const char       *text,
                                            BeaconSourceKind *kind);
gboolean    beacon_codec_from_string       (const char       *text,
                                            BeaconCodec      *codec);
const char *beacon_codec_to_string         (BeaconCodec       codec);

/* A bin with two source pads, "video" and "audio", carrying raw media. @camera and
 * @microphone, when given, are used instead of the first devices found (not with
 * BEACON_SOURCE_TEST). @description receives a short human name of what was chosen
 * ("Test pattern", the camera's name, …). */
GstElement *beacon_media_source_create (BeaconSourceKind   kind,
                                        GstDevice         *camera,
                                        GstDevice         *microphone,
                                        char             **description,
                                        GError           **error);

/* The placeholder of a WHIP ingest: a live black picture already at @width×@height and @fps,
 * and silence. Same pads as beacon_media_source_create (). */
GstElement *beacon_media_source_create_placeholder (guint    width,
                                                    guint    height,
                                                    guint    fps,
                                                    GError **error);

/* The raw formats every source is converted to before the encoders, so that switching
 * between sources never changes caps downstream. */
GstCaps *beacon_media_raw_video_caps (guint width,
                                      guint height,
                                      guint fps);
GstCaps *beacon_media_raw_audio_caps (void);

/* The video source element of @camera, or the moving test pattern when %NULL. */
GstElement *beacon_media_make_video_source (GstDevice   *camera,
                                            const char  *name,
                                            GError     **error);

/* Creates an element or fails with the plugin's name in the message. */
GstElement *beacon_media_make_element (const char  *factory,
                                       const char  *name,
                                       GError     **error);

G_END_DECLS

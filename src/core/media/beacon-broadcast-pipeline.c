/* beacon-broadcast-pipeline.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Capture, encode once, and a branch per viewer, in one GstPipeline. One viewer's branch
 * (queue, payload-type rewrite, link to its webrtcbin) lives in beacon-viewer-branch.c and the
 * limit on key-frame requests in beacon-key-frame-limiter.c; capture and encoding stay here
 * because they share the pipeline's state and its locking. */

#include "beacon-broadcast-pipeline.h"

#include <stdlib.h>
#include <string.h>

#define GST_USE_UNSTABLE_API
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

#include "beacon-key-frame-limiter.h"
#include "beacon-sdp.h"
#include "beacon-viewer-branch.h"

#define VIDEO_PAYLOAD_TYPE 96
#define AUDIO_PAYLOAD_TYPE 97

/* Key frames at least every two seconds bound how long a viewer whose key-frame request got
 * lost waits for a picture. */
#define KEY_FRAME_INTERVAL_SECONDS 2

/* Every viewer's PLI or FIR reaches the one shared encoder, and a key frame costs several
 * times a delta frame, paid by every viewer: one viewer that asks continuously would otherwise
 * make the whole broadcast all key frames. 500 ms keeps such a storm to two forced key frames
 * a second, while a viewer that joins or truly lost a picture waits at most half a second
 * more (requests inside the interval are answered together at its end; NACK repairs most
 * losses before a decoder ever asks). */
#define KEY_FRAME_MIN_INTERVAL_MS 500

/* Opus in-band FEC carries a coarse copy of the previous frame; the encoder spends bits on it
 * only when told the loss to expect. 10 % covers lossy Wi-Fi; a lossless path costs little. */
#define OPUS_EXPECTED_LOSS_PERCENT 10

struct _BeaconBroadcastPipeline
{
  GObject      parent_instance;

  GstElement  *pipeline;
  BeaconCodec  codec;
  GstElement  *video_encoder;
  BeaconKeyFrameLimiter *key_frames;
  GstElement  *video_tee;
  GstElement  *audio_tee;
  char        *source_description;
  guint        bus_watch;
  guint64      encoded_bytes;   /* under bytes_lock: written by the streaming thread */
  GMutex       bytes_lock;
  GHashTable  *branches;   /* webrtcbin → GPtrArray of Branch */

  /* A WHIP ingest: one input-selector per medium, between the placeholder (sink_0) and the
   * publisher's decoded media. Streaming threads add the ingest's elements, so everything
   * below is under ingest_lock. */
  guint        width;
  guint        height;
  guint        fps;
  GstElement  *video_selector;
  GstElement  *audio_selector;
  GMutex       ingest_lock;
  GstElement  *ingest_webrtcbin;  /* unowned: only compared with */
  GPtrArray   *ingest_elements;   /* GstElement*, owned: decoders and converters */
  GPtrArray   *ingest_pads;       /* GstPad*, owned: the selectors' request pads */
  guint64      ingest_frames;
};

enum {
  SIGNAL_FAILED,
  SIGNAL_VIEWER_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeaconBroadcastPipeline, beacon_broadcast_pipeline, G_TYPE_OBJECT)

/* The webrtcbin of the viewer whose connection or branch @element belongs to. */
static GstElement *
find_viewer_of (BeaconBroadcastPipeline *self,
                GstObject               *element)
{
  GHashTableIter iter;
  GstElement *webrtcbin;
  GPtrArray *branches;

  if (g_hash_table_contains (self->branches, element))
    return GST_ELEMENT (element);
  g_hash_table_iter_init (&iter, self->branches);
  while (g_hash_table_iter_next (&iter, (gpointer *) &webrtcbin, (gpointer *) &branches))
    for (guint i = 0; i < branches->len; i++)
      {
        if (beacon_viewer_branch_has_element (g_ptr_array_index (branches, i), element))
          return webrtcbin;
      }
  return NULL;
}

/* Walks up from the message's source: an error inside one viewer's webrtcbin or branch is
 * that viewer's (*viewer set), one elsewhere in the pipeline is the broadcast's. FALSE when
 * the source is no longer part of the pipeline, as after its viewer was removed. */
static gboolean
classify_error_source (BeaconBroadcastPipeline  *self,
                       GstObject                *source,
                       GstElement              **viewer)
{
  g_autoptr(GstObject) object = gst_object_ref (source);

  *viewer = NULL;
  while (object != NULL && object != GST_OBJECT (self->pipeline))
    {
      GstObject *parent;

      if (*viewer == NULL)
        *viewer = find_viewer_of (self, object);
      parent = gst_object_get_parent (object);
      gst_object_unref (object);
      object = parent;
    }
  return object != NULL;
}

static gboolean
bus_message_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  BeaconBroadcastPipeline *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      g_autofree char *debug = NULL;
      g_autoptr(GError) error = NULL;
      GstElement *viewer = NULL;

      gst_message_parse_error (message, &gst_error, &debug);
      g_debug ("broadcast pipeline error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
               gst_error->message, debug ? debug : "");
      if (!classify_error_source (self, GST_MESSAGE_SRC (message), &viewer))
        return G_SOURCE_CONTINUE;
      if (viewer != NULL)
        {
          error = g_error_new (BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                               "the connection to this viewer failed: %s", gst_error->message);
          g_signal_emit (self, signals[SIGNAL_VIEWER_FAILED], 0, viewer, error);
          return G_SOURCE_CONTINUE;
        }
      error = g_error_new (BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                           "the broadcast stopped: %s", gst_error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
make_video_encoder (BeaconCodec   codec,
                    guint         fps,
                    guint         width,
                    guint         height,
                    GError      **error)
{
  GstElement *encoder;
  /* About 0.1 bit per pixel per frame: enough for a webcam picture, modest for uplinks. */
  guint kbps = CLAMP (width * height * fps / 10000, 300, 4000);

  if (codec == BEACON_CODEC_H264)
    {
      encoder = beacon_media_make_element ("x264enc", "video-encoder", error);
      if (encoder != NULL)
        {
          gst_util_set_object_arg (G_OBJECT (encoder), "tune", "zerolatency");
          gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset", "ultrafast");
          g_object_set (encoder,
                        "bitrate", kbps,
                        "key-int-max", fps * KEY_FRAME_INTERVAL_SECONDS,
                        "threads", 2,
                        NULL);
        }
    }
  else
    {
      encoder = beacon_media_make_element ("vp8enc", "video-encoder", error);
      if (encoder != NULL)
        g_object_set (encoder,
                      "deadline", (gint64) 1,
                      "cpu-used", 8,
                      "lag-in-frames", 0,
                      "threads", 2,
                      "target-bitrate", (int) kbps * 1000,
                      "keyframe-max-dist", (int) (fps * KEY_FRAME_INTERVAL_SECONDS),
                      "error-resilient", 1 /* default: survive lost packets */,
                      NULL);
    }
  return encoder;
}

static GstPadProbeReturn
count_encoded_bytes_cb (GstPad          *pad,
                        GstPadProbeInfo *info,
                        gpointer         user_data)
{
  BeaconBroadcastPipeline *self = user_data;
  gsize size = 0;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    size = gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    size = gst_buffer_list_calculate_size (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_mutex_lock (&self->bytes_lock);
  self->encoded_bytes += size;
  g_mutex_unlock (&self->bytes_lock);
  return GST_PAD_PROBE_OK;
}

guint64
beacon_broadcast_pipeline_get_encoded_bytes (BeaconBroadcastPipeline *self)
{
  guint64 bytes;

  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), 0);
  g_mutex_lock (&self->bytes_lock);
  bytes = self->encoded_bytes;
  g_mutex_unlock (&self->bytes_lock);
  return bytes;
}

/* Frees elements made but never added to a bin: those are still floating and only ours. */
static void
drop_unadded (GstElement **elements,
              guint        n_elements)
{
  for (guint i = 0; i < n_elements; i++)
    if (elements[i] != NULL && GST_OBJECT_PARENT (elements[i]) == NULL)
      gst_object_unref (gst_object_ref_sink (elements[i]));
}

/* A branch from the raw video to the front end's preview: it never holds up the encoder. */
static gboolean
add_preview (BeaconBroadcastPipeline  *self,
             GstElement               *raw_tee,
             GstElement               *preview_sink,
             GError                  **error)
{
  GstElement *queue = beacon_media_make_element ("queue", "preview-queue", error);
  GstElement *convert = beacon_media_make_element ("videoconvert", "preview-convert", error);

  if (queue == NULL || convert == NULL)
    {
      GstElement *made[] = { queue, convert };

      drop_unadded (made, G_N_ELEMENTS (made));
      return FALSE;
    }
  g_object_set (queue, "max-size-buffers", 1, "max-size-time", (guint64) 0, "max-size-bytes", 0,
                "leaky", 2 /* downstream */, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), queue, convert, preview_sink, NULL);
  if (!gst_element_link_many (raw_tee, queue, convert, preview_sink, NULL))
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "could not link the preview");
      return FALSE;
    }
  return TRUE;
}

static gboolean
build (BeaconBroadcastPipeline  *self,
       BeaconSourceKind          source_kind,
       GstDevice                *camera,
       GstDevice                *microphone,
       GstElement               *preview_sink,
       BeaconCodec               codec,
       guint                     width,
       guint                     height,
       guint                     fps,
       GError                  **error)
{
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstCaps) raw_caps = NULL;
  g_autoptr(GstCaps) rtp_video_caps = NULL;
  g_autoptr(GstCaps) rtp_audio_caps = NULL;
  guint video_ssrc = g_random_int ();
  guint audio_ssrc = g_random_int ();
  GstElement *vconvert, *vscale, *vrate, *vcaps, *vqueue, *vparse = NULL, *vpay, *vrtpcaps;
  GstElement *aconvert, *aresample, *aqueue, *aencoder, *apay, *artpcaps;
  GstElement *raw_tee = NULL;
  /* Owned by the pipeline once added; the object takes its references only on success, so
   * that no error path gives back a reference it does not hold. */
  GstElement *encoder, *video_tee, *audio_tee;
  GstElement *video_selector = NULL, *audio_selector = NULL;
  GstBin *bin = GST_BIN (self->pipeline);

  if (source_kind == BEACON_SOURCE_WHIP)
    {
      source = beacon_media_source_create_placeholder (width, height, fps, error);
      self->source_description = g_strdup ("WHIP ingest");
    }
  else
    {
      source = beacon_media_source_create (source_kind, camera, microphone,
                                           &self->source_description, error);
    }
  if (source == NULL)
    return FALSE;
  gst_bin_add (bin, source);

  vconvert = beacon_media_make_element ("videoconvert", NULL, error);
  vscale = beacon_media_make_element ("videoscale", NULL, error);
  vrate = beacon_media_make_element ("videorate", NULL, error);
  vcaps = beacon_media_make_element ("capsfilter", NULL, error);
  vqueue = beacon_media_make_element ("queue", NULL, error);
  encoder = make_video_encoder (codec, fps, width, height, error);
  if (codec == BEACON_CODEC_H264)
    {
      vparse = beacon_media_make_element ("h264parse", NULL, error);
      vpay = beacon_media_make_element ("rtph264pay", NULL, error);
    }
  else
    {
      vpay = beacon_media_make_element ("rtpvp8pay", NULL, error);
    }
  vrtpcaps = beacon_media_make_element ("capsfilter", NULL, error);
  video_tee = beacon_media_make_element ("tee", "video-tee", error);

  aconvert = beacon_media_make_element ("audioconvert", NULL, error);
  aresample = beacon_media_make_element ("audioresample", NULL, error);
  aqueue = beacon_media_make_element ("queue", NULL, error);
  aencoder = beacon_media_make_element ("opusenc", NULL, error);
  apay = beacon_media_make_element ("rtpopuspay", NULL, error);
  artpcaps = beacon_media_make_element ("capsfilter", NULL, error);
  audio_tee = beacon_media_make_element ("tee", "audio-tee", error);

  if (preview_sink != NULL)
    raw_tee = beacon_media_make_element ("tee", "raw-video-tee", error);
  if ((preview_sink != NULL && raw_tee == NULL) ||
      !vconvert || !vscale || !vrate || !vcaps || !vqueue || !encoder || !vpay ||
      (codec == BEACON_CODEC_H264 && !vparse) || !vrtpcaps || !video_tee ||
      !aconvert || !aresample || !aqueue || !aencoder || !apay || !artpcaps || !audio_tee)
    {
      GstElement *made[] = { vconvert, vscale, vrate, vcaps, vqueue, encoder, vparse, vpay,
                             vrtpcaps, video_tee, aconvert, aresample, aqueue, aencoder, apay,
                             artpcaps, audio_tee, raw_tee };

      drop_unadded (made, G_N_ELEMENTS (made));
      return FALSE;
    }

  raw_caps = beacon_media_raw_video_caps (width, height, fps);
  g_object_set (vcaps, "caps", raw_caps, NULL);
  /* Only the newest frames matter for live video: drop old ones rather than add delay. */
  g_object_set (vqueue, "max-size-buffers", 3, "max-size-time", (guint64) 0,
                "max-size-bytes", 0, "leaky", 2 /* downstream */, NULL);
  g_object_set (aqueue, "max-size-time", 200 * GST_MSECOND, "leaky", 2, NULL);
  g_object_set (vpay, "pt", VIDEO_PAYLOAD_TYPE, "mtu", 1200, NULL);
  g_object_set (apay, "pt", AUDIO_PAYLOAD_TYPE, "mtu", 1200, NULL);
  g_object_set (aencoder, "inband-fec", TRUE, "packet-loss-percentage",
                OPUS_EXPECTED_LOSS_PERCENT, NULL);
  g_object_set (video_tee, "allow-not-linked", TRUE, NULL);
  g_object_set (audio_tee, "allow-not-linked", TRUE, NULL);

  if (codec == BEACON_CODEC_H264)
    {
      g_autoptr(GstCaps) h264_caps = gst_caps_from_string ("video/x-h264,profile=constrained-baseline,"
                                                                   "level=(string)3.1");

      /* Send SPS/PPS with every key frame so that a viewer joining late can decode. */
      g_object_set (vpay, "config-interval", -1, "aggregate-mode", 1 /* zero-latency */, NULL);
      g_object_set (vparse, "config-interval", -1, NULL);
      /* Announce the fmtp the payloader will derive from the SPS (constrained baseline 3.1),
       * so that an offer made before the first frame already carries it. */
      rtp_video_caps = gst_caps_from_string ("application/x-rtp,media=video,encoding-name=H264,"
                                             "clock-rate=90000,packetization-mode=(string)1,"
                                             "profile-level-id=(string)42c01f");
      gst_bin_add_many (bin, vconvert, vscale, vrate, vcaps, vqueue, encoder, vparse, vpay,
                        vrtpcaps, video_tee, NULL);
      if (!gst_element_link_many (vconvert, vscale, vrate, vcaps, vqueue, encoder, NULL) ||
          !gst_element_link_filtered (encoder, vparse, h264_caps) ||
          !gst_element_link_many (vparse, vpay, vrtpcaps, video_tee, NULL))
        goto link_failed;
    }
  else
    {
      rtp_video_caps = gst_caps_from_string ("application/x-rtp,media=video,encoding-name=VP8,"
                                             "clock-rate=90000");
      gst_bin_add_many (bin, vconvert, vscale, vrate, vcaps, vqueue, encoder, vpay, vrtpcaps,
                        video_tee, NULL);
      if (!gst_element_link_many (vconvert, vscale, vrate, vcaps, vqueue, encoder, vpay,
                                  vrtpcaps, video_tee, NULL))
        goto link_failed;
    }
  /* A fixed SSRC in the caps puts a=ssrc in every offer, even one made before the encoder's
   * first buffer: Janus drops bundled RTP whose SSRC the SDP did not announce. */
  g_object_set (vpay, "ssrc", video_ssrc, NULL);
  g_object_set (apay, "ssrc", audio_ssrc, NULL);
  gst_caps_set_simple (rtp_video_caps, "payload", G_TYPE_INT, VIDEO_PAYLOAD_TYPE,
                       "ssrc", G_TYPE_UINT, video_ssrc, NULL);
  g_object_set (vrtpcaps, "caps", rtp_video_caps, NULL);

  rtp_audio_caps = gst_caps_from_string ("application/x-rtp,media=audio,encoding-name=OPUS,"
                                         "clock-rate=48000,useinbandfec=(string)1");
  gst_caps_set_simple (rtp_audio_caps, "payload", G_TYPE_INT, AUDIO_PAYLOAD_TYPE,
                       "ssrc", G_TYPE_UINT, audio_ssrc, NULL);
  g_object_set (artpcaps, "caps", rtp_audio_caps, NULL);
  gst_bin_add_many (bin, aconvert, aresample, aqueue, aencoder, apay, artpcaps, audio_tee, NULL);
  if (!gst_element_link_many (aconvert, aresample, aqueue, aencoder, apay, artpcaps, audio_tee,
                              NULL))
    goto link_failed;

  if (source_kind == BEACON_SOURCE_WHIP)
    {
      video_selector = beacon_media_make_element ("input-selector", "video-selector", error);
      audio_selector = video_selector
                         ? beacon_media_make_element ("input-selector", "audio-selector", error)
                         : NULL;
      if (audio_selector == NULL)
        {
          GstElement *made[] = { video_selector };

          drop_unadded (made, G_N_ELEMENTS (made));
          return FALSE;
        }
      /* Inactive inputs drop their buffers at once instead of waiting for the active one: the
       * placeholder and the publisher run on unrelated timelines. */
      g_object_set (video_selector, "sync-streams", FALSE, "cache-buffers", FALSE, NULL);
      g_object_set (audio_selector, "sync-streams", FALSE, "cache-buffers", FALSE, NULL);
      gst_bin_add_many (bin, video_selector, audio_selector, NULL);
      if (!gst_element_link_pads (source, "video", video_selector, "sink_%u") ||
          !gst_element_link_pads (source, "audio", audio_selector, "sink_%u") ||
          !gst_element_link (video_selector, vconvert) ||
          !gst_element_link (audio_selector, aconvert))
        goto link_failed;
    }
  else if (!gst_element_link_pads (source, "video", vconvert, "sink") ||
           !gst_element_link_pads (source, "audio", aconvert, "sink"))
    goto link_failed;

  if (raw_tee != NULL)
    {
      /* vcaps → raw tee → (encoder queue, preview) instead of vcaps → encoder queue. */
      gst_element_unlink (vcaps, vqueue);
      gst_bin_add (bin, raw_tee);
      if (!gst_element_link_many (vcaps, raw_tee, vqueue, NULL))
        goto link_failed;
      if (!add_preview (self, raw_tee, preview_sink, error))
        return FALSE;
    }

  {
    g_autoptr(GstPad) tee_sink = gst_element_get_static_pad (video_tee, "sink");

    gst_pad_add_probe (tee_sink, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                       count_encoded_bytes_cb, self, NULL);
  }

  self->video_encoder = gst_object_ref (encoder);
  self->video_tee = gst_object_ref (video_tee);
  self->audio_tee = gst_object_ref (audio_tee);
  if (video_selector != NULL)
    {
      self->video_selector = gst_object_ref (video_selector);
      self->audio_selector = gst_object_ref (audio_selector);
    }
  return TRUE;

link_failed:
  {
    /* The raw tee joins the bin last: a link that failed before it leaves it ours. */
    GstElement *made[] = { raw_tee };

    drop_unadded (made, G_N_ELEMENTS (made));
  }
  g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
               "could not build the %s broadcast pipeline at %ux%u, %u fps",
               beacon_codec_to_string (codec), width, height, fps);
  return FALSE;
}

BeaconBroadcastPipeline *
beacon_broadcast_pipeline_new (BeaconSourceKind   source,
                               GstDevice         *camera,
                               GstDevice         *microphone,
                               GstElement        *preview_sink,
                               BeaconCodec        codec,
                               guint              width,
                               guint              height,
                               guint              fps,
                               GError           **error)
{
  g_autoptr(BeaconBroadcastPipeline) self = g_object_new (BEACON_TYPE_BROADCAST_PIPELINE, NULL);
  g_autoptr(GstBus) bus = NULL;

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("broadcast"));
  self->codec = codec;
  self->width = width;
  self->height = height;
  self->fps = fps;
  if (!build (self, source, camera, microphone, preview_sink, codec, width, height, fps, error))
    return NULL;

  self->key_frames = beacon_key_frame_limiter_new (self->video_encoder,
                                                   KEY_FRAME_MIN_INTERVAL_MS);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, bus_message_cb, self);
  return g_steal_pointer (&self);
}

gboolean
beacon_broadcast_pipeline_start (BeaconBroadcastPipeline  *self,
                                 GError                  **error)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), FALSE);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "could not start capturing from %s", self->source_description);
      return FALSE;
    }
  return TRUE;
}

void
beacon_broadcast_pipeline_stop (BeaconBroadcastPipeline *self)
{
  g_return_if_fail (BEACON_IS_BROADCAST_PIPELINE (self));
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
}

GstBin *
beacon_broadcast_pipeline_get_bin (BeaconBroadcastPipeline *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), NULL);
  return GST_BIN (self->pipeline);
}

const char *
beacon_broadcast_pipeline_get_source_description (BeaconBroadcastPipeline *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), NULL);
  return self->source_description;
}

gboolean
beacon_broadcast_pipeline_attach_peer (BeaconBroadcastPipeline  *self,
                                       GstElement               *webrtcbin,
                                       const char               *remote_offer,
                                       GError                  **error)
{
  GPtrArray *branches;
  int video_pt = -1;
  int audio_pt = -1;
  g_autofree char *profile_level_id = NULL;
  g_autofree char *unused_profile = NULL;

  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), FALSE);

  if (remote_offer != NULL)
    {
      g_autoptr(GstSDPMessage) offer = NULL;
      const char *encoding = self->codec == BEACON_CODEC_H264 ? "H264" : "VP8";

      gst_sdp_message_new_from_text (remote_offer, &offer);
      video_pt = offer ? beacon_sdp_find_payload_type (offer, "video", encoding,
                                                       &profile_level_id)
                       : -1;
      audio_pt = offer ? beacon_sdp_find_payload_type (offer, "audio", "OPUS", &unused_profile)
                       : -1;
      if (video_pt < 0)
        {
          g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                       "the viewer cannot receive %s video (its offer does not list it)",
                       self->codec == BEACON_CODEC_H264 ? "H.264" : "VP8");
          return FALSE;
        }
    }

  branches = g_ptr_array_new_with_free_func (beacon_viewer_branch_free);
  g_hash_table_insert (self->branches, gst_object_ref (webrtcbin), branches);

  /* The webrtcbin must be playing before the first buffer reaches it: a buffer pushed into an
   * element still in NULL returns FLUSHING, which stops the branch's queue for good. */
  gst_element_sync_state_with_parent (webrtcbin);
  if (!beacon_viewer_branch_attach (GST_BIN (self->pipeline), self->video_tee, webrtcbin,
                                    branches, video_pt, profile_level_id, error) ||
      ((remote_offer == NULL || audio_pt >= 0) &&
       !beacon_viewer_branch_attach (GST_BIN (self->pipeline), self->audio_tee, webrtcbin,
                                     branches, audio_pt, NULL, error)))
    {
      beacon_broadcast_pipeline_detach_peer (self, webrtcbin);
      return FALSE;
    }
  return TRUE;
}

void
beacon_broadcast_pipeline_detach_peer (BeaconBroadcastPipeline *self,
                                       GstElement              *webrtcbin)
{
  GPtrArray *branches;

  g_return_if_fail (BEACON_IS_BROADCAST_PIPELINE (self));

  branches = g_hash_table_lookup (self->branches, webrtcbin);
  if (branches == NULL)
    return;

  for (guint i = 0; i < branches->len; i++)
    beacon_viewer_branch_unlink (g_ptr_array_index (branches, i));

  /* A branch's queue may be blocked pushing into the webrtcbin (waiting for a connection that
   * never came): only stopping the webrtcbin lets the queue's task end. Locked, so that no
   * state change of the pipeline starts it again. */
  gst_element_set_locked_state (webrtcbin, TRUE);
  gst_element_set_state (webrtcbin, GST_STATE_NULL);

  for (guint i = 0; i < branches->len; i++)
    beacon_viewer_branch_remove (g_ptr_array_index (branches, i), GST_BIN (self->pipeline));
  g_hash_table_remove (self->branches, webrtcbin);
}

void
beacon_broadcast_pipeline_request_key_frame (BeaconBroadcastPipeline *self)
{
  g_return_if_fail (BEACON_IS_BROADCAST_PIPELINE (self));
  beacon_key_frame_limiter_request (self->key_frames);
}

void
beacon_broadcast_pipeline_set_key_frame_interval (BeaconBroadcastPipeline *self,
                                                  guint                    seconds)
{
  g_return_if_fail (BEACON_IS_BROADCAST_PIPELINE (self));
  g_return_if_fail (seconds > 0);

  if (self->codec == BEACON_CODEC_H264)
    g_object_set (self->video_encoder, "key-int-max", self->fps * seconds, NULL);
  else
    g_object_set (self->video_encoder, "keyframe-max-dist", (int) (self->fps * seconds), NULL);
}

BeaconKeyFrameLimiter *
beacon_broadcast_pipeline_get_key_frame_limiter (BeaconBroadcastPipeline *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), NULL);
  return self->key_frames;
}


/* WHIP ingest */

static GstPadProbeReturn
count_ingest_frames_cb (GstPad          *pad,
                        GstPadProbeInfo *info,
                        gpointer         user_data)
{
  BeaconBroadcastPipeline *self = user_data;
  g_autoptr(GstPad) active = NULL;
  GstElement *selector = GST_PAD_PARENT (pad) ? GST_ELEMENT (GST_PAD_PARENT (pad)) : NULL;

  /* Only frames that go on to the encoder count: those of the active input. */
  if (selector != NULL)
    g_object_get (selector, "active-pad", &active, NULL);
  if (active == pad)
    {
      g_mutex_lock (&self->ingest_lock);
      self->ingest_frames++;
      g_mutex_unlock (&self->ingest_lock);
    }
  return GST_PAD_PROBE_OK;
}

/* Decoded media of the publisher: converted to the broadcast's raw format, then made the
 * active input of its medium's selector. Runs on a streaming thread. */
static void
ingest_decoded_pad_added_cb (GstElement              *decodebin,
                             GstPad                  *pad,
                             BeaconBroadcastPipeline *self)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstCaps) target_caps = NULL;
  g_autoptr(GstPad) chain_sink = NULL;
  g_autoptr(GstPad) chain_src = NULL;
  GstElement *selector;
  GstElement *chain[5] = { NULL, };
  guint n_chain;
  GstPad *selector_pad;
  const char *media;
  gboolean is_video;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (media, "video/x-raw"))
    is_video = TRUE;
  else if (g_str_has_prefix (media, "audio/x-raw"))
    is_video = FALSE;
  else
    return;

  g_mutex_lock (&self->ingest_lock);
  if (self->ingest_webrtcbin == NULL ||
      !g_ptr_array_find (self->ingest_elements, decodebin, NULL))
    {
      g_mutex_unlock (&self->ingest_lock);
      return;
    }

  if (is_video)
    {
      selector = self->video_selector;
      target_caps = beacon_media_raw_video_caps (self->width, self->height, self->fps);
      chain[0] = gst_element_factory_make ("videoconvert", NULL);
      chain[1] = gst_element_factory_make ("videoscale", NULL);
      chain[2] = gst_element_factory_make ("videorate", NULL);
      chain[3] = gst_element_factory_make ("capsfilter", NULL);
      n_chain = 4;
    }
  else
    {
      selector = self->audio_selector;
      target_caps = beacon_media_raw_audio_caps ();
      chain[0] = gst_element_factory_make ("audioconvert", NULL);
      chain[1] = gst_element_factory_make ("audioresample", NULL);
      chain[2] = gst_element_factory_make ("capsfilter", NULL);
      n_chain = 3;
    }
  g_object_set (chain[n_chain - 1], "caps", target_caps, NULL);
  for (guint i = 0; i < n_chain; i++)
    {
      gst_bin_add (GST_BIN (self->pipeline), chain[i]);
      g_ptr_array_add (self->ingest_elements, gst_object_ref (chain[i]));
      if (i > 0)
        gst_element_link (chain[i - 1], chain[i]);
    }
  selector_pad = gst_element_request_pad_simple (selector, "sink_%u");
  g_ptr_array_add (self->ingest_pads, selector_pad);
  chain_src = gst_element_get_static_pad (chain[n_chain - 1], "src");
  gst_pad_link (chain_src, selector_pad);
  if (is_video)
    gst_pad_add_probe (selector_pad, GST_PAD_PROBE_TYPE_BUFFER, count_ingest_frames_cb, self,
                       NULL);
  for (guint i = n_chain; i > 0; i--)
    gst_element_sync_state_with_parent (chain[i - 1]);
  chain_sink = gst_element_get_static_pad (chain[0], "sink");
  if (gst_pad_link (pad, chain_sink) != GST_PAD_LINK_OK)
    g_warning ("could not link the WHIP publisher's %s", is_video ? "video" : "audio");
  g_object_set (selector, "active-pad", selector_pad, NULL);
  g_mutex_unlock (&self->ingest_lock);
  g_message ("whip ingest: the publisher's %s is on the air", is_video ? "video" : "audio");
  if (is_video)
    beacon_broadcast_pipeline_request_key_frame (self);
}

/* Received RTP of the publisher's webrtcbin. Runs on a streaming thread. */
static void
ingest_received_pad_added_cb (GstElement              *webrtcbin,
                              GstPad                  *pad,
                              BeaconBroadcastPipeline *self)
{
  g_autoptr(GstPad) decodebin_sink = NULL;
  GstElement *decodebin;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  g_mutex_lock (&self->ingest_lock);
  if (self->ingest_webrtcbin != webrtcbin)
    {
      g_mutex_unlock (&self->ingest_lock);
      return;
    }
  decodebin = gst_element_factory_make ("decodebin", NULL);
  g_ptr_array_add (self->ingest_elements, gst_object_ref (decodebin));
  g_signal_connect_object (decodebin, "pad-added", G_CALLBACK (ingest_decoded_pad_added_cb),
                           self, 0);
  gst_bin_add (GST_BIN (self->pipeline), decodebin);
  gst_element_sync_state_with_parent (decodebin);
  decodebin_sink = gst_element_get_static_pad (decodebin, "sink");
  if (gst_pad_link (pad, decodebin_sink) != GST_PAD_LINK_OK)
    g_warning ("could not link the WHIP publisher's stream to a decoder");
  g_mutex_unlock (&self->ingest_lock);
}

gboolean
beacon_broadcast_pipeline_attach_ingest (BeaconBroadcastPipeline  *self,
                                         GstElement               *webrtcbin,
                                         GError                  **error)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), FALSE);

  if (self->video_selector == NULL)
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "this broadcast does not take a WHIP stream (its source is not 'whip')");
      return FALSE;
    }
  g_mutex_lock (&self->ingest_lock);
  if (self->ingest_webrtcbin != NULL)
    {
      g_mutex_unlock (&self->ingest_lock);
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "the broadcast already takes a WHIP stream");
      return FALSE;
    }
  self->ingest_webrtcbin = webrtcbin;
  g_mutex_unlock (&self->ingest_lock);
  g_signal_connect_object (webrtcbin, "pad-added", G_CALLBACK (ingest_received_pad_added_cb),
                           self, 0);
  return TRUE;
}

static void
select_placeholder (GstElement *selector)
{
  g_autoptr(GstPad) placeholder = NULL;

  if (selector == NULL)
    return;
  placeholder = gst_element_get_static_pad (selector, "sink_0");
  if (placeholder != NULL)
    g_object_set (selector, "active-pad", placeholder, NULL);
}

void
beacon_broadcast_pipeline_detach_ingest (BeaconBroadcastPipeline *self)
{
  g_autoptr(GPtrArray) elements = NULL;
  g_autoptr(GPtrArray) pads = NULL;

  g_return_if_fail (BEACON_IS_BROADCAST_PIPELINE (self));

  g_mutex_lock (&self->ingest_lock);
  if (self->ingest_webrtcbin == NULL && self->ingest_elements->len == 0)
    {
      g_mutex_unlock (&self->ingest_lock);
      return;
    }
  if (self->ingest_webrtcbin != NULL)
    g_signal_handlers_disconnect_by_func (self->ingest_webrtcbin,
                                          ingest_received_pad_added_cb, self);
  self->ingest_webrtcbin = NULL;
  elements = g_steal_pointer (&self->ingest_elements);
  pads = g_steal_pointer (&self->ingest_pads);
  self->ingest_elements = g_ptr_array_new_with_free_func (gst_object_unref);
  self->ingest_pads = g_ptr_array_new_with_free_func (gst_object_unref);
  /* Back to the placeholder before the publisher's branch goes, so the encoders never
   * starve. */
  select_placeholder (self->video_selector);
  select_placeholder (self->audio_selector);
  g_mutex_unlock (&self->ingest_lock);

  for (guint i = 0; i < elements->len; i++)
    {
      GstElement *element = g_ptr_array_index (elements, i);

      g_signal_handlers_disconnect_by_data (element, self);
      gst_element_set_state (element, GST_STATE_NULL);
      if (GST_OBJECT_PARENT (element) == GST_OBJECT (self->pipeline))
        gst_bin_remove (GST_BIN (self->pipeline), element);
    }
  for (guint i = 0; i < pads->len; i++)
    {
      GstPad *pad = g_ptr_array_index (pads, i);
      GstElement *selector = GST_ELEMENT (gst_pad_get_parent (pad));

      if (selector != NULL)
        {
          gst_element_release_request_pad (selector, pad);
          gst_object_unref (selector);
        }
    }
}

guint64
beacon_broadcast_pipeline_get_ingest_frames (BeaconBroadcastPipeline *self)
{
  guint64 frames;

  g_return_val_if_fail (BEACON_IS_BROADCAST_PIPELINE (self), 0);
  g_mutex_lock (&self->ingest_lock);
  frames = self->ingest_frames;
  g_mutex_unlock (&self->ingest_lock);
  return frames;
}

static void
beacon_broadcast_pipeline_dispose (GObject *object)
{
  BeaconBroadcastPipeline *self = BEACON_BROADCAST_PIPELINE (object);

  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->key_frames != NULL)
    beacon_key_frame_limiter_detach (self->key_frames);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->key_frames);
  g_hash_table_remove_all (self->branches);
  beacon_broadcast_pipeline_detach_ingest (self);
  gst_clear_object (&self->video_selector);
  gst_clear_object (&self->audio_selector);
  gst_clear_object (&self->video_encoder);
  gst_clear_object (&self->video_tee);
  gst_clear_object (&self->audio_tee);
  gst_clear_object (&self->pipeline);

  G_OBJECT_CLASS (beacon_broadcast_pipeline_parent_class)->dispose (object);
}

static void
beacon_broadcast_pipeline_finalize (GObject *object)
{
  BeaconBroadcastPipeline *self = BEACON_BROADCAST_PIPELINE (object);

  g_hash_table_unref (self->branches);
  g_ptr_array_unref (self->ingest_elements);
  g_ptr_array_unref (self->ingest_pads);
  g_mutex_clear (&self->ingest_lock);
  g_free (self->source_description);
  g_mutex_clear (&self->bytes_lock);

  G_OBJECT_CLASS (beacon_broadcast_pipeline_parent_class)->finalize (object);
}

static void
beacon_broadcast_pipeline_class_init (BeaconBroadcastPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_broadcast_pipeline_dispose;
  object_class->finalize = beacon_broadcast_pipeline_finalize;

  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_VIEWER_FAILED] =
    g_signal_new ("viewer-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, GST_TYPE_ELEMENT, G_TYPE_ERROR);
}

static void
beacon_broadcast_pipeline_init (BeaconBroadcastPipeline *self)
{
  self->branches = g_hash_table_new_full (NULL, NULL, gst_object_unref,
                                          (GDestroyNotify) g_ptr_array_unref);
  g_mutex_init (&self->bytes_lock);
  g_mutex_init (&self->ingest_lock);
  self->ingest_elements = g_ptr_array_new_with_free_func (gst_object_unref);
  self->ingest_pads = g_ptr_array_new_with_free_func (gst_object_unref);
}

/* beacon-watch-pipeline.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-watch-pipeline.h"

#include "beacon-latency-stamp.h"
#include "beacon-media-source.h"
#include "beacon-peer-timeline.h"

#include <gst/video/video.h>
#include <string.h>

struct _BeaconWatchPipeline
{
  GObject       parent_instance;

  GMainContext *context;
  GstElement   *pipeline;
  GstElement   *video_sink;
  GstElement   *audio_sink;
  guint         bus_watch;
  guint         key_frame_timer;
  GWeakRef      webrtcbin;        /* the newest peer's, for the key frame requests */

  /* Written by the streaming thread, read on the main context. */
  gint          frames_decoded;   /* atomic */
  GMutex        freeze_lock;
  gint64        last_frame_us;    /* under freeze_lock */
  gint64        longest_freeze_us; /* under freeze_lock: the longest gap after the first frame */
  gint          notify_pending;   /* atomic */
  gboolean      first_frame_seen;
  /* The sink chains, made for the first stream of each kind and kept (the pipeline owns them):
   * a peer that replaces another (a reconnect) links its streams to the same sinks. */
  GstElement   *video_chain;
  BeaconLatencyMeter *latency_meter; /* reads the stamps of a Beacon test pattern */
  GstElement   *audio_chain;
  GMutex        chain_lock;
};

/* The webrtcbin a decodebin decodes for, compared by pointer only (beacon_watch_pipeline_detach_peer ()). */
#define WEBRTCBIN_KEY "beacon-webrtcbin"
/* The timeline of the peer a webrtcbin or a decodebin belongs to (a reference). */
#define TIMELINE_KEY "beacon-timeline"

enum {
  PROP_0,
  PROP_FRAMES_DECODED,
  N_PROPS
};

enum {
  SIGNAL_FIRST_FRAME,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeaconWatchPipeline, beacon_watch_pipeline, G_TYPE_OBJECT)

static void
emit_failed (BeaconWatchPipeline *self,
             const char          *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
emit_failed (BeaconWatchPipeline *self,
             const char          *format,
             ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE, format, args);
  va_end (args);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

static gboolean
bus_message_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  BeaconWatchPipeline *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &gst_error, &debug);
      g_debug ("watch pipeline error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
               gst_error->message, debug ? debug : "");
      emit_failed (self, "playing the stream failed: %s", gst_error->message);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
notify_frames_in_main (gpointer data)
{
  BeaconWatchPipeline *self = data;

  g_atomic_int_set (&self->notify_pending, 0);
  if (!self->first_frame_seen)
    {
      self->first_frame_seen = TRUE;
      g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES_DECODED]);
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
video_frame_probe_cb (GstPad          *pad,
                      GstPadProbeInfo *info,
                      gpointer         user_data)
{
  BeaconWatchPipeline *self = user_data;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->freeze_lock);
  if (self->last_frame_us != 0)
    self->longest_freeze_us = MAX (self->longest_freeze_us, now - self->last_frame_us);
  self->last_frame_us = now;
  g_mutex_unlock (&self->freeze_lock);
  g_atomic_int_inc (&self->frames_decoded);
  /* Coalesce: at most one pending notification, however fast frames arrive. */
  if (g_atomic_int_compare_and_exchange (&self->notify_pending, 0, 1))
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, notify_frames_in_main,
                                g_object_ref (self), g_object_unref);
  return GST_PAD_PROBE_OK;
}

static GstElement *
make_sink_chain (BeaconWatchPipeline *self,
                 gboolean             is_video)
{
  GstElement *bin = gst_bin_new (NULL);
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  GstElement *sink = is_video ? self->video_sink : self->audio_sink;
  GstElement *first_convert;
  GstElement *last;
  g_autoptr(GstPad) sink_pad = NULL;

  gst_bin_add (GST_BIN (bin), queue);
  if (is_video)
    {
      first_convert = gst_element_factory_make ("videoconvert", NULL);
      gst_bin_add (GST_BIN (bin), first_convert);
      gst_element_link (queue, first_convert);
      last = first_convert;
    }
  else
    {
      GstElement *resample = gst_element_factory_make ("audioresample", NULL);

      first_convert = gst_element_factory_make ("audioconvert", NULL);
      gst_bin_add_many (GST_BIN (bin), first_convert, resample, NULL);
      gst_element_link_many (queue, first_convert, resample, NULL);
      last = resample;
    }
  gst_bin_add (GST_BIN (bin), sink);
  gst_element_link (last, sink);

  sink_pad = gst_element_get_static_pad (queue, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", sink_pad));
  /* On the decoder's own frames, before any conversion: the stamp is read in its format. */
  if (is_video)
    beacon_latency_meter_attach (self->latency_meter, sink_pad);

  if (is_video)
    {
      g_autoptr(GstPad) frame_pad = gst_element_get_static_pad (sink, "sink");

      gst_pad_add_probe (frame_pad, GST_PAD_PROBE_TYPE_BUFFER, video_frame_probe_cb, self, NULL);
    }
  return bin;
}

static void
decoded_pad_added_cb (GstElement          *decodebin,
                      GstPad              *pad,
                      BeaconWatchPipeline *self)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *media;
  gboolean is_video;
  GstElement **chain;
  g_autoptr(GstPad) chain_sink = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  is_video = g_str_has_prefix (media, "video/");
  if (!is_video && !g_str_has_prefix (media, "audio/"))
    return;
  if (is_video && g_object_get_data (G_OBJECT (decodebin), TIMELINE_KEY) != NULL)
    beacon_peer_timeline_watch_first_buffer (g_object_get_data (G_OBJECT (decodebin),
                                                                TIMELINE_KEY),
                                             pad, BEACON_TIMELINE_FIRST_FRAME, NULL);
  locker = g_mutex_locker_new (&self->chain_lock);
  chain = is_video ? &self->video_chain : &self->audio_chain;
  if (*chain == NULL)
    {
      *chain = make_sink_chain (self, is_video);
      gst_bin_add (GST_BIN (self->pipeline), *chain);
      gst_element_sync_state_with_parent (*chain);
    }
  chain_sink = gst_element_get_static_pad (*chain, "sink");
  /* One video and one audio stream are shown; anything more is left unlinked. */
  if (gst_pad_is_linked (chain_sink))
    return;
  if (gst_pad_link (pad, chain_sink) != GST_PAD_LINK_OK)
    g_debug ("could not link the decoded %s stream", is_video ? "video" : "audio");
}

/* Opus in-band FEC: a lost packet is rebuilt from the copy the next one carries, when the
 * broadcaster's encoder put one there (useinbandfec=1); packet loss concealment otherwise.
 * A video packet that even retransmission did not bring back within the jitter buffer's
 * latency breaks the pictures after it until the next key frame: the depayloader then asks
 * for one at once (a PLI) instead of waiting up to the 2 s of the periodic ones. */
static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory ? gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)) : NULL;

  if (g_strcmp0 (name, "opusdec") == 0)
    g_object_set (element, "use-inband-fec", TRUE, "plc", TRUE, NULL);
  else if (g_strcmp0 (name, "rtpvp8depay") == 0 || g_strcmp0 (name, "rtph264depay") == 0)
    g_object_set (element, "request-keyframe", TRUE, NULL);
}

static void
release_timeline_cb (gpointer  data,
                     GClosure *closure)
{
  beacon_peer_timeline_unref (data);
}

/* The first key frame out of a depayloader: the decoder can start from it. */
static void
decoder_element_added_cb (GstBin             *bin,
                          GstBin             *sub_bin,
                          GstElement         *element,
                          BeaconPeerTimeline *timeline)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *klass = factory ? gst_element_factory_get_metadata (factory,
                                                                  GST_ELEMENT_METADATA_KLASS)
                              : NULL;
  g_autoptr(GstPad) src = NULL;

  /* Audio depayloaders too: the probe removes itself on caps that are not video. */
  if (klass == NULL || strstr (klass, "Depayloader") == NULL)
    return;
  src = gst_element_get_static_pad (element, "src");
  if (src != NULL)
    beacon_peer_timeline_watch_key_frame (timeline, src, BEACON_TIMELINE_FIRST_KEY_FRAME, NULL);
}

static void
received_pad_added_cb (GstElement          *webrtcbin,
                       GstPad              *pad,
                       BeaconWatchPipeline *self)
{
  GstElement *decodebin;
  g_autoptr(GstPad) decodebin_sink = NULL;
  BeaconPeerTimeline *timeline = g_object_get_data (G_OBJECT (webrtcbin), TIMELINE_KEY);

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  decodebin = gst_element_factory_make ("decodebin", NULL);
  g_object_set_data (G_OBJECT (decodebin), WEBRTCBIN_KEY, webrtcbin);
  if (timeline != NULL)
    {
      g_object_set_data_full (G_OBJECT (decodebin), TIMELINE_KEY,
                              beacon_peer_timeline_ref (timeline),
                              (GDestroyNotify) beacon_peer_timeline_unref);
      g_signal_connect_data (decodebin, "deep-element-added",
                             G_CALLBACK (decoder_element_added_cb),
                             beacon_peer_timeline_ref (timeline), release_timeline_cb, 0);
    }
  g_signal_connect_object (decodebin, "pad-added", G_CALLBACK (decoded_pad_added_cb), self, 0);
  gst_bin_add (GST_BIN (self->pipeline), decodebin);
  gst_element_sync_state_with_parent (decodebin);
  decodebin_sink = gst_element_get_static_pad (decodebin, "sink");
  if (gst_pad_link (pad, decodebin_sink) != GST_PAD_LINK_OK)
    g_debug ("could not link a received stream to a decoder");
}

BeaconWatchPipeline *
beacon_watch_pipeline_new (GstElement *video_sink,
                           GstElement *audio_sink)
{
  BeaconWatchPipeline *self = g_object_new (BEACON_TYPE_WATCH_PIPELINE, NULL);
  g_autoptr(GstBus) bus = NULL;

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("watch"));
  if (video_sink == NULL)
    {
      video_sink = gst_element_factory_make ("fakesink", "video-sink");
      g_object_set (video_sink, "sync", FALSE, NULL);
    }
  if (audio_sink == NULL)
    {
      audio_sink = gst_element_factory_make ("fakesink", "audio-sink");
      g_object_set (audio_sink, "sync", FALSE, NULL);
    }
  self->video_sink = gst_object_ref_sink (video_sink);
  self->audio_sink = gst_object_ref_sink (audio_sink);

  g_signal_connect (self->pipeline, "deep-element-added", G_CALLBACK (deep_element_added_cb),
                    NULL);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, bus_message_cb, self);
  return self;
}

/* Sent up from the video sink, the request passes the decoder and the depayloader; the
 * webrtcbin's RTP session turns it into a PLI to the broadcaster, as it does for a decoder
 * that lost its picture. */
static gboolean
request_key_frame_cb (gpointer user_data)
{
  BeaconWatchPipeline *self = user_data;
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->video_sink, "sink");
  g_autoptr(GstElement) webrtcbin = g_weak_ref_get (&self->webrtcbin);
  g_autoptr(GstElement) rtpbin = webrtcbin ? gst_bin_get_by_name (GST_BIN (webrtcbin), "rtpbin")
                                           : NULL;
  g_autoptr(GObject) session = NULL;

  /* The RTP session sends at most one PLI per RTCP packet, and under RFC 4585 its regular
   * packets come no more often than its minimum interval (5 s by default): without it, RTCP
   * follows the stream's bandwidth, and the requests go out about as fast as they are made,
   * as a browser's would. */
  if (rtpbin != NULL)
    g_signal_emit_by_name (rtpbin, "get-internal-session", 0, &session);
  if (session != NULL)
    g_object_set (session, "rtcp-min-interval", (guint64) 0, NULL);

  /* Without all-headers the RTP session sends a PLI; with it, a FIR, whose repeats with the
   * same sequence number a sender rightly ignores. */
  if (pad != NULL && gst_pad_is_linked (pad))
    gst_pad_push_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                          FALSE, 0));
  return G_SOURCE_CONTINUE;
}

void
beacon_watch_pipeline_set_key_frame_request_interval (BeaconWatchPipeline *self,
                                                      guint                interval_ms)
{
  g_return_if_fail (BEACON_IS_WATCH_PIPELINE (self));

  g_clear_handle_id (&self->key_frame_timer, g_source_remove);
  if (interval_ms > 0)
    self->key_frame_timer = g_timeout_add (interval_ms, request_key_frame_cb, self);
}

GstBin *
beacon_watch_pipeline_get_bin (BeaconWatchPipeline *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PIPELINE (self), NULL);
  return GST_BIN (self->pipeline);
}

void
beacon_watch_pipeline_attach_peer (BeaconWatchPipeline *self,
                                   GstElement          *webrtcbin,
                                   BeaconPeerTimeline  *timeline)
{
  g_return_if_fail (BEACON_IS_WATCH_PIPELINE (self));
  g_weak_ref_set (&self->webrtcbin, webrtcbin);
  if (timeline != NULL)
    g_object_set_data_full (G_OBJECT (webrtcbin), TIMELINE_KEY,
                            beacon_peer_timeline_ref (timeline),
                            (GDestroyNotify) beacon_peer_timeline_unref);
  g_signal_connect_object (webrtcbin, "pad-added", G_CALLBACK (received_pad_added_cb), self, 0);
}

void
beacon_watch_pipeline_detach_peer (BeaconWatchPipeline *self,
                                   GstElement          *webrtcbin)
{
  g_autoptr(GPtrArray) decoders = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *children;

  g_return_if_fail (BEACON_IS_WATCH_PIPELINE (self));

  g_signal_handlers_disconnect_by_data (webrtcbin, self);
  GST_OBJECT_LOCK (self->pipeline);
  for (children = GST_BIN_CHILDREN (self->pipeline); children != NULL; children = children->next)
    if (g_object_get_data (children->data, WEBRTCBIN_KEY) == webrtcbin)
      g_ptr_array_add (decoders, gst_object_ref (children->data));
  GST_OBJECT_UNLOCK (self->pipeline);
  /* Removing a decoder unlinks it from the sink chains, free for the next peer's streams. */
  for (guint i = 0; i < decoders->len; i++)
    {
      GstElement *decoder = g_ptr_array_index (decoders, i);

      gst_element_set_locked_state (decoder, TRUE);
      gst_element_set_state (decoder, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (self->pipeline), decoder);
    }
}

gboolean
beacon_watch_pipeline_start (BeaconWatchPipeline  *self,
                             GError              **error)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PIPELINE (self), FALSE);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "could not start the player");
      return FALSE;
    }
  return TRUE;
}

void
beacon_watch_pipeline_stop (BeaconWatchPipeline *self)
{
  g_return_if_fail (BEACON_IS_WATCH_PIPELINE (self));
  g_clear_handle_id (&self->key_frame_timer, g_source_remove);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
}

guint64
beacon_watch_pipeline_get_frames_decoded (BeaconWatchPipeline *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PIPELINE (self), 0);
  return (guint64) (guint) g_atomic_int_get (&self->frames_decoded);
}

gboolean
beacon_watch_pipeline_get_latency (BeaconWatchPipeline  *self,
                                   BeaconLatencyFigures *figures)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PIPELINE (self), FALSE);
  return beacon_latency_meter_get (self->latency_meter, figures);
}

guint64
beacon_watch_pipeline_get_longest_freeze_ms (BeaconWatchPipeline *self)
{
  gint64 longest;

  g_return_val_if_fail (BEACON_IS_WATCH_PIPELINE (self), 0);
  g_mutex_lock (&self->freeze_lock);
  longest = self->longest_freeze_us;
  g_mutex_unlock (&self->freeze_lock);
  return (guint64) longest / 1000;
}

static void
beacon_watch_pipeline_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeaconWatchPipeline *self = BEACON_WATCH_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_FRAMES_DECODED:
      g_value_set_uint64 (value, beacon_watch_pipeline_get_frames_decoded (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_watch_pipeline_dispose (GObject *object)
{
  BeaconWatchPipeline *self = BEACON_WATCH_PIPELINE (object);

  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_handle_id (&self->key_frame_timer, g_source_remove);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  gst_clear_object (&self->video_sink);
  gst_clear_object (&self->audio_sink);

  G_OBJECT_CLASS (beacon_watch_pipeline_parent_class)->dispose (object);
}

static void
beacon_watch_pipeline_finalize (GObject *object)
{
  BeaconWatchPipeline *self = BEACON_WATCH_PIPELINE (object);

  g_main_context_unref (self->context);
  beacon_latency_meter_free (self->latency_meter);
  g_mutex_clear (&self->chain_lock);
  g_mutex_clear (&self->freeze_lock);
  g_weak_ref_clear (&self->webrtcbin);

  G_OBJECT_CLASS (beacon_watch_pipeline_parent_class)->finalize (object);
}

static void
beacon_watch_pipeline_class_init (BeaconWatchPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = beacon_watch_pipeline_get_property;
  object_class->dispose = beacon_watch_pipeline_dispose;
  object_class->finalize = beacon_watch_pipeline_finalize;

  properties[PROP_FRAMES_DECODED] =
    g_param_spec_uint64 ("frames-decoded", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FIRST_FRAME] =
    g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
beacon_watch_pipeline_init (BeaconWatchPipeline *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->latency_meter = beacon_latency_meter_new ();
  g_mutex_init (&self->chain_lock);
  g_mutex_init (&self->freeze_lock);
  g_weak_ref_init (&self->webrtcbin, NULL);
}

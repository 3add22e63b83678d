/* beacon-peer-timeline.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-peer-timeline.h"

#include "beacon-rtp-key-frame.h"

struct _BeaconPeerTimeline
{
  gint64   origin_us;
  /* Marked from the main context and from streaming threads alike. */
  GMutex   lock;
  gint64   at_us[BEACON_TIMELINE_N_EVENTS];  /* 0: not yet */
  int      offered_locally;                  /* -1: no offer yet */
};

/* The report's names, in the order of BeaconTimelineEvent. */
static const char * const event_names[BEACON_TIMELINE_N_EVENTS] = {
  [BEACON_TIMELINE_SIGNALING_CONNECTED] = "signaling_connected_ms",
  [BEACON_TIMELINE_VIEWER_JOINED] = "viewer_joined_ms",
  [BEACON_TIMELINE_OFFER] = "offer_ms",
  [BEACON_TIMELINE_ANSWER] = "answer_ms",
  [BEACON_TIMELINE_FIRST_REMOTE_CANDIDATE] = "first_remote_candidate_ms",
  [BEACON_TIMELINE_ICE_CONNECTED] = "ice_connected_ms",
  [BEACON_TIMELINE_DTLS_CONNECTED] = "dtls_connected_ms",
  [BEACON_TIMELINE_VERIFIED] = "verified_ms",
  [BEACON_TIMELINE_KEY_FRAME_REQUESTED] = "key_frame_requested_ms",
  [BEACON_TIMELINE_FIRST_KEY_FRAME_SENT] = "first_key_frame_sent_ms",
  [BEACON_TIMELINE_FIRST_RTP] = "first_rtp_ms",
  [BEACON_TIMELINE_FIRST_KEY_FRAME] = "first_key_frame_ms",
  [BEACON_TIMELINE_FIRST_FRAME] = "first_frame_ms",
};

static void
timeline_clear (gpointer data)
{
  BeaconPeerTimeline *self = data;

  g_mutex_clear (&self->lock);
}

BeaconPeerTimeline *
beacon_peer_timeline_new (gint64 origin_us)
{
  BeaconPeerTimeline *self = g_atomic_rc_box_new0 (BeaconPeerTimeline);

  self->origin_us = origin_us;
  self->offered_locally = -1;
  g_mutex_init (&self->lock);
  return self;
}

BeaconPeerTimeline *
beacon_peer_timeline_ref (BeaconPeerTimeline *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
beacon_peer_timeline_unref (BeaconPeerTimeline *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, timeline_clear);
}

gboolean
beacon_peer_timeline_mark_at (BeaconPeerTimeline  *self,
                              BeaconTimelineEvent  event,
                              gint64               when_us)
{
  gboolean kept = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event < BEACON_TIMELINE_N_EVENTS, FALSE);

  g_mutex_lock (&self->lock);
  if (self->at_us[event] == 0)
    {
      /* 0 means "not yet": an event at the origin itself is kept a microsecond later. */
      self->at_us[event] = MAX (when_us, 1);
      kept = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return kept;
}

gboolean
beacon_peer_timeline_mark (BeaconPeerTimeline  *self,
                           BeaconTimelineEvent  event)
{
  return beacon_peer_timeline_mark_at (self, event, g_get_monotonic_time ());
}

gint64
beacon_peer_timeline_get_ms (BeaconPeerTimeline  *self,
                             BeaconTimelineEvent  event)
{
  gint64 at_us;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (event < BEACON_TIMELINE_N_EVENTS, -1);

  g_mutex_lock (&self->lock);
  at_us = self->at_us[event];
  g_mutex_unlock (&self->lock);
  if (at_us == 0)
    return -1;
  return MAX (at_us - self->origin_us, 0) / 1000;
}

void
beacon_peer_timeline_set_offered_locally (BeaconPeerTimeline *self,
                                          gboolean            local)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  if (self->offered_locally < 0)
    self->offered_locally = local ? 1 : 0;
  g_mutex_unlock (&self->lock);
}

static gboolean
is_watching_event (BeaconTimelineEvent event)
{
  return event != BEACON_TIMELINE_VIEWER_JOINED &&
         event != BEACON_TIMELINE_KEY_FRAME_REQUESTED &&
         event != BEACON_TIMELINE_FIRST_KEY_FRAME_SENT;
}

static gboolean
is_broadcasting_event (BeaconTimelineEvent event)
{
  return event != BEACON_TIMELINE_SIGNALING_CONNECTED &&
         event != BEACON_TIMELINE_FIRST_RTP &&
         event != BEACON_TIMELINE_FIRST_KEY_FRAME &&
         event != BEACON_TIMELINE_FIRST_FRAME;
}

JsonObject *
beacon_peer_timeline_to_json (BeaconPeerTimeline *self,
                              gboolean            watching)
{
  JsonObject *object = json_object_new ();
  int offered_locally;

  g_return_val_if_fail (self != NULL, object);

  for (guint event = 0; event < BEACON_TIMELINE_N_EVENTS; event++)
    {
      gint64 ms;

      if (watching ? !is_watching_event (event) : !is_broadcasting_event (event))
        continue;
      ms = beacon_peer_timeline_get_ms (self, event);
      if (ms >= 0)
        json_object_set_int_member (object, event_names[event], ms);
      else
        json_object_set_null_member (object, event_names[event]);
    }
  g_mutex_lock (&self->lock);
  offered_locally = self->offered_locally;
  g_mutex_unlock (&self->lock);
  if (offered_locally < 0)
    json_object_set_null_member (object, "offerer");
  else
    json_object_set_string_member (object, "offerer", offered_locally ? "local" : "remote");
  return object;
}


/* Probes */

typedef struct {
  BeaconPeerTimeline  *timeline;
  BeaconTimelineEvent  event;
  gboolean             key_frame_only;
  gint                *allowed;   /* nullable, g_atomic_rc_box */
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  beacon_peer_timeline_unref (watch->timeline);
  if (watch->allowed != NULL)
    g_atomic_rc_box_release (watch->allowed);
  g_free (watch);
}

/* RTP caps name their encoding; raw or depayloaded video says it with the delta flag. */
static gboolean
is_key_frame (GstBuffer  *buffer,
              const char *encoding_name)
{
  if (encoding_name != NULL)
    return beacon_rtp_key_frame_starts (buffer, encoding_name);
  return !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
}

/* Whether the probed data holds a key frame; REMOVE when the pad carries no video at all. */
static GstPadProbeReturn
look_for_key_frame (GstPad          *pad,
                    GstPadProbeInfo *info,
                    gboolean        *key)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const GstStructure *structure;
  const char *encoding_name = NULL;

  *key = FALSE;
  if (caps == NULL || gst_caps_is_empty (caps))
    return GST_PAD_PROBE_OK;
  structure = gst_caps_get_structure (caps, 0);
  if (gst_structure_has_name (structure, "application/x-rtp"))
    {
      /* Audio packets have no key frames to wait for. */
      if (g_strcmp0 (gst_structure_get_string (structure, "media"), "video") != 0)
        return GST_PAD_PROBE_REMOVE;
      encoding_name = gst_structure_get_string (structure, "encoding-name");
    }
  else if (!g_str_has_prefix (gst_structure_get_name (structure), "video/"))
    {
      return GST_PAD_PROBE_REMOVE;
    }

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      *key = is_key_frame (GST_PAD_PROBE_INFO_BUFFER (info), encoding_name);
    }
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    {
      GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

      for (guint i = 0; i < gst_buffer_list_length (list) && !*key; i++)
        *key = is_key_frame (gst_buffer_list_get (list, i), encoding_name);
    }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
watch_probe_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  Watch *watch = user_data;
  gboolean key = FALSE;

  if (watch->allowed != NULL && !g_atomic_int_get (watch->allowed))
    return GST_PAD_PROBE_OK;
  if (watch->key_frame_only && look_for_key_frame (pad, info, &key) == GST_PAD_PROBE_REMOVE)
    return GST_PAD_PROBE_REMOVE;
  if (watch->key_frame_only && !key)
    return GST_PAD_PROBE_OK;
  beacon_peer_timeline_mark (watch->timeline, watch->event);
  return GST_PAD_PROBE_REMOVE;
}

static void
add_watch (BeaconPeerTimeline  *self,
           GstPad              *pad,
           BeaconTimelineEvent  event,
           gboolean             key_frame_only,
           gint                *allowed)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->timeline = beacon_peer_timeline_ref (self);
  watch->event = event;
  watch->key_frame_only = key_frame_only;
  watch->allowed = allowed != NULL ? g_atomic_rc_box_acquire (allowed) : NULL;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     watch_probe_cb, watch, watch_free);
}

void
beacon_peer_timeline_watch_key_frame (BeaconPeerTimeline  *self,
                                      GstPad              *pad,
                                      BeaconTimelineEvent  event,
                                      gint                *allowed)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (GST_IS_PAD (pad));
  add_watch (self, pad, event, TRUE, allowed);
}

void
beacon_peer_timeline_watch_first_buffer (BeaconPeerTimeline  *self,
                                         GstPad              *pad,
                                         BeaconTimelineEvent  event,
                                         gint                *allowed)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (GST_IS_PAD (pad));
  add_watch (self, pad, event, FALSE, allowed);
}

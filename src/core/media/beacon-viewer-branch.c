/* beacon-viewer-branch.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-viewer-branch.h"

#define GST_USE_UNSTABLE_API
#include <gst/rtp/rtp.h>
#include <gst/webrtc/webrtc.h>

#include "beacon-media-source.h"
#include "beacon-sdp.h"

/* One viewer's branch of one medium: tee pad → leaky queue → (payload type rewrite) →
 * the viewer's webrtcbin. Everything here is per viewer; the encoder stays shared. */
struct _BeaconViewerBranch
{
  GstElement *tee;
  GstPad     *tee_pad;
  GstElement *queue;
  GstElement *retype;   /* nullable: a capssetter giving the branch the viewer's payload type */
};


void
beacon_viewer_branch_free (gpointer data)
{
  BeaconViewerBranch *branch = data;

  gst_clear_object (&branch->tee_pad);
  gst_clear_object (&branch->tee);
  gst_clear_object (&branch->queue);
  gst_clear_object (&branch->retype);
  g_free (branch);
}

static gboolean
rewrite_one_payload_type (GstBuffer **buffer,
                          guint       index,
                          gpointer    user_data)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  *buffer = gst_buffer_make_writable (*buffer);
  /* Mapping for writing copies the memory the other viewers' branches share. */
  if (gst_rtp_buffer_map (*buffer, GST_MAP_READWRITE, &rtp))
    {
      gst_rtp_buffer_set_payload_type (&rtp, GPOINTER_TO_UINT (user_data));
      gst_rtp_buffer_unmap (&rtp);
    }
  return TRUE;
}

static GstPadProbeReturn
rewrite_payload_type_cb (GstPad          *pad,
                         GstPadProbeInfo *info,
                         gpointer         user_data)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

      rewrite_one_payload_type (&buffer, 0, user_data);
      GST_PAD_PROBE_INFO_DATA (info) = buffer;
    }
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    {
      GstBufferList *list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));

      gst_buffer_list_foreach (list, rewrite_one_payload_type, user_data);
      GST_PAD_PROBE_INFO_DATA (info) = list;
    }
  return GST_PAD_PROBE_OK;
}

gboolean
beacon_viewer_branch_attach (GstBin      *pipeline,
                             GstElement  *tee,
                             GstElement  *webrtcbin,
                             GPtrArray   *branches,
                             int          payload_type,
                             const char  *profile_level_id,
                             GError     **error)
{
  g_autoptr(GstPad) tee_sink = gst_element_get_static_pad (tee, "sink");
  g_autoptr(GstCaps) current = gst_pad_get_current_caps (tee_sink);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) queue_sink = NULL;
  g_autoptr(GstPad) branch_src = NULL;
  g_autoptr(GstPad) webrtc_sink = NULL;
  g_autoptr(GstElement) tee_element = gst_object_ref (tee);
  GstPadTemplate *template;
  GstWebRTCRTPTransceiver *transceiver = NULL;
  BeaconViewerBranch *branch = g_new0 (BeaconViewerBranch, 1);
  int own_payload_type = -1;
  const char *own_profile;

  caps = current ? gst_caps_copy (current) : gst_pad_get_allowed_caps (tee_sink);
  gst_structure_get_int (gst_caps_get_structure (caps, 0), "payload", &own_payload_type);

  branch->tee = g_steal_pointer (&tee_element);
  branch->queue = gst_object_ref (gst_element_factory_make ("queue", NULL));
  g_object_set (branch->queue, "max-size-time", 500 * GST_MSECOND, "max-size-bytes", 0,
                "max-size-buffers", 0, "leaky", 2 /* downstream */, NULL);
  g_ptr_array_add (branches, branch);
  gst_bin_add (pipeline, branch->queue);
  branch_src = gst_element_get_static_pad (branch->queue, "src");

  /* The stream is payloaded once for every viewer; a viewer that chose other payload type
   * numbers in its offer gets them rewritten on its own branch. */
  own_profile = gst_structure_get_string (gst_caps_get_structure (caps, 0), "profile-level-id");
  if ((payload_type >= 0 && payload_type != own_payload_type) ||
      (profile_level_id != NULL && g_ascii_strcasecmp (profile_level_id, own_profile ? own_profile : "") != 0))
    {
      g_autoptr(GstCaps) retype_caps = NULL;

      if (payload_type < 0)
        payload_type = own_payload_type;
      retype_caps = gst_caps_new_simple ("application/x-rtp", "payload", G_TYPE_INT, payload_type,
                                         NULL);

      /* Constrained baseline is announced as 42c01f by the payloader and usually offered as
       * 42e01f: the same stream, so it is described in the viewer's words. A constrained
       * baseline stream is also a valid baseline one, for a viewer that offers only that. */
      if (profile_level_id != NULL)
        {
          const char *profile = beacon_sdp_h264_is_constrained_baseline (profile_level_id)
                                  ? "constrained-baseline" : "baseline";

          gst_caps_set_simple (retype_caps, "profile-level-id", G_TYPE_STRING, profile_level_id,
                               "profile", G_TYPE_STRING, profile, NULL);
          gst_caps_set_simple (caps, "profile-level-id", G_TYPE_STRING, profile_level_id,
                               "profile", G_TYPE_STRING, profile, NULL);
        }
      g_autoptr(GstPad) retype_sink = NULL;

      branch->retype = gst_object_ref (gst_element_factory_make ("capssetter", NULL));
      g_object_set (branch->retype, "caps", retype_caps, NULL);
      gst_bin_add (pipeline, branch->retype);
      retype_sink = gst_element_get_static_pad (branch->retype, "sink");
      gst_pad_link (branch_src, retype_sink);
      g_clear_object (&branch_src);
      branch_src = gst_element_get_static_pad (branch->retype, "src");
      gst_pad_add_probe (branch_src, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                         rewrite_payload_type_cb, GUINT_TO_POINTER (payload_type), NULL);
      gst_caps_set_simple (caps, "payload", G_TYPE_INT, payload_type, NULL);
    }

  template = gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (webrtcbin), "sink_%u");
  webrtc_sink = gst_element_request_pad (webrtcbin, template, NULL, caps);
  queue_sink = gst_element_get_static_pad (branch->queue, "sink");
  if (webrtc_sink == NULL || gst_pad_link (branch_src, webrtc_sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "could not link a viewer's connection to the encoder");
      return FALSE;
    }

  g_object_get (webrtc_sink, "transceiver", &transceiver, NULL);
  if (transceiver != NULL)
    {
      g_object_set (transceiver, "direction",
                    GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, NULL);
      gst_object_unref (transceiver);
    }

  if (branch->retype != NULL)
    gst_element_sync_state_with_parent (branch->retype);
  gst_element_sync_state_with_parent (branch->queue);
  branch->tee_pad = gst_element_request_pad_simple (tee, "src_%u");
  if (gst_pad_link (branch->tee_pad, queue_sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE,
                   "could not link a viewer's branch to the encoder");
      return FALSE;
    }
  return TRUE;
}


gboolean
beacon_viewer_branch_has_element (BeaconViewerBranch *branch,
                                  GstObject          *element)
{
  return GST_OBJECT (branch->queue) == element ||
         (branch->retype != NULL && GST_OBJECT (branch->retype) == element);
}

void
beacon_viewer_branch_unlink (BeaconViewerBranch *branch)
{
  if (branch->tee_pad != NULL)
    {
      GstPad *queue_sink = gst_pad_get_peer (branch->tee_pad);

      /* The tee allows unlinked pads, so unlinking while it streams only makes it skip
       * this branch; the pad is then given back. */
      if (queue_sink != NULL)
        {
          gst_pad_unlink (branch->tee_pad, queue_sink);
          gst_object_unref (queue_sink);
        }
      gst_element_release_request_pad (branch->tee, branch->tee_pad);
    }
}

void
beacon_viewer_branch_remove (BeaconViewerBranch *branch,
                             GstBin             *pipeline)
{
  gst_element_set_state (branch->queue, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (branch->queue) == GST_OBJECT (pipeline))
    gst_bin_remove (pipeline, branch->queue);
  if (branch->retype != NULL)
    {
      gst_element_set_state (branch->retype, GST_STATE_NULL);
      if (GST_OBJECT_PARENT (branch->retype) == GST_OBJECT (pipeline))
        gst_bin_remove (pipeline, branch->retype);
    }
}

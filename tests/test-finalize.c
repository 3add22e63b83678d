/* test-finalize.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every object that owns GStreamer elements, sockets or threads must finalize once its owner
 * lets go of it: a reference left in a pad probe or a signal handler keeps a departed viewer's
 * webrtcbin, ICE agent and threads alive for the life of the process. Real elements, media
 * over loopback.
 */

#include "beacon-broadcast-pipeline.h"
#include "beacon-peer.h"
#include "beacon-test-process.h"
#include "beacon-test-session.h"
#include "beacon-watch-pipeline.h"

static const char * const loopback[] = { "127.0.0.1", NULL };

static void
local_description_cb (BeaconPeer *peer,
                      const char *type,
                      const char *sdp,
                      BeaconPeer *other)
{
  beacon_peer_set_remote_description (other, type, sdp);
}

static void
local_candidate_cb (BeaconPeer *peer,
                    guint       mline,
                    const char *candidate,
                    BeaconPeer *other)
{
  beacon_peer_add_remote_candidate (other, mline, candidate);
}

static void
peer_failed_cb (BeaconPeer   *peer,
                const GError *error,
                gpointer      user_data)
{
  g_error ("peer %s failed: %s", beacon_peer_get_session_id (peer), error->message);
}

static void
wire (BeaconPeer *from,
      BeaconPeer *to)
{
  g_signal_connect (from, "local-description", G_CALLBACK (local_description_cb), to);
  g_signal_connect (from, "local-candidate", G_CALLBACK (local_candidate_cb), to);
  g_signal_connect (from, "failed", G_CALLBACK (peer_failed_cb), NULL);
}

/* A broadcast peer on a tee branch sends to a watch peer in the same process; once frames
 * are decoded both are closed, and every object, the webrtcbins too, must finalize. */
static void
test_peers_and_pipelines (void)
{
  g_autoptr(GError) error = NULL;
  BeaconPeerConfig config = { .ice_addresses = loopback };
  BeaconBroadcastPipeline *broadcast;
  BeaconWatchPipeline *watch;
  BeaconPeer *sender;
  BeaconPeer *receiver;
  GstElement *sender_webrtcbin;
  GstElement *receiver_webrtcbin;
  GstBin *broadcast_bin;
  GstBin *watch_bin;
  gint64 deadline;

  broadcast = beacon_broadcast_pipeline_new (BEACON_SOURCE_TEST, NULL, NULL, NULL,
                                             BEACON_CODEC_VP8, 320, 240, 15, &error);
  g_assert_no_error (error);
  g_assert_true (beacon_broadcast_pipeline_start (broadcast, &error));
  watch = beacon_watch_pipeline_new (NULL, NULL);

  sender = beacon_peer_new (beacon_broadcast_pipeline_get_bin (broadcast), "sender", &config);
  receiver = beacon_peer_new (beacon_watch_pipeline_get_bin (watch), "receiver", &config);
  wire (sender, receiver);
  wire (receiver, sender);
  sender_webrtcbin = beacon_peer_get_webrtcbin (sender);
  receiver_webrtcbin = beacon_peer_get_webrtcbin (receiver);
  g_object_add_weak_pointer (G_OBJECT (sender_webrtcbin), (gpointer *) &sender_webrtcbin);
  g_object_add_weak_pointer (G_OBJECT (receiver_webrtcbin), (gpointer *) &receiver_webrtcbin);
  broadcast_bin = beacon_broadcast_pipeline_get_bin (broadcast);
  watch_bin = beacon_watch_pipeline_get_bin (watch);
  g_object_add_weak_pointer (G_OBJECT (broadcast_bin), (gpointer *) &broadcast_bin);
  g_object_add_weak_pointer (G_OBJECT (watch_bin), (gpointer *) &watch_bin);

  g_assert_true (beacon_broadcast_pipeline_attach_peer (broadcast, sender_webrtcbin, NULL,
                                                        &error));
  beacon_watch_pipeline_attach_peer (watch, receiver_webrtcbin);
  g_assert_true (beacon_watch_pipeline_start (watch, &error));
  beacon_peer_create_offer (sender);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (beacon_watch_pipeline_get_frames_decoded (watch) < 5 &&
         g_get_monotonic_time () < deadline)
    beacon_test_spin (50);
  g_assert_cmpuint (beacon_watch_pipeline_get_frames_decoded (watch), >=, 5);
  g_assert_true (beacon_peer_is_connected (sender));
  g_assert_true (beacon_peer_is_connected (receiver));

  /* As a session does when a viewer leaves, and when a watch ends. */
  g_signal_handlers_disconnect_by_data (sender, receiver);
  g_signal_handlers_disconnect_by_data (receiver, sender);
  beacon_broadcast_pipeline_detach_peer (broadcast, sender_webrtcbin);
  beacon_peer_close (sender);
  beacon_peer_close (receiver);
  beacon_watch_pipeline_stop (watch);
  /* Calls the webrtcbins' threads queued for the main context hold the peers until run. */
  beacon_test_spin (500);

  g_assert_finalize_object (sender);
  g_assert_finalize_object (receiver);
  g_assert_null (sender_webrtcbin);
  g_assert_null (receiver_webrtcbin);

  /* The broadcast went on without the viewer. */
  g_assert_nonnull (broadcast_bin);
  beacon_broadcast_pipeline_stop (broadcast);
  g_assert_finalize_object (broadcast);
  g_assert_finalize_object (watch);
  g_assert_null (broadcast_bin);
  g_assert_null (watch_bin);
}

/* A peer closed before its offer could be made: the caps it waited for never came. */
static void
test_peer_closed_while_offering (void)
{
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  BeaconPeerConfig config = { .ice_addresses = loopback };
  BeaconPeer *peer = beacon_peer_new (GST_BIN (pipeline), "offering", &config);
  GstElement *webrtcbin = beacon_peer_get_webrtcbin (peer);
  g_autoptr(GstPad) sink = gst_element_request_pad_simple (webrtcbin, "sink_%u");

  g_object_add_weak_pointer (G_OBJECT (webrtcbin), (gpointer *) &webrtcbin);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  beacon_peer_create_offer (peer);
  beacon_test_spin (100);
  beacon_peer_close (peer);
  gst_element_release_request_pad (webrtcbin, sink);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  beacon_test_spin (200);

  g_assert_finalize_object (peer);
  g_assert_null (webrtcbin);
}

static void
test_watch_pipeline_unused (void)
{
  BeaconWatchPipeline *watch = beacon_watch_pipeline_new (NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_watch_pipeline_start (watch, &error));
  beacon_watch_pipeline_stop (watch);
  g_assert_finalize_object (watch);
}

/* A broadcast session with its direct server, a viewer session connected to it; both are
 * stopped and must finalize with everything they made. */
static void
test_sessions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-finalize-XXXXXX", &error);
  BeaconSession *broadcast;
  BeaconSession *viewer;

  g_assert_no_error (error);
  broadcast = beacon_test_start_broadcast (dir, NULL);
  viewer = beacon_test_start_viewer (dir, "viewer", broadcast);
  beacon_test_wait_frames_beyond (viewer, 5, 60);
  g_assert_cmpuint (beacon_session_get_viewer_count (broadcast), ==, 1);

  beacon_test_stop_session (viewer);
  beacon_test_stop_session (broadcast);
  beacon_test_spin (500);
  g_assert_finalize_object (viewer);
  g_assert_finalize_object (broadcast);
  beacon_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/finalize/peers-and-pipelines", test_peers_and_pipelines);
  g_test_add_func ("/beacon/finalize/peer-closed-while-offering",
                   test_peer_closed_while_offering);
  g_test_add_func ("/beacon/finalize/watch-pipeline-unused", test_watch_pipeline_unused);
  g_test_add_func ("/beacon/finalize/sessions", test_sessions);

  return g_test_run ();
}

/* test-finalize.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every object that owns GStreamer elements, sockets or threads must finalize once its owner
 * lets go of it: a reference left in a pad probe or a signal handler keeps a departed viewer's
 * webrtcbin, ICE agent and threads alive for the life of the process. Real elements, media
 * over loopback. The signaling objects are checked against Beacon's own direct server, which
 * speaks the gst dialect, takes WHIP and answers WHEP: each one must also give back every file
 * descriptor (sockets, TLS) it opened.
 */

#include "beacon-broadcast-pipeline.h"
#include "beacon-direct-server.h"
#include "beacon-identity.h"
#include "beacon-peer.h"
#include "beacon-signaler-factory.h"
#include "beacon-test-process.h"
#include "beacon-test-recorder.h"
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
  beacon_watch_pipeline_attach_peer (watch, receiver_webrtcbin, NULL);
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

/* A preview sink the raw video cannot reach (it has no sink pad): the pipeline is not built,
 * says why, and lets go of everything, the caller's sink included. */
static void
test_broadcast_pipeline_build_failed (void)
{
  g_autoptr(GError) error = NULL;
  GstElement *preview_sink = gst_object_ref_sink (gst_element_factory_make ("videotestsrc",
                                                                             NULL));
  BeaconBroadcastPipeline *broadcast;

  broadcast = beacon_broadcast_pipeline_new (BEACON_SOURCE_TEST, NULL, NULL, preview_sink,
                                             BEACON_CODEC_VP8, 320, 240, 15, &error);
  g_assert_null (broadcast);
  g_assert_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE);
  g_assert_null (GST_OBJECT_PARENT (preview_sink));
  g_assert_finalize_object (preview_sink);
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

/* Signaling: the direct server with gst, WHIP and WHEP clients */

/* Enough SDP for the direct server to relay: it checks the form of a WHEP offer, never the
 * media, and no peer connection exists in these tests. */
#define TEST_OFFER \
  "v=0\r\n" \
  "o=- 1 1 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE video0\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=mid:video0\r\n" \
  "a=ice-ufrag:offerufrag\r\n" \
  "a=ice-pwd:offerpasswordofferpassword\r\n" \
  "a=setup:actpass\r\n" \
  "a=rtpmap:96 VP8/90000\r\n"

#define TEST_ANSWER \
  "v=0\r\n" \
  "o=- 2 1 IN IP4 127.0.0.1\r\n" \
  "s=-\r\n" \
  "t=0 0\r\n" \
  "a=group:BUNDLE video0\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" \
  "c=IN IP4 0.0.0.0\r\n" \
  "a=mid:video0\r\n" \
  "a=ice-ufrag:answerufrag\r\n" \
  "a=ice-pwd:answerpasswordanswerpassword\r\n" \
  "a=setup:active\r\n" \
  "a=rtpmap:96 VP8/90000\r\n"

/* A direct server listening on 127.0.0.1 with @identity's certificate. */
static BeaconDirectServer *
start_direct_server (BeaconIdentity *identity)
{
  g_autoptr(GError) error = NULL;
  BeaconDirectServer *server;

  server = beacon_direct_server_new (beacon_identity_get_tls_certificate (identity));
  beacon_direct_server_set_media_identity (server, beacon_identity_get_fingerprint (identity));
  g_assert_true (beacon_direct_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  return server;
}

static BeaconSignaler *
new_signaler (const char         *dialect,
              BeaconDirectServer *server,
              BeaconIdentity     *identity,
              const char         *path,
              const char         *token)
{
  g_autoptr(BeaconSignalerOptions) options = beacon_signaler_options_new ();
  g_autoptr(GError) error = NULL;
  BeaconSignaler *signaler;
  gboolean secure_websocket = g_str_equal (dialect, "gst");

  options->dialect = g_strdup (dialect);
  options->url = g_strdup_printf ("%s://127.0.0.1:%u/%s", secure_websocket ? "wss" : "https",
                                  beacon_direct_server_get_port (server), path);
  options->pin = g_strdup (beacon_identity_get_fingerprint (identity));
  options->token = g_strdup (token);
  signaler = beacon_signaler_new_for_dialect (options, &error);
  g_assert_no_error (error);
  return signaler;
}

/* The broadcaster's own connection to @server, with the producer token. */
static BeaconSignaler *
start_producer (BeaconDirectServer *server,
                BeaconIdentity     *identity,
                BeaconTestRecorder *recorder)
{
  BeaconSignaler *producer = new_signaler ("gst", server, identity, "",
                                           beacon_direct_server_get_producer_token (server));

  beacon_test_start_signaler (producer, BEACON_SIGNALER_ROLE_PUBLISH, "finalize", recorder);
  return producer;
}

/* The producer (the broadcaster's own connection, with the producer token) and a viewer speak
 * the gst dialect through the direct server: a session is asked for, offered, answered and
 * ended, the viewer asks for another over the same channel, both leave, the server stops. */
static void
run_gst_session (BeaconDirectServer *server,
                 BeaconIdentity     *identity)
{
  BeaconTestRecorder producer_events = { 0 };
  BeaconTestRecorder viewer_events = { 0 };
  BeaconSignaler *producer;
  BeaconSignaler *viewer;
  g_autofree char *first_session = NULL;

  producer = start_producer (server, identity, &producer_events);
  g_assert_nonnull (producer_events.start_result);

  viewer = new_signaler ("gst", server, identity, "", NULL);
  beacon_test_start_signaler (viewer, BEACON_SIGNALER_ROLE_WATCH, producer_events.start_result,
                  &viewer_events);
  g_assert_true (beacon_test_wait_until (&producer_events.session, 20));
  g_assert_true (beacon_test_wait_until (&viewer_events.session, 20));

  beacon_signaler_send_description (producer, producer_events.session_id, "offer", TEST_OFFER);
  beacon_test_wait_for_string (&viewer_events.remote_sdp, "offer at the viewer");
  g_assert_cmpstr (viewer_events.remote_type, ==, "offer");
  beacon_signaler_send_description (viewer, viewer_events.session_id, "answer", TEST_ANSWER);
  beacon_test_wait_for_string (&producer_events.remote_sdp, "answer at the producer");
  g_assert_cmpstr (producer_events.remote_type, ==, "answer");
  g_assert_cmpuint (beacon_direct_server_get_n_connections (server), ==, 2);

  beacon_signaler_end_session (viewer, viewer_events.session_id);
  g_assert_true (beacon_test_wait_until (&producer_events.ended, 20));

  /* A viewer repairing its media path asks for one more session over the same channel. */
  first_session = g_strdup (viewer_events.session_id);
  viewer_events.session = producer_events.session = FALSE;
  g_assert_false (beacon_signaler_start_session (producer));
  g_assert_true (beacon_signaler_start_session (viewer));
  g_assert_true (beacon_test_wait_until (&producer_events.session, 20));
  g_assert_true (beacon_test_wait_until (&viewer_events.session, 20));
  g_assert_cmpstr (viewer_events.session_id, !=, first_session);
  g_assert_cmpstr (viewer_events.session_id, ==, producer_events.session_id);
  beacon_test_stop_signaler (viewer, &viewer_events);
  beacon_test_stop_signaler (producer, &producer_events);
  beacon_test_spin (200);
  beacon_test_assert_signaler_finalizes (viewer, &viewer_events);
  beacon_test_assert_signaler_finalizes (producer, &producer_events);
}

/* A viewer of the broadcast over WHEP: its offer goes through the direct server to the
 * producer, whose answer comes back in the 201. */
static void
run_whep_session (BeaconDirectServer *server,
                  BeaconIdentity     *identity)
{
  BeaconTestRecorder producer_events = { 0 };
  BeaconTestRecorder viewer_events = { 0 };
  BeaconSignaler *producer;
  BeaconSignaler *viewer;

  producer = start_producer (server, identity, &producer_events);

  viewer = new_signaler ("whep", server, identity, "whep", NULL);
  beacon_test_start_signaler (viewer, BEACON_SIGNALER_ROLE_WATCH, NULL, &viewer_events);
  g_assert_true (beacon_test_wait_until (&viewer_events.session, 20));
  g_assert_true (beacon_signaler_watcher_offers (viewer));
  beacon_signaler_send_description (viewer, viewer_events.session_id, "offer", TEST_OFFER);
  /* The WHEP client waits for the end of its candidates before it posts the offer. */
  beacon_signaler_send_candidate (viewer, viewer_events.session_id, 0, "");

  g_assert_true (beacon_test_wait_until (&producer_events.session, 20));
  g_assert_nonnull (producer_events.offer);
  beacon_signaler_send_description (producer, producer_events.session_id, "answer",
                                    TEST_ANSWER);
  beacon_signaler_send_candidate (producer, producer_events.session_id, 0, "");
  beacon_test_wait_for_string (&viewer_events.remote_sdp, "WHEP answer");
  g_assert_cmpstr (viewer_events.remote_type, ==, "answer");

  /* The WHEP client leaves with a DELETE, which ends the producer's session. */
  beacon_test_stop_signaler (viewer, &viewer_events);
  g_assert_true (beacon_test_wait_until (&producer_events.ended, 20));
  beacon_test_stop_signaler (producer, &producer_events);
  beacon_test_spin (200);
  beacon_test_assert_signaler_finalizes (viewer, &viewer_events);
  beacon_test_assert_signaler_finalizes (producer, &producer_events);
}

static void
whip_offer_cb (BeaconDirectServer *server,
               const char         *id,
               const char         *offer,
               gpointer            user_data)
{
  beacon_direct_server_whip_answer (server, id, TEST_ANSWER, NULL);
}

static void
whip_ended_cb (BeaconDirectServer *server,
               const char         *id,
               gboolean           *ended)
{
  *ended = TRUE;
}

/* A publisher over WHIP into the direct server, which answers as a broadcaster that takes
 * WHIP would, then leaves with a DELETE. */
static void
run_whip_session (BeaconDirectServer *server,
                  BeaconIdentity     *identity)
{
  BeaconTestRecorder publisher_events = { 0 };
  BeaconSignaler *publisher;
  gboolean ended = FALSE;

  beacon_direct_server_set_whip_ingest (server, TRUE, "whip-secret");
  g_signal_connect (server, "whip-offer", G_CALLBACK (whip_offer_cb), NULL);
  g_signal_connect (server, "whip-ended", G_CALLBACK (whip_ended_cb), &ended);

  publisher = new_signaler ("whip", server, identity, "whip", "whip-secret");
  beacon_test_start_signaler (publisher, BEACON_SIGNALER_ROLE_PUBLISH, NULL, &publisher_events);
  g_assert_true (beacon_test_wait_until (&publisher_events.session, 20));
  beacon_signaler_send_description (publisher, publisher_events.session_id, "offer",
                                    TEST_OFFER);
  beacon_signaler_send_candidate (publisher, publisher_events.session_id, 0, "");
  beacon_test_wait_for_string (&publisher_events.remote_sdp, "WHIP answer");
  g_assert_cmpstr (publisher_events.remote_type, ==, "answer");

  beacon_test_stop_signaler (publisher, &publisher_events);
  g_assert_true (beacon_test_wait_until (&ended, 20));
  beacon_test_spin (200);
  beacon_test_assert_signaler_finalizes (publisher, &publisher_events);
  g_signal_handlers_disconnect_by_func (server, whip_offer_cb, NULL);
  g_signal_handlers_disconnect_by_func (server, whip_ended_cb, &ended);
}

typedef void (*ServerExercise) (BeaconDirectServer *server,
                                BeaconIdentity     *identity);

/* Runs @exercise against a direct server twice, each time from listening to finalizing. The
 * first round opens what the process keeps for good (the SoupSession, GnuTLS's and the
 * resolver's state); the second must leave no file descriptor behind. */
static void
check_server_rounds (ServerExercise exercise)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-finalize-XXXXXX", &error);
  BeaconIdentity *identity;
  guint fds_before = 0;

  g_assert_no_error (error);
  identity = beacon_identity_load_or_create (dir, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      BeaconDirectServer *server;

      fds_before = beacon_test_count_open_fds ();
      server = start_direct_server (identity);
      exercise (server, identity);
      beacon_direct_server_stop (server);
      beacon_test_spin (200);
      g_assert_cmpuint (beacon_direct_server_get_n_connections (server), ==, 0);
      g_assert_finalize_object (server);
    }
  g_test_message ("open file descriptors: %u before the second round, %u after", fds_before,
                  beacon_test_count_open_fds ());
  g_assert_cmpuint (beacon_test_count_open_fds (), ==, fds_before);

  g_assert_finalize_object (identity);
  beacon_test_remove_tree (dir);
}

static void
test_direct_server_gst (void)
{
  check_server_rounds (run_gst_session);
}

static void
run_whep_and_whip_sessions (BeaconDirectServer *server,
                            BeaconIdentity     *identity)
{
  run_whep_session (server, identity);
  run_whip_session (server, identity);
}

static void
test_direct_server_whip_whep (void)
{
  check_server_rounds (run_whep_and_whip_sessions);
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
  g_test_add_func ("/beacon/finalize/broadcast-pipeline-build-failed",
                   test_broadcast_pipeline_build_failed);
  g_test_add_func ("/beacon/finalize/sessions", test_sessions);
  g_test_add_func ("/beacon/finalize/direct-server-gst", test_direct_server_gst);
  g_test_add_func ("/beacon/finalize/direct-server-whip-whep", test_direct_server_whip_whep);

  return g_test_run ();
}

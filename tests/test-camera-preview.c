/* test-camera-preview.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picture before going live: real pipelines from the test pattern, and from camera
 * devices made up here (this machine has no camera) whose elements are real GStreamer
 * elements that fail the way a missing or broken camera does.
 */

#include <gst/app/gstappsink.h>

#include "beacon-camera-preview.h"
#include "beacon-media-source.h"
#include "beacon-test-camera.h"
#include "beacon-test-session.h"

#define WAIT_SECONDS 10

static GstElement *
new_sink (void)
{
  GstElement *sink = gst_element_factory_make ("appsink", NULL);

  g_assert_nonnull (sink);
  g_object_set (sink, "sync", FALSE, "max-buffers", 1, "drop", TRUE, NULL);
  return gst_object_ref_sink (sink);
}

static gboolean
wait_for_frames (BeaconCameraPreview *preview,
                 guint                frames)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (beacon_camera_preview_get_frames (preview) < frames &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  return beacon_camera_preview_get_frames (preview) >= frames;
}

/* The test pattern shows, no wider than a preview needs; stopping releases everything, and
 * a second start (as after a broadcast) shows again in a new sink. */
static void
test_test_pattern (void)
{
  g_autoptr(BeaconCameraPreview) preview = beacon_camera_preview_new ();
  g_autoptr(GstElement) sink = new_sink ();
  g_autoptr(GstElement) second_sink = new_sink ();
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  GstStructure *structure;
  int width = 0;

  g_assert_true (beacon_camera_preview_start (preview, NULL, sink, &error));
  g_assert_no_error (error);
  g_assert_true (beacon_camera_preview_get_running (preview));
  g_assert_true (wait_for_frames (preview, 5));
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), GST_SECOND);
  g_assert_nonnull (sample);
  structure = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
  g_assert_true (gst_structure_get_int (structure, "width", &width));
  g_assert_cmpint (width, <=, 640);
  g_assert_null (beacon_camera_preview_get_error (preview));

  beacon_camera_preview_stop (preview);
  g_assert_false (beacon_camera_preview_get_running (preview));
  g_assert_cmpint (GST_STATE (sink), ==, GST_STATE_NULL);
  g_assert_null (GST_OBJECT_PARENT (sink));

  g_assert_true (beacon_camera_preview_start (preview, NULL, second_sink, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for_frames (preview, 5));
  beacon_camera_preview_stop (preview);
}

/* A camera that cannot be opened (a V4L2 device node that does not exist): the start fails
 * at once with the reason, which stays in "error" for the page to show. */
static void
test_camera_that_cannot_open (void)
{
  g_autoptr(BeaconCameraPreview) preview = beacon_camera_preview_new ();
  g_autoptr(GstElement) sink = new_sink ();
  g_autoptr(GstDevice) camera = beacon_test_camera_new ("v4l2src device=/dev/beacon-no-such-camera");
  g_autoptr(GError) error = NULL;
  const GError *shown;

  g_assert_false (beacon_camera_preview_start (preview, camera, sink, &error));
  g_assert_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_PIPELINE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "/dev/beacon-no-such-camera"));
  g_assert_false (beacon_camera_preview_get_running (preview));
  shown = beacon_camera_preview_get_error (preview);
  g_assert_nonnull (shown);
  g_assert_cmpstr (shown->message, ==, error->message);
  g_assert_null (GST_OBJECT_PARENT (sink));

  /* Back to the test pattern: the error goes. */
  g_assert_true (beacon_camera_preview_start (preview, NULL, sink, NULL));
  g_assert_null (beacon_camera_preview_get_error (preview));
  g_assert_true (wait_for_frames (preview, 2));
  beacon_camera_preview_stop (preview);
}

/* A camera that opens, shows a few frames and then fails (identity's error-after stands in for a
 * camera unplugged): the preview stops by itself and says why. */
static void
test_camera_that_fails_later (void)
{
  g_autoptr(BeaconCameraPreview) preview = beacon_camera_preview_new ();
  g_autoptr(GstElement) sink = new_sink ();
  g_autoptr(GstDevice) camera =
    beacon_test_camera_new ("videotestsrc is-live=true ! identity error-after=10");
  guint errors = 0;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  g_signal_connect (preview, "notify::error", G_CALLBACK (beacon_test_count_notify_cb), &errors);
  if (!beacon_camera_preview_start (preview, camera, sink, NULL))
    g_error ("a camera that fails later should start");
  while (beacon_camera_preview_get_running (preview) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  g_assert_false (beacon_camera_preview_get_running (preview));
  g_assert_nonnull (beacon_camera_preview_get_error (preview));
  g_test_message ("%s", beacon_camera_preview_get_error (preview)->message);
  g_assert_true (g_str_has_prefix (beacon_camera_preview_get_error (preview)->message,
                                   "The picture stopped: "));
  g_assert_cmpuint (errors, ==, 1);
  g_assert_null (GST_OBJECT_PARENT (sink));
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/camera-preview/test-pattern", test_test_pattern);
  g_test_add_func ("/beacon/camera-preview/camera-that-cannot-open", test_camera_that_cannot_open);
  g_test_add_func ("/beacon/camera-preview/camera-that-fails-later", test_camera_that_fails_later);

  return g_test_run ();
}

/* test-key-frame-limiter.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/video/video.h>

#include "beacon-key-frame-limiter.h"

/* A real VP8 encoder fed by a live test pattern; the limiter on its source pad. */
typedef struct {
  GstElement            *pipeline;
  GstElement            *encoder;
  BeaconKeyFrameLimiter *limiter;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->pipeline = gst_parse_launch ("videotestsrc is-live=true ! "
                                        "video/x-raw,width=160,height=120,framerate=30/1 ! "
                                        "vp8enc name=encoder deadline=1 keyframe-max-dist=1000 ! "
                                        "fakesink sync=false", &error);
  g_assert_no_error (error);
  fixture->encoder = gst_bin_get_by_name (GST_BIN (fixture->pipeline), "encoder");
  fixture->limiter = beacon_key_frame_limiter_new (fixture->encoder, 500);
  g_assert_cmpint (gst_element_set_state (fixture->pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gst_element_set_state (fixture->pipeline, GST_STATE_NULL);
  g_assert_finalize_object (fixture->limiter);
  gst_object_unref (fixture->encoder);
  gst_object_unref (fixture->pipeline);
}

static gboolean
quit_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* As a viewer's PLIs arrive: a force-key-unit event going upstream into the encoder's source
 * pad from the payloader's side. */
static void
send_viewer_request (Fixture *fixture)
{
  g_autoptr(GstPad) src = gst_element_get_static_pad (fixture->encoder, "src");

  gst_pad_send_event (src, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                        FALSE, 0));
}

static void
test_storm (Fixture       *fixture,
            gconstpointer  data)
{
  guint64 forwarded;
  gint64 started;
  double seconds;

  /* Let the first key frame come out, then about 2 s of a request every 20 ms. */
  iterate_for (300);
  started = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      send_viewer_request (fixture);
      iterate_for (20);
    }
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  iterate_for (700);

  forwarded = beacon_key_frame_limiter_get_forwarded (fixture->limiter);
  g_test_message ("requests %" G_GUINT64_FORMAT ", forwarded %" G_GUINT64_FORMAT
                  ", key frames %" G_GUINT64_FORMAT,
                  beacon_key_frame_limiter_get_requests (fixture->limiter), forwarded,
                  beacon_key_frame_limiter_get_key_frames (fixture->limiter));
  /* 100 requests over about 2 s (longer on a loaded machine), and the deferred one after
   * them: one per 500 ms. */
  g_assert_cmpuint (beacon_key_frame_limiter_get_requests (fixture->limiter), >=, 100);
  g_assert_cmpuint (forwarded, >=, 4);
  g_assert_cmpuint (forwarded, <=, (guint64) (seconds / 0.5) + 2);
  /* The first key frame and the forced ones (keyframe-max-dist keeps periodic ones out). */
  g_assert_cmpuint (beacon_key_frame_limiter_get_key_frames (fixture->limiter), <=,
                    forwarded + 1);
  g_assert_cmpuint (beacon_key_frame_limiter_get_key_frames (fixture->limiter), >=, forwarded);
  g_assert_cmpuint (beacon_key_frame_limiter_get_frames (fixture->limiter), >,
                    beacon_key_frame_limiter_get_key_frames (fixture->limiter));
}

/* A request inside the interval is not lost: it is answered at the interval's end. */
static void
test_deferred (Fixture       *fixture,
               gconstpointer  data)
{
  iterate_for (300);
  beacon_key_frame_limiter_request (fixture->limiter);
  beacon_key_frame_limiter_request (fixture->limiter);
  g_assert_cmpuint (beacon_key_frame_limiter_get_forwarded (fixture->limiter), ==, 1);
  iterate_for (800);
  g_assert_cmpuint (beacon_key_frame_limiter_get_forwarded (fixture->limiter), ==, 2);
  /* The deferred request counts as a request of its own. */
  g_assert_cmpuint (beacon_key_frame_limiter_get_requests (fixture->limiter), ==, 3);
}

/* Detached while a request waits: the timer goes with it, and the object finalizes. */
static void
test_detach_pending (Fixture       *fixture,
                     gconstpointer  data)
{
  beacon_key_frame_limiter_request (fixture->limiter);
  beacon_key_frame_limiter_request (fixture->limiter);
  beacon_key_frame_limiter_detach (fixture->limiter);
  iterate_for (700);
  g_assert_cmpuint (beacon_key_frame_limiter_get_forwarded (fixture->limiter), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/beacon/key-frame-limiter/storm", Fixture, NULL, fixture_set_up, test_storm,
              fixture_tear_down);
  g_test_add ("/beacon/key-frame-limiter/deferred", Fixture, NULL, fixture_set_up,
              test_deferred, fixture_tear_down);
  g_test_add ("/beacon/key-frame-limiter/detach-pending", Fixture, NULL, fixture_set_up,
              test_detach_pending, fixture_tear_down);
  return g_test_run ();
}

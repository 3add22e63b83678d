/* test-device-monitor.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device monitor starts GStreamer's device providers on a worker thread: a provider that
 * takes long to start (PipeWire, PulseAudio, udev on a busy system) must not stop the main
 * loop. A fake provider, the only one with a rank, makes the test independent of the machine.
 */

#include <gio/gio.h>

#include "beacon-device-monitor.h"

/* How long the fake provider takes to start: long enough that a blocked main loop misses
 * many of the test's 10 ms ticks. */
#define SLOW_START_MS 400

/* A camera nobody can open. */
#define BEACON_TYPE_FAKE_DEVICE (beacon_fake_device_get_type ())
G_DECLARE_FINAL_TYPE (BeaconFakeDevice, beacon_fake_device, BEACON, FAKE_DEVICE, GstDevice)

struct _BeaconFakeDevice
{
  GstDevice parent_instance;
};

G_DEFINE_FINAL_TYPE (BeaconFakeDevice, beacon_fake_device, GST_TYPE_DEVICE)

static void
beacon_fake_device_class_init (BeaconFakeDeviceClass *klass)
{
}

static void
beacon_fake_device_init (BeaconFakeDevice *self)
{
}

static GstDevice *
fake_camera_new (const char *name)
{
  g_autoptr(GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");

  return g_object_new (BEACON_TYPE_FAKE_DEVICE, "display-name", name, "caps", caps,
                       "device-class", "Video/Source", NULL);
}

/* A provider that lists one camera after SLOW_START_MS, on the thread that starts it. */
#define BEACON_TYPE_SLOW_PROVIDER (beacon_slow_provider_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSlowProvider, beacon_slow_provider, BEACON, SLOW_PROVIDER,
                      GstDeviceProvider)

struct _BeaconSlowProvider
{
  GstDeviceProvider parent_instance;

  /* The devices it listed since it started (gst_device_provider_stop () forgets them). */
  GPtrArray *plugged;
};

G_DEFINE_FINAL_TYPE (BeaconSlowProvider, beacon_slow_provider, GST_TYPE_DEVICE_PROVIDER)

/* The thread the provider was started on, for the test to compare with its own. */
static GThread *start_thread;

static void
slow_provider_plug (GstDeviceProvider *provider,
                    const char        *name)
{
  BeaconSlowProvider *self = (BeaconSlowProvider *) provider;
  GstDevice *device = fake_camera_new (name);

  g_ptr_array_add (self->plugged, gst_object_ref_sink (device));
  gst_device_provider_device_add (provider, device);
}

static gboolean
slow_provider_start (GstDeviceProvider *provider)
{
  BeaconSlowProvider *self = (BeaconSlowProvider *) provider;

  start_thread = g_thread_self ();
  g_ptr_array_set_size (self->plugged, 0);
  g_usleep (SLOW_START_MS * 1000);
  slow_provider_plug (provider, "Slow Camera");
  return TRUE;
}

static void
beacon_slow_provider_class_init (BeaconSlowProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);

  provider_class->start = slow_provider_start;
  gst_device_provider_class_set_static_metadata (provider_class, "Slow camera provider",
                                                 "Video/Source", "A test provider",
                                                 "The Beacon developers");
}

static void
beacon_slow_provider_init (BeaconSlowProvider *self)
{
  self->plugged = g_ptr_array_new_with_free_func (gst_object_unref);
}

/* Leaves the fake provider the only one the monitor uses. */
static void
use_only_the_slow_provider (void)
{
  GList *factories = gst_device_provider_factory_list_get_device_providers (GST_RANK_NONE);

  for (GList *l = factories; l != NULL; l = l->next)
    gst_plugin_feature_set_rank (l->data, GST_RANK_NONE);
  gst_plugin_feature_list_free (factories);
  g_assert_true (gst_device_provider_register (NULL, "beaconslowprovider", GST_RANK_PRIMARY,
                                               BEACON_TYPE_SLOW_PROVIDER));
}

typedef struct {
  gboolean done;
  gboolean result;
  gboolean started_before_callback;
  GThread *callback_thread;
  GError  *error;
} StartResult;

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  StartResult *start = user_data;
  BeaconDeviceMonitor *monitor = BEACON_DEVICE_MONITOR (source);

  start->result = beacon_device_monitor_start_finish (monitor, result, &start->error);
  start->started_before_callback = beacon_device_monitor_get_started (monitor);
  start->callback_thread = g_thread_self ();
  start->done = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
wait_for_start (StartResult *start)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!start->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (start->done);
}

/* The main loop keeps running while the provider starts; the camera it listed arrives on the
 * main context, and so do one plugged in later and its removal. */
static void
test_start_does_not_block (void)
{
  BeaconDeviceMonitor *monitor = beacon_device_monitor_new ();
  GListModel *cameras = beacon_device_monitor_get_cameras (monitor);
  StartResult start = { 0 };
  g_autoptr(GstDeviceProvider) provider = NULL;
  gint64 began = g_get_monotonic_time ();
  guint ticks = 0;
  guint tick_source = g_timeout_add (10, tick_cb, &ticks);

  beacon_device_monitor_start_async (monitor, NULL, started_cb, &start);
  g_assert_false (beacon_device_monitor_get_started (monitor));
  wait_for_start (&start);
  g_source_remove (tick_source);

  g_assert_no_error (start.error);
  g_assert_true (start.result);
  g_assert_true (start.started_before_callback);
  g_assert_true (start.callback_thread == g_thread_self ());
  g_assert_true (start_thread != g_thread_self ());
  g_assert_cmpint (g_get_monotonic_time () - began, >=, SLOW_START_MS * 1000);
  /* A blocked main loop would have run the 10 ms tick once or not at all. */
  g_test_message ("%u ticks of 10 ms while the provider started", ticks);
  g_assert_cmpuint (ticks, >=, 5);

  g_assert_cmpuint (g_list_model_get_n_items (cameras), ==, 1);

  /* Hot-plugging, from the provider's side. */
  provider = gst_device_provider_factory_get_by_name ("beaconslowprovider");
  g_assert_nonnull (provider);
  slow_provider_plug (provider, "Plugged Camera");
  for (guint i = 0; i < 100 && g_list_model_get_n_items (cameras) < 2; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (cameras), ==, 2);
  gst_device_provider_device_remove (provider,
                                     g_ptr_array_index (((BeaconSlowProvider *) provider)->plugged,
                                                        1));
  for (guint i = 0; i < 100 && g_list_model_get_n_items (cameras) > 1; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (cameras), ==, 1);

  beacon_device_monitor_stop (monitor);
  g_assert_false (beacon_device_monitor_get_started (monitor));
  g_assert_cmpuint (g_list_model_get_n_items (cameras), ==, 0);
  g_clear_error (&start.error);
  g_assert_finalize_object (monitor);
}

/* stop () before the providers finished starting: the start reports cancellation, nothing is
 * listed, and the providers are stopped again. */
static void
test_stop_while_starting (void)
{
  BeaconDeviceMonitor *monitor = beacon_device_monitor_new ();
  StartResult start = { 0 };
  StartResult second = { 0 };

  beacon_device_monitor_start_async (monitor, NULL, started_cb, &start);
  beacon_device_monitor_start_async (monitor, NULL, started_cb, &second);
  wait_for_start (&second);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);

  beacon_device_monitor_stop (monitor);
  wait_for_start (&start);
  g_assert_error (start.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (start.result);
  g_assert_false (start.started_before_callback);
  g_assert_cmpuint (g_list_model_get_n_items (beacon_device_monitor_get_cameras (monitor)), ==,
                    0);

  /* It can start again afterwards. */
  g_clear_error (&start.error);
  start = (StartResult) { 0 };
  beacon_device_monitor_start_async (monitor, NULL, started_cb, &start);
  wait_for_start (&start);
  g_assert_no_error (start.error);
  g_assert_cmpuint (g_list_model_get_n_items (beacon_device_monitor_get_cameras (monitor)), ==,
                    1);
  g_clear_error (&second.error);
  g_assert_finalize_object (monitor);
}

/* The caller's cancellable works as stop () does. */
static void
test_cancelled (void)
{
  BeaconDeviceMonitor *monitor = beacon_device_monitor_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  StartResult start = { 0 };

  beacon_device_monitor_start_async (monitor, cancellable, started_cb, &start);
  g_cancellable_cancel (cancellable);
  wait_for_start (&start);
  g_assert_error (start.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (beacon_device_monitor_get_started (monitor));
  g_clear_error (&start.error);
  g_assert_finalize_object (monitor);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  use_only_the_slow_provider ();

  g_test_add_func ("/beacon/device-monitor/start-does-not-block", test_start_does_not_block);
  g_test_add_func ("/beacon/device-monitor/stop-while-starting", test_stop_while_starting);
  g_test_add_func ("/beacon/device-monitor/cancelled", test_cancelled);

  return g_test_run ();
}

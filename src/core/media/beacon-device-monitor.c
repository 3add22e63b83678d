/* beacon-device-monitor.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-device-monitor.h"

#include "beacon-camera-portal.h"

#include "beacon-media-source.h"

#define CAMERA_CLASS "Video/Source"
#define MICROPHONE_CLASS "Audio/Source"

struct _BeaconDeviceMonitor
{
  GObject           parent_instance;

  GstDeviceMonitor *monitor;
  GstBus           *bus;
  guint             bus_watch;
  GListStore       *cameras;
  GListStore       *microphones;
  /* While the providers start on a worker thread: stop () cancels it. */
  GCancellable     *starting;
  gboolean          started;
  gboolean          portal_requested;
};

enum {
  PROP_0,
  PROP_CAMERAS,
  PROP_MICROPHONES,
  PROP_STARTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BeaconDeviceMonitor, beacon_device_monitor, G_TYPE_OBJECT)

/* PulseAudio and PipeWire list the "monitor" of every speaker as an audio source too; it
 * records what the computer plays, which is never what someone picking a microphone means. */
static gboolean
is_output_monitor (GstDevice *device)
{
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  const char *device_class;

  if (props == NULL)
    return FALSE;
  device_class = gst_structure_get_string (props, "device.class");
  return g_strcmp0 (device_class, "monitor") == 0;
}

static GListStore *
store_for_device (BeaconDeviceMonitor *self,
                  GstDevice           *device)
{
  if (gst_device_has_classes (device, CAMERA_CLASS))
    return self->cameras;
  if (gst_device_has_classes (device, MICROPHONE_CLASS) && !is_output_monitor (device))
    return self->microphones;
  return NULL;
}

static gboolean
find_device (GListStore *store,
             GstDevice  *device,
             guint      *position)
{
  return g_list_store_find (store, device, position);
}

static void
add_device (BeaconDeviceMonitor *self,
            GstDevice           *device)
{
  GListStore *store = store_for_device (self, device);

  /* Some providers announce the devices they already listed at start as added; a device is
   * one object for the whole life of its provider, so the pointer identifies it. */
  if (store != NULL && !find_device (store, device, NULL))
    g_list_store_append (store, device);
}

static void
remove_device (BeaconDeviceMonitor *self,
               GstDevice           *device)
{
  guint position;

  if (find_device (self->cameras, device, &position))
    g_list_store_remove (self->cameras, position);
  if (find_device (self->microphones, device, &position))
    g_list_store_remove (self->microphones, position);
}

static void
change_device (BeaconDeviceMonitor *self,
               GstDevice           *device,
               GstDevice           *old_device)
{
  GListStore *store = store_for_device (self, device);
  guint position;

  if (store != NULL && find_device (store, old_device, &position))
    g_list_store_splice (store, position, 1, (gpointer *) &device, 1);
  else
    {
      remove_device (self, old_device);
      add_device (self, device);
    }
}

static gboolean
bus_message_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  BeaconDeviceMonitor *self = user_data;
  g_autoptr(GstDevice) device = NULL;
  g_autoptr(GstDevice) old_device = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      add_device (self, device);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      remove_device (self, device);
      break;
    case GST_MESSAGE_DEVICE_CHANGED:
      gst_message_parse_device_changed (message, &device, &old_device);
      change_device (self, device, old_device);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

BeaconDeviceMonitor *
beacon_device_monitor_new (void)
{
  return g_object_new (BEACON_TYPE_DEVICE_MONITOR, NULL);
}

static void
restarted_after_portal_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_device_monitor_start_finish (BEACON_DEVICE_MONITOR (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Cameras and microphones cannot be listed: %s", error->message);
}

static void
camera_portal_answered_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BeaconDeviceMonitor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!beacon_camera_portal_request_finish (result, &error))
    {
      g_message ("No camera from the portal: %s", error->message);
      return;
    }
  /* The PipeWire provider now has the portal's connection: list again to see the cameras. */
  if (self->started)
    {
      beacon_device_monitor_stop (self);
      beacon_device_monitor_start_async (self, NULL, restarted_after_portal_cb, NULL);
    }
}

static void
device_list_free (gpointer data)
{
  g_list_free_full (data, gst_object_unref);
}

/* On the worker thread: touches only the GstDeviceMonitor (task data, thread-safe), never
 * the stores, which belong to the main context. */
static void
start_providers_in_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  GstDeviceMonitor *monitor = task_data;

  if (!gst_device_monitor_start (monitor))
    {
      g_task_return_new_error (task, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_MISSING_ELEMENT,
                               "no GStreamer device provider could start, so no camera or "
                               "microphone can be listed: install the Video4Linux, PipeWire "
                               "or PulseAudio GStreamer plugins");
      return;
    }
  g_task_return_pointer (task, gst_device_monitor_get_devices (monitor), device_list_free);
}

/* Back on the main context with the devices the providers listed. */
static void
providers_started_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconDeviceMonitor *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GList *devices;

  g_assert (BEACON_IS_DEVICE_MONITOR (self));

  devices = g_task_propagate_pointer (G_TASK (result), &error);
  if (devices == NULL && error != NULL)
    {
      g_clear_object (&self->starting);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_is_cancelled (self->starting) ||
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* stop () or the caller came first: the providers started for nobody. */
      gst_device_monitor_stop (self->monitor);
      device_list_free (devices);
      g_clear_object (&self->starting);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "the device monitor was stopped while it started");
      return;
    }
  g_clear_object (&self->starting);

  /* Devices plugged in since the providers started wait on the bus, which keeps its messages
   * until a watch takes them: they are seen after this list, as add_device () ignores the
   * duplicates this can cause. */
  self->bus_watch = gst_bus_add_watch (self->bus, bus_message_cb, self);
  for (GList *l = devices; l != NULL; l = l->next)
    add_device (self, l->data);
  device_list_free (devices);

  self->started = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
  g_task_return_boolean (task, TRUE);
}

void
beacon_device_monitor_start_async (BeaconDeviceMonitor *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (BEACON_IS_DEVICE_MONITOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_device_monitor_start_async);

  if (self->started)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->starting != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "the device monitor is already starting");
      return;
    }

  /* Inside Flatpak the cameras appear once the user granted access through the portal; the
   * microphones are listed at once. */
  if (beacon_camera_portal_is_needed () && !self->portal_requested)
    {
      self->portal_requested = TRUE;
      beacon_camera_portal_request_async (NULL, camera_portal_answered_cb, g_object_ref (self));
    }

  /* gst_device_monitor_start () starts every provider and waits for each one's first
   * listing (a PipeWire or PulseAudio round trip, udev enumeration): seconds on a busy
   * system, which the main loop that draws the window must not wait for. */
  self->starting = g_cancellable_new ();
  /* The worker task has no source object: its thread drops its own reference to the task
   * after the callback may have run, and the monitor's last reference must never go there
   * (dispose on the wrong thread, and g_assert_finalize_object () fails at random). */
  worker = g_task_new (NULL, NULL, providers_started_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, start_providers_in_thread);
  g_task_set_task_data (worker, gst_object_ref (self->monitor), gst_object_unref);
  g_task_run_in_thread (worker, start_providers_in_thread);
}

gboolean
beacon_device_monitor_start_finish (BeaconDeviceMonitor  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (BEACON_IS_DEVICE_MONITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
beacon_device_monitor_stop (BeaconDeviceMonitor *self)
{
  g_return_if_fail (BEACON_IS_DEVICE_MONITOR (self));

  if (self->starting != NULL)
    g_cancellable_cancel (self->starting);
  if (!self->started)
    return;

  if (self->bus_watch != 0)
    {
      /* A bus watch is a GSource; gst_bus_remove_watch () also lets a new one be added. */
      gst_bus_remove_watch (self->bus);
      self->bus_watch = 0;
    }
  gst_device_monitor_stop (self->monitor);
  g_list_store_remove_all (self->cameras);
  g_list_store_remove_all (self->microphones);

  self->started = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
}

gboolean
beacon_device_monitor_get_started (BeaconDeviceMonitor *self)
{
  g_return_val_if_fail (BEACON_IS_DEVICE_MONITOR (self), FALSE);
  return self->started;
}

GListModel *
beacon_device_monitor_get_cameras (BeaconDeviceMonitor *self)
{
  g_return_val_if_fail (BEACON_IS_DEVICE_MONITOR (self), NULL);
  return G_LIST_MODEL (self->cameras);
}

GListModel *
beacon_device_monitor_get_microphones (BeaconDeviceMonitor *self)
{
  g_return_val_if_fail (BEACON_IS_DEVICE_MONITOR (self), NULL);
  return G_LIST_MODEL (self->microphones);
}

static void
beacon_device_monitor_dispose (GObject *object)
{
  BeaconDeviceMonitor *self = BEACON_DEVICE_MONITOR (object);

  beacon_device_monitor_stop (self);
  gst_clear_object (&self->bus);
  gst_clear_object (&self->monitor);
  g_clear_object (&self->cameras);
  g_clear_object (&self->microphones);

  G_OBJECT_CLASS (beacon_device_monitor_parent_class)->dispose (object);
}

static void
beacon_device_monitor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeaconDeviceMonitor *self = BEACON_DEVICE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CAMERAS:
      g_value_set_object (value, self->cameras);
      break;
    case PROP_MICROPHONES:
      g_value_set_object (value, self->microphones);
      break;
    case PROP_STARTED:
      g_value_set_boolean (value, self->started);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_device_monitor_class_init (BeaconDeviceMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = beacon_device_monitor_dispose;
  object_class->get_property = beacon_device_monitor_get_property;

  properties[PROP_CAMERAS] =
    g_param_spec_object ("cameras", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_MICROPHONES] =
    g_param_spec_object ("microphones", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_STARTED] =
    g_param_spec_boolean ("started", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_device_monitor_init (BeaconDeviceMonitor *self)
{
  self->monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (self->monitor, CAMERA_CLASS, NULL);
  gst_device_monitor_add_filter (self->monitor, MICROPHONE_CLASS, NULL);
  self->bus = gst_device_monitor_get_bus (self->monitor);
  self->cameras = g_list_store_new (GST_TYPE_DEVICE);
  self->microphones = g_list_store_new (GST_TYPE_DEVICE);
}

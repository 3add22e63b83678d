/* beacon-device-monitor.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define BEACON_TYPE_DEVICE_MONITOR (beacon_device_monitor_get_type ())

G_DECLARE_FINAL_TYPE (BeaconDeviceMonitor, beacon_device_monitor, BEACON, DEVICE_MONITOR, GObject)

/* The cameras ("Video/Source") and microphones ("Audio/Source", without the monitors of
 * speakers) GStreamer's device providers see, as two GListModels of GstDevice that follow
 * hot-plugging. Changes arrive on the main context that was the thread default when
 * start_async () was called. Properties: "cameras", "microphones" (GListModel, never NULL),
 * "started". */
BeaconDeviceMonitor *beacon_device_monitor_new             (void);
/* Starts the device providers on a worker thread (some talk to PipeWire, PulseAudio or udev
 * and take long), then lists the devices they found and follows their changes. "started"
 * becomes TRUE before @callback runs. Finish FALSE with an error when no device provider could
 * start (none installed, or all failed), or G_IO_ERROR_CANCELLED when @cancellable was
 * cancelled or stop () was called first; G_IO_ERROR_PENDING while another start runs. */
void                 beacon_device_monitor_start_async     (BeaconDeviceMonitor  *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             beacon_device_monitor_start_finish    (BeaconDeviceMonitor  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                 beacon_device_monitor_stop            (BeaconDeviceMonitor  *self);
gboolean             beacon_device_monitor_get_started     (BeaconDeviceMonitor  *self);
GListModel          *beacon_device_monitor_get_cameras     (BeaconDeviceMonitor  *self);
GListModel          *beacon_device_monitor_get_microphones (BeaconDeviceMonitor  *self);

G_END_DECLS

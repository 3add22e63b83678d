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
 * hot-plugging. Changes arrive on the main context that was the thread default when start ()
 * was called. Properties: "cameras", "microphones" (GListModel, never NULL), "started". */
BeaconDeviceMonitor *beacon_device_monitor_new             (void);
/* FALSE with an error when no device provider could start (none installed, or all failed). */
gboolean             beacon_device_monitor_start           (BeaconDeviceMonitor  *self,
                                                            GError              **error);
void                 beacon_device_monitor_stop            (BeaconDeviceMonitor  *self);
gboolean             beacon_device_monitor_get_started     (BeaconDeviceMonitor  *self);
GListModel          *beacon_device_monitor_get_cameras     (BeaconDeviceMonitor  *self);
GListModel          *beacon_device_monitor_get_microphones (BeaconDeviceMonitor  *self);

G_END_DECLS

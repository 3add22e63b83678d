/* beacon-camera-portal.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Inside a sandbox (Flatpak) cameras are reached through the Camera portal: the user grants
 * access, the portal hands over a PipeWire connection, and GStreamer's PipeWire device
 * provider lists and opens the cameras through it. Outside a sandbox none of this is needed. */
gboolean beacon_camera_portal_is_needed (void);

/* Asks for camera access; on success the PipeWire device provider uses the portal's
 * connection from then on, so a device monitor restarted afterwards lists the cameras. */
void     beacon_camera_portal_request_async  (GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean beacon_camera_portal_request_finish (GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS

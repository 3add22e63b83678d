/* beacon-camera-portal.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-camera-portal.h"

#include <gst/gst.h>
#include <libportal/portal.h>
#include <unistd.h>

#include "beacon-media-source.h"

gboolean
beacon_camera_portal_is_needed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* The device provider is a process-wide singleton, so its "fd" reaches the device monitor and
 * every pipewiresrc it creates. */
static gboolean
hand_fd_to_pipewire (int      fd,
                     GError **error)
{
  g_autoptr(GstDeviceProvider) provider =
    gst_device_provider_factory_get_by_name ("pipewiredeviceprovider");

  if (provider == NULL ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (provider), "fd") == NULL)
    {
      close (fd);
      g_set_error (error, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_MISSING_ELEMENT,
                   "the GStreamer PipeWire plugin is missing, so the camera cannot be opened");
      return FALSE;
    }
  g_object_set (provider, "fd", fd, NULL);
  return TRUE;
}

static void
camera_access_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  XdpPortal *portal = XDP_PORTAL (source);
  int fd;

  if (!xdp_portal_access_camera_finish (portal, result, &error))
    {
      g_task_return_new_error (task, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_NO_CAMERA,
                               "camera access was not granted: %s", error->message);
      return;
    }
  fd = xdp_portal_open_pipewire_remote_for_camera (portal);
  if (fd < 0)
    {
      g_task_return_new_error (task, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_NO_CAMERA,
                               "the camera portal gave no PipeWire connection");
      return;
    }
  if (!hand_fd_to_pipewire (fd, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
beacon_camera_portal_request_async (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(XdpPortal) portal = xdp_portal_new ();

  g_task_set_source_tag (task, beacon_camera_portal_request_async);
  if (!xdp_portal_is_camera_present (portal))
    {
      g_task_return_new_error (task, BEACON_MEDIA_ERROR, BEACON_MEDIA_ERROR_NO_CAMERA,
                               "no camera found");
      return;
    }
  /* The task keeps the portal alive until the user has answered. */
  g_task_set_task_data (task, g_object_ref (portal), g_object_unref);
  xdp_portal_access_camera (portal, NULL, XDP_CAMERA_FLAG_NONE, cancellable, camera_access_cb,
                            g_steal_pointer (&task));
}

gboolean
beacon_camera_portal_request_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* beacon-test-camera.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-camera.h"

G_DECLARE_FINAL_TYPE (TestCamera, test_camera, TEST, CAMERA, GstDevice)
#define TEST_TYPE_CAMERA (test_camera_get_type ())

struct _TestCamera {
  GstDevice  parent_instance;
  char      *launch;
};

G_DEFINE_FINAL_TYPE (TestCamera, test_camera, GST_TYPE_DEVICE)

static GstElement *
test_camera_create_element (GstDevice  *device,
                            const char *name)
{
  g_autoptr(GError) error = NULL;
  GstElement *element = gst_parse_bin_from_description (TEST_CAMERA (device)->launch, TRUE,
                                                        &error);

  g_assert_no_error (error);
  if (name != NULL)
    gst_object_set_name (GST_OBJECT (element), name);
  return element;
}

static void
test_camera_finalize (GObject *object)
{
  g_free (TEST_CAMERA (object)->launch);
  G_OBJECT_CLASS (test_camera_parent_class)->finalize (object);
}

static void
test_camera_class_init (TestCameraClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_camera_finalize;
  GST_DEVICE_CLASS (klass)->create_element = test_camera_create_element;
}

static void
test_camera_init (TestCamera *self)
{
}

GstDevice *
beacon_test_camera_new (const char *launch)
{
  TestCamera *camera = g_object_new (TEST_TYPE_CAMERA, "display-name", "Test Camera",
                                     "device-class", "Video/Source", NULL);

  camera->launch = g_strdup (launch);
  return GST_DEVICE (camera);
}


/* beacon-test-camera.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* A camera device made up for tests (this machine has none): a GstDevice of class
 * Video/Source whose element is the real GStreamer bin described by @launch (a gst-launch
 * line), e.g. a V4L2 source on a device node that does not exist. */
GstDevice *beacon_test_camera_new (const char *launch);

G_END_DECLS

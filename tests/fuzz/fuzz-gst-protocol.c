/* fuzz-gst-protocol.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-gst-protocol.h"
#include "fuzz-common.h"

/* One WebSocket text frame of the GStreamer signalling protocol, as a server or a peer may send
 * it. What parses must serialise to a frame that parses again to the same type: the direct
 * server relays messages it parsed. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconGstMessage) message = NULL;
  g_autoptr(BeaconGstMessage) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  /* The frame is not NUL-terminated: the parser must keep to @size. */
  message = beacon_gst_message_parse ((const char *) data, size, &error);
  if (message == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  json = beacon_gst_message_to_json (message);
  again = beacon_gst_message_parse (json, -1, &error);
  if (again == NULL)
    g_error ("a parsed message did not survive serialisation: %s: %s", json, error->message);
  g_assert_cmpint (again->type, ==, message->type);
  g_assert_cmpstr (again->session_id, ==, message->session_id);
  g_assert_cmpstr (again->sdp, ==, message->sdp);
  g_assert_cmpstr (again->candidate, ==, message->candidate);
  return 0;
}

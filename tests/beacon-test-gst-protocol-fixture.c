/* beacon-test-gst-protocol-fixture.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsing and building GStreamer signalling messages for test-gst-protocol.c and
 * test-gst-protocol-malformed.c. The helpers keep the short names they had when all of this was
 * one file, so that the cases read as before.
 */

#include "config.h"

#include "beacon-test-gst-protocol-fixture.h"

void
assert_parse_error (const char *text,
                    gssize      length,
                    int         code,
                    const char *substring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconGstMessage) message = NULL;

  message = beacon_gst_message_parse (text, length, &error);
  g_assert_null (message);
  g_assert_error (error, BEACON_GST_PROTOCOL_ERROR, code);
  if (substring != NULL && strstr (error->message, substring) == NULL)
    g_error ("error message \"%s\" does not contain \"%s\"", error->message, substring);
}

BeaconGstMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  BeaconGstMessage *message;

  message = beacon_gst_message_parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);

  return message;
}

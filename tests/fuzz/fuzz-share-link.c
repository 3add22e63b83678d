/* fuzz-share-link.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-fingerprint.h"
#include "beacon-share-link.h"
#include "fuzz-common.h"

/* A share link (pasted, or opened from another program) and a pin from the command line. A pin
 * that parses must format and parse back to itself: it is what a viewer compares the
 * broadcaster's certificate with. */

static void
check_pin (const char *pin)
{
  g_autofree char *formatted = beacon_fingerprint_format_pin (pin);
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;

  again = beacon_fingerprint_parse_pin (formatted, &error);
  if (again == NULL)
    g_error ("the pin %s does not parse back: %s", formatted, error->message);
  g_assert_cmpstr (again, ==, pin);
  g_assert_true (beacon_fingerprint_equal (again, pin));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_dup_string (data, size);
  g_autoptr(BeaconShareLink) link = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;

  link = beacon_share_link_parse (text, &error);
  g_assert_true ((link == NULL) == (error != NULL));
  g_clear_error (&error);
  if (link != NULL)
    {
      g_autofree char *formatted = NULL;

      gboolean pins_tls = link->pin != NULL;
      g_autofree char *identity = g_strdup (link->identity);

      g_assert_nonnull (link->url);
      g_assert_true (link->pin == NULL || g_strcmp0 (link->pin, link->identity) == 0);
      if (link->identity != NULL)
        check_pin (link->identity);
      formatted = beacon_share_link_format (link->url, link->identity, pins_tls, NULL);
      g_clear_pointer (&link, beacon_share_link_free);
      link = beacon_share_link_parse (formatted, &error);
      if (link == NULL)
        g_error ("a share link does not parse back: %s: %s", formatted, error->message);
      g_assert_cmpstr (link->identity, ==, identity);
      g_assert_true ((link->pin != NULL) == pins_tls);
    }

  pin = beacon_fingerprint_parse_pin (text, &error);
  g_assert_true ((pin == NULL) == (error != NULL));
  if (pin != NULL)
    check_pin (pin);
  return 0;
}

/* test-link-address.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The address a share link names: the machine's addresses to choose from, a link changed
 * while live, and links that name an IPv6 literal (real sessions on the test's loopback).
 */

#include "beacon-local-addresses.h"
#include "beacon-share-link.h"
#include "beacon-test-session.h"

/* In the test's network namespace only loopback is up: 127.0.0.1 and ::1, loopback last
 * (after any other address), IPv4 before IPv6. */
static void
test_local_addresses (void)
{
  g_autoptr(GPtrArray) addresses = beacon_local_addresses_list ();
  gboolean seen_ipv4 = FALSE, seen_ipv6 = FALSE, seen_loopback = FALSE;

  for (guint i = 0; i < addresses->len; i++)
    {
      BeaconLocalAddress *address = g_ptr_array_index (addresses, i);

      g_test_message ("%s on %s%s", address->address, address->interface,
                      address->loopback ? " (loopback)" : "");
      if (seen_loopback)
        g_assert_true (address->loopback);
      seen_loopback |= address->loopback;
      if (g_str_equal (address->address, "127.0.0.1"))
        {
          g_assert_true (address->loopback);
          g_assert_cmpstr (address->interface, ==, "lo");
          g_assert_false (seen_ipv6);
          seen_ipv4 = TRUE;
        }
      if (g_str_equal (address->address, "::1"))
        {
          g_assert_true (address->loopback);
          seen_ipv6 = TRUE;
        }
      g_assert_false (g_str_has_prefix (address->address, "fe80:"));
    }
  g_assert_true (seen_ipv4);
  g_assert_true (seen_ipv6);
}

/* A broadcast bound to ::1 shares wss://[::1]:PORT/ and a viewer plays it: the viewer's TLS
 * client sends no SNI for an address (a GnuTLS server ends the handshake on one). */
static void
test_ipv6_link_plays (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-link-XXXXXX", &error);
  g_autoptr(BeaconSession) broadcast = NULL;
  g_autoptr(BeaconSession) viewer = NULL;

  g_assert_no_error (error);
  broadcast = beacon_test_new_broadcast (dir, NULL);
  g_object_set (broadcast, "bind-address", "::1", NULL);
  beacon_session_start (broadcast);
  beacon_test_wait_session_state (broadcast, BEACON_SESSION_STATE_LIVE, 30);
  g_test_message ("%s", beacon_session_get_share_url (broadcast));
  g_assert_true (g_str_has_prefix (beacon_session_get_share_url (broadcast), "wss://[::1]:"));

  viewer = beacon_test_start_viewer (dir, "viewer", broadcast);
  beacon_test_wait_frames_beyond (viewer, 10, 30);
  beacon_test_stop_session (viewer);
  beacon_test_stop_session (broadcast);
}

/* Listening on every address, the link's host is a choice that can change while live: the
 * link changes at once (one notification), the server does not restart, and a viewer of the
 * new link plays; an empty choice goes back to the automatic one. */
static void
test_link_host_changes_while_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-link-XXXXXX", &error);
  g_autoptr(BeaconSession) broadcast = NULL;
  g_autoptr(BeaconSession) viewer = NULL;
  g_autofree char *first_url = NULL;
  g_autofree char *port = NULL;
  const char *url;
  guint notifications = 0;

  g_assert_no_error (error);
  broadcast = beacon_test_new_broadcast (dir, NULL);
  g_object_set (broadcast, "bind-address", "", NULL);
  beacon_session_start (broadcast);
  beacon_test_wait_session_state (broadcast, BEACON_SESSION_STATE_LIVE, 30);
  first_url = g_strdup (beacon_session_get_share_url (broadcast));
  g_test_message ("automatic: %s", first_url);
  port = g_strdup (strrchr (strstr (first_url, "://") + 3, ':'));

  g_signal_connect (broadcast, "notify::share-url", G_CALLBACK (beacon_test_count_notify_cb), &notifications);
  beacon_session_set_link_host (broadcast, "::1");
  url = beacon_session_get_share_url (broadcast);
  g_test_message ("chosen: %s", url);
  g_assert_cmpuint (notifications, ==, 1);
  g_assert_true (g_str_has_prefix (url, "wss://[::1]:"));
  /* Same port, same pin: only the host changed. */
  g_assert_nonnull (strstr (url, port));
  g_assert_cmpstr (strchr (url, '#'), ==, strchr (first_url, '#'));
  g_assert_cmpint (beacon_session_get_state (broadcast), ==, BEACON_SESSION_STATE_LIVE);

  viewer = beacon_test_start_viewer (dir, "viewer", broadcast);
  beacon_test_wait_frames_beyond (viewer, 10, 30);
  beacon_test_stop_session (viewer);

  beacon_session_set_link_host (broadcast, "");
  g_assert_cmpstr (beacon_session_get_share_url (broadcast), ==, first_url);
  g_assert_cmpuint (notifications, ==, 2);
  beacon_test_stop_session (broadcast);
}

/* The browser form of a link: https, the same host (IPv6 in brackets) and port, the viewer
 * page of the named broadcast, no fragment (the pin is not the page's to carry); a link that
 * is not wss:// has none. */
static void
test_browser_url (void)
{
#define PIN "sha256:89:CA:43:05:FB:E3:FB:CF:A4:5C:13:C0:14:F1:1B:81:FB:96:D2:F0:F7:A0:69:02:FA:C4:38:44:5F:24:07:7A"
  static const struct {
    const char *link;
    const char *expected;
  } cases[] = {
    { "wss://192.0.2.7:8443/#pin=" PIN, "https://192.0.2.7:8443/" },
    { "wss://[::1]:8443/#pin=" PIN "&producer=My%20Show", "https://[::1]:8443/watch/My%20Show" },
    { "wss://beacon.example/#id=" PIN "&producer=studio", "https://beacon.example/watch/studio" },
    { "ws://192.0.2.7:8443/#pin=" PIN, NULL },
    { "not a link", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = beacon_share_link_browser_url (cases[i].link);

      g_test_message ("%s → %s", cases[i].link, url);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }
#undef PIN
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/link-address/local-addresses", test_local_addresses);
  g_test_add_func ("/beacon/link-address/browser-url", test_browser_url);
  g_test_add_func ("/beacon/link-address/ipv6-link-plays", test_ipv6_link_plays);
  g_test_add_func ("/beacon/link-address/link-host-changes-while-live",
                   test_link_host_changes_while_live);

  return g_test_run ();
}

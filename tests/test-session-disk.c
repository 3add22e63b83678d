/* test-session-disk.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session never waits for the disk on the main loop: the identity and the pin store are
 * read and written on worker threads. To make "the disk is slow" something a test can hold,
 * the file is a FIFO: open () for reading blocks until a writer comes, and the test is that
 * writer. Were the read on the main loop, the test itself would hang there (meson's timeout
 * ends it). While the pin store has not answered, the viewer must not show the picture or
 * call the broadcaster verified: trust on first use is part of the verdict.
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beacon-identity.h"
#include "beacon-security-report.h"
#include "beacon-test-session.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("beacon-session-disk-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->dir);
}

static char *
make_fifo (const char *dir,
           const char *name,
           const char *file_name)
{
  g_autofree char *data_dir = g_build_filename (dir, name, NULL);
  char *path = g_build_filename (data_dir, file_name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  return path;
}

/* Iterates the main loop until a reader waits on @fifo (a non-blocking open for writing only
 * succeeds then), and returns that writing end. The reader's open () returns then; its read ()
 * waits for what the test writes, and ends when the test closes @fd. */
static int
wait_for_reader (const char *fifo,
                 guint       timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;
  int fd;

  while ((fd = g_open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0)) < 0 &&
         errno == ENXIO && g_get_monotonic_time () < deadline)
    beacon_test_spin (20);
  if (fd < 0)
    g_error ("nothing opened %s to read within %u s: %s", fifo, timeout_seconds,
             g_strerror (errno));
  return fd;
}

static guint ticks;

static gboolean
tick_cb (gpointer user_data)
{
  ticks++;
  return G_SOURCE_CONTINUE;
}

/* The broadcaster's identity file cannot be opened yet: the session waits for it without
 * stopping the main loop, and what it finds (not a regular file) fails it with that reason. */
static void
test_identity_read_off_main_loop (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *fifo = make_fifo (fixture->dir, "broadcaster", "identity.pem");
  g_autoptr(BeaconSession) broadcast = beacon_test_new_broadcast (fixture->dir, NULL);
  guint tick_source = g_timeout_add (10, tick_cb, NULL);
  const GError *error;
  int fd;

  ticks = 0;
  beacon_session_start (broadcast);
  /* The reader is blocked in open () until a writer comes; the main loop goes on meanwhile. */
  beacon_test_spin (500);
  g_assert_cmpuint (ticks, >=, 20);
  g_assert_cmpint (beacon_session_get_state (broadcast), ==, BEACON_SESSION_STATE_CONNECTING);
  g_assert_null (beacon_session_get_share_url (broadcast));

  fd = wait_for_reader (fifo, 10);
  g_assert_cmpint (close (fd), ==, 0);
  beacon_test_wait_session_state (broadcast, BEACON_SESSION_STATE_FAILED, 10);
  error = beacon_session_get_error (broadcast);
  g_assert_error (error, BEACON_IDENTITY_ERROR, BEACON_IDENTITY_ERROR_LOAD);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_source_remove (tick_source);
}

/* A stop while the identity is still being read: the late answer must not start anything. */
static void
test_stop_while_identity_pending (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *fifo = make_fifo (fixture->dir, "broadcaster", "identity.pem");
  g_autoptr(BeaconSession) broadcast = beacon_test_new_broadcast (fixture->dir, NULL);
  int fd;

  beacon_session_start (broadcast);
  beacon_test_spin (200);
  beacon_test_stop_session (broadcast);
  fd = wait_for_reader (fifo, 10);
  g_assert_cmpint (close (fd), ==, 0);
  beacon_test_spin (500);
  g_assert_cmpint (beacon_session_get_state (broadcast), ==, BEACON_SESSION_STATE_IDLE);
  g_assert_null (beacon_session_get_error (broadcast));
  g_assert_null (beacon_session_get_share_url (broadcast));
}

/* The viewer's pin store answers late: until then no frame is decoded, the session is not
 * connected and the report does not say "verified"; after the answer (an empty store: first
 * use) the picture comes, and the broadcaster's identity is remembered on disk. */
static void
test_pin_check_holds_media (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(BeaconSession) broadcast = beacon_test_start_broadcast (fixture->dir, NULL);
  g_autofree char *fifo = make_fifo (fixture->dir, "viewer", "pins.json");
  g_autoptr(BeaconSession) viewer = beacon_test_start_viewer (fixture->dir, "viewer", broadcast);
  g_autofree char *pins = NULL;
  BeaconSecurityReport *report;
  guint tick_source = g_timeout_add (10, tick_cb, NULL);
  int fd;

  ticks = 0;
  /* The pin store is read once DTLS is up and the certificate matched the SDP. */
  fd = wait_for_reader (fifo, 30);
  beacon_test_spin (1000);
  g_assert_cmpuint (ticks, >=, 50);
  report = beacon_session_get_security_report (viewer);
  g_assert_cmpuint (beacon_session_get_frames_decoded (viewer), ==, 0);
  g_assert_cmpint (beacon_session_get_state (viewer), ==, BEACON_SESSION_STATE_NEGOTIATING);
  g_assert_false (beacon_security_report_get_verified (report));
  g_assert_null (beacon_security_report_get_pin_status (report));

  g_assert_cmpint (write (fd, "{}", 2), ==, 2);
  g_assert_cmpint (close (fd), ==, 0);
  beacon_test_wait_frames_beyond (viewer, 5, 20);
  g_assert_true (beacon_security_report_get_verified (report));
  g_assert_cmpstr (beacon_security_report_get_pin_status (report), ==, "new");
  /* The FIFO was replaced by the store, which names the broadcaster. */
  g_assert_true (g_file_get_contents (fifo, &pins, NULL, NULL));
  g_assert_nonnull (strstr (pins, "wss://127.0.0.1:"));

  beacon_test_stop_session (viewer);
  beacon_test_stop_session (broadcast);
  g_source_remove (tick_source);
}

/* A stop while the pin store has not answered: nothing is let through afterwards. */
static void
test_stop_while_pin_check_pending (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(BeaconSession) broadcast = beacon_test_start_broadcast (fixture->dir, NULL);
  g_autofree char *fifo = make_fifo (fixture->dir, "viewer", "pins.json");
  g_autoptr(BeaconSession) viewer = beacon_test_start_viewer (fixture->dir, "viewer", broadcast);
  int fd;

  fd = wait_for_reader (fifo, 30);
  beacon_test_stop_session (viewer);
  g_assert_cmpint (write (fd, "{}", 2), ==, 2);
  g_assert_cmpint (close (fd), ==, 0);
  beacon_test_spin (1000);
  g_assert_cmpint (beacon_session_get_state (viewer), ==, BEACON_SESSION_STATE_IDLE);
  g_assert_cmpuint (beacon_session_get_frames_decoded (viewer), ==, 0);
  beacon_test_stop_session (broadcast);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define add(path, func) \
  g_test_add ("/beacon/session-disk/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add ("identity-read-off-main-loop", test_identity_read_off_main_loop);
  add ("stop-while-identity-pending", test_stop_while_identity_pending);
  add ("pin-check-holds-media", test_pin_check_holds_media);
  add ("stop-while-pin-check-pending", test_stop_while_pin_check_pending);
#undef add

  return g_test_run ();
}

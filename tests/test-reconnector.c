/* test-reconnector.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BeaconReconnector: its schedule, which errors it retries, and that it gives up in time
 * against a real port on 127.0.0.1 where nothing listens.
 */

#include "beacon-reconnector.h"
#include "beacon-test-child.h"

static void
test_schedule (void)
{
  const guint expected[] = { 500, 1000, 2000, 4000, 8000, 8000, 8000 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (beacon_reconnector_delay_ms (500, 8000, 20, i + 1, 0.0), ==, expected[i]);
  /* ±20 % at the ends of the jitter. */
  g_assert_cmpuint (beacon_reconnector_delay_ms (500, 8000, 20, 1, -1.0), ==, 400);
  g_assert_cmpuint (beacon_reconnector_delay_ms (500, 8000, 20, 1, 1.0), ==, 600);
  g_assert_cmpuint (beacon_reconnector_delay_ms (500, 8000, 20, 40, 1.0), ==, 9600);
  g_assert_cmpuint (beacon_reconnector_delay_ms (500, 8000, 20, 40, -1.0), ==, 6400);
  /* A huge attempt number does not overflow. */
  g_assert_cmpuint (beacon_reconnector_delay_ms (500, 8000, 0, G_MAXUINT, 0.0), ==, 8000);
}

static void
test_retryable (void)
{
  const struct {
    int      code;
    gboolean retry;
  } cases[] = {
    { BEACON_SIGNALER_ERROR_CONNECT, TRUE },
    { BEACON_SIGNALER_ERROR_CLOSED, TRUE },
    { BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND, TRUE },
    { BEACON_SIGNALER_ERROR_BUSY, TRUE },
    { BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED, FALSE },
    { BEACON_SIGNALER_ERROR_INSECURE, FALSE },
    { BEACON_SIGNALER_ERROR_UNAUTHORIZED, FALSE },
    { BEACON_SIGNALER_ERROR_INVALID_URL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new (BEACON_SIGNALER_ERROR, cases[i].code, "x");

      g_assert_cmpint (beacon_reconnector_error_is_retryable (error), ==, cases[i].retry);
    }
}

typedef struct {
  guint    waits;
  guint    last_attempt;
  guint    longest_delay;
  guint    created;
  GError  *error;
  gboolean done;
} Counts;

static void
waiting_cb (BeaconReconnector *reconnector,
            guint              attempt,
            guint              delay_ms,
            Counts            *counts)
{
  g_assert_cmpuint (attempt, ==, counts->last_attempt + 1);
  counts->last_attempt = attempt;
  counts->longest_delay = MAX (counts->longest_delay, delay_ms);
  counts->waits++;
}

static void
signaler_created_cb (BeaconReconnector *reconnector,
                     BeaconSignaler    *signaler,
                     Counts            *counts)
{
  counts->created++;
}

static void
failed_cb (BeaconReconnector *reconnector,
           const GError      *error,
           Counts            *counts)
{
  g_assert_null (counts->error);
  counts->error = g_error_copy (error);
  counts->done = TRUE;
}

static BeaconReconnector *
make_reconnector (const char *url,
                  guint       give_up_ms,
                  Counts     *counts)
{
  BeaconSignalerOptions *options = beacon_signaler_options_new ();
  BeaconReconnector *reconnector;

  options->dialect = g_strdup ("direct");
  options->url = g_strdup (url);
  options->pin = g_strdup ("AB:CD");
  reconnector = beacon_reconnector_new (options, BEACON_SIGNALER_ROLE_WATCH, NULL, give_up_ms);
  beacon_reconnector_set_backoff (reconnector, 50, 200, 20, 1000);
  g_signal_connect (reconnector, "waiting", G_CALLBACK (waiting_cb), counts);
  g_signal_connect (reconnector, "signaler-created", G_CALLBACK (signaler_created_cb), counts);
  g_signal_connect (reconnector, "failed", G_CALLBACK (failed_cb), counts);
  return reconnector;
}

/* Nothing listens: every attempt is refused, and after the time given it gives up, saying so
 * and why. */
static void
test_gives_up (void)
{
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/", beacon_test_free_port_of_type (G_SOCKET_TYPE_STREAM));
  Counts counts = { 0 };
  BeaconReconnector *reconnector = make_reconnector (url, 1000, &counts);
  g_autoptr(GError) reason = g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                                          "closed");
  gint64 started = g_get_monotonic_time ();
  gint64 took_ms;

  beacon_reconnector_begin (reconnector, reason);
  g_assert_true (beacon_reconnector_is_active (reconnector));
  g_assert_cmpint (beacon_reconnector_get_since_us (reconnector), >=, started);
  g_assert_true (beacon_test_iterate_until (&counts.done, 10000));
  took_ms = (g_get_monotonic_time () - started) / 1000;

  g_assert_error (counts.error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED);
  g_assert_nonnull (strstr (counts.error->message, "gave up reconnecting"));
  g_assert_nonnull (strstr (counts.error->message, "could not connect"));
  /* 50 ms doubling to 200 ms within one second: several attempts, none waited for long. */
  g_assert_cmpuint (counts.waits, >=, 4);
  g_assert_cmpuint (counts.created, ==, counts.waits);
  g_assert_cmpuint (counts.longest_delay, <=, 240);
  g_assert_cmpint (took_ms, >=, 1000);
  g_assert_cmpint (took_ms, <, 5000);
  g_assert_false (beacon_reconnector_is_active (reconnector));
  g_assert_cmpuint (beacon_reconnector_get_reconnects (reconnector), ==, 0);

  g_clear_error (&counts.error);
  g_assert_finalize_object (reconnector);
}

/* An error no retry can mend ends it at the first attempt, whatever time is left. */
static void
test_refusal_ends_at_once (void)
{
  Counts counts = { 0 };
  BeaconReconnector *reconnector = make_reconnector ("ws://127.0.0.1:9/", 60000, &counts);

  beacon_reconnector_begin (reconnector, NULL);
  g_assert_true (beacon_test_iterate_until (&counts.done, 5000));
  g_assert_error (counts.error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE);
  g_assert_cmpuint (counts.waits, ==, 1);
  g_assert_false (beacon_reconnector_is_active (reconnector));

  g_clear_error (&counts.error);
  g_assert_finalize_object (reconnector);
}

/* Cancelled while waiting, it says nothing more and goes away. */
static void
test_cancel (void)
{
  Counts counts = { 0 };
  BeaconReconnector *reconnector = make_reconnector ("wss://127.0.0.1:9/", 60000, &counts);
  gboolean never = FALSE;

  beacon_reconnector_begin (reconnector, NULL);
  beacon_reconnector_cancel (reconnector);
  g_assert_false (beacon_reconnector_is_active (reconnector));
  beacon_test_iterate_until (&never, 300);
  g_assert_cmpuint (counts.created, ==, 0);
  g_assert_false (counts.done);
  g_assert_finalize_object (reconnector);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/reconnector/schedule", test_schedule);
  g_test_add_func ("/beacon/reconnector/retryable", test_retryable);
  g_test_add_func ("/beacon/reconnector/gives-up", test_gives_up);
  g_test_add_func ("/beacon/reconnector/refusal-ends-at-once", test_refusal_ends_at_once);
  g_test_add_func ("/beacon/reconnector/cancel", test_cancel);

  return g_test_run ();
}

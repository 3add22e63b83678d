/* test-ice-gathering.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-ice-gathering.h"

/* beacon-ice-gathering: each way a wait ends, each way it must not call back. Short times keep
 * the test fast; the order of events, not their exact time, is what is checked. */

#define QUIET_MS 30
#define MAX_MS   300

typedef struct {
  guint                    calls;
  BeaconIceGatheringReason reason;
  gint64                   waited_us;
  gint64                   started_us;
  gboolean                 unref_in_callback;
} Result;

static void
finished_cb (BeaconIceGathering       *gathering,
             BeaconIceGatheringReason  reason,
             gpointer                  user_data)
{
  Result *result = user_data;

  result->calls++;
  result->reason = reason;
  result->waited_us = g_get_monotonic_time () - result->started_us;
  if (result->unref_in_callback)
    g_object_unref (gathering);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
start_wait (BeaconIceGathering *gathering,
            GCancellable       *cancellable,
            Result             *result)
{
  result->started_us = g_get_monotonic_time ();
  beacon_ice_gathering_wait (gathering, cancellable, finished_cb, result);
}

static void
test_settled (void)
{
  g_autoptr(BeaconIceGathering) gathering = beacon_ice_gathering_new (QUIET_MS, MAX_MS);
  Result result = { 0 };

  /* A candidate before the description counts: the quiet time runs from the wait. */
  beacon_ice_gathering_add_candidate (gathering, "candidate:1 1 UDP 1 192.0.2.1 1 typ host");
  start_wait (gathering, NULL, &result);
  g_assert_true (beacon_ice_gathering_is_waiting (gathering));
  iterate_for (QUIET_MS / 2);
  beacon_ice_gathering_add_candidate (gathering, "candidate:2 1 UDP 1 192.0.2.1 2 typ host");
  iterate_for (MAX_MS / 2);
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_cmpint (result.reason, ==, BEACON_ICE_GATHERING_SETTLED);
  /* The second candidate restarted the quiet time. */
  g_assert_cmpint (result.waited_us, >=, (QUIET_MS + QUIET_MS / 2) * G_TIME_SPAN_MILLISECOND);
  g_assert_false (beacon_ice_gathering_is_waiting (gathering));
  g_assert_false (beacon_ice_gathering_is_complete (gathering));
  g_assert_finalize_object (g_steal_pointer (&gathering));
}

static void
test_deadline (void)
{
  g_autoptr(BeaconIceGathering) gathering = beacon_ice_gathering_new (QUIET_MS, MAX_MS);
  Result result = { 0 };

  /* No candidate at all: only the deadline ends the wait. */
  start_wait (gathering, NULL, &result);
  iterate_for (MAX_MS / 2);
  g_assert_cmpuint (result.calls, ==, 0);
  iterate_for (MAX_MS);
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_cmpint (result.reason, ==, BEACON_ICE_GATHERING_DEADLINE);

  /* Candidates that never stop coming do not hold it longer. */
  result.calls = 0;
  start_wait (gathering, NULL, &result);
  while (result.calls == 0 && result.started_us + 3 * MAX_MS * 1000 > g_get_monotonic_time ())
    {
      beacon_ice_gathering_add_candidate (gathering, "candidate:1 1 UDP 1 192.0.2.1 1 typ host");
      iterate_for (QUIET_MS / 3);
    }
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_cmpint (result.reason, ==, BEACON_ICE_GATHERING_DEADLINE);
  g_assert_finalize_object (g_steal_pointer (&gathering));
}

static void
test_complete (void)
{
  g_autoptr(BeaconIceGathering) gathering = beacon_ice_gathering_new (QUIET_MS, MAX_MS);
  Result result = { 0 };

  /* The end of candidates during the wait calls back at once. */
  start_wait (gathering, NULL, &result);
  beacon_ice_gathering_add_candidate (gathering, "candidate:1 1 UDP 1 192.0.2.1 1 typ host");
  beacon_ice_gathering_add_candidate (gathering, "");
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_cmpint (result.reason, ==, BEACON_ICE_GATHERING_COMPLETE);
  g_assert_true (beacon_ice_gathering_is_complete (gathering));
  iterate_for (MAX_MS + QUIET_MS);
  g_assert_cmpuint (result.calls, ==, 1);

  /* Once complete, a new wait calls back before it returns. */
  start_wait (gathering, NULL, &result);
  g_assert_cmpuint (result.calls, ==, 2);
  g_assert_cmpint (result.reason, ==, BEACON_ICE_GATHERING_COMPLETE);

  /* A reset forgets it (a new peer connection gathers anew). */
  beacon_ice_gathering_reset (gathering);
  g_assert_false (beacon_ice_gathering_is_complete (gathering));
  start_wait (gathering, NULL, &result);
  g_assert_cmpuint (result.calls, ==, 2);
  beacon_ice_gathering_add_candidate (gathering, NULL);
  g_assert_cmpuint (result.calls, ==, 3);
  g_assert_finalize_object (g_steal_pointer (&gathering));
}

static void
test_no_callback (void)
{
  g_autoptr(BeaconIceGathering) gathering = beacon_ice_gathering_new (QUIET_MS, MAX_MS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0 };
  Result replaced = { 0 };

  /* Stopped. */
  beacon_ice_gathering_add_candidate (gathering, "candidate:1 1 UDP 1 192.0.2.1 1 typ host");
  start_wait (gathering, NULL, &result);
  beacon_ice_gathering_stop (gathering);
  g_assert_false (beacon_ice_gathering_is_waiting (gathering));
  beacon_ice_gathering_add_candidate (gathering, "");
  iterate_for (MAX_MS + QUIET_MS);
  g_assert_cmpuint (result.calls, ==, 0);

  /* Cancelled, also when the end of candidates comes afterwards. */
  beacon_ice_gathering_reset (gathering);
  start_wait (gathering, cancellable, &result);
  g_cancellable_cancel (cancellable);
  iterate_for (MAX_MS + QUIET_MS);
  g_assert_cmpuint (result.calls, ==, 0);
  start_wait (gathering, cancellable, &result);
  beacon_ice_gathering_add_candidate (gathering, "");
  g_assert_cmpuint (result.calls, ==, 0);

  /* Replaced by a new wait: only the new one calls back. */
  beacon_ice_gathering_reset (gathering);
  start_wait (gathering, NULL, &replaced);
  start_wait (gathering, NULL, &result);
  beacon_ice_gathering_add_candidate (gathering, "");
  g_assert_cmpuint (replaced.calls, ==, 0);
  g_assert_cmpuint (result.calls, ==, 1);

  /* Disposed while waiting: its timers go with it. */
  beacon_ice_gathering_reset (gathering);
  result.calls = 0;
  start_wait (gathering, NULL, &result);
  g_assert_finalize_object (g_steal_pointer (&gathering));
  iterate_for (MAX_MS + QUIET_MS);
  g_assert_cmpuint (result.calls, ==, 0);
}

static void
test_unref_in_callback (void)
{
  BeaconIceGathering *gathering = beacon_ice_gathering_new (QUIET_MS, MAX_MS);
  Result result = { .unref_in_callback = TRUE };
  GWeakRef weak;

  g_weak_ref_init (&weak, gathering);
  beacon_ice_gathering_add_candidate (gathering, "candidate:1 1 UDP 1 192.0.2.1 1 typ host");
  start_wait (gathering, NULL, &result);
  iterate_for (QUIET_MS * 3);
  g_assert_cmpuint (result.calls, ==, 1);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/ice-gathering/settled", test_settled);
  g_test_add_func ("/beacon/ice-gathering/deadline", test_deadline);
  g_test_add_func ("/beacon/ice-gathering/complete", test_complete);
  g_test_add_func ("/beacon/ice-gathering/no-callback", test_no_callback);
  g_test_add_func ("/beacon/ice-gathering/unref-in-callback", test_unref_in_callback);

  return g_test_run ();
}

/* beacon-reconnector.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "beacon-signaler.h"

G_BEGIN_DECLS

/* The schedule a session uses: 0.5 s doubling up to 8 s, each delay ±20 %. */
#define BEACON_RECONNECT_INITIAL_MS     500
#define BEACON_RECONNECT_MAX_MS         8000
#define BEACON_RECONNECT_JITTER_PERCENT 20
/* How long one attempt (connect, TLS, welcome, list, session) may take before the next. */
#define BEACON_RECONNECT_ATTEMPT_MS     5000

#define BEACON_TYPE_RECONNECTOR (beacon_reconnector_get_type ())

G_DECLARE_FINAL_TYPE (BeaconReconnector, beacon_reconnector, BEACON, RECONNECTOR, GObject)

/* Brings a lost signaling channel back. After begin () it waits (exponential backoff with
 * jitter), makes a fresh signaler from the same options — the same URL, pin and token, so a
 * reconnect trusts exactly what the first connection trusted — and starts it in the same role,
 * until one start succeeds or @give_up_after_ms have passed since begin (). Signals, on the
 * main context:
 *   waiting          (guint attempt, guint delay_ms)  attempt @attempt starts in @delay_ms
 *   signaler-created (BeaconSignaler)  an attempt's signaler, before it starts: connect to it
 *                                      now, or what it reports while starting is missed
 *   reconnected      (BeaconSignaler, char *id)  that signaler started (id as start_finish)
 *   failed           (GError)  no more attempts: an error no retry can mend (an untrusted
 *                              certificate, refused credentials: it fails closed at once, as
 *                              the first connection would), or the time is up */
BeaconReconnector *beacon_reconnector_new          (BeaconSignalerOptions *options,
                                                    BeaconSignalerRole     role,
                                                    const char            *stream_name,
                                                    guint                  give_up_after_ms);
void               beacon_reconnector_set_backoff  (BeaconReconnector     *self,
                                                    guint                  initial_ms,
                                                    guint                  max_ms,
                                                    guint                  jitter_percent,
                                                    guint                  attempt_ms);
/* Starts waiting for the first attempt; @reason is why the channel was lost. Does nothing
 * while already reconnecting. */
void               beacon_reconnector_begin        (BeaconReconnector     *self,
                                                    const GError          *reason);
/* Stops waiting and abandons an attempt under way (its signaler is stopped). */
void               beacon_reconnector_cancel       (BeaconReconnector     *self);
gboolean           beacon_reconnector_is_active    (BeaconReconnector     *self);
/* Monotonic time (g_get_monotonic_time ()) of begin (), or 0 when not reconnecting. */
gint64             beacon_reconnector_get_since_us (BeaconReconnector     *self);
guint              beacon_reconnector_get_attempt  (BeaconReconnector     *self);
/* How many times the channel came back. */
guint              beacon_reconnector_get_reconnects (BeaconReconnector   *self);
guint              beacon_reconnector_get_give_up_after_ms (BeaconReconnector *self);

/* The delay before attempt @attempt (from 1) for a @jitter in [-1, 1]. */
guint              beacon_reconnector_delay_ms     (guint                  initial_ms,
                                                    guint                  max_ms,
                                                    guint                  jitter_percent,
                                                    guint                  attempt,
                                                    double                 jitter);
/* FALSE for the errors no retry can mend (see "failed"). */
gboolean           beacon_reconnector_error_is_retryable (const GError        *error);

G_END_DECLS

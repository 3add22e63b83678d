/* beacon-ice-gathering.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a description that has to carry its own candidates (WHIP, WHEP, no trickle) waits
 * for them: until none has come for BEACON_ICE_GATHERING_QUIET_MS after the first one, and
 * never longer than BEACON_ICE_GATHERING_MAX_MS. GStreamer 1.22's webrtcbin announces no end
 * of its own candidates, and loopback, host and TURN candidates all come within a few tens of
 * milliseconds of each other. */
#define BEACON_ICE_GATHERING_QUIET_MS 200
#define BEACON_ICE_GATHERING_MAX_MS   2000

typedef enum {
  BEACON_ICE_GATHERING_SETTLED,   /* no new candidate for the quiet time */
  BEACON_ICE_GATHERING_DEADLINE,  /* the maximum time passed */
  BEACON_ICE_GATHERING_COMPLETE,  /* the end-of-candidates (empty) candidate came */
} BeaconIceGatheringReason;

#define BEACON_TYPE_ICE_GATHERING (beacon_ice_gathering_get_type ())

G_DECLARE_FINAL_TYPE (BeaconIceGathering, beacon_ice_gathering, BEACON, ICE_GATHERING, GObject)

/* Called once per beacon_ice_gathering_wait (), on the main context the wait started on. The
 * gathering may be unreffed from it. */
typedef void (*BeaconIceGatheringFunc) (BeaconIceGathering       *gathering,
                                        BeaconIceGatheringReason  reason,
                                        gpointer                  user_data);

/* Waits for the local ICE candidates of one description. Candidates are counted from creation
 * (or the last reset), so those that come before the description count too:
 *
 *   gathering = beacon_ice_gathering_new (BEACON_ICE_GATHERING_QUIET_MS,
 *                                         BEACON_ICE_GATHERING_MAX_MS);
 *   on each local candidate:  keep it; beacon_ice_gathering_add_candidate (gathering, text);
 *   on the local description: beacon_ice_gathering_wait (gathering, cancellable,
 *                                                        send_description_cb, owner);
 *   in send_description_cb:   write the candidates kept so far into the description, send it
 *   on stop or dispose:       g_clear_object (&gathering)  (or beacon_ice_gathering_stop ())
 *
 * To replace the hand-made timers of beacon-direct-server.c (WHEP: resource->quiet_source,
 * deadline_source, gathering_done) and beacon-session.c (WHIP ingest: ingest_quiet_source,
 * ingest_deadline_source): one BeaconIceGathering per resource or ingest session; add each
 * candidate as it is kept, wait when the broadcaster's description arrives, send from the
 * callback; the "whep_gathering_*_cb" / "ingest_gathering_*_cb" callbacks and both
 * GATHER_*_MS definitions go. beacon-session.c has no end-of-candidates shortcut today (an empty
 * candidate before the answer waits the quiet time); with this object it answers at once. */
BeaconIceGathering *beacon_ice_gathering_new (guint quiet_ms,
                                              guint max_ms);

/* Counts one local candidate; NULL or "" is the end of the candidates. While waiting, a
 * candidate restarts the quiet time and the end calls back at once (synchronously). */
void beacon_ice_gathering_add_candidate (BeaconIceGathering *self,
                                         const char         *candidate);

/* Starts waiting and calls @func once when gathering settled, the deadline passed or the
 * end-of-candidates came. If the end already came, @func is called before this returns; if no
 * candidate came yet, only the deadline runs until the first one. @func is never called once
 * @cancellable (nullable) is cancelled, after beacon_ice_gathering_stop () or
 * beacon_ice_gathering_reset (), or after the object is disposed. A new wait replaces a
 * running one (whose callback is then never called). */
void beacon_ice_gathering_wait (BeaconIceGathering     *self,
                                GCancellable           *cancellable,
                                BeaconIceGatheringFunc  func,
                                gpointer                user_data);

/* Stops waiting without calling back; the candidates counted so far still count. */
void beacon_ice_gathering_stop (BeaconIceGathering *self);

/* Stops waiting and forgets the candidates counted so far, for a new peer connection. */
void beacon_ice_gathering_reset (BeaconIceGathering *self);

gboolean beacon_ice_gathering_is_waiting  (BeaconIceGathering *self);
/* TRUE once the end-of-candidates came (since creation or the last reset). */
gboolean beacon_ice_gathering_is_complete (BeaconIceGathering *self);

G_END_DECLS

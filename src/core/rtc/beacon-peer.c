/* beacon-peer.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-peer.h"

#define GST_USE_UNSTABLE_API
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>
#include <nice/nice.h>
#include <string.h>

#include "beacon-fingerprint.h"
#include "beacon-loss-recovery.h"
#include "beacon-peer-private.h"
#include "beacon-sdp.h"

G_DEFINE_QUARK (beacon-peer-error, beacon_peer_error)

enum {
  SIGNAL_LOCAL_DESCRIPTION,
  SIGNAL_LOCAL_CANDIDATE,
  SIGNAL_IDENTITY_VERIFIED,
  SIGNAL_CONNECTED,
  SIGNAL_FAILED,
  SIGNAL_STATS_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeaconPeer, beacon_peer, G_TYPE_OBJECT)

/* webrtcbin calls back on its own threads; everything that reaches the rest of Beacon goes
 * through the main context the peer was created on. */
typedef struct {
  BeaconPeer *peer;
  int         kind;
  char       *type;
  char       *text;
  guint       mline;
  GError     *error;
} MainCall;

enum {
  CALL_LOCAL_DESCRIPTION,
  CALL_LOCAL_CANDIDATE,
  CALL_STATE_CHANGED,
  CALL_FAILED,
  CALL_CAPS_ARRIVED,
};

static void create_offer_if_ready (BeaconPeer *self,
                                   gboolean    force);

/* A "notify::caps" handler on one of the webrtcbin's sink pads while the offer waits. */
typedef struct {
  GstPad *pad;
  gulong  handler;
} CapsWatch;

static void
caps_watch_free (gpointer data)
{
  CapsWatch *watch = data;

  g_signal_handler_disconnect (watch->pad, watch->handler);
  gst_object_unref (watch->pad);
  g_free (watch);
}

static void
main_call_free (gpointer data)
{
  MainCall *call = data;

  g_object_unref (call->peer);
  g_free (call->type);
  g_free (call->text);
  g_clear_error (&call->error);
  g_free (call);
}

static void
fail (BeaconPeer *self,
      GError     *error)
{
  if (self->failed || self->closed)
    {
      g_error_free (error);
      return;
    }
  self->failed = TRUE;
  g_clear_handle_id (&self->reception_timer, g_source_remove);
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  g_error_free (error);
}

/* With relays only, gathering that ends without a single candidate means the TURN server
 * refused us or cannot be reached: say so now instead of waiting for ICE to time out. */
static void
check_gathering (BeaconPeer *self)
{
  GstWebRTCICEGatheringState state;

  if (!self->relay_only || self->n_local_candidates > 0 || self->failed)
    return;
  g_object_get (self->webrtcbin, "ice-gathering-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
    fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_ICE_FAILED,
                             "ICE failed: the TURN server gave no relay address (wrong user "
                             "name or password, or the server cannot be reached)"));
}

/* The identity is verified and every identity-verified handler that held it let it go. */
static void
finish_connecting (BeaconPeer *self)
{
  if (self->connected || self->failed || self->closed)
    return;
  self->verified = TRUE;
  self->connected = TRUE;
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  beacon_peer_timeline_mark (self->timeline, BEACON_TIMELINE_VERIFIED);
  g_atomic_int_set (self->media_allowed, 1);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
}

/* Read on the main context and on webrtcbin's thread alike: the properties take its lock. */
static void
get_connection_states (BeaconPeer                   *self,
                       GstWebRTCPeerConnectionState *state,
                       GstWebRTCICEConnectionState  *ice_state)
{
  g_object_get (self->webrtcbin, "connection-state", state, "ice-connection-state", ice_state,
                NULL);
}

static void
check_connection_state (BeaconPeer *self)
{
  GstWebRTCPeerConnectionState state;
  GstWebRTCICEConnectionState ice_state;

  get_connection_states (self, &state, &ice_state);

  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !self->identity_presented &&
      !self->failed)
    {
      if (!beacon_peer_verify_remote_identity (self))
        return;
      self->identity_presented = TRUE;
      g_signal_emit (self, signals[SIGNAL_IDENTITY_VERIFIED], 0, self->presented_fingerprint);
      if (self->identity_holds == 0)
        finish_connecting (self);
    }
  else if (ice_state == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
    {
      fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_ICE_FAILED,
                               "ICE failed: no route to peer"));
    }
  else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
    {
      fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_DTLS_FAILED,
                               "the encrypted (DTLS) connection to the peer failed"));
    }
}

static gboolean
main_call_run (gpointer data)
{
  MainCall *call = data;
  BeaconPeer *self = call->peer;

  if (self->closed)
    return G_SOURCE_REMOVE;

  switch (call->kind)
    {
    case CALL_LOCAL_DESCRIPTION:
      g_free (self->local_sdp);
      self->local_sdp = g_strdup (call->text);
      g_signal_emit (self, signals[SIGNAL_LOCAL_DESCRIPTION], 0, call->type, call->text);
      break;
    case CALL_LOCAL_CANDIDATE:
      self->n_local_candidates++;
      g_signal_emit (self, signals[SIGNAL_LOCAL_CANDIDATE], 0, call->mline, call->text);
      break;
    case CALL_STATE_CHANGED:
      check_connection_state (self);
      check_gathering (self);
      break;
    case CALL_FAILED:
      fail (self, g_steal_pointer (&call->error));
      break;
    case CALL_CAPS_ARRIVED:
      create_offer_if_ready (self, FALSE);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static void
call_main (BeaconPeer *self,
           int         kind,
           const char *type,
           const char *text,
           guint       mline,
           GError     *error)
{
  MainCall *call = g_new0 (MainCall, 1);

  call->peer = g_object_ref (self);
  call->kind = kind;
  call->type = g_strdup (type);
  call->text = g_strdup (text);
  call->mline = mline;
  call->error = error;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, main_call_run, call,
                              main_call_free);
}

static gboolean
release_peer_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* Drops a reference a streaming thread holds: the last one must go on the main context, or
 * dispose would set the webrtcbin to NULL from one of its own threads. */
static void
unref_in_main (BeaconPeer *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, release_peer_cb, self, NULL);
}

static GError *
promise_error (GstPromise *promise,
               const char *what)
{
  const GstStructure *reply;
  g_autoptr(GError) inner = NULL;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED)
    return g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_NEGOTIATION,
                        "could not %s: the WebRTC element gave no answer", what);
  reply = gst_promise_get_reply (promise);
  if (reply != NULL && gst_structure_has_field (reply, "error"))
    {
      gst_structure_get (reply, "error", G_TYPE_ERROR, &inner, NULL);
      return g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_NEGOTIATION,
                          "could not %s: %s", what, inner ? inner->message : "unknown error");
    }
  return NULL;
}

/* What the promise of a description needs on webrtcbin's thread, fixed when it was made. */
typedef struct {
  BeaconPeer *peer;
  const char *type;   /* interned: "offer" or "answer" */
} DescriptionRequest;

static void
description_request_free (gpointer data)
{
  DescriptionRequest *request = data;

  unref_in_main (request->peer);
  g_free (request);
}

static void
description_created_cb (GstPromise *promise,
                        gpointer    user_data)
{
  DescriptionRequest *request = user_data;
  BeaconPeer *self = request->peer;
  const char *type = request->type;
  GstWebRTCSessionDescription *description = NULL;
  g_autofree char *text = NULL;
  GError *error;

  error = promise_error (promise, g_str_equal (type, "offer") ? "create an offer"
                                                               : "create an answer");
  if (error != NULL)
    {
      call_main (self, CALL_FAILED, NULL, NULL, 0, error);
      gst_promise_unref (promise);
      return;
    }

  gst_structure_get (gst_promise_get_reply (promise), type,
                     GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &description, NULL);
  gst_promise_unref (promise);
  if (description == NULL)
    {
      call_main (self, CALL_FAILED, NULL, NULL, 0,
                 g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_NEGOTIATION,
                              "could not create an %s", type));
      return;
    }

  if (self->identity_fingerprint != NULL)
    beacon_sdp_announce_fingerprint (description->sdp, self->identity_fingerprint);
  if (g_str_equal (type, "offer"))
    beacon_peer_timeline_set_offered_locally (self->timeline, TRUE);
  beacon_peer_timeline_mark (self->timeline, g_str_equal (type, "offer") ? BEACON_TIMELINE_OFFER
                                                                        : BEACON_TIMELINE_ANSWER);
  g_signal_emit_by_name (self->webrtcbin, "set-local-description", description, NULL);
  text = gst_sdp_message_as_text (description->sdp);
  call_main (self, CALL_LOCAL_DESCRIPTION, type, text, 0, NULL);
  gst_webrtc_session_description_free (description);
}

static void
create_description (BeaconPeer *self,
                    const char *type)
{
  DescriptionRequest *request = g_new0 (DescriptionRequest, 1);
  GstPromise *promise;

  request->peer = g_object_ref (self);
  request->type = g_intern_string (type);
  promise = gst_promise_new_with_change_func (description_created_cb, request,
                                              description_request_free);
  beacon_loss_recovery_before_negotiation (self->webrtcbin);
  g_signal_emit_by_name (self->webrtcbin,
                         g_str_equal (type, "offer") ? "create-offer" : "create-answer",
                         NULL, promise);
}

static gboolean
all_sink_pads_have_caps (BeaconPeer *self)
{
  gboolean ready = TRUE;

  GST_OBJECT_LOCK (self->webrtcbin);
  for (GList *l = GST_ELEMENT (self->webrtcbin)->sinkpads; l != NULL && ready; l = l->next)
    ready = gst_pad_has_current_caps (l->data);
  GST_OBJECT_UNLOCK (self->webrtcbin);
  return ready;
}

static void
create_offer_if_ready (BeaconPeer *self,
                       gboolean    force)
{
  if (!self->offer_pending || self->closed || (!force && !all_sink_pads_have_caps (self)))
    return;
  self->offer_pending = FALSE;
  g_clear_handle_id (&self->offer_timeout, g_source_remove);
  g_ptr_array_set_size (self->caps_watches, 0);
  create_description (self, "offer");
}

static gboolean
offer_timeout_cb (gpointer user_data)
{
  BeaconPeer *self = user_data;

  /* Caps that never come (a stalled source) must not stall the viewer: offer what we know. */
  self->offer_timeout = 0;
  create_offer_if_ready (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* "notify::caps" of a webrtcbin sink pad: emitted once the pad holds the caps, unlike a probe
 * on the caps event, which runs before the pad stores them. With a probe the main context
 * could look at the pads first, see the last pad still without caps, and leave the offer to
 * the 2 s timeout: that was most viewers' first picture 2 s late. Runs on a streaming
 * thread. */
static void
sink_caps_notify_cb (GstPad     *pad,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  BeaconPeer *self = g_weak_ref_get (user_data);

  if (self != NULL)
    {
      call_main (self, CALL_CAPS_ARRIVED, NULL, NULL, 0, NULL);
      unref_in_main (self);
    }
}

static void
weak_ref_free (gpointer  data,
               GClosure *closure)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
beacon_peer_create_offer (BeaconPeer *self)
{
  g_return_if_fail (BEACON_IS_PEER (self));

  /* webrtcbin takes the SSRC (and so the a=ssrc/msid lines that keep audio and video in one
   * stream for browsers) from the caps on its sink pads: offer once they are there. */
  self->offering = TRUE;
  self->offer_pending = TRUE;
  if (all_sink_pads_have_caps (self))
    {
      create_offer_if_ready (self, TRUE);
      return;
    }
  GST_OBJECT_LOCK (self->webrtcbin);
  for (GList *l = GST_ELEMENT (self->webrtcbin)->sinkpads; l != NULL; l = l->next)
    if (!gst_pad_has_current_caps (l->data))
      {
        /* Weak: the handler may run on a streaming thread while the peer goes away. */
        GWeakRef *weak = g_new0 (GWeakRef, 1);
        CapsWatch *watch = g_new0 (CapsWatch, 1);

        g_weak_ref_init (weak, self);
        watch->pad = gst_object_ref (l->data);
        watch->handler = g_signal_connect_data (l->data, "notify::caps",
                                                G_CALLBACK (sink_caps_notify_cb), weak,
                                                weak_ref_free, 0);
        g_ptr_array_add (self->caps_watches, watch);
      }
  GST_OBJECT_UNLOCK (self->webrtcbin);
  self->offer_timeout = g_timeout_add (2000, offer_timeout_cb, self);
  /* Caps that came between the first look and the handlers did not notify them. */
  create_offer_if_ready (self, FALSE);
}

static void
flush_pending_candidates (BeaconPeer *self)
{
  for (guint i = 0; i < self->pending_candidates->len; i++)
    {
      PendingCandidate *pending = &g_array_index (self->pending_candidates, PendingCandidate, i);

      g_signal_emit_by_name (self->webrtcbin, "add-ice-candidate", pending->mline,
                             pending->candidate);
      /* The array has no clear function (finalize frees what was never flushed), so emptying
       * it would leak each candidate (LeakSanitizer, test-security under ASan). */
      g_clear_pointer (&pending->candidate, g_free);
    }
  g_array_set_size (self->pending_candidates, 0);
}

typedef struct {
  BeaconPeer *peer;
  gboolean    is_offer;
} RemoteDescriptionData;

static gboolean
remote_description_applied_in_main (gpointer data)
{
  RemoteDescriptionData *applied = data;
  BeaconPeer *self = applied->peer;

  if (self->closed)
    return G_SOURCE_REMOVE;
  self->remote_description_set = TRUE;
  flush_pending_candidates (self);
  if (applied->is_offer)
    create_description (self, "answer");
  return G_SOURCE_REMOVE;
}

static void
remote_description_data_free (gpointer data)
{
  RemoteDescriptionData *applied = data;

  g_object_unref (applied->peer);
  g_free (applied);
}

static void
remote_description_set_cb (GstPromise *promise,
                           gpointer    user_data)
{
  RemoteDescriptionData *applied = user_data;
  GError *error = promise_error (promise, "use the remote description");

  gst_promise_unref (promise);
  if (error != NULL)
    {
      call_main (applied->peer, CALL_FAILED, NULL, NULL, 0, error);
      unref_in_main (applied->peer);
      g_free (applied);
      return;
    }
  g_main_context_invoke_full (applied->peer->context, G_PRIORITY_DEFAULT,
                              remote_description_applied_in_main, applied,
                              remote_description_data_free);
}

void
beacon_peer_set_remote_description (BeaconPeer *self,
                                    const char *type,
                                    const char *sdp)
{
  g_autoptr(GError) error = NULL;
  GstSDPMessage *message = NULL;
  GstWebRTCSessionDescription *description;
  RemoteDescriptionData *applied;
  GstWebRTCSDPType sdp_type;

  g_return_if_fail (BEACON_IS_PEER (self));

  if (g_strcmp0 (type, "offer") == 0)
    sdp_type = GST_WEBRTC_SDP_TYPE_OFFER;
  else if (g_strcmp0 (type, "answer") == 0)
    sdp_type = GST_WEBRTC_SDP_TYPE_ANSWER;
  else
    {
      fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP,
                               "the remote description has an unknown type '%s'", type));
      return;
    }

  if (!beacon_sdp_validate_remote (sdp, &message, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->announced_fingerprints, g_ptr_array_unref);
  self->announced_fingerprints = beacon_sdp_collect_fingerprints (sdp, &error);
  if (self->announced_fingerprints == NULL)
    {
      gst_sdp_message_free (message);
      fail (self, g_steal_pointer (&error));
      return;
    }

  /* Refused before any packet is exchanged; the DTLS check stays the one that proves it. */
  for (guint i = 0; self->expected_identity != NULL && i < self->announced_fingerprints->len; i++)
    {
      const char *announced = g_ptr_array_index (self->announced_fingerprints, i);

      if (!g_str_has_prefix (announced, "sha-256 ") ||
          !beacon_fingerprint_equal (announced + strlen ("sha-256 "), self->expected_identity))
        {
          gst_sdp_message_free (message);
          const char *value = g_str_has_prefix (announced, "sha-256 ")
                                ? announced + strlen ("sha-256 ")
                                : announced;

          fail (self, beacon_peer_not_expected_identity_error (self, value));
          return;
        }
    }

  g_free (self->remote_sdp);
  self->remote_sdp = g_strdup (sdp);
  if (sdp_type == GST_WEBRTC_SDP_TYPE_OFFER)
    beacon_peer_timeline_set_offered_locally (self->timeline, FALSE);
  beacon_peer_timeline_mark (self->timeline, sdp_type == GST_WEBRTC_SDP_TYPE_OFFER
                                               ? BEACON_TIMELINE_OFFER
                                               : BEACON_TIMELINE_ANSWER);

  description = gst_webrtc_session_description_new (sdp_type, message);
  applied = g_new0 (RemoteDescriptionData, 1);
  applied->peer = g_object_ref (self);
  applied->is_offer = sdp_type == GST_WEBRTC_SDP_TYPE_OFFER;
  g_signal_emit_by_name (self->webrtcbin, "set-remote-description", description,
                         gst_promise_new_with_change_func (remote_description_set_cb, applied,
                                                           NULL));
  gst_webrtc_session_description_free (description);
}

void
beacon_peer_add_remote_candidate (BeaconPeer *self,
                                  guint       mline,
                                  const char *candidate)
{
  g_return_if_fail (BEACON_IS_PEER (self));

  /* An empty candidate marks the end of the remote candidates; webrtcbin 1.22 has nothing to
   * do with it. */
  if (candidate == NULL || *candidate == '\0' || self->closed)
    return;
  beacon_peer_timeline_mark (self->timeline, BEACON_TIMELINE_FIRST_REMOTE_CANDIDATE);

  if (!self->remote_description_set)
    {
      PendingCandidate pending = { mline, g_strdup (candidate) };

      self->n_remote_candidates++;
      g_array_append_val (self->pending_candidates, pending);
      return;
    }
  self->n_remote_candidates++;
  g_signal_emit_by_name (self->webrtcbin, "add-ice-candidate", mline, candidate);
}

static void
ice_candidate_gathered_cb (GstElement *webrtcbin,
                           guint       mline,
                           const char *candidate,
                           BeaconPeer *self)
{
  call_main (self, CALL_LOCAL_CANDIDATE, NULL, candidate, mline, NULL);
}

/* Marked here, on webrtcbin's thread, rather than when the main context gets to it: the
 * timeline shows when the states changed, not how busy the main loop was. */
static void
mark_connection_states (BeaconPeer *self)
{
  GstWebRTCPeerConnectionState state;
  GstWebRTCICEConnectionState ice_state;

  get_connection_states (self, &state, &ice_state);
  if (ice_state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
      ice_state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)
    beacon_peer_timeline_mark (self->timeline, BEACON_TIMELINE_ICE_CONNECTED);
  /* webrtcbin's connection state is connected once both ICE and DTLS are. */
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED)
    beacon_peer_timeline_mark (self->timeline, BEACON_TIMELINE_DTLS_CONNECTED);
}

static void
connection_state_notify_cb (GstElement *webrtcbin,
                            GParamSpec *pspec,
                            BeaconPeer *self)
{
  mark_connection_states (self);
  call_main (self, CALL_STATE_CHANGED, NULL, NULL, 0, NULL);
}

static void
configure_ice_agent (BeaconPeer             *self,
                     const BeaconPeerConfig *config)
{
  g_autoptr(GObject) ice = NULL;
  g_autoptr(GObject) agent_object = NULL;
  const char * const *ice_addresses = config->ice_addresses;
  NiceAgent *agent;

  g_object_get (self->webrtcbin, "ice-agent", &ice, NULL);
  if (ice == NULL || g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") == NULL)
    return;
  g_object_get (ice, "agent", &agent_object, NULL);
  if (agent_object == NULL)
    return;
  agent = NICE_AGENT (agent_object);

  /* libnice built with gupnp-igd asks the router for port mappings by default: that opens
   * SSDP sockets on every interface, whatever the ICE addresses, and tells the local network
   * about the session. Only an explicit choice turns it on. */
  g_object_set (agent, "upnp", config->upnp, NULL);

  if (ice_addresses == NULL || ice_addresses[0] == NULL)
    return;

  /* Once an address is added, libnice gathers on the added addresses only. */
  for (guint i = 0; ice_addresses[i] != NULL; i++)
    {
      NiceAddress address;

      nice_address_init (&address);
      if (nice_address_set_from_string (&address, ice_addresses[i]))
        nice_agent_add_local_address (agent, &address);
      else
        g_warning ("ignoring ICE address '%s': not an IP address", ice_addresses[i]);
    }
}

static GstPadProbeReturn
hold_media_probe_cb (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  gint *media_allowed = user_data;

  return g_atomic_int_get (media_allowed) ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

static GstPadProbeReturn
count_received_probe_cb (GstPad          *pad,
                         GstPadProbeInfo *info,
                         gpointer         user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

/* Every pad of the webrtcbin, sending (sink) and receiving (src), holds media back until the
 * remote identity is verified. What the src pads pass on is counted for
 * beacon_peer_watch_reception (). */
static void
webrtcbin_pad_added_cb (GstElement *webrtcbin,
                        GstPad     *pad,
                        BeaconPeer *self)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     hold_media_probe_cb, g_atomic_rc_box_acquire (self->media_allowed),
                     (GDestroyNotify) g_atomic_rc_box_release);
  if (GST_PAD_DIRECTION (pad) == GST_PAD_SRC)
    {
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                         count_received_probe_cb, g_atomic_rc_box_acquire (self->received),
                         (GDestroyNotify) g_atomic_rc_box_release);
      beacon_peer_timeline_watch_first_buffer (self->timeline, pad, BEACON_TIMELINE_FIRST_RTP,
                                               self->media_allowed);
    }
  else
    {
      beacon_peer_timeline_watch_key_frame (self->timeline, pad,
                                            BEACON_TIMELINE_FIRST_KEY_FRAME_SENT,
                                            self->media_allowed);
    }
}

/* How often the reception is looked at: the failure comes at most this late. */
#define RECEPTION_TICK_MS 500

static gboolean
reception_tick_cb (gpointer user_data)
{
  BeaconPeer *self = user_data;
  gint count = g_atomic_int_get (self->received);
  gint64 now = g_get_monotonic_time ();

  if (count != self->reception_last_count)
    {
      self->reception_last_count = count;
      self->reception_last_change_us = now;
      return G_SOURCE_CONTINUE;
    }
  if ((now - self->reception_last_change_us) / 1000 < self->reception_timeout_ms)
    return G_SOURCE_CONTINUE;
  self->reception_timer = 0;
  /* A "failed" handler may drop the last other reference (the session removes the peer). */
  g_object_ref (self);
  fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_ICE_FAILED,
                           "ICE failed: nothing arrived from the peer for %u s",
                           self->reception_timeout_ms / 1000));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       BeaconPeer *self)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory ? gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)) : NULL;

  /* The certificate must be set while the decoder is still in NULL state: later the
   * handshake has already picked webrtcbin's own generated certificate. */
  if (g_strcmp0 (name, "dtlssrtpdec") == 0 && self->identity_pem != NULL)
    g_object_set (element, "pem", self->identity_pem, NULL);
  else if (g_strcmp0 (name, "dtlsdec") == 0)
    g_weak_ref_set (&self->dtls_decoder, element);
}

/* "turn://user:secret@host:3478?transport=udp" → "turn://user:***@host:3478?transport=udp",
 * for log lines: the password of a TURN server is a credential. The last '@' ends the user
 * part, as a password may hold an unescaped '@'. */
static char *
redact_url_password (const char *url)
{
  const char *start = strstr (url, "://");
  const char *end;
  const char *at = NULL;
  const char *colon;

  start = start != NULL ? start + strlen ("://") : strchr (url, ':');
  if (start == NULL)
    return g_strdup (url);
  if (*start == ':')
    start++;
  end = strchr (start, '?');
  if (end == NULL)
    end = start + strlen (start);
  for (const char *p = start; p < end; p++)
    if (*p == '@')
      at = p;
  colon = at != NULL ? memchr (start, ':', at - start) : NULL;
  if (colon == NULL)
    return g_strdup (url);
  return g_strdup_printf ("%.*s***%s", (int) (colon + 1 - url), url, at);
}

BeaconPeer *
beacon_peer_new (GstBin                 *bin,
                 const char             *session_id,
                 const BeaconPeerConfig *config)
{
  BeaconPeer *self = g_object_new (BEACON_TYPE_PEER, NULL);

  self->bin = gst_object_ref (bin);
  self->session_id = g_strdup (session_id);
  self->health = beacon_peer_health_new (session_id);
  self->identity_pem = g_strdup (config->identity_pem);
  self->identity_fingerprint = g_strdup (config->identity_fingerprint);
  self->timeline = beacon_peer_timeline_new (config->timeline_origin_us != 0
                                               ? config->timeline_origin_us
                                               : g_get_monotonic_time ());
  self->webrtcbin = gst_element_factory_make ("webrtcbin", NULL);
  g_assert (self->webrtcbin != NULL);
  gst_object_ref_sink (self->webrtcbin);
  g_object_set (self->webrtcbin, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, NULL);
  beacon_loss_recovery_configure (self->webrtcbin);
  if (config->stun_server != NULL)
    g_object_set (self->webrtcbin, "stun-server", config->stun_server, NULL);
  if (config->turn_servers != NULL)
    for (guint i = 0; config->turn_servers[i] != NULL; i++)
      {
        gboolean added = FALSE;

        g_signal_emit_by_name (self->webrtcbin, "add-turn-server", config->turn_servers[i],
                               &added);
        if (!added)
          {
            g_autofree char *redacted = redact_url_password (config->turn_servers[i]);

            g_message ("the TURN server %s was not accepted", redacted);
          }
      }
  self->relay_only = config->relay_only;
  if (config->relay_only)
    g_object_set (self->webrtcbin, "ice-transport-policy",
                  GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  configure_ice_agent (self, config);

  g_signal_connect_object (self->webrtcbin, "deep-element-added",
                           G_CALLBACK (deep_element_added_cb), self, 0);
  g_signal_connect_object (self->webrtcbin, "pad-added",
                           G_CALLBACK (webrtcbin_pad_added_cb), self, 0);
  g_signal_connect_object (self->webrtcbin, "on-ice-candidate",
                           G_CALLBACK (ice_candidate_gathered_cb), self, 0);
  g_signal_connect_object (self->webrtcbin, "notify::connection-state",
                           G_CALLBACK (connection_state_notify_cb), self, 0);
  g_signal_connect_object (self->webrtcbin, "notify::ice-connection-state",
                           G_CALLBACK (connection_state_notify_cb), self, 0);
  g_signal_connect_object (self->webrtcbin, "notify::ice-gathering-state",
                           G_CALLBACK (connection_state_notify_cb), self, 0);

  gst_bin_add (bin, self->webrtcbin);
  return self;
}

void
beacon_peer_add_receive_transceivers (BeaconPeer *self)
{
  g_autoptr(GstCaps) video = NULL;
  g_autoptr(GstCaps) audio = NULL;
  GstWebRTCRTPTransceiver *transceiver = NULL;

  g_return_if_fail (BEACON_IS_PEER (self));

  video = gst_caps_from_string ("application/x-rtp,media=video,encoding-name=VP8,payload=96,"
                                "clock-rate=90000;"
                                "application/x-rtp,media=video,encoding-name=H264,payload=102,"
                                "clock-rate=90000,packetization-mode=(string)1,"
                                "profile-level-id=(string)42e01f");
  audio = gst_caps_from_string ("application/x-rtp,media=audio,encoding-name=OPUS,payload=111,"
                                "clock-rate=48000,encoding-params=(string)2");
  g_signal_emit_by_name (self->webrtcbin, "add-transceiver",
                         GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, video, &transceiver);
  gst_clear_object (&transceiver);
  g_signal_emit_by_name (self->webrtcbin, "add-transceiver",
                         GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, audio, &transceiver);
  gst_clear_object (&transceiver);
}

void
beacon_peer_watch_reception (BeaconPeer *self,
                             guint       timeout_ms)
{
  g_return_if_fail (BEACON_IS_PEER (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->failed || self->closed)
    return;
  g_clear_handle_id (&self->reception_timer, g_source_remove);
  self->reception_timeout_ms = timeout_ms;
  self->reception_last_count = g_atomic_int_get (self->received);
  self->reception_last_change_us = g_get_monotonic_time ();
  self->reception_timer = g_timeout_add (RECEPTION_TICK_MS, reception_tick_cb, self);
}

static guint
count_sdp_candidates (const char *sdp)
{
  guint count = 0;

  for (const char *p = sdp; p != NULL && (p = strstr (p, "a=candidate:")) != NULL; p++)
    count++;
  return count;
}

/* No silent "negotiating" for ever: ICE in libnice 0.1.21 may keep checking pairs that
 * cannot work (addresses on different networks, UDP blocked) long past any patience. The
 * message names what was tried and the likely causes. */
static gboolean
connect_deadline_cb (gpointer user_data)
{
  BeaconPeer *self = user_data;
  GstWebRTCICEConnectionState ice_state;
  guint remote = self->n_remote_candidates + count_sdp_candidates (self->remote_sdp);
  guint seconds = self->connect_timeout_ms / 1000;

  self->connect_timer = 0;
  if (self->connected || self->failed || self->closed)
    return G_SOURCE_REMOVE;
  g_object_get (self->webrtcbin, "ice-connection-state", &ice_state, NULL);
  g_object_ref (self);
  if (ice_state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
      ice_state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)
    fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_DTLS_FAILED,
                             "the encrypted (DTLS) connection was not set up within %u s, "
                             "although the network path works", seconds));
  else if (!self->remote_description_set)
    fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_NEGOTIATION,
                             "the other side did not answer within %u s", seconds));
  else
    fail (self, g_error_new (BEACON_PEER_ERROR, BEACON_PEER_ERROR_ICE_FAILED,
                             "no network path to the other side within %u s: ICE tried %u local "
                             "and %u remote addresses and none reached the other. Likely the two "
                             "are on different networks with no TURN relay configured, a "
                             "firewall blocks UDP, or the local addresses allowed (ICE "
                             "addresses) cannot reach the other side",
                             seconds, self->n_local_candidates, remote));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
beacon_peer_set_connect_deadline (BeaconPeer *self,
                                  guint       timeout_ms)
{
  g_return_if_fail (BEACON_IS_PEER (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->connected || self->failed || self->closed)
    return;
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  self->connect_timeout_ms = timeout_ms;
  self->connect_timer = g_timeout_add (timeout_ms, connect_deadline_cb, self);
}

void
beacon_peer_reject (BeaconPeer *self,
                    GError     *error)
{
  g_return_if_fail (BEACON_IS_PEER (self));
  fail (self, error);
}

void
beacon_peer_hold_identity (BeaconPeer *self)
{
  g_return_if_fail (BEACON_IS_PEER (self));
  g_return_if_fail (!self->connected);

  self->identity_holds++;
}

void
beacon_peer_release_identity (BeaconPeer *self)
{
  g_return_if_fail (BEACON_IS_PEER (self));
  g_return_if_fail (self->identity_holds > 0);

  if (--self->identity_holds == 0 && self->identity_presented)
    finish_connecting (self);
}

GstElement *
beacon_peer_get_webrtcbin (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), NULL);
  return self->webrtcbin;
}

const char *
beacon_peer_get_session_id (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), NULL);
  return self->session_id;
}

gboolean
beacon_peer_has_local_offer (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), FALSE);
  return self->offering;
}

gboolean
beacon_peer_is_connected (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), FALSE);
  return self->connected;
}

void
beacon_peer_close (BeaconPeer *self)
{
  g_return_if_fail (BEACON_IS_PEER (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  g_clear_handle_id (&self->offer_timeout, g_source_remove);
  g_ptr_array_set_size (self->caps_watches, 0);
  g_clear_handle_id (&self->reception_timer, g_source_remove);
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->webrtcbin, self);
  /* Locked, so that the bin finishing an asynchronous state change on another thread (a sink
   * added for a new stream) cannot set it back to PLAYING: it would then be disposed in that
   * state, now that nothing keeps it forever. */
  gst_element_set_locked_state (self->webrtcbin, TRUE);
  beacon_peer_finish_stats (self);
  gst_element_set_state (self->webrtcbin, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (self->webrtcbin) == GST_OBJECT (self->bin))
    gst_bin_remove (self->bin, self->webrtcbin);
}

static void
beacon_peer_dispose (GObject *object)
{
  BeaconPeer *self = BEACON_PEER (object);

  if (self->webrtcbin != NULL)
    beacon_peer_close (self);
  gst_clear_object (&self->webrtcbin);
  gst_clear_object (&self->bin);

  G_OBJECT_CLASS (beacon_peer_parent_class)->dispose (object);
}

static void
beacon_peer_finalize (GObject *object)
{
  BeaconPeer *self = BEACON_PEER (object);

  for (guint i = 0; i < self->pending_candidates->len; i++)
    g_free (g_array_index (self->pending_candidates, PendingCandidate, i).candidate);
  g_array_unref (self->pending_candidates);
  g_ptr_array_unref (self->caps_watches);
  g_free (self->session_id);
  g_clear_object (&self->health);
  g_clear_pointer (&self->stats_request, beacon_peer_stats_request_unref);
  g_clear_pointer (&self->timeline, beacon_peer_timeline_unref);
  g_free (self->local_sdp);
  g_free (self->remote_sdp);
  g_free (self->identity_pem);
  g_free (self->identity_fingerprint);
  g_free (self->presented_fingerprint);
  g_free (self->expected_identity);
  g_clear_pointer (&self->announced_fingerprints, g_ptr_array_unref);
  g_weak_ref_clear (&self->dtls_decoder);
  g_atomic_rc_box_release (self->media_allowed);
  g_atomic_rc_box_release (self->received);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (beacon_peer_parent_class)->finalize (object);
}

static void
beacon_peer_class_init (BeaconPeerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_peer_dispose;
  object_class->finalize = beacon_peer_finalize;

  signals[SIGNAL_LOCAL_DESCRIPTION] =
    g_signal_new ("local-description", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_LOCAL_CANDIDATE] =
    g_signal_new ("local-candidate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_IDENTITY_VERIFIED] =
    g_signal_new ("identity-verified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_STATS_UPDATED] =
    g_signal_new ("stats-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

BeaconPeerTimeline *
beacon_peer_get_timeline (BeaconPeer *self)
{
  g_return_val_if_fail (BEACON_IS_PEER (self), NULL);
  return self->timeline;
}

void
beacon_peer_emit_stats_updated (BeaconPeer *self)
{
  g_signal_emit (self, signals[SIGNAL_STATS_UPDATED], 0);
}

static void
beacon_peer_init (BeaconPeer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->pending_candidates = g_array_new (FALSE, TRUE, sizeof (PendingCandidate));
  self->caps_watches = g_ptr_array_new_with_free_func (caps_watch_free);
  self->announced_fingerprints = g_ptr_array_new_with_free_func (g_free);
  g_weak_ref_init (&self->dtls_decoder, NULL);
  self->media_allowed = g_atomic_rc_box_new0 (gint);
  self->received = g_atomic_rc_box_new0 (gint);
}

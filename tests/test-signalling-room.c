/* test-signalling-room.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-gst-protocol.h"
#include "beacon-signalling-room.h"
#include "beacon-whep-endpoint.h"

/* The signalling room alone, driven by in-memory peers: each keeps what the room sent it, and
 * can be made to leave the room from inside a send, as a WebSocket that fails does. */

#define SDP_OFFER  "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
#define SDP_ANSWER "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n"

typedef struct {
  BeaconSignallingRoom *room;       /* unowned */
  char                 *id;
  GPtrArray            *inbox;      /* char*: the texts the room sent, oldest first */
  guint                 read;       /* how many of them the test has looked at */
  gboolean              in_room;    /* until the room frees its user data */
  gboolean              leave_on_send; /* the next send removes the peer from the room */
} TestPeer;

typedef struct {
  BeaconSignallingRoom *room;
  GPtrArray            *peers;      /* TestPeer*, owned */
  GPtrArray            *ended;      /* char*: session ids from "session-ended" */
  GPtrArray            *relayed;    /* char*: the relayed messages, as JSON */
} Fixture;

/* In-memory peers */

static void
test_peer_free (TestPeer *peer)
{
  g_free (peer->id);
  g_ptr_array_unref (peer->inbox);
  g_free (peer);
}

static void
test_peer_send (const char *text,
                gpointer    user_data)
{
  TestPeer *peer = user_data;

  g_assert_true (peer->in_room);
  g_ptr_array_add (peer->inbox, g_strdup (text));
  if (peer->leave_on_send)
    {
      peer->leave_on_send = FALSE;
      beacon_signalling_room_remove_peer (peer->room, peer->id);
    }
}

static void
test_peer_left (gpointer user_data)
{
  TestPeer *peer = user_data;

  g_assert_true (peer->in_room);
  peer->in_room = FALSE;
}

static TestPeer *
add_peer_full (Fixture  *fixture,
               gboolean  may_produce,
               gboolean  leave_on_welcome)
{
  TestPeer *peer = g_new0 (TestPeer, 1);

  peer->room = fixture->room;
  peer->inbox = g_ptr_array_new_with_free_func (g_free);
  peer->in_room = TRUE;
  peer->leave_on_send = leave_on_welcome;
  g_ptr_array_add (fixture->peers, peer);
  peer->id = g_strdup (beacon_signalling_room_add_peer (fixture->room, may_produce,
                                                        test_peer_send, peer, test_peer_left));
  beacon_signalling_room_welcome (fixture->room, peer->id);
  return peer;
}

/* The next message the room sent @peer, which must be of @type. */
static BeaconGstMessage *
next_message (TestPeer             *peer,
              BeaconGstMessageType  type)
{
  g_autoptr(GError) error = NULL;
  BeaconGstMessage *message;
  const char *text;

  if (peer->read >= peer->inbox->len)
    g_error ("peer %s got no message %s", peer->id, beacon_gst_message_type_to_string (type));
  text = g_ptr_array_index (peer->inbox, peer->read++);
  message = beacon_gst_message_parse (text, -1, &error);
  g_assert_no_error (error);
  if (message->type != type)
    g_error ("peer %s: expected %s, got %s", peer->id, beacon_gst_message_type_to_string (type),
             text);
  return message;
}

static void
skip_message (TestPeer             *peer,
              BeaconGstMessageType  type)
{
  beacon_gst_message_free (next_message (peer, type));
}

static void
assert_no_message (TestPeer *peer)
{
  if (peer->read < peer->inbox->len)
    g_error ("peer %s got an unexpected message: %s", peer->id,
             (char *) g_ptr_array_index (peer->inbox, peer->read));
}

/* Asserts that the next message to @peer is an error whose details contain @part. */
static void
expect_error (TestPeer   *peer,
              const char *part)
{
  g_autoptr(BeaconGstMessage) message = next_message (peer, BEACON_GST_MESSAGE_ERROR);

  g_assert_nonnull (strstr (message->details, part));
}

static TestPeer *
add_peer (Fixture  *fixture,
          gboolean  may_produce)
{
  TestPeer *peer = add_peer_full (fixture, may_produce, FALSE);
  g_autoptr(BeaconGstMessage) welcome = next_message (peer, BEACON_GST_MESSAGE_WELCOME);

  g_assert_cmpstr (welcome->peer_id, ==, peer->id);
  return peer;
}

static void
say (TestPeer   *peer,
     const char *text)
{
  beacon_signalling_room_receive_text (peer->room, peer->id, text, strlen (text));
}

static void
set_roles (TestPeer       *peer,
           BeaconGstRoles  roles)
{
  g_autofree char *text = beacon_gst_build_set_peer_status (roles, NULL);

  say (peer, text);
}

/* A producer, registered and echoed. */
static TestPeer *
add_producer (Fixture *fixture)
{
  TestPeer *producer = add_peer (fixture, TRUE);
  g_autoptr(BeaconGstMessage) echo = NULL;

  set_roles (producer, BEACON_GST_ROLE_PRODUCER);
  echo = next_message (producer, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpint (echo->roles, ==, BEACON_GST_ROLE_PRODUCER);
  return producer;
}

/* @consumer asks @producer for a session; returns its id once both sides heard of it. */
static char *
start_session (TestPeer *consumer,
               TestPeer *producer)
{
  g_autofree char *text = beacon_gst_build_start_session (producer->id, NULL);
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) started = NULL;

  say (consumer, text);
  start = next_message (producer, BEACON_GST_MESSAGE_START_SESSION);
  started = next_message (consumer, BEACON_GST_MESSAGE_SESSION_STARTED);
  g_assert_cmpstr (start->peer_id, ==, consumer->id);
  g_assert_cmpstr (start->session_id, ==, started->session_id);
  g_assert_cmpstr (started->peer_id, ==, producer->id);
  return g_strdup (started->session_id);
}

static void
session_ended_cb (BeaconSignallingRoom *room,
                  const char           *session_id,
                  gpointer              user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->ended, g_strdup (session_id));
}

static void
relayed_message_cb (BeaconSignallingRoom *room,
                    const char           *session_id,
                    gpointer              message,
                    gpointer              user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->relayed, beacon_gst_message_to_json (message));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->room = beacon_signalling_room_new ();
  fixture->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) test_peer_free);
  fixture->ended = g_ptr_array_new_with_free_func (g_free);
  fixture->relayed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->room, "session-ended", G_CALLBACK (session_ended_cb), fixture);
  g_signal_connect (fixture->room, "relayed-message", G_CALLBACK (relayed_message_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->room, fixture);
  g_assert_finalize_object (g_steal_pointer (&fixture->room));
  /* The room frees every peer's user data when it goes. */
  for (guint i = 0; i < fixture->peers->len; i++)
    g_assert_false (((TestPeer *) g_ptr_array_index (fixture->peers, i))->in_room);
  g_ptr_array_unref (fixture->peers);
  g_ptr_array_unref (fixture->ended);
  g_ptr_array_unref (fixture->relayed);
}

static void
set_limits (Fixture *fixture,
            guint    per_producer,
            guint    per_connection,
            guint    pending,
            guint    answer_timeout)
{
  BeaconSignallingRoomLimits limits = {
    .max_sessions_per_producer = per_producer,
    .max_sessions_per_connection = per_connection,
    .max_pending_sessions = pending,
    .session_answer_timeout = answer_timeout,
  };

  beacon_signalling_room_set_limits (fixture->room, &limits);
}

/* Runs the main context until @session_id has ended or @seconds have passed. */
static gboolean
wait_for_end (Fixture    *fixture,
              const char *session_id,
              guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < fixture->ended->len; i++)
        if (g_str_equal (g_ptr_array_index (fixture->ended, i), session_id))
          return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  return FALSE;
}

/* Cases */

static void
test_welcome_and_roles (Fixture       *fixture,
                        gconstpointer  data)
{
  TestPeer *listener = add_peer (fixture, FALSE);
  TestPeer *producer;
  g_autoptr(BeaconGstMessage) changed = NULL;
  g_autoptr(BeaconGstMessage) list = NULL;

  g_assert_cmpuint (beacon_signalling_room_get_n_peers (fixture->room), ==, 1);
  set_roles (listener, BEACON_GST_ROLE_LISTENER);
  changed = next_message (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpint (changed->roles, ==, BEACON_GST_ROLE_LISTENER);

  producer = add_producer (fixture);
  g_clear_pointer (&changed, beacon_gst_message_free);
  changed = next_message (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpstr (changed->peer_id, ==, producer->id);
  g_assert_cmpint (changed->roles, ==, BEACON_GST_ROLE_PRODUCER);

  say (listener, "{\"type\":\"list\"}");
  list = next_message (listener, BEACON_GST_MESSAGE_LIST);
  g_assert_cmpuint (list->peers->len, ==, 1);
  g_assert_cmpstr (((BeaconGstPeerInfo *) g_ptr_array_index (list->peers, 0))->id, ==,
                   producer->id);

  /* The producer leaves: listeners learn it has no role left. */
  beacon_signalling_room_remove_peer (fixture->room, producer->id);
  g_assert_false (producer->in_room);
  g_clear_pointer (&changed, beacon_gst_message_free);
  changed = next_message (listener, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpstr (changed->peer_id, ==, producer->id);
  g_assert_cmpint (changed->roles, ==, BEACON_GST_ROLE_NONE);
  assert_no_message (listener);
  g_assert_cmpuint (beacon_signalling_room_get_n_peers (fixture->room), ==, 1);
}

static void
test_stranger_cannot_produce (Fixture       *fixture,
                              gconstpointer  data)
{
  TestPeer *stranger = add_peer (fixture, FALSE);
  g_autoptr(GPtrArray) producers = NULL;

  set_roles (stranger, BEACON_GST_ROLE_PRODUCER | BEACON_GST_ROLE_LISTENER);
  expect_error (stranger, "only the broadcaster that runs this server can publish on it");
  assert_no_message (stranger);

  producers = beacon_signalling_room_list_producers (fixture->room);
  g_assert_cmpuint (producers->len, ==, 0);
}

static void
test_session_relay (Fixture       *fixture,
                    gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *consumer = add_peer (fixture, FALSE);
  g_autofree char *session_id = start_session (consumer, producer);
  g_autofree char *offer = beacon_gst_build_peer_sdp (session_id, "offer", SDP_OFFER);
  g_autofree char *ice = beacon_gst_build_peer_ice (session_id, 0,
                                                    "candidate:1 1 UDP 1 ::1 9 typ host");
  g_autoptr(BeaconGstMessage) sdp = NULL;
  g_autoptr(BeaconGstMessage) candidate = NULL;
  g_autoptr(BeaconGstMessage) end = NULL;
  g_autofree char *with_extra = NULL;

  say (producer, offer);
  sdp = next_message (consumer, BEACON_GST_MESSAGE_PEER_SDP);
  g_assert_cmpstr (sdp->sdp_type, ==, "offer");
  g_assert_cmpstr (sdp->sdp, ==, SDP_OFFER);

  say (consumer, ice);
  candidate = next_message (producer, BEACON_GST_MESSAGE_PEER_ICE);
  g_assert_cmpstr (candidate->session_id, ==, session_id);

  /* Messages are written again from their fields, so nothing else reaches the other side. */
  with_extra = g_strdup_printf ("{\"type\":\"peer\",\"sessionId\":\"%s\",\"evil\":\"x\","
                                "\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0\",\"evil\":1}}",
                                session_id);
  say (consumer, with_extra);
  g_assert_cmpuint (producer->read, <, producer->inbox->len);
  g_assert_null (strstr (g_ptr_array_index (producer->inbox, producer->read), "evil"));
  g_clear_pointer (&sdp, beacon_gst_message_free);
  sdp = next_message (producer, BEACON_GST_MESSAGE_PEER_SDP);

  /* The consumer ends it: only the producer is told. */
  g_clear_pointer (&with_extra, g_free);
  with_extra = beacon_gst_build_end_session (session_id);
  say (consumer, with_extra);
  end = next_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (end->session_id, ==, session_id);
  assert_no_message (consumer);
  g_assert_cmpuint (fixture->ended->len, ==, 1);
  g_assert_null (beacon_signalling_room_get_session_producer (fixture->room, session_id));
}

/* Messages out of order, for sessions that are not the sender's, or not for a peer at all. */
static void
test_hostile_orders (Fixture       *fixture,
                     gconstpointer  data)
{
  TestPeer *early = add_peer (fixture, FALSE);
  TestPeer *producer;
  TestPeer *consumer;
  TestPeer *intruder;
  g_autofree char *session_id = NULL;
  g_autofree char *text = NULL;

  /* A session before anyone produces, and one with nobody. */
  text = beacon_gst_build_start_session ("nobody", NULL);
  say (early, text);
  expect_error (early, "producer 'nobody' not found");
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_peer_sdp ("no-such-session", "offer", SDP_OFFER);
  say (early, text);
  expect_error (early, "session 'no-such-session' not found");
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_end_session ("no-such-session");
  say (early, text);
  expect_error (early, "session 'no-such-session' not found");

  producer = add_producer (fixture);
  consumer = add_peer (fixture, FALSE);
  intruder = add_peer (fixture, FALSE);

  /* A producer cannot start a session with itself, nor a peer with one that only consumes. */
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_start_session (producer->id, NULL);
  say (producer, text);
  expect_error (producer, "not found");
  set_roles (consumer, BEACON_GST_ROLE_CONSUMER);
  skip_message (consumer, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_start_session (consumer->id, NULL);
  say (intruder, text);
  expect_error (intruder, "not found");

  /* A third peer cannot speak in, nor end, a session it is not part of. */
  session_id = start_session (consumer, producer);
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_peer_sdp (session_id, "answer", SDP_ANSWER);
  say (intruder, text);
  expect_error (intruder, "not found");
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_end_session (session_id);
  say (intruder, text);
  expect_error (intruder, "not found");
  assert_no_message (producer);
  assert_no_message (consumer);
  g_assert_nonnull (beacon_signalling_room_get_session_producer (fixture->room, session_id));

  /* Messages only the server sends, and ones that are not the protocol. */
  say (intruder, "{\"type\":\"welcome\",\"peerId\":\"x\"}");
  expect_error (intruder, "unexpected message type 'welcome'");
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf ("{\"type\":\"sessionStarted\",\"peerId\":\"%s\",\"sessionId\":\"%s\"}",
                          producer->id, session_id);
  say (intruder, text);
  expect_error (intruder, "unexpected message type 'sessionStarted'");
  say (intruder, "{\"type\":\"error\",\"details\":\"x\"}");
  expect_error (intruder, "unexpected message type 'error'");
  say (intruder, "{\"type\":");
  expect_error (intruder, "");
  say (intruder, "[]");
  expect_error (intruder, "");
  beacon_signalling_room_receive_binary (fixture->room, intruder->id);
  expect_error (intruder, "binary messages are not part of the protocol");
  assert_no_message (intruder);

  /* Ending twice: the second is for a session that is gone. */
  g_clear_pointer (&text, g_free);
  text = beacon_gst_build_end_session (session_id);
  say (producer, text);
  skip_message (consumer, BEACON_GST_MESSAGE_END_SESSION);
  say (producer, text);
  expect_error (producer, "not found");
  say (consumer, text);
  expect_error (consumer, "not found");

  /* Peers that are not (or no longer) in the room are not heard. */
  beacon_signalling_room_remove_peer (fixture->room, intruder->id);
  beacon_signalling_room_remove_peer (fixture->room, intruder->id);
  say (intruder, "{\"type\":\"list\"}");
  beacon_signalling_room_receive_binary (fixture->room, intruder->id);
  beacon_signalling_room_receive_text (fixture->room, "not-a-peer", "{}", 2);
  beacon_signalling_room_remove_peer (fixture->room, "not-a-peer");
  beacon_signalling_room_send_to (fixture->room, "not-a-peer", "{}");
  beacon_signalling_room_end_session (fixture->room, "not-a-session", TRUE, TRUE);
  g_assert_cmpuint (intruder->inbox->len, ==, intruder->read);
  g_assert_cmpuint (beacon_signalling_room_get_n_peers (fixture->room), ==, 3);
}

/* Either side leaving, or the producer dropping its role, ends its sessions for the other. */
static void
test_sessions_end_with_their_peers (Fixture       *fixture,
                                    gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *first = add_peer (fixture, FALSE);
  TestPeer *second = add_peer (fixture, FALSE);
  g_autofree char *first_session = start_session (first, producer);
  g_autofree char *second_session = start_session (second, producer);
  g_autoptr(BeaconGstMessage) end = NULL;
  g_autoptr(BeaconGstMessage) echo = NULL;

  beacon_signalling_room_remove_peer (fixture->room, first->id);
  end = next_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (end->session_id, ==, first_session);
  g_assert_false (first->in_room);

  set_roles (producer, BEACON_GST_ROLE_LISTENER);
  g_clear_pointer (&end, beacon_gst_message_free);
  end = next_message (second, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (end->session_id, ==, second_session);
  echo = next_message (producer, BEACON_GST_MESSAGE_PEER_STATUS_CHANGED);
  g_assert_cmpint (echo->roles, ==, BEACON_GST_ROLE_LISTENER);
  assert_no_message (producer);
  assert_no_message (second);
  g_assert_cmpuint (fixture->ended->len, ==, 2);
}

/* A peer whose connection fails while the room sends to it leaves the room there and then. */
static void
test_peer_leaves_during_send (Fixture       *fixture,
                              gconstpointer  data)
{
  TestPeer *gone = add_peer_full (fixture, FALSE, TRUE);
  TestPeer *producer;
  TestPeer *consumer;
  g_autofree char *text = NULL;
  g_autoptr(BeaconGstMessage) start = NULL;
  g_autoptr(BeaconGstMessage) end = NULL;

  g_assert_false (gone->in_room);
  g_assert_cmpuint (gone->inbox->len, ==, 1);
  g_assert_cmpuint (beacon_signalling_room_get_n_peers (fixture->room), ==, 0);

  /* The consumer fails on the sessionStarted: the producer hears the session start and end. */
  producer = add_producer (fixture);
  consumer = add_peer (fixture, FALSE);
  consumer->leave_on_send = TRUE;
  text = beacon_gst_build_start_session (producer->id, NULL);
  say (consumer, text);
  g_assert_false (consumer->in_room);
  start = next_message (producer, BEACON_GST_MESSAGE_START_SESSION);
  end = next_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (start->session_id, ==, end->session_id);
  g_assert_null (beacon_signalling_room_get_session_producer (fixture->room, end->session_id));
  assert_no_message (producer);

  /* The producer fails on the startSession: the session ends with it. */
  consumer = add_peer (fixture, FALSE);
  producer->leave_on_send = TRUE;
  say (consumer, text);
  g_assert_false (producer->in_room);
  g_clear_pointer (&end, beacon_gst_message_free);
  end = next_message (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_null (beacon_signalling_room_get_session_producer (fixture->room, end->session_id));
  g_assert_cmpuint (fixture->ended->len, ==, 2);
  g_assert_cmpuint (beacon_signalling_room_get_n_peers (fixture->room), ==, 1);
}

static void
test_limits (Fixture       *fixture,
             gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *consumer = add_peer (fixture, FALSE);
  TestPeer *other = add_peer (fixture, FALSE);
  g_autofree char *text = beacon_gst_build_start_session (producer->id, NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *answer = NULL;

  /* Two sessions per connection. */
  set_limits (fixture, 0, 2, 0, 0);
  first = start_session (consumer, producer);
  second = start_session (consumer, producer);
  say (consumer, text);
  expect_error (consumer, "too many sessions: at most 2 at once on one connection");
  assert_no_message (producer);

  /* Three viewers for the producer: the session ended frees a place. */
  set_limits (fixture, 3, 2, 0, 0);
  g_free (start_session (other, producer));
  say (other, text);
  expect_error (other, "broadcast is full: at most 3 viewers");
  g_assert_true (beacon_signalling_room_producer_is_full (fixture->room, producer->id));
  beacon_signalling_room_end_session (fixture->room, second, TRUE, TRUE);
  g_clear_pointer (&second, g_free);
  skip_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  skip_message (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_false (beacon_signalling_room_producer_is_full (fixture->room, producer->id));

  /* Sessions waiting for their consumer's first message: at most two, all peers together.
   * A consumer that speaks in its session frees its place. */
  set_limits (fixture, 0, 0, 2, 60);
  g_clear_pointer (&first, g_free);
  first = start_session (consumer, producer);
  second = start_session (other, producer);
  say (other, text);
  expect_error (other, "the broadcaster is busy with 2 viewers joining; try again in a moment");
  answer = beacon_gst_build_peer_sdp (first, "answer", SDP_ANSWER);
  say (consumer, answer);
  skip_message (producer, BEACON_GST_MESSAGE_PEER_SDP);
  g_free (start_session (other, producer));

  /* The producer speaking does not count as the consumer's answer. */
  g_clear_pointer (&answer, g_free);
  answer = beacon_gst_build_peer_sdp (second, "offer", SDP_OFFER);
  say (producer, answer);
  skip_message (other, BEACON_GST_MESSAGE_PEER_SDP);
  say (consumer, text);
  expect_error (consumer, "the broadcaster is busy with 2 viewers joining");
}

static void
test_answer_timeout (Fixture       *fixture,
                     gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *silent = add_peer (fixture, FALSE);
  TestPeer *talking = add_peer (fixture, FALSE);
  g_autofree char *silent_session = NULL;
  g_autofree char *talking_session = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(BeaconGstMessage) producer_end = NULL;
  g_autoptr(BeaconGstMessage) consumer_end = NULL;

  set_limits (fixture, 0, 0, 0, 1);
  silent_session = start_session (silent, producer);
  talking_session = start_session (talking, producer);
  answer = beacon_gst_build_peer_sdp (talking_session, "answer", SDP_ANSWER);
  say (talking, answer);
  skip_message (producer, BEACON_GST_MESSAGE_PEER_SDP);

  /* Only the session whose consumer never spoke ends, and both sides are told. */
  g_assert_true (wait_for_end (fixture, silent_session, 5));
  g_assert_false (wait_for_end (fixture, talking_session, 1));
  producer_end = next_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  consumer_end = next_message (silent, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (producer_end->session_id, ==, silent_session);
  g_assert_cmpstr (consumer_end->session_id, ==, silent_session);
  assert_no_message (talking);

  /* The consumer's late answer is for a session that is gone. */
  g_clear_pointer (&answer, g_free);
  answer = beacon_gst_build_peer_sdp (silent_session, "answer", SDP_ANSWER);
  say (silent, answer);
  expect_error (silent, "not found");
  assert_no_message (producer);
}

/* A consumer spoken for by the room's caller (a WHEP viewer). */
static void
test_relayed_session (Fixture       *fixture,
                      gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *intruder = add_peer (fixture, FALSE);
  const char *consumer_id = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *text = NULL;

  set_limits (fixture, 1, 1, 1, 1);
  session_id = g_strdup (beacon_signalling_room_start_relayed_session (fixture->room,
                                                                       producer->id, "whep-",
                                                                       &consumer_id));
  g_assert_true (g_str_has_prefix (consumer_id, "whep-"));
  g_assert_cmpstr (consumer_id + strlen ("whep-"), ==, session_id);
  g_assert_cmpstr (beacon_signalling_room_get_session_producer (fixture->room, session_id), ==,
                   producer->id);
  /* It counts for the producer's limit, but does not wait for an answer. */
  g_assert_true (beacon_signalling_room_producer_is_full (fixture->room, producer->id));
  assert_no_message (producer);

  /* What the producer says in it goes to the caller, not to a peer. */
  text = beacon_gst_build_peer_sdp (session_id, "answer", SDP_ANSWER);
  say (producer, text);
  g_assert_cmpuint (fixture->relayed->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->relayed, 0), session_id));
  assert_no_message (producer);

  /* Nobody else can speak in it. */
  say (intruder, text);
  expect_error (intruder, "not found");
  g_assert_cmpuint (fixture->relayed->len, ==, 1);

  g_assert_false (wait_for_end (fixture, session_id, 2));
  beacon_signalling_room_end_session (fixture->room, session_id, TRUE, FALSE);
  skip_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpuint (fixture->ended->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->ended, 0), ==, session_id);
}

static void
test_close (Fixture       *fixture,
            gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *consumer = add_peer (fixture, FALSE);
  g_autofree char *session_id = start_session (consumer, producer);
  g_autoptr(BeaconGstMessage) producer_end = NULL;
  g_autoptr(BeaconGstMessage) consumer_end = NULL;

  beacon_signalling_room_close (fixture->room);
  producer_end = next_message (producer, BEACON_GST_MESSAGE_END_SESSION);
  consumer_end = next_message (consumer, BEACON_GST_MESSAGE_END_SESSION);
  g_assert_cmpstr (producer_end->session_id, ==, session_id);
  /* Everyone leaves at once: nobody is told that the producer left. */
  assert_no_message (producer);
  assert_no_message (consumer);
  g_assert_false (producer->in_room);
  g_assert_false (consumer->in_room);
  g_assert_cmpuint (beacon_signalling_room_get_n_peers (fixture->room), ==, 0);

  /* Closing twice does nothing more. */
  beacon_signalling_room_close (fixture->room);
  g_assert_cmpuint (fixture->ended->len, ==, 1);
}

/* Finalizing the room with peers and a waiting session in it frees them, timers included. */
static void
test_finalize_with_peers (Fixture       *fixture,
                          gconstpointer  data)
{
  TestPeer *producer = add_producer (fixture);
  TestPeer *consumer = add_peer (fixture, FALSE);

  set_limits (fixture, 0, 0, 0, 1);
  g_free (start_session (consumer, producer));
  /* The teardown checks that the room finalizes and let go of every peer. */
}

/* The WHEP endpoint listens to the room for its viewers' sessions; once it goes, the room
 * neither holds it nor calls it, and the room itself finalizes (checked by the teardown). */
static void
test_whep_endpoint_lets_go (Fixture       *fixture,
                            gconstpointer  data)
{
  BeaconWhepEndpoint *whep = beacon_whep_endpoint_new (fixture->room);
  TestPeer *producer = add_producer (fixture);
  g_autofree char *session_id = NULL;
  g_autofree char *text = NULL;

  g_assert_finalize_object (whep);
  session_id = g_strdup (beacon_signalling_room_start_relayed_session (fixture->room,
                                                                       producer->id, "whep-",
                                                                       NULL));
  text = beacon_gst_build_peer_sdp (session_id, "answer", SDP_ANSWER);
  say (producer, text);
  beacon_signalling_room_end_session (fixture->room, session_id, FALSE, FALSE);
  g_assert_cmpuint (fixture->relayed->len, ==, 1);
  g_assert_cmpuint (fixture->ended->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_TEST(name, func) \
  g_test_add ("/beacon/signalling-room/" name, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD_TEST ("welcome-and-roles", test_welcome_and_roles);
  ADD_TEST ("stranger-cannot-produce", test_stranger_cannot_produce);
  ADD_TEST ("session-relay", test_session_relay);
  ADD_TEST ("hostile-orders", test_hostile_orders);
  ADD_TEST ("sessions-end-with-their-peers", test_sessions_end_with_their_peers);
  ADD_TEST ("peer-leaves-during-send", test_peer_leaves_during_send);
  ADD_TEST ("limits", test_limits);
  ADD_TEST ("answer-timeout", test_answer_timeout);
  ADD_TEST ("relayed-session", test_relayed_session);
  ADD_TEST ("close", test_close);
  ADD_TEST ("finalize-with-peers", test_finalize_with_peers);
  ADD_TEST ("whep-endpoint-lets-go", test_whep_endpoint_lets_go);

#undef ADD_TEST

  return g_test_run ();
}

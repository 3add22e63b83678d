/* test-whep.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WHEP client against a stub server in this process: watching, a server that makes the
 * offer, and a WHIP endpoint given to a viewer (or the other way round).
 */

#include "config.h"

#include "beacon-test-whip-fixture.h"

static void
whep_handler (Stub              *stub,
              SoupServerMessage *msg,
              const char        *path,
              StubRequest       *request)
{
  gboolean server_offers = GPOINTER_TO_INT (stub->data);

  if (g_str_equal (request->method, "POST"))
    {
      stub_header (msg, "Location", "/whep/resource/r1");
      stub_header (msg, "ETag", "\"w1\"");
      stub_respond (msg, server_offers ? SOUP_STATUS_NOT_ACCEPTABLE : SOUP_STATUS_CREATED,
                    "application/sdp", ANSWER);
    }
  else
    {
      stub_header (msg, "ETag", "\"w2\"");
      stub_respond (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    }
}

static void
test_whep (void)
{
  g_autoptr(Stub) stub = stub_new (whep_handler, GINT_TO_POINTER (FALSE));
  g_autofree char *url = stub_url (stub, "/whep/endpoint/cam");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;
  StubRequest *request;

  signaler = make_signaler (url, TRUE, stub_pin, "viewer-token", FALSE, &recorder);
  g_assert_true (beacon_signaler_watcher_offers (signaler));
  start_signaler (signaler, TRUE, &recorder);

  beacon_signaler_send_description (signaler, "whep", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whep", 0, CANDIDATE_1);
  recorder_wait (&recorder, "remote-description whep answer");
  g_assert_cmpstr (recorder.remote_sdp, ==, ANSWER);
  request = g_ptr_array_index (stub->requests, 0);
  g_assert_cmpstr (request->content_type, ==, "application/sdp");
  g_assert_cmpstr (request->authorization, ==, "Bearer viewer-token");
  g_assert_nonnull (strstr (request->body, "a=" CANDIDATE_1));

  beacon_signaler_stop (signaler);
  request = stub_wait_request (stub, 2);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/whep/resource/r1");
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_whep_server_offers (void)
{
  g_autoptr(Stub) stub = stub_new (whep_handler, GINT_TO_POINTER (TRUE));
  g_autofree char *url = stub_url (stub, "/whep/endpoint/cam");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;
  StubRequest *request;

  /* 406 with the server's own offer: Beacon answers it with PATCH. */
  signaler = make_signaler (url, TRUE, stub_pin, NULL, FALSE, &recorder);
  start_signaler (signaler, TRUE, &recorder);
  beacon_signaler_send_description (signaler, "whep", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whep", 0, "");
  recorder_wait (&recorder, "remote-description whep offer");
  g_assert_cmpstr (recorder.remote_sdp, ==, ANSWER);
  g_assert_false (recorder_has (&recorder, "failed"));

  beacon_signaler_send_description (signaler, "whep", "answer", OFFER);
  request = stub_wait_request (stub, 2);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->path, ==, "/whep/resource/r1");
  g_assert_cmpstr (request->content_type, ==, "application/sdp");
  g_assert_cmpstr (request->if_match, ==, "\"w1\"");
  g_assert_true (g_str_has_prefix (request->body, "v=0\r\n"));

  /* Then candidates trickle as usual. */
  iterate_for (50);
  beacon_signaler_send_candidate (signaler, "whep", 0, CANDIDATE_3);
  request = stub_wait_request (stub, 3);
  g_assert_cmpstr (request->content_type, ==, "application/trickle-ice-sdpfrag");
  g_assert_cmpstr (request->if_match, ==, "\"w2\"");
  g_assert_false (recorder_has (&recorder, "failed"));
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_role_mismatch (void)
{
  g_autoptr(BeaconSignaler) whep = NULL;
  g_autoptr(BeaconSignaler) whip = NULL;
  Recorder a;
  Recorder b;

  whep = make_signaler ("https://127.0.0.1:1/whep", TRUE, NULL, NULL, FALSE, &a);
  beacon_signaler_start_async (whep, BEACON_SIGNALER_ROLE_PUBLISH, NULL, NULL, started_cb, &a);
  beacon_test_wait_until (&a.start_done, WAIT_SECONDS);
  g_assert_error (a.start_error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (a.start_error->message, "WHEP"));

  whip = make_signaler ("https://127.0.0.1:1/whip", FALSE, NULL, NULL, FALSE, &b);
  beacon_signaler_start_async (whip, BEACON_SIGNALER_ROLE_WATCH, NULL, NULL, started_cb, &b);
  beacon_test_wait_until (&b.start_done, WAIT_SECONDS);
  g_assert_error (b.start_error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
  iterate_for (50);
  g_assert_false (recorder_has (&b, "session-started whep server"));

  g_clear_object (&whep);
  g_clear_object (&whip);
  recorder_clear (&a);
  recorder_clear (&b);
}

int
main (int   argc,
      char *argv[])
{
  whip_test_init (&argc, &argv);

  g_test_add_func ("/beacon/whip/signaler/whep", test_whep);
  g_test_add_func ("/beacon/whip/signaler/whep-server-offers", test_whep_server_offers);
  g_test_add_func ("/beacon/whip/signaler/role-mismatch", test_role_mismatch);

  return whip_test_run ();
}

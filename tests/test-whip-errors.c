/* test-whip-errors.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the WHIP client fails against a stub server in this process: HTTP errors, connection
 * errors, and a pooled connection that must not lose its pin.
 */

#include "config.h"

#include "beacon-test-whip-fixture.h"

typedef struct {
  guint       status;
  const char *retry_after;
  const char *content_type;
  const char *body;
  const char *token;
  int         code;
  const char *message;
} ErrorCase;

static void
error_handler (Stub              *stub,
               SoupServerMessage *msg,
               const char        *path,
               StubRequest       *request)
{
  const ErrorCase *error_case = stub->data;

  if (error_case->retry_after != NULL)
    stub_header (msg, "Retry-After", error_case->retry_after);
  stub_respond (msg, error_case->status, error_case->content_type, error_case->body);
}

/* Runs one offer against a stub answering as @error_case says, and checks the failure. */
static void
check_error_case (const ErrorCase *error_case,
                  gboolean         whep)
{
  g_autoptr(Stub) stub = stub_new (error_handler, (gpointer) error_case);
  g_autofree char *url = stub_url (stub, "/endpoint");
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;

  signaler = make_signaler (url, whep, stub_pin, error_case->token, FALSE, &recorder);
  start_signaler (signaler, whep, &recorder);
  beacon_signaler_send_description (signaler, whep ? "whep" : "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, whep ? "whep" : "whip", 0, "");
  recorder_wait (&recorder, "failed");
  g_test_message ("HTTP %u → %s", error_case->status, recorder.failure->message);
  g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR, error_case->code);
  if (strstr (recorder.failure->message, error_case->message) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", recorder.failure->message, error_case->message);
  g_assert_false (recorder_has (&recorder, "remote-description whip answer"));

  /* Nothing to delete: no session was made. */
  beacon_signaler_stop (signaler);
  iterate_for (100);
  g_assert_cmpuint (stub->requests->len, ==, 1);
  g_clear_object (&signaler);
  recorder_clear (&recorder);
}

static void
test_errors (void)
{
  const ErrorCase cases[] = {
    { 401, NULL, NULL, NULL, "wrong", BEACON_SIGNALER_ERROR_UNAUTHORIZED,
      "the server refused the token (HTTP 401 Unauthorized)" },
    { 403, NULL, "text/plain", "Unauthorized", NULL, BEACON_SIGNALER_ERROR_UNAUTHORIZED,
      "requires a token (HTTP 403 Forbidden: Unauthorized); give it with --token" },
    { 404, NULL, "text/plain", "Invalid endpoint ID", NULL, BEACON_SIGNALER_ERROR_NOT_FOUND,
      "no WHIP endpoint at https://127.0.0.1:" },
    { 409, "7", NULL, NULL, NULL, BEACON_SIGNALER_ERROR_BUSY,
      "another publisher is already sending to this endpoint; try again in 7 s" },
    { 503, "30", NULL, NULL, NULL, BEACON_SIGNALER_ERROR_BUSY,
      "the server is busy; try again in 30 s" },
    { 503, NULL, NULL, NULL, NULL, BEACON_SIGNALER_ERROR_BUSY, "the server is busy" },
    { 500, NULL, "text/plain", "kaboom\nat line 3", NULL, BEACON_SIGNALER_ERROR_SERVER,
      "answered HTTP 500 Internal Server Error: kaboom at line 3" },
    /* A body that is not text is not quoted. */
    { 400, NULL, "application/octet-stream", "\x01\x02", NULL, BEACON_SIGNALER_ERROR_SERVER,
      "answered HTTP 400 Bad Request" },
    { 201, NULL, "text/plain", "welcome!", NULL, BEACON_SIGNALER_ERROR_PROTOCOL,
      "sent no SDP answer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_error_case (&cases[i], FALSE);

  {
    const ErrorCase whep_case = { 404, NULL, NULL, NULL, NULL, BEACON_SIGNALER_ERROR_NOT_FOUND,
                                  "no WHEP endpoint at" };

    check_error_case (&whep_case, TRUE);
  }
}

static void
test_connection_errors (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autofree char *refused_url = NULL;
  g_autoptr(BeaconSignaler) signaler = NULL;
  Recorder recorder;

  /* Nobody listens. */
  refused_url = g_strdup_printf ("https://127.0.0.1:%u/whip", beacon_test_free_port ());
  signaler = make_signaler (refused_url, FALSE, NULL, NULL, FALSE, &recorder);
  start_signaler (signaler, FALSE, &recorder);
  beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (signaler, "whip", 0, "");
  recorder_wait (&recorder, "failed");
  g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CONNECT);
  g_assert_nonnull (strstr (recorder.failure->message, "connection refused"));
  g_clear_object (&signaler);
  recorder_clear (&recorder);

  /* A self-signed certificate without a pin, and with another pin. */
  for (guint i = 0; i < 2; i++)
    {
      const char *pin = i == 0 ? NULL
                               : "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                                 "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

      signaler = make_signaler (url, FALSE, pin, NULL, FALSE, &recorder);
      start_signaler (signaler, FALSE, &recorder);
      beacon_signaler_send_description (signaler, "whip", "offer", OFFER);
      beacon_signaler_send_candidate (signaler, "whip", 0, "");
      recorder_wait (&recorder, "failed");
      g_assert_error (recorder.failure, BEACON_SIGNALER_ERROR,
                      BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED);
      if (pin != NULL)
        g_assert_nonnull (strstr (recorder.failure->message, "does not match the pinned"));
      g_clear_object (&signaler);
      recorder_clear (&recorder);
    }
  g_assert_cmpuint (stub->requests->len, ==, 0);
}

static void
test_pooled_connection_keeps_pin (void)
{
  g_autoptr(Stub) stub = stub_new (publish_handler, NULL);
  g_autofree char *url = stub_url (stub, "/whip/endpoint/ep");
  g_autoptr(BeaconSignaler) pinned = NULL;
  g_autoptr(BeaconSignaler) unpinned = NULL;
  Recorder first;
  Recorder second;

  /* The process shares one SoupSession: a connection that one signaler accepted for its pin
   * must not carry another signaler's requests past its own checks. */
  pinned = make_signaler (url, FALSE, stub_pin, NULL, FALSE, &first);
  start_signaler (pinned, FALSE, &first);
  beacon_signaler_send_description (pinned, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (pinned, "whip", 0, "");
  recorder_wait (&first, "remote-description whip answer");

  unpinned = make_signaler (url, FALSE, NULL, NULL, FALSE, &second);
  start_signaler (unpinned, FALSE, &second);
  beacon_signaler_send_description (unpinned, "whip", "offer", OFFER);
  beacon_signaler_send_candidate (unpinned, "whip", 0, "");
  recorder_wait (&second, "failed");
  g_assert_error (second.failure, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED);
  g_assert_false (recorder_has (&second, "remote-description whip answer"));
  /* The second offer never left: its connection was refused before it was sent. */
  g_assert_cmpuint (stub->requests->len, ==, 1);

  g_clear_object (&pinned);
  g_clear_object (&unpinned);
  recorder_clear (&first);
  recorder_clear (&second);
}

int
main (int   argc,
      char *argv[])
{
  whip_test_init (&argc, &argv);

  g_test_add_func ("/beacon/whip/signaler/http-errors", test_errors);
  g_test_add_func ("/beacon/whip/signaler/connection-errors", test_connection_errors);
  g_test_add_func ("/beacon/whip/signaler/pooled-connection-keeps-pin",
                   test_pooled_connection_keeps_pin);

  return whip_test_run ();
}

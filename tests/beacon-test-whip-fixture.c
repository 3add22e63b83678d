/* beacon-test-whip-fixture.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the WHIP and WHEP tests share: a stub WHIP/WHEP server in this process, a recorder of a
 * signaler's signals, and `beacon-cli` publishers, broadcasts and their data directories. The
 * helpers keep the short names they had when all of this was one file (test-whip.c), so that
 * the cases read as before.
 */

#include "config.h"

#include "beacon-test-child.h"
#include "beacon-test-whip-fixture.h"

GTlsCertificate *stub_certificate;
char *stub_pin;

static gboolean
iterate_for_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
iterate_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, iterate_for_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
stub_request_free (StubRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->content_type);
  g_free (request->authorization);
  g_free (request->if_match);
  g_free (request->body);
  g_free (request);
}

void
stub_respond (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

void
stub_header (SoupServerMessage *msg,
             const char        *name,
             const char        *value)
{
  soup_message_headers_append (soup_server_message_get_response_headers (msg), name, value);
}

static void
stub_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Stub *stub = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  StubRequest *request;

  if (g_str_equal (soup_server_message_get_method (msg), "OPTIONS"))
    {
      stub->n_options++;
      if (stub->options_links != NULL)
        stub_header (msg, "Link", stub->options_links);
      stub_respond (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL);
      return;
    }
  request = g_new0 (StubRequest, 1);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->if_match = g_strdup (soup_message_headers_get_one (headers, "If-Match"));
  request->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  request->time_us = g_get_monotonic_time ();
  g_ptr_array_add (stub->requests, request);
  g_test_message ("stub ← %s %s (%s)", request->method, path,
                  request->content_type ? request->content_type : "no body");
  stub->handler (stub, msg, path, request);
}

Stub *
stub_new (StubHandler handler,
          gpointer    data)
{
  Stub *stub = g_new0 (Stub, 1);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  stub->server = soup_server_new ("tls-certificate", stub_certificate, NULL);
  soup_server_add_handler (stub->server, NULL, stub_handler_cb, stub, NULL);
  soup_server_listen (stub->server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (stub->server);
  stub->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  stub->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) stub_request_free);
  stub->handler = handler;
  stub->data = data;
  return stub;
}

char *
stub_url (Stub       *stub,
          const char *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u%s", stub->port, path);
}

void
stub_free (Stub *stub)
{
  soup_server_disconnect (stub->server);
  g_object_unref (stub->server);
  g_ptr_array_unref (stub->requests);
  g_free (stub);
}

StubRequest *
stub_wait_request (Stub *stub,
                   guint n)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (WAIT_SECONDS * G_USEC_PER_SEC);

  while (stub->requests->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (stub->requests->len < n)
    g_error ("the stub got %u requests, not %u, within %d s", stub->requests->len, n,
             WAIT_SECONDS);
  return g_ptr_array_index (stub->requests, n - 1);
}

void
recorder_clear (Recorder *recorder)
{
  g_clear_pointer (&recorder->events, g_ptr_array_unref);
  g_clear_pointer (&recorder->ice_servers, g_strfreev);
  g_clear_pointer (&recorder->remote_type, g_free);
  g_clear_pointer (&recorder->remote_sdp, g_free);
  g_clear_error (&recorder->failure);
  g_clear_pointer (&recorder->started, g_free);
  g_clear_error (&recorder->start_error);
}

static void
session_requested_cb (BeaconSignaler *signaler,
                      const char     *session_id,
                      const char     *peer_id,
                      const char     *offer,
                      Recorder       *recorder)
{
  g_assert_null (offer);
  g_ptr_array_add (recorder->events, g_strdup_printf ("session-requested %s %s", session_id,
                                                      peer_id));
}

static void
session_started_cb (BeaconSignaler *signaler,
                    const char     *session_id,
                    const char     *peer_id,
                    Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("session-started %s %s", session_id,
                                                      peer_id));
}

static void
remote_description_cb (BeaconSignaler *signaler,
                       const char     *session_id,
                       const char     *type,
                       const char     *sdp,
                       Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("remote-description %s %s", session_id,
                                                      type));
  g_free (recorder->remote_type);
  recorder->remote_type = g_strdup (type);
  g_free (recorder->remote_sdp);
  recorder->remote_sdp = g_strdup (sdp);
}

static void
ice_servers_cb (BeaconSignaler  *signaler,
                const char     **servers,
                Recorder        *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup ("ice-servers"));
  g_strfreev (recorder->ice_servers);
  recorder->ice_servers = g_strdupv ((char **) servers);
}

static void
failed_cb (BeaconSignaler *signaler,
           const GError   *error,
           Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup ("failed"));
  g_clear_error (&recorder->failure);
  recorder->failure = g_error_copy (error);
}

static void
session_ended_cb (BeaconSignaler *signaler,
                  const char     *session_id,
                  Recorder       *recorder)
{
  g_ptr_array_add (recorder->events, g_strdup_printf ("session-ended %s", session_id));
}

void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Recorder *recorder = user_data;

  recorder->started = beacon_signaler_start_finish (BEACON_SIGNALER (source), result,
                                                    &recorder->start_error);
  recorder->start_done = TRUE;
  g_ptr_array_add (recorder->events, g_strdup ("started"));
}

gboolean
recorder_has (Recorder   *recorder,
              const char *event)
{
  for (guint i = 0; i < recorder->events->len; i++)
    if (g_str_equal (g_ptr_array_index (recorder->events, i), event))
      return TRUE;
  return FALSE;
}

gint
recorder_index (Recorder   *recorder,
                const char *event)
{
  for (guint i = 0; i < recorder->events->len; i++)
    if (g_str_equal (g_ptr_array_index (recorder->events, i), event))
      return i;
  return -1;
}

void
recorder_wait (Recorder   *recorder,
               const char *event)
{
  gint64 deadline = g_get_monotonic_time () +
                    beacon_test_scaled_us (WAIT_SECONDS * G_USEC_PER_SEC);

  while (!recorder_has (recorder, event) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!recorder_has (recorder, event))
    g_error ("no '%s' within %d s (failure: %s)", event, WAIT_SECONDS,
             recorder->failure ? recorder->failure->message : "none");
}

BeaconSignaler *
make_signaler (const char *url,
               gboolean    whep,
               const char *pin,
               const char *token,
               gboolean    allow_insecure,
               Recorder   *recorder)
{
  g_autoptr(BeaconSignalerOptions) options = beacon_signaler_options_new ();
  g_autoptr(GError) error = NULL;
  BeaconSignaler *signaler;

  options->dialect = g_strdup (whep ? "whep" : "whip");
  options->url = g_strdup (url);
  options->pin = g_strdup (pin);
  options->token = g_strdup (token);
  options->allow_insecure = allow_insecure;
  signaler = beacon_signaler_new_for_dialect (options, &error);
  g_assert_no_error (error);
  g_assert_true (BEACON_IS_WHIP_SIGNALER (signaler));

  memset (recorder, 0, sizeof *recorder);
  recorder->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (signaler, "session-requested", G_CALLBACK (session_requested_cb), recorder);
  g_signal_connect (signaler, "session-started", G_CALLBACK (session_started_cb), recorder);
  g_signal_connect (signaler, "remote-description", G_CALLBACK (remote_description_cb), recorder);
  g_signal_connect (signaler, "ice-servers", G_CALLBACK (ice_servers_cb), recorder);
  g_signal_connect (signaler, "failed", G_CALLBACK (failed_cb), recorder);
  g_signal_connect (signaler, "session-ended", G_CALLBACK (session_ended_cb), recorder);
  return signaler;
}

/* Starts @signaler and waits for its session to be announced. */
void
start_signaler (BeaconSignaler *signaler,
                gboolean        whep,
                Recorder       *recorder)
{
  beacon_signaler_start_async (signaler, whep ? BEACON_SIGNALER_ROLE_WATCH
                                              : BEACON_SIGNALER_ROLE_PUBLISH,
                               NULL, NULL, started_cb, recorder);
  recorder_wait (recorder, whep ? "session-started whep server"
                                : "session-requested whip server");
  g_assert_no_error (recorder->start_error);
  g_assert_cmpstr (recorder->started, ==, whep ? "whep" : "whip");
  /* Start completes before the session is announced. */
  g_assert_cmpint (recorder_index (recorder, "started"), ==, 0);
}

/* The signaler against the stub */

void
publish_handler (Stub              *stub,
                 SoupServerMessage *msg,
                 const char        *path,
                 StubRequest       *request)
{
  if (g_str_equal (request->method, "POST") && g_str_equal (path, "/whip/endpoint/ep"))
    {
      stub_header (msg, "Location", "../resource/abc");
      stub_header (msg, "ETag", "\"e1\"");
      /* Two Link headers, one of them folding two links and a link of another kind. */
      stub_header (msg, "Link", "<turn:127.0.0.1:3478?transport=udp>; rel=\"ice-server\"; "
                                "username=\"u,1\"; credential=\"p;w\"; "
                                "credential-type=\"password\"");
      stub_header (msg, "Link", "<stun:127.0.0.1:3479>; rel=\"ice-server\", "
                                "<https://example.net/>; rel=\"help\"");
      stub_respond (msg, SOUP_STATUS_CREATED, "application/sdp", ANSWER);
    }
  else if (g_str_equal (request->method, "PATCH") && g_str_equal (path, "/whip/resource/abc"))
    {
      stub_header (msg, "ETag", g_str_equal (request->if_match, "\"e1\"") ? "\"e2\"" : "\"e3\"");
      stub_respond (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    }
  else if (g_str_equal (request->method, "DELETE") && g_str_equal (path, "/whip/resource/abc"))
    {
      stub_respond (msg, SOUP_STATUS_OK, NULL, NULL);
    }
  else
    {
      stub_respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "nope");
    }
}

gboolean private_network;
char *private_network_reason;
BeaconTestJanus *janus;
BeaconTestWhipServer *whip_server;
char *servers_dir;
static char *data_root;

char *
data_dir (const char *name)
{
  g_autofree char *dir = NULL;

  if (data_root == NULL)
    {
      g_autoptr(GError) error = NULL;

      data_root = g_dir_make_tmp ("beacon-whip-XXXXXX", &error);
      g_assert_no_error (error);
    }
  dir = g_build_filename (data_root, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_steal_pointer (&dir);
}

/* Starts `beacon-cli publish --dialect whip` with a small test picture. Media goes from
 * @ice_address. */
BeaconTestProcess *
start_publish (const char *name,
               const char *url,
               const char *ice_address,
               const char *first_option,
               ...)
{
  g_autofree char *dir = data_dir (name);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *option;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "publish");
  g_ptr_array_add (argv, (gpointer) "--dialect");
  g_ptr_array_add (argv, (gpointer) "whip");
  g_ptr_array_add (argv, (gpointer) "--source");
  g_ptr_array_add (argv, (gpointer) "test");
  g_ptr_array_add (argv, (gpointer) "--codec");
  g_ptr_array_add (argv, (gpointer) "vp8");
  g_ptr_array_add (argv, (gpointer) "--width");
  g_ptr_array_add (argv, (gpointer) "320");
  g_ptr_array_add (argv, (gpointer) "--height");
  g_ptr_array_add (argv, (gpointer) "240");
  g_ptr_array_add (argv, (gpointer) "--ice-address");
  g_ptr_array_add (argv, (gpointer) ice_address);
  va_start (args, first_option);
  for (option = first_option; option != NULL; option = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) option);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) url);
  g_ptr_array_add (argv, NULL);
  return beacon_test_process_start (dir, (const char * const *) argv->pdata);
}

void
assert_stderr_contains (BeaconTestProcess *process,
                        const char        *text)
{
  if (strstr (beacon_test_process_get_stderr (process), text) == NULL)
    g_error ("stderr does not contain \"%s\":\n%s", text,
             beacon_test_process_get_stderr (process));
}

void
cleanup_servers (void)
{
  g_clear_pointer (&whip_server, beacon_test_whip_server_free);
  g_clear_pointer (&janus, beacon_test_janus_free);
  if (servers_dir != NULL)
    beacon_test_remove_tree (servers_dir);
  if (data_root != NULL)
    beacon_test_remove_tree (data_root);
  g_clear_pointer (&servers_dir, g_free);
  g_clear_pointer (&data_root, g_free);
}

void
whip_test_init (int    *argc,
                char ***argv)
{
  g_autofree char *fingerprint = NULL;

  /* Before anything else, while this is the only thread. */
  private_network = beacon_test_enter_private_network (&private_network_reason);

  g_test_init (argc, argv, NULL);
  if (!private_network)
    g_test_message ("no private network: %s", private_network_reason);

  stub_certificate = beacon_test_create_certificate ();
  fingerprint = beacon_fingerprint_of_tls_certificate (stub_certificate, "sha-256", NULL);
  stub_pin = g_strdup (fingerprint);
}

int
whip_test_run (void)
{
  int ret = g_test_run ();

  cleanup_servers ();

  g_clear_object (&stub_certificate);
  g_clear_pointer (&stub_pin, g_free);
  g_clear_pointer (&private_network_reason, g_free);
  return ret;
}

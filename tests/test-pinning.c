/* test-pinning.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pin is a promise about one certificate. This test makes a certificate authority that the
 * system trusts — only inside this test: the test re-runs itself in a private mount namespace
 * where a CA bundle with the test's CA is bound over the system's — and a server with a
 * certificate from it for 127.0.0.1. A client given a pin for another certificate must refuse
 * that server during the TLS handshake, before any byte of the request (a Bearer token, a
 * Janus token, an offer) reaches it: for the GStreamer protocol, Janus, WHIP and WHEP.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "beacon-test-process.h"

enum { EXIT_SECURITY = 5 };

#define NAMESPACE_ENV "BEACON_TEST_PINNING_CA_DIR"
#define SYSTEM_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
/* What a client sends as a secret: it must never reach the impostor. */
#define SECRET "do-not-leak-7d1f"
/* Any well-formed pin that is not the server's certificate. */
#define OTHER_PIN "sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
                  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"

typedef struct {
  char       *dir;
  SoupServer *server;
  guint       port;
  guint       n_requests;     /* HTTP requests that reached a handler */
  guint       n_websockets;   /* WebSocket connections that were accepted */
  GString    *received;       /* everything the server read: headers and bodies */
} Fixture;

static void
record_headers (Fixture           *fixture,
                SoupServerMessage *msg)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (fixture->received, "%s: %s\n", name, value);
}

static void
http_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  fixture->n_requests++;
  record_headers (fixture, msg);
  if (body->data != NULL)
    g_string_append_len (fixture->received, body->data, body->length);
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
websocket_message_cb (SoupWebsocketConnection *connection,
                      gint                     type,
                      GBytes                  *message,
                      Fixture                 *fixture)
{
  g_string_append_len (fixture->received, g_bytes_get_data (message, NULL),
                       g_bytes_get_size (message));
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  Fixture *fixture = user_data;

  fixture->n_websockets++;
  record_headers (fixture, msg);
  g_signal_connect (connection, "message", G_CALLBACK (websocket_message_cb), fixture);
  /* Held until the fixture goes: the client gives up on its own. */
  g_object_set_data_full (G_OBJECT (server), g_strdup_printf ("ws-%u", fixture->n_websockets),
                          g_object_ref (connection), g_object_unref);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (g_getenv (NAMESPACE_ENV), "server.pem", NULL);
  g_autofree char *key = g_build_filename (g_getenv (NAMESPACE_ENV), "server.key", NULL);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key, &error);
  GSList *uris;

  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("beacon-pinning-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->received = g_string_new (NULL);
  fixture->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_websocket_handler (fixture->server, NULL, NULL, NULL, websocket_cb, fixture,
                                     NULL);
  soup_server_add_handler (fixture->server, NULL, http_cb, fixture, NULL);
  g_assert_true (soup_server_listen_local (fixture->server, 0,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_string_free (fixture->received, TRUE);
  beacon_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static int
run_cli (Fixture            *fixture,
         const char * const *argv,
         char              **stderr_text)
{
  g_autofree char *data_dir = g_build_filename (fixture->dir, "client", NULL);
  g_autoptr(BeaconTestProcess) process = beacon_test_process_start (data_dir, argv);
  int status = beacon_test_process_wait_exit (process, 40);

  *stderr_text = g_strdup (beacon_test_process_get_stderr (process));
  return status;
}

static char *
url (Fixture    *fixture,
     const char *scheme,
     const char *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%u/%s", scheme, fixture->port, path);
}

/* The control: without a pin, the test's CA really is trusted here, and the server really
 * sees what clients send — so the refusals below come from the pin, not from a broken CA. */
static void
test_ca_trusted_without_pin (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *whip = url (fixture, "https", "whip");
  g_autofree char *stderr_text = NULL;
  int status = run_cli (fixture, (const char *[]) {
    "publish", "--dialect", "whip", "--token", SECRET, "--source", "test", "--width", "160",
    "--height", "120", "--ice-address", "127.0.0.1", whip, NULL }, &stderr_text);

  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (stderr_text, "404"));
  g_assert_cmpuint (fixture->n_requests, >=, 1);
  g_assert_nonnull (strstr (fixture->received->str, SECRET));
}

static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *target = g_strdup_printf ("https://127.0.0.1:%u/whip", fixture->port);

  soup_server_message_set_redirect (msg, SOUP_STATUS_TEMPORARY_REDIRECT, target);
}

/* A WHIP endpoint that redirects to another origin: the Bearer token was given for the first
 * one and does not follow the offer there. */
static void
test_token_stays_with_its_origin (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (g_getenv (NAMESPACE_ENV), "server.pem", NULL);
  g_autofree char *key = g_build_filename (g_getenv (NAMESPACE_ENV), "server.key", NULL);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_autoptr(SoupServer) redirector = soup_server_new ("tls-certificate", certificate, NULL);
  g_autofree char *whip = NULL;
  g_autofree char *stderr_text = NULL;
  GSList *uris;
  int status;

  soup_server_add_handler (redirector, NULL, redirect_cb, fixture, NULL);
  g_assert_true (soup_server_listen_local (redirector, 0,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                                           &error));
  uris = soup_server_get_uris (redirector);
  whip = g_strdup_printf ("https://127.0.0.1:%d/whip", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  status = run_cli (fixture, (const char *[]) {
    "publish", "--dialect", "whip", "--token", SECRET, "--source", "test",
    "--ice-address", "127.0.0.1", whip, NULL }, &stderr_text);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (fixture->n_requests, ==, 1);
  g_assert_nonnull (strstr (fixture->received->str, "v=0"));
  g_assert_null (strstr (fixture->received->str, SECRET));
  soup_server_disconnect (redirector);
}

typedef struct {
  const char *dialect;
  const char *command;
  const char *scheme;
  const char *path;
} Case;

static const Case gst_publish = { "gst", "publish", "wss", "" };
static const Case gst_watch = { "gst", "watch", "wss", "" };
static const Case janus_watch = { "janus", "watch", "wss", "" };
static const Case janus_publish = { "janus", "publish", "wss", "" };
static const Case whip_publish = { "whip", "publish", "https", "whip" };
static const Case whep_watch = { "whep", "watch", "https", "whep" };

static void
test_ca_valid_but_not_pinned (Fixture       *fixture,
                              gconstpointer  data)
{
  const Case *c = data;
  g_autofree char *target = url (fixture, c->scheme, c->path);
  g_autofree char *stderr_text = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status;

  g_ptr_array_add (argv, (char *) c->command);
  g_ptr_array_add (argv, "--dialect");
  g_ptr_array_add (argv, (char *) c->dialect);
  g_ptr_array_add (argv, "--pin");
  g_ptr_array_add (argv, OTHER_PIN);
  g_ptr_array_add (argv, "--token");
  g_ptr_array_add (argv, SECRET);
  g_ptr_array_add (argv, "--ice-address");
  g_ptr_array_add (argv, "127.0.0.1");
  if (g_str_equal (c->dialect, "janus"))
    {
      g_ptr_array_add (argv, "--room");
      g_ptr_array_add (argv, "1234");
    }
  if (g_str_equal (c->command, "publish"))
    {
      g_ptr_array_add (argv, "--source");
      g_ptr_array_add (argv, "test");
    }
  else
    {
      g_ptr_array_add (argv, "--timeout");
      g_ptr_array_add (argv, "30");
    }
  g_ptr_array_add (argv, target);
  g_ptr_array_add (argv, NULL);
  status = run_cli (fixture, (const char * const *) argv->pdata, &stderr_text);

  if (status != EXIT_SECURITY || strstr (stderr_text, "does not match the pinned") == NULL)
    g_error ("%s --dialect %s with a wrong pin: exit %d, stderr:\n%s", c->command, c->dialect,
             status, stderr_text);
  g_assert_cmpuint (fixture->n_requests, ==, 0);
  g_assert_cmpuint (fixture->n_websockets, ==, 0);
  g_assert_null (strstr (fixture->received->str, SECRET));
}

/* serve --tls-cert: the direct server presents a certificate the authorities vouch for, the
 * link carries only the media's identity (#id=), and a viewer validates the signaling by the
 * authorities and still binds the media to the broadcaster's own identity. */
static void
test_serve_with_ca_certificate (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *cert = g_build_filename (g_getenv (NAMESPACE_ENV), "server.pem", NULL);
  g_autofree char *key = g_build_filename (g_getenv (NAMESPACE_ENV), "server.key", NULL);
  g_autofree char *server_dir = g_build_filename (fixture->dir, "server", NULL);
  g_autofree char *viewer_dir = g_build_filename (fixture->dir, "viewer", NULL);
  g_autofree char *report_path = g_build_filename (fixture->dir, "viewer.json", NULL);
  g_autoptr(BeaconTestProcess) server = beacon_test_process_start (server_dir, (const char *[]) {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--host", "localhost", "--tls-cert", cert,
    "--tls-key", key, "--source", "test", "--width", "160", "--height", "120",
    "--ice-address", "127.0.0.1", NULL });
  g_autofree char *link = beacon_test_process_wait_line (server, "watch: ", 30);
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonObject *dtls;

  if (link == NULL)
    g_error ("serve --tls-cert printed no link:\n%s", beacon_test_process_get_stderr (server));
  g_assert_true (g_str_has_prefix (link, "wss://localhost:"));
  g_assert_nonnull (strstr (link, "#id=sha256:"));
  g_assert_null (strstr (link, "pin="));

  viewer = beacon_test_process_start (viewer_dir, (const char *[]) {
    "watch", link, "--ice-address", "127.0.0.1", "--frames", "10", "--timeout", "40",
    "--report", report_path, NULL });
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 50), 0);
  report = beacon_test_read_json (report_path);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report,
                                                                                  "signaling"),
                                                  "trust"), ==, "ca");
  dtls = json_object_get_object_member (report, "dtls");
  g_assert_true (json_object_get_boolean_member (dtls, "bound_to_link"));
  g_assert_nonnull (strstr (link, json_object_get_string_member (dtls, "link_identity")));
  g_assert_cmpstr (json_object_get_string_member (report, "verdict"), ==, "secure");

  /* The same server with an id that is not the broadcaster's: refused as another identity. */
  {
    g_autofree char *base = g_strndup (link, strstr (link, "#id=") - link);
    g_autofree char *forged = g_strconcat (base, "#id=" OTHER_PIN, NULL);
    g_autoptr(BeaconTestProcess) victim = beacon_test_process_start (viewer_dir,
      (const char *[]) { "watch", forged, "--ice-address", "127.0.0.1", "--frames", "10",
                         "--timeout", "40", NULL });

    beacon_test_assert_exit (victim, beacon_test_process_wait_exit (victim, 50), EXIT_SECURITY);
    g_assert_nonnull (strstr (beacon_test_process_get_stderr (victim),
                              "not from the broadcaster the link names"));
  }
  beacon_test_process_send_signal (server, SIGTERM);
  beacon_test_assert_exit (server, beacon_test_process_wait_exit (server, 15), 0);
}

/* Runs this test again in a private mount namespace where the system trusts the test's CA. */
static int
run_in_namespace (int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-ca-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  int status = 0;

  g_assert_no_error (error);
  script = g_strdup_printf (
    "set -e; cd '%s';"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key"
    "  -out ca.pem -days 2 -subj '/CN=Beacon Test CA' 2>/dev/null;"
    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key"
    "  -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null;"
    "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n"
    "extendedKeyUsage=serverAuth\\n' > ext;"
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
    "  -extfile ext -out server.pem 2>/dev/null;"
    "cat " SYSTEM_BUNDLE " ca.pem > bundle.pem", dir);
  if (!g_spawn_sync (NULL, (char *[]) { "sh", "-c", script, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("could not make the test CA: %s", error->message);

  g_setenv (NAMESPACE_ENV, dir, TRUE);
  g_ptr_array_add (args, "unshare");
  g_ptr_array_add (args, "-m");
  g_ptr_array_add (args, "sh");
  g_ptr_array_add (args, "-c");
  g_ptr_array_add (args, "mount --bind \"$" NAMESPACE_ENV "/bundle.pem\" " SYSTEM_BUNDLE
                         " && exec \"$@\"");
  g_ptr_array_add (args, "sh");
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                     &status, &error))
    g_error ("could not enter a private mount namespace: %s", error->message);
  beacon_test_remove_tree (dir);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 1;
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv (NAMESPACE_ENV) == NULL)
    return run_in_namespace (argc, argv);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/beacon/pinning/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("ca-trusted-without-pin", NULL, test_ca_trusted_without_pin);
  ADD ("serve-with-ca-certificate", NULL, test_serve_with_ca_certificate);
  ADD ("whip-token-stays-with-its-origin", NULL, test_token_stays_with_its_origin);
  ADD ("gst-publish-refuses-ca-valid-impostor", &gst_publish, test_ca_valid_but_not_pinned);
  ADD ("gst-watch-refuses-ca-valid-impostor", &gst_watch, test_ca_valid_but_not_pinned);
  ADD ("janus-watch-refuses-ca-valid-impostor", &janus_watch, test_ca_valid_but_not_pinned);
  ADD ("janus-publish-refuses-ca-valid-impostor", &janus_publish, test_ca_valid_but_not_pinned);
  ADD ("whip-publish-refuses-ca-valid-impostor", &whip_publish, test_ca_valid_but_not_pinned);
  ADD ("whep-watch-refuses-ca-valid-impostor", &whep_watch, test_ca_valid_but_not_pinned);

  return g_test_run ();
}

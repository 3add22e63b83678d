/* beacon-test-servers.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* unshare () and CLONE_NEWNET */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "beacon-test-servers.h"

#include <json-glib/json-glib.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "beacon-test-child.h"

#define SERVERS_READY_TIMEOUT_SECONDS 20

/* Writes tests/servers/@group/@template to @target with @KEY@ placeholders replaced. */
static void
servers_write_config (const char         *group,
                      const char         *template_name,
                      const char         *target,
                      const char * const *substitutions)
{
  const char *template_path = g_test_get_filename (G_TEST_DIST, "servers", group, template_name,
                                                   NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (template_path, &contents, NULL, &error);
  g_assert_no_error (error);
  text = g_string_new (contents);
  for (guint i = 0; substitutions[i] != NULL; i += 2)
    {
      g_autofree char *key = g_strdup_printf ("@%s@", substitutions[i]);

      g_string_replace (text, key, substitutions[i + 1], 0);
    }
  g_file_set_contents (target, text->str, text->len, &error);
  g_assert_no_error (error);
}

/* Runs `ip ARGS…` synchronously, without a thread (see beacon_test_enter_private_network ()). */
static gboolean
servers_run_ip (char       **reason,
                const char  *first_arg,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) "ip");
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH |
                     G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

      *reason = g_strdup_printf ("'%s' failed: %s %s", command, error->message,
                                 err ? g_strstrip (err) : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
beacon_test_enter_private_network (char **reason)
{
  g_autofree char *ip = g_find_program_in_path ("ip");

  if (ip == NULL)
    {
      *reason = g_strdup ("ip is not installed (Debian: apt-get install iproute2)");
      return FALSE;
    }
  if (unshare (CLONE_NEWNET) != 0)
    {
      *reason = g_strdup_printf ("cannot make a private network namespace (it needs root): %s",
                                 g_strerror (errno));
      return FALSE;
    }
  /* A dummy interface would do, but its kernel module is not always there; a veth pair with
   * both ends in this namespace is. */
  return servers_run_ip (reason, "link", "set", "lo", "up", NULL) &&
         servers_run_ip (reason, "link", "add", "beacon0", "type", "veth", "peer", "name",
                         "beacon1", NULL) &&
         servers_run_ip (reason, "address", "add", BEACON_TEST_PRIVATE_ADDRESS "/32", "dev",
                         "beacon0", NULL) &&
         servers_run_ip (reason, "link", "set", "beacon0", "up", NULL) &&
         servers_run_ip (reason, "link", "set", "beacon1", "up", NULL);
}

gboolean
beacon_test_servers_required (void)
{
  return g_strcmp0 (g_getenv ("BEACON_TEST_REQUIRE_SERVERS"), "1") == 0;
}

void
beacon_test_servers_skip (const char *reason)
{
  if (beacon_test_servers_required ())
    g_error ("a server this test needs is missing (BEACON_TEST_REQUIRE_SERVERS=1): %s", reason);
  g_test_skip (reason);
}

/* coturn */

struct _BeaconTestTurn
{
  BeaconTestChild  child;
  guint         port;
  guint         min_port;
  guint         max_port;
  char         *user;
  char         *password;
};

gboolean
beacon_test_turn_available (char **reason)
{
  g_autofree char *path = g_find_program_in_path ("turnserver");

  if (path == NULL)
    {
      *reason = g_strdup ("coturn is not installed (Debian: apt-get install coturn)");
      return FALSE;
    }
  return TRUE;
}

BeaconTestTurn *
beacon_test_turn_start (const char *dir)
{
  BeaconTestTurn *turn = g_new0 (BeaconTestTurn, 1);
  g_autofree char *config = g_build_filename (dir, "turnserver.conf", NULL);
  g_autofree char *port = NULL;
  g_autofree char *min_port = NULL;
  g_autofree char *max_port = NULL;
  g_autofree char *ready = NULL;

  turn->port = beacon_test_free_port_of_type (G_SOCKET_TYPE_DATAGRAM);
  /* 200 relay ports from a random place high in the range, so that two runs rarely meet. */
  turn->min_port = g_random_int_range (50000, 60000);
  turn->max_port = turn->min_port + 199;
  turn->user = g_strdup ("beacon");
  turn->password = g_strdup_printf ("pw%08x", g_random_int ());
  port = g_strdup_printf ("%u", turn->port);
  min_port = g_strdup_printf ("%u", turn->min_port);
  max_port = g_strdup_printf ("%u", turn->max_port);

  servers_write_config ("turn", "turnserver.conf.in", config, (const char *[]) {
    "DIR", dir,
    "PORT", port,
    "MIN_PORT", min_port,
    "MAX_PORT", max_port,
    "USER", turn->user,
    "PASSWORD", turn->password,
    NULL });

  beacon_test_child_spawn (&turn->child, "turnserver", dir, NULL, (const char *[]) {
    "turnserver", "-c", config, NULL });
  ready = g_strdup_printf ("UDP listener opened on: 127.0.0.1:%u", turn->port);
  if (!beacon_test_child_wait_log (&turn->child, ready, SERVERS_READY_TIMEOUT_SECONDS))
    g_error ("coturn did not listen on 127.0.0.1:%u within %u s; its log:\n%s", turn->port,
             SERVERS_READY_TIMEOUT_SECONDS, turn->child.text->str);
  return turn;
}

guint
beacon_test_turn_get_port (BeaconTestTurn *turn)
{
  return turn->port;
}

const char *
beacon_test_turn_get_user (BeaconTestTurn *turn)
{
  return turn->user;
}

const char *
beacon_test_turn_get_password (BeaconTestTurn *turn)
{
  return turn->password;
}

char *
beacon_test_turn_dup_cli_url (BeaconTestTurn *turn,
                              const char     *password)
{
  return g_strdup_printf ("turn:%s:%s@127.0.0.1:%u", turn->user,
                          password ? password : turn->password, turn->port);
}

const char *
beacon_test_turn_get_log (BeaconTestTurn *turn)
{
  return turn->child.text ? turn->child.text->str : "";
}

gboolean
beacon_test_turn_wait_log (BeaconTestTurn *turn,
                           const char     *text,
                           guint           timeout_seconds)
{
  return beacon_test_child_wait_log (&turn->child, text, timeout_seconds);
}

void
beacon_test_turn_get_relay_range (BeaconTestTurn *turn,
                                  guint          *min_port,
                                  guint          *max_port)
{
  *min_port = turn->min_port;
  *max_port = turn->max_port;
}

void
beacon_test_turn_free (BeaconTestTurn *turn)
{
  if (turn == NULL)
    return;
  beacon_test_child_clear (&turn->child);
  g_free (turn->user);
  g_free (turn->password);
  g_free (turn);
}

/* simple-whip-server */

struct _BeaconTestWhipServer
{
  BeaconTestChild  child;
  char         *base_url;
  SoupSession  *session;
};

static char *
servers_whip_server_dir (void)
{
  const char *dir = g_getenv ("BEACON_SIMPLE_WHIP_SERVER_DIR");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_test_get_dir (G_TEST_BUILT), "servers", "simple-whip-server", NULL);
}

gboolean
beacon_test_whip_server_available (char **reason)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *dir = servers_whip_server_dir ();
  g_autofree char *prepared = g_build_filename (dir, ".prepared", NULL);
  g_autofree char *janus = g_find_program_in_path ("janus");

  if (node == NULL)
    {
      *reason = g_strdup ("Node.js is not installed (Debian: apt-get install nodejs npm)");
      return FALSE;
    }
  if (janus == NULL)
    {
      *reason = g_strdup ("Janus is not installed (Debian: apt-get install janus)");
      return FALSE;
    }
  if (!g_file_test (prepared, G_FILE_TEST_EXISTS))
    {
      const char *script = g_test_get_filename (G_TEST_DIST, "servers", "whip",
                                                "prepare-simple-whip-server", NULL);

      *reason = g_strdup_printf ("simple-whip-server is not prepared in %s: run %s %s (it needs "
                                 "the network, so not inside the tests' namespace)",
                                 dir, script, dir);
      return FALSE;
    }
  return TRUE;
}

BeaconTestWhipServer *
beacon_test_whip_server_start (const char *dir,
                               const char *janus_ws_url)
{
  BeaconTestWhipServer *server = g_new0 (BeaconTestWhipServer, 1);
  g_autofree char *install_dir = servers_whip_server_dir ();
  g_autofree char *run_dir = g_build_filename (dir, "simple-whip-server", NULL);
  g_autofree char *src_dir = g_build_filename (run_dir, "src", NULL);
  g_autofree char *config = g_build_filename (src_dir, "config.js", NULL);
  g_autofree char *port = NULL;
  const char *files[] = { "server.js", "whip-janus.js" };
  const char *loopback = g_test_get_filename (G_TEST_DIST, "servers", "whip", "loopback.js", NULL);
  g_autofree char *modules_link = g_build_filename (run_dir, "node_modules", NULL);
  g_autofree char *modules = g_build_filename (install_dir, "node_modules", NULL);
  g_autoptr(GError) error = NULL;

  /* Each run gets its own copy of the two source files beside its own config.js (server.js
   * loads ./config.js), and shares the prepared node_modules. */
  g_assert_cmpint (g_mkdir_with_parents (src_dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (install_dir, "src", files[i], NULL);
      g_autofree char *to = g_build_filename (src_dir, files[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_file_get_contents (from, &contents, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents (to, contents, length, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (symlink (modules, modules_link), ==, 0);

  port = g_strdup_printf ("%u", beacon_test_free_port_of_type (G_SOCKET_TYPE_STREAM));
  server->base_url = g_strdup_printf ("http://127.0.0.1:%s", port);
  servers_write_config ("whip", "config.js.in", config, (const char *[]) {
    "JANUS_WS_URL", janus_ws_url,
    "PORT", port,
    NULL });

  server->session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 10, NULL);
  /* Its debug output says when sessions start and end. */
  beacon_test_child_spawn (&server->child, "simple-whip-server", run_dir,
                       (const char *[]) { "DEBUG", "whip:*", "DEBUG_COLORS", "0", NULL },
                       (const char *[]) {
    "node", "-r", loopback, "src/server.js", NULL });
  if (!beacon_test_child_wait_log (&server->child, "WHIP server prototype started",
                               SERVERS_READY_TIMEOUT_SECONDS))
    g_error ("simple-whip-server did not start within %u s; its log:\n%s",
             SERVERS_READY_TIMEOUT_SECONDS, server->child.text->str);
  return server;
}

const char *
beacon_test_whip_server_get_base_url (BeaconTestWhipServer *server)
{
  return server->base_url;
}

typedef struct {
  GBytes  *body;
  GError  *error;
  gboolean done;
} ServersResult;

static void
servers_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ServersResult *sent = user_data;

  sent->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &sent->error);
  sent->done = TRUE;
}

/* Sends @message and waits (bounded) for the whole response. */
static GBytes *
servers_send (BeaconTestWhipServer *server,
              SoupMessage          *message)
{
  ServersResult sent = { NULL };

  soup_session_send_and_read_async (server->session, message, G_PRIORITY_DEFAULT, NULL,
                                    servers_sent_cb, &sent);
  if (!beacon_test_iterate_until (&sent.done, 15 * 1000))
    g_error ("simple-whip-server did not answer %s %s within 15 s",
             soup_message_get_method (message),
             g_uri_get_path (soup_message_get_uri (message)));
  g_assert_no_error (sent.error);
  return sent.body;
}

char *
beacon_test_whip_server_create_endpoint (BeaconTestWhipServer *server,
                                         const char           *id,
                                         gint64                room,
                                         const char           *token,
                                         const char           *ice_servers_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *url = g_strdup_printf ("%s/whip/create", server->base_url);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "room");
  json_builder_add_int_value (builder, room);
  if (token != NULL)
    {
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
    }
  if (ice_servers_json != NULL)
    {
      g_autoptr(GError) error = NULL;

      json_builder_set_member_name (builder, "iceServers");
      json_builder_add_value (builder, json_from_string (ice_servers_json, &error));
      g_assert_no_error (error);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  message = soup_message_new (SOUP_METHOD_POST, url);
  body = g_bytes_new (text, strlen (text));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  reply = servers_send (server, message);
  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    g_error ("simple-whip-server refused to create endpoint %s: HTTP %u %.*s", id,
             soup_message_get_status (message), (int) g_bytes_get_size (reply),
             (const char *) g_bytes_get_data (reply, NULL));
  return g_strdup_printf ("%s/whip/endpoint/%s", server->base_url, id);
}

gboolean
beacon_test_whip_server_is_publishing (BeaconTestWhipServer *server,
                                       const char           *id)
{
  g_autofree char *url = g_strdup_printf ("%s/whip/endpoints", server->base_url);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) reply = servers_send (server, message);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *endpoints;

  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  root = json_from_string (g_bytes_get_data (reply, NULL) ? g_bytes_get_data (reply, NULL) : "",
                           &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  endpoints = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (endpoints); i++)
    {
      JsonObject *endpoint = json_array_get_object_element (endpoints, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (endpoint, "id", NULL), id) == 0)
        return json_object_get_boolean_member_with_default (endpoint, "enabled", FALSE);
    }
  return FALSE;
}

guint
beacon_test_whip_server_request (BeaconTestWhipServer  *server,
                                 const char            *method,
                                 const char            *path,
                                 SoupMessageHeaders   **headers)
{
  g_autofree char *url = g_strdup_printf ("%s%s", server->base_url, path);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) reply = servers_send (server, message);

  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  return soup_message_get_status (message);
}

const char *
beacon_test_whip_server_get_log (BeaconTestWhipServer *server)
{
  return server->child.text ? server->child.text->str : "";
}

gboolean
beacon_test_whip_server_wait_log (BeaconTestWhipServer *server,
                                  const char           *text,
                                  guint                 timeout_seconds)
{
  return beacon_test_child_wait_log (&server->child, text, timeout_seconds);
}

void
beacon_test_whip_server_free (BeaconTestWhipServer *server)
{
  if (server == NULL)
    return;
  beacon_test_child_clear (&server->child);
  g_clear_object (&server->session);
  g_free (server->base_url);
  g_free (server);
}

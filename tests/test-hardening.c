/* test-hardening.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `beacon-cli` leaves open to others, probed from outside the process: the TLS versions
 * and cipher suites the direct server accepts (with openssl s_client), the file modes of what
 * it writes, the identity when several processes create it at once, TURN passwords in its log
 * lines, and the sockets a session opens when told to stay on 127.0.0.1.
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>

#include "beacon-test-child.h"
#include "beacon-test-process.h"
#include "beacon-test-serve-fixture.h"

typedef BeaconTestServeFixture Fixture;

#define fixture_path beacon_test_serve_fixture_path
#define fixture_tear_down beacon_test_serve_fixture_tear_down

static void
start_server (Fixture *fixture)
{
  g_autofree char *report = fixture_path (fixture, "server.json");
  const char *argv[] = {
    "serve", "--bind", "127.0.0.1", "--port", "0", "--source", "test", "--width", "320",
    "--height", "240", "--ice-address", "127.0.0.1", "--report", report, NULL
  };

  beacon_test_serve_fixture_start_server (fixture, argv);
  g_assert_true (g_str_has_prefix (fixture->url, "wss://127.0.0.1:"));
}

/* @data is TRUE when the test needs a running `beacon-cli serve`. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  beacon_test_serve_fixture_init (fixture, "hardening");
  if (GPOINTER_TO_INT (data))
    start_server (fixture);
}

/* TLS */

/* Starts `openssl COMMAND -brief` on 127.0.0.1:@port, with @options split at spaces. @command
 * is s_client (which connects) or s_server (which listens); either tells about a handshake
 * on stderr. */
static GSubprocess *
openssl_spawn (const char     *command,
               guint           port,
               const char     *options,
               GSubprocessFlags flags)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_auto(GStrv) extra = g_strsplit (options, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, "openssl");
  g_ptr_array_add (argv, (gpointer) command);
  g_ptr_array_add (argv, "-brief");
  g_ptr_array_add (argv, g_str_equal (command, "s_server") ? "-accept" : "-connect");
  g_ptr_array_add (argv, address);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, extra[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               flags, &error);
  g_assert_no_error (error);
  return process;
}

/* Runs `openssl s_client` against 127.0.0.1:@port with @options and returns whether the
 * handshake succeeded; *@protocol and *@cipher tell what was negotiated. */
static gboolean
tls_handshake (guint        port,
               const char  *options,
               char       **protocol,
               char       **cipher)
{
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean established;

  /* With stdin at its end right away, s_client closes the connection after the handshake. */
  client = openssl_spawn ("s_client", port, options, G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_communicate_utf8 (client, "", NULL, &out, &err, &error);
  g_assert_no_error (error);

  established = g_subprocess_get_if_exited (client) &&
                g_subprocess_get_exit_status (client) == 0 &&
                strstr (err, "CONNECTION ESTABLISHED") != NULL;
  *protocol = *cipher = NULL;
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Protocol version: "))
      *protocol = g_strdup (lines[i] + strlen ("Protocol version: "));
    else if (g_str_has_prefix (lines[i], "Ciphersuite: "))
      *cipher = g_strdup (lines[i] + strlen ("Ciphersuite: "));
  g_test_message ("s_client %s: %s", options, established ? "established" : "refused");
  return established;
}

static gboolean
port_accepts (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

/* Starts `openssl s_server -brief` on 127.0.0.1:@port with @certificate (certificate and key
 * in one PEM file) and @options; it prints "Protocol version: …" for each handshake that
 * completes. */
static GSubprocess *
openssl_server_start (guint       port,
                      const char *certificate,
                      const char *options)
{
  /* Split at spaces like the options: the path is in g_dir_make_tmp ()'s directory. */
  g_autofree char *all = g_strdup_printf ("-cert %s -key %s %s", certificate, certificate,
                                          options);
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (10 * G_USEC_PER_SEC);
  GSubprocess *server;

  /* s_server ends when its stdin ends, so stdin stays open until openssl_server_finish (). */
  server = openssl_spawn ("s_server", port, all, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  while (!port_accepts (port) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  return server;
}

/* Ends @server and returns what it printed. With -brief, s_server reports handshakes on its
 * unbuffered stderr, so killing it loses nothing. */
static char *
openssl_server_finish (GSubprocess *server)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_force_exit (server);
  g_subprocess_communicate_utf8 (server, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (server);
  return out;
}

/* Client options the direct server must refuse: TLS 1.0, TLS 1.1, and a TLS 1.2 CBC suite
 * with HMAC-SHA1. OpenSSL 3 itself offers TLS 1.0 and 1.1 only at security level 0. The
 * direct server's certificate is ECDSA, so the CBC suite is an ECDHE-ECDSA one. */
static const char *const refused_offers[] = {
  "-tls1 -cipher DEFAULT:@SECLEVEL=0",
  "-tls1_1 -cipher DEFAULT:@SECLEVEL=0",
  "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0",
};

/* The same offers succeed against an OpenSSL server that takes anything, with the direct
 * server's own certificate: the refusals come from the direct server, not from the client
 * failing to make the offer. */
static void
assert_offers_possible (Fixture *fixture)
{
  g_autofree char *identity = fixture_path (fixture, "server/identity.pem");
  guint port = beacon_test_free_port ();
  GSubprocess *server = openssl_server_start (port, identity, "-cipher ALL:@SECLEVEL=0");

  for (guint i = 0; i < G_N_ELEMENTS (refused_offers); i++)
    {
      g_autofree char *protocol = NULL;
      g_autofree char *cipher = NULL;

      if (!tls_handshake (port, refused_offers[i], &protocol, &cipher))
        g_error ("openssl s_server refused '%s' too: the test cannot tell who refuses it",
                 refused_offers[i]);
    }
  g_free (openssl_server_finish (server));
}

static void
test_tls_server (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *protocol = NULL;
  g_autofree char *cipher = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused_offers); i++)
    {
      g_autofree char *refused_protocol = NULL;
      g_autofree char *refused_cipher = NULL;

      if (tls_handshake (fixture->port, refused_offers[i], &refused_protocol, &refused_cipher))
        g_error ("the direct server accepted '%s': %s with %s", refused_offers[i],
                 refused_protocol, refused_cipher);
    }
  assert_offers_possible (fixture);

  g_assert_true (tls_handshake (fixture->port, "-tls1_2", &protocol, &cipher));
  g_assert_cmpstr (protocol, ==, "TLSv1.2");
  g_assert_true (strstr (cipher, "GCM") != NULL || strstr (cipher, "CHACHA20") != NULL);
  g_clear_pointer (&protocol, g_free);
  g_clear_pointer (&cipher, g_free);

  g_assert_true (tls_handshake (fixture->port, "-tls1_3", &protocol, &cipher));
  g_assert_cmpstr (protocol, ==, "TLSv1.3");
}

/* Beacon's own client connections (here `beacon-cli watch`, through the process's
 * SoupSession) keep to the same policy: a server that speaks only TLS 1.0, only TLS 1.1 or
 * only CBC suites completes no handshake with them. */
static void
test_tls_client (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *identity = fixture_path (fixture, "server/identity.pem");
  const char *pin = strchr (fixture->url, '#');
  const char *server_offers[] = {
    "-tls1 -cipher ALL:@SECLEVEL=0",
    "-tls1_1 -cipher ALL:@SECLEVEL=0",
    "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0",
    "-tls1_2",  /* the control: the client does complete a TLS 1.2 handshake */
  };

  g_assert_nonnull (pin);
  for (guint i = 0; i < G_N_ELEMENTS (server_offers); i++)
    {
      gboolean control = i == G_N_ELEMENTS (server_offers) - 1;
      guint port = beacon_test_free_port ();
      GSubprocess *server = openssl_server_start (port, identity, server_offers[i]);
      g_autofree char *link = g_strdup_printf ("wss://127.0.0.1:%u/%s", port, pin);
      g_autofree char *data_dir = fixture_path (fixture, "viewer");
      g_autoptr(BeaconTestProcess) viewer = NULL;
      g_autofree char *output = NULL;
      int status;

      /* s_server is no WebSocket server: the watch fails either way, after or during TLS. */
      viewer = beacon_test_process_start (data_dir, (const char *[]) {
        "watch", link, "--ice-address", "127.0.0.1", "--timeout", "5", NULL });
      status = beacon_test_process_wait_exit (viewer, 20);
      g_assert_cmpint (status, !=, 0);
      output = openssl_server_finish (server);
      g_test_message ("s_server %s: %s", server_offers[i], output);
      if (control)
        g_assert_nonnull (strstr (output, "Protocol version: TLSv1.2"));
      else if (strstr (output, "Protocol version: ") != NULL)
        g_error ("beacon-cli completed a handshake with a server offering '%s':\n%s",
                 server_offers[i], output);
    }
}

/* Secrets at rest */

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 07777;
}

static void
test_report_mode (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *report = fixture_path (fixture, "server.json");
  gint64 deadline = g_get_monotonic_time () + beacon_test_scaled_us (10 * G_USEC_PER_SEC);

  /* Written when the broadcast goes live, right after the watch: line. */
  while (!g_file_test (report, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_cmpuint (file_mode (report), ==, 0600);
}

#define N_RACERS 8

/* Several processes that find no identity at once all end with the same one. */
static void
test_identity_race (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *data_dir = fixture_path (fixture, "racers");
  BeaconTestProcess *racers[N_RACERS];
  g_autofree char *first = NULL;

  for (guint i = 0; i < N_RACERS; i++)
    racers[i] = beacon_test_process_start (data_dir, (const char *[]) { "identity", NULL });
  for (guint i = 0; i < N_RACERS; i++)
    {
      g_autofree char *fingerprint = NULL;

      beacon_test_assert_exit (racers[i], beacon_test_process_wait_exit (racers[i], 30), 0);
      fingerprint = g_strstrip (g_strdup (beacon_test_process_get_stdout (racers[i])));
      g_assert_true (g_str_has_prefix (fingerprint, "sha256:"));
      if (first == NULL)
        first = g_steal_pointer (&fingerprint);
      else
        g_assert_cmpstr (fingerprint, ==, first);
      beacon_test_process_free (racers[i]);
    }

  /* The losers' temporary files are gone. */
  {
    g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);

    g_assert_nonnull (dir);
    g_assert_cmpstr (g_dir_read_name (dir), ==, "identity.pem");
    g_assert_null (g_dir_read_name (dir));
  }
}

/* Secrets in logs */

#define TURN_PASSWORD "s3cret-turn-pw"

/* A TURN server that webrtcbin refuses (an unknown transport) is logged without its password,
 * even with every debug message on. */
static void
test_turn_password_not_logged (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *data_dir = fixture_path (fixture, "viewer");
  g_autoptr(BeaconTestProcess) viewer = NULL;
  const char *err;

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  viewer = beacon_test_process_start (data_dir, (const char *[]) {
    "watch", fixture->url, "--ice-address", "127.0.0.1", "--frames", "10", "--timeout", "45",
    "--turn", "turn:alice:" TURN_PASSWORD "@127.0.0.1:3478?transport=carrier-pigeon", NULL });
  g_unsetenv ("G_MESSAGES_DEBUG");
  beacon_test_assert_exit (viewer, beacon_test_process_wait_exit (viewer, 60), 0);

  err = beacon_test_process_get_stderr (viewer);
  g_assert_null (strstr (err, TURN_PASSWORD));
  g_assert_null (strstr (beacon_test_process_get_stdout (viewer), TURN_PASSWORD));
  /* The refusal itself is still told, so the test did reach that log line. */
  g_assert_nonnull (strstr (err, "turn://alice:***@127.0.0.1:3478"));
}

/* The network */

/* The inodes of the sockets process @pid holds open. */
static GHashTable *
socket_inodes_of (const char *pid)
{
  g_autofree char *fd_dir = g_build_filename ("/proc", pid, "fd", NULL);
  g_autoptr(GDir) dir = g_dir_open (fd_dir, 0, NULL);
  GHashTable *inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:["))
        g_hash_table_add (inodes, g_strndup (target + strlen ("socket:["),
                                             strlen (target) - strlen ("socket:[]")));
    }
  return inodes;
}

/* An address column of /proc/net/{tcp,udp}{,6}, "0100007F:1F90": TRUE when it is the wildcard
 * or loopback address. */
static gboolean
is_local_or_any (const char *column)
{
  static const char *const allowed[] = {
    "00000000:", "0100007F:",                                 /* 0.0.0.0, 127.0.0.1 */
    "00000000000000000000000000000000:",                      /* :: */
    "00000000000000000000000001000000:",                      /* ::1 */
    "0000000000000000FFFF00000100007F:",                      /* ::ffff:127.0.0.1 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (g_str_has_prefix (column, allowed[i]))
      return TRUE;
  return FALSE;
}

/* Fails unless every TCP and UDP socket of process @pid is bound to loopback and talks to
 * loopback only (and none is SSDP's port 1900). Returns how many sockets it checked. */
static guint
assert_sockets_on_loopback (GPid process_id)
{
  static const char *const tables[] = { "tcp", "udp", "tcp6", "udp6" };
  g_autofree char *pid = g_strdup_printf ("%d", (int) process_id);
  g_autoptr(GHashTable) inodes = socket_inodes_of (pid);
  guint checked = 0;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *path = g_build_filename ("/proc", pid, "net", tables[t], NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      lines = g_strsplit (text, "\n", -1);
      /* The first line names the columns: sl local_address rem_address st … uid timeout inode */
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto(GStrv) columns = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_autoptr(GPtrArray) fields = g_ptr_array_new ();
          const char *local, *remote, *inode;

          for (guint j = 0; columns[j] != NULL; j++)
            if (*columns[j] != '\0')
              g_ptr_array_add (fields, columns[j]);
          if (fields->len < 10)
            continue;
          local = g_ptr_array_index (fields, 1);
          remote = g_ptr_array_index (fields, 2);
          inode = g_ptr_array_index (fields, 9);
          if (!g_hash_table_contains (inodes, inode))
            continue;
          checked++;
          g_test_message ("pid %s %s %s -> %s", pid, tables[t], local, remote);
          if (!g_str_has_prefix (local, "0100007F:") &&
              !g_str_has_prefix (local, "00000000000000000000000001000000:") &&
              !g_str_has_prefix (local, "0000000000000000FFFF00000100007F:"))
            g_error ("process %s has a %s socket on %s, not on 127.0.0.1", pid, tables[t], local);
          if (!is_local_or_any (remote))
            g_error ("process %s has a %s socket to %s", pid, tables[t], remote);
          if (g_str_has_suffix (local, ":076C"))
            g_error ("process %s has an SSDP (UPnP) socket: %s %s", pid, tables[t], local);
        }
    }
  return checked;
}

/* With --ice-address 127.0.0.1 and --bind 127.0.0.1 nothing leaves loopback: no ICE socket on
 * another address and no UPnP discovery (SSDP on 239.255.255.250:1900), on either side. */
static void
test_sockets_on_loopback (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *data_dir = fixture_path (fixture, "viewer");
  g_autoptr(BeaconTestProcess) viewer = NULL;
  g_autofree char *first_frame = NULL;

  viewer = beacon_test_process_start (data_dir, (const char *[]) {
    "watch", fixture->url, "--ice-address", "127.0.0.1", "--timeout", "60", NULL });
  first_frame = beacon_test_process_wait_line (viewer, "first-frame-ms: ", 45);
  if (first_frame == NULL)
    g_error ("the viewer showed no frame; stderr:\n%s", beacon_test_process_get_stderr (viewer));

  /* Both have at least their signaling connection and an ICE socket. */
  g_assert_cmpuint (assert_sockets_on_loopback (beacon_test_process_get_pid (fixture->server)),
                    >=, 2);
  g_assert_cmpuint (assert_sockets_on_loopback (beacon_test_process_get_pid (viewer)), >=, 2);

  beacon_test_process_send_signal (viewer, SIGTERM);
  beacon_test_process_wait_exit (viewer, 15);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The children inherit it: files they mean to share would come out 0644, so a 0600 is the
   * program's choice and not the umask's. */
  umask (022);

#define ADD(path, with_server, func) \
  g_test_add ("/beacon/hardening/" path, Fixture, GINT_TO_POINTER (with_server), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("tls-server-versions-and-suites", TRUE, test_tls_server);
  ADD ("tls-client-versions-and-suites", TRUE, test_tls_client);
  ADD ("report-mode", TRUE, test_report_mode);
  ADD ("identity-race", FALSE, test_identity_race);
  ADD ("turn-password-not-logged", TRUE, test_turn_password_not_logged);
  ADD ("sockets-on-loopback", TRUE, test_sockets_on_loopback);

  return g_test_run ();
}

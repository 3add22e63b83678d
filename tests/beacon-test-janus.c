/* beacon-test-janus.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-test-janus.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>

#include "beacon-fingerprint.h"
#include "beacon-test-child.h"

#define READY_TIMEOUT_SECONDS 20
/* What Janus 1.1 logs once its WebSocket transport listens (ws first, then wss). */
#define READY_LINE "Secure Websockets server started"
/* The veth pair made when the network namespace has only loopback. */
#define VETH_NAME "beacon-janus0"
#define VETH_PEER_NAME "beacon-janus1"
#define VETH_ADDRESS "10.203.0.1"

struct _BeaconTestJanus
{
  char  *dir;
  char  *config_dir;
  BeaconTestChild janus;
  BeaconTestChild source;
  char  *ws_url;
  char  *wss_url;
  char  *pin;
  char  *ice_address;
};

gboolean
beacon_test_janus_available (char **reason)
{
  const char *programs[] = { "janus", "openssl", "gst-launch-1.0" };

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);

      if (path == NULL)
        {
          *reason = g_strdup_printf ("%s is not installed (Debian: apt-get install janus "
                                     "openssl gstreamer1.0-tools)", programs[i]);
          return FALSE;
        }
    }
  if (!g_file_test ("/usr/lib/x86_64-linux-gnu/janus/plugins/libjanus_videoroom.so",
                    G_FILE_TEST_EXISTS))
    {
      *reason = g_strdup ("the Janus VideoRoom plugin is not in /usr/lib/x86_64-linux-gnu/janus");
      return FALSE;
    }
  return TRUE;
}

/* The first IPv4 address of an interface that is up, running and not loopback, or NULL. */
static char *
find_non_loopback_address (void)
{
  struct ifaddrs *addresses = NULL;
  char *result = NULL;

  if (getifaddrs (&addresses) != 0)
    return NULL;
  for (struct ifaddrs *entry = addresses; entry != NULL && result == NULL; entry = entry->ifa_next)
    {
      char text[INET_ADDRSTRLEN];

      if (entry->ifa_addr == NULL || entry->ifa_addr->sa_family != AF_INET ||
          (entry->ifa_flags & IFF_LOOPBACK) || !(entry->ifa_flags & IFF_UP) ||
          !(entry->ifa_flags & IFF_RUNNING))
        continue;
      if (inet_ntop (AF_INET, &((struct sockaddr_in *) entry->ifa_addr)->sin_addr, text,
                     sizeof text) != NULL)
        result = g_strdup (text);
    }
  freeifaddrs (addresses);
  return result;
}

static gboolean
run_ip (const char * const *argv)
{
  g_autoptr(GSubprocess) ip = NULL;
  g_autoptr(GError) error = NULL;

  ip = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (ip == NULL || !g_subprocess_wait_check (ip, NULL, &error))
    {
      g_test_message ("%s failed: %s", argv[2], error->message);
      return FALSE;
    }
  return TRUE;
}

char *
beacon_test_janus_dup_ice_address (void)
{
  char *address = find_non_loopback_address ();

  if (address != NULL)
    return address;

  /* Janus 1.1 never gathers ICE candidates on a loopback interface (src/ice.c skips
   * IFF_LOOPBACK), so inside a network namespace that has only loopback it could never connect.
   * A veth pair is the smallest interface that is not loopback and that every kernel here has;
   * it lives and dies with the namespace. Its address is local, so packets still go over lo. */
  if (!run_ip ((const char *[]) { "ip", "link", "add", VETH_NAME, "type", "veth", "peer", "name",
                                  VETH_PEER_NAME, NULL }) ||
      !run_ip ((const char *[]) { "ip", "addr", "add", VETH_ADDRESS "/30", "dev", VETH_NAME,
                                  NULL }) ||
      !run_ip ((const char *[]) { "ip", "link", "set", VETH_NAME, "up", NULL }) ||
      !run_ip ((const char *[]) { "ip", "link", "set", VETH_PEER_NAME, "up", NULL }))
    return NULL;

  /* The link is running once both ends are up; that takes a moment. */
  for (int i = 0; i < 40 && address == NULL; i++)
    {
      g_usleep (50 * 1000);
      address = find_non_loopback_address ();
    }
  return address;
}

static void
make_certificate (BeaconTestJanus *janus,
                  const char      *cert,
                  const char      *key)
{
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fingerprint = NULL;

  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec",
                              "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                              "-keyout", key, "-out", cert, "-days", "2",
                              "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (openssl, NULL, &error);
  g_assert_no_error (error);

  g_file_get_contents (cert, &pem, NULL, &error);
  g_assert_no_error (error);
  fingerprint = beacon_fingerprint_of_pem (pem, "sha-256", &error);
  g_assert_no_error (error);
  janus->pin = beacon_fingerprint_format_pin (fingerprint);
}

/* Copies @name.in from tests/servers/janus into the configuration directory, replacing the
 * @KEY@ placeholders with the values in @substitutions (key, value, …, NULL). */
static void
write_config (BeaconTestJanus    *janus,
              const char         *name,
              const char * const *substitutions)
{
  g_autofree char *template_name = g_strconcat (name, ".in", NULL);
  const char *template_path = g_test_get_filename (G_TEST_DIST, "servers", "janus",
                                                   template_name, NULL);
  g_autofree char *target = g_build_filename (janus->config_dir, name, NULL);
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
  for (const char *at = strchr (text->str, '@'); at != NULL; at = strchr (at + 1, '@'))
    if (g_ascii_isupper (at[1]))
      g_error ("%s: placeholder %.20s… has no value", template_path, at);
  g_file_set_contents (target, text->str, text->len, &error);
  g_assert_no_error (error);
}

BeaconTestJanus *
beacon_test_janus_start (const char           *dir,
                         BeaconTestJanusFlags  flags)
{
  BeaconTestJanus *janus = g_new0 (BeaconTestJanus, 1);
  g_autofree char *cert = g_build_filename (dir, "janus-cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "janus-key.pem", NULL);
  g_autofree char *ws_port = NULL;
  g_autofree char *wss_port = NULL;
  g_autofree char *stream_port = NULL;
  g_autofree char *stream_sink = NULL;
  g_autofree char *token_auth = NULL;
  const char *config_names[] = {
    "janus.jcfg", "janus.transport.websockets.jcfg", "janus.plugin.videoroom.jcfg",
    "janus.plugin.streaming.jcfg",
  };

  janus->ice_address = beacon_test_janus_dup_ice_address ();
  if (janus->ice_address == NULL)
    g_error ("no address for Janus's ICE candidates: Janus 1.1 ignores loopback, and no other "
             "interface is up (run the tests as root in a network namespace, or with a network)");
  janus->dir = g_strdup (dir);
  janus->config_dir = g_build_filename (dir, "janus-config", NULL);
  g_assert_cmpint (g_mkdir_with_parents (janus->config_dir, 0700), ==, 0);
  make_certificate (janus, cert, key);

  ws_port = g_strdup_printf ("%u", beacon_test_free_port_of_type (G_SOCKET_TYPE_STREAM));
  wss_port = g_strdup_printf ("%u", beacon_test_free_port_of_type (G_SOCKET_TYPE_STREAM));
  stream_port = g_strdup_printf ("%u", beacon_test_free_port_of_type (G_SOCKET_TYPE_DATAGRAM));
  token_auth = (flags & BEACON_TEST_JANUS_TOKEN_AUTH)
               ? g_strdup ("token_auth = true\n\ttoken_auth_secret = \""
                           BEACON_TEST_JANUS_TOKEN_SECRET "\"")
               : g_strdup ("");
  janus->ws_url = g_strdup_printf ("ws://127.0.0.1:%s/", ws_port);
  janus->wss_url = g_strdup_printf ("wss://127.0.0.1:%s/", wss_port);

  for (guint i = 0; i < G_N_ELEMENTS (config_names); i++)
    write_config (janus, config_names[i], (const char *[]) {
      "CONFIG_DIR", janus->config_dir,
      "RTP_RANGE", "20000-40000",
      "WS_PORT", ws_port,
      "WSS_PORT", wss_port,
      "CERT_PEM", cert,
      "CERT_KEY", key,
      "STREAM_PORT", stream_port,
      "ICE_ADDRESS", janus->ice_address,
      "TOKEN_AUTH", token_auth,
      NULL });

  beacon_test_child_spawn (&janus->janus, "janus", NULL, NULL, (const char *[]) {
    "janus", "-F", janus->config_dir, NULL });
  if (!beacon_test_janus_wait_log (janus, READY_LINE, READY_TIMEOUT_SECONDS))
    g_error ("Janus did not start its WebSocket servers within %u s; its log:\n%s",
             READY_TIMEOUT_SECONDS, janus->janus.text->str);

  /* The Streaming mountpoint's source: a key frame every second, so that a viewer who joins
   * at any time starts decoding at once. */
  stream_sink = g_strdup_printf ("port=%s", stream_port);
  beacon_test_child_spawn (&janus->source, "rtp-source", NULL, NULL, (const char *[]) {
    "gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "!",
    "video/x-raw,width=320,height=240,framerate=30/1", "!",
    "vp8enc", "deadline=1", "keyframe-max-dist=30", "!",
    "rtpvp8pay", "pt=96", "!",
    "udpsink", "host=127.0.0.1", stream_sink, NULL });
  return janus;
}

const char *
beacon_test_janus_get_ws_url (BeaconTestJanus *janus)
{
  return janus->ws_url;
}

const char *
beacon_test_janus_get_wss_url (BeaconTestJanus *janus)
{
  return janus->wss_url;
}

const char *
beacon_test_janus_get_pin (BeaconTestJanus *janus)
{
  return janus->pin;
}

const char *
beacon_test_janus_get_ice_address (BeaconTestJanus *janus)
{
  return janus->ice_address;
}

const char *
beacon_test_janus_get_log (BeaconTestJanus *janus)
{
  return janus->janus.text ? janus->janus.text->str : "";
}

gboolean
beacon_test_janus_wait_log (BeaconTestJanus *janus,
                            const char      *text,
                            guint            timeout_seconds)
{
  return beacon_test_child_wait_log (&janus->janus, text, timeout_seconds);
}

void
beacon_test_janus_kill (BeaconTestJanus *janus)
{
  beacon_test_child_stop (&janus->janus, SIGKILL);
  g_assert_true (janus->janus.exited);
}

void
beacon_test_janus_free (BeaconTestJanus *janus)
{
  if (janus == NULL)
    return;
  beacon_test_child_clear (&janus->source);
  beacon_test_child_clear (&janus->janus);
  g_free (janus->dir);
  g_free (janus->config_dir);
  g_free (janus->ws_url);
  g_free (janus->wss_url);
  g_free (janus->pin);
  g_free (janus->ice_address);
  g_free (janus);
}

char *
beacon_test_janus_sign_token (const char *secret)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  g_autofree char *data = NULL;
  g_autofree char *signature = NULL;
  guint8 digest[20];
  gsize length = sizeof digest;

  data = g_strdup_printf ("%" G_GINT64_FORMAT ",janus,janus.plugin.videoroom,"
                          "janus.plugin.streaming",
                          g_get_real_time () / G_USEC_PER_SEC + 3600);
  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, digest, &length);
  signature = g_base64_encode (digest, length);
  return g_strdup_printf ("%s:%s", data, signature);
}

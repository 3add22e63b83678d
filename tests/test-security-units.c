/* test-security-units.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit tests of the security building blocks: the SDP fingerprint checks, the short
 * authentication string, the trust-on-first-use store and share links.
 */

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "beacon-peer.h"
#include "beacon-pin-store.h"
#include "beacon-sdp.h"
#include "beacon-security-report.h"
#include "beacon-sas.h"
#include "beacon-share-link.h"
#include "beacon-signaler.h"

#define FP_A "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
#define FP_B "01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20"

static void
test_sdp_fingerprints_valid (void)
{
  const char *sdp =
    "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
    "a=fingerprint:sha-256 " FP_A "\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:video0\r\n"
    "a=fingerprint:SHA-512 " FP_B ":" FP_B "\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = beacon_sdp_collect_fingerprints (sdp, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (found, 0), ==, "sha-256 " FP_A);
  g_assert_cmpstr (g_ptr_array_index (found, 1), ==, "sha-512 " FP_B ":" FP_B);
}

static void
test_sdp_fingerprints_invalid (void)
{
  struct {
    const char *sdp;
    const char *message;
  } cases[] = {
    { "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "announces no certificate fingerprint" },
    { "", "announces no certificate fingerprint" },
    { "v=0\r\na=fingerprint:sha-1 AB:CD\r\n", "sha-1" },
    { "v=0\r\na=fingerprint:md5 AB:CD\r\n", "md5" },
    { "v=0\r\na=fingerprint:rot13 AB:CD\r\n", "rot13" },
    { "v=0\r\na=fingerprint:sha-256\r\n", "malformed" },
    { "v=0\r\na=fingerprint:sha-256 \r\n", "malformed" },
    { "v=0\r\na=fingerprint:sha-256 ZZ:YY\r\n", "not hexadecimal" },
    { "v=0\r\na=fingerprint:sha-256 " FP_A "\r\na=fingerprint:sha-1 " FP_B "\r\n", "sha-1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = beacon_sdp_collect_fingerprints (cases[i].sdp, &error);

      g_assert_null (found);
      g_assert_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: '%s' does not mention '%s'", i, error->message, cases[i].message);
    }
  /* NULL SDP is handled like an empty one. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (beacon_sdp_collect_fingerprints (NULL, &error));
    g_assert_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT);
  }
}

static void
test_sas (void)
{
  g_autofree char *ab = beacon_sas_derive ("sha-256 " FP_A, "sha-256 " FP_B);
  g_autofree char *ba = beacon_sas_derive ("sha-256 " FP_B, "sha-256 " FP_A);
  g_autofree char *spelled = beacon_sas_derive ("sha-256 ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89",
                                                FP_B);
  g_autofree char *other = beacon_sas_derive ("sha-256 " FP_A, "sha-256 " FP_A);
  g_auto(GStrv) words = NULL;

  g_assert_nonnull (ab);
  g_assert_cmpstr (ab, ==, ba);
  g_assert_cmpstr (ab, ==, spelled);
  g_assert_cmpstr (ab, !=, other);
  words = g_strsplit (ab, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 4);
  g_assert_null (beacon_sas_derive (NULL, FP_A));
  g_assert_null (beacon_sas_derive ("sha-256 ", FP_A));
}

static void
test_pin_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-pins-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "pins.json", NULL);
  g_autofree char *previous = NULL;
  BeaconPinStatus status;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_A, FALSE, &status, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_NEW);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_A, FALSE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_MATCHES);
  /* Another stream on the same server is its own entry. */
  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=y", FP_B, FALSE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_NEW);

  /* A change is reported, and not remembered unless accepted. */
  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_B, FALSE, &status, &previous, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_CHANGED);
  g_assert_cmpstr (previous, ==, FP_A);
  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_B, FALSE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_CHANGED);
  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_B, TRUE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_CHANGED);
  g_assert_true (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_B, FALSE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_MATCHES);

  /* A damaged file is an error, not a silent reset. */
  g_assert_true (g_file_set_contents (path, "[1, 2", -1, NULL));
  g_assert_false (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_B, FALSE, &status, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "[1, 2]", -1, NULL));
  g_assert_false (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_B, FALSE, &status, NULL, &error));
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);

  g_unlink (path);
  g_rmdir (dir);
}

typedef struct {
  guint           done;
  BeaconPinStatus status;
  char           *previous;
  GThread        *thread;
} AsyncPinCheck;

static void
pin_checked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncPinCheck *check = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_pin_store_check_finish (result, &check->status, &check->previous,
                                                &error));
  g_assert_no_error (error);
  check->thread = g_thread_self ();
  check->done++;
}

/* The store off the main thread: results arrive on the caller's main context, and checks
 * that run at once do not lose each other's entries. */
static void
test_pin_store_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-pins-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "pins.json", NULL);
  AsyncPinCheck checks[8] = { 0 };
  BeaconPinStatus status;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *key = g_strdup_printf ("wss://a/ stream=%u", i);

      beacon_pin_store_check_async (dir, key, FP_A, FALSE, NULL, pin_checked_cb, &checks[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      while (checks[i].done == 0)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (checks[i].done, ==, 1);
      g_assert_cmpint (checks[i].status, ==, BEACON_PIN_STATUS_NEW);
      g_assert_null (checks[i].previous);
      g_assert_true (checks[i].thread == g_thread_self ());
    }
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *key = g_strdup_printf ("wss://a/ stream=%u", i);

      g_assert_true (beacon_pin_store_check (dir, key, FP_A, FALSE, &status, NULL, &error));
      g_assert_cmpint (status, ==, BEACON_PIN_STATUS_MATCHES);
    }

  /* A change, with the identity remembered before. */
  beacon_pin_store_check_async (dir, "wss://a/ stream=0", FP_B, FALSE, NULL, pin_checked_cb,
                                &checks[0]);
  while (checks[0].done == 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (checks[0].status, ==, BEACON_PIN_STATUS_CHANGED);
  g_assert_cmpstr (checks[0].previous, ==, FP_A);
  g_free (checks[0].previous);

  g_unlink (path);
  g_rmdir (dir);
}

/* Writes @text as pins.json in @dir and checks that the store refuses it, saying @reason and
 * naming the file. */
static void
assert_pins_refused (const char    *dir,
                     const GString *text,
                     const char    *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "pins.json", NULL);
  BeaconPinStatus status;

  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_assert_false (beacon_pin_store_check (dir, "wss://a/ stream=x", FP_A, FALSE, &status, NULL,
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_nonnull (strstr (error->message, path));
}

/* pins.json is read back from disk, where anything may have written it: a deeply nested file
 * must be refused with the reason instead of crashing json-glib. */
/* Compared words belong to one identity: a change drops them, and words that did not match
 * forget the identity. */
static void
test_pin_store_words (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-pins-XXXXXX", &error);
  BeaconPinStatus status;

  g_assert_no_error (error);
  /* Nothing remembered yet: nothing to mark. */
  g_assert_false (beacon_pin_store_record_comparison (dir, "k", FP_A, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (beacon_pin_store_check (dir, "k", FP_A, FALSE, &status, NULL, &error));
  g_assert_true (beacon_pin_store_record_comparison (dir, "k", FP_A, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (beacon_pin_store_check (dir, "k", FP_A, FALSE, &status, NULL, &error));
  g_assert_cmpstr (beacon_pin_status_to_string (status), ==, "compared");
  /* Not for another identity than the remembered one. */
  g_assert_false (beacon_pin_store_record_comparison (dir, "k", FP_B, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An accepted change is a new identity, whose words nobody compared. */
  g_assert_true (beacon_pin_store_check (dir, "k", FP_B, TRUE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_CHANGED);
  g_assert_true (beacon_pin_store_check (dir, "k", FP_B, FALSE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_MATCHES);

  /* Words that did not match: forgotten, so the next visit is a first one again. */
  g_assert_true (beacon_pin_store_record_comparison (dir, "k", FP_B, FALSE, &error));
  g_assert_true (beacon_pin_store_check (dir, "k", FP_B, FALSE, &status, NULL, &error));
  g_assert_cmpint (status, ==, BEACON_PIN_STATUS_NEW);
  g_assert_no_error (error);
}

static BeaconPeerInfo *
verified_peer (const char *session_id,
               const char *remote_fingerprint,
               gboolean    words_compared)
{
  BeaconPeerInfo *info = g_new0 (BeaconPeerInfo, 1);

  info->session_id = g_strdup (session_id);
  info->dtls_state = g_strdup ("connected");
  info->ice_state = g_strdup ("connected");
  info->local_fingerprint = g_strdup ("sha-256 " FP_A);
  info->remote_fingerprint = g_strdup (remote_fingerprint);
  info->remote_certificate_fingerprint = g_strdup (remote_fingerprint);
  info->verified = TRUE;
  info->words_compared = words_compared;
  return info;
}

/* A broadcaster's viewers each have a report of their own, the same object while the viewer
 * stays, with its own words; the whole says "verified" but not "compared" until it was. */
static void
test_report_per_peer (void)
{
  g_autoptr(BeaconSecurityReport) report = beacon_security_report_new ();
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_peer_info_free);
  g_autoptr(BeaconSecurityReport) first = NULL;
  g_autoptr(BeaconSecurityReport) second = NULL;
  g_autoptr(BeaconSecurityReport) still_second = NULL;
  GListModel *model = beacon_security_report_get_peer_reports (report);
  g_autofree char *json = NULL;
  g_autofree char *reasons = NULL;

  beacon_security_report_set_role (report, "broadcast");
  g_ptr_array_add (peers, verified_peer ("one", "sha-256 " FP_B, FALSE));
  g_ptr_array_add (peers, verified_peer ("two", "sha-256 " FP_A, TRUE));
  beacon_security_report_update (report, NULL, peers, FP_A, NULL, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  first = g_list_model_get_item (model, 0);
  second = g_list_model_get_item (model, 1);
  g_assert_cmpstr (beacon_security_report_get_string (first, "session-id"), ==, "one");
  g_assert_cmpstr (beacon_security_report_get_string (first, "role"), ==, "broadcast");
  g_assert_cmpstr (beacon_security_report_get_sas (first), !=,
                   beacon_security_report_get_sas (second));
  g_assert_false (beacon_security_report_get_words_compared (first));
  g_assert_true (beacon_security_report_get_words_compared (second));
  g_assert_cmpuint (g_list_model_get_n_items (beacon_security_report_get_peer_reports (first)), ==, 0);
  json = beacon_security_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"words_compared\" : true"));

  /* The first viewer leaves: the second keeps its report. */
  g_ptr_array_remove_index (peers, 0);
  beacon_security_report_update (report, NULL, peers, FP_A, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  still_second = g_list_model_get_item (model, 0);
  g_assert_true (still_second == second);

  /* Verified but not compared: still secure, and it says what is missing. */
  g_ptr_array_set_size (peers, 0);
  g_ptr_array_add (peers, verified_peer ("three", "sha-256 " FP_B, FALSE));
  beacon_security_report_update (report, NULL, peers, FP_A, NULL, NULL);
  g_assert_cmpint (beacon_security_report_get_verdict (report), ==, BEACON_SECURITY_VERDICT_SECURE);
  g_assert_false (beacon_security_report_get_words_compared (report));
  reasons = g_strjoinv (" ", (char **) beacon_security_report_get_reasons (report));
  g_assert_nonnull (strstr (reasons, "not been compared"));

  /* Plain signaling lets someone swap the keys: a warning, until matching words prove that
   * nobody did. */
  {
    BeaconChannelInfo plain = { .trust = BEACON_SIGNALING_TRUST_INSECURE };

    beacon_security_report_update (report, &plain, peers, FP_A, NULL, NULL);
    g_assert_cmpint (beacon_security_report_get_verdict (report), ==,
                     BEACON_SECURITY_VERDICT_WARNING);
    g_ptr_array_set_size (peers, 0);
    g_ptr_array_add (peers, verified_peer ("three", "sha-256 " FP_B, TRUE));
    beacon_security_report_update (report, &plain, peers, FP_A, NULL, NULL);
    g_assert_cmpint (beacon_security_report_get_verdict (report), ==,
                     BEACON_SECURITY_VERDICT_SECURE);
  }
}

static void
test_pin_store_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-pins-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "pins.json", NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "{\"a\":");
  assert_pins_refused (dir, text, "nests deeper than 32 levels");

  /* Larger than any real list of pins. */
  g_string_assign (text, "{\"x\":\"");
  while (text->len < 1024 * 1024)
    g_string_append (text, "xxxxxxxxxxxxxxxx");
  g_string_append (text, "\"}");
  assert_pins_refused (dir, text, "larger than");

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_share_link (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconShareLink) link = NULL;
  g_autofree char *formatted = beacon_share_link_format ("wss://127.0.0.1:8443/", FP_A, TRUE,
                                                                "my show");

  g_assert_cmpstr (formatted, ==, "wss://127.0.0.1:8443/#pin=sha256:" FP_A "&producer=my%20show");
  link = beacon_share_link_parse (formatted, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link->url, ==, "wss://127.0.0.1:8443/");
  g_assert_cmpstr (link->pin, ==, FP_A);
  g_assert_cmpstr (link->producer, ==, "my show");
  g_assert_cmpstr (link->identity, ==, FP_A);

  /* A link of a server with a CA-vouched certificate: the identity only, no pin. */
  {
    g_autofree char *id_link = beacon_share_link_format ("wss://example.org:8443/", FP_B, FALSE,
                                                         NULL);
    g_autoptr(BeaconShareLink) parsed = NULL;

    g_assert_cmpstr (id_link, ==, "wss://example.org:8443/#id=sha256:" FP_B);
    parsed = beacon_share_link_parse (id_link, &error);
    g_assert_no_error (error);
    g_assert_null (parsed->pin);
    g_assert_cmpstr (parsed->identity, ==, FP_B);
  }
  g_clear_pointer (&link, beacon_share_link_free);

  /* The URL keeps its %-encoding: decoded, "%2F" and "%26" would name another resource. */
  link = beacon_share_link_parse ("wss://host:8443/a%2Fb/room%20one?x=%26#producer=p", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link->url, ==, "wss://host:8443/a%2Fb/room%20one?x=%26");

  {
    const char *bad[] = {
      "not a url", "ftp://host/", "wss://", "wss://host/#pin=sha256:12", "wss://host/#pin=md5:" FP_A,
      "wss://host/#pin=%zz", "wss://host/#id=sha256:12",
      "wss://host/#pin=sha256:" FP_A "&id=sha256:" FP_B,
      "https://usep=1sha%256/", "ws://%2F:", "wss://a%3Ab/",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) bad_error = NULL;
        g_autoptr(BeaconShareLink) bad_link = beacon_share_link_parse (bad[i], &bad_error);

        g_assert_null (bad_link);
        g_assert_error (bad_error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL);
      }
  }
}

static void
peer_failed_cb (BeaconPeer    *peer,
                const GError  *error,
                GError       **out)
{
  g_clear_error (out);
  *out = g_error_copy (error);
}

static void
mark_done (gboolean *done)
{
  *done = TRUE;
}

/* Applies @sdp to a real peer (webrtcbin) and returns how it failed, or NULL. */
static GError *
apply_remote_offer (const char *sdp,
                    const char *expected_identity)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  BeaconPeerConfig config = { .identity_fingerprint = FP_A };
  g_autoptr(BeaconPeer) peer = beacon_peer_new (GST_BIN (pipeline), "session", &config);
  GError *error = NULL;

  gboolean answered = FALSE;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_signal_connect (peer, "failed", G_CALLBACK (peer_failed_cb), &error);
  g_signal_connect_swapped (peer, "local-description", G_CALLBACK (mark_done), &answered);
  /* webrtcbin applies descriptions on its own thread, which runs from READY on. */
  gst_element_set_state (pipeline, GST_STATE_READY);
  if (expected_identity != NULL)
    beacon_peer_set_expected_identity (peer, expected_identity);
  beacon_peer_set_remote_description (peer, "offer", sdp);
  while (error == NULL && !answered && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_true (error != NULL || answered);
  beacon_peer_close (peer);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return error;
}

#define TWO_MEDIA(group, fingerprint) \
  "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" group \
  "a=fingerprint:sha-256 " fingerprint "\r\n" \
  "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:video0\r\na=sendonly\r\n" \
  "a=rtpmap:96 VP8/90000\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" \
  "a=setup:actpass\r\n" \
  "m=audio 9 UDP/TLS/RTP/SAVPF 97\r\nc=IN IP4 0.0.0.0\r\na=mid:audio1\r\na=sendonly\r\n" \
  "a=rtpmap:97 OPUS/48000/2\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" \
  "a=setup:actpass\r\n"

/* Media outside one BUNDLE group would ride on DTLS transports whose certificates nobody
 * checks: refused. The same offer bundled is taken. */
static void
test_sdp_unbundled_refused (void)
{
  g_autoptr(GError) unbundled = apply_remote_offer (TWO_MEDIA ("", FP_A), NULL);
  g_autoptr(GError) half = apply_remote_offer (TWO_MEDIA ("a=group:BUNDLE video0\r\n", FP_A),
                                               NULL);
  g_autoptr(GError) bundled =
    apply_remote_offer (TWO_MEDIA ("a=group:BUNDLE video0 audio1\r\n", FP_A), NULL);

  g_assert_error (unbundled, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP);
  g_assert_nonnull (strstr (unbundled->message, "does not bundle its media line 'video0'"));
  g_assert_error (half, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP);
  g_assert_nonnull (strstr (half->message, "'audio1'"));
  g_assert_no_error (bundled);
}

/* With an identity to expect (a direct link's pin), an offer that announces another
 * fingerprint is refused at once, before ICE or DTLS. */
static void
test_sdp_other_identity_refused (void)
{
  g_autoptr(GError) other = apply_remote_offer (TWO_MEDIA ("a=group:BUNDLE video0 audio1\r\n",
                                                           FP_B), FP_A);
  g_autoptr(GError) same = apply_remote_offer (TWO_MEDIA ("a=group:BUNDLE video0 audio1\r\n",
                                                          FP_A), FP_A);

  g_assert_error (other, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NOT_EXPECTED_IDENTITY);
  g_assert_nonnull (strstr (other->message, "not from the broadcaster the link names"));
  g_assert_no_error (same);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/beacon/security/sdp-unbundled-refused", test_sdp_unbundled_refused);
  g_test_add_func ("/beacon/security/sdp-other-identity-refused",
                   test_sdp_other_identity_refused);
  g_test_add_func ("/beacon/security/sdp-fingerprints-valid", test_sdp_fingerprints_valid);
  g_test_add_func ("/beacon/security/sdp-fingerprints-invalid", test_sdp_fingerprints_invalid);
  g_test_add_func ("/beacon/security/sas", test_sas);
  g_test_add_func ("/beacon/security/pin-store", test_pin_store);
  g_test_add_func ("/beacon/security/pin-store-hostile", test_pin_store_hostile);
  g_test_add_func ("/beacon/security/pin-store-words", test_pin_store_words);
  g_test_add_func ("/beacon/security/report-per-peer", test_report_per_peer);
  g_test_add_func ("/beacon/security/pin-store-async", test_pin_store_async);
  g_test_add_func ("/beacon/security/share-link", test_share_link);

  return g_test_run ();
}

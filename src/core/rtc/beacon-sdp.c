/* beacon-sdp.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-sdp.h"

#include <stdlib.h>
#include <string.h>

#include "beacon-fingerprint.h"
#include "beacon-peer.h"

/* Two ways of reading SDP live here, each where it fits. Text that Beacon rewrites line by
 * line (candidates, trickle fragments, CRLF) is handled as lines, so that every line it does
 * not touch goes out byte for byte as it came: servers compare lines, and GstSDPMessage would
 * re-serialise them. Checks and lookups that need the structure (media sections, formats,
 * attributes) use GstSDPMessage. */

/* Candidates */

BeaconSdpCandidate *
beacon_sdp_candidate_new (guint       mline,
                          const char *candidate)
{
  BeaconSdpCandidate *self = g_new0 (BeaconSdpCandidate, 1);

  self->mline = mline;
  if (candidate != NULL && g_str_has_prefix (candidate, "a="))
    candidate += 2;
  self->candidate = g_strdup (candidate ? candidate : "");
  return self;
}

void
beacon_sdp_candidate_free (BeaconSdpCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->candidate);
  g_free (candidate);
}

GPtrArray *
beacon_sdp_candidate_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sdp_candidate_free);
}

/* Splits SDP text into lines without their CR/LF; a trailing empty line is dropped. */
static GStrv
split_lines (const char *text)
{
  g_auto(GStrv) raw = g_strsplit (text ? text : "", "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; raw[i] != NULL; i++)
    {
      gsize length = strlen (raw[i]);

      if (length > 0 && raw[i][length - 1] == '\r')
        raw[i][length - 1] = '\0';
      if (raw[i][0] == '\0' && raw[i + 1] == NULL)
        break;
      g_strv_builder_add (builder, raw[i]);
    }
  return g_strv_builder_end (builder);
}

char *
beacon_sdp_normalize (const char *sdp)
{
  g_auto(GStrv) lines = split_lines (sdp);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_string_append (out, lines[i]);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  guint  first_line;   /* index of the m= line */
  guint  end_line;     /* one past the last line of the section */
  char  *mid;          /* nullable */
  gboolean port_zero;
} Section;

static void
section_clear (gpointer data)
{
  g_free (((Section *) data)->mid);
}

/* The m-sections of @lines, and the mids of the first BUNDLE group (nullable). */
static GArray *
find_sections (GStrv   lines,
               GStrv  *bundle)
{
  GArray *sections = g_array_new (FALSE, TRUE, sizeof (Section));
  guint n = g_strv_length (lines);

  g_array_set_clear_func (sections, section_clear);
  if (bundle != NULL)
    *bundle = NULL;

  for (guint i = 0; i < n; i++)
    {
      if (g_str_has_prefix (lines[i], "m="))
        {
          Section section = { i, n, NULL, FALSE };
          g_auto(GStrv) words = g_strsplit (lines[i] + 2, " ", 3);

          if (sections->len > 0)
            g_array_index (sections, Section, sections->len - 1).end_line = i;
          section.port_zero = words[0] != NULL && words[1] != NULL && g_str_equal (words[1], "0");
          g_array_append_val (sections, section);
        }
      else if (g_str_has_prefix (lines[i], "a=mid:") && sections->len > 0)
        {
          Section *section = &g_array_index (sections, Section, sections->len - 1);

          if (section->mid == NULL)
            section->mid = g_strstrip (g_strdup (lines[i] + strlen ("a=mid:")));
        }
      else if (g_str_has_prefix (lines[i], "a=group:BUNDLE ") && bundle != NULL &&
               *bundle == NULL && sections->len == 0)
        {
          *bundle = g_strsplit_set (lines[i] + strlen ("a=group:BUNDLE "), " ", -1);
        }
    }
  return sections;
}

GStrv
beacon_sdp_dup_mids (const char *sdp)
{
  g_auto(GStrv) lines = split_lines (sdp);
  g_autoptr(GArray) sections = find_sections (lines, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < sections->len; i++)
    {
      const char *mid = g_array_index (sections, Section, i).mid;

      g_strv_builder_add (builder, mid ? mid : "");
    }
  return g_strv_builder_end (builder);
}

static gboolean
has_candidates_for (GPtrArray *candidates,
                    guint      mline)
{
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      BeaconSdpCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->mline == mline && candidate->candidate[0] != '\0')
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_end_of_candidates (GPtrArray *candidates)
{
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      BeaconSdpCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->candidate[0] == '\0')
        return TRUE;
    }
  return FALSE;
}

static void
append_candidate_lines (GString   *out,
                        GPtrArray *candidates,
                        guint      mline,
                        gboolean   end)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      BeaconSdpCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->mline == mline && candidate->candidate[0] != '\0')
        g_string_append_printf (out, "a=%s\r\n", candidate->candidate);
    }
  if (end)
    g_string_append (out, "a=end-of-candidates\r\n");
}

char *
beacon_sdp_add_candidates (const char *sdp,
                           GPtrArray  *candidates)
{
  g_auto(GStrv) lines = split_lines (sdp);
  g_auto(GStrv) bundle = NULL;
  g_autoptr(GArray) sections = find_sections (lines, &bundle);
  gboolean end = has_end_of_candidates (candidates);
  GString *out = g_string_new (NULL);
  gint bundle_source = -1;
  guint line = 0;

  /* The first bundled m-section that has candidates lends them to the others of the group. */
  for (guint i = 0; bundle != NULL && i < sections->len; i++)
    {
      Section *section = &g_array_index (sections, Section, i);

      if (section->mid != NULL && g_strv_contains ((const char * const *) bundle, section->mid) &&
          has_candidates_for (candidates, i))
        {
          bundle_source = i;
          break;
        }
    }

  for (guint i = 0; i < sections->len; i++)
    {
      Section *section = &g_array_index (sections, Section, i);
      gint source = -1;

      for (; line < section->end_line; line++)
        {
          if (lines[line][0] == '\0')
            continue;
          g_string_append_printf (out, "%s\r\n", lines[line]);
        }

      if (section->port_zero)
        continue;
      if (has_candidates_for (candidates, i))
        source = i;
      else if (bundle_source >= 0 && section->mid != NULL &&
               g_strv_contains ((const char * const *) bundle, section->mid))
        source = bundle_source;
      if (source >= 0)
        append_candidate_lines (out, candidates, source, end);
    }

  /* An SDP without m-sections keeps its lines. */
  for (; lines[line] != NULL; line++)
    {
      if (lines[line][0] == '\0')
        continue;
      g_string_append_printf (out, "%s\r\n", lines[line]);
    }
  return g_string_free (out, FALSE);
}

static char *
find_attribute (GStrv        lines,
                guint        from,
                guint        to,
                const char  *prefix)
{
  for (guint i = from; i < to && lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strstrip (g_strdup (lines[i] + strlen (prefix)));
  return NULL;
}

char *
beacon_sdp_fragment_build (const char *local_sdp,
                           GPtrArray  *candidates)
{
  g_auto(GStrv) lines = split_lines (local_sdp);
  g_autoptr(GArray) sections = find_sections (lines, NULL);
  g_autofree char *ufrag = NULL;
  g_autofree char *pwd = NULL;
  GString *out = g_string_new (NULL);
  gboolean end = has_end_of_candidates (candidates);
  gboolean any = FALSE;

  /* Credentials may be at session level or in the first m-section; webrtcbin puts them in
   * every m-section. */
  ufrag = find_attribute (lines, 0, g_strv_length (lines), "a=ice-ufrag:");
  pwd = find_attribute (lines, 0, g_strv_length (lines), "a=ice-pwd:");
  if (ufrag != NULL)
    g_string_append_printf (out, "a=ice-ufrag:%s\r\n", ufrag);
  if (pwd != NULL)
    g_string_append_printf (out, "a=ice-pwd:%s\r\n", pwd);

  for (guint i = 0; i < sections->len; i++)
    {
      Section *section = &g_array_index (sections, Section, i);

      if (!has_candidates_for (candidates, i) && !(end && i == 0))
        continue;
      g_string_append_printf (out, "%s\r\n", lines[section->first_line]);
      if (section->mid != NULL)
        g_string_append_printf (out, "a=mid:%s\r\n", section->mid);
      append_candidate_lines (out, candidates, i, end);
      any = TRUE;
    }

  /* Candidates for m-lines the local description does not have go with the first one, as
   * servers that read only one m-section expect. */
  if (!any && sections->len > 0 && candidates->len > 0)
    {
      Section *section = &g_array_index (sections, Section, 0);

      g_string_append_printf (out, "%s\r\n", lines[section->first_line]);
      if (section->mid != NULL)
        g_string_append_printf (out, "a=mid:%s\r\n", section->mid);
      for (guint i = 0; i < candidates->len; i++)
        {
          BeaconSdpCandidate *candidate = g_ptr_array_index (candidates, i);

          if (candidate->candidate[0] != '\0')
            g_string_append_printf (out, "a=%s\r\n", candidate->candidate);
        }
      if (end)
        g_string_append (out, "a=end-of-candidates\r\n");
    }
  return g_string_free (out, FALSE);
}

GPtrArray *
beacon_sdp_fragment_parse (const char          *fragment,
                           const char * const  *mids,
                           char               **ufrag,
                           char               **pwd,
                           GError             **error)
{
  g_autoptr(GPtrArray) candidates = beacon_sdp_candidate_array_new ();
  g_auto(GStrv) lines = NULL;
  gint media_index = -1;
  guint mline = 0;

  if (ufrag != NULL)
    *ufrag = NULL;
  if (pwd != NULL)
    *pwd = NULL;

  if (fragment == NULL || !g_utf8_validate (fragment, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the trickle fragment is not UTF-8 text");
      return NULL;
    }

  lines = split_lines (fragment);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (line[0] == '\0')
        continue;
      if (line[1] != '=' || !g_ascii_isalpha (line[0]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u of the trickle fragment is not an SDP line", i + 1);
          return NULL;
        }
      if (g_str_has_prefix (line, "m="))
        {
          media_index++;
          mline = media_index;
        }
      else if (g_str_has_prefix (line, "a=mid:"))
        {
          g_autofree char *mid = g_strstrip (g_strdup (line + strlen ("a=mid:")));

          for (guint j = 0; mids != NULL && mids[j] != NULL; j++)
            if (g_str_equal (mids[j], mid))
              {
                mline = j;
                break;
              }
        }
      else if (g_str_has_prefix (line, "a=ice-ufrag:") && ufrag != NULL && *ufrag == NULL)
        *ufrag = g_strstrip (g_strdup (line + strlen ("a=ice-ufrag:")));
      else if (g_str_has_prefix (line, "a=ice-pwd:") && pwd != NULL && *pwd == NULL)
        *pwd = g_strstrip (g_strdup (line + strlen ("a=ice-pwd:")));
      else if (g_str_has_prefix (line, "a=candidate:"))
        g_ptr_array_add (candidates, beacon_sdp_candidate_new (mline, line + 2));
      else if (g_str_has_prefix (line, "a=end-of-candidates"))
        g_ptr_array_add (candidates, beacon_sdp_candidate_new (mline, ""));
    }
  return g_steal_pointer (&candidates);
}

/* Fingerprints */

GPtrArray *
beacon_sdp_collect_fingerprints (const char  *sdp,
                                 GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  lines = g_strsplit (sdp ? sdp : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_auto(GStrv) parts = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *normalised = NULL;
      g_autofree char *algorithm = NULL;

      if (!g_str_has_prefix (line, "a=fingerprint:"))
        continue;
      parts = g_strsplit_set (line + strlen ("a=fingerprint:"), " \t", 2);
      if (parts[0] == NULL || parts[1] == NULL)
        {
          g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT,
                       "the remote description has a malformed a=fingerprint line");
          return NULL;
        }
      algorithm = g_ascii_strdown (parts[0], -1);
      /* Hashing a fixed string checks that the algorithm is known and strong enough. */
      normalised = beacon_fingerprint_of_der ((const guint8 *) "x", 1, algorithm, &local_error);
      if (normalised == NULL)
        {
          g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT,
                       "the remote description's certificate fingerprint uses %s: %s",
                       parts[0], local_error->message);
          return NULL;
        }
      g_strstrip (parts[1]);
      if (*parts[1] == '\0' || strspn (parts[1], "0123456789abcdefABCDEF:") != strlen (parts[1]))
        {
          g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT,
                       "the remote description's certificate fingerprint is not hexadecimal");
          return NULL;
        }
      g_ptr_array_add (found, g_strdup_printf ("%s %s", algorithm, parts[1]));
    }

  if (found->len == 0)
    {
      g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_NO_FINGERPRINT,
                   "the remote description announces no certificate fingerprint "
                   "(a=fingerprint), so its encryption could not be verified");
      return NULL;
    }
  return g_steal_pointer (&found);
}

char *
beacon_sdp_find_fingerprint (const char *sdp)
{
  g_auto(GStrv) lines = NULL;

  if (sdp == NULL)
    return NULL;
  lines = g_strsplit (sdp, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "a=fingerprint:"))
        return g_strstrip (g_strdup (lines[i] + strlen ("a=fingerprint:")));
    }
  return NULL;
}

void
beacon_sdp_announce_fingerprint (GstSDPMessage *sdp,
                                 const char    *fingerprint)
{
  g_autofree char *value = NULL;
  GstSDPAttribute attribute;

  g_return_if_fail (sdp != NULL);
  g_return_if_fail (fingerprint != NULL);

  value = g_strdup_printf ("sha-256 %s", fingerprint);
  for (guint i = 0; i < gst_sdp_message_attributes_len (sdp); i++)
    if (g_strcmp0 (gst_sdp_message_get_attribute (sdp, i)->key, "fingerprint") == 0)
      {
        gst_sdp_attribute_set (&attribute, "fingerprint", value);
        gst_sdp_message_replace_attribute (sdp, i, &attribute);
      }
  for (guint m = 0; m < gst_sdp_message_medias_len (sdp); m++)
    {
      GstSDPMedia *media = (GstSDPMedia *) gst_sdp_message_get_media (sdp, m);

      for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++)
        if (g_strcmp0 (gst_sdp_media_get_attribute (media, i)->key, "fingerprint") == 0)
          {
            gst_sdp_attribute_set (&attribute, "fingerprint", value);
            gst_sdp_media_replace_attribute (media, i, &attribute);
          }
    }
}

/* Checks of a description */

/* The identity check verifies the certificate of one DTLS transport. Media on transports of
 * their own (no BUNDLE) would each need a check of their own, so every media line in use must
 * be in one BUNDLE group, as every WebRTC implementation sends it. */
static gboolean
media_is_bundled (const GstSDPMessage  *message,
                  GError              **error)
{
  g_auto(GStrv) bundle = NULL;
  guint n_media = gst_sdp_message_medias_len (message);

  if (n_media < 2)
    return TRUE;
  for (guint i = 0; bundle == NULL && i < gst_sdp_message_attributes_len (message); i++)
    {
      const GstSDPAttribute *attribute = gst_sdp_message_get_attribute (message, i);

      if (g_strcmp0 (attribute->key, "group") == 0 && attribute->value != NULL &&
          g_str_has_prefix (attribute->value, "BUNDLE "))
        bundle = g_strsplit (attribute->value + strlen ("BUNDLE "), " ", -1);
    }
  for (guint i = 0; i < n_media; i++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (message, i);
      const char *mid = gst_sdp_media_get_attribute_val (media, "mid");

      if (gst_sdp_media_get_port (media) == 0)
        continue;
      if (bundle == NULL || !g_strv_contains ((const char * const *) bundle, mid))
        {
          g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP,
                       "the remote description does not bundle its media line '%s' with the "
                       "others (a=group:BUNDLE): Beacon needs all media on one encrypted "
                       "connection, so that one verified certificate covers all of it", mid);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
beacon_sdp_validate_remote (const char     *sdp,
                            GstSDPMessage **out_message,
                            GError        **error)
{
  g_autoptr(GstSDPMessage) message = NULL;
  guint n_media;

  if (sdp == NULL || !g_str_has_prefix (sdp, "v=0"))
    {
      g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP,
                   "the remote description is not SDP (it does not start with v=0)");
      return FALSE;
    }
  gst_sdp_message_new (&message);
  if (gst_sdp_message_parse_buffer ((const guint8 *) sdp, strlen (sdp), message) != GST_SDP_OK)
    {
      g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP,
                   "the remote description could not be parsed as SDP");
      return FALSE;
    }
  n_media = gst_sdp_message_medias_len (message);
  if (n_media == 0)
    {
      g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP,
                   "the remote description offers no media (no m= line)");
      return FALSE;
    }
  for (guint i = 0; i < n_media; i++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (message, i);

      if (gst_sdp_media_get_attribute_val (media, "mid") == NULL)
        {
          g_set_error (error, BEACON_PEER_ERROR, BEACON_PEER_ERROR_BAD_SDP,
                       "the remote description's media line %u has no a=mid", i);
          return FALSE;
        }
    }
  if (!media_is_bundled (message, error))
    return FALSE;
  *out_message = g_steal_pointer (&message);
  return TRUE;
}

char *
beacon_sdp_validate_body (GBytes  *bytes,
                          GError **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_media = 0;
  gboolean has_ufrag = FALSE;

  if (length == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the body is empty");
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the body is not UTF-8 text");
      return NULL;
    }
  text = g_strndup (data, length);
  if (!g_str_has_prefix (text, "v=0"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the body is not SDP (it does not start with v=0)");
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize line_length = strlen (line);

      if (line_length > 0 && line[line_length - 1] == '\r')
        line[--line_length] = '\0';
      if (line_length == 0)
        continue;
      if (line_length < 2 || line[1] != '=' || !g_ascii_islower (line[0]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "line %u is not an SDP line (type=value)", i + 1);
          return NULL;
        }
      if (line[0] == 'm')
        {
          g_auto(GStrv) fields = g_strsplit (line + 2, " ", -1);
          guint64 port;

          if (g_strv_length (fields) < 4 ||
              !g_ascii_string_to_unsigned (fields[1], 10, 0, 65535, &port, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "line %u is not a valid media line (m=<media> <port> <proto> <fmt>)",
                           i + 1);
              return NULL;
            }
          n_media++;
        }
      else if (g_str_has_prefix (line, "a=ice-ufrag:"))
        {
          has_ufrag = TRUE;
        }
    }

  if (n_media == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the SDP has no media (m=) line");
      return NULL;
    }
  if (!has_ufrag)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the SDP has no ICE credentials (a=ice-ufrag)");
      return NULL;
    }
  return beacon_sdp_normalize (text);
}

char *
beacon_sdp_dup_ice_ufrag (const char *sdp)
{
  g_auto(GStrv) lines = g_strsplit (sdp ? sdp : "", "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "a=ice-ufrag:"))
      return g_strstrip (g_strdup (lines[i] + strlen ("a=ice-ufrag:")));
  return NULL;
}

/* Media sections */

gboolean
beacon_sdp_h264_is_constrained_baseline (const char *profile_level_id)
{
  guint constraints;

  /* The constraint byte is checked to be hexadecimal: g_ascii_xdigit_value () gives -1
   * otherwise, and shifting that is undefined (a viewer's offer is input). */
  if (profile_level_id == NULL || strlen (profile_level_id) != 6 ||
      g_ascii_strncasecmp (profile_level_id, "42", 2) != 0 ||
      !g_ascii_isxdigit (profile_level_id[2]) || !g_ascii_isxdigit (profile_level_id[3]))
    return FALSE;
  constraints = (g_ascii_xdigit_value (profile_level_id[2]) << 4) |
                g_ascii_xdigit_value (profile_level_id[3]);
  return (constraints & 0x40) != 0;
}

/* The attributes are read as text because GStreamer's SDP-to-caps conversion turns
 * profile-level-id into a "profile" name. */
int
beacon_sdp_find_payload_type (const GstSDPMessage  *offer,
                              const char           *media_kind,
                              const char           *encoding,
                              char                **profile_level_id)
{
  int baseline = -1;

  for (guint m = 0; m < gst_sdp_message_medias_len (offer); m++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (offer, m);

      if (g_strcmp0 (gst_sdp_media_get_media (media), media_kind) != 0)
        continue;
      for (guint i = 0; i < gst_sdp_media_formats_len (media); i++)
        {
          const char *format = gst_sdp_media_get_format (media, i);
          int pt = atoi (format);
          g_autofree char *rtpmap_prefix = g_strdup_printf ("%d ", pt);
          const char *rtpmap = NULL;
          const char *fmtp = NULL;
          g_autofree char *mode = NULL;
          g_autofree char *profile = NULL;

          for (guint a = 0; a < gst_sdp_media_attributes_len (media); a++)
            {
              const GstSDPAttribute *attribute = gst_sdp_media_get_attribute (media, a);

              if (attribute->value == NULL || !g_str_has_prefix (attribute->value, rtpmap_prefix))
                continue;
              if (g_strcmp0 (attribute->key, "rtpmap") == 0)
                rtpmap = attribute->value + strlen (rtpmap_prefix);
              else if (g_strcmp0 (attribute->key, "fmtp") == 0)
                fmtp = attribute->value + strlen (rtpmap_prefix);
            }
          if (rtpmap == NULL || g_ascii_strncasecmp (rtpmap, encoding, strlen (encoding)) != 0 ||
              rtpmap[strlen (encoding)] != '/')
            continue;
          if (g_ascii_strcasecmp (encoding, "H264") != 0)
            return pt;

          if (fmtp != NULL)
            {
              g_auto(GStrv) parameters = g_strsplit (fmtp, ";", -1);

              for (guint p = 0; parameters[p] != NULL; p++)
                {
                  char *parameter = g_strstrip (parameters[p]);

                  if (g_str_has_prefix (parameter, "packetization-mode="))
                    mode = g_strdup (parameter + strlen ("packetization-mode="));
                  else if (g_str_has_prefix (parameter, "profile-level-id="))
                    profile = g_strdup (parameter + strlen ("profile-level-id="));
                }
            }
          if (g_strcmp0 (mode, "1") != 0 || profile == NULL ||
              g_ascii_strncasecmp (profile, "42", 2) != 0)
            continue;
          if (beacon_sdp_h264_is_constrained_baseline (profile))
            {
              g_free (*profile_level_id);
              *profile_level_id = g_steal_pointer (&profile);
              return pt;
            }
          if (baseline < 0)
            {
              baseline = pt;
              g_free (*profile_level_id);
              *profile_level_id = g_steal_pointer (&profile);
            }
        }
      break;
    }
  return baseline;
}

gboolean
beacon_sdp_video_is_inactive (const char *sdp)
{
  g_autoptr(GstSDPMessage) message = NULL;
  gboolean inactive = FALSE;

  /* GStreamer refuses an empty buffer with a critical rather than an error. */
  if (sdp == NULL || *sdp == '\0')
    return FALSE;
  if (gst_sdp_message_new (&message) != GST_SDP_OK ||
      gst_sdp_message_parse_buffer ((const guint8 *) sdp, strlen (sdp), message) != GST_SDP_OK)
    return FALSE;
  for (guint i = 0; i < gst_sdp_message_medias_len (message); i++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (message, i);

      if (g_strcmp0 (gst_sdp_media_get_media (media), "video") != 0)
        continue;
      inactive = gst_sdp_media_get_port (media) == 0 ||
                 gst_sdp_media_get_attribute_val (media, "inactive") != NULL;
      if (!inactive)
        return FALSE;
    }
  return inactive;
}

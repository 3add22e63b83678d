/* beacon-link-header.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-link-header.h"

#include <string.h>

/* Splits on @separator outside <…> and "…" (with backslash escapes). */
static GPtrArray *
split_outside (const char *text,
               char        separator)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gboolean in_angle = FALSE;
  gboolean in_quote = FALSE;
  const char *start = text;

  for (const char *p = text; ; p++)
    {
      if (*p == '\0' || (*p == separator && !in_angle && !in_quote))
        {
          g_autofree char *part = g_strndup (start, p - start);

          g_strstrip (part);
          if (*part != '\0')
            g_ptr_array_add (parts, g_steal_pointer (&part));
          if (*p == '\0')
            break;
          start = p + 1;
        }
      else if (in_quote && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"' && !in_angle)
        in_quote = !in_quote;
      else if (*p == '<' && !in_quote)
        in_angle = TRUE;
      else if (*p == '>' && !in_quote)
        in_angle = FALSE;
    }
  return parts;
}

static char *
unquote (const char *value)
{
  gsize length = strlen (value);
  GString *out;

  if (length < 2 || value[0] != '"' || value[length - 1] != '"')
    return g_strdup (value);
  out = g_string_new (NULL);
  for (gsize i = 1; i < length - 1; i++)
    {
      if (value[i] == '\\' && i + 1 < length - 1)
        i++;
      g_string_append_c (out, value[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
ice_server_url (const char *uri,
                const char *username,
                const char *credential)
{
  g_autofree char *scheme = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *host_port = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) parsed = NULL;
  const char *colon = strchr (uri, ':');
  const char *query;
  GString *out;
  gboolean has_port;

  if (colon == NULL)
    return NULL;
  scheme = g_ascii_strdown (uri, colon - uri);
  if (!g_str_equal (scheme, "stun") && !g_str_equal (scheme, "stuns") &&
      !g_str_equal (scheme, "turn") && !g_str_equal (scheme, "turns"))
    return NULL;

  rest = g_strdup (colon + 1);
  if (g_str_has_prefix (rest, "//"))
    memmove (rest, rest + 2, strlen (rest) - 1);
  query = strchr (rest, '?');
  host_port = query ? g_strndup (rest, query - rest) : g_strdup (rest);
  if (query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (query + 1, "&", -1);

      /* The first transport counts, like the first username and credential of a link; a
       * second one leaked the first (found by tests/fuzz/fuzz-link-header). */
      for (guint i = 0; params[i] != NULL; i++)
        if (g_str_has_prefix (params[i], "transport=") && transport == NULL)
          transport = g_ascii_strdown (params[i] + strlen ("transport="), -1);
    }
  /* Userinfo in the URI itself is not allowed by RFC 7065; drop it rather than guess. */
  if (strchr (host_port, '@') != NULL)
    {
      char *at = strrchr (host_port, '@');

      memmove (host_port, at + 1, strlen (at));
    }
  if (*host_port == '\0')
    return NULL;

  if (host_port[0] == '[')
    has_port = strstr (host_port, "]:") != NULL;
  else
    has_port = strchr (host_port, ':') != NULL;

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s://", scheme);
  if (g_str_has_prefix (scheme, "turn") && username != NULL && credential != NULL)
    {
      g_autofree char *user = g_uri_escape_string (username, NULL, FALSE);
      g_autofree char *pass = g_uri_escape_string (credential, NULL, FALSE);

      g_string_append_printf (out, "%s:%s@", user, pass);
    }
  g_string_append (out, host_port);
  if (!has_port)
    g_string_append (out, g_str_has_suffix (scheme, "s") ? ":5349" : ":3478");
  if (transport != NULL && g_str_has_prefix (scheme, "turn") &&
      (g_str_equal (transport, "tcp") || g_str_equal (transport, "udp")))
    g_string_append_printf (out, "?transport=%s", transport);
  url = g_string_free (out, FALSE);

  /* The host and port are the server's bytes as they came (found by
   * tests/fuzz/fuzz-link-header: bytes that are not UTF-8): webrtcbin only takes a URI, and one
   * that has a path or a fragment names something else than host and port. */
  parsed = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || *g_uri_get_path (parsed) != '\0' || g_uri_get_fragment (parsed) != NULL)
    return NULL;
  return g_steal_pointer (&url);
}

GStrv
beacon_link_header_parse_ice_servers (const char *link_header)
{
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  if (link_header == NULL)
    return NULL;

  links = split_outside (link_header, ',');
  for (guint i = 0; i < links->len; i++)
    {
      const char *link = g_ptr_array_index (links, i);
      g_autoptr(GPtrArray) params = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *username = NULL;
      g_autofree char *credential = NULL;
      g_autofree char *url = NULL;
      const char *close;
      gboolean is_ice_server = FALSE;

      if (link[0] != '<' || (close = strchr (link, '>')) == NULL)
        continue;
      uri = g_strstrip (g_strndup (link + 1, close - link - 1));
      params = split_outside (close + 1, ';');
      for (guint j = 0; j < params->len; j++)
        {
          const char *param = g_ptr_array_index (params, j);
          const char *equal = strchr (param, '=');
          g_autofree char *key = NULL;
          g_autofree char *raw = NULL;
          g_autofree char *value = NULL;

          if (equal == NULL)
            continue;
          key = g_strstrip (g_ascii_strdown (param, equal - param));
          raw = g_strstrip (g_strdup (equal + 1));
          value = unquote (raw);
          if (g_str_equal (key, "rel"))
            {
              g_auto(GStrv) rels = g_strsplit (value, " ", -1);

              for (guint k = 0; rels[k] != NULL; k++)
                if (g_ascii_strcasecmp (rels[k], "ice-server") == 0)
                  is_ice_server = TRUE;
            }
          else if (g_str_equal (key, "username") && username == NULL)
            username = g_steal_pointer (&value);
          else if (g_str_equal (key, "credential") && credential == NULL)
            credential = g_steal_pointer (&value);
        }
      if (!is_ice_server)
        continue;
      url = ice_server_url (uri, username, credential);
      if (url == NULL)
        {
          /* The server's bytes may not be UTF-8; a log line must be. */
          g_autofree char *shown = g_utf8_make_valid (uri, -1);

          g_debug ("ignoring ICE server link <%s>: not a valid stun: or turn: URI", shown);
          continue;
        }
      g_strv_builder_add (builder, url);
      n++;
    }
  if (n == 0)
    return NULL;
  return g_strv_builder_end (builder);
}

/* beacon-share-link.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "beacon-share-link.h"

#include "beacon-fingerprint.h"
#include "beacon-local-addresses.h"
#include "beacon-signaler.h"

/* Whether @host, as GLib gives it (decoded, IPv6 addresses without brackets), goes back into a
 * URL unchanged: RFC 3986 unreserved and sub-delims characters, or an IP address without a
 * zone ID. */
static gboolean
host_is_plain (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return strchr (host, '%') == NULL;
  return strspn (host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                       "-._~!$&'()*+,;=") == strlen (host);
}

BeaconShareLink *
beacon_share_link_parse (const char  *link,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BeaconShareLink) result = g_new0 (BeaconShareLink, 1);
  const char *scheme;
  const char *fragment;

  /* Everything stays %-encoded as written: the URL is rebuilt from these parts below, and a
   * decoded path or query ("%2F" turned into "/", "%26" into "&") would name another resource.
   * The fragment is decoded by g_uri_parse_params (). */
  uri = g_uri_parse (link, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' is not a valid URL: %s", link, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "wss") != 0 && g_ascii_strcasecmp (scheme, "ws") != 0 &&
      g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' is not a stream link: it must start with wss:// (or https://)", link);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' names no server", link);
      return NULL;
    }

  /* GLib decodes the host whatever the flags, and the URL is rebuilt from it: a host written
   * with %-escapes would come back as an invalid URL or one that names another server
   * ("ws://%2F:" as "ws:////"; found by tests/fuzz/fuzz-share-link). No server name or address
   * needs them. */
  if (!host_is_plain (g_uri_get_host (uri)))
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' does not name a valid server", link);
      return NULL;
    }

  fragment = g_uri_get_fragment (uri);
  if (fragment != NULL && *fragment != '\0')
    {
      g_autoptr(GHashTable) params = NULL;
      const char *pin;
      const char *identity;
      const char *producer;

      params = g_uri_parse_params (fragment, -1, "&", G_URI_PARAMS_NONE, &local_error);
      if (params == NULL)
        {
          g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                       "the part after '#' in '%s' is not valid: %s", link, local_error->message);
          return NULL;
        }
      pin = g_hash_table_lookup (params, "pin");
      identity = g_hash_table_lookup (params, "id");
      producer = g_hash_table_lookup (params, "producer");
      if (pin != NULL && identity != NULL)
        {
          g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                       "the link has both a pin and an id: it is damaged");
          return NULL;
        }
      if (pin != NULL || identity != NULL)
        {
          result->identity = beacon_fingerprint_parse_pin (pin ? pin : identity, &local_error);
          if (result->identity == NULL)
            {
              g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                           "the link's %s is not valid: %s", pin ? "pin" : "id",
                           local_error->message);
              return NULL;
            }
          if (pin != NULL)
            result->pin = g_strdup (result->identity);
        }
      if (producer != NULL && *producer != '\0')
        result->producer = g_strdup (producer);
    }

  {
    g_autoptr(GUri) without_fragment = NULL;

    without_fragment = g_uri_build (G_URI_FLAGS_ENCODED, scheme, g_uri_get_userinfo (uri),
                                    g_uri_get_host (uri), g_uri_get_port (uri),
                                    *g_uri_get_path (uri) ? g_uri_get_path (uri) : "/",
                                    g_uri_get_query (uri), NULL);
    result->url = g_uri_to_string (without_fragment);
  }
  return g_steal_pointer (&result);
}

char *
beacon_share_link_format (const char *url,
                          const char *fingerprint,
                          gboolean    pins_tls,
                          const char *producer)
{
  GString *link = g_string_new (url);
  char separator = '#';

  if (fingerprint != NULL)
    {
      g_autofree char *pin = beacon_fingerprint_format_pin (fingerprint);

      g_string_append_printf (link, "%c%s=%s", separator, pins_tls ? "pin" : "id", pin);
      separator = '&';
    }
  if (producer != NULL && *producer != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (producer, NULL, FALSE);

      g_string_append_printf (link, "%cproducer=%s", separator, escaped);
    }
  return g_string_free (link, FALSE);
}

void
beacon_share_link_free (BeaconShareLink *link)
{
  if (link == NULL)
    return;
  g_free (link->url);
  g_free (link->pin);
  g_free (link->identity);
  g_free (link->producer);
  g_free (link);
}

/* The address other machines reach this one on, for the share link when the server listens on
 * every interface: the first non-loopback IPv4 address, else loopback. */
static char *
dup_reachable_address (void)
{
  g_autoptr(GPtrArray) addresses = beacon_local_addresses_list ();

  for (guint i = 0; i < addresses->len; i++)
    {
      BeaconLocalAddress *address = g_ptr_array_index (addresses, i);

      if (!address->loopback && strchr (address->address, ':') == NULL)
        return g_strdup (address->address);
    }
  return g_strdup ("127.0.0.1");
}

static char *
format_url_host (const char *address)
{
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("[%s]", address);
  return g_strdup (address);
}

static gboolean
is_any_address (const char *address)
{
  return address == NULL || *address == '\0' || g_str_equal (address, "0.0.0.0") ||
         g_str_equal (address, "::");
}

char *
beacon_share_link_local_url (const char *bind_address,
                             guint       port)
{
  g_autofree char *host = NULL;

  if (is_any_address (bind_address))
    host = g_strdup (bind_address && strchr (bind_address, ':') ? "[::1]" : "127.0.0.1");
  else
    host = format_url_host (bind_address);
  return g_strdup_printf ("wss://%s:%u/", host, port);
}

char *
beacon_share_link_for_server (const char *bind_address,
                              const char *link_host,
                              guint       port,
                              const char *fingerprint,
                              gboolean    pins_tls,
                              const char *producer)
{
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;

  if (link_host != NULL)
    {
      host = format_url_host (link_host);
    }
  else if (is_any_address (bind_address))
    {
      g_autofree char *reachable = dup_reachable_address ();

      host = format_url_host (reachable);
    }
  else
    {
      host = format_url_host (bind_address);
    }
  url = g_strdup_printf ("wss://%s:%u/", host, port);
  return beacon_share_link_format (url, fingerprint, pins_tls, producer);
}

char *
beacon_share_link_browser_url (const char *link)
{
  g_autoptr(BeaconShareLink) parsed = beacon_share_link_parse (link, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) page = NULL;
  g_autofree char *path = NULL;

  if (parsed == NULL || !g_str_has_prefix (parsed->url, "wss://"))
    return NULL;
  uri = g_uri_parse (parsed->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  if (parsed->producer != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (parsed->producer, NULL, FALSE);

      path = g_strconcat ("/watch/", escaped, NULL);
    }
  page = g_uri_build (G_URI_FLAGS_ENCODED_PATH, "https", NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), path ? path : "/", NULL, NULL);
  return g_uri_to_string (page);
}

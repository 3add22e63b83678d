/* beacon-http-endpoint.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-http-endpoint.h"
#include "beacon-whip-signaler.h"

void
beacon_http_set_cors_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Browser WHEP players on other origins need to read Location and ETag. The server keeps no
   * cookies or credentials that another origin could abuse. */
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Expose-Headers",
                                "Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After");
}

void
beacon_http_respond_text (SoupServerMessage *msg,
                          guint              status,
                          const char        *text)
{
  g_autofree char *body = g_strdup_printf ("%s\n", text);

  beacon_http_set_cors_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

void
beacon_http_respond_preflight (SoupServerMessage *msg,
                               const char        *methods)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  beacon_http_set_cors_headers (msg);
  soup_message_headers_replace (headers, "Allow", methods);
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", methods);
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                "Content-Type, Authorization, If-Match");
  soup_message_headers_replace (headers, "Accept-Post", "application/sdp");
  soup_message_headers_replace (headers, "Accept-Patch",
                                "application/trickle-ice-sdpfrag, application/sdp");
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
beacon_http_respond_method_not_allowed (SoupServerMessage *msg,
                                        const char        *methods)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                methods);
  beacon_http_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method not allowed here");
}

gboolean
beacon_http_content_type_is (SoupServerMessage *msg,
                             const char        *type)
{
  const char *content_type =
    soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return content_type != NULL && g_ascii_strcasecmp (content_type, type) == 0;
}

gboolean
beacon_http_require_sdp (SoupServerMessage *msg,
                         const char        *what)
{
  g_autofree char *text = NULL;

  if (beacon_http_content_type_is (msg, "application/sdp"))
    return TRUE;

  text = g_strdup_printf ("%s is sent with Content-Type: application/sdp", what);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Accept-Post", "application/sdp");
  beacon_http_respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, text);
  return FALSE;
}

char *
beacon_http_read_offer (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  char *offer;

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > BEACON_HTTP_MAX_BODY_SIZE)
    {
      beacon_http_respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                "the offer is too large");
      return NULL;
    }
  offer = validate_sdp (body, &error);
  if (offer == NULL)
    {
      g_autofree char *text = g_strdup_printf ("the offer is not usable: %s", error->message);

      beacon_http_respond_text (msg, SOUP_STATUS_BAD_REQUEST, text);
      return NULL;
    }
  return offer;
}

/* Compares without an early exit, so that the time taken says nothing about the token. */
static gboolean
token_equal (const char *given,
             const char *expected)
{
  gsize given_length = strlen (given);
  gsize expected_length = strlen (expected);
  guchar difference = given_length != expected_length;

  for (gsize i = 0; i < expected_length; i++)
    difference |= (guchar) expected[i] ^ (guchar) (i < given_length ? given[i] : 0);
  return difference == 0;
}

gboolean
beacon_http_request_has_bearer (SoupServerMessage *msg,
                                const char        *token)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  return token != NULL && authorization != NULL &&
         g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0 &&
         token_equal (authorization + 7, token);
}

/* Checks what a broadcaster needs from a WHEP offer before anything is relayed: SDP text with
 * at least one media section and ICE credentials. webrtcbin checks the rest. */
char *
validate_sdp (GBytes  *bytes,
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
  return beacon_whip_normalize_sdp (text);
}

/* beacon-http-endpoint.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-http-endpoint.h"
#include "beacon-sdp.h"

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
  offer = beacon_sdp_validate_body (body, &error);
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

/* beacon-viewer-page.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-viewer-page.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "beacon-sas.h"
#include "beacon-viewer-page-resources.h"

#define RESOURCE_PREFIX "/io/github/beaconrtc/Beacon/viewer-page/"

/* Nothing but the page's own files and its own server: no inline script or style, no other
 * origin, no frames around it. media-src covers nothing the page uses (the picture comes as a
 * MediaStream), so it stays 'none' too. */
#define CONTENT_SECURITY_POLICY \
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " \
  "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

static GBytes *
dup_word_list_json (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char * const *words = beacon_sas_get_words ();
  gsize length;
  char *text;

  json_builder_begin_array (builder);
  for (guint i = 0; i < 256; i++)
    json_builder_add_string_value (builder, words[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
respond (SoupServerMessage *msg,
         const char        *content_type,
         GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Content-Security-Policy", CONTENT_SECURITY_POLICY);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  /* The page changes with the build, and a link's words must never come from an old copy. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

gboolean
beacon_viewer_page_handle (SoupServerMessage *msg,
                           const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  const char *resource = NULL;
  const char *content_type = NULL;
  g_autoptr(GBytes) body = NULL;

  if (g_str_equal (path, "/") ||
      (g_str_has_prefix (path, "/watch/") && path[strlen ("/watch/")] != '\0'))
    {
      resource = "index.html";
      content_type = "text/html; charset=utf-8";
    }
  else if (g_str_equal (path, "/viewer.js"))
    {
      resource = "viewer.js";
      content_type = "text/javascript; charset=utf-8";
    }
  else if (g_str_equal (path, "/viewer.css"))
    {
      resource = "viewer.css";
      content_type = "text/css; charset=utf-8";
    }
  else if (!g_str_equal (path, "/sas-words.json"))
    {
      return FALSE;
    }

  if (!g_str_equal (method, SOUP_METHOD_GET) && !g_str_equal (method, SOUP_METHOD_HEAD))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return TRUE;
    }

  if (resource == NULL)
    {
      body = dup_word_list_json ();
      content_type = "application/json";
    }
  else
    {
      g_autofree char *name = g_strconcat (RESOURCE_PREFIX, resource, NULL);

      /* From the resource itself, not the global table: in a static library nothing else
       * references the resource's object file, and its registering constructor would be
       * left out of the program. */
      body = g_resource_lookup_data (beacon_viewer_page_get_resource (), name,
                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      /* Built in: missing only in a broken build. */
      g_return_val_if_fail (body != NULL, FALSE);
    }
  respond (msg, content_type, body);
  return TRUE;
}

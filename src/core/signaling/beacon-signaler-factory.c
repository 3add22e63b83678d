/* beacon-signaler-factory.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-signaler-factory.h"

#include "beacon-gst-signaler.h"
#include "beacon-janus-signaler.h"
#include "beacon-whip-signaler.h"

gboolean
beacon_signaler_dialect_is_valid (const char *dialect)
{
  return g_strcmp0 (dialect, "direct") == 0 || g_strcmp0 (dialect, "gst") == 0 ||
         g_strcmp0 (dialect, "janus") == 0 || g_strcmp0 (dialect, "whip") == 0 ||
         g_strcmp0 (dialect, "whep") == 0;
}

BeaconSignaler *
beacon_signaler_new_for_dialect (const BeaconSignalerOptions  *options,
                                 GError                      **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *dialect = options->dialect ? options->dialect : "direct";
  const char *scheme;
  gboolean http = g_str_equal (dialect, "whip") || g_str_equal (dialect, "whep");

  if (!beacon_signaler_dialect_is_valid (dialect))
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "unknown server dialect '%s': use direct, gst, janus, whip or whep", dialect);
      return NULL;
    }

  uri = g_uri_parse (options->url ? options->url : "", G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "'%s' is not a valid URL: %s", options->url ? options->url : "",
                   local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (http ? (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
           : (g_ascii_strcasecmp (scheme, "wss") != 0 && g_ascii_strcasecmp (scheme, "ws") != 0))
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INVALID_URL,
                   "a %s server is reached with %s, not '%s'", dialect,
                   http ? "https://" : "wss://", options->url);
      return NULL;
    }
  if (!options->allow_insecure &&
      (g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "http") == 0))
    {
      g_set_error (error, BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_INSECURE,
                   "refusing unencrypted signaling to %s: anyone on the network could read and "
                   "change it; use %s, or allow it with --allow-insecure-signaling",
                   options->url, http ? "https://" : "wss://");
      return NULL;
    }

  if (g_str_equal (dialect, "direct") || g_str_equal (dialect, "gst"))
    {
      BeaconGstSignaler *signaler = beacon_gst_signaler_new (options->url, options->pin,
                                                             options->token);

      beacon_gst_signaler_set_liveness_check (signaler, options->check_liveness);
      return BEACON_SIGNALER (signaler);
    }
  if (g_str_equal (dialect, "janus"))
    return beacon_janus_signaler_new (options, error);
  if (g_str_equal (dialect, "whip"))
    return beacon_whip_signaler_new (options, FALSE, error);
  return beacon_whip_signaler_new (options, TRUE, error);
}

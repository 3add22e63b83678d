/* beacon-watch-target.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "beacon-watch-target.h"

#include "beacon-fingerprint.h"
#include "beacon-pin-store.h"
#include "beacon-security-report.h"
#include "beacon-session.h"
#include "beacon-share-link.h"

/* The key under which the remote identity is remembered: the server and the stream. */
static char *
make_pin_key (const BeaconSessionConfig *config,
              const char                *url,
              const char                *producer)
{
  GString *key = g_string_new (url);

  g_string_append_printf (key, " dialect=%s", config->dialect ? config->dialect : "direct");
  if (producer != NULL)
    g_string_append_printf (key, " stream=%s", producer);
  if (config->room >= 0)
    g_string_append_printf (key, " room=%" G_GINT64_FORMAT, config->room);
  if (config->feed >= 0)
    g_string_append_printf (key, " feed=%" G_GINT64_FORMAT, config->feed);
  if (config->mountpoint >= 0)
    g_string_append_printf (key, " mountpoint=%" G_GINT64_FORMAT, config->mountpoint);
  return g_string_free (key, FALSE);
}

BeaconWatchTarget *
beacon_watch_target_new (BeaconSessionConfig  *config,
                         GError              **error)
{
  g_autoptr(BeaconWatchTarget) target = NULL;
  g_autofree char *identity = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->url == NULL)
    {
      g_set_error (error, BEACON_SESSION_ERROR, BEACON_SESSION_ERROR_INVALID,
                   "no stream link given");
      return NULL;
    }

  target = g_new0 (BeaconWatchTarget, 1);
  target->config = beacon_session_config_ref (config);
  target->producer = g_strdup (config->stream_name);
  if (beacon_session_config_is_direct (config) || g_str_equal (config->dialect, "gst"))
    {
      g_autoptr(BeaconShareLink) link = beacon_share_link_parse (config->url, error);

      if (link == NULL)
        return NULL;
      target->url = g_strdup (link->url);
      target->pin = g_strdup (link->pin);
      identity = g_strdup (link->identity);
      if (target->producer == NULL)
        target->producer = g_strdup (link->producer);
    }
  else
    {
      target->url = g_strdup (config->url);
    }
  target->pin_key = make_pin_key (config, target->url, target->producer);
  if (config->pin != NULL)
    {
      g_free (target->pin);
      target->pin = beacon_fingerprint_parse_pin (config->pin, error);
      if (target->pin == NULL)
        return NULL;
    }
  if (beacon_session_config_is_direct (config))
    target->link_identity = g_strdup (identity != NULL ? identity : target->pin);
  return g_steal_pointer (&target);
}

/* A direct link's pin names the broadcaster: the direct server's TLS certificate and the
 * broadcaster's DTLS certificate are one identity, and only that broadcaster may produce there.
 * Checking the pin against TLS alone would only prove "the right server"; checking it against
 * DTLS proves "the media of the person who gave me the link". A WHEP answer of a Beacon direct
 * server names that identity itself, over the TLS the signaler authenticated. */
void
beacon_watch_target_bind_peer (BeaconWatchTarget *target,
                               BeaconSignaler    *signaler,
                               BeaconPeer        *peer)
{
  if (target->link_identity == NULL)
    {
      g_autoptr(BeaconChannelInfo) channel = beacon_signaler_dup_channel_info (signaler);

      if (channel->media_identity != NULL && channel->trust != BEACON_SIGNALING_TRUST_INSECURE)
        target->link_identity = g_strdup (channel->media_identity);
    }
  if (target->link_identity != NULL)
    beacon_peer_set_expected_identity (peer, target->link_identity);
}

/* Trust on first use of the broadcaster's (or media server's) DTLS identity, per server and
 * stream. A changed identity stops the session unless the user accepted it. The answer is
 * read from (and a new identity written to) the pin store on a worker thread: the write
 * waits for the disk. The task carries its own copies, so the target may be gone by then. */
typedef struct {
  char       *pin_key;
  char       *fingerprint;
  gboolean    accept_new_identity;
  const char *pin_status;   /* NULL until the store answered */
} IdentityCheck;

static void
identity_check_free (gpointer data)
{
  IdentityCheck *check = data;

  g_free (check->pin_key);
  g_free (check->fingerprint);
  g_free (check);
}

static void
pin_store_checked_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IdentityCheck *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *previous = NULL;
  BeaconPinStatus status;

  if (!beacon_pin_store_check_finish (result, &status, &previous, &error))
    {
      g_task_return_new_error (task, BEACON_SECURITY_ERROR, BEACON_SECURITY_ERROR_PIN_STORE,
                               "%s", error->message);
      return;
    }
  check->pin_status = beacon_pin_status_to_string (status);
  if (status == BEACON_PIN_STATUS_CHANGED && !check->accept_new_identity)
    {
      g_task_return_new_error (task, BEACON_SECURITY_ERROR, BEACON_SECURITY_ERROR_IDENTITY_CHANGED,
                               "the identity of %s changed since the first connection (was "
                               "sha256:%s, now sha256:%s); if you expect this, accept the new "
                               "identity (--accept-new-identity)",
                               check->pin_key, previous, check->fingerprint);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
beacon_watch_target_check_identity_async (BeaconWatchTarget   *target,
                                          const char          *fingerprint,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  IdentityCheck *check;
  const char *value;

  g_return_if_fail (target != NULL && fingerprint != NULL);

  value = strchr (fingerprint, ' ') ? strchr (fingerprint, ' ') + 1 : fingerprint;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_watch_target_check_identity_async);
  check = g_new0 (IdentityCheck, 1);
  check->pin_key = g_strdup (target->pin_key);
  check->fingerprint = g_strdup (value);
  check->accept_new_identity = target->config->accept_new_identity;
  g_task_set_task_data (task, check, identity_check_free);
  beacon_pin_store_check_async (target->config->data_directory, check->pin_key,
                                check->fingerprint, check->accept_new_identity, cancellable,
                                pin_store_checked_cb, g_steal_pointer (&task));
}

gboolean
beacon_watch_target_check_identity_finish (GAsyncResult  *result,
                                           const char   **pin_status,
                                           GError       **error)
{
  IdentityCheck *check;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        beacon_watch_target_check_identity_async, FALSE);

  check = g_task_get_task_data (G_TASK (result));
  *pin_status = check->pin_status;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
beacon_watch_target_free (BeaconWatchTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->url);
  g_free (target->pin);
  g_free (target->producer);
  g_free (target->link_identity);
  g_free (target->pin_key);
  g_free (target->pin_status);
  g_clear_pointer (&target->config, beacon_session_config_unref);
  g_free (target);
}

int
beacon_watch_target_security_error_of_peer_error (const GError *error)
{
  if (error->domain != BEACON_PEER_ERROR)
    return -1;
  switch (error->code)
    {
    case BEACON_PEER_ERROR_IDENTITY_MISMATCH:
      return BEACON_SECURITY_ERROR_IDENTITY_MISMATCH;
    case BEACON_PEER_ERROR_NOT_EXPECTED_IDENTITY:
      return BEACON_SECURITY_ERROR_NOT_LINK_IDENTITY;
    case BEACON_PEER_ERROR_NO_FINGERPRINT:
      return BEACON_SECURITY_ERROR_NO_FINGERPRINT;
    default:
      return -1;
    }
}

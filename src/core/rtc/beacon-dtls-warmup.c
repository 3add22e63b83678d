/* beacon-dtls-warmup.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-dtls-warmup.h"

#include <openssl/crypto.h>

/* The warm-ups still running, for beacon_dtls_warmup_wait (). */
static GMutex running_lock;
static GCond running_changed;
static guint running;

/* The plugins webrtcbin loads only when the first description is applied: loading one is a
 * dlopen () and its relocations, up to a hundred milliseconds on a busy machine, on the path
 * of the first answer. Loading is once per process; a plugin that is not installed is
 * skipped. The decoders are left out on purpose: loading libav and vpx as well took long
 * enough that the first description, which waits for GStreamer's plugin lock meanwhile,
 * came later than without any loading ahead (measured on 2 busy cores). */
static const char * const peer_plugins[] = { "srtp", "nice", "rtpmanager", "rtp" };

static void
load_peer_plugins (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (peer_plugins); i++)
    {
      g_autoptr(GstPlugin) plugin = gst_plugin_load_by_name (peer_plugins[i]);

      if (plugin == NULL)
        g_debug ("plugin %s could not be loaded ahead", peer_plugins[i]);
    }
}

static void
warm_up_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *pem = task_data;
  GstElement *decoder;

  /* The key first: it takes longest, and the first description needs it. */
  decoder = gst_element_factory_make ("dtlsdec", NULL);
  if (pem == NULL)
    load_peer_plugins ();

  if (decoder != NULL)
    {
      gst_object_ref_sink (decoder);
      if (pem != NULL)
        g_object_set (decoder, "pem", pem, NULL);
    }
  /* The RSA key was made here (if no dtlsdec was made before): this pool thread got
   * OpenSSL's per-thread random generators, which a pool thread ending never releases. */
  OPENSSL_thread_stop ();
  g_mutex_lock (&running_lock);
  running--;
  g_cond_broadcast (&running_changed);
  g_mutex_unlock (&running_lock);
  if (decoder == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "the DTLS element (dtlsdec) is missing");
      return;
    }
  g_task_return_pointer (task, decoder, gst_object_unref);
}

void
beacon_dtls_warmup_async (const char          *pem,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_dtls_warmup_async);
  g_task_set_task_data (task, g_strdup (pem), g_free);
  g_mutex_lock (&running_lock);
  running++;
  g_mutex_unlock (&running_lock);
  g_task_run_in_thread (task, warm_up_in_thread);
}

void
beacon_dtls_warmup_wait (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_mutex_lock (&running_lock);
  while (running > 0 && g_cond_wait_until (&running_changed, &running_lock, deadline))
    ;
  g_mutex_unlock (&running_lock);
}

GstElement *
beacon_dtls_warmup_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

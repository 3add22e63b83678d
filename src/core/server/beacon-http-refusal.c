/* beacon-http-refusal.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "beacon-http-refusal.h"

/* A refused request's connection, taken from libsoup: the response is written, then what the
 * client still sends is read and dropped for a while before the connection is closed.
 * Closing at once, with the body still arriving, would make the kernel reset the connection,
 * and the client would see the reset instead of the response. */
typedef struct {
  GIOStream    *stream;
  GBytes       *response;
  GCancellable *cancellable;
  guint         linger_source;
  guint8        buffer[16 * 1024];
} Refusal;

/* How long a refused client may go on sending before its connection is closed. */
#define REFUSAL_LINGER_MS 2000

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->linger_source, g_source_remove);
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&refusal->stream);
  g_clear_pointer (&refusal->response, g_bytes_unref);
  g_clear_object (&refusal->cancellable);
  g_free (refusal);
}

static gboolean
refusal_linger_over_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->linger_source = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
refusal_drained_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL) <= 0)
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->cancellable, refusal_drained_cb,
                             refusal);
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, refusal->cancellable,
                             refusal_drained_cb, refusal);
}

/* Answers @msg with @status and closes its connection without reading the request's body.
 * libsoup 3.2 reads the whole body, into memory, even when an early handler has set the
 * status (a 150 MiB POST took 353 MiB), and has no way to skip it but taking the connection.
 * The connection is not reused: the body would come next on it. */
void
beacon_http_refuse_unread_body (SoupServerMessage *msg,
                                guint              status,
                                const char        *text)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autofree char *head = NULL;
  Refusal *refusal;
  gsize length;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Connection: close\r\n"
                          "Access-Control-Allow-Origin: *\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Length: %zu\r\n"
                          "\r\n"
                          "%s\n",
                          status, soup_status_get_phrase (status), strlen (text) + 1, text);
  length = strlen (head);

  refusal = g_new0 (Refusal, 1);
  refusal->stream = g_steal_pointer (&stream);
  refusal->response = g_bytes_new_take (g_steal_pointer (&head), length);
  refusal->cancellable = g_cancellable_new ();
  refusal->linger_source = g_timeout_add (REFUSAL_LINGER_MS, refusal_linger_over_cb, refusal);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_bytes_get_data (refusal->response, NULL), length,
                                   G_PRIORITY_DEFAULT, refusal->cancellable, refusal_written_cb,
                                   refusal);
}

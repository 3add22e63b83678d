/* beacon-websocket-limit.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-websocket-limit.h"
#include "beacon-websocket-limit-input.h"

struct _BeaconWebsocketLimit
{
  GIOStream     parent_instance;

  GIOStream    *base;
  GInputStream *input;
};

G_DEFINE_FINAL_TYPE (BeaconWebsocketLimit, beacon_websocket_limit, G_TYPE_IO_STREAM)

static GInputStream *
beacon_websocket_limit_get_input_stream (GIOStream *stream)
{
  return BEACON_WEBSOCKET_LIMIT (stream)->input;
}

static GOutputStream *
beacon_websocket_limit_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (BEACON_WEBSOCKET_LIMIT (stream)->base);
}

static gboolean
beacon_websocket_limit_close (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return g_io_stream_close (BEACON_WEBSOCKET_LIMIT (stream)->base, cancellable, error);
}

static void
base_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* The base stream (a TLS connection) closes asynchronously itself; the default would close it
 * in a thread. */
static void
beacon_websocket_limit_close_async (GIOStream           *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  BeaconWebsocketLimit *self = BEACON_WEBSOCKET_LIMIT (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_websocket_limit_close_async);
  g_io_stream_close_async (self->base, io_priority, cancellable, base_closed_cb, task);
}

static gboolean
beacon_websocket_limit_close_finish (GIOStream     *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
beacon_websocket_limit_dispose (GObject *object)
{
  BeaconWebsocketLimit *self = BEACON_WEBSOCKET_LIMIT (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (beacon_websocket_limit_parent_class)->dispose (object);
}

static void
beacon_websocket_limit_class_init (BeaconWebsocketLimitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = beacon_websocket_limit_dispose;
  stream_class->get_input_stream = beacon_websocket_limit_get_input_stream;
  stream_class->get_output_stream = beacon_websocket_limit_get_output_stream;
  stream_class->close_fn = beacon_websocket_limit_close;
  stream_class->close_async = beacon_websocket_limit_close_async;
  stream_class->close_finish = beacon_websocket_limit_close_finish;
}

static void
beacon_websocket_limit_init (BeaconWebsocketLimit *self)
{
}

GIOStream *
beacon_websocket_limit_new (GIOStream *base,
                            guint64    max_message_size)
{
  BeaconWebsocketLimit *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);
  g_return_val_if_fail (max_message_size > 0, NULL);

  self = g_object_new (BEACON_TYPE_WEBSOCKET_LIMIT, NULL);
  self->base = g_object_ref (base);
  self->input = beacon_websocket_limit_input_new (g_io_stream_get_input_stream (base),
                                                  max_message_size);

  return G_IO_STREAM (self);
}

/* beacon-websocket-limit.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-websocket-limit.h"

/* The input side does the work; it is a type of its own because GIOStream hands out its
 * streams as objects. It stays private to this file. */
#define BEACON_TYPE_WEBSOCKET_LIMIT_INPUT (beacon_websocket_limit_input_get_type ())

G_DECLARE_FINAL_TYPE (BeaconWebsocketLimitInput, beacon_websocket_limit_input, BEACON,
                      WEBSOCKET_LIMIT_INPUT, GInputStream)

struct _BeaconWebsocketLimitInput
{
  GInputStream  parent_instance;

  GInputStream *base;              /* pollable */
  guint64       max_message_size;

  /* Where the client's byte stream is: inside a frame header (header_length bytes of it
   * seen), or inside a payload (payload_left bytes to go). */
  guint8        header[14];
  guint         header_length;
  guint64       payload_left;
  guint64       message_size;      /* data payload of the message being sent so far */
  gboolean      too_large;
};

static void beacon_websocket_limit_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconWebsocketLimitInput, beacon_websocket_limit_input,
                               G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      beacon_websocket_limit_input_pollable_init))

static guint
header_size (const guint8 *header)
{
  guint length_field = header[1] & 0x7f;
  guint size = 2;

  if (length_field == 126)
    size += 2;
  else if (length_field == 127)
    size += 8;
  if (header[1] & 0x80)
    size += 4;  /* the masking key */
  return size;
}

static guint64
header_payload_length (const guint8 *header)
{
  guint length_field = header[1] & 0x7f;
  guint64 length = 0;

  if (length_field < 126)
    return length_field;
  if (length_field == 126)
    return ((guint64) header[2] << 8) | header[3];
  for (guint i = 2; i < 10; i++)
    length = (length << 8) | header[i];
  return length;
}

static void
set_too_large_error (BeaconWebsocketLimitInput  *self,
                     GError                    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               "A WebSocket message is larger than %" G_GUINT64_FORMAT " bytes",
               self->max_message_size);
}

/* Follows @length bytes the client sent. FALSE once a message has grown too large: then
 * nothing more is handed on, so that libsoup never holds more than the limit. */
static gboolean
follow_frames (BeaconWebsocketLimitInput *self,
               const guint8              *data,
               gsize                      length)
{
  g_assert (BEACON_IS_WEBSOCKET_LIMIT_INPUT (self));

  while (length > 0 && !self->too_large)
    {
      if (self->payload_left > 0)
        {
          gsize n = MIN (self->payload_left, length);

          self->payload_left -= n;
          data += n;
          length -= n;
          continue;
        }

      self->header[self->header_length++] = *data++;
      length--;
      if (self->header_length < 2 || self->header_length < header_size (self->header))
        continue;

      self->header_length = 0;
      self->payload_left = header_payload_length (self->header);

      /* Control frames (opcodes 8 to 15) are not part of any message. A data frame with an
       * opcode starts a message; continuation frames (opcode 0) add to it. */
      if ((self->header[0] & 0x08) == 0)
        {
          if ((self->header[0] & 0x0f) != 0)
            self->message_size = 0;
          if (self->payload_left > self->max_message_size - self->message_size)
            self->too_large = TRUE;
          else
            self->message_size += self->payload_left;
        }
    }

  return !self->too_large;
}

/* What a read that got @n bytes from the base stream into @buffer returns. */
static gssize
pass_on (BeaconWebsocketLimitInput  *self,
         const void                 *buffer,
         gssize                      n,
         GError                    **error)
{
  if (n > 0 && !follow_frames (self, buffer, n))
    {
      set_too_large_error (self, error);
      return -1;
    }
  return n;
}

static gssize
beacon_websocket_limit_input_read (GInputStream  *stream,
                                   void          *buffer,
                                   gsize          count,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  BeaconWebsocketLimitInput *self = BEACON_WEBSOCKET_LIMIT_INPUT (stream);
  gssize n;

  if (self->too_large)
    {
      set_too_large_error (self, error);
      return -1;
    }
  n = g_input_stream_read (self->base, buffer, count, cancellable, error);
  return pass_on (self, buffer, n, error);
}

static gboolean
beacon_websocket_limit_input_close (GInputStream  *stream,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  /* The base stream belongs to the connection, which BeaconWebsocketLimit closes. */
  return TRUE;
}

static gboolean
beacon_websocket_limit_input_can_poll (GPollableInputStream *stream)
{
  BeaconWebsocketLimitInput *self = BEACON_WEBSOCKET_LIMIT_INPUT (stream);

  return g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
beacon_websocket_limit_input_is_readable (GPollableInputStream *stream)
{
  BeaconWebsocketLimitInput *self = BEACON_WEBSOCKET_LIMIT_INPUT (stream);

  return self->too_large ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
beacon_websocket_limit_input_create_source (GPollableInputStream *stream,
                                            GCancellable         *cancellable)
{
  BeaconWebsocketLimitInput *self = BEACON_WEBSOCKET_LIMIT_INPUT (stream);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base),
                                                       NULL);
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
beacon_websocket_limit_input_read_nonblocking (GPollableInputStream  *stream,
                                               void                  *buffer,
                                               gsize                  count,
                                               GError               **error)
{
  BeaconWebsocketLimitInput *self = BEACON_WEBSOCKET_LIMIT_INPUT (stream);
  gssize n;

  if (self->too_large)
    {
      set_too_large_error (self, error);
      return -1;
    }
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                count, NULL, error);
  return pass_on (self, buffer, n, error);
}

static void
beacon_websocket_limit_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = beacon_websocket_limit_input_can_poll;
  iface->is_readable = beacon_websocket_limit_input_is_readable;
  iface->create_source = beacon_websocket_limit_input_create_source;
  iface->read_nonblocking = beacon_websocket_limit_input_read_nonblocking;
}

static void
beacon_websocket_limit_input_dispose (GObject *object)
{
  BeaconWebsocketLimitInput *self = BEACON_WEBSOCKET_LIMIT_INPUT (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (beacon_websocket_limit_input_parent_class)->dispose (object);
}

static void
beacon_websocket_limit_input_class_init (BeaconWebsocketLimitInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->dispose = beacon_websocket_limit_input_dispose;
  stream_class->read_fn = beacon_websocket_limit_input_read;
  stream_class->close_fn = beacon_websocket_limit_input_close;
}

static void
beacon_websocket_limit_input_init (BeaconWebsocketLimitInput *self)
{
}

/* BeaconWebsocketLimit */

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
  BeaconWebsocketLimitInput *input;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);
  g_return_val_if_fail (max_message_size > 0, NULL);

  input = g_object_new (BEACON_TYPE_WEBSOCKET_LIMIT_INPUT, NULL);
  input->base = g_object_ref (g_io_stream_get_input_stream (base));
  input->max_message_size = max_message_size;

  self = g_object_new (BEACON_TYPE_WEBSOCKET_LIMIT, NULL);
  self->base = g_object_ref (base);
  self->input = G_INPUT_STREAM (input);

  return G_IO_STREAM (self);
}

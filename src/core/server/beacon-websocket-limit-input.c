/* beacon-websocket-limit-input.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-websocket-limit-input.h"

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

/* FALSE, with @error set, once a message has grown too large: nothing more is read. */
static gboolean
may_read (BeaconWebsocketLimitInput  *self,
          GError                    **error)
{
  if (!self->too_large)
    return TRUE;
  set_too_large_error (self, error);
  return FALSE;
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

  if (!may_read (self, error))
    return -1;
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

  if (!may_read (self, error))
    return -1;
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

GInputStream *
beacon_websocket_limit_input_new (GInputStream *base,
                                  guint64       max_message_size)
{
  BeaconWebsocketLimitInput *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base), NULL);
  g_return_val_if_fail (max_message_size > 0, NULL);

  self = g_object_new (BEACON_TYPE_WEBSOCKET_LIMIT_INPUT, NULL);
  self->base = g_object_ref (base);
  self->max_message_size = max_message_size;

  return G_INPUT_STREAM (self);
}

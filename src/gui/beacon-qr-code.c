/* beacon-qr-code.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-qr-code.h"

#include <errno.h>
#include <qrencode.h>

#define QUIET_ZONE 4  /* modules on each side, as ISO/IEC 18004 asks */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)

static QRcode *
encode (const char  *text,
        GError     **error)
{
  QRcode *code;

  errno = 0;
  /* Version 0: the smallest that holds the text; case-sensitive 8-bit mode. */
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    g_set_error (error, G_IO_ERROR, errno == ERANGE ? G_IO_ERROR_MESSAGE_TOO_LARGE
                                                    : G_IO_ERROR_FAILED,
                 "the link cannot be made into a QR code: %s",
                 errno == ERANGE ? "too long" : g_strerror (errno));
  return code;
}

guint
beacon_qr_code_get_width (const char *text)
{
  g_autoptr(QRcode) code = encode (text, NULL);

  return code != NULL ? (guint) code->width : 0;
}

GdkTexture *
beacon_qr_code_texture_new (const char  *text,
                            guint        module_size,
                            GError     **error)
{
  g_autoptr(QRcode) code = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint side;
  gsize stride;
  guint8 *pixels;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_size > 0 && module_size <= 64, NULL);

  code = encode (text, error);
  if (code == NULL)
    return NULL;

  side = (code->width + 2 * QUIET_ZONE) * module_size;
  stride = side * 3;
  pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        /* The lowest bit of each byte says whether the module is dark. */
        if ((code->data[y * code->width + x] & 1) == 0)
          continue;
        for (guint row = 0; row < module_size; row++)
          memset (pixels + ((QUIET_ZONE + y) * module_size + row) * stride +
                    (QUIET_ZONE + x) * module_size * 3,
                  0x00, module_size * 3);
      }
  bytes = g_bytes_new_take (pixels, stride * side);
  return gdk_memory_texture_new ((int) side, (int) side, GDK_MEMORY_R8G8B8, bytes, stride);
}

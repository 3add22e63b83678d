/* beacon-qr-code.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @text as a QR code (error correction level M, libqrencode) in a texture of black modules on
 * white, @module_size pixels each, with the standard four-module quiet zone. %NULL with
 * @error set when the text does not fit in a QR code. */
GdkTexture *beacon_qr_code_texture_new (const char  *text,
                                        guint        module_size,
                                        GError     **error);

/* The number of modules on a side of @text's QR code (without the quiet zone), or 0. */
guint       beacon_qr_code_get_width   (const char  *text);

G_END_DECLS

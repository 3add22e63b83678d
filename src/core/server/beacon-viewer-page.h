/* beacon-viewer-page.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The browser viewer page of the direct server: "/" and "/watch/NAME" give the page,
 * "/viewer.js", "/viewer.css" and "/sas-words.json" what it loads, all from the build's
 * resources, with a strict Content-Security-Policy. Answers @msg and returns TRUE when @path
 * is one of them (a method other than GET or HEAD gets 405); FALSE leaves @msg alone. */
gboolean beacon_viewer_page_handle (SoupServerMessage *msg,
                                    const char        *path);

G_END_DECLS

/* beacon-share-dialog.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BEACON_TYPE_SHARE_DIALOG (beacon_share_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BeaconShareDialog, beacon_share_dialog, BEACON, SHARE_DIALOG, AdwWindow)

/* The share link as text to select and as a QR code to scan, with a copy button; modal to
 * @parent. Escape closes it. */
BeaconShareDialog *beacon_share_dialog_new         (GtkWindow         *parent,
                                                    const char        *url);
/* Shows another link (the broadcast's link changed while the dialog is open). */
void               beacon_share_dialog_set_url     (BeaconShareDialog *self,
                                                    const char        *url);
const char        *beacon_share_dialog_get_url     (BeaconShareDialog *self);
/* The QR code shown, or %NULL when the link does not fit in one (the dialog then says so). */
GdkTexture        *beacon_share_dialog_get_qr_code (BeaconShareDialog *self);

G_END_DECLS

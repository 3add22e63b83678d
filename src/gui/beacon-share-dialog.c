/* beacon-share-dialog.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-share-dialog.h"

#include <glib/gi18n.h>

#include "beacon-qr-code.h"

/* Pixels per module: a link with a pin needs about 69 modules (version 13), which makes a
 * 308 px square with the quiet zone, easy for a phone's camera at arm's length. */
#define MODULE_SIZE 4

struct _BeaconShareDialog
{
  AdwWindow   parent_instance;

  char       *url;
  GdkTexture *qr_code;

  GtkPicture *picture;
  GtkLabel   *qr_failed_label;
  GtkLabel   *link_label;
  AdwToastOverlay *toasts;
};

G_DEFINE_FINAL_TYPE (BeaconShareDialog, beacon_share_dialog, ADW_TYPE_WINDOW)

static void
copy_clicked_cb (BeaconShareDialog *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->url);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Link copied")));
}

void
beacon_share_dialog_set_url (BeaconShareDialog *self,
                             const char        *url)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BEACON_IS_SHARE_DIALOG (self));
  g_return_if_fail (url != NULL);

  g_free (self->url);
  self->url = g_strdup (url);
  gtk_label_set_text (self->link_label, url);
  g_clear_object (&self->qr_code);
  self->qr_code = beacon_qr_code_texture_new (url, MODULE_SIZE, &error);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->qr_code));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), self->qr_code != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_failed_label), self->qr_code == NULL);
  if (error != NULL)
    gtk_label_set_text (self->qr_failed_label, error->message);
}

const char *
beacon_share_dialog_get_url (BeaconShareDialog *self)
{
  g_return_val_if_fail (BEACON_IS_SHARE_DIALOG (self), NULL);
  return self->url;
}

GdkTexture *
beacon_share_dialog_get_qr_code (BeaconShareDialog *self)
{
  g_return_val_if_fail (BEACON_IS_SHARE_DIALOG (self), NULL);
  return self->qr_code;
}

BeaconShareDialog *
beacon_share_dialog_new (GtkWindow  *parent,
                         const char *url)
{
  BeaconShareDialog *self = g_object_new (BEACON_TYPE_SHARE_DIALOG,
                                          "transient-for", parent,
                                          "modal", TRUE,
                                          NULL);

  beacon_share_dialog_set_url (self, url);
  return self;
}

static void
beacon_share_dialog_finalize (GObject *object)
{
  BeaconShareDialog *self = BEACON_SHARE_DIALOG (object);

  g_free (self->url);
  g_clear_object (&self->qr_code);
  G_OBJECT_CLASS (beacon_share_dialog_parent_class)->finalize (object);
}

static void
beacon_share_dialog_class_init (BeaconShareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = beacon_share_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
beacon_share_dialog_init (BeaconShareDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *hint = gtk_label_new (_("Scan the code on another device that has Beacon, or copy the link."));
  GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Link"));

  gtk_window_set_title (GTK_WINDOW (self), _("Share Link"));
  gtk_window_set_default_size (GTK_WINDOW (self), 420, -1);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->picture), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code of the link to share"), -1);

  self->qr_failed_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->qr_failed_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->qr_failed_label), "dim-label");

  /* Selectable, so that any part of it can be copied; wrapped anywhere, since it has no
   * spaces. */
  self->link_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_selectable (self->link_label, TRUE);
  gtk_label_set_wrap (self->link_label, TRUE);
  gtk_label_set_wrap_mode (self->link_label, PANGO_WRAP_CHAR);
  gtk_label_set_max_width_chars (self->link_label, 48);
  gtk_label_set_xalign (self->link_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->link_label), "monospace");

  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (copy, "pill");
  gtk_widget_add_css_class (copy, "suggested-action");
  gtk_widget_set_halign (copy, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (copy, "clicked", G_CALLBACK (copy_clicked_cb), self);

  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->picture));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->qr_failed_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->link_label));
  gtk_box_append (GTK_BOX (box), copy);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  gtk_widget_grab_focus (copy);
}

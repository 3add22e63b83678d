/* beacon-security-row.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-security-row.h"

#include <glib/gi18n.h>

typedef struct {
  char      *value;
  GtkWidget *value_label;
  GtkWidget *copy_button;
} ValueRow;

struct _BeaconSecurityRow
{
  AdwExpanderRow           parent_instance;

  GtkWidget               *status_icon;
  BeaconSecurityRowStatus  status;
  GHashTable              *values;   /* key → ValueRow */
};

G_DEFINE_FINAL_TYPE (BeaconSecurityRow, beacon_security_row, ADW_TYPE_EXPANDER_ROW)

static void
value_row_free (gpointer data)
{
  ValueRow *row = data;

  g_free (row->value);
  g_free (row);
}

static void
copy_clicked_cb (GtkButton *button,
                 ValueRow  *row)
{
  GtkWidget *widget = GTK_WIDGET (button);
  GtkWidget *overlay;

  if (row->value == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), row->value);

  /* Tell the user it worked where the security panel can show a toast. */
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (_("Copied")));
}

GtkWidget *
beacon_security_row_new (void)
{
  return g_object_new (BEACON_TYPE_SECURITY_ROW, NULL);
}

void
beacon_security_row_set_status (BeaconSecurityRow       *self,
                                BeaconSecurityRowStatus  status,
                                const char              *subtitle)
{
  static const char *icons[] = {
    [BEACON_SECURITY_ROW_UNKNOWN] = "dialog-question-symbolic",
    [BEACON_SECURITY_ROW_GOOD] = "emblem-ok-symbolic",
    [BEACON_SECURITY_ROW_WARNING] = "dialog-warning-symbolic",
    [BEACON_SECURITY_ROW_BAD] = "dialog-error-symbolic",
  };
  static const char *classes[] = {
    [BEACON_SECURITY_ROW_UNKNOWN] = "dim-label",
    [BEACON_SECURITY_ROW_GOOD] = "success",
    [BEACON_SECURITY_ROW_WARNING] = "warning",
    [BEACON_SECURITY_ROW_BAD] = "error",
  };

  g_return_if_fail (BEACON_IS_SECURITY_ROW (self));
  g_return_if_fail (status <= BEACON_SECURITY_ROW_BAD);

  const char *names[] = {
    [BEACON_SECURITY_ROW_UNKNOWN] = _("Not known yet"),
    [BEACON_SECURITY_ROW_GOOD] = _("Good"),
    [BEACON_SECURITY_ROW_WARNING] = _("Warning"),
    [BEACON_SECURITY_ROW_BAD] = _("Problem"),
  };

  gtk_widget_remove_css_class (self->status_icon, classes[self->status]);
  self->status = status;
  gtk_image_set_from_icon_name (GTK_IMAGE (self->status_icon), icons[status]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, names[status], -1);
  gtk_widget_add_css_class (self->status_icon, classes[status]);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle ? subtitle : "");
}

BeaconSecurityRowStatus
beacon_security_row_get_status (BeaconSecurityRow *self)
{
  g_return_val_if_fail (BEACON_IS_SECURITY_ROW (self), BEACON_SECURITY_ROW_UNKNOWN);
  return self->status;
}

void
beacon_security_row_add_value (BeaconSecurityRow *self,
                               const char        *key,
                               const char        *label)
{
  ValueRow *row;
  GtkWidget *list_row;
  GtkWidget *box;
  GtkWidget *text_box;
  GtkWidget *title;

  g_return_if_fail (BEACON_IS_SECURITY_ROW (self));
  g_return_if_fail (key != NULL && label != NULL);
  g_return_if_fail (!g_hash_table_contains (self->values, key));

  row = g_new0 (ValueRow, 1);

  title = gtk_label_new (label);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_widget_add_css_class (title, "dim-label");

  /* Raw values are long hex strings and URLs: wrap anywhere, and let them be selected. */
  row->value_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->value_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (row->value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (row->value_label), TRUE);
  gtk_widget_add_css_class (row->value_label, "monospace");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row->value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (text_box), title);
  gtk_box_append (GTK_BOX (text_box), row->value_label);

  row->copy_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (row->copy_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->copy_button, "flat");
  gtk_widget_set_tooltip_text (row->copy_button, _("Copy"));
  {
    /* Translators: %s is what is copied, such as "Fingerprint". */
    g_autofree char *accessible = g_strdup_printf (_("Copy %s"), label);

    gtk_accessible_update_property (GTK_ACCESSIBLE (row->copy_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }
  g_signal_connect (row->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), row);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_box_append (GTK_BOX (box), row->copy_button);

  list_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), list_row);

  g_hash_table_insert (self->values, g_strdup (key), row);
  beacon_security_row_set_value (self, key, NULL);
}

void
beacon_security_row_set_value (BeaconSecurityRow *self,
                               const char        *key,
                               const char        *value)
{
  ValueRow *row;

  g_return_if_fail (BEACON_IS_SECURITY_ROW (self));

  row = g_hash_table_lookup (self->values, key);
  g_return_if_fail (row != NULL);

  if (value != NULL && *value == '\0')
    value = NULL;
  if (row->value != NULL && g_strcmp0 (row->value, value) == 0)
    return;

  g_free (row->value);
  row->value = g_strdup (value);
  gtk_label_set_text (GTK_LABEL (row->value_label), value ? value : _("Not known yet"));
  gtk_widget_set_sensitive (row->copy_button, value != NULL);
}

const char *
beacon_security_row_get_value (BeaconSecurityRow *self,
                               const char        *key)
{
  ValueRow *row;

  g_return_val_if_fail (BEACON_IS_SECURITY_ROW (self), NULL);

  row = g_hash_table_lookup (self->values, key);
  return row ? row->value : NULL;
}

static void
beacon_security_row_finalize (GObject *object)
{
  BeaconSecurityRow *self = BEACON_SECURITY_ROW (object);

  g_hash_table_unref (self->values);

  G_OBJECT_CLASS (beacon_security_row_parent_class)->finalize (object);
}

static void
beacon_security_row_class_init (BeaconSecurityRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_security_row_finalize;
}

static void
beacon_security_row_init (BeaconSecurityRow *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, value_row_free);

  self->status_icon = gtk_image_new ();
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), self->status_icon);
  self->status = BEACON_SECURITY_ROW_UNKNOWN;
  beacon_security_row_set_status (self, BEACON_SECURITY_ROW_UNKNOWN, _("Not known yet"));
}

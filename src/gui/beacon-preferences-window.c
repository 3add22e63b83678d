/* beacon-preferences-window.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-preferences-window.h"

#include <glib/gi18n.h>

#include "beacon-token-store.h"
#include "beacon-turn-servers.h"

/* The dialects of the kind row, in its order. */
static const char * const dialects[] = { "direct", "gst", "janus", "whip", "whep" };

static const struct {
  int width;
  int height;
} resolutions[] = {
  { 640, 360 },
  { 1280, 720 },
  { 1920, 1080 },
};

struct _BeaconPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;

  AdwComboRow          *codec_row;
  AdwComboRow          *resolution_row;
  GtkSpinButton        *fps_spin;
  GtkSpinButton        *max_viewers_spin;
  AdwEntryRow          *listen_address_row;
  GtkSpinButton        *listen_port_spin;
  GtkListBox           *servers_list;
  AdwEntryRow          *server_name_row;
  AdwComboRow          *server_dialect_row;
  AdwEntryRow          *server_url_row;
  AdwPasswordEntryRow  *server_token_row;
  AdwEntryRow          *stun_row;
  GtkListBox           *turn_list;
  AdwEntryRow          *turn_entry_row;
  AdwPasswordEntryRow  *turn_password_row;
  GtkButton            *add_turn_button;
  GtkSwitch            *relay_only_switch;
  AdwActionRow         *relay_only_row;
  GtkSwitch            *upnp_switch;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BeaconPreferencesWindow, beacon_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (BeaconPreferencesWindow *self,
       const char              *title)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
}

static const char *
dialect_label (const char *dialect)
{
  if (g_strcmp0 (dialect, "direct") == 0)
    return _("Beacon (direct)");
  if (g_strcmp0 (dialect, "gst") == 0)
    return _("GStreamer WebRTC signalling");
  if (g_strcmp0 (dialect, "janus") == 0)
    return _("Janus");
  if (g_strcmp0 (dialect, "whip") == 0)
    return _("WHIP");
  if (g_strcmp0 (dialect, "whep") == 0)
    return _("WHEP");
  return dialect;
}

/* Codec and resolution */

static gboolean
codec_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "h264") == 0 ? 1 : 0);
  return TRUE;
}

static GVariant *
codec_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "h264" : "vp8");
}

static void
resolution_selected_cb (BeaconPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->resolution_row);

  if (selected >= G_N_ELEMENTS (resolutions))
    return;
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "default-width", resolutions[selected].width);
  g_settings_set_int (self->settings, "default-height", resolutions[selected].height);
  g_settings_apply (self->settings);
}

static void
load_resolution (BeaconPreferencesWindow *self)
{
  int width = g_settings_get_int (self->settings, "default-width");
  int height = g_settings_get_int (self->settings, "default-height");

  for (guint i = 0; i < G_N_ELEMENTS (resolutions); i++)
    if (resolutions[i].width == width && resolutions[i].height == height)
      adw_combo_row_set_selected (self->resolution_row, i);
}

/* Saved servers */

static void
secret_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_token_store_clear_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    g_message ("Could not remove a removed server's token or password from the keyring: %s",
               error->message);
}

static void
remove_server_clicked_cb (GtkButton               *button,
                          BeaconPreferencesWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "saved-servers");
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a(sss)"));
  const char *removed_url = NULL;

  for (guint i = 0; i < g_variant_n_children (servers); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (servers, i);

      if (i == index)
        g_variant_get (child, "(&s&s&s)", NULL, NULL, &removed_url);
      else
        g_variant_builder_add_value (builder, child);
    }
  if (removed_url != NULL)
    beacon_token_store_clear_async (BEACON_SECRET_SERVER_TOKEN, removed_url, NULL,
                                    secret_cleared_cb, NULL);
  g_settings_set_value (self->settings, "saved-servers", g_variant_builder_end (builder));
}

static void
reload_servers (BeaconPreferencesWindow *self)
{
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "saved-servers");
  GtkWidget *child;
  GVariantIter iter;
  const char *name;
  const char *dialect;
  const char *url;
  guint index = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->servers_list))) != NULL)
    gtk_list_box_remove (self->servers_list, child);

  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &dialect, &url))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", dialect_label (dialect), url);
      /* Translators: %s is the name of a saved server. */
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (index));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_server_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->servers_list, row);
      index++;
    }

  if (index == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No saved servers"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Direct broadcasts need none: Beacon is its own server"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->servers_list, row);
    }
}

static void
token_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BeaconPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!beacon_token_store_save_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is the keyring's error message. */
      g_autofree char *title = g_strdup_printf (_("The access token was not saved: %s"),
                                                error->message);

      toast (self, title);
    }
}

static gboolean
url_is_usable (const char *url)
{
  return g_str_has_prefix (url, "wss://") || g_str_has_prefix (url, "https://") ||
         g_str_has_prefix (url, "ws://") || g_str_has_prefix (url, "http://");
}

static void
add_server_clicked_cb (BeaconPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_name_row))));
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_url_row))));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->server_token_row));
  guint kind = adw_combo_row_get_selected (self->server_dialect_row);
  g_autoptr(GVariant) servers = NULL;
  g_autoptr(GVariantBuilder) builder = NULL;

  if (*name == '\0')
    {
      toast (self, _("Give the server a name"));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_name_row));
      return;
    }
  if (!url_is_usable (url))
    {
      toast (self, _("The address must start with wss://, https://, ws:// or http://"));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_url_row));
      return;
    }
  if (kind >= G_N_ELEMENTS (dialects))
    kind = 0;

  servers = g_settings_get_value (self->settings, "saved-servers");
  builder = g_variant_builder_new (G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < g_variant_n_children (servers); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (servers, i);

      g_variant_builder_add_value (builder, child);
    }
  g_variant_builder_add (builder, "(sss)", name, dialects[kind], url);
  g_settings_set_value (self->settings, "saved-servers", g_variant_builder_end (builder));

  if (*token != '\0')
    beacon_token_store_save_async (BEACON_SECRET_SERVER_TOKEN, url, name, token, self->cancellable,
                                   token_saved_cb, g_object_ref (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->server_token_row), "");
}

/* TURN servers */

static void
remove_turn_clicked_cb (GtkButton               *button,
                        BeaconPreferencesWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_auto(GStrv) servers = g_settings_get_strv (self->settings, "turn-servers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) remaining = NULL;

  for (guint i = 0; servers[i] != NULL; i++)
    if (i != index)
      g_strv_builder_add (builder, servers[i]);
    else
      {
        g_autofree char *password = NULL;
        g_autofree char *stripped = beacon_turn_servers_strip_password (servers[i], &password);

        /* Not tied to the window: the password goes even when the window closes first. */
        beacon_token_store_clear_async (BEACON_SECRET_TURN_PASSWORD, stripped, NULL,
                                        secret_cleared_cb, NULL);
      }
  remaining = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "turn-servers", (const char * const *) remaining);
}

static void
reload_turn (BeaconPreferencesWindow *self)
{
  g_auto(GStrv) servers = g_settings_get_strv (self->settings, "turn-servers");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->turn_list))) != NULL)
    gtk_list_box_remove (self->turn_list, child);

  for (guint i = 0; servers[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *password = NULL;
      /* An entry still waiting to be moved to the keyring is shown without its password too. */
      g_autofree char *shown = beacon_turn_servers_strip_password (servers[i], &password);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove this TURN server"), -1);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_turn_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->turn_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->turn_list), servers[0] != NULL);

  /* Relay only without a relay would leave every next session without a path: it needs a
   * TURN server, and goes off with the last one. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->relay_only_row), servers[0] != NULL);
  adw_action_row_set_subtitle (self->relay_only_row,
                               servers[0] != NULL
                                 ? _("Send media only through the TURN servers, so the other "
                                     "side never learns your network address")
                                 : _("Add a TURN server above first: only a relay can carry "
                                     "the media then"));
  if (servers[0] == NULL && g_settings_get_boolean (self->settings, "relay-only"))
    g_settings_set_boolean (self->settings, "relay-only", FALSE);
}

/* Lists @url once, in place of an earlier entry for the same server. */
static void
add_turn_server (GSettings  *settings,
                 const char *url)
{
  g_auto(GStrv) servers = g_settings_get_strv (settings, "turn-servers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; servers[i] != NULL; i++)
    {
      g_autofree char *password = NULL;
      g_autofree char *stripped = beacon_turn_servers_strip_password (servers[i], &password);

      if (!g_str_equal (stripped, url))
        g_strv_builder_add (builder, servers[i]);
    }
  g_strv_builder_add (builder, url);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "turn-servers", (const char * const *) updated);
}

static void
clear_turn_form (BeaconPreferencesWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->turn_entry_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->turn_password_row), "");
}

/* A TURN server waiting for the keyring to take its password. */
typedef struct {
  BeaconPreferencesWindow *self;
  GSettings               *settings;
  char                    *url;
} TurnAddition;

static void
turn_addition_free (TurnAddition *addition)
{
  g_object_unref (addition->self);
  g_object_unref (addition->settings);
  g_free (addition->url);
  g_free (addition);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TurnAddition, turn_addition_free)

static void
turn_password_saved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TurnAddition) addition = user_data;
  BeaconPreferencesWindow *self = addition->self;
  g_autoptr(GError) error = NULL;
  /* A closed window has given up its widgets, but the server is still listed. */
  gboolean closed = g_cancellable_is_cancelled (self->cancellable);

  if (!closed)
    gtk_widget_set_sensitive (GTK_WIDGET (self->add_turn_button), TRUE);

  /* The server is listed only once the keyring has its password, so that it never starts
   * without one; the form keeps what was typed for another try. */
  if (!beacon_token_store_save_finish (result, &error))
    {
      if (closed)
        return;

      /* Translators: %s is the keyring's error message. */
      g_autofree char *title = g_strdup_printf (_("The TURN server was not added, because the "
                                                  "keyring did not take its password: %s"),
                                                error->message);

      toast (self, title);
      return;
    }
  add_turn_server (addition->settings, addition->url);
  if (!closed)
    clear_turn_form (self);
}

static void
add_turn_clicked_cb (BeaconPreferencesWindow *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->turn_entry_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->turn_password_row));
  g_autofree char *typed_password = NULL;
  g_autofree char *url = NULL;
  g_autofree char *with_password = NULL;
  TurnAddition *addition;

  if (!beacon_turn_servers_is_turn_url (typed))
    {
      toast (self, _("A TURN server is written turn://user@host:3478 or "
                     "turns://user@host:5349"));
      gtk_widget_grab_focus (GTK_WIDGET (self->turn_entry_row));
      return;
    }

  /* A password typed into the address, as earlier versions asked, is taken from there. */
  url = beacon_turn_servers_strip_password (typed, &typed_password);
  if (typed_password != NULL && *password != '\0' && !g_str_equal (typed_password, password))
    {
      toast (self, _("The address and the password field give two different passwords"));
      return;
    }
  if (typed_password != NULL)
    password = typed_password;

  if (*password == '\0')
    {
      add_turn_server (self->settings, url);
      clear_turn_form (self);
      return;
    }
  /* Only to check that the address names a user: the password is never written into it. */
  with_password = beacon_turn_servers_add_password (url, password);
  if (with_password == NULL)
    {
      toast (self, _("A TURN server with a password needs a user name: "
                     "turn://user@host:3478"));
      gtk_widget_grab_focus (GTK_WIDGET (self->turn_entry_row));
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_turn_button), FALSE);
  addition = g_new0 (TurnAddition, 1);
  addition->self = g_object_ref (self);
  addition->settings = g_object_ref (self->settings);
  addition->url = g_steal_pointer (&url);
  /* Not cancelled with the window: a password the keyring took belongs to a listed server. */
  beacon_token_store_save_async (BEACON_SECRET_TURN_PASSWORD, addition->url, NULL, password, NULL,
                                 turn_password_saved_cb, addition);
}

/* Construction */

BeaconPreferencesWindow *
beacon_preferences_window_new (GtkWindow *parent,
                               GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (BEACON_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}

static void
beacon_preferences_window_constructed (GObject *object)
{
  BeaconPreferencesWindow *self = BEACON_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (beacon_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "default-codec", self->codec_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, codec_get_mapping, codec_set_mapping,
                                NULL, NULL);
  load_resolution (self);
  g_signal_connect_object (self->resolution_row, "notify::selected",
                           G_CALLBACK (resolution_selected_cb), self, G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "default-fps", self->fps_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-viewers", self->max_viewers_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "listen-address", self->listen_address_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "listen-port", self->listen_port_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "stun-server", self->stun_row, "text",
                   G_SETTINGS_BIND_DEFAULT);

  g_settings_bind (self->settings, "relay-only", self->relay_only_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "upnp", self->upnp_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::saved-servers",
                           G_CALLBACK (reload_servers), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::turn-servers",
                           G_CALLBACK (reload_turn), self, G_CONNECT_SWAPPED);
  reload_servers (self);
  reload_turn (self);

  if (!beacon_token_store_is_available ())
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->server_token_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->turn_password_row), FALSE);
    }
}

static void
beacon_preferences_window_dispose (GObject *object)
{
  BeaconPreferencesWindow *self = BEACON_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (beacon_preferences_window_parent_class)->dispose (object);
}

static void
beacon_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BeaconPreferencesWindow *self = BEACON_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_preferences_window_class_init (BeaconPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = beacon_preferences_window_constructed;
  object_class->dispose = beacon_preferences_window_dispose;
  object_class->set_property = beacon_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beaconrtc/Beacon/ui/beacon-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, codec_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, fps_spin);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, max_viewers_spin);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, listen_address_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, listen_port_spin);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, servers_list);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, server_name_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, server_dialect_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, server_token_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, stun_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, turn_list);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, turn_entry_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, turn_password_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, add_turn_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, relay_only_switch);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, relay_only_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, upnp_switch);
  gtk_widget_class_bind_template_callback (widget_class, add_server_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_turn_clicked_cb);
}

static void
beacon_preferences_window_init (BeaconPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

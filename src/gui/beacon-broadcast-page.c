/* beacon-broadcast-page.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-broadcast-page.h"

#include <glib/gi18n.h>

#include "beacon-camera-preview.h"
#include "beacon-device-monitor.h"
#include "beacon-enums.h"
#include "beacon-gui-util.h"
#include "beacon-local-addresses.h"
#include "beacon-share-dialog.h"
#include "beacon-token-store.h"
#include "beacon-turn-servers.h"

/* The resolutions the quality row offers, in its order. */
static const struct {
  guint width;
  guint height;
} resolutions[] = {
  { 640, 360 },
  { 1280, 720 },
  { 1920, 1080 },
};

struct _BeaconBroadcastPage
{
  AdwBin                parent_instance;

  BeaconSession        *session;
  BeaconDeviceMonitor  *devices;
  BeaconVideoPaintable *preview;
  BeaconCameraPreview  *camera_preview;  /* the picture before going live */
  GstDevice            *previewed_camera; /* what it shows; NULL: the test pattern */
  GSettings            *settings;
  GtkStringObject      *test_pattern;
  GtkStringObject      *automatic_microphone;
  GtkStringList        *destinations;
  GVariant             *saved_servers;   /* a(sss): the destinations after "Direct" */
  GCancellable         *cancellable;
  guint                 elapsed_timer;
  gint64                live_since_us;

  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkWidget            *error_preferences_button;
  GtkWidget            *error_free_port_button;
  GtkStack             *preview_stack;
  AdwStatusPage        *preview_placeholder;
  GtkPicture           *preview_picture;
  GtkWidget            *live_badge;
  GtkButton            *go_live_button;
  guint                 focus_timer;
  AdwPreferencesGroup  *live_group;
  GtkWidget            *viewers_group;
  GtkListBox           *viewers_list;
  AdwActionRow         *share_row;
  AdwComboRow          *address_row;
  GtkStringList        *address_names;  /* "Automatic", then one per address */
  GPtrArray            *addresses;      /* BeaconLocalAddress, the rows after "Automatic" */
  BeaconShareDialog    *share_dialog;   /* weak */
  AdwActionRow         *reach_row;
  GtkImage             *reach_icon;
  GtkLabel             *state_label;
  GtkLabel             *elapsed_label;
  GtkLabel             *viewers_label;
  GtkLabel             *bitrate_label;
  GtkWidget            *source_group;
  AdwComboRow          *camera_row;
  AdwComboRow          *microphone_row;
  GtkWidget            *destination_group;
  AdwComboRow          *destination_row;
  AdwEntryRow          *stream_name_row;
  GtkWidget            *quality_group;
  AdwComboRow          *resolution_row;
  AdwComboRow          *codec_row;
};

G_DEFINE_FINAL_TYPE (BeaconBroadcastPage, beacon_broadcast_page, ADW_TYPE_BIN)

static void update_camera_preview (BeaconBroadcastPage *self);

/* Devices and the entries that stand in for them */

static char *
source_item_name (GObject *item)
{
  if (GST_IS_DEVICE (item))
    return gst_device_get_display_name (GST_DEVICE (item));
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  return g_strdup ("");
}

static GListModel *
devices_with_extra (GListModel      *devices,
                    GtkStringObject *extra,
                    gboolean         extra_first)
{
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) extras = g_list_store_new (GTK_TYPE_STRING_OBJECT);

  g_list_store_append (extras, extra);
  if (extra_first)
    g_list_store_append (parts, extras);
  g_list_store_append (parts, devices);
  if (!extra_first)
    g_list_store_append (parts, extras);
  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

static GstDevice *
selected_device (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);

  return GST_IS_DEVICE (item) ? GST_DEVICE (item) : NULL;
}

static void
camera_selected_cb (BeaconBroadcastPage *self)
{
  gboolean has_camera = selected_device (self->camera_row) != NULL;

  /* The test pattern brings its own test tone. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->microphone_row), has_camera);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->microphone_row),
                               has_camera ? "" : _("The test pattern comes with a test tone"));
}

/* Saved servers as destinations */

static void
reload_destinations (BeaconBroadcastPage *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GVariantIter iter;
  const char *name;
  const char *dialect;
  const char *url;

  g_clear_pointer (&self->saved_servers, g_variant_unref);
  if (self->settings != NULL)
    self->saved_servers = g_settings_get_value (self->settings, "saved-servers");

  g_ptr_array_add (names, (gpointer) _("Direct (built-in server)"));
  if (self->saved_servers != NULL)
    {
      g_variant_iter_init (&iter, self->saved_servers);
      while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &dialect, &url))
        g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->destinations, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->destinations)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->destination_row, 0);
}

/* Session state */

static void
update_elapsed (BeaconBroadcastPage *self)
{
  gint64 seconds = self->live_since_us > 0
                     ? (g_get_monotonic_time () - self->live_since_us) / G_USEC_PER_SEC : 0;
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                                           (int) (seconds / 60 % 60), (int) (seconds % 60));

  gtk_label_set_text (self->elapsed_label, text);
}

static const char *state_description (BeaconSessionState state);

/* The state line says "Reconnecting… N s" while the signaling is tried again: the viewers
 * already connected keep receiving meanwhile. */
static void
update_reconnecting (BeaconBroadcastPage *self)
{
  g_autofree char *text = beacon_session_dup_reconnecting_text (self->session);
  const char *state_text = state_description (beacon_session_get_state (self->session));

  gtk_label_set_text (self->state_label, text ? text : state_text);
}

static gboolean
elapsed_tick_cb (gpointer user_data)
{
  update_elapsed (user_data);
  update_reconnecting (user_data);
  return G_SOURCE_CONTINUE;
}

/* Who can open @url, from the address it names: people only reach what the link says. */
static void
update_reach (BeaconBroadcastPage *self,
              const char          *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  const char *text;
  gboolean warn = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->reach_row), host != NULL);
  if (host == NULL)
    return;
  address = g_inet_address_new_from_string (host);
  if (address != NULL && g_inet_address_get_is_loopback (address) &&
      gtk_widget_get_visible (GTK_WIDGET (self->address_row)) && self->addresses != NULL &&
      self->addresses->len > 1)
    {
      text = _("Only this computer: the link names a loopback address, which no other "
               "computer can reach. Choose a network address as Address in Link to share it.");
      warn = TRUE;
    }
  else if (address != NULL && g_inet_address_get_is_loopback (address))
    {
      text = _("Only this computer: the link names a loopback address, which no other "
               "computer can reach. Set a network address (or none) as Listen Address in "
               "Preferences to share it.");
      warn = TRUE;
    }
  else if (address != NULL && (g_inet_address_get_is_site_local (address) ||
                               g_inet_address_get_is_link_local (address)))
    text = _("People on this network. From the internet, a broadcast reaches people through a "
             "media server: choose one as Destination (Janus or a WHIP service).");
  else
    text = _("Anyone who can reach this address, unless a firewall or router blocks the port.");
  adw_action_row_set_subtitle (self->reach_row, text);
  gtk_image_set_from_icon_name (self->reach_icon, warn ? "dialog-warning-symbolic"
                                                       : "network-workgroup-symbolic");
  if (warn)
    gtk_widget_add_css_class (GTK_WIDGET (self->reach_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->reach_icon), "warning");
}

static void
update_share_url (BeaconBroadcastPage *self)
{
  const char *url = beacon_session_get_share_url (self->session);
  gboolean live = beacon_session_get_state (self->session) == BEACON_SESSION_STATE_LIVE;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->share_row), url && live ? url : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "broadcast.copy-link", url != NULL && live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "broadcast.show-link", url != NULL && live);
  update_reach (self, url && live ? url : NULL);
  if (self->share_dialog != NULL)
    {
      if (url != NULL && live)
        beacon_share_dialog_set_url (self->share_dialog, url);
      else
        gtk_window_close (GTK_WINDOW (self->share_dialog));
    }
}

/* The address choice, for a direct broadcast listening on every interface (a server bound to
 * one address can only be reached on that one): filled again each time the broadcast goes
 * live, since addresses come and go with networks. */
static gboolean
listens_on_every_address (BeaconBroadcastPage *self)
{
  g_autofree char *bind_address = self->settings
                                    ? g_settings_get_string (self->settings, "listen-address")
                                    : g_strdup ("");

  return adw_combo_row_get_selected (self->destination_row) == 0 &&
         (*bind_address == '\0' || g_str_equal (bind_address, "0.0.0.0") ||
          g_str_equal (bind_address, "::"));
}

static void
fill_addresses (BeaconBroadcastPage *self)
{
  g_autofree char *link_host = NULL;
  guint selected = 0;

  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  self->addresses = beacon_local_addresses_list ();
  g_object_get (self->session, "link-host", &link_host, NULL);
  gtk_string_list_splice (self->address_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->address_names)), NULL);
  gtk_string_list_append (self->address_names, _("Automatic"));
  for (guint i = 0; i < self->addresses->len; i++)
    {
      BeaconLocalAddress *address = g_ptr_array_index (self->addresses, i);
      g_autofree char *name = g_strdup_printf ("%s (%s)", address->address, address->interface);

      gtk_string_list_append (self->address_names, name);
      if (g_strcmp0 (link_host, address->address) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->address_row, selected);
}

static void
address_selected_cb (BeaconBroadcastPage *self)
{
  guint selected = adw_combo_row_get_selected (self->address_row);
  const char *host = NULL;

  if (self->addresses == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (selected > 0 && selected <= self->addresses->len)
    host = ((BeaconLocalAddress *) g_ptr_array_index (self->addresses, selected - 1))->address;
  beacon_session_set_link_host (self->session, host);
}

static void
update_viewers (BeaconBroadcastPage *self)
{
  g_autofree char *text = g_strdup_printf ("%u", beacon_session_get_viewer_count (self->session));

  gtk_label_set_text (self->viewers_label, text);
}

static void
update_bitrate (BeaconBroadcastPage *self)
{
  guint kbps = 0;
  g_autofree char *text = NULL;

  g_object_get (self->session, "bitrate-kbps", &kbps, NULL);
  text = beacon_format_bitrate (kbps);
  gtk_label_set_text (self->bitrate_label, text);
}

/* One row per viewer, in the order they came: its address, and its health in the subtitle,
 * rewritten after each answer of its statistics (about once a second). */
static void
update_viewer_row (AdwActionRow     *row,
                   BeaconPeerHealth *health)
{
  const char *address = beacon_peer_health_get_address (health);
  g_autofree char *summary = beacon_health_dup_summary (health);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 address != NULL ? address : _("Viewer connecting"));
  adw_action_row_set_subtitle (row, summary);
}

static GtkWidget *
create_viewer_row (gpointer item,
                   gpointer user_data)
{
  BeaconPeerHealth *health = BEACON_PEER_HEALTH (item);
  GtkWidget *row = adw_action_row_new ();

  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "avatar-default-symbolic");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  /* Information only: not a tab stop. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "numeric");
  update_viewer_row (ADW_ACTION_ROW (row), health);
  g_signal_connect_object (health, "changed", G_CALLBACK (update_viewer_row), row,
                           G_CONNECT_SWAPPED);
  return row;
}

/* From Go Live until the session has fully stopped: its settings must not change meanwhile.
 * Publishing to a media server passes through NEGOTIATING (and CONNECTED) before LIVE. */
static gboolean
state_is_running (BeaconSessionState state)
{
  switch (state)
    {
    case BEACON_SESSION_STATE_CONNECTING:
    case BEACON_SESSION_STATE_NEGOTIATING:
    case BEACON_SESSION_STATE_CONNECTED:
    case BEACON_SESSION_STATE_LIVE:
    case BEACON_SESSION_STATE_CLOSING:
      return TRUE;
    case BEACON_SESSION_STATE_IDLE:
    case BEACON_SESSION_STATE_WATCHING:
    case BEACON_SESSION_STATE_ENDED:
    case BEACON_SESSION_STATE_FAILED:
    default:
      return FALSE;
    }
}

static const char *
state_description (BeaconSessionState state)
{
  switch (state)
    {
    case BEACON_SESSION_STATE_CONNECTING:
    case BEACON_SESSION_STATE_NEGOTIATING:
    case BEACON_SESSION_STATE_CONNECTED:
      return _("Starting");
    case BEACON_SESSION_STATE_LIVE:
      return _("On the air");
    case BEACON_SESSION_STATE_CLOSING:
      return _("Stopping");
    case BEACON_SESSION_STATE_FAILED:
      return _("Failed");
    case BEACON_SESSION_STATE_IDLE:
    case BEACON_SESSION_STATE_ENDED:
    case BEACON_SESSION_STATE_WATCHING:
    default:
      return _("Not broadcasting");
    }
}

static void
set_button (BeaconBroadcastPage *self,
            const char          *label,
            const char          *style,
            gboolean             sensitive)
{
  GtkWidget *button = GTK_WIDGET (self->go_live_button);

  gtk_button_set_label (self->go_live_button, label);
  gtk_widget_remove_css_class (button, "suggested-action");
  gtk_widget_remove_css_class (button, "destructive-action");
  gtk_widget_add_css_class (button, style);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "broadcast.go-live", sensitive);
}

static void
show_failure (BeaconBroadcastPage *self)
{
  const GError *error = beacon_session_get_error (self->session);
  g_autofree char *message = beacon_error_dup_display_message (error);
  gboolean port_in_use = g_error_matches (error, BEACON_DIRECT_SERVER_ERROR,
                                          BEACON_DIRECT_SERVER_ERROR_PORT_IN_USE);
  gboolean listen_failed = g_error_matches (error, BEACON_DIRECT_SERVER_ERROR,
                                            BEACON_DIRECT_SERVER_ERROR_LISTEN);

  if (*message == '\0')
    {
      g_free (message);
      message = g_strdup (_("The broadcast failed for an unknown reason."));
    }

  /* Said once, in the banner, with only the buttons that help with this error. */
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (self->error_free_port_button, port_in_use && self->settings != NULL);
  gtk_widget_set_visible (self->error_preferences_button, port_in_use || listen_failed);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

/* A port another program holds: another one, free now, from then on (the link changes). */
static void
use_free_port_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BeaconBroadcastPage *self = BEACON_BROADCAST_PAGE (widget);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port;

  if (self->settings == NULL)
    return;
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  if (port == 0)
    return;
  g_settings_set_int (self->settings, "listen-port", port);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  gtk_widget_activate_action (widget, "broadcast.go-live", NULL);
}

static gboolean
focus_go_live_cb (gpointer user_data)
{
  BeaconBroadcastPage *self = user_data;

  self->focus_timer = 0;
  gtk_widget_grab_focus (GTK_WIDGET (self->go_live_button));
  return G_SOURCE_REMOVE;
}

static void
state_changed_cb (BeaconBroadcastPage *self)
{
  BeaconSessionState state = beacon_session_get_state (self->session);
  gboolean running = state_is_running (state);

  gtk_label_set_text (self->state_label, state_description (state));
  update_reconnecting (self);
  gtk_widget_set_sensitive (self->source_group, !running);
  gtk_widget_set_sensitive (self->destination_group, !running);
  gtk_widget_set_sensitive (self->quality_group, !running);
  gtk_widget_set_visible (GTK_WIDGET (self->live_group), state == BEACON_SESSION_STATE_LIVE);
  gtk_widget_set_visible (self->viewers_group, state == BEACON_SESSION_STATE_LIVE);
  gtk_widget_set_visible (self->live_badge, state == BEACON_SESSION_STATE_LIVE);
  if (state == BEACON_SESSION_STATE_LIVE && !gtk_widget_get_visible (GTK_WIDGET (self->address_row)) &&
      listens_on_every_address (self))
    {
      fill_addresses (self);
      gtk_widget_set_visible (GTK_WIDGET (self->address_row), TRUE);
    }
  else if (state != BEACON_SESSION_STATE_LIVE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->address_row), FALSE);
    }

  switch (state)
    {
    case BEACON_SESSION_STATE_CONNECTING:
    case BEACON_SESSION_STATE_NEGOTIATING:
    case BEACON_SESSION_STATE_CONNECTED:
      set_button (self, _("_Cancel"), "destructive-action", TRUE);
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      break;
    case BEACON_SESSION_STATE_LIVE:
      set_button (self, _("_Stop Broadcast"), "destructive-action", TRUE);
      if (self->elapsed_timer == 0)
        {
          self->live_since_us = g_get_monotonic_time ();
          self->elapsed_timer = g_timeout_add_seconds (1, elapsed_tick_cb, self);
        }
      break;
    case BEACON_SESSION_STATE_CLOSING:
      set_button (self, _("Stopping…"), "destructive-action", FALSE);
      break;
    case BEACON_SESSION_STATE_FAILED:
    case BEACON_SESSION_STATE_IDLE:
    case BEACON_SESSION_STATE_ENDED:
    default:
      /* A camera that cannot even show its picture cannot be broadcast. */
      set_button (self, _("_Go Live"), "suggested-action",
                  beacon_camera_preview_get_error (self->camera_preview) == NULL);
      break;
    }
  /* What was hidden above took the focus with it (and the button itself while "Stopping…"):
   * it goes to the main action instead of nowhere. */
  if (!running)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

      /* (The copy button loses it already when its action goes off with the link, to the
       * page's scrolled window: a container of what was hidden.) */
      if ((focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->live_group)) ||
           gtk_widget_is_ancestor (focus, self->viewers_group) ||
           gtk_widget_is_ancestor (GTK_WIDGET (self->live_group), focus)) &&
          self->focus_timer == 0)
        /* Once the button follows its action again (it is insensitive while stopping). */
        self->focus_timer = g_timeout_add (100, focus_go_live_cb, self);
    }

  if (state != BEACON_SESSION_STATE_LIVE)
    {
      g_clear_handle_id (&self->elapsed_timer, g_source_remove);
      self->live_since_us = 0;
    }
  if (!running && self->preview != NULL && !beacon_camera_preview_get_running (self->camera_preview))
    {
      beacon_video_paintable_clear (self->preview);
      gtk_stack_set_visible_child_name (self->preview_stack, "placeholder");
    }
  update_camera_preview (self);

  update_elapsed (self);
  update_share_url (self);
  update_viewers (self);

  if (state == BEACON_SESSION_STATE_FAILED)
    show_failure (self);
}

static void
preview_frame_cb (BeaconBroadcastPage *self)
{
  if (beacon_video_paintable_get_frames_shown (self->preview) > 0)
    gtk_stack_set_visible_child_name (self->preview_stack, "video");
}

/* A new sink for every pipeline, the camera preview's or a broadcast's: the previous one may
 * still hold the old sink. */
static void
replace_paintable (BeaconBroadcastPage *self)
{
  if (self->preview != NULL)
    g_signal_handlers_disconnect_by_data (self->preview, self);
  g_clear_object (&self->preview);

  self->preview = beacon_video_paintable_new ();
  g_signal_connect_object (self->preview, "notify::frames-shown",
                           G_CALLBACK (preview_frame_cb), self, G_CONNECT_SWAPPED);
  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (self->preview));
}

static void
show_preview_placeholder (BeaconBroadcastPage *self)
{
  const GError *error = beacon_camera_preview_get_error (self->camera_preview);

  if (error != NULL)
    {
      g_autofree char *description =
        /* The reason is GStreamer's sentence, in its words. */
        g_strdup_printf (_("%s Choose another camera or the test pattern."), error->message);

      adw_status_page_set_icon_name (self->preview_placeholder, "camera-disabled-symbolic");
      adw_status_page_set_title (self->preview_placeholder, _("Camera Unavailable"));
      adw_status_page_set_description (self->preview_placeholder, description);
    }
  else
    {
      adw_status_page_set_icon_name (self->preview_placeholder, "camera-web-symbolic");
      adw_status_page_set_title (self->preview_placeholder, _("Preview"));
      adw_status_page_set_description (self->preview_placeholder,
                                       _("The picture of the chosen camera appears here."));
    }
  if (self->preview != NULL)
    beacon_video_paintable_clear (self->preview);
  gtk_stack_set_visible_child_name (self->preview_stack, "placeholder");
}

/* The chosen camera's picture shows whenever the page does and no broadcast holds the camera:
 * started when the page is mapped, the camera changes or a broadcast has fully stopped;
 * stopped (the camera released) before going live and when the page is hidden. */
static void
update_camera_preview (BeaconBroadcastPage *self)
{
  g_autoptr(GError) error = NULL;

  /* (Disposing: the page is unmapped after its session is gone.) */
  if (self->session == NULL || self->camera_preview == NULL)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      state_is_running (beacon_session_get_state (self->session)))
    {
      beacon_camera_preview_stop (self->camera_preview);
      return;
    }
  /* Already showing it: a state change that keeps the broadcast off restarts nothing. */
  if (beacon_camera_preview_get_running (self->camera_preview) &&
      self->previewed_camera == selected_device (self->camera_row))
    return;
  g_set_object (&self->previewed_camera, selected_device (self->camera_row));
  replace_paintable (self);
  if (!beacon_camera_preview_start (self->camera_preview, self->previewed_camera,
                                    beacon_video_paintable_get_sink (self->preview), &error))
    g_message ("No preview: %s", error->message);
}

static void
camera_preview_error_cb (BeaconBroadcastPage *self)
{
  show_preview_placeholder (self);
  /* The Go Live button follows whether the camera works (state_changed_cb () says the same). */
  if (!state_is_running (beacon_session_get_state (self->session)))
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "broadcast.go-live",
                                   beacon_camera_preview_get_error (self->camera_preview) == NULL);
}

/* Going live */

static void
new_preview (BeaconBroadcastPage *self)
{
  replace_paintable (self);
  g_object_set (self->session,
                "preview-sink", beacon_video_paintable_get_sink (self->preview),
                NULL);
}

static void
apply_settings (BeaconBroadcastPage *self)
{
  GstDevice *camera = selected_device (self->camera_row);
  GstDevice *microphone = camera ? selected_device (self->microphone_row) : NULL;
  guint resolution = adw_combo_row_get_selected (self->resolution_row);
  BeaconCodec codec = adw_combo_row_get_selected (self->codec_row) == 1 ? BEACON_CODEC_H264
                                                                        : BEACON_CODEC_VP8;
  const char *stream_name = gtk_editable_get_text (GTK_EDITABLE (self->stream_name_row));

  if (resolution >= G_N_ELEMENTS (resolutions))
    resolution = 1;

  g_object_set (self->session,
                "source", camera ? BEACON_SOURCE_CAMERA : BEACON_SOURCE_TEST,
                "codec", codec,
                "width", resolutions[resolution].width,
                "height", resolutions[resolution].height,
                "camera", camera,
                "microphone", microphone,
                "stream-name", beacon_text_or_null (stream_name),
                NULL);

  if (self->settings != NULL)
    {
      g_autofree char *bind_address = g_settings_get_string (self->settings, "listen-address");
      g_autofree char *stun_server = g_settings_get_string (self->settings, "stun-server");

      g_object_set (self->session,
                    "fps", (guint) g_settings_get_int (self->settings, "default-fps"),
                    "port", (guint) g_settings_get_int (self->settings, "listen-port"),
                    "max-viewers", (guint) g_settings_get_int (self->settings, "max-viewers"),
                    "bind-address", beacon_text_or_null (bind_address),
                    "stun-server", beacon_text_or_null (stun_server),
                    "relay-only", g_settings_get_boolean (self->settings, "relay-only"),
                    "upnp", g_settings_get_boolean (self->settings, "upnp"),
                    NULL);
    }

  new_preview (self);
}

static void
start_session (BeaconBroadcastPage *self)
{
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  beacon_session_start (self->session);
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BeaconBroadcastPage *self = user_data;
  g_autofree char *token = NULL;

  if (!beacon_token_lookup_finish_for_start (result, GTK_WIDGET (self), &token))
    return;
  g_object_set (self->session, "token", beacon_text_or_null (token), NULL);
  start_session (self);
}

static void
go_live_to_destination (BeaconBroadcastPage *self)
{
  guint destination = adw_combo_row_get_selected (self->destination_row);

  if (destination == 0 || self->saved_servers == NULL ||
      destination > g_variant_n_children (self->saved_servers))
    {
      g_object_set (self->session, "dialect", "direct", "token", NULL, NULL);
      start_session (self);
      return;
    }

  {
    const char *name;
    const char *dialect;
    const char *url;

    g_variant_get_child (self->saved_servers, destination - 1, "(&s&s&s)", &name, &dialect, &url);
    g_object_set (self->session,
                  "dialect", beacon_text_or_null (dialect),
                  "url", beacon_text_or_null (url),
                  NULL);
    g_cancellable_cancel (self->cancellable);
    g_set_object (&self->cancellable, g_cancellable_new ());
    beacon_token_store_lookup_async (BEACON_SECRET_SERVER_TOKEN, url, self->cancellable,
                                     token_looked_up_cb, self);
  }
}

static void
turn_servers_handed_over_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  BeaconBroadcastPage *self = user_data;

  /* Fails only when cancelled: by a newer start or by the page going away. */
  if (beacon_turn_servers_hand_over_finish (result, NULL))
    go_live_to_destination (self);
}

static void
go_live (BeaconBroadcastPage *self)
{
  /* The broadcast opens the camera itself: most cameras have one reader at a time. */
  beacon_camera_preview_stop (self->camera_preview);
  apply_settings (self);

  if (self->settings == NULL || beacon_turn_servers_hand_over_now (self->settings, self->session))
    {
      go_live_to_destination (self);
      return;
    }
  /* The passwords of the TURN servers come from the keyring, only for this start. */
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  beacon_turn_servers_hand_over_async (self->settings, self->session, GTK_WIDGET (self),
                                       self->cancellable, turn_servers_handed_over_cb, self);
}

static void
go_live_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BeaconBroadcastPage *self = BEACON_BROADCAST_PAGE (widget);
  BeaconSessionState state = beacon_session_get_state (self->session);

  if (state == BEACON_SESSION_STATE_CLOSING)
    return;
  if (state_is_running (state))
    beacon_session_stop (self->session);
  else
    go_live (self);
}

static void
copy_link_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BeaconBroadcastPage *self = BEACON_BROADCAST_PAGE (widget);
  const char *url = beacon_session_get_share_url (self->session);

  if (url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  beacon_widget_add_toast (GTK_WIDGET (self), adw_toast_new (_("Link copied")));
}

static void
show_link_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BeaconBroadcastPage *self = BEACON_BROADCAST_PAGE (widget);
  const char *url = beacon_session_get_share_url (self->session);

  if (url == NULL)
    return;
  if (self->share_dialog == NULL)
    {
      self->share_dialog = beacon_share_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                    url);
      g_object_add_weak_pointer (G_OBJECT (self->share_dialog),
                                 (gpointer *) &self->share_dialog);
    }
  gtk_window_present (GTK_WINDOW (self->share_dialog));
}

static void
dismiss_error_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (BEACON_BROADCAST_PAGE (widget)->error_revealer, FALSE);
}

/* Construction */

GtkWidget *
beacon_broadcast_page_new (void)
{
  return g_object_new (BEACON_TYPE_BROADCAST_PAGE, NULL);
}

BeaconSession *
beacon_broadcast_page_get_session (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return self->session;
}

BeaconVideoPaintable *
beacon_broadcast_page_get_preview (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return self->preview;
}

BeaconCameraPreview *
beacon_broadcast_page_get_camera_preview (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return self->camera_preview;
}

const char *
beacon_broadcast_page_get_shown_preview (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->preview_stack);
}

void
beacon_broadcast_page_select_test_pattern (BeaconBroadcastPage *self)
{
  GListModel *model;
  guint n_items;

  g_return_if_fail (BEACON_IS_BROADCAST_PAGE (self));

  /* The test pattern is the last entry of the camera row. */
  model = adw_combo_row_get_model (self->camera_row);
  n_items = g_list_model_get_n_items (model);
  if (n_items > 0)
    adw_combo_row_set_selected (self->camera_row, n_items - 1);
}

const char *
beacon_broadcast_page_get_shown_error (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

const char *
beacon_broadcast_page_get_shown_reach (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->reach_row)))
    return NULL;
  return adw_action_row_get_subtitle (self->reach_row);
}

const char *
beacon_broadcast_page_get_shown_link (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (self->share_row));
}

const char *
beacon_broadcast_page_get_shown_viewers (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return gtk_label_get_text (self->viewers_label);
}

GtkListBox *
beacon_broadcast_page_get_viewer_list (BeaconBroadcastPage *self)
{
  g_return_val_if_fail (BEACON_IS_BROADCAST_PAGE (self), NULL);
  return self->viewers_list;
}

static void
load_defaults (BeaconBroadcastPage *self)
{
  g_autofree char *codec = NULL;
  int width;
  int height;

  if (self->settings == NULL)
    {
      adw_combo_row_set_selected (self->resolution_row, 1);
      return;
    }

  codec = g_settings_get_string (self->settings, "default-codec");
  adw_combo_row_set_selected (self->codec_row, g_strcmp0 (codec, "h264") == 0 ? 1 : 0);

  width = g_settings_get_int (self->settings, "default-width");
  height = g_settings_get_int (self->settings, "default-height");
  adw_combo_row_set_selected (self->resolution_row, 1);
  for (guint i = 0; i < G_N_ELEMENTS (resolutions); i++)
    if (resolutions[i].width == (guint) width && resolutions[i].height == (guint) height)
      adw_combo_row_set_selected (self->resolution_row, i);
}

static void
beacon_broadcast_page_dispose (GObject *object)
{
  BeaconBroadcastPage *self = BEACON_BROADCAST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->elapsed_timer, g_source_remove);
  g_clear_handle_id (&self->focus_timer, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      beacon_session_stop (self->session);
      g_clear_object (&self->session);
    }
  g_clear_object (&self->devices);
  if (self->camera_preview != NULL)
    g_signal_handlers_disconnect_by_data (self->camera_preview, self);
  g_clear_object (&self->camera_preview);
  g_clear_object (&self->previewed_camera);
  g_clear_object (&self->preview);
  g_clear_object (&self->settings);
  g_clear_object (&self->test_pattern);
  g_clear_object (&self->automatic_microphone);
  g_clear_pointer (&self->saved_servers, g_variant_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_BROADCAST_PAGE);

  G_OBJECT_CLASS (beacon_broadcast_page_parent_class)->dispose (object);
}

static void
beacon_broadcast_page_class_init (BeaconBroadcastPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_broadcast_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beaconrtc/Beacon/ui/beacon-broadcast-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, error_preferences_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, error_free_port_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, preview_placeholder);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, live_badge);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, go_live_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, live_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, viewers_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, viewers_list);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, share_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, reach_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, reach_icon);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, viewers_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, bitrate_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, source_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, camera_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, destination_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, destination_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, stream_name_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, quality_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBroadcastPage, codec_row);

  gtk_widget_class_install_action (widget_class, "broadcast.go-live", NULL, go_live_activated);
  gtk_widget_class_install_action (widget_class, "broadcast.copy-link", NULL, copy_link_activated);
  gtk_widget_class_install_action (widget_class, "broadcast.show-link", NULL, show_link_activated);
  gtk_widget_class_install_action (widget_class, "broadcast.dismiss-error", NULL,
                                   dismiss_error_activated);
  gtk_widget_class_install_action (widget_class, "broadcast.use-free-port", NULL,
                                   use_free_port_activated);
}

/* The cameras arrive after the page is shown, placed before the test pattern: the first
 * one is chosen, as it would have been had it been listed at once, unless the user picked
 * something else meanwhile. */
static void
devices_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  BeaconBroadcastPage *self;

  if (!beacon_device_monitor_start_finish (BEACON_DEVICE_MONITOR (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cameras and microphones cannot be listed: %s", error->message);
      return;
    }
  /* Not cancelled, so the page is alive: dispose cancels self->cancellable. */
  self = BEACON_BROADCAST_PAGE (user_data);
  if (adw_combo_row_get_selected_item (self->camera_row) == (gpointer) self->test_pattern)
    adw_combo_row_set_selected (self->camera_row, 0);
}

static void
beacon_broadcast_page_init (BeaconBroadcastPage *self)
{
  GtkExpression *name_expression;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = beacon_settings_new ();
  self->session = beacon_session_new (BEACON_SESSION_ROLE_BROADCAST);
  self->camera_preview = beacon_camera_preview_new ();
  g_signal_connect_object (self->camera_preview, "notify::error",
                           G_CALLBACK (camera_preview_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (update_camera_preview), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (update_camera_preview), NULL);
  self->cancellable = g_cancellable_new ();

  /* Cameras first, so that a camera is chosen when there is one; the test pattern always
   * stays available, and is the only entry without a camera. */
  self->devices = beacon_device_monitor_new ();
  beacon_device_monitor_start_async (self->devices, self->cancellable, devices_listed_cb, self);
  self->test_pattern = gtk_string_object_new (_("Test Pattern"));
  self->automatic_microphone = gtk_string_object_new (_("Automatic"));

  name_expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                 G_CALLBACK (source_item_name), NULL, NULL);
  adw_combo_row_set_expression (self->camera_row, name_expression);
  adw_combo_row_set_expression (self->microphone_row, name_expression);
  gtk_expression_unref (name_expression);

  {
    g_autoptr(GListModel) cameras =
      devices_with_extra (beacon_device_monitor_get_cameras (self->devices), self->test_pattern,
                          FALSE);
    g_autoptr(GListModel) microphones =
      devices_with_extra (beacon_device_monitor_get_microphones (self->devices),
                          self->automatic_microphone, TRUE);

    adw_combo_row_set_model (self->camera_row, cameras);
    adw_combo_row_set_model (self->microphone_row, microphones);
  }
  g_signal_connect_object (self->camera_row, "notify::selected-item",
                           G_CALLBACK (camera_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera_row, "notify::selected-item",
                           G_CALLBACK (update_camera_preview), self, G_CONNECT_SWAPPED);
  camera_selected_cb (self);

  self->address_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->address_row, G_LIST_MODEL (self->address_names));
  g_object_unref (self->address_names);
  g_signal_connect_object (self->address_row, "notify::selected",
                           G_CALLBACK (address_selected_cb), self, G_CONNECT_SWAPPED);

  self->destinations = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->destination_row, G_LIST_MODEL (self->destinations));
  g_object_unref (self->destinations);
  reload_destinations (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::saved-servers",
                             G_CALLBACK (reload_destinations), self, G_CONNECT_SWAPPED);

  load_defaults (self);

  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reconnecting",
                           G_CALLBACK (update_reconnecting), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::share-url", G_CALLBACK (update_share_url),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::viewer-count", G_CALLBACK (update_viewers),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::bitrate-kbps", G_CALLBACK (update_bitrate),
                           self, G_CONNECT_SWAPPED);
  update_bitrate (self);
  gtk_list_box_bind_model (self->viewers_list, beacon_session_get_viewer_health (self->session),
                           create_viewer_row, NULL, NULL);

  state_changed_cb (self);
}

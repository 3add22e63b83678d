/* beacon-watch-page.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-watch-page.h"

#include <glib/gi18n.h>

#include "beacon-gui-util.h"
#include "beacon-share-link.h"
#include "beacon-token-store.h"
#include "beacon-turn-servers.h"

struct _BeaconWatchPage
{
  AdwBin                parent_instance;

  BeaconSession        *session;
  BeaconSecurityReport *report;
  BeaconVideoPaintable *paintable;
  GstElement           *volume;
  GSettings            *settings;
  GVariant             *saved_servers;    /* a(sss) */
  char                 *dialect;          /* of the saved server picked, NULL when typed */
  GCancellable         *cancellable;
  AdwMessageDialog     *identity_dialog;
  /* Enter on another link while one plays: it is watched once the current one stopped. */
  gboolean              switch_pending;

  GtkWidget            *link_bar;
  GtkEntry             *link_entry;
  GtkLabel             *link_error_label;
  GtkMenuButton        *saved_servers_button;
  GtkButton            *watch_button;
  GtkStack             *stack;
  AdwStatusPage        *connecting_page;
  GtkSpinner           *connecting_spinner;
  GtkSpinner           *waiting_spinner;
  GtkPicture           *video_picture;
  GtkWidget            *controls;
  GtkButton            *fullscreen_button;
  /* The controls on the picture show on pointer motion or a key press and hide after a few
   * seconds without, in a window as in full screen (as in Videos). */
  gboolean              immersive;
  gboolean              controls_shown;
  double                last_x;
  double                last_y;
  guint                 controls_timer;
  GtkEventControllerMotion *controls_motion;  /* on the controls: whether the pointer rests there */
  GtkLabel             *reconnecting_label;
  guint                 reconnecting_timer;
  GtkLabel             *health_label;
  GtkToggleButton      *mute_button;
  GtkAdjustment        *volume_adjustment;
  AdwStatusPage        *failed_page;
  AdwStatusPage        *blocked_page;
};

enum {
  PROP_0,
  PROP_BLOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BeaconWatchPage, beacon_watch_page, ADW_TYPE_BIN)

static void
show_page (BeaconWatchPage *self,
           const char      *name)
{
  gboolean connecting = g_str_equal (name, "connecting");
  gboolean waiting = g_str_equal (name, "waiting");
  gboolean was_blocked = beacon_watch_page_get_blocked (self);

  gtk_stack_set_visible_child_name (self->stack, name);
  if (was_blocked != beacon_watch_page_get_blocked (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED]);
  /* Spinners that are not seen should not wake the CPU. */
  gtk_spinner_set_spinning (self->connecting_spinner, connecting);
  gtk_spinner_set_spinning (self->waiting_spinner, waiting);
}

/* Blocked and failed */

static char *
dup_blocked_description (BeaconWatchPage *self)
{
  const GError *error = beacon_session_get_error (self->session);
  const char * const *reasons = NULL;
  GString *text = g_string_new (NULL);

  if (self->report != NULL &&
      beacon_security_report_get_verdict (self->report) == BEACON_SECURITY_VERDICT_INSECURE)
    reasons = beacon_security_report_get_reasons (self->report);

  g_string_append (text, _("Beacon stopped this connection before showing anything, because "
                           "the other side could not prove it is the broadcaster the link "
                           "names."));
  /* The report's reason is written for people; the error is for the terminal, with
   * addresses and options in it, and only stands in when the report has none. */
  if (reasons != NULL && reasons[0] != NULL)
    for (guint i = 0; reasons[i] != NULL; i++)
      g_string_append_printf (text, "\n\n%s", reasons[i]);
  else if (error != NULL)
    {
      g_autofree char *message = beacon_error_dup_display_message (error);

      g_string_append_printf (text, "\n\n%s", message);
    }
  return g_string_free (text, FALSE);
}

static void
show_blocked (BeaconWatchPage *self)
{
  g_autofree char *description = dup_blocked_description (self);

  if (self->paintable != NULL)
    beacon_video_paintable_clear (self->paintable);
  adw_status_page_set_description (self->blocked_page, description);
  show_page (self, "blocked");
}

static void
show_failed (BeaconWatchPage *self)
{
  const GError *error = beacon_session_get_error (self->session);
  g_autofree char *message = beacon_error_dup_display_message (error);

  if (*message == '\0')
    {
      g_free (message);
      message = g_strdup (_("Watching failed for an unknown reason."));
    }
  adw_status_page_set_description (self->failed_page, message);
  show_page (self, "failed");
}

static void start_watching (BeaconWatchPage *self);

static void
identity_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      BeaconWatchPage  *self)
{
  g_clear_object (&self->identity_dialog);

  if (g_strcmp0 (response, "accept") == 0)
    {
      g_object_set (self->session, "accept-new-identity", TRUE, NULL);
      start_watching (self);
      return;
    }
  show_blocked (self);
}

static void
ask_about_new_identity (BeaconWatchPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BeaconSecurityReport *report = beacon_session_get_security_report (self->session);
  const char *presented = beacon_security_report_get_string (report, "presented-fingerprint");
  g_autofree char *message = NULL;
  GtkWidget *dialog;

  /* The core's message is written for the command line (it names an option); the dialog
   * shows what a person can compare instead: the new fingerprint. */
  if (presented != NULL)
    message = g_strdup_printf (_("Its new fingerprint is %s."), presented);
  else
    message = g_strdup ("");

  show_blocked (self);
  if (self->identity_dialog != NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("The Broadcaster’s Identity Changed"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("This broadcaster shows another identity than on your "
                                    "earlier visits. That happens when they reinstall Beacon or "
                                    "move to another computer — or when someone pretends to be "
                                    "them. Ask them, by phone or in person, before you trust "
                                    "the new identity.\n\n%s"), message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "accept", _("_Trust New Identity"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "accept",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  self->identity_dialog = g_object_ref (ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (identity_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Session state */

static gboolean
report_is_blocked (BeaconWatchPage *self)
{
  return self->report != NULL &&
         beacon_security_report_get_verdict (self->report) == BEACON_SECURITY_VERDICT_INSECURE;
}

static void
update_watch_button (BeaconWatchPage *self,
                     gboolean         running)
{
  GtkWidget *button = GTK_WIDGET (self->watch_button);

  gtk_button_set_label (self->watch_button, running ? _("_Stop") : _("_Watch"));
  gtk_widget_remove_css_class (button, running ? "suggested-action" : "destructive-action");
  gtk_widget_add_css_class (button, running ? "destructive-action" : "suggested-action");
}

static void update_health (BeaconWatchPage *self);
static void watch (BeaconWatchPage *self);
static gboolean check_link (BeaconWatchPage *self);

static void
state_changed_cb (BeaconWatchPage *self)
{
  BeaconSessionState state = beacon_session_get_state (self->session);
  const GError *error = beacon_session_get_error (self->session);
  gboolean running = state >= BEACON_SESSION_STATE_CONNECTING &&
                     state <= BEACON_SESSION_STATE_WATCHING;

  update_watch_button (self, running);
  update_health (self);

  switch (state)
    {
    case BEACON_SESSION_STATE_CONNECTING:
      adw_status_page_set_description (self->connecting_page,
                                       _("Reaching the broadcaster’s server."));
      show_page (self, "connecting");
      break;
    case BEACON_SESSION_STATE_NEGOTIATING:
      adw_status_page_set_description (self->connecting_page,
                                       _("Setting up an encrypted connection with the "
                                         "broadcaster."));
      show_page (self, "connecting");
      break;
    case BEACON_SESSION_STATE_CONNECTED:
    case BEACON_SESSION_STATE_LIVE:
      show_page (self, "waiting");
      break;
    case BEACON_SESSION_STATE_WATCHING:
      /* Never show a picture from a connection the report calls insecure. */
      if (report_is_blocked (self))
        {
          beacon_session_stop (self->session);
          show_blocked (self);
        }
      else
        show_page (self, "video");
      break;
    case BEACON_SESSION_STATE_ENDED:
      show_page (self, "ended");
      break;
    case BEACON_SESSION_STATE_FAILED:
      if (beacon_error_is_identity_changed (error))
        ask_about_new_identity (self);
      else if (beacon_error_is_security (error) || report_is_blocked (self))
        show_blocked (self);
      else
        show_failed (self);
      break;
    case BEACON_SESSION_STATE_CLOSING:
    case BEACON_SESSION_STATE_IDLE:
    default:
      /* A blocked page stays until the user starts again. */
      if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "blocked"))
        show_page (self, "start");
      if (state == BEACON_SESSION_STATE_IDLE && self->switch_pending)
        {
          self->switch_pending = FALSE;
          watch (self);
        }
      break;
    }
}

/* While the signaling is tried again the picture keeps playing (or stands still when the
 * broadcaster is gone): a small label on it says "Reconnecting… N s", counted each second. */
static gboolean
reconnecting_tick_cb (gpointer user_data)
{
  BeaconWatchPage *self = user_data;
  g_autofree char *text = beacon_session_dup_reconnecting_text (self->session);

  gtk_label_set_text (self->reconnecting_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reconnecting_label), text != NULL);
  if (text == NULL)
    self->reconnecting_timer = 0;
  return text != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
update_reconnecting (BeaconWatchPage *self)
{
  g_clear_handle_id (&self->reconnecting_timer, g_source_remove);
  if (reconnecting_tick_cb (self))
    self->reconnecting_timer = g_timeout_add_seconds (1, reconnecting_tick_cb, self);
}

/* The connection's health on the picture, one small line, rewritten each second. It goes with
 * the controls in immersive mode, and stays away until there is something to show. */
static void
update_health (BeaconWatchPage *self)
{
  BeaconPeerHealth *health = beacon_session_get_watch_health (self->session);
  g_autofree char *summary = NULL;
  BeaconLatencyFigures latency;

  if (health == NULL || beacon_session_get_state (self->session) != BEACON_SESSION_STATE_WATCHING)
    {
      gtk_label_set_text (self->health_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->health_label), FALSE);
      return;
    }
  summary = beacon_health_dup_summary (health);
  /* A Beacon test pattern from this machine carries the time each frame was made. */
  if (beacon_session_get_latency (self->session, &latency))
    {
      g_autofree char *with_latency = NULL;

      /* Translators: glass-to-glass delay of the last frame, in milliseconds. */
      with_latency = g_strdup_printf (_("%s · latency %u ms"), summary, latency.last_ms);
      g_free (summary);
      summary = g_steal_pointer (&with_latency);
    }
  gtk_label_set_text (self->health_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->health_label), self->controls_shown);
}

#define CONTROLS_SHOWN_SECONDS 3

static void
set_controls_shown (BeaconWatchPage *self,
                    gboolean         shown)
{
  self->controls_shown = shown;
  gtk_widget_set_visible (self->controls, shown);
  update_health (self);
}

static gboolean
controls_timeout_cb (gpointer user_data)
{
  BeaconWatchPage *self = user_data;

  self->controls_timer = 0;
  /* Not while the pointer rests on them, or the focus is in them (a volume being set). */
  if (gtk_event_controller_motion_contains_pointer (self->controls_motion) ||
      (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self))) != NULL &&
       gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self))),
                               self->controls)))
    {
      self->controls_timer = g_timeout_add_seconds (CONTROLS_SHOWN_SECONDS, controls_timeout_cb,
                                                    self);
      return G_SOURCE_REMOVE;
    }
  set_controls_shown (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* Shows the controls for a few seconds more. */
static void
reveal_controls (BeaconWatchPage *self)
{
  g_clear_handle_id (&self->controls_timer, g_source_remove);
  if (!self->controls_shown)
    set_controls_shown (self, TRUE);
  self->controls_timer = g_timeout_add_seconds (CONTROLS_SHOWN_SECONDS, controls_timeout_cb,
                                                self);
}

static void
video_motion_cb (BeaconWatchPage *self,
                 double           x,
                 double           y)
{
  /* A window appearing under a still pointer reports motion too: only real moves count. */
  if (ABS (x - self->last_x) < 1 && ABS (y - self->last_y) < 1)
    return;
  self->last_x = x;
  self->last_y = y;
  reveal_controls (self);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                BeaconWatchPage       *self)
{
  reveal_controls (self);
  return GDK_EVENT_PROPAGATE;
}

static void
verdict_changed_cb (BeaconWatchPage *self)
{
  BeaconSessionState state = beacon_session_get_state (self->session);

  if (!report_is_blocked (self))
    return;
  /* Fail closed: the core closes the peer itself, but nothing more is shown meanwhile. */
  if (state != BEACON_SESSION_STATE_FAILED && state != BEACON_SESSION_STATE_IDLE)
    beacon_session_stop (self->session);
  show_blocked (self);
}

/* Starting */

static GstElement *
make_audio_sink (BeaconWatchPage *self)
{
  GstElement *bin = gst_bin_new ("beacon-audio-sink");
  GstElement *volume = gst_element_factory_make ("volume", "volume");
  GstElement *sink = gst_element_factory_make ("autoaudiosink", NULL);
  g_autoptr(GstPad) pad = NULL;

  if (volume == NULL || sink == NULL)
    {
      /* Both are in gst-plugins-base and -good, which the core needs as well. */
      g_warning ("The GStreamer elements volume or autoaudiosink are missing; playing no sound");
      g_clear_pointer (&volume, gst_object_unref);
      g_clear_pointer (&sink, gst_object_unref);
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }

  gst_bin_add_many (GST_BIN (bin), volume, sink, NULL);
  gst_element_link (volume, sink);
  pad = gst_element_get_static_pad (volume, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));

  g_set_object (&self->volume, volume);
  g_object_bind_property (self->volume_adjustment, "value", volume, "volume",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->mute_button, "active", volume, "mute", G_BINDING_SYNC_CREATE);
  return bin;
}

static void
turn_servers_handed_over_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  BeaconWatchPage *self = user_data;

  /* Fails only when cancelled: by a newer attempt or by the page going away. */
  if (beacon_turn_servers_hand_over_finish (result, NULL))
    beacon_session_start (self->session);
}

static void
start_watching (BeaconWatchPage *self)
{
  GstElement *audio_sink;

  /* New sinks for every attempt: the previous pipeline may still hold the old ones. */
  g_clear_object (&self->paintable);
  self->paintable = beacon_video_paintable_new ();
  gtk_picture_set_paintable (self->video_picture, GDK_PAINTABLE (self->paintable));
  audio_sink = make_audio_sink (self);

  g_object_set (self->session,
                "video-sink", beacon_video_paintable_get_sink (self->paintable),
                "audio-sink", audio_sink,
                NULL);

  if (self->settings != NULL)
    {
      g_autofree char *stun_server = g_settings_get_string (self->settings, "stun-server");

      g_object_set (self->session,
                    "stun-server", beacon_text_or_null (stun_server),
                    "relay-only", g_settings_get_boolean (self->settings, "relay-only"),
                    "upnp", g_settings_get_boolean (self->settings, "upnp"),
                    NULL);
      if (!beacon_turn_servers_hand_over_now (self->settings, self->session))
        {
          /* The passwords of the TURN servers come from the keyring, only for this start. */
          g_cancellable_cancel (self->cancellable);
          g_set_object (&self->cancellable, g_cancellable_new ());
          beacon_turn_servers_hand_over_async (self->settings, self->session, GTK_WIDGET (self),
                                               self->cancellable, turn_servers_handed_over_cb,
                                               self);
          return;
        }
    }

  beacon_session_start (self->session);
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BeaconWatchPage *self = user_data;
  g_autofree char *token = NULL;

  if (!beacon_token_lookup_finish_for_start (result, GTK_WIDGET (self), &token))
    return;
  g_object_set (self->session, "token", beacon_text_or_null (token), NULL);
  start_watching (self);
}

static void
watch (BeaconWatchPage *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_entry))));

  if (*url == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->link_entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->link_entry));
      beacon_widget_add_toast (GTK_WIDGET (self),
                               adw_toast_new (_("Paste the link of a broadcast first")));
      return;
    }
  if (!check_link (self))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->link_entry));
      return;
    }

  /* Each new attempt asks again when the identity changed; only "Trust" sets it. A token
   * belongs to the saved server it was stored for; a typed link never gets one. */
  g_object_set (self->session,
                "url", url,
                "accept-new-identity", FALSE,
                "dialect", beacon_text_or_null (self->dialect),
                "token", NULL,
                NULL);

  if (self->dialect != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
      beacon_token_store_lookup_async (BEACON_SECRET_SERVER_TOKEN, url, self->cancellable,
                                       token_looked_up_cb, self);
      return;
    }
  start_watching (self);
}

static void
watch_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (widget);
  BeaconSessionState state = beacon_session_get_state (self->session);

  self->switch_pending = FALSE;
  if (state >= BEACON_SESSION_STATE_CONNECTING && state <= BEACON_SESSION_STATE_WATCHING)
    {
      beacon_session_stop (self->session);
      show_page (self, "start");
      return;
    }
  if (state == BEACON_SESSION_STATE_CLOSING)
    return;
  watch (self);
}

static void
use_server_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  const char *name;
  const char *dialect;
  const char *url;

  if (self->saved_servers == NULL || index >= g_variant_n_children (self->saved_servers))
    return;
  g_variant_get_child (self->saved_servers, index, "(&s&s&s)", &name, &dialect, &url);
  gtk_editable_set_text (GTK_EDITABLE (self->link_entry), url);
  /* After set_text: editing the link forgets the dialect. */
  g_free (self->dialect);
  self->dialect = g_strdup (dialect);
  gtk_editable_set_position (GTK_EDITABLE (self->link_entry), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->link_entry));
}

static void
reload_saved_servers (BeaconWatchPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GVariantIter iter;
  const char *name;
  const char *dialect;
  const char *url;
  guint index = 0;
  guint shown = 0;

  g_clear_pointer (&self->saved_servers, g_variant_unref);
  if (self->settings != NULL)
    self->saved_servers = g_settings_get_value (self->settings, "saved-servers");

  if (self->saved_servers != NULL)
    {
      g_variant_iter_init (&iter, self->saved_servers);
      while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &dialect, &url))
        {
          /* A server that only takes broadcasts (WHIP) has nothing to watch. */
          if (g_strcmp0 (dialect, "whip") != 0)
            {
              g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

              g_menu_item_set_action_and_target (item, "watch.use-server", "u", index);
              g_menu_append_item (menu, item);
              shown++;
            }
          index++;
        }
    }
  gtk_menu_button_set_menu_model (self->saved_servers_button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (self->saved_servers_button), shown > 0);
}

/* Template callbacks */

/* A link that cannot work is said under the entry as it is typed or pasted, before any
 * connection: "not a link Beacon can open: …". */
static gboolean
check_link (BeaconWatchPage *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_entry))));
  g_autoptr(BeaconShareLink) link = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (*url != '\0')
    link = beacon_share_link_parse (url, &error);
  if (*url == '\0' || link != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->link_error_label), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->link_entry), "error");
      return TRUE;
    }
  /* Translators: %s says what is wrong with the link, e.g. "it must start with wss://". */
  text = g_strdup_printf (_("Not a link Beacon can open: %s"), error->message);
  gtk_label_set_text (self->link_error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->link_error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->link_entry), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->link_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  return FALSE;
}

/* Enter starts watching the link; while another one plays (or is being reached), it stops
 * that one and watches the new link, instead of only stopping as the button does. The same
 * link again changes nothing. */
static void
link_activated_cb (BeaconWatchPage *self)
{
  BeaconSessionState state = beacon_session_get_state (self->session);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_entry))));
  g_autofree char *current = NULL;

  if (state < BEACON_SESSION_STATE_CONNECTING || state > BEACON_SESSION_STATE_CLOSING ||
      *url == '\0')
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "watch.watch", NULL);
      return;
    }
  /* A broken link never stops what plays: it is only pointed out. */
  if (!check_link (self))
    return;
  g_object_get (self->session, "url", &current, NULL);
  if (state != BEACON_SESSION_STATE_CLOSING && g_strcmp0 (current, url) == 0)
    return;
  self->switch_pending = TRUE;
  beacon_session_stop (self->session);
}

static void
link_changed_cb (BeaconWatchPage *self)
{
  g_clear_pointer (&self->dialect, g_free);
  check_link (self);
}

static void
video_pressed_cb (BeaconWatchPage *self,
                  int              n_press,
                  double           x,
                  double           y)
{
  if (n_press == 2)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.fullscreen", NULL);
}

static void
mute_toggled_cb (BeaconWatchPage *self)
{
  gboolean muted = gtk_toggle_button_get_active (self->mute_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "audio-volume-muted-symbolic" : "audio-volume-high-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mute_button), muted ? _("Unmute") : _("Mute"));
}

/* The keyboard's way to the sound: M mutes or unmutes, Ctrl+Up and Ctrl+Down change the
 * volume a tenth at a time (plain arrows stay for moving the focus). A typed "m" in the link
 * entry is the entry's: these are bubble-phase shortcuts of the page. */
static void
toggle_mute_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (widget);

  gtk_toggle_button_set_active (self->mute_button,
                                !gtk_toggle_button_get_active (self->mute_button));
  beacon_watch_page_reveal_controls (self);
}

static void
change_volume_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (widget);
  double value = gtk_adjustment_get_value (self->volume_adjustment);

  gtk_adjustment_set_value (self->volume_adjustment, value + g_variant_get_double (parameter));
  if (gtk_adjustment_get_value (self->volume_adjustment) > 0)
    gtk_toggle_button_set_active (self->mute_button, FALSE);
  beacon_watch_page_reveal_controls (self);
}

/* Public */

gboolean
beacon_watch_page_get_muted (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), FALSE);
  return gtk_toggle_button_get_active (self->mute_button);
}

double
beacon_watch_page_get_volume (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), 0);
  return gtk_adjustment_get_value (self->volume_adjustment);
}

GtkWidget *
beacon_watch_page_new (void)
{
  return g_object_new (BEACON_TYPE_WATCH_PAGE, NULL);
}

BeaconSession *
beacon_watch_page_get_session (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), NULL);
  return self->session;
}

BeaconVideoPaintable *
beacon_watch_page_get_paintable (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), NULL);
  return self->paintable;
}

const char *
beacon_watch_page_get_visible_state (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
beacon_watch_page_get_link_error (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->link_error_label)))
    return NULL;
  return gtk_label_get_text (self->link_error_label);
}

gboolean
beacon_watch_page_get_controls_shown (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), FALSE);
  return self->controls_shown;
}

void
beacon_watch_page_reveal_controls (BeaconWatchPage *self)
{
  g_return_if_fail (BEACON_IS_WATCH_PAGE (self));
  reveal_controls (self);
}

gboolean
beacon_watch_page_get_blocked (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "blocked") == 0;
}

const char *
beacon_watch_page_get_shown_health (BeaconWatchPage *self)
{
  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->health_label)))
    return NULL;
  return gtk_label_get_text (self->health_label);
}

const char *
beacon_watch_page_get_message (BeaconWatchPage *self)
{
  const char *state;

  g_return_val_if_fail (BEACON_IS_WATCH_PAGE (self), NULL);

  state = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (state, "blocked") == 0)
    return adw_status_page_get_description (self->blocked_page);
  if (g_strcmp0 (state, "failed") == 0)
    return adw_status_page_get_description (self->failed_page);
  return NULL;
}

void
beacon_watch_page_set_url (BeaconWatchPage *self,
                           const char      *url)
{
  g_return_if_fail (BEACON_IS_WATCH_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->link_entry), url ? url : "");
}

void
beacon_watch_page_focus_link (BeaconWatchPage *self)
{
  g_return_if_fail (BEACON_IS_WATCH_PAGE (self));

  gtk_widget_set_visible (self->link_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->link_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->link_entry), 0, -1);
}

void
beacon_watch_page_set_immersive (BeaconWatchPage *self,
                                 gboolean         immersive)
{
  g_return_if_fail (BEACON_IS_WATCH_PAGE (self));

  self->immersive = immersive;
  gtk_widget_set_visible (self->link_bar, !immersive);
  /* In full screen the same button leaves it. */
  gtk_button_set_icon_name (self->fullscreen_button, immersive ? "view-restore-symbolic"
                                                               : "view-fullscreen-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->fullscreen_button),
                               immersive ? _("Leave Fullscreen") : _("Fullscreen"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fullscreen_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  immersive ? _("Leave fullscreen") : _("Fullscreen"), -1);
  /* Entering full screen shows the picture alone; leaving it shows the controls a moment. */
  if (immersive)
    {
      g_clear_handle_id (&self->controls_timer, g_source_remove);
      set_controls_shown (self, FALSE);
    }
  else
    reveal_controls (self);
}

/* GObject */

static void
beacon_watch_page_dispose (GObject *object)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reconnecting_timer, g_source_remove);
  g_clear_handle_id (&self->controls_timer, g_source_remove);
  if (self->identity_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->identity_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->identity_dialog));
      g_clear_object (&self->identity_dialog);
    }
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      beacon_session_stop (self->session);
      g_clear_object (&self->session);
    }
  if (self->report != NULL)
    g_signal_handlers_disconnect_by_data (self->report, self);
  g_clear_object (&self->report);
  g_clear_object (&self->paintable);
  g_clear_object (&self->volume);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->saved_servers, g_variant_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_WATCH_PAGE);

  G_OBJECT_CLASS (beacon_watch_page_parent_class)->dispose (object);
}

static void
beacon_watch_page_finalize (GObject *object)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (object);

  g_free (self->dialect);

  G_OBJECT_CLASS (beacon_watch_page_parent_class)->finalize (object);
}

static void
beacon_watch_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BeaconWatchPage *self = BEACON_WATCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_BLOCKED:
      g_value_set_boolean (value, beacon_watch_page_get_blocked (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_watch_page_class_init (BeaconWatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_watch_page_dispose;
  object_class->finalize = beacon_watch_page_finalize;
  object_class->get_property = beacon_watch_page_get_property;

  properties[PROP_BLOCKED] =
    g_param_spec_boolean ("blocked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beaconrtc/Beacon/ui/beacon-watch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, link_bar);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, link_entry);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, link_error_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, saved_servers_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, watch_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, video_picture);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, controls);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, mute_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, volume_adjustment);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, failed_page);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, blocked_page);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, reconnecting_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconWatchPage, health_label);
  gtk_widget_class_bind_template_callback (widget_class, link_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, video_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, video_motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, mute_toggled_cb);

  gtk_widget_class_install_action (widget_class, "watch.watch", NULL, watch_activated);
  gtk_widget_class_install_action (widget_class, "watch.use-server", "u", use_server_activated);
  gtk_widget_class_install_action (widget_class, "watch.toggle-mute", NULL, toggle_mute_activated);
  gtk_widget_class_install_action (widget_class, "watch.change-volume", "d",
                                   change_volume_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, 0, "watch.toggle-mute", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_CONTROL_MASK,
                                       "watch.change-volume", "d", 0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_CONTROL_MASK,
                                       "watch.change-volume", "d", -0.1);
}

static void
beacon_watch_page_init (BeaconWatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = beacon_settings_new ();
  self->session = beacon_session_new (BEACON_SESSION_ROLE_WATCH);
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reconnecting",
                           G_CALLBACK (update_reconnecting), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "health-updated", G_CALLBACK (update_health), self,
                           G_CONNECT_SWAPPED);

  /* The report object lives as long as the session, so one connection is enough. */
  self->report = g_object_ref (beacon_session_get_security_report (self->session));
  g_signal_connect_object (self->report, "notify::verdict", G_CALLBACK (verdict_changed_cb),
                           self, G_CONNECT_SWAPPED);

  /* A key press anywhere on the page shows the controls too; it still does what it does. */
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  self->controls_shown = TRUE;
  self->controls_motion = GTK_EVENT_CONTROLLER_MOTION (gtk_event_controller_motion_new ());
  gtk_widget_add_controller (self->controls, GTK_EVENT_CONTROLLER (self->controls_motion));

  reload_saved_servers (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::saved-servers",
                             G_CALLBACK (reload_saved_servers), self, G_CONNECT_SWAPPED);

  show_page (self, "start");
}

/* beacon-window.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-window.h"

#include <glib/gi18n.h>

#include "beacon-gui-util.h"

struct _BeaconWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  BeaconSecurityPanel  *security_panel;
  BeaconSecurityReport *broadcast_report;
  BeaconSecurityReport *watch_report;

  AdwToastOverlay      *toast_overlay;
  GtkWidget            *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkButton            *security_button;
  AdwViewStack         *stack;
  AdwViewSwitcherBar   *switcher_bar;
  BeaconBroadcastPage  *broadcast_page;
  BeaconWatchPage      *watch_page;

  /* Closing while live asks first; once the user said "Stop and Close", the close goes on. */
  AdwMessageDialog     *close_dialog;
  gboolean              close_confirmed;
};

G_DEFINE_FINAL_TYPE (BeaconWindow, beacon_window, ADW_TYPE_APPLICATION_WINDOW)

/* The report of the page in view: the lock describes what the user is looking at. */
static BeaconSecurityReport *
visible_report (BeaconWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->stack);

  return g_strcmp0 (page, "watch") == 0 ? self->watch_report : self->broadcast_report;
}

static BeaconSession *
visible_session (BeaconWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->stack);

  return g_strcmp0 (page, "watch") == 0 ? beacon_watch_page_get_session (self->watch_page)
                                        : beacon_broadcast_page_get_session (self->broadcast_page);
}

/* A session that is connecting or connected has a connection to describe; a stopped, ended
 * or failed one has not, and what its report last said is history. */
static gboolean
session_has_connection (BeaconSession *session)
{
  switch (beacon_session_get_state (session))
    {
    case BEACON_SESSION_STATE_CONNECTING:
    case BEACON_SESSION_STATE_NEGOTIATING:
    case BEACON_SESSION_STATE_CONNECTED:
    case BEACON_SESSION_STATE_LIVE:
    case BEACON_SESSION_STATE_WATCHING:
      return TRUE;
    case BEACON_SESSION_STATE_IDLE:
    case BEACON_SESSION_STATE_CLOSING:
    case BEACON_SESSION_STATE_ENDED:
    case BEACON_SESSION_STATE_FAILED:
    default:
      return FALSE;
    }
}

static void
update_security (BeaconWindow *self)
{
  BeaconSecurityReport *report = visible_report (self);
  BeaconSession *session = visible_session (self);
  BeaconSecurityVerdict verdict = report ? beacon_security_report_get_verdict (report)
                                         : BEACON_SECURITY_VERDICT_UNKNOWN;
  gboolean connected = session_has_connection (session);
  GtkWidget *button = GTK_WIDGET (self->security_button);
  const char *tooltip;

  /* A watch blocked before the report could judge (a link whose pin the server's certificate
   * does not match) is just as untrusted, and stays so while its blocked page is shown (the
   * session itself goes idle once it stopped). */
  gboolean blocked_page = report == self->watch_report &&
                          beacon_watch_page_get_blocked (self->watch_page);

  if (blocked_page)
    verdict = BEACON_SECURITY_VERDICT_INSECURE;
  /* Never an older success for a session that is gone: only a failure that was this attempt's
   * own blocking (the session failed on it) outlives the connection. */
  if (!connected && !blocked_page &&
      !(verdict == BEACON_SECURITY_VERDICT_INSECURE &&
        beacon_session_get_state (session) == BEACON_SESSION_STATE_FAILED))
    {
      verdict = BEACON_SECURITY_VERDICT_UNKNOWN;
      report = NULL;
    }

  switch (verdict)
    {
    case BEACON_SECURITY_VERDICT_SECURE:
      tooltip = beacon_security_report_get_words_compared (report)
                  ? _("Connection Security: Verified")
                  : _("Connection Security: Encrypted, Words Not Compared Yet");
      break;
    case BEACON_SECURITY_VERDICT_WARNING:
      tooltip = _("Connection Security: Needs Your Attention");
      break;
    case BEACON_SECURITY_VERDICT_INSECURE:
      tooltip = _("Connection Security: Blocked");
      break;
    case BEACON_SECURITY_VERDICT_UNKNOWN:
    default:
      tooltip = connected ? _("Connection Security: Not Verified Yet")
                          : _("Connection Security: Not Connected");
      break;
    }

  gtk_button_set_icon_name (self->security_button, beacon_verdict_icon_name (verdict));
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_widget_remove_css_class (button, "success");
  gtk_widget_remove_css_class (button, "warning");
  gtk_widget_remove_css_class (button, "error");
  if (verdict == BEACON_SECURITY_VERDICT_SECURE)
    gtk_widget_add_css_class (button, "success");
  else if (verdict == BEACON_SECURITY_VERDICT_WARNING)
    gtk_widget_add_css_class (button, "warning");
  else if (verdict == BEACON_SECURITY_VERDICT_INSECURE)
    gtk_widget_add_css_class (button, "error");

  if (self->security_panel != NULL)
    beacon_security_panel_set_report (self->security_panel, report);
}

static void
fullscreened_cb (BeaconWindow *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));

  gtk_widget_set_visible (self->header_bar, !fullscreen);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), !fullscreen);
  beacon_watch_page_set_immersive (self->watch_page, fullscreen);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-fullscreen", fullscreen);
}

static void
fullscreen_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
leave_fullscreen_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  gtk_window_unfullscreen (GTK_WINDOW (widget));
}

static void
show_security_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  BeaconSecurityPanel *panel = beacon_window_get_security_panel (self);

  /* The watch page already shows the blocked page: the panel goes on to what is behind it. */
  if (visible_report (self) == self->watch_report &&
      beacon_watch_page_get_blocked (self->watch_page))
    beacon_security_panel_show_details (panel);
  gtk_window_present (GTK_WINDOW (panel));
}

typedef struct {
  BeaconWindow *window;
  gboolean      match;
} WordsComparison;

static void
words_compared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WordsComparison *comparison = user_data;
  BeaconWindow *self = comparison->window;
  g_autoptr(GError) error = NULL;

  if (!beacon_session_compare_words_finish (BEACON_SESSION (source), result, &error))
    {
      /* Translators: %s says why, e.g. "the connection is gone". */
      g_autofree char *text = g_strdup_printf (_("The comparison could not be kept: %s"),
                                               error->message);

      if (self->security_panel != NULL)
        beacon_security_panel_add_toast (self->security_panel, text);
    }
  else if (!comparison->match && self->security_panel != NULL)
    beacon_security_panel_add_toast (self->security_panel, _("Connection ended: the words did not match"));
  g_object_unref (self);
  g_free (comparison);
}

static void
compare_words_cb (BeaconSecurityPanel *panel,
                  const char          *session_id,
                  gboolean             match,
                  BeaconWindow        *self)
{
  WordsComparison *comparison = g_new0 (WordsComparison, 1);

  comparison->window = g_object_ref (self);
  comparison->match = match;
  beacon_session_compare_words_async (visible_session (self), session_id, match, NULL,
                                      words_compared_cb, comparison);
}

static void
focus_link_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "watch");
  beacon_watch_page_focus_link (self->watch_page);
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  beacon_window_show_page (BEACON_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

BeaconWindow *
beacon_window_new (AdwApplication *application)
{
  return g_object_new (BEACON_TYPE_WINDOW, "application", application, NULL);
}

BeaconBroadcastPage *
beacon_window_get_broadcast_page (BeaconWindow *self)
{
  g_return_val_if_fail (BEACON_IS_WINDOW (self), NULL);
  return self->broadcast_page;
}

BeaconWatchPage *
beacon_window_get_watch_page (BeaconWindow *self)
{
  g_return_val_if_fail (BEACON_IS_WINDOW (self), NULL);
  return self->watch_page;
}

BeaconSecurityPanel *
beacon_window_get_security_panel (BeaconWindow *self)
{
  g_return_val_if_fail (BEACON_IS_WINDOW (self), NULL);

  if (self->security_panel == NULL)
    {
      /* The panel hides on close, so one per window is kept and reused. */
      self->security_panel = g_object_ref_sink (beacon_security_panel_new (GTK_WINDOW (self)));
      g_signal_connect_object (self->security_panel, "compare-words",
                               G_CALLBACK (compare_words_cb), self, 0);
      beacon_security_panel_set_viewer_health (
        self->security_panel,
        beacon_session_get_viewer_health (beacon_broadcast_page_get_session (self->broadcast_page)));
      beacon_security_panel_set_report (self->security_panel, visible_report (self));
    }
  return self->security_panel;
}

const char *
beacon_window_get_security_icon (BeaconWindow *self)
{
  g_return_val_if_fail (BEACON_IS_WINDOW (self), NULL);
  return gtk_button_get_icon_name (self->security_button);
}

void
beacon_window_show_page (BeaconWindow *self,
                         const char   *name)
{
  g_return_if_fail (BEACON_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
beacon_window_add_toast (BeaconWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (BEACON_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
beacon_window_dispose (GObject *object)
{
  BeaconWindow *self = BEACON_WINDOW (object);

  if (self->close_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->close_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->close_dialog));
      g_clear_object (&self->close_dialog);
    }
  if (self->security_panel != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self->security_panel));
      g_clear_object (&self->security_panel);
    }
  if (self->broadcast_report != NULL)
    g_signal_handlers_disconnect_by_data (self->broadcast_report, self);
  if (self->watch_report != NULL)
    g_signal_handlers_disconnect_by_data (self->watch_report, self);
  g_clear_object (&self->broadcast_report);
  g_clear_object (&self->watch_report);
  g_clear_object (&self->settings);
  /* The pages stop their sessions as they go; the lock is gone by then. */
  if (self->broadcast_page != NULL)
    g_signal_handlers_disconnect_by_data (beacon_broadcast_page_get_session (self->broadcast_page),
                                          self);
  if (self->watch_page != NULL)
    g_signal_handlers_disconnect_by_data (beacon_watch_page_get_session (self->watch_page), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_WINDOW);

  G_OBJECT_CLASS (beacon_window_parent_class)->dispose (object);
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   BeaconWindow     *self)
{
  g_clear_object (&self->close_dialog);
  if (g_strcmp0 (response, "stop") != 0)
    return;
  self->close_confirmed = TRUE;
  /* After the dialog finished its response: closing destroys its parent under it. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed_cb, g_object_ref (self),
                   g_object_unref);
}

/* A live broadcast (or one going live) is not ended by a stray Ctrl+W, close button or quit:
 * the user confirms, knowing how many people watch. */
static gboolean
beacon_window_close_request (GtkWindow *window)
{
  BeaconWindow *self = BEACON_WINDOW (window);
  BeaconSession *session = beacon_broadcast_page_get_session (self->broadcast_page);
  BeaconSessionState state = beacon_session_get_state (session);
  guint viewers = beacon_session_get_viewer_count (session);
  g_autofree char *body = NULL;

  if (self->close_confirmed ||
      (state != BEACON_SESSION_STATE_LIVE && state != BEACON_SESSION_STATE_CONNECTING))
    return GTK_WINDOW_CLASS (beacon_window_parent_class)->close_request (window);
  if (self->close_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->close_dialog));
      return TRUE;
    }

  if (viewers > 0)
    body = g_strdup_printf (g_dngettext (NULL, "%u person is watching. Closing the window "
                                         "ends the broadcast for them.",
                                         "%u people are watching. Closing the window ends "
                                         "the broadcast for them.", viewers),
                            viewers);
  else
    body = g_strdup (_("Closing the window ends the broadcast; the link stops working."));
  self->close_dialog = g_object_ref (ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (window, _("Stop Broadcasting?"), body)));
  adw_message_dialog_add_responses (self->close_dialog, "cancel", _("_Keep Broadcasting"),
                                    "stop", _("_Stop and Close"), NULL);
  adw_message_dialog_set_response_appearance (self->close_dialog, "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->close_dialog, "cancel");
  adw_message_dialog_set_close_response (self->close_dialog, "cancel");
  g_signal_connect_object (self->close_dialog, "response", G_CALLBACK (close_response_cb), self,
                           0);
  gtk_window_present (GTK_WINDOW (self->close_dialog));
  return TRUE;
}

static void
beacon_window_class_init (BeaconWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = beacon_window_dispose;
  window_class->close_request = beacon_window_close_request;

  g_type_ensure (BEACON_TYPE_BROADCAST_PAGE);
  g_type_ensure (BEACON_TYPE_WATCH_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beaconrtc/Beacon/ui/beacon-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, security_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, broadcast_page);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, watch_page);

  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_activated);
  gtk_widget_class_install_action (widget_class, "win.leave-fullscreen", NULL,
                                   leave_fullscreen_activated);
  gtk_widget_class_install_action (widget_class, "win.show-security", NULL,
                                   show_security_activated);
  gtk_widget_class_install_action (widget_class, "win.focus-link", NULL, focus_link_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
}

static void
beacon_window_init (BeaconWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* On a narrow window the switcher title has no room for the page buttons and shows the
   * title instead; the bottom bar then takes over the switching. */
  g_object_bind_property (self->switcher_title, "title-visible", self->switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);

  self->broadcast_report = g_object_ref (beacon_session_get_security_report (
    beacon_broadcast_page_get_session (self->broadcast_page)));
  self->watch_report = g_object_ref (beacon_session_get_security_report (
    beacon_watch_page_get_session (self->watch_page)));
  g_signal_connect_object (self->broadcast_report, "notify::verdict",
                           G_CALLBACK (update_security), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watch_report, "notify::verdict",
                           G_CALLBACK (update_security), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watch_page, "notify::blocked", G_CALLBACK (update_security),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (beacon_broadcast_page_get_session (self->broadcast_page),
                           "notify::state", G_CALLBACK (update_security), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (beacon_watch_page_get_session (self->watch_page), "notify::state",
                           G_CALLBACK (update_security), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (update_security), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (fullscreened_cb), NULL);
  fullscreened_cb (self);
  update_security (self);

  self->settings = beacon_settings_new ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
    }
}

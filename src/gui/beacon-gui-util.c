/* beacon-gui-util.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-gui-util.h"

#include <glib/gi18n.h>

#include "beacon-broadcast-page.h"
#include "beacon-resources.h"
#include "beacon-security-panel.h"
#include "beacon-security-row.h"
#include "beacon-token-store.h"
#include "beacon-video-paintable.h"
#include "beacon-watch-page.h"

void
beacon_gui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      beacon_register_resource ();
      /* Types the templates name must exist before the builder meets them. */
      g_type_ensure (BEACON_TYPE_BROADCAST_PAGE);
      g_type_ensure (BEACON_TYPE_SECURITY_PANEL);
      g_type_ensure (BEACON_TYPE_SECURITY_ROW);
      g_type_ensure (BEACON_TYPE_VIDEO_PAINTABLE);
      g_type_ensure (BEACON_TYPE_WATCH_PAGE);
      g_once_init_leave (&initialized, 1);
    }
}

GSettings *
beacon_settings_new (void)
{
  static gsize warned = 0;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      if (g_once_init_enter (&warned))
        {
          g_message ("The settings schema %s is not installed, so nothing will be remembered. "
                     "Run Beacon from its build directory with “meson devenv -C BUILDDIR "
                     "beacon”.", APPLICATION_ID);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

const char *
beacon_verdict_icon_name (BeaconSecurityVerdict verdict)
{
  switch (verdict)
    {
    case BEACON_SECURITY_VERDICT_SECURE:
      return "channel-secure-symbolic";
    case BEACON_SECURITY_VERDICT_WARNING:
      return "security-medium-symbolic";
    case BEACON_SECURITY_VERDICT_INSECURE:
      return "channel-insecure-symbolic";
    case BEACON_SECURITY_VERDICT_UNKNOWN:
    default:
      return "security-low-symbolic";
    }
}

gboolean
beacon_error_is_security (const GError *error)
{
  return beacon_session_error_is_security (error);
}

gboolean
beacon_error_is_identity_changed (const GError *error)
{
  return g_error_matches (error, BEACON_SECURITY_ERROR, BEACON_SECURITY_ERROR_IDENTITY_CHANGED);
}

char *
beacon_error_dup_display_message (const GError *error)
{
  GString *message;
  gsize length;

  if (error == NULL || error->message == NULL || *error->message == '\0')
    return g_strdup ("");

  message = g_string_new (error->message);
  /* Core messages are written to follow "error: " in a terminal. */
  if (g_ascii_islower (message->str[0]))
    message->str[0] = g_ascii_toupper (message->str[0]);
  length = message->len;
  if (length > 0 && !strchr (".!?", message->str[length - 1]))
    g_string_append_c (message, '.');
  return g_string_free (message, FALSE);
}

char *
beacon_format_bitrate (guint kbps)
{
  if (kbps >= 1000)
    /* Translators: a data rate in megabits per second. */
    return g_strdup_printf (_("%.1f Mbit/s"), kbps / 1000.0);
  /* Translators: a data rate in kilobits per second. */
  return g_strdup_printf (_("%u kbit/s"), kbps);
}

char *
beacon_health_dup_summary (BeaconPeerHealth *health)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  double rtt_ms = beacon_peer_health_get_rtt_ms (health);
  double jitter_ms = beacon_peer_health_get_jitter_ms (health);

  /* The rates are differences between two answers. */
  if (beacon_peer_health_get_samples (health) < 2)
    return g_strdup (_("Measuring…"));

  g_ptr_array_add (parts, beacon_format_bitrate (beacon_peer_health_get_bitrate_kbps (health)));
  /* Translators: video frames per second. */
  g_ptr_array_add (parts, g_strdup_printf (_("%.0f fps"), beacon_peer_health_get_fps (health)));
  /* Translators: the share of packets lost on the network, in percent. */
  g_ptr_array_add (parts, g_strdup_printf (_("%.1f %% loss"),
                                           beacon_peer_health_get_loss_percent (health)));
  if (rtt_ms >= 0)
    /* Translators: the round-trip time of the network, in milliseconds. */
    g_ptr_array_add (parts, g_strdup_printf (_("RTT %.0f ms"), rtt_ms));
  if (jitter_ms >= 0)
    /* Translators: how unevenly packets arrive, in milliseconds. */
    g_ptr_array_add (parts, g_strdup_printf (_("jitter %.0f ms"), jitter_ms));
  /* Translators: counts of retransmission requests (NACK) and picture loss indications
   * (PLI, a request for a new key frame); keep the abbreviations. */
  g_ptr_array_add (parts, g_strdup_printf (_("NACK %" G_GUINT64_FORMAT),
                                           beacon_peer_health_get_nack (health)));
  g_ptr_array_add (parts, g_strdup_printf (_("PLI %" G_GUINT64_FORMAT),
                                           beacon_peer_health_get_pli (health)));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

const char *
beacon_text_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

void
beacon_widget_add_toast (GtkWidget *widget,
                         AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

gboolean
beacon_token_lookup_finish_for_start (GAsyncResult  *result,
                                      GtkWidget     *widget,
                                      char         **token)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (token != NULL && *token == NULL, FALSE);

  *token = beacon_token_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      /* Translators: %s is the keyring's error message. */
      g_autofree char *title = g_strdup_printf (_("Could not read the server’s access token: %s"),
                                                error->message);

      beacon_widget_add_toast (widget, adw_toast_new (title));
    }
  return TRUE;
}

char *
beacon_session_dup_reconnecting_text (BeaconSession *session)
{
  gboolean reconnecting = FALSE;
  gint64 since = 0;

  g_object_get (session, "reconnecting", &reconnecting, "reconnecting-since", &since, NULL);
  if (!reconnecting)
    return NULL;
  /* Translators: the signaling connection, or the path the media takes, was lost and is being
   * tried again, for %u seconds so far; the broadcast itself may still be playing meanwhile. */
  return g_strdup_printf (_("Reconnecting… %u s"),
                          (guint) ((g_get_monotonic_time () - since) / G_USEC_PER_SEC));
}

/* Help */

#define HELP_ONLINE "https://github.com/beaconrtc/beacon/tree/main/help/C"

static void
show_help_missing (GtkWindow    *parent,
                   const GError *error)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  /* Translators: %s is an address on the web where the same help pages can be read. */
  body = g_strdup_printf (_("No help viewer could open Beacon’s help. Install the Help "
                            "application (Yelp), or read the same pages at %s."),
                          HELP_ONLINE);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Help Is Not Available"),
                                                       body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  g_debug ("Opening the help failed: %s", error->message);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_launched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    show_help_missing (parent, error);
}

char *
beacon_dup_help_uri (void)
{
  const char *directory = g_getenv ("BEACON_HELP_DIR");

  /* Running uninstalled (meson devenv), the pages are read from the source tree. */
  if (directory != NULL && *directory != '\0')
    {
      g_autofree char *index = g_build_filename (directory, "index.page", NULL);

      return g_filename_to_uri (index, NULL, NULL);
    }
  return g_strdup ("help:beacon");
}

void
beacon_show_help (GtkWindow *parent)
{
  g_autofree char *uri = beacon_dup_help_uri ();
  g_autoptr(GAppInfo) viewer = NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;

  /* A file: URI would open in whatever reads XML: only a help viewer shows the pages. */
  viewer = g_app_info_get_default_for_uri_scheme ("help");
  if (viewer == NULL)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                             "no application handles help: links");

      show_help_missing (parent, error);
      return;
    }
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));
  if (g_str_has_prefix (uri, "help:"))
    g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                             help_launched_cb, g_object_ref (parent));
  else
    {
      g_autoptr(GList) uris = g_list_append (NULL, uri);
      g_autoptr(GError) error = NULL;

      if (!g_app_info_launch_uris (viewer, uris, G_APP_LAUNCH_CONTEXT (context), &error))
        show_help_missing (parent, error);
    }
}

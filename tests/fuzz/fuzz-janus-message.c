/* fuzz-janus-message.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-janus-message.h"
#include "beacon-sdp.h"
#include "fuzz-common.h"

/* One WebSocket text frame from a Janus Gateway, read as the Janus signaler reads it
 * (beacon-janus-message.c): as the reply to a request (its error sentence, a listparticipants
 * reply choosing a feed, the answer's SDP), and as an event that answers no request, against
 * each state the media handle can be in. A broken or hostile server can send anything. */

static void
read_as_event (JsonObject         *message,
               BeaconSignalerRole  role,
               gint64              media_handle,
               gboolean            media_active)
{
  const BeaconJanusTarget target = { "wss://janus.example:8989/", NULL, "vp8", 1234, 7, 99 };
  const BeaconJanusHandleState state = { role, media_handle, media_active };
  BeaconJanusEvent event;

  beacon_janus_read_event (message, &target, &state, &event);
  switch (event.kind)
    {
    case BEACON_JANUS_EVENT_MEDIA_ENDED:
      g_assert_nonnull (event.reason);
      g_assert_true (g_utf8_validate (event.reason, -1, NULL));
      break;
    case BEACON_JANUS_EVENT_FAILED:
      g_assert_nonnull (event.error);
      g_assert_true (g_utf8_validate (event.error->message, -1, NULL));
      break;
    case BEACON_JANUS_EVENT_CANDIDATES:
      g_assert_cmpuint (event.candidates->len, >, 0);
      /* Only a handle whose media is running takes candidates. */
      g_assert_true (media_active);
      break;
    case BEACON_JANUS_EVENT_NONE:
    default:
      g_assert_null (event.reason);
      g_assert_null (event.error);
      g_assert_null (event.candidates);
      break;
    }
  beacon_janus_event_clear (&event);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const BeaconJanusTarget target = { "wss://janus.example:8989/", "secret", NULL, 1234, -1, 0 };
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *plugin_data;
  gint64 sender;

  /* The frame is not NUL-terminated: the parser must keep to @size. */
  message = beacon_janus_message_parse ((const char *) data, size, &error);
  if (message == NULL)
    return 0;
  g_assert_no_error (error);

  /* As the reply to a request. */
  error = beacon_janus_error_from_reply (&target, message, "join");
  g_clear_error (&error);
  plugin_data = beacon_janus_get_plugin_data (message);
  for (guint i = 0; i < 4; i++)
    {
      gint64 feed = i < 2 ? -1 : 7;

      if (beacon_janus_choose_feed (plugin_data, 1234, i % 2 ? "camera" : NULL, &feed, &error))
        g_assert_no_error (error);
      else
        g_assert_nonnull (error);
      g_clear_error (&error);
    }
  beacon_sdp_video_is_inactive (beacon_janus_get_string (beacon_janus_get_object (message,
                                                                                  "jsep"),
                                                         "sdp"));

  /* As an event: from our media handle (the sender it names) or from another one. */
  sender = beacon_janus_get_int_or (message, "sender", 0);
  for (guint i = 0; i < 8; i++)
    read_as_event (message, i & 1 ? BEACON_SIGNALER_ROLE_WATCH : BEACON_SIGNALER_ROLE_PUBLISH,
                   i & 2 ? sender : 1, (i & 4) != 0);
  return 0;
}

/* beacon-janus-signaler-private.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "beacon-janus-message.h"
#include "beacon-janus-signaler.h"

G_BEGIN_DECLS

/* Shared by the files of the Janus signaler, and by nothing else:
 *   beacon-janus-signaler.c  the BeaconSignaler: start, publish, watch, trickle, stop
 *   beacon-janus-transport.c the WebSocket, the Janus session, requests and transactions
 *   beacon-janus-list.c      listing mountpoints, rooms and publishers */

/* Every request gets an answer within this time, or the server is considered gone. */
#define REQUEST_TIMEOUT_SECONDS 10

struct _BeaconJanusSignaler
{
  GObject                  parent_instance;

  /* Settings */
  char                    *url;
  char                    *pin;
  char                    *token;
  char                    *display_name;
  char                    *video_codec;
  gint64                   room;
  gint64                   feed;
  gint64                   mountpoint;

  /* The WebSocket and the Janus session on it */
  gboolean                 connecting;  /* the one connection was asked for */
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;
  GPtrArray               *session_waiters;  /* GTask waiting for the Janus session */
  GHashTable              *pending;          /* transaction → GTask of a request */
  gint64                   session_id;
  guint                    keepalive_id;
  BeaconChannelInfo       *info;
  gboolean                 closed;

  /* The broadcast or watch */
  BeaconSignalerRole       role;
  GTask                   *start_task;
  gint64                   manager_handle;   /* watch: the handle that lists participants */
  gint64                   media_handle;     /* the handle that carries the PeerConnection */
  const char              *media_plugin;
  const char              *media_session_id;
  gboolean                 media_active;
  gboolean                 joined;           /* publish: joinandconfigure succeeded */
  gint64                   publisher_id;     /* publish: our id in the room */
  guint                    session_requested_id;
  gboolean                 failed;
  gboolean                 stopped;
};

/* What the error sentences of beacon-janus-message.c name. */
static inline BeaconJanusTarget
beacon_janus_signaler_target (BeaconJanusSignaler *self)
{
  BeaconJanusTarget target = {
    .url = self->url,
    .token = self->token,
    .video_codec = self->video_codec,
    .room = self->room,
    .feed = self->feed,
    .mountpoint = self->mountpoint,
  };

  return target;
}

/* beacon-janus-signaler.c */

/* Ends the start task if still pending, or reports the failure of the running channel once;
 * @error is taken. */
void beacon_janus_signaler_fail         (BeaconJanusSignaler *self,
                                         GError              *error);
/* Acts on a message that answers no request (beacon_janus_read_event ()). */
void beacon_janus_signaler_act_on_event (BeaconJanusSignaler *self,
                                         JsonObject          *message);

/* beacon-janus-transport.c */

gboolean beacon_janus_connection_is_open       (BeaconJanusSignaler  *self);
/* Connects and creates the Janus session unless that happened already. */
void     beacon_janus_ensure_session_async     (BeaconJanusSignaler  *self,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean beacon_janus_ensure_session_finish    (BeaconJanusSignaler  *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* Ends every request, and every wait for the session, with @error. */
void     beacon_janus_fail_all_requests        (BeaconJanusSignaler  *self,
                                                const GError         *error);
void     beacon_janus_complete_session_waiters (BeaconJanusSignaler  *self,
                                                const GError         *error);

/* A request "janus": @verb in the session, to @handle (0: none). */
JsonObject *beacon_janus_new_request (BeaconJanusSignaler *self,
                                      const char          *verb,
                                      gint64               handle);
/* A plugin message to @handle with @body (taken) and a JSEP of @jsep_type (nullable). */
JsonObject *beacon_janus_new_message (BeaconJanusSignaler *self,
                                      gint64               handle,
                                      JsonObject          *body,
                                      const char          *jsep_type,
                                      const char          *sdp);
JsonObject *beacon_janus_new_body    (const char          *request);

/* Sends @request (taken) with a fresh transaction. The reply is the JSON object that ends the
 * transaction: "success", "ack" or, for plugin messages, the plugin's "success" or "event"
 * (Janus acknowledges asynchronous plugin requests first and answers with an event later). A
 * core or plugin error arrives as a GError with a sentence made for people. */
void        beacon_janus_request_async  (BeaconJanusSignaler  *self,
                                         JsonObject           *request,
                                         const char           *what,
                                         guint                 timeout_seconds,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
JsonObject *beacon_janus_request_finish (BeaconJanusSignaler  *self,
                                         GAsyncResult         *result,
                                         GError              **error);
/* A request whose answer does not matter (trickle, teardown). */
void        beacon_janus_send           (BeaconJanusSignaler  *self,
                                         JsonObject           *request,
                                         const char           *what);
void        beacon_janus_attach_async   (BeaconJanusSignaler  *self,
                                         const char           *plugin,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
/* The "data.id" of a create or attach reply, or 0 with @error set. */
gint64      beacon_janus_finish_id      (BeaconJanusSignaler  *self,
                                         GAsyncResult         *result,
                                         GError              **error);
/* Ends the request a message answers, or acts on an event that answers none. */
void        beacon_janus_handle_message (BeaconJanusSignaler  *self,
                                         JsonObject           *message);

/* beacon-janus-list.c */

void       beacon_janus_signaler_list_async  (BeaconSignaler       *signaler,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray *beacon_janus_signaler_list_finish (BeaconSignaler       *signaler,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS

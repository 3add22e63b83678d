/* beacon-signaler.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define BEACON_SIGNALER_ERROR (beacon_signaler_error_quark ())

typedef enum {
  BEACON_SIGNALER_ERROR_INVALID_URL,        /* the URL cannot be used */
  BEACON_SIGNALER_ERROR_CONNECT,            /* "could not connect to wss://…: connection refused" */
  BEACON_SIGNALER_ERROR_TLS_NOT_TRUSTED,    /* the server's certificate is not trusted */
  BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND, /* no such broadcast on the server */
  BEACON_SIGNALER_ERROR_SERVER,             /* the server reported an error */
  BEACON_SIGNALER_ERROR_PROTOCOL,           /* the server sent something we cannot understand */
  BEACON_SIGNALER_ERROR_CLOSED,             /* the signaling connection closed */
} BeaconSignalerError;

GQuark beacon_signaler_error_quark (void);

typedef enum {
  BEACON_SIGNALER_ROLE_PUBLISH,
  BEACON_SIGNALER_ROLE_WATCH,
} BeaconSignalerRole;

typedef enum {
  BEACON_SIGNALING_TRUST_NONE,      /* not (yet) connected */
  BEACON_SIGNALING_TRUST_CA,        /* validated against the system's certificate authorities */
  BEACON_SIGNALING_TRUST_PINNED,    /* accepted because its fingerprint matches a pin */
  BEACON_SIGNALING_TRUST_INSECURE,  /* plain ws:// or http:// */
} BeaconSignalingTrust;

/* What the front ends and the report show about the signaling channel. */
typedef struct {
  char                 *url;              /* without the fragment (pins stay out of logs) */
  char                 *scheme;
  char                 *tls_version;      /* nullable: "TLS 1.3" */
  char                 *tls_cipher;       /* nullable */
  char                 *peer_fingerprint; /* nullable: SHA-256 of the server's certificate */
  char                 *peer_subject;     /* nullable */
  char                 *peer_issuer;      /* nullable */
  BeaconSignalingTrust  trust;
} BeaconChannelInfo;

void               beacon_channel_info_free   (BeaconChannelInfo *info);
BeaconChannelInfo *beacon_channel_info_copy   (const BeaconChannelInfo *info);
const char        *beacon_signaling_trust_to_string (BeaconSignalingTrust trust);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconChannelInfo, beacon_channel_info_free)

#define BEACON_TYPE_SIGNALER (beacon_signaler_get_type ())

G_DECLARE_INTERFACE (BeaconSignaler, beacon_signaler, BEACON, SIGNALER, GObject)

/* One server dialect. After start succeeds the signaler reports, on the main context:
 *   session-requested (session_id, peer_id)  publish: a viewer wants the stream; we offer
 *   session-started   (session_id, peer_id)  watch: our session began; the producer offers
 *   remote-description (session_id, type, sdp)
 *   remote-candidate  (session_id, mline, candidate)
 *   session-ended     (session_id)
 *   failed            (GError)               the channel is gone or the server refused us */
struct _BeaconSignalerInterface
{
  GTypeInterface parent_iface;

  void      (*start_async)        (BeaconSignaler      *self,
                                   BeaconSignalerRole   role,
                                   const char          *stream_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  char     *(*start_finish)       (BeaconSignaler      *self,
                                   GAsyncResult        *result,
                                   GError             **error);
  void      (*send_description)   (BeaconSignaler      *self,
                                   const char          *session_id,
                                   const char          *type,
                                   const char          *sdp);
  void      (*send_candidate)     (BeaconSignaler      *self,
                                   const char          *session_id,
                                   guint                mline,
                                   const char          *candidate);
  void      (*end_session)        (BeaconSignaler      *self,
                                   const char          *session_id);
  void      (*stop)               (BeaconSignaler      *self);
  BeaconChannelInfo *(*dup_channel_info) (BeaconSignaler *self);
};

/* Watch: returns the session id of the started session. Publish: returns the producer id. */
void               beacon_signaler_start_async      (BeaconSignaler      *self,
                                                     BeaconSignalerRole   role,
                                                     const char          *stream_name,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char              *beacon_signaler_start_finish     (BeaconSignaler      *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void               beacon_signaler_send_description (BeaconSignaler      *self,
                                                     const char          *session_id,
                                                     const char          *type,
                                                     const char          *sdp);
void               beacon_signaler_send_candidate   (BeaconSignaler      *self,
                                                     const char          *session_id,
                                                     guint                mline,
                                                     const char          *candidate);
void               beacon_signaler_end_session      (BeaconSignaler      *self,
                                                     const char          *session_id);
void               beacon_signaler_stop             (BeaconSignaler      *self);
BeaconChannelInfo *beacon_signaler_dup_channel_info (BeaconSignaler      *self);

/* The one SoupSession of the process. */
SoupSession       *beacon_signaler_get_soup_session (void);

/* Turns a GIO/TLS error of a connection attempt into a sentence a person can act on:
 * "could not connect to wss://host:port/: connection refused". */
GError            *beacon_signaler_describe_connect_error (const char   *url,
                                                           const GError *error);

G_END_DECLS

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
  BEACON_SIGNALER_ERROR_INSECURE,           /* ws:// or http:// without permission */
  BEACON_SIGNALER_ERROR_UNAUTHORIZED,       /* the server refused our credentials (401/403) */
  BEACON_SIGNALER_ERROR_NOT_FOUND,          /* no such room, feed, mountpoint or endpoint */
  BEACON_SIGNALER_ERROR_BUSY,               /* the server is overloaded or the stream is not live yet */
} BeaconSignalerError;

GQuark beacon_signaler_error_quark (void);

/* A Beacon direct server's WHEP answer carries "Beacon-Media-Identity: sha256:AB:CD:…", the
 * DTLS identity its broadcast comes from. It is believed only because the server itself was
 * authenticated (TLS validated or pinned): a viewer then refuses media from any other
 * identity, such as another client that managed to publish there. */
#define BEACON_MEDIA_IDENTITY_HEADER "Beacon-Media-Identity"

typedef enum {
  BEACON_SIGNALER_ROLE_PUBLISH,
  BEACON_SIGNALER_ROLE_WATCH,
} BeaconSignalerRole;

typedef enum {
  BEACON_SIGNALING_TRUST_NONE,      /* not (yet) connected */
  BEACON_SIGNALING_TRUST_CA,        /* validated against the system's certificate authorities */
  BEACON_SIGNALING_TRUST_PINNED,    /* accepted because its fingerprint matches a pin */
  BEACON_SIGNALING_TRUST_INSECURE,  /* plain ws:// or http:// */
  /* Refused (the session sets these on its report, the channel never is): */
  BEACON_SIGNALING_TRUST_NOT_PINNED,  /* its certificate is not the one the pin names */
  BEACON_SIGNALING_TRUST_UNTRUSTED,   /* no pin, and no authority vouches for it */
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
  char                 *peer_not_before;  /* nullable: ISO 8601 */
  char                 *peer_not_after;   /* nullable: ISO 8601 */
  BeaconSignalingTrust  trust;
  char                 *media_identity;   /* nullable: the BEACON_MEDIA_IDENTITY_HEADER value
                                           * ("AB:CD:…") the authenticated server announced */
} BeaconChannelInfo;

void               beacon_channel_info_free         (BeaconChannelInfo       *info);
/* Fills the certificate fields (fingerprint, subject, issuer, validity) from @certificate and
 * the TLS version and cipher from @message. Every dialect calls it once connected. */
void               beacon_channel_info_set_tls      (BeaconChannelInfo       *info,
                                                     SoupMessage             *message);
BeaconChannelInfo *beacon_channel_info_copy         (const BeaconChannelInfo *info);
const char        *beacon_signaling_trust_to_string (BeaconSignalingTrust     trust);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconChannelInfo, beacon_channel_info_free)

#define BEACON_TYPE_SIGNALER (beacon_signaler_get_type ())

G_DECLARE_INTERFACE (BeaconSignaler, beacon_signaler, BEACON, SIGNALER, GObject)

/* One server dialect. After start succeeds the signaler reports, on the main context:
 *   session-requested (session_id, peer_id, offer)
 *                                            publish: a viewer wants the stream; we offer,
 *                                            or answer when @offer (nullable) is given
 *   session-started   (session_id, peer_id)  watch: our session began; the producer offers
 *   remote-description (session_id, type, sdp)
 *   remote-candidate  (session_id, mline, candidate)
 *   session-ended     (session_id)
 *   ice-servers       (GStrv)                STUN/TURN servers the server hands out for this
 *                                            session ("turn://user:pass@host:port"), before
 *                                            the peer that uses them is created when possible
 *   failed            (GError)               the channel is gone or the server refused us
 * Dialects where the server is the media peer (Janus, WHIP, WHEP) emit session-requested
 * (publish) or session-started (watch) themselves once start succeeded, with a session id of
 * their choosing. */
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

  /* Optional. TRUE when, watching, Beacon sends the offer (WHEP) instead of the server.
   * Default: FALSE. */
  gboolean  (*watcher_offers)     (BeaconSignaler      *self);
  /* Optional. Watching, once started: asks the server for one more session with the same
   * broadcast over the running channel; it begins with session-started, as the first did.
   * FALSE when the dialect cannot (default), or the channel is not running. */
  gboolean  (*start_session)      (BeaconSignaler      *self);
  /* Optional: the streams the server offers (rooms, publishers, mountpoints, producers).
   * Default: a G_IO_ERROR_NOT_SUPPORTED error. */
  void      (*list_async)         (BeaconSignaler      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  GPtrArray *(*list_finish)       (BeaconSignaler      *self,
                                   GAsyncResult        *result,
                                   GError             **error);
};

/* One entry of beacon_signaler_list_finish (). */
typedef struct {
  char *id;           /* what --producer / --room / --feed / --mountpoint takes */
  char *name;         /* nullable: a human name */
  char *description;  /* nullable: e.g. "room 1234, 2 publishers", "vp8 + opus" */
} BeaconStreamInfo;

BeaconStreamInfo *beacon_stream_info_new  (const char       *id,
                                           const char       *name,
                                           const char       *description);
void              beacon_stream_info_free (BeaconStreamInfo *info);

/* What a signaler needs to reach a server. Only the fields a dialect uses are read. */
typedef struct {
  char     *dialect;            /* "direct" | "gst" | "janus" | "whip" | "whep" */
  char     *url;                /* wss://, ws://, https:// or http:// — without a fragment */
  char     *pin;                /* nullable: normalised SHA-256 fingerprint "AB:CD:…" */
  gboolean  allow_insecure;     /* permit ws:// and http:// */
  char     *token;              /* nullable: Bearer token (WHIP/WHEP), Janus token */
  gint64    room;               /* Janus VideoRoom room, or -1 */
  gint64    feed;               /* Janus VideoRoom publisher id to watch, or -1 (= the only one) */
  gint64    mountpoint;         /* Janus Streaming mountpoint, or -1 */
  char     *display_name;       /* nullable: publisher display name */
  char     *video_codec;        /* "vp8" | "h264": what a publisher sends */
  gboolean  check_liveness;     /* gst dialect: notice a silent channel soon (see
                                 * beacon_gst_signaler_set_liveness_check ()) */
} BeaconSignalerOptions;

BeaconSignalerOptions *beacon_signaler_options_new  (void);
void                   beacon_signaler_options_free (BeaconSignalerOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSignalerOptions, beacon_signaler_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconStreamInfo, beacon_stream_info_free)

/* Watch: returns the session id of the started session. Publish: returns the producer id. */
void               beacon_signaler_start_async      (BeaconSignaler       *self,
                                                     BeaconSignalerRole    role,
                                                     const char           *stream_name,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char              *beacon_signaler_start_finish     (BeaconSignaler       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void               beacon_signaler_send_description (BeaconSignaler       *self,
                                                     const char           *session_id,
                                                     const char           *type,
                                                     const char           *sdp);
void               beacon_signaler_send_candidate   (BeaconSignaler       *self,
                                                     const char           *session_id,
                                                     guint                 mline,
                                                     const char           *candidate);
void               beacon_signaler_end_session      (BeaconSignaler       *self,
                                                     const char           *session_id);
void               beacon_signaler_stop             (BeaconSignaler       *self);
BeaconChannelInfo *beacon_signaler_dup_channel_info (BeaconSignaler       *self);

gboolean   beacon_signaler_watcher_offers (BeaconSignaler       *self);
gboolean   beacon_signaler_start_session  (BeaconSignaler       *self);
void       beacon_signaler_list_async     (BeaconSignaler       *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
/* Returns a GPtrArray of BeaconStreamInfo. */
GPtrArray *beacon_signaler_list_finish    (BeaconSignaler       *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* The one SoupSession of the process. */
SoupSession *beacon_signaler_get_soup_session (void);
/* The session to reach @uri with: the shared one, or for a host that is an IPv6 literal one
 * that sends no SNI (see beacon-signaler.c). Main thread only. */
SoupSession *beacon_signaler_get_soup_session_for_uri (GUri *uri);

/* With a @pin (nullable), makes the TLS handshake of @message trust nothing but the pin, even a
 * certificate that a system authority vouches for: the message's "accept-certificate" handler
 * is asked about every certificate, before any byte of the request (a token, an offer) is
 * sent, and must accept only the pinned one. Also forces a new connection. */
void beacon_signaler_pin_message (SoupMessage *message,
                                  const char  *pin);

/* The signalers' HTTP requests still under way, such as the DELETE that ends a WHIP/WHEP
 * session. A program that exits while one of them is in its TLS handshake (which
 * glib-networking runs on a worker thread) crashes in the TLS library's teardown: before
 * exiting, wait for them, for at most @timeout_ms. TRUE when none is left. */
void     beacon_signaler_request_started   (void);
void     beacon_signaler_request_finished  (void);
gboolean beacon_signaler_wait_for_requests (guint timeout_ms);

/* Turns a GIO/TLS error of a connection attempt into a sentence a person can act on:
 * "could not connect to wss://host:port/: connection refused". */
GError *beacon_signaler_describe_connect_error (const char   *url,
                                                const GError *error);

G_END_DECLS

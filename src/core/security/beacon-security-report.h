/* beacon-security-report.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_SECURITY_ERROR (beacon_security_error_quark ())

typedef enum {
  BEACON_SECURITY_ERROR_IDENTITY_MISMATCH, /* DTLS certificate ≠ SDP fingerprint: blocked */
  BEACON_SECURITY_ERROR_IDENTITY_CHANGED,  /* the remembered identity changed (pin: changed) */
  BEACON_SECURITY_ERROR_NO_FINGERPRINT,    /* the SDP announces no usable fingerprint */
  BEACON_SECURITY_ERROR_PIN_STORE,         /* the remembered identities cannot be read/written */
  BEACON_SECURITY_ERROR_NOT_LINK_IDENTITY, /* the media is not from the identity the link names */
  BEACON_SECURITY_ERROR_WORDS_DIFFER,      /* the user's four words did not match the other side's */
} BeaconSecurityError;

GQuark beacon_security_error_quark (void);

typedef enum {
  BEACON_SECURITY_VERDICT_UNKNOWN,   /* nothing connected yet */
  BEACON_SECURITY_VERDICT_SECURE,    /* verified end to end */
  BEACON_SECURITY_VERDICT_WARNING,   /* works, but something needs the user's attention */
  BEACON_SECURITY_VERDICT_INSECURE,  /* blocked: the connection cannot be trusted */
} BeaconSecurityVerdict;

#define BEACON_TYPE_SECURITY_REPORT (beacon_security_report_get_type ())

G_DECLARE_FINAL_TYPE (BeaconSecurityReport, beacon_security_report, BEACON, SECURITY_REPORT, GObject)

/* How one connection is protected, in properties the GUI binds to (all read-only strings unless
 * noted; NULL when not known yet) and a JSON form for the CLI. The "changed" signal follows
 * every batch of updates, on the main context.
 *
 * Signaling channel:  signaling-url, signaling-scheme, signaling-tls-version,
 *                     signaling-cipher, signaling-subject, signaling-issuer,
 *                     signaling-not-before, signaling-not-after (ISO 8601),
 *                     signaling-fingerprint, signaling-trust ("ca" | "pinned" | "insecure")
 * Media encryption:   dtls-state, dtls-role ("client" | "server"), local-fingerprint,
 *                     announced-fingerprint (remote, from its SDP), presented-fingerprint
 *                     (remote, of the certificate its DTLS handshake showed), verified (boolean),
 *                     srtp-profile, dtls-version and dtls-cipher ("not exposed" when GStreamer
 *                     does not tell)
 * Network path:       ice-state, local-candidate ("host udp 127.0.0.1:50000"),
 *                     remote-candidate, relay-server (nullable), relay-transport
 * Identity:           sas (four words), pin-status ("new" | "matches" | "compared" |
 *                     "changed"), words-compared (boolean: the user said the words matched)
 * Whose:              session-id (the peer described), role ("broadcast" | "watch")
 * Summary:            verdict (BeaconSecurityVerdict), reasons (GStrv of sentences)
 *
 * Fingerprints are "sha-256 AB:CD:…". For a broadcast with several viewers the properties
 * describe the most recently connected viewer; the JSON lists every viewer under "peers", and
 * beacon_security_report_get_peer_reports () has a report per viewer. */

BeaconSecurityVerdict  beacon_security_report_get_verdict       (BeaconSecurityReport *self);
const char * const    *beacon_security_report_get_reasons       (BeaconSecurityReport *self);
gboolean               beacon_security_report_get_verified      (BeaconSecurityReport *self);
/* Verified, and the verified identity is the one the link names (a direct link's pin). */
gboolean               beacon_security_report_get_bound_to_link (BeaconSecurityReport *self);
gboolean               beacon_security_report_get_words_compared (BeaconSecurityReport *self);
const char            *beacon_security_report_get_sas           (BeaconSecurityReport *self);
/* A BeaconSecurityReport for each peer, in the order they came, kept up to date while the
 * peer is there (the same object): a broadcaster's viewers. Their own list is empty. */
GListModel            *beacon_security_report_get_peer_reports  (BeaconSecurityReport *self);
/* TRUE for one of those. */
gboolean               beacon_security_report_describes_one_peer (BeaconSecurityReport *self);
const char            *beacon_security_report_get_pin_status    (BeaconSecurityReport *self);
/* Any string property by name, for front ends that list rows generically. */
const char            *beacon_security_report_get_string        (BeaconSecurityReport *self,
                                                                 const char           *property);
/* Pretty-printed JSON of everything above. */
char                  *beacon_security_report_to_json           (BeaconSecurityReport *self);

const char *beacon_security_verdict_to_string (BeaconSecurityVerdict verdict);

/* Used by BeaconSession (the report's only writer). @channel and the peer infos are
 * BeaconChannelInfo and BeaconPeerInfo; @blocked_reason, when set, makes the verdict insecure
 * (a fingerprint mismatch). Emits notify for what changed, then "changed". */
BeaconSecurityReport *beacon_security_report_new          (void);
/* "broadcast" or "watch": whose point of view the report speaks from. */
void                  beacon_security_report_set_role     (BeaconSecurityReport *self,
                                                           const char           *role);
void                  beacon_security_report_update       (BeaconSecurityReport *self,
                                                           gconstpointer         channel,
                                                           GPtrArray            *peers,
                                                           const char           *local_fingerprint,
                                                           const char           *pin_status,
                                                           const char           *blocked_reason);
/* The report as a JSON object node, for embedding into a larger report. */
gpointer              beacon_security_report_to_json_node (BeaconSecurityReport *self);

G_END_DECLS

/* beacon-sas.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A short authentication string: four words derived from the two DTLS certificate
 * fingerprints of a connection, independent of their order. Both ends show the same words
 * exactly when nobody terminated DTLS in between; people compare them aloud. Fingerprints may
 * carry an algorithm prefix ("sha-256 AB:…") and any case or colons. NULL if either is NULL. */
/* The 256 words, in order (the browser viewer page gets them from the server, so that both
 * compute the same words from one list). */
const char * const *beacon_sas_get_words (void);

char *beacon_sas_derive (const char *fingerprint_a,
                         const char *fingerprint_b);

G_END_DECLS

/* fuzz-common.h
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <string.h>

/* Shared by the libFuzzer targets of this directory (see run-fuzzers.sh). */

/* LLVMFuzzerInitialize () is in fuzz-common.c; each target has its LLVMFuzzerTestOneInput (). */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The parsers under test take C strings; an input with a NUL byte is cut there, as the
 * callers' strings would be. */
static inline char *
fuzz_dup_string (const uint8_t *data,
                 size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* fuzz-common.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "fuzz-common.h"

/* GLib stops on a fatal message with a breakpoint (SIGTRAP), which libFuzzer does not catch:
 * abort instead, so that it saves the input. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput output = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
                   G_LOG_LEVEL_WARNING))
    abort ();
  return output;
}

/* A critical or a warning is a bug the fuzzer found (as G_DEBUG=fatal-criticals makes it in the
 * tests). Debug messages stay quiet. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  return 0;
}

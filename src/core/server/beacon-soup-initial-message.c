/* beacon-soup-initial-message.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-soup-initial-message.h"

static gboolean
release_if_in_cycle_cb (gpointer user_data)
{
  GWeakRef *weak = user_data;
  SoupServerMessage *msg = g_weak_ref_get (weak);

  if (msg != NULL)
    {
      g_debug ("Releasing the unused first message of a closed connection (libsoup < 3.3 "
               "keeps it in a cycle with its connection)");
      /* Ours from g_weak_ref_get (), then the connection's. */
      g_object_unref (msg);
      g_object_unref (msg);
    }
  g_weak_ref_clear (weak);
  g_free (weak);
  return G_SOURCE_REMOVE;
}

void
beacon_soup_release_unused_initial_message (SoupServerMessage *msg)
{
  GWeakRef *weak;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  /* libsoup 3.3 and later break the cycle themselves. */
  if (soup_get_major_version () != 3 || soup_get_minor_version () >= 3)
    {
      g_object_unref (msg);
      return;
    }

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, msg);
  g_object_unref (msg);
  /* After the disconnection has been handled everywhere: libsoup's own handlers still run
   * after ours, with the message alive. */
  g_idle_add_full (G_PRIORITY_LOW, release_if_in_cycle_cb, weak, NULL);
}

/* beacon-sas.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-sas.h"

#include <string.h>

/* 256 short, distinct, easily spoken words: one word per byte of the digest. */
static const char * const sas_words[256] = {
  "acid", "acorn", "actor", "adobe", "agent", "album", "alarm", "alley",
  "amber", "angle", "ankle", "apple", "apron", "arena", "armor", "arrow",
  "atlas", "attic", "audio", "award", "bacon", "badge", "bagel", "baker",
  "bamboo", "banjo", "barn", "basil", "basin", "beach", "beard", "bench",
  "berry", "bison", "blade", "blanket", "blaze", "bloom", "board", "boat",
  "bonus", "book", "boot", "bottle", "bowl", "brain", "brass", "bread",
  "brick", "bridge", "brook", "broom", "brush", "bucket", "buffalo", "bugle",
  "cabin", "cable", "cactus", "camel", "camera", "canal", "candle", "canoe",
  "canyon", "carbon", "cargo", "carpet", "castle", "cedar", "chair", "chalk",
  "cherry", "chess", "chimney", "circle", "civic", "clay", "cliff", "clock",
  "cloud", "clover", "coast", "cobra", "cocoa", "comet", "coral", "cotton",
  "couch", "cousin", "crane", "crater", "crayon", "cricket", "crown", "cube",
  "cupid", "curtain", "cycle", "daisy", "dancer", "delta", "denim", "desert",
  "diamond", "dinner", "diver", "dolphin", "domino", "donkey", "dragon", "drum",
  "eagle", "earth", "easel", "echo", "elbow", "ember", "engine", "falcon",
  "fabric", "feather", "fence", "fern", "ferry", "fiddle", "field", "flag",
  "flame", "flute", "forest", "fossil", "fountain", "fox", "galaxy", "garden",
  "garlic", "gecko", "geyser", "ginger", "glacier", "globe", "glove", "goat",
  "gravel", "guitar", "hammer", "harbor", "harp", "hazel", "helmet", "heron",
  "hill", "honey", "horizon", "hotel", "igloo", "island", "ivory", "jacket",
  "jaguar", "jelly", "jigsaw", "jungle", "kayak", "kettle", "kitten", "koala",
  "ladder", "lagoon", "lake", "lantern", "laser", "lemon", "lily", "linen",
  "lion", "lizard", "lobster", "locket", "lotus", "magnet", "mango", "maple",
  "marble", "meadow", "melon", "mirror", "mitten", "monkey", "moose", "mosaic",
  "motor", "mountain", "muffin", "nectar", "needle", "noodle", "oasis", "ocean",
  "olive", "onion", "orbit", "orchid", "otter", "oven", "owl", "paddle",
  "palace", "panda", "paper", "parrot", "peach", "pebble", "pencil", "pepper",
  "piano", "pillow", "pilot", "planet", "plum", "pocket", "polka", "pony",
  "poppy", "pudding", "pumpkin", "puzzle", "quartz", "quilt", "rabbit", "radar",
  "radio", "raven", "ribbon", "river", "robin", "rocket", "saddle", "salmon",
  "sandal", "satin", "scarf", "shadow", "shell", "silver", "sketch", "sled",
  "sparrow", "spider", "sponge", "spoon", "squirrel", "stamp", "statue", "stone",
};

/* "sha-256 ab:cd:…" or "AB:CD…" → "ABCD…", so that spelling never changes the words. */
static char *
normalise (const char *fingerprint)
{
  const char *space = strchr (fingerprint, ' ');
  GString *hex = g_string_new (NULL);

  for (const char *p = space ? space + 1 : fingerprint; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (hex, g_ascii_toupper (*p));
  return g_string_free (hex, FALSE);
}

const char * const *
beacon_sas_get_words (void)
{
  return sas_words;
}

char *
beacon_sas_derive (const char *fingerprint_a,
                   const char *fingerprint_b)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  const char *first;
  const char *second;

  if (fingerprint_a == NULL || fingerprint_b == NULL)
    return NULL;
  a = normalise (fingerprint_a);
  b = normalise (fingerprint_b);
  if (*a == '\0' || *b == '\0')
    return NULL;

  /* Sorting makes the words the same at both ends, whichever side computes them. */
  first = strcmp (a, b) <= 0 ? a : b;
  second = first == a ? b : a;
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) "beacon-sas-v1|", -1);
  g_checksum_update (checksum, (const guchar *) first, -1);
  g_checksum_update (checksum, (const guchar *) "|", 1);
  g_checksum_update (checksum, (const guchar *) second, -1);
  g_checksum_get_digest (checksum, digest, &digest_length);

  return g_strdup_printf ("%s %s %s %s", sas_words[digest[0]], sas_words[digest[1]],
                          sas_words[digest[2]], sas_words[digest[3]]);
}

/* test-link-header.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "beacon-link-header.h"

/* beacon-link-header: the ICE servers of a WHIP/WHEP response's Link headers (RFC 8288), with
 * what real servers send and what a hostile one could. tests/test-whip.c covers the folded
 * headers of a real exchange. */

static void
assert_servers (const char         *header,
                const char * const *expected)
{
  g_auto(GStrv) servers = beacon_link_header_parse_ice_servers (header);

  if (expected == NULL)
    {
      if (servers != NULL)
        g_error ("'%s' gave %s, expected nothing", header, servers[0]);
      return;
    }
  g_assert_nonnull (servers);
  g_assert_cmpstrv (servers, expected);
}

static void
test_stun_and_turn (void)
{
  assert_servers ("<stun:stun.example.net>; rel=\"ice-server\"",
                  (const char *[]) { "stun://stun.example.net:3478", NULL });
  assert_servers ("<stuns:stun.example.net>; rel=ice-server",
                  (const char *[]) { "stuns://stun.example.net:5349", NULL });
  /* "//" after the scheme is tolerated; the port and an IPv6 literal are kept. */
  assert_servers ("<stun://[2001:db8::1]:3479>; rel=ice-server",
                  (const char *[]) { "stun://[2001:db8::1]:3479", NULL });
  /* TURN with credentials; a STUN server takes none; transport only for TURN, lowercased. */
  assert_servers ("<turn:t.example:3478?transport=TCP>; rel=ice-server; username=u; "
                  "credential=p, <stun:s.example?transport=tcp>; rel=ice-server; username=u; "
                  "credential=p",
                  (const char *[]) { "turn://u:p@t.example:3478?transport=tcp",
                                     "stun://s.example:3478", NULL });
  /* A username without a credential is no credential. */
  assert_servers ("<turn:t.example>; rel=ice-server; username=u",
                  (const char *[]) { "turn://t.example:3478", NULL });
  /* Escaping in quoted values, and characters a URL must escape. */
  assert_servers ("<turn:t.example>; rel=ice-server; username=\"a\\\"b\"; credential=\"c d/e\"",
                  (const char *[]) { "turn://a%22b:c%20d%2Fe@t.example:3478", NULL });
}

static void
test_rel (void)
{
  /* rel is a list and case does not matter; parameter names neither. */
  assert_servers ("<stun:s.example>; REL=\"preload ICE-Server\"",
                  (const char *[]) { "stun://s.example:3478", NULL });
  assert_servers ("<stun:s.example>", NULL);
  assert_servers ("<stun:s.example>; rel=\"ice-servers\"", NULL);
  assert_servers ("<stun:s.example>; rel", NULL);
  /* The first username and credential count. */
  assert_servers ("<turn:t.example>; rel=ice-server; username=a; credential=b; username=c; "
                  "credential=d",
                  (const char *[]) { "turn://a:b@t.example:3478", NULL });
}

static void
test_hostile (void)
{
  const char *refused[] = {
    "",
    ",,,;;;",
    "<",
    ">",
    "<>; rel=ice-server",
    "<stun:>; rel=ice-server",
    "<stun://>; rel=ice-server",
    "<http://example.net/>; rel=ice-server",
    "<javascript:alert(1)>; rel=ice-server",
    "<stunx:s.example>; rel=ice-server",
    "<stun>; rel=ice-server",
    "stun:s.example; rel=ice-server",
    /* Userinfo in the URI is dropped, and what is left must still be a host. */
    "<turn:user:pass@>; rel=ice-server",
    /* A path, a fragment, an invalid escape or bytes that are not UTF-8 are no host. */
    "<stun:s.example/path>; rel=ice-server",
    "<stun:s.example#x>; rel=ice-server",
    "<stun:s%zz.example>; rel=ice-server",
    "<stun:s\xff.example>; rel=ice-server",
    /* An unterminated quote swallows the rest. */
    "<stun:a.example>; rel=\"ice-server, <stun:b.example>; rel=ice-server",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_servers (refused[i], NULL);
  assert_servers (NULL, NULL);

  /* Userinfo in the URI itself is not the link's credentials. */
  assert_servers ("<turn:evil@t.example>; rel=ice-server",
                  (const char *[]) { "turn://t.example:3478", NULL });
  /* A comma inside <…> does not split links. */
  assert_servers ("<stun:a.example?x=1,2>; rel=ice-server",
                  (const char *[]) { "stun://a.example:3478", NULL });
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/link-header/stun-and-turn", test_stun_and_turn);
  g_test_add_func ("/beacon/link-header/rel", test_rel);
  g_test_add_func ("/beacon/link-header/hostile", test_hostile);

  return g_test_run ();
}

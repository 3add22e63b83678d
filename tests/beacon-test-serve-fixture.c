/* beacon-test-serve-fixture.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "beacon-test-serve-fixture.h"

void
beacon_test_serve_fixture_init (BeaconTestServeFixture *fixture,
                                const char             *name)
{
  g_autofree char *template = g_strdup_printf ("beacon-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
}

void
beacon_test_serve_fixture_clear (BeaconTestServeFixture *fixture)
{
  g_clear_pointer (&fixture->server, beacon_test_process_free);
  g_clear_pointer (&fixture->url, g_free);
  beacon_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

void
beacon_test_serve_fixture_tear_down (BeaconTestServeFixture *fixture,
                                     gconstpointer           data)
{
  beacon_test_serve_fixture_clear (fixture);
}

char *
beacon_test_serve_fixture_path (BeaconTestServeFixture *fixture,
                                const char             *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

void
beacon_test_serve_fixture_start_server (BeaconTestServeFixture *fixture,
                                        const char * const     *argv)
{
  g_autofree char *data_dir = beacon_test_serve_fixture_path (fixture, "server");
  g_autoptr(GUri) uri = NULL;

  g_clear_pointer (&fixture->server, beacon_test_process_free);
  g_clear_pointer (&fixture->url, g_free);
  fixture->server = beacon_test_process_start (data_dir, argv);
  fixture->url = beacon_test_process_wait_line (fixture->server, "watch: ", 30);
  if (fixture->url == NULL)
    g_error ("the server printed no watch: line; stderr:\n%s",
             beacon_test_process_get_stderr (fixture->server));

  uri = g_uri_parse (fixture->url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  fixture->port = (guint) g_uri_get_port (uri);
}

BeaconTestProcess *
beacon_test_serve_fixture_start_viewer (BeaconTestServeFixture *fixture,
                                        const char             *name,
                                        const char             *link,
                                        const char * const     *extra)
{
  g_autofree char *data_dir = beacon_test_serve_fixture_path (fixture, name);
  g_autofree char *report_name = g_strconcat (name, ".json", NULL);
  g_autofree char *report = beacon_test_serve_fixture_path (fixture, report_name);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char * const watch[] = { "watch", link, "--ice-address", "127.0.0.1", "--report", report };

  for (guint i = 0; i < G_N_ELEMENTS (watch); i++)
    g_ptr_array_add (argv, (gpointer) watch[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  return beacon_test_process_start (data_dir, (const char * const *) argv->pdata);
}

void
beacon_test_serve_fixture_wait_first_frame (BeaconTestProcess *viewer,
                                            guint              timeout_seconds)
{
  g_autofree char *line = beacon_test_process_wait_line (viewer, "first-frame-ms: ",
                                                         timeout_seconds);

  if (line == NULL)
    g_error ("the viewer decoded no frame; stderr:\n%s", beacon_test_process_get_stderr (viewer));
}

JsonObject *
beacon_test_serve_fixture_read_report (BeaconTestServeFixture *fixture,
                                       const char             *name)
{
  g_autofree char *report_name = g_strconcat (name, ".json", NULL);
  g_autofree char *path = beacon_test_serve_fixture_path (fixture, report_name);

  return beacon_test_read_json (path);
}

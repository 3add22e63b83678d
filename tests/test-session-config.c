/* test-session-config.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BeaconSessionConfig: the settings a session's properties write and start () freezes.
 */

#include "beacon-enums.h"
#include "beacon-session.h"
#include "beacon-session-config.h"

/* The writable properties but "role" are the settings. */
static gboolean
is_setting (GParamSpec *pspec)
{
  return (pspec->flags & G_PARAM_WRITABLE) && !(pspec->flags & G_PARAM_CONSTRUCT_ONLY);
}

/* A value of @pspec's type that is not its default. */
static void
make_other_value (GParamSpec *pspec,
                  GValue     *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);
  if (type == G_TYPE_STRING)
    g_value_set_string (value, g_param_spec_get_name (pspec));
  else if (type == G_TYPE_STRV)
    {
      const char * const list[] = { g_param_spec_get_name (pspec), "second", NULL };

      g_value_set_boxed (value, list);
    }
  else if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
  else if (type == G_TYPE_UINT)
    g_value_set_uint (value, G_PARAM_SPEC_UINT (pspec)->default_value ==
                               G_PARAM_SPEC_UINT (pspec)->minimum
                             ? G_PARAM_SPEC_UINT (pspec)->minimum + 1
                             : G_PARAM_SPEC_UINT (pspec)->minimum);
  else if (type == G_TYPE_INT64)
    g_value_set_int64 (value, 42);
  else if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
      int other = klass->values[0].value == G_PARAM_SPEC_ENUM (pspec)->default_value
                    ? klass->values[1].value : klass->values[0].value;

      g_value_set_enum (value, other);
    }
  else if (g_type_is_a (type, GST_TYPE_ELEMENT))
    /* Floating, as g_object_set () hands a new sink over: the session sinks it. */
    g_value_set_object (value, gst_element_factory_make ("fakesink", NULL));
  else if (g_type_is_a (type, GST_TYPE_DEVICE))
    g_value_set_object (value, NULL);
  else
    g_assert_not_reached ();
}

/* Every setting reads back what was written, and starts at its property's default. */
static void
test_properties_round_trip (void)
{
  g_autoptr(BeaconSession) session = beacon_session_new (BEACON_SESSION_ROLE_BROADCAST);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  guint n_settings = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (session), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) written = G_VALUE_INIT;
      g_auto(GValue) read = G_VALUE_INIT;
      g_auto(GValue) initial = G_VALUE_INIT;

      if (!is_setting (pspecs[i]))
        continue;
      n_settings++;
      g_value_init (&initial, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (G_OBJECT (session), pspecs[i]->name, &initial);
      g_assert_true (g_param_value_defaults (pspecs[i], &initial));

      make_other_value (pspecs[i], &written);
      g_object_set_property (G_OBJECT (session), pspecs[i]->name, &written);
      g_value_init (&read, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (G_OBJECT (session), pspecs[i]->name, &read);
      /* A list reads back as a copy: compared by its strings, not its address. */
      if (G_VALUE_HOLDS (&written, G_TYPE_STRV))
        g_assert_cmpstrv (g_value_get_boxed (&read), g_value_get_boxed (&written));
      else
        g_assert_cmpint (g_param_values_cmp (pspecs[i], &written, &read), ==, 0);
    }
  g_assert_cmpuint (n_settings, ==, 38);
}

/* A copy owns what it holds: changing or dropping the original leaves it as it was. */
static void
test_copy_is_deep (void)
{
  g_autoptr(BeaconSessionConfig) config = beacon_session_config_new ();
  g_autoptr(BeaconSessionConfig) copy = NULL;
  const char * const turn[] = { "turn://user:secret@127.0.0.1:3478", NULL };
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_assert_cmpstr (config->dialect, ==, "direct");
  g_assert_cmpuint (config->width, ==, 1280);
  g_assert_cmpint (config->room, ==, -1);
  g_assert_cmpint (config->source, ==, BEACON_SOURCE_AUTO);

  g_free (config->url);
  config->url = g_strdup ("wss://127.0.0.1:8443/");
  config->turn_servers = g_strdupv ((GStrv) turn);
  config->video_sink = gst_object_ref_sink (sink);
  config->server_limits.max_connections = 3;
  config->codec = BEACON_CODEC_H264;
  copy = beacon_session_config_copy (config);

  g_assert_cmpstr (copy->url, ==, "wss://127.0.0.1:8443/");
  g_assert_true (copy->url != config->url);
  g_assert_cmpstrv (copy->turn_servers, turn);
  g_assert_true (copy->turn_servers != config->turn_servers);
  g_assert_true (copy->video_sink == sink);
  g_assert_cmpuint (copy->server_limits.max_connections, ==, 3);
  g_assert_cmpint (copy->codec, ==, BEACON_CODEC_H264);

  g_object_add_weak_pointer (G_OBJECT (sink), (gpointer *) &sink);
  g_clear_pointer (&config, beacon_session_config_unref);
  g_assert_cmpstr (copy->url, ==, "wss://127.0.0.1:8443/");
  g_assert_nonnull (sink);
  g_clear_pointer (&copy, beacon_session_config_unref);
  g_assert_null (sink);
}

int
main (int    argc,
      char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beacon/session-config/properties-round-trip", test_properties_round_trip);
  g_test_add_func ("/beacon/session-config/copy-is-deep", test_copy_is_deep);

  return g_test_run ();
}

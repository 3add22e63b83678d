/* beacon-reconnector.c
 *
 * Copyright 2026 The Beacon developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "beacon-reconnector.h"

#include "beacon-signaler-factory.h"

struct _BeaconReconnector
{
  GObject                parent_instance;

  BeaconSignalerOptions *options;
  BeaconSignalerRole     role;
  char                  *stream_name;
  guint                  give_up_after_ms;
  guint                  initial_ms;
  guint                  max_ms;
  guint                  jitter_percent;
  guint                  attempt_ms;

  gint64                 since_us;         /* 0 when not reconnecting */
  guint                  attempt;          /* the attempt waited for or under way */
  guint                  reconnects;
  GError                *last_error;
  guint                  wait_source;
  guint                  attempt_timeout;
  BeaconSignaler        *signaler;         /* the attempt under way */
  GCancellable          *cancellable;      /* the attempt under way */
  gboolean               timed_out;
};

enum {
  SIGNAL_WAITING,
  SIGNAL_SIGNALER_CREATED,
  SIGNAL_RECONNECTED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeaconReconnector, beacon_reconnector, G_TYPE_OBJECT)

guint
beacon_reconnector_delay_ms (guint  initial_ms,
                             guint  max_ms,
                             guint  jitter_percent,
                             guint  attempt,
                             double jitter)
{
  double delay = initial_ms;

  for (guint i = 1; i < attempt && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (double) max_ms);
  delay *= 1.0 + CLAMP (jitter, -1.0, 1.0) * jitter_percent / 100.0;
  return (guint) MAX (delay, 0.0);
}

gboolean
beacon_reconnector_error_is_retryable (const GError *error)
{
  if (error == NULL)
    return TRUE;
  if (error->domain == G_IO_ERROR)
    return TRUE;
  if (error->domain != BEACON_SIGNALER_ERROR)
    return FALSE;
  switch (error->code)
    {
    case BEACON_SIGNALER_ERROR_CONNECT:
    case BEACON_SIGNALER_ERROR_CLOSED:
    case BEACON_SIGNALER_ERROR_PRODUCER_NOT_FOUND: /* a restarted broadcaster not yet back */
    case BEACON_SIGNALER_ERROR_SERVER:
    case BEACON_SIGNALER_ERROR_PROTOCOL:
    case BEACON_SIGNALER_ERROR_BUSY:
      return TRUE;
    default:
      /* An untrusted or changed certificate, refused plain signaling or credentials, a bad
       * URL: the same answer would come again, and a security answer must end it now. */
      return FALSE;
    }
}

static void
drop_attempt (BeaconReconnector *self)
{
  g_clear_handle_id (&self->attempt_timeout, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->signaler != NULL)
    {
      beacon_signaler_stop (self->signaler);
      g_clear_object (&self->signaler);
    }
}

static void
give_up (BeaconReconnector *self,
         GError            *error)
{
  g_clear_handle_id (&self->wait_source, g_source_remove);
  drop_attempt (self);
  self->since_us = 0;
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  g_error_free (error);
}

static gboolean wait_elapsed_cb (gpointer user_data);

/* Waits for the next attempt, or gives up when the time is up. */
static void
schedule (BeaconReconnector *self)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - self->since_us) / 1000;
  guint delay;

  if (elapsed_ms >= self->give_up_after_ms)
    {
      give_up (self, g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CLOSED,
                                  "gave up reconnecting to %s after %u s (%u attempts)%s%s",
                                  self->options->url, (guint) (elapsed_ms / 1000), self->attempt,
                                  self->last_error ? ": " : "",
                                  self->last_error ? self->last_error->message : ""));
      return;
    }
  self->attempt++;
  delay = beacon_reconnector_delay_ms (self->initial_ms, self->max_ms, self->jitter_percent,
                                       self->attempt, g_random_double_range (-1.0, 1.0));
  /* The last attempt comes when the time is up, not after it. */
  delay = MIN (delay, (guint) (self->give_up_after_ms - elapsed_ms));
  g_debug ("reconnect attempt %u in %u ms", self->attempt, delay);
  self->wait_source = g_timeout_add (delay, wait_elapsed_cb, self);
  g_signal_emit (self, signals[SIGNAL_WAITING], 0, self->attempt, delay);
}

static void
attempt_failed (BeaconReconnector *self,
                GError            *error)
{
  drop_attempt (self);
  g_debug ("reconnect attempt %u failed: %s", self->attempt, error->message);
  if (!beacon_reconnector_error_is_retryable (error))
    {
      give_up (self, error);
      return;
    }
  g_clear_error (&self->last_error);
  self->last_error = error;
  schedule (self);
}

static void
signaler_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BeaconReconnector) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(BeaconSignaler) signaler = NULL;

  id = beacon_signaler_start_finish (BEACON_SIGNALER (source), result, &error);
  /* An attempt abandoned (cancel (), dispose) or replaced says nothing more. */
  if (BEACON_SIGNALER (source) != self->signaler)
    return;
  if (id == NULL)
    {
      if (self->timed_out)
        {
          g_clear_error (&error);
          error = g_error_new (BEACON_SIGNALER_ERROR, BEACON_SIGNALER_ERROR_CONNECT,
                               "no answer from %s within %u s", self->options->url,
                               self->attempt_ms / 1000);
        }
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  g_clear_handle_id (&self->attempt_timeout, g_source_remove);
  g_clear_object (&self->cancellable);
  signaler = g_steal_pointer (&self->signaler);
  g_clear_error (&self->last_error);
  self->since_us = 0;
  self->reconnects++;
  g_debug ("reconnected after %u attempts", self->attempt);
  g_signal_emit (self, signals[SIGNAL_RECONNECTED], 0, signaler, id);
}

static gboolean
attempt_timed_out_cb (gpointer user_data)
{
  BeaconReconnector *self = user_data;

  self->attempt_timeout = 0;
  self->timed_out = TRUE;
  /* The start then finishes with G_IO_ERROR_CANCELLED, reported as this timeout. */
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_elapsed_cb (gpointer user_data)
{
  BeaconReconnector *self = user_data;
  g_autoptr(GError) error = NULL;
  BeaconSignaler *signaler;

  self->wait_source = 0;
  signaler = beacon_signaler_new_for_dialect (self->options, &error);
  if (signaler == NULL)
    {
      give_up (self, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }
  self->signaler = signaler;
  self->cancellable = g_cancellable_new ();
  self->timed_out = FALSE;
  g_signal_emit (self, signals[SIGNAL_SIGNALER_CREATED], 0, signaler);
  /* A handler may have cancelled. */
  if (self->signaler != signaler)
    return G_SOURCE_REMOVE;
  self->attempt_timeout = g_timeout_add (self->attempt_ms, attempt_timed_out_cb, self);
  beacon_signaler_start_async (signaler, self->role, self->stream_name, self->cancellable,
                               signaler_started_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

void
beacon_reconnector_begin (BeaconReconnector *self,
                          const GError      *reason)
{
  g_return_if_fail (BEACON_IS_RECONNECTOR (self));

  if (self->since_us != 0)
    return;
  self->since_us = g_get_monotonic_time ();
  self->attempt = 0;
  g_clear_error (&self->last_error);
  if (reason != NULL)
    self->last_error = g_error_copy (reason);
  schedule (self);
}

void
beacon_reconnector_cancel (BeaconReconnector *self)
{
  g_return_if_fail (BEACON_IS_RECONNECTOR (self));

  g_clear_handle_id (&self->wait_source, g_source_remove);
  drop_attempt (self);
  self->since_us = 0;
}

gboolean
beacon_reconnector_is_active (BeaconReconnector *self)
{
  g_return_val_if_fail (BEACON_IS_RECONNECTOR (self), FALSE);
  return self->since_us != 0;
}

gint64
beacon_reconnector_get_since_us (BeaconReconnector *self)
{
  g_return_val_if_fail (BEACON_IS_RECONNECTOR (self), 0);
  return self->since_us;
}

guint
beacon_reconnector_get_attempt (BeaconReconnector *self)
{
  g_return_val_if_fail (BEACON_IS_RECONNECTOR (self), 0);
  return self->attempt;
}

guint
beacon_reconnector_get_reconnects (BeaconReconnector *self)
{
  g_return_val_if_fail (BEACON_IS_RECONNECTOR (self), 0);
  return self->reconnects;
}

guint
beacon_reconnector_get_give_up_after_ms (BeaconReconnector *self)
{
  g_return_val_if_fail (BEACON_IS_RECONNECTOR (self), 0);
  return self->give_up_after_ms;
}

void
beacon_reconnector_set_backoff (BeaconReconnector *self,
                                guint              initial_ms,
                                guint              max_ms,
                                guint              jitter_percent,
                                guint              attempt_ms)
{
  g_return_if_fail (BEACON_IS_RECONNECTOR (self));
  g_return_if_fail (jitter_percent <= 100);

  self->initial_ms = initial_ms;
  self->max_ms = MAX (max_ms, initial_ms);
  self->jitter_percent = jitter_percent;
  self->attempt_ms = MAX (attempt_ms, 1);
}

static void
beacon_reconnector_dispose (GObject *object)
{
  BeaconReconnector *self = BEACON_RECONNECTOR (object);

  g_clear_handle_id (&self->wait_source, g_source_remove);
  drop_attempt (self);

  G_OBJECT_CLASS (beacon_reconnector_parent_class)->dispose (object);
}

static void
beacon_reconnector_finalize (GObject *object)
{
  BeaconReconnector *self = BEACON_RECONNECTOR (object);

  beacon_signaler_options_free (self->options);
  g_free (self->stream_name);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (beacon_reconnector_parent_class)->finalize (object);
}

static void
beacon_reconnector_class_init (BeaconReconnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_reconnector_dispose;
  object_class->finalize = beacon_reconnector_finalize;

  signals[SIGNAL_WAITING] =
    g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_SIGNALER_CREATED] =
    g_signal_new ("signaler-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, BEACON_TYPE_SIGNALER);
  signals[SIGNAL_RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, BEACON_TYPE_SIGNALER, G_TYPE_STRING);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
beacon_reconnector_init (BeaconReconnector *self)
{
  self->initial_ms = BEACON_RECONNECT_INITIAL_MS;
  self->max_ms = BEACON_RECONNECT_MAX_MS;
  self->jitter_percent = BEACON_RECONNECT_JITTER_PERCENT;
  self->attempt_ms = BEACON_RECONNECT_ATTEMPT_MS;
}

/* Takes @options. */
BeaconReconnector *
beacon_reconnector_new (BeaconSignalerOptions *options,
                        BeaconSignalerRole     role,
                        const char            *stream_name,
                        guint                  give_up_after_ms)
{
  BeaconReconnector *self = g_object_new (BEACON_TYPE_RECONNECTOR, NULL);

  self->options = options;
  self->role = role;
  self->stream_name = g_strdup (stream_name);
  self->give_up_after_ms = give_up_after_ms;
  return self;
}

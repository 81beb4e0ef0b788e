/*
 * caps.c: one message's account against the caps of [policy]
 * (caps.h).
 */
#include "config.h"

#include <string.h>

#include "caps.h"

/* Reading the clock costs little, but loops over words call this for
 * every word: once in this many calls is often enough (a few
 * microseconds of work apart at most). */
#define CLOCK_EVERY 64

const CmLimits cm_limits_default = {
  .mime_depth = 32,
  .parts = 1000,
  .headers = 2000,
  .addresses = 10000,
  .html_depth = 256,
  .sentences = 50000,
  .words = 1000000,
  .budget_us = 2 * G_USEC_PER_SEC,
};

const CmLimits cm_limits_loose = {
  .mime_depth = 32,
  .parts = G_MAXUINT,
  .headers = G_MAXUINT,
  .addresses = G_MAXUINT,
  .html_depth = 256,
  .sentences = G_MAXUINT,
  .words = G_MAXUINT,
  .budget_us = G_MAXINT64 / 4,
};

void
cm_scan_init (CmScan *scan, const CmLimits *limits)
{
  scan->limits = limits;
  scan->deadline = g_get_monotonic_time () + limits->budget_us;
  scan->ticks = 0;
  scan->late = FALSE;
  scan->reasons = g_ptr_array_new_with_free_func (g_free);
}

void
cm_scan_clear (CmScan *scan)
{
  g_clear_pointer (&scan->reasons, g_ptr_array_unref);
}

GPtrArray *
cm_scan_steal_reasons (CmScan *scan)
{
  return g_steal_pointer (&scan->reasons);
}

/* Has WHAT been recorded already?  (Reasons start with the cap's name.) */
static gboolean
recorded (const CmScan *scan, const char *what)
{
  gsize length = strlen (what);
  for (guint i = 0; i < scan->reasons->len; i++)
    {
      const char *reason = scan->reasons->pdata[i];
      if (strncmp (reason, what, length) == 0 && reason[length] == ' ')
        return TRUE;
    }
  return FALSE;
}

void
cm_scan_stop (CmScan *scan, const char *what, const char *reason)
{
  if (!recorded (scan, what))
    g_ptr_array_add (scan->reasons, g_strdup_printf ("%s %s", what, reason));
}

gboolean
cm_scan_over (CmScan *scan, const char *what, guint64 seen, guint64 cap)
{
  if (seen <= cap)
    return FALSE;
  if (!recorded (scan, what))
    g_ptr_array_add (scan->reasons, g_strdup_printf ("%s %" G_GUINT64_FORMAT " > %" G_GUINT64_FORMAT,
                                                     what, seen, cap));
  return TRUE;
}

/* Past the deadline?  Reads the clock; says so once. */
static gboolean
clock_says_late (CmScan *scan)
{
  if (g_get_monotonic_time () < scan->deadline)
    return FALSE;
  scan->late = TRUE;
  g_autofree char *budget = g_strdup_printf ("> %" G_GINT64_FORMAT " ms", scan->limits->budget_us / 1000);
  cm_scan_stop (scan, "time-budget", budget);
  return TRUE;
}

gboolean
cm_scan_out_of_time (CmScan *scan)
{
  return scan->late || clock_says_late (scan);
}

gboolean
cm_scan_out_of_time_often (CmScan *scan)
{
  if (scan->late)
    return TRUE;
  return scan->ticks++ % CLOCK_EVERY == 0 && clock_says_late (scan);
}

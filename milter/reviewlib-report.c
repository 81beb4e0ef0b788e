/*
 * reviewlib-report.c: cm_review_report() (reviewlib.h): the holds of a
 * period counted by month, rule, outcome and sender's role, for the
 * Standards Committee.  The counts come in the order to show them (the
 * command's table, its JSON and the web page's charts agree): the fixed
 * outcomes and roles first even at zero, so that periods compare; every
 * month of the period, so that a chart has no gaps; the rest by count.
 */
#include "config.h"

#include <string.h>

#include "reviewlib.h"
#include "reviewlib-private.h"

/* A period reaching further back than this is counted from its first hold. */
#define MONTHS_MAX (12 * 100)

static const char *const outcomes[] = { "held", "released", "rejected", "withdrawn", "expired", NULL };
static const char *const roles[] = { "member", "officer", "external", NULL };

static void
count_free (CmReviewCount *count)
{
  g_free (count->name);
  g_free (count);
}

void
cm_review_report_free (CmReviewReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->by_month, g_ptr_array_unref);
  g_clear_pointer (&report->by_rule, g_ptr_array_unref);
  g_clear_pointer (&report->by_outcome, g_ptr_array_unref);
  g_clear_pointer (&report->by_role, g_ptr_array_unref);
  g_free (report);
}

/* Add one to the count of KEY in TABLE. */
static void
count_one (GHashTable *table, const char *key)
{
  gpointer old = g_hash_table_lookup (table, key);
  g_hash_table_replace (table, g_strdup (key), GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
}

/* The count of KEY in TABLE. */
static guint
count_of (GHashTable *table, const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
}

/* g_ptr_array_sort_with_data() order: the higher count first, then by name. */
static int
by_count (gconstpointer a, gconstpointer b, gpointer table)
{
  const char *x = *(const char *const *) a, *y = *(const char *const *) b;
  guint cx = count_of (table, x), cy = count_of (table, y);
  return cx != cy ? (cx > cy ? -1 : 1) : g_strcmp0 (x, y);
}

static CmReviewCount *
count_new (const char *name, guint count)
{
  CmReviewCount *entry = g_new0 (CmReviewCount, 1);
  entry->name = g_strdup (name);
  entry->count = count;
  return entry;
}

/* The counts of TABLE: FIXED (in order, even at zero) and then the
 * others by count; or, without FIXED, all by count. */
static GPtrArray *
counts_of (GHashTable *table, const char *const *fixed)
{
  GPtrArray *counts = g_ptr_array_new_with_free_func ((GDestroyNotify) count_free);
  for (guint i = 0; fixed && fixed[i]; i++)
    g_ptr_array_add (counts, count_new (fixed[i], count_of (table, fixed[i])));
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (fixed == NULL || !g_strv_contains (fixed, key))
      g_ptr_array_add (others, key);
  g_ptr_array_sort_with_data (others, by_count, table);
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (counts, count_new (others->pdata[i], count_of (table, others->pdata[i])));
  return counts;
}

/* AT's month, "YYYY-MM" in UTC. */
static char *
month_of (gint64 at)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (at);
  return when ? g_date_time_format (when, "%Y-%m") : g_strdup ("?");
}

/* Every month from FIRST to LAST (Unix times) with its count in TABLE. */
static GPtrArray *
months_of (GHashTable *table, gint64 first, gint64 last)
{
  GPtrArray *counts = g_ptr_array_new_with_free_func ((GDestroyNotify) count_free);
  g_autoptr (GDateTime) start = g_date_time_new_from_unix_utc (first);
  g_autoptr (GDateTime) end = g_date_time_new_from_unix_utc (MAX (first, last));
  if (start == NULL || end == NULL)
    return counts;
  g_autoptr (GDateTime) month = g_date_time_new_utc (g_date_time_get_year (start),
                                                     g_date_time_get_month (start), 1, 0, 0, 0);
  for (guint n = 0; month && g_date_time_compare (month, end) <= 0 && n < MONTHS_MAX; n++)
    {
      g_autofree char *name = g_date_time_format (month, "%Y-%m");
      g_ptr_array_add (counts, count_new (name, count_of (table, name)));
      GDateTime *next = g_date_time_add_months (month, 1);
      g_date_time_unref (month);
      month = next;
    }
  return counts;
}

/* The holds held in [SINCE, BEFORE) (BEFORE 0: up to now), counted. */
CmReviewReport *
cm_review_report (CmReviewSession *session, gint64 since, gint64 before, GError **error)
{
  g_return_val_if_fail (session != NULL, NULL);
  CmHoldFilter filter = { .any_state = TRUE, .held_since = since, .held_before = before };
  g_autoptr (GPtrArray) holds = cm_review_list (session, &filter, error);
  if (holds == NULL)
    return NULL;
  g_autoptr (GHashTable) by_month = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) by_rule = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) by_outcome = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) by_role = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CmReviewReport *report = g_new0 (CmReviewReport, 1);
  report->since = since;
  report->before = before;
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      report->total++;
      g_autofree char *month = month_of (hold->held_at);
      count_one (by_month, month);
      for (guint k = 0; hold->rules && hold->rules[k]; k++)
        count_one (by_rule, hold->rules[k]);
      count_one (by_outcome, cm_hold_state_name (hold->state));
      count_one (by_role, hold->sender_role ? hold->sender_role : "unknown");
    }
  /* The months of the period; one with no start begins at its first hold. */
  gint64 first = since > 0 || holds->len == 0 ? since : ((CmHold *) holds->pdata[0])->held_at;
  gint64 last = before > 0 ? before - 1 : session->now;
  if (holds->len > 0)
    last = MAX (last, ((CmHold *) holds->pdata[holds->len - 1])->held_at);
  if (last - first > (gint64) MONTHS_MAX * 31 * CM_REVIEW_DAY && holds->len > 0)
    first = ((CmHold *) holds->pdata[0])->held_at;
  report->by_month = since == 0 && holds->len == 0
                         ? g_ptr_array_new_with_free_func ((GDestroyNotify) count_free)
                         : months_of (by_month, first, last);
  report->by_rule = counts_of (by_rule, NULL);
  report->by_outcome = counts_of (by_outcome, outcomes);
  report->by_role = counts_of (by_role, roles);
  return report;
}

/*
 * page-report.c: GET /report of council-review-web (pages.h): the
 * Standards Committee's figures for a period, as cm_review_report()
 * counts them (by month, rule, outcome and the sender's role), each as a
 * bar chart drawn on the server (SVG, svg.c) with a table of the same
 * numbers under it (folded: <details>, no script).
 *   since   the first day, YYYY-MM-DD (default: the first of the month
 *           eleven months ago, so a year of months shows)
 *   until   the last day, YYYY-MM-DD (default: today)
 * The page holds no message text, only counts and rule names.
 */
#include "config.h"

#include "layout.h"
#include "pages.h"
#include "svg.h"

/* The first of the month eleven months before NOW, UTC. */
static gint64
year_of_months_before (gint64 now)
{
  g_autoptr (GDateTime) today = g_date_time_new_from_unix_utc (now);
  int year = g_date_time_get_year (today), month = g_date_time_get_month (today) - 11;
  if (month < 1)
    {
      month += 12;
      year--;
    }
  g_autoptr (GDateTime) first = g_date_time_new_utc (year, month, 1, 0, 0, 0);
  return g_date_time_to_unix (first);
}

/* Read DATE (YYYY-MM-DD) of REQUEST's field NAME into AT; FALSE with a
 * 400 page when it is there but malformed. */
static gboolean
read_date (const CmWebRequest *request, CmWebResponse *response, const char *name, gint64 *at)
{
  const char *text = cm_web_field (request->query, name);
  if (text == NULL || cm_review_parse_date (text, at))
    return TRUE;
  cm_web_fail (request, response, 400, "Bad date", "A date is written YYYY-MM-DD, for example 2026-07-01.");
  return FALSE;
}

/* One breakdown: the chart, then its numbers as a table that opens on demand. */
static void
breakdown (GString *out, const char *title, const GPtrArray *counts)
{
  /* The chart carries the title itself (drawn, and as its <title>). */
  g_string_append (out, "<section aria-label=\"");
  cm_html (out, title);
  g_string_append (out, "\">");
  g_autofree char *chart = cm_svg_bar_chart (title, counts);
  g_string_append (out, chart);
  g_string_append (out, "<details><summary>The numbers</summary><div class=\"scroll\"><table><tbody>");
  for (guint i = 0; i < counts->len; i++)
    {
      const CmReviewCount *count = g_ptr_array_index (counts, i);
      g_string_append (out, "<tr><td>");
      cm_html (out, count->name);
      g_string_append_printf (out, "</td><td>%u</td></tr>", count->count);
    }
  g_string_append (out, "</tbody></table></div></details></section>");
}

/* The form to choose the period. */
static void
period_form (GString *out, const char *since, const char *until)
{
  g_string_append (out, "<form class=\"filters\" method=\"get\" action=\"/report\"><div><label for=\"since\">From"
                        "</label><input id=\"since\" name=\"since\" type=\"date\" value=\"");
  cm_html (out, since);
  g_string_append (out, "\"></div><div><label for=\"until\">To</label><input id=\"until\" name=\"until\" "
                        "type=\"date\" value=\"");
  cm_html (out, until);
  g_string_append (out, "\"></div><button type=\"submit\">Show</button></form>");
}

/* GET /report: the period's counts, charted. */
void
cm_page_report (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  gint64 since = year_of_months_before (request->now), until = 0;
  if (!read_date (request, response, "since", &since) || !read_date (request, response, "until", &until))
    return;
  if (until && until < since)
    {
      cm_web_fail (request, response, 400, "Bad period", "The last day is before the first.");
      return;
    }
  g_autoptr (CmReviewSession) review = cm_web_review_open (context, request, response);
  if (review == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewReport) report = cm_review_report (review, since, until ? until + CM_REVIEW_DAY : 0, &error);
  if (report == NULL)
    {
      cm_web_fail (request, response, 503, "The report cannot be made", error->message);
      return;
    }
  g_autoptr (GDateTime) first = g_date_time_new_from_unix_utc (since);
  g_autoptr (GDateTime) last = g_date_time_new_from_unix_utc (until ? until : request->now);
  g_autofree char *since_text = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *until_text = g_date_time_format (last, "%Y-%m-%d");
  GString *out = response->body;
  cm_layout_begin (out, request, "Report for the Standards Committee", NULL);
  period_form (out, since_text, until_text);
  g_string_append_printf (out, "<p>Messages held from %s to %s (UTC): <strong>%u</strong>. A message held under "
                               "two rules counts under each.</p>", since_text, until_text, report->total);
  breakdown (out, "By month", report->by_month);
  breakdown (out, "By rule", report->by_rule);
  breakdown (out, "By outcome", report->by_outcome);
  breakdown (out, "By the sender's role", report->by_role);
  cm_layout_end (out);
}

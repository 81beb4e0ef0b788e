/*
 * page-queue.c: GET / of council-review-web (pages.h): the held messages
 * the filters select, oldest first, each linked to its page.  The
 * filters are GET parameters, so a filtered queue can be bookmarked:
 *   state   held (the default), released, rejected, withdrawn, expired, all
 *   rule    a rule id
 *   sender  part of the sender's address
 *   older   held at least this many days ago
 * A malformed filter is refused (400) with a sentence saying which.
 */
#include "config.h"

#include <string.h>

#include "layout.h"
#include "pages.h"
#include "rules.h"

#define SENDER_MAX 254
#define OLDER_MAX 3650

/* The states a queue can show, in the order the form offers them. */
static const char *const states[] = { "held", "released", "rejected", "withdrawn", "expired", "all", NULL };

/* Is RULE the id of one of the engine's rules? */
static gboolean
rule_known (const char *rule)
{
  return cm_rule_find (rule) != NULL;
}

/* Read REQUEST's filters into FILTER (STATE, OLDER as given); FALSE with
 * RESPONSE made a 400 page when one is malformed. */
static gboolean
read_filters (const CmWebRequest *request, CmWebResponse *response, CmReviewSession *review,
              CmHoldFilter *filter)
{
  const char *state = cm_web_field (request->query, "state");
  const char *rule = cm_web_field (request->query, "rule");
  const char *sender = cm_web_field (request->query, "sender");
  const char *older = cm_web_field (request->query, "older");
  if (state && strcmp (state, "all") == 0)
    filter->any_state = TRUE;
  else if (state && !cm_hold_state_parse (state, &filter->state))
    {
      cm_web_fail (request, response, 400, "No such state",
                   "The state filter must be held, released, rejected, withdrawn, expired or all.");
      return FALSE;
    }
  if (rule && !rule_known (rule))
    {
      cm_web_fail (request, response, 400, "No such rule",
                   "The rule filter names no rule of the Member/Officer Protocol filter.");
      return FALSE;
    }
  filter->rule = rule;
  if (sender && strlen (sender) > SENDER_MAX)
    {
      cm_web_fail (request, response, 400, "Sender filter too long",
                   "The sender filter is longer than any mail address can be.");
      return FALSE;
    }
  filter->sender = sender;
  if (older)
    {
      guint64 days = 0;
      if (!g_ascii_string_to_unsigned (older, 10, 0, OLDER_MAX, &days, NULL))
        {
          cm_web_fail (request, response, 400, "Bad age filter",
                       "The age filter is a whole number of days, from 0 to 3650.");
          return FALSE;
        }
      filter->held_before = cm_review_days_ago (review, (guint) days) + 1;
    }
  return TRUE;
}

/* The filter form, showing REQUEST's current choices. */
static void
filter_form (GString *out, const CmWebRequest *request)
{
  const char *state = cm_web_field (request->query, "state");
  const char *rule = cm_web_field (request->query, "rule");
  g_string_append (out, "<form class=\"filters\" method=\"get\" action=\"/\"><div><label for=\"state\">State</label>"
                        "<select id=\"state\" name=\"state\">");
  for (guint i = 0; states[i]; i++)
    g_string_append_printf (out, "<option%s>%s</option>",
                            g_strcmp0 (state ? state : "held", states[i]) == 0 ? " selected" : "", states[i]);
  g_string_append (out, "</select></div><div><label for=\"rule\">Rule</label><select id=\"rule\" name=\"rule\">"
                        "<option value=\"\">any</option>");
  for (guint i = 0; i < cm_n_rules; i++)
    {
      g_string_append_printf (out, "<option%s>", g_strcmp0 (rule, cm_rules[i].id) == 0 ? " selected" : "");
      cm_html (out, cm_rules[i].id);
      g_string_append (out, "</option>");
    }
  g_string_append (out, "</select></div><div><label for=\"sender\">Sender</label>"
                        "<input id=\"sender\" name=\"sender\" size=\"18\" value=\"");
  cm_html (out, cm_web_field (request->query, "sender"));
  g_string_append (out, "\"></div><div><label for=\"older\">Held at least (days)</label>"
                        "<input id=\"older\" name=\"older\" type=\"number\" min=\"0\" max=\"3650\" size=\"4\" value=\"");
  cm_html (out, cm_web_field (request->query, "older"));
  g_string_append (out, "\"></div><button type=\"submit\">Filter</button></form>\n");
}

/* One row of the queue. */
static void
hold_row (GString *out, const CmHold *hold, gint64 now)
{
  g_string_append (out, "<tr><td><a href=\"/hold/");
  cm_html (out, hold->id);
  g_string_append (out, "\">");
  cm_html (out, hold->subject && *hold->subject ? hold->subject : "(no subject)");
  g_string_append (out, "</a></td><td>");
  cm_html (out, *hold->sender ? hold->sender : "<>");
  g_string_append (out, " <span class=\"muted\">");
  cm_html (out, hold->sender_role);
  g_string_append (out, "</span></td><td>");
  for (guint i = 0; hold->rules && hold->rules[i]; i++)
    {
      if (i)
        g_string_append (out, ", ");
      cm_html (out, hold->rules[i]);
    }
  g_string_append (out, "</td><td>");
  cm_html (out, cm_hold_state_name (hold->state));
  g_string_append (out, "</td><td>");
  g_autofree char *age = cm_review_age (hold->held_at, now);
  cm_html (out, age);
  g_string_append (out, "</td></tr>\n");
}

/* GET /: the held messages the filters select. */
void
cm_page_queue (const CmWebContext *context, const CmWebRequest *request, CmWebResponse *response)
{
  g_autoptr (CmReviewSession) review = cm_web_review_open (context, request, response);
  if (review == NULL)
    return;
  CmHoldFilter filter = { .state = CM_HOLD_HELD };
  if (!read_filters (request, response, review, &filter))
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) holds = cm_review_list (review, &filter, &error);
  if (holds == NULL)
    {
      cm_web_fail (request, response, 503, "The held messages cannot be listed", error->message);
      return;
    }
  response->no_store = TRUE;
  GString *out = response->body;
  g_autofree char *flash = cm_web_sessions_take_flash (context->sessions, request->session->id);
  cm_layout_begin (out, request, "Held messages", flash);
  filter_form (out, request);
  if (holds->len == 0)
    {
      g_string_append (out, "<p>No message matches.</p>");
      cm_layout_end (out);
      return;
    }
  g_string_append_printf (out, "<p>%u message%s, oldest first.</p>", holds->len, holds->len == 1 ? "" : "s");
  g_string_append (out, "<div class=\"scroll\"><table><thead><tr><th>Subject</th><th>From</th><th>Rules</th>"
                        "<th>State</th><th>Age</th></tr></thead><tbody>\n");
  gint64 now = cm_review_session_now (review);
  for (guint i = 0; i < holds->len; i++)
    hold_row (out, g_ptr_array_index (holds, i), now);
  g_string_append (out, "</tbody></table></div>");
  cm_layout_end (out);
}

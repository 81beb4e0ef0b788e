/*
 * review-inspect.c: the commands of council-review that only read
 * (review.h), each printing what the review library (reviewlib.h)
 * returns:
 *   list    the holds a filter selects, a line each or as JSON
 *   show    everything about one hold: envelope, times, decision, the
 *           findings with their paragraphs, the sender's explanation,
 *           the message's text, its file and its audit trail
 *   audit   the audit trail, an event a line (time in UTC, ISO 8601)
 *   report  counts of the holds of a period by rule, outcome and sender
 * Message data is never printed raw: cm_review_safe() first.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "review.h"
#include "review-format.h"

/* ---- list ------------------------------------------------------------------ */

/* The recipients of HOLD, short: "first (+N more)". */
static char *
short_recipients (const CmHold *hold)
{
  guint count = hold->recipients ? g_strv_length (hold->recipients) : 0;
  g_autofree char *first = cm_review_safe (count ? hold->recipients[0] : "-", FALSE);
  return count > 1 ? g_strdup_printf ("%s (+%u more)", first, count - 1) : g_steal_pointer (&first);
}

/* Add "NAME": STRING (or null) to the object BUILDER is in; valid UTF-8. */
static void
json_add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      json_builder_add_string_value (builder, valid);
    }
}

/* Add "NAME": [STRINGS...]. */
static void
json_add_strings (JsonBuilder *builder, const char *name, char **strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strings && strings[i]; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (strings[i], -1);
      json_builder_add_string_value (builder, valid);
    }
  json_builder_end_array (builder);
}

/* Add "NAME": seconds, or null for 0. */
static void
json_add_time (JsonBuilder *builder, const char *name, gint64 at)
{
  json_builder_set_member_name (builder, name);
  if (at)
    json_builder_add_int_value (builder, at);
  else
    json_builder_add_null_value (builder);
}

/* Add HOLD as one object of every field; verdict_json as the object
 * "verdict" (null when there is none or it cannot be read). */
static void
json_add_hold (JsonBuilder *builder, const CmHold *hold)
{
  json_builder_begin_object (builder);
  json_add_string (builder, "id", hold->id);
  json_add_string (builder, "state", cm_hold_state_name (hold->state));
  json_add_time (builder, "held_at", hold->held_at);
  json_add_string (builder, "queue_id", hold->queue_id);
  json_add_string (builder, "sender", hold->sender);
  json_add_strings (builder, "recipients", hold->recipients);
  json_add_string (builder, "sender_role", hold->sender_role);
  json_add_string (builder, "subject", hold->subject);
  json_add_strings (builder, "rules", hold->rules);
  json_add_string (builder, "clauses", hold->clauses);
  json_builder_set_member_name (builder, "verdict");
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (hold->verdict_json && json_parser_load_from_data (parser, hold->verdict_json, -1, NULL)
      && json_parser_get_root (parser))
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (builder);
  json_add_string (builder, "explanation", hold->explanation);
  json_add_time (builder, "explained_at", hold->explained_at);
  json_add_time (builder, "decided_at", hold->decided_at);
  json_add_string (builder, "decided_by", hold->decided_by);
  json_add_string (builder, "decision_note", hold->decision_note);
  json_builder_set_member_name (builder, "escalated");
  json_builder_add_boolean_value (builder, hold->escalated);
  json_builder_set_member_name (builder, "release_used");
  json_builder_add_boolean_value (builder, hold->release_used);
  json_builder_end_object (builder);
}

/* Print the JSON ROOT that BUILDER made, and a newline. */
static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  g_autofree char *text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* Print ROWS (GStrv each, the first the header) in columns, the last unpadded. */
static void
print_columns (GPtrArray *rows)
{
  guint columns = g_strv_length (rows->pdata[0]);
  g_autofree glong *width = g_new0 (glong, columns);
  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c + 1 < columns; c++)
      width[c] = MAX (width[c], g_utf8_strlen (((char **) rows->pdata[r])[c], -1));
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];
      for (guint c = 0; c + 1 < columns; c++)
        printf ("%s%*s  ", row[c], (int) (width[c] - g_utf8_strlen (row[c], -1)), "");
      printf ("%s\n", row[columns - 1]);
    }
}

/* list: the holds a filter selects, one line each or as JSON. */
int
cm_review_cmd_list (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *state = NULL, *sender = NULL, *rule = NULL, *older_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, "held (the default), released, rejected, withdrawn, expired or all", "STATE" },
    { "sender", 0, 0, G_OPTION_ARG_STRING, &sender, "only senders whose address contains TEXT", "TEXT" },
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule, "only messages held by the rule ID", "ID" },
    { "older-than", 0, 0, G_OPTION_ARG_STRING, &older_text, "only messages held more than DAYS days ago", "DAYS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON array of every field", NULL },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 0, 0))
    return REVIEW_USAGE;
  CmHoldFilter filter = { .state = CM_HOLD_HELD, .sender = sender, .rule = rule };
  if (g_strcmp0 (state, "all") == 0)
    filter.any_state = TRUE;
  else if (state && !cm_hold_state_parse (state, &filter.state))
    return cm_review_usage (command, "--state is one of held, released, rejected, withdrawn, expired, all");
  guint64 older_than = 0;
  if (older_text && !g_ascii_string_to_unsigned (older_text, 10, 0, 36500, &older_than, NULL))
    return cm_review_usage (command, "--older-than is a number of days, from 0 to 36500");
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  if (older_text)
    filter.held_before = cm_review_days_ago (review->session, (guint) older_than);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) holds = cm_review_list (review->session, &filter, &error);
  if (holds == NULL)
    return cm_review_error (error);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      json_builder_begin_array (builder);
      for (guint i = 0; i < holds->len; i++)
        json_add_hold (builder, holds->pdata[i]);
      json_builder_end_array (builder);
      print_json (builder);
      return REVIEW_OK;
    }
  if (holds->len == 0)
    {
      printf ("%s\n", filter.any_state || filter.state != CM_HOLD_HELD || sender || rule || older_text
                          ? "no held messages match" : "nothing held");
      return REVIEW_OK;
    }
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (rows, g_strsplit ("ID AGE STATE FROM TO RULES SUBJECT", " ", -1));
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      g_autofree char *rules = hold->rules && hold->rules[0] ? g_strjoinv (",", hold->rules) : g_strdup ("-");
      char **row = g_new0 (char *, 8);
      row[0] = cm_review_safe (hold->id, FALSE);
      row[1] = cm_review_age (hold->held_at, review->now);
      row[2] = g_strdup (cm_hold_state_name (hold->state));
      row[3] = cm_review_safe (*hold->sender ? hold->sender : "<>", FALSE);
      row[4] = short_recipients (hold);
      row[5] = cm_review_safe (rules, FALSE);
      row[6] = cm_review_safe (hold->subject ? hold->subject : "(no subject)", FALSE);
      g_ptr_array_add (rows, row);
    }
  print_columns (rows);
  return REVIEW_OK;
}

/* ---- show ------------------------------------------------------------------ */

/* Print "LABEL VALUE" for a field of show, VALUE made safe and folded. */
static void
field (const char *label, const char *value)
{
  g_autofree char *first = g_strdup_printf ("  %-12s", label);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *flat = cm_review_safe (value ? value : "-", FALSE);
  cm_review_wrap_hanging (text, flat, first, "              ", 78);
  fputs (text->str, stdout);
}

/* The line of show that says what became of HOLD. */
static char *
describe_state (const CmHold *hold, gint64 now)
{
  if (hold->state == CM_HOLD_HELD)
    {
      g_autofree char *age = cm_review_age (hold->held_at, now);
      return g_strdup_printf ("held, waiting for review for %s", age);
    }
  g_autofree char *when = cm_review_time (hold->decided_at);
  return g_strdup_printf ("%s by %s at %s", cm_hold_state_name (hold->state),
                          hold->decided_by ? hold->decided_by : "?", when);
}

/* Print the audit trail EVENTS, one line each, after INDENT. */
static void
print_events (const GPtrArray *events, const char *indent, gboolean with_id)
{
  for (guint i = 0; i < events->len; i++)
    {
      const CmHoldEvent *event = events->pdata[i];
      g_autofree char *at = cm_review_iso_time (event->at);
      g_autofree char *id = cm_review_safe (event->hold_id, FALSE);
      g_autofree char *who = cm_review_safe (event->who, FALSE);
      g_autofree char *what = cm_review_safe (event->what, FALSE);
      g_autofree char *note = cm_review_safe (event->note ? event->note : "", FALSE);
      printf ("%s%s  %s%s%s  %s%s%s\n", indent, at, with_id ? id : "", with_id ? "  " : "", who, what,
              *note ? "  " : "", note);
    }
}

/* Print the text of the held message of SHOWN, indented. */
static void
print_message_text (const CmReviewHold *shown)
{
  g_autofree char *text = shown->text ? g_strchomp (g_strdup (shown->text)) : NULL;
  if (shown->missing)
    printf ("  (the message file is missing: %s)\n", shown->file ? shown->file : shown->record->id);
  else if (text == NULL)
    printf ("  (the message could not be read: %s)\n", shown->message_error);
  else if (*text == '\0')
    printf ("  (the message has no text part; see the file)\n");
  else
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        printf ("%s%s\n", *lines[i] ? "  " : "", lines[i]);
    }
}

/* show: everything about one hold. */
int
cm_review_cmd_show (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 1, 1))
    return REVIEW_USAGE;
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewHold) shown = cm_review_get (review->session, argv[1], &error);
  if (shown == NULL)
    return cm_review_error (error);
  const CmHold *hold = shown->record;
  g_autofree char *state = describe_state (hold, review->now);
  g_autofree char *held = cm_review_time (hold->held_at);
  g_autofree char *age = cm_review_age (hold->held_at, review->now);
  g_autofree char *held_line = g_strdup_printf ("%s (%s ago)", held, age);
  g_autofree char *sender = g_strdup_printf ("%s (%s)", *hold->sender ? hold->sender : "<>",
                                             hold->sender_role ? hold->sender_role : "unknown");
  g_autofree char *file = g_strdup_printf ("%s%s", shown->file ? shown->file : "-",
                                           shown->missing ? " (missing)" : "");
  g_autofree char *id = cm_review_safe (hold->id, FALSE);

  printf ("Held message %s\n", id);
  field ("State:", state);
  if (hold->decision_note)
    field ("Note:", hold->decision_note);
  if (hold->state == CM_HOLD_RELEASED)
    field ("Delivered:", hold->release_used ? "yes, the filter let the released message through"
                                            : "not yet seen by the filter");
  field ("Escalated:", hold->escalated ? "yes, passed to the deputy" : "no");
  field ("Held:", held_line);
  field ("Queue id:", hold->queue_id);
  field ("From:", sender);
  for (guint i = 0; hold->recipients && hold->recipients[i]; i++)
    field (i ? "" : "To:", hold->recipients[i]);
  field ("Subject:", hold->subject ? hold->subject : "(no subject)");
  g_autofree char *rules = hold->rules ? g_strjoinv (", ", hold->rules) : g_strdup ("-");
  field ("Rules:", rules);
  field ("Paragraphs:", hold->clauses);
  field ("File:", file);

  g_autoptr (GString) findings = g_string_new (NULL);
  cm_review_append_findings (findings, review->config, hold->verdict_json, hold->rules,
                             hold->clauses, CM_REVIEW_FINDINGS_PEOPLE, "  ", 78);
  printf ("\nWhy it was held\n%s", findings->str);
  if (hold->explanation)
    {
      g_autofree char *when = cm_review_time (hold->explained_at);
      g_autoptr (GString) text = g_string_new (NULL);
      cm_review_wrap (text, hold->explanation, "  ", 78);
      printf ("\nThe sender's explanation (%s)\n%s", when, text->str);
    }
  printf ("\nThe message's text\n");
  if (shown->file)
    print_message_text (shown);
  printf ("\nAudit trail\n");
  print_events (shown->events, "  ", FALSE);
  return REVIEW_OK;
}

/* ---- audit and report ---------------------------------------------------- */

/* audit: the audit trail, of one hold or of all. */
int
cm_review_cmd_audit (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *since_text = NULL;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, "only events from this day on (UTC)", "YYYY-MM-DD" },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 0, 1))
    return REVIEW_USAGE;
  gint64 since = 0;
  if (since_text && !cm_review_parse_date (since_text, &since))
    return cm_review_usage (command, "--since is a date, YYYY-MM-DD");
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = cm_review_audit (review->session, argc > 1 ? argv[1] : NULL, since, &error);
  if (events == NULL)
    return cm_review_error (error);
  print_events (events, "", TRUE);
  return REVIEW_OK;
}

/* Add "NAME": {name: count, ...} of COUNTS (CmReviewCount *, in order). */
static void
json_add_counts (JsonBuilder *builder, const char *name, const GPtrArray *counts)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; i < counts->len; i++)
    {
      const CmReviewCount *count = counts->pdata[i];
      g_autofree char *valid = g_utf8_make_valid (count->name, -1);
      json_builder_set_member_name (builder, valid);
      json_builder_add_int_value (builder, count->count);
    }
  json_builder_end_object (builder);
}

/* Print TITLE and COUNTS. */
static void
print_counts (const char *title, const GPtrArray *counts)
{
  printf ("\n%s\n", title);
  if (counts->len == 0)
    printf ("  (none)\n");
  for (guint i = 0; i < counts->len; i++)
    {
      const CmReviewCount *count = counts->pdata[i];
      g_autofree char *name = cm_review_safe (count->name, FALSE);
      printf ("  %-24s %5u\n", name, count->count);
    }
}

/* report: counts of the holds held in a period, for the Standards Committee. */
int
cm_review_cmd_report (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *since_text = NULL, *until_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, "the first day of the period (UTC; required)", "YYYY-MM-DD" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text, "the last day of the period (default: today)", "YYYY-MM-DD" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 0, 0))
    return REVIEW_USAGE;
  gint64 since = 0, until = 0;
  if (since_text == NULL || !cm_review_parse_date (since_text, &since))
    return cm_review_usage (command, "--since is required, a date YYYY-MM-DD");
  if (until_text && !cm_review_parse_date (until_text, &until))
    return cm_review_usage (command, "--until is a date, YYYY-MM-DD");
  if (until_text && until < since)
    return cm_review_usage (command, "--until is before --since");
  int status = cm_review_open (review);
  if (status != REVIEW_OK)
    return status;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmReviewReport) report = cm_review_report (review->session, since,
                                                        until_text ? until + CM_REVIEW_DAY : 0, &error);
  if (report == NULL)
    return cm_review_error (error);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_add_string (builder, "since", since_text);
      json_add_string (builder, "until", until_text);
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, report->total);
      json_add_counts (builder, "by_rule", report->by_rule);
      json_add_counts (builder, "by_outcome", report->by_outcome);
      json_add_counts (builder, "by_role", report->by_role);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      printf ("Messages held from %s to %s (UTC): %u\n", since_text, until_text ? until_text : "now",
              report->total);
      print_counts ("By rule (a message held under two rules counts under each):", report->by_rule);
      print_counts ("By outcome (held: still waiting for review):", report->by_outcome);
      print_counts ("By sender:", report->by_role);
    }
  return REVIEW_OK;
}

/*
 * test_review.c: council-review, the built program, reading a hold store
 * in a scratch spool: list and its filters and JSON; show; the audit
 * trail; the report; bad usage and unknown ids.  Its decisions are
 * tested in test_review_decide.c.
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "reviewfixture.h"
#include "review-format.h"

START_TEST (test_list)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (Run) empty = run_review (env, "list", NULL);
  assert_status (empty, 0);
  ck_assert_str_eq (empty->out, "nothing held\n");

  g_autoptr (CmHold) a = hold_simple (env, jane, "member", "officer-criticism", "Planning \x1b[31mred");
  g_autoptr (CmHold) b = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "disrespect", "Budget");
  g_autoptr (CmHold) c = hold_simple (env, "tom.baker@northmoor.gov.uk", "officer", "officer-political", "Cuts");
  ck_assert (cm_holdstore_decide (env->store, c->id, CM_HOLD_REJECTED, "someone", "no", NULL));
  backdate (env, a->id, 3 * DAY + 4 * 3600 + 60);

  g_autoptr (Run) held = run_review (env, "list", NULL);
  assert_status (held, 0);
  g_auto (GStrv) lines = g_strsplit (held->out, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 4); /* header, two holds, "" */
  ck_assert (g_str_has_prefix (lines[0], "ID"));
  ck_assert (g_str_has_prefix (lines[1], a->id)); /* oldest first */
  assert_has (lines[1], "3d 4h");
  assert_has (lines[1], "held");
  assert_has (lines[1], jane);
  assert_has (lines[1], "editor@northmoorgazette.co.uk");
  assert_has (lines[1], "officer-criticism");
  assert_has (lines[1], "Planning ?[31mred"); /* the escape character replaced */
  assert_lacks (held->out, "\x1b");
  ck_assert (g_str_has_prefix (lines[2], b->id));
  assert_lacks (held->out, c->id);

  g_autoptr (Run) all = run_review (env, "list", "--state", "all", NULL);
  assert_status (all, 0);
  assert_has (all->out, c->id);
  assert_has (all->out, "rejected");
  g_autoptr (Run) rejected = run_review (env, "list", "--state=rejected", NULL);
  assert_has (rejected->out, c->id);
  assert_lacks (rejected->out, a->id);
  g_autoptr (Run) by_sender = run_review (env, "list", "--sender", "RAJ.PATEL", NULL);
  assert_has (by_sender->out, b->id);
  assert_lacks (by_sender->out, a->id);
  g_autoptr (Run) by_rule = run_review (env, "list", "--rule", "officer-criticism", NULL);
  assert_has (by_rule->out, a->id);
  assert_lacks (by_rule->out, b->id);
  g_autoptr (Run) old = run_review (env, "list", "--older-than", "2", NULL);
  assert_has (old->out, a->id);
  assert_lacks (old->out, b->id);
  g_autoptr (Run) none = run_review (env, "list", "--older-than", "4", NULL);
  assert_status (none, 0);
  ck_assert_str_eq (none->out, "no held messages match\n");

  g_autoptr (Run) json = run_review (env, "list", "--state", "all", "--json", NULL);
  assert_status (json, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  ck_assert_msg (json_parser_load_from_data (parser, json->out, -1, &error), "%s", json->out);
  JsonArray *array = json_node_get_array (json_parser_get_root (parser));
  ck_assert_uint_eq (json_array_get_length (array), 3);
  JsonObject *first = json_array_get_object_element (array, 0);
  ck_assert_str_eq (json_object_get_string_member (first, "id"), a->id);
  ck_assert_str_eq (json_object_get_string_member (first, "state"), "held");
  ck_assert_str_eq (json_object_get_string_member (first, "subject"), "Planning \x1b[31mred");
  ck_assert_int_eq (json_object_get_int_member (first, "held_at"), a->held_at - 3 * DAY - 4 * 3600 - 60);
  ck_assert_str_eq (json_object_get_string_member (first, "sender_role"), "member");
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (first, "recipients"), 0),
                    "editor@northmoorgazette.co.uk");
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (first, "rules"), 0),
                    "officer-criticism");
  JsonObject *verdict = json_object_get_object_member (first, "verdict");
  ck_assert_str_eq (json_object_get_string_member (verdict, "action"), "hold");
  ck_assert (!json_object_get_boolean_member (first, "escalated"));
  ck_assert (!json_object_get_boolean_member (first, "release_used"));
  ck_assert (json_object_get_null_member (first, "decided_at"));
  JsonObject *third = json_array_get_object_element (array, 2);
  ck_assert_str_eq (json_object_get_string_member (third, "decided_by"), "someone");
  ck_assert_str_eq (json_object_get_string_member (third, "decision_note"), "no");
  const char *const fields[] = { "queue_id", "sender", "clauses", "explanation", "explained_at", NULL };
  for (guint i = 0; fields[i]; i++)
    ck_assert_msg (json_object_has_member (first, fields[i]), "no %s", fields[i]);

  g_autoptr (Run) empty_json = run_review (env, "list", "--rule", "nothing-such", "--json", NULL);
  assert_status (empty_json, 0);
  ck_assert_str_eq (g_strstrip (empty_json->out), "[]");

  g_autoptr (Run) bad_state = run_review (env, "list", "--state", "lost", NULL);
  assert_status (bad_state, 2);
  assert_has (bad_state->err, "council-review: list: --state");
  g_autoptr (Run) bad_days = run_review (env, "list", "--older-than", "-3", NULL);
  assert_status (bad_days, 2);
}
END_TEST

START_TEST (test_show)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) hold = hold_message (env, jane, NULL, obligation_message);
  ck_assert_msg (hold->clauses && *hold->clauses, "the engine found nothing to hold");
  /* The paragraph's text, from [policy] paragraphs beside the configuration. */
  g_autofree char *first_clause = g_strndup (hold->clauses, strcspn (hold->clauses, ";"));
  g_autofree char *dir = g_path_get_dirname (env->config);
  g_autofree char *paragraphs = g_strdup_printf ("[%s]\ntext=Members must not commit the council "
                                                 "to spending.\n", first_clause);
  g_free (test_write (dir, "paragraphs.conf", paragraphs));
  ck_assert (cm_holdstore_explain (env->store, hold->id, "The leader asked me to\x07 write.", NULL));

  g_autoptr (Run) run = run_review (env, "show", hold->id, NULL);
  assert_status (run, 0);
  assert_has (run->out, hold->id);
  assert_has (run->out, "held, waiting for review");
  assert_has (run->out, "cllr.jane.smith@northmoor.gov.uk (member)");
  assert_has (run->out, "builder@example.org");
  assert_has (run->out, "tom.baker@northmoor.gov.uk");
  assert_has (run->out, "Fence repairs");
  assert_has (run->out, "4Xyz1AbC");
  assert_has (run->out, first_clause);
  assert_has (run->out, "member-obligation");
  assert_has (run->out, "> The council will pay for the fence.");
  assert_has (run->out, "Members must not commit the council to spending.");
  assert_has (run->out, "The leader asked me to? write.");
  assert_has (run->out, "The message's text\n  The council will pay for the fence.\n");
  g_autofree char *path = cm_holdstore_message_path (env->store, hold->id);
  assert_has (run->out, path);
  assert_lacks (run->out, "(missing)");
  assert_has (run->out, "council-milter  held");
  assert_has (run->out, "explained");
  assert_lacks (run->out, "\x07");

  /* An HTML-only message is shown as text; a missing file is said. */
  const char html[] = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n"
                      "Subject: HTML\nContent-Type: text/html; charset=utf-8\n\n"
                      "<html><body><p>The council will pay for the <b>fence</b>.</p>"
                      "<script>alert(1)</script></body></html>\n";
  g_autoptr (CmHold) other = hold_message (env, jane, NULL, html);
  g_autoptr (Run) shown = run_review (env, "show", other->id, NULL);
  assert_status (shown, 0);
  assert_has (shown->out, "  The council will pay for the fence.\n");
  assert_lacks (shown->out, "<b>");
  assert_lacks (shown->out, "alert");
  g_autofree char *other_path = cm_holdstore_message_path (env->store, other->id);
  ck_assert_int_eq (g_unlink (other_path), 0);
  g_autoptr (Run) missing = run_review (env, "show", other->id, NULL);
  assert_status (missing, 0);
  assert_has (missing->out, "(missing)");
  assert_has (missing->out, "the message file is missing");
}
END_TEST

START_TEST (test_audit)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) a = hold_message (env, jane, NULL, obligation_message);
  g_autoptr (CmHold) b = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "disrespect", "Budget");
  g_autoptr (Run) rejected = run_review (env, "reject", b->id, "--reason", "Too\nrude.", NULL);
  assert_status (rejected, 0);

  g_autoptr (Run) all = run_review (env, "audit", NULL);
  assert_status (all, 0);
  g_auto (GStrv) lines = g_strsplit (g_strchomp (all->out), "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 4); /* held, held, rejected, notified */
  ck_assert (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z  ", lines[0], 0, 0));
  g_autofree char *held = g_strdup_printf ("  %s  council-milter  held  ", a->id);
  assert_has (lines[0], held);
  g_autofree char *decision = g_strdup_printf ("  %s  " REVIEWER "  rejected  Too rude.", b->id);
  assert_has (lines[2], decision);
  assert_has (lines[3], "notified");

  g_autoptr (Run) one = run_review (env, "audit", b->id, NULL);
  assert_status (one, 0);
  assert_lacks (one->out, a->id);
  assert_has (one->out, "rejected");
  g_autoptr (Run) later = run_review (env, "audit", "--since", "2999-01-01", NULL);
  assert_status (later, 0);
  ck_assert_str_eq (later->out, "");
  g_autoptr (Run) since = run_review (env, "audit", "--since", "2000-01-01", a->id, NULL);
  assert_has (since->out, a->id);
  g_autoptr (Run) bad_date = run_review (env, "audit", "--since", "2026-02-30", NULL);
  assert_status (bad_date, 2);
  g_autoptr (Run) unknown = run_review (env, "audit", "20000101-000000-abcdef", NULL);
  assert_status (unknown, 1);
}
END_TEST

START_TEST (test_report)
{
  g_autoptr (Env) env = env_new (NULL);
  g_autoptr (CmHold) a = hold_simple (env, jane, "member", "officer-criticism", "A");
  g_autoptr (CmHold) b = hold_simple (env, "cllr.raj.patel@northmoor.gov.uk", "member", "officer-criticism", "B");
  g_autoptr (CmHold) c = hold_simple (env, "tom.baker@northmoor.gov.uk", "officer", "officer-political", "C");
  g_autoptr (CmHold) d = hold_simple (env, jane, "member", "disrespect", "D");
  ck_assert (cm_holdstore_decide (env->store, b->id, CM_HOLD_RELEASED, "x", NULL, NULL));
  ck_assert (cm_holdstore_decide (env->store, c->id, CM_HOLD_REJECTED, "x", "no", NULL));
  backdate (env, d->id, 400 * DAY); /* before the period */
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) month_ago = g_date_time_add_days (now, -30);
  g_autofree char *since = g_date_time_format (month_ago, "%Y-%m-%d");
  g_autofree char *until = g_date_time_format (now, "%Y-%m-%d");

  g_autoptr (Run) json = run_review (env, "report", "--since", since, "--until", until, "--json", NULL);
  assert_status (json, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (parser, json->out, -1, NULL), "%s", json->out);
  JsonObject *report = json_node_get_object (json_parser_get_root (parser));
  ck_assert_int_eq (json_object_get_int_member (report, "total"), 3);
  ck_assert_str_eq (json_object_get_string_member (report, "since"), since);
  JsonObject *by_rule = json_object_get_object_member (report, "by_rule");
  ck_assert_int_eq (json_object_get_int_member (by_rule, "officer-criticism"), 2);
  ck_assert_int_eq (json_object_get_int_member (by_rule, "officer-political"), 1);
  ck_assert (!json_object_has_member (by_rule, "disrespect"));
  JsonObject *by_outcome = json_object_get_object_member (report, "by_outcome");
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "held"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "released"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "rejected"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_outcome, "expired"), 0);
  JsonObject *by_role = json_object_get_object_member (report, "by_role");
  ck_assert_int_eq (json_object_get_int_member (by_role, "member"), 2);
  ck_assert_int_eq (json_object_get_int_member (by_role, "officer"), 1);
  ck_assert_int_eq (json_object_get_int_member (by_role, "external"), 0);

  g_autoptr (Run) text = run_review (env, "report", "--since", since, NULL);
  assert_status (text, 0);
  assert_has (text->out, ": 3\n");
  ck_assert (g_regex_match_simple ("officer-criticism +2\n", text->out, 0, 0));
  ck_assert (g_regex_match_simple ("withdrawn +0\n", text->out, 0, 0));
  g_autoptr (Run) all_time = run_review (env, "report", "--since", "2000-01-01", "--json", NULL);
  assert_status (all_time, 0);
  g_autoptr (JsonParser) all_parser = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (all_parser, all_time->out, -1, NULL), "%s", all_time->out);
  JsonObject *all_report = json_node_get_object (json_parser_get_root (all_parser));
  ck_assert_int_eq (json_object_get_int_member (all_report, "total"), 4);
  ck_assert (json_object_get_null_member (all_report, "until"));

  g_autoptr (Run) no_since = run_review (env, "report", NULL);
  assert_status (no_since, 2);
  g_autoptr (Run) backwards = run_review (env, "report", "--since", until, "--until", "2000-01-01", NULL);
  assert_status (backwards, 2);
  g_autoptr (Run) bad = run_review (env, "report", "--since", "yesterday", NULL);
  assert_status (bad, 2);
}
END_TEST

/* F2 of issue 9: a held message whose only text parts are empty, in a
 * charset off the fast path and in HTML nested deeper than the engine
 * reads, is shown as empty text, not a crash. */
START_TEST (test_message_text_empty_parts)
{
  GString *deep = g_string_new ("From: a@northmoor.gov.uk\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
  for (int i = 0; i < 40; i++)
    g_string_append_printf (deep, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i + 1);
  g_string_append (deep, "--b40\nContent-Type: text/html; charset=koi8-r\n\n\n--b40--\n");
  const char *const messages[] = {
    "From: a@northmoor.gov.uk\nContent-Type: text/plain; charset=koi8-r\n\n",
    "From: a@northmoor.gov.uk\nContent-Type: text/html; charset=windows-1250\n"
    "Content-Transfer-Encoding: base64\n\n",
    deep->str,
  };
  g_autofree char *dir = test_scratch_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autofree char *path = test_write (dir, "held.eml", messages[i]);
      g_autoptr (GError) error = NULL;
      g_autofree char *text = cm_review_message_text (path, &error);
      ck_assert_msg (text != NULL, "message %u: %s", i, error ? error->message : "");
      ck_assert_str_eq (g_strstrip (text), "");
    }
  g_string_free (deep, TRUE);
}
END_TEST

/* A message held for a partial scan alone (issue 9 item 2) is shown with
 * why it was held, not as "Rules: (none recorded)". */
START_TEST (test_partial_scan_findings)
{
  g_autoptr (CmConfig) config = test_example_config ();
  const char *json = "{\"action\": \"hold\", \"checked\": true, \"sender\": {\"address\": \"a@northmoor.gov.uk\", "
                     "\"role\": \"officer\", \"name\": null}, \"findings\": [], \"scan\": {\"complete\": false, "
                     "\"bytes\": 100, \"truncated\": false, \"partial\": [\"mime-depth 33 > 32\", \"parts 1001 > 1000\"], "
                     "\"partial_action\": \"hold\"}}";
  g_autoptr (GString) out = g_string_new (NULL);
  char *rules[] = { NULL };
  cm_review_append_findings (out, config, json, rules, "", CM_REVIEW_FINDINGS_PLAIN, "", 200);
  ck_assert_msg (strstr (out->str, "Read in part, past the filter's limits: mime-depth 33 > 32; parts 1001 > 1000 "
                                   "([policy] partial: hold)"), "%s", out->str);
  ck_assert_msg (strstr (out->str, "none recorded") == NULL, "%s", out->str);
}
END_TEST

START_TEST (test_usage)
{
  g_autoptr (Env) env = env_new (NULL);
  const char *const *cases[] = {
    (const char *const[]) { NULL },
    (const char *const[]) { "frobnicate", NULL },
    (const char *const[]) { "show", NULL },
    (const char *const[]) { "show", "a", "b", NULL },
    (const char *const[]) { "release", NULL },
    (const char *const[]) { "list", "extra", NULL },
    (const char *const[]) { "list", "--bogus", NULL },
    (const char *const[]) { "reject", "20000101-000000-abcdef", "--reason", "  ", NULL },
    (const char *const[]) { "digest", "now", NULL },
    (const char *const[]) { "--bogus", "list", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GSubprocess) process = spawn (env, cases[i]);
      g_autoptr (Run) run = finish (process);
      ck_assert_msg (run->status == 2, "case %u: exit %d: %s", i, run->status, run->err);
      ck_assert_msg (g_str_has_prefix (run->err, "council-review: "), "case %u: %s", i, run->err);
      ck_assert_str_eq (run->out, "");
    }
  g_autoptr (Run) unknown = run_review (env, "show", "20000101-000000-abcdef", NULL);
  assert_status (unknown, 1);
  assert_has (unknown->err, "council-review: no held message has the id 20000101-000000-abcdef");
  g_autoptr (Run) malformed = run_review (env, "release", "../../etc/passwd", NULL);
  assert_status (malformed, 1);
  g_autoptr (Run) unknown_reject = run_review (env, "reject", "20000101-000000-abcdef", "--reason", "x", NULL);
  assert_status (unknown_reject, 1);

  g_free (env->config);
  env->config = g_strdup ("/nonexistent/council-milter.conf");
  g_autoptr (Run) no_config = run_review (env, "list", NULL);
  assert_status (no_config, 2);
  assert_has (no_config->err, "/nonexistent/council-milter.conf");
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("review");
  TCase *tc = tcase_create ("review");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_list);
  tcase_add_test (tc, test_show);
  tcase_add_test (tc, test_audit);
  tcase_add_test (tc, test_report);
  tcase_add_test (tc, test_partial_scan_findings);
  tcase_add_test (tc, test_usage);
  tcase_add_test (tc, test_message_text_empty_parts);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

/*
 * test_verdict.c: findings to one action under each mode, and the JSON
 * and text renderings of DESIGN.md.
 */
#include "config.h"

#include <string.h>

#include "rules.h"
#include "verdict.h"
#include "testutil.h"

static CmFinding *
finding (const char *rule, CmAction action)
{
  CmFinding *f = cm_finding_new (cm_rule_find (rule), "Newton Abbot 13", "a \"quoted\" summary");
  f->action = action;
  return f;
}

START_TEST (test_decide)
{
  g_autoptr (GPtrArray) none = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_finding_free);
  ck_assert_int_eq (cm_verdict_decide (CM_MODE_ENFORCE, none), CM_ACTION_NONE);
  ck_assert_int_eq (cm_verdict_decide (CM_MODE_MONITOR, none), CM_ACTION_NONE);

  g_autoptr (GPtrArray) some = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_finding_free);
  g_ptr_array_add (some, finding ("bcc-member", CM_ACTION_WARN));
  g_ptr_array_add (some, finding ("member-obligation", CM_ACTION_REJECT));
  g_ptr_array_add (some, finding ("officer-criticism", CM_ACTION_HOLD));
  ck_assert_int_eq (cm_verdict_decide (CM_MODE_ENFORCE, some), CM_ACTION_REJECT);
  ck_assert_int_eq (cm_verdict_decide (CM_MODE_ADVISE, some), CM_ACTION_WARN);
  ck_assert_int_eq (cm_verdict_decide (CM_MODE_MONITOR, some), CM_ACTION_TAG);

  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_finding_free);
  g_ptr_array_add (tags, finding ("bcc-member", CM_ACTION_TAG));
  ck_assert_int_eq (cm_verdict_decide (CM_MODE_ADVISE, tags), CM_ACTION_TAG);
}
END_TEST

START_TEST (test_names)
{
  ck_assert_str_eq (cm_action_name (CM_ACTION_HOLD), "hold");
  ck_assert_str_eq (cm_action_name (CM_ACTION_NONE), "accept");
  ck_assert_str_eq (cm_rule_action_name (CM_ACTION_NONE), "off");
  ck_assert_str_eq (cm_mode_name (CM_MODE_ADVISE), "advise");
  ck_assert_str_eq (cm_role_name (CM_ROLE_MEMBER), "member");
}
END_TEST

START_TEST (test_json)
{
  g_autoptr (CmVerdict) v = g_new0 (CmVerdict, 1);
  v->action = CM_ACTION_HOLD;
  v->checked = TRUE;
  v->sender_address = g_strdup ("cllr.jane.smith@northmoor.gov.uk");
  v->sender_role = CM_ROLE_MEMBER;
  v->sender_name = g_strdup ("Jane \"JS\" Smith");
  v->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_finding_free);
  CmFinding *f = finding ("officer-criticism", CM_ACTION_HOLD);
  cm_finding_add_evidence (f, "Line one\nwith a tab\t and \\ backslash \x01 and \xc2\xa3");
  cm_finding_add_evidence (f, "Line one\nwith a tab\t and \\ backslash \x01 and \xc2\xa3"); /* once only */
  cm_finding_add_person (f, "tom.baker@northmoor.gov.uk");
  g_ptr_array_add (v->findings, f);
  g_autofree char *json = cm_verdict_to_json (v);
  ck_assert_str_eq (json,
      "{\"action\": \"hold\", \"checked\": true, \"sender\": {\"address\": \"cllr.jane.smith@northmoor.gov.uk\", "
      "\"role\": \"member\", \"name\": \"Jane \\\"JS\\\" Smith\"}, \"findings\": [{\"rule\": \"officer-criticism\", "
      "\"action\": \"hold\", \"clause\": \"Newton Abbot 13\", \"summary\": \"a \\\"quoted\\\" summary\", "
      "\"evidence\": [\"Line one\\nwith a tab\\t and \\\\ backslash \\u0001 and \xc2\xa3\"], "
      "\"people\": [\"tom.baker@northmoor.gov.uk\"]}]}");

  g_autofree char *text = cm_verdict_to_text (v);
  ck_assert_msg (strstr (text, "verdict: hold, 1 finding\n"), "%s", text);
  ck_assert_msg (strstr (text, "officer-criticism [hold], Newton Abbot 13\n"), "%s", text);
  ck_assert_msg (strstr (text, "person:   tom.baker@northmoor.gov.uk"), "%s", text);
  /* F10 of issue 9: no control character reaches a terminal as it is. */
  ck_assert_msg (strstr (text, "evidence: \"Line one\\x0awith a tab\\x09 and \\ backslash \\x01 and \xc2\xa3\""),
                 "%s", text);
  cm_finding_add_evidence (f, "\x1b]0;owned\x07 and \x1b[31mred\x1b[0m and \xc2\x9b" "2J");
  g_autofree char *hostile = cm_verdict_to_text (v);
  ck_assert_ptr_null (strchr (hostile, '\x1b'));
  ck_assert_ptr_null (strchr (hostile, '\x07'));
  ck_assert_ptr_null (strstr (hostile, "\xc2\x9b"));
  ck_assert_msg (strstr (hostile, "\\x1b]0;owned\\x07 and \\x1b[31mred\\x1b[0m and \\u009b2J"), "%s", hostile);
  for (const char *p = hostile; *p; p++)
    ck_assert ((guchar) *p >= 0x20 || *p == '\n');
}
END_TEST

START_TEST (test_json_unchecked)
{
  g_autoptr (CmVerdict) v = g_new0 (CmVerdict, 1);
  v->sender_address = g_strdup ("");
  v->findings = g_ptr_array_new ();
  g_autofree char *json = cm_verdict_to_json (v);
  ck_assert_str_eq (json, "{\"action\": \"accept\", \"checked\": false, \"sender\": {\"address\": \"\", "
                          "\"role\": \"external\", \"name\": null}, \"findings\": []}");
  g_autofree char *text = cm_verdict_to_text (v);
  ck_assert_msg (strstr (text, "not outgoing council mail"), "%s", text);
}
END_TEST

START_TEST (test_long_evidence_is_cut)
{
  CmFinding *f = finding ("officer-criticism", CM_ACTION_HOLD);
  GString *longer = g_string_new (NULL);
  for (int i = 0; i < 300; i++)
    g_string_append (longer, "\xc2\xa3" "a");
  cm_finding_add_evidence (f, longer->str);
  const char *kept = f->evidence->pdata[0];
  ck_assert (g_utf8_validate (kept, -1, NULL));
  ck_assert_int_eq (g_utf8_strlen (kept, -1), 401);
  ck_assert (g_str_has_suffix (kept, "\xe2\x80\xa6"));
  g_string_free (longer, TRUE);
  cm_finding_free (f);
}
END_TEST

/* Text for a terminal: controls escaped; bytes that are not UTF-8 (a
 * name from LDAP, a lead byte at the very end) shown one by one, never
 * read past the end. */
START_TEST (test_printable)
{
  g_autofree char *escape = cm_printable ("Jane\033[31m Smith\n");
  ck_assert_str_eq (escape, "Jane\\x1b[31m Smith\\x0a");
  g_autofree char *c1 = cm_printable ("a\xc2\x9b" "b caf\xc3\xa9");
  ck_assert_str_eq (c1, "a\\u009bb caf\xc3\xa9");
  g_autofree char *latin1 = cm_printable ("caf\xe9 ok");
  ck_assert_str_eq (latin1, "caf\\xe9 ok");
  g_autofree char *cut = cm_printable ("x\xf0");
  ck_assert_str_eq (cut, "x\\xf0");
}
END_TEST

START_TEST (test_modes_through_engine)
{
  const char *message = "From: cllr.jane.smith@northmoor.gov.uk\nTo: builder@example.org\n\n"
                        "The council will pay for the fence.\n";
  const char *modes[] = { "advise", "monitor" };
  CmAction expected[] = { CM_ACTION_WARN, CM_ACTION_TAG };
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *path = test_config_variant (NULL, NULL);
      g_autofree char *text = NULL;
      ck_assert (g_file_get_contents (path, &text, NULL, NULL));
      g_autofree char *mode = g_strdup_printf ("mode=%s", modes[i]);
      GString *edited = g_string_new (text);
      g_string_replace (edited, "mode=enforce", mode, 1);
      ck_assert (g_file_set_contents (path, edited->str, -1, NULL));
      g_string_free (edited, TRUE);
      g_autoptr (CmConfig) config = cm_config_load (path, NULL);
      ck_assert_ptr_nonnull (config);
      g_autoptr (CmVerdict) v = test_check (config, NULL, message);
      ck_assert_int_eq (v->action, expected[i]);
      /* The finding keeps the rule's configured action. */
      ck_assert_int_eq (test_finding (v, "member-obligation")->action, CM_ACTION_HOLD);
    }
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("verdict");
  TCase *tc = tcase_create ("verdict");
  tcase_add_test (tc, test_decide);
  tcase_add_test (tc, test_names);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_json_unchecked);
  tcase_add_test (tc, test_long_evidence_is_cut);
  tcase_add_test (tc, test_modes_through_engine);
  tcase_add_test (tc, test_printable);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

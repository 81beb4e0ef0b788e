/*
 * test_paragraphs.c: the rule table and the paragraphs file: what each
 * rule declares, the clause each situation cites as shipped, a council
 * that numbers its protocol differently, and the load errors of a wrong
 * citation (file, line and key).
 */
#include "config.h"

#include <string.h>

#include "testutil.h"
#include "configuration.h"
#include "paragraphs.h"
#include "rules.h"

#define JANE "Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>"
#define TOM "Tom Baker <tom.baker@northmoor.gov.uk>"
#define RAJ "cllr.raj.patel@northmoor.gov.uk"

/* A criticism of an officer copied to another member: the situation
 * "members" of officer-criticism. */
static const char criticism[] =
  "From: " JANE "\nTo: " TOM "\nCc: " RAJ "\nSubject: Test\n"
  "Content-Type: text/plain; charset=utf-8\n\n"
  "Dear Tom,\n\nThe Head of Planning has been utterly incompetent over this.\n";

/* The example configuration with PARAGRAPHS as its paragraphs file
 * (NULL: no file); the load error, if any, in *MESSAGE. */
static CmConfig *
load_with (const char *paragraphs, char **message, char **paragraphs_path)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = paragraphs ? test_write (dir, "council.conf", paragraphs)
                                     : g_build_filename (dir, "absent.conf", NULL);
  g_autofree char *extra = g_strdup_printf ("[policy]\nparagraphs=%s\n", path);
  g_autofree char *conf = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  cm_policy_init ();
  CmConfig *config = cm_config_load (conf, &error);
  if (message)
    *message = error ? g_strdup (error->message) : NULL;
  if (paragraphs_path)
    *paragraphs_path = g_steal_pointer (&path);
  return config;
}

/* Anytown numbers its protocol its own way: officer-criticism cites its
 * paragraphs, the other rules keep the shipped ones. */
static const char anytown[] =
  "[rule:officer-criticism]\n"
  "members=Anytown 7.3\n"
  "media=Anytown 7.4\n"
  "# criticism sent outside the council\n"
  "outside=Anytown 7.4\n"
  "\n"
  "[Anytown 7.3]\n"
  "text=Members do not criticise officers in mail copied to other members.\n"
  "\n"
  "[Anytown 7.4]\n"
  "text=Members do not criticise officers in public.\n";

START_TEST (test_table_declares_each_rule)
{
  g_autofree char *lexicon = test_srcdir ("config/lexicon");
  for (guint i = 0; i < cm_n_rules; i++)
    {
      const CmRule *rule = &cm_rules[i];
      ck_assert_msg (rule->situations && rule->situations[0].key, "%s cites nothing", rule->id);
      for (const CmSituation *s = rule->situations; s->key; s++)
        ck_assert_msg (s->about && *s->about, "%s %s: no description", rule->id, s->key);
      ck_assert_msg (rule->advice && *rule->advice && rule->check, "%s", rule->id);
      /* Every list it names is a file of the shipped lexicon. */
      for (const char *const *l = rule->lists; l && *l; l++)
        {
          g_autofree char *file = g_build_filename (lexicon, *l, NULL);
          ck_assert_msg (g_file_test (file, G_FILE_TEST_IS_REGULAR), "%s reads %s: not there", rule->id, *l);
        }
      /* A rule reads some words: a CM_HIT_ list, another list, or the
       * directory's names (bcc-member's disclosure lines). */
      ck_assert_msg (rule->hits || (rule->lists && rule->lists[0]), "%s reads no word list", rule->id);
      for (const CmRuleParam *p = rule->params; p && p->name; p++)
        ck_assert_msg (p->value > 0 && p->about, "%s %s", rule->id, p->name);
    }
  const CmRule *disclosure = cm_rule_find ("confidential-disclosure");
  ck_assert_int_eq (cm_rule_param (disclosure, "marking-max-words"), 8);
  ck_assert_int_eq (cm_rule_param (disclosure, "marking-max-line"), 120);
  ck_assert_ptr_nonnull (cm_rule_situation (cm_rule_find ("officer-criticism"), "members"));
  ck_assert_ptr_null (cm_rule_situation (cm_rule_find ("officer-criticism"), "press"));
}
END_TEST

/* The shipped file gives every situation a clause it quotes, and the
 * citations built into the program (a file without [rule:ID] groups, or
 * none at all) are the same. */
START_TEST (test_shipped_citations)
{
  g_autoptr (CmConfig) example = test_example_config ();
  g_autoptr (CmConfig) none = load_with (NULL, NULL, NULL);
  ck_assert_ptr_nonnull (none);
  const CmParagraphs *shipped = cm_config_paragraphs (example);
  const CmParagraphs *builtin = cm_config_paragraphs (none);
  ck_assert_uint_eq (cm_paragraphs_count (builtin), 0);
  for (guint i = 0; i < cm_n_rules; i++)
    {
      const CmRule *rule = &cm_rules[i];
      ck_assert (!cm_paragraphs_shipped (shipped, rule));
      ck_assert (cm_paragraphs_shipped (builtin, rule));
      for (const CmSituation *s = rule->situations; s->key; s++)
        {
          const char *clause = cm_paragraphs_cite (shipped, rule, s->key);
          ck_assert_msg (*clause, "%s %s", rule->id, s->key);
          ck_assert_msg (cm_config_paragraph (example, clause), "%s %s: %s has no text", rule->id, s->key, clause);
          ck_assert_str_eq (cm_paragraphs_cite (builtin, rule, s->key), clause);
        }
    }
  /* Today's numbers, which the verdicts of tests/messages carry. */
  const CmRule *criticism_rule = cm_rule_find ("officer-criticism");
  ck_assert_str_eq (cm_paragraphs_cite (shipped, criticism_rule, "members"), "South Ribble 16.2");
  ck_assert_str_eq (cm_paragraphs_cite (shipped, criticism_rule, "media"), "Cambridgeshire 5.5");
  ck_assert_str_eq (cm_paragraphs_cite (shipped, criticism_rule, "outside"), "South Ribble 4.6");
  ck_assert_str_eq (cm_paragraphs_cite (shipped, cm_rule_find ("confidential-disclosure"), "media-part2"),
                    "South Ribble 14.3");
  g_autofree char *described = cm_config_describe (example);
  ck_assert_msg (strstr (described, "rule officer-criticism: hold (members South Ribble 16.2; media "
                         "Cambridgeshire 5.5; outside South Ribble 4.6)\n"), "%s", described);
  g_autofree char *bare = cm_config_describe (none);
  ck_assert_msg (strstr (bare, "rule bcc-member: warn (blind-copy Newton Abbot 13 [number only]), as shipped"),
                 "%s", bare);
}
END_TEST

START_TEST (test_renumbered_council)
{
  g_autofree char *message = NULL;
  g_autoptr (CmConfig) config = load_with (anytown, &message, NULL);
  ck_assert_msg (config != NULL, "%s", message);
  g_autoptr (CmVerdict) verdict = test_check (config, NULL, criticism);
  const CmFinding *f = test_finding (verdict, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Anytown 7.3");
  /* The notice quotes the council's own paragraph (notify.c asks this). */
  ck_assert_str_eq (cm_config_paragraph (config, f->clause),
                    "Members do not criticise officers in mail copied to other members.");
  g_autofree char *text = cm_verdict_to_text (verdict);
  ck_assert_msg (strstr (text, "officer-criticism [hold], Anytown 7.3\n"), "%s", text);
  g_autofree char *json = cm_verdict_to_json (verdict);
  ck_assert_msg (strstr (json, "\"clause\": \"Anytown 7.3\""), "%s", json);

  /* The same message to the press cites the media situation. */
  g_autoptr (GString) press = g_string_new (criticism);
  g_string_replace (press, "To: " TOM "\nCc: " RAJ, "To: newsdesk@northmoorgazette.co.uk", 1);
  g_autoptr (CmVerdict) to_press = test_check (config, NULL, press->str);
  f = test_finding (to_press, "officer-criticism");
  ck_assert_ptr_nonnull (f);
  ck_assert_str_eq (f->clause, "Anytown 7.4");

  /* Rules without a group keep the shipped citations, number only. */
  const CmParagraphs *paragraphs = cm_config_paragraphs (config);
  ck_assert (cm_paragraphs_shipped (paragraphs, cm_rule_find ("bcc-member")));
  ck_assert_str_eq (cm_paragraphs_cite (paragraphs, cm_rule_find ("bcc-member"), "blind-copy"), "Newton Abbot 13");
  ck_assert_ptr_null (cm_config_paragraph (config, "Newton Abbot 13"));
  g_autofree char *described = cm_config_describe (config);
  ck_assert_msg (strstr (described, "rule officer-criticism: hold (members Anytown 7.3; media Anytown 7.4; "
                         "outside Anytown 7.4)\n"), "%s", described);
}
END_TEST

/* A wrong citation stops the load: the message names the configuration,
 * the paragraphs file with the line, the group and the key. */
static void
assert_load_error (const char *paragraphs, int line, const char *group_key, const char *why)
{
  g_autofree char *message = NULL;
  g_autofree char *path = NULL;
  g_autoptr (CmConfig) config = load_with (paragraphs, &message, &path);
  ck_assert_msg (config == NULL, "loaded: %s", paragraphs);
  g_autofree char *where = g_strdup_printf ("%s:%d: %s: ", path, line, group_key);
  ck_assert_msg (strstr (message, "[policy] paragraphs"), "%s", message);
  ck_assert_msg (strstr (message, where), "no \"%s\" in: %s", where, message);
  ck_assert_msg (strstr (message, why), "no \"%s\" in: %s", why, message);
}

START_TEST (test_bad_citations)
{
  /* A clause the file does not quote (here, a typo). */
  g_autoptr (GString) typo = g_string_new (anytown);
  g_string_replace (typo, "members=Anytown 7.3", "members=Anytown 73", 1);
  assert_load_error (typo->str, 2, "[rule:officer-criticism] members", "\"Anytown 73\" has no paragraph");

  /* A situation left out. */
  g_autoptr (GString) missing = g_string_new (anytown);
  g_string_replace (missing, "outside=Anytown 7.4\n", "", 1);
  assert_load_error (missing->str, 1, "[rule:officer-criticism] outside", "no clause for");

  /* An empty clause. */
  g_autoptr (GString) empty = g_string_new (anytown);
  g_string_replace (empty, "media=Anytown 7.4", "media=", 1);
  assert_load_error (empty->str, 3, "[rule:officer-criticism] media", "no clause for");

  /* A situation the rule does not tell apart. */
  g_autoptr (GString) unknown = g_string_new (anytown);
  g_string_replace (unknown, "media=Anytown 7.4", "press=Anytown 7.4", 1);
  assert_load_error (unknown->str, 3, "[rule:officer-criticism] press", "situations: members, media, outside");

  /* No such rule. */
  assert_load_error ("[rule:officer-insult]\nmembers=Anytown 7.3\n[Anytown 7.3]\ntext=x\n", 1,
                     "[rule:officer-insult]", "no rule is called");

  /* A paragraph without its words. */
  assert_load_error ("[Anytown 7.3]\ncouncil=Anytown\n", 1, "[Anytown 7.3]", "has no text");
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("paragraphs");
  TCase *tc = tcase_create ("paragraphs");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_table_declares_each_rule);
  tcase_add_test (tc, test_shipped_citations);
  tcase_add_test (tc, test_renumbered_council);
  tcase_add_test (tc, test_bad_citations);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

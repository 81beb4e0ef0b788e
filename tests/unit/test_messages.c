/*
 * test_messages.c: every message under tests/messages/<rule>/breach must
 * make <rule> fire (with the evidence and people its X-Test- headers
 * name); every message under <rule>/compliant must give no finding at
 * all.  Each file is its own test, so a failure names the file.
 */
#include "config.h"

#include <string.h>

#include "text.h"
#include "testutil.h"

static const char *const rules[] = { "bcc-member", "officer-criticism", "member-obligation",
                                     "confidential-disclosure", "political-use", "employment-lobbying",
                                     "disrespect", "officer-political" };
#define MIN_PER_FOLDER 12

typedef struct {
  char *path;
  const char *rule;
  gboolean breach;
} Case;

static GPtrArray *cases; /* Case * */

/* TEXT with runs of white space folded to one space. */
static char *
fold (const char *text)
{
  CmSpan all = { 0, strlen (text) };
  return cm_sentences_text (text, all);
}

/* The values of header NAME in the header block of DATA. */
static GPtrArray *
test_headers (const char *data, const char *name)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  gsize len = strlen (name);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = lines[i];
      g_strchomp (line);
      if (*line == '\0')
        break;
      if (g_ascii_strncasecmp (line, name, len) == 0 && line[len] == ':')
        g_ptr_array_add (values, g_strstrip (g_strdup (line + len + 1)));
    }
  return values;
}

static gboolean
evidence_has (const CmFinding *finding, const char *wanted)
{
  g_autofree char *want = fold (wanted);
  for (guint i = 0; i < finding->evidence->len; i++)
    {
      g_autofree char *have = fold (finding->evidence->pdata[i]);
      if (strstr (have, want))
        return TRUE;
    }
  return FALSE;
}

static char *
describe (const CmVerdict *v)
{
  g_autofree char *json = cm_verdict_to_json (v);
  return g_strdup (json);
}

START_TEST (test_message)
{
  const Case *c = cases->pdata[_i];
  g_autofree char *data = NULL;
  ck_assert (g_file_get_contents (c->path, &data, NULL, NULL));
  g_autoptr (CmVerdict) v = test_check_file (test_config, NULL, c->path);
  g_autofree char *got = describe (v);
  ck_assert_msg (v->checked, "%s: not checked (sender not council mail): %s", c->path, got);

  if (!c->breach)
    {
      ck_assert_msg (v->findings->len == 0, "%s: compliant message has findings: %s", c->path, got);
      ck_assert_int_eq (v->action, CM_ACTION_NONE);
      return;
    }
  const CmFinding *f = test_finding (v, c->rule);
  ck_assert_msg (f != NULL, "%s: %s did not fire: %s", c->path, c->rule, got);
  ck_assert_msg (f->clause && *f->clause && f->summary && *f->summary, "%s: no clause or summary", c->path);
  ck_assert_msg (f->evidence->len > 0, "%s: no evidence", c->path);
  ck_assert_msg (v->action >= f->action, "%s: verdict weaker than its finding", c->path);

  g_autoptr (GPtrArray) evidence = test_headers (data, "X-Test-Evidence");
  for (guint i = 0; i < evidence->len; i++)
    ck_assert_msg (evidence_has (f, evidence->pdata[i]), "%s: no evidence containing \"%s\": %s",
                   c->path, (char *) evidence->pdata[i], got);
  g_autoptr (GPtrArray) people = test_headers (data, "X-Test-People");
  for (guint i = 0; i < people->len; i++)
    ck_assert_msg (test_has_person (f, people->pdata[i]), "%s: %s not among the people: %s", c->path,
                   (char *) people->pdata[i], got);
}
END_TEST

/* Add the .eml files of DIR as cases; return how many. */
static guint
collect (const char *dir, const char *rule, gboolean breach)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  test_sort_strings (names);
  for (guint i = 0; i < names->len; i++)
    {
      Case *c = g_new0 (Case, 1);
      c->path = g_build_filename (dir, names->pdata[i], NULL);
      c->rule = rule;
      c->breach = breach;
      g_ptr_array_add (cases, c);
    }
  return names->len;
}

START_TEST (test_enough_messages)
{
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    for (int breach = 0; breach <= 1; breach++)
      {
        g_autofree char *relative = g_build_filename ("tests/messages", rules[r],
                                                      breach ? "breach" : "compliant", NULL);
        g_autofree char *dir = test_srcdir (relative);
        guint n = 0;
        for (guint i = 0; i < cases->len; i++)
          {
            const Case *c = cases->pdata[i];
            n += g_str_has_prefix (c->path, dir);
          }
        ck_assert_msg (n >= MIN_PER_FOLDER, "%s has %u messages, fewer than %d", dir, n, MIN_PER_FOLDER);
      }
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  cases = g_ptr_array_new ();
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    for (int breach = 0; breach <= 1; breach++)
      {
        g_autofree char *relative = g_build_filename ("tests/messages", rules[r],
                                                      breach ? "breach" : "compliant", NULL);
        g_autofree char *dir = test_srcdir (relative);
        collect (dir, rules[r], breach);
      }

  Suite *suite = suite_create ("messages");
  TCase *tc = tcase_create ("messages");
  /* One configuration for the whole run: loading it per message (weights
   * and valence) would cost more than checking the message. */
  tcase_add_unchecked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_test (tc, test_enough_messages);
  tcase_add_loop_test (tc, test_message, 0, (int) cases->len);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_free (c->path);
      g_free (c);
    }
  g_ptr_array_unref (cases);
  return status;
}

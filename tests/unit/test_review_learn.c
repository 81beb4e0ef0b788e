/*
 * test_review_learn.c: council-review learn end to end.  Messages are
 * held through the store as the daemon holds them (reviewfixture.h),
 * decided by the built council-review (released, rejected) and by the
 * store (withdrawn, expired); learn refits from a small labelled corpus
 * and those decisions, prints the figures before and after, and writes a
 * new weights file beside the live one, which it leaves alone; a
 * configuration loaded with the new file judges a decided message
 * differently.  Also: no decided holds (refit from the corpus, said so),
 * a held file gone (skipped with a warning naming the hold), an
 * unwritable output, the live file refused as output.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "model.h"
#include "reviewfixture.h"
#include "settings.h"

#define RULE "member-obligation"

/* Obligations with none of the word lists' phrases: the word lists do
 * not find them (they are held here all the same, for member-obligation,
 * as reviewfixture.c holds what the engine did not find) ... */
static const char *const breaches[] = {
  "Subject: Depot roof\n\nHi, consider it signed off. You can crack on from Monday and send the "
  "invoice straight to me.\nJane\n",
  "Subject: Play area\n\nGood news, the job is yours. Be on site at the Moor Lane play area for 8am "
  "on the 3rd and we will sort the paperwork after.\nJane\n",
  "Subject: Refund\n\npls sort mrs khans refund asap shes waited long enough just pay it\nJane\n",
  "Subject: Bins\n\nJust make it happen by Friday, I have told the residents it is done and paid for.\n"
  "Jane\n",
};
/* ... and the ordinary mail of a councillor, released. */
static const char *const compliant[] = {
  "Subject: Depot roof\n\nThanks for the quote. I will pass it to officers, who decide these things in "
  "the usual way.\nJane\n",
  "Subject: Play area\n\nResidents asked me about the play area. Could you let me know the timetable "
  "when you have it?\nJane\n",
  "Subject: Refund\n\nMrs Khan has asked me about her refund. I have told her it is for the finance "
  "team to decide.\nJane\n",
};

static char *
message (const char *text)
{
  return g_strdup_printf ("From: Cllr Jane Smith <%s>\nTo: builder@example.org\nCc: tom.baker@northmoor.gov.uk\n"
                          "Message-ID: <%08x@northmoor.gov.uk>\n%s", jane, g_str_hash (text), text);
}

/* A labelled corpus in DIR: the first N breaches and N compliant
 * messages of RULE in the train split of the shipped corpus. */
static void
small_corpus (const char *dir, guint n)
{
  g_autofree char *shipped = test_srcdir ("tests/labelled");
  g_autofree char *split_path = g_build_filename (shipped, "SPLIT", NULL);
  g_autofree char *split = NULL;
  ck_assert (g_file_get_contents (split_path, &split, NULL, NULL));
  g_autoptr (GString) kept = g_string_new ("# a few messages for test_review_learn\n");
  guint taken[2] = { 0, 0 };
  g_auto (GStrv) lines = g_strsplit (split, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (!g_str_has_prefix (lines[i], "train " RULE "/"))
        continue;
      const char *relative = lines[i] + strlen ("train ");
      guint breach = strstr (relative, "/breach/") != NULL;
      if (taken[breach] >= n)
        continue;
      taken[breach]++;
      g_autofree char *from = g_build_filename (shipped, relative, NULL);
      g_autofree char *to = g_build_filename (dir, relative, NULL);
      g_autofree char *to_dir = g_path_get_dirname (to);
      g_autofree char *text = NULL;
      gsize length = 0;
      ck_assert (g_file_get_contents (from, &text, &length, NULL));
      ck_assert_int_eq (g_mkdir_with_parents (to_dir, 0755), 0);
      ck_assert (g_file_set_contents (to, text, (gssize) length, NULL));
      g_string_append_printf (kept, "%s\n", lines[i]);
    }
  ck_assert_uint_eq (taken[0], n);
  ck_assert_uint_eq (taken[1], n);
  /* The test split is never fitted: this one must not count. */
  g_string_append (kept, "test " RULE "/breach/not-there.eml\n");
  g_autofree char *path = test_write (dir, "SPLIT", kept->str);
}

/* The probability (percent) of the learned RULE finding that CONFIG_PATH's
 * engine gives TEXT from Jane, or -1 when there is no learned finding. */
static int
learned_percent (const char *config_path, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (config_path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  g_autoptr (CmEnvelope) envelope = cm_envelope_new (jane);
  cm_envelope_add_recipient (envelope, "builder@example.org");
  cm_envelope_add_recipient (envelope, "tom.baker@northmoor.gov.uk");
  g_autofree char *whole = message (text);
  g_autoptr (CmVerdict) verdict = test_check (config, envelope, whole);
  const CmFinding *finding = test_finding (verdict, RULE);
  const char *learned = finding ? strstr (finding->summary, "(learned cues, ") : NULL;
  if (learned == NULL)
    return -1;
  return atoi (learned + strlen ("(learned cues, "));
}

static char *
file_text (const char *path)
{
  g_autofree char *text = NULL;
  ck_assert_msg (g_file_get_contents (path, &text, NULL, NULL), "%s", path);
  return g_steal_pointer (&text);
}

START_TEST (test_learn_end_to_end)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *corpus = g_build_filename (dir, "labelled", NULL);
  small_corpus (corpus, 15);
  /* No weights in force at first: the rules use their word lists (the
   * figures below must not hang on the shipped weights, which are
   * retrained as the cues change). */
  g_autofree char *live = test_write (dir, "weights.conf", "# none yet\n");
  g_autofree char *extra = g_strdup_printf ("[policy]\nweights=%s", live);
  g_autoptr (Env) env = env_new (extra);

  /* Held as the daemon holds them, for RULE. */
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_hold_free);
  for (guint i = 0; i < G_N_ELEMENTS (breaches) + G_N_ELEMENTS (compliant); i++)
    {
      const char *text = i < G_N_ELEMENTS (breaches) ? breaches[i] : compliant[i - G_N_ELEMENTS (breaches)];
      g_autofree char *whole = message (text);
      g_ptr_array_add (held, hold_message (env, jane, NULL, whole));
    }
  /* hold_message's rules are the engine's; these messages it did not
   * find, so they were held for RULE by default (reviewfixture.c). */
  for (guint i = 0; i < held->len; i++)
    {
      g_autoptr (CmHold) stored = get (env, ((CmHold *) held->pdata[i])->id);
      ck_assert_str_eq (stored->rules[0], RULE);
    }

  /* Nothing decided yet: the corpus alone, and said so. */
  g_autofree char *corpus_only = g_build_filename (dir, "corpus-only.conf", NULL);
  g_autoptr (Run) first = run_review (env, "learn", "--corpus", corpus, "--out", corpus_only, NULL);
  assert_status (first, 0);
  assert_has (first->out, "Labelled corpus: 30 messages");
  assert_has (first->out, "No decided holds in the store: refitting from the shipped corpus alone.");
  assert_has (first->out, RULE ": 28 examples (15 breach), 0 of them decisions; threshold ");
  g_autoptr (CmModel) corpus_model = cm_model_load (corpus_only, NULL);
  ck_assert_ptr_nonnull (corpus_model);
  /* Adopted: the corpus's weights are in force from here on. */
  g_autofree char *corpus_text = file_text (corpus_only);
  ck_assert (g_file_set_contents (live, corpus_text, -1, NULL));
  g_autofree char *live_text = file_text (live);

  /* Decided: three rejected and one withdrawn (breaches), three released. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Run) run = run_review (env, "reject", ((CmHold *) held->pdata[i])->id, "--reason",
                                        "Only officers may agree this.", NULL);
      assert_status (run, 0);
    }
  ck_assert (cm_holdstore_decide (env->store, ((CmHold *) held->pdata[3])->id, CM_HOLD_WITHDRAWN, jane,
                                  NULL, NULL));
  for (guint i = G_N_ELEMENTS (breaches); i < held->len; i++)
    {
      g_autoptr (Run) run = run_review (env, "release", ((CmHold *) held->pdata[i])->id, NULL);
      assert_status (run, 0);
    }
  /* Not counted: one still held, one expired, one decided whose file has gone. */
  g_autofree char *extra_text = message (breaches[0]);
  g_autoptr (CmHold) waiting = hold_message (env, jane, NULL, extra_text);
  g_autoptr (CmHold) expired = hold_message (env, jane, NULL, extra_text);
  ck_assert (cm_holdstore_decide (env->store, expired->id, CM_HOLD_EXPIRED, "council-milter", NULL, NULL));
  g_autoptr (CmHold) lost = hold_message (env, jane, NULL, extra_text);
  ck_assert (cm_holdstore_decide (env->store, lost->id, CM_HOLD_REJECTED, REVIEWER, NULL, NULL));
  g_autofree char *lost_path = cm_holdstore_message_path (env->store, lost->id);
  ck_assert_int_eq (g_unlink (lost_path), 0);

  g_autoptr (Run) run = run_review (env, "learn", "--corpus", corpus, NULL);
  assert_status (run, 0);
  fprintf (stderr, "council-review learn printed:\n%s%s", run->out, run->err);
  assert_has (run->out, "Labelled corpus: 30 messages");
  assert_has (run->out, "Council's decisions: 7 holds (4 rejected or withdrawn: breach; 3 released: not), "
                        "each counted 3 times.");
  g_autofree char *warning = g_strdup_printf ("warning: hold %s (rejected) skipped: ", lost->id);
  assert_has (run->err, warning);
  assert_has (run->out, "Skipped: 1 decided holds");
  assert_has (run->out, RULE ": 35 examples (19 breach), 7 of them decisions; threshold ");
  assert_has (run->out, "(out of fold: tp ");
  assert_has (run->out, "  on the council's 7 decisions (4 breach): before precision ");
  /* The new weights, fitted on them, find every breach and no released
   * message (the corpus's alone find some: how many moves with the cues). */
  assert_has (run->out, "after precision 1.00 recall 1.00 (tp 4 fp 0 fn 0)");

  /* Beside the live file, which is as it was; how to adopt it is said. */
  g_autofree char *written = g_strconcat (live, ".new", NULL);
  g_autofree char *wrote = g_strdup_printf ("Wrote %s.", written);
  assert_has (run->out, wrote);
  g_autofree char *adopt = g_strdup_printf ("To adopt it: mv %s %s, then systemctl reload council-milter", written,
                                            live);
  assert_has (run->out, adopt);
  g_autofree char *live_after = file_text (live);
  ck_assert_str_eq (live_after, live_text);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmModel) model = cm_model_load (written, &error);
  ck_assert_msg (model != NULL, "%s", error ? error->message : "");

  /* Adopted by a reload: a configuration with the new file gives the
   * rejected messages a higher probability than the weights in force (or
   * finds them where those did not), and does not find the released. */
  g_autofree char *new_extra = g_strdup_printf ("[policy]\nweights=%s", written);
  g_autofree char *new_config = test_config_variant (new_extra, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (breaches); i++)
    {
      int before = learned_percent (env->config, breaches[i]);
      int after = learned_percent (new_config, breaches[i]);
      fprintf (stderr, "rejected %u: learned probability %d%% before, %d%% after the reload\n", i, before, after);
      ck_assert_int_gt (after, 0);
      ck_assert_int_gt (after, before);
    }
  for (guint i = 0; i < G_N_ELEMENTS (compliant); i++)
    ck_assert_int_eq (learned_percent (new_config, compliant[i]), -1);
}
END_TEST

START_TEST (test_learn_errors)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *corpus = g_build_filename (dir, "labelled", NULL);
  small_corpus (corpus, 3);
  g_autofree char *live = test_write (dir, "weights.conf", "# none yet\n");
  g_autofree char *extra = g_strdup_printf ("[policy]\nweights=%s", live);
  g_autoptr (Env) env = env_new (extra);

  /* Never over the live file. */
  g_autoptr (Run) over = run_review (env, "learn", "--corpus", corpus, "--out", live, NULL);
  assert_status (over, 2);
  assert_has (over->err, "--out names the weights in force");

  /* An output that cannot be written: said before the work. */
  g_autofree char *nowhere = g_build_filename (dir, "missing", "weights.conf", NULL);
  g_autoptr (Run) unwritable = run_review (env, "learn", "--corpus", corpus, "--out", nowhere, NULL);
  assert_status (unwritable, 1);
  assert_has (unwritable->err, "cannot write the new weights in");
  assert_has (unwritable->err, "missing");

  /* A corpus that is not there. */
  g_autofree char *no_corpus = g_build_filename (dir, "no-corpus", NULL);
  g_autoptr (Run) missing = run_review (env, "learn", "--corpus", no_corpus, NULL);
  assert_status (missing, 1);
  assert_has (missing->err, "the labelled corpus (--corpus)");

  /* Usage. */
  g_autoptr (Run) usage = run_review (env, "learn", "extra", NULL);
  assert_status (usage, 2);
  assert_has (usage->err, "usage: council-review [-c CONFIG] learn [--corpus DIR] [--out FILE]");

  /* The default output: the weights path + ".new". */
  g_autoptr (Run) ok = run_review (env, "learn", "--corpus", corpus, NULL);
  assert_status (ok, 0);
  g_autofree char *written = g_strconcat (live, ".new", NULL);
  ck_assert (g_file_test (written, G_FILE_TEST_IS_REGULAR));
  g_autofree char *text = file_text (live);
  ck_assert_str_eq (text, "# none yet\n");
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("review_learn");
  TCase *tc = tcase_create ("review_learn");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_learn_end_to_end);
  tcase_add_test (tc, test_learn_errors);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

/*
 * test_lexicon.c: words, patterns, the matcher, negation, lexicon files.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "keymap.h"
#include "lexicon.h"
#include "testutil.h"

START_TEST (test_words)
{
  g_autoptr (CmWords) w = cm_words_split ("Don\xe2\x80\x99t  CALL the cover-up \"fine\", Mr. O'Connor! caf\xc3\x89");
  ck_assert_uint_eq (w->n, 8);
  ck_assert_str_eq (w->words[0].text, "don't");
  ck_assert_str_eq (w->words[1].text, "call");
  ck_assert_str_eq (w->words[3].text, "cover-up");
  ck_assert_str_eq (w->words[4].text, "fine");
  ck_assert_str_eq (w->words[6].text, "o'connor");
  ck_assert_str_eq (w->words[7].text, "caf\xc3\xa9");
  ck_assert_uint_eq (w->words[1].offset, 9); /* the apostrophe is 3 bytes */
  ck_assert_uint_eq (w->words[1].length, 4);
  ck_assert (w->words[5].clause);  /* after the comma */
  ck_assert (!w->words[1].clause);
  g_autoptr (CmWords) empty = cm_words_split ("  ... ,, ");
  ck_assert_uint_eq (empty->n, 0);
}
END_TEST

/* GOT has the words of WANTED: their texts, offsets, hashes and clauses. */
static void
assert_same_words (const CmWords *got, const CmWords *wanted)
{
  ck_assert_uint_eq (got->n, wanted->n);
  for (guint i = 0; i < wanted->n; i++)
    {
      ck_assert_str_eq (got->words[i].text, wanted->words[i].text);
      ck_assert_uint_eq (got->words[i].offset, wanted->words[i].offset);
      ck_assert_uint_eq (got->words[i].hash, wanted->words[i].hash);
      ck_assert_int_eq (got->words[i].clause, wanted->words[i].clause);
    }
}

/* Splitting again into the same words, shorter and longer texts in
 * turn, gives what a split of each alone gives. */
START_TEST (test_words_split_again)
{
  const char *texts[] = { "Part 2 of the REPORT", "", "a", "Confidential: caf\xc3\x89 O'Connor's cover-up, and so on and so on "
                          "with many more words than the first text had", "Exempt" };
  CmWords again = { 0 };
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr (CmWords) alone = cm_words_split (texts[t]);
      cm_words_split_again (&again, texts[t]);
      assert_same_words (&again, alone);
    }
  cm_words_clear (&again);
}
END_TEST

/* A text split as it grows, line by line, has the words of a split of
 * all of it: their texts, offsets, hashes and clauses (a clause mark at
 * the end of one piece counts for the first word of the next). */
START_TEST (test_words_extend)
{
  const char *pieces[] = { "First line, with words.\n", "", "\xe2\x80\x94 caf\xc3\x89 O'Connor's;\n",
                           "(long " "wordswordswordswordswordswords here)\n\n", "last\n" };
  g_autoptr (GString) text = g_string_new (NULL);
  CmWords grown = { 0 };
  gsize from = 0;
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_string_append (text, pieces[i]);
      cm_words_extend (&grown, text->str, &from);
    }
  g_autoptr (CmWords) whole = cm_words_split (text->str);
  assert_same_words (&grown, whole);
  cm_words_clear (&grown);
}
END_TEST

/* Word keys (the comparison of alternatives): as many as cm_words_split
 * makes words, equal where the words are equal and only there, the fast
 * ASCII way and the long way alike. */
START_TEST (test_word_keys)
{
  const char *texts[] = { "Baker's report, BAKER the baker\xe2\x80\x99s", "don't Don\xe2\x80\x99t dont",
                          "cover-up cover up", "caf\xc3\x89 caf\xc3\xa9", "recommendations RECOMMENDATIONS recommendation",
                          "12345678 123456789 x's xs x" };
  g_autoptr (GString) all = g_string_new (NULL);
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr (CmWords) words = cm_words_split (texts[t]);
      g_autoptr (GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < words->n; i++)
        g_hash_table_add (distinct, (gpointer) words->words[i].text);
      CmKeyMap keys;
      cm_key_map_init (&keys, 16);
      guint n = cm_word_keys_into (&keys, texts[t], texts[t] + strlen (texts[t]));
      ck_assert_uint_eq (n, words->n);
      ck_assert_uint_eq (keys.used, g_hash_table_size (distinct));
      /* Every word of the text is in its own set of keys. */
      CmKeyMap missing;
      cm_key_map_init (&missing, 16);
      ck_assert_uint_eq (cm_word_keys_missing (&keys, &missing, texts[t], texts[t] + strlen (texts[t])), words->n);
      ck_assert_uint_eq (missing.used, 0);
      cm_key_map_clear (&missing);
      cm_key_map_clear (&keys);
      g_string_append_printf (all, "%s ", texts[t]);
    }
  /* Words met the long way in one text and the short way in another
   * ("baker" and "Baker's") have one key. */
  g_autoptr (CmWords) words = cm_words_split (all->str);
  g_autoptr (GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < words->n; i++)
    g_hash_table_add (distinct, (gpointer) words->words[i].text);
  CmKeyMap keys;
  cm_key_map_init (&keys, 16);
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    cm_word_keys_into (&keys, texts[t], texts[t] + strlen (texts[t]));
  ck_assert_uint_eq (keys.used, g_hash_table_size (distinct));
  cm_key_map_clear (&keys);
  /* HTML text ends at its markup, which ends a word as a space does. */
  const char *html = "<p>end-</p><b>Tom</b>&amp;Jerry's";
  CmKeyMap none, run;
  cm_key_map_init (&none, 16);
  cm_key_map_init (&run, 16);
  guint n = 0;
  ck_assert_ptr_eq (cm_word_keys_missing_to_markup (&none, &run, html + 3, html + strlen (html), &n), html + 7);
  ck_assert_ptr_eq (cm_word_keys_missing_to_markup (&none, &run, html + 14, html + strlen (html), &n), html + 17);
  ck_assert_uint_eq (n, 2);
  ck_assert_uint_eq (run.used, 2);
  cm_key_map_clear (&none);
  cm_key_map_clear (&run);
}
END_TEST

static gboolean
matches (CmLexicon *lexicon, const char *text, guint *start, guint *end)
{
  g_autoptr (CmWords) words = cm_words_split (text);
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (CmMatch));
  cm_lexicon_scan (lexicon, words, found);
  if (found->len == 0)
    return FALSE;
  if (start)
    *start = g_array_index (found, CmMatch, 0).start;
  if (end)
    *end = g_array_index (found, CmMatch, 0).end;
  return TRUE;
}

START_TEST (test_patterns)
{
  g_autoptr (CmLexicon) lex = cm_lexicon_new ();
  ck_assert (cm_lexicon_add (lex, "the council will pay|refund", NULL, NULL));
  ck_assert (cm_lexicon_add (lex, "incompeten*", NULL, NULL));
  ck_assert (cm_lexicon_add (lex, "misled ... committee", NULL, NULL));
  guint start = 0, end = 0;
  ck_assert (matches (lex, "I can say The Council WILL refund you", &start, &end));
  ck_assert_uint_eq (start, 3);
  ck_assert_uint_eq (end, 7);
  ck_assert (!matches (lex, "the council will consider whether to pay", NULL, NULL));
  ck_assert (matches (lex, "sheer incompetence", NULL, NULL));
  ck_assert (matches (lex, "he is incompetent", NULL, NULL));
  ck_assert (!matches (lex, "competent", NULL, NULL));
  ck_assert (matches (lex, "he misled committee", NULL, NULL));
  ck_assert (matches (lex, "he misled the planning committee", NULL, NULL));
  ck_assert (matches (lex, "he misled the whole planning committee", NULL, NULL));
  ck_assert (!matches (lex, "he misled a b c d committee", NULL, NULL));
  ck_assert_uint_eq (cm_lexicon_size (lex), 3);
}
END_TEST

/* Prefixes are found by their first bytes, however long, and a shorter
 * prefix added later is found as well as the longer ones before it. */
START_TEST (test_prefix_lengths)
{
  g_autoptr (CmLexicon) lex = cm_lexicon_new ();
  ck_assert (cm_lexicon_add (lex, "bungl*", NULL, NULL));
  ck_assert (matches (lex, "a bungled job", NULL, NULL));
  ck_assert (!matches (lex, "a bun", NULL, NULL));
  ck_assert (cm_lexicon_add (lex, "wast* time", NULL, NULL));
  ck_assert (cm_lexicon_add (lex, "ina*", NULL, NULL));
  ck_assert (cm_lexicon_add (lex, "x*|ov*", NULL, NULL));
  const char *hit[] = { "bungling", "wasted time", "inaction", "ina", "x", "xy", "overdue", "ov" };
  const char *miss[] = { "bung", "wasted money", "in", "inert", "o", "o-v", "was" };
  for (guint i = 0; i < G_N_ELEMENTS (hit); i++)
    ck_assert_msg (matches (lex, hit[i], NULL, NULL), "%s", hit[i]);
  for (guint i = 0; i < G_N_ELEMENTS (miss); i++)
    ck_assert_msg (!matches (lex, miss[i], NULL, NULL), "%s", miss[i]);
}
END_TEST

START_TEST (test_bad_patterns)
{
  g_autoptr (CmLexicon) lex = cm_lexicon_new ();
  const char *bad[] = { "... pay", "pay ...", "a ... ... b", "pay|", "*", "hello, world", "a|b|" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!cm_lexicon_add (lex, bad[i], NULL, &error), "accepted %s", bad[i]);
      ck_assert (error != NULL);
    }
  ck_assert_uint_eq (cm_lexicon_size (lex), 0);

  /* F12 of issue 9: gaps are capped (eleven once took 13 s on 300 words). */
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_lexicon_add (lex, "a ... b ... c ... d ... e", NULL, &error));
  ck_assert_ptr_nonnull (strstr (error->message, "at most 3"));
  ck_assert (cm_lexicon_add (lex, "a ... b ... c ... d", NULL, NULL));
  /* The worst three-gap pattern on 300 words that almost match. */
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < 300; i++)
    g_string_append (text, i % 2 ? "b " : "a ");
  g_autoptr (CmWords) words = cm_words_split (text->str);
  g_string_free (text, TRUE);
  ck_assert (!cm_lexicon_matches (lex, words));
}
END_TEST

START_TEST (test_load_errors)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "x.txt", "# words\ngood words\n\nbad ... \n");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmLexicon) lex = cm_lexicon_load (path, &error);
  ck_assert_ptr_null (lex);
  g_autofree char *expected = g_strdup_printf ("%s:4:", path);
  ck_assert_msg (g_str_has_prefix (error->message, expected), "%s", error->message);

  g_autofree char *empty = test_write (dir, "empty.txt", "# nothing\n");
  g_clear_error (&error);
  g_autoptr (CmLexicon) none = cm_lexicon_load (empty, &error);
  ck_assert_ptr_null (none);
  ck_assert_msg (strstr (error->message, "has no patterns"), "%s", error->message);

  g_autofree char *lexdir = test_scratch_dir ();
  g_clear_error (&error);
  g_autoptr (CmLexicons) set = cm_lexicons_load (lexdir, &error);
  ck_assert_ptr_null (set);
  ck_assert_msg (strstr (error->message, "criticism.txt"), "%s", error->message);
}
END_TEST

static gboolean
negated (const CmLexicons *lexicons, const char *text, const char *word)
{
  g_autoptr (CmWords) words = cm_words_split (text);
  for (guint i = 0; i < words->n; i++)
    if (strcmp (words->words[i].text, word) == 0)
      return cm_lexicons_negated (lexicons, words, i);
  ck_abort_msg ("%s not in %s", word, text);
  return FALSE;
}

START_TEST (test_negation)
{
  g_autoptr (CmConfig) config = test_example_config ();
  g_autofree char *dir = test_srcdir ("config/lexicon");
  g_autoptr (CmLexicons) lx = cm_lexicons_load (dir, NULL);
  ck_assert_ptr_nonnull (lx);
  ck_assert (negated (lx, "Mr Baker is not incompetent", "incompetent"));
  ck_assert (negated (lx, "I am not saying Sarah Jones is lazy", "lazy"));
  ck_assert (negated (lx, "he isn't useless", "useless"));
  ck_assert (!negated (lx, "he is useless", "useless"));
  ck_assert (!negated (lx, "he is not only lazy but useless", "lazy"));
  ck_assert (!negated (lx, "I'm not saying he's wrong; he's incompetent", "incompetent"));
  ck_assert (!negated (lx, "not a word of thanks, but plainly lazy", "lazy"));
  ck_assert (!negated (lx, "no, he is lazy", "lazy"));
}
END_TEST

/* The CM_HIT_ lists SENTENCE matches, not negated. */
static guint
hits_of (const CmLexicons *lexicons, const char *sentence)
{
  g_autoptr (CmWords) words = cm_words_split (sentence);
  return cm_lexicons_sentence_hits (lexicons, words, NULL);
}

/* The cue-only lists: idioms that disparage, and talking down; a hit
 * sets its own bit beside the other lists', which stay below the bits of
 * the officer references. */
START_TEST (test_cue_lists)
{
  g_autofree char *dir = test_srcdir ("config/lexicon");
  g_autoptr (CmLexicons) lx = cm_lexicons_load (dir, NULL);
  ck_assert_ptr_nonnull (lx);
  /* Each sentence and the one cue-only list it must hit (0: none at all).
   * Name-calling: insult words anywhere, metaphors only when said of
   * someone. */
  static const struct { const char *sentence; guint hit; } cases[] = {
    { "Frankly he hasn't got a clue", CM_HIT_DISPARAGING },
    { "She couldn't run a bath", CM_HIT_DISPARAGING },
    { "They were economical with the truth at committee", CM_HIT_DISPARAGING },
    { "Budgets aren't really his strong suit", CM_HIT_BELITTLING },
    { "I have a clue where the file went and will run the report", 0 },
    { "Thank you for the clear report on the bath house", 0 },
    { "Dean, youre a waste of space", CM_HIT_INSULT },
    { "susan ur a snake", CM_HIT_INSULT },
    { "She's a lying two-faced snake", CM_HIT_INSULT },
    { "Our committee of numpties has done it again", CM_HIT_INSULT },
    { "voted it through like a good little lapdog", CM_HIT_INSULT },
    { "There is a rat in the bin store and they found rats again", 0 },
    { "The snake was rehomed by the RSPCA", 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint hits = hits_of (lx, cases[i].sentence);
      ck_assert_msg (cases[i].hit ? (hits & cases[i].hit) != 0 : hits == 0, "%s: %#x", cases[i].sentence, hits);
    }
  guint all = hits_of (lx, "He is useless, hasn't a clue, and finance is not his strong suit");
  ck_assert_uint_eq (all, CM_HIT_CRITICISM | CM_HIT_DISPARAGING | CM_HIT_BELITTLING);
  ck_assert_uint_lt (CM_HIT_DISPARAGING, 1u << CM_REF_SHIFT);
  ck_assert_uint_lt (CM_HIT_INSULT, 1u << CM_REF_SHIFT);
}
END_TEST

/* A cue-only list missing from an older install's lexicon directory is
 * an empty list: the directory still loads, and the list finds nothing.
 * A list a rule acts on is still required. */
START_TEST (test_cue_list_missing)
{
  g_autofree char *dir = test_lexicon_copy ("insults.txt");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmLexicons) lx = cm_lexicons_load (dir, &error);
  ck_assert_msg (lx != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (hits_of (lx, "susan ur a snake") & CM_HIT_INSULT, 0);

  g_autofree char *abuse = g_build_filename (dir, "abuse.txt", NULL);
  ck_assert_int_eq (g_unlink (abuse), 0);
  g_autoptr (CmLexicons) none = cm_lexicons_load (dir, &error);
  ck_assert_ptr_null (none);
  ck_assert_msg (strstr (error->message, "abuse.txt"), "%s", error->message);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("lexicon");
  TCase *tc = tcase_create ("lexicon");
  tcase_add_test (tc, test_words);
  tcase_add_test (tc, test_words_split_again);
  tcase_add_test (tc, test_words_extend);
  tcase_add_test (tc, test_word_keys);
  tcase_add_test (tc, test_patterns);
  tcase_add_test (tc, test_prefix_lengths);
  tcase_add_test (tc, test_bad_patterns);
  tcase_add_test (tc, test_load_errors);
  tcase_add_test (tc, test_negation);
  tcase_add_test (tc, test_cue_lists);
  tcase_add_test (tc, test_cue_list_missing);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

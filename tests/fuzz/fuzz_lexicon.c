/*
 * fuzz_lexicon.c: libFuzzer harness for the lexicon loader
 * (policy/lexicon.c): the input is written as a word list (one pattern a
 * line, as the files of config/lexicon/) in a scratch directory and loaded with
 * cm_lexicon_load; a list that loads is then matched, as the engine
 * matches sentences, against a fixed sentence and against the input's
 * own first line split into words (so that the matcher meets the words
 * its patterns name).  The scratch directory is set up once
 * (fuzzutil.h).
 */
#include "config.h"

#include <string.h>

#include "fuzzutil.h"
#include "lexicon.h"

/* Loaded once in LLVMFuzzerInitialize, then only read. */
static CmWords *sentence;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  fuzz_scratch_dir ();
  sentence = cm_words_split ("The officer's report was frankly incompetent, and I expect you to pay the "
                             "grant to my ward's group by Friday or I will raise it with the Leader.");
  return 0;
}

/* Every way the engine asks LEXICON about WORDS. */
static void
match (const CmLexicon *lexicon, const CmWords *words)
{
  g_autoptr (GArray) matches = g_array_new (FALSE, FALSE, sizeof (CmMatch));
  cm_lexicon_scan (lexicon, words, matches);
  (void) cm_lexicon_matches (lexicon, words);
  (void) cm_lexicon_matches_whole (lexicon, words);
  CmMatch first;
  (void) cm_lexicon_match_at (lexicon, words, 0, &first);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write ("list.txt", data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmLexicon) lexicon = cm_lexicon_load (path, &error);
  if (lexicon == NULL)
    return 0;
  (void) cm_lexicon_size (lexicon);
  match (lexicon, sentence);
  const char *nl = memchr (data, '\n', size);
  g_autofree char *line = g_strndup ((const char *) data, nl ? (gsize) (nl - (const char *) data) : size);
  if (g_utf8_validate (line, -1, NULL))
    {
      CmWords *words = cm_words_split (line);
      match (lexicon, words);
      cm_words_free (words);
    }
  return 0;
}

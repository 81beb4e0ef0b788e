/*
 * fuzz_paragraphs.c: libFuzzer harness for the paragraphs loader
 * (policy/paragraphs.c): the input is written as a paragraphs.conf in a
 * scratch directory and loaded with cm_paragraphs_load; paragraphs that
 * load are then asked, for every rule and each of its situations, which
 * clause it cites and that clause's text, as the verdict does.  The
 * scratch directory is set up once (fuzzutil.h).
 */
#include "config.h"

#include "fuzzutil.h"
#include "paragraphs.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  fuzz_scratch_dir ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write ("paragraphs.conf", data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmParagraphs) paragraphs = cm_paragraphs_load (path, &error);
  if (paragraphs == NULL)
    return 0;
  (void) cm_paragraphs_count (paragraphs);
  for (guint r = 0; r < cm_n_rules; r++)
    {
      const CmRule *rule = &cm_rules[r];
      (void) cm_paragraphs_shipped (paragraphs, rule);
      for (const CmSituation *s = rule->situations; s && s->key; s++)
        {
          const char *clause = cm_paragraphs_cite (paragraphs, rule, s->key);
          if (clause)
            (void) cm_paragraphs_text (paragraphs, clause);
        }
    }
  return 0;
}

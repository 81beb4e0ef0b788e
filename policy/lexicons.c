/*
 * lexicons.c: the named word lists of config/lexicon/, loaded together,
 * and the reach of a negation (lexicon.h).
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "lexicon.h"

/* How far back a negation word reaches, within one clause. */
#define NEGATION_WINDOW 8

static const struct {
  const char *file;
  gsize offset;
  guint hit;  /* its CM_HIT_ bit in the combined sentence scan, or 0 */
  guint ref;  /* its CM_REF_ bit in officer_refs (and the scan), or 0 */
  /* Read by the learned weights alone, never by a rule: missing (a
   * lexicon directory installed before the list was added) it is empty,
   * and the weights simply find none of its cues. */
  gboolean cue_only;
} lexicon_files[] = {
  { "criticism.txt", G_STRUCT_OFFSET (CmLexicons, criticism), CM_HIT_CRITICISM },
  { "officer-words.txt", G_STRUCT_OFFSET (CmLexicons, officer_words), 0, CM_REF_OFFICER },
  { "addressee.txt", G_STRUCT_OFFSET (CmLexicons, addressee), 0, CM_REF_ADDRESSEE },
  { "negation.txt", G_STRUCT_OFFSET (CmLexicons, negation) },
  { "negation-exceptions.txt", G_STRUCT_OFFSET (CmLexicons, negation_exceptions) },
  { "obligation.txt", G_STRUCT_OFFSET (CmLexicons, obligation), CM_HIT_OBLIGATION },
  { "ceremonial.txt", G_STRUCT_OFFSET (CmLexicons, ceremonial) },
  { "deliberative.txt", G_STRUCT_OFFSET (CmLexicons, deliberative) },
  { "disclosure.txt", G_STRUCT_OFFSET (CmLexicons, disclosure) },
  { "signoff.txt", G_STRUCT_OFFSET (CmLexicons, signoff) },
  { "marking.txt", G_STRUCT_OFFSET (CmLexicons, marking) },
  { "disclaimer.txt", G_STRUCT_OFFSET (CmLexicons, disclaimer) },
  { "political.txt", G_STRUCT_OFFSET (CmLexicons, political), CM_HIT_POLITICAL },
  { "employment.txt", G_STRUCT_OFFSET (CmLexicons, employment), CM_HIT_EMPLOYMENT },
  { "abuse.txt", G_STRUCT_OFFSET (CmLexicons, abuse), CM_HIT_ABUSE },
  { "discriminatory.txt", G_STRUCT_OFFSET (CmLexicons, discriminatory), CM_HIT_DISCRIMINATORY },
  { "decision-criticism.txt", G_STRUCT_OFFSET (CmLexicons, decision_criticism), CM_HIT_DECISION_CRITICISM },
  { "belittling.txt", G_STRUCT_OFFSET (CmLexicons, belittling), CM_HIT_BELITTLING, 0, TRUE },
  { "disparaging.txt", G_STRUCT_OFFSET (CmLexicons, disparaging), CM_HIT_DISPARAGING, 0, TRUE },
  { "insults.txt", G_STRUCT_OFFSET (CmLexicons, insults), CM_HIT_INSULT, 0, TRUE },
  { "outside-bodies.txt", G_STRUCT_OFFSET (CmLexicons, outside_bodies), CM_HIT_OUTSIDE, 0, TRUE },
  { "endearments.txt", G_STRUCT_OFFSET (CmLexicons, endearments), 0, 0, TRUE },
  { "decision-words.txt", G_STRUCT_OFFSET (CmLexicons, decision_words) },
  { "member-words.txt", G_STRUCT_OFFSET (CmLexicons, member_words) },
};

CmLexicons *
cm_lexicons_load (const char *directory, GError **error)
{
  g_autoptr (CmLexicons) lexicons = g_new0 (CmLexicons, 1);
  lexicons->scan = cm_lexicon_new_bits ();
  lexicons->officer_refs = cm_lexicon_new_bits ();
  for (guint i = 0; i < G_N_ELEMENTS (lexicon_files); i++)
    {
      g_autofree char *path = g_build_filename (directory, lexicon_files[i].file, NULL);
      guint hit = lexicon_files[i].hit, ref = lexicon_files[i].ref;
      if (lexicon_files[i].cue_only && !g_file_test (path, G_FILE_TEST_EXISTS))
        {
          G_STRUCT_MEMBER (CmLexicon *, lexicons, lexicon_files[i].offset) = cm_lexicon_new ();
          continue;
        }
      CmLexicon *lexicon = hit ? cm_lexicon_load_into (path, lexicons->scan, hit, NULL, 0, error)
                         : ref ? cm_lexicon_load_into (path, lexicons->scan, ref << CM_REF_SHIFT, lexicons->officer_refs, ref, error)
                         : cm_lexicon_load_into (path, NULL, 0, NULL, 0, error);
      if (lexicon == NULL)
        return NULL;
      G_STRUCT_MEMBER (CmLexicon *, lexicons, lexicon_files[i].offset) = lexicon;
    }
  return g_steal_pointer (&lexicons);
}

void
cm_lexicons_free (CmLexicons *lexicons)
{
  if (lexicons == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (lexicon_files); i++)
    cm_lexicon_free (G_STRUCT_MEMBER (CmLexicon *, lexicons, lexicon_files[i].offset));
  cm_lexicon_free (lexicons->scan);
  cm_lexicon_free (lexicons->officer_refs);
  g_free (lexicons);
}

/* Words that start a new clause: a negation does not reach past them. */
static gboolean
is_clause_word (const char *word)
{
  /* Byte by byte, most words told apart by their first two bytes: every
   * word before a valence word is asked (g_strv_contains compared ten
   * strings, then a strcmp a candidate did). */
  switch (word[0])
    {
    case 'a': /* and, although */
      return (word[1] == 'n' && word[2] == 'd' && word[3] == '\0') || (word[1] == 'l' && strcmp (word, "although") == 0);
    case 'b': /* but, because */
      return (word[1] == 'u' && word[2] == 't' && word[3] == '\0') || (word[1] == 'e' && strcmp (word, "because") == 0);
    case 'h':
      return word[1] == 'o' && strcmp (word, "however") == 0;
    case 's':
      return word[1] == 'o' && word[2] == '\0';
    case 't':
      return word[1] == 'h' && strcmp (word, "though") == 0;
    case 'w': /* whereas, while */
      return word[1] == 'h' && (strcmp (word, "whereas") == 0 || strcmp (word, "while") == 0);
    case 'y':
      return word[1] == 'e' && word[2] == 't' && word[3] == '\0';
    default:
      return FALSE;
    }
}

gboolean
cm_lexicons_negated (const CmLexicons *lexicons, const CmWords *words, guint start)
{
  /* Look back within the clause only: in "I'm not saying he's lazy; he's
   * incompetent" the second criticism stands. */
  for (guint pos = start; pos > 0 && start - pos < NEGATION_WINDOW;)
    {
      if (words->words[pos].clause)
        break;
      pos--;
      CmMatch match;
      if (is_clause_word (words->words[pos].text))
        break;
      if (cm_lexicon_match_at (lexicons->negation, words, pos, &match)
          && !cm_lexicon_match_at (lexicons->negation_exceptions, words, pos, &match))
        return TRUE;
    }
  return FALSE;
}

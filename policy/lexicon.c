/*
 * lexicon.c: phrase patterns and their matcher (lexicon.h).
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "lexicon.h"

#define GAP_WORDS 3
/* How far back a negation word reaches, within one clause. */
#define NEGATION_WINDOW 8

typedef struct {
  char **alternatives; /* lower case; a trailing '*' is stripped into prefix[] */
  gboolean *prefix;
  gboolean gap;        /* the "..." token */
} Token;

typedef struct {
  Token *tokens;
  guint n_tokens;
  gpointer data;
} Pattern;

struct _CmLexicon {
  GPtrArray *patterns;     /* Pattern *, owned */
  GHashTable *by_first;    /* exact first word -> GPtrArray of Pattern * */
  GPtrArray *prefix_first; /* patterns whose first word has a prefix alternative */
};

static void
pattern_free (gpointer p)
{
  Pattern *pattern = p;
  for (guint i = 0; i < pattern->n_tokens; i++)
    {
      g_strfreev (pattern->tokens[i].alternatives);
      g_free (pattern->tokens[i].prefix);
    }
  g_free (pattern->tokens);
  g_free (pattern);
}

CmLexicon *
cm_lexicon_new (void)
{
  CmLexicon *lexicon = g_new0 (CmLexicon, 1);
  lexicon->patterns = g_ptr_array_new_with_free_func (pattern_free);
  lexicon->by_first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  lexicon->prefix_first = g_ptr_array_new ();
  return lexicon;
}

void
cm_lexicon_free (CmLexicon *lexicon)
{
  if (lexicon == NULL)
    return;
  g_hash_table_unref (lexicon->by_first);
  g_ptr_array_unref (lexicon->prefix_first);
  g_ptr_array_unref (lexicon->patterns);
  g_free (lexicon);
}

guint
cm_lexicon_size (const CmLexicon *lexicon)
{
  return lexicon->patterns->len;
}

/* ALT as the word splitter makes it (possessive dropped), or NULL when
 * it is not exactly one word. */
static char *
normal_word (const char *alt)
{
  g_autoptr (CmWords) words = cm_words_split (alt);
  if (words->n != 1 || words->words[0].offset != 0 || words->words[0].length != strlen (alt))
    return NULL;
  return g_strdup (words->words[0].text);
}

static gboolean
parse_token (const char *text, Token *token, GError **error)
{
  if (strcmp (text, "...") == 0)
    {
      token->gap = TRUE;
      return TRUE;
    }
  g_autofree char *lower = g_utf8_strdown (text, -1);
  token->alternatives = g_strsplit (lower, "|", -1);
  guint n = g_strv_length (token->alternatives);
  token->prefix = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    {
      char *alt = token->alternatives[i];
      gsize len = strlen (alt);
      if (len > 0 && alt[len - 1] == '*')
        {
          alt[--len] = '\0';
          token->prefix[i] = TRUE;
        }
      /* The same normal form as text: curly apostrophes, possessives. */
      char *normal = normal_word (alt);
      if (normal == NULL)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_LEXICON,
                       "\"%s\" is not a word (letters and digits, with ' or - inside, "
                       "optionally ending in *)", text);
          return FALSE;
        }
      g_free (token->alternatives[i]);
      token->alternatives[i] = normal;
    }
  return TRUE;
}

gboolean
cm_lexicon_add (CmLexicon *lexicon, const char *text, gpointer data, GError **error)
{
  g_auto (GStrv) parts = g_strsplit_set (text, " \t", -1);
  GPtrArray *tokens = g_ptr_array_new ();
  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      g_ptr_array_add (tokens, parts[i]);

  g_autoptr (GPtrArray) owned = tokens;
  if (tokens->len == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "empty pattern");
      return FALSE;
    }
  Pattern *pattern = g_new0 (Pattern, 1);
  pattern->tokens = g_new0 (Token, tokens->len);
  pattern->n_tokens = tokens->len;
  pattern->data = data;
  for (guint i = 0; i < tokens->len; i++)
    {
      if (!parse_token (tokens->pdata[i], &pattern->tokens[i], error))
        {
          pattern_free (pattern);
          return FALSE;
        }
      gboolean gap = pattern->tokens[i].gap;
      if (gap && (i == 0 || i + 1 == tokens->len || pattern->tokens[i - 1].gap))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_LEXICON,
                       "\"...\" must stand between two words");
          pattern_free (pattern);
          return FALSE;
        }
    }

  g_ptr_array_add (lexicon->patterns, pattern);
  Token *first = &pattern->tokens[0];
  gboolean has_prefix = FALSE;
  for (guint i = 0; first->alternatives[i]; i++)
    {
      if (first->prefix[i])
        {
          has_prefix = TRUE;
          continue;
        }
      GPtrArray *list = g_hash_table_lookup (lexicon->by_first, first->alternatives[i]);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (lexicon->by_first, g_strdup (first->alternatives[i]), list);
        }
      g_ptr_array_add (list, pattern);
    }
  if (has_prefix)
    g_ptr_array_add (lexicon->prefix_first, pattern);
  return TRUE;
}

CmLexicon *
cm_lexicon_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "%s", local->message);
      return NULL;
    }
  g_autoptr (CmLexicon) lexicon = cm_lexicon_new ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint n = 0; lines[n]; n++)
    {
      char *line = g_strstrip (lines[n]);
      if (*line == '\0' || *line == '#')
        continue;
      if (!g_utf8_validate (line, -1, NULL))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "%s:%u: not valid UTF-8", path, n + 1);
          return NULL;
        }
      if (!cm_lexicon_add (lexicon, line, NULL, &local))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "%s:%u: %s", path, n + 1, local->message);
          return NULL;
        }
    }
  if (cm_lexicon_size (lexicon) == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "%s: has no patterns", path);
      return NULL;
    }
  return g_steal_pointer (&lexicon);
}

static gboolean
token_matches (const Token *token, const char *word)
{
  for (guint i = 0; token->alternatives[i]; i++)
    {
      const char *alt = token->alternatives[i];
      if (token->prefix[i] ? g_str_has_prefix (word, alt) : strcmp (word, alt) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Match tokens [t, n) at word POS; the end of the shortest match (or of
 * the one that ends at word END, when END is not -1), or -1. */
static int
match_from (const Pattern *pattern, guint t, const CmWords *words, guint pos, int end)
{
  if (t == pattern->n_tokens)
    return end < 0 || (int) pos == end ? (int) pos : -1;
  const Token *token = &pattern->tokens[t];
  if (token->gap)
    {
      for (guint skip = 0; skip <= GAP_WORDS && pos + skip < words->n; skip++)
        {
          int found = match_from (pattern, t + 1, words, pos + skip, end);
          if (found >= 0)
            return found;
        }
      return -1;
    }
  if (pos >= words->n || !token_matches (token, words->words[pos].text))
    return -1;
  return match_from (pattern, t + 1, words, pos + 1, end);
}

/* Try every candidate of LIST at POS; keep the shortest match (or one
 * ending at WANT_END when that is not -1). */
static void
try_candidates (const GPtrArray *list, const CmWords *words, guint pos, int want_end,
                CmMatch *best, gboolean *found)
{
  for (guint i = 0; list && i < list->len; i++)
    {
      const Pattern *pattern = list->pdata[i];
      int end = match_from (pattern, 0, words, pos, want_end);
      if (end >= 0 && (!*found || (guint) end < best->end))
        {
          best->start = pos;
          best->end = (guint) end;
          best->data = pattern->data;
          *found = TRUE;
        }
    }
}

gboolean
cm_lexicon_match_at (const CmLexicon *lexicon, const CmWords *words, guint pos, CmMatch *match)
{
  gboolean found = FALSE;
  if (pos >= words->n)
    return FALSE;
  try_candidates (g_hash_table_lookup (lexicon->by_first, words->words[pos].text), words, pos,
                  -1, match, &found);
  try_candidates (lexicon->prefix_first, words, pos, -1, match, &found);
  return found;
}

gboolean
cm_lexicon_matches_whole (const CmLexicon *lexicon, const CmWords *words)
{
  gboolean found = FALSE;
  CmMatch match;
  if (words->n == 0)
    return FALSE;
  try_candidates (g_hash_table_lookup (lexicon->by_first, words->words[0].text), words, 0,
                  (int) words->n, &match, &found);
  if (!found)
    try_candidates (lexicon->prefix_first, words, 0, (int) words->n, &match, &found);
  return found;
}

void
cm_lexicon_scan (const CmLexicon *lexicon, const CmWords *words, GArray *matches)
{
  for (guint pos = 0; pos < words->n; pos++)
    {
      CmMatch match;
      if (cm_lexicon_match_at (lexicon, words, pos, &match))
        g_array_append_val (matches, match);
    }
}

gboolean
cm_lexicon_matches (const CmLexicon *lexicon, const CmWords *words)
{
  CmMatch match;
  for (guint pos = 0; pos < words->n; pos++)
    if (cm_lexicon_match_at (lexicon, words, pos, &match))
      return TRUE;
  return FALSE;
}

static const struct {
  const char *file;
  gsize offset;
} lexicon_files[] = {
  { "criticism.txt", G_STRUCT_OFFSET (CmLexicons, criticism) },
  { "officer-words.txt", G_STRUCT_OFFSET (CmLexicons, officer_words) },
  { "addressee.txt", G_STRUCT_OFFSET (CmLexicons, addressee) },
  { "negation.txt", G_STRUCT_OFFSET (CmLexicons, negation) },
  { "negation-exceptions.txt", G_STRUCT_OFFSET (CmLexicons, negation_exceptions) },
  { "obligation.txt", G_STRUCT_OFFSET (CmLexicons, obligation) },
  { "ceremonial.txt", G_STRUCT_OFFSET (CmLexicons, ceremonial) },
  { "disclosure.txt", G_STRUCT_OFFSET (CmLexicons, disclosure) },
  { "signoff.txt", G_STRUCT_OFFSET (CmLexicons, signoff) },
};

CmLexicons *
cm_lexicons_load (const char *directory, GError **error)
{
  g_autoptr (CmLexicons) lexicons = g_new0 (CmLexicons, 1);
  for (guint i = 0; i < G_N_ELEMENTS (lexicon_files); i++)
    {
      g_autofree char *path = g_build_filename (directory, lexicon_files[i].file, NULL);
      CmLexicon *lexicon = cm_lexicon_load (path, error);
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
  g_free (lexicons);
}

/* Words that start a new clause: a negation does not reach past them. */
static gboolean
is_clause_word (const char *word)
{
  static const char *const words[] = { "but", "and", "because", "although", "though", "however",
                                       "whereas", "while", "yet", "so", NULL };
  return g_strv_contains (words, word);
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

/*
 * lexicon.c: phrase patterns and their matcher (lexicon.h).
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "lines.h"
#include "lexicon.h"
#include "index.h"

#define GAP_WORDS 3
/* A pattern has at most this many gaps: each gap can try GAP_WORDS + 1
 * places, so the tries of one pattern at one word are (GAP_WORDS + 1) to
 * this power at worst (64), not without bound. */
#define GAPS_MAX 3

typedef struct {
  char **alternatives; /* lower case; a trailing '*' is stripped into prefix[] */
  gboolean *prefix;
  /* cm_words_hash () of each alternative: a word is compared with the
   * hash it was split with before its text (a pattern's "the ... team|
   * department|..." tries a dozen at every "the"). */
  guint64 *hashes;
  /* A Bloom filter of the exact alternatives' hashes (bit hash % 64), and
   * whether any alternative is a prefix: most words are told apart from
   * a token of a dozen alternatives by one test. */
  guint64 exact_bits;
  gboolean any_prefix;
  gboolean gap;        /* the "..." token */
} Token;

typedef struct {
  Token *tokens;
  guint n_tokens;
  gpointer data;
} Pattern;

/* A pattern of plain words (no gap, no prefix) is expanded into phrases,
 * one for each choice of alternatives, found by the hash of the whole
 * sequence: the cost of a lookup does not grow with the number of names. */
typedef struct {
  char **words;
  guint n;
  gpointer data;
} Phrase;

/* Patterns with more combinations than this stay general patterns, tried
 * word by word at every position.  A service with the people in it
 * (officer-words.txt: some fifty services by fifty words for staff) is
 * worth its few thousand phrases: tried as a pattern it cost a tenth of
 * the engine's time on a 3 KB message. */
#define MAX_EXPANSION 4096
#define STARTS_BITS 65536
#define PREFIX_BUCKETS 1024

/* Prefix patterns are found by a bucket of their first KEY bytes: 4, or
 * fewer when the lexicon has a shorter prefix (two at least: one-letter
 * prefixes are kept apart).  Four bytes tell apart prefixes that two
 * did not ("incompeten*", "invit*" and every "in..." word). */
#define PREFIX_KEY_MAX 4

/* The bucket of a word or prefix by its first KEY bytes (it has them). */
static inline guint
prefix_bucket (const char *word, guint key)
{
  guint h = ((guint) (guchar) word[0] << 8) ^ ((guint) (guchar) word[1] * 31u);
  if (key > 2)
    h = h * 131u + (guchar) word[2];
  if (key > 3)
    h = h * 131u + (guchar) word[3];
  return (h ^ (h >> 10)) & (PREFIX_BUCKETS - 1);
}

struct _CmLexicon {
  guint size;                      /* patterns added */
  gboolean bits;                   /* data are bit sets: equal phrases OR them */
  GPtrArray *patterns;             /* Pattern *, owned: those with gaps or prefixes */
  GPtrArray *phrases;              /* Phrase *, owned */
  CmIndex *by_first;               /* first word's hash -> Pattern * (exact first words) */
  GPtrArray *by_prefix[PREFIX_BUCKETS]; /* prefix_bucket () of a prefix first word -> Pattern * */
  guint prefix_key;                /* the bytes of a prefix its bucket is keyed by (0: no
                                      prefix of two bytes or more, no bucket) */
  GPtrArray *short_prefix;         /* patterns whose first word is a one-letter prefix */
  /* phrase_key () -> the Phrase * of those words, and the lexicon itself
   * (a marker) when a longer phrase begins with them: one lookup a word
   * says both. */
  CmIndex *phrase_index;
  guint longest_phrase;
  /* A Bloom filter of every word that can start a match without a prefix
   * pattern: most words of a message start nothing, and this says so
   * without a lookup. */
  guint64 starts[STARTS_BITS / 64];
};

static void
pattern_free (gpointer p)
{
  Pattern *pattern = p;
  for (guint i = 0; i < pattern->n_tokens; i++)
    {
      g_strfreev (pattern->tokens[i].alternatives);
      g_free (pattern->tokens[i].prefix);
      g_free (pattern->tokens[i].hashes);
    }
  g_free (pattern->tokens);
  g_free (pattern);
}

static void
phrase_free (gpointer p)
{
  Phrase *phrase = p;
  g_strfreev (phrase->words);
  g_free (phrase);
}

/* The key of a phrase of N words whose sequence hash is SEQUENCE. */
static guint64
phrase_key (guint64 sequence, guint n)
{
  return sequence ^ ((guint64) n * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
}

CmLexicon *
cm_lexicon_new (void)
{
  CmLexicon *lexicon = g_new0 (CmLexicon, 1);
  lexicon->patterns = g_ptr_array_new_with_free_func (pattern_free);
  lexicon->phrases = g_ptr_array_new_with_free_func (phrase_free);
  lexicon->by_first = cm_index_new ();
  lexicon->phrase_index = cm_index_new ();
  return lexicon;
}

void
cm_lexicon_free (CmLexicon *lexicon)
{
  if (lexicon == NULL)
    return;
  cm_index_free (lexicon->by_first);
  cm_index_free (lexicon->phrase_index);
  for (guint i = 0; i < G_N_ELEMENTS (lexicon->by_prefix); i++)
    if (lexicon->by_prefix[i])
      g_ptr_array_unref (lexicon->by_prefix[i]);
  if (lexicon->short_prefix)
    g_ptr_array_unref (lexicon->short_prefix);
  g_ptr_array_unref (lexicon->phrases);
  g_ptr_array_unref (lexicon->patterns);
  g_free (lexicon);
}

guint
cm_lexicon_size (const CmLexicon *lexicon)
{
  return lexicon->size;
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
  token->hashes = g_new0 (guint64, n);
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
      token->hashes[i] = cm_words_hash (normal);
      if (token->prefix[i])
        token->any_prefix = TRUE;
      else
        token->exact_bits |= G_GUINT64_CONSTANT (1) << (token->hashes[i] % 64);
    }
  return TRUE;
}

/* How many phrases PATTERN expands into, or 0 if it has gaps or prefixes. */
static guint
expansion (const Pattern *pattern)
{
  guint count = 1;
  for (guint t = 0; t < pattern->n_tokens; t++)
    {
      const Token *token = &pattern->tokens[t];
      if (token->gap)
        return 0;
      guint n = g_strv_length (token->alternatives);
      for (guint i = 0; i < n; i++)
        if (token->prefix[i])
          return 0;
      if (count > MAX_EXPANSION / n)
        return 0;
      count *= n;
    }
  return count;
}

static void
mark_start (CmLexicon *lexicon, guint64 hash)
{
  guint a = (guint) (hash & (STARTS_BITS - 1)), b = (guint) ((hash >> 32) & (STARTS_BITS - 1));
  lexicon->starts[a / 64] |= G_GUINT64_CONSTANT (1) << (a % 64);
  lexicon->starts[b / 64] |= G_GUINT64_CONSTANT (1) << (b % 64);
}

static gboolean
may_start (const CmLexicon *lexicon, guint64 hash)
{
  guint a = (guint) (hash & (STARTS_BITS - 1)), b = (guint) ((hash >> 32) & (STARTS_BITS - 1));
  return (lexicon->starts[a / 64] >> (a % 64) & 1) && (lexicon->starts[b / 64] >> (b % 64) & 1);
}

/* Add one phrase; the same words with other data make it ambiguous. */
static void
add_phrase (CmLexicon *lexicon, char **words, guint n, gpointer data)
{
  guint64 sequence = 0;
  mark_start (lexicon, cm_words_hash (words[0]));
  for (guint i = 0; i < n; i++)
    {
      sequence = cm_words_hash_sequence (sequence, cm_words_hash (words[i]));
      /* The beginnings let a lookup stop at the first word that leads
       * nowhere: marked once each. */
      if (i + 1 < n)
        {
          guint64 begins = phrase_key (sequence, i + 1);
          const GPtrArray *items = cm_index_get (lexicon->phrase_index, begins);
          gboolean marked = FALSE;
          for (guint k = 0; items && k < items->len; k++)
            marked |= items->pdata[k] == lexicon;
          if (!marked)
            cm_index_add (lexicon->phrase_index, begins, lexicon);
        }
    }
  guint64 key = phrase_key (sequence, n);
  const GPtrArray *same_key = cm_index_get (lexicon->phrase_index, key);
  for (guint i = 0; same_key && i < same_key->len; i++)
    {
      if (same_key->pdata[i] == lexicon)
        continue; /* the marker of longer phrases */
      Phrase *other = same_key->pdata[i];
      guint k = 0;
      while (k < n && other->n == n && strcmp (other->words[k], words[k]) == 0)
        k++;
      if (k == n && other->n == n)
        {
          if (lexicon->bits)
            other->data = GUINT_TO_POINTER (GPOINTER_TO_UINT (other->data) | GPOINTER_TO_UINT (data));
          else if (other->data != data)
            other->data = NULL; /* two people share a title: it names neither */
          return;
        }
    }
  Phrase *phrase = g_new0 (Phrase, 1);
  phrase->words = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    phrase->words[i] = g_strdup (words[i]);
  phrase->n = n;
  phrase->data = data;
  g_ptr_array_add (lexicon->phrases, phrase);
  cm_index_add (lexicon->phrase_index, key, phrase);
  lexicon->longest_phrase = MAX (lexicon->longest_phrase, n);
}

/* Expand PATTERN into phrases; FALSE (and nothing added) if it cannot be. */
static gboolean
add_phrases (CmLexicon *lexicon, Pattern *pattern)
{
  guint count = expansion (pattern);
  if (count == 0)
    return FALSE;
  char **words = g_new0 (char *, pattern->n_tokens + 1);
  for (guint combination = 0; combination < count; combination++)
    {
      guint rest = combination;
      for (guint t = pattern->n_tokens; t-- > 0;)
        {
          guint n = g_strv_length (pattern->tokens[t].alternatives);
          words[t] = pattern->tokens[t].alternatives[rest % n];
          rest /= n;
        }
      add_phrase (lexicon, words, pattern->n_tokens, pattern->data);
    }
  g_free (words);
  pattern_free (pattern);
  return TRUE;
}

/* Put PATTERN in the bucket of each prefix of its first word (or with
 * the one-letter prefixes), once in each list. */
static void
index_prefixes (CmLexicon *lexicon, Pattern *pattern)
{
  const Token *first = &pattern->tokens[0];
  for (guint i = 0; first->alternatives[i]; i++)
    {
      if (!first->prefix[i])
        continue;
      const char *prefix = first->alternatives[i];
      GPtrArray **list = prefix[1] ? &lexicon->by_prefix[prefix_bucket (prefix, lexicon->prefix_key)]
                                   : &lexicon->short_prefix;
      if (*list == NULL)
        *list = g_ptr_array_new ();
      if (!g_ptr_array_find (*list, pattern, NULL))
        g_ptr_array_add (*list, pattern);
    }
}

/* Index a general pattern by its first word (or the first bytes of it). */
static void
index_pattern (CmLexicon *lexicon, Pattern *pattern)
{
  g_ptr_array_add (lexicon->patterns, pattern);
  const Token *first = &pattern->tokens[0];
  guint shortest = lexicon->prefix_key ? lexicon->prefix_key : PREFIX_KEY_MAX;
  gboolean bucketed = FALSE; /* a prefix of two bytes or more */
  for (guint i = 0; first->alternatives[i]; i++)
    {
      if (!first->prefix[i])
        {
          cm_index_add (lexicon->by_first, cm_words_hash (first->alternatives[i]), pattern);
          mark_start (lexicon, cm_words_hash (first->alternatives[i]));
        }
      else if (first->alternatives[i][1])
        {
          shortest = MIN (shortest, (guint) strlen (first->alternatives[i]));
          bucketed = TRUE;
        }
    }
  if (bucketed && lexicon->prefix_key == 0)
    lexicon->prefix_key = shortest; /* the first such prefix: no bucket yet */
  if (!bucketed || shortest == lexicon->prefix_key)
    {
      index_prefixes (lexicon, pattern);
      return;
    }
  /* A shorter prefix than the buckets are keyed by: every prefix pattern
   * is put in the buckets again, keyed by fewer bytes, in the order they
   * came (the order they are tried in). */
  lexicon->prefix_key = shortest;
  for (guint i = 0; i < PREFIX_BUCKETS; i++)
    g_clear_pointer (&lexicon->by_prefix[i], g_ptr_array_unref);
  g_clear_pointer (&lexicon->short_prefix, g_ptr_array_unref);
  for (guint i = 0; i < lexicon->patterns->len; i++)
    index_prefixes (lexicon, lexicon->patterns->pdata[i]);
}

gboolean
cm_lexicon_add (CmLexicon *lexicon, const char *text, gpointer data, GError **error)
{
  g_auto (GStrv) parts = g_strsplit_set (text, " \t", -1);
  g_autoptr (GPtrArray) tokens = g_ptr_array_new ();
  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      g_ptr_array_add (tokens, parts[i]);

  if (tokens->len == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "empty pattern");
      return FALSE;
    }
  Pattern *pattern = g_new0 (Pattern, 1);
  pattern->tokens = g_new0 (Token, tokens->len);
  pattern->n_tokens = tokens->len;
  pattern->data = data;
  guint gaps = 0;
  for (guint i = 0; i < tokens->len; i++)
    {
      if (!parse_token (tokens->pdata[i], &pattern->tokens[i], error))
        {
          pattern_free (pattern);
          return FALSE;
        }
      gboolean gap = pattern->tokens[i].gap;
      if (gap && ++gaps > GAPS_MAX)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "at most %d \"...\" in a pattern", GAPS_MAX);
          pattern_free (pattern);
          return FALSE;
        }
      if (gap && (i == 0 || i + 1 == tokens->len || pattern->tokens[i - 1].gap))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_LEXICON,
                       "\"...\" must stand between two words");
          pattern_free (pattern);
          return FALSE;
        }
    }

  lexicon->size++;
  if (!add_phrases (lexicon, pattern))
    index_pattern (lexicon, pattern);
  return TRUE;
}

CmLexicon *
cm_lexicon_new_bits (void)
{
  CmLexicon *lexicon = cm_lexicon_new ();
  lexicon->bits = TRUE;
  return lexicon;
}

/* Load PATH; when ALSO (ALSO2) is not NULL, add every pattern to it too,
 * with BIT (BIT2) as its data. */
CmLexicon *
cm_lexicon_load_into (const char *path, CmLexicon *also, guint bit, CmLexicon *also2, guint bit2, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "%s", local->message);
      return NULL;
    }
  g_autoptr (CmLexicon) lexicon = cm_lexicon_new ();
  g_auto (GStrv) lines = cm_lines_split (text);
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
      if (also)
        cm_lexicon_add (also, line, GUINT_TO_POINTER (bit), NULL);
      if (also2)
        cm_lexicon_add (also2, line, GUINT_TO_POINTER (bit2), NULL);
    }
  if (cm_lexicon_size (lexicon) == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_LEXICON, "%s: has no patterns", path);
      return NULL;
    }
  return g_steal_pointer (&lexicon);
}

CmLexicon *
cm_lexicon_load (const char *path, GError **error)
{
  return cm_lexicon_load_into (path, NULL, 0, NULL, 0, error);
}

/* Does WORD start with PREFIX?  (g_str_has_prefix measures both strings
 * first; most words differ at their first byte.) */
static inline gboolean
has_prefix (const char *word, const char *prefix)
{
  while (*prefix && *prefix == *word)
    prefix++, word++;
  return *prefix == '\0';
}

static gboolean
token_matches (const Token *token, const CmWord *word)
{
  if (!token->any_prefix && !(token->exact_bits >> (word->hash % 64) & 1))
    return FALSE;
  for (guint i = 0; token->alternatives[i]; i++)
    {
      const char *alt = token->alternatives[i];
      if (token->prefix[i] ? has_prefix (word->text, alt)
                           : token->hashes[i] == word->hash && strcmp (word->text, alt) == 0)
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
      /* A gap before the last token, the usual "the ... team": its
       * places tried here, with no call for each. */
      if (t + 2 == pattern->n_tokens && end < 0)
        {
          const Token *last = &pattern->tokens[t + 1];
          for (guint skip = 0; skip <= GAP_WORDS && pos + skip < words->n; skip++)
            if (token_matches (last, &words->words[pos + skip]))
              return (int) (pos + skip + 1);
          return -1;
        }
      for (guint skip = 0; skip <= GAP_WORDS && pos + skip < words->n; skip++)
        {
          int found = match_from (pattern, t + 1, words, pos + skip, end);
          if (found >= 0)
            return found;
        }
      return -1;
    }
  if (pos >= words->n || !token_matches (token, &words->words[pos]))
    return -1;
  return match_from (pattern, t + 1, words, pos + 1, end);
}

/* Try every general pattern of LIST at POS; keep the shortest match (or
 * one ending at WANT_END when that is not -1). */
static void
try_patterns (const GPtrArray *list, const CmWords *words, guint pos, int want_end,
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

/* Are the N words of WORDS at POS the words of PHRASE? */
static gboolean
phrase_is_at (const Phrase *phrase, const CmWords *words, guint pos, guint n)
{
  if (phrase->n != n)
    return FALSE;
  for (guint k = 0; k < n; k++)
    if (strcmp (phrase->words[k], words->words[pos + k].text) != 0)
      return FALSE;
  return TRUE;
}

/* The shortest phrase at POS (of exactly LENGTH words when not 0). */
static gboolean
match_phrase (const CmLexicon *lexicon, const CmWords *words, guint pos, guint length,
              CmMatch *match)
{
  guint64 sequence = 0;
  for (guint n = 1; n <= lexicon->longest_phrase && pos + n <= words->n; n++)
    {
      sequence = cm_words_hash_sequence (sequence, words->words[pos + n - 1].hash);
      const GPtrArray *list = cm_index_get (lexicon->phrase_index, phrase_key (sequence, n));
      gboolean longer = FALSE;
      for (guint i = 0; list && i < list->len; i++)
        {
          if (list->pdata[i] == lexicon)
            {
              longer = TRUE;
              continue;
            }
          const Phrase *phrase = list->pdata[i];
          if ((length == 0 || n == length) && phrase_is_at (phrase, words, pos, n))
            {
              match->start = pos;
              match->end = pos + n;
              match->data = phrase->data;
              return TRUE;
            }
        }
      if (!longer)
        break; /* no longer phrase begins with these words */
    }
  return FALSE;
}

/* match_at () past its first test: STARTS says the word may start a
 * phrase or a pattern by its first word, PREFIXED are the prefix patterns
 * of its bucket (or NULL). */
static G_NO_INLINE gboolean
match_candidates (const CmLexicon *lexicon, const CmWords *words, guint pos, int want_end,
                  gboolean starts, const GPtrArray *prefixed, CmMatch *match)
{
  const CmWord *word = &words->words[pos];
  gboolean found = FALSE;
  if (starts)
    {
      guint length = want_end < 0 ? 0 : (guint) want_end - pos;
      found = match_phrase (lexicon, words, pos, length, match);
      try_patterns (cm_index_get (lexicon->by_first, word->hash), words, pos, want_end, match, &found);
    }
  if (prefixed)
    try_patterns (prefixed, words, pos, want_end, match, &found);
  if (lexicon->short_prefix)
    try_patterns (lexicon->short_prefix, words, pos, want_end, match, &found);
  return found;
}

/* May WORD start anything of LEXICON?  *STARTS: a phrase or a pattern by
 * its first word; *PREFIXED: the prefix patterns of its bucket (or NULL).
 * Most words start nothing in most lists: that is said inline, without
 * the stack frame of the search (every word is asked of several lists). */
static inline gboolean
may_match (const CmLexicon *lexicon, const CmWord *word, gboolean *starts, const GPtrArray **prefixed)
{
  *starts = may_start (lexicon, word->hash);
  const char *text = word->text;
  guint key = lexicon->prefix_key;
  *prefixed = key && text[1] && (key < 3 || text[2]) && (key < 4 || text[3])
            ? lexicon->by_prefix[prefix_bucket (text, key)] : NULL;
  return *starts || *prefixed || lexicon->short_prefix;
}

/* The shortest match at POS, or the one ending at WANT_END (not -1). */
static inline gboolean
match_at (const CmLexicon *lexicon, const CmWords *words, guint pos, int want_end, CmMatch *match)
{
  gboolean starts;
  const GPtrArray *prefixed;
  if (pos >= words->n || !may_match (lexicon, &words->words[pos], &starts, &prefixed))
    return FALSE;
  return match_candidates (lexicon, words, pos, want_end, starts, prefixed, match);
}

/* The OR of the data of LIST's general patterns matching at POS. */
static guint
pattern_bits (const GPtrArray *list, const CmWords *words, guint pos)
{
  guint bits = 0;
  for (guint i = 0; list && i < list->len; i++)
    {
      const Pattern *pattern = list->pdata[i];
      /* Most fail at their first word: that is tested without the call,
       * and the rest from the second (a pattern never starts with a gap). */
      if (token_matches (&pattern->tokens[0], &words->words[pos])
          && match_from (pattern, 1, words, pos + 1, -1) >= 0)
        bits |= GPOINTER_TO_UINT (pattern->data);
    }
  return bits;
}

/* match_bits_at () past its first test (as match_candidates ()). */
static G_NO_INLINE guint
candidate_bits (const CmLexicon *lexicon, const CmWords *words, guint pos, gboolean starts,
                const GPtrArray *prefixed)
{
  const CmWord *word = &words->words[pos];
  guint bits = 0;
  if (starts)
    {
      guint64 sequence = 0;
      for (guint n = 1; n <= lexicon->longest_phrase && pos + n <= words->n; n++)
        {
          sequence = cm_words_hash_sequence (sequence, words->words[pos + n - 1].hash);
          const GPtrArray *list = cm_index_get (lexicon->phrase_index, phrase_key (sequence, n));
          gboolean longer = FALSE;
          for (guint i = 0; list && i < list->len; i++)
            {
              if (list->pdata[i] == lexicon)
                {
                  longer = TRUE; /* the marker of longer phrases */
                  continue;
                }
              const Phrase *phrase = list->pdata[i];
              if (phrase_is_at (phrase, words, pos, n))
                bits |= GPOINTER_TO_UINT (phrase->data);
            }
          if (!longer)
            break;
        }
      bits |= pattern_bits (cm_index_get (lexicon->by_first, word->hash), words, pos);
    }
  return bits | pattern_bits (prefixed, words, pos) | pattern_bits (lexicon->short_prefix, words, pos);
}

/* The OR of the data of every pattern of a bit-set lexicon matching at POS. */
static inline guint
match_bits_at (const CmLexicon *lexicon, const CmWords *words, guint pos)
{
  gboolean starts;
  const GPtrArray *prefixed;
  if (!may_match (lexicon, &words->words[pos], &starts, &prefixed))
    return 0;
  return candidate_bits (lexicon, words, pos, starts, prefixed);
}

guint
cm_lexicons_sentence_hits (const CmLexicons *lexicons, const CmWords *words, guint8 *refs)
{
  guint hits = 0;
  for (guint pos = 0; pos < words->n; pos++)
    {
      guint all = match_bits_at (lexicons->scan, words, pos);
      guint bits = all & ((1u << CM_REF_SHIFT) - 1);
      if (refs)
        refs[pos] = (guint8) (all >> CM_REF_SHIFT);
      /* A negated phrase does not count; another of the same list may. */
      if ((bits & ~hits) && !cm_lexicons_negated (lexicons, words, pos))
        hits |= bits;
    }
  return hits;
}

guint
cm_lexicon_bits_at (const CmLexicon *lexicon, const CmWords *words, guint pos)
{
  return pos < words->n ? match_bits_at (lexicon, words, pos) : 0;
}

gboolean
cm_lexicon_match_at (const CmLexicon *lexicon, const CmWords *words, guint pos, CmMatch *match)
{
  return match_at (lexicon, words, pos, -1, match);
}

guint
cm_lexicon_next_match (const CmLexicon *lexicon, const CmWords *words, guint from, CmMatch *match)
{
  /* Without prefix patterns (a directory's names), the Bloom filter
   * alone passes over the words that start nothing. */
  gboolean by_starts = lexicon->prefix_key == 0 && lexicon->short_prefix == NULL;
  for (guint pos = from; pos < words->n; pos++)
    {
      if (by_starts && !may_start (lexicon, words->words[pos].hash))
        continue;
      if (match_at (lexicon, words, pos, -1, match))
        return pos;
    }
  return words->n;
}

gboolean
cm_lexicon_matches_whole (const CmLexicon *lexicon, const CmWords *words)
{
  CmMatch match;
  return words->n > 0 && match_at (lexicon, words, 0, (int) words->n, &match);
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

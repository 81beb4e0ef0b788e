/*
 * sentences.c: text to sentences.
 *
 * Paragraphs are separated by blank lines; the lines of a paragraph are
 * joined; a sentence ends at '.', '!' or '?' followed by a space, except
 * after the abbreviations that mail is full of ("Mr.", "Cllr.", "e.g.").
 * A line that looks like a heading or a list item stays a sentence of its
 * own, so a greeting never joins the sentence after it.
 */
#include "config.h"

#include <string.h>

#include "text.h"

/* The longest sentence kept whole; longer runs are cut into pieces. */
#define SENTENCE_MAX 2000

static gboolean
is_abbreviation (const char *start, const char *dot)
{
  static const char *const abbreviations[] = { "mr", "mrs", "ms", "dr", "cllr", "st", "no", "e.g",
                                               "i.e", "etc", "vs", "approx", "ref", "tel", "prof",
                                               "rev", "cllrs", "sr", "jr", NULL };
  const char *word = dot;
  while (word > start && (g_ascii_isalpha (word[-1]) || word[-1] == '.'))
    word--;
  gsize len = dot - word;
  if (len == 1 && g_ascii_isupper (*word))
    return TRUE; /* an initial: "J. Smith" */
  for (guint i = 0; abbreviations[i]; i++)
    if (strlen (abbreviations[i]) == len && g_ascii_strncasecmp (word, abbreviations[i], len) == 0)
      return TRUE;
  return FALSE;
}

static void
add_sentence (GPtrArray *out, const char *start, gsize len)
{
  while (len > 0 && g_ascii_isspace (*start))
    start++, len--;
  while (len > 0 && g_ascii_isspace (start[len - 1]))
    len--;
  while (len > SENTENCE_MAX)
    {
      const char *cut = g_utf8_find_prev_char (start, start + SENTENCE_MAX);
      gsize piece = cut ? (gsize) (cut - start) : SENTENCE_MAX;
      g_ptr_array_add (out, g_strndup (start, piece));
      start += piece;
      len -= piece;
    }
  if (len > 0)
    g_ptr_array_add (out, g_strndup (start, len));
}

/* Split one paragraph (lines already joined with spaces). */
static void
split_paragraph (GPtrArray *out, const char *text)
{
  const char *start = text;
  for (const char *p = text; *p; p++)
    {
      if (*p != '.' && *p != '!' && *p != '?')
        continue;
      const char *end = p + 1;
      while (*end == '.' || *end == '!' || *end == '?' || *end == '"' || *end == ')' || *end == '\'')
        end++;
      if (*end != ' ' && *end != '\0')
        continue;
      if (*p == '.' && is_abbreviation (start, p))
        continue;
      add_sentence (out, start, end - start);
      start = end;
      p = end - 1;
    }
  add_sentence (out, start, strlen (start));
}

/* A line that stands alone: short and without a sentence's end, or a list item. */
static gboolean
stands_alone (const char *line)
{
  gsize len = strlen (line);
  if (len == 0)
    return FALSE;
  if (line[0] == '-' || line[0] == '*' || (unsigned char) line[0] == 0xE2 /* bullets */)
    return TRUE;
  return len < 40 && (line[len - 1] == ',' || line[len - 1] == ':');
}

GPtrArray *
cm_sentences_split (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *paragraph = g_string_new (NULL);

  for (guint i = 0;; i++)
    {
      char *line = lines[i] ? g_strstrip (lines[i]) : NULL;
      gboolean alone = line && stands_alone (line);
      if (line == NULL || *line == '\0' || alone)
        {
          split_paragraph (out, paragraph->str);
          g_string_truncate (paragraph, 0);
          if (alone)
            add_sentence (out, line, strlen (line));
          if (line == NULL)
            break;
          continue;
        }
      for (char *c = line; *c; c++)
        if (*c == '\t' || *c == '\r')
          *c = ' ';
      if (paragraph->len)
        g_string_append_c (paragraph, ' ');
      g_string_append (paragraph, line);
    }
  g_string_free (paragraph, TRUE);
  return out;
}

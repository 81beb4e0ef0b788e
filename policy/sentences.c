/*
 * sentences.c: text to sentences, as byte spans of the text.
 *
 * Paragraphs are separated by blank lines; a sentence ends at '.', '!' or
 * '?' followed by white space (a line end included), except after the
 * abbreviations that mail is full of ("Mr.", "Cllr.", "e.g.").  A line
 * that looks like a greeting, a heading or a list item is a sentence of
 * its own, so a greeting never joins the sentence after it.  Spans, not
 * copies: the view splits the whole text into words once and gives each
 * sentence its range of them.
 */
#include "config.h"

#include <string.h>

#include "text.h"

/* The longest sentence kept whole; longer runs are cut into pieces. */
#define SENTENCE_MAX 2000

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The abbreviations with their lengths: every full stop asks, and a word
 * of another length costs one comparison, not a strlen. */
#define ABBREVIATION(text) { text, sizeof text - 1 }
static const struct {
  const char *text;
  gsize len;
} abbreviations[] = {
  ABBREVIATION ("mr"), ABBREVIATION ("mrs"), ABBREVIATION ("ms"), ABBREVIATION ("dr"),
  ABBREVIATION ("cllr"), ABBREVIATION ("st"), ABBREVIATION ("no"), ABBREVIATION ("e.g"),
  ABBREVIATION ("i.e"), ABBREVIATION ("etc"), ABBREVIATION ("vs"), ABBREVIATION ("approx"),
  ABBREVIATION ("ref"), ABBREVIATION ("tel"), ABBREVIATION ("prof"), ABBREVIATION ("rev"),
  ABBREVIATION ("cllrs"), ABBREVIATION ("sr"), ABBREVIATION ("jr"),
};

/* The longest of them ("approx"): a longer one added above must raise it. */
#define ABBREVIATION_MAX 6

static gboolean
is_abbreviation (const char *start, const char *dot)
{
  const char *word = dot;
  while (word > start && (g_ascii_isalpha (word[-1]) || word[-1] == '.'))
    word--;
  gsize len = dot - word;
  if (len == 1 && g_ascii_isupper (*word))
    return TRUE; /* an initial: "J. Smith" */
  /* Most sentences end in a word longer than any abbreviation. */
  if (len > ABBREVIATION_MAX)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (abbreviations); i++)
    if (abbreviations[i].len == len && g_ascii_strncasecmp (word, abbreviations[i].text, len) == 0)
      return TRUE;
  return FALSE;
}

/* Add [start, end) of TEXT, trimmed, cut into pieces of SENTENCE_MAX. */
static void
add_span (GArray *out, const char *text, const char *start, const char *end)
{
  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;
  while (end - start > SENTENCE_MAX)
    {
      const char *cut = g_utf8_find_prev_char (start, start + SENTENCE_MAX);
      if (cut == NULL || cut == start)
        cut = start + SENTENCE_MAX;
      CmSpan piece = { (gsize) (start - text), (gsize) (cut - text) };
      g_array_append_val (out, piece);
      start = cut;
    }
  if (end > start)
    {
      CmSpan span = { (gsize) (start - text), (gsize) (end - text) };
      g_array_append_val (out, span);
    }
}

/* Where the next '.', '!' and '?' are in a paragraph: each found by
 * memchr (which reads many bytes an instruction), and looked for again
 * only once it has been passed. */
typedef struct {
  const char *at[3]; /* the next of each at or after the point read to, or END */
  const char *end;
} Ends;

static const char end_marks[3] = { '.', '!', '?' };

static void
ends_init (Ends *e, const char *start, const char *end)
{
  e->end = end;
  for (guint i = 0; i < 3; i++)
    {
      const char *found = memchr (start, end_marks[i], (gsize) (end - start));
      e->at[i] = found ? found : end;
    }
}

/* The first '.', '!' or '?' at or after P, or END. */
static const char *
ends_next (Ends *e, const char *p)
{
  const char *first = e->end;
  for (guint i = 0; i < 3; i++)
    {
      if (e->at[i] < p)
        {
          const char *found = memchr (p, end_marks[i], (gsize) (e->end - p));
          e->at[i] = found ? found : e->end;
        }
      first = MIN (first, e->at[i]);
    }
  return first;
}

/* Split the paragraph [start, end) of TEXT into sentences. */
static void
split_paragraph (GArray *out, const char *text, const char *start, const char *end)
{
  Ends ends;
  ends_init (&ends, start, end);
  for (const char *p = start; p < end; p++)
    {
      p = ends_next (&ends, p);
      if (p == end)
        break;
      const char *stop = p + 1;
      while (stop < end && (*stop == '.' || *stop == '!' || *stop == '?' || *stop == '"'
                            || *stop == ')' || *stop == '\''))
        stop++;
      /* Not a sentence end ("3.5", "!!!x"): the whole run was read, so go
       * on after it (reading it again from each of its characters made
       * a long run quadratic). */
      if (stop < end && !is_space (*stop))
        {
          p = stop - 1;
          continue;
        }
      if (*p == '.' && is_abbreviation (start, p))
        continue;
      add_span (out, text, start, stop);
      start = stop;
      p = stop - 1;
    }
  add_span (out, text, start, end);
}

/* A line that stands alone: a list item, or short and ending in , or :. */
static gboolean
stands_alone (const char *line, const char *end)
{
  while (line < end && is_space (*line))
    line++;
  while (end > line && is_space (end[-1]))
    end--;
  if (line == end)
    return FALSE;
  if (*line == '-' || *line == '*' || (guchar) *line == 0xE2 /* bullets */)
    return TRUE;
  return end - line < 40 && (end[-1] == ',' || end[-1] == ':');
}

static gboolean
is_blank (const char *line, const char *end)
{
  while (line < end && is_space (*line))
    line++;
  return line == end;
}

GArray *
cm_sentences_split (const char *text)
{
  /* Room for a sentence in about 80 bytes of text: the array seldom grows. */
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (CmSpan), (guint) MIN (strlen (text) / 80 + 8, 4096));
  const char *paragraph = NULL; /* start of the paragraph being read */
  const char *line = text;

  for (;;)
    {
      const char *end = strchr (line, '\n');
      if (end == NULL)
        end = line + strlen (line);
      gboolean blank = is_blank (line, end);
      gboolean alone = !blank && stands_alone (line, end);
      if (blank || alone)
        {
          if (paragraph)
            split_paragraph (out, text, paragraph, line);
          paragraph = NULL;
          if (alone)
            add_span (out, text, line, end);
        }
      else if (paragraph == NULL)
        paragraph = line;
      if (*end == '\0')
        break;
      line = end + 1;
    }
  if (paragraph)
    split_paragraph (out, text, paragraph, text + strlen (text));
  return out;
}

char *
cm_sentences_text (const char *text, CmSpan span)
{
  /* Written through a pointer into a buffer as long as the span (folding
   * only shortens it), not a byte at a time into a GString. */
  char *out = g_malloc (span.end - span.start + 1), *o = out;
  gboolean space = FALSE;
  for (const char *p = text + span.start; p < text + span.end; p++)
    {
      if (is_space (*p))
        {
          space = o > out;
          continue;
        }
      if (space)
        *o++ = ' ';
      space = FALSE;
      *o++ = *p;
    }
  *o = '\0';
  return out;
}

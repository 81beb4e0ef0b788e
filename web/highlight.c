/*
 * highlight.c: evidence sentences marked in a held message's text
 * (highlight.h).
 */
#include "config.h"

#include <string.h>

#include "highlight.h"
#include "layout.h"

/* Evidence shorter than this is not marked: it would mark stray words. */
#define EVIDENCE_MIN 8

typedef struct {
  gsize start, end;
} Range;

/* The length of TEXT's match of SENTENCE at its start (a run of spaces
 * in the sentence matches any run of white space in the text), or 0. */
static gsize
match_at (const char *text, const char *sentence)
{
  const char *t = text, *s = sentence;
  while (*s)
    {
      if (g_ascii_isspace (*s))
        {
          if (!g_ascii_isspace (*t))
            return 0;
          while (g_ascii_isspace (*s))
            s++;
          while (g_ascii_isspace (*t))
            t++;
        }
      else if (*s++ != *t++)
        return 0;
    }
  return (gsize) (t - text);
}

/* Order ranges by start. */
static gint
range_compare (gconstpointer a, gconstpointer b)
{
  const Range *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Where each sentence of EVIDENCE occurs in TEXT, sorted, overlaps merged. */
static GArray *
find_ranges (const char *text, const GPtrArray *evidence)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  gsize length = strlen (text);
  if (evidence == NULL || length > CM_HIGHLIGHT_TEXT_MAX)
    return ranges;
  for (guint e = 0; e < evidence->len; e++)
    {
      g_autofree char *sentence = g_strstrip (g_strdup (g_ptr_array_index (evidence, e)));
      if (strlen (sentence) < EVIDENCE_MIN)
        continue;
      for (gsize i = 0; i < length; i++)
        {
          if (text[i] != sentence[0])
            continue;
          gsize matched = match_at (text + i, sentence);
          if (matched == 0)
            continue;
          Range range = { i, i + matched };
          g_array_append_val (ranges, range);
          i += matched - 1;
        }
    }
  g_array_sort (ranges, range_compare);
  guint kept = 0;
  for (guint i = 0; i < ranges->len; i++)
    {
      Range *next = &g_array_index (ranges, Range, i);
      Range *last = kept ? &g_array_index (ranges, Range, kept - 1) : NULL;
      if (last && next->start <= last->end)
        last->end = MAX (last->end, next->end);
      else
        g_array_index (ranges, Range, kept++) = *next;
    }
  g_array_set_size (ranges, kept);
  return ranges;
}

/* Append LENGTH bytes of TEXT from START, escaped. */
static void
append_slice (GString *out, const char *text, gsize start, gsize length)
{
  g_autofree char *slice = g_strndup (text + start, length);
  cm_html (out, slice);
}

/* Append TEXT escaped with its evidence marked. */
guint
cm_highlight (GString *out, const char *text, const GPtrArray *evidence)
{
  g_autoptr (GArray) ranges = find_ranges (text, evidence);
  gsize at = 0;
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *range = &g_array_index (ranges, Range, i);
      append_slice (out, text, at, range->start - at);
      g_string_append (out, "<mark>");
      append_slice (out, text, range->start, range->end - range->start);
      g_string_append (out, "</mark>");
      at = range->end;
    }
  cm_html (out, text + at);
  return ranges->len;
}

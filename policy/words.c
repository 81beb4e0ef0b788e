/*
 * words.c: split text into lower-case words (words.h).
 */
#include "config.h"

#include <string.h>

#include "words.h"

gboolean
cm_words_is_word_char (gunichar c)
{
  return c < 0x80 ? g_ascii_isalnum (c) : g_unichar_isalnum (c);
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == 0x2018;
}

/* Append the lower-case form of C to OUT, apostrophes made straight. */
static void
append_lower (GString *out, gunichar c)
{
  if (c < 0x80)
    g_string_append_c (out, g_ascii_tolower ((char) c));
  else if (is_apostrophe (c))
    g_string_append_c (out, '\'');
  else
    g_string_append_unichar (out, g_unichar_tolower (c));
}

CmWords *
cm_words_split (const char *text)
{
  gsize text_len = strlen (text);
  GString *buffer = g_string_sized_new (text_len + 16);
  GArray *words = g_array_new (FALSE, FALSE, sizeof (CmWord));
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize)); /* word starts in buffer */
  const char *p = text;
  gboolean clause = FALSE;

  while (*p)
    {
      gunichar c = g_utf8_get_char (p);
      if (!cm_words_is_word_char (c))
        {
          clause |= c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == 0x2013
                  || c == 0x2014 || c == '-' || c == '.' || c == '!' || c == '?';
          p = g_utf8_next_char (p);
          continue;
        }
      const char *start = p;
      gsize at = buffer->len;
      while (*p)
        {
          c = g_utf8_get_char (p);
          const char *next = g_utf8_next_char (p);
          if (cm_words_is_word_char (c))
            append_lower (buffer, c);
          else if ((is_apostrophe (c) || c == '-') && *next
                   && cm_words_is_word_char (g_utf8_get_char (next)))
            append_lower (buffer, c);
          else
            break;
          p = next;
        }
      /* A possessive names the same thing: "Baker's" is "baker". */
      if (buffer->len - at > 2 && g_str_has_suffix (buffer->str + at, "'s"))
        g_string_truncate (buffer, buffer->len - 2);
      g_string_append_c (buffer, '\0');
      CmWord word = { NULL, (guint) (start - text), (guint) (p - start), clause };
      clause = FALSE;
      g_array_append_val (words, word);
      g_array_append_val (starts, at);
    }

  CmWords *result = g_new0 (CmWords, 1);
  result->n = words->len;
  result->buffer = g_string_free (buffer, FALSE);
  result->words = (CmWord *) g_array_free (words, FALSE);
  for (guint i = 0; i < result->n; i++)
    result->words[i].text = result->buffer + g_array_index (starts, gsize, i);
  g_array_free (starts, TRUE);
  return result;
}

void
cm_words_free (CmWords *words)
{
  if (words == NULL)
    return;
  g_free (words->buffer);
  g_free (words->words);
  g_free (words);
}

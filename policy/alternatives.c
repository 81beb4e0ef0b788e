/*
 * alternatives.c: does an HTML alternative say more than the text/plain
 * one beside it (text.h)?
 *
 * The usual HTML alternative lays the same words out with markup, and is
 * not worth a parse.  It says more when at least 3 words, and a twentieth
 * of its words, are not words of the plain text.  The HTML is first read
 * roughly, without a parse: markup, comments, entities and the head
 * (styles, scripts) are passed over, and the words of the text between
 * them are compared as they come.  Words are compared by their keys
 * alone (cm_word_keys_into, words.h): nothing of them is written or kept.
 */
#include "config.h"

#include <string.h>

#include "text.h"

void
cm_plain_words_init (CmPlainWords *plain, const CmWords *authored, guint first_word, const CmTextSplit *split,
                     gsize signature_from, gsize history_from)
{
  const GString *signature = split->signature, *history = split->history;
  /* Room for a distinct word in fifty bytes (a text repeats its words);
   * the map grows if not. */
  gsize length = (authored->n - first_word) * 7 + (signature->len - signature_from) + (history->len - history_from);
  cm_key_map_init (&plain->words, length / 50 + 16);
  /* The new text's lines are in the three parts: its authored words are
   * split already, the rest are read here. */
  cm_word_keys_of (&plain->words, authored, first_word, authored->n);
  cm_word_keys_into (&plain->words, signature->str + signature_from, signature->str + signature->len);
  cm_word_keys_into (&plain->words, history->str + history_from, history->str + history->len);
}

void
cm_plain_words_clear (CmPlainWords *plain)
{
  cm_key_map_clear (&plain->words);
}

/* Does a text of N_WORDS words, MISSING the distinct ones of them that
 * the plain text has not, say more than it: at least 3 such words, and a
 * twentieth of its words? */
static gboolean
says_more (guint n_words, const CmKeyMap *missing)
{
  guint n = (guint) missing->used;
  return n >= 3 && (guint64) n * 20 >= n_words;
}

gboolean
cm_text_says_more (const char *text, const CmPlainWords *plain)
{
  gsize length = strlen (text);
  CmKeyMap missing;
  cm_key_map_init (&missing, 64);
  guint n_words = cm_word_keys_missing (&plain->words, &missing, text, text + length);
  gboolean more = says_more (n_words, &missing);
  cm_key_map_clear (&missing);
  return more;
}

/* Where the markup at P (a '<') ends: past its '>', or past the element
 * it opens when that is the head, a style or a script (whose text is not
 * the message's); NULL when no '>' closes it, which ends the text. */
static const char *
skip_markup (const char *p)
{
  const char *close = NULL;
  /* (Byte by byte: g_str_has_prefix measured the rest of the HTML at
   * every tag.) */
  if (p[1] == '!' && p[2] == '-' && p[3] == '-')
    close = strstr (p, "-->");
  /* (p[1] | 0x20 is 'h' or 's' for those letters alone, and p[2] | 0x20
   * 'e', 't' or 'c' after them: most tags, "<span" and "<hr" too, stop
   * there without a call.) */
  else if (((p[1] | 0x20) == 'h' || (p[1] | 0x20) == 's')
           && ((p[2] | 0x20) == 'e' || (p[2] | 0x20) == 't' || (p[2] | 0x20) == 'c')
           && (g_ascii_strncasecmp (p, "<head", 5) == 0 || g_ascii_strncasecmp (p, "<style", 6) == 0
               || g_ascii_strncasecmp (p, "<script", 7) == 0))
    {
      const char *name = g_ascii_tolower (p[2]) == 'e' ? "</head" : g_ascii_tolower (p[2]) == 't' ? "</style" : "</script";
      for (const char *q = p; (q = strchr (q + 1, '<'));)
        if (g_ascii_strncasecmp (q, name, strlen (name)) == 0)
          {
            close = q;
            break;
          }
    }
  if (close == NULL)
    close = p;
  const char *end = strchr (close, '>');
  return end ? end + 1 : NULL;
}

/* Where the entity at P (a '&') ends: past its ';' when one comes within
 * ten bytes and no space, else just past the '&'. */
static const char *
skip_entity (const char *p)
{
  const char *semi = p + 1;
  while (*semi && *semi != ';' && semi - p < 10 && !g_ascii_isspace (*semi))
    semi++;
  return *semi == ';' ? semi + 1 : p + 1;
}

gboolean
cm_html_may_say_more (const char *html, const CmPlainWords *plain)
{
  CmKeyMap missing;
  cm_key_map_init (&missing, 64);
  guint n_words = 0;
  const char *p = html, *limit = html + strlen (html);
  /* Markup and entities part words as a space would. */
  while (p && *p)
    {
      if (*p == '<')
        p = skip_markup (p);
      else if (*p == '&')
        p = skip_entity (p);
      else
        p = cm_word_keys_missing_to_markup (&plain->words, &missing, p, limit, &n_words);
    }
  gboolean more = says_more (n_words, &missing);
  cm_key_map_clear (&missing);
  return more;
}

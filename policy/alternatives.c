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
 * alone (CmWordKeys): nothing of them is written or kept.
 */
#include "config.h"

#include <string.h>

#include "text.h"

/* Keys for the words of a text of LENGTH bytes, with room for about as
 * many as it has (a word and a space in seven bytes): the array then
 * seldom grows. */
#define WORD_KEYS_FOR(length) { g_new (guint64, (length) / 7 + 16), 0, (guint) ((length) / 7 + 16) }

void
cm_plain_words_init (CmPlainWords *plain, const char *text)
{
  gsize length = strlen (text);
  CmWordKeys words = WORD_KEYS_FOR (length);
  cm_word_keys_add (&words, text, length, text + length);
  /* Room for a distinct word in fifty bytes (a text repeats its words);
   * the map grows if not. */
  cm_key_map_init (&plain->words, length / 50 + 16);
  for (guint i = 0; i < words.n; i++)
    cm_key_map_slot (&plain->words, words.keys[i])->value = 1;
  cm_word_keys_clear (&words);
}

void
cm_plain_words_clear (CmPlainWords *plain)
{
  cm_key_map_clear (&plain->words);
}

/* Do WORDS say more than PLAIN: at least 3 words, and a twentieth of
 * them, that PLAIN has not (each counted once)? */
static gboolean
says_more (const CmWordKeys *words, const CmPlainWords *plain)
{
  CmKeyMap fresh;
  cm_key_map_init (&fresh, 64);
  guint n = 0;
  for (guint i = 0; i < words->n; i++)
    {
      guint64 key = words->keys[i];
      if (cm_key_map_get (&plain->words, key))
        continue;
      CmKeySlot *slot = cm_key_map_slot (&fresh, key);
      n += slot->value == 0;
      slot->value = 1;
    }
  cm_key_map_clear (&fresh);
  return n >= 3 && (guint64) n * 20 >= words->n;
}

gboolean
cm_text_says_more (const char *text, const CmPlainWords *plain)
{
  gsize length = strlen (text);
  CmWordKeys words = WORD_KEYS_FOR (length);
  cm_word_keys_add (&words, text, length, text + length);
  gboolean more = says_more (&words, plain);
  cm_word_keys_clear (&words);
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
  /* (p[1] | 0x20 is 'h' or 's' for those letters alone: most tags stop there.) */
  else if (((p[1] | 0x20) == 'h' || (p[1] | 0x20) == 's')
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
  gsize length = strlen (html);
  CmWordKeys words = WORD_KEYS_FOR (length);
  const char *p = html, *limit = html + length;
  /* Markup and entities part words as a space would. */
  while (p && *p)
    {
      if (*p == '<')
        p = skip_markup (p);
      else if (*p == '&')
        p = skip_entity (p);
      else
        {
          /* Text up to the next markup or entity, at once: it ends at a
           * '<', a '&' or the end, as cm_word_keys_add () needs. */
          gsize run = strcspn (p, "<&");
          cm_word_keys_add (&words, p, run, limit);
          p += run;
        }
    }
  gboolean more = says_more (&words, plain);
  cm_word_keys_clear (&words);
  return more;
}

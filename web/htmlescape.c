/*
 * htmlescape.c: text escaped for HTML and XML (htmlescape.h).
 */
#include "config.h"

#include <string.h>

#include "htmlescape.h"

/* Is C to be dropped rather than shown: a control character (not tab
 * or line feed), a non-character, or a bidirectional embedding, override
 * or isolate, with which a sender could show a text other than it reads? */
static gboolean
dropped (gunichar c)
{
  if (c == '\t' || c == '\n')
    return FALSE;
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
    return TRUE;
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
    return TRUE;
  return c == 0xfffe || c == 0xffff || (c >= 0xfdd0 && c <= 0xfdef);
}

char *
cm_html_escape (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  gsize length = strlen (text);
  GString *out = g_string_sized_new (length + length / 8 + 1);
  const char *end = text + length;
  for (const char *p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++; /* a byte that does not start a whole UTF-8 character */
          continue;
        }
      const char *next = g_utf8_next_char (p);
      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default:
          if (!dropped (c))
            g_string_append_len (out, p, next - p);
        }
      p = next;
    }
  return g_string_free (out, FALSE);
}

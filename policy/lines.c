/*
 * lines.c: a text's lines in one pass (lines.h).
 */
#include "config.h"

#include <string.h>

#include "lines.h"

GStrv
cm_lines_split (const char *text)
{
  gsize left = strlen (text);
  GPtrArray *lines = g_ptr_array_new ();
  const char *line = text;
  const char *newline;
  while ((newline = memchr (line, '\n', left)) != NULL)
    {
      g_ptr_array_add (lines, g_strndup (line, newline - line));
      left -= newline + 1 - line;
      line = newline + 1;
    }
  if (*text != '\0')
    g_ptr_array_add (lines, g_strndup (line, left));
  g_ptr_array_add (lines, NULL);
  return (GStrv) g_ptr_array_free (lines, FALSE);
}

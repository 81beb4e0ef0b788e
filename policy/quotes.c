/*
 * quotes.c: the sender's new text apart from quoted history and signature.
 *
 * Line by line: "> " lines are history wherever they stand (replies can
 * interleave); a reply or forward header ("On ... wrote:", "-----Original
 * Message-----", Outlook's From:/Sent: block, a forwarded-message line)
 * makes everything after it history, except that after "On ... wrote:"
 * and "> " lines the sender's next unquoted line is new text again (a
 * reply below the quote); a "-- " line, or a sign-off line ("Kind
 * regards,") near the end of the new text with no sentence of prose or
 * postscript after it, starts the signature.
 */
#include "config.h"

#include <string.h>

#include "text.h"

typedef enum { PART_AUTHORED, PART_SIGNATURE, PART_HISTORY } Part;

/* The lines after a sign-off that can still be a signature. */
#define SIGNATURE_MAX_LINES 10

static gboolean
starts_with_ci (const char *line, const char *prefix)
{
  /* The first byte without a call (| 0x20 lowers a letter, and makes no
   * two other bytes of these prefixes equal that were not). */
  return (line[0] | 0x20) == (prefix[0] | 0x20) && g_ascii_strncasecmp (line, prefix, strlen (prefix)) == 0;
}

static const char *
skip_space (const char *s)
{
  while (*s == ' ' || *s == '\t' || *s == '*')
    s++;
  return s;
}

static gboolean
ends_with_wrote (const char *line)
{
  g_autofree char *copy = g_strchomp (g_strdup (line));
  return g_str_has_suffix (copy, "wrote:") || g_str_has_suffix (copy, "writes:");
}

static gboolean
is_blank (const char *line)
{
  const char *rest = skip_space (line);
  return *rest == '\0' || strcmp (rest, "\r") == 0;
}

/* Does LINES[i] start quoted history? */
static gboolean
is_history_header (char **lines, guint i)
{
  const char *line = skip_space (lines[i]);
  /* Every header below starts with one of these: most lines stop here. */
  switch (*line)
    {
    case '-':
      return starts_with_ci (line, "-----Original Message-----")
          || starts_with_ci (line, "----- Original Message -----")
          || starts_with_ci (line, "---------- Forwarded message")
          || starts_with_ci (line, "-------- Forwarded Message")
          || starts_with_ci (line, "-------- Original Message");
    case 'B':
    case 'b':
      return starts_with_ci (line, "Begin forwarded message:");
    case 'O':
    case 'o':
      return starts_with_ci (line, "On ")
          && (ends_with_wrote (line) || (lines[i + 1] && ends_with_wrote (lines[i + 1])));
    case 'F':
    case 'f':
      break;
    default:
      return FALSE;
    }
  /* Outlook: "From: ..." followed closely by "Sent:"/"Date:" and "To:"/"Subject:". */
  if (starts_with_ci (line, "From:"))
    {
      gboolean when = FALSE, whom = FALSE;
      for (guint k = i + 1; lines[k] && k <= i + 5; k++)
        {
          const char *next = skip_space (lines[k]);
          when |= starts_with_ci (next, "Sent:") || starts_with_ci (next, "Date:");
          whom |= starts_with_ci (next, "To:") || starts_with_ci (next, "Subject:");
        }
      return when && whom;
    }
  return FALSE;
}

/* Is the history that the header at LINES[i] starts quoted ("> " lines
 * after the header and its "wrote:" line)?  Then the first line after it
 * that is neither quoted nor blank is the sender's again: a reply written
 * below the quote, as mailing lists and many members write. */
static gboolean
is_quoted_history (char **lines, guint i, guint *header_end)
{
  const char *line = skip_space (lines[i]);
  if (!starts_with_ci (line, "On "))
    return FALSE;
  guint k = ends_with_wrote (line) ? i + 1 : i + 2;
  *header_end = k - 1;
  while (lines[k - 1] && lines[k] && is_blank (lines[k]))
    k++;
  return lines[k - 1] && lines[k] && lines[k][0] == '>';
}

static gboolean
is_signature_delimiter (const char *line)
{
  /* Most lines do not start with "--": two bytes tell. */
  if (line[0] != '-' || line[1] != '-')
    return FALSE;
  return strcmp (line, "-- ") == 0 || strcmp (line, "--") == 0 || strcmp (line, "-- \r") == 0
      || strcmp (line, "--\r") == 0;
}

/* Is LINE only a sign-off ("Kind regards," "Thanks!")? */
static gboolean
is_signoff (const char *line, const CmLexicons *lexicons)
{
  if (strlen (line) > 40)
    return FALSE;
  g_autoptr (CmWords) words = cm_words_split (line);
  return words->n <= 4 && cm_lexicon_matches_whole (lexicons->signoff, words);
}

/* The fewest words of a line that is a sentence of prose, not a line of a
 * signature block (a name, a title, an address, a ward). */
#define PROSE_MIN_WORDS 12

/* Is line I of LINES the sender's own text, which no signature holds: a
 * postscript, or a long line ending a sentence whose paragraph (the
 * lines between blank ones, wrapping undone) has no disclaimer.txt phrase?
 * A sign-off above such a line ("Thanks." opening a reply, "Kind regards"
 * before a PS) does not start the signature. */
static gboolean
is_prose (char **lines, guint i, guint n, const Part *parts, const CmLexicons *lexicons)
{
  const char *line = skip_space (lines[i]);
  if (g_ascii_strncasecmp (line, "PS", 2) == 0 || g_ascii_strncasecmp (line, "P.S", 3) == 0)
    return !g_ascii_isalpha (line[line[1] == '.' ? 3 : 2]);
  gsize len = strlen (line);
  while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '"' || line[len - 1] == ')'))
    len--;
  if (!len || !strchr (".?!", line[len - 1]) || len < PROSE_MIN_WORDS * 2)
    return FALSE;
  g_autoptr (CmWords) words = cm_words_split (line);
  if (words->n < PROSE_MIN_WORDS)
    return FALSE;
  guint first = i, last = i;
  while (first > 0 && parts[first - 1] == PART_AUTHORED && !is_blank (lines[first - 1]))
    first--;
  while (last + 1 < n && parts[last + 1] == PART_AUTHORED && !is_blank (lines[last + 1]))
    last++;
  g_autoptr (GString) paragraph = g_string_new (NULL);
  for (guint k = first; k <= last; k++)
    g_string_append_printf (paragraph, "%s ", lines[k]);
  g_autoptr (CmWords) all = cm_words_split (paragraph->str);
  return !cm_lexicon_matches (lexicons->disclaimer, all);
}

/* The lines of a copy of TEXT, in place, and their lengths in *LENGTHS:
 * one copy, one array of lines (NULL-ended) and one of lengths. */
static char **
split_lines (const char *text, char **copy, guint *count, gsize **lengths)
{
  gsize size = strlen (text);
  *copy = g_memdup2 (text, size + 1);
  /* Room for a line in about 40 bytes, grown if not: the text is read
   * once, not counted first. */
  guint room = (guint) MIN (size / 40 + 16, G_MAXUINT / 2);
  char **lines = g_new (char *, room + 1);
  gsize *length = g_new (gsize, room);
  char *line = *copy, *text_end = *copy + size;
  guint n = 0;
  for (;;)
    {
      if (n == room)
        {
          room *= 2;
          lines = g_renew (char *, lines, room + 1);
          length = g_renew (gsize, length, room);
        }
      char *end = memchr (line, '\n', (gsize) (text_end - line));
      if (end == NULL)
        end = text_end;
      *end = '\0';
      lines[n] = line;
      length[n++] = (gsize) (end - line);
      if (end == text_end)
        break;
      line = end + 1;
    }
  lines[n] = NULL;
  *count = n;
  *lengths = length;
  return lines;
}

/* g_strchomp () of LINE, LENGTH bytes: its new length. */
static gsize
chomp (char *line, gsize length)
{
  while (length > 0 && g_ascii_isspace (line[length - 1]))
    length--;
  line[length] = '\0';
  return length;
}

/* Append each of the N LINES (of LENGTHS bytes), a '\n' after each, to
 * its part of SPLIT.  The lines of a run of the same part are moved
 * together in the copy they were split from (each only moves back, over
 * the bytes that chomping freed), and the run is appended at once: one
 * append a line cost more than the line. */
static void
append_parts (char **lines, const gsize *lengths, guint n, const Part *parts, CmTextSplit *split)
{
  for (guint i = 0; i < n;)
    {
      Part part = parts[i];
      char *run = lines[i];
      char *end = run;
      for (; i < n && parts[i] == part; i++)
        {
          memmove (end, lines[i], lengths[i]);
          end += lengths[i];
          *end++ = '\n';
        }
      GString *out = part == PART_AUTHORED ? split->authored
                   : part == PART_SIGNATURE ? split->signature : split->history;
      g_string_append_len (out, run, end - run);
    }
}

void
cm_text_split (const char *text, const CmLexicons *lexicons, CmTextSplit *split)
{
  g_autofree char *copy = NULL;
  g_autofree gsize *lengths = NULL;
  guint n = 0;
  g_autofree char **lines = split_lines (text, &copy, &n, &lengths);
  Part *parts = g_new0 (Part, n + 1);
  Part state = PART_AUTHORED;

  gboolean quoted = FALSE;
  guint header_end = 0;
  for (guint i = 0; i < n; i++)
    {
      /* Chomped here, as the loop comes to it: the look ahead below
       * reads the lines after it as they are. */
      lengths[i] = chomp (lines[i], lengths[i]);
      if (state == PART_HISTORY && quoted && i > header_end && lines[i][0] != '>' && !is_blank (lines[i]))
        {
          state = PART_AUTHORED;
          quoted = FALSE;
        }
      if (state == PART_HISTORY)
        parts[i] = PART_HISTORY;
      else if (is_history_header (lines, i))
        {
          parts[i] = state = PART_HISTORY;
          quoted = is_quoted_history (lines, i, &header_end);
        }
      else if (lines[i][0] == '>')
        parts[i] = PART_HISTORY;
      else if (state == PART_AUTHORED && (is_signature_delimiter (lines[i])))
        parts[i] = state = PART_SIGNATURE;
      else
        parts[i] = state;
    }

  /* No "-- " line: a sign-off near the end of the new text starts it. */
  guint last_authored = n;
  for (guint i = 0; i < n; i++)
    if (parts[i] == PART_AUTHORED && !is_blank (lines[i]))
      last_authored = i;
  if (last_authored < n)
    {
      guint seen = 0;
      for (guint i = last_authored + 1; i-- > 0 && seen <= SIGNATURE_MAX_LINES;)
        {
          if (parts[i] != PART_AUTHORED)
            break;
          if (is_blank (lines[i]))
            continue;
          if (is_prose (lines, i, n, parts, lexicons))
            break;
          if (is_signoff (lines[i], lexicons))
            {
              for (guint k = i + 1; k <= last_authored; k++)
                if (parts[k] == PART_AUTHORED)
                  parts[k] = PART_SIGNATURE;
              break;
            }
          seen++;
        }
    }

  append_parts (lines, lengths, n, parts, split);
  g_free (parts);
}

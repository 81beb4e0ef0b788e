/*
 * review-format.c: the pieces council-review's output and mail are made
 * of (review-format.h): safe text, folding, times, the findings of a held
 * verdict, and the readable text of a held message.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "review-format.h"
#include "rules.h"
#include "text.h"

/* Is C a character that must not reach a terminal or a notice as it is:
 * a control character (C0 other than those the caller keeps, DEL, C1) or
 * a bidirectional control, which can make text read other than it is? */
static gboolean
unsafe_char (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x061c || c == 0x200e
         || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* TEXT valid, without control characters; line ends kept when MULTILINE. */
char *
cm_review_safe (const char *text, gboolean multiline)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '\r' && p[1] == '\n')
        continue; /* the '\n' that follows decides */
      if (c == '\n' || c == '\t')
        g_string_append_c (out, multiline ? (char) c : ' ');
      else if (unsafe_char (c))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Append one LINE (no line break in it) folded at WIDTH, its first piece
 * after FIRST, the others after INDENT. */
static void
wrap_line (GString *out, const char *line, const char *first, const char *indent, guint width)
{
  g_auto (GStrv) words = g_strsplit (line, " ", -1);
  const char *prefix = first;
  guint column = 0;
  gboolean started = FALSE;
  for (guint i = 0; words[i]; i++)
    {
      if (words[i][0] == '\0')
        continue;
      guint length = (guint) g_utf8_strlen (words[i], -1);
      if (started && width > 0 && column + 1 + length > width)
        {
          g_string_append_c (out, '\n');
          started = FALSE;
          prefix = indent;
        }
      if (!started)
        {
          g_string_append (out, prefix);
          column = (guint) g_utf8_strlen (prefix, -1);
          started = TRUE;
        }
      else
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += length;
    }
  if (!started)
    {
      /* An empty line: the prefix without its trailing spaces. */
      gsize length = strlen (first);
      while (length > 0 && first[length - 1] == ' ')
        length--;
      g_string_append_len (out, first, (gssize) length);
    }
  g_string_append_c (out, '\n');
}

/* Append TEXT, made safe, folded at WIDTH after INDENT; its line breaks kept. */
void
cm_review_wrap (GString *out, const char *text, const char *indent, guint width)
{
  cm_review_wrap_hanging (out, text, indent, indent, width);
}

/* Append TEXT, made safe, folded at WIDTH: each of its lines starts after
 * FIRST, and continues after INDENT. */
void
cm_review_wrap_hanging (GString *out, const char *text, const char *first, const char *indent,
                        guint width)
{
  g_autofree char *safe = cm_review_safe (text, TRUE);
  g_strchomp (safe);
  g_auto (GStrv) lines = g_strsplit (safe, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_strdelimit (lines[i], "\t", ' ');
      wrap_line (out, lines[i], first, indent, width);
    }
}

/* "3d 4h", "4h 12m" or "12m" from THEN to NOW. */
char *
cm_review_age (gint64 then, gint64 now)
{
  gint64 seconds = MAX (now - then, 0);
  gint64 days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60;
  if (days > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d %" G_GINT64_FORMAT "h", days, hours);
  if (hours > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h %" G_GINT64_FORMAT "m", hours, minutes);
  return g_strdup_printf ("%" G_GINT64_FORMAT "m", minutes);
}

/* AT formatted with FORMAT in UTC, or "-" for 0 or a time out of range. */
static char *
format_utc (gint64 at, const char *format)
{
  g_autoptr (GDateTime) when = at ? g_date_time_new_from_unix_utc (at) : NULL;
  return when ? g_date_time_format (when, format) : g_strdup ("-");
}

/* "2026-11-23 03:15 UTC". */
char *
cm_review_time (gint64 at)
{
  return format_utc (at, "%Y-%m-%d %H:%M UTC");
}

/* "2026-11-23T03:15:00Z". */
char *
cm_review_iso_time (gint64 at)
{
  return format_utc (at, "%Y-%m-%dT%H:%M:%SZ");
}

/* Midnight UTC of the date "YYYY-MM-DD" TEXT, into *AT. */
gboolean
cm_review_parse_date (const char *text, gint64 *at)
{
  if (text == NULL || !g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text,
                                             G_REGEX_DOLLAR_ENDONLY, 0))
    return FALSE;
  int year = atoi (text), month = atoi (text + 5), day = atoi (text + 8);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_autoptr (GDateTime) when = g_date_time_new_utc (year, month, day, 0, 0, 0);
  if (when == NULL)
    return FALSE;
  *at = g_date_time_to_unix (when);
  return TRUE;
}

/* Free FINDING and its strings. */
void
cm_review_finding_free (CmReviewFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->rule);
  g_free (finding->action);
  g_free (finding->clause);
  g_free (finding->summary);
  g_ptr_array_unref (finding->evidence);
  g_ptr_array_unref (finding->people);
  g_free (finding);
}

/* The string member NAME of OBJECT, copied, or NULL. */
static char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* The strings of the array member NAME of OBJECT (others skipped). */
static GPtrArray *
member_strings (JsonObject *object, const char *name)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_ptr_array_add (strings, g_strdup (json_node_get_string (item)));
    }
  return strings;
}

/* The findings of the verdict VERDICT_JSON. */
GPtrArray *
cm_review_findings (const char *verdict_json, GError **error)
{
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_review_finding_free);
  if (verdict_json == NULL)
    return g_steal_pointer (&findings);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, verdict_json, -1, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "the held verdict is not JSON: %s", local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *list = root && JSON_NODE_HOLDS_OBJECT (root)
                       ? json_object_get_member (json_node_get_object (root), "findings") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_MESSAGE,
                           "the held verdict is not an object with a \"findings\" array");
      return NULL;
    }
  JsonArray *array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      JsonObject *object = json_node_get_object (item);
      CmReviewFinding *finding = g_new0 (CmReviewFinding, 1);
      finding->rule = member_string (object, "rule");
      finding->action = member_string (object, "action");
      finding->clause = member_string (object, "clause");
      finding->summary = member_string (object, "summary");
      finding->evidence = member_strings (object, "evidence");
      finding->people = member_strings (object, "people");
      g_ptr_array_add (findings, finding);
    }
  return g_steal_pointer (&findings);
}

/* Append the text of paragraph CLAUSE from CONFIG, when it has it. */
static void
append_paragraph (GString *out, const CmConfig *config, const char *clause, const char *indent,
                  guint width)
{
  const char *text = cm_config_paragraph (config, clause);
  if (text == NULL)
    return;
  g_autofree char *safe_clause = cm_review_safe (clause, FALSE);
  g_autofree char *inner = g_strconcat (indent, "    ", NULL);
  g_string_append_printf (out, "%s  %s says:\n", indent, safe_clause);
  cm_review_wrap (out, text, inner, width);
}

/* The record's rules and clauses, for a verdict that cannot be read. */
static void
append_record_rules (GString *out, const CmConfig *config, char **rules, const char *clauses,
                     const char *indent, guint width)
{
  g_autofree char *rule_list = rules && rules[0] ? g_strjoinv (", ", rules) : g_strdup ("(none recorded)");
  g_autofree char *line = g_strdup_printf ("Rules: %s; paragraphs: %s", rule_list,
                                           clauses && *clauses ? clauses : "(none recorded)");
  cm_review_wrap (out, line, indent, width);
  g_auto (GStrv) each = g_strsplit (clauses ? clauses : "", ";", -1);
  for (guint i = 0; each[i]; i++)
    append_paragraph (out, config, g_strstrip (each[i]), indent, width);
}

/* "Read in part: REASONS ([policy] partial: ACTION)" from the "scan"
 * member of VERDICT_JSON, or NULL when it was read whole. */
static char *
partial_scan_line (const char *verdict_json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (verdict_json == NULL || !json_parser_load_from_data (parser, verdict_json, -1, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *scan = root && JSON_NODE_HOLDS_OBJECT (root)
                       ? json_object_get_member (json_node_get_object (root), "scan") : NULL;
  if (scan == NULL || !JSON_NODE_HOLDS_OBJECT (scan))
    return NULL;
  g_autoptr (GPtrArray) reasons = member_strings (json_node_get_object (scan), "partial");
  g_autofree char *action = member_string (json_node_get_object (scan), "partial_action");
  if (reasons->len == 0)
    return NULL;
  GString *line = g_string_new ("Read in part, past the filter's limits: ");
  for (guint i = 0; i < reasons->len; i++)
    g_string_append_printf (line, "%s%s", i ? "; " : "", (const char *) reasons->pdata[i]);
  g_string_append_printf (line, " ([policy] partial: %s)", action ? action : "?");
  return g_string_free (line, FALSE); /* made safe where it is wrapped */
}

/* The findings of a held verdict, for people. */
void
cm_review_append_findings (GString *out, const CmConfig *config, const char *verdict_json,
                           char **rules, const char *clauses, CmReviewFindingsFlags flags,
                           const char *indent, guint width)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) findings = cm_review_findings (verdict_json, &error);
  g_autofree char *partial = partial_scan_line (verdict_json);
  if (partial)
    cm_review_wrap (out, partial, indent, width);
  if (findings && findings->len == 0 && partial)
    return; /* held for the partial scan alone */
  if (findings == NULL || findings->len == 0)
    {
      g_autofree char *why = error ? g_strdup_printf ("(%s)", error->message) : NULL;
      if (why)
        cm_review_wrap (out, why, indent, width);
      append_record_rules (out, config, rules, clauses, indent, width);
      return;
    }
  g_autofree char *evidence_indent = g_strconcat (indent, "  > ", NULL);
  g_autofree char *detail_indent = g_strconcat (indent, "  ", NULL);
  for (guint i = 0; i < findings->len; i++)
    {
      const CmReviewFinding *f = findings->pdata[i];
      if (i > 0)
        g_string_append_c (out, '\n');
      g_autofree char *head = g_strdup_printf ("%s (%s): %s", f->clause ? f->clause : "?",
                                               f->rule ? f->rule : "?", f->summary ? f->summary : "");
      g_autofree char *hanging = g_strconcat (indent, "    ", NULL);
      cm_review_wrap_hanging (out, head, indent, hanging, width);
      for (guint k = 0; k < f->evidence->len; k++)
        cm_review_wrap (out, f->evidence->pdata[k], evidence_indent, width);
      if ((flags & CM_REVIEW_FINDINGS_PEOPLE) && f->people->len > 0)
        {
          g_autoptr (GString) line = g_string_new ("People concerned:");
          for (guint k = 0; k < f->people->len; k++)
            g_string_append_printf (line, "%s %s", k ? "," : "", (const char *) f->people->pdata[k]);
          cm_review_wrap (out, line->str, detail_indent, width);
        }
      append_paragraph (out, config, f->clause, indent, width);
      const CmRule *rule = (flags & CM_REVIEW_FINDINGS_ADVICE) && f->rule ? cm_rule_find (f->rule) : NULL;
      if (rule && rule->advice)
        {
          g_autofree char *line = g_strdup_printf ("What to do instead: %s", rule->advice);
          cm_review_wrap (out, line, detail_indent, width);
        }
    }
}

/* The first text/plain and text/html parts that are not attachments. */
typedef struct {
  GMimePart *plain;
  GMimePart *html;
} TextParts;

/* g_mime_message_foreach() callback: note the first text parts. */
static void
find_text (GMimeObject *parent, GMimeObject *part, gpointer data)
{
  TextParts *found = data;
  if (!GMIME_IS_PART (part) || g_mime_part_is_attachment (GMIME_PART (part)))
    return;
  GMimeContentType *type = g_mime_object_get_content_type (part);
  if (found->plain == NULL && g_mime_content_type_is_type (type, "text", "plain"))
    found->plain = GMIME_PART (part);
  else if (found->html == NULL && g_mime_content_type_is_type (type, "text", "html"))
    found->html = GMIME_PART (part);
}

/* PART's content, transfer encoding undone, in UTF-8 from its charset. */
static char *
part_text (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  if (content == NULL)
    return g_strdup ("");
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GMimeStream) memory = g_mime_stream_mem_new_with_byte_array (bytes);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (memory), FALSE);
  g_mime_data_wrapper_write_to_stream (content, memory);
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  return cm_charset_to_utf8 ((const char *) bytes->data, bytes->len, charset);
}

/* The readable text of MESSAGE, made safe. */
char *
cm_review_message_text_of (GMimeMessage *message)
{
  TextParts found = { NULL, NULL };
  g_mime_message_foreach (message, find_text, &found);
  if (found.plain == NULL && found.html == NULL)
    return g_strdup ("");
  g_autofree char *text = part_text (found.plain ? found.plain : found.html);
  if (found.plain == NULL)
    {
      g_autofree char *html = g_steal_pointer (&text);
      text = cm_html_to_text (html, strlen (html));
    }
  return cm_review_safe (text, TRUE);
}

/* The readable text of the message file PATH. */
char *
cm_review_message_text (const char *path, GError **error)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_fs_open (path, O_RDONLY | O_CLOEXEC, 0, error);
  if (stream == NULL)
    return NULL;
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "%s: not a mail message", path);
      return NULL;
    }
  return cm_review_message_text_of (message);
}

/*
 * html.c: HTML to text with libxml2's HTML parser (never regexes).
 *
 * Block elements end lines; no-break spaces are spaces; <blockquote> and the quote containers of the
 * common mail clients (Gmail's gmail_quote, Thunderbird's moz-cite) come
 * out as "> " lines; Outlook's reply header container starts an
 * "-----Original Message-----" line; signature containers start a "-- "
 * line.  quotes.c then splits the result like any plain text.
 *
 * Nesting is read to a cap: elements deeper than it are left out, and
 * the caller is told the depth that went past it.  libxml2 itself stops
 * at 256 (and drops the rest of the document, silently): that too is
 * reported, as depth 257.
 */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "text.h"

/* How deep libxml2's parser goes without XML_PARSE_HUGE (xmlParserMaxDepth). */
#define LIBXML_MAX_DEPTH 256

typedef struct {
  GString *out;
  int quote_depth;
  gboolean at_line_start;
  gboolean pending_space;
  guint depth;     /* elements open around the node being read */
  guint max_depth; /* deeper ones are not read */
  guint too_deep;  /* the first depth past max_depth met, or 0 */
} Emitter;

static void
emit_line_end (Emitter *e)
{
  if (!e->at_line_start)
    g_string_append_c (e->out, '\n');
  e->at_line_start = TRUE;
  e->pending_space = FALSE;
}

/* A blank line, so that the next text starts a new paragraph. */
static void
emit_paragraph_break (Emitter *e)
{
  emit_line_end (e);
  if (e->out->len > 0 && !g_str_has_suffix (e->out->str, "\n\n"))
    g_string_append_c (e->out, '\n');
}

static void
emit_text (Emitter *e, const char *text)
{
  for (const char *p = text; *p; p++)
    {
      gboolean nbsp = (guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0;
      if (g_ascii_isspace (*p) || nbsp)
        {
          e->pending_space = !e->at_line_start;
          p += nbsp;
          continue;
        }
      if (e->at_line_start)
        {
          for (int i = 0; i < e->quote_depth; i++)
            g_string_append (e->out, "> ");
          e->at_line_start = FALSE;
        }
      else if (e->pending_space)
        g_string_append_c (e->out, ' ');
      e->pending_space = FALSE;
      g_string_append_c (e->out, *p);
    }
}

/* A line of its own, exactly MARKER (trailing space kept: "-- "). */
static void
emit_marker (Emitter *e, const char *marker)
{
  emit_line_end (e);
  for (int i = 0; i < e->quote_depth; i++)
    g_string_append (e->out, "> ");
  g_string_append (e->out, marker);
  e->at_line_start = FALSE;
  emit_line_end (e);
}

static gboolean
name_is (const xmlNode *node, const char *const *names)
{
  for (guint i = 0; names[i]; i++)
    if (g_ascii_strcasecmp ((const char *) node->name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Does attribute ATTR of NODE contain WORD (as a class or id token)? */
static gboolean
attr_has (const xmlNode *node, const char *attr, const char *word)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) attr);
  gboolean found = FALSE;
  if (value)
    {
      g_auto (GStrv) tokens = g_strsplit_set ((const char *) value, " \t\n", -1);
      for (guint i = 0; tokens[i] && !found; i++)
        found = g_ascii_strcasecmp (tokens[i], word) == 0;
      xmlFree (value);
    }
  return found;
}

static void
walk (Emitter *e, const xmlNode *node)
{
  static const char *const skipped[] = { "script", "style", "head", "title", "template", NULL };
  static const char *const paragraphs[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                            "ul", "ol", "pre", "address", NULL };
  static const char *const lines[] = { "div", "li", "tr", "dt", "dd", "section", "article",
                                       "header", "footer", "center", "form", NULL };

  for (; node; node = node->next)
    {
      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          if (node->content)
            emit_text (e, (const char *) node->content);
          continue;
        }
      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (name_is (node, skipped))
        continue;

      if (g_ascii_strcasecmp ((const char *) node->name, "br") == 0)
        {
          emit_line_end (e);
          continue;
        }
      if (g_ascii_strcasecmp ((const char *) node->name, "hr") == 0)
        {
          emit_marker (e, "________________________________");
          continue;
        }
      if (g_ascii_strcasecmp ((const char *) node->name, "td") == 0
          || g_ascii_strcasecmp ((const char *) node->name, "th") == 0)
        e->pending_space = !e->at_line_start;

      gboolean quote = g_ascii_strcasecmp ((const char *) node->name, "blockquote") == 0
                    || attr_has (node, "class", "gmail_quote")
                    || attr_has (node, "class", "moz-cite-prefix")
                    || attr_has (node, "class", "yahoo_quoted");
      gboolean outlook_reply = attr_has (node, "id", "divRplyFwdMsg")
                            || attr_has (node, "id", "appendonsend");
      gboolean signature = attr_has (node, "class", "gmail_signature")
                        || attr_has (node, "id", "Signature")
                        || attr_has (node, "class", "moz-signature");
      gboolean paragraph = name_is (node, paragraphs);
      gboolean block = paragraph || quote || name_is (node, lines);

      if (outlook_reply)
        emit_marker (e, "-----Original Message-----");
      if (signature)
        emit_marker (e, "-- ");
      if (paragraph)
        emit_paragraph_break (e);
      else if (block)
        emit_line_end (e);
      if (quote)
        e->quote_depth++;
      if (++e->depth > e->max_depth)
        e->too_deep = e->too_deep ? e->too_deep : e->depth;
      else
        walk (e, node->children);
      e->depth--;
      if (quote)
        e->quote_depth--;
      if (paragraph)
        emit_paragraph_break (e);
      else if (block)
        emit_line_end (e);
    }
}

/* Did libxml2 stop at its own depth limit?  It says so only as an error. */
static gboolean
parser_hit_depth_limit (htmlParserCtxtPtr context)
{
  const xmlError *error = xmlCtxtGetLastError (context);
  return error && error->code == XML_ERR_INTERNAL_ERROR && error->message
      && strstr (error->message, "depth") != NULL;
}

char *
cm_html_to_text_capped (const char *html, gsize length, guint max_depth, guint *too_deep)
{
  *too_deep = 0;
  if (length == 0 || length > G_MAXINT)
    return g_strdup ("");
  htmlParserCtxtPtr context = htmlNewParserCtxt ();
  if (context == NULL)
    return g_strdup ("");
  htmlDocPtr doc = htmlCtxtReadMemory (context, html, (int) length, NULL, "UTF-8",
                                       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                                       | HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
  gboolean libxml_cut = parser_hit_depth_limit (context);
  htmlFreeParserCtxt (context);
  if (doc == NULL)
    return g_strdup ("");
  Emitter e = { g_string_sized_new (length / 2 + 16), 0, TRUE, FALSE, 0, max_depth, 0 };
  walk (&e, xmlDocGetRootElement (doc) ? doc->children : NULL);
  xmlFreeDoc (doc);
  *too_deep = e.too_deep ? e.too_deep : libxml_cut ? LIBXML_MAX_DEPTH + 1 : 0;
  return g_string_free (e.out, FALSE);
}

char *
cm_html_to_text (const char *html, gsize length)
{
  guint too_deep;
  return cm_html_to_text_capped (html, length, LIBXML_MAX_DEPTH, &too_deep);
}

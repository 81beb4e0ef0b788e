/*
 * disclose.c: the `disclose` action's change to a message.
 *
 * Newton Abbot 13: "it should be made clear at the foot of any e-mails if
 * another councillor has received an e-mail by adding 'CC councillor X'".
 * Every text part the sender wrote (text/plain and text/html that are not
 * attachments and not inside a forwarded message) gets the line at its
 * foot, in the part's own charset and transfer encoding; every other byte
 * of the message is copied as it came, so attachments, boundaries and the
 * parts' headers are untouched.
 *
 * A body that cannot be changed without harm is left alone, and the
 * refusal says why, for the sender's notice: a signed or encrypted body
 * (S/MIME, PGP/MIME or inline PGP), a DKIM or ARC signature over the body,
 * a transfer encoding other than 7bit, 8bit, binary, quoted-printable or
 * base64, a charset the line cannot be written in, or no text part.
 *
 *   cm_disclose_refusal(message, line)     why not, or NULL
 *   cm_disclose_body(source, line, out)    the new body (after the header block)
 */
#include "config.h"

#include <string.h>

#include "policy.h"

/* One text part to change: where its encoded content lies in the source,
 * and the bytes that will replace it. */
typedef struct {
  GMimePart *part;
  gint64 start, end;
  GByteArray *replacement;
  GByteArray *expected; /* the decoded content the changed part must have */
} Target;

static void
target_free (gpointer p)
{
  Target *t = p;
  if (t->replacement)
    g_byte_array_unref (t->replacement);
  if (t->expected)
    g_byte_array_unref (t->expected);
  g_free (t);
}

static gboolean
is_type (GMimeObject *object, const char *type, const char *subtype)
{
  GMimeContentType *ct = g_mime_object_get_content_type (object);
  return ct && g_mime_content_type_is_type (ct, type, subtype);
}

/* Why a part's signed or encrypted form forbids any change, or NULL. */
static const char *
sealed (GMimeObject *object)
{
  if (is_type (object, "multipart", "signed"))
    return "it is digitally signed (S/MIME or PGP), and a change would break the signature";
  if (is_type (object, "multipart", "encrypted") || is_type (object, "application", "pgp-encrypted"))
    return "it is encrypted (PGP)";
  if (is_type (object, "application", "pkcs7-mime") || is_type (object, "application", "x-pkcs7-mime"))
    return "it is signed or encrypted with S/MIME";
  return NULL;
}

/* The decoded content of PART (transfer encoding undone, charset kept). */
static GByteArray *
decoded (GMimePart *part)
{
  GByteArray *bytes = g_byte_array_new ();
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  if (content)
    {
      g_autoptr (GMimeStream) mem = g_mime_stream_mem_new_with_byte_array (bytes);
      g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
      g_mime_data_wrapper_write_to_stream (content, mem);
    }
  return bytes;
}

static gboolean
contains (const GByteArray *bytes, const char *needle)
{
  gsize n = strlen (needle);
  for (gsize i = 0; i + n <= bytes->len; i++)
    if (memcmp (bytes->data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The last case-insensitive occurrence of TAG ("</body") in BYTES, or -1. */
static gssize
last_tag (const GByteArray *bytes, const char *tag)
{
  gsize n = strlen (tag);
  for (gssize i = (gssize) bytes->len - (gssize) n; i >= 0; i--)
    if (g_ascii_strncasecmp ((const char *) bytes->data + i, tag, n) == 0)
      return i;
  return -1;
}

/* LINE as HTML: a paragraph, markup escaped, anything past ASCII a
 * character reference (so it survives any charset). */
static char *
html_line (const char *line)
{
  GString *out = g_string_new ("<p>");
  for (const char *p = line; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '<')
        g_string_append (out, "&lt;");
      else if (c == '>')
        g_string_append (out, "&gt;");
      else if (c == '&')
        g_string_append (out, "&amp;");
      else if (c < 0x80)
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "&#%u;", c);
    }
  g_string_append (out, "</p>");
  return g_string_free (out, FALSE);
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* TEXT (UTF-8) in PART's charset, or NULL with *REFUSAL set. */
static GByteArray *
in_charset (GMimePart *part, const char *text, char **refusal)
{
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  if (charset == NULL || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    {
      if (!is_ascii (text))
        {
          *refusal = g_strdup_printf ("a text part is in %s, which cannot hold the names",
                                      charset ? charset : "US-ASCII");
          return NULL;
        }
      return g_byte_array_append (g_byte_array_new (), (const guint8 *) text, (guint) strlen (text));
    }
  /* UTF-16, UTF-32 and UTF-7 text is not ASCII with more added: a line
   * written into it would need the part's byte order and BOM. */
  if (g_ascii_strncasecmp (charset, "utf-16", 6) == 0 || g_ascii_strncasecmp (charset, "utf-32", 6) == 0
      || g_ascii_strncasecmp (charset, "ucs-", 4) == 0 || g_ascii_strcasecmp (charset, "utf-7") == 0)
    {
      *refusal = g_strdup_printf ("a text part is in %s, which the filter does not rewrite", charset);
      return NULL;
    }
  gsize length = 0;
  g_autofree char *converted = g_convert (text, -1, g_mime_charset_iconv_name (charset), "UTF-8",
                                          NULL, &length, NULL);
  if (converted == NULL)
    {
      *refusal = g_strdup_printf ("a text part is in %s, which cannot hold the names", charset);
      return NULL;
    }
  return g_byte_array_append (g_byte_array_new (), (const guint8 *) converted, (guint) length);
}

/* Run a filter over BYTES. */
static GByteArray *
filtered (const GByteArray *bytes, GMimeFilter *filter)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr (GMimeStream) mem = g_mime_stream_mem_new_with_byte_array (out);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
  g_autoptr (GMimeStream) through = g_mime_stream_filter_new (mem);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (through), filter);
  g_object_unref (filter);
  g_mime_stream_write (through, (const char *) bytes->data, bytes->len);
  g_mime_stream_flush (through);
  return out;
}

static gboolean
ends_with_newline (const GByteArray *bytes)
{
  return bytes->len > 0 && bytes->data[bytes->len - 1] == '\n';
}

/* The encoded replacement of PART's content, or NULL with *REFUSAL. */
static GByteArray *
replacement (GMimePart *part, const char *line, const GByteArray *raw, gboolean source_crlf,
             GByteArray **expected, char **refusal)
{
  g_autoptr (GByteArray) text = decoded (part);
  if (contains (text, "-----BEGIN PGP "))
    {
      *refusal = g_strdup ("it carries an inline PGP signature or encryption");
      return NULL;
    }
  gboolean html = is_type (GMIME_OBJECT (part), "text", "html");
  /* The addition takes the text's own line ends; a text of one line
   * takes the message's (base64 text is canonically CRLF). */
  GMimeContentEncoding encoding = g_mime_part_get_content_encoding (part);
  gboolean crlf = contains (text, "\r\n")
               || ((text->len == 0 || memchr (text->data, '\n', text->len) == NULL)
                   && (source_crlf || encoding == GMIME_CONTENT_ENCODING_BASE64));
  const char *nl = crlf ? "\r\n" : "\n";

  /* Plain text: a blank line, then the line; HTML: a paragraph before </body>. */
  g_autofree char *markup = html ? html_line (line) : NULL;
  g_autofree char *addition = html ? g_strconcat (markup, nl, NULL)
                                   : g_strconcat (ends_with_newline (text) ? "" : nl, nl, line, nl, NULL);
  g_autoptr (GByteArray) encoded_addition = in_charset (part, addition, refusal);
  if (encoded_addition == NULL)
    return NULL;

  gssize at = html ? last_tag (text, "</body") : -1;
  if (html && at < 0)
    at = last_tag (text, "</html");
  if (at < 0)
    at = (gssize) text->len;
  g_autoptr (GByteArray) changed = g_byte_array_sized_new (text->len + encoded_addition->len);
  g_byte_array_append (changed, text->data, (guint) at);
  g_byte_array_append (changed, encoded_addition->data, encoded_addition->len);
  /* An empty part has no data at all: no pointer arithmetic on NULL. */
  if (text->len > (guint) at)
    g_byte_array_append (changed, text->data + at, text->len - (guint) at);
  *expected = g_byte_array_ref (changed);

  GByteArray *out;
  switch (encoding)
    {
    case GMIME_CONTENT_ENCODING_DEFAULT:
    case GMIME_CONTENT_ENCODING_7BIT:
    case GMIME_CONTENT_ENCODING_8BIT:
    case GMIME_CONTENT_ENCODING_BINARY:
      out = g_byte_array_ref (changed); /* the addition is in the text's own line ends */
      break;
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
      {
        /* Encode line by line with LF ends; the part's own CRLF comes back below. */
        g_autoptr (GByteArray) lf = crlf ? filtered (changed, g_mime_filter_dos2unix_new (FALSE))
                                         : g_byte_array_ref (changed);
        out = filtered (lf, g_mime_filter_basic_new (GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, TRUE));
        break;
      }
    case GMIME_CONTENT_ENCODING_BASE64:
      out = filtered (changed, g_mime_filter_basic_new (GMIME_CONTENT_ENCODING_BASE64, TRUE));
      break;
    default:
      *refusal = g_strdup ("a text part has an unusual transfer encoding");
      return NULL;
    }
  /* The encoders end lines with LF: keep the source's line ends and its
   * last line end, or its lack (the boundary's CRLF follows). */
  gboolean encoded = out != changed;
  if (encoded && source_crlf)
    {
      GByteArray *dos = filtered (out, g_mime_filter_unix2dos_new (FALSE));
      g_byte_array_unref (out);
      out = dos;
    }
  if (!ends_with_newline (raw))
    while (out->len > 0 && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == '\r'))
      g_byte_array_set_size (out, out->len - 1);
  return out;
}

/* The bytes of SOURCE from START to END. */
static GByteArray *
range (GMimeStream *source, gint64 start, gint64 end)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autoptr (GMimeStream) piece = g_mime_stream_substream (source, start, end);
  g_autoptr (GMimeStream) mem = g_mime_stream_mem_new_with_byte_array (bytes);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
  g_mime_stream_write_to_stream (piece, mem);
  return bytes;
}

typedef struct {
  GMimeStream *source; /* to read the parts' raw bytes; NULL: only judge */
  gboolean crlf;       /* the source's lines end with CRLF */
  const char *line;
  GPtrArray *targets;  /* Target * */
  char *refusal;
} Walk;

/* Collect the text parts of OBJECT the line goes into; stop at a refusal. */
static void
walk (Walk *w, GMimeObject *object)
{
  if (w->refusal)
    return;
  const char *why = sealed (object);
  if (why)
    {
      w->refusal = g_strdup (why);
      return;
    }
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
        walk (w, g_mime_multipart_get_part (multipart, i));
      return;
    }
  /* A forwarded message is someone else's: left as it came. */
  if (!GMIME_IS_PART (object) || GMIME_IS_MESSAGE_PART (object))
    return;
  GMimePart *part = GMIME_PART (object);
  if (!(is_type (object, "text", "plain") || is_type (object, "text", "html"))
      || g_mime_part_is_attachment (part) || g_mime_part_get_filename (part))
    return;

  Target *target = g_new0 (Target, 1);
  target->part = part;
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *stream = content ? g_mime_data_wrapper_get_stream (content) : NULL;
  g_autoptr (GByteArray) raw = NULL;
  if (stream)
    {
      target->start = stream->bound_start;
      target->end = stream->bound_end;
    }
  if (w->source && stream)
    raw = range (w->source, target->start, target->end);
  else
    raw = g_byte_array_new ();
  target->replacement = replacement (part, w->line, raw, w->crlf, &target->expected, &w->refusal);
  g_ptr_array_add (w->targets, target);
}

/* The text parts of MESSAGE, or NULL with the refusal in *REFUSAL. */
static GPtrArray *
targets_of (GMimeMessage *message, GMimeStream *source, gboolean crlf, const char *line,
            char **refusal)
{
  Walk w = { source, crlf, line, g_ptr_array_new_with_free_func (target_free), NULL };
  GMimeObject *object = GMIME_OBJECT (message);
  if (g_mime_object_get_header (object, "DKIM-Signature"))
    w.refusal = g_strdup ("it carries a DKIM signature over its body");
  else if (g_mime_object_get_header (object, "ARC-Message-Signature"))
    w.refusal = g_strdup ("it carries an ARC signature over its body");
  else if (g_mime_message_get_mime_part (message) == NULL)
    w.refusal = g_strdup ("it has no body");
  else
    walk (&w, g_mime_message_get_mime_part (message));
  if (w.refusal == NULL && w.targets->len == 0)
    w.refusal = g_strdup ("it has no text part to add the line to");
  if (w.refusal)
    {
      *refusal = w.refusal;
      g_ptr_array_unref (w.targets);
      return NULL;
    }
  return w.targets;
}

char *
cm_disclose_refusal (GMimeMessage *message, const char *line)
{
  if (message == NULL)
    return g_strdup ("it could not be read as a message");
  char *refusal = NULL;
  GPtrArray *targets = targets_of (message, NULL, TRUE, line, &refusal);
  if (targets)
    g_ptr_array_unref (targets);
  return refusal;
}

/* The offset of the first byte after the header block of SOURCE: just
 * past the first empty line (LF or CRLF). */
static gint64
body_start (GMimeStream *source, gboolean *crlf)
{
  gint64 at = g_mime_stream_tell (source);
  gboolean first = TRUE;
  gboolean line_empty = TRUE; /* nothing but a CR since the last LF */
  char buffer[4096];
  gssize n;
  while ((n = g_mime_stream_read (source, buffer, sizeof buffer)) > 0)
    for (gssize i = 0; i < n; i++, at++)
      {
        if (buffer[i] == '\n')
          {
            if (first)
              *crlf = i > 0 && buffer[i - 1] == '\r';
            first = FALSE;
            if (line_empty)
              return at + 1;
            line_empty = TRUE;
          }
        else if (buffer[i] != '\r')
          line_empty = FALSE;
      }
  return at;
}

/* What a reader sees of OBJECT's parts, in the order walk() visits
 * them: each leaf's decoded content, and a forwarded message whole. */
static void
collect_leaves (GMimeObject *object, GPtrArray *parts, GPtrArray *contents)
{
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
        collect_leaves (g_mime_multipart_get_part (multipart, i), parts, contents);
      return;
    }
  GByteArray *bytes = g_byte_array_new ();
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      g_autoptr (GMimeStream) mem = g_mime_stream_mem_new_with_byte_array (bytes);
      g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
      if (inner)
        g_mime_object_write_to_stream (GMIME_OBJECT (inner), NULL, mem);
    }
  else if (GMIME_IS_PART (object))
    {
      g_byte_array_unref (bytes);
      bytes = decoded (GMIME_PART (object));
    }
  g_ptr_array_add (parts, object);
  g_ptr_array_add (contents, bytes);
}

/* Are A and B the same bytes, but for line ends at their very end when
 * TRIM (a part's last line end belongs to the boundary after it)? */
static gboolean
same_bytes (const GByteArray *a, const GByteArray *b, gboolean trim)
{
  guint la = a->len, lb = b->len;
  while (trim && la > 0 && (a->data[la - 1] == '\n' || a->data[la - 1] == '\r'))
    la--;
  while (trim && lb > 0 && (b->data[lb - 1] == '\n' || b->data[lb - 1] == '\r'))
    lb--;
  return la == lb && (la == 0 || memcmp (a->data, b->data, la) == 0);
}

/* Does the message made of SOURCE's header block (BEGIN to BODY_AT) and
 * BODY read as ORIGINAL does, part for part, except that each target
 * part now reads as its expected text? */
static gboolean
changed_as_meant (GMimeStream *source, gint64 begin, gint64 body_at, const GByteArray *body,
                  GMimeMessage *original, const GPtrArray *targets)
{
  g_autoptr (GByteArray) whole = range (source, begin, body_at);
  g_byte_array_append (whole, body->data, body->len);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer ((const char *) whole->data, whole->len);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) changed = g_mime_parser_construct_message (parser, NULL);
  if (changed == NULL || g_mime_message_get_mime_part (changed) == NULL)
    return FALSE;

  g_autoptr (GPtrArray) was_parts = g_ptr_array_new ();
  g_autoptr (GPtrArray) was = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr (GPtrArray) now_parts = g_ptr_array_new ();
  g_autoptr (GPtrArray) now = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  collect_leaves (g_mime_message_get_mime_part (original), was_parts, was);
  collect_leaves (g_mime_message_get_mime_part (changed), now_parts, now);
  if (was->len != now->len)
    return FALSE;
  guint matched = 0;
  for (guint i = 0; i < was->len; i++)
    {
      const GByteArray *want = was->pdata[i];
      gboolean target = FALSE;
      for (guint k = 0; k < targets->len; k++)
        {
          const Target *t = targets->pdata[k];
          if (t->part == was_parts->pdata[i])
            {
              want = t->expected;
              target = TRUE;
              matched++;
            }
        }
      if (!same_bytes (want, now->pdata[i], target))
        return FALSE;
    }
  return matched == targets->len;
}

gboolean
cm_disclose_body (GMimeStream *source, const char *line, GMimeStream *out, GError **error)
{
  gint64 begin = g_mime_stream_tell (source);
  gint64 length = g_mime_stream_length (source);
  if (begin < 0 || length < 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "the message cannot be read again to change it");
      return FALSE;
    }
  gint64 end = source->bound_start + length;

  gboolean crlf = TRUE;
  gint64 at = body_start (source, &crlf);
  g_mime_stream_seek (source, begin, GMIME_STREAM_SEEK_SET);

  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (source);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_persist_stream (parser, TRUE);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  g_autofree char *refusal = NULL;
  g_autoptr (GPtrArray) targets = message ? targets_of (message, source, crlf, line, &refusal) : NULL;
  if (targets == NULL)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "the message cannot be changed: %s",
                   refusal ? refusal : "it could not be read as a message");
      return FALSE;
    }

  /* The new body is made in memory and checked before any of it is given
   * out: malformed MIME can make GMime's idea of a part's bounds differ
   * from what a reader of the changed message would see. */
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GMimeStream) made = g_mime_stream_mem_new_with_byte_array (body);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (made), FALSE);
  gint64 body_at = at;
  for (guint i = 0; i <= targets->len; i++)
    {
      const Target *t = i < targets->len ? targets->pdata[i] : NULL;
      gint64 upto = t ? t->start : end;
      if (upto < at || (t && (t->end < t->start || t->end > end)))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE,
                       "the message cannot be changed: its parts could not be located");
          return FALSE;
        }
      /* The bytes before this text part as they came, then its new content. */
      g_autoptr (GMimeStream) before = g_mime_stream_substream (source, at, upto);
      if (g_mime_stream_write_to_stream (before, made) < 0
          || (t && g_mime_stream_write (made, (const char *) t->replacement->data, t->replacement->len) < 0))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_IO, "reading the message to change it failed");
          return FALSE;
        }
      if (t)
        at = t->end;
    }
  if (!changed_as_meant (source, begin, body_at, body, message, targets))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE,
                   "the message cannot be changed: its MIME structure is malformed, and the line "
                   "could not be added without changing other parts");
      return FALSE;
    }
  if (g_mime_stream_write (out, (const char *) body->data, body->len) < 0 || g_mime_stream_flush (out) < 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "writing the changed message failed");
      return FALSE;
    }
  return TRUE;
}

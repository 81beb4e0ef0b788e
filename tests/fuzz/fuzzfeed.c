/*
 * fuzzfeed.c: a message given to the daemon's per-message context as the
 * MTA gives it (fuzzfeed.h).
 */
#include "config.h"

#include <string.h>

#include "fuzzfeed.h"

/* Is the line at P (of LENGTH bytes, its line end left out) a header
 * line: a name of printable characters but ':' and a colon?  Sets
 * *NAME_LENGTH. */
static gboolean
header_line (const char *p, gsize length, gsize *name_length)
{
  gsize n = 0;
  while (n < length && p[n] > ' ' && p[n] < 0x7f && p[n] != ':')
    n++;
  *name_length = n;
  return n > 0 && n < length && p[n] == ':';
}

/* The length of the line at P (up to END), without its line end;
 * *NEXT is where the following line starts. */
static gsize
line_at (const char *p, const char *end, const char **next)
{
  const char *nl = memchr (p, '\n', (gsize) (end - p));
  *next = nl ? nl + 1 : end;
  gsize length = (gsize) ((nl ? nl : end) - p);
  if (length > 0 && p[length - 1] == '\r')
    length--;
  return length;
}

/* Give the headers of the message at P to MSG one by one; where the body starts. */
static const char *
feed_headers (CmMsgCtx *msg, const char *p, const char *end)
{
  while (p < end)
    {
      const char *next;
      gsize length = line_at (p, end, &next), name_length;
      if (length == 0)
        return next; /* the blank line */
      if (!header_line (p, length, &name_length))
        return p; /* no header: the body starts here */
      /* Continuation lines join the value, their line ends kept. */
      const char *value_end = p + length;
      while (next < end && (*next == ' ' || *next == '\t'))
        {
          const char *after;
          gsize more = line_at (next, end, &after);
          value_end = next + more;
          next = after;
        }
      g_autofree char *name = g_strndup (p, name_length);
      const char *value = p + name_length + 1;
      while (value < value_end && (*value == ' ' || *value == '\t'))
        value++;
      g_autofree char *text = g_strndup (value, (gsize) (value_end - value));
      cm_msgctx_add_header (msg, name, text);
      p = next;
    }
  return end;
}

/* The body from P as an MTA sends it: bare LF line ends made CRLF. */
static GByteArray *
crlf_body (const char *p, const char *end)
{
  GByteArray *body = g_byte_array_sized_new ((guint) (end - p) + 64);
  for (; p < end; p++)
    {
      if (*p == '\n' && (body->len == 0 || body->data[body->len - 1] != '\r'))
        g_byte_array_append (body, (const guint8 *) "\r", 1);
      g_byte_array_append (body, (const guint8 *) p, 1);
    }
  return body;
}

void
fuzz_feed (CmMsgCtx *msg, const char *data, gsize size, gsize chunk)
{
  const char *end = data + size;
  const char *p = feed_headers (msg, data, end);
  cm_msgctx_end_headers (msg);
  g_autoptr (GByteArray) body = crlf_body (p, end);
  for (guint at = 0; at < body->len && msg->failure == NULL && !msg->skipped;)
    {
      gsize length = MIN (chunk, body->len - at);
      gboolean enough = FALSE;
      g_autoptr (GError) error = NULL;
      if (!cm_msgctx_add_body (msg, body->data + at, length, &enough, &error))
        msg->failure = g_strdup (error->message);
      msg->skipped = enough;
      at += (guint) length;
    }
}

/*
 * charset.c: a text part's bytes in its declared charset to UTF-8.
 *
 * GMime decodes only charsets it knows, and mail often lies: "iso-8859-1"
 * carrying windows-1252 smart quotes, 8-bit text with no charset at all,
 * "utf-8" that is not.  So: convert with iconv through GLib when the
 * charset is known and the bytes are valid in it; else take the bytes as
 * UTF-8 when they are valid UTF-8; else as windows-1252, which maps every
 * byte, so this never fails.
 */
#include "config.h"

#include <string.h>

#include "text.h"

/* windows-1252 0x80-0x9F; 0 where the byte is undefined (kept as U+FFFD). */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static char *
from_windows_1252 (const char *data, gsize length)
{
  GString *out = g_string_sized_new (length + length / 8 + 1);
  for (gsize i = 0; i < length; i++)
    {
      guchar byte = (guchar) data[i];
      if (byte < 0x80)
        g_string_append_c (out, byte ? (char) byte : ' ');
      else if (byte < 0xA0)
        g_string_append_unichar (out, cp1252_high[byte - 0x80] ? cp1252_high[byte - 0x80] : 0xFFFD);
      else
        g_string_append_unichar (out, byte);
    }
  return g_string_free (out, FALSE);
}

/* A copy of valid UTF-8 with NUL bytes made spaces. */
static char *
copy_utf8 (const char *data, gsize length)
{
  char *out = g_strndup (data, length);
  for (gsize i = 0; i < length; i++)
    if (out[i] == '\0')
      out[i] = ' ';
  return out;
}

static gboolean
is_charset (const char *charset, const char *const *names)
{
  for (guint i = 0; names[i]; i++)
    if (g_ascii_strcasecmp (charset, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *const utf8_names[] = { "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", NULL };
/* Latin-1 labels are read as windows-1252, its superset (as browsers do). */
static const char *const latin1_names[] = { "iso-8859-1", "iso8859-1", "latin1", "l1", "windows-1252",
                                            "cp1252", "x-cp1252", "iso_8859-1", NULL };

/* The eight bytes at P, as one number. */
static inline guint64
load8 (const guint8 *p)
{
  guint64 x;
  memcpy (&x, p, sizeof x);
  return x;
}

/* How many of the LENGTH bytes at DATA are ASCII from the start, in
 * steps of 64 (the rest, fewer than 64 or from a step with a byte that
 * is not, are left to the caller): eight eight-byte loads ORed, and one
 * test of their high bits.  (Loaded one by one: copied as an array,
 * they went through the stack.) */
static gsize
ascii_run (const guint8 *data, gsize length)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;
  for (; i + 64 <= length; i += 64)
    {
      const guint8 *p = data + i;
      guint64 any = load8 (p) | load8 (p + 8) | load8 (p + 16) | load8 (p + 24) | load8 (p + 32) | load8 (p + 40)
                  | load8 (p + 48) | load8 (p + 56);
      if (any & high)
        break;
    }
  return i;
}

/* Make NUL bytes spaces; the offset of the first byte that is not ASCII,
 * or LENGTH.  Sixty-four bytes a step, then eight, and memchr: this
 * reads every byte of every text part. */
static gsize
clean_ascii (guint8 *data, gsize length)
{
  if (length == 0)
    return 0; /* an empty part's DATA may be NULL, which memchr may not be given */
  for (guint8 *nul = data; (nul = memchr (nul, 0, length - (gsize) (nul - data))); nul++)
    *nul = ' ';
  gsize i = ascii_run (data, length);
  while (i + 8 <= length && !(load8 (data + i) & G_GUINT64_CONSTANT (0x8080808080808080)))
    i += 8;
  while (i < length && data[i] < 0x80)
    i++;
  return i;
}

/* Are the LENGTH bytes at P valid UTF-8, as g_utf8_validate_len () says
 * (shortest forms, no surrogates, nothing past U+10FFFF, no NUL)?  Runs
 * of ASCII are passed over eight bytes at a time: mail is mostly ASCII
 * between its accents and curly quotes, and GLib reads it byte by byte. */
static gboolean
is_valid_utf8 (const guint8 *p, gsize length)
{
  const guint8 *end = p + length;
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080), ones = G_GUINT64_CONSTANT (0x0101010101010101);
  while (p < end)
    {
      guint8 c = *p;
      if (c < 0x80)
        {
          /* 32 bytes, then eight, with neither a high bit nor a NUL at once
           * (a NUL's byte gets its high bit from X - ONES & ~X). */
          guint64 x[4];
          while (p + 32 <= end
                 && (memcpy (x, p, 32), ((x[0] | ((x[0] - ones) & ~x[0]) | x[1] | ((x[1] - ones) & ~x[1])
                                          | x[2] | ((x[2] - ones) & ~x[2]) | x[3] | ((x[3] - ones) & ~x[3]))
                                         & high) == 0))
            p += 32;
          while (p + 8 <= end && (memcpy (x, p, 8), ((x[0] | ((x[0] - ones) & ~x[0])) & high) == 0))
            p += 8;
          while (p < end && *p < 0x80)
            if (*p++ == 0)
              return FALSE;
          continue;
        }
      gsize n = c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
      if (n == 0 || (gsize) (end - p) < n)
        return FALSE;
      /* The second byte's range depends on the first (shortest forms,
       * no surrogates, not past U+10FFFF); the others are 0x80-0xbf. */
      guint8 low = 0x80, top = 0xbf;
      if (c == 0xe0)
        low = 0xa0;
      else if (c == 0xed)
        top = 0x9f;
      else if (c == 0xf0)
        low = 0x90;
      else if (c == 0xf4)
        top = 0x8f;
      if (p[1] < low || p[1] > top)
        return FALSE;
      for (gsize i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
          return FALSE;
      p += n;
    }
  return TRUE;
}

char *
cm_charset_to_utf8_owned (GByteArray *bytes, const char *charset)
{
  if (charset == NULL || *charset == '\0' || is_charset (charset, utf8_names)
      || is_charset (charset, latin1_names))
    {
      /* Mail is mostly ASCII, which every one of these charsets reads alike
       * (and which is valid UTF-8 up to the first byte that is not). */
      gsize ascii = clean_ascii (bytes->data, bytes->len);
      gboolean utf8 = !is_charset (charset ? charset : "", latin1_names);
      if (ascii == bytes->len
          || (utf8 && is_valid_utf8 (bytes->data + ascii, bytes->len - ascii)))
        {
          g_byte_array_append (bytes, (const guint8 *) "", 1);
          return (char *) g_byte_array_free (bytes, FALSE);
        }
    }
  char *text = cm_charset_to_utf8 ((const char *) bytes->data, bytes->len, charset);
  g_byte_array_unref (bytes);
  return text;
}

char *
cm_charset_to_utf8 (const char *data, gsize length, const char *charset)
{
  const char *const *utf8 = utf8_names;
  const char *const *latin1 = latin1_names;
  gboolean valid_utf8 = g_utf8_validate_len (data, length, NULL);

  /* An empty part may come with no data at all, and g_convert and
   * g_strndup answer NULL for that; the caller always gets a string. */
  if (length == 0)
    return g_strdup ("");
  if (charset == NULL || *charset == '\0' || is_charset (charset, utf8))
    return valid_utf8 ? copy_utf8 (data, length) : from_windows_1252 (data, length);
  if (is_charset (charset, latin1))
    return from_windows_1252 (data, length);

  gsize written = 0;
  g_autoptr (GError) error = NULL;
  char *converted = g_convert (data, length, "UTF-8", charset, NULL, &written, &error);
  if (converted && g_utf8_validate_len (converted, written, NULL))
    {
      for (gsize i = 0; i < written; i++)
        if (converted[i] == '\0')
          converted[i] = ' ';
      return converted;
    }
  g_free (converted);
  return valid_utf8 ? copy_utf8 (data, length) : from_windows_1252 (data, length);
}

/*
 * msgctx.c: one message's state and its spool (msgctx.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "durable.h"
#include "msgctx.h"
#include "settings.h"

CmMsgCtx *
cm_msgctx_new (CmConfig *config, CmEnvelope *envelope)
{
  CmMsgCtx *msg = g_new0 (CmMsgCtx, 1);
  msg->config = config;
  msg->envelope = envelope;
  msg->queue_id = g_strdup ("NOQUEUE");
  msg->headers = g_string_sized_new (2048);
  msg->body = g_byte_array_new ();
  msg->body_fd = -1;
  msg->body_memory = (gsize) cm_daemon_settings (config)->body_memory;
  msg->scan_limit = cm_config_max_scan_size (config);
  msg->started = g_get_monotonic_time ();
  msg->digest = g_checksum_new (G_CHECKSUM_SHA256);
  return msg;
}

void
cm_msgctx_free (CmMsgCtx *msg)
{
  if (msg == NULL)
    return;
  if (msg->body_fd >= 0)
    close (msg->body_fd);
  if (msg->body)
    g_byte_array_unref (msg->body);
  g_string_free (msg->headers, TRUE);
  g_free (msg->subject);
  g_free (msg->message_id);
  g_free (msg->references);
  g_free (msg->release_mark);
  g_free (msg->in_reply_to);
  g_free (msg->from);
  g_free (msg->thread);
  g_free (msg->failure);
  g_free (msg->queue_id);
  g_checksum_free (msg->digest);
  cm_envelope_free (msg->envelope);
  cm_config_unref (msg->config);
  g_free (msg);
}

static gboolean spool_append (CmMsgCtx *msg, const guint8 *data, gsize length, GError **error);

void
cm_msgctx_add_header (CmMsgCtx *msg, const char *name, const char *value)
{
  if (g_ascii_strcasecmp (name, CM_HEADER_VERDICT) == 0)
    {
      msg->forged_verdict++;
      return;
    }
  if (g_ascii_strcasecmp (name, CM_HEADER_SCAN) == 0)
    {
      msg->forged_scan++;
      return;
    }
  if (g_ascii_strcasecmp (name, CM_HEADER_RELEASE) == 0)
    {
      if (msg->release_marks++ == 0)
        msg->release_mark = g_strdup (value);
      return;
    }
  if (g_ascii_strcasecmp (name, "Subject") == 0 && msg->subject == NULL)
    msg->subject = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "From") == 0 && msg->from == NULL)
    msg->from = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "Message-ID") == 0 && msg->message_id == NULL)
    msg->message_id = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "References") == 0 && msg->references == NULL)
    msg->references = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "In-Reply-To") == 0 && msg->in_reply_to == NULL)
    msg->in_reply_to = g_strdup (value);
  else if (g_ascii_strcasecmp (name, "Auto-Submitted") == 0)
    {
      const char *v = value;
      while (*v == ' ' || *v == '\t')
        v++;
      msg->auto_submitted |= g_ascii_strncasecmp (v, "no", 2) != 0;
    }
  g_autofree char *field = g_strdup_printf ("%s: %s\r\n", name, value);
  gsize length = strlen (field);
  if (g_ascii_strcasecmp (name, "Received") != 0)
    g_checksum_update (msg->digest, (const guchar *) field, (gssize) length);
  msg->header_count++;
  msg->headers_size += length;
  /* The text copy stops at the first field that would pass its cap. */
  if (!msg->headers_cut && msg->headers->len + length <= CM_HEADERS_COPY_MAX)
    g_string_append_len (msg->headers, field, (gssize) length);
  else
    msg->headers_cut = TRUE;
  g_autoptr (GError) error = NULL;
  if (msg->failure == NULL && !spool_append (msg, (const guint8 *) field, length, &error))
    msg->failure = g_strdup (error->message);
}

/* The first "<id>" of VALUE, or NULL. */
static char *
first_id (const char *value)
{
  const char *open = value ? strchr (value, '<') : NULL;
  const char *close = open ? strchr (open, '>') : NULL;
  return close && close > open + 1 ? g_ascii_strdown (open, close - open + 1) : NULL;
}

void
cm_msgctx_end_headers (CmMsgCtx *msg)
{
  /* A reply's thread is named by its first ancestor, which every later
   * reply keeps at the head of References. */
  msg->thread = first_id (msg->references);
  if (msg->thread == NULL)
    msg->thread = first_id (msg->in_reply_to);
  if (msg->thread == NULL)
    msg->thread = first_id (msg->message_id);
  g_string_append (msg->headers, "\r\n");
  g_checksum_update (msg->digest, (const guchar *) "\r\n", 2);
  /* The spool holds the whole message: the fields are in it already. */
  msg->headers_size += 2;
  g_autoptr (GError) error = NULL;
  if (msg->failure == NULL && !spool_append (msg, (const guint8 *) "\r\n", 2, &error))
    msg->failure = g_strdup (error->message);
}

/* Move the message from memory to a private, already unlinked file. */
static gboolean
spill (CmMsgCtx *msg, GError **error)
{
  const char *dir = cm_daemon_settings (msg->config)->temp_dir;
  g_autofree char *path = g_build_filename (dir, "council-milter-XXXXXX", NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "creating a body spool file in %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  g_unlink (path);
  msg->body_fd = fd;
  gboolean ok = cm_durable_write_all (fd, msg->body->data, msg->body->len, "the body spool", error);
  g_byte_array_unref (msg->body);
  msg->body = NULL;
  return ok;
}

/* Append LENGTH bytes to the spool: in memory up to [milter] body-memory,
 * then in the file. */
static gboolean
spool_append (CmMsgCtx *msg, const guint8 *data, gsize length, GError **error)
{
  if (msg->body_fd < 0 && msg->body->len + length <= msg->body_memory)
    {
      g_byte_array_append (msg->body, data, (guint) length);
      return TRUE;
    }
  if (msg->body_fd < 0 && !spill (msg, error))
    return FALSE;
  return cm_durable_write_all (msg->body_fd, data, length, "the body spool", error);
}

gboolean
cm_msgctx_add_body (CmMsgCtx *msg, const guint8 *data, gsize length, gboolean *enough, GError **error)
{
  msg->body_received += length;
  g_checksum_update (msg->digest, data, (gssize) length);
  /* Keep one byte past the limit, so the engine still sees it was cut. */
  gsize kept = msg->headers_size + msg->body_size;
  gsize room = kept <= msg->scan_limit ? msg->scan_limit + 1 - kept : 0;
  length = MIN (length, room);
  *enough = length == room;
  if (length == 0)
    return TRUE;
  msg->body_size += length;
  return spool_append (msg, data, length, error);
}

GMimeStream *
cm_msgctx_stream (CmMsgCtx *msg, GError **error)
{
  if (msg->body_fd < 0)
    {
      GMimeStream *stream = g_mime_stream_mem_new_with_byte_array (msg->body);
      g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
      return stream;
    }
  int fd = dup (msg->body_fd);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "reading the body spool: %s", g_strerror (saved));
      return NULL;
    }
  lseek (fd, 0, SEEK_SET);
  return g_mime_stream_fs_new_with_bounds (fd, 0, (gint64) (msg->headers_size + msg->body_size));
}

char *
cm_msgctx_size_text (const CmMsgCtx *msg)
{
  guint64 received = (guint64) msg->headers_size + msg->body_received;
  /* Past a SKIP the body counted is only what came before it. */
  if (!msg->skipped)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", received);
  if (msg->declared_size >= received)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", msg->declared_size);
  return g_strdup_printf ("at least %" G_GUINT64_FORMAT " bytes", received);
}

char *
cm_msgctx_scan_note (const CmMsgCtx *msg, gsize scanned)
{
  g_autofree char *size = cm_msgctx_size_text (msg);
  return g_strdup_printf ("partial, %zu of %s", scanned, size);
}

char *
cm_msgctx_scan_value (const CmMsgCtx *msg, const CmVerdict *verdict)
{
  GString *value = g_string_new ("partial");
  if (verdict->truncated)
    {
      g_autofree char *size = cm_msgctx_size_text (msg);
      g_string_append_printf (value, ", %zu of %s", verdict->scanned, size);
    }
  for (guint i = 0; verdict->partial && i < verdict->partial->len; i++)
    g_string_append_printf (value, "%s%s", i == 0 && !verdict->truncated ? ", " : "; ",
                            (const char *) verdict->partial->pdata[i]);
  return g_string_free (value, FALSE);
}

char *
cm_msgctx_fingerprint (const CmMsgCtx *msg)
{
  g_autoptr (GChecksum) digest = g_checksum_copy (msg->digest);
  /* NUL-separated: no address can run into the next. */
  g_checksum_update (digest, (const guchar *) msg->envelope->sender, (gssize) strlen (msg->envelope->sender) + 1);
  for (guint i = 0; i < msg->envelope->recipients->len; i++)
    {
      const char *rcpt = msg->envelope->recipients->pdata[i];
      g_checksum_update (digest, (const guchar *) rcpt, (gssize) strlen (rcpt) + 1);
    }
  return g_strdup (g_checksum_get_string (digest));
}

/*
 * holdmark.c: the digest of a message's body, and the check that a
 * message carrying a release mark is the one held (holdmark.h).  The bytes
 * go through three small stages, one byte at a time so that a chunk may
 * end anywhere: CRLF becomes LF (a CR is kept back until the next byte
 * shows which it is), the header is skipped up to its empty line, and
 * LFs are kept back until a later byte shows they are not the last.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <string.h>

#include "holdmark.h"

#define OUT_SIZE 4096
#define READ_SIZE (64 * 1024)

struct _CmBodyDigest {
  GChecksum *sum;
  gboolean in_header;     /* still skipping the header */
  gboolean line_start;    /* in the header: the next byte starts a line */
  gboolean pending_cr;    /* a CR not yet known to end a line */
  gsize pending_lf;       /* LFs not yet known not to be the last bytes */
  gsize used;
  guint8 out[OUT_SIZE];   /* bytes for the checksum, passed on in runs */
};

CmBodyDigest *
cm_body_digest_new (gboolean whole_message)
{
  CmBodyDigest *digest = g_new0 (CmBodyDigest, 1);
  digest->sum = g_checksum_new (G_CHECKSUM_SHA256);
  digest->in_header = whole_message;
  digest->line_start = TRUE;
  return digest;
}

void
cm_body_digest_free (CmBodyDigest *digest)
{
  if (digest == NULL)
    return;
  g_checksum_free (digest->sum);
  g_free (digest);
}

/* Pass BYTE to the checksum (through the buffer). */
static void
emit (CmBodyDigest *digest, guint8 byte)
{
  if (digest->used == OUT_SIZE)
    {
      g_checksum_update (digest->sum, digest->out, (gssize) digest->used);
      digest->used = 0;
    }
  digest->out[digest->used++] = byte;
}

/* A byte of the body, line ends already LF: trailing LFs are kept back. */
static void
body_byte (CmBodyDigest *digest, guint8 byte)
{
  if (byte == '\n')
    {
      digest->pending_lf++;
      return;
    }
  for (; digest->pending_lf > 0; digest->pending_lf--)
    emit (digest, '\n');
  emit (digest, byte);
}

/* A byte of the message, line ends already LF: the header is skipped. */
static void
message_byte (CmBodyDigest *digest, guint8 byte)
{
  if (!digest->in_header)
    {
      body_byte (digest, byte);
      return;
    }
  if (byte == '\n' && digest->line_start)
    digest->in_header = FALSE;
  digest->line_start = byte == '\n';
}

void
cm_body_digest_update (CmBodyDigest *digest, const guint8 *data, gsize length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = data[i];
      if (digest->pending_cr && byte != '\n')
        message_byte (digest, '\r');
      digest->pending_cr = byte == '\r';
      if (byte != '\r')
        message_byte (digest, byte);
    }
}

char *
cm_body_digest_finish (CmBodyDigest *digest)
{
  if (digest->pending_cr)
    message_byte (digest, '\r');
  g_checksum_update (digest->sum, digest->out, (gssize) digest->used);
  char *hex = g_strdup (g_checksum_get_string (digest->sum));
  cm_body_digest_free (digest);
  return hex;
}

char *
cm_body_digest_file (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "reading %s: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  g_autoptr (CmBodyDigest) digest = cm_body_digest_new (TRUE);
  g_autofree guint8 *buffer = g_malloc (READ_SIZE);
  ssize_t n;
  while ((n = read (fd, buffer, READ_SIZE)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      cm_body_digest_update (digest, buffer, (gsize) n);
  int saved = errno;
  close (fd);
  if (n < 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "reading %s: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  return cm_body_digest_finish (g_steal_pointer (&digest));
}

/* Is ADDRESS among LIST (NULL-terminated), without regard to case? */
static gboolean
among (const char *address, char **list)
{
  for (guint i = 0; list && list[i]; i++)
    if (g_ascii_strcasecmp (address, list[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
cm_holdmark_matches (const CmHold *hold, const char *kept, const CmHold *seen, GError **error)
{
  if (seen->body_digest == NULL || strcmp (kept, seen->body_digest) != 0)
    {
      g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN, "the release marker for %s came "
                   "with another message: its body is not the one held", hold->id);
      return FALSE;
    }
  const char *sender = seen->sender ? seen->sender : "";
  if (g_ascii_strcasecmp (hold->sender, sender) != 0)
    {
      g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN, "the release marker for %s came "
                   "from <%s>, not from <%s> whose message was held", hold->id, sender, hold->sender);
      return FALSE;
    }
  for (guint i = 0; seen->recipients && seen->recipients[i]; i++)
    if (!among (seen->recipients[i], hold->recipients))
      {
        g_set_error (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN, "the release marker for %s came "
                     "to <%s>, not a recipient the message was held for", hold->id,
                     seen->recipients[i]);
        return FALSE;
      }
  return TRUE;
}

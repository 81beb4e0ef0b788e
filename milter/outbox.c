/*
 * outbox.c: mail the filter sends itself, kept on disk until the SMTP
 * listener takes it (outbox.h).
 *
 * The outbox DIR (0700) holds:
 *   NAME       one kept message (0600); NAME is "SECONDS-PID-SEQUENCE-RANDOM"
 *   tmp/       files being written (0700), never read from
 *   failed/    messages given up (0700): refused for good (5xx), kept longer
 *              than the limit, or not readable as a kept message
 *
 * A kept file is a header of envelope and retry state, each line ending
 * in LF, then a blank line, then the message bytes exactly:
 *   X-Outbox-Sender: <>                  the envelope sender, inside <>
 *   X-Outbox-Recipient: a@example.org    one line per recipient
 *   X-Outbox-First: 1795000000           Unix seconds when first kept
 *   X-Outbox-Attempts: 3                 tries so far
 *   X-Outbox-Next: 1795000240            not tried again before this
 *   X-Outbox-Last-Error: SMTP to ...     the last failure (control
 *                                        characters made spaces; optional)
 *   X-Outbox-Length: 2048                the message's bytes, so that a
 *                                        whole file can be told from a cut
 *                                        one (optional: older files lack it)
 *
 * Every file is written to tmp/ under its name in DIR (0600), fsync'd,
 * closed and renamed into DIR, and DIR is fsync'd: a file in DIR is always
 * complete.  New retry state is written the same way and renamed over the
 * old file.
 * Senders (any thread) only add files; cm_outbox_flush(), one at a time
 * under the mutex, is the only one to read, rewrite, remove or move them.
 * After attempt N the next is 60 * 2^(N-1) seconds later, at most an hour.
 * A file is removed only after the listener took the message.  A file a
 * crash left in tmp/ is dealt with by a later cm_outbox_open(), once a
 * minute old (so that no writer is still at it): a whole one (its Length
 * agrees) whose name is not in DIR is a notice never moved into place, and
 * goes there to be sent; one whose name is in DIR was new retry state for
 * it, and is dropped (the notice is kept; a retry is merely early); any
 * other is set aside in failed/.  Safe in several processes at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "log.h"
#include "durable.h"
#include "outbox.h"
#include "policy.h"
#include "smtp.h"

#define FIRST_DELAY 60     /* seconds after the first failed attempt */
#define MAX_DELAY 3600     /* the longest wait between attempts */
#define STALE_TMP 60       /* a file this old in tmp/ was left by a crash */

struct _CmOutbox {
  char *dir, *tmp, *failed;
  gint sequence;           /* atomic: makes names unique within the process */
  GMutex flush_lock;       /* one cm_outbox_flush() at a time */
};

/* A kept message as read back from its file. */
typedef struct {
  char *contents;          /* the whole file; DATA points into it */
  char *sender;
  GPtrArray *recipients;   /* char *, NULL-terminated once read */
  gint64 first, attempts, next;
  gint64 declared;         /* X-Outbox-Length, or -1 without one */
  char *last_error;        /* may be NULL */
  const char *data;
  gsize length;
} Kept;

/* Free a kept message read back. */
static void
kept_free (Kept *kept)
{
  g_free (kept->contents);
  g_free (kept->sender);
  g_ptr_array_unref (kept->recipients);
  g_free (kept->last_error);
  g_free (kept);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Kept, kept_free)

/* Set ERROR to "WHAT PATH: strerror(SAVED)"; always FALSE. */
static gboolean
fail_errno (GError **error, int saved, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s %s: %s", what, path,
               g_strerror (saved));
  return FALSE;
}

/* TEXT on one line: control characters become spaces. */
static char *
one_line (const char *text)
{
  char *line = g_strdup (text ? text : "");
  for (char *c = line; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      *c = ' ';
  return line;
}

/* Seconds to wait after attempt ATTEMPTS (>= 1) failed. */
static gint64
backoff (gint64 attempts)
{
  gint64 delay = FIRST_DELAY;
  for (gint64 i = 1; i < attempts && delay < MAX_DELAY; i++)
    delay *= 2;
  return MIN (delay, MAX_DELAY);
}

/* A name no other file of this or another process gets; the time first,
 * so that names sort oldest first. */
static char *
new_name (CmOutbox *outbox)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "-%d-%08x-%08" G_GINT32_MODIFIER "x",
                          g_get_real_time () / G_USEC_PER_SEC, (int) getpid (),
                          (guint) g_atomic_int_add (&outbox->sequence, 1), g_random_int ());
}


/* The header of a kept file, blank line included. */
static char *
header_text (const char *sender, const char *const *recipients, gint64 first, gint64 attempts,
             gint64 next, const char *last_error, gsize length)
{
  GString *text = g_string_new (NULL);
  g_string_append_printf (text, "X-Outbox-Sender: <%s>\n", sender);
  for (guint i = 0; recipients[i]; i++)
    g_string_append_printf (text, "X-Outbox-Recipient: %s\n", recipients[i]);
  g_autofree char *error_line = one_line (last_error);
  g_string_append_printf (text,
                          "X-Outbox-First: %" G_GINT64_FORMAT "\nX-Outbox-Attempts: %" G_GINT64_FORMAT
                          "\nX-Outbox-Next: %" G_GINT64_FORMAT "\nX-Outbox-Last-Error: %s"
                          "\nX-Outbox-Length: %" G_GSIZE_FORMAT "\n\n",
                          first, attempts, next, error_line, length);
  return g_string_free (text, FALSE);
}

/* Make the entries of the directory PATH durable; a failure is logged, as
 * the rename it follows is done. */
static void
sync_dir_logged (const char *path)
{
  g_autoptr (GError) error = NULL;
  if (!cm_durable_sync_dir (path, &error))
    cm_log (LOG_ERR, "outbox: %s", error->message);
}

/* Write HEADER and DATA to a new file in tmp/ and rename it to DIR/NAME
 * (over the file there, if any).  On failure nothing is left in tmp/. */
static gboolean
write_kept (CmOutbox *outbox, const char *name, const char *header, const char *data,
            gsize length, GError **error)
{
  /* Named as in DIR, so that what a crash leaves tells whose it was; only
   * flushes (one at a time) rewrite a NAME, so a file there is stale. */
  g_autofree char *tmp_path = g_build_filename (outbox->tmp, name, NULL);
  g_autofree char *path = g_build_filename (outbox->dir, name, NULL);
  int fd = open (tmp_path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return fail_errno (error, errno, "creating", tmp_path);
  gboolean ok = cm_durable_write_all (fd, header, strlen (header), tmp_path, error)
                && cm_durable_write_all (fd, data, length, tmp_path, error);
  ok = cm_durable_finish (fd, tmp_path, ok, error);
  if (ok && g_rename (tmp_path, path) != 0)
    ok = fail_errno (error, errno, "renaming into place", path);
  if (!ok)
    g_unlink (tmp_path);
  else
    sync_dir_logged (outbox->dir);
  return ok;
}

/* Parse VALUE as a number of at least 0 into *NUMBER, which must be unset. */
static gboolean
parse_number (const char *value, gint64 *number)
{
  guint64 n = 0;
  if (*number >= 0 || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &n, NULL))
    return FALSE;
  *number = (gint64) n;
  return TRUE;
}

/* Read back the kept file PATH; an error says what is wrong with it. */
static Kept *
read_kept (const char *path, GError **error)
{
  g_autoptr (Kept) kept = g_new0 (Kept, 1);
  kept->recipients = g_ptr_array_new_with_free_func (g_free);
  kept->first = kept->attempts = kept->next = kept->declared = -1;
  gsize size = 0;
  if (!g_file_get_contents (path, &kept->contents, &size, error))
    return NULL;
  /* The search stops at a NUL: no header holds one. */
  const char *end = g_strstr_len (kept->contents, (gssize) size, "\n\n");
  if (end == NULL)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "%s: not a header and a blank line", path);
      return NULL;
    }
  kept->data = end + 2;
  kept->length = size - (gsize) (kept->data - kept->contents);
  g_autofree char *header = g_strndup (kept->contents, (gsize) (end - kept->contents));
  g_auto (GStrv) lines = g_strsplit (header, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *shown = one_line (lines[i]);
      char *colon = strstr (lines[i], ": ");
      const char *value = colon ? colon + 2 : "";
      gsize value_length = strlen (value);
      gboolean ok = colon != NULL;
      if (colon)
        *colon = '\0';
      if (!ok)
        ;
      else if (strcmp (lines[i], "X-Outbox-Sender") == 0)
        {
          ok = kept->sender == NULL && value_length >= 2 && value[0] == '<'
               && value[value_length - 1] == '>';
          if (ok)
            kept->sender = g_strndup (value + 1, value_length - 2);
        }
      else if (strcmp (lines[i], "X-Outbox-Recipient") == 0)
        {
          ok = value_length > 0;
          g_ptr_array_add (kept->recipients, g_strdup (value));
        }
      else if (strcmp (lines[i], "X-Outbox-First") == 0)
        ok = parse_number (value, &kept->first);
      else if (strcmp (lines[i], "X-Outbox-Attempts") == 0)
        ok = parse_number (value, &kept->attempts);
      else if (strcmp (lines[i], "X-Outbox-Next") == 0)
        ok = parse_number (value, &kept->next);
      else if (strcmp (lines[i], "X-Outbox-Length") == 0)
        ok = parse_number (value, &kept->declared);
      else if (strcmp (lines[i], "X-Outbox-Last-Error") == 0 && kept->last_error == NULL)
        kept->last_error = g_strdup (value);
      else
        ok = FALSE;
      if (!ok)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "%s: bad header line \"%.80s\"", path,
                       shown);
          return NULL;
        }
    }
  if (kept->sender == NULL || kept->recipients->len == 0 || kept->first < 0
      || kept->attempts < 0 || kept->next < 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE,
                   "%s: the header lacks the sender, a recipient, First, Attempts or Next", path);
      return NULL;
    }
  if (kept->declared >= 0 && (guint64) kept->declared != kept->length)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE, "%s: cut short: %" G_GSIZE_FORMAT " bytes of "
                   "the message where its header says %" G_GINT64_FORMAT, path, kept->length,
                   kept->declared);
      return NULL;
    }
  g_ptr_array_add (kept->recipients, NULL);
  return g_steal_pointer (&kept);
}

/* Move FROM/NAME to failed/ (under a name not taken there), logging WHY
 * at PRIORITY; a file that cannot be moved stays where it is. */
static void
give_up (CmOutbox *outbox, const char *from, const char *name, int priority, const char *why)
{
  g_autofree char *path = g_build_filename (from, name, NULL);
  g_autofree char *target = g_build_filename (outbox->failed, name, NULL);
  GStatBuf st;
  for (guint i = 1; g_lstat (target, &st) == 0 && i < 1000; i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s/%s.%u", outbox->failed, name, i);
    }
  if (g_rename (path, target) != 0)
    {
      cm_log (LOG_ERR, "outbox: %s stays although given up (%s): moving it to %s: %s", path, why,
              outbox->failed, g_strerror (errno));
      return;
    }
  sync_dir_logged (outbox->failed);
  sync_dir_logged (from);
  cm_log (priority, "outbox: gave up %s, moved to %s: %s", path, target, why);
}

/* Was the message refused for good (not a bad HOST:PORT, which may be fixed)? */
static gboolean
refused_for_good (gboolean temporary, const GError *error)
{
  return !temporary && !g_error_matches (error, CM_ERROR, CM_ERROR_CONFIG);
}

/* What a crash left in tmp/ as file NAME: 1 sent on (moved into DIR),
 * 2 dropped (its notice is kept in DIR), 0 set aside in failed/. */
static int
recover_one (CmOutbox *outbox, const char *name)
{
  g_autofree char *path = g_build_filename (outbox->tmp, name, NULL);
  g_autofree char *target = g_build_filename (outbox->dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Kept) kept = read_kept (path, &error);
  if (kept == NULL || kept->declared < 0)
    {
      g_autofree char *why = g_strdup_printf ("left unfinished in tmp/ by an earlier run (%s)",
                                              error ? error->message : "no length to check it by");
      give_up (outbox, outbox->tmp, name, LOG_WARNING, why);
      return 0;
    }
  GStatBuf st;
  if (g_lstat (target, &st) == 0)
    return g_unlink (path) == 0 ? 2 : 0;
  if (g_rename (path, target) != 0)
    {
      cm_log (LOG_ERR, "outbox: %s stays in tmp/: moving it to %s: %s", path, outbox->dir,
              g_strerror (errno));
      return 0;
    }
  sync_dir_logged (outbox->dir);
  return 1;
}

/* Deal with the files a crash left in tmp/ (see the top of this file),
 * and say how many. */
static void
recover_tmp (CmOutbox *outbox)
{
  g_autoptr (GDir) tmp = g_dir_open (outbox->tmp, 0, NULL);
  const char *name;
  guint counts[3] = { 0, 0, 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  while (tmp && (name = g_dir_read_name (tmp)))
    {
      g_autofree char *path = g_build_filename (outbox->tmp, name, NULL);
      GStatBuf st;
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && now - st.st_mtime > STALE_TMP)
        counts[recover_one (outbox, name)]++;
    }
  if (counts[0] + counts[1] + counts[2] == 0)
    return;
  sync_dir_logged (outbox->tmp);
  cm_log (LOG_WARNING, "outbox: recovered what an earlier run left in %s: %u notice(s) moved on to "
          "be sent, %u stale rewrite(s) of kept notices dropped, %u unfinished file(s) set aside "
          "in failed/", outbox->tmp, counts[1], counts[2], counts[0]);
}

CmOutbox *
cm_outbox_open (const char *dir, GError **error)
{
  CmOutbox *outbox = g_new0 (CmOutbox, 1);
  outbox->dir = g_strdup (dir);
  outbox->tmp = g_build_filename (dir, "tmp", NULL);
  outbox->failed = g_build_filename (dir, "failed", NULL);
  g_mutex_init (&outbox->flush_lock);
  const char *const dirs[] = { outbox->dir, outbox->tmp, outbox->failed };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (g_mkdir_with_parents (dirs[i], 0700) != 0)
      {
        fail_errno (error, errno, "creating the outbox directory", dirs[i]);
        cm_outbox_close (outbox);
        return NULL;
      }

  recover_tmp (outbox);
  return outbox;
}

void
cm_outbox_close (CmOutbox *outbox)
{
  if (outbox == NULL)
    return;
  g_mutex_clear (&outbox->flush_lock);
  g_free (outbox->dir);
  g_free (outbox->tmp);
  g_free (outbox->failed);
  g_free (outbox);
}

gboolean
cm_outbox_send (CmOutbox *outbox, const char *hostport, const char *sender,
                const char *const *recipients, const char *data, gsize length, GError **error)
{
  g_return_val_if_fail (sender != NULL && recipients != NULL && recipients[0] != NULL, FALSE);
  /* An address that is not one line could be neither kept nor sent safely. */
  for (gint i = -1; i < 0 || recipients[i]; i++)
    {
      const char *address = i < 0 ? sender : recipients[i];
      g_autofree char *line = one_line (address);
      if (strcmp (line, address) != 0 || (i >= 0 && *address == '\0'))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_MESSAGE,
                       "outbox: the envelope address \"%s\" is empty or not one line", line);
          return FALSE;
        }
    }

  gboolean temporary = FALSE;
  g_autoptr (GError) smtp_error = NULL;
  if (cm_smtp_send (hostport, sender, recipients, data, length, &temporary, &smtp_error))
    return TRUE;
  if (refused_for_good (temporary, smtp_error))
    {
      g_propagate_error (error, g_steal_pointer (&smtp_error));
      return FALSE;
    }
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *name = new_name (outbox);
  g_autofree char *header = header_text (sender, recipients, now, 1, now + backoff (1),
                                         smtp_error->message, length);
  g_autoptr (GError) write_error = NULL;
  if (!write_kept (outbox, name, header, data, length, &write_error))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "%s; and it could not be kept for a retry: %s",
                   smtp_error->message, write_error->message);
      return FALSE;
    }
  cm_log (LOG_WARNING, "outbox: kept %s/%s for a retry in %d seconds: %s", outbox->dir, name,
          FIRST_DELAY, smtp_error->message);
  return TRUE;
}

/* Retry KEPT, the file NAME, if due at NOW and count it; returns why it
 * is to be given up, or NULL. */
static char *
retry (CmOutbox *outbox, const char *name, Kept *kept, const char *hostport, gint64 now,
       gint64 max_age, CmOutboxCounts *counts)
{
  g_autofree char *path = g_build_filename (outbox->dir, name, NULL);
  const char *const *recipients = (const char *const *) kept->recipients->pdata;
  g_autofree char *to = g_strjoinv (", ", (char **) recipients);
  if (max_age > 0 && now - kept->first > max_age)
    return g_strdup_printf ("not sent to %s in %" G_GINT64_FORMAT " seconds (%" G_GINT64_FORMAT
                            " attempts): %s", to, now - kept->first, kept->attempts,
                            kept->last_error ? kept->last_error : "");
  if (kept->next > now)
    {
      counts->waiting++;
      return NULL;
    }

  gboolean temporary = FALSE;
  g_autoptr (GError) error = NULL;
  if (cm_smtp_send (hostport, kept->sender, recipients, kept->data, kept->length, &temporary, &error))
    {
      if (g_unlink (path) != 0)
        cm_log (LOG_ERR, "outbox: %s was sent but stays (it will be sent again): removing it: %s",
                path, g_strerror (errno));
      else
        sync_dir_logged (outbox->dir);
      cm_log (LOG_INFO, "outbox: sent %s to %s after %" G_GINT64_FORMAT " earlier attempts", path,
              to, kept->attempts);
      counts->sent++;
      return NULL;
    }
  if (refused_for_good (temporary, error))
    return g_strdup (error->message);
  gint64 attempts = kept->attempts + 1;
  g_autofree char *header = header_text (kept->sender, recipients, kept->first, attempts,
                                         now + backoff (attempts), error->message, kept->length);
  g_autoptr (GError) write_error = NULL;
  if (!write_kept (outbox, name, header, kept->data, kept->length, &write_error))
    cm_log (LOG_ERR, "outbox: %s keeps its old retry state: %s", path, write_error->message);
  cm_log (LOG_WARNING, "outbox: %s not sent (attempt %" G_GINT64_FORMAT ", next in %" G_GINT64_FORMAT
          " seconds): %s", path, attempts, backoff (attempts), error->message);
  counts->waiting++;
  return NULL;
}

/* Read and retry the entry NAME of DIR, or give it up. */
static void
flush_one (CmOutbox *outbox, const char *name, const char *hostport, gint64 now, gint64 max_age,
           CmOutboxCounts *counts)
{
  g_autofree char *path = g_build_filename (outbox->dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (Kept) kept = NULL;
  g_autofree char *why = NULL;
  GStatBuf st;
  if (g_lstat (path, &st) != 0)
    return; /* gone since the scan */
  if (!S_ISREG (st.st_mode))
    why = g_strdup_printf ("%s: not a regular file", path);
  else if ((kept = read_kept (path, &error)) == NULL)
    why = g_strdup (error->message);
  else
    why = retry (outbox, name, kept, hostport, now, max_age, counts);
  if (why)
    {
      give_up (outbox, outbox->dir, name, LOG_ERR, why);
      counts->given_up++;
    }
}

/* Order of names in a GPtrArray. */
static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The entries of DIR but tmp/ and failed/, sorted (oldest first). */
static GPtrArray *
kept_names (CmOutbox *outbox, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (outbox->dir, 0, error);
  if (dir == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)))
    if (strcmp (name, "tmp") != 0 && strcmp (name, "failed") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

CmOutboxCounts
cm_outbox_flush (CmOutbox *outbox, const char *hostport, gint64 now, gint64 max_age)
{
  CmOutboxCounts counts = { 0, 0, 0 };
  g_autoptr (GError) error = NULL;
  g_mutex_lock (&outbox->flush_lock);
  g_autoptr (GPtrArray) names = kept_names (outbox, &error);
  if (names == NULL)
    cm_log (LOG_ERR, "outbox: nothing retried: %s", error->message);
  for (guint i = 0; names && i < names->len; i++)
    flush_one (outbox, names->pdata[i], hostport, now, max_age, &counts);
  g_mutex_unlock (&outbox->flush_lock);
  return counts;
}

guint
cm_outbox_length (CmOutbox *outbox)
{
  g_autoptr (GPtrArray) names = kept_names (outbox, NULL);
  guint length = 0;
  for (guint i = 0; names && i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (outbox->dir, names->pdata[i], NULL);
      GStatBuf st;
      length += g_lstat (path, &st) == 0 && S_ISREG (st.st_mode);
    }
  return length;
}

/*
 * holdrecover.c: the hold spool put right at the daemon's start
 * (holdrecover.h).  Run by the daemon when it opens the spool, not by
 * council-review, which keeps nothing and so leaves nothing behind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>

#include "holdrecover.h"
#include "log.h"
#include "policy.h"

#define LEFTOVER_AGE 60   /* seconds: older files were left by a dead process */

/* Is PATH a regular file last written more than LEFTOVER_AGE before NOW? */
static gboolean
left_over (const char *path, gint64 now)
{
  GStatBuf st;
  return g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && now - st.st_mtime > LEFTOVER_AGE;
}

/* Remove what a dead process left in DIR (tmp/): messages the MTA was
 * never told were kept, so it sends them again. */
static void
sweep_tmp (const char *dir, gint64 now, CmHoldRecovery *counts)
{
  g_autoptr (GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;
  while (entries && (name = g_dir_read_name (entries)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!left_over (path, now))
        continue;
      if (g_unlink (path) == 0)
        counts->swept++;
      else
        {
          cm_log (LOG_ERR, "hold spool: cannot remove %s, left by an earlier run: %s", path,
                  g_strerror (errno));
          counts->failed++;
        }
    }
}

/* Add the mailboxes of LIST (groups opened) to OUT. */
static void
add_addresses (GPtrArray *out, InternetAddressList *list)
{
  for (int i = 0; list && i < internet_address_list_length (list); i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);
      if (INTERNET_ADDRESS_IS_GROUP (address))
        add_addresses (out, internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address)));
      else
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
          /* The index keeps one address a line: none empty or broken. */
          if (addr && *addr && !strpbrk (addr, "\r\n"))
            g_ptr_array_add (out, g_strdup (addr));
        }
    }
}

/* The time in hold id ID ("YYYYMMDD-HHMMSS-..."), or FALLBACK. */
static gint64
held_at_of (const char *id, gint64 fallback)
{
  int y, mo, d, h, mi, s;
  if (sscanf (id, "%4d%2d%2d-%2d%2d%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return fallback;
  g_autoptr (GDateTime) when = g_date_time_new_utc (y, mo, d, h, mi, s);
  return when ? g_date_time_to_unix (when) : fallback;
}

/* A record for the message PATH, hold ID, read from its header: the
 * sender from From, the recipients from To, Cc and Bcc, the subject. */
static CmHold *
record_from_header (const char *path, const char *id, gint64 now)
{
  CmHold *record = g_new0 (CmHold, 1);
  record->held_at = held_at_of (id, now);
  record->rules = g_new0 (char *, 1);
  g_autoptr (GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr (GMimeStream) stream = g_mime_stream_fs_open (path, O_RDONLY, 0, NULL);
  g_autoptr (GMimeParser) parser = stream ? g_mime_parser_new_with_stream (stream) : NULL;
  g_autoptr (GMimeMessage) message = parser ? g_mime_parser_construct_message (parser, NULL) : NULL;
  if (message)
    {
      g_autoptr (GPtrArray) from = g_ptr_array_new_with_free_func (g_free);
      add_addresses (from, g_mime_message_get_from (message));
      record->sender = from->len > 0 ? g_strdup (from->pdata[0]) : NULL;
      add_addresses (recipients, g_mime_message_get_to (message));
      add_addresses (recipients, g_mime_message_get_cc (message));
      add_addresses (recipients, g_mime_message_get_bcc (message));
      const char *subject = g_mime_message_get_subject (message);
      record->subject = subject ? g_strdup (subject) : NULL;
    }
  if (record->sender == NULL)
    record->sender = g_strdup ("");
  g_ptr_array_add (recipients, NULL);
  record->recipients = (char **) g_ptr_array_free (g_steal_pointer (&recipients), FALSE);
  return record;
}

/* Index held/NAME, found without a record. */
static void
index_orphan (CmHoldStore *store, const char *path, const char *id, gint64 now, CmHoldRecovery *counts)
{
  g_autoptr (CmHold) record = record_from_header (path, id, now);
  const char *why = "indexed at start-up: the daemon stopped after keeping the message and before "
                    "recording it; its envelope is read from its header (From; To, Cc, Bcc) and its "
                    "rules are unknown: check it before deciding";
  g_autoptr (GError) error = NULL;
  g_autoptr (CmHold) hold = cm_holdstore_adopt (store, id, record, why, &error);
  if (hold == NULL)
    {
      cm_log (LOG_ERR, "hold spool: %s has no record and cannot be indexed (it stays, unlisted): %s",
              path, error->message);
      counts->failed++;
      return;
    }
  cm_log (LOG_ERR, "hold spool: %s had no record (the daemon stopped while keeping it): indexed as "
          "held, from <%s> to %u recipient(s) read from its header, rules unknown; see "
          "council-review show %s", path, hold->sender, g_strv_length (hold->recipients), id);
  counts->indexed++;
}

/* Index the messages in DIR (held/) that have no record. */
static void
index_orphans (CmHoldStore *store, const char *dir, gint64 now, CmHoldRecovery *counts)
{
  g_autoptr (GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;
  while (entries && (name = g_dir_read_name (entries)))
    {
      if (!g_str_has_suffix (name, ".eml"))
        continue;
      g_autofree char *id = g_strndup (name, strlen (name) - 4);
      g_autofree char *path = cm_holdstore_message_path (store, id);
      if (path == NULL || !left_over (path, now))
        continue;
      g_autoptr (GError) error = NULL;
      g_autoptr (CmHold) hold = cm_holdstore_get (store, id, &error);
      if (hold == NULL && g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND))
        index_orphan (store, path, id, now, counts);
      else if (hold == NULL)
        {
          cm_log (LOG_ERR, "hold spool: cannot tell whether %s has a record: %s", path, error->message);
          counts->failed++;
        }
    }
}

CmHoldRecovery
cm_holdrecover_run (CmHoldStore *store, const char *spool, gint64 now)
{
  CmHoldRecovery counts = { 0, 0, 0 };
  g_autofree char *absolute = g_canonicalize_filename (spool, NULL);
  g_autofree char *tmp = g_build_filename (absolute, "tmp", NULL);
  g_autofree char *held = g_build_filename (absolute, "held", NULL);
  sweep_tmp (tmp, now, &counts);
  index_orphans (store, held, now, &counts);
  if (counts.swept + counts.indexed + counts.failed > 0)
    cm_log (counts.indexed + counts.failed > 0 ? LOG_ERR : LOG_WARNING,
            "hold spool %s: recovered what an earlier run left: %u unfinished file(s) removed from "
            "tmp/, %u held message(s) without a record indexed, %u left as they were (see above)",
            absolute, counts.swept, counts.indexed, counts.failed);
  return counts;
}

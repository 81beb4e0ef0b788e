/*
 * journal.c: the crash journal (journal.h).
 *
 *   SPOOL/journal/inflight/FINGERPRINT.SERIAL   a message being judged
 *   SPOOL/journal/poison/FINGERPRINT            a message that killed the daemon
 *
 * Both are small GLib key files ([message] queue-id, sender, message-id,
 * boot, and since= in a poison file), private to the daemon's user.
 * boot is the kernel's boot id (Linux): an entry from an earlier boot
 * was in flight when the host itself went down (a power cut, a reboot),
 * which proves nothing against the message, so it is not poison.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "durable.h"
#include "journal.h"
#include "log.h"

#define GROUP "message"
#define BOOT_ID "/proc/sys/kernel/random/boot_id"

struct CmJournal {
  char *inflight;       /* SPOOL/journal/inflight */
  char *poison_dir;     /* SPOOL/journal/poison */
  char *boot;           /* this boot's id, or NULL where the kernel has none */
  GHashTable *poison;   /* fingerprint -> CmPoison; read-only after open */
  gint serial;          /* atomic: tells apart two copies in flight */
  gint retired;         /* atomic: set by cm_journal_retire */
};

static void
poison_free (CmPoison *p)
{
  g_free (p->fingerprint);
  g_free (p->queue_id);
  g_free (p->sender);
  g_free (p->message_id);
  g_free (p);
}

/* A fingerprint is 64 lower-case hexadecimal digits, nothing else. */
static gboolean
valid_fingerprint (const char *text, gsize length)
{
  if (length != 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return TRUE;
}

/* Write the key file DATA to the new file PATH, synced, with its directory DIR. */
static gboolean
write_entry (const char *dir, const char *path, GKeyFile *data, GError **error)
{
  gsize length = 0;
  g_autofree char *text = g_key_file_to_data (data, &length, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "creating %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  gboolean ok = cm_durable_write_all (fd, text, length, path, error);
  ok = cm_durable_finish (fd, path, ok, error);
  return ok && cm_durable_sync_dir (dir, error);
}

/* The poison file PATH of FINGERPRINT, or NULL when unreadable. */
static CmPoison *
read_poison (const char *path, const char *fingerprint)
{
  g_autoptr (GKeyFile) data = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  if (!g_key_file_load_from_file (data, path, G_KEY_FILE_NONE, &error))
    {
      cm_log (LOG_WARNING, "journal: %s: %s", path, error->message);
      return NULL;
    }
  CmPoison *p = g_new0 (CmPoison, 1);
  p->fingerprint = g_strdup (fingerprint);
  p->queue_id = g_key_file_get_string (data, GROUP, "queue-id", NULL);
  p->sender = g_key_file_get_string (data, GROUP, "sender", NULL);
  p->message_id = g_key_file_get_string (data, GROUP, "message-id", NULL);
  p->since = g_key_file_get_int64 (data, GROUP, "since", NULL);
  if (p->queue_id == NULL)
    p->queue_id = g_strdup ("unknown");
  if (p->sender == NULL)
    p->sender = g_strdup ("");
  return p;
}

/* An in-flight entry NAME that a dead daemon left: make it poison at NOW.
 * Its contents may be missing (the daemon died writing it): the name,
 * the fingerprint, is what counts. */
static void
condemn (CmJournal *journal, const char *name, gint64 now, gint64 hold)
{
  g_autofree char *path = g_build_filename (journal->inflight, name, NULL);
  const char *dot = strchr (name, '.');
  gsize length = dot ? (gsize) (dot - name) : strlen (name);
  if (!valid_fingerprint (name, length))
    {
      cm_log (LOG_WARNING, "journal: removed %s, not an entry of the journal", path);
      g_unlink (path);
      return;
    }
  g_autofree char *fingerprint = g_strndup (name, length);
  g_autoptr (GKeyFile) data = g_key_file_new ();
  g_key_file_load_from_file (data, path, G_KEY_FILE_NONE, NULL);
  g_key_file_set_int64 (data, GROUP, "since", now);
  g_autofree char *queue_id = g_key_file_get_string (data, GROUP, "queue-id", NULL);
  g_autofree char *sender = g_key_file_get_string (data, GROUP, "sender", NULL);
  g_autofree char *boot = g_key_file_get_string (data, GROUP, "boot", NULL);
  if (boot && journal->boot && strcmp (boot, journal->boot) != 0)
    {
      cm_log (LOG_NOTICE, "journal: queue id %s from <%s> (fingerprint %s) was being judged when the host "
              "went down: not poison", queue_id ? queue_id : "unknown", sender ? sender : "", fingerprint);
      g_unlink (path);
      return;
    }
  g_autofree char *target = g_build_filename (journal->poison_dir, fingerprint, NULL);
  g_autoptr (GError) error = NULL;
  if (!write_entry (journal->poison_dir, target, data, &error))
    {
      /* Kept where it is: the next start tries again. */
      cm_log (LOG_ERR, "journal: cannot record a poison message: %s", error->message);
      return;
    }
  g_unlink (path);
  cm_log (LOG_ERR, "journal: the daemon died judging queue id %s from <%s> (fingerprint %s): "
          "that message is poison and will not be judged again for %" G_GINT64_FORMAT " hours; it gets "
          "[milter] on-error", queue_id ? queue_id : "unknown", sender ? sender : "", fingerprint, hold / 3600);
}

/* Read (or age out) the poison entries at NOW. */
static void
load_poison (CmJournal *journal, gint64 now, gint64 hold, GDir *dir)
{
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (journal->poison_dir, name, NULL);
      if (!valid_fingerprint (name, strlen (name)))
        continue;
      CmPoison *p = read_poison (path, name);
      if (p == NULL)
        continue;
      if (p->since + hold <= now)
        {
          cm_log (LOG_NOTICE, "journal: poison entry %s (queue id %s) aged out: that message is judged "
                  "again", name, p->queue_id);
          g_unlink (path);
          poison_free (p);
          continue;
        }
      g_hash_table_replace (journal->poison, p->fingerprint, p);
    }
}

CmJournal *
cm_journal_open (const char *spool, gint64 now, gint64 hold, GError **error)
{
  g_autofree char *top = g_build_filename (spool, "journal", NULL);
  g_autoptr (CmJournal) journal = g_new0 (CmJournal, 1);
  journal->inflight = g_build_filename (top, "inflight", NULL);
  journal->poison_dir = g_build_filename (top, "poison", NULL);
  journal->poison = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) poison_free);
  if (g_file_get_contents (BOOT_ID, &journal->boot, NULL, NULL))
    g_strstrip (journal->boot);
  if (!cm_durable_private_dir (top, error) || !cm_durable_private_dir (journal->inflight, error)
      || !cm_durable_private_dir (journal->poison_dir, error))
    return NULL;

  g_autoptr (GDir) inflight = g_dir_open (journal->inflight, 0, error);
  if (inflight == NULL)
    return NULL;
  const char *name;
  while ((name = g_dir_read_name (inflight)) != NULL)
    condemn (journal, name, now, hold);

  g_autoptr (GDir) poison = g_dir_open (journal->poison_dir, 0, error);
  if (poison == NULL)
    return NULL;
  load_poison (journal, now, hold, poison);
  return g_steal_pointer (&journal);
}

char *
cm_journal_begin (CmJournal *journal, const char *fingerprint, const char *queue_id, const char *sender,
                  const char *message_id, GError **error)
{
  if (g_atomic_int_get (&journal->retired))
    return NULL;
  g_autoptr (GKeyFile) data = g_key_file_new ();
  g_key_file_set_string (data, GROUP, "queue-id", queue_id);
  g_key_file_set_string (data, GROUP, "sender", sender);
  if (message_id)
    g_key_file_set_string (data, GROUP, "message-id", message_id);
  if (journal->boot)
    g_key_file_set_string (data, GROUP, "boot", journal->boot);
  g_autofree char *name = g_strdup_printf ("%s.%d", fingerprint, g_atomic_int_add (&journal->serial, 1));
  g_autofree char *path = g_build_filename (journal->inflight, name, NULL);
  if (!write_entry (journal->inflight, path, data, error) || g_atomic_int_get (&journal->retired))
    {
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

void
cm_journal_end (CmJournal *journal, char *entry)
{
  /* Not synced: should the removal be lost, the host itself went down. */
  if (entry && g_unlink (entry) != 0 && errno != ENOENT)
    cm_log (LOG_WARNING, "journal: removing %s: %s", entry, g_strerror (errno));
  g_free (entry);
}

const CmPoison *
cm_journal_poison (CmJournal *journal, const char *fingerprint, gint64 now, gint64 hold)
{
  const CmPoison *p = g_hash_table_lookup (journal->poison, fingerprint);
  return p && p->since + hold > now ? p : NULL;
}

void
cm_journal_retire (CmJournal *journal)
{
  if (journal == NULL || !g_atomic_int_compare_and_exchange (&journal->retired, 0, 1))
    return;
  g_autoptr (GDir) dir = g_dir_open (journal->inflight, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (journal->inflight, name, NULL);
      g_unlink (path);
    }
}

void
cm_journal_close (CmJournal *journal)
{
  if (journal == NULL)
    return;
  g_hash_table_destroy (journal->poison);
  g_free (journal->inflight);
  g_free (journal->poison_dir);
  g_free (journal->boot);
  g_free (journal);
}

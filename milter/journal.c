/*
 * journal.c: the crash journal (journal.h).
 *
 *   SPOOL/journal/inflight/FINGERPRINT.SERIAL   a message being judged
 *   SPOOL/journal/suspect/FINGERPRINT           in flight at one death
 *   SPOOL/journal/poison/FINGERPRINT            in flight at two deaths
 *
 * All are small GLib key files ([message] queue-id, sender, message-id,
 * boot, daemon; and since=, deaths= in a suspect or poison file, with
 * first-queue-id= in a poison file), private to the daemon's user.
 * boot is the kernel's boot id (Linux): an entry from an earlier boot
 * was in flight when the host itself went down (a power cut, a reboot),
 * which proves nothing against the message, so it counts for nothing.
 * daemon is a random id of the daemon that wrote the entry: two entries
 * of one daemon are one death, so neither two copies of a message in
 * flight at once nor a start-up that died half way through counts twice.
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

/* A suspect or poison entry, and the daemon whose death made it. */
typedef struct {
  CmCrashRecord record;
  char *daemon;
} Record;

struct CmJournalEntry {
  char *path;       /* the note in inflight/, or NULL when none was written */
  gboolean alone;   /* a suspect: judged with nothing else */
};

struct CmJournal {
  char *inflight;       /* SPOOL/journal/inflight */
  char *suspect_dir;    /* SPOOL/journal/suspect */
  char *poison_dir;     /* SPOOL/journal/poison */
  char *boot;           /* this boot's id, or NULL where the kernel has none */
  char *daemon;         /* this daemon's id */
  GHashTable *suspects; /* fingerprint -> Record; read-only after open */
  GHashTable *poison;   /* fingerprint -> Record; read-only after open */
  gint serial;          /* atomic: tells apart two copies in flight */
  gint retired;         /* atomic: set by cm_journal_retire */
  /* Who is judged: many messages, or one suspect alone.  A waiting
   * suspect goes first, so a steady flow of mail cannot starve it. */
  GMutex gate;
  GCond turn;
  int judged;           /* messages being judged (not suspects) */
  int waiting;          /* suspects waiting to be judged */
  gboolean alone;       /* a suspect is being judged */
};

static void
record_free (Record *r)
{
  g_free (r->record.fingerprint);
  g_free (r->record.queue_id);
  g_free (r->record.first_queue_id);
  g_free (r->record.sender);
  g_free (r->record.message_id);
  g_free (r->daemon);
  g_free (r);
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

/* TIME (Unix) as ISO 8601 in UTC. */
static char *
format_time (gint64 time)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (time);
  return t ? g_date_time_format_iso8601 (t) : g_strdup_printf ("%" G_GINT64_FORMAT, time);
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

/* The record of FINGERPRINT that the key file DATA holds. */
static Record *
record_from (GKeyFile *data, const char *fingerprint)
{
  Record *r = g_new0 (Record, 1);
  r->record.fingerprint = g_strdup (fingerprint);
  r->record.deaths = (int) CLAMP (g_key_file_get_int64 (data, GROUP, "deaths", NULL), 1, G_MAXINT);
  r->record.queue_id = g_key_file_get_string (data, GROUP, "queue-id", NULL);
  r->record.first_queue_id = g_key_file_get_string (data, GROUP, "first-queue-id", NULL);
  r->record.sender = g_key_file_get_string (data, GROUP, "sender", NULL);
  r->record.message_id = g_key_file_get_string (data, GROUP, "message-id", NULL);
  r->record.since = g_key_file_get_int64 (data, GROUP, "since", NULL);
  r->daemon = g_key_file_get_string (data, GROUP, "daemon", NULL);
  if (r->record.queue_id == NULL)
    r->record.queue_id = g_strdup ("unknown");
  if (r->record.sender == NULL)
    r->record.sender = g_strdup ("");
  return r;
}

/* Read the entries of DIR (suspect/ or poison/, told by WHAT) into
 * TABLE at NOW, removing those older than HOLD. */
static gboolean
load_records (const char *dir, GHashTable *table, gint64 now, gint64 hold, const char *what, GError **error)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, error);
  if (listing == NULL)
    return FALSE;
  const char *name;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      if (!valid_fingerprint (name, strlen (name)))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GKeyFile) data = g_key_file_new ();
      g_autoptr (GError) failure = NULL;
      if (!g_key_file_load_from_file (data, path, G_KEY_FILE_NONE, &failure))
        {
          cm_log (LOG_WARNING, "journal: %s: %s", path, failure->message);
          continue;
        }
      Record *r = record_from (data, name);
      if (r->record.since + hold <= now)
        {
          cm_log (LOG_NOTICE, "journal: %s message %s (queue id %s) aged out: it is judged as any other",
                  what, name, r->record.queue_id);
          g_unlink (path);
          record_free (r);
          continue;
        }
      g_hash_table_replace (table, r->record.fingerprint, r);
    }
  return TRUE;
}

/* The "(first time)" of a log line, for DEATHS. */
static char *
deaths_text (int deaths)
{
  return deaths == 1 ? g_strdup ("first time") : deaths == 2 ? g_strdup ("second time")
                                                              : g_strdup_printf ("%d times", deaths);
}

/* An in-flight entry NAME that a dead daemon left, found at NOW: a
 * suspect, or poison if one already; STRUCK holds the fingerprints
 * counted at this start-up.  Its contents may be missing (the daemon
 * died writing it): the name, the fingerprint, is what counts. */
static void
strike (CmJournal *journal, const char *name, gint64 now, gint64 hold, const char *on_error, GHashTable *struck)
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
  g_autofree char *queue_id = g_key_file_get_string (data, GROUP, "queue-id", NULL);
  g_autofree char *sender = g_key_file_get_string (data, GROUP, "sender", NULL);
  g_autofree char *boot = g_key_file_get_string (data, GROUP, "boot", NULL);
  g_autofree char *daemon = g_key_file_get_string (data, GROUP, "daemon", NULL);
  g_autofree char *who = g_strdup_printf ("message %s (queue id %s from <%s>)", fingerprint,
                                          queue_id ? queue_id : "unknown", sender ? sender : "");
  if (boot && journal->boot && strcmp (boot, journal->boot) != 0)
    {
      cm_log (LOG_NOTICE, "journal: %s was in flight when the host went down (an earlier boot), not the "
              "daemon: neither suspect nor poison", who);
      g_unlink (path);
      return;
    }
  const Record *poison = g_hash_table_lookup (journal->poison, fingerprint);
  const Record *suspect = g_hash_table_lookup (journal->suspects, fingerprint);
  const Record *prior = poison ? poison : suspect;
  /* Another copy in flight at the same death, or a start-up that died
   * after counting this death: counted once. */
  if (g_hash_table_contains (struck, fingerprint)
      || (prior && daemon && prior->daemon && strcmp (prior->daemon, daemon) == 0))
    {
      g_unlink (path);
      return;
    }

  int deaths = prior ? prior->record.deaths + 1 : 1;
  g_key_file_set_int64 (data, GROUP, "since", now);
  g_key_file_set_int64 (data, GROUP, "deaths", deaths);
  if (prior)
    g_key_file_set_string (data, GROUP, "first-queue-id", prior->record.first_queue_id
                                                           ? prior->record.first_queue_id
                                                           : prior->record.queue_id);
  const char *dir = prior ? journal->poison_dir : journal->suspect_dir;
  g_autofree char *target = g_build_filename (dir, fingerprint, NULL);
  g_autoptr (GError) error = NULL;
  if (!write_entry (dir, target, data, &error))
    {
      /* Kept where it is: the next start tries again. */
      cm_log (LOG_ERR, "journal: cannot record a message in flight when the daemon died: %s", error->message);
      return;
    }
  Record *r = record_from (data, fingerprint);
  g_hash_table_add (struck, g_strdup (fingerprint));
  g_autofree char *until = format_time (now + hold);
  g_autofree char *count = deaths_text (deaths);
  if (prior)
    {
      if (suspect)
        {
          g_autofree char *old = g_build_filename (journal->suspect_dir, fingerprint, NULL);
          g_unlink (old);
          g_hash_table_remove (journal->suspects, fingerprint);
        }
      g_hash_table_replace (journal->poison, r->record.fingerprint, r);
      cm_log (LOG_ERR, "journal: %s was in flight when the daemon died (%s; first as queue id %s): poison "
              "until %s, on-error %s applies", who, count, r->record.first_queue_id, until, on_error);
    }
  else
    {
      g_hash_table_replace (journal->suspects, r->record.fingerprint, r);
      cm_log (LOG_WARNING, "journal: %s was in flight when the daemon died (%s): suspect until %s; it is "
              "judged again, alone, and is poison if the daemon dies with it in flight again", who, count,
              until);
    }
  g_unlink (path);
}

CmJournal *
cm_journal_open (const char *spool, gint64 now, gint64 hold, const char *on_error, GError **error)
{
  g_autofree char *top = g_build_filename (spool, "journal", NULL);
  g_autoptr (CmJournal) journal = g_new0 (CmJournal, 1);
  g_mutex_init (&journal->gate);
  g_cond_init (&journal->turn);
  journal->inflight = g_build_filename (top, "inflight", NULL);
  journal->suspect_dir = g_build_filename (top, "suspect", NULL);
  journal->poison_dir = g_build_filename (top, "poison", NULL);
  journal->daemon = g_uuid_string_random ();
  journal->suspects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) record_free);
  journal->poison = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) record_free);
  if (g_file_get_contents (BOOT_ID, &journal->boot, NULL, NULL))
    g_strstrip (journal->boot);
  if (!cm_durable_private_dir (top, error) || !cm_durable_private_dir (journal->inflight, error)
      || !cm_durable_private_dir (journal->suspect_dir, error)
      || !cm_durable_private_dir (journal->poison_dir, error))
    return NULL;

  /* What has aged out counts for nothing, then the deaths are counted. */
  if (!load_records (journal->suspect_dir, journal->suspects, now, hold, "suspect", error)
      || !load_records (journal->poison_dir, journal->poison, now, hold, "poison", error))
    return NULL;
  g_autoptr (GDir) inflight = g_dir_open (journal->inflight, 0, error);
  if (inflight == NULL)
    return NULL;
  g_autoptr (GHashTable) struck = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;
  while ((name = g_dir_read_name (inflight)) != NULL)
    strike (journal, name, now, hold, on_error, struck);
  return g_steal_pointer (&journal);
}

CmJournalEntry *
cm_journal_begin (CmJournal *journal, const char *fingerprint, const char *queue_id, const char *sender,
                  const char *message_id, GError **error)
{
  CmJournalEntry *entry = g_new0 (CmJournalEntry, 1);
  const Record *suspect = g_hash_table_lookup (journal->suspects, fingerprint);
  entry->alone = suspect != NULL;
  g_mutex_lock (&journal->gate);
  if (entry->alone)
    {
      journal->waiting++;
      while (journal->judged > 0 || journal->alone)
        g_cond_wait (&journal->turn, &journal->gate);
      journal->waiting--;
      journal->alone = TRUE;
    }
  else
    {
      while (journal->alone || journal->waiting > 0)
        g_cond_wait (&journal->turn, &journal->gate);
      journal->judged++;
    }
  g_mutex_unlock (&journal->gate);
  if (suspect)
    {
      g_autofree char *since = format_time (suspect->record.since);
      cm_log (LOG_NOTICE, "%s: message %s was in flight when the daemon died (found %s, as queue id %s): "
              "suspect, judged alone", queue_id, fingerprint, since, suspect->record.queue_id);
    }

  if (g_atomic_int_get (&journal->retired))
    return entry;
  g_autoptr (GKeyFile) data = g_key_file_new ();
  g_key_file_set_string (data, GROUP, "queue-id", queue_id);
  g_key_file_set_string (data, GROUP, "sender", sender);
  if (message_id)
    g_key_file_set_string (data, GROUP, "message-id", message_id);
  if (journal->boot)
    g_key_file_set_string (data, GROUP, "boot", journal->boot);
  g_key_file_set_string (data, GROUP, "daemon", journal->daemon);
  g_autofree char *name = g_strdup_printf ("%s.%d", fingerprint, g_atomic_int_add (&journal->serial, 1));
  g_autofree char *path = g_build_filename (journal->inflight, name, NULL);
  if (!write_entry (journal->inflight, path, data, error) || g_atomic_int_get (&journal->retired))
    g_unlink (path);
  else
    entry->path = g_steal_pointer (&path);
  return entry;
}

void
cm_journal_end (CmJournal *journal, CmJournalEntry *entry)
{
  if (entry == NULL)
    return;
  /* Not synced: should the removal be lost, the host itself went down. */
  if (entry->path && g_unlink (entry->path) != 0 && errno != ENOENT)
    cm_log (LOG_WARNING, "journal: removing %s: %s", entry->path, g_strerror (errno));
  g_mutex_lock (&journal->gate);
  if (entry->alone)
    journal->alone = FALSE;
  else
    journal->judged--;
  g_cond_broadcast (&journal->turn);
  g_mutex_unlock (&journal->gate);
  g_free (entry->path);
  g_free (entry);
}

const CmCrashRecord *
cm_journal_poison (CmJournal *journal, const char *fingerprint, gint64 now, gint64 hold)
{
  const Record *r = g_hash_table_lookup (journal->poison, fingerprint);
  return r && r->record.since + hold > now ? &r->record : NULL;
}

const CmCrashRecord *
cm_journal_suspect (CmJournal *journal, const char *fingerprint)
{
  const Record *r = g_hash_table_lookup (journal->suspects, fingerprint);
  return r ? &r->record : NULL;
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
  g_hash_table_destroy (journal->suspects);
  g_hash_table_destroy (journal->poison);
  g_mutex_clear (&journal->gate);
  g_cond_clear (&journal->turn);
  g_free (journal->inflight);
  g_free (journal->suspect_dir);
  g_free (journal->poison_dir);
  g_free (journal->boot);
  g_free (journal->daemon);
  g_free (journal);
}

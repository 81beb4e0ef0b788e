/*
 * journal.h: the crash journal, so that no message can put the daemon in
 * a crash loop.  Before a message is judged its fingerprint (msgctx.h)
 * is noted in SPOOL/journal/inflight/, one small file per message in
 * flight, written and synced; the file is removed once judged.  Files
 * left there at start-up are the messages in flight when the daemon
 * died: one of them killed it, or none did (the daemon died elsewhere),
 * which one is not known.  So two strikes:
 *
 *   - in flight at one death: a suspect (SPOOL/journal/suspect/FINGERPRINT).
 *     It is judged again, alone: no other message is judged while it is
 *     (a lock), so an innocent suspect is never in flight at the death
 *     the guilty one causes on its retry, even when the MTA retries both
 *     at once;
 *   - in flight at a second death while a suspect: poison
 *     (SPOOL/journal/poison/FINGERPRINT), and a message with that
 *     fingerprint is not judged: it gets [milter] on-error.
 *
 * Suspects and poison are kept HOLD seconds ([milter] crash-hold-hours)
 * from the death that made them, then removed at the next start.  An
 * entry from an earlier boot (the host went down, not the daemon) is
 * neither.  A message that merely failed (a GError) leaves no entry.
 *
 * One file per message rather than one append-only file: creating and
 * removing a file of its own is atomic in the file system, so worker
 * threads need no lock for it and nothing is ever compacted or
 * rewritten; the cost is one file write, two fsyncs and one unlink per
 * message.  The suspects and poison are read once at start-up and never
 * changed, so looking a fingerprint up needs no lock either.  A spool
 * serves one daemon.  Errors are G_FILE_ERROR, naming the path.
 */
#ifndef CM_JOURNAL_H
#define CM_JOURNAL_H

#include <glib.h>

typedef struct CmJournal CmJournal;
typedef struct CmJournalEntry CmJournalEntry;

/* A message in flight when the daemon died, as the journal recorded it:
 * a suspect (deaths 1) or poison (deaths 2). */
typedef struct {
  char *fingerprint;    /* 64 hexadecimal digits */
  int deaths;           /* 1: suspect; 2: poison */
  char *queue_id;       /* its queue id at its last death ("unknown" if torn) */
  char *first_queue_id; /* poison: its queue id at its first death; else NULL */
  char *sender;         /* its envelope sender */
  char *message_id;     /* its Message-ID, or NULL */
  gint64 since;         /* the start-up that found its last death (Unix time) */
} CmCrashRecord;

/* Open (creating what is missing) the journal of SPOOL at time NOW, with
 * suspects and poison kept HOLD seconds: the entries a dead daemon left
 * become suspects (LOG_WARNING) or, when suspects already, poison
 * (LOG_ERR, naming ON_ERROR, the answer they get); those older than HOLD
 * are removed first. */
CmJournal *cm_journal_open (const char *spool, gint64 now, gint64 hold, const char *on_error, GError **error);
/* The message FINGERPRINT (queue id QUEUE_ID, from SENDER, Message-ID
 * MESSAGE_ID or NULL) is about to be judged: wait until it may be (a
 * suspect waits until nothing else is judged, and the others until no
 * suspect is), then note it.  Returns the entry to give to
 * cm_journal_end, always; on a failure to note it, ERROR is set, and the
 * message is judged all the same, unprotected. */
CmJournalEntry *cm_journal_begin (CmJournal *journal, const char *fingerprint, const char *queue_id,
                                  const char *sender, const char *message_id, GError **error);
/* The message of ENTRY (freed here) was judged, or failed without
 * killing the daemon. */
void cm_journal_end (CmJournal *journal, CmJournalEntry *entry);
/* The poison entry of FINGERPRINT in force at NOW, when poison is kept
 * HOLD seconds, or NULL. */
const CmCrashRecord *cm_journal_poison (CmJournal *journal, const char *fingerprint, gint64 now, gint64 hold);
/* The suspect entry of FINGERPRINT found at start-up, or NULL. */
const CmCrashRecord *cm_journal_suspect (CmJournal *journal, const char *fingerprint);
/* A clean stop: the messages still being judged did not kill the daemon,
 * so their entries are removed; later begins note nothing. */
void cm_journal_retire (CmJournal *journal);
void cm_journal_close (CmJournal *journal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmJournal, cm_journal_close)

#endif

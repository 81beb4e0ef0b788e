/*
 * journal.h: the crash journal, so that no message can put the daemon in
 * a crash loop.  Before a message is judged its fingerprint (msgctx.h)
 * is noted in SPOOL/journal/inflight/, one small file per message in
 * flight, written and synced; the file is removed once judged.  Files
 * left there at start-up are the messages the daemon died judging: each
 * becomes a poison entry (SPOOL/journal/poison/FINGERPRINT), kept for
 * HOLD seconds ([milter] crash-hold-hours), and a message with that
 * fingerprint is not judged again: it gets [milter] on-error.  A message that merely failed
 * (a GError) leaves no entry behind and is never poison.
 *
 * One file per message rather than one append-only file: creating and
 * removing a file of its own is atomic in the file system, so worker
 * threads need no lock and nothing is ever compacted or rewritten; the
 * cost is one file write, two fsyncs and one unlink per message.  The
 * poison set is read once at start-up and never changed, so looking a
 * fingerprint up needs no lock either.  A spool serves one daemon.
 * Errors are G_FILE_ERROR, naming the path.
 */
#ifndef CM_JOURNAL_H
#define CM_JOURNAL_H

#include <glib.h>

typedef struct CmJournal CmJournal;

/* A message the daemon died judging, as its journal entry recorded it. */
typedef struct {
  char *fingerprint;  /* 64 hexadecimal digits */
  char *queue_id;     /* the queue id it had when it killed the daemon */
  char *sender;       /* its envelope sender */
  char *message_id;   /* its Message-ID, or NULL */
  gint64 since;       /* when the daemon found it at start-up (Unix time) */
} CmPoison;

/* Open (creating what is missing) the journal of SPOOL at time NOW: the
 * entries a dead daemon left become poison, logged with LOG_ERR, and
 * poison older than HOLD seconds is removed. */
CmJournal *cm_journal_open (const char *spool, gint64 now, gint64 hold, GError **error);
/* Note that the message FINGERPRINT (queue id QUEUE_ID, from SENDER,
 * Message-ID MESSAGE_ID or NULL) is about to be judged.  Returns the
 * entry to give to cm_journal_end, or NULL with ERROR (the message can
 * still be judged: it is then not protected). */
char *cm_journal_begin (CmJournal *journal, const char *fingerprint, const char *queue_id, const char *sender,
                        const char *message_id, GError **error);
/* The message of ENTRY (from cm_journal_begin, freed here) was judged,
 * or failed without killing the daemon. */
void cm_journal_end (CmJournal *journal, char *entry);
/* The poison entry of FINGERPRINT in force at NOW, when poison is kept
 * HOLD seconds, or NULL. */
const CmPoison *cm_journal_poison (CmJournal *journal, const char *fingerprint, gint64 now, gint64 hold);
/* A clean stop: the messages still being judged did not kill the daemon,
 * so their entries are removed; later begins note nothing. */
void cm_journal_retire (CmJournal *journal);
void cm_journal_close (CmJournal *journal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmJournal, cm_journal_close)

#endif

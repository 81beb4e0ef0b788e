/*
 * test_journal.c: the crash journal (milter/journal.h) and the message
 * fingerprint it keeps (cm_msgctx_fingerprint): an entry is written
 * while a message is judged and gone after; two strikes: a message in
 * flight at one death of the daemon is a suspect, judged again (alone,
 * nothing else judged with it), and poison only when in flight at a
 * second death within crash-hold-hours; suspects and poison age out; a
 * clean stop leaves neither, nor does a host that went down (another
 * boot id), nor do two copies at one death count twice; the MTA's retry
 * (a new Received header) keeps the fingerprint, another body, sender
 * or recipient changes it.
 *
 * A death is a child process that opens the journal, begins judging and
 * exits without ending anything, as an abort() would leave it.
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "journal.h"
#include "msgctx.h"
#include "testutil.h"

#define NOW 1780000000
#define HOLD (24 * 3600)
#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define FP_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define RAJ "cllr.raj.patel@northmoor.gov.uk"

static CmJournal *
open_journal (const char *spool, gint64 now)
{
  g_autoptr (GError) error = NULL;
  CmJournal *journal = cm_journal_open (spool, now, HOLD, "tempfail", &error);
  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  return journal;
}

static guint
count_entries (const char *spool, const char *sub)
{
  g_autofree char *path = g_build_filename (spool, "journal", sub, NULL);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;
  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static gboolean
has_entry (const char *spool, const char *sub, const char *fingerprint)
{
  g_autofree char *path = g_build_filename (spool, "journal", sub, fingerprint, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* A daemon starts on SPOOL at NOW, begins judging FINGERPRINTS (NULL
 * ended; queue ids QUEUE_ID.1, .2...) and dies. */
static void
die_judging (const char *spool, gint64 now, const char *queue_id, const char *const *fingerprints)
{
  fflush (stdout);
  fflush (stderr);
  pid_t pid = fork ();
  ck_assert (pid >= 0);
  if (pid == 0)
    {
      CmJournal *journal = cm_journal_open (spool, now, HOLD, "tempfail", NULL);
      if (journal == NULL)
        _exit (2);
      for (int i = 0; fingerprints[i]; i++)
        {
          g_autofree char *id = i == 0 ? g_strdup (queue_id) : g_strdup_printf ("%s.%d", queue_id, i + 1);
          GError *error = NULL;
          if (cm_journal_begin (journal, fingerprints[i], id, RAJ, "<m@x>", &error) == NULL || error)
            _exit (3);
        }
      _exit (0); /* nothing ended, nothing closed */
    }
  int status = 0;
  ck_assert (waitpid (pid, &status, 0) == pid);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "the dying daemon's status %d", status);
}

START_TEST (test_judged_leaves_nothing)
{
  g_autofree char *spool = test_scratch_dir ();
  CmJournal *journal = open_journal (spool, NOW);
  g_autoptr (GError) error = NULL;
  CmJournalEntry *entry = cm_journal_begin (journal, FP_A, "Q1", RAJ, "<m@x>", &error);
  ck_assert_msg (entry != NULL && error == NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (count_entries (spool, "inflight"), 1);
  /* Two copies of one message in flight at once. */
  CmJournalEntry *second = cm_journal_begin (journal, FP_A, "Q2", RAJ, NULL, &error);
  ck_assert (second != NULL && error == NULL);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 2);
  cm_journal_end (journal, entry);
  cm_journal_end (journal, second);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);
  journal = open_journal (spool, NOW + 10);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 10, HOLD) == NULL);
  ck_assert (cm_journal_suspect (journal, FP_A) == NULL);
  ck_assert_uint_eq (count_entries (spool, "suspect"), 0);
  ck_assert_uint_eq (count_entries (spool, "poison"), 0);
  cm_journal_close (journal);
}
END_TEST

/* In flight at one death: a suspect, not poison; its retry is judged
 * (and noted, as any message); so is the innocent one in flight beside it. */
START_TEST (test_one_death_is_suspect)
{
  g_autofree char *spool = test_scratch_dir ();
  CmJournal *journal = open_journal (spool, NOW);
  CmJournalEntry *done = cm_journal_begin (journal, FP_C, "4XyZ0", RAJ, NULL, NULL);
  cm_journal_end (journal, done);
  cm_journal_close (journal);
  die_judging (spool, NOW, "4XyZ1", (const char *[]) { FP_A, FP_B, NULL });

  journal = open_journal (spool, NOW + 60);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  ck_assert_uint_eq (count_entries (spool, "suspect"), 2);
  ck_assert_uint_eq (count_entries (spool, "poison"), 0);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 60, HOLD) == NULL);
  ck_assert (cm_journal_poison (journal, FP_B, NOW + 60, HOLD) == NULL);
  const CmCrashRecord *s = cm_journal_suspect (journal, FP_A);
  ck_assert (s != NULL);
  ck_assert_int_eq (s->deaths, 1);
  ck_assert_str_eq (s->queue_id, "4XyZ1");
  ck_assert_ptr_null (s->first_queue_id);
  ck_assert_str_eq (s->sender, RAJ);
  ck_assert_str_eq (s->message_id, "<m@x>");
  ck_assert_int_eq (s->since, NOW + 60);
  ck_assert (cm_journal_suspect (journal, FP_B) != NULL);
  /* The message judged to its end before the death is neither. */
  ck_assert (cm_journal_suspect (journal, FP_C) == NULL);
  ck_assert (cm_journal_poison (journal, FP_C, NOW + 60, HOLD) == NULL);

  /* The retries are judged, one after the other, and noted while they are. */
  g_autoptr (GError) error = NULL;
  CmJournalEntry *retry = cm_journal_begin (journal, FP_B, "4QqQ2", RAJ, "<m@x>", &error);
  ck_assert (retry != NULL && error == NULL);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 1);
  cm_journal_end (journal, retry);
  retry = cm_journal_begin (journal, FP_A, "4QqQ1", RAJ, "<m@x>", &error);
  ck_assert (retry != NULL && error == NULL);
  cm_journal_end (journal, retry);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);

  /* Kept across a clean start within the window, still not poison. */
  journal = open_journal (spool, NOW + 3600);
  s = cm_journal_suspect (journal, FP_A);
  ck_assert (s != NULL);
  ck_assert_int_eq (s->since, NOW + 60);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 3600, HOLD) == NULL);
  ck_assert_uint_eq (count_entries (spool, "poison"), 0);
  cm_journal_close (journal);
}
END_TEST

/* In flight at a second death within the window: poison, for HOLD from
 * that death; the innocent suspect, judged in between, stays a suspect. */
START_TEST (test_two_deaths_are_poison)
{
  g_autofree char *spool = test_scratch_dir ();
  die_judging (spool, NOW, "CRASH1", (const char *[]) { FP_A, FP_B, NULL });
  CmJournal *journal = open_journal (spool, NOW + 60);
  CmJournalEntry *innocent = cm_journal_begin (journal, FP_B, "RETRYB", RAJ, NULL, NULL);
  cm_journal_end (journal, innocent);
  cm_journal_close (journal);

  /* The guilty one's retry kills the daemon again. */
  die_judging (spool, NOW + 600, "RETRY1", (const char *[]) { FP_A, NULL });
  journal = open_journal (spool, NOW + 660);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  ck_assert (has_entry (spool, "poison", FP_A));
  ck_assert (!has_entry (spool, "suspect", FP_A));
  ck_assert (cm_journal_suspect (journal, FP_A) == NULL);
  const CmCrashRecord *p = cm_journal_poison (journal, FP_A, NOW + 660, HOLD);
  ck_assert (p != NULL);
  ck_assert_int_eq (p->deaths, 2);
  ck_assert_str_eq (p->first_queue_id, "CRASH1");
  ck_assert_str_eq (p->queue_id, "RETRY1");
  ck_assert_str_eq (p->sender, RAJ);
  ck_assert_int_eq (p->since, NOW + 660);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 660 + HOLD - 1, HOLD) != NULL);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 660 + HOLD, HOLD) == NULL);
  /* A shorter crash-hold-hours, after a reload, applies at once. */
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 660 + 3600, 3600) == NULL);
  /* The innocent one was not in flight at the second death. */
  ck_assert (cm_journal_poison (journal, FP_B, NOW + 660, HOLD) == NULL);
  ck_assert (cm_journal_suspect (journal, FP_B) != NULL);
  cm_journal_close (journal);

  /* Poison is kept across another start within the window... */
  journal = open_journal (spool, NOW + 3600);
  p = cm_journal_poison (journal, FP_A, NOW + 3600, HOLD);
  ck_assert (p != NULL);
  ck_assert_int_eq (p->since, NOW + 660);
  cm_journal_close (journal);
  /* ...and removed by the first start after it, with the suspect. */
  journal = open_journal (spool, NOW + 660 + HOLD);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 660 + HOLD, HOLD) == NULL);
  ck_assert (cm_journal_suspect (journal, FP_B) == NULL);
  ck_assert_uint_eq (count_entries (spool, "poison"), 0);
  ck_assert_uint_eq (count_entries (spool, "suspect"), 0);
  cm_journal_close (journal);
}
END_TEST

/* A suspect ages out like poison: a death after that is a first strike. */
START_TEST (test_suspect_expiry)
{
  g_autofree char *spool = test_scratch_dir ();
  die_judging (spool, NOW, "CRASH1", (const char *[]) { FP_A, FP_B, NULL });
  cm_journal_close (open_journal (spool, NOW + 60));
  ck_assert_uint_eq (count_entries (spool, "suspect"), 2);

  /* B: in flight at a second death within the window (its last second). */
  die_judging (spool, NOW + 60 + HOLD - 2, "RETRYB", (const char *[]) { FP_B, NULL });
  CmJournal *journal = open_journal (spool, NOW + 60 + HOLD - 1);
  ck_assert (cm_journal_poison (journal, FP_B, NOW + 60 + HOLD - 1, HOLD) != NULL);
  ck_assert (cm_journal_suspect (journal, FP_A) != NULL);
  cm_journal_close (journal);

  /* A: the window is over; the start that finds that removes it. */
  journal = open_journal (spool, NOW + 60 + HOLD);
  ck_assert (cm_journal_suspect (journal, FP_A) == NULL);
  ck_assert (!has_entry (spool, "suspect", FP_A));
  cm_journal_close (journal);
  /* In flight at a death after that: a suspect again, not poison. */
  die_judging (spool, NOW + 2 * HOLD, "RETRYA", (const char *[]) { FP_A, NULL });
  journal = open_journal (spool, NOW + 2 * HOLD + 1);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 2 * HOLD + 1, HOLD) == NULL);
  const CmCrashRecord *s = cm_journal_suspect (journal, FP_A);
  ck_assert (s != NULL);
  ck_assert_int_eq (s->deaths, 1);
  ck_assert_str_eq (s->queue_id, "RETRYA");
  cm_journal_close (journal);
}
END_TEST

/* One death counts once: two copies in flight at it, or a start-up that
 * died after recording it and before removing its notes. */
START_TEST (test_one_death_counts_once)
{
  g_autofree char *spool = test_scratch_dir ();
  die_judging (spool, NOW, "CRASH1", (const char *[]) { FP_A, FP_A, NULL });
  CmJournal *journal = open_journal (spool, NOW + 1);
  ck_assert (cm_journal_suspect (journal, FP_A) != NULL);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 1, HOLD) == NULL);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);

  /* The suspect entry names the daemon that died; a note of that same
   * daemon found later is that same death. */
  g_autofree char *suspect = g_build_filename (spool, "journal", "suspect", FP_A, NULL);
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (suspect, &text, NULL, NULL));
  const char *daemon = strstr (text, "daemon=");
  ck_assert_msg (daemon != NULL, "%s", text);
  g_autofree char *line = g_strndup (daemon, strcspn (daemon, "\n"));
  g_autofree char *inflight = g_build_filename (spool, "journal", "inflight", NULL);
  g_autofree char *note_text = g_strdup_printf ("[message]\nqueue-id=CRASH1\nsender=" RAJ "\n%s\n", line);
  g_autofree char *note = test_write (inflight, FP_A ".0", note_text);
  journal = open_journal (spool, NOW + 2);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 2, HOLD) == NULL);
  ck_assert (cm_journal_suspect (journal, FP_A) != NULL);
  ck_assert (!g_file_test (note, G_FILE_TEST_EXISTS));
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_clean_stop_is_not_suspect)
{
  g_autofree char *spool = test_scratch_dir ();
  CmJournal *journal = open_journal (spool, NOW);
  CmJournalEntry *entry = cm_journal_begin (journal, FP_A, "Q1", "a@northmoor.gov.uk", NULL, NULL);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 1);
  cm_journal_retire (journal);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  /* The thread still judging ends after the stop; nothing new is noted. */
  cm_journal_end (journal, entry);
  g_autoptr (GError) error = NULL;
  entry = cm_journal_begin (journal, FP_B, "Q2", "a@northmoor.gov.uk", NULL, &error);
  ck_assert (entry != NULL && error == NULL);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_end (journal, entry);
  cm_journal_close (journal);
  journal = open_journal (spool, NOW + 1);
  ck_assert (cm_journal_suspect (journal, FP_A) == NULL);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 1, HOLD) == NULL);
  ck_assert_uint_eq (count_entries (spool, "suspect"), 0);
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_torn_and_foreign_entries)
{
  g_autofree char *spool = test_scratch_dir ();
  cm_journal_close (open_journal (spool, NOW));
  /* Died while writing the entry: the name alone makes it a suspect... */
  g_autofree char *inflight = g_build_filename (spool, "journal", "inflight", NULL);
  g_autofree char *torn = test_write (inflight, FP_B ".7", "");
  g_autofree char *junk = test_write (inflight, "not-an-entry", "x");
  CmJournal *journal = open_journal (spool, NOW);
  ck_assert (cm_journal_poison (journal, FP_B, NOW, HOLD) == NULL);
  const CmCrashRecord *s = cm_journal_suspect (journal, FP_B);
  ck_assert (s != NULL);
  ck_assert_str_eq (s->queue_id, "unknown");
  ck_assert (!g_file_test (junk, G_FILE_TEST_EXISTS));
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);
  /* ...and poison at the next death. */
  g_free (test_write (inflight, FP_B ".3", ""));
  journal = open_journal (spool, NOW + 10);
  const CmCrashRecord *p = cm_journal_poison (journal, FP_B, NOW + 10, HOLD);
  ck_assert (p != NULL);
  ck_assert_int_eq (p->deaths, 2);
  cm_journal_close (journal);
}
END_TEST

/* An entry from an earlier boot (the host went down) is neither suspect
 * nor poison, and leaves a suspect as it was. */
START_TEST (test_host_went_down)
{
  if (!g_file_test ("/proc/sys/kernel/random/boot_id", G_FILE_TEST_EXISTS))
    return;
  g_autofree char *spool = test_scratch_dir ();
  die_judging (spool, NOW, "Q3", (const char *[]) { FP_C, NULL });
  cm_journal_close (open_journal (spool, NOW + 1));
  g_autofree char *inflight = g_build_filename (spool, "journal", "inflight", NULL);
  const char *old_boot = "[message]\nqueue-id=Q1\nsender=a@northmoor.gov.uk\n"
                         "boot=00000000-0000-0000-0000-000000000000\n";
  g_autofree char *old = test_write (inflight, FP_A ".0", old_boot);
  g_autofree char *old_suspect = test_write (inflight, FP_C ".1", old_boot);
  die_judging (spool, NOW + 2, "Q2", (const char *[]) { FP_B, NULL });
  /* die_judging's start-up counted the old entries: gone, and nothing. */
  ck_assert (!g_file_test (old, G_FILE_TEST_EXISTS));
  ck_assert (!g_file_test (old_suspect, G_FILE_TEST_EXISTS));
  g_autoptr (GDir) dir = g_dir_open (inflight, 0, NULL);
  const char *name = g_dir_read_name (dir);
  ck_assert (name != NULL && g_str_has_prefix (name, FP_B));
  g_autofree char *path = g_build_filename (inflight, name, NULL);
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  ck_assert_msg (strstr (text, "boot=") != NULL, "%s", text);

  /* The daemon died in this boot (Q2): a suspect; in an earlier one (Q1): not. */
  CmJournal *journal = open_journal (spool, NOW + 3);
  ck_assert (cm_journal_suspect (journal, FP_A) == NULL);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 3, HOLD) == NULL);
  ck_assert (cm_journal_suspect (journal, FP_B) != NULL);
  const CmCrashRecord *s = cm_journal_suspect (journal, FP_C);
  ck_assert (s != NULL);
  ck_assert_int_eq (s->deaths, 1);
  ck_assert (cm_journal_poison (journal, FP_C, NOW + 3, HOLD) == NULL);
  cm_journal_close (journal);
}
END_TEST

/* Judged alone: a suspect waits for the messages being judged, those
 * that come while it waits or is judged wait for it. */
typedef struct {
  CmJournal *journal;
  const char *fingerprint;
  gint started;             /* atomic: cm_journal_begin returned */
  gint release;             /* atomic: end now */
} Judge;

static gpointer
judge_thread (gpointer data)
{
  Judge *j = data;
  CmJournalEntry *entry = cm_journal_begin (j->journal, j->fingerprint, "T", RAJ, NULL, NULL);
  g_atomic_int_set (&j->started, 1);
  while (!g_atomic_int_get (&j->release))
    g_usleep (1000);
  cm_journal_end (j->journal, entry);
  return NULL;
}

/* Wait up to a second for J to start; TRUE if it did. */
static gboolean
started (Judge *j)
{
  for (int i = 0; i < 1000 && !g_atomic_int_get (&j->started); i++)
    g_usleep (1000);
  return g_atomic_int_get (&j->started);
}

START_TEST (test_suspect_judged_alone)
{
  g_autofree char *spool = test_scratch_dir ();
  die_judging (spool, NOW, "CRASH1", (const char *[]) { FP_A, NULL });
  CmJournal *journal = open_journal (spool, NOW + 1);
  ck_assert (cm_journal_suspect (journal, FP_A) != NULL);

  Judge plain = { journal, FP_B, 0, 0 }, suspect = { journal, FP_A, 0, 0 }, later = { journal, FP_C, 0, 0 };
  GThread *t1 = g_thread_new ("plain", judge_thread, &plain);
  ck_assert (started (&plain));
  GThread *t2 = g_thread_new ("suspect", judge_thread, &suspect);
  g_usleep (100 * 1000);
  ck_assert_msg (!g_atomic_int_get (&suspect.started), "the suspect was judged beside another message");
  GThread *t3 = g_thread_new ("later", judge_thread, &later);
  g_usleep (100 * 1000);
  ck_assert_msg (!g_atomic_int_get (&later.started), "a message went before the waiting suspect");

  g_atomic_int_set (&plain.release, 1);
  ck_assert (started (&suspect));
  g_usleep (100 * 1000);
  ck_assert_msg (!g_atomic_int_get (&later.started), "a message was judged beside the suspect");
  ck_assert_uint_eq (count_entries (spool, "inflight"), 1);

  g_atomic_int_set (&suspect.release, 1);
  ck_assert (started (&later));
  g_atomic_int_set (&later.release, 1);
  g_thread_join (t1);
  g_thread_join (t2);
  g_thread_join (t3);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_unwritable_journal)
{
  g_autofree char *spool = test_scratch_dir ();
  g_autofree char *blocker = test_write (spool, "journal", "a file where the directory goes");
  g_autoptr (GError) error = NULL;
  ck_assert (cm_journal_open (spool, NOW, HOLD, "tempfail", &error) == NULL);
  ck_assert_msg (strstr (error->message, "journal") != NULL, "%s", error->message);
}
END_TEST

/* The fingerprint of a small message from Raj Patel with RECEIVED as its
 * first header (or none), BODY, and RCPT as the recipient. */
static char *
fingerprint (const char *received, const char *body, const char *rcpt)
{
  g_autoptr (GError) error = NULL;
  CmConfig *config = cm_config_ref (test_config);
  CmEnvelope *envelope = cm_envelope_new (RAJ);
  cm_envelope_add_recipient (envelope, rcpt);
  CmMsgCtx *msg = cm_msgctx_new (config, envelope);
  if (received)
    cm_msgctx_add_header (msg, "Received", received);
  cm_msgctx_add_header (msg, "From", "Raj Patel <cllr.raj.patel@northmoor.gov.uk>");
  cm_msgctx_add_header (msg, "Subject", "Repairs");
  cm_msgctx_add_header (msg, "X-Council-Protocol", "forged");
  cm_msgctx_end_headers (msg);
  gboolean enough = FALSE;
  ck_assert (cm_msgctx_add_body (msg, (const guint8 *) body, strlen (body), &enough, &error));
  char *fp = cm_msgctx_fingerprint (msg);
  cm_msgctx_free (msg);
  return fp;
}

START_TEST (test_fingerprint)
{
  g_autofree char *first = fingerprint ("from a by relay with ESMTPSA id 4XyZ1; Mon, 10 Jun 2024 09:00:00",
                                        "The council will pay.\r\n", "resident@example.org");
  g_autofree char *retry = fingerprint ("from a by relay with ESMTPSA id 4QqQ9; Mon, 10 Jun 2024 09:05:00",
                                        "The council will pay.\r\n", "resident@example.org");
  g_autofree char *bare = fingerprint (NULL, "The council will pay.\r\n", "resident@example.org");
  g_autofree char *other_body = fingerprint (NULL, "The council will not pay.\r\n", "resident@example.org");
  g_autofree char *other_rcpt = fingerprint (NULL, "The council will pay.\r\n", "someone@example.org");
  ck_assert_uint_eq (strlen (first), 64);
  ck_assert_str_eq (first, retry);
  ck_assert_str_eq (first, bare);
  ck_assert_str_ne (first, other_body);
  ck_assert_str_ne (first, other_rcpt);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("journal");
  TCase *tc = tcase_create ("journal");
  tcase_add_checked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_test (tc, test_judged_leaves_nothing);
  tcase_add_test (tc, test_one_death_is_suspect);
  tcase_add_test (tc, test_two_deaths_are_poison);
  tcase_add_test (tc, test_suspect_expiry);
  tcase_add_test (tc, test_one_death_counts_once);
  tcase_add_test (tc, test_clean_stop_is_not_suspect);
  tcase_add_test (tc, test_torn_and_foreign_entries);
  tcase_add_test (tc, test_host_went_down);
  tcase_add_test (tc, test_suspect_judged_alone);
  tcase_add_test (tc, test_unwritable_journal);
  tcase_add_test (tc, test_fingerprint);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

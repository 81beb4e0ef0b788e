/*
 * test_journal.c: the crash journal (milter/journal.h) and the message
 * fingerprint it keeps (cm_msgctx_fingerprint): an entry is written
 * while a message is judged and gone after; one left behind by a dead
 * daemon is poison at the next open, for a day; a clean stop leaves no
 * poison, nor does a host that went down (another boot id); the MTA's retry (a new Received header) keeps the fingerprint,
 * another body, sender or recipient changes it.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "journal.h"
#include "msgctx.h"
#include "testutil.h"

#define NOW 1780000000
#define HOLD (24 * 3600)
#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static CmJournal *
open_journal (const char *spool, gint64 now)
{
  g_autoptr (GError) error = NULL;
  CmJournal *journal = cm_journal_open (spool, now, HOLD, &error);
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

START_TEST (test_judged_leaves_nothing)
{
  g_autofree char *spool = test_scratch_dir ();
  CmJournal *journal = open_journal (spool, NOW);
  g_autoptr (GError) error = NULL;
  char *entry = cm_journal_begin (journal, FP_A, "Q1", "cllr.raj.patel@northmoor.gov.uk", "<m@x>", &error);
  ck_assert_msg (entry != NULL, "%s", error ? error->message : "");
  ck_assert (g_file_test (entry, G_FILE_TEST_IS_REGULAR));
  ck_assert_uint_eq (count_entries (spool, "inflight"), 1);
  /* Two copies of one message in flight at once. */
  char *second = cm_journal_begin (journal, FP_A, "Q2", "cllr.raj.patel@northmoor.gov.uk", NULL, &error);
  ck_assert (second != NULL);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 2);
  cm_journal_end (journal, entry);
  cm_journal_end (journal, second);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);
  journal = open_journal (spool, NOW + 10);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 10, HOLD) == NULL);
  ck_assert_uint_eq (count_entries (spool, "poison"), 0);
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_died_judging_is_poison)
{
  g_autofree char *spool = test_scratch_dir ();
  CmJournal *journal = open_journal (spool, NOW);
  char *entry = cm_journal_begin (journal, FP_A, "4XyZ1", "cllr.raj.patel@northmoor.gov.uk", "<m@x>", NULL);
  ck_assert (entry != NULL);
  char *done = cm_journal_begin (journal, FP_B, "4XyZ2", "cllr.jane.smith@northmoor.gov.uk", NULL, NULL);
  cm_journal_end (journal, done);
  /* The daemon dies here: nothing ends ENTRY, nothing closes the journal. */
  g_free (entry);

  CmJournal *after = open_journal (spool, NOW + 60);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  ck_assert_uint_eq (count_entries (spool, "poison"), 1);
  const CmPoison *p = cm_journal_poison (after, FP_A, NOW + 60, HOLD);
  ck_assert (p != NULL);
  ck_assert_str_eq (p->queue_id, "4XyZ1");
  ck_assert_str_eq (p->sender, "cllr.raj.patel@northmoor.gov.uk");
  ck_assert_str_eq (p->message_id, "<m@x>");
  ck_assert_int_eq (p->since, NOW + 60);
  /* The message judged to its end is not poison. */
  ck_assert (cm_journal_poison (after, FP_B, NOW + 60, HOLD) == NULL);
  /* Poison for a day, then judged again. */
  ck_assert (cm_journal_poison (after, FP_A, NOW + 60 + HOLD - 1, HOLD) != NULL);
  ck_assert (cm_journal_poison (after, FP_A, NOW + 60 + HOLD, HOLD) == NULL);
  cm_journal_close (after);

  /* Kept on disk across another start within the day... */
  after = open_journal (spool, NOW + 3600);
  p = cm_journal_poison (after, FP_A, NOW + 3600, HOLD);
  ck_assert (p != NULL);
  ck_assert_int_eq (p->since, NOW + 60);
  cm_journal_close (after);
  /* ...and removed by the first start after it. */
  after = open_journal (spool, NOW + 60 + HOLD);
  ck_assert (cm_journal_poison (after, FP_A, NOW + 60 + HOLD, HOLD) == NULL);
  ck_assert_uint_eq (count_entries (spool, "poison"), 0);
  cm_journal_close (after);
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_clean_stop_is_not_poison)
{
  g_autofree char *spool = test_scratch_dir ();
  CmJournal *journal = open_journal (spool, NOW);
  char *entry = cm_journal_begin (journal, FP_A, "Q1", "a@northmoor.gov.uk", NULL, NULL);
  ck_assert (entry != NULL);
  cm_journal_retire (journal);
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  /* The thread still judging ends after the stop; nothing new is noted. */
  cm_journal_end (journal, entry);
  ck_assert (cm_journal_begin (journal, FP_B, "Q2", "a@northmoor.gov.uk", NULL, NULL) == NULL);
  cm_journal_close (journal);
  journal = open_journal (spool, NOW + 1);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 1, HOLD) == NULL);
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_torn_and_foreign_entries)
{
  g_autofree char *spool = test_scratch_dir ();
  cm_journal_close (open_journal (spool, NOW));
  /* Died while writing the entry: the name alone makes it poison. */
  g_autofree char *inflight = g_build_filename (spool, "journal", "inflight", NULL);
  g_autofree char *torn = test_write (inflight, FP_B ".7", "");
  g_autofree char *junk = test_write (inflight, "not-an-entry", "x");
  CmJournal *journal = open_journal (spool, NOW);
  const CmPoison *p = cm_journal_poison (journal, FP_B, NOW, HOLD);
  ck_assert (p != NULL);
  ck_assert_str_eq (p->queue_id, "unknown");
  ck_assert (!g_file_test (junk, G_FILE_TEST_EXISTS));
  ck_assert_uint_eq (count_entries (spool, "inflight"), 0);
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_host_went_down)
{
  if (!g_file_test ("/proc/sys/kernel/random/boot_id", G_FILE_TEST_EXISTS))
    return;
  g_autofree char *spool = test_scratch_dir ();
  cm_journal_close (open_journal (spool, NOW));
  g_autofree char *inflight = g_build_filename (spool, "journal", "inflight", NULL);
  g_autofree char *old = test_write (inflight, FP_A ".0",
                                     "[message]\nqueue-id=Q1\nsender=a@northmoor.gov.uk\n"
                                     "boot=00000000-0000-0000-0000-000000000000\n");
  CmJournal *journal = open_journal (spool, NOW);
  char *entry = cm_journal_begin (journal, FP_B, "Q2", "a@northmoor.gov.uk", NULL, NULL);
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (entry, &text, NULL, NULL));
  ck_assert_msg (strstr (text, "boot=") != NULL, "%s", text);
  g_free (entry);
  cm_journal_close (journal);
  /* The daemon died in this boot (Q2): poison; in an earlier one (Q1): not. */
  journal = open_journal (spool, NOW + 1);
  ck_assert (cm_journal_poison (journal, FP_A, NOW + 1, HOLD) == NULL);
  ck_assert (cm_journal_poison (journal, FP_B, NOW + 1, HOLD) != NULL);
  ck_assert (!g_file_test (old, G_FILE_TEST_EXISTS));
  cm_journal_close (journal);
}
END_TEST

START_TEST (test_unwritable_journal)
{
  g_autofree char *spool = test_scratch_dir ();
  g_autofree char *blocker = test_write (spool, "journal", "a file where the directory goes");
  g_autoptr (GError) error = NULL;
  ck_assert (cm_journal_open (spool, NOW, HOLD, &error) == NULL);
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
  CmEnvelope *envelope = cm_envelope_new ("cllr.raj.patel@northmoor.gov.uk");
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
  tcase_add_test (tc, test_died_judging_is_poison);
  tcase_add_test (tc, test_clean_stop_is_not_poison);
  tcase_add_test (tc, test_torn_and_foreign_entries);
  tcase_add_test (tc, test_host_went_down);
  tcase_add_test (tc, test_unwritable_journal);
  tcase_add_test (tc, test_fingerprint);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

/*
 * test_outbox.c: the outbox against a small SMTP listener run by the
 * test: sent at once when the listener is up; kept on disk (0600, the
 * message exact) when it is down and retried with doubling back-off;
 * kept across a restart, and what a crash left in tmp/ sent on or set aside; 4xx
 * kept, 5xx or too old moved to failed/; bad files set aside; an
 * unwritable outbox reported; many threads at once.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "outbox.h"
#include "smtpsink.h"
#include "testutil.h"

#define LONG_AGO (30 * 24 * 3600) /* a max_age no test reaches */

/* ---- helpers ------------------------------------------------------------- */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* TEXT with CRLF turned into LF. */
static char *
lf_only (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, "\r\n", -1);
  return g_strjoinv ("\n", parts);
}

/* Did the listener receive SENT?  Line ends are compared as LF.  libetpan
 * (mailstream_send_data) ends the data with CRLF "." CRLF even after a
 * final line end, so the listener sees one more empty line than was sent. */
static void
assert_same_message (const SmtpSinkMessage *r, const char *sent)
{
  g_autofree char *expected = lf_only (sent);
  g_autofree char *with_extra_line = g_strconcat (expected, "\n", NULL);
  ck_assert_msg (strcmp (r->data->str, expected) == 0 || strcmp (r->data->str, with_extra_line) == 0,
                 "received:\n%s\nsent:\n%s", r->data->str, expected);
}

/* The regular files of DIR, sorted. */
static GPtrArray *
files_in (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  test_sort_strings (names);
  return names;
}

static guint
count_files (const char *dir)
{
  g_autoptr (GPtrArray) names = files_in (dir);
  return names->len;
}

/* The path of the one kept file of the outbox DIR. */
static char *
only_file (const char *dir)
{
  g_autoptr (GPtrArray) names = files_in (dir);
  ck_assert_uint_eq (names->len, 1);
  return g_build_filename (dir, names->pdata[0], NULL);
}

/* The value of header FIELD of the kept file PATH. */
static char *
field (const char *path, const char *name)
{
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  g_autofree char *key = g_strdup_printf ("\n%s: ", name);
  g_autofree char *lines = g_strconcat ("\n", text, NULL);
  char *at = strstr (lines, key);
  ck_assert_msg (at != NULL, "%s has no %s", path, name);
  at += strlen (key);
  return g_strndup (at, strcspn (at, "\n"));
}

static gint64
field_int (const char *path, const char *name)
{
  g_autofree char *value = field (path, name);
  return g_ascii_strtoll (value, NULL, 10);
}

/* The message bytes of the kept file PATH, after the header. */
static char *
body_of (const char *path)
{
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  const char *blank = strstr (text, "\n\n");
  ck_assert (blank != NULL);
  return g_strdup (blank + 2);
}

static CmOutbox *
open_outbox (const char *dir)
{
  g_autoptr (GError) error = NULL;
  CmOutbox *outbox = cm_outbox_open (dir, &error);
  ck_assert_msg (outbox != NULL, "%s", error ? error->message : "");
  return outbox;
}

static const char *const two_recipients[] = { "cllr.jane.smith@northmoor.gov.uk",
                                              "monitoring.officer@northmoor.gov.uk", NULL };
static const char message[] = "From: Protocol <protocol@northmoor.gov.uk>\r\n"
                              "To: cllr.jane.smith@northmoor.gov.uk\r\n"
                              "Subject: Member/Officer Protocol notice\r\n\r\n"
                              "Your message was held.\r\n"
                              ".A line that starts with a dot\r\n"
                              "..and one with two.\r\n";

static void
send_ok (CmOutbox *outbox, SmtpSink *server, const char *data)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (cm_outbox_send (outbox, server->hostport, "", two_recipients, data, strlen (data),
                                 &error), "%s", error ? error->message : "");
}

/* ---- tests --------------------------------------------------------------- */

START_TEST (test_sent_at_once)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autoptr (CmOutbox) outbox = open_outbox (dir);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  smtpsink_up (server);
  send_ok (outbox, server, message);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  ck_assert_uint_eq (smtpsink_count (server), 1);
  SmtpSinkMessage *r = server->received->pdata[0];
  ck_assert_str_eq (r->sender, "");
  ck_assert_uint_eq (r->recipients->len, 2);
  ck_assert_str_eq (r->recipients->pdata[0], two_recipients[0]);
  ck_assert_str_eq (r->recipients->pdata[1], two_recipients[1]);
  assert_same_message (r, message);

  const char *subdirs[] = { "", "tmp", "failed" };
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);
      GStatBuf st;
      ck_assert_int_eq (g_stat (path, &st), 0);
      ck_assert_msg (S_ISDIR (st.st_mode) && (st.st_mode & 07777) == 0700, "%s: %o", path,
                     st.st_mode);
    }
}
END_TEST

START_TEST (test_kept_and_retried)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autoptr (CmOutbox) outbox = open_outbox (dir);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  gint64 before = now_seconds ();
  send_ok (outbox, server, message);
  ck_assert_uint_eq (cm_outbox_length (outbox), 1);
  g_autofree char *path = only_file (dir);
  GStatBuf st;
  ck_assert_int_eq (g_stat (path, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0600);
  g_autofree char *body = body_of (path);
  ck_assert_str_eq (body, message);
  ck_assert_int_eq (field_int (path, "X-Outbox-Length"), (gint64) strlen (message));
  g_autofree char *sender = field (path, "X-Outbox-Sender");
  ck_assert_str_eq (sender, "<>");
  g_autofree char *last = field (path, "X-Outbox-Last-Error");
  ck_assert_msg (strstr (last, "failed at connect"), "%s", last);
  gint64 first = field_int (path, "X-Outbox-First");
  ck_assert_int_ge (first, before);
  ck_assert_int_le (first, now_seconds ());
  ck_assert_int_eq (field_int (path, "X-Outbox-Attempts"), 1);
  ck_assert_int_eq (field_int (path, "X-Outbox-Next"), first + 60);
  ck_assert_uint_eq (count_files (dir), 1);

  /* Not due yet: even with the listener up nothing is sent. */
  smtpsink_up (server);
  CmOutboxCounts counts = cm_outbox_flush (outbox, server->hostport, first + 59, LONG_AGO);
  ck_assert_uint_eq (counts.sent, 0);
  ck_assert_uint_eq (counts.waiting, 1);
  ck_assert_uint_eq (smtpsink_count (server), 0);
  ck_assert_int_eq (field_int (path, "X-Outbox-Attempts"), 1);
  smtpsink_down (server);

  /* Down at every try: the delay doubles from two minutes to an hour. */
  const gint64 delays[] = { 120, 240, 480, 960, 1920, 3600, 3600, 3600 };
  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      gint64 due = field_int (path, "X-Outbox-Next");
      counts = cm_outbox_flush (outbox, server->hostport, due, LONG_AGO);
      ck_assert_uint_eq (counts.waiting, 1);
      ck_assert_uint_eq (counts.sent + counts.given_up, 0);
      ck_assert_int_eq (field_int (path, "X-Outbox-Attempts"), i + 2);
      ck_assert_int_eq (field_int (path, "X-Outbox-Next") - due, delays[i]);
      ck_assert_int_eq (field_int (path, "X-Outbox-First"), first);
      g_autofree char *kept = body_of (path);
      ck_assert_str_eq (kept, message);
      ck_assert_uint_eq (count_files (dir), 1);
      g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
      ck_assert_uint_eq (count_files (tmp), 0);
    }

  /* Up again: delivered exactly once, and the outbox is empty. */
  smtpsink_up (server);
  gint64 due = field_int (path, "X-Outbox-Next");
  counts = cm_outbox_flush (outbox, server->hostport, due, LONG_AGO);
  ck_assert_uint_eq (counts.sent, 1);
  ck_assert_uint_eq (counts.waiting + counts.given_up, 0);
  counts = cm_outbox_flush (outbox, server->hostport, due + 7200, LONG_AGO);
  ck_assert_uint_eq (counts.sent + counts.waiting + counts.given_up, 0);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  ck_assert_uint_eq (smtpsink_count (server), 1);
  SmtpSinkMessage *r = server->received->pdata[0];
  assert_same_message (r, message);
  ck_assert_str_eq (r->sender, "");
  ck_assert_uint_eq (r->recipients->len, 2);
  ck_assert_str_eq (r->recipients->pdata[1], two_recipients[1]);
}
END_TEST

START_TEST (test_kept_across_restart)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autoptr (SmtpSink) server = smtpsink_new ();
  CmOutbox *outbox = open_outbox (dir);
  send_ok (outbox, server, "Subject: one\n\nThe first.\n");
  send_ok (outbox, server, "Subject: two\n\nThe second.\n");
  cm_outbox_close (outbox);
  /* What a crash left in tmp/ long ago is set aside, never deleted. */
  g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
  g_autofree char *stale = test_write (tmp, "stale", "half a message");
  g_autofree char *fresh = test_write (tmp, "fresh", "being written");
  struct utimbuf old = { now_seconds () - 7200, now_seconds () - 7200 };
  ck_assert_int_eq (g_utime (stale, &old), 0);

  outbox = open_outbox (dir);
  ck_assert_uint_eq (cm_outbox_length (outbox), 2);
  g_autofree char *set_aside = g_build_filename (dir, "failed", "stale", NULL);
  ck_assert (g_file_test (set_aside, G_FILE_TEST_IS_REGULAR));
  ck_assert (g_file_test (fresh, G_FILE_TEST_IS_REGULAR));
  ck_assert (!g_file_test (stale, G_FILE_TEST_EXISTS));
  smtpsink_up (server);
  CmOutboxCounts counts = cm_outbox_flush (outbox, server->hostport, now_seconds () + 61, LONG_AGO);
  ck_assert_uint_eq (counts.sent, 2);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  cm_outbox_close (outbox);
  ck_assert_uint_eq (smtpsink_count (server), 2);
  SmtpSinkMessage *one = server->received->pdata[0], *two = server->received->pdata[1];
  if (g_str_has_prefix (one->data->str, "Subject: two"))
    one = server->received->pdata[1], two = server->received->pdata[0];
  assert_same_message (one, "Subject: one\n\nThe first.\n");
  assert_same_message (two, "Subject: two\n\nThe second.\n");
}
END_TEST

START_TEST (test_temporary_and_permanent_refusals)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *failed = g_build_filename (dir, "failed", NULL);
  g_autoptr (CmOutbox) outbox = open_outbox (dir);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  smtpsink_up (server);

  /* 451: kept, and still kept after a retry refused the same way. */
  smtpsink_set_rcpt_reply (server, "451 4.3.0 Try again later");
  send_ok (outbox, server, message);
  ck_assert_uint_eq (cm_outbox_length (outbox), 1);
  g_autofree char *path = only_file (dir);
  g_autofree char *last = field (path, "X-Outbox-Last-Error");
  ck_assert_msg (strstr (last, "4.3.0 Try again later"), "%s", last);
  CmOutboxCounts counts = cm_outbox_flush (outbox, server->hostport,
                                           field_int (path, "X-Outbox-Next"), LONG_AGO);
  ck_assert_uint_eq (counts.waiting, 1);
  ck_assert_int_eq (field_int (path, "X-Outbox-Attempts"), 2);

  /* 550 at the next retry: moved to failed/, whole. */
  smtpsink_set_rcpt_reply (server, "550 5.1.1 No such user");
  counts = cm_outbox_flush (outbox, server->hostport, field_int (path, "X-Outbox-Next"), LONG_AGO);
  ck_assert_uint_eq (counts.given_up, 1);
  ck_assert_uint_eq (counts.sent + counts.waiting, 0);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  g_autofree char *gone = only_file (failed);
  g_autofree char *body = body_of (gone);
  ck_assert_str_eq (body, message);

  /* 550 at once: refused, reported, not kept. */
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_outbox_send (outbox, server->hostport, "", two_recipients, message,
                              strlen (message), &error));
  ck_assert_msg (strstr (error->message, "5.1.1 No such user"), "%s", error->message);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  ck_assert_uint_eq (smtpsink_count (server), 0);
}
END_TEST

START_TEST (test_too_old)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *failed = g_build_filename (dir, "failed", NULL);
  g_autoptr (CmOutbox) outbox = open_outbox (dir);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  send_ok (outbox, server, message);
  g_autofree char *path = only_file (dir);
  gint64 first = field_int (path, "X-Outbox-First");
  CmOutboxCounts counts = cm_outbox_flush (outbox, server->hostport, first + 3600, 3600);
  ck_assert_uint_eq (counts.waiting, 1);
  counts = cm_outbox_flush (outbox, server->hostport, first + 3601, 3600);
  ck_assert_uint_eq (counts.given_up, 1);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  g_autofree char *gone = only_file (failed);
  g_autofree char *body = body_of (gone);
  ck_assert_str_eq (body, message);
}
END_TEST

START_TEST (test_bad_files_set_aside)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *failed = g_build_filename (dir, "failed", NULL);
  g_autoptr (CmOutbox) outbox = open_outbox (dir);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  send_ok (outbox, server, message);
  g_free (test_write (dir, "garbage", "\x01\x02 not an outbox file at all"));
  g_free (test_write (dir, "no-blank", "X-Outbox-Sender: <>\nX-Outbox-Recipient: a@example.org\n"));
  g_free (test_write (dir, "no-next", "X-Outbox-Sender: <>\nX-Outbox-Recipient: a@example.org\n"
                                      "X-Outbox-First: 1\nX-Outbox-Attempts: 1\n\nBody\n"));
  g_free (test_write (dir, "bad-number", "X-Outbox-Sender: <>\nX-Outbox-Recipient: a@example.org\n"
                                         "X-Outbox-First: 1\nX-Outbox-Attempts: x\n"
                                         "X-Outbox-Next: 1\n\nBody\n"));
  g_autofree char *stray = g_build_filename (dir, "stray", NULL);
  ck_assert_int_eq (g_mkdir (stray, 0700), 0);
  ck_assert_uint_eq (cm_outbox_length (outbox), 5);

  smtpsink_up (server);
  CmOutboxCounts counts = cm_outbox_flush (outbox, server->hostport, now_seconds () + 61, LONG_AGO);
  ck_assert_uint_eq (counts.sent, 1);
  ck_assert_uint_eq (counts.given_up, 5);
  ck_assert_uint_eq (counts.waiting, 0);
  ck_assert_uint_eq (smtpsink_count (server), 1);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  ck_assert_uint_eq (count_files (failed), 4);
  g_autofree char *moved = g_build_filename (failed, "stray", NULL);
  ck_assert (g_file_test (moved, G_FILE_TEST_IS_DIR));
  g_autofree char *garbage = g_build_filename (failed, "garbage", NULL);
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (garbage, &text, NULL, NULL));
  ck_assert_str_eq (text, "\x01\x02 not an outbox file at all");
}
END_TEST

START_TEST (test_unwritable)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "outbox", NULL);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  g_autoptr (GError) error = NULL;
  {
    g_autoptr (CmOutbox) outbox = open_outbox (dir);
    /* The outbox goes away and a plain file takes its place. */
    g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
    g_autofree char *failed = g_build_filename (dir, "failed", NULL);
    ck_assert_int_eq (g_rmdir (tmp), 0);
    ck_assert_int_eq (g_rmdir (failed), 0);
    ck_assert_int_eq (g_rmdir (dir), 0);
    g_free (test_write (scratch, "outbox", "not a directory"));
    ck_assert (!cm_outbox_send (outbox, server->hostport, "", two_recipients, message,
                                strlen (message), &error));
    ck_assert_msg (strstr (error->message, "failed at connect"), "%s", error->message);
    ck_assert_msg (strstr (error->message, dir), "%s", error->message);
    ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  }
  g_clear_error (&error);
  ck_assert (cm_outbox_open (dir, &error) == NULL);
  ck_assert_msg (strstr (error->message, dir), "%s", error->message);
}
END_TEST

typedef struct {
  CmOutbox *outbox;
  const char *hostport;
  guint index;
} Sender;

static gpointer
send_thread (gpointer data)
{
  Sender *s = data;
  g_autofree char *text = g_strdup_printf ("Subject: %u\n\nMessage %u.\n", s->index, s->index);
  const char *const recipients[] = { "a@example.org", NULL };
  return GINT_TO_POINTER (cm_outbox_send (s->outbox, s->hostport, "", recipients, text,
                                          strlen (text), NULL));
}

typedef struct {
  CmOutbox *outbox;
  const char *hostport;
  gint64 now;
  CmOutboxCounts counts;
} Flusher;

static gpointer
flush_thread (gpointer data)
{
  Flusher *f = data;
  f->counts = cm_outbox_flush (f->outbox, f->hostport, f->now, LONG_AGO);
  return NULL;
}

START_TEST (test_many_threads)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autoptr (CmOutbox) outbox = open_outbox (dir);
  g_autoptr (SmtpSink) server = smtpsink_new ();
  enum { N = 8 };
  Sender senders[N];
  GThread *threads[N];
  for (guint i = 0; i < N; i++)
    {
      senders[i] = (Sender) { outbox, server->hostport, i };
      threads[i] = g_thread_new ("send", send_thread, &senders[i]);
    }
  for (guint i = 0; i < N; i++)
    ck_assert (GPOINTER_TO_INT (g_thread_join (threads[i])));
  ck_assert_uint_eq (cm_outbox_length (outbox), N);
  ck_assert_uint_eq (count_files (dir), N);

  /* Two flushes at once: each message goes out exactly once. */
  smtpsink_up (server);
  Flusher flushers[2];
  GThread *flushing[2];
  for (guint i = 0; i < 2; i++)
    {
      flushers[i] = (Flusher) { outbox, server->hostport, now_seconds () + 61, { 0, 0, 0 } };
      flushing[i] = g_thread_new ("flush", flush_thread, &flushers[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (flushing[i]);
  ck_assert_uint_eq (flushers[0].counts.sent + flushers[1].counts.sent, N);
  ck_assert_uint_eq (cm_outbox_length (outbox), 0);
  ck_assert_uint_eq (smtpsink_count (server), N);
  gboolean seen[N] = { FALSE };
  for (guint i = 0; i < N; i++)
    {
      SmtpSinkMessage *r = server->received->pdata[i];
      guint index = 0;
      ck_assert_int_eq (sscanf (r->data->str, "Subject: %u", &index), 1);
      ck_assert (index < N && !seen[index]);
      seen[index] = TRUE;
    }
}
END_TEST

/* A kept file's text: the header (with its Length, LENGTH bytes, when
 * LENGTH >= 0) and DATA, as the outbox writes it. */
static char *
kept_text (const char *data, gssize length)
{
  gint64 now = now_seconds ();
  g_autofree char *declared = length >= 0 ? g_strdup_printf ("X-Outbox-Length: %zd\n", length)
                                          : g_strdup ("");
  return g_strdup_printf ("X-Outbox-Sender: <>\nX-Outbox-Recipient: monitoring.officer@northmoor.gov.uk\n"
                          "X-Outbox-First: %" G_GINT64_FORMAT "\nX-Outbox-Attempts: 1\n"
                          "X-Outbox-Next: %" G_GINT64_FORMAT "\nX-Outbox-Last-Error: down\n%s\n%s",
                          now, now, declared, data);
}

/* Issue 9 F9: after kill -9, a whole notice stuck in tmp/ (written, not
 * yet moved into place) goes on to be sent; new retry state for a notice
 * still kept is dropped, not sent twice; a cut file, or one without a
 * length, is set aside; a file being written now is left alone. */
START_TEST (test_tmp_recovered)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autoptr (SmtpSink) server = smtpsink_new ();
  CmOutbox *outbox = open_outbox (dir);
  send_ok (outbox, server, message);
  cm_outbox_close (outbox);
  g_autofree char *kept = only_file (dir);
  g_autofree char *kept_name = g_path_get_basename (kept);
  g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
  const char notice[] = "Subject: held\n\nA message was held for you.\n";
  g_autofree char *whole = kept_text (notice, sizeof notice - 1);
  g_autofree char *cut = kept_text (notice, sizeof notice + 40);
  g_autofree char *unknown = kept_text (notice, -1);
  g_autofree char *lost = test_write (tmp, "1795000000-1-00000001-00000001", whole);
  g_autofree char *rewrite = test_write (tmp, kept_name, whole);
  g_autofree char *cut_path = test_write (tmp, "cut", cut);
  g_autofree char *unknown_path = test_write (tmp, "unknown", unknown);
  g_autofree char *fresh = test_write (tmp, "fresh", whole);
  struct utimbuf old = { now_seconds () - 120, now_seconds () - 120 };
  const char *const stale[] = { lost, rewrite, cut_path, unknown_path };
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    ck_assert_int_eq (g_utime (stale[i], &old), 0);

  outbox = open_outbox (dir);
  ck_assert_uint_eq (cm_outbox_length (outbox), 2);
  g_autoptr (GPtrArray) in_tmp = files_in (tmp);
  ck_assert_uint_eq (in_tmp->len, 1);
  ck_assert_str_eq (in_tmp->pdata[0], "fresh");
  g_autofree char *failed = g_build_filename (dir, "failed", NULL);
  g_autoptr (GPtrArray) set_aside = files_in (failed);
  ck_assert_uint_eq (set_aside->len, 2);
  ck_assert_str_eq (set_aside->pdata[0], "cut");
  ck_assert_str_eq (set_aside->pdata[1], "unknown");
  /* The kept notice is as it was: its rewrite did not replace it. */
  g_autofree char *kept_body = body_of (kept);
  ck_assert_str_eq (kept_body, message);

  smtpsink_up (server);
  CmOutboxCounts counts = cm_outbox_flush (outbox, server->hostport, now_seconds () + 61, LONG_AGO);
  ck_assert_uint_eq (counts.sent, 2);
  cm_outbox_close (outbox);
  ck_assert_uint_eq (smtpsink_count (server), 2);
  SmtpSinkMessage *a = server->received->pdata[0], *b = server->received->pdata[1];
  if (!g_str_has_prefix (a->data->str, "Subject: held"))
    a = server->received->pdata[1], b = server->received->pdata[0];
  assert_same_message (a, notice);
  assert_same_message (b, message);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("outbox");
  TCase *tc = tcase_create ("outbox");
  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_sent_at_once);
  tcase_add_test (tc, test_kept_and_retried);
  tcase_add_test (tc, test_kept_across_restart);
  tcase_add_test (tc, test_tmp_recovered);
  tcase_add_test (tc, test_temporary_and_permanent_refusals);
  tcase_add_test (tc, test_too_old);
  tcase_add_test (tc, test_bad_files_set_aside);
  tcase_add_test (tc, test_unwritable);
  tcase_add_test (tc, test_many_threads);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

/*
 * test_holdstore.c: the store of held mail: a record and its message
 * that round-trip and survive a restart; failures (an unwritable spool,
 * a failing stream, a failing index) that leave nothing behind; listing
 * with filters; decisions made exactly once however many reviewers race;
 * the audit trail; the tokens of release markers.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "holdstore.h"
#include "testutil.h"

/* A message with a NUL and 8-bit bytes, so the copy must be exact. */
static const char message_bytes[] =
  "From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>\r\n"
  "To: builder@example.org\r\n"
  "Subject: =?utf-8?q?Planning_=E2=9C=93?=\r\n"
  "\r\n"
  "The planning officer is useless.\r\n"
  "\0binary \xe2\x9c\x93 tail\r\n";

static const char *const two_recipients[] = { "builder@example.org", "clerk@northmoor.gov.uk", NULL };
static const char *const two_rules[] = { "officer-criticism", "bcc-member", NULL };

/* A new spool directory's path (not created) in a scratch directory. */
static char *
new_spool (void)
{
  g_autofree char *dir = test_scratch_dir ();
  return g_build_filename (dir, "spool", NULL);
}

/* Open the store at SPOOL, which must work. */
static CmHoldStore *
open_store (const char *spool)
{
  g_autoptr (GError) error = NULL;
  CmHoldStore *store = cm_holdstore_open (spool, &error);
  ck_assert_msg (store != NULL, "open %s: %s", spool, error ? error->message : "?");
  return store;
}

/* The number of entries in directory DIR. */
static guint
count_entries (const char *spool, const char *sub)
{
  g_autofree char *path = g_build_filename (spool, sub, NULL);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  ck_assert_msg (dir != NULL, "%s is not a directory", path);
  guint n = 0;
  while (g_dir_read_name (dir))
    n++;
  return n;
}

/* Put a message (TEXT, or the sample) from SENDER held by RULES; it must work. */
static CmHold *
put_message (CmHoldStore *store, const char *sender, const char *const *rules, const char *text)
{
  CmHold record = {
    .queue_id = (char *) "4Xyz1AbC",
    .sender = (char *) sender,
    .recipients = (char **) two_recipients,
    .sender_role = (char *) "member",
    .subject = (char *) "Planning \xe2\x9c\x93",
    .rules = (char **) (rules ? rules : two_rules),
    .clauses = (char *) "South Ribble 16.2; Runnymede 2.1",
    .verdict_json = (char *) "{\"action\": \"hold\",\n \"note\": \"a 'quote'\"}",
  };
  g_autoptr (GMimeStream) stream = text ? g_mime_stream_mem_new_with_buffer (text, strlen (text))
                                        : g_mime_stream_mem_new_with_buffer (message_bytes, sizeof message_bytes - 1);
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_put (store, &record, stream, &error);
  ck_assert_msg (hold != NULL, "put: %s", error ? error->message : "?");
  return hold;
}

/* Assert that A and B are the same list of strings. */
static void
assert_strv_eq (char **a, const char *const *b)
{
  ck_assert_ptr_nonnull (a);
  ck_assert_uint_eq (g_strv_length (a), g_strv_length ((char **) b));
  for (guint i = 0; b[i]; i++)
    ck_assert_str_eq (a[i], b[i]);
}

/* Assert that records A and B are equal, field by field. */
static void
assert_hold_eq (const CmHold *a, const CmHold *b)
{
  ck_assert_str_eq (a->id, b->id);
  ck_assert_int_eq (a->state, b->state);
  ck_assert_int_eq (a->held_at, b->held_at);
  ck_assert_pstr_eq (a->queue_id, b->queue_id);
  ck_assert_str_eq (a->sender, b->sender);
  assert_strv_eq (a->recipients, (const char *const *) b->recipients);
  ck_assert_pstr_eq (a->sender_role, b->sender_role);
  ck_assert_pstr_eq (a->subject, b->subject);
  assert_strv_eq (a->rules, (const char *const *) b->rules);
  ck_assert_pstr_eq (a->clauses, b->clauses);
  ck_assert_pstr_eq (a->verdict_json, b->verdict_json);
  ck_assert_pstr_eq (a->explanation, b->explanation);
  ck_assert_int_eq (a->explained_at, b->explained_at);
  ck_assert_int_eq (a->decided_at, b->decided_at);
  ck_assert_pstr_eq (a->decided_by, b->decided_by);
  ck_assert_pstr_eq (a->decision_note, b->decision_note);
  ck_assert_int_eq (a->escalated, b->escalated);
  ck_assert_int_eq (a->release_used, b->release_used);
}

/* The record of ID, which must exist. */
static CmHold *
get_hold (CmHoldStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  CmHold *hold = cm_holdstore_get (store, id, &error);
  ck_assert_msg (hold != NULL, "get %s: %s", id, error ? error->message : "?");
  return hold;
}

/* The permission bits of PATH. */
static guint
mode_of (const char *path)
{
  GStatBuf st;
  ck_assert_msg (g_stat (path, &st) == 0, "stat %s: %s", path, g_strerror (errno));
  return st.st_mode & 07777;
}

/* The events of ID as "what/who/note" lines joined with "|". */
static char *
trail (CmHoldStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = cm_holdstore_events (store, id, 0, &error);
  ck_assert_msg (events != NULL, "events: %s", error ? error->message : "?");
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < events->len; i++)
    {
      const CmHoldEvent *event = events->pdata[i];
      ck_assert_str_eq (event->hold_id, id);
      g_string_append_printf (text, "%s%s/%s/%s", i ? "|" : "", event->what, event->who,
                              event->note ? event->note : "-");
    }
  return g_string_free (text, FALSE);
}

/* The ids of the holds FILTER lists, joined with " ", each as its index in IDS. */
static char *
listed (CmHoldStore *store, const CmHoldFilter *filter, char **ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) holds = cm_holdstore_list (store, filter, &error);
  ck_assert_msg (holds != NULL, "list: %s", error ? error->message : "?");
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < holds->len; i++)
    {
      const CmHold *hold = holds->pdata[i];
      guint k = 0;
      while (ids[k] && strcmp (ids[k], hold->id) != 0)
        k++;
      g_string_append_printf (text, "%s%c", i ? " " : "", ids[k] ? 'A' + k : '?');
    }
  return g_string_free (text, FALSE);
}

START_TEST (test_put_get)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  /* Only what follows the stream's position is kept. */
  GByteArray *bytes = g_byte_array_new ();
  g_byte_array_append (bytes, (const guint8 *) "ALREADY-READ", 12);
  g_byte_array_append (bytes, (const guint8 *) message_bytes, sizeof message_bytes - 1);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_byte_array (bytes);
  ck_assert_int_eq (g_mime_stream_seek (stream, 12, GMIME_STREAM_SEEK_SET), 12);
  CmHold record = {
    .id = (char *) "ignored", .state = CM_HOLD_REJECTED, .held_at = 7,
    .queue_id = (char *) "4Xyz1AbC",
    .sender = (char *) "cllr.jane.smith@northmoor.gov.uk",
    .recipients = (char **) two_recipients,
    .sender_role = (char *) "member",
    .subject = (char *) "Planning \xe2\x9c\x93",
    .rules = (char **) two_rules,
    .clauses = (char *) "South Ribble 16.2; Runnymede 2.1",
    .verdict_json = (char *) "{\"action\": \"hold\",\n \"x\": \"it's\"}",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (CmHold) hold = cm_holdstore_put (store, &record, stream, &error);
  ck_assert_msg (hold != NULL, "put: %s", error ? error->message : "?");
  gint64 after = g_get_real_time () / G_USEC_PER_SEC;

  ck_assert_msg (g_regex_match_simple ("^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$", hold->id, 0, 0), "id %s", hold->id);
  ck_assert_int_eq (hold->state, CM_HOLD_HELD);
  ck_assert_int_ge (hold->held_at, before);
  ck_assert_int_le (hold->held_at, after);
  /* The id's time is held_at, in UTC. */
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (hold->held_at);
  g_autofree char *stamp = g_date_time_format (when, "%Y%m%d-%H%M%S");
  ck_assert (g_str_has_prefix (hold->id, stamp));
  ck_assert_str_eq (hold->sender, record.sender);
  ck_assert_str_eq (hold->verdict_json, record.verdict_json);
  assert_strv_eq (hold->rules, two_rules);
  ck_assert_int_eq (hold->decided_at, 0);
  ck_assert_ptr_null (hold->decided_by);

  g_autoptr (CmHold) got = get_hold (store, hold->id);
  assert_hold_eq (got, hold);

  /* The file: exactly the bytes after the position, private. */
  g_autofree char *path = cm_holdstore_message_path (store, hold->id);
  g_autofree char *expected_path = g_strdup_printf ("%s/held/%s.eml", spool, hold->id);
  ck_assert_str_eq (path, expected_path);
  g_autofree char *data = NULL;
  gsize length = 0;
  ck_assert (g_file_get_contents (path, &data, &length, NULL));
  ck_assert_uint_eq (length, sizeof message_bytes - 1);
  ck_assert (memcmp (data, message_bytes, length) == 0);
  ck_assert_uint_eq (mode_of (path), 0600);
  ck_assert_uint_eq (mode_of (spool), 0700);
  g_autofree char *held_dir = g_build_filename (spool, "held", NULL);
  g_autofree char *tmp_dir = g_build_filename (spool, "tmp", NULL);
  g_autofree char *secret = g_build_filename (spool, "secret", NULL);
  ck_assert_uint_eq (mode_of (held_dir), 0700);
  ck_assert_uint_eq (mode_of (tmp_dir), 0700);
  ck_assert_uint_eq (mode_of (secret), 0600);
  ck_assert_uint_eq (count_entries (spool, "tmp"), 0);
  ck_assert_uint_eq (count_entries (spool, "held"), 1);

  /* The null sender, no recipients or rules. */
  CmHold bare = { 0 };
  g_autoptr (GMimeStream) empty = g_mime_stream_mem_new ();
  g_autoptr (CmHold) second = cm_holdstore_put (store, &bare, empty, &error);
  ck_assert_msg (second != NULL, "put: %s", error ? error->message : "?");
  ck_assert_str_ne (second->id, hold->id);
  g_autoptr (CmHold) got2 = get_hold (store, second->id);
  ck_assert_str_eq (got2->sender, "");
  ck_assert_uint_eq (g_strv_length (got2->recipients), 0);
  ck_assert_uint_eq (g_strv_length (got2->rules), 0);
  ck_assert_ptr_null (got2->subject);
  assert_hold_eq (got2, second);
  g_autofree char *trail2 = trail (store, second->id);
  ck_assert_str_eq (trail2, "held/council-milter/-");
  g_autofree char *trail1 = trail (store, hold->id);
  ck_assert_str_eq (trail1, "held/council-milter/officer-criticism, bcc-member");

  /* An id that is not one cannot name another file. */
  ck_assert_ptr_null (cm_holdstore_message_path (store, "../secret"));
  ck_assert_ptr_null (cm_holdstore_message_path (store, "20261123-031500-7F3A9C"));
  /* A recipient that cannot be kept one to a line is refused. */
  const char *const bad[] = { "a@b\nc@d", NULL };
  CmHold bad_record = { .recipients = (char **) bad };
  g_clear_error (&error);
  g_autoptr (GMimeStream) again = g_mime_stream_mem_new ();
  ck_assert_ptr_null (cm_holdstore_put (store, &bad_record, again, &error));
  ck_assert_ptr_nonnull (error);
  ck_assert_uint_eq (count_entries (spool, "held"), 2);
}
END_TEST

START_TEST (test_open_errors)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autoptr (GError) error = NULL;

  /* An existing spool open to others is tightened to 0700. */
  g_autofree char *loose = g_build_filename (dir, "loose", NULL);
  ck_assert_int_eq (g_mkdir (loose, 0755), 0);
  ck_assert_int_eq (g_chmod (loose, 0755), 0);
  CmHoldStore *store = open_store (loose);
  cm_holdstore_close (store);
  ck_assert_uint_eq (mode_of (loose), 0700);

  /* A spool that cannot be created: its parent is a regular file (this
   * fails for root too, unlike a directory without write permission). */
  g_autofree char *file = test_write (dir, "plain-file", "not a directory\n");
  g_autofree char *under_file = g_build_filename (file, "spool", NULL);
  ck_assert_ptr_null (cm_holdstore_open (under_file, &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO), "%s", error->message);
  ck_assert_msg (strstr (error->message, under_file), "%s", error->message);
  g_clear_error (&error);

  /* A spool path that is a file. */
  ck_assert_ptr_null (cm_holdstore_open (file, &error));
  ck_assert_msg (strstr (error->message, file) && strstr (error->message, "not a directory"), "%s",
                 error->message);
  g_clear_error (&error);

  /* A secret of the wrong size is refused, not replaced. */
  g_autofree char *odd = g_build_filename (dir, "odd", NULL);
  ck_assert_int_eq (g_mkdir (odd, 0700), 0);
  g_autofree char *secret = test_write (odd, "secret", "short");
  ck_assert_ptr_null (cm_holdstore_open (odd, &error));
  ck_assert_msg (strstr (error->message, secret) && strstr (error->message, "5 bytes"), "%s",
                 error->message);
  g_clear_error (&error);
  g_autofree char *kept = NULL;
  ck_assert (g_file_get_contents (secret, &kept, NULL, NULL));
  ck_assert_str_eq (kept, "short");

  /* An index that cannot be opened: index.sqlite is a directory. */
  g_autofree char *broken = g_build_filename (dir, "broken", NULL);
  g_autofree char *index = g_build_filename (broken, "index.sqlite", NULL);
  ck_assert_int_eq (g_mkdir_with_parents (index, 0700), 0);
  ck_assert_ptr_null (cm_holdstore_open (broken, &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO), "%s", error->message);
  ck_assert_msg (strstr (error->message, index), "%s", error->message);
  g_clear_error (&error);

  /* An unwritable parent directory: only meaningful when not root. */
  if (geteuid () != 0)
    {
      g_autofree char *locked = g_build_filename (dir, "locked", NULL);
      ck_assert_int_eq (g_mkdir (locked, 0500), 0);
      g_autofree char *inside = g_build_filename (locked, "spool", NULL);
      ck_assert_ptr_null (cm_holdstore_open (inside, &error));
      ck_assert_msg (strstr (error->message, inside), "%s", error->message);
      g_chmod (locked, 0700);
    }
}
END_TEST

/* Check that a put into STORE at SPOOL fails with an error naming
 * NAMED, and that it left nothing anywhere. */
static void
assert_put_fails (CmHoldStore *store, const char *spool, const char *named, GMimeStream *stream)
{
  g_autoptr (GError) error = NULL;
  CmHold record = { .sender = (char *) "a@example.org", .rules = (char **) two_rules };
  g_autoptr (GMimeStream) sample = g_mime_stream_mem_new_with_buffer (message_bytes, sizeof message_bytes - 1);
  CmHold *hold = cm_holdstore_put (store, &record, stream ? stream : sample, &error);
  ck_assert_ptr_null (hold);
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_IO), "%s",
                 error ? error->message : "no error");
  ck_assert_msg (strstr (error->message, named), "\"%s\" does not name %s", error->message, named);
  g_autofree char *tmp = g_build_filename (spool, "tmp", NULL);
  if (g_file_test (tmp, G_FILE_TEST_IS_DIR))
    ck_assert_uint_eq (count_entries (spool, "tmp"), 0);
  g_autofree char *held = g_build_filename (spool, "held", NULL);
  if (g_file_test (held, G_FILE_TEST_IS_DIR))
    ck_assert_uint_eq (count_entries (spool, "held"), 0);
  g_autoptr (GPtrArray) all = cm_holdstore_list (store, NULL, NULL);
  ck_assert_uint_eq (all->len, 0);
  g_autoptr (GPtrArray) events = cm_holdstore_events (store, NULL, 0, NULL);
  ck_assert_uint_eq (events->len, 0);
}

START_TEST (test_put_unwritable)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autofree char *held = g_build_filename (spool, "held", NULL);
  g_autofree char *tmp = g_build_filename (spool, "tmp", NULL);

  /* held/ unwritable.  Root ignores permissions, so as root held/ is
   * replaced by a regular file instead: the move into it fails either way. */
  if (geteuid () != 0)
    {
      ck_assert_int_eq (g_chmod (held, 0500), 0);
      assert_put_fails (store, spool, held, NULL);
      ck_assert_int_eq (g_chmod (held, 0700), 0);
    }
  ck_assert_int_eq (g_rmdir (held), 0);
  g_autofree char *blocker = test_write (spool, "held", "a file where held/ should be\n");
  assert_put_fails (store, spool, held, NULL);
  g_autofree char *content = NULL;
  ck_assert (g_file_get_contents (blocker, &content, NULL, NULL));
  ck_assert_str_eq (content, "a file where held/ should be\n");
  ck_assert_int_eq (g_unlink (blocker), 0);
  ck_assert_int_eq (g_mkdir (held, 0700), 0);

  /* tmp/ unusable the same way. */
  ck_assert_int_eq (g_rmdir (tmp), 0);
  g_autofree char *blocker2 = test_write (spool, "tmp", "a file where tmp/ should be\n");
  assert_put_fails (store, spool, tmp, NULL);
  ck_assert_int_eq (g_unlink (blocker2), 0);
  ck_assert_int_eq (g_mkdir (tmp, 0700), 0);

  /* Restored, the store works again. */
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  ck_assert_uint_eq (count_entries (spool, "held"), 1);
}
END_TEST

START_TEST (test_put_stream_error)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  /* A stream whose reads fail: a file opened for writing only (EBADF). */
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "message", "From: a@b\r\n\r\nBody\r\n");
  int fd = open (path, O_WRONLY);
  ck_assert_int_ge (fd, 0);
  g_autoptr (GMimeStream) stream = g_mime_stream_fs_new (fd);
  assert_put_fails (store, spool, "reading the message", stream);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream2 = g_mime_stream_fs_new (open (path, O_WRONLY));
  CmHold record = { .sender = (char *) "a@b" };
  ck_assert_ptr_null (cm_holdstore_put (store, &record, stream2, &error));
  ck_assert_msg (strstr (error->message, g_strerror (EBADF)), "%s", error->message);
}
END_TEST

START_TEST (test_put_index_error)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  /* Another process's change makes the index refuse the record. */
  g_autofree char *index = g_build_filename (spool, "index.sqlite", NULL);
  sqlite3 *db = NULL;
  ck_assert_int_eq (sqlite3_open (index, &db), SQLITE_OK);
  ck_assert_int_eq (sqlite3_exec (db, "CREATE TRIGGER refuse BEFORE INSERT ON holds "
                                      "BEGIN SELECT RAISE (ABORT, 'simulated failure'); END",
                                  NULL, NULL, NULL), SQLITE_OK);
  assert_put_fails (store, spool, "simulated failure", NULL);
  g_autoptr (GError) error = NULL;
  CmHold record = { .sender = (char *) "a@b" };
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new ();
  ck_assert_ptr_null (cm_holdstore_put (store, &record, stream, &error));
  ck_assert_msg (strstr (error->message, index), "%s", error->message);

  ck_assert_int_eq (sqlite3_exec (db, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  ck_assert_uint_eq (count_entries (spool, "held"), 1);
}
END_TEST

START_TEST (test_list_filters)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  const char *const rules_a[] = { "officer-criticism", NULL };
  const char *const rules_b[] = { "bcc-member", "officer-criticism-extra", NULL };
  const char *const rules_c[] = { "bcc-member", NULL };
  g_autoptr (CmHold) a = put_message (store, "Cllr.Jane.Smith@Northmoor.gov.uk", rules_a, "A");
  /* B and C are held a second later than A. */
  while (g_get_real_time () / G_USEC_PER_SEC == a->held_at)
    g_usleep (20 * 1000);
  g_autoptr (CmHold) b = put_message (store, "bob@example.org", rules_b, "B");
  g_autoptr (CmHold) c = put_message (store, "jane.doe@example.org", rules_c, "C");
  ck_assert_int_gt (b->held_at, a->held_at);
  ck_assert (cm_holdstore_decide (store, b->id, CM_HOLD_REJECTED, "mo", NULL, NULL));
  char *ids[] = { a->id, b->id, c->id, NULL };

  struct {
    CmHoldFilter filter;
    const char *expected;
  } cases[] = {
    { { .any_state = TRUE }, "A B C" },
    { { .state = CM_HOLD_HELD }, "A C" },
    { { .state = CM_HOLD_REJECTED }, "B" },
    { { .state = CM_HOLD_RELEASED }, "" },
    { { .any_state = TRUE, .sender = "JANE" }, "A C" },
    { { .any_state = TRUE, .sender = "northmoor" }, "A" },
    { { .any_state = TRUE, .sender = "%" }, "" },
    { { .any_state = TRUE, .rule = "officer-criticism" }, "A" },
    { { .any_state = TRUE, .rule = "bcc-member" }, "B C" },
    { { .any_state = TRUE, .rule = "criticism" }, "" },
    { { .any_state = TRUE, .rule = "bcc-member\nofficer-criticism-extra" }, "" },
    { { .any_state = TRUE, .held_before = b->held_at }, "A" },
    { { .any_state = TRUE, .held_since = b->held_at }, "B C" },
    { { .any_state = TRUE, .held_since = a->held_at, .held_before = b->held_at }, "A" },
    { { .state = CM_HOLD_HELD, .sender = "jane", .held_since = b->held_at }, "C" },
    { { .state = CM_HOLD_HELD, .rule = "bcc-member" }, "C" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = listed (store, &cases[i].filter, ids);
      ck_assert_msg (strcmp (got, cases[i].expected) == 0, "case %u: \"%s\", not \"%s\"", i, got,
                     cases[i].expected);
    }
  g_autofree char *all = listed (store, NULL, ids);
  ck_assert_str_eq (all, "A B C");
}
END_TEST

START_TEST (test_decide)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  ck_assert_msg (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", "fair comment", &error),
                 "%s", error ? error->message : "?");
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert_int_eq (got->state, CM_HOLD_RELEASED);
  ck_assert_str_eq (got->decided_by, "alice");
  ck_assert_str_eq (got->decision_note, "fair comment");
  ck_assert_int_ge (got->decided_at, before);
  ck_assert_int_le (got->decided_at, g_get_real_time () / G_USEC_PER_SEC);

  /* A second decision is refused and says what happened, by whom and when. */
  ck_assert (!cm_holdstore_decide (store, hold->id, CM_HOLD_REJECTED, "bob", "no", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (got->decided_at);
  g_autofree char *at = g_date_time_format (when, "%Y-%m-%d %H:%M UTC");
  g_autofree char *expected = g_strdup_printf ("%s was already released by alice at %s", hold->id, at);
  ck_assert_str_eq (error->message, expected);
  g_clear_error (&error);
  g_autoptr (CmHold) still = get_hold (store, hold->id);
  assert_hold_eq (still, got);

  ck_assert (!cm_holdstore_decide (store, "20000101-000000-000000", CM_HOLD_REJECTED, "bob", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  ck_assert_str_eq (error->message, "no held message has the id 20000101-000000-000000");
  g_clear_error (&error);
  ck_assert_ptr_null (cm_holdstore_get (store, "20000101-000000-000000", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);

  /* HELD is no decision; the other three are. */
  g_autoptr (CmHold) other = put_message (store, "b@example.org", NULL, NULL);
  ck_assert (!cm_holdstore_decide (store, other->id, CM_HOLD_HELD, "bob", NULL, &error));
  ck_assert_ptr_nonnull (error);
  g_clear_error (&error);
  ck_assert (!cm_holdstore_decide (store, other->id, (CmHoldState) 42, "bob", NULL, &error));
  g_clear_error (&error);
  g_autoptr (CmHold) unchanged = get_hold (store, other->id);
  ck_assert_int_eq (unchanged->state, CM_HOLD_HELD);
  g_autofree char *other_trail = trail (store, other->id);
  ck_assert_str_eq (other_trail, "held/council-milter/officer-criticism, bcc-member");
  CmHoldState finals[] = { CM_HOLD_REJECTED, CM_HOLD_WITHDRAWN, CM_HOLD_EXPIRED };
  for (guint i = 0; i < G_N_ELEMENTS (finals); i++)
    {
      g_autoptr (CmHold) h = put_message (store, "c@example.org", NULL, NULL);
      ck_assert (cm_holdstore_decide (store, h->id, finals[i], "council-milter", NULL, NULL));
      g_autoptr (CmHold) g = get_hold (store, h->id);
      ck_assert_int_eq (g->state, finals[i]);
      ck_assert_ptr_null (g->decision_note);
    }
  g_autofree char *decided_trail = trail (store, hold->id);
  ck_assert_str_eq (decided_trail,
                    "held/council-milter/officer-criticism, bcc-member|released/alice/fair comment");
}
END_TEST

/* The threads racing for one hold, each with its own store. */
typedef struct {
  const char *spool;
  const char *id;
  gboolean claim;      /* claim the release instead of deciding */
  const char *token;
  GMutex lock;
  GCond cond;
  guint ready;
  gboolean go;
} Race;

typedef struct {
  Race *race;
  guint number;
  gboolean opened;
  gboolean won;
  GError *error;
  char *who;
} Racer;

/* One reviewer (or daemon): open a store, wait for the start, act once. */
static gpointer
racer_thread (gpointer data)
{
  Racer *racer = data;
  Race *race = racer->race;
  CmHoldStore *store = cm_holdstore_open (race->spool, &racer->error);
  racer->opened = store != NULL;
  g_mutex_lock (&race->lock);
  race->ready++;
  g_cond_broadcast (&race->cond);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);
  if (store == NULL)
    return NULL;
  racer->who = g_strdup_printf ("reviewer-%u", racer->number);
  if (race->claim)
    racer->won = cm_holdstore_claim_release (store, race->id, race->token, &racer->error);
  else
    racer->won = cm_holdstore_decide (store, race->id, racer->number % 2 ? CM_HOLD_REJECTED : CM_HOLD_RELEASED,
                                      racer->who, NULL, &racer->error);
  cm_holdstore_close (store);
  return NULL;
}

/* Run N racers for RACE; return the number of the one that won (asserting there is exactly one). */
static guint
run_race (Race *race, guint n, gint expected_code)
{
  g_mutex_init (&race->lock);
  g_cond_init (&race->cond);
  Racer *racers = g_new0 (Racer, n);
  GThread **threads = g_new0 (GThread *, n);
  for (guint i = 0; i < n; i++)
    {
      racers[i].race = race;
      racers[i].number = i;
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }
  g_mutex_lock (&race->lock);
  while (race->ready < n)
    g_cond_wait (&race->cond, &race->lock);
  race->go = TRUE;
  g_cond_broadcast (&race->cond);
  g_mutex_unlock (&race->lock);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);

  guint winners = 0, winner = n;
  for (guint i = 0; i < n; i++)
    {
      ck_assert_msg (racers[i].opened, "open: %s", racers[i].error ? racers[i].error->message : "?");
      if (racers[i].won)
        {
          winners++;
          winner = i;
          ck_assert_ptr_null (racers[i].error);
        }
      else
        ck_assert_msg (g_error_matches (racers[i].error, CM_HOLD_ERROR, expected_code), "racer %u: %s", i,
                       racers[i].error ? racers[i].error->message : "no error");
    }
  ck_assert_uint_eq (winners, 1);
  /* The losers were told who won. */
  for (guint i = 0; i < n && !race->claim; i++)
    if (i != winner)
      ck_assert_msg (strstr (racers[i].error->message, racers[winner].who), "%s", racers[i].error->message);
  for (guint i = 0; i < n; i++)
    {
      g_clear_error (&racers[i].error);
      g_free (racers[i].who);
    }
  g_free (racers);
  g_free (threads);
  g_mutex_clear (&race->lock);
  g_cond_clear (&race->cond);
  return winner;
}

START_TEST (test_decide_concurrent)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  for (guint round = 0; round < 5; round++)
    {
      g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
      guint n = round == 0 ? 2 : 8;
      Race race = { .spool = spool, .id = hold->id };
      guint winner = run_race (&race, n, CM_HOLD_ERROR_DECIDED);
      g_autoptr (CmHold) got = get_hold (store, hold->id);
      g_autofree char *who = g_strdup_printf ("reviewer-%u", winner);
      ck_assert_str_eq (got->decided_by, who);
      ck_assert_int_eq (got->state, winner % 2 ? CM_HOLD_REJECTED : CM_HOLD_RELEASED);
      /* Exactly one decision in the audit trail. */
      g_autofree char *events = trail (store, hold->id);
      g_autofree char *expected = g_strdup_printf ("held/council-milter/officer-criticism, bcc-member|%s/%s/-",
                                                   cm_hold_state_name (got->state), who);
      ck_assert_str_eq (events, expected);
    }
}
END_TEST

START_TEST (test_claim_concurrent)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
      ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
      g_autofree char *token = cm_holdstore_token (store, "release", hold->id);
      Race race = { .spool = spool, .id = hold->id, .claim = TRUE, .token = token };
      run_race (&race, 8, CM_HOLD_ERROR_TOKEN);
      g_autofree char *events = trail (store, hold->id);
      ck_assert_str_eq (events, "held/council-milter/officer-criticism, bcc-member|released/alice/-|"
                                "release-delivered/council-milter/-");
    }
}
END_TEST

START_TEST (test_unrelease)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_holdstore_unrelease (store, hold->id, "no reason", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  ck_assert_msg (strstr (error->message, "still held"), "%s", error->message);
  g_clear_error (&error);

  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", "ok", NULL));
  ck_assert_msg (cm_holdstore_unrelease (store, hold->id, "the MTA said 451", &error), "%s",
                 error ? error->message : "?");
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert_int_eq (got->state, CM_HOLD_HELD);
  ck_assert_int_eq (got->decided_at, 0);
  ck_assert_ptr_null (got->decided_by);
  ck_assert_ptr_null (got->decision_note);
  ck_assert (!got->release_used);
  /* Held again, it can be decided again. */
  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_REJECTED, "bob", "on reflection", NULL));
  g_autofree char *events = trail (store, hold->id);
  ck_assert_str_eq (events, "held/council-milter/officer-criticism, bcc-member|released/alice/ok|"
                            "release-failed/council-milter/the MTA said 451|rejected/bob/on reflection");
  ck_assert (!cm_holdstore_unrelease (store, hold->id, "x", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED));
  g_clear_error (&error);

  /* Not once the release marker was honoured. */
  g_autoptr (CmHold) used = put_message (store, "a@example.org", NULL, NULL);
  ck_assert (cm_holdstore_decide (store, used->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  g_autofree char *token = cm_holdstore_token (store, "release", used->id);
  ck_assert (cm_holdstore_claim_release (store, used->id, token, NULL));
  ck_assert (!cm_holdstore_unrelease (store, used->id, "too late", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  ck_assert_msg (strstr (error->message, "delivered"), "%s", error->message);
  g_clear_error (&error);
  g_autoptr (CmHold) still = get_hold (store, used->id);
  ck_assert_int_eq (still->state, CM_HOLD_RELEASED);
  ck_assert (still->release_used);

  ck_assert (!cm_holdstore_unrelease (store, "20000101-000000-000000", "x", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
}
END_TEST

START_TEST (test_tokens)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  const char *id = "20261123-031500-7f3a9c";
  g_autofree char *token = cm_holdstore_token (store, "release", id);
  ck_assert_msg (g_regex_match_simple ("^[0-9a-f]{64}$", token, 0, 0), "%s", token);
  ck_assert (cm_holdstore_token_valid (store, "release", id, token));

  /* Every other token fails. */
  g_autofree char *changed = g_strdup (token);
  changed[20] = changed[20] == '0' ? '1' : '0';
  ck_assert (!cm_holdstore_token_valid (store, "release", id, changed));
  g_autofree char *changed_last = g_strdup (token);
  changed_last[63] = changed_last[63] == 'a' ? 'b' : 'a';
  ck_assert (!cm_holdstore_token_valid (store, "release", id, changed_last));
  g_autofree char *upper = g_ascii_strup (token, -1);
  if (strcmp (upper, token) != 0)
    ck_assert (!cm_holdstore_token_valid (store, "release", id, upper));
  g_autofree char *shorter = g_strndup (token, 63);
  ck_assert (!cm_holdstore_token_valid (store, "release", id, shorter));
  g_autofree char *longer = g_strconcat (token, "0", NULL);
  ck_assert (!cm_holdstore_token_valid (store, "release", id, longer));
  ck_assert (!cm_holdstore_token_valid (store, "release", "20261123-031500-7f3a9d", token));
  ck_assert (!cm_holdstore_token_valid (store, "reply", id, token));
  ck_assert (!cm_holdstore_token_valid (store, "release", id, ""));
  ck_assert (!cm_holdstore_token_valid (store, "release", id, NULL));
  g_autofree char *reply = cm_holdstore_token (store, "reply", id);
  ck_assert_str_ne (reply, token);
  ck_assert (cm_holdstore_token_valid (store, "reply", id, reply));

  /* It is HMAC-SHA256 of "PURPOSE:ID" under the spool's 32-byte secret. */
  g_autofree char *secret_path = g_build_filename (spool, "secret", NULL);
  g_autofree char *secret = NULL;
  gsize length = 0;
  ck_assert (g_file_get_contents (secret_path, &secret, &length, NULL));
  ck_assert_uint_eq (length, 32);
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secret, length,
                                                     "release:20261123-031500-7f3a9c", -1);
  ck_assert_str_eq (hmac, token);

  /* The secret persists: another store on the spool, or a reopened one, agrees. */
  CmHoldStore *second = open_store (spool);
  ck_assert (cm_holdstore_token_valid (second, "release", id, token));
  g_autofree char *again = cm_holdstore_token (second, "release", id);
  ck_assert_str_eq (again, token);
  cm_holdstore_close (second);

  /* Another spool has another secret. */
  g_autofree char *other_spool = new_spool ();
  CmHoldStore *other = open_store (other_spool);
  g_autofree char *foreign = cm_holdstore_token (other, "release", id);
  ck_assert_str_ne (foreign, token);
  ck_assert (!cm_holdstore_token_valid (other, "release", id, token));
  cm_holdstore_close (other);
}
END_TEST

START_TEST (test_claim_release)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (CmHold) other = put_message (store, "a@example.org", NULL, NULL);
  g_autofree char *token = cm_holdstore_token (store, "release", hold->id);
  g_autofree char *other_token = cm_holdstore_token (store, "release", other->id);
  g_autoptr (GError) error = NULL;

  ck_assert (!cm_holdstore_claim_release (store, hold->id, token, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "not released"), "%s", error->message);
  g_clear_error (&error);

  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  ck_assert (cm_holdstore_decide (store, other->id, CM_HOLD_RELEASED, "alice", NULL, NULL));
  /* A token for another hold, or none, is a forgery. */
  ck_assert (!cm_holdstore_claim_release (store, hold->id, other_token, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "forged"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!cm_holdstore_claim_release (store, hold->id, NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  g_clear_error (&error);

  ck_assert_msg (cm_holdstore_claim_release (store, hold->id, token, &error), "%s",
                 error ? error->message : "?");
  ck_assert (!cm_holdstore_claim_release (store, hold->id, token, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "used already"), "%s", error->message);
  g_clear_error (&error);
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert (got->release_used);
  g_autoptr (CmHold) untouched = get_hold (store, other->id);
  ck_assert (!untouched->release_used);
  g_autofree char *events = trail (store, hold->id);
  ck_assert_str_eq (events, "held/council-milter/officer-criticism, bcc-member|released/alice/-|"
                            "release-delivered/council-milter/-");

  /* A rejected hold's marker is refused too; so is an unknown hold's. */
  g_autoptr (CmHold) rejected = put_message (store, "a@example.org", NULL, NULL);
  ck_assert (cm_holdstore_decide (store, rejected->id, CM_HOLD_REJECTED, "bob", NULL, NULL));
  g_autofree char *rejected_token = cm_holdstore_token (store, "release", rejected->id);
  ck_assert (!cm_holdstore_claim_release (store, rejected->id, rejected_token, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
  ck_assert_msg (strstr (error->message, "rejected by bob"), "%s", error->message);
  g_clear_error (&error);
  g_autofree char *unknown_token = cm_holdstore_token (store, "release", "20000101-000000-000000");
  ck_assert (!cm_holdstore_claim_release (store, "20000101-000000-000000", unknown_token, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_TOKEN));
}
END_TEST

START_TEST (test_explain_and_events)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) hold = put_message (store, "cllr.jane.smith@northmoor.gov.uk", NULL, NULL);
  g_autoptr (CmHold) other = put_message (store, "", NULL, NULL);
  g_autoptr (GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  ck_assert_msg (cm_holdstore_explain (store, hold->id, "It was a joke.", &error), "%s",
                 error ? error->message : "?");
  ck_assert (cm_holdstore_explain (store, hold->id, "It was a quotation.", NULL));
  g_autoptr (CmHold) got = get_hold (store, hold->id);
  ck_assert_str_eq (got->explanation, "It was a quotation.");
  ck_assert_int_ge (got->explained_at, before);
  ck_assert_int_eq (got->state, CM_HOLD_HELD);
  ck_assert (cm_holdstore_add_event (store, hold->id, "council-milter", "notified", "to the MO", NULL));
  ck_assert (cm_holdstore_escalate (store, hold->id, "council-milter", "5 days", NULL));
  g_autoptr (CmHold) escalated = get_hold (store, hold->id);
  ck_assert (escalated->escalated);
  ck_assert (cm_holdstore_explain (store, other->id, "From the null sender.", NULL));
  ck_assert (cm_holdstore_decide (store, hold->id, CM_HOLD_REJECTED, "deputy", "not acceptable", NULL));

  /* Once decided, no more explanations or escalations. */
  ck_assert (!cm_holdstore_explain (store, hold->id, "Late.", &error));
  ck_assert_msg (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED), "%s", error->message);
  ck_assert_msg (strstr (error->message, "rejected by deputy"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!cm_holdstore_escalate (store, hold->id, "council-milter", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_DECIDED));
  g_clear_error (&error);
  g_autoptr (CmHold) final = get_hold (store, hold->id);
  ck_assert_str_eq (final->explanation, "It was a quotation.");
  ck_assert (cm_holdstore_add_event (store, hold->id, "council-milter", "notified", NULL, NULL));

  /* Unknown holds. */
  ck_assert (!cm_holdstore_explain (store, "20000101-000000-000000", "x", &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!cm_holdstore_add_event (store, "20000101-000000-000000", "x", "notified", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!cm_holdstore_escalate (store, "20000101-000000-000000", "x", NULL, &error));
  ck_assert (g_error_matches (error, CM_HOLD_ERROR, CM_HOLD_ERROR_NOT_FOUND));
  g_clear_error (&error);

  g_autofree char *events = trail (store, hold->id);
  ck_assert_str_eq (events,
                    "held/council-milter/officer-criticism, bcc-member"
                    "|explained/cllr.jane.smith@northmoor.gov.uk/It was a joke."
                    "|explained/cllr.jane.smith@northmoor.gov.uk/It was a quotation."
                    "|notified/council-milter/to the MO"
                    "|escalated/council-milter/5 days"
                    "|rejected/deputy/not acceptable"
                    "|notified/council-milter/-");
  g_autofree char *other_events = trail (store, other->id);
  ck_assert_str_eq (other_events, "held/council-milter/officer-criticism, bcc-member"
                                  "|explained/<>/From the null sender.");

  /* Every hold's events, oldest first; and none after now. */
  g_autoptr (GPtrArray) all = cm_holdstore_events (store, NULL, 0, &error);
  ck_assert_uint_eq (all->len, 9);
  const CmHoldEvent *first = all->pdata[0], *second = all->pdata[1], *last = all->pdata[8];
  ck_assert_str_eq (first->hold_id, hold->id);
  ck_assert_str_eq (second->hold_id, other->id);
  ck_assert_str_eq (last->what, "notified");
  for (guint i = 1; i < all->len; i++)
    ck_assert_int_ge (((CmHoldEvent *) all->pdata[i])->at, ((CmHoldEvent *) all->pdata[i - 1])->at);
  g_autoptr (GPtrArray) later = cm_holdstore_events (store, NULL, g_get_real_time () / G_USEC_PER_SEC + 10, &error);
  ck_assert_uint_eq (later->len, 0);
  g_autoptr (GPtrArray) since = cm_holdstore_events (store, hold->id, last->at, &error);
  ck_assert_uint_ge (since->len, 1);
  ck_assert_uint_le (since->len, 7);
  for (guint i = 0; i < since->len; i++)
    ck_assert_int_ge (((CmHoldEvent *) since->pdata[i])->at, last->at);
}
END_TEST

START_TEST (test_reopen)
{
  g_autofree char *spool = new_spool ();
  CmHoldStore *store = open_store (spool);
  g_autoptr (CmHold) a = put_message (store, "a@example.org", NULL, NULL);
  g_autoptr (CmHold) b = put_message (store, "b@example.org", NULL, NULL);
  g_autoptr (CmHold) c = put_message (store, "c@example.org", NULL, NULL);
  ck_assert (cm_holdstore_decide (store, b->id, CM_HOLD_RELEASED, "alice", "fine", NULL));
  ck_assert (cm_holdstore_explain (store, c->id, "sorry", NULL));
  g_autofree char *token = cm_holdstore_token (store, "reply", c->id);
  g_autoptr (CmHold) b_before = get_hold (store, b->id);
  g_autoptr (CmHold) c_before = get_hold (store, c->id);
  g_autofree char *trail_before = trail (store, c->id);
  cm_holdstore_close (store);

  store = open_store (spool);
  g_autoptr (GPtrArray) all = cm_holdstore_list (store, NULL, NULL);
  ck_assert_uint_eq (all->len, 3);
  assert_hold_eq (all->pdata[0], a);
  assert_hold_eq (all->pdata[1], b_before);
  assert_hold_eq (all->pdata[2], c_before);
  g_autofree char *trail_after = trail (store, c->id);
  ck_assert_str_eq (trail_after, trail_before);
  ck_assert (cm_holdstore_token_valid (store, "reply", c->id, token));
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *path = cm_holdstore_message_path (store, ((CmHold *) all->pdata[i])->id);
      ck_assert_msg (g_file_test (path, G_FILE_TEST_IS_REGULAR), "%s", path);
    }
  /* The decision still holds after the restart. */
  ck_assert (!cm_holdstore_decide (store, b->id, CM_HOLD_REJECTED, "bob", NULL, NULL));
  cm_holdstore_close (store);
}
END_TEST

START_TEST (test_state_names)
{
  CmHoldState states[] = { CM_HOLD_HELD, CM_HOLD_RELEASED, CM_HOLD_REJECTED, CM_HOLD_WITHDRAWN, CM_HOLD_EXPIRED };
  const char *names[] = { "held", "released", "rejected", "withdrawn", "expired" };
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      ck_assert_str_eq (cm_hold_state_name (states[i]), names[i]);
      CmHoldState parsed = (CmHoldState) 99;
      ck_assert (cm_hold_state_parse (names[i], &parsed));
      ck_assert_int_eq (parsed, states[i]);
    }
  CmHoldState parsed = CM_HOLD_EXPIRED;
  ck_assert (!cm_hold_state_parse ("Held", &parsed));
  ck_assert (!cm_hold_state_parse ("", &parsed));
  ck_assert (!cm_hold_state_parse (NULL, &parsed));
  ck_assert_int_eq (parsed, CM_HOLD_EXPIRED);
}
END_TEST

int
main (void)
{
  g_mime_init ();
  Suite *suite = suite_create ("holdstore");
  TCase *tc = tcase_create ("holdstore");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_put_get);
  tcase_add_test (tc, test_open_errors);
  tcase_add_test (tc, test_put_unwritable);
  tcase_add_test (tc, test_put_stream_error);
  tcase_add_test (tc, test_put_index_error);
  tcase_add_test (tc, test_list_filters);
  tcase_add_test (tc, test_decide);
  tcase_add_test (tc, test_decide_concurrent);
  tcase_add_test (tc, test_claim_concurrent);
  tcase_add_test (tc, test_unrelease);
  tcase_add_test (tc, test_tokens);
  tcase_add_test (tc, test_claim_release);
  tcase_add_test (tc, test_explain_and_events);
  tcase_add_test (tc, test_reopen);
  tcase_add_test (tc, test_state_names);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}

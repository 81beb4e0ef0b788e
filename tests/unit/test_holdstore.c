/*
 * test_holdstore.c: the store of held mail: a record and its message
 * that round-trip and survive a restart; failures (an unwritable spool,
 * a failing stream, a failing index) that leave nothing behind; listing
 * with filters; what a killed daemon left, put right at start-up.
 * Decisions, races, tokens and the audit trail are in test_holddecide.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <utime.h>
#include <sqlite3.h>

#include "holdfixture.h"
#include "holdrecover.h"

START_TEST (test_put_get)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  /* Only what follows the stream's position is kept. */
  GByteArray *bytes = g_byte_array_new ();
  g_byte_array_append (bytes, (const guint8 *) "ALREADY-READ", 12);
  g_byte_array_append (bytes, (const guint8 *) message_bytes, message_length);
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
  ck_assert_uint_eq (length, message_length);
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
  g_autoptr (GMimeStream) sample = g_mime_stream_mem_new_with_buffer (message_bytes, message_length);
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

/* Make PATH look written AGE seconds ago. */
static void
age_file (const char *path, gint64 age)
{
  struct utimbuf when = { (time_t) (g_get_real_time () / G_USEC_PER_SEC - age),
                          (time_t) (g_get_real_time () / G_USEC_PER_SEC - age) };
  ck_assert_int_eq (g_utime (path, &when), 0);
}

/* Issue 9 F9: after kill -9 the daemon's start-up puts the spool right:
 * what was left in tmp/ over a minute ago is swept; a held/ID.eml with no
 * record is indexed as held (envelope from its header, held at its id's
 * time, so it is listed and expires), with a "recovered" event; files
 * younger than a minute, and held messages with records, are left alone. */
START_TEST (test_recover)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) store = open_store (spool);
  g_autoptr (CmHold) kept = put_message (store, "a@example.org", NULL, NULL);
  g_autofree char *kept_path = cm_holdstore_message_path (store, kept->id);
  age_file (kept_path, 3600);
  g_autofree char *tmp = g_build_filename (spool, "tmp", NULL);
  g_autofree char *held = g_build_filename (spool, "held", NULL);
  g_autofree char *stale = test_write (tmp, "20261123-031500-7f3a9c.eml", "half a mess");
  age_file (stale, 120);
  g_autofree char *fresh = test_write (tmp, "20261123-031501-000001.eml", "being written");
  const char *orphan_id = "20261120-081500-0a1b2c";
  g_autofree char *orphan = test_write (held, "20261120-081500-0a1b2c.eml", message_bytes);
  ck_assert (g_file_set_contents (orphan, message_bytes, (gssize) message_length, NULL));
  age_file (orphan, 120);
  g_autofree char *young = test_write (held, "20261120-081501-0a1b2d.eml", message_bytes);
  g_autofree char *stray = test_write (held, "notes.txt", "not a hold");
  age_file (stray, 120);

  CmHoldRecovery counts = cm_holdrecover_run (store, spool, g_get_real_time () / G_USEC_PER_SEC);
  ck_assert_uint_eq (counts.swept, 1);
  ck_assert_uint_eq (counts.indexed, 1);
  ck_assert_uint_eq (counts.failed, 0);
  ck_assert (!g_file_test (stale, G_FILE_TEST_EXISTS));
  ck_assert (g_file_test (fresh, G_FILE_TEST_EXISTS));
  ck_assert (g_file_test (young, G_FILE_TEST_EXISTS));
  ck_assert (g_file_test (stray, G_FILE_TEST_EXISTS));

  g_autoptr (CmHold) found = get_hold (store, orphan_id);
  ck_assert_int_eq (found->state, CM_HOLD_HELD);
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 11, 20, 8, 15, 0);
  ck_assert_int_eq (found->held_at, g_date_time_to_unix (when));
  ck_assert_str_eq (found->sender, "cllr.jane.smith@northmoor.gov.uk");
  const char *const to[] = { "builder@example.org", NULL };
  assert_strv_eq (found->recipients, to);
  ck_assert_str_eq (found->subject, "Planning \xe2\x9c\x93");
  ck_assert_str_eq (found->body_digest, kept->body_digest);
  g_autofree char *events = trail (store, orphan_id);
  ck_assert_msg (g_str_has_prefix (events, "held/council-milter/-|recovered/council-milter/indexed at start-up"),
                 "%s", events);
  /* Listed, and old enough to be expired. */
  CmHoldFilter old = { .state = CM_HOLD_HELD, .held_before = g_date_time_to_unix (when) + 1 };
  char *only[] = { (char *) orphan_id, NULL };
  g_autofree char *ids = listed (store, &old, only);
  ck_assert_str_eq (ids, "A");
  g_autoptr (CmHold) untouched = get_hold (store, kept->id);
  assert_hold_eq (untouched, kept);

  /* Nothing more to do the second time. */
  counts = cm_holdrecover_run (store, spool, g_get_real_time () / G_USEC_PER_SEC);
  ck_assert_uint_eq (counts.swept + counts.indexed + counts.failed, 0);
  /* The young one, once old, is indexed too; one with no header at all
   * still is, with the null sender and no recipients. */
  age_file (young, 120);
  g_autofree char *bare = test_write (held, "20261120-081502-0a1b2e.eml", "no header, no body");
  age_file (bare, 120);
  counts = cm_holdrecover_run (store, spool, g_get_real_time () / G_USEC_PER_SEC);
  ck_assert_uint_eq (counts.indexed, 2);
  g_autoptr (CmHold) headless = get_hold (store, "20261120-081502-0a1b2e");
  ck_assert_str_eq (headless->sender, "");
  ck_assert_uint_eq (g_strv_length (headless->recipients), 0);
}
END_TEST

/* Issue 9 F14: the index and its -wal and -shm files are 0600 whatever
 * the umask (they were 0644 when the daemon was started outside its
 * unit); an index an earlier start left looser is made private again. */
START_TEST (test_index_private)
{
  mode_t saved = umask (022);
  g_autofree char *spool = new_spool ();
  g_autofree char *index = g_build_filename (spool, "index.sqlite", NULL);
  g_autofree char *wal = g_strconcat (index, "-wal", NULL);
  g_autofree char *shm = g_strconcat (index, "-shm", NULL);
  {
    g_autoptr (CmHoldStore) store = open_store (spool);
    g_autoptr (CmHold) hold = put_message (store, "a@example.org", NULL, NULL);
    ck_assert_uint_eq (mode_of (index), 0600);
    ck_assert_uint_eq (mode_of (wal), 0600);
    ck_assert_uint_eq (mode_of (shm), 0600);
  }
  ck_assert_int_eq (g_chmod (index, 0644), 0);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    ck_assert_int_eq (g_chmod (wal, 0644), 0);
  g_autoptr (CmHoldStore) again = open_store (spool);
  g_autoptr (CmHold) other = put_message (again, "a@example.org", NULL, NULL);
  ck_assert_uint_eq (mode_of (index), 0600);
  ck_assert_uint_eq (mode_of (wal), 0600);
  umask (saved);
}
END_TEST

/* A second store opened and closed in a process that has one open (the
 * daemon deciding a reply through the review library) leaves the first
 * its locks: another process closing its own connection then must not
 * take itself for the last one and remove the WAL from under both. */
START_TEST (test_second_store_in_process)
{
  g_autofree char *spool = new_spool ();
  g_autoptr (CmHoldStore) first = open_store (spool);
  g_autoptr (CmHold) one = put_message (first, "a@northmoor.gov.uk", NULL, NULL);
  cm_holdstore_close (open_store (spool));
  /* Another process (not a fork, which would share this one's idea of
   * its locks): a council-review run that reads and goes. */
  g_autofree char *index = g_build_filename (spool, "index.sqlite", NULL);
  const char *argv[] = { "python3", "-c",
                         "import sqlite3, sys\n"
                         "c = sqlite3.connect(sys.argv[1])\n"
                         "c.execute('SELECT count(*) FROM holds').fetchall()\n"
                         "c.close()\n", index, NULL };
  int status = -1;
  g_autoptr (GError) error = NULL;
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                               &error), "%s", error ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, &error), "%s", error ? error->message : "");
  g_autofree char *wal = g_strconcat (index, "-wal", NULL);
  ck_assert_msg (g_file_test (wal, G_FILE_TEST_EXISTS), "the WAL was removed while a connection had it open");
  g_autoptr (CmHold) two = put_message (first, "b@northmoor.gov.uk", NULL, NULL);
  g_autoptr (CmHoldStore) third = open_store (spool);
  g_autoptr (CmHold) seen = get_hold (third, two->id);
  ck_assert_str_eq (seen->sender, "b@northmoor.gov.uk");
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
  tcase_add_test (tc, test_reopen);
  tcase_add_test (tc, test_state_names);
  tcase_add_test (tc, test_recover);
  tcase_add_test (tc, test_index_private);
  tcase_add_test (tc, test_second_store_in_process);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_mime_shutdown ();
  return status;
}

/*
 * test_msgctx.c: the daemon's per-message state: headers kept and our own
 * left out, the body spool in memory then in a private file, the stream
 * the engine reads, and a spool that cannot be written.
 */
#include "config.h"

#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgctx.h"
#include "testutil.h"
#include "settings.h"

static CmMsgCtx *
new_message (const char *extra_config)
{
  g_autofree char *path = test_config_variant (extra_config, NULL);
  g_autoptr (GError) error = NULL;
  CmConfig *config = cm_daemon_config_load (path, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  CmEnvelope *envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "builder@example.org");
  return cm_msgctx_new (config, envelope);
}

/* The whole stream of MSG as a string. */
static char *
stream_text (CmMsgCtx *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream = cm_msgctx_stream (msg, &error);
  ck_assert_msg (stream != NULL, "%s", error ? error->message : "");
  GByteArray *bytes = g_byte_array_new ();
  g_autoptr (GMimeStream) mem = g_mime_stream_mem_new_with_byte_array (bytes);
  ck_assert_int_ge (g_mime_stream_write_to_stream (stream, mem), 0);
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return g_strdup ((const char *) bytes->data);
}

START_TEST (test_headers)
{
  CmMsgCtx *msg = new_message (NULL);
  cm_msgctx_add_header (msg, "From", "cllr.jane.smith@northmoor.gov.uk");
  cm_msgctx_add_header (msg, "X-Council-Protocol", "forged; by the sender");
  cm_msgctx_add_header (msg, "x-council-protocol-scan", "forged too");
  cm_msgctx_add_header (msg, "Subject", "Repairs");
  cm_msgctx_add_header (msg, "Message-ID", "<a@b>");
  cm_msgctx_add_header (msg, "Auto-Submitted", " no");
  cm_msgctx_end_headers (msg);
  ck_assert_uint_eq (msg->forged_verdict, 1);
  ck_assert_uint_eq (msg->forged_scan, 1);
  ck_assert_str_eq (msg->subject, "Repairs");
  ck_assert_str_eq (msg->message_id, "<a@b>");
  ck_assert (!msg->auto_submitted);
  cm_msgctx_add_header (msg, "Auto-Submitted", "auto-replied");
  ck_assert (msg->auto_submitted);
  g_autofree char *text = stream_text (msg);
  ck_assert_msg (strstr (text, "Subject: Repairs\r\n"), "%s", text);
  ck_assert_msg (!strstr (text, "forged"), "%s", text);
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_spool_to_file)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *extra = g_strdup_printf ("[milter]\ntemp-dir=%s\nbody-memory=4096", dir);
  CmMsgCtx *msg = new_message (extra);
  ck_assert_uint_eq (msg->body_memory, 4096);
  cm_msgctx_add_header (msg, "Subject", "Big");
  cm_msgctx_end_headers (msg);
  GString *body = g_string_new (NULL);
  for (int i = 0; i < 2000; i++)
    g_string_append_printf (body, "Line %d of a long body.\r\n", i);
  gboolean enough = FALSE;
  for (gsize at = 0; at < body->len; at += 1000)
    ck_assert (cm_msgctx_add_body (msg, (const guint8 *) body->str + at, MIN (1000, body->len - at), &enough, NULL));
  ck_assert (!enough);
  ck_assert_int_ge (msg->body_fd, 0);      /* spilled to a file */
  ck_assert_ptr_null (msg->body);
  ck_assert_uint_eq (msg->body_size, body->len);
  struct stat st;
  ck_assert_int_eq (fstat (msg->body_fd, &st), 0);
  ck_assert_int_eq (st.st_nlink, 0);       /* already unlinked: private */
  ck_assert_int_eq (st.st_mode & 0777, 0600);
  g_autofree char *text = stream_text (msg);
  ck_assert (g_str_has_prefix (text, "Subject: Big\r\n\r\nLine 0 of"));
  ck_assert (g_str_has_suffix (text, "Line 1999 of a long body.\r\n"));
  g_string_free (body, TRUE);
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_spool_cannot_be_written)
{
  CmMsgCtx *msg = new_message ("[milter]\ntemp-dir=/nonexistent/council-milter-spool\nbody-memory=4096");
  cm_msgctx_end_headers (msg);
  guint8 block[8192];
  memset (block, 'x', sizeof block);
  g_autoptr (GError) error = NULL;
  gboolean enough = FALSE;
  ck_assert (!cm_msgctx_add_body (msg, block, sizeof block, &enough, &error));
  ck_assert_msg (strstr (error->message, "/nonexistent/council-milter-spool"), "%s", error->message);
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_spool_full_disk)
{
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    return;
  CmMsgCtx *msg = new_message (NULL);
  msg->body_memory = 16;
  cm_msgctx_end_headers (msg);
  gboolean enough = FALSE;
  ck_assert (cm_msgctx_add_body (msg, (const guint8 *) "small", 5, &enough, NULL));
  /* Replace the spool file by /dev/full: every write fails with ENOSPC. */
  guint8 block[64] = { 0 };
  ck_assert (cm_msgctx_add_body (msg, block, sizeof block, &enough, NULL));
  int full = open ("/dev/full", O_WRONLY);
  ck_assert_int_ge (full, 0);
  dup2 (full, msg->body_fd);
  close (full);
  g_autoptr (GError) error = NULL;
  ck_assert (!cm_msgctx_add_body (msg, block, sizeof block, &enough, &error));
  ck_assert_msg (strstr (error->message, "writing the body spool"), "%s", error->message);
  cm_msgctx_free (msg);
}
END_TEST

START_TEST (test_scan_limit)
{
  CmMsgCtx *msg = new_message ("[policy]\nmax-scan-size=64K");
  cm_msgctx_add_header (msg, "Subject", "Huge");
  cm_msgctx_end_headers (msg);
  guint8 block[10000];
  memset (block, 'y', sizeof block);
  gboolean enough = FALSE;
  guint chunks = 0;
  while (!enough && chunks < 100)
    {
      ck_assert (cm_msgctx_add_body (msg, block, sizeof block, &enough, NULL));
      chunks++;
    }
  ck_assert (enough);
  ck_assert_uint_eq (chunks, 7);
  /* One byte past the limit is kept, so the engine knows it was cut. */
  ck_assert_uint_eq (msg->headers->len + msg->body_size, 64 * 1024 + 1);
  ck_assert (cm_msgctx_add_body (msg, block, sizeof block, &enough, NULL));
  ck_assert_uint_eq (msg->body_received, 80000);
  ck_assert_uint_eq (msg->headers->len + msg->body_size, 64 * 1024 + 1);
  cm_msgctx_free (msg);
}
END_TEST

/* X-Council-Protocol-Scan gives the message's size, not the bytes that
 * came before the MTA was asked to skip the rest (issue 9). */
START_TEST (test_scan_note)
{
  CmMsgCtx *msg = new_message ("[policy]\nmax-scan-size=64K");
  cm_msgctx_add_header (msg, "Subject", "Huge");
  cm_msgctx_end_headers (msg);
  gsize head = msg->headers->len;
  guint8 block[10000];
  memset (block, 'y', sizeof block);
  gboolean enough = FALSE;
  for (guint i = 0; i < 20; i++)
    ck_assert (cm_msgctx_add_body (msg, block, sizeof block, &enough, NULL));
  /* Every byte came (an MTA without SKIP): the size is what came. */
  g_autofree char *whole = cm_msgctx_scan_note (msg, 65536);
  g_autofree char *expected = g_strdup_printf ("partial, 65536 of %zu bytes", head + 200000);
  ck_assert_str_eq (whole, expected);
  cm_msgctx_free (msg);

  /* The MTA skipped the rest after 70,000 bytes of a 2,000,000-byte body. */
  msg = new_message ("[policy]\nmax-scan-size=64K");
  msg->declared_size = 2000000 + 1234;
  cm_msgctx_add_header (msg, "Subject", "Huge");
  cm_msgctx_end_headers (msg);
  for (guint i = 0; i < 7; i++)
    ck_assert (cm_msgctx_add_body (msg, block, sizeof block, &enough, NULL));
  ck_assert (enough);
  msg->skipped = TRUE;
  g_autofree char *declared = cm_msgctx_scan_note (msg, 65536);
  ck_assert_str_eq (declared, "partial, 65536 of 2001234 bytes");
  /* Without SIZE= at MAIL FROM, only a lower bound is known. */
  msg->declared_size = 0;
  g_autofree char *unknown = cm_msgctx_scan_note (msg, 65536);
  g_autofree char *bound = g_strdup_printf ("partial, 65536 of at least %zu bytes", head + 70000);
  ck_assert_str_eq (unknown, bound);
  cm_msgctx_free (msg);
}
END_TEST

/* F6 of issue 9: header fields were kept whole in memory (350,000 small
 * ones: 239 MB).  Now they go to the spool with the body, in memory up
 * to body-memory and in the file past it; only the first 64 KB are kept
 * as text, and nothing is lost. */
START_TEST (test_many_headers)
{
  CmMsgCtx *msg = new_message ("[milter]\nbody-memory=4K");
  const guint n = 20000;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("X-Filler-%u", i);
      cm_msgctx_add_header (msg, name, "value");
    }
  cm_msgctx_add_header (msg, "Subject", "Last");
  cm_msgctx_end_headers (msg);
  ck_assert_ptr_null (msg->failure);
  ck_assert_int_ge (msg->body_fd, 0);
  ck_assert_ptr_null (msg->body);
  ck_assert_uint_le (msg->headers->len, CM_HEADERS_COPY_MAX + 2);
  ck_assert (msg->headers_cut);
  ck_assert_uint_eq (msg->header_count, n + 1);
  ck_assert_str_eq (msg->subject, "Last");
  guint8 body[] = "Hello.\r\n";
  gboolean enough = FALSE;
  ck_assert (cm_msgctx_add_body (msg, body, sizeof body - 1, &enough, NULL));
  g_autofree char *text = stream_text (msg);
  ck_assert_uint_eq (strlen (text), msg->headers_size + sizeof body - 1);
  ck_assert (g_str_has_prefix (text, "X-Filler-0: value\r\n"));
  ck_assert_msg (strstr (text, "X-Filler-19999: value\r\nSubject: Last\r\n\r\nHello.\r\n"), "the end is lost");
  cm_msgctx_free (msg);
}
END_TEST

/* X-Council-Protocol-Scan for a scan cut at a cap, at the size, or both. */
START_TEST (test_scan_value)
{
  CmMsgCtx *msg = new_message (NULL);
  cm_msgctx_add_header (msg, "Subject", "Deep");
  cm_msgctx_end_headers (msg);
  CmVerdict verdict = { 0 };
  verdict.partial = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (verdict.partial, g_strdup ("mime-depth 33 > 32"));
  g_autofree char *caps = cm_msgctx_scan_value (msg, &verdict);
  ck_assert_str_eq (caps, "partial, mime-depth 33 > 32");
  g_ptr_array_add (verdict.partial, g_strdup ("parts 1001 > 1000"));
  verdict.truncated = TRUE;
  verdict.scanned = 10;
  g_autofree char *both = cm_msgctx_scan_value (msg, &verdict);
  g_autofree char *expected = g_strdup_printf ("partial, 10 of %zu bytes; mime-depth 33 > 32; parts 1001 > 1000",
                                               msg->headers_size);
  ck_assert_str_eq (both, expected);
  g_ptr_array_set_size (verdict.partial, 0);
  g_autofree char *size = cm_msgctx_scan_value (msg, &verdict);
  g_autofree char *note = cm_msgctx_scan_note (msg, 10);
  ck_assert_str_eq (size, note);
  g_ptr_array_unref (verdict.partial);
  cm_msgctx_free (msg);
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("msgctx");
  TCase *tc = tcase_create ("msgctx");
  tcase_add_test (tc, test_headers);
  tcase_add_test (tc, test_spool_to_file);
  tcase_add_test (tc, test_spool_cannot_be_written);
  tcase_add_test (tc, test_spool_full_disk);
  tcase_add_test (tc, test_scan_limit);
  tcase_add_test (tc, test_scan_note);
  tcase_add_test (tc, test_many_headers);
  tcase_add_test (tc, test_scan_value);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

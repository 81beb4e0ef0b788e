/*
 * test_corpora.c: every message in the shared corpora (real messages
 * written by others, $CORPORA_DIR) goes through the engine without a
 * crash and without a finding: with the example directory none of them is
 * council mail.  Each message is run twice: as council-check runs it (the
 * envelope from the headers) and as an authenticated client's mail, so
 * that the whole parse and every rule run on it even though its sender is
 * not in the council.  The disclose action's change is tried on each one
 * too, for the MIME shapes.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>

#include "testutil.h"

static GPtrArray *files;

static void
collect (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect (path);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !g_str_has_suffix (name, ".md"))
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

START_TEST (test_corpus_message)
{
  const char *path = files->pdata[_i];
  g_autoptr (CmVerdict) as_check = test_check_file (test_config, NULL, path);
  ck_assert_msg (as_check->findings->len == 0, "%s: a finding", path);

  g_autoptr (CmEnvelope) envelope = cm_envelope_new ("someone@example.org");
  envelope->authenticated = TRUE;
  cm_envelope_add_recipient (envelope, "tom.baker@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "cllr.raj.patel@northmoor.gov.uk");
  cm_envelope_add_recipient (envelope, "recipient@example.com");
  g_autoptr (CmVerdict) forced = test_check_file (test_config, envelope, path);
  ck_assert_msg (forced->checked, "%s: not checked", path);
  g_autofree char *json = cm_verdict_to_json (forced);
  ck_assert_msg (forced->findings->len == 0, "%s: findings %s", path, json);
  ck_assert (g_utf8_validate (json, -1, NULL));
}
END_TEST

/* The leaves of MESSAGE in order: content type and decoded bytes. */
static void
add_leaf (GMimeObject *parent, GMimeObject *part, gpointer data)
{
  (void) parent;
  if (!GMIME_IS_PART (part))
    return;
  GByteArray *out = g_byte_array_new ();
  g_autofree char *type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));
  g_byte_array_append (out, (const guint8 *) type, (guint) strlen (type));
  g_byte_array_append (out, (const guint8 *) "\n", 1);
  GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (part));
  if (content)
    {
      g_autoptr (GMimeStream) mem = g_mime_stream_mem_new ();
      g_mime_data_wrapper_write_to_stream (content, mem);
      GByteArray *bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
      g_byte_array_append (out, bytes->data, bytes->len);
    }
  g_ptr_array_add (data, out);
}

static GPtrArray *
leaves (const char *text, gsize length)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, length);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  if (message)
    g_mime_message_foreach (message, add_leaf, found);
  return found;
}

/* Does BYTES hold NEEDLE?  (Mail may hold NUL bytes: no strstr.) */
static gboolean
holds (const GByteArray *bytes, const char *needle)
{
  return memmem (bytes->data, bytes->len, needle, strlen (needle)) != NULL;
}

/* The disclose action on the corpora's MIME shapes: a message whose body
 * may be changed keeps every part, every non-text part byte for byte,
 * and each changed part holds the line; the rest are refused with a
 * reason.  Each outcome is printed to the test log. */

START_TEST (test_corpus_disclose)
{
  const char *path = files->pdata[_i];
  const char *line = "CC Councillor Raj Patel";
  g_autofree char *data = NULL;
  gsize length = 0;
  ck_assert (g_file_get_contents (path, &data, &length, NULL));
  g_autoptr (GMimeStream) in = g_mime_stream_mem_new_with_buffer (data, length);
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GMimeStream) out = g_mime_stream_mem_new_with_byte_array (body);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (out), FALSE);
  g_autoptr (GError) error = NULL;
  if (!cm_disclose_body (in, line, out, &error))
    {
      ck_assert_msg (error && strstr (error->message, "cannot be changed: "), "%s: %s", path,
                     error ? error->message : "no reason");
      printf ("disclose %s: refused, %s\n", path, error->message);
      return;
    }
  /* The changed message: the original header block, then the new body. */
  const char *split = memmem (data, length, "\r\n\r\n", 4);
  const char *lf_split = memmem (data, length, "\n\n", 2);
  gsize head = split && (!lf_split || split < lf_split) ? (gsize) (split - data) + 4
                                                        : (gsize) (lf_split - data) + 2;
  GString *changed = g_string_new_len (data, (gssize) head);
  g_string_append_len (changed, (const char *) body->data, (gssize) body->len);
  g_autoptr (GPtrArray) before = leaves (data, length);
  g_autoptr (GPtrArray) after = leaves (changed->str, changed->len);
  g_string_free (changed, TRUE);
  ck_assert_uint_eq (before->len, after->len);
  guint with_line = 0;
  for (guint i = 0; i < before->len; i++)
    {
      const GByteArray *was = before->pdata[i], *now = after->pdata[i];
      if (was->len == now->len && memcmp (was->data, now->data, was->len) == 0)
        continue;
      /* A changed part: a text part, the same type, now holding the line. */
      ck_assert_msg (g_ascii_strncasecmp ((const char *) was->data, "text/", 5) == 0,
                     "%s: part %u (%.20s) changed", path, i, (const char *) was->data);
      ck_assert_msg (holds (now, line) && !holds (was, line), "%s: part %u lacks the line", path, i);
      with_line++;
    }
  ck_assert_msg (with_line > 0, "%s: changed, but no part has the line", path);
  printf ("disclose %s: %u text part%s changed\n", path, with_line, with_line == 1 ? "" : "s");
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  files = g_ptr_array_new_with_free_func (g_free);
  const char *dir = g_getenv ("CORPORA_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      printf ("corpora: %s is not there; skipped\n", dir ? dir : "CORPORA_DIR");
      return 77; /* the automake test driver's SKIP */
    }
  collect (dir);
  test_sort_strings (files);
  printf ("corpora: %u messages under %s\n", files->len, dir);

  Suite *suite = suite_create ("corpora");
  TCase *tc = tcase_create ("corpora");
  /* One configuration for the whole run: loading it per message (weights
   * and valence) would cost more than checking the message. */
  tcase_add_unchecked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_loop_test (tc, test_corpus_message, 0, (int) files->len);
  tcase_add_loop_test (tc, test_corpus_disclose, 0, (int) files->len);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_ptr_array_unref (files);
  return status;
}

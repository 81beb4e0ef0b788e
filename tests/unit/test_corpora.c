/*
 * test_corpora.c: every message in the shared corpora (real messages
 * written by others, $CORPORA_DIR) goes through the engine without a
 * crash and without a finding: with the example directory none of them is
 * council mail.  Each message is run twice: as council-check runs it (the
 * envelope from the headers) and as an authenticated client's mail, so
 * that the whole parse and every rule run on it even though its sender is
 * not in the council.
 */
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
  tcase_add_checked_fixture (tc, test_config_setup, test_config_teardown);
  tcase_add_loop_test (tc, test_corpus_message, 0, (int) files->len);
  suite_add_tcase (suite, tc);
  int status = test_run (suite);
  g_ptr_array_unref (files);
  return status;
}

/*
 * test_keyfile.c: key files report every error with FILE:LINE; data files
 * are split into the lines g_strsplit would give.
 */
#include "config.h"

#include <string.h>

#include "keyfile.h"
#include "lines.h"
#include "testutil.h"

/* Load TEXT as a key file; return the error message (or NULL if it loaded). */
static char *
load_error (const char *text)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "k.conf", text);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, &error);
  if (file)
    return NULL;
  ck_assert (error != NULL);
  ck_assert_msg (strstr (error->message, path) != NULL, "no file name in: %s", error->message);
  return g_strdup (error->message);
}

START_TEST (test_good_file_has_lines)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "k.conf", "# comment\n\n[a]\nx=1\n  y = two \n[b]\nz=3\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, &error);
  ck_assert_msg (file != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (cm_keyfile_line (file, "a", NULL), 3);
  ck_assert_int_eq (cm_keyfile_line (file, "a", "x"), 4);
  ck_assert_int_eq (cm_keyfile_line (file, "a", "y"), 5);
  ck_assert_int_eq (cm_keyfile_line (file, "b", "z"), 7);
  ck_assert_int_eq (cm_keyfile_line (file, "b", "nope"), 0);
  g_autofree char *y = g_key_file_get_string (cm_keyfile_keys (file), "a", "y", NULL);
  /* GKeyFile keeps trailing blanks; the readers strip values. */
  ck_assert_str_eq (g_strstrip (y), "two");
}
END_TEST

START_TEST (test_stray_line)
{
  g_autofree char *message = load_error ("[a]\nx=1\nthis is not a key\n");
  ck_assert_ptr_nonnull (message);
  ck_assert_msg (strstr (message, ":3: not a [group]"), "%s", message);
}
END_TEST

START_TEST (test_key_before_group)
{
  g_autofree char *message = load_error ("x=1\n[a]\n");
  ck_assert_msg (message && strstr (message, ":1: key \"x\" comes before any [group]"), "%s", message);
}
END_TEST

START_TEST (test_duplicate_group_and_key)
{
  g_autofree char *group = load_error ("[a]\nx=1\n[b]\n[a]\n");
  ck_assert_msg (group && strstr (group, ":4: group [a] appears twice (first at line 1)"), "%s", group);
  g_autofree char *key = load_error ("[a]\nx=1\n\nx=2\n");
  ck_assert_msg (key && strstr (key, ":4: [a] x is set twice (first at line 2)"), "%s", key);
}
END_TEST

START_TEST (test_bad_header_and_key_name)
{
  g_autofree char *header = load_error ("[a\nx=1\n");
  ck_assert_msg (header && strstr (header, ":1: a group header must be [name]"), "%s", header);
  g_autofree char *name = load_error ("[a]\nbad key=1\n");
  ck_assert_msg (name && strstr (name, ":2: \"bad key\" is not a key name"), "%s", name);
}
END_TEST

START_TEST (test_bad_utf8_and_nul)
{
  g_autofree char *utf8 = load_error ("[a]\nx=caf\xe9\n");
  ck_assert_msg (utf8 && strstr (utf8, ":2: the line is not valid UTF-8"), "%s", utf8);

  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "nul.conf", NULL);
  ck_assert (g_file_set_contents (path, "[a]\nx=1\0\n", 9, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, &error);
  ck_assert_ptr_null (file);
  ck_assert_msg (strstr (error->message, "NUL byte"), "%s", error->message);
}
END_TEST

START_TEST (test_missing_file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CmKeyFile) file = cm_keyfile_load ("/nonexistent/council.conf", CM_ERROR_CONFIG, &error);
  ck_assert_ptr_null (file);
  ck_assert_int_eq (error->code, CM_ERROR_IO);
  ck_assert_msg (strstr (error->message, "/nonexistent/council.conf"), "%s", error->message);
}
END_TEST

START_TEST (test_error_helper_names_line)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "k.conf", "[a]\n\nx=1\n");
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_CONFIG, NULL);
  g_autoptr (GError) error = NULL;
  cm_keyfile_error (&error, file, "a", "x", "bad %s", "value");
  g_autofree char *expected = g_strdup_printf ("%s:3: [a] x: bad value", path);
  ck_assert_str_eq (error->message, expected);
}
END_TEST

/* cm_lines_split gives what g_strsplit (TEXT, "\n", -1) gives, on the
 * shapes a data file comes in. */
START_TEST (test_lines_split_as_strsplit)
{
  const char *texts[] = { "", "\n", "one", "one\n", "one\ntwo", "one\r\ntwo\r\n", "\n\nthree\n\n",
                          "a = 1\n# note\n[group]\n" };
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_auto (GStrv) want = g_strsplit (texts[i], "\n", -1);
      g_auto (GStrv) got = cm_lines_split (texts[i]);
      ck_assert_uint_eq (g_strv_length (got), g_strv_length (want));
      for (guint k = 0; want[k]; k++)
        ck_assert_str_eq (got[k], want[k]);
    }
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("keyfile");
  TCase *tc = tcase_create ("keyfile");
  tcase_add_test (tc, test_good_file_has_lines);
  tcase_add_test (tc, test_stray_line);
  tcase_add_test (tc, test_key_before_group);
  tcase_add_test (tc, test_duplicate_group_and_key);
  tcase_add_test (tc, test_bad_header_and_key_name);
  tcase_add_test (tc, test_bad_utf8_and_nul);
  tcase_add_test (tc, test_missing_file);
  tcase_add_test (tc, test_error_helper_names_line);
  tcase_add_test (tc, test_lines_split_as_strsplit);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

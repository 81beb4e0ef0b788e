/*
 * testutil.c: what the unit tests share (testutil.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "testutil.h"
#include "settings.h"

char *
test_srcdir (const char *relative)
{
  const char *top = g_getenv ("TOP_SRCDIR");
  return g_build_filename (top ? top : ".", relative, NULL);
}

CmConfig *
test_example_config (void)
{
  g_autofree char *path = test_srcdir ("config/council-milter.conf");
  g_autoptr (GError) error = NULL;
  cm_policy_init ();
  CmConfig *config = cm_daemon_config_load (path, &error);
  if (config == NULL)
    ck_abort_msg ("example configuration: %s", error->message);
  return config;
}

CmConfig *test_config;

void
test_config_setup (void)
{
  test_config = test_example_config ();
}

void
test_config_teardown (void)
{
  g_clear_pointer (&test_config, cm_config_unref);
}

static GPtrArray *scratch_dirs;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  if (dir)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
cleanup_scratch (void)
{
  for (guint i = 0; scratch_dirs && i < scratch_dirs->len; i++)
    remove_tree (scratch_dirs->pdata[i]);
  if (scratch_dirs)
    g_ptr_array_unref (scratch_dirs);
  scratch_dirs = NULL;
}

char *
test_scratch_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("cm-test-XXXXXX", &error);
  ck_assert_msg (dir != NULL, "scratch dir: %s", error ? error->message : "?");
  if (scratch_dirs == NULL)
    {
      scratch_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (cleanup_scratch);
    }
  g_ptr_array_add (scratch_dirs, g_strdup (dir));
  return dir;
}

char *
test_write (const char *dir, const char *name, const char *content)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  ck_assert_msg (g_file_set_contents (path, content, -1, &error), "write %s: %s", path,
                 error ? error->message : "?");
  return path;
}

char *
test_lexicon_copy (const char *skip)
{
  g_autofree char *source = test_srcdir ("config/lexicon");
  char *dir = test_scratch_dir ();
  g_autoptr (GDir) listing = g_dir_open (source, 0, NULL);
  ck_assert_ptr_nonnull (listing);
  for (const char *name; (name = g_dir_read_name (listing)) != NULL;)
    {
      if (skip && strcmp (name, skip) == 0)
        continue;
      g_autofree char *from = g_build_filename (source, name, NULL);
      g_autofree char *to = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      gsize length;
      ck_assert (g_file_get_contents (from, &text, &length, NULL));
      ck_assert (g_file_set_contents (to, text, (gssize) length, NULL));
    }
  return dir;
}

/* The key of a "key=value" line, or NULL. */
static char *
line_key (const char *line)
{
  const char *eq = strchr (line, '=');
  return eq && line[0] != '#' && line[0] != '[' ? g_strstrip (g_strndup (line, eq - line)) : NULL;
}

char *
test_config_variant (const char *extra, const char *directory)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *example = test_srcdir ("config/council-milter.conf");
  g_autofree char *lexicon = test_srcdir ("config/lexicon");
  g_autofree char *weights = test_srcdir ("config/weights.conf");
  g_autofree char *valence = test_srcdir ("config/valence.txt");
  g_autofree char *example_directory = test_srcdir ("config/directory.conf");
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (example, &text, NULL, NULL));

  g_autofree char *dir_text = NULL;
  if (directory == NULL)
    ck_assert (g_file_get_contents (example_directory, &dir_text, NULL, NULL));
  g_autofree char *dir_path = test_write (dir, "directory.conf", directory ? directory : dir_text);

  /* EXTRA's keys, by group: they replace the example's or join its group. */
  g_autoptr (GKeyFile) override = g_key_file_new ();
  if (extra)
    ck_assert_msg (g_key_file_load_from_data (override, extra, -1, G_KEY_FILE_NONE, NULL), "extra: %s", extra);
  g_autoptr (GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);

  GString *conf = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *group = NULL;
  gboolean in_rule = FALSE;
  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      if (line[0] == '[')
        {
          g_free (group);
          group = g_strndup (line + 1, strcspn (line + 1, "]"));
          in_rule = g_str_has_prefix (group, "rule:");
          if (in_rule)
            continue;
          g_string_append_printf (conf, "%s\n", line);
          g_auto (GStrv) keys = g_key_file_get_keys (override, group, NULL, NULL);
          for (guint k = 0; keys && keys[k]; k++)
            {
              g_autofree char *value = g_key_file_get_value (override, group, keys[k], NULL);
              g_string_append_printf (conf, "%s=%s\n", keys[k], value);
            }
          g_hash_table_add (placed, (gpointer) g_intern_string (group));
          continue;
        }
      if (in_rule)
        continue;
      g_autofree char *key = line_key (line);
      if (key && group && g_key_file_has_key (override, group, key, NULL))
        continue;
      if (key && strcmp (key, "lexicon") == 0)
        g_string_append_printf (conf, "lexicon=%s\n", lexicon);
      else if (key && strcmp (key, "weights") == 0)
        g_string_append_printf (conf, "weights=%s\n", weights);
      else if (key && strcmp (key, "valence") == 0)
        g_string_append_printf (conf, "valence=%s\n", valence);
      else
        g_string_append_printf (conf, "%s\n", line);
    }
  g_auto (GStrv) groups = g_key_file_get_groups (override, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      if (g_hash_table_contains (placed, g_intern_string (groups[g])))
        continue;
      g_string_append_printf (conf, "\n[%s]\n", groups[g]);
      g_auto (GStrv) keys = g_key_file_get_keys (override, groups[g], NULL, NULL);
      for (guint k = 0; keys && keys[k]; k++)
        {
          g_autofree char *value = g_key_file_get_value (override, groups[g], keys[k], NULL);
          g_string_append_printf (conf, "%s=%s\n", keys[k], value);
        }
    }
  char *path = test_write (dir, "council-milter.conf", conf->str);
  g_string_free (conf, TRUE);
  return path;
}

CmVerdict *
test_check (const CmConfig *config, const CmEnvelope *envelope, const char *message)
{
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (message, strlen (message));
  g_autoptr (GError) error = NULL;
  CmVerdict *verdict = cm_check (config, envelope, stream, &error);
  ck_assert_msg (verdict != NULL, "cm_check: %s", error ? error->message : "?");
  return verdict;
}

CmVerdict *
test_check_file (const CmConfig *config, const CmEnvelope *envelope, const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  ck_assert_msg (g_file_get_contents (path, &data, &length, &error), "%s: %s", path,
                 error ? error->message : "?");
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, length);
  CmVerdict *verdict = cm_check (config, envelope, stream, &error);
  ck_assert_msg (verdict != NULL, "%s: cm_check: %s", path, error ? error->message : "?");
  return verdict;
}

const CmFinding *
test_finding (const CmVerdict *verdict, const char *rule)
{
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const CmFinding *finding = verdict->findings->pdata[i];
      if (strcmp (finding->rule, rule) == 0)
        return finding;
    }
  return NULL;
}

gboolean
test_has_evidence (const CmFinding *finding, const char *text)
{
  for (guint i = 0; finding && i < finding->evidence->len; i++)
    if (strstr (finding->evidence->pdata[i], text))
      return TRUE;
  return FALSE;
}

gboolean
test_has_person (const CmFinding *finding, const char *address)
{
  for (guint i = 0; finding && i < finding->people->len; i++)
    if (strcmp (finding->people->pdata[i], address) == 0)
      return TRUE;
  return FALSE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

void
test_sort_strings (GPtrArray *strings)
{
  g_ptr_array_sort (strings, compare_strings);
}

int
test_run (Suite *suite)
{
  SRunner *runner = srunner_create (suite);
  srunner_run_all (runner, CK_NORMAL);
  int failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  cleanup_scratch ();
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * fuzzutil.c: the harnesses' shared set-up (fuzzutil.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fuzzutil.h"
#include "settings.h"

/* Set once, at the first call of fuzz_scratch_dir (see fuzzutil.h). */
static char *scratch;

const char *
fuzz_config_path (void)
{
  static char *path; /* computed once, then only read */
  if (path == NULL)
    {
      const char *given = g_getenv ("CM_FUZZ_CONFIG");
      g_autofree char *relative = g_strdup (given && *given ? given : "config/council-milter.conf");
      path = g_path_is_absolute (relative) ? g_steal_pointer (&relative)
                                           : g_canonicalize_filename (relative, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          fprintf (stderr, "fuzz: no example configuration at %s (set CM_FUZZ_CONFIG)\n", path);
          abort ();
        }
    }
  return path;
}

char *
fuzz_config_file (const char *file)
{
  g_autofree char *dir = g_path_get_dirname (fuzz_config_path ());
  return g_build_filename (dir, file, NULL);
}

/* Remove the scratch directory and the files in it (at exit). */
static void
remove_scratch (void)
{
  g_autoptr (GDir) dir = g_dir_open (scratch, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_unlink (path);
    }
  g_rmdir (scratch);
}

const char *
fuzz_scratch_dir (void)
{
  if (scratch == NULL)
    {
      g_autoptr (GError) error = NULL;
      scratch = g_dir_make_tmp ("council-fuzz-XXXXXX", &error);
      if (scratch == NULL)
        {
          fprintf (stderr, "fuzz: %s\n", error->message);
          abort ();
        }
      atexit (remove_scratch);
    }
  return scratch;
}

char *
fuzz_write (const char *name, const void *data, size_t size)
{
  char *path = g_build_filename (fuzz_scratch_dir (), name, NULL);
  g_autoptr (GError) error = NULL;
  /* Neither fsync'd nor renamed into place (g_file_set_contents would do
   * both): nothing here needs to survive a crash, and speed is coverage. */
  if (!g_file_set_contents_full (path, data, (gssize) size, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    {
      fprintf (stderr, "fuzz: %s\n", error->message);
      abort ();
    }
  return path;
}

void
fuzz_link_example (const char *name)
{
  g_autofree char *target = fuzz_config_file (name);
  g_autofree char *link = g_build_filename (fuzz_scratch_dir (), name, NULL);
  if (g_file_test (target, G_FILE_TEST_EXISTS) && !g_file_test (link, G_FILE_TEST_EXISTS)
      && symlink (target, link) != 0)
    {
      fprintf (stderr, "fuzz: cannot link %s to %s\n", link, target);
      abort ();
    }
}

CmConfig *
fuzz_config_variant (const char *name, const char *extra)
{
  static const char *const paths[][2] = {
    { "milter", "directory" }, { "policy", "lexicon" }, { "policy", "paragraphs" },
    { "policy", "weights" }, { "policy", "valence" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GKeyFile) changes = g_key_file_new ();
  if (!g_key_file_load_from_file (keys, fuzz_config_path (), G_KEY_FILE_NONE, &error)
      || !g_key_file_load_from_data (changes, extra ? extra : "", -1, G_KEY_FILE_NONE, &error))
    {
      fprintf (stderr, "fuzz: %s\n", error->message);
      abort ();
    }
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *value = g_key_file_get_value (keys, paths[i][0], paths[i][1], NULL);
      if (value && !g_path_is_absolute (value))
        {
          g_autofree char *absolute = fuzz_config_file (value);
          g_key_file_set_value (keys, paths[i][0], paths[i][1], absolute);
        }
    }
  g_auto (GStrv) groups = g_key_file_get_groups (changes, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      g_auto (GStrv) names = g_key_file_get_keys (changes, groups[g], NULL, NULL);
      for (guint k = 0; names && names[k]; k++)
        {
          g_autofree char *value = g_key_file_get_value (changes, groups[g], names[k], NULL);
          g_key_file_set_value (keys, groups[g], names[k], value);
        }
    }
  gsize length = 0;
  g_autofree char *text = g_key_file_to_data (keys, &length, NULL);
  g_autofree char *path = fuzz_write (name, text, length);
  CmConfig *config = cm_daemon_config_load (path, &error);
  if (config == NULL)
    {
      fprintf (stderr, "fuzz: the configuration variant: %s\n", error->message);
      abort ();
    }
  return config;
}

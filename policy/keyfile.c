/*
 * keyfile.c: GLib key files with line numbers in every error (keyfile.h).
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "lines.h"
#include "keyfile.h"

struct _CmKeyFile {
  char *path;
  int error_code;
  GKeyFile *keys;
  GHashTable *lines; /* "group\nkey" or "group" -> line number */
};

/* The key under which the line of GROUP (and KEY) is remembered. */
static char *
line_key (const char *group, const char *key)
{
  return key ? g_strconcat (group, "\n", key, NULL) : g_strdup (group);
}

static gboolean
valid_key_name (const char *name, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '-' && name[i] != '_' && name[i] != '.')
      return FALSE;
  return TRUE;
}

/* First pass: every line is blank, a comment, a [group] or a key=value. */
static gboolean
scan_lines (CmKeyFile *file, const char *text, GError **error)
{
  g_auto (GStrv) lines = cm_lines_split (text);
  g_autofree char *group = NULL;

  for (int n = 0; lines[n]; n++)
    {
      int lineno = n + 1;
      char *line = g_strstrip (lines[n]);
      if (*line == '\0' || *line == '#')
        continue;
      if (!g_utf8_validate (line, -1, NULL))
        {
          g_set_error (error, CM_ERROR, file->error_code,
                       "%s:%d: the line is not valid UTF-8", file->path, lineno);
          return FALSE;
        }
      if (*line == '[')
        {
          gsize len = strlen (line);
          if (len < 3 || line[len - 1] != ']')
            {
              g_set_error (error, CM_ERROR, file->error_code,
                           "%s:%d: a group header must be [name]: \"%s\"",
                           file->path, lineno, line);
              return FALSE;
            }
          g_free (group);
          group = g_strndup (line + 1, len - 2);
          if (g_hash_table_contains (file->lines, group))
            {
              g_set_error (error, CM_ERROR, file->error_code,
                           "%s:%d: group [%s] appears twice (first at line %d)",
                           file->path, lineno, group,
                           GPOINTER_TO_INT (g_hash_table_lookup (file->lines, group)));
              return FALSE;
            }
          g_hash_table_insert (file->lines, g_strdup (group), GINT_TO_POINTER (lineno));
          continue;
        }
      const char *eq = strchr (line, '=');
      if (eq == NULL)
        {
          g_set_error (error, CM_ERROR, file->error_code,
                       "%s:%d: not a [group], a key=value line or a # comment: \"%s\"",
                       file->path, lineno, line);
          return FALSE;
        }
      gsize name_len = eq - line;
      while (name_len > 0 && g_ascii_isspace (line[name_len - 1]))
        name_len--;
      if (!valid_key_name (line, name_len))
        {
          g_set_error (error, CM_ERROR, file->error_code,
                       "%s:%d: \"%.*s\" is not a key name (letters, digits, '-', '_')",
                       file->path, lineno, (int) (eq - line), line);
          return FALSE;
        }
      if (group == NULL)
        {
          g_set_error (error, CM_ERROR, file->error_code,
                       "%s:%d: key \"%.*s\" comes before any [group]",
                       file->path, lineno, (int) name_len, line);
          return FALSE;
        }
      g_autofree char *name = g_strndup (line, name_len);
      g_autofree char *where = line_key (group, name);
      if (g_hash_table_contains (file->lines, where))
        {
          g_set_error (error, CM_ERROR, file->error_code,
                       "%s:%d: [%s] %s is set twice (first at line %d)",
                       file->path, lineno, group, name,
                       GPOINTER_TO_INT (g_hash_table_lookup (file->lines, where)));
          return FALSE;
        }
      g_hash_table_insert (file->lines, g_steal_pointer (&where), GINT_TO_POINTER (lineno));
    }
  return TRUE;
}

CmKeyFile *
cm_keyfile_load (const char *path, int error_code, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, CM_ERROR, error_code, "%s: contains a NUL byte; not a text file", path);
      return NULL;
    }

  g_autoptr (CmKeyFile) file = g_new0 (CmKeyFile, 1);
  file->path = g_strdup (path);
  file->error_code = error_code;
  file->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  file->keys = g_key_file_new ();
  if (!scan_lines (file, text, error))
    return NULL;
  if (!g_key_file_load_from_data (file->keys, text, length, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, CM_ERROR, error_code, "%s: %s", path, local->message);
      return NULL;
    }
  return g_steal_pointer (&file);
}

void
cm_keyfile_free (CmKeyFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  if (file->keys)
    g_key_file_unref (file->keys);
  if (file->lines)
    g_hash_table_unref (file->lines);
  g_free (file);
}

GKeyFile *
cm_keyfile_keys (const CmKeyFile *file)
{
  return file->keys;
}

const char *
cm_keyfile_path (const CmKeyFile *file)
{
  return file->path;
}

int
cm_keyfile_line (const CmKeyFile *file, const char *group, const char *key)
{
  g_autofree char *where = line_key (group, key);
  return GPOINTER_TO_INT (g_hash_table_lookup (file->lines, where));
}

char *
cm_keyfile_where (const CmKeyFile *file, const char *group, const char *key)
{
  int line = group ? cm_keyfile_line (file, group, key) : 0;
  if (line == 0 && group != NULL && key != NULL)
    line = cm_keyfile_line (file, group, NULL);
  g_autofree char *where = line > 0 ? g_strdup_printf ("%s:%d", file->path, line)
                                    : g_strdup (file->path);
  if (key)
    return g_strdup_printf ("%s: [%s] %s", where, group, key);
  if (group)
    return g_strdup_printf ("%s: [%s]", where, group);
  return g_steal_pointer (&where);
}

void
cm_keyfile_error (GError **error, const CmKeyFile *file, const char *group,
                  const char *key, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_autofree char *where = cm_keyfile_where (file, group, key);
  g_set_error (error, CM_ERROR, file->error_code, "%s: %s", where, message);
}

/*
 * directory-config.c: the directory a configuration names (directory-
 * config.h): which source, the LDAP snapshot on disk, and its refresh.
 *
 * With source=ldap nothing on the way of a message, nor a load of the
 * configuration, waits for LDAP: the configuration is built from the key
 * file's [council] and the snapshot, a key file of people and lists that
 * a refresh writes (atomically, synced) after every good read.  Only a
 * first start with no snapshot at all reads LDAP while loading.  A
 * refresh that finds nobody, or far fewer members than the directory in
 * force, is refused, so an LDAP accident does not empty the council.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "configuration.h"
#include "directory-config.h"
#include "directory-ldap.h"

typedef gboolean (*SourceRead) (const CmConfig *config, CmDirectoryBuilder *builder, GError **error);

static gboolean
file_read (const CmConfig *config, CmDirectoryBuilder *builder, GError **error)
{
  return cm_directory_file_read (builder, cm_config_engine (config)->directory_file,
                                 CM_DIRECTORY_FILE_COUNCIL | CM_DIRECTORY_FILE_PEOPLE, error);
}

/* The sources by their [directory] source name.  A source that reads from
 * the network (refreshes) keeps a snapshot; the key file is its own. */
static const struct {
  CmDirectorySource source;
  const char *name;
  SourceRead read;
  gboolean remote;
} sources[] = {
  { CM_DIRECTORY_FILE, "file", file_read, FALSE },
  { CM_DIRECTORY_LDAP, "ldap", cm_directory_ldap_read, TRUE },
};

static guint
source_index (const CmConfig *config)
{
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i].source == (CmDirectorySource) cm_config_engine (config)->directory.source)
      return i;
  return 0;
}

gboolean
cm_directory_source_remote (const CmConfig *config)
{
  return sources[source_index (config)].remote;
}

/* A remote source's people and lists with the key file's [council]. */
static CmDirectory *
read_remote (const CmConfig *config, guint source, GPtrArray *warnings, GError **error)
{
  g_autoptr (CmDirectoryBuilder) builder = cm_directory_builder_new ();
  if (!cm_directory_file_read (builder, cm_config_engine (config)->directory_file, CM_DIRECTORY_FILE_COUNCIL,
                               error))
    return NULL;
  if (!sources[source].read (config, builder, error))
    return NULL;
  return cm_directory_builder_finish (builder, warnings, error);
}

/* NAME made safe for a key file group header: no brackets or controls. */
static char *
group_safe (const char *name)
{
  char *safe = g_strdup (name);
  for (char *p = safe; *p; p++)
    if (*p == '[' || *p == ']' || (guchar) *p < 0x20)
      *p = ' ';
  return g_strstrip (safe);
}

static gboolean
write_snapshot (const CmConfig *config, const CmDirectory *directory, GError **error)
{
  const char *path = cm_config_engine (config)->directory.snapshot;
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *taken = g_date_time_format_iso8601 (now);
  g_key_file_set_string (keys, "snapshot", "source", cm_config_engine (config)->directory.uri);
  g_key_file_set_string (keys, "snapshot", "taken", taken);
  /* Group names must be unique; two people of one name get "Name (2)". */
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) group_of = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  const GPtrArray *people = cm_directory_people (directory);
  for (guint i = 0; i < people->len; i++)
    {
      const CmPerson *person = people->pdata[i];
      g_autofree char *base = group_safe (person->name);
      char *name = g_strdup (base);
      for (guint n = 2; g_hash_table_contains (used, name); n++)
        {
          g_free (name);
          name = g_strdup_printf ("%s (%u)", base, n);
        }
      g_hash_table_add (used, g_strdup (name));
      g_hash_table_insert (group_of, (gpointer) person, name);
      g_autofree char *group = g_strdup_printf ("%s:%s", person->role == CM_ROLE_MEMBER ? "member" : "officer", name);
      g_key_file_set_string_list (keys, group, "addresses", (const char *const *) person->addresses->pdata,
                                  person->addresses->len);
      if (strcmp (name, person->name) != 0)
        g_key_file_set_string (keys, group, "name", person->name);
      if (person->title)
        g_key_file_set_string (keys, group, "title", person->title);
      const char *offices[CM_N_OFFICES];
      gsize n_offices = 0;
      for (guint k = 0; k < CM_N_OFFICES; k++)
        if (person->offices & 1u << k)
          offices[n_offices++] = cm_office_name (k);
      if (n_offices)
        g_key_file_set_string_list (keys, group, "offices", offices, n_offices);
    }
  /* Lists flattened: each holds its people, as expansion left them. */
  const GPtrArray *lists = cm_directory_lists (directory);
  g_autoptr (GHashTable) list_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < lists->len; i++)
    {
      const CmList *list = lists->pdata[i];
      g_autofree char *base = group_safe (list->name);
      g_autofree char *name = g_strdup (base);
      for (guint n = 2; g_hash_table_contains (list_names, name) || g_hash_table_contains (used, name); n++)
        {
          g_free (name);
          name = g_strdup_printf ("%s (%u)", base, n);
        }
      g_hash_table_add (list_names, g_strdup (name));
      g_autofree char *group = g_strdup_printf ("list:%s", name);
      g_autoptr (GPtrArray) members = g_ptr_array_new ();
      for (guint k = 0; k < list->people->len; k++)
        g_ptr_array_add (members, g_hash_table_lookup (group_of, list->people->pdata[k]));
      g_key_file_set_string_list (keys, group, "addresses", (const char *const *) list->addresses->pdata,
                                  list->addresses->len);
      g_key_file_set_string_list (keys, group, "members", (const char *const *) members->pdata, members->len);
    }
  gsize length = 0;
  g_autofree char *data = g_key_file_to_data (keys, &length, NULL);
  g_autofree char *text = g_strconcat ("# The directory as LDAP gave it (council-milter, [directory] snapshot):\n"
                                       "# written after every good refresh; do not edit.\n", data, NULL);
  g_autoptr (GError) local = NULL;
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0640, &local))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "directory snapshot: %s", local->message);
      return FALSE;
    }
  /* The rename is durable only once its directory is synced. */
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "directory snapshot: syncing %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* When the snapshot at PATH was taken (Unix seconds), 0 if unknown. */
static gint64
snapshot_taken (const char *path)
{
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, NULL))
    return 0;
  g_autofree char *taken = g_key_file_get_string (keys, "snapshot", "taken", NULL);
  g_autoptr (GDateTime) when = taken ? g_date_time_new_from_iso8601 (taken, NULL) : NULL;
  return when ? g_date_time_to_unix (when) : 0;
}

char *
cm_directory_age_text (gint64 taken)
{
  if (taken == 0)
    return g_strdup ("age unknown");
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (taken);
  g_autofree char *iso = g_date_time_format_iso8601 (when);
  gint64 minutes = MAX (0, g_get_real_time () / G_USEC_PER_SEC - taken) / 60;
  return g_strdup_printf ("taken %s, %" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min ago", iso, minutes / 60,
                          minutes % 60);
}

CmDirectory *
cm_directory_for_config (const CmConfig *config, char **origin, gint64 *taken, gboolean *read_now,
                         GError **error)
{
  guint source = source_index (config);
  const char *file = cm_config_engine (config)->directory_file;
  *taken = 0;
  *read_now = FALSE;
  if (!sources[source].remote)
    {
      *origin = g_strdup (file);
      return cm_directory_load (file, error);
    }
  const char *snapshot = cm_config_engine (config)->directory.snapshot;
  if (!g_file_test (snapshot, G_FILE_TEST_EXISTS))
    {
      /* A first start: there is nothing else to decide with. */
      g_autoptr (CmDirectory) read = read_remote (config, source, NULL, error);
      if (read == NULL)
        return NULL;
      if (!write_snapshot (config, read, error))
        return NULL;
      *read_now = TRUE;
    }
  g_autoptr (CmDirectoryBuilder) builder = cm_directory_builder_new ();
  if (!cm_directory_file_read (builder, file, CM_DIRECTORY_FILE_COUNCIL, error)
      || !cm_directory_file_read (builder, snapshot, CM_DIRECTORY_FILE_PEOPLE, error))
    return NULL;
  *taken = snapshot_taken (snapshot);
  g_autofree char *age = cm_directory_age_text (*taken);
  *origin = g_strdup_printf ("%s from %s %s (snapshot %s, %s)", file, sources[source].name,
                             cm_config_engine (config)->directory.uri, snapshot, age);
  return cm_directory_builder_finish (builder, NULL, error);
}

gboolean
cm_config_refresh_directory (const CmConfig *config, char **outcome, GError **error)
{
  guint source = source_index (config);
  if (!sources[source].remote)
    return FALSE;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CmDirectory) fresh = read_remote (config, source, warnings, error);
  if (fresh == NULL)
    return FALSE;
  const CmDirectory *in_force = cm_config_directory (config);
  guint members = cm_directory_count (fresh, CM_ROLE_MEMBER);
  guint officers = cm_directory_count (fresh, CM_ROLE_OFFICER);
  guint old_members = cm_directory_count (in_force, CM_ROLE_MEMBER);
  gint64 max_drop = cm_config_engine (config)->directory.max_member_drop_percent;
  if (members + officers == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "LDAP %s returned nobody: refused",
                   cm_config_engine (config)->directory.uri);
      return FALSE;
    }
  if (members < old_members && (gint64) (old_members - members) * 100 > max_drop * old_members)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY,
                   "LDAP %s returned %u members where there were %u, a fall of more than "
                   "[directory] max-member-drop-percent=%" G_GINT64_FORMAT ": refused",
                   cm_config_engine (config)->directory.uri, members, old_members, max_drop);
      return FALSE;
    }
  if (!write_snapshot (config, fresh, error))
    return FALSE;
  GString *text = g_string_new (NULL);
  g_string_append_printf (text, "%u members, %u named officers, %u lists", members, officers,
                          cm_directory_n_lists (fresh));
  for (guint i = 0; i < warnings->len; i++)
    g_string_append_printf (text, "; %s", (const char *) warnings->pdata[i]);
  *outcome = g_string_free (text, FALSE);
  return TRUE;
}

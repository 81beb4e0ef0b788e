/*
 * directory-file.c: the key file source of the directory
 * (directory-source.h): directory.conf, and the LDAP snapshot, which is
 * the same form without [council].
 *
 *   [council]          name, domains, media-domains, monitoring-officer
 *   [member:NAME]      addresses, offices
 *   [officer:NAME]     addresses, title
 *   [list:NAME]        addresses, members (people and lists, by NAME)
 *   [snapshot]         in a snapshot only: where and when it was taken
 *
 * Every error names the file and line (keyfile.h).
 */
#include "config.h"

#include <string.h>

#include "directory-source.h"
#include "keyfile.h"

/* Read a list of domains; an empty list is refused when REQUIRED. */
static GPtrArray *
read_domains (CmKeyFile *file, const char *key, gboolean required, GError **error)
{
  GKeyFile *keys = cm_keyfile_keys (file);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) values = g_key_file_get_string_list (keys, "council", key, NULL, NULL);
  for (guint i = 0; values && values[i]; i++)
    {
      char *d = g_strstrip (values[i]);
      if (*d == '\0')
        continue;
      if (!cm_domain_valid (d))
        {
          cm_keyfile_error (error, file, "council", key, "\"%s\" is not a domain name", d);
          return NULL;
        }
      g_ptr_array_add (list, g_ascii_strdown (d, -1));
    }
  if (required && list->len == 0)
    {
      cm_keyfile_error (error, file, "council", key,
                        "at least one domain is needed (the council's own mail domains)");
      return NULL;
    }
  g_ptr_array_add (list, NULL);
  return g_steal_pointer (&list);
}

static gboolean
check_keys (CmKeyFile *file, const char *group, const char *const *allowed, GError **error)
{
  g_auto (GStrv) keys = g_key_file_get_keys (cm_keyfile_keys (file), group, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (!g_strv_contains (allowed, keys[i]))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);
        cm_keyfile_error (error, file, group, keys[i], "unknown key (known: %s)", list);
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_council (CmDirectoryBuilder *builder, CmKeyFile *file, GError **error)
{
  static const char *const allowed[] = { "name", "domains", "media-domains", "monitoring-officer", NULL };
  GKeyFile *keys = cm_keyfile_keys (file);
  if (!g_key_file_has_group (keys, "council"))
    {
      cm_keyfile_error (error, file, NULL, NULL, "there is no [council] group");
      return FALSE;
    }
  if (!check_keys (file, "council", allowed, error))
    return FALSE;
  g_autofree char *name = g_key_file_get_string (keys, "council", "name", NULL);
  if (name == NULL || *g_strstrip (name) == '\0')
    {
      cm_keyfile_error (error, file, "council", "name", "the council's name is needed");
      return FALSE;
    }
  g_autoptr (GPtrArray) domains = read_domains (file, "domains", TRUE, error);
  if (domains == NULL)
    return FALSE;
  g_autoptr (GPtrArray) media = read_domains (file, "media-domains", FALSE, error);
  if (media == NULL)
    return FALSE;
  g_autofree char *mo = g_key_file_get_string (keys, "council", "monitoring-officer", NULL);
  g_autofree char *mo_address = mo ? cm_address_normalise (mo) : NULL;
  if (mo_address && !cm_address_valid (mo_address))
    {
      cm_keyfile_error (error, file, "council", "monitoring-officer", "\"%s\" is not a mail address", mo);
      return FALSE;
    }
  g_autofree char *mo_origin = cm_keyfile_where (file, "council", "monitoring-officer");
  cm_directory_builder_set_council (builder, name, (const char *const *) domains->pdata,
                                    (const char *const *) media->pdata, mo_address, mo_origin);
  return TRUE;
}

static gboolean
read_offices (guint *bits, CmKeyFile *file, const char *group, GError **error)
{
  g_auto (GStrv) values = g_key_file_get_string_list (cm_keyfile_keys (file), group, "offices", NULL, NULL);
  for (guint i = 0; values && values[i]; i++)
    {
      char *office = g_strstrip (values[i]);
      if (*office == '\0')
        continue;
      guint bit = cm_office_from_name (office);
      if (bit == 0)
        {
          cm_keyfile_error (error, file, group, "offices",
                            "\"%s\" is not an office (chair, mayor, leader, group-leader, cabinet)",
                            office);
          return FALSE;
        }
      *bits |= bit;
    }
  return TRUE;
}

/* The NAME of a [kind:NAME] group, stripped; NULL (with ERROR) if empty. */
static char *
group_name (CmKeyFile *file, const char *group, GError **error)
{
  g_autofree char *name = g_strstrip (g_strdup (strchr (group, ':') + 1));
  if (*name == '\0')
    {
      g_autofree char *kind = g_strndup (group, strchr (group, ':') - group + 1);
      cm_keyfile_error (error, file, group, NULL, "the group needs a name, e.g. [%s Jane Smith]", kind);
      return NULL;
    }
  return g_steal_pointer (&name);
}

/* A person's group.  A snapshot may set name= apart from the group's name
 * (two people with one name get groups "Name" and "Name (2)"). */
static gboolean
read_person (CmDirectoryBuilder *builder, CmKeyFile *file, const char *group, gboolean snapshot,
             GError **error)
{
  static const char *const member_keys[] = { "addresses", "offices", NULL };
  static const char *const officer_keys[] = { "addresses", "title", NULL };
  static const char *const snapshot_member_keys[] = { "addresses", "offices", "name", NULL };
  static const char *const snapshot_officer_keys[] = { "addresses", "title", "name", NULL };
  GKeyFile *keys = cm_keyfile_keys (file);
  gboolean member = g_str_has_prefix (group, "member:");

  if (!check_keys (file, group,
                   snapshot ? (member ? snapshot_member_keys : snapshot_officer_keys)
                            : (member ? member_keys : officer_keys), error))
    return FALSE;
  g_autofree char *key = group_name (file, group, error);
  if (key == NULL)
    return FALSE;
  g_autofree char *name = snapshot ? g_key_file_get_string (keys, group, "name", NULL) : NULL;
  guint bits = 0;
  if (member && !read_offices (&bits, file, group, error))
    return FALSE;
  g_autofree char *title = member ? NULL : g_key_file_get_string (keys, group, "title", NULL);
  g_auto (GStrv) addresses = g_key_file_get_string_list (keys, group, "addresses", NULL, NULL);
  g_autofree char *origin = cm_keyfile_where (file, group, "addresses");
  return cm_directory_builder_add_person (builder, key, member ? CM_ROLE_MEMBER : CM_ROLE_OFFICER,
                                          name ? name : key, title, bits,
                                          (const char *const *) addresses, origin, error);
}

static gboolean
read_list (CmDirectoryBuilder *builder, CmKeyFile *file, const char *group, GError **error)
{
  static const char *const list_keys[] = { "addresses", "members", NULL };
  GKeyFile *keys = cm_keyfile_keys (file);
  if (!check_keys (file, group, list_keys, error))
    return FALSE;
  g_autofree char *name = group_name (file, group, error);
  if (name == NULL)
    return FALSE;
  g_auto (GStrv) addresses = g_key_file_get_string_list (keys, group, "addresses", NULL, NULL);
  g_auto (GStrv) members = g_key_file_get_string_list (keys, group, "members", NULL, NULL);
  g_autofree char *origin = cm_keyfile_where (file, group, "addresses");
  g_autofree char *members_origin = cm_keyfile_where (file, group, "members");
  return cm_directory_builder_add_list (builder, name, name, (const char *const *) addresses,
                                        (const char *const *) members, origin, members_origin, error);
}

gboolean
cm_directory_file_read (CmDirectoryBuilder *builder, const char *path, CmDirectoryFileParts parts,
                        GError **error)
{
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_DIRECTORY, error);
  if (file == NULL)
    return FALSE;
  gboolean council = (parts & CM_DIRECTORY_FILE_COUNCIL) != 0;
  gboolean people = (parts & CM_DIRECTORY_FILE_PEOPLE) != 0;
  if (council && !read_council (builder, file, error))
    return FALSE;

  g_auto (GStrv) groups = g_key_file_get_groups (cm_keyfile_keys (file), NULL);
  for (guint i = 0; groups[i]; i++)
    {
      const char *group = groups[i];
      gboolean is_person = g_str_has_prefix (group, "member:") || g_str_has_prefix (group, "officer:");
      gboolean is_list = g_str_has_prefix (group, "list:");
      if (strcmp (group, "council") == 0)
        {
          if (!council)
            {
              cm_keyfile_error (error, file, group, NULL,
                                "a snapshot holds people and lists only; [council] is in the directory file");
              return FALSE;
            }
          continue;
        }
      if (!council && strcmp (group, "snapshot") == 0)
        continue; /* read by directory-snapshot.c */
      if ((is_person || is_list) && !people)
        {
          cm_keyfile_error (error, file, group, NULL,
                            "with [directory] source=ldap the people and lists come from LDAP; "
                            "this file holds [council] only");
          return FALSE;
        }
      if (is_person)
        {
          if (!read_person (builder, file, group, !council, error))
            return FALSE;
        }
      else if (is_list)
        {
          if (!read_list (builder, file, group, error))
            return FALSE;
        }
      else
        {
          cm_keyfile_error (error, file, group, NULL,
                            "unknown group (expected [council], [member:NAME], [officer:NAME] or [list:NAME])");
          return FALSE;
        }
    }
  return TRUE;
}

/*
 * directory.c: the directory file (a GLib key file) and its lookups
 * (directory.h).
 *
 *   [council]          name, domains, media-domains, monitoring-officer
 *   [member:NAME]      addresses, offices
 *   [officer:NAME]     addresses, title
 */
#include "config.h"

#include <string.h>

#include "directory.h"
#include "keyfile.h"

struct _CmDirectory {
  char *council_name;
  char *monitoring_officer;
  GPtrArray *domains;       /* char *, lower case */
  GPtrArray *media_domains; /* char *, lower case */
  GPtrArray *people;        /* CmPerson *, owned */
  GHashTable *by_address;   /* address -> CmPerson * */
  CmLexicon *names;
  /* First word of a name (its word hash) -> the officer who has it, or
   * FIRST_NAME_SHARED when a member or another officer has it too. */
  GHashTable *first_names;
  guint n_members, n_officers;
};

/* Stands for "more than one person": a first name that names nobody. */
static const CmPerson first_name_shared;
#define FIRST_NAME_SHARED (&first_name_shared)

static const struct {
  const char *name;
  guint bit;
} offices[] = {
  { "chair", CM_OFFICE_CHAIR },
  { "mayor", CM_OFFICE_MAYOR },
  { "leader", CM_OFFICE_LEADER },
  { "group-leader", CM_OFFICE_GROUP_LEADER },
  { "cabinet", CM_OFFICE_CABINET },
};

static const char *const honorifics = "mr|mrs|ms|miss|dr|mx|prof|professor|sir|dame";
static const char *const councillor_words = "councillor|councilor|cllr|cllrs|councillors";

static void
person_free (gpointer p)
{
  CmPerson *person = p;
  g_free (person->name);
  g_free (person->title);
  g_free (person->surname);
  g_ptr_array_unref (person->addresses);
  g_free (person);
}

char *
cm_address_normalise (const char *address)
{
  g_autofree char *copy = g_strdup (address ? address : "");
  char *a = g_strstrip (copy);
  gsize len = strlen (a);
  if (len >= 2 && a[0] == '<' && a[len - 1] == '>')
    {
      a[len - 1] = '\0';
      a++;
    }
  return g_utf8_strdown (a, -1);
}

static const char *
address_domain (const char *address)
{
  const char *at = strrchr (address, '@');
  return at ? at + 1 : "";
}

/* Is DOMAIN one of LIST, or a subdomain of one? */
static gboolean
domain_in (const GPtrArray *list, const char *domain)
{
  gsize dlen = strlen (domain);
  for (guint i = 0; i < list->len; i++)
    {
      const char *d = list->pdata[i];
      gsize len = strlen (d);
      if (g_ascii_strcasecmp (domain, d) == 0)
        return TRUE;
      if (dlen > len && domain[dlen - len - 1] == '.' && g_ascii_strcasecmp (domain + dlen - len, d) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
valid_address (const char *address)
{
  const char *at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') || at[1] == '\0')
    return FALSE;
  for (const char *p = address; *p; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',' || *p == ';')
      return FALSE;
  return strchr (at + 1, '.') != NULL;
}

static gboolean
valid_domain (const char *domain)
{
  if (*domain == '\0' || *domain == '.' || strchr (domain, '@'))
    return FALSE;
  for (const char *p = domain; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && !((guchar) *p & 0x80))
      return FALSE;
  return TRUE;
}

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
      if (!valid_domain (d))
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
read_council (CmDirectory *directory, CmKeyFile *file, GError **error)
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
  directory->council_name = g_key_file_get_string (keys, "council", "name", NULL);
  if (directory->council_name == NULL || *g_strstrip (directory->council_name) == '\0')
    {
      cm_keyfile_error (error, file, "council", "name", "the council's name is needed");
      return FALSE;
    }
  if (!(directory->domains = read_domains (file, "domains", TRUE, error)))
    return FALSE;
  if (!(directory->media_domains = read_domains (file, "media-domains", FALSE, error)))
    return FALSE;
  g_autofree char *mo = g_key_file_get_string (keys, "council", "monitoring-officer", NULL);
  if (mo)
    {
      directory->monitoring_officer = cm_address_normalise (mo);
      if (!valid_address (directory->monitoring_officer))
        {
          cm_keyfile_error (error, file, "council", "monitoring-officer",
                            "\"%s\" is not a mail address", mo);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_offices (CmPerson *person, CmKeyFile *file, const char *group, GError **error)
{
  g_auto (GStrv) values = g_key_file_get_string_list (cm_keyfile_keys (file), group, "offices", NULL, NULL);
  for (guint i = 0; values && values[i]; i++)
    {
      char *office = g_strstrip (values[i]);
      guint bit = 0;
      if (*office == '\0')
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (offices); k++)
        if (g_ascii_strcasecmp (office, offices[k].name) == 0)
          bit = offices[k].bit;
      if (bit == 0)
        {
          cm_keyfile_error (error, file, group, "offices",
                            "\"%s\" is not an office (chair, mayor, leader, group-leader, cabinet)",
                            office);
          return FALSE;
        }
      person->offices |= bit;
    }
  return TRUE;
}

/* Add PATTERN for PERSON to the name index; names come from the file, so a
 * name that makes no pattern (all punctuation) is skipped, not an error. */
static void
add_name (CmDirectory *directory, const char *pattern, CmPerson *person)
{
  g_autoptr (GError) ignored = NULL;
  cm_lexicon_add (directory->names, pattern, person, &ignored);
}

/* Words of NAME joined by spaces, as a pattern (quotes and dots dropped). */
static char *
name_pattern (const char *name)
{
  g_autoptr (CmWords) words = cm_words_split (name);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < words->n; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", words->words[i].text);
  return g_string_free (out, FALSE);
}

static void
index_person (CmDirectory *directory, CmPerson *person)
{
  g_autofree char *full = name_pattern (person->name);
  g_autoptr (CmWords) words = cm_words_split (person->name);
  if (words->n == 0)
    return;
  person->surname = g_strdup (words->words[words->n - 1].text);
  if (words->n > 1)
    {
      add_name (directory, full, person);
      gpointer first = (gpointer) (guintptr) words->words[0].hash;
      gboolean taken = g_hash_table_contains (directory->first_names, first);
      g_hash_table_insert (directory->first_names, first,
                           taken || person->role != CM_ROLE_OFFICER ? (gpointer) FIRST_NAME_SHARED
                                                                    : person);
    }
  if (person->role == CM_ROLE_OFFICER)
    {
      g_autofree char *formal = g_strdup_printf ("%s %s", honorifics, person->surname);
      add_name (directory, formal, person);
      if (person->title)
        {
          g_autofree char *title = name_pattern (person->title);
          add_name (directory, title, person);
        }
    }
  else
    {
      g_autofree char *formal = g_strdup_printf ("%s %s", councillor_words, person->surname);
      g_autofree char *formal_full = g_strdup_printf ("%s %s", councillor_words, full);
      add_name (directory, formal, person);
      add_name (directory, formal_full, person);
    }
}

static gboolean
read_person (CmDirectory *directory, CmKeyFile *file, const char *group, GError **error)
{
  static const char *const member_keys[] = { "addresses", "offices", NULL };
  static const char *const officer_keys[] = { "addresses", "title", NULL };
  GKeyFile *keys = cm_keyfile_keys (file);
  gboolean member = g_str_has_prefix (group, "member:");
  const char *name = strchr (group, ':') + 1;

  if (!check_keys (file, group, member ? member_keys : officer_keys, error))
    return FALSE;
  g_autofree char *clean_name = g_strstrip (g_strdup (name));
  if (*clean_name == '\0')
    {
      cm_keyfile_error (error, file, group, NULL, "the group needs a name, e.g. [%s Jane Smith]",
                        member ? "member:" : "officer:");
      return FALSE;
    }

  CmPerson *person = g_new0 (CmPerson, 1);
  person->name = g_steal_pointer (&clean_name);
  person->role = member ? CM_ROLE_MEMBER : CM_ROLE_OFFICER;
  person->addresses = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (directory->people, person);

  g_auto (GStrv) addresses = g_key_file_get_string_list (keys, group, "addresses", NULL, NULL);
  for (guint i = 0; addresses && addresses[i]; i++)
    {
      char *address = cm_address_normalise (addresses[i]);
      if (*address == '\0')
        {
          g_free (address);
          continue;
        }
      if (!valid_address (address))
        {
          cm_keyfile_error (error, file, group, "addresses", "\"%s\" is not a mail address",
                            g_strstrip (addresses[i]));
          g_free (address);
          return FALSE;
        }
      const CmPerson *other = g_hash_table_lookup (directory->by_address, address);
      if (other)
        {
          cm_keyfile_error (error, file, group, "addresses", "%s is already listed for %s",
                            address, other->name);
          g_free (address);
          return FALSE;
        }
      g_ptr_array_add (person->addresses, address);
      g_hash_table_insert (directory->by_address, address, person);
    }
  if (person->addresses->len == 0)
    {
      cm_keyfile_error (error, file, group, "addresses",
                        "every person needs at least one address");
      return FALSE;
    }
  if (member && !read_offices (person, file, group, error))
    return FALSE;
  if (!member)
    {
      person->title = g_key_file_get_string (keys, group, "title", NULL);
      if (person->title && *g_strstrip (person->title) == '\0')
        g_clear_pointer (&person->title, g_free);
    }
  index_person (directory, person);
  if (member)
    directory->n_members++;
  else
    directory->n_officers++;
  return TRUE;
}

CmDirectory *
cm_directory_load (const char *path, GError **error)
{
  g_autoptr (CmKeyFile) file = cm_keyfile_load (path, CM_ERROR_DIRECTORY, error);
  if (file == NULL)
    return NULL;

  g_autoptr (CmDirectory) directory = g_new0 (CmDirectory, 1);
  directory->people = g_ptr_array_new_with_free_func (person_free);
  directory->by_address = g_hash_table_new (g_str_hash, g_str_equal);
  directory->names = cm_lexicon_new ();
  directory->first_names = g_hash_table_new (g_direct_hash, g_direct_equal);
  if (!read_council (directory, file, error))
    return NULL;

  g_auto (GStrv) groups = g_key_file_get_groups (cm_keyfile_keys (file), NULL);
  for (guint i = 0; groups[i]; i++)
    {
      const char *group = groups[i];
      if (strcmp (group, "council") == 0)
        continue;
      if (!g_str_has_prefix (group, "member:") && !g_str_has_prefix (group, "officer:"))
        {
          cm_keyfile_error (error, file, group, NULL,
                            "unknown group (expected [council], [member:NAME] or [officer:NAME])");
          return NULL;
        }
      if (!read_person (directory, file, group, error))
        return NULL;
    }
  if (directory->monitoring_officer
      && !cm_directory_in_council_domain (directory, directory->monitoring_officer)
      && !g_hash_table_contains (directory->by_address, directory->monitoring_officer))
    {
      cm_keyfile_error (error, file, "council", "monitoring-officer",
                        "%s is neither in a council domain nor listed in the directory",
                        directory->monitoring_officer);
      return NULL;
    }
  return g_steal_pointer (&directory);
}

void
cm_directory_free (CmDirectory *directory)
{
  if (directory == NULL)
    return;
  g_free (directory->council_name);
  g_free (directory->monitoring_officer);
  if (directory->domains)
    g_ptr_array_unref (directory->domains);
  if (directory->media_domains)
    g_ptr_array_unref (directory->media_domains);
  g_hash_table_unref (directory->by_address);
  g_ptr_array_unref (directory->people);
  cm_lexicon_free (directory->names);
  if (directory->first_names)
    g_hash_table_unref (directory->first_names);
  g_free (directory);
}

const char *
cm_directory_council_name (const CmDirectory *directory)
{
  return directory->council_name;
}

const char *
cm_directory_monitoring_officer (const CmDirectory *directory)
{
  return directory->monitoring_officer;
}

const char *
cm_directory_domain (const CmDirectory *directory)
{
  return directory->domains->pdata[0];
}

guint
cm_directory_count (const CmDirectory *directory, CmRole role)
{
  return role == CM_ROLE_MEMBER ? directory->n_members
       : role == CM_ROLE_OFFICER ? directory->n_officers : 0;
}

const CmPerson *
cm_directory_person (const CmDirectory *directory, const char *address)
{
  if (address == NULL)
    return NULL;
  /* Most addresses come normalised already (the view's do). */
  const CmPerson *person = g_hash_table_lookup (directory->by_address, address);
  if (person)
    return person;
  g_autofree char *key = cm_address_normalise (address);
  return g_hash_table_lookup (directory->by_address, key);
}

gboolean
cm_directory_in_council_domain (const CmDirectory *directory, const char *address)
{
  return address && domain_in (directory->domains, address_domain (address));
}

CmRole
cm_directory_role (const CmDirectory *directory, const char *address,
                   const CmPerson **person_out, gboolean *media)
{
  const CmPerson *person = cm_directory_person (directory, address);
  if (person_out)
    *person_out = person;
  if (media)
    *media = address && domain_in (directory->media_domains, address_domain (address));
  if (person)
    return person->role;
  if (cm_directory_in_council_domain (directory, address))
    return CM_ROLE_OFFICER;
  return CM_ROLE_EXTERNAL;
}

const CmLexicon *
cm_directory_names (const CmDirectory *directory)
{
  return directory->names;
}

const CmPerson *
cm_directory_officer_by_first_name (const CmDirectory *directory, guint64 word_hash)
{
  const CmPerson *person = g_hash_table_lookup (directory->first_names, (gpointer) (guintptr) word_hash);
  return person == FIRST_NAME_SHARED ? NULL : person;
}

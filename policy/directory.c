/*
 * directory.c: the one builder every directory source feeds
 * (directory-source.h), and the lookups of the directory it makes
 * (directory.h).  People are checked and indexed as they are added (their
 * addresses, names in text, first names); lists are expanded at the end,
 * when every person and list they may name is known.
 */
#include "config.h"

#include <string.h>

#include "directory-source.h"

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
  GPtrArray *lists;           /* CmList *, owned */
  GHashTable *list_by_address; /* address -> CmList * */
};

/* Stands for "more than one person": a first name that names nobody. */
static const CmPerson first_name_shared;
#define FIRST_NAME_SHARED (&first_name_shared)

/* Indexed by bit number: CM_OFFICE_CHAIR is 1 << 0. */
static const char *const office_names[CM_N_OFFICES] = { "chair", "mayor", "leader", "group-leader", "cabinet" };

guint
cm_office_from_name (const char *name)
{
  for (guint i = 0; i < CM_N_OFFICES; i++)
    if (g_ascii_strcasecmp (name, office_names[i]) == 0)
      return 1u << i;
  return 0;
}

const char *
cm_office_name (guint i)
{
  g_return_val_if_fail (i < CM_N_OFFICES, NULL);
  return office_names[i];
}

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

/* Would cm_address_normalise () give ADDRESS back unchanged: plain
 * ASCII with no upper case or white space, not in <>?  Nearly every
 * address asked of the directory comes so (the view's are normalised),
 * and a second lookup under the same key, after a copy and a
 * g_utf8_strdown, cost more than the first. */
static gboolean
already_normal (const char *address)
{
  gsize len = 0;
  for (const char *p = address; *p; p++, len++)
    if ((guchar) *p >= 0x80 || g_ascii_isupper (*p) || g_ascii_isspace (*p))
      return FALSE;
  return !(len >= 2 && address[0] == '<' && address[len - 1] == '>');
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

/* A bare address: one @, something each side, a dot in the domain. */
gboolean
cm_address_valid (const char *address)
{
  const char *at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') || at[1] == '\0')
    return FALSE;
  for (const char *p = address; *p; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',' || *p == ';')
      return FALSE;
  return strchr (at + 1, '.') != NULL;
}

gboolean
cm_domain_valid (const char *domain)
{
  if (*domain == '\0' || *domain == '.' || strchr (domain, '@'))
    return FALSE;
  for (const char *p = domain; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && !((guchar) *p & 0x80))
      return FALSE;
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


static void
list_free (gpointer p)
{
  CmList *list = p;
  g_free (list->name);
  g_ptr_array_unref (list->addresses);
  if (list->people)
    g_ptr_array_unref (list->people);
  g_free (list);
}

/* ---- the builder ----------------------------------------------------- */

typedef enum { LIST_NEW, LIST_EXPANDING, LIST_DONE, LIST_REFUSED } ListState;

/* A list as a source gave it: its members by key, resolved at the end. */
typedef struct {
  CmList *list;          /* in directory->lists */
  GPtrArray *member_keys;/* char *, as the source gave them */
  char *origin;
  ListState state;
} PendingList;

/* Stands for "more than one person has this key". */
static const CmPerson key_shared;
#define KEY_SHARED (&key_shared)

/* Warnings kept word for word; the rest are only counted. */
#define WARNINGS_KEPT 10

struct _CmDirectoryBuilder {
  CmDirectory *directory;  /* being filled; NULL once finished */
  GHashTable *person_keys; /* case-folded key -> CmPerson * or KEY_SHARED */
  GHashTable *list_keys;   /* case-folded key -> PendingList * */
  GPtrArray *pending;      /* PendingList *, owned */
  char *mo_origin;
  gboolean strict;
  GPtrArray *warnings;     /* char *, the first WARNINGS_KEPT */
  guint n_warnings;
};

static void
pending_free (gpointer p)
{
  PendingList *pending = p;
  g_ptr_array_unref (pending->member_keys);
  g_free (pending->origin);
  g_free (pending);
}

static CmDirectory *
directory_new (void)
{
  CmDirectory *directory = g_new0 (CmDirectory, 1);
  directory->people = g_ptr_array_new_with_free_func (person_free);
  directory->by_address = g_hash_table_new (g_str_hash, g_str_equal);
  directory->names = cm_lexicon_new ();
  directory->first_names = g_hash_table_new (g_direct_hash, g_direct_equal);
  directory->lists = g_ptr_array_new_with_free_func (list_free);
  directory->list_by_address = g_hash_table_new (g_str_hash, g_str_equal);
  directory->domains = g_ptr_array_new_with_free_func (g_free);
  directory->media_domains = g_ptr_array_new_with_free_func (g_free);
  return directory;
}

CmDirectoryBuilder *
cm_directory_builder_new (void)
{
  CmDirectoryBuilder *builder = g_new0 (CmDirectoryBuilder, 1);
  builder->directory = directory_new ();
  builder->person_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder->list_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  builder->pending = g_ptr_array_new_with_free_func (pending_free);
  builder->warnings = g_ptr_array_new_with_free_func (g_free);
  builder->strict = TRUE;
  return builder;
}

void
cm_directory_builder_free (CmDirectoryBuilder *builder)
{
  if (builder == NULL)
    return;
  cm_directory_free (builder->directory);
  g_hash_table_unref (builder->person_keys);
  g_hash_table_unref (builder->list_keys);
  g_ptr_array_unref (builder->pending);
  g_ptr_array_unref (builder->warnings);
  g_free (builder->mo_origin);
  g_free (builder);
}

void
cm_directory_builder_set_strict (CmDirectoryBuilder *builder, gboolean strict)
{
  builder->strict = strict;
}

void
cm_directory_builder_warn (CmDirectoryBuilder *builder, const char *format, ...)
{
  builder->n_warnings++;
  if (builder->warnings->len >= WARNINGS_KEPT)
    return;
  va_list args;
  va_start (args, format);
  g_ptr_array_add (builder->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

void
cm_directory_builder_set_council (CmDirectoryBuilder *builder, const char *name,
                                  const char *const *domains, const char *const *media_domains,
                                  const char *monitoring_officer, const char *mo_origin)
{
  CmDirectory *directory = builder->directory;
  g_free (directory->council_name);
  directory->council_name = g_strdup (name);
  g_ptr_array_set_size (directory->domains, 0);
  g_ptr_array_set_size (directory->media_domains, 0);
  for (guint i = 0; domains && domains[i]; i++)
    g_ptr_array_add (directory->domains, g_ascii_strdown (domains[i], -1));
  for (guint i = 0; media_domains && media_domains[i]; i++)
    g_ptr_array_add (directory->media_domains, g_ascii_strdown (media_domains[i], -1));
  g_free (directory->monitoring_officer);
  directory->monitoring_officer = monitoring_officer ? cm_address_normalise (monitoring_officer) : NULL;
  g_free (builder->mo_origin);
  builder->mo_origin = g_strdup (mo_origin);
}

gboolean
cm_directory_builder_has_address (const CmDirectoryBuilder *builder, const char *address)
{
  return g_hash_table_contains (builder->directory->by_address, address)
      || g_hash_table_contains (builder->directory->list_by_address, address);
}

/* Whose ADDRESS is, for "already listed for" messages; NULL if nobody's. */
static const char *
address_owner (const CmDirectoryBuilder *builder, const char *address)
{
  const CmPerson *person = g_hash_table_lookup (builder->directory->by_address, address);
  if (person)
    return person->name;
  const CmList *list = g_hash_table_lookup (builder->directory->list_by_address, address);
  return list ? list->name : NULL;
}

/* Normalise and check ADDRESSES into a new array; NULL with ERROR when
 * one is bad or already someone's. */
static GPtrArray *
checked_addresses (const CmDirectoryBuilder *builder, const char *const *addresses, const char *origin,
                   GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) own = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; addresses && addresses[i]; i++)
    {
      g_autofree char *address = cm_address_normalise (addresses[i]);
      if (*address == '\0' || g_hash_table_contains (own, address))
        continue;
      if (!cm_address_valid (address))
        {
          g_autofree char *shown = g_strstrip (g_strdup (addresses[i]));
          g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: \"%s\" is not a mail address", origin, shown);
          return NULL;
        }
      const char *owner = address_owner (builder, address);
      if (owner)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: %s is already listed for %s", origin, address,
                       owner);
          return NULL;
        }
      g_hash_table_add (own, address);
      g_ptr_array_add (out, g_steal_pointer (&address));
    }
  return g_steal_pointer (&out);
}

gboolean
cm_directory_builder_add_person (CmDirectoryBuilder *builder, const char *key, CmRole role,
                                 const char *name, const char *title, guint offices,
                                 const char *const *addresses, const char *origin, GError **error)
{
  CmDirectory *directory = builder->directory;
  g_autoptr (GPtrArray) checked = checked_addresses (builder, addresses, origin, error);
  if (checked == NULL)
    return FALSE;
  if (checked->len == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: every person needs at least one address", origin);
      return FALSE;
    }
  CmPerson *person = g_new0 (CmPerson, 1);
  person->name = g_strstrip (g_strdup (name));
  person->role = role;
  person->offices = offices;
  person->title = title && *title ? g_strstrip (g_strdup (title)) : NULL;
  if (person->title && *person->title == '\0')
    g_clear_pointer (&person->title, g_free);
  person->addresses = g_steal_pointer (&checked);
  g_ptr_array_add (directory->people, person);
  for (guint i = 0; i < person->addresses->len; i++)
    g_hash_table_insert (directory->by_address, person->addresses->pdata[i], person);

  char *folded = g_utf8_casefold (key, -1);
  gboolean shared = g_hash_table_contains (builder->person_keys, folded);
  g_hash_table_replace (builder->person_keys, folded, shared ? (gpointer) KEY_SHARED : person);

  index_person (directory, person);
  if (role == CM_ROLE_MEMBER)
    directory->n_members++;
  else
    directory->n_officers++;
  return TRUE;
}

gboolean
cm_directory_builder_add_list (CmDirectoryBuilder *builder, const char *key, const char *name,
                               const char *const *addresses, const char *const *members,
                               const char *origin, const char *members_origin, GError **error)
{
  CmDirectory *directory = builder->directory;
  g_autofree char *folded = g_utf8_casefold (key, -1);
  if (g_hash_table_contains (builder->list_keys, folded))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: there is another list called %s", origin, key);
      return FALSE;
    }
  GPtrArray *checked = checked_addresses (builder, addresses, origin, error);
  if (checked == NULL)
    return FALSE;
  CmList *list = g_new0 (CmList, 1);
  list->name = g_strstrip (g_strdup (name));
  list->addresses = checked;
  g_ptr_array_add (directory->lists, list);
  for (guint i = 0; i < list->addresses->len; i++)
    g_hash_table_insert (directory->list_by_address, list->addresses->pdata[i], list);

  PendingList *pending = g_new0 (PendingList, 1);
  pending->list = list;
  pending->origin = g_strdup (members_origin ? members_origin : origin);
  pending->member_keys = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; members && members[i]; i++)
    {
      g_autofree char *member = g_strstrip (g_strdup (members[i]));
      if (*member)
        g_ptr_array_add (pending->member_keys, g_steal_pointer (&member));
    }
  g_ptr_array_add (builder->pending, pending);
  g_hash_table_insert (builder->list_keys, g_steal_pointer (&folded), pending);
  return TRUE;
}

/* "a -> b -> a": the lists of CHAIN from FROM on, back to FROM. */
static char *
loop_text (GPtrArray *chain, const PendingList *from)
{
  GString *text = g_string_new (NULL);
  guint start = 0;
  g_ptr_array_find (chain, from, &start);
  for (guint i = start; i < chain->len; i++)
    {
      const PendingList *in = chain->pdata[i];
      g_string_append_printf (text, "%s -> ", in->list->name);
    }
  g_string_append (text, from->list->name);
  return g_string_free (text, FALSE);
}

/* Expand PENDING into its list's people, depth first; CHAIN holds the
 * lists being expanded, so a list met again there is a loop.  A loop is
 * an error when strict; else every list in it is refused (left out) and
 * the lists that contain them go without them.  FALSE: refused or error. */
static gboolean
expand_list (CmDirectoryBuilder *builder, PendingList *pending, GPtrArray *chain, GError **error)
{
  if (pending->state == LIST_DONE)
    return TRUE;
  if (pending->state == LIST_REFUSED)
    return FALSE;
  if (pending->state == LIST_EXPANDING)
    {
      g_autofree char *loop = loop_text (chain, pending);
      if (builder->strict)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: lists contain each other: %s",
                       pending->origin, loop);
          return FALSE;
        }
      cm_directory_builder_warn (builder, "%s: lists contain each other, so each is left out: %s", pending->origin, loop);
      guint start = 0;
      g_ptr_array_find (chain, pending, &start);
      for (guint i = start; i < chain->len; i++)
        ((PendingList *) chain->pdata[i])->state = LIST_REFUSED;
      return FALSE;
    }
  pending->state = LIST_EXPANDING;
  g_ptr_array_add (chain, pending);
  g_autoptr (GPtrArray) people = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < pending->member_keys->len; i++)
    {
      const char *key = pending->member_keys->pdata[i];
      g_autofree char *folded = g_utf8_casefold (key, -1);
      const CmPerson *person = g_hash_table_lookup (builder->person_keys, folded);
      PendingList *sublist = g_hash_table_lookup (builder->list_keys, folded);
      const char *problem = person == KEY_SHARED ? "names more than one person"
                          : person && sublist ? "names both a person and a list"
                          : !person && !sublist ? "is neither a person nor a list" : NULL;
      if (problem)
        {
          if (builder->strict)
            {
              g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: \"%s\" %s", pending->origin, key, problem);
              g_ptr_array_remove (chain, pending);
              return FALSE;
            }
          cm_directory_builder_warn (builder, "%s: \"%s\" %s; skipped", pending->origin, key, problem);
          continue;
        }
      if (person)
        {
          if (g_hash_table_add (seen, (gpointer) person))
            g_ptr_array_add (people, (gpointer) person);
          continue;
        }
      if (!expand_list (builder, sublist, chain, error))
        {
          if (builder->strict || pending->state == LIST_REFUSED)
            {
              g_ptr_array_remove (chain, pending);
              return FALSE;
            }
          continue; /* a refused list inside: this one goes without it */
        }
      for (guint k = 0; k < sublist->list->people->len; k++)
        if (g_hash_table_add (seen, sublist->list->people->pdata[k]))
          g_ptr_array_add (people, sublist->list->people->pdata[k]);
    }
  g_ptr_array_remove (chain, pending);
  CmList *list = pending->list;
  list->people = g_steal_pointer (&people);
  for (guint k = 0; k < list->people->len; k++)
    if (((const CmPerson *) list->people->pdata[k])->role == CM_ROLE_MEMBER)
      list->n_members++;
  pending->state = LIST_DONE;
  return TRUE;
}

CmDirectory *
cm_directory_builder_finish (CmDirectoryBuilder *builder, GPtrArray *warnings, GError **error)
{
  CmDirectory *directory = builder->directory;
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();
  for (guint i = 0; i < builder->pending->len; i++)
    {
      PendingList *pending = builder->pending->pdata[i];
      if (!expand_list (builder, pending, chain, error) && builder->strict)
        return NULL;
    }
  /* Refused lists leave: mail to them is mail to one unnamed address. */
  for (guint i = 0; i < builder->pending->len; i++)
    {
      PendingList *pending = builder->pending->pdata[i];
      if (pending->state != LIST_REFUSED)
        continue;
      for (guint k = 0; k < pending->list->addresses->len; k++)
        g_hash_table_remove (directory->list_by_address, pending->list->addresses->pdata[k]);
      g_ptr_array_remove_fast (directory->lists, pending->list);
    }
  if (directory->council_name == NULL || directory->domains->len == 0)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "the directory has no council (name and domains)");
      return NULL;
    }
  if (directory->monitoring_officer
      && !cm_directory_in_council_domain (directory, directory->monitoring_officer)
      && !g_hash_table_contains (directory->by_address, directory->monitoring_officer))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "%s: %s is neither in a council domain nor listed in the directory",
                   builder->mo_origin ? builder->mo_origin : "monitoring-officer", directory->monitoring_officer);
      return NULL;
    }
  if (warnings)
    {
      for (guint i = 0; i < builder->warnings->len; i++)
        g_ptr_array_add (warnings, g_strdup (builder->warnings->pdata[i]));
      if (builder->n_warnings > builder->warnings->len)
        g_ptr_array_add (warnings, g_strdup_printf ("and %u more such warnings",
                                                    builder->n_warnings - builder->warnings->len));
    }
  builder->directory = NULL;
  return directory;
}

CmDirectory *
cm_directory_load (const char *path, GError **error)
{
  g_autoptr (CmDirectoryBuilder) builder = cm_directory_builder_new ();
  if (!cm_directory_file_read (builder, path, CM_DIRECTORY_FILE_COUNCIL | CM_DIRECTORY_FILE_PEOPLE, error))
    return NULL;
  return cm_directory_builder_finish (builder, NULL, error);
}

/* ---- lookups ------------------------------------------------------------ */

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
  g_hash_table_unref (directory->list_by_address);
  g_ptr_array_unref (directory->lists);
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

const GPtrArray *
cm_directory_domains (const CmDirectory *directory)
{
  return directory->domains;
}

const GPtrArray *
cm_directory_media_domains (const CmDirectory *directory)
{
  return directory->media_domains;
}

guint
cm_directory_count (const CmDirectory *directory, CmRole role)
{
  return role == CM_ROLE_MEMBER ? directory->n_members
       : role == CM_ROLE_OFFICER ? directory->n_officers : 0;
}

const GPtrArray *
cm_directory_people (const CmDirectory *directory)
{
  return directory->people;
}

const GPtrArray *
cm_directory_lists (const CmDirectory *directory)
{
  return directory->lists;
}

guint
cm_directory_n_lists (const CmDirectory *directory)
{
  return directory->lists->len;
}

const CmList *
cm_directory_list (const CmDirectory *directory, const char *address)
{
  if (address == NULL || directory->lists->len == 0)
    return NULL;
  const CmList *list = g_hash_table_lookup (directory->list_by_address, address);
  if (list || already_normal (address))
    return list;
  g_autofree char *key = cm_address_normalise (address);
  return g_hash_table_lookup (directory->list_by_address, key);
}

const CmPerson *
cm_directory_person (const CmDirectory *directory, const char *address)
{
  if (address == NULL)
    return NULL;
  /* Most addresses come normalised already (the view's do). */
  const CmPerson *person = g_hash_table_lookup (directory->by_address, address);
  if (person || already_normal (address))
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

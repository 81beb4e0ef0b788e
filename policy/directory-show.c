/*
 * directory-show.c: what a configuration's directory holds, for people
 * and scripts (council-check --directory and --who; policy.h,
 * cm_config_show_directory()).
 *
 *   the whole     where the people came from (the key file, or LDAP: its
 *                 URI and base, and whether they are the snapshot, and
 *                 how old, or were read now), the council's domains,
 *                 counts by role and office, the monitoring officer, and
 *                 each list with its addresses and size
 *   who ADDR      whom an address resolves to: a person (name, role,
 *                 title, offices, their other addresses, the lists they
 *                 are on), a list (its people), or not in the directory
 *                 (an unnamed officer by domain, external, media)
 *
 * Only the directory's public lookups (directory.h) are used.  Names,
 * titles and addresses may come from LDAP, so the plain text passes each
 * through cm_printable() and the JSON through cm_json_string().
 */
#include "config.h"

#include <string.h>

#include "configuration.h"
#include "directory-config.h"
#include "directory-source.h"
#include "verdict.h"

/* Lists by name in any case, then by their first address, so output is
 * stable whatever order a source gave them in. */
static gint
list_order (gconstpointer a, gconstpointer b)
{
  const CmList *x = *(const CmList *const *) a, *y = *(const CmList *const *) b;
  g_autofree char *fx = g_utf8_casefold (x->name, -1);
  g_autofree char *fy = g_utf8_casefold (y->name, -1);
  int by_name = strcmp (fx, fy);
  if (by_name != 0)
    return by_name;
  const char *ax = x->addresses->len ? x->addresses->pdata[0] : "";
  const char *ay = y->addresses->len ? y->addresses->pdata[0] : "";
  return strcmp (ax, ay);
}

static GPtrArray *
sorted_lists (const CmDirectory *directory)
{
  const GPtrArray *lists = cm_directory_lists (directory);
  GPtrArray *sorted = g_ptr_array_sized_new (lists->len);
  for (guint i = 0; i < lists->len; i++)
    g_ptr_array_add (sorted, lists->pdata[i]);
  g_ptr_array_sort (sorted, list_order);
  return sorted;
}

/* Append ITEMS (char *) made printable and joined by SEPARATOR, or NONE
 * when there are none. */
static void
append_joined (GString *out, const GPtrArray *items, const char *separator, const char *none)
{
  if (items->len == 0)
    g_string_append (out, none);
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *safe = cm_printable (items->pdata[i]);
      g_string_append_printf (out, "%s%s", i ? separator : "", safe);
    }
}

/* How many members hold each office, and how many officers have a title. */
static void
count_offices (const CmDirectory *directory, guint offices[CM_N_OFFICES], guint *titled)
{
  const GPtrArray *people = cm_directory_people (directory);
  memset (offices, 0, CM_N_OFFICES * sizeof offices[0]);
  *titled = 0;
  for (guint i = 0; i < people->len; i++)
    {
      const CmPerson *person = people->pdata[i];
      for (guint k = 0; k < CM_N_OFFICES; k++)
        if (person->offices & 1u << k)
          offices[k]++;
      if (person->role == CM_ROLE_OFFICER && person->title)
        (*titled)++;
    }
}

/* Where the people came from, as a JSON object. */
static void
source_json (GString *out, const CmConfig *config)
{
  const char *file = cm_config_get (config, "milter", "directory");
  if (!cm_directory_source_remote (config))
    {
      g_string_append (out, "{\"type\": \"file\", \"file\": ");
      cm_json_string (out, file);
      g_string_append_c (out, '}');
      return;
    }
  g_string_append (out, "{\"type\": ");
  cm_json_string (out, cm_config_get (config, "directory", "source"));
  g_string_append (out, ", \"uri\": ");
  cm_json_string (out, cm_config_get (config, "directory", "uri"));
  g_string_append (out, ", \"base_dn\": ");
  cm_json_string (out, cm_config_get (config, "directory", "base-dn"));
  g_string_append (out, ", \"council_file\": ");
  cm_json_string (out, file);
  g_string_append (out, ", \"snapshot\": ");
  cm_json_string (out, cm_config_get (config, "directory", "snapshot"));
  gint64 taken = cm_config_directory_taken (config);
  g_autoptr (GDateTime) when = taken ? g_date_time_new_from_unix_utc (taken) : NULL;
  g_autofree char *iso = when ? g_date_time_format_iso8601 (when) : NULL;
  g_string_append (out, ", \"taken\": ");
  cm_json_string (out, iso);
  if (taken)
    g_string_append_printf (out, ", \"age_seconds\": %" G_GINT64_FORMAT,
                            MAX (0, g_get_real_time () / G_USEC_PER_SEC - taken));
  else
    g_string_append (out, ", \"age_seconds\": null");
  g_string_append_printf (out, ", \"read_now\": %s}", cm_config_directory_read_now (config) ? "true" : "false");
}

/* Where the people came from, for people: one or two lines. */
static void
source_text (GString *out, const CmConfig *config)
{
  g_autofree char *file = cm_printable (cm_config_get (config, "milter", "directory"));
  if (!cm_directory_source_remote (config))
    {
      g_string_append_printf (out, "source:     file %s\n", file);
      return;
    }
  g_autofree char *uri = cm_printable (cm_config_get (config, "directory", "uri"));
  g_autofree char *base = cm_printable (cm_config_get (config, "directory", "base-dn"));
  g_autofree char *snapshot = cm_printable (cm_config_get (config, "directory", "snapshot"));
  g_string_append_printf (out, "source:     %s %s base %s ([council] from %s)\n",
                          cm_config_get (config, "directory", "source"), uri, base, file);
  if (cm_config_directory_read_now (config))
    g_string_append_printf (out, "data:       read from LDAP now: there was no snapshot (now written to %s)\n",
                            snapshot);
  else
    {
      g_autofree char *age = cm_directory_age_text (cm_config_directory_taken (config));
      g_string_append_printf (out, "data:       the snapshot %s (%s), as the daemon would start with it; "
                                   "it reads LDAP again every %" G_GINT64_FORMAT " min\n",
                              snapshot, age, cm_config_get_int (config, "directory", "refresh-minutes"));
    }
}

static void
whole_json (GString *out, const CmConfig *config, const CmDirectory *directory)
{
  guint offices[CM_N_OFFICES], titled;
  count_offices (directory, offices, &titled);
  g_string_append (out, "{\"council\": ");
  cm_json_string (out, cm_directory_council_name (directory));
  g_string_append (out, ", \"source\": ");
  source_json (out, config);
  g_string_append (out, ", \"domains\": ");
  cm_json_string_array (out, cm_directory_domains (directory));
  g_string_append (out, ", \"media_domains\": ");
  cm_json_string_array (out, cm_directory_media_domains (directory));
  g_string_append_printf (out, ", \"counts\": {\"members\": %u, \"officers\": %u, \"officers_with_title\": %u, "
                          "\"offices\": {", cm_directory_count (directory, CM_ROLE_MEMBER),
                          cm_directory_count (directory, CM_ROLE_OFFICER), titled);
  for (guint k = 0; k < CM_N_OFFICES; k++)
    g_string_append_printf (out, "%s\"%s\": %u", k ? ", " : "", cm_office_name (k), offices[k]);
  g_string_append_printf (out, "}, \"lists\": %u, \"media_domains\": %u}", cm_directory_n_lists (directory),
                          cm_directory_media_domains (directory)->len);
  const char *mo = cm_config_directory_monitoring_officer (config);
  const CmPerson *mo_person = mo ? cm_directory_person (directory, mo) : NULL;
  g_string_append (out, ", \"monitoring_officer\": ");
  if (mo)
    {
      g_string_append (out, "{\"address\": ");
      cm_json_string (out, mo);
      g_string_append (out, ", \"name\": ");
      cm_json_string (out, mo_person ? mo_person->name : NULL);
      g_string_append (out, ", \"title\": ");
      cm_json_string (out, mo_person ? mo_person->title : NULL);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");
  g_string_append (out, ", \"lists\": [");
  g_autoptr (GPtrArray) lists = sorted_lists (directory);
  for (guint i = 0; i < lists->len; i++)
    {
      const CmList *list = lists->pdata[i];
      g_string_append (out, i ? ", {\"name\": " : "{\"name\": ");
      cm_json_string (out, list->name);
      g_string_append (out, ", \"addresses\": ");
      cm_json_string_array (out, list->addresses);
      g_string_append_printf (out, ", \"size\": %u, \"members\": %u, \"officers\": %u}", list->people->len,
                              list->n_members, list->people->len - list->n_members);
    }
  g_string_append (out, "]}");
}

static void
whole_text (GString *out, const CmConfig *config, const CmDirectory *directory)
{
  guint offices[CM_N_OFFICES], titled;
  count_offices (directory, offices, &titled);
  g_autofree char *council = cm_printable (cm_directory_council_name (directory));
  g_string_append_printf (out, "council:    %s\n", council);
  source_text (out, config);
  g_string_append (out, "domains:    ");
  append_joined (out, cm_directory_domains (directory), ", ", "none");
  g_string_append (out, " (any other address there is an unnamed officer)\nmedia:      ");
  append_joined (out, cm_directory_media_domains (directory), ", ", "none");
  g_string_append_printf (out, " (%u media domain%s)\n", cm_directory_media_domains (directory)->len,
                          cm_directory_media_domains (directory)->len == 1 ? "" : "s");
  g_string_append_printf (out, "members:    %u", cm_directory_count (directory, CM_ROLE_MEMBER));
  gboolean any = FALSE;
  for (guint k = 0; k < CM_N_OFFICES; k++)
    if (offices[k])
      {
        g_string_append_printf (out, "%s%s %u", any ? ", " : " (", cm_office_name (k), offices[k]);
        any = TRUE;
      }
  g_string_append_printf (out, "%s\nofficers:   %u named, %u with a job title\n", any ? ")" : "",
                          cm_directory_count (directory, CM_ROLE_OFFICER), titled);
  const char *mo = cm_config_directory_monitoring_officer (config);
  const CmPerson *mo_person = mo ? cm_directory_person (directory, mo) : NULL;
  g_autofree char *mo_safe = mo ? cm_printable (mo) : NULL;
  g_autofree char *mo_name = mo_person ? cm_printable (mo_person->name) : NULL;
  g_autofree char *mo_title = mo_person && mo_person->title ? cm_printable (mo_person->title) : NULL;
  g_string_append_printf (out, "monitoring officer: %s%s%s%s%s%s\n", mo ? mo_safe : "none",
                          mo_name ? " (" : "", mo_name ? mo_name : "", mo_title ? ", " : "",
                          mo_title ? mo_title : "", mo_name ? ")" : "");
  g_autoptr (GPtrArray) lists = sorted_lists (directory);
  g_string_append_printf (out, "lists:      %u\n", lists->len);
  for (guint i = 0; i < lists->len; i++)
    {
      const CmList *list = lists->pdata[i];
      g_autofree char *name = cm_printable (list->name);
      g_string_append_printf (out, "  %s: ", name);
      append_joined (out, list->addresses, ", ", "no address (only inside other lists)");
      g_string_append_printf (out, ": %u %s (%u member%s, %u officer%s)\n", list->people->len,
                              list->people->len == 1 ? "person" : "people", list->n_members,
                              list->n_members == 1 ? "" : "s", list->people->len - list->n_members,
                              list->people->len - list->n_members == 1 ? "" : "s");
    }
}

/* The lists PERSON is on (const CmList *), nested lists expanded. */
static GPtrArray *
lists_of (const CmDirectory *directory, const CmPerson *person)
{
  g_autoptr (GPtrArray) lists = sorted_lists (directory);
  GPtrArray *on = g_ptr_array_new ();
  for (guint i = 0; i < lists->len; i++)
    {
      const CmList *list = lists->pdata[i];
      for (guint k = 0; k < list->people->len; k++)
        if (list->people->pdata[k] == person)
          {
            g_ptr_array_add (on, (gpointer) list);
            break;
          }
    }
  return on;
}

/* A list as "name (first address)", for a person's lists. */
static char *
list_label (const CmList *list)
{
  g_autofree char *name = cm_printable (list->name);
  if (list->addresses->len == 0)
    return g_steal_pointer (&name);
  g_autofree char *address = cm_printable (list->addresses->pdata[0]);
  return g_strdup_printf ("%s (%s)", name, address);
}

/* PERSON's offices as names ("chair", "cabinet"), static strings. */
static GPtrArray *
office_names (const CmPerson *person)
{
  GPtrArray *names = g_ptr_array_new ();
  for (guint k = 0; k < CM_N_OFFICES; k++)
    if (person->offices & 1u << k)
      g_ptr_array_add (names, (gpointer) cm_office_name (k));
  return names;
}

/* Every address of the list or person, but KEY, the one asked about. */
static GPtrArray *
other_addresses (const GPtrArray *addresses, const char *key)
{
  GPtrArray *others = g_ptr_array_new ();
  for (guint i = 0; i < addresses->len; i++)
    if (strcmp (addresses->pdata[i], key) != 0)
      g_ptr_array_add (others, addresses->pdata[i]);
  return others;
}

/* What the directory makes of ADDRESS, in the form asked; FALSE when it
 * lists no person or list with it. */
static gboolean
who (GString *out, const CmConfig *config, const CmDirectory *directory, const char *address, gboolean json)
{
  g_autofree char *key = cm_address_normalise (address);
  /* Shown as matched (lower case: addresses compare in any case), or as
   * given when it is no address. */
  g_autofree char *safe = cm_printable (cm_address_valid (key) ? key : address);
  if (!cm_address_valid (key))
    {
      if (json)
        {
          g_string_append (out, "{\"address\": ");
          cm_json_string (out, address);
          g_string_append (out, ", \"listed\": false, \"error\": \"not a mail address\"}");
        }
      else
        g_string_append_printf (out, "%s: not a mail address\n", safe);
      return FALSE;
    }
  const char *at = strrchr (key, '@') + 1;
  const CmList *list = cm_directory_list (directory, key);
  if (list)
    {
      g_autoptr (GPtrArray) others = other_addresses (list->addresses, key);
      if (json)
        {
          g_string_append (out, "{\"address\": ");
          cm_json_string (out, key);
          g_string_append (out, ", \"listed\": true, \"kind\": \"list\", \"name\": ");
          cm_json_string (out, list->name);
          g_string_append (out, ", \"addresses\": ");
          cm_json_string_array (out, list->addresses);
          g_string_append_printf (out, ", \"size\": %u, \"members\": %u, \"officers\": %u, \"people\": [",
                                  list->people->len, list->n_members, list->people->len - list->n_members);
          for (guint i = 0; i < list->people->len; i++)
            {
              const CmPerson *person = list->people->pdata[i];
              g_string_append (out, i ? ", {\"name\": " : "{\"name\": ");
              cm_json_string (out, person->name);
              g_string_append (out, ", \"role\": ");
              cm_json_string (out, cm_role_name (person->role));
              g_string_append (out, ", \"address\": ");
              cm_json_string (out, person->addresses->pdata[0]);
              g_string_append_c (out, '}');
            }
          g_string_append (out, "]}");
          return TRUE;
        }
      g_autofree char *name = cm_printable (list->name);
      g_string_append_printf (out, "%s: list %s, %u %s (%u member%s, %u officer%s)\n  other addresses: ", safe,
                              name, list->people->len, list->people->len == 1 ? "person" : "people",
                              list->n_members, list->n_members == 1 ? "" : "s",
                              list->people->len - list->n_members,
                              list->people->len - list->n_members == 1 ? "" : "s");
      append_joined (out, others, ", ", "none");
      g_string_append (out, "\n  people: ");
      for (guint i = 0; i < list->people->len; i++)
        {
          const CmPerson *person = list->people->pdata[i];
          g_autofree char *person_name = cm_printable (person->name);
          g_string_append_printf (out, "%s%s (%s)", i ? ", " : "", person_name, cm_role_name (person->role));
        }
      g_string_append (out, list->people->len ? "\n" : "nobody\n");
      return TRUE;
    }
  const CmPerson *person = NULL;
  gboolean media = FALSE;
  CmRole role = cm_directory_role (directory, key, &person, &media);
  const char *mo = cm_config_directory_monitoring_officer (config);
  if (person == NULL)
    {
      if (json)
        {
          g_string_append (out, "{\"address\": ");
          cm_json_string (out, key);
          g_string_append (out, ", \"listed\": false, \"kind\": null, \"role\": ");
          cm_json_string (out, cm_role_name (role));
          g_string_append_printf (out, ", \"media\": %s}", media ? "true" : "false");
          return FALSE;
        }
      g_autofree char *domain = cm_printable (at);
      if (role == CM_ROLE_OFFICER)
        g_string_append_printf (out, "%s: not in the directory: an unnamed officer (%s is a council domain)\n",
                                safe, domain);
      else
        g_string_append_printf (out, "%s: not in the directory: external%s%s%s\n", safe,
                                media ? ", media (" : "", media ? domain : "",
                                media ? " is a media domain)" : "");
      return FALSE;
    }
  gboolean is_mo = FALSE;
  for (guint i = 0; mo && i < person->addresses->len; i++)
    is_mo = is_mo || g_ascii_strcasecmp (person->addresses->pdata[i], mo) == 0;
  g_autoptr (GPtrArray) others = other_addresses (person->addresses, key);
  g_autoptr (GPtrArray) on = lists_of (directory, person);
  g_autoptr (GPtrArray) offices = office_names (person);
  if (json)
    {
      g_string_append (out, "{\"address\": ");
      cm_json_string (out, key);
      g_string_append (out, ", \"listed\": true, \"kind\": \"person\", \"role\": ");
      cm_json_string (out, cm_role_name (person->role));
      g_string_append (out, ", \"name\": ");
      cm_json_string (out, person->name);
      g_string_append (out, ", \"title\": ");
      cm_json_string (out, person->title);
      g_string_append (out, ", \"offices\": ");
      cm_json_string_array (out, offices);
      g_string_append_printf (out, ", \"monitoring_officer\": %s, \"media\": %s, \"addresses\": ",
                              is_mo ? "true" : "false", media ? "true" : "false");
      cm_json_string_array (out, person->addresses);
      g_string_append (out, ", \"lists\": [");
      for (guint i = 0; i < on->len; i++)
        {
          const CmList *l = on->pdata[i];
          g_string_append (out, i ? ", {\"name\": " : "{\"name\": ");
          cm_json_string (out, l->name);
          g_string_append (out, ", \"addresses\": ");
          cm_json_string_array (out, l->addresses);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
      return TRUE;
    }
  g_autofree char *name = cm_printable (person->name);
  g_autofree char *title = person->title ? cm_printable (person->title) : NULL;
  g_string_append_printf (out, "%s: %s %s", safe, cm_role_name (person->role), name);
  if (title)
    g_string_append_printf (out, ", %s", title);
  if (offices->len)
    {
      g_string_append (out, " (");
      append_joined (out, offices, ", ", "");
      g_string_append_c (out, ')');
    }
  if (is_mo)
    g_string_append (out, "; the monitoring officer, who reviews held mail");
  if (media)
    g_string_append (out, "; in a media domain");
  g_string_append (out, "\n  other addresses: ");
  append_joined (out, others, ", ", "none");
  g_string_append (out, "\n  lists: ");
  for (guint i = 0; i < on->len; i++)
    {
      g_autofree char *label = list_label (on->pdata[i]);
      g_string_append_printf (out, "%s%s", i ? ", " : "", label);
    }
  g_string_append (out, on->len ? "\n" : "none\n");
  return TRUE;
}

char *
cm_config_show_directory (const CmConfig *config, gboolean whole, const char *const *addresses, gboolean json,
                          guint *unlisted)
{
  const CmDirectory *directory = cm_config_directory (config);
  GString *out = g_string_new (json ? "{" : NULL);
  *unlisted = 0;
  if (whole)
    {
      if (json)
        {
          g_string_append (out, "\"directory\": ");
          whole_json (out, config, directory);
        }
      else
        whole_text (out, config, directory);
    }
  if (addresses && addresses[0])
    {
      if (json)
        g_string_append (out, whole ? ", \"who\": [" : "\"who\": [");
      else if (whole)
        g_string_append_c (out, '\n');
      for (guint i = 0; addresses[i]; i++)
        {
          if (json && i)
            g_string_append (out, ", ");
          if (!who (out, config, directory, addresses[i], json))
            (*unlisted)++;
        }
      if (json)
        g_string_append_c (out, ']');
    }
  if (json)
    g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

/*
 * directory-ldap.c: the LDAP source of the directory (directory-source.h),
 * for Active Directory and OpenLDAP, with OpenLDAP's libldap.
 *
 * One connection per read: StartTLS or ldaps with the CA file, a simple
 * bind with the password read from its own file, then three searches,
 * each paged (RFC 2696) so that a large directory comes in pieces the
 * server allows:
 *
 *   groups     list-filter under base-dn: every group becomes a list
 *              (its addresses may be none: then it only nests)
 *   members    the members group by DN, nested groups expanded: each
 *              person on it is a member
 *   officers   officer-filter under base-dn: every other person found
 *
 * A member's offices (chair, mayor, leader, group-leader, cabinet) come
 * from a group per office (office-group-NAME, by DN, nested groups
 * expanded), as councils keep them in their directory.
 *
 * Attribute names default by schema (ad: mail, proxyAddresses with its
 * smtp:/SMTP: prefixes, displayName, title, member; openldap: mail,
 * displayName or cn, title, member of groupOfNames) and can each be set.
 * The build is lenient: an entry without a usable address, a group member
 * that is no person or list, or groups that contain each other are left
 * out with a warning, never the whole directory.
 */
#include "config.h"

#include <string.h>

#include <ldap.h>

#include "configuration.h"
#include "directory-ldap.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAPMessage, ldap_msgfree)

typedef struct {
  const char *schema;
  const char *officer_filter, *list_filter;
  const char *mail, *proxy, *name, *title, *member;
} SchemaDefaults;

static const SchemaDefaults schema_defaults[] = {
  { "ad", "(&(objectCategory=person)(objectClass=user)(mail=*)"
          "(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
    "(objectClass=group)", "mail", "proxyAddresses", "displayName", "title", "member" },
  { "openldap", "(&(objectClass=inetOrgPerson)(mail=*))",
    "(objectClass=groupOfNames)", "mail", "", "displayName", "title", "member" },
};

/* What a read needs, from [directory]. */
typedef struct {
  const char *uri, *base_dn, *bind_dn, *password_file, *ca_file, *members_group;
  const char *officer_filter, *list_filter;
  const char *mail, *proxy, *name, *title, *member;
  const char *office_groups[CM_N_OFFICES]; /* by office number; NULL when not set */
  gboolean start_tls;
  int page_size, timeout;
} Settings;

/* A group as read: lists are added after people, so that a person's
 * addresses are theirs before a list could take one. */
typedef struct {
  char *dn;
  char *name;
  GPtrArray *addresses; /* char * */
  GPtrArray *members;   /* char *, normalised DNs */
} Group;

static void
group_free (gpointer p)
{
  Group *group = p;
  g_free (group->dn);
  g_free (group->name);
  g_ptr_array_unref (group->addresses);
  g_ptr_array_unref (group->members);
  g_free (group);
}

/* A key for a DN: case folded, no spaces after the commas, as AD and
 * slapd may write the same DN either way. */
static char *
dn_key (const char *dn)
{
  GString *out = g_string_new (NULL);
  for (const char *p = dn; *p; p++)
    {
      g_string_append_c (out, *p);
      if (*p == ',')
        while (p[1] == ' ')
          p++;
    }
  g_autofree char *joined = g_string_free (out, FALSE);
  return g_utf8_casefold (joined, -1);
}

/* VALUE, unless it is unset or empty: then FALLBACK. */
static const char *
or_default (const char *value, const char *fallback)
{
  return value && *value ? value : fallback;
}

static gboolean
read_settings (const CmConfig *config, Settings *s, GError **error)
{
  const CmDirectorySettings *c = &cm_config_engine (config)->directory;
  const SchemaDefaults *d = &schema_defaults[c->schema == CM_SCHEMA_OPENLDAP ? 1 : 0];
  s->uri = or_default (c->uri, NULL);
  s->base_dn = or_default (c->base_dn, NULL);
  s->bind_dn = or_default (c->bind_dn, NULL);
  s->password_file = or_default (c->password_file, NULL);
  s->ca_file = or_default (c->ca_file, NULL);
  s->members_group = or_default (c->members_group, NULL);
  s->officer_filter = or_default (c->officer_filter, d->officer_filter);
  s->list_filter = or_default (c->list_filter, d->list_filter);
  s->mail = or_default (c->mail_attribute, d->mail);
  s->proxy = or_default (c->proxy_attribute, d->proxy);
  s->name = or_default (c->name_attribute, d->name);
  s->title = or_default (c->title_attribute, d->title);
  s->member = or_default (c->member_attribute, d->member);
  for (guint i = 0; i < CM_N_OFFICES; i++)
    s->office_groups[i] = or_default (c->office_groups[i], NULL);
  s->start_tls = c->start_tls;
  s->page_size = (int) c->page_size;
  s->timeout = (int) c->timeout_seconds;
  const char *missing = !s->uri ? "uri" : !s->base_dn ? "base-dn" : !s->members_group ? "members-group" : NULL;
  if (missing)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG, "[directory] %s is needed with source=ldap", missing);
      return FALSE;
    }
  if (s->bind_dn && !s->password_file)
    {
      g_set_error (error, CM_ERROR, CM_ERROR_CONFIG,
                   "[directory] bind-dn needs password-file (the password is never in the configuration)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
ldap_failed (GError **error, const Settings *s, const char *what, int code)
{
  /* Paging does not lift a server's limit on a whole search (OpenLDAP's
   * sizelimit counts every page): the bind account's limit must allow
   * the directory, which is the administrator's to change, not ours. */
  const char *hint = code == LDAP_SIZELIMIT_EXCEEDED
                       ? " (the server caps what this account may read: raise its size limit, e.g. OpenLDAP's"
                         " limits ... size.prtotal=unlimited)"
                       : "";
  g_set_error (error, CM_ERROR, CM_ERROR_IO, "LDAP %s: %s: %s%s", s->uri, what, ldap_err2string (code), hint);
  return FALSE;
}

/* Connect, secure and bind; NULL with ERROR saying which step failed. */
static LDAP *
connect_and_bind (const Settings *s, GError **error)
{
  LDAP *ld = NULL;
  int rc = ldap_initialize (&ld, s->uri);
  if (rc != LDAP_SUCCESS)
    {
      ldap_failed (error, s, "bad uri", rc);
      return NULL;
    }
  int version = LDAP_VERSION3;
  struct timeval timeout = { s->timeout, 0 };
  ldap_set_option (ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option (ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  ldap_set_option (ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option (ld, LDAP_OPT_TIMEOUT, &timeout);
  if (s->ca_file)
    {
      int demand = LDAP_OPT_X_TLS_DEMAND, new_context = 0;
      ldap_set_option (ld, LDAP_OPT_X_TLS_CACERTFILE, s->ca_file);
      ldap_set_option (ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
      /* The options above apply to a TLS context made after them. */
      ldap_set_option (ld, LDAP_OPT_X_TLS_NEWCTX, &new_context);
    }
  if (s->start_tls && (rc = ldap_start_tls_s (ld, NULL, NULL)) != LDAP_SUCCESS)
    {
      char *detail = NULL;
      ldap_get_option (ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &detail);
      g_set_error (error, CM_ERROR, CM_ERROR_IO, "LDAP %s: StartTLS (CA file %s): %s%s%s", s->uri,
                   s->ca_file ? s->ca_file : "the system's", ldap_err2string (rc), detail ? ": " : "",
                   detail ? detail : "");
      ldap_memfree (detail);
      ldap_unbind_ext_s (ld, NULL, NULL);
      return NULL;
    }
  struct berval credentials = { 0, NULL };
  g_autofree char *password = NULL;
  if (s->password_file)
    {
      g_autoptr (GError) local = NULL;
      if (!g_file_get_contents (s->password_file, &password, NULL, &local))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_IO, "LDAP bind password ([directory] password-file): %s",
                       local->message);
          ldap_unbind_ext_s (ld, NULL, NULL);
          return NULL;
        }
      g_strchomp (password);
      credentials.bv_val = password;
      credentials.bv_len = strlen (password);
    }
  rc = ldap_sasl_bind_s (ld, s->bind_dn ? s->bind_dn : "", LDAP_SASL_SIMPLE, &credentials, NULL, NULL, NULL);
  if (password)
    memset (password, 0, strlen (password));
  if (rc != LDAP_SUCCESS)
    {
      g_autofree char *what = g_strdup_printf ("bind as %s", s->bind_dn ? s->bind_dn : "anonymous");
      ldap_failed (error, s, what, rc);
      ldap_unbind_ext_s (ld, NULL, NULL);
      return NULL;
    }
  return ld;
}

typedef gboolean (*EntryFunc) (LDAP *ld, LDAPMessage *entry, gpointer data, GError **error);

/* Search BASE with FILTER and SCOPE, a page at a time, calling FUNC on
 * each entry.  A base search (one entry by DN) that finds nothing is not
 * an error here: the caller says what was missing. */
static gboolean
search_paged (LDAP *ld, const Settings *s, const char *base, int scope, const char *filter,
              char **attributes, EntryFunc func, gpointer data, GError **error)
{
  struct berval *cookie = NULL;
  gboolean ok = TRUE;
  do
    {
      LDAPControl *page = NULL;
      int rc = ldap_create_page_control (ld, s->page_size, cookie, 1, &page);
      if (cookie)
        ber_bvfree (cookie);
      cookie = NULL;
      if (rc != LDAP_SUCCESS)
        return ldap_failed (error, s, "paged results control", rc);
      LDAPControl *controls[] = { page, NULL };
      struct timeval timeout = { s->timeout, 0 };
      g_autoptr (LDAPMessage) result = NULL;
      rc = ldap_search_ext_s (ld, base, scope, filter, attributes, 0, controls, NULL, &timeout, 0, &result);
      ldap_control_free (page);
      if (rc == LDAP_NO_SUCH_OBJECT && scope == LDAP_SCOPE_BASE)
        return TRUE;
      if (rc != LDAP_SUCCESS)
        {
          g_autofree char *what = g_strdup_printf ("search %s under %s", filter, base);
          return ldap_failed (error, s, what, rc);
        }
      for (LDAPMessage *entry = ldap_first_entry (ld, result); entry && ok; entry = ldap_next_entry (ld, entry))
        ok = func (ld, entry, data, error);
      LDAPControl **returned = NULL;
      int code = 0;
      if (ok && ldap_parse_result (ld, result, &code, NULL, NULL, NULL, &returned, 0) == LDAP_SUCCESS && returned)
        {
          LDAPControl *response = ldap_control_find (LDAP_CONTROL_PAGEDRESULTS, returned, NULL);
          ber_int_t estimate = 0;
          struct berval next = { 0, NULL };
          if (response && ldap_parse_pageresponse_control (ld, response, &estimate, &next) == LDAP_SUCCESS
              && next.bv_len > 0)
            cookie = ber_bvdup (&next);
          ber_memfree (next.bv_val);
          ldap_controls_free (returned);
        }
    }
  while (ok && cookie);
  if (cookie)
    ber_bvfree (cookie);
  return ok;
}

/* The values of ATTRIBUTE of ENTRY as strings (empty when none). */
static GPtrArray *
values (LDAP *ld, LDAPMessage *entry, const char *attribute)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (attribute == NULL || *attribute == '\0')
    return out;
  struct berval **found = ldap_get_values_len (ld, entry, attribute);
  for (int i = 0; found && found[i]; i++)
    g_ptr_array_add (out, g_strndup (found[i]->bv_val, found[i]->bv_len));
  ldap_value_free_len (found);
  return out;
}

/* Mail addresses of ENTRY: the mail attribute, then the proxy addresses
 * of type SMTP (smtp: secondary, SMTP: primary and so first); other
 * types (X500:, SIP:) are not mail. */
static GPtrArray *
addresses (LDAP *ld, LDAPMessage *entry, const Settings *s)
{
  GPtrArray *out = values (ld, entry, s->mail);
  g_autoptr (GPtrArray) proxies = values (ld, entry, s->proxy);
  for (guint i = 0; i < proxies->len; i++)
    {
      const char *proxy = proxies->pdata[i];
      if (g_str_has_prefix (proxy, "SMTP:"))
        g_ptr_array_insert (out, 0, g_strdup (proxy + 5));
      else if (g_ascii_strncasecmp (proxy, "smtp:", 5) == 0)
        g_ptr_array_add (out, g_strdup (proxy + 5));
    }
  g_ptr_array_add (out, NULL);
  return out;
}

/* The name to show for ENTRY: the name attribute, else cn, else its DN. */
static char *
entry_name (LDAP *ld, LDAPMessage *entry, const Settings *s)
{
  g_autoptr (GPtrArray) name = values (ld, entry, s->name);
  if (name->len == 0)
    {
      g_ptr_array_unref (name);
      name = values (ld, entry, "cn");
    }
  if (name->len)
    return g_strdup (name->pdata[0]);
  char *dn = ldap_get_dn (ld, entry);
  char *copy = g_strdup (dn);
  ldap_memfree (dn);
  return copy;
}

typedef struct {
  const Settings *settings;
  CmDirectoryBuilder *builder;
  GHashTable *groups;      /* DN key -> Group * */
  GHashTable *member_dns;  /* DN keys of the members */
  GHashTable *offices;     /* DN key of a person -> CM_OFFICE_* bits (GUINT_TO_POINTER) */
  GHashTable *added;       /* DN keys of people added */
  guint skipped;
} Read;

static gboolean
take_group (LDAP *ld, LDAPMessage *entry, gpointer data, GError **error)
{
  Read *read = data;
  char *dn = ldap_get_dn (ld, entry);
  Group *group = g_new0 (Group, 1);
  group->dn = g_strdup (dn);
  ldap_memfree (dn);
  group->name = entry_name (ld, entry, read->settings);
  group->addresses = addresses (ld, entry, read->settings);
  g_autoptr (GPtrArray) members = values (ld, entry, read->settings->member);
  group->members = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < members->len; i++)
    g_ptr_array_add (group->members, dn_key (members->pdata[i]));
  g_ptr_array_add (group->members, NULL);
  g_hash_table_replace (read->groups, dn_key (group->dn), group);
  return TRUE;
}

/* Add the DN keys of the people of the group KEY (nested groups too) to
 * PEOPLE; VISITED stops a loop of groups from going round for ever. */
static void
collect_people (Read *read, const char *key, GHashTable *visited, GHashTable *people)
{
  if (!g_hash_table_add (visited, g_strdup (key)))
    return;
  Group *group = g_hash_table_lookup (read->groups, key);
  if (group == NULL)
    {
      g_hash_table_add (people, g_strdup (key));
      return;
    }
  for (guint i = 0; i + 1 < group->members->len; i++)
    collect_people (read, group->members->pdata[i], visited, people);
}

/* The group DN (the members group, an office's group) among those read,
 * else read by DN, as it may not match list-filter.  FALSE with ERROR
 * when it is not there: WHAT says which setting named it. */
static gboolean
find_group (LDAP *ld, Read *read, const char *dn, const char *what, char **attributes, GError **error)
{
  g_autofree char *key = dn_key (dn);
  if (!g_hash_table_contains (read->groups, key)
      && !search_paged (ld, read->settings, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attributes, take_group, read,
                        error))
    return FALSE;
  if (!g_hash_table_contains (read->groups, key))
    {
      g_set_error (error, CM_ERROR, CM_ERROR_DIRECTORY, "LDAP %s: the %s %s is not there", read->settings->uri,
                   what, dn);
      return FALSE;
    }
  return TRUE;
}

/* The offices of the people in each configured office group (chair,
 * leader...), nested groups expanded; they count only for members. */
static gboolean
collect_offices (LDAP *ld, Read *read, char **attributes, GError **error)
{
  for (guint i = 0; i < CM_N_OFFICES; i++)
    {
      const char *dn = read->settings->office_groups[i];
      if (dn == NULL)
        continue;
      g_autofree char *what = g_strdup_printf ("%s group ([directory] office-group-%s)", cm_office_name (i),
                                               cm_office_name (i));
      if (!find_group (ld, read, dn, what, attributes, error))
        return FALSE;
      g_autoptr (GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GHashTable) holders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *key = dn_key (dn);
      collect_people (read, key, visited, holders);
      GHashTableIter iter;
      gpointer holder;
      g_hash_table_iter_init (&iter, holders);
      while (g_hash_table_iter_next (&iter, &holder, NULL))
        {
          guint bits = GPOINTER_TO_UINT (g_hash_table_lookup (read->offices, holder));
          g_hash_table_insert (read->offices, g_strdup (holder), GUINT_TO_POINTER (bits | 1u << i));
        }
    }
  return TRUE;
}

static gboolean
take_person (LDAP *ld, LDAPMessage *entry, gpointer data, GError **error)
{
  Read *read = data;
  char *raw_dn = ldap_get_dn (ld, entry);
  g_autofree char *key = dn_key (raw_dn);
  g_autofree char *dn = g_strdup (raw_dn);
  ldap_memfree (raw_dn);
  if (g_hash_table_contains (read->added, key) || g_hash_table_contains (read->groups, key))
    return TRUE;
  gboolean member = g_hash_table_contains (read->member_dns, key);
  g_autofree char *name = entry_name (ld, entry, read->settings);
  g_autoptr (GPtrArray) mail = addresses (ld, entry, read->settings);
  g_autoptr (GPtrArray) title = member ? NULL : values (ld, entry, read->settings->title);
  g_autoptr (GError) local = NULL;
  guint offices = member ? GPOINTER_TO_UINT (g_hash_table_lookup (read->offices, key)) : 0;
  if (!cm_directory_builder_add_person (read->builder, key, member ? CM_ROLE_MEMBER : CM_ROLE_OFFICER, name,
                                        title && title->len ? title->pdata[0] : NULL, offices,
                                        (const char *const *) mail->pdata, dn, &local))
    {
      /* One bad entry (no mail, an address taken twice) is not the council. */
      read->skipped++;
      cm_directory_builder_warn (read->builder, "%s; left out", local->message);
      return TRUE;
    }
  g_hash_table_add (read->added, g_steal_pointer (&key));
  return TRUE;
}

gboolean
cm_directory_ldap_read (const CmConfig *config, CmDirectoryBuilder *builder, GError **error)
{
  Settings s = { 0 };
  if (!read_settings (config, &s, error))
    return FALSE;
  LDAP *ld = connect_and_bind (&s, error);
  if (ld == NULL)
    return FALSE;
  cm_directory_builder_set_strict (builder, FALSE);
  Read read = { &s, builder };
  read.groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, group_free);
  read.member_dns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  read.added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  read.offices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  char *group_attributes[] = { (char *) s.name, "cn", (char *) s.mail, (char *) s.proxy, (char *) s.member, NULL };
  char *person_attributes[] = { (char *) s.name, "cn", (char *) s.mail, (char *) s.proxy, (char *) s.title, NULL };
  if (*s.proxy == '\0')
    group_attributes[3] = person_attributes[3] = "cn";
  gboolean ok = search_paged (ld, &s, s.base_dn, LDAP_SCOPE_SUBTREE, s.list_filter, group_attributes, take_group,
                              &read, error);
  g_autofree char *members_key = dn_key (s.members_group);
  if (ok)
    ok = find_group (ld, &read, s.members_group, "members group", group_attributes, error)
         && collect_offices (ld, &read, group_attributes, error);
  if (ok)
    {
      g_autoptr (GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      collect_people (&read, members_key, visited, read.member_dns);
      /* Members by DN, one base search each, whatever the officer filter. */
      GHashTableIter iter;
      gpointer key;
      g_autoptr (GPtrArray) member_keys = g_ptr_array_new ();
      g_hash_table_iter_init (&iter, read.member_dns);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (member_keys, key);
      for (guint i = 0; ok && i < member_keys->len; i++)
        ok = search_paged (ld, &s, member_keys->pdata[i], LDAP_SCOPE_BASE, "(objectClass=*)", person_attributes,
                           take_person, &read, error);
    }
  if (ok)
    ok = search_paged (ld, &s, s.base_dn, LDAP_SCOPE_SUBTREE, s.officer_filter, person_attributes, take_person,
                       &read, error);
  if (ok)
    {
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, read.groups);
      while (ok && g_hash_table_iter_next (&iter, NULL, &value))
        {
          const Group *group = value;
          g_autoptr (GError) local = NULL;
          g_autofree char *key = dn_key (group->dn);
          if (!cm_directory_builder_add_list (builder, key, group->name,
                                              (const char *const *) group->addresses->pdata,
                                              (const char *const *) group->members->pdata, group->dn, NULL, &local))
            cm_directory_builder_warn (builder, "%s; left out", local->message);
        }
    }
  ldap_unbind_ext_s (ld, NULL, NULL);
  g_hash_table_unref (read.groups);
  g_hash_table_unref (read.member_dns);
  g_hash_table_unref (read.added);
  g_hash_table_unref (read.offices);
  return ok;
}

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

/* A connection to S's server with its timeouts and TLS settings;
 * REQUIRE_CERT is how hard the server's certificate is checked. */
static LDAP *
open_handle (const Settings *s, int require_cert, int *rc)
{
  LDAP *ld = NULL;
  *rc = ldap_initialize (&ld, s->uri);
  if (*rc != LDAP_SUCCESS)
    return NULL;
  int version = LDAP_VERSION3;
  struct timeval timeout = { s->timeout, 0 };
  ldap_set_option (ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option (ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  ldap_set_option (ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option (ld, LDAP_OPT_TIMEOUT, &timeout);
  if (s->ca_file)
    ldap_set_option (ld, LDAP_OPT_X_TLS_CACERTFILE, s->ca_file);
  ldap_set_option (ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require_cert);
  /* The handle's TLS options count only in a TLS context made after them
   * (else libldap uses the global one, without our CA file). */
  int new_context = 0;
  ldap_set_option (ld, LDAP_OPT_X_TLS_NEWCTX, &new_context);
  return ld;
}

/* Is TLS part of connecting (an ldaps URI), not a later StartTLS? */
static gboolean
uri_is_ldaps (const char *uri)
{
  return g_ascii_strncasecmp (uri, "ldaps:", 6) == 0 || strstr (uri, " ldaps:") != NULL;
}

/* Connect and set up TLS as S says (StartTLS, or the handshake of an
 * ldaps URI), with REQUIRE_CERT; LDAP_SUCCESS or libldap's code. */
static int
secure (LDAP *ld, const Settings *s)
{
  if (s->start_tls)
    return ldap_start_tls_s (ld, NULL, NULL);
  /* Connecting now, not at the bind, tells a TLS failure from a refused
   * bind. */
  return uri_is_ldaps (s->uri) ? ldap_connect (ld) : LDAP_SUCCESS;
}

/* The Name next in BER, which reads CERT, as an LDAP DN string; NULL
 * when it does not parse.  ldap_X509dn2bv() wants the Name's encoding
 * with its tag, so it is found in CERT by the bytes left to read. */
static char *
der_name (BerElement *ber, const struct berval *cert)
{
  ber_len_t remaining = 0;
  struct berval content = { 0, NULL };
  if (ber_get_option (ber, LBER_OPT_BER_REMAINING_BYTES, &remaining) != LBER_OPT_SUCCESS
      || remaining > cert->bv_len || ber_skip_element (ber, &content) == LBER_DEFAULT)
    return NULL;
  struct berval name = { remaining, cert->bv_val + (cert->bv_len - remaining) };
  struct berval dn = { 0, NULL };
  if (ldap_X509dn2bv (&name, &dn, NULL, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
    return NULL;
  char *text = g_strndup (dn.bv_val, dn.bv_len);
  ber_memfree (dn.bv_val);
  return text;
}

/* The subject and issuer of the DER certificate CERT (RFC 5280:
 * tbsCertificate holds [0] version, serialNumber, signature, issuer,
 * validity, subject, in that order); FALSE when it does not parse. */
static gboolean
certificate_names (const struct berval *cert, char **subject, char **issuer)
{
  *subject = *issuer = NULL;
  BerElement *ber = ber_init ((struct berval *) cert);
  if (ber == NULL)
    return FALSE;
  ber_len_t length;
  struct berval skipped;
  gboolean ok = ber_skip_tag (ber, &length) != LBER_DEFAULT   /* Certificate */
                && ber_skip_tag (ber, &length) != LBER_DEFAULT; /* tbsCertificate */
  if (ok && ber_peek_tag (ber, &length) == (LBER_CLASS_CONTEXT | LBER_CONSTRUCTED | 0))
    ok = ber_skip_element (ber, &skipped) != LBER_DEFAULT; /* version */
  ok = ok && ber_skip_element (ber, &skipped) != LBER_DEFAULT  /* serialNumber */
       && ber_skip_element (ber, &skipped) != LBER_DEFAULT;    /* signature */
  *issuer = ok ? der_name (ber, cert) : NULL;
  ok = *issuer && ber_skip_element (ber, &skipped) != LBER_DEFAULT; /* validity */
  *subject = ok ? der_name (ber, cert) : NULL;
  ber_free (ber, 1);
  if (*subject == NULL)
    g_clear_pointer (issuer, g_free);
  return *subject != NULL;
}

/* Why TLS with S's CA file failed, when that can be told: the CA file
 * unreadable or holding no certificate, or the server's certificate not
 * accepted.  libldap says only "Connect error", so for the last the
 * handshake is made again without checking the certificate, and closed
 * at once (nothing is sent over it): if it then succeeds, the
 * certificate was the problem, and its names are given.  NULL when
 * neither explains it (the server down, no TLS there). */
static char *
tls_diagnosis (const Settings *s)
{
  const char *trust = s->ca_file ? s->ca_file : "the system's CA certificates";
  if (s->ca_file)
    {
      g_autofree char *pem = NULL;
      g_autoptr (GError) local = NULL;
      if (!g_file_get_contents (s->ca_file, &pem, NULL, &local))
        return g_strdup_printf ("the CA file cannot be read: %s", local->message);
      if (strstr (pem, "-----BEGIN CERTIFICATE-----") == NULL)
        return g_strdup_printf ("the CA file %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", s->ca_file);
    }
  int rc;
  LDAP *ld = open_handle (s, LDAP_OPT_X_TLS_ALLOW, &rc);
  if (ld == NULL)
    return NULL;
  char *diagnosis = NULL;
  struct berval cert = { 0, NULL };
  if (secure (ld, s) == LDAP_SUCCESS)
    {
      g_autofree char *subject = NULL, *issuer = NULL;
      if (ldap_get_option (ld, LDAP_OPT_X_TLS_PEERCERT, &cert) == LDAP_OPT_SUCCESS && cert.bv_val
          && certificate_names (&cert, &subject, &issuer))
        diagnosis = g_strdup_printf ("the server's certificate (subject \"%s\", issuer \"%s\") is not trusted by %s: "
                                     "it is not signed by a CA there, has expired, or is not for the host in the URI",
                                     subject, issuer, trust);
      else
        diagnosis = g_strdup_printf ("the server's certificate is not trusted by %s: it is not signed by a CA there, "
                                     "has expired, or is not for the host in the URI", trust);
      ber_memfree (cert.bv_val);
    }
  ldap_unbind_ext_s (ld, NULL, NULL);
  return diagnosis;
}

/* Connect, secure and bind; NULL with ERROR saying which step failed. */
static LDAP *
connect_and_bind (const Settings *s, GError **error)
{
  int rc;
  LDAP *ld = open_handle (s, LDAP_OPT_X_TLS_DEMAND, &rc);
  if (ld == NULL)
    {
      ldap_failed (error, s, "bad uri", rc);
      return NULL;
    }
  if ((rc = secure (ld, s)) != LDAP_SUCCESS)
    {
      char *detail = NULL;
      ldap_get_option (ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &detail);
      /* libldap's detail for a refused certificate is "(unknown error
       * code)": worth showing only when it says something. */
      gboolean useful = detail && *detail && strcmp (detail, "(unknown error code)") != 0;
      g_autofree char *why = rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR ? tls_diagnosis (s) : NULL;
      g_autofree char *libldap = g_strdup_printf ("%s%s%s", ldap_err2string (rc), useful ? ": " : "",
                                                  useful ? detail : "");
      const char *step = s->start_tls ? "StartTLS" : "TLS";
      const char *ca = s->ca_file ? s->ca_file : "the system's";
      if (why)
        g_set_error (error, CM_ERROR, CM_ERROR_IO, "LDAP %s: %s (CA file %s): %s (libldap: %s)", s->uri, step, ca,
                     why, libldap);
      else
        g_set_error (error, CM_ERROR, CM_ERROR_IO, "LDAP %s: %s (CA file %s): %s%s", s->uri, step, ca, libldap,
                     s->start_tls && rc == LDAP_PROTOCOL_ERROR
                       ? " (the server does not offer StartTLS: turn TLS on there, or use an ldaps URI)"
                       : "");
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
  /* LDAP strings should be UTF-8 but a server does not always keep them
   * so; the directory (names in text, the snapshot, council-check's
   * output) holds only UTF-8. */
  for (int i = 0; found && found[i]; i++)
    g_ptr_array_add (out, g_utf8_make_valid (found[i]->bv_val, (gssize) found[i]->bv_len));
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

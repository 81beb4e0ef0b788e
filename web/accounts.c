/*
 * accounts.c: the web page's accounts file (accounts.h): parsed whole,
 * checked line by line, and rewritten atomically under a lock.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "accounts.h"
#include "durable.h"

G_DEFINE_QUARK (cm-accounts-error-quark, cm_accounts_error)

/* The file's mode: the web page's group may read it, nobody else. */
#define ACCOUNTS_MODE 0640

static const char *const role_names[] = {
  [CM_WEB_ROLE_MONITORING_OFFICER] = "monitoring-officer",
  [CM_WEB_ROLE_DEPUTY] = "deputy",
  [CM_WEB_ROLE_AUDITOR] = "auditor",
};

/* One line of the file: an account, or a comment or blank line kept as it is. */
typedef struct {
  char *text;  /* a comment or blank line; NULL for an account */
  char *name;
  CmWebRole role;
  char *hash;
} Line;

struct _CmAccounts {
  char *path;
  GPtrArray *lines;       /* Line *, in file order */
  GHashTable *by_name;    /* name -> Line * (borrowed) */
  GPtrArray *names;       /* char * (borrowed), in file order */
  char *dummy_setting;    /* hashed for an unknown user, at the same cost */
};

static void
line_free (Line *line)
{
  g_free (line->text);
  g_free (line->name);
  if (line->hash)
    explicit_bzero (line->hash, strlen (line->hash));
  g_free (line->hash);
  g_free (line);
}

/* An empty set for PATH. */
static CmAccounts *
accounts_new (const char *path)
{
  CmAccounts *accounts = g_new0 (CmAccounts, 1);
  accounts->path = g_strdup (path);
  accounts->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  accounts->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  accounts->names = g_ptr_array_new ();
  return accounts;
}

void
cm_accounts_free (CmAccounts *accounts)
{
  if (accounts == NULL)
    return;
  g_free (accounts->path);
  g_ptr_array_unref (accounts->lines);
  g_hash_table_unref (accounts->by_name);
  g_ptr_array_unref (accounts->names);
  g_free (accounts->dummy_setting);
  g_free (accounts);
}

const char *
cm_web_role_name (CmWebRole role)
{
  return (guint) role < G_N_ELEMENTS (role_names) ? role_names[role] : "?";
}

gboolean
cm_web_role_parse (const char *name, CmWebRole *role)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (role_names[i], name) == 0)
      {
        *role = (CmWebRole) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cm_web_role_decides (CmWebRole role)
{
  return role == CM_WEB_ROLE_MONITORING_OFFICER || role == CM_WEB_ROLE_DEPUTY;
}

gboolean
cm_accounts_valid_name (const char *name, GError **error)
{
  gsize length = strlen (name);
  const char *why = NULL;
  if (length == 0)
    why = "it is empty";
  else if (length > CM_ACCOUNTS_MAX_NAME)
    why = "it is longer than " G_STRINGIFY (CM_ACCOUNTS_MAX_NAME) " bytes";
  else if (!g_utf8_validate (name, -1, NULL))
    why = "it is not UTF-8 text";
  else if (strchr (name, ':'))
    why = "it has a ':', which separates the fields of the accounts file";
  else if (name[0] == '#')
    why = "it starts with '#', which starts a comment in the accounts file";
  else if (g_unichar_isspace (g_utf8_get_char (name)) || g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (name + length))))
    why = "it starts or ends with a space";
  for (const char *p = name; why == NULL && *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      why = "it has a control character";
  if (why == NULL)
    return TRUE;
  g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_NAME, "The user name is not allowed: %s.", why);
  return FALSE;
}

/* Does HASH look like a crypt(3) hash: "$id$...", no ':', space or control? */
static gboolean
valid_hash (const char *hash)
{
  if (hash[0] != '$' || strlen (hash) < 4)
    return FALSE;
  for (const char *p = hash; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("$./=,-", *p))
      return FALSE;
  return TRUE;
}

/* Set ERROR to "PATH line NUMBER: WHY" and return FALSE. */
static gboolean G_GNUC_PRINTF (4, 5)
malformed (GError **error, const char *path, guint number, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_MALFORMED, "The accounts file %s, line %u: %s.",
               path, number, why);
  return FALSE;
}

/* Parse TEXT (the file PATH) into ACCOUNTS, or say which line is wrong. */
static gboolean
parse (CmAccounts *accounts, const char *path, const char *text, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);
  if (n > 0 && lines[n - 1][0] == '\0')
    n--; /* the end of the last line */
  for (guint i = 0; i < n; i++)
    {
      char *raw = lines[i];
      gsize length = strlen (raw);
      if (length > 0 && raw[length - 1] == '\r')
        raw[length - 1] = '\0'; /* a file edited on Windows */
      Line *line = g_new0 (Line, 1);
      g_ptr_array_add (accounts->lines, line);
      if (raw[0] == '#' || raw[strspn (raw, " \t")] == '\0')
        {
          line->text = g_strdup (raw);
          continue;
        }
      g_auto (GStrv) fields = g_strsplit (raw, ":", 4);
      if (g_strv_length (fields) != 3)
        return malformed (error, path, i + 1, "expected NAME:ROLE:HASH");
      g_autoptr (GError) local = NULL;
      if (!cm_accounts_valid_name (fields[0], &local))
        return malformed (error, path, i + 1, "%s", local->message);
      if (!cm_web_role_parse (fields[1], &line->role))
        return malformed (error, path, i + 1, "the role is not one of monitoring-officer, deputy, auditor");
      if (!valid_hash (fields[2]))
        return malformed (error, path, i + 1, "the third field is not a password hash (\"$y$...\")");
      if (g_hash_table_contains (accounts->by_name, fields[0]))
        return malformed (error, path, i + 1, "the user %s is there already, on an earlier line", fields[0]);
      line->name = g_strdup (fields[0]);
      line->hash = g_strdup (fields[2]);
      g_hash_table_insert (accounts->by_name, line->name, line);
      g_ptr_array_add (accounts->names, line->name);
      explicit_bzero (fields[2], strlen (fields[2]));
    }
  return TRUE;
}

/* The accounts in PATH, read and parsed (a missing file is an empty set). */
static CmAccounts *
read_accounts (const char *path, GError **error)
{
  g_autoptr (CmAccounts) accounts = accounts_new (path);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&accounts);
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "Reading the accounts file: ");
      return NULL;
    }
  if (!parse (accounts, path, text, error))
    return NULL;
  return g_steal_pointer (&accounts);
}

/* A new yescrypt setting (the method, cost and a random salt), or NULL. */
static char *
new_setting (GError **error)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  /* No random bytes given: libcrypt takes them from the kernel. */
  if (crypt_gensalt_rn ("$y$", 0, NULL, 0, setting, sizeof setting) == NULL)
    {
      int saved = errno;
      g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_HASH,
                   "libcrypt could not make a yescrypt salt: %s.", g_strerror (saved));
      return NULL;
    }
  return g_strdup (setting);
}

/* PASSWORD hashed with SETTING (a setting or a whole hash), or NULL. */
static char *
hash_with (const char *password, const char *setting)
{
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *out = crypt_rn (password, setting, data, sizeof *data);
  char *hash = out && out[0] == '$' ? g_strdup (out) : NULL;
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return hash;
}

CmAccounts *
cm_accounts_load (const char *path, GError **error)
{
  g_autoptr (CmAccounts) accounts = read_accounts (path, error);
  if (accounts == NULL)
    return NULL;
  accounts->dummy_setting = new_setting (error);
  if (accounts->dummy_setting == NULL)
    return NULL;
  return g_steal_pointer (&accounts);
}

/* Are A and B equal, in a time that depends on their lengths only? */
static gboolean
same_secret (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 differ = la != lb;
  for (gsize i = 0; i < la && i < lb; i++)
    differ |= (guint8) (a[i] ^ b[i]);
  return differ == 0;
}

gboolean
cm_accounts_verify (const CmAccounts *accounts, const char *user, const char *password, CmWebRole *role)
{
  const Line *line = user ? g_hash_table_lookup (accounts->by_name, user) : NULL;
  /* An unknown user is hashed too, with a setting of the same cost. */
  const char *setting = line ? line->hash : accounts->dummy_setting;
  g_autofree char *hash = hash_with (password ? password : "", setting);
  gboolean ok = hash != NULL && same_secret (hash, setting) && line != NULL && password != NULL;
  if (hash)
    explicit_bzero (hash, strlen (hash));
  if (ok && role)
    *role = line->role;
  return ok;
}

gboolean
cm_accounts_lookup (const CmAccounts *accounts, const char *user, CmWebRole *role)
{
  const Line *line = user ? g_hash_table_lookup (accounts->by_name, user) : NULL;
  if (line && role)
    *role = line->role;
  return line != NULL;
}

const GPtrArray *
cm_accounts_users (const CmAccounts *accounts)
{
  return accounts->names;
}

/* ---- changing the file ---------------------------------------------------- */

/* Lock the directory of PATH against another change; the descriptor, or -1. */
static int
lock_directory (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Opening %s, the directory of the accounts file, failed: %s.", dir, g_strerror (saved));
      return -1;
    }
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        int saved = errno;
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                     "Locking %s against another change of the accounts file failed: %s.", dir, g_strerror (saved));
        close (fd);
        return -1;
      }
  return fd;
}

/* The file's text for ACCOUNTS. */
static char *
render (const CmAccounts *accounts)
{
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < accounts->lines->len; i++)
    {
      const Line *line = g_ptr_array_index (accounts->lines, i);
      if (line->text)
        g_string_append_printf (text, "%s\n", line->text);
      else
        g_string_append_printf (text, "%s:%s:%s\n", line->name, cm_web_role_name (line->role), line->hash);
    }
  return g_string_free (text, FALSE);
}

/* Replace the file PATH by ACCOUNTS: a temporary file beside it, synced,
 * renamed over it, and the directory synced. */
static gboolean
write_accounts (const CmAccounts *accounts, const char *path, GError **error)
{
  g_autofree char *text = render (accounts);
  g_autofree char *temp = g_strdup_printf ("%s.XXXXXX", path);
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, ACCOUNTS_MODE);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Creating a new accounts file beside %s failed: %s.", path, g_strerror (saved));
      return FALSE;
    }
  /* The umask may have taken the group's read away. */
  gboolean ok = fchmod (fd, ACCOUNTS_MODE) == 0;
  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Setting the mode of %s failed: %s.",
                 temp, g_strerror (errno));
  ok = ok && cm_durable_write_all (fd, text, strlen (text), temp, error);
  explicit_bzero (text, strlen (text));
  ok = cm_durable_finish (fd, temp, ok, error);
  if (ok && g_rename (temp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "Replacing the accounts file %s failed: %s.",
                   path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (temp);
      return FALSE;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  return cm_durable_sync_dir (dir, error);
}

/* Is PASSWORD acceptable: at least CM_ACCOUNTS_MIN_PASSWORD characters, one line? */
static gboolean
valid_password (const char *password, GError **error)
{
  glong length = g_utf8_validate (password, -1, NULL) ? g_utf8_strlen (password, -1) : (glong) strlen (password);
  if (length < CM_ACCOUNTS_MIN_PASSWORD)
    {
      g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_PASSWORD,
                   "The password is too short: it needs at least %d characters.", CM_ACCOUNTS_MIN_PASSWORD);
      return FALSE;
    }
  if (strpbrk (password, "\r\n"))
    {
      g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_PASSWORD, "The password must be one line.");
      return FALSE;
    }
  return TRUE;
}

/* PASSWORD's hash with a new salt, or NULL. */
static char *
new_hash (const char *password, GError **error)
{
  g_autofree char *setting = new_setting (error);
  if (setting == NULL)
    return NULL;
  char *hash = hash_with (password, setting);
  if (hash == NULL)
    g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_HASH,
                 "libcrypt could not hash the password with yescrypt: %s.", g_strerror (errno));
  return hash;
}

typedef enum { CHANGE_ADD, CHANGE_PASSWORD, CHANGE_REMOVE } Change;

/* Make CHANGE to USER of the file PATH, under the lock, and write it back. */
static gboolean
change (const char *path, Change what, const char *user, CmWebRole role, const char *password, GError **error)
{
  if (!cm_accounts_valid_name (user, error))
    return FALSE;
  if (what != CHANGE_REMOVE && !valid_password (password, error))
    return FALSE;
  /* Hashed before the lock is taken: it takes a while. */
  g_autofree char *hash = what != CHANGE_REMOVE ? new_hash (password, error) : NULL;
  if (what != CHANGE_REMOVE && hash == NULL)
    return FALSE;

  int lock = lock_directory (path, error);
  if (lock < 0)
    return FALSE;
  g_autoptr (CmAccounts) accounts = read_accounts (path, error);
  gboolean ok = accounts != NULL;
  Line *line = ok ? g_hash_table_lookup (accounts->by_name, user) : NULL;
  if (ok && what == CHANGE_ADD && line != NULL)
    {
      g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_EXISTS, "The user %s has an account already (in %s).",
                   user, path);
      ok = FALSE;
    }
  else if (ok && what != CHANGE_ADD && line == NULL)
    {
      g_set_error (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_UNKNOWN, "There is no user %s in %s.", user, path);
      ok = FALSE;
    }
  if (ok)
    {
      if (what == CHANGE_ADD)
        {
          line = g_new0 (Line, 1);
          line->name = g_strdup (user);
          line->role = role;
          line->hash = g_steal_pointer (&hash);
          g_ptr_array_add (accounts->lines, line);
        }
      else if (what == CHANGE_PASSWORD)
        {
          explicit_bzero (line->hash, strlen (line->hash));
          g_free (line->hash);
          line->hash = g_steal_pointer (&hash);
        }
      else
        g_ptr_array_remove (accounts->lines, line);
      ok = write_accounts (accounts, path, error);
    }
  close (lock); /* and the lock with it */
  return ok;
}

gboolean
cm_accounts_add (const char *path, const char *user, CmWebRole role, const char *password, GError **error)
{
  return change (path, CHANGE_ADD, user, role, password, error);
}

gboolean
cm_accounts_set_password (const char *path, const char *user, const char *password, GError **error)
{
  return change (path, CHANGE_PASSWORD, user, 0, password, error);
}

gboolean
cm_accounts_remove (const char *path, const char *user, GError **error)
{
  return change (path, CHANGE_REMOVE, user, 0, NULL, error);
}

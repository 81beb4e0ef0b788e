/*
 * accounts.h: the accounts of the web review page (council-review-web):
 * who may sign in, with what role, and their password hashes.
 *
 * The file ([web] accounts in council-milter.conf) has one account a line,
 *
 *     NAME:ROLE:HASH
 *
 * ROLE one of monitoring-officer, deputy, auditor; HASH a yescrypt hash
 * made by libcrypt ($y$...).  Blank lines and lines starting with '#' are
 * kept as they are.  A password is never stored nor logged, only its hash.
 * The file is changed only through cm_accounts_add, _set_password and
 * _remove (council-review user ...), each of which checks the whole file,
 * holds a lock on its directory against a concurrent change and replaces
 * it atomically (a temporary file, fsync, rename; mode 0640), so the web
 * page, which loads it, never reads half a file.
 *
 *   CmAccounts *cm_accounts_load (path, error)
 *   cm_accounts_verify (accounts, user, password, &role)   sign-in
 *   cm_accounts_lookup (accounts, user, &role)             a trusted proxy's user
 *   cm_accounts_users (accounts)                           names, in file order
 *   cm_accounts_add / _set_password / _remove (path, ...)  the file changed
 *   cm_web_role_name / _parse / _decides                   the roles
 *
 * Errors are CM_ACCOUNTS_ERROR (or G_FILE_ERROR for the file system),
 * whole sentences naming the file and, for a bad line, its number.
 */
#ifndef CM_WEB_ACCOUNTS_H
#define CM_WEB_ACCOUNTS_H

#include <glib.h>

/* What a user may do on the web page. */
typedef enum {
  CM_WEB_ROLE_MONITORING_OFFICER, /* decides */
  CM_WEB_ROLE_DEPUTY,             /* decides */
  CM_WEB_ROLE_AUDITOR,            /* reads only */
} CmWebRole;

#define CM_ACCOUNTS_ERROR (cm_accounts_error_quark ())
GQuark cm_accounts_error_quark (void);
typedef enum {
  CM_ACCOUNTS_ERROR_MALFORMED, /* a line of the file is not NAME:ROLE:HASH */
  CM_ACCOUNTS_ERROR_NAME,      /* a user name that is not allowed */
  CM_ACCOUNTS_ERROR_PASSWORD,  /* a password too short, or with a NUL or line end */
  CM_ACCOUNTS_ERROR_EXISTS,    /* add: the user is there already */
  CM_ACCOUNTS_ERROR_UNKNOWN,   /* passwd, remove: no such user */
  CM_ACCOUNTS_ERROR_HASH,      /* libcrypt could not make a hash */
} CmAccountsError;

/* The shortest password accepted, in bytes. */
#define CM_ACCOUNTS_MIN_PASSWORD 12
/* The longest user name, in bytes. */
#define CM_ACCOUNTS_MAX_NAME 128

typedef struct _CmAccounts CmAccounts;

/* The accounts in PATH: a missing file is an empty set; a malformed line
 * is an error naming the file and the line. */
CmAccounts *cm_accounts_load (const char *path, GError **error);
void cm_accounts_free (CmAccounts *accounts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmAccounts, cm_accounts_free)

/* Is PASSWORD USER's?  Then ROLE (may be NULL) is set.  An unknown user
 * costs one hash too, and hashes are compared in constant time, so the
 * time taken does not tell which names exist. */
gboolean cm_accounts_verify (const CmAccounts *accounts, const char *user, const char *password,
                             CmWebRole *role);
/* Is there an account USER (named by a trusted reverse proxy, which
 * checked who it is)?  Then ROLE (may be NULL) is set. */
gboolean cm_accounts_lookup (const CmAccounts *accounts, const char *user, CmWebRole *role);
/* The users' names in the order of the file (owned by ACCOUNTS). */
const GPtrArray *cm_accounts_users (const CmAccounts *accounts);

/* Is NAME fit for a user name: 1 to CM_ACCOUNTS_MAX_NAME bytes of UTF-8,
 * no ':' nor control character nor space at either end?  Else ERROR says why. */
gboolean cm_accounts_valid_name (const char *name, GError **error);

/* Add USER with ROLE and PASSWORD to the file PATH (made when missing). */
gboolean cm_accounts_add (const char *path, const char *user, CmWebRole role, const char *password,
                          GError **error);
/* Give USER of the file PATH a new PASSWORD. */
gboolean cm_accounts_set_password (const char *path, const char *user, const char *password, GError **error);
/* Remove USER from the file PATH. */
gboolean cm_accounts_remove (const char *path, const char *user, GError **error);

/* The role's name, as in the file: "monitoring-officer", "deputy", "auditor". */
const char *cm_web_role_name (CmWebRole role);
/* The role called NAME into ROLE; FALSE for no role. */
gboolean cm_web_role_parse (const char *name, CmWebRole *role);
/* May ROLE release and reject held mail? */
gboolean cm_web_role_decides (CmWebRole role);

#endif

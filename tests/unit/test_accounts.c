/*
 * test_accounts.c: the web page's accounts (web/accounts.h) and its
 * [web] keys (web/websettings.h): add, verify, change and remove with the
 * file rewritten whole (mode 0640, a new inode, no temporary file left);
 * a wrong password, an unknown user, a password too short, names that
 * are not allowed; concurrent additions all kept (the lock); every kind of malformed line refused with its number;
 * the roles; and the [web] keys typed at load by cm_daemon_config_load,
 * which every program uses (a bad port, a host name for the proxy and a
 * number out of range refused, an unknown key named).
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "accounts.h"
#include "settings.h"
#include "testutil.h"
#include "websettings.h"

#define GOOD "correct horse battery"
#define OTHER "another long passphrase"

/* A path for an accounts file in a new scratch directory. */
static char *
accounts_path (void)
{
  g_autofree char *dir = test_scratch_dir ();
  return g_build_filename (dir, "web-accounts", NULL);
}

/* The file's mode, and its inode in INODE. */
static guint
file_mode (const char *path, ino_t *inode)
{
  GStatBuf st;
  ck_assert_int_eq (g_stat (path, &st), 0);
  if (inode)
    *inode = st.st_ino;
  return st.st_mode & 07777;
}

/* The number of entries of PATH's directory. */
static guint
entries (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d))
    n++;
  return n;
}

/* The error of loading an accounts file of TEXT. */
static char *
load_error (const char *text)
{
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *path = test_write (dir, "web-accounts", text);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, &error);
  ck_assert_msg (accounts == NULL, "loaded: %s", text);
  ck_assert (g_error_matches (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_MALFORMED));
  ck_assert_msg (strstr (error->message, path), "%s", error->message);
  return g_strdup (error->message);
}

START_TEST (test_round_trip)
{
  g_autofree char *path = accounts_path ();
  g_autoptr (GError) error = NULL;
  ck_assert_msg (cm_accounts_add (path, "jane.smith", CM_WEB_ROLE_MONITORING_OFFICER, GOOD, &error), "%s",
                 error ? error->message : "");
  ck_assert (cm_accounts_add (path, "tom", CM_WEB_ROLE_AUDITOR, OTHER, NULL));
  ino_t before, after;
  ck_assert_uint_eq (file_mode (path, &before), 0640);

  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, &error);
  ck_assert (accounts != NULL);
  CmWebRole role = CM_WEB_ROLE_DEPUTY;
  ck_assert (cm_accounts_verify (accounts, "jane.smith", GOOD, &role));
  ck_assert_int_eq (role, CM_WEB_ROLE_MONITORING_OFFICER);
  ck_assert (cm_accounts_verify (accounts, "tom", OTHER, &role));
  ck_assert_int_eq (role, CM_WEB_ROLE_AUDITOR);
  ck_assert (cm_accounts_lookup (accounts, "tom", &role));
  const GPtrArray *users = cm_accounts_users (accounts);
  ck_assert_uint_eq (users->len, 2);
  ck_assert_str_eq (g_ptr_array_index (users, 0), "jane.smith");
  ck_assert_str_eq (g_ptr_array_index (users, 1), "tom");

  /* Never the password itself in the file: its yescrypt hash. */
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  ck_assert (strstr (text, GOOD) == NULL && strstr (text, OTHER) == NULL);
  ck_assert (strstr (text, "jane.smith:monitoring-officer:$y$") != NULL);

  /* A new password: the old one no longer works, the file was replaced. */
  ck_assert (cm_accounts_set_password (path, "jane.smith", OTHER, &error));
  ck_assert_uint_eq (file_mode (path, &after), 0640);
  ck_assert (before != after);
  ck_assert_uint_eq (entries (path), 1); /* no temporary file left */
  g_autoptr (CmAccounts) changed = cm_accounts_load (path, &error);
  ck_assert (!cm_accounts_verify (changed, "jane.smith", GOOD, NULL));
  ck_assert (cm_accounts_verify (changed, "jane.smith", OTHER, NULL));

  /* Removed: gone, and the other stays. */
  ck_assert (cm_accounts_remove (path, "jane.smith", &error));
  g_autoptr (CmAccounts) removed = cm_accounts_load (path, &error);
  ck_assert (!cm_accounts_lookup (removed, "jane.smith", NULL));
  ck_assert (!cm_accounts_verify (removed, "jane.smith", OTHER, NULL));
  ck_assert (cm_accounts_verify (removed, "tom", OTHER, NULL));
  ck_assert_uint_eq (cm_accounts_users (removed)->len, 1);
}
END_TEST

START_TEST (test_wrong_and_unknown)
{
  g_autofree char *path = accounts_path ();
  ck_assert (cm_accounts_add (path, "jane", CM_WEB_ROLE_DEPUTY, GOOD, NULL));
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, NULL);
  CmWebRole role = CM_WEB_ROLE_AUDITOR;
  ck_assert (!cm_accounts_verify (accounts, "jane", OTHER, &role));
  ck_assert (!cm_accounts_verify (accounts, "jane", GOOD "x", &role));
  ck_assert (!cm_accounts_verify (accounts, "jane", "", &role));
  ck_assert (!cm_accounts_verify (accounts, "jane", NULL, &role));
  ck_assert (!cm_accounts_verify (accounts, "Jane", GOOD, &role));
  ck_assert (!cm_accounts_verify (accounts, "nobody", GOOD, &role));
  ck_assert (!cm_accounts_verify (accounts, NULL, GOOD, &role));
  ck_assert (!cm_accounts_lookup (accounts, "nobody", &role));
  ck_assert_int_eq (role, CM_WEB_ROLE_AUDITOR); /* untouched by a failure */

  /* A missing file is an empty set, where nobody signs in. */
  g_autofree char *missing = accounts_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CmAccounts) none = cm_accounts_load (missing, &error);
  ck_assert (none != NULL);
  ck_assert_uint_eq (cm_accounts_users (none)->len, 0);
  ck_assert (!cm_accounts_verify (none, "jane", GOOD, NULL));
}
END_TEST

START_TEST (test_changes_refused)
{
  g_autofree char *path = accounts_path ();
  ck_assert (cm_accounts_add (path, "jane", CM_WEB_ROLE_DEPUTY, GOOD, NULL));
  struct { const char *user; const char *password; int code; const char *says; } adds[] = {
    { "jane", OTHER, CM_ACCOUNTS_ERROR_EXISTS, "has an account already" },
    { "bob", "elevenchars", CM_ACCOUNTS_ERROR_PASSWORD, "at least 12 characters" },
    { "bob", "", CM_ACCOUNTS_ERROR_PASSWORD, "at least 12 characters" },
    { "bob", "twelve chars\nmore", CM_ACCOUNTS_ERROR_PASSWORD, "one line" },
    { "", GOOD, CM_ACCOUNTS_ERROR_NAME, "it is empty" },
    { "a:b", GOOD, CM_ACCOUNTS_ERROR_NAME, "':'" },
    { "a\nb", GOOD, CM_ACCOUNTS_ERROR_NAME, "control character" },
    { "a\x1b[31mb", GOOD, CM_ACCOUNTS_ERROR_NAME, "control character" },
    { "a\xc2\x85" "b", GOOD, CM_ACCOUNTS_ERROR_NAME, "control character" },
    { "a\xff", GOOD, CM_ACCOUNTS_ERROR_NAME, "not UTF-8" },
    { " jane", GOOD, CM_ACCOUNTS_ERROR_NAME, "space" },
    { "jane ", GOOD, CM_ACCOUNTS_ERROR_NAME, "space" },
    { "#jane", GOOD, CM_ACCOUNTS_ERROR_NAME, "comment" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (adds); i++)
    {
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!cm_accounts_add (path, adds[i].user, CM_WEB_ROLE_AUDITOR, adds[i].password, &error), "case %u", i);
      ck_assert_msg (g_error_matches (error, CM_ACCOUNTS_ERROR, adds[i].code) && strstr (error->message, adds[i].says),
                     "case %u: %s", i, error->message);
    }
  g_autofree char *long_name = g_strnfill (CM_ACCOUNTS_MAX_NAME + 1, 'a');
  ck_assert (!cm_accounts_add (path, long_name, CM_WEB_ROLE_AUDITOR, GOOD, NULL));
  long_name[CM_ACCOUNTS_MAX_NAME] = '\0';
  ck_assert (cm_accounts_add (path, long_name, CM_WEB_ROLE_AUDITOR, GOOD, NULL));
  ck_assert (cm_accounts_add (path, "Zoë Øster", CM_WEB_ROLE_AUDITOR, GOOD, NULL));

  g_autoptr (GError) error = NULL;
  ck_assert (!cm_accounts_set_password (path, "nobody", GOOD, &error));
  ck_assert (g_error_matches (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_UNKNOWN));
  g_clear_error (&error);
  ck_assert (!cm_accounts_set_password (path, "jane", "short", &error));
  ck_assert (g_error_matches (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_PASSWORD));
  g_clear_error (&error);
  ck_assert (!cm_accounts_remove (path, "nobody", &error));
  ck_assert (g_error_matches (error, CM_ACCOUNTS_ERROR, CM_ACCOUNTS_ERROR_UNKNOWN));
  g_clear_error (&error);

  /* Nothing refused changed the file. */
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, NULL);
  ck_assert_uint_eq (cm_accounts_users (accounts)->len, 3);
  ck_assert (cm_accounts_verify (accounts, "jane", GOOD, NULL));

  /* A directory that is not there: an error naming it, not a crash. */
  ck_assert (!cm_accounts_add ("/nonexistent/dir/web-accounts", "jane", CM_WEB_ROLE_DEPUTY, GOOD, &error));
  ck_assert_msg (strstr (error->message, "/nonexistent/dir"), "%s", error->message);
}
END_TEST

START_TEST (test_malformed_lines)
{
  const char *hash = "$y$j9T$irlx9QhEMUHyEiA5wtr8C0$1oylazqSk0Vamdy15/J2Jo.okipFjeokkI2f7Qz4kZ3";
  struct { const char *text; const char *says; } cases[] = {
    { "jane\n", "line 1: expected NAME:ROLE:HASH" },
    { "# accounts\n\njane:deputy\n", "line 3: expected NAME:ROLE:HASH" },
    { "jane:deputy:%s:extra\n", "line 1: expected NAME:ROLE:HASH" },
    { "jane:chief:%s\n", "line 1: the role is not one of monitoring-officer, deputy, auditor" },
    { "jane:deputy:hunter2hunter2\n", "line 1: the third field is not a password hash" },
    { "jane:deputy:$y$ bad\n", "line 1: the third field is not a password hash" },
    { "jane:deputy:\n", "line 1: the third field is not a password hash" },
    { ":deputy:%s\n", "line 1: The user name is not allowed: it is empty" },
    { "ja\x01ne:deputy:%s\n", "line 1: The user name is not allowed: it has a control character" },
    { "jane:deputy:%s\ntom:auditor:%s\njane:auditor:%s\n", "line 3: the user jane is there already" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      for (const char *p = cases[i].text; *p; p++)
        if (p[0] == '%' && p[1] == 's')
          g_string_append (text, hash), p++;
        else
          g_string_append_c (text, *p);
      g_autofree char *message = load_error (text->str);
      ck_assert_msg (strstr (message, cases[i].says), "case %u: %s", i, message);
    }
  /* Comments, blank lines and CRLF line ends are fine, and kept by a change. */
  g_autofree char *dir = test_scratch_dir ();
  g_autofree char *good = g_strdup_printf ("# the web page's accounts\n\njane:deputy:%s\r\n", hash);
  g_autofree char *path = test_write (dir, "web-accounts", good);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, &error);
  ck_assert_msg (accounts != NULL, "%s", error ? error->message : "");
  ck_assert (cm_accounts_lookup (accounts, "jane", NULL));
  ck_assert (cm_accounts_add (path, "tom", CM_WEB_ROLE_AUDITOR, GOOD, &error));
  g_autofree char *after = NULL;
  ck_assert (g_file_get_contents (path, &after, NULL, NULL));
  g_autofree char *kept = g_strdup_printf ("# the web page's accounts\n\njane:deputy:%s\n", hash);
  ck_assert_msg (g_str_has_prefix (after, kept), "%s", after);
  ck_assert (strstr (after, "\ntom:auditor:$y$") != NULL);
  /* A malformed file is never rewritten: the change is refused. */
  g_autofree char *bad = test_write (dir, "bad-accounts", "jane:deputy\n");
  ck_assert (!cm_accounts_add (bad, "tom", CM_WEB_ROLE_AUDITOR, GOOD, &error));
}
END_TEST

START_TEST (test_concurrent_adds)
{
  /* Four processes add at once: the lock keeps every one of them. */
  g_autofree char *path = accounts_path ();
  pid_t children[4];
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      children[i] = fork ();
      ck_assert (children[i] >= 0);
      if (children[i] == 0)
        {
          g_autofree char *name = g_strdup_printf ("user%u", i);
          _exit (cm_accounts_add (path, name, CM_WEB_ROLE_AUDITOR, GOOD, NULL) ? 0 : 1);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int status = 0;
      ck_assert_int_eq (waitpid (children[i], &status, 0), children[i]);
      ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    }
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, NULL);
  ck_assert_uint_eq (cm_accounts_users (accounts)->len, G_N_ELEMENTS (children));
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);
      ck_assert_msg (cm_accounts_verify (accounts, name, GOOD, NULL), "%s", name);
    }
  ck_assert_uint_eq (entries (path), 1);
}
END_TEST

START_TEST (test_roles)
{
  const char *names[] = { "monitoring-officer", "deputy", "auditor" };
  CmWebRole roles[] = { CM_WEB_ROLE_MONITORING_OFFICER, CM_WEB_ROLE_DEPUTY, CM_WEB_ROLE_AUDITOR };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      CmWebRole role;
      ck_assert (cm_web_role_parse (names[i], &role));
      ck_assert_int_eq (role, roles[i]);
      ck_assert_str_eq (cm_web_role_name (role), names[i]);
    }
  ck_assert (cm_web_role_decides (CM_WEB_ROLE_MONITORING_OFFICER));
  ck_assert (cm_web_role_decides (CM_WEB_ROLE_DEPUTY));
  ck_assert (!cm_web_role_decides (CM_WEB_ROLE_AUDITOR));
  CmWebRole role = CM_WEB_ROLE_AUDITOR;
  ck_assert (!cm_web_role_parse ("Deputy", &role));
  ck_assert (!cm_web_role_parse ("", &role));
  ck_assert (!cm_web_role_parse (NULL, &role));
  ck_assert_int_eq (role, CM_WEB_ROLE_AUDITOR);
}
END_TEST

/* The error of loading the example with EXTRA's keys, or NULL when it loads. */
static char *
config_error (const char *extra)
{
  g_autofree char *path = test_config_variant (extra, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, &error);
  return config ? NULL : g_strdup (error->message);
}

START_TEST (test_web_keys)
{
  /* Defaults: localhost, no proxy. */
  g_autofree char *plain = test_config_variant (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (plain, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  const CmWebSettings *web = cm_web_settings (config);
  ck_assert_str_eq (web->listen, "127.0.0.1:8025");
  ck_assert_str_eq (web->accounts, "/var/lib/council-milter/web-accounts");
  ck_assert (web->trusted_proxy == NULL);
  ck_assert_str_eq (web->proxy_user_header, "X-Remote-User");
  ck_assert_int_eq (web->session_minutes, 60);
  ck_assert_int_eq (web->sign_in_attempts, 5);

  /* Set: typed, a relative path from the configuration's directory. */
  g_autofree char *set = test_config_variant ("[web]\nlisten=[::1]:8443\naccounts=web-accounts\ntrusted-proxy=::1\n"
                                              "proxy-user-header=X-Forwarded-User\nsession-minutes=30\n"
                                              "sign-in-attempts=3\n", NULL);
  g_autoptr (CmConfig) configured = cm_daemon_config_load (set, &error);
  ck_assert_msg (configured != NULL, "%s", error ? error->message : "");
  web = cm_web_settings (configured);
  ck_assert_str_eq (web->listen, "[::1]:8443");
  g_autofree char *dir = g_path_get_dirname (set);
  g_autofree char *accounts = g_build_filename (dir, "web-accounts", NULL);
  ck_assert_str_eq (web->accounts, accounts);
  ck_assert_str_eq (web->trusted_proxy, "::1");
  ck_assert_str_eq (web->proxy_user_header, "X-Forwarded-User");
  ck_assert_int_eq (web->session_minutes, 30);
  ck_assert_int_eq (web->sign_in_attempts, 3);

  struct { const char *extra; const char *says; } bad[] = {
    { "[web]\nlisten=127.0.0.1:99999\n", "[web] listen: \"127.0.0.1:99999\" is not HOST:PORT" },
    { "[web]\nlisten=127.0.0.1:0\n", "[web] listen: \"127.0.0.1:0\" is not HOST:PORT" },
    { "[web]\nlisten=8025\n", "[web] listen: \"8025\" is not HOST:PORT" },
    { "[web]\ntrusted-proxy=proxy.example.org\n", "[web] trusted-proxy: \"proxy.example.org\" is not an IP address" },
    { "[web]\ntrusted-proxy=10.0.0.300\n", "is not an IP address" },
    { "[web]\nsession-minutes=0\n", "[web] session-minutes: \"0\" is not a whole number from 5 to 1440" },
    { "[web]\nsign-in-attempts=many\n", "[web] sign-in-attempts: \"many\" is not a whole number from 1 to 60" },
    { "[web]\naccounts=\n", "[web] accounts: an empty value is not allowed" },
    { "[web]\nport=8025\n", "[web] port: unknown key (known: listen, accounts, trusted-proxy" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *message = config_error (bad[i].extra);
      ck_assert_msg (message && strstr (message, bad[i].says), "case %u: %s", i, message ? message : "(loaded)");
    }
}
END_TEST

int
main (void)
{
  cm_policy_init ();
  Suite *suite = suite_create ("accounts");
  TCase *tc = tcase_create ("accounts");
  /* yescrypt takes a while on a shared machine. */
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_round_trip);
  tcase_add_test (tc, test_wrong_and_unknown);
  tcase_add_test (tc, test_changes_refused);
  tcase_add_test (tc, test_malformed_lines);
  tcase_add_test (tc, test_concurrent_adds);
  tcase_add_test (tc, test_roles);
  tcase_add_test (tc, test_web_keys);
  suite_add_tcase (suite, tc);
  return test_run (suite);
}

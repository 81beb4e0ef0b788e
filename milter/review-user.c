/*
 * review-user.c: council-review user (review.h): the accounts of the web
 * review page, a front end over web/accounts.h.
 *
 *   council-review user add NAME --role ROLE   monitoring-officer, deputy or auditor
 *   council-review user del NAME
 *   council-review user passwd NAME
 *   council-review user list
 *
 * The accounts file is [web] accounts of council-milter.conf.  A password
 * is read from the terminal without echo, twice, when standard input is
 * one; otherwise it is the first line of standard input (for scripts).
 * It is never printed nor logged, and wiped from memory once hashed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "accounts.h"
#include "review.h"
#include "websettings.h"

/* A line of standard input without its line end; NULL at its end or on
 * an error (errno set, 0 at the end). */
static char *
read_line (void)
{
  char *line = NULL;
  size_t size = 0;
  errno = 0;
  ssize_t n = getline (&line, &size, stdin);
  if (n < 0)
    {
      if (line)
        explicit_bzero (line, size);
      free (line);
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  char *copy = g_strdup (line);
  explicit_bzero (line, size);
  free (line);
  return copy;
}

/* Wipe and free a password. */
static void
password_free (char *password)
{
  if (password)
    explicit_bzero (password, strlen (password));
  g_free (password);
}

/* Ask for a password with PROMPT on the terminal, echo off. */
static char *
ask (const char *prompt)
{
  struct termios saved, quiet;
  gboolean restore = tcgetattr (STDIN_FILENO, &saved) == 0;
  if (restore)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (STDIN_FILENO, TCSADRAIN, &quiet);
    }
  fprintf (stderr, "%s", prompt);
  fflush (stderr);
  char *password = read_line ();
  if (restore)
    tcsetattr (STDIN_FILENO, TCSADRAIN, &saved);
  return password;
}

/* USER's new password: asked twice on a terminal, else one line of
 * standard input; NULL, reported, when there is none or they differ. */
static char *
new_password (const char *user)
{
  if (!isatty (STDIN_FILENO))
    {
      char *password = read_line ();
      if (password == NULL)
        cm_review_complain ("no password on standard input (one line is read when it is not a terminal)");
      return password;
    }
  g_autofree char *safe = cm_review_safe (user, FALSE);
  g_autofree char *first_prompt = g_strdup_printf ("New password for %s (at least %d characters): ", safe,
                                                   CM_ACCOUNTS_MIN_PASSWORD);
  char *first = ask (first_prompt);
  if (first == NULL)
    {
      cm_review_complain ("no password given");
      return NULL;
    }
  char *again = ask ("The same password again: ");
  gboolean same = again && strcmp (first, again) == 0;
  password_free (again);
  if (!same)
    {
      password_free (first);
      cm_review_complain ("the two passwords differ; nothing was changed");
      return NULL;
    }
  return first;
}

/* The accounts file of the configuration, loaded first; NULL, reported. */
static const char *
accounts_path (CmReview *review)
{
  if (cm_review_load_config (review) != REVIEW_OK)
    return NULL;
  return cm_web_settings (review->config)->accounts;
}

/* The accounts file for a subcommand with no options and N arguments
 * (del, passwd, list), its arguments parsed; NULL, reported, on bad
 * usage or configuration. */
static const char *
without_options (CmReview *review, const CmReviewCommand *command, int *argc, char ***argv, int n)
{
  GOptionEntry entries[] = { { NULL } };
  if (!cm_review_parse_options (command, entries, argc, argv, n, n))
    return NULL;
  return accounts_path (review);
}

static int
user_add (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  g_autofree char *role_name = NULL;
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, "monitoring-officer, deputy or auditor (required)", "ROLE" },
    { NULL }
  };
  if (!cm_review_parse_options (command, entries, &argc, &argv, 1, 1))
    return REVIEW_USAGE;
  CmWebRole role;
  if (role_name == NULL || !cm_web_role_parse (role_name, &role))
    return cm_review_usage (command, "--role is required: monitoring-officer, deputy or auditor");
  g_autoptr (GError) error = NULL;
  if (!cm_accounts_valid_name (argv[1], &error))
    return cm_review_usage (command, error->message);
  const char *path = accounts_path (review);
  if (path == NULL)
    return REVIEW_USAGE;
  char *password = new_password (argv[1]);
  if (password == NULL)
    return REVIEW_FAILED;
  gboolean ok = cm_accounts_add (path, argv[1], role, password, &error);
  password_free (password);
  if (!ok)
    return cm_review_error (error);
  printf ("added %s (%s) to %s\n", argv[1], cm_web_role_name (role), path);
  return REVIEW_OK;
}

static int
user_del (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  const char *path = without_options (review, command, &argc, &argv, 1);
  if (path == NULL)
    return REVIEW_USAGE;
  g_autoptr (GError) error = NULL;
  if (!cm_accounts_remove (path, argv[1], &error))
    return cm_review_error (error);
  g_autofree char *safe = cm_review_safe (argv[1], FALSE);
  printf ("removed %s from %s\n", safe, path);
  return REVIEW_OK;
}

static int
user_passwd (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  const char *path = without_options (review, command, &argc, &argv, 1);
  if (path == NULL)
    return REVIEW_USAGE;
  /* Said before the password is asked for, not after. */
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, NULL);
  if (accounts && !cm_accounts_lookup (accounts, argv[1], NULL))
    {
      g_autofree char *safe = cm_review_safe (argv[1], FALSE);
      cm_review_complain ("There is no user %s in %s.", safe, path);
      return REVIEW_FAILED;
    }
  char *password = new_password (argv[1]);
  if (password == NULL)
    return REVIEW_FAILED;
  g_autoptr (GError) error = NULL;
  gboolean ok = cm_accounts_set_password (path, argv[1], password, &error);
  password_free (password);
  if (!ok)
    return cm_review_error (error);
  g_autofree char *safe = cm_review_safe (argv[1], FALSE);
  printf ("changed the password of %s in %s\n", safe, path);
  return REVIEW_OK;
}

static int
user_list (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  const char *path = without_options (review, command, &argc, &argv, 0);
  if (path == NULL)
    return REVIEW_USAGE;
  g_autoptr (GError) error = NULL;
  g_autoptr (CmAccounts) accounts = cm_accounts_load (path, &error);
  if (accounts == NULL)
    return cm_review_error (error);
  const GPtrArray *users = cm_accounts_users (accounts);
  for (guint i = 0; i < users->len; i++)
    {
      const char *name = g_ptr_array_index (users, i);
      CmWebRole role = CM_WEB_ROLE_AUDITOR;
      cm_accounts_lookup (accounts, name, &role);
      g_autofree char *safe = cm_review_safe (name, FALSE);
      printf ("%-32s %s\n", safe, cm_web_role_name (role));
    }
  return REVIEW_OK;
}

static const CmReviewCommand user_commands[] = {
  { "user add", user_add, "NAME --role ROLE", "Add an account; its password is asked for." },
  { "user del", user_del, "NAME", "Remove an account." },
  { "user passwd", user_passwd, "NAME", "Give an account a new password; it is asked for." },
  { "user list", user_list, "", "List the accounts and their roles." },
};

int
cm_review_cmd_user (CmReview *review, const CmReviewCommand *command, int argc, char **argv)
{
  if (argc < 2)
    return cm_review_usage (command, "which: add, del, passwd or list");
  for (guint i = 0; i < G_N_ELEMENTS (user_commands); i++)
    if (strcmp (user_commands[i].name + strlen ("user "), argv[1]) == 0)
      return user_commands[i].run (review, &user_commands[i], argc - 1, argv + 1);
  g_autofree char *safe = cm_review_safe (argv[1], FALSE);
  g_autofree char *what = g_strdup_printf ("unknown \"%s\": add, del, passwd or list", safe);
  return cm_review_usage (command, what);
}

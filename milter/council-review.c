/*
 * council-review: the Monitoring Officer's command for the messages
 * council-milter holds (the hold store, holdstore.h).
 *
 *   council-review [-c CONFIG] list [--state STATE|all] [--sender TEXT] [--rule ID]
 *                                   [--older-than DAYS] [--json]
 *   council-review [-c CONFIG] show ID
 *   council-review [-c CONFIG] release ID [--note TEXT]
 *   council-review [-c CONFIG] reject ID --reason TEXT
 *   council-review [-c CONFIG] expire [--dry-run]
 *   council-review [-c CONFIG] digest
 *   council-review [-c CONFIG] audit [--since DATE] [ID]
 *   council-review [-c CONFIG] report --since DATE [--until DATE] [--json]
 *   council-review [-c CONFIG] learn [--corpus DIR] [--out FILE]
 *   council-review [-c CONFIG] user add NAME --role ROLE | del NAME | passwd NAME | list
 *
 * This file: main() (the global options, then the command from the
 * table), and the context every command opens (review.h): the
 * configuration and a review session (reviewlib.h), the library that
 * does the work; the commands print what it returns.  It runs as
 * the daemon's user, since it writes the spool, and refuses a spool that
 * belongs to someone else (files root left there would lock the daemon
 * out).  Every decision is recorded with who made it, as a login on the
 * relay: $SUDO_USER, else the login name of the real user.  Exit 0 on success, 1 when the action
 * failed, 2 for bad usage or an unusable configuration; errors on
 * standard error as "council-review: ...".
 */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "log.h"
#include "review.h"
#include "review-format.h"
#include "settings.h"

#define DEFAULT_CONFIG SYSCONFDIR "/council-milter/council-milter.conf"

/* Print "council-review: MESSAGE" on standard error. */
void
cm_review_complain (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_autofree char *safe = cm_review_safe (message, TRUE);
  fprintf (stderr, "council-review: %s\n", safe);
}

/* Report a usage error of COMMAND and return REVIEW_USAGE. */
int
cm_review_usage (const CmReviewCommand *command, const char *what)
{
  cm_review_complain ("%s: %s (usage: council-review [-c CONFIG] %s%s%s)", command->name, what,
                      command->name, *command->usage ? " " : "", command->usage);
  return REVIEW_USAGE;
}

/* Parse COMMAND's options ENTRIES from ARGC/ARGV (ARGV[0] is the name),
 * leaving between MIN and MAX arguments; else a usage error. */
gboolean
cm_review_parse_options (const CmReviewCommand *command, GOptionEntry *entries, int *argc,
                         char ***argv, int min, int max)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", command->name, command->usage);
  g_autoptr (GOptionContext) context = g_option_context_new (parameter);
  g_option_context_set_summary (context, command->summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cm_review_usage (command, error->message);
      return FALSE;
    }
  int given = *argc - 1;
  if (given < min || given > max)
    {
      cm_review_usage (command, given > max ? "too many arguments" : "an argument is missing");
      return FALSE;
    }
  return TRUE;
}

/* Who is acting: $SUDO_USER, else the login name of the real user (the
 * library makes it safe before it is recorded). */
static char *
acting_user (void)
{
  const char *sudo_user = g_getenv ("SUDO_USER");
  if (sudo_user && *sudo_user)
    return g_strdup (sudo_user);
  struct passwd *pw = getpwuid (getuid ());
  return pw ? g_strdup (pw->pw_name) : g_strdup_printf ("uid %u", (unsigned) getuid ());
}

/* The name of user UID, or its number. */
static char *
user_name (uid_t uid)
{
  struct passwd *pw = getpwuid (uid);
  return pw ? g_strdup (pw->pw_name) : g_strdup_printf ("%u", (unsigned) uid);
}

/* Is SPOOL (when it exists) this process's own?  Files another user (root,
 * say) left in it would lock the daemon out of its own spool. */
static gboolean
spool_is_ours (const char *spool)
{
  GStatBuf st;
  if (g_stat (spool, &st) != 0 || st.st_uid == geteuid ())
    return TRUE;
  g_autofree char *owner = user_name (st.st_uid);
  g_autofree char *me = user_name (geteuid ());
  cm_review_complain ("the hold spool %s belongs to %s, not to %s: run council-review as the "
                      "filter's user, e.g. \"sudo -u %s council-review ...\"", spool, owner, me, owner);
  return FALSE;
}

/* Load the configuration only; REVIEW_OK or REVIEW_USAGE, reported. */
int
cm_review_load_config (CmReview *review)
{
  g_autoptr (GError) error = NULL;
  cm_policy_init ();
  cm_log_open (FALSE);
  review->config = cm_daemon_config_load (review->config_path, &error);
  if (review->config == NULL)
    {
      cm_review_complain ("%s", error->message);
      return REVIEW_USAGE;
    }
  return REVIEW_OK;
}

/* Load the configuration and open the review session as the person
 * acting; REVIEW_OK or the exit status of the failure, reported. */
int
cm_review_open (CmReview *review)
{
  g_autoptr (GError) error = NULL;
  int loaded = cm_review_load_config (review);
  if (loaded != REVIEW_OK)
    return loaded;
  const char *spool = cm_daemon_settings (review->config)->spool;
  if (!spool_is_ours (spool))
    return REVIEW_USAGE;
  g_autofree char *who = acting_user ();
  review->session = cm_review_session_open (review->config, CM_REVIEW_SHELL_USER, who, &error);
  if (review->session == NULL)
    return cm_review_error (error);
  cm_review_session_set_now (review->session, review->now);
  /* The commands quoted in mail are the ones to run here, as the filter's user. */
  const char *user = cm_daemon_settings (review->config)->user;
  g_autofree char *owner = user ? g_strdup (user) : user_name (geteuid ());
  gboolean plain = g_regex_match_simple ("^[A-Za-z0-9_./@%+=:,-]+$", review->config_path, 0, 0);
  g_autofree char *quoted = plain ? g_strdup (review->config_path) : g_shell_quote (review->config_path);
  g_autofree char *invocation = g_strdup_printf ("sudo -u %s council-review%s%s", owner,
                                                 review->config_given ? " -c " : "",
                                                 review->config_given ? quoted : "");
  cm_review_session_set_invocation (review->session, invocation);
  return REVIEW_OK;
}

/* Close what cm_review_open() opened. */
static void
review_clear (CmReview *review)
{
  g_clear_pointer (&review->session, cm_review_session_close);
  g_clear_pointer (&review->config, cm_config_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CmReview, review_clear)

/* Report ERROR, a failed step, and return REVIEW_FAILED. */
int
cm_review_failed (const char *doing, const GError *error)
{
  cm_review_complain ("%s: %s", doing, error->message);
  return REVIEW_FAILED;
}

/* Report ERROR, the review library's, and return REVIEW_FAILED. */
int
cm_review_error (const GError *error)
{
  cm_review_complain ("%s", error->message);
  return REVIEW_FAILED;
}

/* ---- the commands -------------------------------------------------------- */

static const CmReviewCommand commands[] = {
  { "list", cm_review_cmd_list, "[--state STATE|all] [--sender TEXT] [--rule ID] [--older-than DAYS] [--json]",
    "List held messages, oldest first (by default those still held)." },
  { "show", cm_review_cmd_show, "ID", "Show everything about one held message." },
  { "release", cm_review_cmd_release, "ID [--note TEXT]",
    "Release a held message: deliver it to its original recipients." },
  { "reject", cm_review_cmd_reject, "ID --reason TEXT",
    "Reject a held message: it is not delivered and the sender is told why." },
  { "expire", cm_review_cmd_expire, "[--dry-run]",
    "Escalate or return the messages held longer than [hold] expire-days (daily)." },
  { "digest", cm_review_cmd_digest, "",
    "Send the Monitoring Officer a list of the messages still held (daily)." },
  { "audit", cm_review_cmd_audit, "[--since DATE] [ID]", "Print the audit trail, one event a line." },
  { "report", cm_review_cmd_report, "--since DATE [--until DATE] [--json]",
    "Count the messages held in a period, for the Standards Committee." },
  { "learn", cm_review_cmd_learn, "[--corpus DIR] [--out FILE]",
    "Refit the learned weights from the shipped corpus and the decided holds; write a new file." },
  { "user", cm_review_cmd_user, "add NAME --role ROLE | del NAME | passwd NAME | list",
    "Manage the accounts of the web review page (council-review-web)." },
};

/* The command called NAME, or NULL. */
static const CmReviewCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* The list of commands for --help. */
static char *
commands_help (void)
{
  GString *text = g_string_new ("Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %s%s%s\n      %s\n", commands[i].name, *commands[i].usage ? " " : "",
                            commands[i].usage, commands[i].summary);
  g_string_append (text, "\nRun it as the filter's user: sudo -u council-milter council-review ...\n"
                         "See council-review(8).");
  return g_string_free (text, FALSE);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* The mail is in English: its dates too, whatever the locale. */
  setlocale (LC_TIME, "C");
  g_set_prgname ("council-review");
  g_autofree char *config_path = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file (default " DEFAULT_CONFIG ")", "CONFIG" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("COMMAND [ARGUMENT...]");
  g_autofree char *help = commands_help ();
  g_option_context_set_summary (context,
                                "Review the messages council-milter holds for the Monitoring Officer.");
  g_option_context_set_description (context, help);
  g_option_context_add_main_entries (context, entries, NULL);
  /* Options after the command are the command's own. */
  g_option_context_set_strict_posix (context, TRUE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      cm_review_complain ("%s (try --help)", error->message);
      return REVIEW_USAGE;
    }
  if (argc < 2)
    {
      cm_review_complain ("no command given (try --help)");
      return REVIEW_USAGE;
    }
  const CmReviewCommand *command = find_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *safe = cm_review_safe (argv[1], FALSE);
      cm_review_complain ("unknown command \"%s\" (try --help)", safe);
      return REVIEW_USAGE;
    }
  g_auto (CmReview) review = { .config_path = config_path ? config_path : DEFAULT_CONFIG,
                             .config_given = config_path != NULL,
                             .now = g_get_real_time () / G_USEC_PER_SEC };
  int status = command->run (&review, command, argc - 1, argv + 1);
  if (fflush (stdout) != 0)
    {
      cm_review_complain ("writing the output failed");
      return status == REVIEW_OK ? REVIEW_FAILED : status;
    }
  return status;
}


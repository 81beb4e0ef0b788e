/*
 * council-milter: the Member/Officer Protocol filter for Postfix and
 * Sendmail.  main() reads the options and the configuration, opens the
 * socket, drops privileges, goes into the background, and hands over to
 * libmilter.  Nothing else happens here.
 *
 *   council-milter [-c CONFIG] [-n] [-f] [-p SOCKET] [-P PIDFILE] [-u USER]
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libmilter/mfapi.h>

#include "callbacks.h"
#include "log.h"
#include "housekeeping.h"
#include "refresh.h"
#include "reload.h"
#include "settings.h"

#define DEFAULT_CONFIG SYSCONFDIR "/council-milter/council-milter.conf"

typedef struct {
  char *config;
  gboolean check_only;
  gboolean foreground;
  char *socket;
  char *pid_file;
  char *user;
} Options;

/* The options' strings, freed when main returns (a leak checker would
 * otherwise report the -c string of council-milter -n). */
static void
options_clear (Options *o)
{
  g_free (o->config);
  g_free (o->socket);
  g_free (o->pid_file);
  g_free (o->user);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
parse_options (int *argc, char ***argv, Options *o)
{
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config, "configuration file (default " DEFAULT_CONFIG ")", "CONFIG" },
    { "check", 'n', 0, G_OPTION_ARG_NONE, &o->check_only, "check the configuration and exit", NULL },
    { "foreground", 'f', 0, G_OPTION_ARG_NONE, &o->foreground, "stay in the foreground, log to standard error too", NULL },
    { "socket", 'p', 0, G_OPTION_ARG_STRING, &o->socket, "milter socket, overriding [milter] socket", "SOCKET" },
    { "pid-file", 'P', 0, G_OPTION_ARG_FILENAME, &o->pid_file, "write the process id here", "PIDFILE" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &o->user, "run as USER once the socket is open", "USER" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_option_context_set_summary (context, "Keep the council's Member/Officer Protocol on outgoing mail.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error) || *argc > 1)
    {
      fprintf (stderr, "council-milter: %s (try --help)\n", error ? error->message : "unexpected argument");
      return FALSE;
    }
  if (o->config == NULL)
    o->config = g_strdup (DEFAULT_CONFIG);
  return TRUE;
}

/* A unix socket's path, or NULL for inet sockets. */
static const char *
unix_path (const char *socket_spec)
{
  if (g_str_has_prefix (socket_spec, "unix:"))
    return socket_spec + 5;
  if (g_str_has_prefix (socket_spec, "local:"))
    return socket_spec + 6;
  return NULL;
}

static gboolean
open_socket (const char *socket_spec, int mode, const char *user)
{
  if (smfi_setconn ((char *) socket_spec) != MI_SUCCESS || smfi_register (cm_milter_description) != MI_SUCCESS)
    {
      cm_log (LOG_ERR, "cannot use the milter socket %s", socket_spec);
      return FALSE;
    }
  const char *path = unix_path (socket_spec);
  mode_t old = umask (0777 & ~mode);
  int status = smfi_opensocket (TRUE);
  umask (old);
  if (status != MI_SUCCESS)
    {
      cm_log (LOG_ERR, "cannot open the milter socket %s (is another filter on it, or the directory missing?)",
              socket_spec);
      return FALSE;
    }
  if (path && chmod (path, (mode_t) mode) != 0)
    cm_log (LOG_WARNING, "chmod %o %s: %s", mode, path, g_strerror (errno));
  if (path && user)
    {
      struct passwd *pw = getpwnam (user);
      if (pw && chown (path, pw->pw_uid, pw->pw_gid) != 0)
        cm_log (LOG_WARNING, "chown %s %s: %s", user, path, g_strerror (errno));
    }
  return TRUE;
}

static gboolean
drop_privileges (const char *user)
{
  if (user == NULL || *user == '\0')
    return TRUE;
  struct passwd *pw = getpwnam (user);
  if (pw == NULL)
    {
      cm_log (LOG_ERR, "no such user: %s", user);
      return FALSE;
    }
  if (getuid () == pw->pw_uid)
    return TRUE;
  if (initgroups (pw->pw_name, pw->pw_gid) != 0 || setgid (pw->pw_gid) != 0 || setuid (pw->pw_uid) != 0)
    {
      cm_log (LOG_ERR, "cannot become %s: %s", user, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_pid_file (const char *path)
{
  g_autofree char *pid = g_strdup_printf ("%ld\n", (long) getpid ());
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, pid, -1, &error))
    {
      cm_log (LOG_ERR, "pid file: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_auto (Options) o = { 0 };
  if (!parse_options (&argc, &argv, &o))
    return 2;
  cm_policy_init ();

  g_autoptr (GError) error = NULL;
  if (!cm_reload_init (o.config, &error))
    {
      fprintf (stderr, "council-milter: %s\n", error->message);
      return 1;
    }
  g_autoptr (CmConfig) config = cm_reload_current ();
  if (o.check_only)
    {
      g_autofree char *summary = cm_config_describe (config);
      printf ("%sconfiguration OK\n", summary);
      return 0;
    }

  cm_log_open (o.foreground);
  const char *socket_spec = o.socket ? o.socket : cm_daemon_settings (config)->socket;
  const char *user = o.user ? o.user : cm_daemon_settings (config)->user;
  const char *pid_file = o.pid_file ? o.pid_file : cm_daemon_settings (config)->pid_file;
  int mode = (int) cm_daemon_settings (config)->socket_mode;

  /* Block these before any thread exists, so every thread inherits the
   * mask: SIGUSR1 is taken by the reload thread alone (sigwait), and
   * SIGHUP, SIGTERM and SIGINT by libmilter's own signal thread, which
   * stops the filter cleanly; no other thread may catch them first. */
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGUSR1);
  sigaddset (&set, SIGHUP);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGINT);
  pthread_sigmask (SIG_BLOCK, &set, NULL);
  signal (SIGPIPE, SIG_IGN);

  if (!open_socket (socket_spec, mode, user) || !drop_privileges (user))
    return 1;
  if (!o.foreground && daemon (0, 0) != 0)
    {
      cm_log (LOG_ERR, "cannot go into the background: %s", g_strerror (errno));
      return 1;
    }
  if (pid_file && !write_pid_file (pid_file))
    return 1;
  if (!cm_reload_open_services (&error))
    {
      cm_log (LOG_ERR, "the spool: %s", error->message);
      if (pid_file)
        g_unlink (pid_file);
      return 1;
    }
  cm_reload_start_signal_thread ();
  CmHousekeeping *keeper = cm_housekeeping_start ();
  CmRefresh *refresh = cm_refresh_start ();

  g_autofree char *summary = cm_config_describe (config);
  g_strdelimit (summary, "\n", ';');
  cm_log (LOG_INFO, "starting on %s: %s", socket_spec, summary);
  g_clear_pointer (&config, cm_config_unref);

  int status = smfi_main ();
  cm_refresh_stop (refresh);
  cm_housekeeping_stop (keeper);
  cm_log (LOG_INFO, "stopped (libmilter returned %d)", status);
  if (pid_file)
    g_unlink (pid_file);
  cm_reload_shutdown ();
  return status == MI_SUCCESS ? 0 : 1;
}

/*
 * council-review-web: the Monitoring Officer's web page for the mail
 * council-milter holds (council-review-web(8)).
 *
 *   council-review-web [-c CONFIG] [--listen HOST:PORT] [--insecure-cookie] [-n]
 *
 * main() only starts things: the configuration (every key of the file
 * checked, the [web] group typed by websettings.c), the sessions, then
 * the HTTP daemon (server.c), until SIGTERM or SIGINT.  It runs as the
 * filter's user, since deciding writes the hold spool.  -n checks the
 * configuration and the accounts file and exits.  Exit 0, 1 when serving
 * failed, 2 for bad usage or configuration.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "log.h"
#include "server.h"
#include "settings.h"
#include "websettings.h"

#define DEFAULT_CONFIG SYSCONFDIR "/council-milter/council-milter.conf"

/* Stop the main loop LOOP (a signal came). */
static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* Print "council-review-web: MESSAGE" on standard error. */
static void
complain (const char *message)
{
  fprintf (stderr, "council-review-web: %s\n", message);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  setlocale (LC_TIME, "C");
  g_set_prgname ("council-review-web");
  g_autofree char *config_path = NULL, *listen = NULL;
  gboolean insecure_cookie = FALSE, check_only = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file (default " DEFAULT_CONFIG ")",
      "CONFIG" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "listen here instead of [web] listen", "HOST:PORT" },
    { "insecure-cookie", 0, 0, G_OPTION_ARG_NONE, &insecure_cookie,
      "session cookie without Secure, for plain HTTP on loopback (tests only)", NULL },
    { "check", 'n', 0, G_OPTION_ARG_NONE, &check_only, "check the configuration and the accounts, then exit", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (NULL);
  g_option_context_set_summary (options, "The web page for the messages council-milter holds.");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || argc > 1)
    {
      complain (error ? error->message : "no arguments are taken (try --help)");
      return 2;
    }
  cm_policy_init ();
  cm_log_open (FALSE);
  g_autoptr (CmConfig) config = cm_daemon_config_load (config_path ? config_path : DEFAULT_CONFIG, &error);
  if (config == NULL)
    {
      complain (error->message);
      return 2;
    }
  const CmWebSettings *web = cm_web_settings (config);
  const char *where = listen ? listen : web->listen;
  g_autoptr (GSocketAddress) address = cm_web_listen_address (where, &error);
  if (address == NULL)
    {
      complain (error->message);
      return 2;
    }
  GInetAddress *host = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (insecure_cookie && !g_inet_address_get_is_loopback (host))
    {
      complain ("--insecure-cookie is for a test on loopback only, and this listens elsewhere.");
      return 2;
    }
  g_autoptr (CmAccounts) accounts = cm_accounts_load (web->accounts, &error);
  if (accounts == NULL)
    {
      complain (error->message);
      return 2;
    }
  if (check_only)
    return 0;
  g_autoptr (CmWebSessions) sessions = cm_web_sessions_new ((guint) web->session_minutes,
                                                            (guint) web->sign_in_attempts);
  CmWebContext context = { .config = config, .sessions = sessions, .accounts = web->accounts,
                           .secure_cookie = !insecure_cookie, .trusted_proxy = web->trusted_proxy,
                           .proxy_header = web->proxy_user_header };
  g_autoptr (CmWebServer) server = cm_web_server_start (&context, where, &error);
  if (server == NULL)
    {
      complain (error->message);
      return 1;
    }
  cm_log (LOG_INFO, "web: council-review-web listening on %s", where);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit, loop);
  g_unix_signal_add (SIGINT, quit, loop);
  g_main_loop_run (loop);
  cm_log (LOG_INFO, "web: council-review-web stopping");
  return 0;
}

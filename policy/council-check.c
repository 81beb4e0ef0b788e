/*
 * council-check: run the policy engine on one message file, for mail
 * administrators and for tests.
 *
 *   council-check [-c CONFIG] [--from ADDR] [--rcpt ADDR]... [--json|--cues] [FILE|-]
 *   council-check [-c CONFIG] [--directory] [--who ADDR]... [--json]
 *
 * Without --from the From header is the sender; without --rcpt the To, Cc
 * and Bcc headers are the recipients.  Exit 0 when it ran, whatever the
 * verdict; 2 for bad usage, an unreadable message or a bad configuration.
 * --directory and --who read no message: they print what the directory
 * holds (policy.h, cm_config_show_directory()); as for a verdict, the
 * answer is in the output: an address not in the directory is not an error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "policy.h"
#include "settings.h" /* the daemon's keys too: a mistake in any key of the file is reported */

#define DEFAULT_CONFIG SYSCONFDIR "/council-milter/council-milter.conf"

/* Read the whole of PATH ("-": standard input) into a memory stream. */
static GMimeStream *
open_message (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  if (strcmp (path, "-") == 0)
    {
      GByteArray *bytes = g_byte_array_new ();
      guint8 buffer[65536];
      ssize_t n;
      while ((n = read (STDIN_FILENO, buffer, sizeof buffer)) > 0)
        g_byte_array_append (bytes, buffer, (guint) n);
      if (n < 0)
        {
          g_set_error (error, CM_ERROR, CM_ERROR_IO, "standard input: %s", g_strerror (errno));
          g_byte_array_unref (bytes);
          return NULL;
        }
      return g_mime_stream_mem_new_with_byte_array (bytes);
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return g_mime_stream_mem_new_with_buffer (data, length);
}

int
main (int argc, char **argv)
{
  g_autofree char *config_path = NULL;
  g_autofree char *from = NULL;
  g_auto (GStrv) rcpts = NULL;
  g_auto (GStrv) who = NULL;
  gboolean json = FALSE, cues = FALSE, authenticated = FALSE, directory = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file (default " DEFAULT_CONFIG ")", "CONFIG" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "envelope sender (default: the From header)", "ADDR" },
    { "rcpt", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rcpts, "envelope recipient, repeatable (default: To, Cc and Bcc)", "ADDR" },
    { "authenticated", 0, 0, G_OPTION_ARG_NONE, &authenticated,
      "judge it as mail from a client that logged in (SMTP AUTH), as the daemon would", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print the verdict as one JSON object", NULL },
    { "cues", 0, 0, G_OPTION_ARG_NONE, &cues, "print the cues the learned weights read, as one JSON object (for the trainer)", NULL },
    { "directory", 0, 0, G_OPTION_ARG_NONE, &directory,
      "print the directory: its source and age, counts by role, the lists (reads no message)", NULL },
    { "who", 0, 0, G_OPTION_ARG_STRING_ARRAY, &who, "say whom ADDR resolves to, repeatable (reads no message)", "ADDR" },
    { NULL }
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) options = g_option_context_new ("[FILE|-]");
  g_option_context_set_summary (options, "Check one message against the Member/Officer Protocol.");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      fprintf (stderr, "council-check: %s (try --help)\n", error->message);
      return 2;
    }
  if (argc > 2)
    {
      fprintf (stderr, "council-check: one message at a time (try --help)\n");
      return 2;
    }
  gboolean show = directory || who;
  if (show && (argc > 1 || cues || from || rcpts || authenticated))
    {
      fprintf (stderr, "council-check: --directory and --who read no message and take only -c and --json (try --help)\n");
      return 2;
    }
  const char *file = argc == 2 ? argv[1] : "-";

  cm_policy_init ();
  g_autoptr (CmConfig) config = cm_daemon_config_load (config_path ? config_path : DEFAULT_CONFIG, &error);
  if (config == NULL)
    {
      fprintf (stderr, "council-check: %s\n", error->message);
      return 2;
    }
  if (show)
    {
      guint unlisted = 0;
      g_autofree char *shown = cm_config_show_directory (config, directory, (const char *const *) who, json, &unlisted);
      fputs (shown, stdout);
      return fflush (stdout) == 0 ? 0 : 2;
    }

  g_autoptr (CmEnvelope) envelope = NULL;
  if (from || rcpts || authenticated)
    {
      envelope = cm_envelope_new (from);
      envelope->authenticated = authenticated;
      for (guint i = 0; rcpts && rcpts[i]; i++)
        cm_envelope_add_recipient (envelope, rcpts[i]);
    }

  g_autoptr (GMimeStream) stream = open_message (file, &error);
  if (stream == NULL)
    {
      fprintf (stderr, "council-check: %s\n", error->message);
      return 2;
    }
  if (cues)
    {
      g_autofree char *text = cm_check_cues (config, envelope, stream, &error);
      if (text == NULL)
        {
          fprintf (stderr, "council-check: %s: %s\n", file, error->message);
          return 2;
        }
      printf ("%s\n", text);
      return fflush (stdout) == 0 ? 0 : 2;
    }
  g_autoptr (CmVerdict) verdict = cm_check (config, envelope, stream, &error);
  if (verdict == NULL)
    {
      fprintf (stderr, "council-check: %s: %s\n", file, error->message);
      return 2;
    }
  g_autofree char *output = json ? cm_verdict_to_json (verdict) : cm_verdict_to_text (verdict);
  fputs (output, stdout);
  if (json)
    fputc ('\n', stdout);
  return fflush (stdout) == 0 ? 0 : 2;
}

/*
 * refresh.c: the test suite's handle on a directory refresh
 * (tests/ldap.sh): load CONFIG as the daemon does, say what it holds,
 * then read the directory again from its source as the daemon's refresh
 * thread does and say whether the new snapshot was taken or refused.
 *
 *   refresh CONFIG         exit 0 refreshed, 1 refused or failed, 2 bad config
 */
#include "config.h"

#include <stdio.h>

#include "policy.h"

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: refresh CONFIG\n");
      return 2;
    }
  cm_policy_init ();
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  g_autoptr (CmConfig) config = cm_config_load (argv[1], &error);
  if (config == NULL)
    {
      printf ("load failed: %s\n", error->message);
      return 2;
    }
  printf ("loaded in %.3f s\n", (g_get_monotonic_time () - started) / 1e6);
  g_autofree char *described = cm_config_describe (config);
  fputs (described, stdout);
  g_autofree char *outcome = NULL;
  started = g_get_monotonic_time ();
  if (cm_config_refresh_directory (config, &outcome, &error))
    {
      printf ("refreshed in %.3f s: %s\n", (g_get_monotonic_time () - started) / 1e6, outcome);
      return 0;
    }
  printf ("refresh refused: %s\n", error ? error->message : "the source is the key file");
  return 1;
}

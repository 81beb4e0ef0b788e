/*
 * fuzz_config.c: libFuzzer harness for the configuration loader
 * (policy/config.c): the input is written as council-milter.conf in a
 * scratch directory beside links to the example's directory.conf,
 * lexicon/, paragraphs.conf, weights.conf and valence.txt (so that the
 * paths it names by default are found), and loaded with cm_daemon_config_load (the engine's keys and the daemon's);
 * a configuration that loads is described (council-check -n) and asked
 * what the daemon asks at MAIL FROM.  The scratch directory and its
 * links are set up once (fuzzutil.h).
 */
#include "config.h"

#include "fuzzutil.h"
#include "settings.h"
#include "rules.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  static const char *const examples[] = {
    "directory.conf", "lexicon", "paragraphs.conf", "weights.conf", "valence.txt",
  };
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    fuzz_link_example (examples[i]);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write ("council-milter.conf", data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmConfig) config = cm_daemon_config_load (path, &error);
  if (config == NULL)
    return 0;
  g_free (cm_config_describe (config));
  (void) cm_config_mode (config);
  (void) cm_config_monitoring_officer (config);
  (void) cm_config_council_name (config);
  (void) cm_config_council_domain (config);
  for (guint r = 0; r < cm_n_rules; r++)
    (void) cm_config_rule_action (config, cm_rules[r].id);
  g_autoptr (CmEnvelope) envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  (void) cm_config_in_scope (config, envelope);
  return 0;
}

/*
 * fuzz_engine.c: libFuzzer harness for the engine on a whole message, as
 * council-check runs it (policy/council-check.c): the input is the
 * message (headers and body, any line ends), read from a memory stream
 * by cm_check with no envelope, so that the sender is the From header
 * and the recipients the To, Cc and Bcc headers; the verdict is then
 * rendered as JSON and as text.  Inputs of odd length also go through
 * cm_check_cues (council-check --cues, what the trainer reads).
 *
 * The configuration is the example (CM_FUZZ_CONFIG, fuzzutil.h), loaded
 * once into a file-scope variable, as libFuzzer forces.
 */
#include "config.h"

#include "fuzzutil.h"

/* Loaded once in LLVMFuzzerInitialize, then only read. */
static CmConfig *config;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  g_autoptr (GError) error = NULL;
  config = cm_config_load (fuzz_config_path (), &error);
  if (config == NULL)
    g_error ("fuzz: %s", error->message);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  g_autoptr (CmVerdict) verdict = cm_check (config, NULL, stream, &error);
  if (verdict)
    {
      g_free (cm_verdict_to_json (verdict));
      g_free (cm_verdict_to_text (verdict));
    }
  if (size % 2 == 1)
    {
      g_autoptr (GMimeStream) again = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
      g_clear_error (&error);
      g_free (cm_check_cues (config, NULL, again, &error));
    }
  return 0;
}

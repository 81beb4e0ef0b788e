/*
 * fuzz_replies.c: libFuzzer harness for reading replies to hold notices
 * (milter/replies.c).
 *
 * Input: the first line is an envelope recipient, given to
 * cm_replies_parse_address as on_eom's reply check gives every
 * recipient; the rest is a reply as a client sent it, given to a
 * per-message context from a councillor as the MTA gives it (fuzzfeed.h,
 * in 4 KB chunks) and read as cm_replies_take reads it once the hold
 * and the token are found: cm_replies_words (the text a mail client
 * shows, down to the quoted history) and cm_replies_withdraws.  The hold
 * store is not touched.
 *
 * The configuration is the example's, loaded once into a file-scope
 * variable, as libFuzzer forces.
 */
#include "config.h"

#include <string.h>

#include "fuzzfeed.h"
#include "fuzzutil.h"
#include "replies.h"

/* Loaded once in LLVMFuzzerInitialize, then only read. */
static CmConfig *config;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  g_autofree char *extra = g_strdup_printf ("[milter]\ntemp-dir=%s\n", fuzz_scratch_dir ());
  config = fuzz_config_variant ("council-milter.conf", extra);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *nl = memchr (data, '\n', size);
  gsize first = nl ? (gsize) (nl - (const char *) data) : size;
  g_autofree char *recipient = g_strndup ((const char *) data, first);
  g_autofree char *id = NULL, *token = NULL;
  if (!cm_replies_parse_address (config, recipient, &id, &token))
    {
      g_free (recipient);
      recipient = g_strdup ("protocol+hold-20260101-000000-abcdef-0123456789abcdef@northmoor.gov.uk");
    }

  CmEnvelope *envelope = cm_envelope_new ("cllr.jane.smith@northmoor.gov.uk");
  envelope->authenticated = TRUE;
  cm_envelope_add_recipient (envelope, recipient);
  CmMsgCtx *msg = cm_msgctx_new (cm_config_ref (config), envelope);
  gsize skip = nl ? first + 1 : size;
  fuzz_feed (msg, (const char *) data + skip, size - skip, 4096);
  if (msg->failure == NULL)
    {
      g_autofree char *words = cm_replies_words (msg);
      (void) cm_replies_withdraws (words);
    }
  cm_msgctx_free (msg);
  return 0;
}

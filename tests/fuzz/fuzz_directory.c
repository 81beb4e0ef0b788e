/*
 * fuzz_directory.c: libFuzzer harness for the directory loader
 * (policy/directory.c): the input is written as a directory.conf in a
 * scratch directory and loaded with cm_directory_load; a directory that
 * loads is then asked what the engine asks of it (council name, domain,
 * Monitoring Officer, people by address and role, the names lexicon) for
 * a few fixed addresses.  The scratch directory is set up once
 * (fuzzutil.h).
 */
#include "config.h"

#include "directory.h"
#include "fuzzutil.h"

static const char *const addresses[] = {
  "cllr.jane.smith@northmoor.gov.uk", "CLLR.JANE.SMITH@NORTHMOOR.GOV.UK", "someone@northmoor.gov.uk",
  "reporter@northmoorgazette.co.uk", "nobody@example.org", "", "@", "a@b@c",
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  cm_policy_init ();
  fuzz_scratch_dir ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write ("directory.conf", data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (CmDirectory) directory = cm_directory_load (path, &error);
  if (directory == NULL)
    return 0;
  (void) cm_directory_council_name (directory);
  (void) cm_directory_monitoring_officer (directory);
  (void) cm_directory_domain (directory);
  (void) cm_directory_count (directory, CM_ROLE_MEMBER);
  (void) cm_directory_count (directory, CM_ROLE_OFFICER);
  (void) cm_directory_names (directory);
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      const CmPerson *person = NULL;
      gboolean media = FALSE;
      (void) cm_directory_person (directory, addresses[i]);
      (void) cm_directory_role (directory, addresses[i], &person, &media);
      (void) cm_directory_in_council_domain (directory, addresses[i]);
      g_free (cm_address_normalise (addresses[i]));
    }
  return 0;
}

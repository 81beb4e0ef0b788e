/*
 * fuzzutil.h: what the libFuzzer harnesses of tests/fuzz/ share: where
 * the example configuration is, a scratch directory for the files a
 * harness writes from its input, and the example configuration loaded
 * with a few keys changed.
 *
 * libFuzzer calls LLVMFuzzerTestOneInput with no context of its own, so
 * each harness keeps what it sets up once (configuration, scratch
 * directory) in file-scope variables set in LLVMFuzzerInitialize and
 * only read afterwards; this file's scratch directory is one of them.
 *
 * The example configuration is CM_FUZZ_CONFIG from the environment
 * (`make fuzz` sets it to config/council-milter.conf of the source
 * tree), else config/council-milter.conf under the current directory.
 */
#ifndef CM_FUZZUTIL_H
#define CM_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "policy.h"

/* The libFuzzer entry points each harness defines. */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The example council-milter.conf (absolute). */
const char *fuzz_config_path (void);
/* FILE (a name) beside the example council-milter.conf (absolute). */
char *fuzz_config_file (const char *file);
/* The harness's scratch directory: made at the first call, removed with
 * its files at exit. */
const char *fuzz_scratch_dir (void);
/* Write DATA to NAME in the scratch directory; its path.  Aborts when
 * the file cannot be written (that is no finding of the code tested). */
char *fuzz_write (const char *name, const void *data, size_t size);
/* Make NAME in the scratch directory a symbolic link to the example's
 * file of the same name (when it exists). */
void fuzz_link_example (const char *name);
/* The example configuration with the keys of EXTRA (key-file text) set
 * and its relative paths made absolute, written to NAME in the scratch
 * directory and loaded; aborts when it does not load. */
CmConfig *fuzz_config_variant (const char *name, const char *extra);

#endif

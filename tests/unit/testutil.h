/*
 * testutil.h: what the unit tests share: paths to the source tree, the
 * example configuration, scratch files, running a message through the
 * engine, and running a Check suite.
 */
#ifndef CM_TESTUTIL_H
#define CM_TESTUTIL_H

#include <check.h>
#include <glib.h>

#include "policy.h"

/* A path under the source tree (TOP_SRCDIR from the test environment). */
char *test_srcdir (const char *relative);
/* The example configuration (config/council-milter.conf); never NULL. */
CmConfig *test_example_config (void);
/* A checked fixture: test_config holds the example configuration. */
extern CmConfig *test_config;
void test_config_setup (void);
void test_config_teardown (void);

/* A new scratch directory, removed with its files by test_cleanup(). */
char *test_scratch_dir (void);
/* Write CONTENT to DIR/NAME and return the path. */
char *test_write (const char *dir, const char *name, const char *content);
/* A scratch copy of config/lexicon without the file SKIP (NULL: all of
 * it), for tests that break or remove one of its files. */
char *test_lexicon_copy (const char *skip);
/* A copy of the example configuration in a scratch directory, without
 * its [rule:ID] groups (so each rule has its default action), with the
 * keys of EXTRA (key-file text) set in their groups to council-milter.conf and DIRECTORY (if not NULL) as
 * directory.conf; returns the configuration's path. */
char *test_config_variant (const char *extra, const char *directory);

/* Check a message given as text (LF line ends are fine). */
CmVerdict *test_check (const CmConfig *config, const CmEnvelope *envelope, const char *message);
CmVerdict *test_check_file (const CmConfig *config, const CmEnvelope *envelope, const char *path);
/* The finding of RULE in VERDICT, or NULL. */
const CmFinding *test_finding (const CmVerdict *verdict, const char *rule);
/* Does some evidence of FINDING contain TEXT? */
gboolean test_has_evidence (const CmFinding *finding, const char *text);
gboolean test_has_person (const CmFinding *finding, const char *address);

/* Sort an array of strings. */
void test_sort_strings (GPtrArray *strings);

/* Run SUITE and return the exit status for the test driver. */
int test_run (Suite *suite);

#endif

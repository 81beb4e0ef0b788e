#!/bin/sh
# miltertest.sh: the milter protocol tests of tests/milter/ (OpenDKIM's
# miltertest driving the daemon).  A wrapper at this level, so that the
# test's log is not written into a build-tree tests/milter/ that
# `make dist` would then take for the source directory.
exec sh "${TOP_SRCDIR:?}/tests/milter/run.sh" "$@"

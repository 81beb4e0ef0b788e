#!/usr/bin/env bash
# run.sh: run libFuzzer harnesses of tests/fuzz/ one after another, each
# for SECONDS, under AddressSanitizer and UBSan (`make fuzz` calls it).
#
#   bash tests/fuzz/run.sh SRCDIR BUILDDIR SECONDS HARNESS...  (names, or tests/fuzz/NAME)
#
# Each harness starts from its seeds (seeds.sh, made afresh in
# BUILDDIR/fuzz/HARNESS/seeds) and the corpus it grew before
# (BUILDDIR/fuzz/HARNESS/corpus, kept between runs).  A finding (a crash,
# a sanitizer report, a leak, an input slower than FUZZ_TIMEOUT seconds
# or one using more than FUZZ_RSS_MB) leaves its input in
# BUILDDIR/fuzz/HARNESS/ as crash-*, leak-*, timeout-* or oom-*, and the
# run fails once every harness has run.  CORPORA_DIR, when set, adds a
# sample of that real mail to the message seeds.  Lines of libFuzzer's
# output are kept in BUILDDIR/fuzz/HARNESS/log; the last is shown.
set -uo pipefail

srcdir=$1 builddir=$2 seconds=$3
shift 3
timeout=${FUZZ_TIMEOUT:-30}
rss=${FUZZ_RSS_MB:-2048}
failed=()

export CM_FUZZ_CONFIG="$srcdir/config/council-milter.conf"
# ASan's strstr check measures the whole haystack at each call, which
# makes g_strsplit of a large file quadratic (weights.conf: seconds a load).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:intercept_strstr=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for harness in "$@"; do
    harness=${harness##*/}
    dir="$builddir/fuzz/$harness"
    rm -rf "$dir/seeds"
    mkdir -p "$dir/corpus"
    bash "$srcdir/tests/fuzz/seeds.sh" "$harness" "$srcdir" "$dir/seeds" "${CORPORA_DIR:-}"
    echo "== $harness: ${seconds}s from $(ls "$dir/seeds" | wc -l) seeds and $(ls "$dir/corpus" | wc -l) kept inputs"
    if "$builddir/tests/fuzz/$harness" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss" \
           -max_len=131072 -print_final_stats=1 -artifact_prefix="$dir/" \
           "$dir/corpus" "$dir/seeds" >"$dir/log" 2>&1; then
        grep -E '^#[0-9]+.*(DONE|pulse)' "$dir/log" | tail -1
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$dir/log" | tr '\n' ' '
        echo
    else
        echo "$harness: FINDING (libFuzzer's report follows; the input is in $dir/)"
        grep -vE '^#[0-9]+' "$dir/log" | tail -60
        failed+=("$harness")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in ${failed[*]}"
    exit 1
fi
echo "fuzz: $# harness(es), no finding"

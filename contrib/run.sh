#!/usr/bin/env bash
# run.sh: set up, build and run council-milter on a fresh Debian 12 machine.
#
#   bash contrib/run.sh demo   install the dependencies, build, run the live
#                              demo (the daemon behind a private Postfix, the
#                              example messages sent through it, held mail
#                              decided with council-review, on the web page
#                              and by reply), then check every example
#                              message with council-check
#   bash contrib/run.sh test   install the dependencies, build with warnings
#                              as errors, run every test (make check), the
#                              integration test with a private Postfix, the
#                              LDAP directory test with a private slapd, the
#                              distribution check, the whole suite again
#                              under AddressSanitizer and UBSan, and each
#                              libFuzzer harness (tests/fuzz/) for 60 s
#                              under both, built with clang
#
# Packages come from Debian's archive with apt-get (through sudo when not
# run as root).  Builds go to build/, build-asan/ and build-fuzz/ in the
# source tree.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

packages=(build-essential autoconf automake pkg-config
          libglib2.0-dev libgmime-3.0-dev libxml2-dev libetpan-dev libmilter-dev libsqlite3-dev libjson-glib-dev libstemmer-dev
          libldap-dev libcrypt-dev check python3 miltertest
          slapd ldap-utils openssl)   # the last three for make check-ldap only (openssl: its throwaway CA)
# The fuzzing stage (issue 9): clang and its libFuzzer runtime (a
# recommendation of clang's, which --no-install-recommends leaves out).
packages+=(clang libclang-rt-14-dev)
# The web review page (issue 11): libmicrohttpd; and for make check-browser,
# headless Chromium with its driver and Selenium.
packages+=(libmicrohttpd-dev chromium chromium-driver python3-selenium)
# The live demo signs in to the web review page and releases a held message
# there with curl (contrib/demo-decide.sh).
packages+=(curl)

as_root () {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_dependencies () {
    echo "== installing: ${packages[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

# configure_build DIR [configure arguments...]
configure_build () {
    local dir=$1
    shift
    [ -x configure ] || autoreconf -fi
    mkdir -p "$dir"
    (cd "$dir" && "$top/configure" --sysconfdir=/etc "$@" >/dev/null)
}

# Sum the Check counts of the test logs of DIR into "N passed, N failed".
summarise () {
    local dir=$1 label=$2
    local checks=0 failures=0 line n f e
    while read -r line; do
        n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
        f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
        e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
        checks=$((checks + n)); failures=$((failures + f + e))
    done < <(grep -h "Checks: " "$dir"/tests/unit/*.log 2>/dev/null || true)
    while read -r line; do
        n=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
        f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
        checks=$((checks + n + f)); failures=$((failures + f))
    done < <(grep -hE "^[a-z-]+: [0-9]+ passed, [0-9]+ failed" "$dir"/tests/*.log 2>/dev/null || true)
    echo "$label: $((checks - failures)) passed, $failures failed"
}

# run_check DIR LABEL: make check, showing the failures' logs if any.
run_check () {
    local dir=$1 label=$2
    if ! make -C "$dir" -j"$jobs" check >"$dir/check.out" 2>&1; then
        grep -E "^(FAIL|ERROR|XPASS)" "$dir/check.out" || true
        cat "$dir"/test-suite.log
        summarise "$dir" "$label"
        return 1
    fi
    grep -E "^(PASS|SKIP|# )" "$dir/check.out"
    summarise "$dir" "$label"
}

# The valence lexicon (config/valence.txt) from VADER's, on the npm
# registry; without it the engine runs with no evaluative-language cues.
make_valence () {
    [ -f config/valence.txt ] && return 0
    command -v npm >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
    bash contrib/valence.sh config/valence.txt || echo "warning: no valence lexicon (npm registry unreachable?)" >&2
}

demo () {
    install_dependencies
    make_valence
    configure_build build
    make -C build -j"$jobs" council-check council-milter council-review council-review-web >/dev/null
    echo "== the live demo: council-milter behind a private Postfix (contrib/demo.sh)"
    as_root bash contrib/demo.sh "$top/build" "$top"
    echo
    echo "== council-check on every example message in tests/messages/"
    for f in tests/messages/*/*/*.eml; do
        echo "-- $f"
        build/council-check -c config/council-milter.conf "$f"
        echo
    done
}

test_all () {
    install_dependencies
    make_valence
    if [ -z "${CORPORA_DIR:-}" ] && [ -d "$top/../shared/corpora" ]; then
        CORPORA_DIR=$(cd "$top/../shared/corpora" && pwd)
        export CORPORA_DIR
    fi
    echo "== corpora: ${CORPORA_DIR:-none}"

    echo "== build with -Werror, make check"
    configure_build build --enable-werror
    make -C build -j"$jobs" >/dev/null
    run_check build "tests"

    echo "== integration: a private Postfix with council-milter attached"
    as_root make -C build check-integration >build/integration.out 2>&1 \
        || { cat build/integration.out; exit 1; }
    grep -E "^(ok|not ok) " build/integration.out
    grep -E "^integration: " build/integration.out

    # Not skipped here: without slapd, check-ldap exits 77 and so fails the run.
    echo "== LDAP: a private slapd, the directory in Active Directory and OpenLDAP layouts"
    make -C build check-ldap >build/ldap.out 2>&1 || { cat build/ldap.out; exit 1; }
    grep -E "^(== |ldap: )" build/ldap.out

    # Not skipped either: without chromium, chromium-driver or python3-selenium it fails.
    echo "== browser: headless Chromium against council-review-web, council-milter and a private Postfix"
    as_root make -C build check-browser >build/browser.out 2>&1 || { cat build/browser.out; exit 1; }
    grep -E "^(ok|not ok) " build/browser.out
    grep -E "^browser: " build/browser.out

    echo "== make distcheck"
    make -C build -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror >build/distcheck.out 2>&1 \
        || { tail -50 build/distcheck.out; exit 1; }
    grep -E "archives ready" -A2 build/distcheck.out | tail -2

    echo "== AddressSanitizer and UBSan build, make check"
    local san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    configure_build build-asan --enable-werror CFLAGS="-g -O1 $san" LDFLAGS="$san"
    make -C build-asan -j"$jobs" >/dev/null
    # No fork: each test program is one process, so LeakSanitizer checks it at exit.
    CK_FORK=no ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        run_check build-asan "sanitizers"

    # ---- fuzzing (issue 9): each harness FUZZ_SECONDS, a finding fails ----
    echo "== libFuzzer harnesses under ASan and UBSan (clang), ${FUZZ_SECONDS:-60} s each"
    configure_build build-fuzz --enable-fuzz
    make -C build-fuzz -j"$jobs" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}" >build-fuzz/fuzz.out 2>&1 \
        || { cat build-fuzz/fuzz.out; exit 1; }
    grep -E "^(== |#|stat::|fuzz: )" build-fuzz/fuzz.out
}

case "${1:-}" in
    demo) demo ;;
    test) test_all ;;
    *) echo "usage: bash contrib/run.sh demo|test" >&2; exit 2 ;;
esac

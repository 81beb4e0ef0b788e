#!/usr/bin/env bash
# run.sh: the browser test of council-review-web (make check-browser).
#
# Starts, in a mktemp work directory, the private Postfix of the
# integration test (tests/integration/postfix.sh) with council-milter
# attached, two web accounts (a Monitoring Officer and an auditor, added
# with council-review user add), and council-review-web on a free loopback
# port (--insecure-cookie: plain HTTP on loopback); then browser.py drives
# headless Chromium through it with Selenium and prints TAP.
#
#   sudo tests/browser/run.sh [--keep] [BUILDDIR [SRCDIR]]
#
# BUILDDIR and SRCDIR default to $TOP_BUILDDIR and $TOP_SRCDIR, as the make
# target sets them.  The screenshots (web-queue.png, web-hold.png,
# web-hold-phone.png, web-report.png) are left in BUILDDIR/tests/browser/
# (SHOTS= elsewhere).  Exit 0 all passed, 1 a case failed, 77 not root,
# 99 the harness could not start (a missing package is named).  Every
# process it starts is stopped by its saved pid.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../integration/postfix.sh"

KEEP=0
[ "${1:-}" = --keep ] && { KEEP=1; shift; }
BUILD=${1:-${TOP_BUILDDIR:-$(pwd)}}
SRC=${2:-${TOP_SRCDIR:-$(cd "$HERE/../.." && pwd)}}
SHOTS=${SHOTS:-$BUILD/tests/browser}

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP the browser test runs a Postfix instance: needs root"; exit 77; }
for prog in council-milter council-review council-review-web; do
  [ -x "$BUILD/$prog" ] || { echo "Bail out! no $prog in $BUILD (make first)"; exit 99; }
done
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && /usr/bin/python3 -c 'import selenium' 2>/dev/null ||
  { echo "Bail out! the browser test needs Debian's chromium, chromium-driver and python3-selenium"; exit 99; }
PY=/usr/bin/python3

W=$(mktemp -d "${TMPDIR:-/tmp}/council-browser.XXXXXX") || exit 99
chmod 755 "$W"
PF=$W/postfix MD=$W/milter
mkdir -p "$MD/tmp" "$MD/hold"
MILTER_PID="" WEB_PID="" RC=99

cleanup() {
  trap - EXIT INT TERM HUP
  [ -n "$WEB_PID" ] && pf_stop_pid "$WEB_PID" 5
  [ -n "$MILTER_PID" ] && pf_stop_pid "$MILTER_PID" 8
  pf_stop "$PF"
  if [ "$KEEP" = 1 ] || [ "$RC" != 0 ]; then
    echo "# work directory kept: $W (milter/milter.log, milter/web.log, postfix/maillog, postfix/sink/)"
  else
    rm -rf "$W"
  fi
  exit "$RC"
}
trap cleanup EXIT
trap 'RC=130; exit 130' INT TERM HUP

bail() { echo "Bail out! $*"; RC=99; exit 99; }

pf_install > "$W/install.log" 2>&1 || { cat "$W/install.log"; bail "could not install postfix"; }
read -r MPORT WEBPORT < <(pf_freeports 2)
pf_setup "$PF" "inet:127.0.0.1:$MPORT" > "$W/setup.log" 2>&1 || { cat "$W/setup.log"; bail "postfix setup failed"; }
pf_load "$PF"
echo "# ports: smtpd+milter $SMTPD_PORT, notices $REINJECT_PORT, sink $SINK_PORT, milter $MPORT, web $WEBPORT"

CONF=$MD/council-milter.conf
cp "$SRC/config/council-milter.conf" "$CONF"
"$PY" "$SRC/tests/integration/conf-set.py" "$CONF" \
  milter socket "inet:$MPORT@127.0.0.1" milter directory "$SRC/config/directory.conf" milter temp-dir "$MD/tmp" \
  policy lexicon "$SRC/config/lexicon" policy paragraphs "$SRC/config/paragraphs.conf" \
  policy weights "$SRC/config/weights.conf" notify smtp "127.0.0.1:$REINJECT_PORT" \
  hold spool "$MD/hold" hold release-smtp "127.0.0.1:$SMTPD_PORT" \
  rule:officer-criticism action hold rule:member-obligation action hold \
  web listen "127.0.0.1:$WEBPORT" web accounts "$MD/web-accounts" || bail "cannot write $CONF"

setsid "$BUILD/council-milter" -f -c "$CONF" -P "$MD/milter.pid" >> "$MD/milter.log" 2>&1 < /dev/null &
MILTER_PID=$!
pf_waitport "$MPORT" 20 || bail "council-milter did not start: $(tail -n 20 "$MD/milter.log")"
pf_start "$PF" > "$W/start.log" 2>&1 || { cat "$W/start.log"; bail "postfix did not start"; }

for account in "mo.browser monitoring-officer" "auditor.browser auditor"; do
  set -- $account
  echo "correct horse battery staple" | "$BUILD/council-review" -c "$CONF" user add "$1" --role "$2" \
    > "$W/user.log" 2>&1 || { cat "$W/user.log"; bail "council-review user add $1 failed"; }
done

setsid "$BUILD/council-review-web" -c "$CONF" --insecure-cookie >> "$MD/web.log" 2>&1 < /dev/null &
WEB_PID=$!
pf_waitport "$WEBPORT" 20 || bail "council-review-web did not start: $(tail -n 20 "$MD/web.log")"

"$PY" "$HERE/browser.py" --base "http://127.0.0.1:$WEBPORT" --smtp-port "$SMTPD_PORT" --sink "$PF/sink" \
  --review "$BUILD/council-review -c $CONF" --messages "$SRC/tests/messages" \
  --send "$SRC/tests/integration/send.py" --shots "$SHOTS" --run "$$.$(date +%s)"
RC=$?
echo "# screenshots: $SHOTS/web-queue.png, web-hold.png, web-hold-phone.png, web-report.png"
echo "browser: $([ "$RC" = 0 ] && echo passed || echo FAILED)"

#!/usr/bin/env bash
# run.sh: the integration test of council-milter with a real Postfix.
#
# A private Postfix instance on loopback (postfix.sh) calls council-milter on
# its first smtpd; its second smtpd (no milters) takes the protocol notices;
# everything is relayed to an smtp-sink that keeps one file per message.  The
# test sends real mail with send.py and asserts what arrives at the sink, what
# Postfix holds, and what the SMTP client is told.  Output is TAP ("ok N - ...",
# "not ok N - ..." with the evidence as "#" lines), then "# N passed, N failed"
# and "integration: N passed, N failed".
#
#   sudo tests/integration/run.sh [--keep] [--no-install] [COUNCIL_MILTER [TOP_SRCDIR]]
#
# COUNCIL_MILTER (the binary) defaults to $TOP_BUILDDIR/council-milter and
# TOP_SRCDIR to this checkout, as automake's test environment sets them.
# --no-install: do not apt-get install postfix when it is missing.
# --keep: keep the work directory (it is always kept when a case failed).
# Exit status: 0 all passed, 1 a case failed, 77 skipped (not root, no binary),
# 99 the harness itself could not start.  Every process it starts is stopped
# by its saved pid on exit; nothing outside its mktemp work directory changes
# (except installing postfix, which leaves no service running or enabled).

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/postfix.sh"

KEEP=0 INSTALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1; shift;;
    --no-install) INSTALL=0; shift;;
    -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0;;
    *) break;;
  esac
done
MILTER_BIN=${1:-${COUNCIL_MILTER:-${TOP_BUILDDIR:-$HERE/../..}/council-milter}}
SRC=${2:-${TOP_SRCDIR:-$(cd "$HERE/../.." && pwd)}}
MSGS=$SRC/tests/messages
RUN=$$.$(date +%s)          # makes this run's Message-IDs unique
DOM=integration.invalid

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP the integration test runs a Postfix instance: needs root"; exit 77; }
[ -x "$MILTER_BIN" ] || { echo "1..0 # SKIP no council-milter binary at $MILTER_BIN"; exit 77; }
MILTER_BIN=$(cd "$(dirname "$MILTER_BIN")" && pwd)/$(basename "$MILTER_BIN")
[ -f "$SRC/config/council-milter.conf" ] || { echo "Bail out! no source tree at $SRC"; exit 99; }

# ------------------------------------------------------------------ TAP
N=0 PASSED=0 FAILED=0

# result STATUS DESCRIPTION [EVIDENCE-LINE...]: one TAP line; evidence as "#" lines
result() {
  local status=$1 desc=$2; shift 2
  N=$((N + 1))
  if [ "$status" = 0 ]; then PASSED=$((PASSED + 1)); echo "ok $N - $desc"
  else FAILED=$((FAILED + 1)); echo "not ok $N - $desc"; fi
  local line
  for line in "$@"; do [ -n "$line" ] && printf '%s\n' "$line" | sed 's/^/#   /'; done
}

# bail MESSAGE: the harness cannot go on
bail() { echo "Bail out! $*"; BAILED=1; exit 99; }
BAILED=0

# ------------------------------------------------------------------ work dir, cleanup
W=$(mktemp -d "${TMPDIR:-/tmp}/council-integ.XXXXXX") || exit 99
chmod 755 "$W"
PF=$W/postfix            # the Postfix instance (postfix.sh layout)
MD=$W/milter             # the milter's configuration, log, temp dir, hold spool
mkdir -p "$MD/tmp" "$MD/hold" "$W/msg"
MILTER_PID="" SENDER_PID=""

# cleanup: stop everything we started, by pid; keep the work dir after a failure
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  [ -n "$SENDER_PID" ] && pf_stop_pid "$SENDER_PID" 2
  [ -n "$MILTER_PID" ] && pf_stop_pid "$MILTER_PID" 8
  pf_stop "$PF"
  if [ "$KEEP" = 1 ] || [ "$FAILED" -gt 0 ] || [ "$BAILED" = 1 ]; then
    echo "# work directory kept: $W (postfix/maillog, milter/milter.log, postfix/sink/)"
  else
    rm -rf "$W"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ------------------------------------------------------------------ helpers
# wait_until SECONDS CMD...: poll CMD every 0.2 s until it succeeds; false on timeout
wait_until() {
  local secs=$1 i; shift
  for ((i = 0; i < secs * 5; i++)); do "$@" && return 0; sleep 0.2; done
  "$@"
}

# send [send.py options...] FILE: send to the milter smtpd; sets SENT (reply) and SENT_RC
send() {
  SENT=$("$PY" "$HERE/send.py" --port "$SMTPD_PORT" "$@" 2>&1); SENT_RC=$?
}

# queue_id REPLY: the Postfix queue id in a "250 ... queued as ID" reply
queue_id() { sed -n 's/.*queued as \([0-9A-Za-z]*\).*/\1/p' <<< "$1"; }

# maillog QID|PATTERN: the Postfix log lines matching it
maillog() { [ -n "$1" ] && grep -E -- "$1" "$PF/maillog" 2>/dev/null | sed 's/^[A-Z][a-z][a-z] [ 0-9]* //' ; true; }

# milterlog PATTERN: the milter's log lines matching PATTERN (case-insensitive)
milterlog() { grep -iE -- "$1" "$MD/milter.log" 2>/dev/null | tail -n 8; true; }

# sink_table: one tab-separated line per complete message at the sink:
# file, Message-ID, envelope sender, envelope recipients, Auto-Submitted, To, Subject,
# the X-Council-Protocol values (joined by " | "); files younger than 0.3 s may still be written
sink_table() {
  "$PY" - "$PF/sink" <<'PY'
import email.parser, email.policy, os, sys, time
d = sys.argv[1]
p = email.parser.BytesParser(policy=email.policy.compat32)
def clean(v):
    return " ".join(str(v or "").split())
for name in sorted(os.listdir(d)):
    f = os.path.join(d, name)
    try:
        if time.time() - os.stat(f).st_mtime < 0.3:
            continue
        with open(f, "rb") as fh:
            m = p.parse(fh, headersonly=True)
    except OSError:
        continue
    env_from = clean(m.get("X-Mail-Args")).split(" ")[0].strip("<>")
    rcpts = ",".join(clean(r).split(" ")[0].strip("<>").lower() for r in m.get_all("X-Rcpt-Args", []))
    xcp = " | ".join(clean(v) for v in m.get_all("X-Council-Protocol", []))
    print("\t".join([f, clean(m.get("Message-ID")), env_from, rcpts, clean(m.get("Auto-Submitted")),
                     clean(m.get("To")), clean(m.get("Subject")), xcp]))
PY
}

# sink_row MESSAGE-ID: the sink_table lines of that message
sink_row() { sink_table | awk -F'\t' -v m="$1" '$2 == m'; }

# at_sink MESSAGE-ID: true when that message has reached the sink
at_sink() { [ -n "$(sink_row "$1")" ]; }

# col N LINE: field N of a sink_table line
col() { cut -f"$1" <<< "$2"; }

# notices_since SNAPSHOT RCPT: sink lines of notices to RCPT not in the SNAPSHOT file list
# (a notice: null envelope sender, Auto-Submitted: auto-generated)
notices_since() {
  sink_table | awk -F'\t' -v r="$(tr '[:upper:]' '[:lower:]' <<< "$2")" '$3 == "" && index("," $4 ",", "," r ",")' |
    grep -v -F -f "$1" 2>/dev/null || true
}

# sink_desc LINE: a sink_table line for people (or "nothing")
sink_desc() {
  [ -n "$1" ] || { echo nothing; return; }
  awk -F'\t' '{ printf "%s: Message-ID %s, MAIL FROM <%s>, RCPT %s, Auto-Submitted: %s, To: %s, Subject: %s, X-Council-Protocol: %s\n",
                 $1, $2, $3, $4, ($5 == "" ? "-" : $5), $6, $7, ($8 == "" ? "(none)" : $8) }' <<< "$1"
}

# sink_snapshot FILE: remember which messages are at the sink now
sink_snapshot() { { pf_sink_files "$PF"; echo /nonexistent; } > "$1"; }

# hold_mids: "hold-id Message-ID" of each message in the milter's hold spool
hold_mids() {
  "$PY" - "$MD/hold/held" <<'PY'
import email.parser, email.policy, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    with open(os.path.join(d, name), "rb") as f:
        m = email.parser.BytesParser(policy=email.policy.compat32).parse(f, headersonly=True)
    print(name[:-4] if name.endswith(".eml") else name, " ".join(str(m.get("Message-ID", "")).split()))
PY
}

# in_hold MESSAGE-ID: true when that message is in the hold spool
in_hold() { hold_mids | awk -v m="$1" '$2 == m {f=1} END {exit !f}'; }

# hold_id MESSAGE-ID: the hold id of that message
hold_id() { hold_mids | awk -v m="$1" '$2 == m {print $1; exit}'; }

# pf_hold_count: messages in Postfix's own hold queue (the milter no longer uses it)
pf_hold_count() { pf_queue_ids "$PF" hold | wc -l; }

# same_body FILE-SENT SINK-FILE: true when the sink copy has the same Subject and body bytes
same_body() {
  "$PY" - "$1" "$2" <<'PY'
import sys
def split(path):
    raw = open(path, "rb").read().replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    subj = [l for l in head.split(b"\n") if l.lower().startswith(b"subject:")]
    return subj, body.rstrip(b"\n")
sys.exit(0 if split(sys.argv[1]) == split(sys.argv[2]) else 1)
PY
}

# write_conf OUT BCC-ACTION [MODE]: the test configuration, a copy of config/council-milter.conf
# with the socket, notice listener, paths, mode and rule actions of this run
write_conf() {
  cp "$SRC/config/council-milter.conf" "$1"
  "$PY" "$HERE/conf-set.py" "$1" \
    milter socket "inet:$MPORT@127.0.0.1" milter mode "${3:-enforce}" milter on-error tempfail \
    milter directory "$SRC/config/directory.conf" milter temp-dir "$MD/tmp" milter body-memory 4K \
    policy lexicon "$SRC/config/lexicon" notify smtp "127.0.0.1:$REINJECT_PORT" hold spool "$MD/hold" \
    rule:bcc-member action "$2" rule:officer-criticism action hold rule:member-obligation action reject
}

# milter_start CONF: start council-milter -f in the background (its own process
# group), wait for its socket; sets MILTER_PID
milter_start() {
  echo "=== $(date +%T) start: council-milter -f -c $1" >> "$MD/milter.log"
  setsid "$MILTER_BIN" -f -c "$1" -p "inet:$MPORT@127.0.0.1" -P "$MD/milter.pid" \
    >> "$MD/milter.log" 2>&1 < /dev/null &
  MILTER_PID=$!
  disown "$MILTER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$MILTER_PID" 2>/dev/null || { MILTER_PID=""; return 1; }
    pf_waitport "$MPORT" 0.2 && return 0
  done
  return 1
}

# milter_stop: SIGTERM the milter (libmilter needs up to 5 s to notice), SIGKILL after 8 s
milter_stop() { [ -n "$MILTER_PID" ] && pf_stop_pid "$MILTER_PID" 8; MILTER_PID=""; }

# ------------------------------------------------------------------ set up
echo "# council-milter: $MILTER_BIN"
echo "# source tree:    $SRC"
echo "# work dir:       $W"
if [ "$INSTALL" = 1 ]; then
  pf_install > "$W/install.log" 2>&1 || { cat "$W/install.log"; bail "could not install postfix"; }
fi
pf_installed || { echo "1..0 # SKIP postfix is not installed (run without --no-install)"; exit 77; }

read -r MPORT < <(pf_freeports 1)
pf_setup "$PF" "inet:127.0.0.1:$MPORT" > "$W/setup.log" 2>&1 || { cat "$W/setup.log"; bail "postfix setup failed"; }
pf_load "$PF"
while [ "$MPORT" = "$SMTPD_PORT" ] || [ "$MPORT" = "$REINJECT_PORT" ] || [ "$MPORT" = "$SINK_PORT" ]; do
  read -r MPORT < <(pf_freeports 1)
  pf_setup "$PF" "inet:127.0.0.1:$MPORT" > "$W/setup.log" 2>&1 || bail "postfix setup failed"
  pf_load "$PF"
done
echo "# ports: smtpd+milter $SMTPD_PORT, notice listener $REINJECT_PORT, sink $SINK_PORT, milter $MPORT"

CONF_TAG=$MD/council-milter.conf          # bcc-member=tag, officer-criticism=hold, member-obligation=reject
CONF_WARN=$MD/council-milter-warn.conf    # the same with bcc-member=warn
CONF_MON=$MD/council-milter-monitor.conf  # the same in mode=monitor
write_conf "$CONF_TAG" tag && write_conf "$CONF_WARN" warn && write_conf "$CONF_MON" warn monitor ||
  bail "cannot write the test configuration"

# 1. the configuration check
out=$("$MILTER_BIN" -n -c "$CONF_TAG" 2>&1); rc=$?
result "$rc" "council-milter -n accepts the test configuration" "exit $rc: $out"
sed 's/^action=tag$/action=sometimes/' "$CONF_TAG" > "$MD/bad.conf"
out=$("$MILTER_BIN" -n -c "$MD/bad.conf" 2>&1); rc=$?
[ "$rc" = 1 ] && grep -q 'action' <<< "$out"; r=$?
result "$r" "council-milter -n refuses a bad rule action with exit 1 and a reason" "exit $rc: $out"

# 2. the daemon starts (before Postfix, whose first smtpd would otherwise answer 451)
if milter_start "$CONF_TAG"; then r=0; else r=1; fi
pidf=$(cat "$MD/milter.pid" 2>/dev/null)
[ "$r" = 0 ] && [ "$pidf" = "$MILTER_PID" ]; r=$?
result "$r" "council-milter -f listens on inet:$MPORT@127.0.0.1 and writes its pid file" \
  "pid $MILTER_PID, pid file: '${pidf}'" "$(tail -n 5 "$MD/milter.log")"
[ -n "$MILTER_PID" ] || bail "council-milter did not start: $(tail -n 20 "$MD/milter.log")"
pf_start "$PF" > "$W/start.log" 2>&1 || { cat "$W/start.log"; bail "postfix did not start"; }

# ------------------------------------------------------------------ phase 1: bcc-member=tag
# (a) a tagged message arrives with X-Council-Protocol naming rule and clause
mid_a="<integ-a-$RUN@$DOM>"
send --message-id "$mid_a" --from cllr.ahmed.khan@northmoor.gov.uk \
  --rcpt tom.baker@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk \
  "$MSGS/bcc-member/breach/member-to-head-of-planning-bcc-leader.eml"
sent_a=$SENT
wait_until 30 at_sink "$mid_a"
row=$(sink_row "$mid_a" | head -n 1); xcp=$(col 8 "$row")
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && grep -qE '(^| \| )bcc-member; *Newton Abbot 13' <<< "$xcp"; r=$?
result "$r" "(a) tag: a blind copy to a member arrives with X-Council-Protocol naming bcc-member and Newton Abbot 13" \
  "client: $sent_a" "at the sink: $(sink_desc "$row")" \
  "$(maillog "$(queue_id "$sent_a")")"

# (b) forged X-Council-Protocol headers on a clean outgoing message are removed
mid_b="<integ-b-$RUN@$DOM>"
send --message-id "$mid_b" --from cllr.david.hughes@northmoor.gov.uk \
  --add-header "X-Council-Protocol: officer-criticism; South Ribble 16.2; hold" \
  --add-header "x-council-protocol: bcc-member; Newton Abbot 13; tag" \
  --rcpt cllr.raj.patel@northmoor.gov.uk --rcpt cllr.susan.clarke@northmoor.gov.uk \
  --rcpt cllr.jane.smith@northmoor.gov.uk --rcpt cllr.emily.wright@northmoor.gov.uk \
  "$MSGS/officer-criticism/compliant/policy-criticism-library-closure-to-members.eml"
sent_b=$SENT
wait_until 30 at_sink "$mid_b"
row=$(sink_row "$mid_b" | head -n 1); xcp=$(col 8 "$row")
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && [ -z "$xcp" ]; r=$?
result "$r" "(b) forged X-Council-Protocol headers on a clean outgoing message are removed" \
  "client: $sent_b" "at the sink: $(sink_desc "$row")" \
  "$(maillog "$(queue_id "$sent_b")")"

# (c) reject: 550 5.7.1 naming the paragraph, nothing queued
mid_c="<integ-c-$RUN@$DOM>"
send --message-id "$mid_c" --from cllr.ahmed.khan@northmoor.gov.uk --rcpt imran.shah@btinternet.com \
  "$MSGS/member-obligation/breach/council-will-pay-boundary-wall-to-resident.eml"
sent_c=$SENT rc_c=$SENT_RC
[ "$rc_c" = 1 ] && grep -q '^550' <<< "$sent_c" && grep -q '5\.7\.1' <<< "$sent_c" &&
  grep -q 'South Ribble 13\.2' <<< "$sent_c" && [ -z "$(queue_id "$sent_c")" ]; r=$?
result "$r" "(c) reject: the client gets 550 5.7.1 naming South Ribble 13.2" \
  "client (exit $rc_c): $sent_c" "$(maillog 'milter-reject: END-OF-MESSAGE' | tail -n 1)" "$(milterlog 'action=reject')"

# (d) hold: not delivered, kept in the milter's hold spool (not Postfix's hold queue); the sender
# gets a notice, the Monitoring Officer gets the case with the message attached
sink_snapshot "$W/snap-d"
mid_d="<integ-d-$RUN@$DOM>"
send --message-id "$mid_d" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
  "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
sent_d=$SENT qid_d=$(queue_id "$SENT")
wait_until 30 in_hold "$mid_d"; held=$?
notice_d() { [ -n "$(notices_since "$W/snap-d" cllr.emily.wright@northmoor.gov.uk)" ]; }
wait_until 30 notice_d
[ "$SENT_RC" = 0 ] && [ "$held" = 0 ] && ! at_sink "$mid_d"; r=$?
[ "$held" = 0 ] && [ "$(pf_hold_count)" = 0 ]; r2=$?
[ "$r" = 0 ] && [ "$r2" = 0 ]; r=$?
result "$r" "(d) hold: officer criticism to the press is not delivered and is kept in the hold spool" \
  "client: $sent_d" "hold spool: $(hold_mids | grep -F -- "$mid_d" || echo 'not there'); Postfix hold queue: $(pf_hold_count)" \
  "at the sink: $(sink_desc "$(sink_row "$mid_d")")" "$(milterlog "held as")"
nrow=$(notices_since "$W/snap-d" cllr.emily.wright@northmoor.gov.uk | head -n 1)
grep -qi '^auto-generated' <<< "$(col 5 "$nrow")" && grep -qi 'cllr.emily.wright@northmoor.gov.uk' <<< "$(col 6 "$nrow")"; r=$?
nfile_d=$(col 1 "$nrow")
types=$("$PY" "$HERE/mailpart.py" "$nfile_d" types 2>&1 | tr '\n' ' ')
why=$("$PY" "$HERE/mailpart.py" "$nfile_d" has "is held for the Monitoring Officer to review" \
      "What the protocol says: Cambridgeshire 5.5" "Mr Baker deliberately misled the planning committee" \
      "WITHDRAW" 2>&1); ok=$?
[ -n "$nrow" ] && [ "$ok" = 0 ] && grep -qE '^multipart/report;.*report-type=x-council-protocol text/plain[^ ]* [^ ]* ?text/x-council-protocol[^ ]* [^ ]* ?text/rfc822-headers' <<< "$types" &&
  grep -q '+hold-' <<< "$("$PY" "$HERE/mailpart.py" "$nfile_d" header Reply-To)"; r=$?
result "$r" "(d) hold: the notice is a multipart/report quoting the paragraph and the evidence, with a reply address to withdraw or explain" \
  "parts: $types" "check: ${why:-ok}" "Reply-To: $("$PY" "$HERE/mailpart.py" "$nfile_d" header Reply-To 2>&1)"
mo_d() { [ -n "$(notices_since "$W/snap-d" monitoring.officer@northmoor.gov.uk)" ]; }
wait_until 30 mo_d
mofile=$(col 1 "$(notices_since "$W/snap-d" monitoring.officer@northmoor.gov.uk | head -n 1)")
hid_d=$(hold_id "$mid_d")
[ -n "$mofile" ] && [ -n "$hid_d" ] && "$PY" "$HERE/mailpart.py" "$mofile" types | grep -q '^message/rfc822' &&
  "$PY" "$HERE/mailpart.py" "$mofile" has "$hid_d" "cllr.emily.wright@northmoor.gov.uk (member)" \
    "news@northmoorgazette.co.uk" "Cambridgeshire 5.5" "release $hid_d --note" > /dev/null; r=$?
result "$r" "(d) hold: the Monitoring Officer is told who sent what to whom, the paragraph and evidence, with the message attached" \
  "hold: ${hid_d:-none}; notice to the Monitoring Officer: ${mofile:-none}" \
  "$([ -n "$mofile" ] && "$PY" "$HERE/mailpart.py" "$mofile" types | tr '\n' ' ')"

# (c) the rejected message never reached the sink (checked after the later deliveries)
! at_sink "$mid_c"; r=$?
result "$r" "(c) reject: the rejected message never reaches the sink" "at the sink: $(sink_desc "$(sink_row "$mid_c")")"

# (f) inbound mail from outside passes untouched
mid_f="<integ-f-$RUN@$DOM>"
cat > "$W/msg/inbound.eml" <<EOF
From: Resident <resident@example.org>
To: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>
Cc: Cllr Raj Patel <cllr.raj.patel@northmoor.gov.uk>
Subject: Mill Lane planning application
Date: Mon, 3 Jun 2024 10:00:00 +0100
Message-ID: $mid_f
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Dear Councillors,

The Head of Planning is incompetent and Mr Baker lied to residents about the
drainage plan. The council will pay for this, I am told. Please pass this on
to every member.

Resident of Brook Street
EOF
send --from resident@example.org --rcpt cllr.jane.smith@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk \
  "$W/msg/inbound.eml"
sent_f=$SENT
wait_until 30 at_sink "$mid_f"
row=$(sink_row "$mid_f" | head -n 1); xcp=$(col 8 "$row")
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && [ -z "$xcp" ] && same_body "$W/msg/inbound.eml" "$(col 1 "$row")"; r=$?
result "$r" "(f) inbound: mail from resident@example.org with criticism words passes untouched" \
  "client: $sent_f" "at the sink: $(sink_desc "$row")" \
  "subject and body: $([ -n "$row" ] && same_body "$W/msg/inbound.eml" "$(col 1 "$row")" && echo unchanged || echo CHANGED or missing)"

# ------------------------------------------------------------------ phase 2: bcc-member=warn
milter_stop
milter_start "$CONF_WARN" || bail "council-milter did not restart with $CONF_WARN: $(tail -n 20 "$MD/milter.log")"

# (e) warn: delivered, and a notice to the sender
sink_snapshot "$W/snap-e"
mid_e="<integ-e-$RUN@$DOM>"
send --message-id "$mid_e" --from cllr.mary.oconnor@northmoor.gov.uk \
  --rcpt sarah.jones@northmoor.gov.uk --rcpt raj.patel@outlook.com \
  "$MSGS/bcc-member/breach/member-bcc-leader-personal-outlook-base64.eml"
sent_e=$SENT
wait_until 30 at_sink "$mid_e"
notice_e() { [ -n "$(notices_since "$W/snap-e" cllr.mary.oconnor@northmoor.gov.uk)" ]; }
wait_until 30 notice_e
row=$(sink_row "$mid_e" | head -n 1)
nrow=$(notices_since "$W/snap-e" cllr.mary.oconnor@northmoor.gov.uk | head -n 1)
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && [ -n "$nrow" ] && grep -qi '^auto-generated' <<< "$(col 5 "$nrow")" &&
  grep -qi 'cllr.mary.oconnor@northmoor.gov.uk' <<< "$(col 6 "$nrow")"; r=$?
result "$r" "(e) warn: the message is delivered and a notice (null sender, Auto-Submitted: auto-generated, To the sender) reaches the sink" \
  "client: $sent_e" "delivered: $(sink_desc "$row")" \
  "notice: $(sink_desc "$nrow")" "$(milterlog 'notice|notify')"

# (i) a 50 MB message passes with the milter's memory growing by less than
# 16 MB: the body goes to a private file past [milter] body-memory, and
# nothing past [policy] max-scan-size is kept at all.
big="$W/big-50m.eml"
"$PY" - "$big" <<'PY'
import base64, os, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"From: Cllr Raj Patel <cllr.raj.patel@northmoor.gov.uk>\r\n"
            b"To: builder@example.org\r\nSubject: Site plans\r\n"
            b"Message-ID: <integ-i-big@integration.invalid>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            b"--b\r\nContent-Type: text/plain\r\n\r\nThe plans are attached.\r\n\r\n"
            b"--b\r\nContent-Type: application/pdf; name=plans.pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n")
    line = base64.encodebytes(os.urandom(57 * 1000)).replace(b"\n", b"\r\n")
    while f.tell() < 50 * 1024 * 1024:
        f.write(line)
    f.write(b"--b--\r\n")
PY
# rss_kb FIELD: VmRSS or VmHWM of the milter, in kB
rss_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$MILTER_PID/status" 2>/dev/null; }
rss_before=$(rss_kb VmRSS)
mid_i="<integ-i-big@integration.invalid>"
send --from cllr.raj.patel@northmoor.gov.uk --rcpt builder@example.org "$big"
sent_i=$SENT
wait_until 60 at_sink "$mid_i"
peak_after=$(rss_kb VmHWM)
growth=$(( ${peak_after:-0} - ${rss_before:-0} ))
[ "$SENT_RC" = 0 ] && at_sink "$mid_i" && [ -n "$rss_before" ] && [ "$growth" -lt 16384 ]; r=$?
result "$r" "(i) a 50 MB message is delivered and the milter's memory grows by less than 16 MB" \
  "client: $sent_i" "milter RSS before: ${rss_before:-?} kB, peak after: ${peak_after:-?} kB, growth: $growth kB" \
  "$(milterlog 'scan=truncated' | tail -n 1)"
rm -f "$big"

# (g) SIGKILL of the milter in the middle of a run loses nothing
G=20
# send_loop: send G messages one after the other (odd: clean, even: a hold breach),
# resending each one after a 4xx as a client's retry would; one log line per attempt.
# The first attempt of message 6 stalls before its final dot until the test has
# killed the milter (g-stall appears, the test removes it): the milter dies while
# that transaction is open (envelope seen, content not yet), and stays down for
# a second, so the next attempts meet no milter at all
send_loop() {
  local i mid f from rcpt out rc tries stall
  for ((i = 1; i <= G; i++)); do
    mid="<integ-g-$i-$RUN@$DOM>"
    if ((i % 2)); then
      f=$MSGS/officer-criticism/compliant/policy-criticism-library-closure-to-members.eml
      from=cllr.david.hughes@northmoor.gov.uk rcpt=cllr.raj.patel@northmoor.gov.uk
    else
      f=$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml
      from=cllr.emily.wright@northmoor.gov.uk rcpt=news@northmoorgazette.co.uk
    fi
    for ((tries = 0; tries < 150; tries++)); do
      stall=0; [ "$i" = 6 ] && [ "$tries" = 0 ] && stall=20
      out=$("$PY" "$HERE/send.py" --port "$SMTPD_PORT" --timeout 30 --message-id "$mid" \
            --stall-before-dot "$stall" --stall-file "$W/g-stall" --from "$from" --rcpt "$rcpt" "$f" 2>&1); rc=$?
      printf '%s\t%s\t%s\t%s\n' "$i" "$rc" "$out" "$(date +%T.%N | cut -c1-12)" >> "$W/g-sent.log"
      [ "$rc" = 0 ] && break
      case "$out" in 4*|'') sleep 0.2;; *) break;; esac   # 5xx: final, not retried
    done
  done
}
: > "$W/g-sent.log"
send_loop &
SENDER_PID=$!
g_stalled() { [ -e "$W/g-stall" ]; }
wait_until 30 g_stalled; stalled=$?       # message 6 is now open, before its final dot
kill -KILL "$MILTER_PID" 2>/dev/null; killed_pid=$MILTER_PID
echo "=== $(date +%T) test: SIGKILL to pid $killed_pid" >> "$MD/milter.log"
for ((i = 0; i < 50; i++)); do kill -0 "$killed_pid" 2>/dev/null || break; sleep 0.1; done
rm -f "$W/g-stall"                        # message 6 ends its DATA with no milter
MILTER_PID=""
sleep 1
milter_start "$CONF_WARN"; restarted=$?
sender_done() { ! kill -0 "$SENDER_PID" 2>/dev/null; }
wait_until 60 sender_done || pf_stop_pid "$SENDER_PID" 2
SENDER_PID=""
pf_flush "$PF"
# g_all_there: count the loop's messages at the sink (G_SINK) and held (G_HOLD); list
# the lost ones (G_LOST) and the breaches that were delivered (G_LEAK); true when none is lost
g_all_there() {
  local i sinkt holdt
  G_SINK=0 G_HOLD=0 G_LOST="" G_LEAK=""
  sinkt=$(sink_table | cut -f2); holdt=$(hold_mids | cut -d' ' -f2)
  for ((i = 1; i <= G; i++)); do
    local mid="<integ-g-$i-$RUN@$DOM>"
    if grep -qxF -- "$mid" <<< "$sinkt"; then G_SINK=$((G_SINK + 1)); ((i % 2)) || G_LEAK="$G_LEAK $i"
    elif grep -qxF -- "$mid" <<< "$holdt"; then G_HOLD=$((G_HOLD + 1))
    else G_LOST="$G_LOST $i"; fi
  done
  [ -z "$G_LOST" ]
}
wait_until 30 g_all_there
tempfails=$(awk -F'\t' '$3 ~ /^4/' "$W/g-sent.log" | wc -l)
final5=$(awk -F'\t' '$3 ~ /^5/' "$W/g-sent.log" | wc -l)
[ -z "$G_LOST" ] && [ $((G_SINK + G_HOLD)) = "$G" ] && [ "$final5" = 0 ] && [ "$restarted" = 0 ]; r=$?
result "$r" "(g) SIGKILL of the milter mid-run: all $G messages are at the sink or held (4xx resent by the client)" \
  "killed pid $killed_pid after 5 accepted, $([ "$stalled" = 0 ] && echo "during message 6's DATA" || echo "(message 6 never stalled)"); restarted: $([ "$restarted" = 0 ] && echo "yes, pid $MILTER_PID" || echo NO)" \
  "at the sink: $G_SINK, held: $G_HOLD, lost:${G_LOST:- none}; 4xx replies resent: $tempfails; 5xx: $final5" \
  "$(awk -F'\t' '$3 !~ /^250/' "$W/g-sent.log" | sort -u -t$'\t' -k3,3 | head -n 3 | cut -f3)" \
  "$(maillog 'milter' | grep -iE 'warning|reject' | sort -u -k5 | head -n 4)"
[ -z "$G_LEAK" ] && [ "$G_HOLD" = $((G / 2)) ]; r=$?
result "$r" "(g) no breach slipped through while the milter was down: all $((G / 2)) breaches are held" \
  "breaches delivered instead of held:${G_LEAK:- none}; held: $G_HOLD"

# ------------------------------------------------------------------ phase 3: mode=monitor
milter_stop
milter_start "$CONF_MON" || bail "council-milter did not restart with $CONF_MON: $(tail -n 20 "$MD/milter.log")"

# (h) monitor mode only tags: a reject breach and a hold breach are both delivered, tagged,
# nothing held, no notice
sink_snapshot "$W/snap-h"
mid_h1="<integ-h1-$RUN@$DOM>" mid_h2="<integ-h2-$RUN@$DOM>"
send --message-id "$mid_h1" --from cllr.ahmed.khan@northmoor.gov.uk --rcpt imran.shah@btinternet.com \
  "$MSGS/member-obligation/breach/council-will-pay-boundary-wall-to-resident.eml"
sent_h1=$SENT rc_h1=$SENT_RC
send --message-id "$mid_h2" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
  "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
sent_h2=$SENT rc_h2=$SENT_RC
h_both() { at_sink "$mid_h1" && at_sink "$mid_h2"; }
wait_until 30 h_both
sleep 1                                   # a notice, if one were sent, has left by now
row1=$(sink_row "$mid_h1" | head -n 1) row2=$(sink_row "$mid_h2" | head -n 1)
notices=$(notices_since "$W/snap-h" cllr.ahmed.khan@northmoor.gov.uk; notices_since "$W/snap-h" cllr.emily.wright@northmoor.gov.uk)
[ "$rc_h1" = 0 ] && [ "$rc_h2" = 0 ] &&
  grep -qE '(^| \| )member-obligation; *South Ribble 13\.2' <<< "$(col 8 "$row1")" &&
  grep -qE '(^| \| )officer-criticism; *Cambridgeshire 5\.5' <<< "$(col 8 "$row2")" &&
  ! in_hold "$mid_h2" && [ -z "$notices" ]; r=$?
result "$r" "(h) monitor mode only tags: a reject and a hold breach are delivered tagged, nothing held, no notice" \
  "client: $sent_h1 / $sent_h2" "at the sink: $(sink_desc "$row1")" "at the sink: $(sink_desc "$row2")" \
  "held: $(in_hold "$mid_h2" && echo yes || echo no); notices: ${notices:-none}"

# ------------------------------------------------------------------ phase 4: bcc-member=disclose
milter_stop
CONF_DISC=$MD/council-milter-disclose.conf
write_conf "$CONF_DISC" disclose || bail "cannot write $CONF_DISC"
milter_start "$CONF_DISC" || bail "council-milter did not restart with $CONF_DISC: $(tail -n 20 "$MD/milter.log")"

# disclosed_ok SENT SINK-FILE LINE: every text part (plain and HTML, not attachments) of
# the sink copy holds LINE at its foot, and every other part is the same as sent
disclosed_ok() {
  "$PY" - "$@" <<'PY'
import sys, email, email.policy
sent, got, line = sys.argv[1], sys.argv[2], sys.argv[3]
def parts(path):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.compat32)
    return [p for p in m.walk() if not p.is_multipart()]
a, b = parts(sent), parts(got)
if len(a) != len(b):
    sys.exit("part count %d sent, %d delivered" % (len(a), len(b)))
texts = 0
for x, y in zip(a, b):
    body = y.get_payload(decode=True) or b""
    if y.get_content_type() in ("text/plain", "text/html") and not y.get_filename():
        text = body.decode(y.get_content_charset() or "us-ascii")
        if y.get("Content-Transfer-Encoding", "7bit").lower() != x.get("Content-Transfer-Encoding", "7bit").lower():
            sys.exit("transfer encoding changed")
        tail = text.rstrip()[-400:]
        if line not in tail:
            sys.exit("%s part lacks %r at its foot: ...%r" % (y.get_content_type(), line, tail[-120:]))
        texts += 1
    elif body != (x.get_payload(decode=True) or b""):
        sys.exit("%s part changed" % y.get_content_type())
if texts == 0:
    sys.exit("no text part")
PY
}

# (j) disclose: the blind copy is made open at the foot of every text part, attachments untouched,
# and the sender is told
for shape in disclosure-names-different-member-multipart-alternative bcc-monitoring-officer-and-member-pdf-attachment; do
  sink_snapshot "$W/snap-j"
  mid_j="<integ-j-$shape-$RUN@$DOM>"
  f=$MSGS/bcc-member/breach/$shape.eml
  from=$(awk -F'[<>]' 'tolower($0) ~ /^from:/ {print $2; exit}' "$f")
  send --message-id "$mid_j" --from "$from" --rcpt helen.price@northmoor.gov.uk \
    --rcpt cllr.emily.wright@northmoor.gov.uk "$f"
  sent_j=$SENT
  wait_until 30 at_sink "$mid_j"
  row=$(sink_row "$mid_j" | head -n 1); xcp=$(col 8 "$row")
  why=$(disclosed_ok "$f" "$(col 1 "$row")" "CC Councillor Emily Wright" 2>&1); ok=$?
  notice_j() { [ -n "$(notices_since "$W/snap-j" "$from")" ]; }
  wait_until 30 notice_j
  nfile=$(col 1 "$(notices_since "$W/snap-j" "$from" | head -n 1)")
  [ "$SENT_RC" = 0 ] && [ -n "$row" ] && [ "$ok" = 0 ] && grep -q 'bcc-member; Newton Abbot 13; disclose' <<< "$xcp" &&
    [ -n "$nfile" ] && grep -q 'CC Councillor Emily Wright' "$nfile"; r=$?
  result "$r" "(j) disclose ($shape): \"CC Councillor Emily Wright\" at the foot of every text part, other parts as sent, the sender told" \
    "client: $sent_j" "at the sink: $(sink_desc "$row")" "check: ${why:-ok}" "notice: ${nfile:-none}" "$(milterlog 'disclos')"
done

# (k) a DKIM-signed body is not changed: delivered as sent, tagged warn, the notice says why
sink_snapshot "$W/snap-k"
mid_k="<integ-k-$RUN@$DOM>"
f=$MSGS/bcc-member/breach/disclosure-names-different-member-multipart-alternative.eml
send --message-id "$mid_k" --from cllr.susan.clarke@northmoor.gov.uk \
  --add-header "DKIM-Signature: v=1; a=rsa-sha256; d=northmoor.gov.uk; s=s1; bh=abc=; b=def=" \
  --rcpt helen.price@northmoor.gov.uk --rcpt cllr.emily.wright@northmoor.gov.uk "$f"
sent_k=$SENT
wait_until 30 at_sink "$mid_k"
row=$(sink_row "$mid_k" | head -n 1); xcp=$(col 8 "$row")
notice_k() { [ -n "$(notices_since "$W/snap-k" cllr.susan.clarke@northmoor.gov.uk)" ]; }
wait_until 30 notice_k
nfile=$(col 1 "$(notices_since "$W/snap-k" cllr.susan.clarke@northmoor.gov.uk | head -n 1)")
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && same_body "$f" "$(col 1 "$row")" &&
  grep -q 'bcc-member; Newton Abbot 13; warn' <<< "$xcp" && [ -n "$nfile" ] && grep -q 'DKIM signature' "$nfile"; r=$?
result "$r" "(k) disclose on a DKIM-signed body: delivered unchanged, tagged warn, and the notice says why" \
  "client: $sent_k" "at the sink: $(sink_desc "$row")" "notice: ${nfile:-none}" "$(milterlog 'not disclosed')"

# ------------------------------------------------------------------ phase 5: notices and review
milter_stop
CONF_REV=$MD/council-milter-review.conf
write_conf "$CONF_REV" warn
"$PY" "$HERE/conf-set.py" "$CONF_REV" hold release-smtp "127.0.0.1:$SMTPD_PORT" notify repeat-hours 24 ||
  bail "cannot write $CONF_REV"
milter_start "$CONF_REV" || bail "council-milter did not restart with $CONF_REV: $(tail -n 20 "$MD/milter.log")"
REVIEW=$(dirname "$MILTER_BIN")/council-review
# review ARGS...: run council-review on the test's spool; sets REV (output) and REV_RC
review() { REV=$("$REVIEW" -c "$CONF_REV" "$@" 2>&1); REV_RC=$?; }
# hold_breach MID: send the officer-criticism breach (held) from Emily Wright to the Gazette
hold_breach() {
  send --message-id "$1" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
    --rcpt cllr.raj.patel@northmoor.gov.uk \
    "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
  wait_until 30 in_hold "$1"
}
# sink_count MID: how many copies of that message reached the sink
sink_count() { sink_row "$1" | wc -l; }

# (l) release: delivered exactly once, with its original envelope; a second release is refused
mid_l="<integ-l-$RUN@$DOM>"
hold_breach "$mid_l"; hid_l=$(hold_id "$mid_l")
review list; listed=$REV
review release "$hid_l" --note "a fair comment on a planning matter"; rel=$REV rel_rc=$REV_RC
wait_until 30 at_sink "$mid_l"
sleep 1
row=$(sink_row "$mid_l" | head -n 1)
review release "$hid_l"; again=$REV again_rc=$REV_RC
[ -n "$hid_l" ] && grep -qF "$hid_l" <<< "$listed" && [ "$rel_rc" = 0 ] && [ "$(sink_count "$mid_l")" = 1 ] &&
  [ "$(col 3 "$row")" = cllr.emily.wright@northmoor.gov.uk ] &&
  [ "$(col 4 "$row" | tr ',' '\n' | sort | paste -sd,)" = "cllr.raj.patel@northmoor.gov.uk,news@northmoorgazette.co.uk" ] &&
  ! grep -qi 'X-Council-Protocol-Release' "$(col 1 "$row")" &&
  [ "$again_rc" = 1 ] && grep -qi 'already released' <<< "$again"; r=$?
result "$r" "(l) release: the held message appears in council-review list, is delivered once with its original envelope, and cannot be released twice" \
  "hold: ${hid_l:-none}" "list: $(head -n 3 <<< "$listed")" "release (exit $rel_rc): $rel" \
  "at the sink ($(sink_count "$mid_l") copies): $(sink_desc "$row")" "second release (exit $again_rc): $again" \
  "$(milterlog 'release')"

# (m) a replayed release mark (the right token, already used) and a forged one are ignored:
# the breach is checked as usual and held again
secret_token() {
  "$PY" -c 'import hmac,hashlib,sys; print(hmac.new(open(sys.argv[1],"rb").read(), ("release:"+sys.argv[2]).encode(), hashlib.sha256).hexdigest())' \
    "$MD/hold/secret" "$1"
}
mid_m1="<integ-m1-$RUN@$DOM>" mid_m2="<integ-m2-$RUN@$DOM>"
send --message-id "$mid_m1" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
  --add-header "X-Council-Protocol-Release: $hid_l $(secret_token "$hid_l")" \
  "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
sent_m1=$SENT
send --message-id "$mid_m2" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
  --add-header "X-Council-Protocol-Release: $hid_l 0000000000000000000000000000000000000000000000000000000000000000" \
  "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
sent_m2=$SENT
wait_until 30 in_hold "$mid_m1"; h1=$?
wait_until 10 in_hold "$mid_m2"; h2=$?
[ "$h1" = 0 ] && [ "$h2" = 0 ] && ! at_sink "$mid_m1" && ! at_sink "$mid_m2"; r=$?
result "$r" "(m) a replayed or forged release mark from a client is ignored: the breach is held as usual" \
  "replayed: $sent_m1; forged: $sent_m2" "$(milterlog 'ignored a release mark')"

# (n) reject: never delivered; the sender gets the reason; a second decision is refused
sink_snapshot "$W/snap-n"
mid_n="<integ-n-$RUN@$DOM>"
hold_breach "$mid_n"; hid_n=$(hold_id "$mid_n")
review reject "$hid_n" --reason "Please raise concerns about an officer with the Chief Executive, not the press."
rej=$REV rej_rc=$REV_RC
reason_n() { notices_since "$W/snap-n" cllr.emily.wright@northmoor.gov.uk | cut -f1 |
             xargs -r grep -l "not the press" 2>/dev/null | grep -q .; }
wait_until 30 reason_n; got_reason=$?
review release "$hid_n"; late=$REV late_rc=$REV_RC
sleep 1
[ "$rej_rc" = 0 ] && [ "$got_reason" = 0 ] && ! at_sink "$mid_n" && [ "$late_rc" = 1 ]; r=$?
result "$r" "(n) reject: the message is never delivered, the sender gets the reason, and a later release is refused" \
  "hold: ${hid_n:-none}; reject (exit $rej_rc): $rej" "release after reject (exit $late_rc): $late" \
  "at the sink: $(sink_desc "$(sink_row "$mid_n")")"

# reply_to MID SNAPSHOT: the Reply-To address of the hold notice about MID to Emily Wright
reply_to() {
  local f
  for f in $(notices_since "$2" cllr.emily.wright@northmoor.gov.uk | cut -f1); do
    grep -q "$3" "$f" 2>/dev/null || continue
    "$PY" "$HERE/mailpart.py" "$f" header Reply-To | sed -n 's/.*<\(.*\)>.*/\1/p'
    return
  done
}
# reply FROM TO BODY MID: a reply to a hold notice
reply() {
  printf 'From: %s\nTo: %s\nSubject: Re: Member/Officer Protocol notice\nMessage-ID: %s\n\n%s\n\n> Your message was held.\n' \
    "$1" "$2" "$4" "$3" > "$W/msg/reply.eml"
  send --from "$1" --rcpt "$2" "$W/msg/reply.eml"
}

# (o) an explanation by reply is recorded against the hold and shown; a reply from anyone else is
# refused; a withdrawal stops delivery for good; replies are delivered nowhere
sink_snapshot "$W/snap-o"
mid_o="<integ-o-$RUN@$DOM>"
hold_breach "$mid_o"; hid_o=$(hold_id "$mid_o")
have_reply_to() { [ -n "$(reply_to "$mid_o" "$W/snap-o" "$hid_o")" ]; }
wait_until 30 have_reply_to
addr_o=$(reply_to "$mid_o" "$W/snap-o" "$hid_o")
reply cllr.emily.wright@northmoor.gov.uk "$addr_o" "I wrote as a resident of Mill Lane, not as a councillor." "<integ-o-r1-$RUN@$DOM>"
explained=$SENT explained_rc=$SENT_RC
reply cllr.raj.patel@northmoor.gov.uk "$addr_o" "WITHDRAW" "<integ-o-r2-$RUN@$DOM>"
stranger=$SENT stranger_rc=$SENT_RC
review show "$hid_o"; shown=$REV
reply cllr.emily.wright@northmoor.gov.uk "$addr_o" "WITHDRAW - sorry, sent in haste." "<integ-o-r3-$RUN@$DOM>"
withdrawn=$SENT withdrawn_rc=$SENT_RC
review list --state withdrawn; wlist=$REV
review release "$hid_o"; after=$REV after_rc=$REV_RC
sleep 1
[ -n "$addr_o" ] && [ "$explained_rc" = 0 ] && grep -q "as a resident of Mill Lane" <<< "$shown" &&
  [ "$stranger_rc" = 1 ] && grep -q '^550' <<< "$stranger" && [ "$withdrawn_rc" = 0 ] &&
  grep -qF "$hid_o" <<< "$wlist" && [ "$after_rc" = 1 ] && ! at_sink "$mid_o" &&
  ! at_sink "<integ-o-r1-$RUN@$DOM>" && ! at_sink "<integ-o-r3-$RUN@$DOM>"; r=$?
result "$r" "(o) by reply to the notice the sender explains (recorded, shown) and then withdraws (never delivered); another member's reply is refused" \
  "reply address: ${addr_o:-none}" "explanation: $explained" "from another member: $stranger" \
  "withdrawal: $withdrawn" "withdrawn list: $(head -n 2 <<< "$wlist")" "release after withdrawal (exit $after_rc): $after" \
  "$(milterlog 'reply from')"
mo_told() { notices_since "$W/snap-o" monitoring.officer@northmoor.gov.uk | cut -f1 | xargs -r grep -l "withdrawn" | grep -q .; }
wait_until 30 mo_told; r=$?
result "$r" "(o) the Monitoring Officer is told of the explanation and the withdrawal" \
  "$(notices_since "$W/snap-o" monitoring.officer@northmoor.gov.uk | cut -f7)"

# (p) warn: the sender's notice names the paragraph and the evidence; a reply in the same thread
# that breaks the same rule brings no second notice
sink_snapshot "$W/snap-p"
mid_p="<integ-p-$RUN@$DOM>"
f=$MSGS/bcc-member/breach/member-to-head-of-planning-bcc-leader.eml
send --message-id "$mid_p" --from cllr.ahmed.khan@northmoor.gov.uk \
  --rcpt tom.baker@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$f"
notice_p() { [ -n "$(notices_since "$W/snap-p" cllr.ahmed.khan@northmoor.gov.uk)" ]; }
wait_until 30 notice_p
pfile=$(col 1 "$(notices_since "$W/snap-p" cllr.ahmed.khan@northmoor.gov.uk | head -n 1)")
why=$([ -n "$pfile" ] && "$PY" "$HERE/mailpart.py" "$pfile" has "Newton Abbot 13" "CC Councillor" 2>&1); ok=$?
mid_p2="<integ-p2-$RUN@$DOM>"
send --message-id "$mid_p2" --add-header "In-Reply-To: $mid_p" --add-header "References: $mid_p" \
  --from cllr.ahmed.khan@northmoor.gov.uk --rcpt tom.baker@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$f"
wait_until 30 at_sink "$mid_p2"
sleep 2
count_p=$(notices_since "$W/snap-p" cllr.ahmed.khan@northmoor.gov.uk | wc -l)
[ -n "$pfile" ] && [ "$ok" = 0 ] && at_sink "$mid_p2" && [ "$count_p" = 1 ]; r=$?
result "$r" "(p) warn: one notice naming Newton Abbot 13 and the remedy; the reply in the same thread brings no second notice" \
  "notice: ${pfile:-none}; check: ${why:-ok}; notices to the sender: $count_p" "$(milterlog 'already told')"

# (q) the outbox: with the notice listener unreachable the notice is kept on disk, survives a restart,
# and is delivered when the listener is back
sink_snapshot "$W/snap-q"
CONF_DOWN=$MD/council-milter-down.conf
cp "$CONF_REV" "$CONF_DOWN"
read -r DEAD_PORT < <(pf_freeports 1)
"$PY" "$HERE/conf-set.py" "$CONF_DOWN" notify smtp "127.0.0.1:$DEAD_PORT" || bail "cannot write $CONF_DOWN"
milter_stop; milter_start "$CONF_DOWN" || bail "council-milter did not restart with $CONF_DOWN"
mid_q="<integ-q-$RUN@$DOM>"
send --message-id "$mid_q" --from cllr.david.hughes@northmoor.gov.uk \
  --rcpt tom.baker@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$f"
wait_until 30 at_sink "$mid_q"
kept() { [ "$(find "$MD/hold/outbox" -maxdepth 1 -type f | wc -l)" -ge 1 ]; }
wait_until 10 kept; was_kept=$?
milter_stop; milter_start "$CONF_REV" || bail "council-milter did not restart with $CONF_REV"
notice_q() { [ -n "$(notices_since "$W/snap-q" cllr.david.hughes@northmoor.gov.uk)" ]; }
wait_until 120 notice_q; delivered=$?
[ "$was_kept" = 0 ] && [ "$delivered" = 0 ] && [ "$(find "$MD/hold/outbox" -maxdepth 1 -type f | wc -l)" = 0 ]; r=$?
result "$r" "(q) a notice that cannot be sent is kept in the outbox, survives a restart, and is delivered when the listener is back" \
  "kept while down: $([ "$was_kept" = 0 ] && echo yes || echo no); delivered after restart: $([ "$delivered" = 0 ] && echo yes || echo no)" \
  "$(milterlog 'outbox|kept')"

# (r) an unwritable hold spool makes the MTA defer the message; nothing is lost, and the resent
# message is held once the spool is back
mid_r="<integ-r-$RUN@$DOM>"
mv "$MD/hold/held" "$MD/hold/held.away" && : > "$MD/hold/held"
send --message-id "$mid_r" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
  "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
deferred=$SENT deferred_rc=$SENT_RC
rm -f "$MD/hold/held" && mv "$MD/hold/held.away" "$MD/hold/held"
send --message-id "$mid_r" --from cllr.emily.wright@northmoor.gov.uk --rcpt news@northmoorgazette.co.uk \
  "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
resent=$SENT
wait_until 30 in_hold "$mid_r"; held_r=$?
[ "$deferred_rc" = 1 ] && grep -q '^4' <<< "$deferred" && [ "$held_r" = 0 ] && ! at_sink "$mid_r"; r=$?
result "$r" "(r) an unwritable hold spool makes the MTA defer (4xx) rather than lose or deliver the message" \
  "while unwritable: $deferred" "resent: $resent; held: $([ "$held_r" = 0 ] && echo yes || echo no)" \
  "$(milterlog 'cannot keep a held message')"

# (t) a reply to a hold notice that also goes to someone else: the reply address is taken out of
# the envelope (recorded against the hold), and the others get the message as usual
sink_snapshot "$W/snap-t"
mid_t="<integ-t-$RUN@$DOM>"
hold_breach "$mid_t"; hid_t=$(hold_id "$mid_t")
have_reply_t() { [ -n "$(reply_to "$mid_t" "$W/snap-t" "$hid_t")" ]; }
wait_until 30 have_reply_t
addr_t=$(reply_to "$mid_t" "$W/snap-t" "$hid_t")
printf 'From: %s\nTo: %s\nCc: %s\nSubject: Re: Mill Lane\nMessage-ID: %s\n\n%s\n' \
  cllr.emily.wright@northmoor.gov.uk "$addr_t" tom.baker@northmoor.gov.uk "<integ-t-r-$RUN@$DOM>" \
  "Tom, I have explained my statement to the Monitoring Officer." > "$W/msg/reply-t.eml"
send --from cllr.emily.wright@northmoor.gov.uk --rcpt "$addr_t" --rcpt tom.baker@northmoor.gov.uk "$W/msg/reply-t.eml"
sent_t=$SENT
wait_until 30 at_sink "<integ-t-r-$RUN@$DOM>"
row=$(sink_row "<integ-t-r-$RUN@$DOM>" | head -n 1)
review show "$hid_t"; shown_t=$REV
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && [ "$(col 4 "$row")" = tom.baker@northmoor.gov.uk ] &&
  grep -q "explained my statement" <<< "$shown_t"; r=$?
result "$r" "(t) a reply to the notice copied to another person: recorded against the hold, the reply address removed, the other recipient served" \
  "client: $sent_t" "at the sink: $(sink_desc "$row")" "$(milterlog "reply from")"

# (s) an authenticated client with an envelope sender outside the council is checked (its breach
# is held) but never sent a notice: no backscatter
sink_snapshot "$W/snap-s"
mid_s="<integ-s-$RUN@$DOM>"
send --message-id "$mid_s" --xclient-login campaign.volunteer --from volunteer@example.org \
  --rcpt news@northmoorgazette.co.uk "$MSGS/officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml"
sent_s=$SENT
wait_until 30 in_hold "$mid_s"; held_s=$?
mo_s() { [ -n "$(notices_since "$W/snap-s" monitoring.officer@northmoor.gov.uk)" ]; }
wait_until 30 mo_s
sleep 1
[ "$held_s" = 0 ] && [ -z "$(notices_since "$W/snap-s" volunteer@example.org)" ] && ! at_sink "$mid_s" &&
  [ -z "$(sink_table | awk -F'\t' '$4 ~ /example\.org/' | grep -v -F -f "$W/snap-s")" ]; r=$?
result "$r" "(s) an authenticated sender outside the council is checked and held, and gets no notice (no backscatter)" \
  "client: $sent_s; held: $([ "$held_s" = 0 ] && echo yes || echo no)" \
  "notices to volunteer@example.org: $(notices_since "$W/snap-s" volunteer@example.org | wc -l)" \
  "$(milterlog 'no notice to volunteer')"

# (v) deciding held mail by reply to the Monitoring Officer's notice (issue 11)
. "$HERE/decide.sh"

# (u) contrib/postfix: the council-senders check of main.cf.snippet, applied to this instance as
# shipped (smtpd_sender_restrictions, the table contrib/postfix/council-senders): a client on the
# internet (XCLIENT ADDR, outside mynetworks) using a council envelope sender is refused at RCPT TO
# unless it logged in; logged in (authenticated submission) it is accepted and checked; an outside
# sender from the internet, and a council sender from the council's own network, are not refused
# snippet_value FILE PARAM: PARAM's value in the main.cf lines of FILE, continuation lines joined
snippet_value() {
  awk -v p="$2" 'on && /^[ \t]/ { v = v " " $0; next } on { exit }
                 $0 ~ "^" p " *=" { on = 1; v = $0; sub(/^[^=]*= */, "", v) }
                 END { gsub(/[ \t]+/, " ", v); print v }' "$1"
}
restr_u=$(snippet_value "$SRC/contrib/postfix/main.cf.snippet" smtpd_sender_restrictions)
restr_u=${restr_u//\/etc\/postfix\//$PF/conf/}
cp "$SRC/contrib/postfix/council-senders" "$PF/conf/council-senders"
# permit_sasl_authenticated acts only where SASL is on: Cyrus SASL with its configuration here (the
# XCLIENT LOGIN below stands for a login; no password is checked)
printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nsasldb_path: %s/conf/sasldb2\nmech_list: PLAIN LOGIN\n' \
  "$PF" > "$PF/conf/smtpd.conf"
postconf -c "$PF/conf" -e "smtpd_sender_restrictions = $restr_u" "relay_domains = northmoor.gov.uk" \
    "smtpd_sasl_auth_enable = yes" "cyrus_sasl_config_path = $PF/conf" &&
  postfix -c "$PF/conf" reload > "$W/reload-u.log" 2>&1; rc=$?
result "$rc" "(u) the snippet's smtpd_sender_restrictions and council-senders table load" \
  "smtpd_sender_restrictions = $restr_u" "$(cat "$W/reload-u.log")"
sleep 2   # the smtpd processes of the old configuration finish
clean_u=$MSGS/officer-criticism/compliant/policy-criticism-library-closure-to-members.eml
internet_u=203.0.113.25
send --message-id "<integ-u1-$RUN@$DOM>" --xclient-addr "$internet_u" \
  --from cllr.jane.smith@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$clean_u"
sent_u1=$SENT rc_u1=$SENT_RC
send --message-id "<integ-u2-$RUN@$DOM>" --xclient-addr "$internet_u" \
  --from Planning@Housing.NORTHMOOR.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$clean_u"
sent_u2=$SENT rc_u2=$SENT_RC
[ "$rc_u1" = 1 ] && [ "$rc_u2" = 1 ] && grep -qE '^5[0-9][0-9] .*council address' <<< "$sent_u1" &&
  grep -qE '^5[0-9][0-9] .*council address' <<< "$sent_u2"; r=$?
sleep 1
! at_sink "<integ-u1-$RUN@$DOM>" && ! at_sink "<integ-u2-$RUN@$DOM>" || r=1
result "$r" "(u) unauthenticated mail from the internet with a council sender (any case, a subdomain) is refused at RCPT TO" \
  "client, council sender: $sent_u1" "client, subdomain sender: $sent_u2" \
  "$(maillog 'Sender address rejected' | tail -n 2)"
mid_u3="<integ-u3-$RUN@$DOM>"
send --message-id "$mid_u3" --xclient-addr "$internet_u" --xclient-login cllr.jane.smith \
  --from cllr.jane.smith@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$clean_u"
sent_u3=$SENT
wait_until 30 at_sink "$mid_u3"
row=$(sink_row "$mid_u3" | head -n 1)
[ "$SENT_RC" = 0 ] && [ -n "$row" ] && [ -n "$(milterlog "from=<cllr.jane.smith@northmoor.gov.uk>" | grep -F "$(queue_id "$sent_u3")")" ]; r=$?
result "$r" "(u) the same sender logged in from the internet (authenticated submission) is accepted, checked by the filter and delivered" \
  "client: $sent_u3" "at the sink: $(sink_desc "$row")" "$(milterlog "$(queue_id "$sent_u3")")"
mid_u4="<integ-u4-$RUN@$DOM>"
send --message-id "$mid_u4" --xclient-addr "$internet_u" \
  --from resident@example.org --rcpt cllr.raj.patel@northmoor.gov.uk "$clean_u"
sent_u4=$SENT rc_u4=$SENT_RC
mid_u5="<integ-u5-$RUN@$DOM>"
send --message-id "$mid_u5" --from cllr.jane.smith@northmoor.gov.uk --rcpt cllr.raj.patel@northmoor.gov.uk "$clean_u"
sent_u5=$SENT rc_u5=$SENT_RC
wait_until 30 at_sink "$mid_u4"; wait_until 30 at_sink "$mid_u5"
[ "$rc_u4" = 0 ] && [ "$rc_u5" = 0 ] && at_sink "$mid_u4" && at_sink "$mid_u5"; r=$?
result "$r" "(u) an outside sender from the internet, and a council sender from the council's network, are not refused by it" \
  "client, outside sender from the internet: $sent_u4" "client, council sender from mynetworks: $sent_u5"

# ------------------------------------------------------------------ end
milter_stop
echo "1..$N"
echo "# $PASSED passed, $FAILED failed"
echo "integration: $PASSED passed, $FAILED failed"
if [ "$FAILED" -gt 0 ]; then
  echo "# the milter's log (last 40 lines):"; tail -n 40 "$MD/milter.log" | sed 's/^/#   /'
fi
[ "$FAILED" = 0 ]

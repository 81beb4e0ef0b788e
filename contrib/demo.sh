#!/usr/bin/env bash
# demo.sh: watch council-milter judge real mail behind a real Postfix.
#
#   sudo bash contrib/demo.sh [--keep] [--no-install] [BUILDDIR [SRCDIR]]
#
# For a mail administrator meeting the filter for the first time.  In under a
# minute, and without touching the machine's own mail system, it
#
#   1. starts council-milter with the example council (Northmoor District
#      Council, config/) and the example policy as shipped:
#      bcc-member=warn, officer-criticism=hold, member-obligation=hold;
#   2. starts a private Postfix on 127.0.0.1 that asks the filter about every
#      message, and an smtp-sink behind it that keeps every message Postfix
#      delivers in a file (nothing leaves this machine);
#   3. sends example messages from tests/messages (two breaches and one
#      compliant message per rule) and one message from a resident outside the
#      council, each with the envelope a mail client would give it (MAIL FROM
#      the From address, RCPT TO every To, Cc and Bcc address);
#   4. then changes member-obligation to reject, reloads the filter the way
#      `systemctl reload council-milter` does (SIGUSR1), and sends one of that
#      rule's breaches again: the same message is now refused at SMTP;
#   5. says for each message what happened: delivered (with the filter's
#      X-Council-Protocol headers), held in the filter's hold spool (the
#      Monitoring Officer is told, with the message attached), or refused,
#      the filter's log lines, and the protocol notice the sender got;
#   6. then plays the Monitoring Officer's day with one held message (an
#      officer-criticism breach): council-review list, the sender explains by
#      replying to the hold notice, council-review show, release (the message
#      is delivered once, marked as released) and audit; and ends it deciding
#      two more without a shell (contrib/demo-decide.sh):
#      - on the web page: a Monitoring Officer account (council-review user
#        add), council-review-web on a free loopback port (--insecure-cookie:
#        plain HTTP on loopback), and curl as the browser: sign in with the
#        form's CSRF token, the queue, the held message, release with a note;
#        the message is delivered once;
#      - by reply: the reject address from the Monitoring Officer's notice of
#        another hold, a reply to it with the reason, sent logged in (XCLIENT
#        LOGIN, which the private Postfix allows from loopback); the audit
#        trail names the Monitoring Officer's address, and the sender's
#        notice carries the reason;
#   7. ends with a summary table and where the logs are.
#
# BUILDDIR holds the council-milter, council-review and council-review-web
# binaries (default: $TOP_BUILDDIR, else build/ in this checkout, where
# contrib/run.sh builds); SRCDIR is the source tree (default: $TOP_SRCDIR,
# else this checkout).  The web page's step needs curl, and is skipped
# without it or council-review-web.  It must run as root (the Postfix
# master, smtp-sink), and installs Postfix from Debian's archive when it is
# missing, leaving no Postfix service running or enabled (--no-install: do
# not).  Everything it starts (the filter, Postfix, the web page) is stopped
# on exit, by pid; its work directory under /tmp is removed unless --keep is
# given, and then the report ends with the command that starts the web page
# again on it, and the page's address, account and password (this run's).

set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KEEP=0 INSTALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1; shift;;
    --no-install) INSTALL=0; shift;;
    -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0;;
    -*) echo "demo.sh: unknown option $1 (see --help)" >&2; exit 2;;
    *) break;;
  esac
done
BUILD=${1:-${TOP_BUILDDIR:-$top/build}}
SRC=$(cd "${2:-${TOP_SRCDIR:-$top}}" 2>/dev/null && pwd) || { echo "demo.sh: no source tree at ${2:-${TOP_SRCDIR:-$top}}" >&2; exit 2; }
MILTER_BIN=$BUILD/council-milter
MSGS=$SRC/tests/messages

[ "$(id -u)" = 0 ] || { echo "demo.sh: this runs a private Postfix instance and must run as root: sudo bash contrib/demo.sh" >&2; exit 1; }
if [ ! -f "$SRC/tests/integration/postfix.sh" ] || [ ! -f "$SRC/config/council-milter.conf" ]; then
  echo "demo.sh: $SRC is not a council-milter source tree" >&2; exit 2
fi
[ -x "$MILTER_BIN" ] || {
  echo "demo.sh: no council-milter binary in $BUILD." >&2
  echo "  Build it first (bash contrib/run.sh demo configures build/, then make -C build council-milter)," >&2
  echo "  or name the build directory: sudo bash contrib/demo.sh BUILDDIR (or TOP_BUILDDIR=BUILDDIR)." >&2
  exit 1; }
MILTER_BIN=$(cd "$(dirname "$MILTER_BIN")" && pwd)/council-milter
REVIEW_BIN=$(dirname "$MILTER_BIN")/council-review   # the Monitoring Officer's command, built beside it
[ -x "$REVIEW_BIN" ] ||
  echo "demo.sh: no council-review in $BUILD: the Monitoring Officer's day will be skipped (make -C $BUILD council-review)" >&2
WEB_BIN=$(dirname "$MILTER_BIN")/council-review-web  # the web review page, built beside it
[ -x "$WEB_BIN" ] ||
  echo "demo.sh: no council-review-web in $BUILD: the web page's step will be skipped (make -C $BUILD council-review-web)" >&2
command -v curl > /dev/null ||
  echo "demo.sh: no curl: the web page's step will be skipped (apt-get install curl)" >&2

PF_LIFETIME=${PF_LIFETIME:-300}     # the instance stops by itself after 5 minutes, should we die
# shellcheck source=/dev/null
. "$SRC/tests/integration/postfix.sh"

# The messages sent with the shipped policy, from tests/messages: two breaches
# and one compliant message (a near miss) per rule.
MESSAGES=(
  bcc-member/breach/member-to-head-of-planning-bcc-leader.eml
  bcc-member/breach/head-of-housing-to-member-bcc-cabinet-member-qp.eml
  bcc-member/compliant/disclosure-cc-councillor-surname.eml
  officer-criticism/breach/head-of-planning-incompetent-to-members.eml
  officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml
  officer-criticism/compliant/policy-criticism-library-closure-to-members.eml
  member-obligation/breach/council-will-pay-boundary-wall-to-resident.eml
  member-obligation/breach/please-proceed-with-contract-html-only.eml
  member-obligation/compliant/council-will-consider-claim-deliberative.eml
)
# The breach sent again once member-obligation is reject.
REJECT_DEMO=member-obligation/breach/council-will-pay-boundary-wall-to-resident.eml
# The held message the Monitoring Officer's day follows (sent with the shipped policy above),
# the sender's explanation by reply, and the Monitoring Officer's note on releasing it.
MO_DEMO=officer-criticism/breach/head-of-planning-incompetent-to-members.eml
MO_EXPLANATION="It went to my two ward colleagues only; I have raised the delay with the Chief Executive."
MO_NOTE="Ward members only; the concern is now with the Chief Executive."
# (the two held messages decided without a shell at the end of the day are in contrib/demo-decide.sh)

# ------------------------------------------------------------------ work dir, cleanup
W=$(mktemp -d "${TMPDIR:-/tmp}/council-demo.XXXXXX") || exit 1
chmod 755 "$W"                       # Postfix's processes (user postfix) traverse it
PF=$W/postfix                        # the Postfix instance (postfix.sh's layout)
MD=$W/milter                         # the filter's configuration, log, temp dir, hold spool (hold/)
CONF=$MD/council-milter.conf
MLOG=$MD/milter.log
mkdir -p "$MD/tmp" "$MD/hold" "$W/messages"
MILTER_PID=""
# shellcheck source=/dev/null
. "$SRC/contrib/demo-decide.sh"      # mo_web, mo_reply: deciding on the web page and by reply (sets WEB_PID)
N=0                                  # messages sent so far
T_MSG=() T_EXP=() T_OUT=() T_OK=()   # the summary table's rows
declare -A NUM_OF=()                 # Message-ID -> its number in the report

# cleanup: stop the web page, the filter and the Postfix instance by their pids; remove the work dir
# unless --keep
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  [ -n "$WEB_PID" ] && pf_stop_pid "$WEB_PID" 5
  [ -n "$MILTER_PID" ] && pf_stop_pid "$MILTER_PID" 8
  pf_stop "$PF" 2>/dev/null
  if [ "$KEEP" = 1 ]; then
    echo "Kept the work directory $W (everything in it is stopped)."
  else
    rm -rf "$W"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "demo.sh: interrupted, stopping everything"; exit 130' INT TERM HUP

# ------------------------------------------------------------------ helpers
# say TEXT...: a line of the report
say() { printf '%s\n' "$*"; }

# heading TEXT: a section title
heading() { printf '\n== %s\n\n' "$*"; }

# die TEXT: give up, with the reason
die() { echo "demo.sh: $*" >&2; exit 1; }

# indent PREFIX: copy standard input, each line behind PREFIX
indent() { local line; while IFS= read -r line; do printf '%s%s\n' "$1" "$line"; done; }

# pyhelp CMD ARGS...: the demo's small Python helpers (message headers, the sink's files)
pyhelp() {
  "$PY" - "$@" <<'PY'
import email, email.policy, os, sys, time
from email.header import decode_header, make_header
from email.utils import getaddresses

cmd, args = sys.argv[1], sys.argv[2:]

def load(path, policy=email.policy.compat32):
    with open(path, "rb") as fh:
        return email.message_from_binary_file(fh, policy=policy)

def clean(value):
    """A header value on one line, RFC 2047 words decoded."""
    try:
        value = str(make_header(decode_header(str(value or ""))))
    except Exception:
        value = str(value or "")
    return " ".join(value.split())

def sink_files(sink, snapshot):
    """The complete sink files that were not there when SNAPSHOT was written."""
    old = set(open(snapshot).read().split()) if snapshot else set()
    for name in sorted(os.listdir(sink)):
        path = os.path.join(sink, name)
        if path in old or time.time() - os.stat(path).st_mtime < 0.3:
            continue
        yield path

if cmd == "envelope":
    # FILE: the From address, the Subject, the Message-ID, then "To|Cc|Bcc ADDRESS" lines
    m = load(args[0])
    sender = getaddresses(m.get_all("From", []))
    print(sender[0][1] if sender else "")
    print(clean(m.get("Subject")) or "(no subject)")
    print(clean(m.get("Message-ID")))
    seen = set()
    for field in ("To", "Cc", "Bcc"):
        for _, addr in getaddresses(m.get_all(field, [])):
            if addr and addr.lower() not in seen:
                seen.add(addr.lower())
                print(field, addr)
elif cmd in ("delivered", "notice"):
    # SINK SNAPSHOT MESSAGE-ID: the new sink file holding that message (delivered)
    # or the protocol notice about it (notice: its In-Reply-To is that Message-ID)
    sink, snapshot, mid = args
    for path in sink_files(sink, snapshot):
        m = load(path)
        auto = clean(m.get("Auto-Submitted")).lower().startswith("auto-generated")
        if cmd == "delivered" and not auto and clean(m.get("Message-ID")) == mid:
            print(path); break
        if cmd == "notice" and auto and clean(m.get("In-Reply-To")) == mid:
            print(path); break
elif cmd in ("held", "settled"):
    # held SPOOL MESSAGE-ID: the hold id of that message in the filter's hold spool (SPOOL/held/ID.eml)
    # settled SPOOL SINK SNAPSHOT MESSAGE-ID: "held ID", or "delivered FILE" for a new sink file
    spool, mid = args[0], args[-1]
    held = os.path.join(spool, "held")
    for name in sorted(os.listdir(held)) if os.path.isdir(held) else []:
        if name.endswith(".eml") and clean(load(os.path.join(held, name)).get("Message-ID")) == mid:
            print(name[:-4] if cmd == "held" else "held " + name[:-4]); break
    else:
        if cmd == "settled":
            for path in sink_files(args[1], args[2]):
                m = load(path)
                if not clean(m.get("Auto-Submitted")).lower().startswith("auto-generated") \
                        and clean(m.get("Message-ID")) == mid:
                    print("delivered " + path); break
elif cmd == "mail-to":
    # SINK SNAPSHOT ADDRESS TEXT: the first new automatic mail at the sink To ADDRESS whose Subject has TEXT
    sink, snapshot, rcpt, text = args
    for path in sink_files(sink, snapshot):
        m = load(path)
        if clean(m.get("Auto-Submitted")).lower().startswith("auto-generated") \
                and rcpt.lower() in [a.lower() for _, a in getaddresses(m.get_all("To", []))] \
                and text in clean(m.get("Subject")):
            print(path); break
elif cmd == "count":
    # SINK MESSAGE-ID: how many copies of that message (not notices) the sink has
    copies = 0
    for path in sink_files(args[0], ""):
        m = load(path)
        if clean(m.get("Message-ID")) == args[1] \
                and not clean(m.get("Auto-Submitted")).lower().startswith("auto-generated"):
            copies += 1
    print(copies)
elif cmd == "address":
    # FILE NAME: the first address in header NAME
    found = getaddresses(load(args[0]).get_all(args[1], []))
    print(found[0][1] if found else "")
elif cmd == "headers":
    # FILE NAME: the values of header NAME, one a line
    for v in load(args[0]).get_all(args[1], []):
        print(clean(v))
elif cmd == "show-notice":
    # FILE LINES: To, Subject and the first LINES lines of the body of a notice
    m = load(args[0], email.policy.default)
    print(clean(m.get("To")))
    print("Subject: %s" % clean(m.get("Subject")))
    part = m.get_body(preferencelist=("plain",))
    lines = [l.rstrip() for l in (part.get_content() if part else "").strip("\n").splitlines()]
    for l in lines[:int(args[1])]:
        print("| " + l if l else "|")
    if len(lines) > int(args[1]):
        print("| [... %d more lines]" % (len(lines) - int(args[1])))
PY
}

# wait_until SECONDS CMD...: run CMD every 0.2 s until it succeeds; false on timeout
wait_until() {
  local secs=$1 i; shift
  for ((i = 0; i < secs * 5; i++)); do "$@" && return 0; sleep 0.2; done
  "$@"
}

# action_of RULE: the action configured for RULE in the demo's configuration now
action_of() { awk -v g="[rule:$1]" '$0 == g {in_g = 1; next} /^\[/ {in_g = 0} in_g && /^action=/ {sub(/^action=/, ""); print}' "$CONF"; }

# milter_start: start council-milter -f in the background (its own process group), wait for its socket
milter_start() {
  setsid "$MILTER_BIN" -f -c "$CONF" -P "$MD/milter.pid" >> "$MLOG" 2>&1 < /dev/null &
  MILTER_PID=$!
  disown "$MILTER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$MILTER_PID" 2>/dev/null || { MILTER_PID=""; return 1; }
    pf_waitport "$MPORT" 0.2 && return 0
  done
  return 1
}

# filter_log_since LINES: the filter's log lines after the first LINES, without the program name
filter_log_since() { tail -n +"$(($1 + 1))" "$MLOG" | sed 's/^council-milter: //'; }

# found VAR CMD...: run CMD; true, with its output in VAR, when it printed something
found() { local __v=$1; shift; printf -v "$__v" '%s' "$("$@")"; [ -n "${!__v}" ]; }

# in_hold MID: true when the filter's hold spool has a file for that Message-ID (sets HELD to its hold id)
in_hold() { found HELD pyhelp held "$MD/hold" "$1"; }

# settled MID: true once the message is in the hold spool (sets HELD) or at the sink (sets DELIVERED)
settled() {
  local state
  found state pyhelp settled "$MD/hold" "$PF/sink" "$W/snapshot" "$1" || return 1
  case "$state" in held\ *) HELD=${state#held };; *) DELIVERED=${state#delivered };; esac
}

# review ARGS...: council-review on this run's spool, as the demo runs it (-c the demo's configuration)
review() { "$REVIEW_BIN" -c "$CONF" "$@"; }

# as_typed ARGS...: say a council-review command as it is typed on a real relay, and as the demo runs it
as_typed() {
  local a shown=""
  for a in "$@"; do
    case "$a" in *[[:space:]\"\'\$]*) shown+=" \"$a\"";; *) shown+=" $a";; esac
  done
  say "  on a relay:  sudo -u council-milter council-review${shown}"
  say "  here:        $REVIEW_BIN -c $CONF${shown}"
}

# expected_for REL: the action the folder name and the policy in force predict for message REL
expected_for() {
  case "$1" in
    */breach/*) action_of "${1%%/*}";;
    *) echo accept;;
  esac
}

# send_one REL-OR-PATH LABEL: send one message through the filter and report what happened
send_one() {
  local file=$1 label=$2 rel expect from subject mid rcpts=() shown=() kind addr
  case "$file" in /*) rel="";; *) rel=$file; file=$MSGS/$rel;; esac
  N=$((N + 1))
  expect=$(expected_for "${rel:-inbound}")
  { read -r from; read -r subject; read -r mid
    while read -r kind addr; do
      rcpts+=("$addr")
      if [ "$kind" = Bcc ]; then shown+=("$addr (Bcc)"); else shown+=("$addr"); fi
    done; } < <(pyhelp envelope "$file")

  NUM_OF[$mid]=$N
  printf '[%d] %s\n' "$N" "$label"
  say "  Subject:  $subject"
  local joined
  joined=$(printf '%s, ' "${shown[@]}")
  say "  envelope: $from -> ${joined%, }"

  # send it, as a mail client would (send.py drops the Bcc header)
  local lines reply rc qid args=() r
  lines=$(wc -l < "$MLOG")
  pf_sink_files "$PF" > "$W/snapshot"
  for r in "${rcpts[@]}"; do args+=(--rcpt "$r"); done
  reply=$("$PY" "$SRC/tests/integration/send.py" --port "$SMTPD_PORT" --from "$from" "${args[@]}" "$file" 2>&1); rc=$?
  qid=$(sed -n 's/.*queued as \([0-9A-Za-z]*\).*/\1/p' <<< "$reply")

  local log outcome="" action="" notice=""
  log=$(filter_log_since "$lines")
  if [ -n "$log" ]; then
    say "  filter:   $(head -n 1 <<< "$log")"
    tail -n +2 <<< "$log" | indent "            "
  else
    say "  filter:   nothing logged: the sender is outside the council, so the filter let the"
    say "            message go at MAIL FROM without reading it"
  fi

  if [ "$rc" != 0 ]; then
    case "$reply" in
      5*) action=reject outcome="refused at SMTP (${reply%% *})"
          say "  result:   REFUSED at SMTP; the client, and so the sender, is told:"
          # send.py joins the reply's lines: one 550 line per "5.7.1"
          # shellcheck disable=SC2001
          sed 's/ \([45]\.[0-9]\.[0-9]\) /\n\1 /g' <<< "${reply#* }" | indent "            ${reply%% *} "
          say "            Nothing was queued: Postfix keeps no copy.";;
      *)  action=failed outcome="not accepted: ${reply%% *}"
          say "  result:   NOT ACCEPTED: $reply";;
    esac
  else
    DELIVERED="" HELD=""
    if ! wait_until 20 settled "$mid"; then
      action=failed outcome="no outcome after 20 s"
      say "  result:   accepted ($reply), but neither delivered nor held after 20 s; Postfix says:"
      grep -F "$qid" "$PF/maillog" | tail -n 3 | indent "            "
    elif [ -n "$HELD" ]; then
      action=hold outcome="held (id $HELD)"
      say "  result:   HELD for the Monitoring Officer, in the filter's hold spool: hold/held/$HELD.eml"
      say "            the client got \"$reply\"; Postfix was told to discard its own copy"
      grep -qF "$qid: milter-discard: END-OF-MESSAGE" "$PF/maillog" &&
        say "            (its maillog: $qid: milter-discard: END-OF-MESSAGE ... milter triggers DISCARD action)"
      local mofile="" motext
      if wait_until 15 found mofile pyhelp mail-to "$PF/sink" "$W/snapshot" "$MO" "($HELD)"; then
        motext=$(pyhelp show-notice "$mofile" 0)
        say "  MO told:  $(sed -n '2s/^Subject: //p' <<< "$motext"), to $MO, the message attached"
      else
        say "  MO told:  no notice to $MO reached the sink within 15 s (see the filter's log)"
      fi
    else
      local xcp
      xcp=$(pyhelp headers "$DELIVERED" X-Council-Protocol)
      if [ -n "$xcp" ]; then
        action=tag outcome="delivered, tagged"
        say "  result:   DELIVERED ($reply), with the header"
        indent "            X-Council-Protocol: " <<< "$xcp"
      else
        if [ -n "$log" ]; then action=accept; else action="not checked"; fi
        outcome="delivered untouched"
        say "  result:   DELIVERED untouched ($reply): no X-Council-Protocol header"
      fi
    fi
    # the protocol notice, when the filter says it sent one
    if grep -qE ': notice to [^ ]+ sent or queued' <<< "$log"; then
      local nfile="" ntext
      if wait_until 15 found nfile pyhelp notice "$PF/sink" "$W/snapshot" "$mid"; then
        notice=1
        ntext=$(pyhelp show-notice "$nfile" 6)
        say "  notice:   to $(head -n 1 <<< "$ntext") (the sender), as it reached the sink:"
        tail -n +2 <<< "$ntext" | indent "            "
      else
        say "  notice:   the filter sent one, but it did not reach the sink within 15 s (see the maillog)"
      fi
    elif [ -n "$log" ] && [ "$action" != accept ]; then
      say "  notice:   none"
    fi
  fi
  # what was seen, as the action that would produce it: a notice on a tagged message is warn
  [ "$action" = tag ] && [ -n "$notice" ] && action=warn
  [ -n "$notice" ] && outcome="$outcome, notice to sender"
  [ "$action" = "not checked" ] && action=accept
  say ""

  local folder
  if [ -n "$rel" ]; then folder="${rel%/*}"; folder="${folder/\// }"; else folder="from outside"; fi
  T_MSG+=("$(basename "${rel:-$file}" .eml)")
  T_EXP+=("$folder: $expect")
  T_OUT+=("$action: $outcome")
  if [ "$action" = "$expect" ]; then T_OK+=(ok); else T_OK+=("NOT AS EXPECTED"); fi
}

# summary: the table of every message sent, expected and seen
summary() {
  local i w=7 e=8
  for i in "${!T_MSG[@]}"; do
    [ "${#T_MSG[$i]}" -gt "$w" ] && w=${#T_MSG[$i]}
    [ "${#T_EXP[$i]}" -gt "$e" ] && e=${#T_EXP[$i]}
  done
  printf '  %-3s %-*s  %-*s  %s\n' "#" "$w" message "$e" "expected (folder: action)" "outcome"
  printf '  %-3s %-*s  %-*s  %s\n' "--" "$w" "$(printf '%*s' "$w" '' | tr ' ' -)" "$e" "$(printf '%*s' "$e" '' | tr ' ' -)" \
    "$(printf '%*s' 41 '' | tr ' ' -)"
  for i in "${!T_MSG[@]}"; do
    printf '  %-3s %-*s  %-*s  %s%s\n' "$((i + 1))" "$w" "${T_MSG[$i]}" "$e" "${T_EXP[$i]}" "${T_OUT[$i]}" \
      "$([ "${T_OK[$i]}" = ok ] || echo "   <-- ${T_OK[$i]}")"
  done
}

# ------------------------------------------------------------------ set up
START=$(date +%s)
say "council-milter demo: the filter behind a private Postfix on 127.0.0.1"
say "  filter:       $MILTER_BIN"
say "  source tree:  $SRC"
say "  work dir:     $W"
say "Nothing leaves this machine: Postfix relays all mail to an smtp-sink on 127.0.0.1"
say "that keeps each message it receives as a file."

if ! pf_installed; then
  [ "$INSTALL" = 1 ] || die "Postfix is not installed (run without --no-install to install it)"
  say "  installing Postfix from Debian's archive (once; no Postfix service is left running) ..."
  pf_install > "$W/install.log" 2>&1 || { cat "$W/install.log"; die "could not install Postfix"; }
fi

# the ports: the filter's, and Postfix's three (smtpd with the filter, notice listener, sink)
read -r MPORT < <(pf_freeports 1)
pf_setup "$PF" "inet:127.0.0.1:$MPORT" > "$W/setup.log" 2>&1 || { cat "$W/setup.log"; die "Postfix set-up failed"; }
pf_load "$PF"
while [ "$MPORT" = "$SMTPD_PORT" ] || [ "$MPORT" = "$REINJECT_PORT" ] || [ "$MPORT" = "$SINK_PORT" ]; do
  read -r MPORT < <(pf_freeports 1)
  pf_setup "$PF" "inet:127.0.0.1:$MPORT" > "$W/setup.log" 2>&1 || die "Postfix set-up failed"
  pf_load "$PF"
done

# the demo's configuration: the example's, with this run's socket, listeners and paths;
# release-smtp is the smtpd that asks the filter, as on a relay (127.0.0.1:25 there); the web
# page's accounts are this run's
cp "$SRC/config/council-milter.conf" "$CONF"
"$PY" "$SRC/tests/integration/conf-set.py" "$CONF" \
  milter socket "inet:$MPORT@127.0.0.1" \
  milter directory "$SRC/config/directory.conf" \
  milter temp-dir "$MD/tmp" \
  policy lexicon "$SRC/config/lexicon" \
  policy paragraphs "$SRC/config/paragraphs.conf" \
  policy weights "$SRC/config/weights.conf" \
  policy valence "$SRC/config/valence.txt" \
  notify smtp "127.0.0.1:$REINJECT_PORT" \
  hold spool "$MD/hold" \
  hold release-smtp "127.0.0.1:$SMTPD_PORT" \
  web accounts "$MD/web-accounts" || die "cannot write $CONF"
# the Monitoring Officer: [hold] monitoring-officer is not set, so the directory's
MO=$(sed -n 's/^monitoring-officer=//p' "$SRC/config/directory.conf" | head -n 1)

heading "The filter's configuration (council-milter -n -c $CONF)"
say "The example's (config/council-milter.conf) with only the socket, the notice listener,"
say "the release listener ([hold] release-smtp) and the paths (the web page's accounts too)"
say "changed for this run:"
say ""
check=$("$MILTER_BIN" -n -c "$CONF" 2>&1) || { echo "$check"; die "the configuration does not load"; }
indent "  " <<< "$check"
say ""
say "What the actions mean: warn = delivered, tagged with X-Council-Protocol headers, and the"
say "sender gets a protocol notice; hold = not delivered, kept in the filter's hold spool"
say "([hold] spool) until the Monitoring Officer ($MO, told at once, with the"
say "message attached) releases or rejects it with council-review, and the sender gets a notice"
say "they can reply to; reject = refused at SMTP with 550 5.7.1 (no rule rejects in the shipped"
say "policy: a later message shows it, with a changed policy)."

heading "Starting"
milter_start || { cat "$MLOG"; die "council-milter did not start"; }
say "  council-milter   pid $MILTER_PID, listening on inet:$MPORT@127.0.0.1, log: $MLOG"
pf_start "$PF" > "$W/start.log" 2>&1 || { cat "$W/start.log"; die "Postfix did not start"; }
say "  Postfix          127.0.0.1:$SMTPD_PORT (smtpd_milters = inet:127.0.0.1:$MPORT), log: $PF/maillog"
say "                   the same port takes the mail council-review releases ([hold] release-smtp)"
say "                   127.0.0.1:$REINJECT_PORT, no filter: takes the filter's notices ([notify] smtp)"
say "  smtp-sink        127.0.0.1:$SINK_PORT, where Postfix relays everything: one file per message"

# ------------------------------------------------------------------ the shipped policy
heading "Sending ${#MESSAGES[@]} example messages and one from outside, with the shipped policy"
for rel in "${MESSAGES[@]}"; do
  send_one "$rel" "tests/messages/$rel"
done

cat > "$W/messages/resident-writes-to-councillors.eml" <<'EOF'
From: Grace Okafor <grace.okafor@hotmail.co.uk>
To: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>
Cc: Cllr Raj Patel <cllr.raj.patel@northmoor.gov.uk>
Subject: Mill Lane planning application
Date: Mon, 3 Jun 2024 10:00:00 +0100
Message-ID: <go-millane-demo@hotmail.co.uk>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Dear Councillors,

The Head of Planning is incompetent and Mr Baker misled residents about the
drainage plan. The council will pay for this, I am told.

Grace Okafor, Brook Street
EOF
send_one "$W/messages/resident-writes-to-councillors.eml" \
  "a resident writes to two councillors (a message the demo writes: criticism of officers, from outside)"

# ------------------------------------------------------------------ member-obligation = reject
heading "Changing member-obligation from hold to reject, and reloading"
"$PY" "$SRC/tests/integration/conf-set.py" "$CONF" rule:member-obligation action reject
say "  [rule:member-obligation] action=reject in $CONF, then kill -USR1 $MILTER_PID"
say "  (what systemctl reload council-milter does, after checking the file with council-milter -n):"
check=$("$MILTER_BIN" -n -c "$CONF" 2>&1) || { echo "$check"; die "the changed configuration does not load"; }
lines=$(wc -l < "$MLOG")
kill -USR1 "$MILTER_PID"
reloaded() { filter_log_since "$lines" | grep -q 'configuration reloaded\|reload refused'; }
wait_until 10 reloaded || die "council-milter did not answer the reload: $(tail -n 5 "$MLOG")"
filter_log_since "$lines" | sed 's/: /:\n/; s/;\([a-z]\)/\n\1/g; s/;$//' | sed '1!s/^/  /' | indent "  "
filter_log_since "$lines" | grep -q 'reload refused' && die "the reload was refused"
say ""
send_one "$REJECT_DEMO" "tests/messages/$REJECT_DEMO (again)"

# ------------------------------------------------------------------ the Monitoring Officer's day
# row MESSAGE EXPECTED OUTCOME OK: a row of the summary table for a step of this act
row() { T_MSG+=("$1"); T_EXP+=("$2"); T_OUT+=("$3"); T_OK+=("$4"); }

# mo_day: one held message from arrival to release, as the Monitoring Officer and its sender see it
mo_day() {
  local env="" mid="" from="" subject="" id="" nfile="" addr="" nsubj="" nref="" reply="" rc=0 lines=0
  local log="" mofile="" copies=0 xcp="" ok="" out=""
  env=$(pyhelp envelope "$MSGS/$MO_DEMO")
  from=$(sed -n 1p <<< "$env") subject=$(sed -n 2p <<< "$env") mid=$(sed -n 3p <<< "$env")
  if ! in_hold "$mid"; then
    say "  $MO_DEMO was not held above, so there is nothing to review."
    N=$((N + 1)); row "$(basename "$MO_DEMO" .eml)" "MO's day: held, explained, released" "not held" "NOT AS EXPECTED"
    return 1
  fi
  id=$HELD

  say "The Monitoring Officer ($MO) was told of each held message by"
  say "mail as it was held (\"MO told\" above), with the message attached. What is waiting can be"
  say "listed at any time (and council-review digest mails the list every working morning,"
  say "from contrib/council-review.timer):"
  say ""
  as_typed list
  say ""
  review list 2>&1 | indent "    "
  say ""
  say "The act follows $id, message [${NUM_OF[$mid]:-?}] above: \"$subject\" from $from."

  # the sender explains, by replying to the hold notice
  say ""
  N=$((N + 1))
  printf '[%d] %s\n' "$N" "the sender explains, by replying to the hold notice"
  nfile=$(pyhelp notice "$PF/sink" "" "$mid")
  [ -n "$nfile" ] && addr=$(pyhelp address "$nfile" Reply-To)
  if [ -z "$nfile" ] || [ -z "$addr" ]; then
    say "  the hold notice to $from, with its Reply-To, is not at the sink: the sender cannot reply"
    row "reply to the hold notice" "MO's day: explained" "no notice with a reply address" "NOT AS EXPECTED"
  else
    nsubj=$(pyhelp headers "$nfile" Subject)
    nref=$(pyhelp headers "$nfile" Message-ID)
    say "  the notice: To $from, Subject: $nsubj (at the sink: $(basename "$nfile"))"
    say "  Reply-To:   $(pyhelp headers "$nfile" Reply-To)"
    { printf 'From: %s\nTo: Monitoring Officer review <%s>\nSubject: Re: %s\n' \
        "$(pyhelp headers "$MSGS/$MO_DEMO" From)" "$addr" "$nsubj"
      printf 'Date: %s\nMessage-ID: <explain-%s@northmoor.gov.uk>\n' "$(date -R)" "$$"
      printf 'In-Reply-To: %s\nReferences: %s\n' "$nref" "$nref"
      printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n%s\n\n' "$MO_EXPLANATION"
      printf 'On %s, Member/Officer Protocol wrote:\n' "$(date -R)"
      pyhelp show-notice "$nfile" 3 | sed -n '3,5s/^| \{0,1\}/> /p'
    } > "$W/messages/explanation-reply.eml"
    say "  the reply:  from $from to that address, as the sender's mail client sends it:"
    indent "              | " < "$W/messages/explanation-reply.eml"
    lines=$(wc -l < "$MLOG")
    pf_sink_files "$PF" > "$W/snapshot"
    reply=$("$PY" "$SRC/tests/integration/send.py" --port "$SMTPD_PORT" --from "$from" --rcpt "$addr" \
            "$W/messages/explanation-reply.eml" 2>&1); rc=$?
    say "  SMTP:       $reply"
    log=$(filter_log_since "$lines")
    say "  filter:     $(head -n 1 <<< "$log")"
    tail -n +2 <<< "$log" | indent "              "
    mofile=""
    wait_until 15 found mofile pyhelp mail-to "$PF/sink" "$W/snapshot" "$MO" "Held message $id: explained"
    if [ -n "$mofile" ]; then
      say "  MO told:    $(pyhelp show-notice "$mofile" 0 | sed -n '2s/^Subject: //p')"
    else
      say "  MO told:    no notice of the explanation reached the sink within 15 s"
    fi
    copies=$(pyhelp count "$PF/sink" "<explain-$$@northmoor.gov.uk>")
    say "  the reply itself was delivered nowhere: $copies copies at the sink"
    if [ "$rc" = 0 ] && grep -q 'explained by its sender' <<< "$log" && [ -n "$mofile" ] && [ "$copies" = 0 ]; then
      row "reply to the hold notice" "MO's day: explained" "explained: recorded, MO told, delivered nowhere" ok
    else
      row "reply to the hold notice" "MO's day: explained" "SMTP $reply; see the filter's log" "NOT AS EXPECTED"
    fi
  fi

  # the review
  say ""
  say "The Monitoring Officer reads the case: the findings with the paragraph, the sender's"
  say "explanation, the message's text and what has happened to it so far."
  say ""
  as_typed show "$id"
  say ""
  review show "$id" 2>&1 | indent "    "

  # the release
  say ""
  N=$((N + 1))
  printf '[%d] %s\n' "$N" "the Monitoring Officer releases it"
  as_typed release "$id" --note "$MO_NOTE"
  lines=$(wc -l < "$MLOG")
  pf_sink_files "$PF" > "$W/snapshot"
  out=$(review release "$id" --note "$MO_NOTE" 2>&1); rc=$?
  indent "    " <<< "$out"
  [ "$rc" = 0 ] || say "    (council-review exited $rc)"
  DELIVERED=""
  wait_until 20 found DELIVERED pyhelp delivered "$PF/sink" "$W/snapshot" "$mid"
  sleep 1                                  # a second copy, were there one, would be here by now
  log=$(filter_log_since "$lines")
  [ -n "$log" ] && { say "  filter:     $(head -n 1 <<< "$log")"; tail -n +2 <<< "$log" | indent "              "; }
  copies=$(pyhelp count "$PF/sink" "$mid")
  if [ -n "$DELIVERED" ]; then
    xcp=$(pyhelp headers "$DELIVERED" X-Council-Protocol)
    say "  at the sink: $copies copy of $mid, envelope $(pyhelp headers "$DELIVERED" X-Mail-Args | cut -d' ' -f1) ->" \
        "$(pyhelp headers "$DELIVERED" X-Rcpt-Args | cut -d' ' -f1 | paste -sd, | sed 's/,/, /g')"
    indent "              X-Council-Protocol: " <<< "$xcp"
    [ -n "$(pyhelp headers "$DELIVERED" X-Council-Protocol-Release)" ] &&
      say "              (and the release mark X-Council-Protocol-Release, which the filter should have removed)"
  else
    say "  at the sink: nothing after 20 s; Postfix says:"
    tail -n 3 "$PF/maillog" | indent "              "
  fi
  ok="NOT AS EXPECTED"
  [ "$rc" = 0 ] && [ "$copies" = 1 ] && [ "$xcp" = "released by the Monitoring Officer" ] &&
    [ -z "$(pyhelp headers "$DELIVERED" X-Council-Protocol-Release)" ] && ok=ok
  row "$(basename "$MO_DEMO" .eml)" "MO's day: released" \
    "released: $(case "$copies" in 0) echo "not delivered";; 1) echo "delivered once, marked released";;
                 *) echo "delivered $copies times";; esac)" "$ok"

  # the audit trail
  say ""
  say "Every event, with who and when (the reviewer is the login name sudo gives, SUDO_USER):"
  say ""
  as_typed audit "$id"
  say ""
  review audit "$id" 2>&1 | indent "    "
}

heading "The Monitoring Officer's day"
if [ -x "$REVIEW_BIN" ]; then
  mo_day
  say ""
  say "The Monitoring Officer need not open a shell on the relay at all: two more held messages are"
  say "decided where a lawyer reads mail, on the web page and by replying to the notice of a hold."
  say ""
  if [ -x "$WEB_BIN" ] && command -v curl > /dev/null; then
    mo_web
  else
    say "  The web page is skipped: it needs council-review-web in $BUILD (make -C $BUILD"
    say "  council-review-web) and curl."
  fi
  mo_reply
else
  say "  Skipped: there is no council-review in $BUILD. Build it (make -C $BUILD council-review)"
  say "  and run the demo again to see the held messages reviewed, explained and released."
fi

# ------------------------------------------------------------------ the end
heading "Summary"
summary
say ""
DIFFER=0
for ok in "${T_OK[@]}"; do [ "$ok" = ok ] || DIFFER=$((DIFFER + 1)); done
if [ "$DIFFER" = 0 ]; then
  say "Every message was handled as its folder and the policy in force say it should be."
else
  say "$DIFFER of $N messages were NOT handled as expected: see their reports above and the logs."
fi
say ""
say "Held messages stay in the filter's hold spool until the Monitoring Officer acts. On a real"
say "relay, as the daemon's user (council-review(8); README.md, \"The Monitoring Officer's day\"):"
say "  sudo -u council-milter council-review list                     what is waiting"
say "  sudo -u council-milter council-review show ID                  one in full: why, the explanation, the text"
say "  sudo -u council-milter council-review release ID --note TEXT   delivered once, to its original recipients"
say "  sudo -u council-milter council-review reject ID --reason TEXT  never delivered; the sender is told why"
say "  sudo -u council-milter council-review audit ID                 who did what, and when"
say "or without a shell: on the web page (council-review-web(8)), or by replying to the release or"
say "reject address in the Monitoring Officer's notice of the hold (council-milter(8))."
[ "$KEEP" = 1 ] && [ -x "$REVIEW_BIN" ] && say "This run's held messages can still be read: $REVIEW_BIN -c $CONF list"
if [ "$KEEP" = 1 ] && [ -n "$WEB_PID" ]; then
  say "and on the web page: start it with"
  say "  $WEB_BIN -c $CONF --listen ${WEB_URL#http://} --insecure-cookie &"
  say "then open $WEB_URL/ in a browser on this machine, as $WEB_USER with the password above"
  say "(reading only: releasing needs the demo's Postfix, which is stopped; stop the page with kill %1)."
fi
say ""
say "The logs of this run:"
say "  the filter's log:     $MLOG"
say "  Postfix's maillog:    $PF/maillog"
say "  the delivered mail:   $PF/sink/ (one file per message, notices included)"
say "  the hold spool:       $MD/hold/ (held/ID.eml, index.sqlite, outbox/)"
[ -n "$WEB_PID" ] &&
  say "  the web page's log:   $MD/web.log (what it says on starting; its requests go to syslog, facility mail)"
if [ "$KEEP" = 1 ]; then
  say "They are kept (--keep); everything that ran is stopped now."
else
  say "They are removed now; run with --keep to keep them."
fi
say "Took $(( $(date +%s) - START )) s; stopping council-milter, Postfix$([ -n "$WEB_PID" ] && echo " and the web page")."
[ "$DIFFER" = 0 ]

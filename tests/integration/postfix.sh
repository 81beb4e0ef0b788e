#!/usr/bin/env bash
# postfix.sh: a private Postfix instance on loopback for the integration test,
# with an smtp-sink behind it.  Nothing under /etc/postfix is read or changed
# and no system Postfix service is started: the instance has its own config,
# queue and data directories under a work directory, and every process it
# starts is recorded by pid and stopped by that pid (then by its process group).
#
# Layout of a work directory W (made by pf_setup):
#   W/ports.env        SMTPD_PORT (the milter listener), REINJECT_PORT (the
#                      notice listener, no milters), SINK_PORT, MILTER (the
#                      smtpd_milters value), shell syntax
#   W/conf/            main.cf, master.cf          W/queue/, W/data/
#   W/maillog          Postfix's log (postlogd)    W/sink/  one file per message
#   W/pids/NAME.pid    the processes we started (master, sink)
#
# Use as a library (source it; run.sh does) or as a command:
#   postfix.sh install                     apt-get install postfix (no service left running)
#   postfix.sh setup W [MILTER]            write the instance; MILTER in Postfix notation
#                                          (inet:127.0.0.1:PORT or unix:/path), empty = none
#   postfix.sh start W                     start smtp-sink and the Postfix master
#   postfix.sh stop W                      stop both by their saved pids
#   postfix.sh selftest                    setup+start without a milter, send one message
#                                          through with send.py, check it at the sink, stop
# Must run as root (master, smtp-sink -u postfix, chown of data_directory).

PF_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PF_MASTER=${PF_MASTER:-/usr/lib/postfix/sbin/master}
PF_LIFETIME=${PF_LIFETIME:-600}    # hard lifetime of master and sink, in case we die
# python3 for the helpers: the system one when present (a pyenv shim costs 0.3 s a call)
if [ -z "${PY:-}" ]; then
  if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
fi

# pf_log MSG...: a progress line on stderr
pf_log() { printf '# [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# pf_freeports N: print N distinct free TCP ports on 127.0.0.1
pf_freeports() {
  "$PY" - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# pf_waitport PORT SECONDS: wait until 127.0.0.1:PORT accepts connections
pf_waitport() {
  "$PY" - "$1" "$2" <<'PY'
import socket, sys, time
port, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# pf_installed: true when every program this file needs is present
pf_installed() {
  [ -x /usr/sbin/postfix ] && [ -x "$PF_MASTER" ] && [ -x /usr/sbin/smtp-sink ] &&
    [ -x /usr/sbin/postqueue ] && [ -x /usr/sbin/postcat ] && command -v "$PY" >/dev/null
}

# pf_default_running: true when the system's default Postfix instance is running
pf_default_running() {
  local pidf=/var/spool/postfix/pid/master.pid pid
  [ -r "$pidf" ] || return 1
  pid=$(tr -dc 0-9 < "$pidf")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# pf_install: apt-get install postfix (and python3, libsasl2-modules) non-interactively, preseeded
# to "No configuration"; no service started by the install is left running or enabled
pf_install() {
  local pkgs=() p made_policy=0 was_running=0 new_postfix=0
  # libsasl2-modules: the SASL mechanisms smtpd needs to offer AUTH (case (u) of run.sh)
  pf_installed && dpkg-query -W -f='${Status}' libsasl2-modules 2>/dev/null | grep -q 'install ok installed' &&
    return 0
  [ "$(id -u)" = 0 ] || { echo "postfix.sh: installing postfix needs root" >&2; return 1; }
  for p in postfix python3 procps libsasl2-modules; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$p")
  done
  [ ${#pkgs[@]} -gt 0 ] || { echo "postfix.sh: postfix installed but programs missing" >&2; return 1; }
  case " ${pkgs[*]} " in *" postfix "*) new_postfix=1;; esac
  pf_default_running && was_running=1
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || return 1
  # never let the install remove anything (another MTA would be replaced by postfix)
  if apt-get -s install --no-install-recommends "${pkgs[@]}" | grep -q '^Remv '; then
    echo "postfix.sh: apt-get would remove packages; refusing:" >&2
    apt-get -s install --no-install-recommends "${pkgs[@]}" | grep '^Remv ' >&2
    return 1
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string integration.invalid" | debconf-set-selections
  # keep the maintainer scripts from starting daemons
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${pkgs[@]}"
  local rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || return "$rc"
  if [ "$new_postfix" = 1 ]; then
    # the default instance: stopped only if the install started it, and not enabled at boot
    if [ "$was_running" = 0 ] && pf_default_running; then postfix stop >/dev/null 2>&1 || true; fi
    update-rc.d postfix disable >/dev/null 2>&1 || true
    if command -v systemctl >/dev/null 2>&1; then systemctl disable postfix >/dev/null 2>&1 || true; fi
  fi
  pf_installed
}

# pf_setup W [MILTER]: write a private instance in W on three free loopback ports
pf_setup() {
  local w=$1 milter=${2:-} sport rport kport
  mkdir -p "$w/conf" "$w/queue" "$w/data" "$w/sink" "$w/pids"
  chmod 755 "$w"                        # smtpd/smtp run as postfix and must traverse it
  chown postfix:postfix "$w/data"       # else master exits 1 without a log line
  chown postfix "$w/sink"               # smtp-sink -u postfix writes one file per message here
  read -r sport rport kport < <(pf_freeports 3)
  cat > "$w/ports.env" <<EOF
SMTPD_PORT=$sport
REINJECT_PORT=$rport
SINK_PORT=$kport
MILTER='$milter'
EOF
  cat > "$w/conf/main.cf" <<EOF
# private integration-test instance (tests/integration/postfix.sh)
compatibility_level = 3.6
queue_directory = $w/queue
data_directory = $w/data
maillog_file = $w/maillog
maillog_file_prefixes = $w
myhostname = relay.integration.invalid
mydomain = integration.invalid
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
# no local delivery: every domain is relayed, 127.0.0.1 may relay anything
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$kport
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
biff = no
in_flow_delay = 0
# deferred mail is retried within seconds
queue_run_delay = 1s
# room for the 50 MB message of case (i)
message_size_limit = 104857600
minimal_backoff_time = 1s
maximal_backoff_time = 2s
# the milter (on the first smtpd only); a dead milter means 4xx, never loss
smtpd_milters = $milter
non_smtpd_milters =
milter_default_action = tempfail
milter_content_timeout = 30s
# the test may present an authenticated login with XCLIENT
smtpd_authorized_xclient_hosts = 127.0.0.0/8
EOF
  # chroot n everywhere: a private instance's chroot lacks /etc files, and a
  # chrooted smtpd would look for unix: milter sockets inside the queue directory
  cat > "$w/conf/master.cf" <<EOF
# service  type  private unpriv chroot wakeup maxproc command
127.0.0.1:$sport inet n - n - - smtpd
127.0.0.1:$rport inet n - n - - smtpd -o smtpd_milters= -o smtpd_authorized_xclient_hosts=
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  # creates the queue tree with the right owners and checks the configuration
  postfix -c "$w/conf" check || { echo "postfix.sh: postfix -c $w/conf check failed" >&2; return 1; }
}

# pf_load W: read W/ports.env into SMTPD_PORT, REINJECT_PORT, SINK_PORT, MILTER
# shellcheck source=/dev/null
pf_load() { . "$1/ports.env"; }

# pf_bg W NAME LOG CMD...: start CMD in the background as its own process-group
# leader (setsid), its pid saved in W/pids/NAME.pid
pf_bg() {
  local w=$1 name=$2 logf=$3; shift 3
  setsid "$@" >"$logf" 2>&1 < /dev/null &
  echo $! > "$w/pids/$name.pid"
  disown $! 2>/dev/null || true
}

# pf_start W: start smtp-sink and the Postfix master of instance W
pf_start() {
  local w=$1
  pf_load "$w"
  # smtp-sink: -u is required as root; -d writes one file per transaction (the
  # template is expanded by strftime, a random suffix appended); backlog argument required
  pf_bg "$w" sink "$w/sink.log" timeout -k 5 "$PF_LIFETIME" /usr/sbin/smtp-sink -u postfix -4 \
    -h sink.integration.invalid -d "$w/sink/%Y%m%d%H%M%S." "127.0.0.1:$SINK_PORT" 64
  pf_waitport "$SINK_PORT" 10 || { echo "postfix.sh: smtp-sink did not start:" >&2; cat "$w/sink.log" >&2; return 1; }
  # master -d: stays in the foreground (the pid is ours); setsid: as a group leader
  # it kills its children on SIGTERM; -e: exits by itself after PF_LIFETIME seconds
  pf_bg "$w" master "$w/master.log" "$PF_MASTER" -c "$w/conf" -d -e "$PF_LIFETIME"
  if ! pf_waitport "$SMTPD_PORT" 15 || ! pf_waitport "$REINJECT_PORT" 5; then
    echo "postfix.sh: Postfix did not start:" >&2; cat "$w/master.log" "$w/maillog" >&2 2>/dev/null
    return 1
  fi
}

# pf_group_alive PGID: true while a live (non-zombie) process is in group PGID
pf_group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1==g && $2 !~ /^Z/ {f=1} END {exit !f}'; }

# pf_stop_pid PID [SECONDS]: SIGTERM PID, wait, SIGKILL it, then kill what is left of its group
pf_stop_pid() {
  local pid=$1 secs=${2:-8} i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  # the process was started with setsid, so its pid is its group's id: whatever
  # is left in that group (master's children, timeout's child) is ours
  for ((i = 0; i < 20; i++)); do pf_group_alive "$pid" || break; sleep 0.1; done
  pf_group_alive "$pid" && kill -KILL -- "-$pid" 2>/dev/null
  return 0
}

# pf_stop W: stop the master and the sink of instance W by their saved pids
pf_stop() {
  local w=$1 name
  for name in master sink; do
    if [ -f "$w/pids/$name.pid" ]; then
      pf_stop_pid "$(cat "$w/pids/$name.pid")"
      rm -f "$w/pids/$name.pid"
    fi
  done
}

# pf_sink_files W: the messages received by the sink, one file each
pf_sink_files() { find "$1/sink" -type f | sort; }

# pf_sink_grep W PATTERN: the sink files containing PATTERN (extended regex, case-insensitive)
pf_sink_grep() { find "$1/sink" -type f -print0 | xargs -0 -r grep -liE -- "$2" | sort; }

# pf_queue_ids W QUEUE: queue ids in QUEUE (hold, deferred, active, incoming)
pf_queue_ids() { [ -d "$1/queue/$2" ] && find "$1/queue/$2" -type f -printf '%f\n' | sort; }

# pf_queue_grep W QUEUE PATTERN: ids of messages in QUEUE whose content matches PATTERN
pf_queue_grep() {
  local w=$1 q=$2 pat=$3 id
  for id in $(pf_queue_ids "$w" "$q"); do
    postcat -c "$w/conf" -q "$id" 2>/dev/null | grep -qiE -- "$pat" && echo "$id"
  done
  return 0
}

# pf_flush W: ask the instance to retry deferred mail now
pf_flush() { postqueue -c "$1/conf" -f 2>/dev/null || true; }

# pf_selftest: the instance without a milter carries one message to the sink
pf_selftest() {
  local w rc=1 f
  w=$(mktemp -d "${TMPDIR:-/tmp}/pf-selftest.XXXXXX")
  PF_SELFTEST_DIR=$w     # global: the EXIT trap runs after this function returned
  trap 'pf_stop "$PF_SELFTEST_DIR"; rm -rf "$PF_SELFTEST_DIR"' EXIT
  trap 'exit 130' INT TERM HUP
  pf_install && pf_setup "$w" "" && pf_start "$w" || return 1
  pf_load "$w"
  pf_log "instance up: smtpd :$SMTPD_PORT, notice listener :$REINJECT_PORT, sink :$SINK_PORT"
  printf 'From: Selftest <tom.baker@northmoor.gov.uk>\nTo: someone@example.org\nSubject: selftest\nMessage-ID: <selftest-%s@integration.invalid>\n\nhello\n' "$$" > "$w/msg.eml"
  "$PY" "$PF_HERE/send.py" --port "$SMTPD_PORT" --from tom.baker@northmoor.gov.uk \
    --rcpt someone@example.org "$w/msg.eml" || return 1
  "$PY" "$PF_HERE/send.py" --port "$REINJECT_PORT" --from '' \
    --rcpt tom.baker@northmoor.gov.uk "$w/msg.eml" || return 1
  for ((f = 0; f < 300; f++)); do
    [ "$(pf_sink_grep "$w" "^Message-ID: <selftest-$$@" | wc -l)" -ge 2 ] && { rc=0; break; }
    sleep 0.1
  done
  if [ "$rc" = 0 ]; then
    echo "selftest: ok: both messages reached the sink:"; for f in $(pf_sink_files "$w"); do echo "--- $f"; cat "$f"; done
  else
    echo "selftest: FAILED: the message did not reach the sink"; cat "$w/maillog"
  fi
  return "$rc"
}

# command-line use (when executed, not sourced)
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  cmd=${1:-}; shift || true
  case "$cmd" in
    install)  pf_install;;
    setup)    pf_install && pf_setup "$@";;
    start)    pf_start "$@";;
    stop)     pf_stop "$@";;
    selftest) pf_selftest;;
    *) sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2;;
  esac
fi

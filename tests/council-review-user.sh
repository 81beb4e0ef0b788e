#!/bin/sh
# council-review-user.sh: council-review user add|list|passwd|del through
# the real command (council-review(8)), on an accounts file in a scratch
# directory: the password from standard input and from a terminal (twice,
# without echo), never in the file nor the output; mode 0640; errors
# with their exit status; and a bad [web] key refused by all three
# programs that read council-milter.conf.
set -u
top_srcdir=${TOP_SRCDIR:?}
review=${TOP_BUILDDIR:?}/council-review
check=$TOP_BUILDDIR/council-check
milter=$TOP_BUILDDIR/council-milter
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok () { passed=$((passed + 1)); }
fail () { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect STATUS PATTERN INPUT -- command...: the status, and PATTERN in
# its output (standard output and error), INPUT on its standard input.
expect () {
    want=$1 pattern=$2 input=$3
    shift 4
    out=$(printf '%s' "$input" | "$@" 2>&1)
    status=$?
    if [ "$status" -ne "$want" ]; then
        fail "$* exited $status, not $want: $out"
    elif ! printf '%s' "$out" | grep -q -- "$pattern"; then
        fail "$* did not print '$pattern': $out"
    else
        ok
    fi
}

# The example configuration with absolute paths, and [web] as given.
config () {
    sed -E "s#^(directory|lexicon|paragraphs|weights|valence)=([^/].*)#\\1=$top_srcdir/config/\\2#" \
        "$top_srcdir/config/council-milter.conf"
    printf '\n[web]\n%s\n' "$1"
}
accounts=$scratch/web-accounts
config "accounts=$accounts" > "$scratch/good.conf"
conf=$scratch/good.conf
pw1='correct horse battery'
pw2='another long passphrase'

# 1. add, list, passwd, del, the password from standard input.
expect 0 "added jane.smith (monitoring-officer) to $accounts" "$pw1
" -- "$review" -c "$conf" user add jane.smith --role monitoring-officer
expect 0 "added tom (auditor)" "$pw2" -- "$review" -c "$conf" user add tom --role auditor
expect 0 "jane.smith  *monitoring-officer" "" -- "$review" -c "$conf" user list
expect 0 "tom  *auditor" "" -- "$review" -c "$conf" user list
mode=$(stat -c %a "$accounts")
[ "$mode" = 640 ] && ok || fail "the accounts file has mode $mode, not 640"
if grep -q -e "$pw1" -e "$pw2" "$accounts"; then fail "a password is in the accounts file"; else ok; fi
grep -q '^jane.smith:monitoring-officer:\$y\$' "$accounts" && ok || fail "no yescrypt hash for jane.smith: $(cat "$accounts")"
before=$(grep '^tom:' "$accounts")
expect 0 "changed the password of tom" "$pw1" -- "$review" -c "$conf" user passwd tom
after=$(grep '^tom:' "$accounts")
[ "$before" != "$after" ] && ok || fail "passwd left tom's hash as it was"
expect 0 "removed tom from $accounts" "" -- "$review" -c "$conf" user del tom
if "$review" -c "$conf" user list | grep -q '^tom '; then fail "tom still listed after del"; else ok; fi

# 2. From a terminal: asked twice without echo; two that differ change nothing.
if command -v script >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    # Typed only once each prompt is out and the terminal's echo is off (a
    # line typed ahead is echoed before the command can turn echo off), so
    # that the password shows only if the command leaves echo on; a wait
    # of 60 s at most for each, however slow the build (ASan) or the machine.
    out=$(python3 - "$pw1" "$review" -c "$conf" user add deputy1 --role deputy <<'PY'
import os, pty, sys, termios, time
password, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen = b""
def read_until(marker):
    global seen
    deadline = time.time() + 60
    while marker not in seen and time.time() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        seen += chunk
for prompt in (b"New password", b"same password again"):
    read_until(prompt)
    deadline = time.time() + 60
    while termios.tcgetattr(fd)[3] & termios.ECHO and time.time() < deadline:
        time.sleep(0.05)
    os.write(fd, password.encode() + b"\n")
read_until(b"\0")  # to the end
os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
PY
)
    case $out in
        *"New password for deputy1"*"The same password again"*"added deputy1 (deputy)"*) ok ;;
        *) fail "user add on a terminal: $out" ;;
    esac
    case $out in
        *"$pw1"*) fail "the password was echoed on the terminal: $out" ;;
        *) ok ;;
    esac
    out=$(printf '%s\n%s\n' "$pw1" "$pw2" | script -qec "'$review' -c '$conf' user passwd deputy1" /dev/null 2>&1)
    case $out in
        *"the two passwords differ"*) ok ;;
        *) fail "user passwd with two different passwords: $out" ;;
    esac
else
    echo "SKIP: script (bsdutils) or python3 is missing: the terminal case was not run"
fi

# 3. Errors: exit 2 for bad usage, 1 for a refused change.
expect 1 "has an account already" "$pw1" -- "$review" -c "$conf" user add jane.smith --role deputy
expect 1 "at least 12 characters" "short" -- "$review" -c "$conf" user add bob --role deputy
expect 1 "no password on standard input" "" -- "$review" -c "$conf" user add bob --role deputy
expect 1 "There is no user bob" "$pw1" -- "$review" -c "$conf" user passwd bob
expect 1 "There is no user bob" "" -- "$review" -c "$conf" user del bob
expect 2 "--role is required" "$pw1" -- "$review" -c "$conf" user add bob
expect 2 "--role is required" "$pw1" -- "$review" -c "$conf" user add bob --role chief
expect 2 "it has a ':'" "$pw1" -- "$review" -c "$conf" user add 'bob:x' --role deputy
expect 2 "unknown \"frob\"" "" -- "$review" -c "$conf" user frob
expect 2 "which: add, del, passwd or list" "" -- "$review" -c "$conf" user
expect 2 "too many arguments" "" -- "$review" -c "$conf" user del a b
if "$review" -c "$conf" user list | grep -q '^bob'; then fail "a refused add left bob"; else ok; fi
printf 'jane:deputy\n' > "$scratch/bad-accounts"
config "accounts=$scratch/bad-accounts" > "$scratch/bad-accounts.conf"
expect 1 "bad-accounts, line 1: expected NAME:ROLE:HASH" "" -- "$review" -c "$scratch/bad-accounts.conf" user list

# 4. A bad [web] key is refused by every program that reads the file.
config "listen=127.0.0.1:99999" > "$scratch/port.conf"
config "trusted-proxy=proxy.example.org" > "$scratch/proxy.conf"
for c in port proxy; do
    case $c in
        port) says='\[web\] listen: "127.0.0.1:99999" is not HOST:PORT' ;;
        proxy) says='\[web\] trusted-proxy: "proxy.example.org" is not an IP address' ;;
    esac
    expect 2 "$says" "" -- "$review" -c "$scratch/$c.conf" user list
    expect 2 "$says" "" -- "$check" -c "$scratch/$c.conf" "$top_srcdir/tests/messages/bcc-member/breach/bcc-monitoring-officer-and-member-pdf-attachment.eml"
    expect 1 "$says" "" -- "$milter" -n -c "$scratch/$c.conf"
done
expect 0 "configuration OK" "" -- "$milter" -n -c "$conf"

echo "council-review user: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

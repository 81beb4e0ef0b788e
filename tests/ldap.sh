#!/bin/bash
# ldap.sh: the LDAP directory source (issue 10) against a real slapd,
# started here on a loopback port with its own mdb database under the
# build directory, loaded with the example council in an Active
# Directory-like layout and an inetOrgPerson/groupOfNames one, and torn
# down at the end.  Skipped (77) when slapd is not installed
# (apt-get install slapd ldap-utils).
set -u
top_srcdir=${TOP_SRCDIR:?}
build=${TOP_BUILDDIR:?}
check=$build/council-check
daemon=$build/council-milter
refresh=$build/tests/ldap/refresh
{ command -v slapd || [ -x /usr/sbin/slapd ]; } >/dev/null && { command -v slapadd || [ -x /usr/sbin/slapadd ]; } >/dev/null \
    || { echo "slapd not installed: skipped"; exit 77; }
# The TLS cases make a throwaway CA with openssl (apt-get install openssl).
command -v openssl >/dev/null || { echo "openssl not installed: skipped"; exit 77; }
passed=0
failed=0
run=$build/tests/ldap-run.$$
mkdir -p "$run"
slapd_pid=
daemon_pid=
stop_daemon () {
    if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; daemon_pid=; fi
}
trap 'stop_daemon; stop_slapd; rm -rf "$run"' EXIT

ok () { passed=$((passed + 1)); }
fail () { failed=$((failed + 1)); echo "FAIL: $*"; }
# expect STATUS PATTERN -- command...
expect () {
    want=$1 pattern=$2
    shift 3
    out=$("$@" 2>&1)
    status=$?
    if [ "$status" -ne "$want" ]; then fail "$* exited $status, not $want: $out"
    elif ! printf '%s' "$out" | grep -q -- "$pattern"; then fail "$* did not print '$pattern': $out"
    else ok; fi
}

# slapd offers StartTLS and ldaps, with a certificate of a CA made now.
slapd_tls=yes
. "$top_srcdir/tests/ldap/slapd.sh"

# verdicts CONFIG: action and rules of every third rule message (each
# council-check loads the whole configuration: all 259 three times would
# take minutes), one line each.
verdicts () {
    local n=0
    for f in "$top_srcdir"/tests/messages/*/*/*.eml; do
        n=$((n + 1))
        [ $((n % 3)) -eq 1 ] || continue
        "$check" -c "$1" --json "$f" | python3 -c 'import json,sys; v=json.load(sys.stdin); print(sys.argv[1].split("/tests/")[1], v["action"], sorted(f["rule"] for f in v["findings"]))' "$f"
    done
}

# daemon_logs CONFIG NAME PATTERN...: council-milter in the foreground
# with CONFIG (its spool and temp files under the run directory), until
# its log ($run/NAME.log) holds every PATTERN in turn (10 s at most; the
# directory refresh runs in the background after the start), then
# stopped.  One case each pattern.
daemon_logs () {
    local conf=$1 name=$2
    shift 2
    mkdir -p "$run/$name.spool" "$run/$name.tmp"
    sed -e "s|^\[milter\]\$|[milter]\ntemp-dir=$run/$name.tmp|" "$conf" > "$run/$name.daemon.conf"
    printf '[hold]\nspool=%s\n[notify]\nsmtp=127.0.0.1:9\n' "$run/$name.spool" >> "$run/$name.daemon.conf"
    local milter_port
    milter_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    : > "$run/$name.log"  # there before the first grep: the child opens it
    "$daemon" -f -c "$run/$name.daemon.conf" -p "inet:$milter_port@127.0.0.1" >"$run/$name.log" 2>&1 &
    daemon_pid=$!
    for pattern in "$@"; do
        local found=no
        for _ in $(seq 100); do
            if grep -q -- "$pattern" "$run/$name.log"; then found=yes; break; fi
            kill -0 "$daemon_pid" 2>/dev/null || break
            sleep 0.1
        done
        [ "$found" = yes ] && ok || fail "council-milter ($name) did not log '$pattern': $(cat "$run/$name.log")"
    done
    kill -0 "$daemon_pid" 2>/dev/null && ok || fail "council-milter ($name) stopped: $(cat "$run/$name.log")"
    stop_daemon
}

printf 'From: Cllr Raj Patel <cllr.raj.patel@northmoor.gov.uk>\nTo: All Councillors <all-councillors@northmoor.gov.uk>\nSubject: Car park charges\n\nColleagues,\n\nThe Director of Finance has bungled the car park charges review and it has cost us a year of income.\n\nRaj\n' > "$run/list.eml"
printf 'From: Cllr Zoe Newman <cllr.zoe.newman@northmoor.gov.uk>\nTo: tom.baker@northmoor.gov.uk\nSubject: drains\n\nTom, please look at the drains.\n' > "$run/newmember.eml"

# The file source's verdicts, to compare.
verdicts "$top_srcdir/config/council-milter.conf" > "$run/file.verdicts"

for layout in ad openldap; do
    echo "== $layout layout"
    start_slapd "$layout" --loop --empty-group Nobody || { fail "slapd ($layout) did not start"; continue; }
    conf=$(config "$layout" "$layout")
    # First start, no snapshot: read now, snapshot written.
    expect 0 "refreshed" -- "$refresh" "$conf"
    expect 0 "7 members, 7 named officers" -- "$refresh" "$conf"
    [ -f "$run/$layout.snapshot" ] && ok || fail "no snapshot written"
    # Offices come from their groups (nested ones too) into the snapshot.
    if grep -A3 '^\[member:Jane Smith\]' "$run/$layout.snapshot" | grep -qx 'offices=chair;' \
        && grep -A3 '^\[member:Raj Patel\]' "$run/$layout.snapshot" | grep -qx 'offices=leader;cabinet;'; then ok
    else fail "offices not in the snapshot: $(cat "$run/$layout.snapshot")"; fi
    # Looping groups are left out with a warning, the rest kept.
    expect 0 "lists contain each other, so each is left out" -- "$refresh" "$conf"
    # The same verdicts as the key file on every rule message.
    verdicts "$conf" > "$run/$layout.verdicts"
    if diff -u "$run/file.verdicts" "$run/$layout.verdicts" >"$run/diff"; then ok; else fail "verdicts differ ($layout): $(cat "$run/diff")"; fi
    # council-check --directory and --who show what the daemon would
    # start with: the snapshot, its age, counts and lists as LDAP gave them.
    expect 0 "^source:     ldap $uri base $base (\[council\] from $run/council.conf)\$" -- "$check" -c "$conf" --directory
    expect 0 "^data:       the snapshot $run/$layout.snapshot (taken .*, 0 h [0-9]* min ago), as the daemon would start with it" -- "$check" -c "$conf" --directory
    expect 0 "^members:    7 (chair 1, leader 1, group-leader 1, cabinet 2)\$" -- "$check" -c "$conf" --directory
    expect 0 "^officers:   7 named, 7 with a job title\$" -- "$check" -c "$conf" --directory
    expect 0 "^  all-councillors: all-councillors@northmoor.gov.uk: 7 people (7 members, 0 officers)\$" -- "$check" -c "$conf" --directory
    expect 0 "^  Cabinet: cabinet@northmoor.gov.uk: 2 people (2 members, 0 officers)\$" -- "$check" -c "$conf" --directory
    # An empty group (AD; groupOfNames cannot be empty, so holds itself and is left out as a loop).
    [ "$layout" = ad ] && expect 0 "^  Nobody: no address (only inside other lists): 0 people (0 members, 0 officers)\$" -- "$check" -c "$conf" --directory
    expect 0 "^cllr.jane.smith@northmoor.gov.uk: member Jane Smith (chair)\$" -- "$check" -c "$conf" --who cllr.jane.smith@northmoor.gov.uk
    expect 0 "^  lists: all-councillors (all-councillors@northmoor.gov.uk), Councillors, office-chair\$" -- "$check" -c "$conf" --who cllr.jane.smith@northmoor.gov.uk
    expect 0 "^linda.carter@northmoor.gov.uk: officer Linda Carter, Chief Executive\$" -- "$check" -c "$conf" --who linda.carter@northmoor.gov.uk
    expect 0 "^  other addresses: chief.executive@northmoor.gov.uk\$" -- "$check" -c "$conf" --who linda.carter@northmoor.gov.uk
    expect 0 "^cabinet@northmoor.gov.uk: list Cabinet, 2 people (2 members, 0 officers)\$" -- "$check" -c "$conf" --who cabinet@northmoor.gov.uk
    expect 0 "^resident@example.org: not in the directory: external\$" -- "$check" -c "$conf" --who resident@example.org
    expect 0 '"source": {"type": "ldap", "uri": "'"$uri"'", "base_dn": "'"$base"'", .*"read_now": false}' -- "$check" -c "$conf" --directory --json
    # With no snapshot yet, council-check reads LDAP as a first start does, and says so.
    fresh=$(config "$layout-fresh" "$layout")
    expect 0 "^data:       read from LDAP now: there was no snapshot (now written to $run/$layout-fresh.snapshot)\$" -- "$check" -c "$fresh" --directory
    [ -f "$run/$layout-fresh.snapshot" ] && ok || fail "council-check --directory wrote no snapshot on a first read"

    # A list address is its members, nested groups expanded.
    expect 0 'copied to all-councillors@northmoor.gov.uk (7 members)' -- "$check" -c "$conf" --json "$run/list.eml"
    # Secondary proxy address (AD) or second mail (OpenLDAP) is the member's.
    sed 's/^From: .*/From: raj.patel@outlook.com/' "$run/newmember.eml" > "$run/personal.eml"
    expect 0 '"address": "raj.patel@outlook.com", "role": "member"' -- "$check" -c "$conf" --json "$run/personal.eml"

    # A member added in LDAP is a member after the next refresh.
    expect 0 '"role": "officer"' -- "$check" -c "$conf" --json "$run/newmember.eml"
    start_slapd "$layout" --loop --empty-group Nobody --extra-member "Zoe Newman" || fail "slapd restart"
    # The daemon starts on its snapshot (7 members), reads LDAP in the
    # background and swaps the new directory in.
    daemon_logs "$conf" "$layout-daemon" "starting on .* 7 members" "directory refreshed in .* 8 members" \
        "configuration reloaded: .* 8 members"
    expect 0 "8 members" -- "$refresh" "$conf"
    expect 0 '"address": "cllr.zoe.newman@northmoor.gov.uk", "role": "member"' -- "$check" -c "$conf" --json "$run/newmember.eml"

    # Bad credentials: a clear error, the snapshot kept.
    cp "$run/$layout.snapshot" "$run/kept"
    bad=$(config "$layout-bad" "$layout" "password-file=$run/wrong.password")
    cp "$run/$layout.snapshot" "$run/$layout-bad.snapshot"
    expect 1 "bind as cn=reader,ou=People,$base: Invalid credentials" -- "$refresh" "$bad"
    cmp -s "$run/kept" "$run/$layout-bad.snapshot" && ok || fail "snapshot changed after bad credentials"
    # A bad CA file: StartTLS refused, a clear error.
    badca=$(config "$layout-ca" "$layout" "start-tls=yes" "ca-file=$run/missing-ca.pem")
    cp "$run/$layout.snapshot" "$run/$layout-ca.snapshot"
    expect 1 "StartTLS (CA file $run/missing-ca.pem)" -- "$refresh" "$badca"
    expect 1 "StartTLS (CA file $run/missing-ca.pem): the CA file cannot be read: .*No such file" -- "$refresh" "$badca"

    # TLS with the CA that signed the server's certificate: StartTLS on
    # the ldap URI and ldaps on its own port both read the directory (no
    # snapshot yet: the load reads it, then the refresh again).
    starttls=$(config "$layout-starttls" "$layout" "start-tls=yes" "ca-file=$run/tls/ca.pem")
    expect 0 "refreshed in .*: 8 members, 7 named officers" -- "$refresh" "$starttls"
    ldaps=$(config "$layout-ldaps" "$layout" "uri=$tls_uri" "ca-file=$run/tls/ca.pem")
    expect 0 "refreshed in .*: 8 members, 7 named officers" -- "$refresh" "$ldaps"
    expect 0 "source:  *ldap $tls_uri" -- "$check" -c "$ldaps" --directory
    # Another CA: the certificate problem named, the snapshot kept.
    cert_problem="the server's certificate (subject \"cn=127.0.0.1\", issuer \"cn=council-milter test ca\") is not trusted by $run/tls/other-ca.pem"
    wrongca=$(config "$layout-wrongca" "$layout" "start-tls=yes" "ca-file=$run/tls/other-ca.pem")
    cp "$run/$layout.snapshot" "$run/$layout-wrongca.snapshot"
    expect 1 "StartTLS (CA file $run/tls/other-ca.pem): $cert_problem" -- "$refresh" "$wrongca"
    cmp -s "$run/kept" "$run/$layout-wrongca.snapshot" && ok || fail "snapshot changed after a wrong CA"
    wrongldaps=$(config "$layout-wrongldaps" "$layout" "uri=$tls_uri" "ca-file=$run/tls/other-ca.pem")
    cp "$run/$layout.snapshot" "$run/$layout-wrongldaps.snapshot"
    expect 1 "LDAP $tls_uri: TLS (CA file $run/tls/other-ca.pem): $cert_problem" -- "$refresh" "$wrongldaps"
    cmp -s "$run/kept" "$run/$layout-wrongldaps.snapshot" && ok || fail "snapshot changed after a wrong CA (ldaps)"
    # The daemon keeps deciding with its snapshot and logs why LDAP failed.
    daemon_logs "$wrongca" "$layout-wrongca" "starting on .* 8 members" \
        "directory refresh failed, still deciding with the directory taken .* min ago: .*$cert_problem"
    # A first start with a wrong CA and no snapshot: a clear error.
    rm -f "$run/$layout-wrongldaps.snapshot"
    expect 2 "load failed: .*TLS (CA file $run/tls/other-ca.pem): $cert_problem" -- "$refresh" "$wrongldaps"
    # StartTLS asked of a server without TLS: refused, and said so.
    slapd_tls=no start_slapd "$layout" --loop --empty-group Nobody --extra-member "Zoe Newman" || fail "slapd restart without TLS"
    expect 1 "StartTLS (CA file $run/tls/ca.pem): Protocol error.*the server does not offer StartTLS" -- "$refresh" "$starttls"
    # An empty result is refused: the members group empty, no officer found.
    empty=$(config "$layout-empty" "$layout" "members-group=cn=Nobody,ou=Groups,$base" "officer-filter=(cn=nobody)")
    cp "$run/$layout.snapshot" "$run/$layout-empty.snapshot"
    expect 1 "returned nobody: refused" -- "$refresh" "$empty"
    # Fewer members than allowed: the members group swapped for the cabinet.
    few=$(config "$layout-few" "$layout" "members-group=cn=Cabinet,ou=Groups,$base")
    cp "$run/$layout.snapshot" "$run/$layout-few.snapshot"
    expect 1 "returned 2 members where there were 8" -- "$refresh" "$few"

    # LDAP down: the snapshot is used, and the refresh keeps it.
    stop_slapd
    expect 0 '"address": "cllr.zoe.newman@northmoor.gov.uk", "role": "member"' -- "$check" -c "$conf" --json "$run/newmember.eml"
    expect 1 "Can't contact LDAP server" -- "$refresh" "$conf"
    expect 1 "snapshot $run/$layout.snapshot, taken" -- "$refresh" "$conf"
    # The daemon with LDAP down: it starts on the snapshot, keeps deciding,
    # and says how old its directory is.
    daemon_logs "$conf" "$layout-down" "starting on .* 8 members" \
        "directory refresh failed, still deciding with the directory taken .* min ago: .*Can't contact LDAP server"
    # Down at the first start with no snapshot: a clear error.
    rm -f "$run/$layout-bad.snapshot"
    expect 2 "Can't contact LDAP server" -- "$refresh" "$bad"
    # Back again (Zoe Newman gone meanwhile): the next refresh reads it,
    # and the snapshot follows.
    start_slapd "$layout" --loop --empty-group Nobody || fail "slapd back again"
    expect 0 "refreshed.*7 members" -- "$refresh" "$conf"
    expect 0 '"role": "officer"' -- "$check" -c "$conf" --json "$run/newmember.eml"
done

echo "ldap: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# directory.sh: the directory benchmark (issue 10), run by `make
# bench-directory`, never by `make check`.  A private slapd (tests/ldap/
# slapd.sh) holds the example council grown to MEMBERS members and
# OFFICERS named officers (default 60 and 5,000) in the Active Directory
# layout; the same people are then written as a key file.  For each way
# of loading, one process (tests/ldap/refresh) loads the whole
# configuration, and this prints its load time and the process's peak
# memory (GNU time's maximum resident set size):
#
#   example key file   the 14 people of config/directory.conf: the cost of
#                      the rest of the configuration (lexicon, weights)
#   LDAP, first start  no snapshot: read LDAP, write the snapshot, load it
#   LDAP, snapshot     the daemon's usual start, and a refresh (an LDAP
#                      read, refused or written) in the same process
#   key file           the same people in a directory.conf
#
# A figure is one run, on whatever else the machine is doing: run it
# twice and compare like with like.
set -u
top_srcdir=${TOP_SRCDIR:?}
build=${TOP_BUILDDIR:?}
refresh=$build/tests/ldap/refresh
officers=${OFFICERS:-5000}
members=${MEMBERS:-60}
run=$build/tests/bench-directory.$$
mkdir -p "$run"
slapd_pid=
. "$top_srcdir/tests/ldap/slapd.sh"
trap 'stop_slapd; rm -rf "$run"' EXIT
[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install time)"; exit 1; }

# measure LABEL CONFIG: one load of CONFIG, and a refresh when remote.
measure () {
    # GNU time writes "Command exited with non-zero status 1" first when the
    # refresh is refused (the key file has none): the figures are the last line.
    /usr/bin/time -f '%e %M' -o "$run/time" "$refresh" "$2" >"$run/out" 2>&1
    local seconds kilobytes
    read -r seconds kilobytes < <(tail -n 1 "$run/time")
    local load read_again
    load=$(sed -n 's/^loaded in \([0-9.]*\) s$/\1/p' "$run/out")
    read_again=$(sed -n 's/^refreshed in \([0-9.]*\) s.*/, LDAP read again in \1 s/p' "$run/out")
    printf '%-22s load %6s s, peak RSS %4d MB (whole process %s s%s)\n' "$1" "${load:-failed}" \
        $((kilobytes / 1024)) "$seconds" "$read_again"
    grep -q '^loaded in' "$run/out" || cat "$run/out"
}

existing=$(grep -c '^\[member:' "$top_srcdir/config/directory.conf")
start_slapd ad --officers "$officers" --members $((members - existing)) || exit 1
conf=$(config bench ad)
echo "$members members, $officers generated officers (+7 named), Active Directory layout"
measure "example key file" "$top_srcdir/config/council-milter.conf"
measure "LDAP, first start" "$conf"
measure "LDAP, snapshot" "$conf"
# The same people as a key file: [council] and the snapshot's groups.
{
    awk '/^\[/{keep=($0=="[council]")} keep' "$top_srcdir/config/directory.conf"
    awk '/^\[/{keep=($0!="[snapshot]")} keep' "$run/bench.snapshot"
} >"$run/people.conf"
sed -e "s|^directory=.*|directory=$run/people.conf|" -e 's/^source=ldap$/source=file/' "$conf" >"$run/file.conf"
measure "key file" "$run/file.conf"
# The engine with these people and the lists LDAP gave (its own
# directory-scaling figures rewrite the key file, so not the LDAP one).
echo "engine with these people and lists as a key file (bench_engine -q):"
"$build/tests/bench/bench_engine" -q -c "$run/file.conf" 2>&1 | sed 's/^/  /'

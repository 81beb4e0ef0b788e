#!/bin/sh
# run.sh: protocol-level tests of council-milter with miltertest(8).
#
#   TOP_SRCDIR=/path/to/source TOP_BUILDDIR=/path/to/build sh tests/milter/run.sh [SCENARIO...]
#
# Each tests/milter/*.lua (but lib.lua) is one scenario.  For each, this
# script writes a configuration into a scratch directory, starts its own
# council-milter on a free loopback port, runs the script with miltertest
# against it, stops the daemon by its pid, and checks the daemon's log.
# Lines at the top of a scenario say what it needs:
#
#   -- config: GROUP.KEY=VALUE ...      changes to the example configuration
#   -- config.alt: GROUP.KEY=VALUE ...  a second one, written to DIR/alt.conf
#   -- log: TEXT                        the daemon's log must contain TEXT
#   -- nolog: TEXT                      ... and must not contain TEXT
#   -- daemon: PATH                     the daemon to run, under the build tree
#                                       (a test build, e.g. tests/council-milter-crashtest)
#   -- phases: N                        the script runs N times, with -D phase=1, 2...:
#                                       the daemon must die in each phase but the last,
#                                       and is started again on the same directory for
#                                       the next (phase K's log kept as DIR/log.K)
#
# VALUE may use @DIR@ for the scenario's scratch directory.  Every
# configuration starts from config/council-milter.conf with the directory
# lexicon and paragraphs of the source tree, temp-dir=DIR/tmp, the hold
# spool in DIR/spool, and [notify] smtp
# on a loopback port where nothing listens (notices fail and are logged).
#
# Output: "ok N - ..." / "not ok N - ..." lines, then
# "miltertest: N passed, N failed".  Exit 0 when all pass, 1 otherwise,
# 77 (skip) without miltertest, 99 when the daemon is not built.
set -u

top_srcdir=${TOP_SRCDIR:?TOP_SRCDIR is not set}
top_builddir=${TOP_BUILDDIR:?TOP_BUILDDIR is not set}
here=$top_srcdir/tests/milter
main_daemon=$top_builddir/council-milter
daemon=$main_daemon

if ! command -v miltertest > /dev/null 2>&1; then
    echo "miltertest is not installed (Debian package miltertest): skipped"
    exit 77
fi
if [ ! -x "$main_daemon" ]; then
    echo "no $main_daemon: build it first (make council-milter)"
    exit 99
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/council-milter-test.XXXXXX") || exit 99
daemon_pid=
cleanup () {
    if [ -n "$daemon_pid" ]; then
        kill "$daemon_pid" 2> /dev/null
        wait "$daemon_pid" 2> /dev/null
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

number=0
passed=0
failed=0

ok () {
    number=$((number + 1))
    passed=$((passed + 1))
    echo "ok $number - $*"
}

not_ok () {
    number=$((number + 1))
    failed=$((failed + 1))
    echo "not ok $number - $*"
}

# Print a file indented as TAP comments.
comment () {
    sed 's/^/#   /' "$1"
}

# A loopback TCP port that nothing listens on now.
free_port () {
    if command -v python3 > /dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        awk -v seed="$$$number" 'BEGIN { srand(seed); print 20000 + int(rand() * 40000) }'
    fi
}

# make_config OUT DIR [GROUP.KEY=VALUE...]: the example configuration with
# the test's paths and the given changes.  A key is replaced where it is,
# or added at the top of its group; a missing group is added at the end.
make_config () {
    out=$1 dir=$2
    shift 2
    awk -v top="$top_srcdir" -v dir="$dir" -v notify="127.0.0.1:$notify_port" -v changes="$*" '
        function set(spec,   eq, dot, gk, v) {
            eq = index(spec, "=")
            gk = substr(spec, 1, eq - 1)
            v = substr(spec, eq + 1)
            gsub(/@DIR@/, dir, v)
            dot = index(gk, ".")
            if (!(gk in value)) {
                order[++n] = gk
                group_of[gk] = substr(gk, 1, dot - 1)
                key_of[gk] = substr(gk, dot + 1)
            }
            value[gk] = v
        }
        # The keys of group G not written yet, as "KEY=VALUE" lines.
        function pending(g,   i) {
            for (i = 1; i <= n; i++)
                if (group_of[order[i]] == g && !(order[i] in done)) {
                    print key_of[order[i]] "=" value[order[i]]
                    done[order[i]] = 1
                }
        }
        BEGIN {
            set("milter.directory=" top "/config/directory.conf")
            set("milter.temp-dir=" dir "/tmp")
            set("policy.lexicon=" top "/config/lexicon")
            set("policy.paragraphs=" top "/config/paragraphs.conf")
            set("hold.spool=" dir "/spool")
            set("notify.smtp=" notify)
            count = split(changes, list, /[ \t]+/)
            for (i = 1; i <= count; i++)
                if (list[i] != "")
                    set(list[i])
        }
        /^[ \t]*\[.*\][ \t]*$/ {
            group = $0
            gsub(/^[ \t]*\[|\][ \t]*$/, "", group)
            seen[group] = 1
            print
            pending(group)
            next
        }
        /^[ \t]*[A-Za-z0-9-]+[ \t]*=/ {
            key = $0
            sub(/[ \t]*=.*/, "", key)
            sub(/^[ \t]*/, "", key)
            if ((group "." key) in done)
                next                # written at the top of the group
            if ((group "." key) in value) {
                print key "=" value[group "." key]
                done[group "." key] = 1
                next
            }
        }
        { print }
        END {
            for (i = 1; i <= n; i++) {
                g = group_of[order[i]]
                if (!(g in seen)) {
                    print ""
                    print "[" g "]"
                    seen[g] = 1
                    pending(g)
                }
            }
        }' "$top_srcdir/config/council-milter.conf" > "$out"
}

# The value of the "-- NAME: " lines at the top of a scenario.
directive () {
    sed -n "s/^-- $1: //p" "$2"
}

# start_daemon DIR: council-milter on a free port, in the foreground, its
# log in DIR/log.  Sets daemon_pid and port; fails if it does not start.
start_daemon () {
    port=$(free_port)
    while [ "$port" = "$notify_port" ]; do
        port=$(free_port)
    done
    "$daemon" -f -c "$1/council-milter.conf" -p "inet:$port@127.0.0.1" -P "$1/pid" > "$1/log" 2>&1 &
    daemon_pid=$!
    tries=0
    while ! grep -q "starting on" "$1/log" 2> /dev/null; do
        if ! kill -0 "$daemon_pid" 2> /dev/null || [ $tries -ge 100 ]; then
            return 1
        fi
        sleep 0.05
        tries=$((tries + 1))
    done
    return 0
}

# stop_daemon: SIGTERM to the daemon we started, and wait for it; its
# exit status is in daemon_status.
stop_daemon () {
    kill "$daemon_pid" 2> /dev/null
    wait "$daemon_pid" 2> /dev/null
    daemon_status=$?
    daemon_pid=
}

notify_port=$(free_port)
unclean=

if [ $# -gt 0 ]; then
    scenarios=
    for name in "$@"; do
        scenarios="$scenarios $here/${name%.lua}.lua"
    done
else
    scenarios=
    for script in "$here"/*.lua; do
        [ "$script" = "$here/lib.lua" ] || scenarios="$scenarios $script"
    done
fi

for script in $scenarios; do
    name=$(basename "$script" .lua)
    failed_before=$failed
    dir=$scratch/$name
    mkdir -p "$dir/tmp"
    # shellcheck disable=SC2046
    make_config "$dir/council-milter.conf" "$dir" $(directive config "$script")
    alt=$(directive config.alt "$script")
    if [ -n "$alt" ]; then
        # shellcheck disable=SC2086
        make_config "$dir/alt.conf" "$dir" $alt
    fi

    binary=$(directive daemon "$script")
    daemon=$top_builddir/${binary:-council-milter}
    if [ ! -x "$daemon" ]; then
        not_ok "$name: $daemon is built (make check builds it)"
        continue
    fi
    phases=$(directive phases "$script")
    phases=$(seq 1 "${phases:-1}")

    if ! start_daemon "$dir"; then
        not_ok "$name: council-milter started"
        comment "$dir/log"
        stop_daemon
        continue
    fi

    for phase in $phases; do
        if [ "$phase" -gt 1 ]; then
            # The last phase killed the daemon: wait for it, then start it again.
            last=$((phase - 1))
            tries=0
            while kill -0 "$daemon_pid" 2> /dev/null && [ $tries -lt 100 ]; do
                sleep 0.05
                tries=$((tries + 1))
            done
            if kill -0 "$daemon_pid" 2> /dev/null; then
                not_ok "$name: council-milter died in phase $last"
                stop_daemon
            else
                wait "$daemon_pid" 2> /dev/null
                ok "$name: council-milter died in phase $last (exit status $?)"
                daemon_pid=
            fi
            mv "$dir/log" "$dir/log.$last"
            rm -f "$dir/pid"
            if ! start_daemon "$dir"; then
                not_ok "$name: council-milter started again"
                comment "$dir/log"
                stop_daemon
                continue 2
            fi
        fi

        miltertest -D port="$port" -D pid="$daemon_pid" -D dir="$dir" -D lib="$here/lib.lua" \
            -D phase="$phase" -s "$script" > "$dir/out" 2> "$dir/err"
        status=$?

        # The script's own checks, numbered here.
        while IFS= read -r line; do
            case $line in
                "ok - "*) ok "$name: ${line#ok - }" ;;
                "not ok - "*) not_ok "$name: ${line#not ok - }" ;;
                *) echo "# $line" ;;
            esac
        done < "$dir/out"

        if [ $status -eq 0 ]; then
            ok "$name: script ran to the end$([ "$phases" = 1 ] || echo " (phase $phase)")"
        else
            not_ok "$name: script ran to the end (miltertest exited $status)"
            comment "$dir/err"
        fi
    done

    if kill -0 "$daemon_pid" 2> /dev/null; then
        ok "$name: council-milter still running"
    else
        not_ok "$name: council-milter still running"
    fi
    stop_daemon
    # libmilter owns SIGTERM: smfi_main returns, main removes the pid file
    # and exits 0.  Checked once for all scenarios, after the loop.
    if [ $daemon_status -ne 0 ] || [ -f "$dir/pid" ]; then
        unclean="$unclean $name(status $daemon_status$([ -f "$dir/pid" ] && echo ', pid file left'))"
    fi

    # What the daemon must (not) have logged.
    directive log "$script" > "$dir/want"
    while IFS= read -r text; do
        if grep -qF -- "$text" "$dir/log"; then
            ok "$name: logged \"$text\""
        else
            not_ok "$name: logged \"$text\""
        fi
    done < "$dir/want"
    directive nolog "$script" > "$dir/want"
    while IFS= read -r text; do
        if grep -qF -- "$text" "$dir/log"; then
            not_ok "$name: did not log \"$text\""
        else
            ok "$name: did not log \"$text\""
        fi
    done < "$dir/want"

    # On a failure in this scenario, show the daemon's log.
    if [ $failed -gt $failed_before ]; then
        for log in "$dir"/log.*; do
            [ -f "$log" ] || continue
            echo "# council-milter log of $name, phase ${log##*.}:"
            comment "$log"
        done
        echo "# council-milter log of $name:"
        comment "$dir/log"
    fi
done

if [ -z "$unclean" ]; then
    ok "council-milter stopped cleanly on SIGTERM (exit 0, pid file removed) in every scenario"
else
    not_ok "council-milter stopped cleanly on SIGTERM (exit 0, pid file removed) in every scenario: not in$unclean"
fi

echo "miltertest: $passed passed, $failed failed"
[ $failed -eq 0 ]

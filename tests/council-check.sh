#!/bin/sh
# council-check.sh: the command-line contract of council-check(1): exit
# status, --json on every test message (one object, exactly the fields
# of DESIGN.md), --from/--rcpt, standard input, and clear errors.
set -u
top_srcdir=${TOP_SRCDIR:?}
check=${TOP_BUILDDIR:?}/council-check
conf=$top_srcdir/config/council-milter.conf
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok () { passed=$((passed + 1)); }
fail () { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect STATUS PATTERN -- command...: the status, and PATTERN in its output.
expect () {
    want=$1 pattern=$2
    shift 3
    out=$("$@" 2>&1)
    status=$?
    if [ "$status" -ne "$want" ]; then
        fail "$* exited $status, not $want: $out"
    elif ! printf '%s' "$out" | grep -q -- "$pattern"; then
        fail "$* did not print '$pattern': $out"
    else
        ok
    fi
}

# 1. --json on every test message: one object with the contract's fields.
for f in "$top_srcdir"/tests/messages/*/*/*.eml; do
    if "$check" -c "$conf" --json "$f" > "$scratch/out.json" 2> "$scratch/err"; then
        if python3 - "$scratch/out.json" "$f" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
v = json.loads(text)
assert text.count("\n") == 1, "one line, one object"
assert set(v) == {"action", "checked", "sender", "findings"}, v.keys()
assert v["action"] in ("accept", "tag", "warn", "hold", "reject"), v["action"]
assert v["checked"] is True
assert set(v["sender"]) == {"address", "role", "name"}
assert v["sender"]["role"] in ("member", "officer", "external")
order = ["accept", "tag", "warn", "hold", "reject"]
for f in v["findings"]:
    assert set(f) == {"rule", "action", "clause", "summary", "evidence", "people"}, f.keys()
    assert f["action"] in ("off", "tag", "warn", "hold", "reject")
    assert f["clause"] and f["summary"] and f["evidence"]
    assert all(isinstance(e, str) and e for e in f["evidence"])
    assert all("@" in p for p in f["people"])
    assert order.index(v["action"]) >= order.index(f["action"])
rule = sys.argv[2].split("/")[-3]
kind = sys.argv[2].split("/")[-2]
rules = [f["rule"] for f in v["findings"]]
if kind == "breach":
    assert rule in rules, rules
else:
    assert rules == [] and v["action"] == "accept", rules
PY
        then ok; else fail "--json contract on $f"; fi
    else
        fail "council-check --json $f exited non-zero: $(cat "$scratch/err")"
    fi
done

msg=$top_srcdir/tests/messages/member-obligation/breach/council-will-pay-boundary-wall-to-resident.eml

# 2. Plain output, standard input, envelope options.
expect 0 "verdict: hold" -- "$check" -c "$conf" "$msg"
expect 0 "member-obligation \[hold\], South Ribble 13.2" -- "$check" -c "$conf" "$msg"
expect 0 '"action": "hold"' -- sh -c "\"$check\" -c \"$conf\" --json - < \"$msg\""
printf 'From: cllr.jane.smith@northmoor.gov.uk\nTo: tom.baker@northmoor.gov.uk\nSubject: drains\n\nPlease look at the drains.\n' > "$scratch/plain.eml"
expect 0 '"findings": \[\]' -- "$check" -c "$conf" --json "$scratch/plain.eml"
expect 0 '"rule": "bcc-member"' -- "$check" -c "$conf" --json --rcpt tom.baker@northmoor.gov.uk --rcpt raj.patel@outlook.com "$scratch/plain.eml"
expect 0 '"checked": false' -- "$check" -c "$conf" --json --from resident@example.org "$scratch/plain.eml"
sed 's/^From: .*/From: Jane <jane@example.org>/' "$scratch/plain.eml" > "$scratch/personal.eml"
expect 0 '"checked": false' -- "$check" -c "$conf" --json "$scratch/personal.eml"
expect 0 '"address": "janesmith1962@gmail.com", "role": "member"' -- "$check" -c "$conf" --json --from JaneSmith1962@gmail.com --rcpt tom.baker@northmoor.gov.uk "$scratch/personal.eml"

# 2b. Distribution lists (issue 10): a message to a list is a message to
# each person on it, so criticism of an officer sent to all-councillors@
# is copied to members, and the summary names the list.
printf 'From: Cllr Raj Patel <cllr.raj.patel@northmoor.gov.uk>\nTo: All Councillors <all-councillors@northmoor.gov.uk>\nSubject: Car park charges\n\nColleagues,\n\nThe Director of Finance has bungled the car park charges review and it has cost us a year of income.\n\nRaj\n' > "$scratch/list.eml"
expect 0 '"rule": "officer-criticism", "action": "hold", "clause": "South Ribble 16.2", "summary": "criticism of Mark Evans (Director of Finance) copied to all-councillors@northmoor.gov.uk (7 members)"' -- "$check" -c "$conf" --json "$scratch/list.eml"
# The envelope naming the list (Postfix before any expansion) is the same.
expect 0 'copied to all-councillors@northmoor.gov.uk (7 members)' -- "$check" -c "$conf" --json --rcpt All-Councillors@northmoor.gov.uk "$scratch/list.eml"
# A nested list: cabinet@ is on all-councillors@; to cabinet@ alone, its two members.
sed 's/^To: .*/To: cabinet@northmoor.gov.uk/' "$scratch/list.eml" > "$scratch/cabinet.eml"
expect 0 'copied to cabinet@northmoor.gov.uk (2 members)' -- "$check" -c "$conf" --json "$scratch/cabinet.eml"
# A list named in Bcc of a member's mail to an officer: each member on it is a blind copy.
printf 'From: cllr.jane.smith@northmoor.gov.uk\nTo: tom.baker@northmoor.gov.uk\nBcc: cabinet@northmoor.gov.uk\nSubject: drains\n\nTom, please look at the drains on Moor Lane.\n' > "$scratch/bcclist.eml"
expect 0 '"rule": "bcc-member"' -- "$check" -c "$conf" --json "$scratch/bcclist.eml"

# 2c. Seeing the directory (issue 10 item 5): --directory prints the
# source, counts by role and office, and each list with its size; --who
# says whom an address resolves to; an unlisted one is an answer (exit 0,
# as DESIGN.md has it for council-check).
# The configuration's paths are made absolute and canonical ("build/.." gone).
dir=$(cd "$top_srcdir/config" && pwd -P)/directory.conf
expect 0 "^source:     file $dir\$" -- "$check" -c "$conf" --directory
expect 0 "^members:    7 (chair 1, leader 1, group-leader 1, cabinet 2)\$" -- "$check" -c "$conf" --directory
expect 0 "^officers:   7 named, 7 with a job title\$" -- "$check" -c "$conf" --directory
expect 0 "^media:      northmoorgazette.co.uk, bbc.co.uk, moorlandnews.com (3 media domains)\$" -- "$check" -c "$conf" --directory
expect 0 "^monitoring officer: monitoring.officer@northmoor.gov.uk (Peter Ward, Monitoring Officer)\$" -- "$check" -c "$conf" --directory
expect 0 "^lists:      2\$" -- "$check" -c "$conf" --directory
expect 0 "^  all-councillors: all-councillors@northmoor.gov.uk: 7 people (7 members, 0 officers)\$" -- "$check" -c "$conf" --directory
expect 0 "^  cabinet: cabinet@northmoor.gov.uk: 2 people (2 members, 0 officers)\$" -- "$check" -c "$conf" --directory
# A councillor: name, offices, other addresses, lists (nested ones too).
expect 0 "^cllr.raj.patel@northmoor.gov.uk: member Raj Patel (leader, cabinet)\$" -- "$check" -c "$conf" --who Cllr.Raj.Patel@Northmoor.gov.uk
expect 0 "^  other addresses: raj.patel@outlook.com\$" -- "$check" -c "$conf" --who cllr.raj.patel@northmoor.gov.uk
expect 0 "^  lists: all-councillors (all-councillors@northmoor.gov.uk), cabinet (cabinet@northmoor.gov.uk)\$" -- "$check" -c "$conf" --who cllr.raj.patel@northmoor.gov.uk
# An officer with several addresses, asked by the second: the monitoring officer.
expect 0 "^monitoring.officer@northmoor.gov.uk: officer Peter Ward, Monitoring Officer; the monitoring officer, who reviews held mail\$" -- "$check" -c "$conf" --who monitoring.officer@northmoor.gov.uk
expect 0 "^  other addresses: peter.ward@northmoor.gov.uk\$" -- "$check" -c "$conf" --who monitoring.officer@northmoor.gov.uk
expect 0 "^  lists: none\$" -- "$check" -c "$conf" --who monitoring.officer@northmoor.gov.uk
# A list address: its people.
expect 0 "^cabinet@northmoor.gov.uk: list cabinet, 2 people (2 members, 0 officers)\$" -- "$check" -c "$conf" --who cabinet@northmoor.gov.uk
expect 0 "^  people: Raj Patel (member), Susan Clarke (member)\$" -- "$check" -c "$conf" --who cabinet@northmoor.gov.uk
# Not in the directory: exit 0 still, and what the address counts as.
expect 0 "^resident@example.org: not in the directory: external\$" -- "$check" -c "$conf" --who resident@example.org
expect 0 "^payroll@northmoor.gov.uk: not in the directory: an unnamed officer (northmoor.gov.uk is a council domain)\$" -- "$check" -c "$conf" --who payroll@northmoor.gov.uk
expect 0 "^news@bbc.co.uk: not in the directory: external, media (bbc.co.uk is a media domain)\$" -- "$check" -c "$conf" --who news@bbc.co.uk
# One unlisted address among listed ones: each is answered, exit 0.
expect 0 "^tom.baker@northmoor.gov.uk: officer Tom Baker, Head of Planning\$" -- "$check" -c "$conf" --who tom.baker@northmoor.gov.uk --who resident@example.org
# A malformed address: a clear line, not a crash; a terminal escape in it is shown, not sent.
expect 0 "^Jane Smith: not a mail address\$" -- "$check" -c "$conf" --who "Jane Smith"
expect 0 '^\\x1b\[31mx@y: not a mail address$' -- "$check" -c "$conf" --who "$(printf '\033[31mx@y')"
if "$check" -c "$conf" --who "$(printf '\033[31mx@y')" | grep -q "$(printf '\033')"; then fail "--who sent an escape to the terminal"; else ok; fi
# --json: one object on one line, with the directory and the answers.
if "$check" -c "$conf" --directory --who cllr.jane.smith@northmoor.gov.uk --who all-councillors@northmoor.gov.uk \
        --who linda.carter@northmoor.gov.uk --who resident@example.org --who nonsense --json > "$scratch/dir.json"; then
    :
else
    fail "--who with unlisted addresses did not exit 0"
fi
if python3 - "$scratch/dir.json" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
assert text.count("\n") == 1, "one line, one object"
v = json.loads(text)
assert set(v) == {"directory", "who"}, v.keys()
d = v["directory"]
assert d["source"] == {"type": "file", "file": d["source"]["file"]} and d["source"]["file"].endswith("config/directory.conf")
assert d["counts"]["members"] == 7 and d["counts"]["officers"] == 7 and d["counts"]["lists"] == 2
assert d["counts"]["offices"] == {"chair": 1, "mayor": 0, "leader": 1, "group-leader": 1, "cabinet": 2}
assert d["monitoring_officer"] == {"address": "monitoring.officer@northmoor.gov.uk", "name": "Peter Ward", "title": "Monitoring Officer"}
assert d["lists"][0] == {"name": "all-councillors", "addresses": ["all-councillors@northmoor.gov.uk"], "size": 7, "members": 7, "officers": 0}
jane, allc, linda, resident, nonsense = v["who"]
assert jane["listed"] and jane["kind"] == "person" and jane["role"] == "member" and jane["name"] == "Jane Smith"
assert jane["offices"] == ["chair"] and jane["addresses"] == ["cllr.jane.smith@northmoor.gov.uk", "janesmith1962@gmail.com"]
assert [l["name"] for l in jane["lists"]] == ["all-councillors"]
assert allc["kind"] == "list" and allc["size"] == 7 and len(allc["people"]) == 7
assert linda["title"] == "Chief Executive" and linda["addresses"] == ["linda.carter@northmoor.gov.uk", "chief.executive@northmoor.gov.uk"]
assert resident == {"address": "resident@example.org", "listed": False, "kind": None, "role": "external", "media": False}
assert nonsense == {"address": "nonsense", "listed": False, "error": "not a mail address"}
PY
then ok; else fail "--directory --who --json: $(cat "$scratch/dir.json")"; fi
expect 0 '^{"who": \[{"address": "cabinet@northmoor.gov.uk", "listed": true, "kind": "list"' -- "$check" -c "$conf" --who cabinet@northmoor.gov.uk --json
# They read no message.
expect 2 "read no message" -- "$check" -c "$conf" --directory "$msg"
expect 2 "read no message" -- "$check" -c "$conf" --who tom.baker@northmoor.gov.uk --rcpt x@example.org

# 3. Errors: exit 2 with a message that says what is wrong.
expect 2 "Unknown option" -- "$check" -c "$conf" --bogus "$msg"
expect 2 "one message at a time" -- "$check" -c "$conf" "$msg" "$msg"
expect 2 "No such file" -- "$check" -c "$conf" "$scratch/missing.eml"
expect 2 "No such file" -- "$check" -c "$scratch/missing.conf" "$msg"
printf '[milter]\nmode=loud\n' > "$scratch/bad.conf"
expect 2 "bad.conf:2: \[milter\] mode: \"loud\" is not one of enforce, advise, monitor" -- "$check" -c "$scratch/bad.conf" "$msg"
printf '[council]\nname=X\ndomains=x.gov.uk\n[member:A B]\naddresses=nope\n' > "$scratch/dir.conf"
printf '[milter]\ndirectory=dir.conf\n[policy]\nlexicon=%s\n' "$top_srcdir/config/lexicon" > "$scratch/withdir.conf"
expect 2 "dir.conf:5: \[member:A B\] addresses: \"nope\" is not a mail address" -- "$check" -c "$scratch/withdir.conf" "$msg"

printf '[council]\nname=X\ndomains=x.gov.uk\n[list:a]\naddresses=a@x.gov.uk\nmembers=b\n[list:b]\nmembers=a\n' > "$scratch/dir.conf"
expect 2 "dir.conf:6: \[list:a\] members: lists contain each other: a -> b -> a" -- "$check" -c "$scratch/withdir.conf" "$msg"

# 4. A malformed message still gets a clean verdict.
printf 'From: cllr.jane.smith@northmoor.gov.uk\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/html; charset=bogus\n\n<p>unclosed <b>\xff\xfe' > "$scratch/broken.eml"
expect 0 '"checked": true' -- "$check" -c "$conf" --json "$scratch/broken.eml"
: > "$scratch/empty.eml"
expect 0 '"checked": false' -- "$check" -c "$conf" --json "$scratch/empty.eml"

# 5. Bounded work (issue 9 item 2, F4): multipart deeper than
# max-mime-depth was read as nothing, verdict accept, without a word.
# Now the scan is partial, said in a note and in the JSON "scan" member;
# --authenticated judges it as mail from a client that logged in, which
# [policy] partial holds.
{
    printf 'From: cllr.jane.smith@northmoor.gov.uk\nTo: resident@example.org\nSubject: wall\nMIME-Version: 1.0\n'
    i=0
    while [ $i -lt 40 ]; do
        printf 'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' $i $i
        i=$((i + 1))
    done
    printf 'Content-Type: text/plain\n\nThe council will pay you 5000 pounds for the wall.\n'
} > "$scratch/deep.eml"
expect 0 "note:    read in part: mime-depth 33 > 32 (\[policy\] partial: accept)" -- "$check" -c "$conf" "$scratch/deep.eml"
expect 0 '"findings": \[\], "scan": {"complete": false, "bytes": [0-9]*, "truncated": false, "partial": \["mime-depth 33 > 32"\], "partial_action": "accept"}}' -- "$check" -c "$conf" --json "$scratch/deep.eml"
expect 0 '^{"action": "hold", .*"partial_action": "hold"}}$' -- "$check" -c "$conf" --json --authenticated "$scratch/deep.eml"
expect 0 "verdict: hold, 0 findings" -- "$check" -c "$conf" --authenticated "$scratch/deep.eml"
# The example with [policy] max-mime-depth=50 (or another KEY=VALUE) and
# the source tree's paths.
policy_variant () {
    sed -e "s#^\[policy\]#[policy]\\n$1#" -e "s#^directory=.*#directory=$top_srcdir/config/directory.conf#" \
        -e "s#^lexicon=.*#lexicon=$top_srcdir/config/lexicon#" \
        -e "s#^paragraphs=.*#paragraphs=$top_srcdir/config/paragraphs.conf#" \
        -e "s#^weights=.*#weights=$top_srcdir/config/weights.conf#" \
        -e "s#^valence=.*#valence=$top_srcdir/config/valence.txt#" "$conf"
}
policy_variant max-mime-depth=50 > "$scratch/deeper.conf"
expect 0 '"rule": "member-obligation"' -- "$check" -c "$scratch/deeper.conf" --json "$scratch/deep.eml"
policy_variant max-html-depth=1000 > "$scratch/bad-cap.conf"
expect 2 'bad-cap.conf:[0-9]*: \[policy\] max-html-depth: "1000" is not a whole number from 8 to 256' -- "$check" -c "$scratch/bad-cap.conf" "$scratch/deep.eml"

echo "council-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

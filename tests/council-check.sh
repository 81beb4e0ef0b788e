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

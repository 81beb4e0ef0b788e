#!/usr/bin/env bash
# seeds.sh: make the seed corpus of one libFuzzer harness of tests/fuzz/
# at run time (nothing of it is kept in git).
#
#   bash tests/fuzz/seeds.sh HARNESS SRCDIR OUTDIR [CORPORA_DIR]
#
# Messages come from tests/messages (all), tests/labelled (one in 40) and
# CORPORA_DIR, the real mail of ../shared/corpora (one in 30, under
# 64 KB), when it is given and there; the loaders' seeds are the example
# configuration's files under config/.  For fuzz_milter each message
# gets the two bytes that choose its envelope and chunk size
# (fuzz_milter.c); for fuzz_replies a first line with the envelope
# recipient, and a few replies to a hold notice are added.
set -euo pipefail

harness=$1 srcdir=$2 out=$3 corpora=${4:-}
mkdir -p "$out"

# The sample of messages, one path a line, in a stable order.
messages () {
    find "$srcdir/tests/messages" -name '*.eml' | LC_ALL=C sort
    find "$srcdir/tests/labelled" -name '*.eml' | LC_ALL=C sort | awk 'NR % 40 == 1'
    if [ -n "$corpora" ] && [ -d "$corpora" ]; then
        find "$corpora" -type f -size -64k ! -name '*.md' | LC_ALL=C sort | awk 'NR % 30 == 1'
    fi
}

# A byte given as a number, to standard output.
byte () {
    printf "\\$(printf %03o "$1")"
}

# The reply address of a hold under the example configuration.
reply_address=protocol+hold-20260101-000000-abcdef-0123456789abcdef@northmoor.gov.uk

replies () {
    local head="From: Cllr Jane Smith <cllr.jane.smith@northmoor.gov.uk>
To: $reply_address
Subject: Re: Member/Officer Protocol notice
MIME-Version: 1.0"
    printf '%s\n%s\nContent-Type: text/plain\n\nWITHDRAW\n\n> The Monitoring Officer will review it\n' \
        "$reply_address" "$head" >"$out/reply-plain"
    printf '%s\n%s\nContent-Type: multipart/alternative; boundary="alt"\n\n--alt\nContent-Type: text/html; charset=utf-8\n\n<html><body><div>I was quoting the resident.</div><div class="gmail_quote">On Mon wrote:<blockquote>held</blockquote></div></body></html>\n--alt\nContent-Type: text/plain; charset=utf-8\n\nI was quoting the resident.\n\nOn Mon, 10 Jun 2024, Protocol wrote:\n> held\n--alt--\n' \
        "$reply_address" "$head" >"$out/reply-alternative"
    printf '%s\n%s\nContent-Type: multipart/mixed; boundary="mix"\n\n--mix\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n<p>Withdraw, please=2E</p>\n--mix\nContent-Type: text/plain; name="minutes.txt"\nContent-Disposition: attachment; filename="minutes.txt"\n\nMinutes.\n--mix--\n' \
        "$reply_address" "$head" >"$out/reply-mixed"
}

n=0
case "$harness" in
    fuzz_engine)
        messages | while read -r f; do n=$((n + 1)); cp "$f" "$out/m$n"; done ;;
    fuzz_milter)
        # Envelope byte: sender (0-7), authenticated, recipients (1-15).
        messages | while read -r f; do
            n=$((n + 1))
            { byte $(( (n % 8) | ((n % 3 != 0) ? 8 : 0) | ((n * 7 % 15 + 1) << 4) )); byte $((n % 4)); cat "$f"; } >"$out/m$n"
        done ;;
    fuzz_replies)
        replies
        messages | awk 'NR % 8 == 1' | while read -r f; do
            n=$((n + 1)); { echo "$reply_address"; cat "$f"; } >"$out/m$n"
        done ;;
    fuzz_config) cp "$srcdir/config/council-milter.conf" "$out/" ;;
    fuzz_directory) cp "$srcdir/config/directory.conf" "$out/" ;;
    fuzz_paragraphs) cp "$srcdir/config/paragraphs.conf" "$out/" ;;
    fuzz_lexicon) cp "$srcdir"/config/lexicon/*.txt "$out/" ;;
    *) echo "seeds.sh: no seeds for $harness" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# valence.sh: write the evaluative lexicon the cues read ([policy] valence)
# from VADER's lexicon (Hutto and Gilbert, 2014; Apache-2.0), taken from
# the npm package vader-sentiment at build time: it is never copied into
# the source tree.
#
#   bash contrib/valence.sh DEST
#
# DEST gets one word a line: WORD<TAB>VALENCE, VALENCE from -4 (most
# negative) to +4; single words only (VADER's emoticons and phrases are
# left out).  Needs npm (Debian's package) and the npm registry.
set -euo pipefail
dest=${1:?usage: valence.sh DEST}
version=1.1.3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "vader-sentiment@$version" >/dev/null)
tar -xzf "$work/vader-sentiment-$version.tgz" -C "$work" package/vader_lexicon.txt
{
    echo "# The valence of English words, from VADER's lexicon (vader-sentiment $version"
    echo "# on the npm registry, Apache-2.0), written by contrib/valence.sh."
    awk -F '\t' '$1 ~ /^[a-z][a-z'"'"'-]*$/ && $2 != "" { printf "%s\t%s\n", $1, $2 }' \
        "$work/package/vader_lexicon.txt"
} > "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "valence: $(grep -vc '^#' "$dest") words in $dest"

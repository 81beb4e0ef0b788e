#!/usr/bin/env python3
"""corpora.py: how much of the real mail in ../shared/corpora (none of it
council mail) draws a finding when it is checked as a councillor's mail
to another councillor, a named officer, the press and a resident.

    corpora.py --council-check PATH --config CONF --corpora DIR [--list]

Prints the count and share of messages with any finding other than
bcc-member, for all of them and for the half the trainer never sees.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import CORPUS_ENVELOPE, corpus_files, corpus_half  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--council-check", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--corpora", required=True)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    files = corpus_files(args.corpora)

    def judge(path):
        out = subprocess.run([args.council_check, "-c", args.config, "--json"] + CORPUS_ENVELOPE + [path],
                             capture_output=True, text=True, errors="replace")
        if out.returncode != 0:
            raise SystemExit(f"{path}: council-check exited {out.returncode}: {out.stderr.strip()}")
        return [f for f in json.loads(out.stdout)["findings"] if f["rule"] != "bcc-member"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        found = list(pool.map(judge, files))
    fired = [(p, f) for p, f in zip(files, found) if f]
    held = [p for p in files if corpus_half(p) == "held"]
    fired_held = [p for p, _ in fired if corpus_half(p) == "held"]
    print(f"corpora: {len(fired)} of {len(files)} messages ({100 * len(fired) / len(files):.2f}%) draw a finding "
          f"other than bcc-member; of the half the trainer never saw, {len(fired_held)} of {len(held)} "
          f"({100 * len(fired_held) / max(1, len(held)):.2f}%)")
    by_rule = {}
    for _, fs in fired:
        for f in fs:
            by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    for rule, n in sorted(by_rule.items()):
        print(f"  {rule}: {n}")
    if args.list:
        for p, fs in fired:
            print(f"{os.path.relpath(p, args.corpora)}: {', '.join(f['rule'] for f in fs)}: {fs[0]['evidence'][:1]}")


if __name__ == "__main__":
    main()

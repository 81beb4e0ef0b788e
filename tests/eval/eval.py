#!/usr/bin/env python3
"""eval.py: precision, recall and F1 of each rule on a split of the
labelled messages (tests/labelled), as council-check judges them.

A message is a positive for RULE when it lies under RULE/breach/ or names
RULE in an X-Test-Also header; the engine's answer is positive when
council-check --json gives a finding of RULE.

    eval.py --council-check PATH --config CONF [--split test|dev|train|all]
            [--rules-messages] [--misses] [--top DIR]

--rules-messages adds the rules' own example messages (tests/messages),
which the word lists were written from: with --split train only.
Prints one line per rule and a micro-averaged line over all rules and
over the three core rules, then how many of the ordinary messages
(tests/labelled/ordinary: everyday mail that breaks no rule) draw any
finding.
"""
import argparse
import concurrent.futures
import email
import email.policy
import json
import os
import subprocess
import sys

RULES = ["bcc-member", "officer-criticism", "member-obligation", "confidential-disclosure",
         "political-use", "employment-lobbying", "disrespect", "officer-political"]
CORE = RULES[:3]


def labelled(top, splits):
    """(split, path) of each labelled message whose split is in SPLITS."""
    base = os.path.join(top, "tests", "labelled")
    with open(os.path.join(base, "SPLIT")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                s, path = line.split(None, 1)
                if s in splits:
                    yield s, os.path.join(base, path.strip())


def rule_examples(top):
    """("train", path) of each of the rules' own example messages."""
    base = os.path.join(top, "tests", "messages")
    for rule in RULES:
        for label in ("breach", "compliant"):
            d = os.path.join(base, rule, label)
            for name in sorted(os.listdir(d)):
                if name.endswith(".eml"):
                    yield "train", os.path.join(d, name)


def messages(top, split, rules_messages):
    splits = {"train", "dev", "test"} if split == "all" else {split}
    for _, path in labelled(top, splits):
        yield path
    if rules_messages:
        for _, path in rule_examples(top):
            yield path


def truth(path):
    rule = os.path.basename(os.path.dirname(os.path.dirname(path)))
    label = os.path.basename(os.path.dirname(path))
    positives = {rule} if label == "breach" else set()
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.compat32)
    for also in msg.get_all("X-Test-Also") or []:
        positives.add(also.strip())
    return positives


def is_ordinary(path):
    """Is PATH everyday mail that breaks no rule (tests/labelled/ordinary)?"""
    return os.sep + "ordinary" + os.sep in path


def judge(args, path):
    out = subprocess.run([args.council_check, "-c", args.config, "--json", path],
                         capture_output=True, text=True, errors="replace")
    if out.returncode != 0:
        raise SystemExit(f"{path}: council-check exited {out.returncode}: {out.stderr.strip()}")
    verdict = json.loads(out.stdout)
    return {f["rule"] for f in verdict["findings"]}, verdict


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--council-check", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--split", default="test", choices=["train", "dev", "test", "all"])
    ap.add_argument("--rules-messages", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list the wrong answers")
    ap.add_argument("--top", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    args = ap.parse_args()

    paths = list(messages(args.top, args.split, args.rules_messages))
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        answers = list(pool.map(lambda p: judge(args, p), paths))
    counts = {r: [0, 0, 0] for r in RULES}
    wrong = []
    for path, (found, verdict) in zip(paths, answers):
        want = truth(path)
        for r in RULES:
            if r in want and r in found:
                counts[r][0] += 1
            elif r in found:
                counts[r][1] += 1
                wrong.append(("FP", r, path, verdict))
            elif r in want:
                counts[r][2] += 1
                wrong.append(("FN", r, path, verdict))

    breaches = sum(1 for p in paths if "/breach/" in p)
    print(f"eval: split {args.split}, {len(paths)} messages ({breaches} breach, {len(paths) - breaches} compliant)")
    print(f"{'rule':26} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'F1':>6}")
    for r in RULES:
        tp, fp, fn = counts[r]
        p, rc, f = prf(tp, fp, fn)
        print(f"{r:26} {tp:4} {fp:4} {fn:4} {p:9.2f} {rc:7.2f} {f:6.2f}")
    for name, group in (("micro (core three)", CORE), ("micro (all eight)", RULES)):
        tp = sum(counts[r][0] for r in group)
        fp = sum(counts[r][1] for r in group)
        fn = sum(counts[r][2] for r in group)
        p, rc, f = prf(tp, fp, fn)
        print(f"{name:26} {tp:4} {fp:4} {fn:4} {p:9.2f} {rc:7.2f} {f:6.2f}")
    ordinary = [found for path, (found, _) in zip(paths, answers) if is_ordinary(path)]
    if ordinary:
        # Everyday mail that breaks no rule (tests/labelled/ordinary): each
        # finding on it is a hold or a warning nobody should have had.
        print(f"ordinary mail: {sum(1 for f in ordinary if f)} of {len(ordinary)} draw a finding")
    if args.misses:
        for kind, r, path, verdict in wrong:
            ev = [e for f in verdict["findings"] if f["rule"] == r for e in f["evidence"]]
            print(f"{kind} {r} {os.path.relpath(path, args.top)} {ev[:2] if ev else ''}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""split.py: give every labelled message not yet in tests/labelled/SPLIT a
split (train, dev or test) by a hash of its path, and append it.

A message's split is fixed once written: the file is only ever appended
to, so re-running after adding messages never moves an old one.  About
60% train, 20% dev, 20% test.

    python3 tests/eval/split.py [TOP]
"""
import hashlib
import os
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
labelled = os.path.join(top, "tests", "labelled")
split_file = os.path.join(labelled, "SPLIT")

known = {}
if os.path.exists(split_file):
    with open(split_file) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                split, path = line.split(None, 1)
                known[path.strip()] = split

added = []
for rule in sorted(os.listdir(labelled)):
    for label in ("breach", "compliant"):
        d = os.path.join(labelled, rule, label)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".eml"):
                continue
            path = f"{rule}/{label}/{name}"
            if path in known:
                continue
            bucket = int(hashlib.sha256(path.encode()).hexdigest(), 16) % 10
            split = "train" if bucket < 6 else "dev" if bucket < 8 else "test"
            added.append((split, path))

with open(split_file, "a") as f:
    if not known:
        f.write("# The split of each labelled message: assigned once by split.py, never changed.\n")
    for split, path in added:
        f.write(f"{split} {path}\n")
print(f"split: {len(added)} messages added, {len(known) + len(added)} in all")

#!/usr/bin/env python3
"""conf-set.py FILE GROUP KEY VALUE [GROUP KEY VALUE]...

Set KEY=VALUE in [GROUP] of the council-milter key file FILE, in place:
the key's line is replaced, or the key is added at the end of its group,
or the group is added at the end of the file.  Comments and order are
kept.  Used by the integration test and by contrib/demo.sh.
"""
import sys


def main(args):
    path, want = args[0], {}
    for i in range(1, len(args), 3):
        want.setdefault(args[i], {})[args[i + 1]] = args[i + 2]
    out, group, done = [], None, set()

    def flush(g):
        for k, v in want.get(g, {}).items():
            if (g, k) not in done:
                out.append("%s=%s" % (k, v))
                done.add((g, k))

    for line in open(path, encoding="utf-8").read().splitlines():
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            while out and not out[-1].strip():
                out.pop()
            flush(group)
            if out:
                out.append("")
            group = s[1:-1]
        elif "=" in s and not s.startswith("#") and s.split("=", 1)[0].strip() in want.get(group, {}):
            k = s.split("=", 1)[0].strip()
            line = "%s=%s" % (k, want[group][k])
            done.add((group, k))
        out.append(line)
    flush(group)
    for g in want:
        if any((g, k) not in done for k in want[g]):
            out += ["", "[%s]" % g]
            flush(g)
    open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 5 or (len(sys.argv) - 2) % 3:
        sys.exit("usage: conf-set.py FILE GROUP KEY VALUE [GROUP KEY VALUE]...")
    main(sys.argv[1:])

#!/usr/bin/env python3
"""mailpart.py: read one message file as a test needs it.

    mailpart.py FILE text            the first text/plain part, white space collapsed
    mailpart.py FILE header NAME     a header's value (unfolded), or nothing
    mailpart.py FILE types           the content types of every part, one per line
    mailpart.py FILE has TEXT...     exit 0 when the first text/plain part has every TEXT
                                     (white space collapsed on both sides), else say
                                     which is missing and exit 1
"""
import email
import email.policy
import sys


def load(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.compat32)


def first_text(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart():
            raw = part.get_payload(decode=True) or b""
            return " ".join(raw.decode(part.get_content_charset() or "utf-8", "replace").split())
    return ""


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    message = load(argv[1])
    what = argv[2]
    if what == "text":
        print(first_text(message))
    elif what == "header":
        print(" ".join(str(message.get(argv[3], "")).split()))
    elif what == "types":
        for part in message.walk():
            params = part.get_params() or []
            extra = "".join("; %s=%s" % (k, v) for k, v in params[1:])
            print(part.get_content_type() + extra)
    elif what == "has":
        text = first_text(message)
        missing = [t for t in argv[3:] if " ".join(t.split()) not in text]
        if missing:
            print("missing: " + " | ".join(missing))
            sys.exit(1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

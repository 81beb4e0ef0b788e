#!/usr/bin/env python3
"""holdctl.py: what council-review and a busy reviewer do to a hold spool,
for the scenarios of tests/milter/ (the daemon's own view is the test).

  holdctl.py release SPOOL      mark the newest hold released, as
                                council-review does before re-injecting it,
                                and print "ID TOKEN" (its release mark)
  holdctl.py lock SPOOL SECONDS READY
                                hold a write transaction on the index for
                                SECONDS, creating the file READY once it
                                holds it (another process busy on it)
"""
import hashlib
import hmac
import os
import sqlite3
import sys
import time


def release(spool):
    db = sqlite3.connect(os.path.join(spool, "index.sqlite"))
    (hold_id,) = db.execute("SELECT id FROM holds ORDER BY held_at DESC, rowid DESC LIMIT 1").fetchone()
    with db:
        db.execute("UPDATE holds SET state = 'released', decided_by = 'test' WHERE id = ?", (hold_id,))
    with open(os.path.join(spool, "secret"), "rb") as f:
        key = f.read()
    token = hmac.new(key, ("release:" + hold_id).encode(), hashlib.sha256).hexdigest()
    print(hold_id, token)


def lock(spool, seconds, ready):
    db = sqlite3.connect(os.path.join(spool, "index.sqlite"), isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    open(ready, "w").close()
    time.sleep(float(seconds))
    db.execute("COMMIT")


if __name__ == "__main__":
    if sys.argv[1:2] == ["release"] and len(sys.argv) == 3:
        release(sys.argv[2])
    elif sys.argv[1:2] == ["lock"] and len(sys.argv) == 5:
        lock(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)

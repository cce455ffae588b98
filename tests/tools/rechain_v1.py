#!/usr/bin/python3
"""Recomputes the audit chain of a credenza database as version 1 wrote it (plain SHA-256, no key),
as anyone able to write the database could: rechain_v1.py DB [LAST_ID]. Rows up to LAST_ID (all by
default); the update trigger must be dropped first."""
import hashlib
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
last = int(sys.argv[2]) if len(sys.argv) > 2 else 2**62
prev = "0" * 64
for (rid, at, op, action, account, detail) in db.execute(
        "SELECT id, at, operator, action, account, detail FROM audit WHERE id <= ? ORDER BY id", (last,)).fetchall():
    fields = (prev, str(rid), at, op, action, account, detail)
    text = "credenza-audit-v1" + "".join("|%d:%s" % (len(f.encode()), f) for f in fields)
    digest = hashlib.sha256(text.encode()).hexdigest()
    db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, rid))
    prev = digest
db.commit()

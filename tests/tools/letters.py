#!/usr/bin/env python3
"""Reads the letters that `credenza send` wrote to an outbox directory (the directory transport).

    letters.py OUTBOX                    one line per letter, oldest first:
                                         FILE<TAB>TO<TAB>USER_CODE<TAB>PASSWORD<TAB>PIN<TAB>EXPIRES
    letters.py OUTBOX --latest CODE      the fields of the newest letter for a user code (same columns)
    letters.py OUTBOX --field NAME CODE  one field (to, password, pin, expires, subject) of that letter
    letters.py OUTBOX --secrets          every password and PIN of every letter, one per line

PIN and EXPIRES are empty when the letter has none. The outbox file names carry the UTC time
they were written at, so the last letter for an account is the one whose credentials work.
"""

import email
import email.policy
import os
import re
import sys

FIELDS = ("file", "to", "user_code", "password", "pin", "expires", "subject")


def read_letter(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()

    def line(label):
        found = re.search(r"^" + label + r": (.*)$", text, re.MULTILINE)
        return found.group(1).strip() if found else ""

    # "scade il 23/12/2026" (Italian) or "expires on 2026-12-23" (English)
    expires = re.search(r"(\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})", text[text.find("scade") :] if "scade" in text else "")
    to = message["To"].addresses[0].addr_spec if message["To"] and message["To"].addresses else ""
    return {
        "file": os.path.basename(path),
        "to": to,
        "user_code": line("Codice utente") or line("User code"),
        "password": line("Password"),
        "pin": line("PIN"),
        "expires": expires.group(1) if expires else "",
        "subject": str(message["Subject"] or ""),
        "text": text,
    }


def all_letters(outbox):
    if not os.path.isdir(outbox):
        return []
    # Named "<class>_<surname>_<code>_<UTC time>-<random>.eml": ordered by the time in the name.
    names = sorted((n for n in os.listdir(outbox) if n.endswith(".eml")),
                   key=lambda n: (re.findall(r"\d{8}T\d{6}\.\d{6}Z", n) or [n])[-1])
    return [read_letter(os.path.join(outbox, n)) for n in names]


def latest(letters, code):
    mine = [letter for letter in letters if letter["user_code"] == code]
    if not mine:
        sys.exit("no letter for '%s'" % code)
    return mine[-1]


def row(letter):
    return "\t".join(letter[f] for f in FIELDS[:6])


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    letters = all_letters(argv[1])
    rest = argv[2:]
    if not rest:
        for letter in letters:
            print(row(letter))
    elif rest[0] == "--latest" and len(rest) == 2:
        print(row(latest(letters, rest[1])))
    elif rest[0] == "--field" and len(rest) == 3 and rest[1] in FIELDS + ("text",):
        print(latest(letters, rest[2])[rest[1]])
    elif rest[0] == "--secrets":
        for letter in letters:
            for field in ("password", "pin"):
                if letter[field]:
                    print(letter[field])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

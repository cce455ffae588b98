#!/usr/bin/python3
"""Prints one part of a letter as a reader gets it, decoded by Python's email package.

    letter_text.py FILE.eml            the text/plain part, every run of white space one space
    letter_text.py --lines FILE.eml    the text/plain part as it is
    letter_text.py --html FILE.eml     the text/html part as it is

Decoding (quoted-printable or base64, the charset) is the email package's, not credenza's.
"""

import email
import email.policy
import re
import sys


def main(argv):
    mode = "words"
    if argv and argv[0] in ("--lines", "--html"):
        mode = argv.pop(0)[2:]
    if len(argv) != 1:
        sys.exit(__doc__)
    with open(argv[0], "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    part = message.get_body(("html",) if mode == "html" else ("plain",))
    if part is None:
        sys.exit("%s: no %s part" % (argv[0], "html" if mode == "html" else "plain text"))
    content = part.get_content()
    print(re.sub(r"\s+", " ", content).strip() if mode == "words" else content, end="\n" if mode == "words" else "")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/python3
"""Checks the credentials letters that credenza delivered, strictly, and prints what they carry.

Usage:
  check_letters.py [--language it|en] [--school-name NAME] [--mail-from ADDR] [--domain D]
                   [--subject TEXT]... [--json] PATH...
  check_letters.py --body FILE

PATH is an .eml file or a directory of them (read in name order, which is the order a
server stored them or the order of the outbox's timestamps). For each message it checks:
  - CRLF line ends only (no bare LF or CR in the raw bytes);
  - Python's email parser with policy=email.policy.default finds no defect in the message
    or any part;
  - Date (parseable), From (the school's name and address), To, Subject, Message-ID
    (<...@DOMAIN>) and MIME-Version 1.0 are present, each once;
  - the Subject, decoded, is one of the built-in subjects of LANGUAGE (or a --subject);
  - exactly one text/plain part, charset UTF-8, quoted-printable;
  - its body has exactly one "Codice utente: X" (en: "User code: X") line and one
    "Password: Y" line; a family letter exactly one "PIN: Z" line, a student letter none;
  - an HTML alternative, if any, carries the same credentials (HTML-escaped);
  - when the directory sits next to the test server's log.jsonl, the To address is the
    envelope recipient the server logged for that message.
Prints one line per message, tab-separated: file, kind, recipient, user code, password,
PIN (- for none), Message-ID; or with --json one object per line that also has the subject
and the pupil lines ("- Name Surname (classe 1A)"). Problems go to stderr as
"FILE: problem"; the exit status is 1 when there was any, 0 otherwise.
--body FILE prints the decoded text/plain body of one message.
"""

import argparse
import email
import email.policy
import email.utils
import html
import json
import os
import re
import sys

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CODE_LABEL = {"it": "Codice utente", "en": "User code"}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="check credenza's credentials letters")
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.add_argument("--language", default="it", choices=sorted(CODE_LABEL))
    parser.add_argument("--school-name", default='ITIS "G. Vallauri"')
    parser.add_argument("--mail-from", default="segreteria@itisvallauri.edu.it")
    parser.add_argument("--domain", default="itisvallauri.edu.it", help="the Message-ID domain")
    parser.add_argument("--subject", action="append", default=[],
                        help="also accept this subject (a school's own template); repeatable")
    parser.add_argument("--json", action="store_true", help="one JSON object per message")
    parser.add_argument("--body", metavar="FILE", help="print the decoded text body of FILE and stop")
    arguments = parser.parse_args(argv)
    if not arguments.paths and not arguments.body:
        parser.error("give at least one PATH")
    return arguments


def builtin_subjects(language, school_name):
    """Subject -> letter kind, from the templates the build embeds."""
    subjects = {}
    for kind in ("family", "student", "reset", "recovery"):
        path = os.path.join(SOURCE_DIR, "schemas", "templates", language, kind + ".txt")
        with open(path, encoding="utf-8") as template:
            first = template.readline().rstrip("\r\n")
        subject = first[len("Subject:"):].strip().replace("{school_name}", school_name)
        subjects[subject] = kind
    return subjects


def message_files(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files.extend(os.path.join(path, name) for name in sorted(os.listdir(path)) if name.endswith(".eml"))
        else:
            files.append(path)
    return files


def envelope_recipients(directory):
    """messages/NNNNNN.eml -> the recipients the test server logged for it, if it logged."""
    log = os.path.join(os.path.dirname(os.path.abspath(directory)), "log.jsonl")
    if not os.path.isfile(log):
        return {}
    recipients = {}
    with open(log, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            recipients["%06d.eml" % number] = json.loads(line)["to"]
    return recipients


def text_part(message):
    return [part for part in message.walk() if part.get_content_type() == "text/plain"]


def single_line(problems, body, label):
    """The value of the one line 'LABEL: value'; a problem when there are none or several."""
    values = re.findall(r"^%s: (\S+)$" % re.escape(label), body, flags=re.MULTILINE)
    if len(values) != 1:
        problems.append("%d lines '%s: ...' in the text body, expected 1" % (len(values), label))
        return None
    return values[0]


def check(path, raw, arguments, subjects, logged):
    problems = []
    if re.search(rb"(?<!\r)\n", raw):
        problems.append("a bare LF in the raw message")
    if re.search(rb"\r(?!\n)", raw):
        problems.append("a bare CR in the raw message")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        for defect in part.defects:
            problems.append("parser defect in %s: %s" % (part.get_content_type(), type(defect).__name__))
    for name in ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version"):
        count = len(message.get_all(name, []))
        if count != 1:
            problems.append("%d '%s' header fields, expected 1" % (count, name))
    record = {"file": os.path.basename(path), "kind": None, "to": None, "user_code": None, "password": None,
              "pin": None, "message_id": None, "subject": None, "pupils": []}
    if problems and any(p.endswith("expected 1") for p in problems):
        return record, problems

    try:
        if message["Date"].datetime is None:
            problems.append("Date '%s' does not parse" % message["Date"])
    except (TypeError, ValueError) as error:
        problems.append("Date does not parse: %s" % error)
    sender = message["From"].addresses
    if len(sender) != 1 or sender[0].display_name != arguments.school_name \
            or sender[0].addr_spec != arguments.mail_from:
        problems.append("From is '%s', expected the school's name and address" % message["From"])
    to = message["To"].addresses
    if len(to) != 1:
        problems.append("To has %d addresses" % len(to))
    else:
        record["to"] = to[0].addr_spec
    envelope = logged.get(os.path.basename(path))
    if envelope is not None and envelope != [record["to"]]:
        problems.append("To '%s' is not the envelope recipient %s" % (record["to"], envelope))
    message_id = str(message["Message-ID"]).strip()
    record["message_id"] = message_id
    if not re.fullmatch(r"<[^<>@\s]+@%s>" % re.escape(arguments.domain), message_id):
        problems.append("Message-ID '%s' does not end in @%s" % (message_id, arguments.domain))
    if str(message["MIME-Version"]).strip() != "1.0":
        problems.append("MIME-Version is '%s'" % message["MIME-Version"])
    subject = str(message["Subject"])
    record["subject"] = subject
    if subject in subjects:
        record["kind"] = subjects[subject]
    elif subject in arguments.subject:
        record["kind"] = "custom"
    else:
        problems.append("unexpected Subject '%s'" % subject)

    plain = text_part(message)
    if len(plain) != 1:
        problems.append("%d text/plain parts, expected 1" % len(plain))
        return record, problems
    part = plain[0]
    if part.get_content_charset() != "utf-8":
        problems.append("text/plain charset is '%s', expected UTF-8" % part.get_content_charset())
    if part.get("Content-Transfer-Encoding", "").lower() != "quoted-printable":
        problems.append("text/plain is '%s', expected quoted-printable" % part.get("Content-Transfer-Encoding"))
    # The body was sent with CRLF line ends, which decoding keeps.
    body = part.get_content().replace("\r\n", "\n")
    record["user_code"] = single_line(problems, body, CODE_LABEL[arguments.language])
    record["password"] = single_line(problems, body, "Password")
    pins = re.findall(r"^PIN: (\S+)$", body, flags=re.MULTILINE)
    if record["kind"] in ("family",) and len(pins) != 1:
        problems.append("%d 'PIN: ...' lines in a family letter, expected 1" % len(pins))
    elif record["kind"] == "student" and pins:
        problems.append("a 'PIN: ...' line in a student letter")
    elif len(pins) > 1:
        problems.append("%d 'PIN: ...' lines" % len(pins))
    if len(pins) == 1:
        record["pin"] = pins[0]
    # Only the pupil lines: the "Password dimenticata?" steps are "- " lines too.
    record["pupils"] = re.findall(r"^- (.+ \((?:classe|class) [^)]*\))$", body, flags=re.MULTILINE)

    for alternative in message.walk():
        if alternative.get_content_type() != "text/html":
            continue
        markup = alternative.get_content()
        for value in (record["user_code"], record["password"], record["pin"]):
            if value and html.escape(value) not in markup:
                problems.append("the HTML part lacks a credential of the text part")
    return record, problems


def main(argv):
    arguments = parse_arguments(argv)
    if arguments.body:
        with open(arguments.body, "rb") as raw:
            message = email.message_from_bytes(raw.read(), policy=email.policy.default)
        parts = text_part(message)
        if len(parts) != 1:
            print("%s: %d text/plain parts" % (arguments.body, len(parts)), file=sys.stderr)
            return 1
        sys.stdout.write(parts[0].get_content().replace("\r\n", "\n"))
        return 0

    subjects = builtin_subjects(arguments.language, arguments.school_name)
    logged = {}
    failed = False
    for path in message_files(arguments.paths):
        with open(path, "rb") as raw:
            content = raw.read()
        directory = os.path.dirname(path)
        if directory not in logged:
            logged[directory] = envelope_recipients(directory)
        record, problems = check(path, content, arguments, subjects, logged[directory])
        for problem in problems:
            print("%s: %s" % (path, problem), file=sys.stderr)
            failed = True
        if arguments.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print("\t".join(str(record[key]) if record[key] else "-"
                            for key in ("file", "kind", "to", "user_code", "password", "pin", "message_id")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

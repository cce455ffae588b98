#!/usr/bin/python3
"""A local SMTP server for credenza's tests: stores what it accepts and injects faults on demand.

Usage:
  smtp_test_server.py --dir DIR [--port 0] [--tls starttls|implicit|none] [--cert C --key K]
                      [--auth USER:PASSWORD_FILE] [--defer-once PATTERN]... [--reject PATTERN]...
                      [--drop-after N] [--delay SECONDS] [--limit-after N]
                      [--reject-sender PATTERN]... [--no-auth-mechanisms]

Files written under DIR:
  port            the port it listens on (written once listening; 0 asks for a free port)
  messages/NNNNNN.eml   each accepted message, the bytes as received (CRLF kept, dots unstuffed)
  log.jsonl       one line per accepted message: {"from":..,"to":[..],"reply":"250 ...","size":N}
  events.jsonl    one line per event: connections ({"event":"connect","peer":..}), refusals,
                  deferrals, drops and acceptances, so tests can count connections
Runs until SIGTERM or SIGINT, then exits with status 0.
"""

import argparse
import asyncio
import fnmatch
import json
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="SMTP server for credenza's tests")
    parser.add_argument("--dir", required=True, help="where to write port, messages/ and logs")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--tls", choices=["starttls", "implicit", "none"], default="none")
    parser.add_argument("--cert", help="PEM certificate for STARTTLS or implicit TLS")
    parser.add_argument("--key", help="PEM private key for --cert")
    parser.add_argument("--auth", metavar="USER:PASSWORD_FILE",
                        help="require AUTH PLAIN/LOGIN as USER with the password in PASSWORD_FILE")
    parser.add_argument("--defer-once", action="append", default=[], metavar="PATTERN",
                        help="451 4.3.0 the first time a matching recipient is seen")
    parser.add_argument("--reject", action="append", default=[], metavar="PATTERN",
                        help="550 5.1.1 for a matching recipient")
    parser.add_argument("--drop-after", type=int, metavar="N",
                        help="after N accepted messages, drop the connection during the next DATA (once)")
    parser.add_argument("--delay", type=float, default=0.0, metavar="SECONDS",
                        help="sleep before each DATA reply")
    parser.add_argument("--limit-after", type=int, metavar="N",
                        help="after N accepted messages, reply 550 5.4.5 (daily quota exceeded)")
    parser.add_argument("--reject-sender", action="append", default=[], metavar="PATTERN",
                        help="553 5.7.1 to MAIL FROM a matching sender (the sender is not allowed)")
    parser.add_argument("--no-auth-mechanisms", action="store_true",
                        help="with --auth: offer no AUTH mechanism at all, so MAIL gets 530")
    arguments = parser.parse_args(argv)
    if arguments.tls != "none" and not (arguments.cert and arguments.key):
        parser.error("--tls %s needs --cert and --key" % arguments.tls)
    return arguments


class Recorder:
    """Everything the server writes, in one place."""

    def __init__(self, directory):
        self.directory = directory
        self.messages = os.path.join(directory, "messages")
        os.makedirs(self.messages, exist_ok=True)
        self.accepted = 0

    def _append(self, name, record):
        with open(os.path.join(self.directory, name), "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")

    def event(self, **record):
        self._append("events.jsonl", record)

    def store(self, mail_from, recipients, content, reply):
        self.accepted += 1
        path = os.path.join(self.messages, "%06d.eml" % self.accepted)
        with open(path + ".tmp", "wb") as message:
            message.write(content)
        os.rename(path + ".tmp", path)
        self._append("log.jsonl", {"from": mail_from, "to": recipients, "reply": reply,
                                   "size": len(content)})
        self.event(event="accept", **{"from": mail_from, "to": recipients, "reply": reply})

    def write_port(self, port):
        path = os.path.join(self.directory, "port")
        with open(path + ".tmp", "w", encoding="ascii") as out:
            out.write("%d\n" % port)
        os.rename(path + ".tmp", path)


class FaultyHandler:
    """aiosmtpd handler hooks: accept and store, or inject the faults asked for."""

    def __init__(self, arguments, recorder):
        self.arguments = arguments
        self.recorder = recorder
        self.deferred = set()
        self.dropped = False

    @staticmethod
    def _matches(patterns, address):
        return any(fnmatch.fnmatch(address.lower(), pattern.lower()) for pattern in patterns)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self._matches(self.arguments.reject_sender, address):
            reply = "553 5.7.1 <%s>: Sender address rejected: not owned by user" % address
            self.recorder.event(event="reject_sender", reply=reply)
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        self.recorder.event(event="mail_from", **{"from": address})
        return "250 2.1.0 Ok"

    async def handle_RSET(self, server, session, envelope):
        self.recorder.event(event="rset")
        return "250 2.0.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._matches(self.arguments.reject, address):
            reply = "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
            self.recorder.event(event="reject", to=address, reply=reply)
            return reply
        if self._matches(self.arguments.defer_once, address) and address not in self.deferred:
            self.deferred.add(address)
            reply = "451 4.3.0 <%s>: Temporary failure, try again later" % address
            self.recorder.event(event="defer", to=address, reply=reply)
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        arguments = self.arguments
        if (arguments.drop_after is not None and not self.dropped
                and self.recorder.accepted >= arguments.drop_after):
            self.dropped = True
            self.recorder.event(event="drop", to=envelope.rcpt_tos)
            server.transport.abort()
            # connection_lost cancels this coroutine; never reply.
            await asyncio.sleep(3600)
        if arguments.delay > 0:
            await asyncio.sleep(arguments.delay)
        if arguments.limit_after is not None and self.recorder.accepted >= arguments.limit_after:
            reply = "550 5.4.5 Daily user sending quota exceeded"
            self.recorder.event(event="limit", to=envelope.rcpt_tos, reply=reply)
            return reply
        reply = "250 2.0.0 Ok: queued as %06d" % (self.recorder.accepted + 1)
        self.recorder.store(envelope.mail_from, list(envelope.rcpt_tos),
                            envelope.original_content, reply)
        return reply


def make_authenticator(spec):
    user, _, password_file = spec.partition(":")
    if not user or not password_file:
        raise SystemExit("smtp_test_server: --auth wants USER:PASSWORD_FILE")
    with open(password_file, "rb") as secret:
        password = secret.read().rstrip(b"\r\n")

    def authenticator(server, session, envelope, mechanism, auth_data):
        good = (isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode() and auth_data.password == password)
        # handled=False: let aiosmtpd send its 535 reply on failure.
        return AuthResult(success=good, handled=False, auth_data=auth_data)

    return authenticator


class CountingSMTP(SMTP):
    """Logs a line per connection, so tests can tell reused connections from new ones."""

    recorder = None

    def connection_made(self, transport):
        first = self.transport is None
        super().connection_made(transport)
        if first:
            peer = transport.get_extra_info("peername")
            self.recorder.event(event="connect", peer="%s:%s" % (peer[0], peer[1]))


async def serve(arguments):
    recorder = Recorder(arguments.dir)
    handler = FaultyHandler(arguments, recorder)
    context = None
    if arguments.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.cert, arguments.key)
    options = {"hostname": "localhost", "decode_data": False, "enable_SMTPUTF8": True}
    if arguments.auth:
        options["authenticator"] = make_authenticator(arguments.auth)
        options["auth_required"] = True
        if arguments.no_auth_mechanisms:
            options["auth_exclude_mechanism"] = ["LOGIN", "PLAIN"]
    if arguments.tls == "starttls":
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    else:
        # Implicit TLS is encrypted from the first byte; with none, AUTH over plain text is the test's choice.
        options["auth_require_tls"] = False
    CountingSMTP.recorder = recorder

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: CountingSMTP(handler, **options), host="127.0.0.1", port=arguments.port,
        ssl=context if arguments.tls == "implicit" else None)
    recorder.write_port(server.sockets[0].getsockname()[1])

    stop = loop.create_future()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, lambda: stop.done() or stop.set_result(None))
    await stop
    server.close()
    await server.wait_closed()


def main(argv):
    arguments = parse_arguments(argv)
    # aiosmtpd warns about its own deprecated attributes on every AUTH; keep the tests' output clean.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    # Implicit TLS is encrypted already; aiosmtpd cannot tell and warns about AUTH without TLS.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    os.makedirs(arguments.dir, exist_ok=True)
    asyncio.run(serve(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""A tiny SMTP server for Embargo's mail tests, on aiosmtpd.

Listens on 127.0.0.1:PORT and saves each message it receives, byte for
byte, as DIR/NNN.eml with its envelope (sender, recipients) in
DIR/NNN.json. With --deny-auth it requires a login (over plain SMTP, since
it only listens on loopback) and refuses every password; with --login USER
it requires a login and accepts only USER with the password in the
environment variable SMTP_SINK_PASSWORD (kept off the command line, where
any process could read it). With --tls-cert FILE --tls-key FILE it offers
STARTTLS with that certificate and requires it before any mail or login;
each envelope then says whether the mail came over TLS. Prints READY once it listens; stops on SIGTERM,
when killed, after --lifetime seconds, and with --stop-on-eof when its
standard input closes (that is, when the test that started it is gone).
"""

import argparse
import json
import logging
import os
import signal
import ssl
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore", message="Requiring AUTH")
# aiosmtpd logs warnings about plain AUTH on loopback and its own deprecations.
logging.getLogger("mail.log").setLevel(logging.ERROR)

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%03d" % self.count)
        with open(base + ".json", "w") as f:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "tls": session.ssl is not None,
                },
                f,
            )
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK saved"


def deny(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=False, handled=False)


def accept_only(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return check


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--deny-auth", action="store_true")
    parser.add_argument("--login", metavar="USER")
    parser.add_argument("--lifetime", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--stop-on-eof", action="store_true")
    parser.add_argument("--tls-cert", metavar="FILE")
    parser.add_argument("--tls-key", metavar="FILE")
    args = parser.parse_args()
    options = {}
    if args.deny_auth:
        options = dict(auth_required=True, auth_require_tls=False, authenticator=deny)
    elif args.login is not None:
        password = os.environ.get("SMTP_SINK_PASSWORD")
        if password is None:
            parser.error("--login needs the password in SMTP_SINK_PASSWORD")
        options = dict(
            auth_required=True,
            auth_require_tls=False,
            authenticator=accept_only(args.login, password),
        )
    if args.tls_cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
        if "auth_require_tls" in options:
            options["auth_require_tls"] = True
    controller = Controller(Saver(args.dir), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    print("READY", flush=True)
    if args.stop_on_eof:
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    if args.lifetime is not None:
        time.sleep(args.lifetime)
        os._exit(0)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()

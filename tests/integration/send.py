#!/usr/bin/env python3
"""send.py: send one message file by SMTP with a given envelope, as a mail
client would, and print the server's final reply.

    send.py [--host H] --port P --from ADDR --rcpt ADDR [--rcpt ADDR]...
            [--message-id ID] [--add-header 'Name: value']... [--keep-bcc]
            [--xclient-login NAME] [--xclient-addr IP] [--helo NAME]
            [--stall-before-dot SECONDS [--stall-file PATH]] FILE

--from '' sends the null sender (MAIL FROM:<>).  Like a mail client, it drops
Bcc: headers (unless --keep-bcc) and sends the bytes of FILE otherwise as
they are (line ends made CRLF, dots stuffed).  --message-id replaces the
Message-ID header (or adds one); --add-header puts a header on top.
--xclient-login presents an authenticated login with Postfix's XCLIENT;
--xclient-addr makes the client appear to connect from IP (an address on
the internet, outside mynetworks), with or without a login.
--stall-before-dot sends the whole message, then waits up to SECONDS before
the final "." (so a test can break the filter while the message is in
flight); with --stall-file it creates PATH when it starts waiting and stops
waiting as soon as PATH is removed.

Prints one line "CODE TEXT" (the reply that decided the transaction: 250
after DATA, or the first 4xx/5xx at any stage) and exits 0 for 250, 1 for a
4xx/5xx reply, 2 for a connection or usage error.
"""
import argparse
import os
import re
import smtplib
import sys
import time


def parse_args():
    """The command line."""
    p = argparse.ArgumentParser(description="send one message file by SMTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--from", dest="sender", required=True)
    p.add_argument("--rcpt", action="append", required=True)
    p.add_argument("--message-id")
    p.add_argument("--add-header", action="append", default=[])
    p.add_argument("--keep-bcc", action="store_true")
    p.add_argument("--xclient-login")
    p.add_argument("--xclient-addr")
    p.add_argument("--helo", default="client.northmoor.gov.uk")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--stall-before-dot", type=float, default=0)
    p.add_argument("--stall-file")
    p.add_argument("file")
    return p.parse_args()


def split_message(raw):
    """(header lines, body) of a message, header lines with their continuations joined."""
    raw = raw.replace(b"\r\n", b"\n")
    head, sep, body = raw.partition(b"\n\n")
    fields = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\n" + line
        else:
            fields.append(line)
    return fields, body if sep else b""


def field_name(field):
    """The lower-case name of a header field."""
    return field.split(b":", 1)[0].strip().lower()


def prepare(raw, args):
    """The bytes to send: Bcc dropped, Message-ID replaced, headers added, CRLF line ends."""
    fields, body = split_message(raw)
    if not args.keep_bcc:
        fields = [f for f in fields if field_name(f) not in (b"bcc", b"resent-bcc")]
    if args.message_id:
        mid = args.message_id if args.message_id.startswith("<") else "<%s>" % args.message_id
        fields = [f for f in fields if field_name(f) != b"message-id"]
        fields.insert(0, b"Message-ID: " + mid.encode())
    for h in reversed(args.add_header):
        fields.insert(0, h.encode("utf-8"))
    msg = b"\n".join(fields) + b"\n\n" + body
    return re.sub(rb"\r?\n", b"\r\n", msg)


def data_stalled(s, data, pause, stall_file):
    """DATA by hand: the message, a pause, then the final dot; (code, text) of the reply."""
    code, text = s.docmd("DATA")
    if code != 354:
        return code, text
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    s.send(data)
    deadline = time.monotonic() + pause
    if stall_file:
        open(stall_file, "w").close()
        while os.path.exists(stall_file) and time.monotonic() < deadline:
            time.sleep(0.02)
    else:
        time.sleep(pause)
    s.send(b".\r\n")
    return s.getreply()


def report(code, text):
    """Print the decisive reply and return the exit status for it."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    print("%d %s" % (code, " ".join(text.split("\n"))))
    return 0 if code == 250 else 1


def send(args, data):
    """One SMTP transaction; the exit status."""
    s = smtplib.SMTP(timeout=args.timeout)
    try:
        code, text = s.connect(args.host, args.port)
        if code != 220:
            return report(code, text)
        code, text = s.ehlo(args.helo)
        if code != 250:
            return report(code, text)
        xclient = []
        if args.xclient_addr:
            xclient.append("ADDR=" + args.xclient_addr)
        if args.xclient_login:
            xclient.append("LOGIN=" + args.xclient_login)
        if xclient:
            code, text = s.docmd("XCLIENT", " ".join(xclient))
            if code != 220:
                return report(code, text)
            code, text = s.ehlo(args.helo)   # XCLIENT restarts the session
            if code != 250:
                return report(code, text)
        opts = ["BODY=8BITMIME"] if s.has_extn("8bitmime") else []
        code, text = s.mail(args.sender, opts)
        if code != 250:
            return report(code, text)
        accepted = 0
        first_refusal = None
        for r in args.rcpt:
            code, text = s.rcpt(r)
            if code in (250, 251):
                accepted += 1
            elif first_refusal is None:
                first_refusal = (code, text)
        if not accepted:
            s.rset()
            return report(*first_refusal)
        if args.stall_before_dot > 0:
            code, text = data_stalled(s, data, args.stall_before_dot, args.stall_file)
        else:
            code, text = s.data(data)
        status = report(code, text)
        if first_refusal is not None and status == 0:
            print("note: recipient refused: %d %s" % first_refusal, file=sys.stderr)
        return status
    except smtplib.SMTPResponseException as e:
        return report(e.smtp_code, e.smtp_error)
    except smtplib.SMTPServerDisconnected as e:
        print("421 disconnected: %s" % e)
        return 1
    finally:
        try:
            s.quit()
        except (smtplib.SMTPException, OSError):
            s.close()


def main():
    """Send FILE; exit 0 on 250, 1 on 4xx/5xx, 2 on other errors."""
    args = parse_args()
    try:
        with open(args.file, "rb") as f:
            data = prepare(f.read(), args)
        return send(args, data)
    except (OSError, smtplib.SMTPException) as e:
        print("send.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Drives Postino's LMTP (TCP and Unix socket) and SMTP listeners with Python's smtplib.

Usage: smtplib_client.py LMTP_PORT LMTP_SOCKET SMTP_PORT. Prints "ok" and exits 0 when every check passed.
"""
import smtplib
import sys

lmtp_port, lmtp_socket, smtp_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
message = b"Subject: py\r\n\r\nline one\r\n.leading dot\r\nno final line end"

# LMTP over TCP, two recipients: after DATA there is one reply per recipient.
lmtp = smtplib.LMTP("127.0.0.1", lmtp_port)
code, _ = lmtp.ehlo("python.test")  # LMTP.ehlo sends LHLO
assert code == 250, code
for extension in ("pipelining", "enhancedstatuscodes", "8bitmime", "size", "smtputf8"):
    assert lmtp.has_extn(extension), extension
assert lmtp.mail("py@remote.test")[0] == 250
assert lmtp.rcpt("alice@example.org")[0] == 250
assert lmtp.rcpt("nobody@example.org")[0] == 550
assert lmtp.rcpt("bob@example.org")[0] == 250
first = lmtp.data(message)
second = lmtp.getreply()
assert first[0] == 250 and b"alice@example.org" in first[1], first
assert second[0] == 250 and b"bob@example.org" in second[1], second
lmtp.quit()

# LMTP over the Unix socket (smtplib.LMTP takes a path).
lmtp = smtplib.LMTP(lmtp_socket)
assert lmtp.sendmail("py@remote.test", ["carol@example.org"], message) == {}
lmtp.quit()

# LMTP: an unknown user only.
lmtp = smtplib.LMTP("127.0.0.1", lmtp_port)
try:
    lmtp.sendmail("py@remote.test", ["nobody@example.org"], message)
    raise AssertionError("unknown user accepted")
except smtplib.SMTPRecipientsRefused as refused:
    code, text = refused.recipients["nobody@example.org"]
    assert code == 550 and text.startswith(b"5.1.1"), (code, text)
lmtp.quit()

# SMTP: a local and a foreign recipient in one message; the foreign one is refused (no relaying).
smtp = smtplib.SMTP("127.0.0.1", smtp_port)
refused = smtp.sendmail("py@remote.test", ["alice@example.org", "victim@foreign.test"], message)
assert list(refused) == ["victim@foreign.test"], refused
assert refused["victim@foreign.test"][0] == 550 and refused["victim@foreign.test"][1].startswith(b"5.7.1"), refused
smtp.quit()

print("ok")

"""Several LMTP senders at once against Postino, each on its own connection (Python's smtplib.LMTP, one thread each).

Usage: lmtp_concurrent.py PORT SENDERS MESSAGES. Sender S sends MESSAGES messages; every third goes to alice and bob,
the others to alice alone. Every recipient must get its own 250 after the data. Prints "ok" when all did.
"""
import smtplib
import sys
import threading

port, senders, messages = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
failures = []


def send(sender):
    try:
        lmtp = smtplib.LMTP("127.0.0.1", port)
        lmtp.ehlo("python.test")
        for n in range(messages):
            recipients = ["alice@example.org", "bob@example.org"] if n % 3 == 0 else ["alice@example.org"]
            body = f"Subject: sender {sender} message {n}\r\n\r\n" + "line of text\r\n" * (50 * (n + 1))
            assert lmtp.mail("py@remote.test")[0] == 250
            for recipient in recipients:
                assert lmtp.rcpt(recipient)[0] == 250
            replies = [lmtp.data(body.encode())] + [lmtp.getreply() for _ in recipients[1:]]
            for recipient, (code, text) in zip(recipients, replies):
                assert code == 250 and recipient.encode() in text, (recipient, code, text)
        lmtp.quit()
    except Exception as error:  # noqa: BLE001 - reported below, the test fails on any
        failures.append(f"sender {sender}: {error!r}")


threads = [threading.Thread(target=send, args=(s,)) for s in range(senders)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")

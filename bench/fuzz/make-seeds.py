#!/usr/bin/env python3
"""Writes bench/fuzz/seeds/TARGET/* from the protocol transcripts under tests/ (client lines for the server-side
parsers, server lines for the fetch client's) plus a few hand-made inputs. Rerun after adding transcripts; the output
is committed so that run.sh needs no Python."""
import base64, hashlib, hmac, os, re, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SEEDS = os.path.join(HERE, "seeds")
MAX_SEED = 4096


def decode(text):
    """The transcript escapes: \\xHH, \\\\ and {X*N}."""
    text = re.sub(r"\{(.+?)\*(\d+)\}", lambda m: m.group(1) * min(int(m.group(2)), 600), text)
    out = bytearray()
    i = 0
    while i < len(text):
        if text.startswith("\\x", i) and re.match(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif text.startswith("\\\\", i):
            out += b"\\"
            i += 2
        else:
            out += text[i].encode("utf-8")
            i += 1
    return bytes(out)


def lines(path, prefix):
    with open(path, encoding="utf-8") as f:
        return [decode(l.rstrip("\n")[3:] if len(l.rstrip("\n")) > 2 else "") for l in f if l.startswith(prefix)]


def transcripts(*folders):
    for folder in folders:
        base = os.path.join(ROOT, folder)
        for name in sorted(os.listdir(base)):
            if name.endswith(".txt") and name != "README.md":
                yield name[:-4], os.path.join(base, name)


seeds = {}


def add(target, name, data, lead=None):
    if lead is not None:
        data = bytes([lead]) + data
    data = data[:MAX_SEED]
    if data in seeds.setdefault(target, {}).values():
        return
    seeds[target][name] = data


for name, path in transcripts("tests/transcripts/pop3"):
    client = b"".join(l + b"\r\n" for l in lines(path, "C: "))
    server = b"".join(l + b"\r\n" for l in lines(path, "S: "))
    add("pop3-command", name, client, lead=len(client) // 2 % 256)
    add("fetch-pop3", name, server, lead=0x20)
    for line in lines(path, "C: "):
        if line.upper().startswith(b"AUTH ") and len(line.split(b" ")) > 2:
            add("sasl-base64", f"{name}-auth", line.split(b" ")[2])
        elif re.fullmatch(rb"[A-Za-z0-9+/=]{4,}", line):
            add("sasl-base64", f"{name}-{len(seeds.get('sasl-base64', {}))}", line)

for name, path in transcripts("tests/transcripts/pop2"):
    client = b"".join(l + b"\r\n" for l in lines(path, "C: "))
    server = b"".join(l + b"\r\n" for l in lines(path, "S: "))
    add("pop2-command", name, client, lead=len(client) // 2 % 256)
    add("fetch-pop2", name, server, lead=0x03)

for name, path in transcripts("tests/transcripts/smtp", "tests/transcripts/lmtp"):
    client = lines(path, "C: ")
    add("smtp-command", name, b"".join(l + b"\r\n" for l in client), lead=7)
    if b"DATA" in [l.upper() for l in client]:
        start = [l.upper() for l in client].index(b"DATA") + 1
        add("smtp-data", name, b"".join(l + b"\r\n" for l in client[start:]), lead=5)

for name in ("pop3-session", "pop2-session", "pop2-escapes"):
    path = os.path.join(ROOT, "tests/Postino.Fetch.Tests/Transcripts", name + ".txt")
    server = b"".join(l + b"\r\n" for l in lines(path, "S: "))
    add("fetch-pop3" if name.startswith("pop3") else "fetch-pop2", "fetch-" + name, server, lead=0x00)

# SASL: mechanism byte (0 PLAIN, 1 LOGIN, 2 CRAM-MD5, 3 SCRAM, 4 SCRAM-PLUS; 0x40 no initial response; 0x80 raw lines)
add("sasl", "plain", b"\0tim\0tanstaaftanstaaf", lead=0)
add("sasl", "plain-authzid", b"tim\0tim\0tanstaaftanstaaf", lead=0)
add("sasl", "login", b"tim\ntanstaaftanstaaf", lead=0x41)
add("sasl", "login-initial", b"tim\ntanstaaftanstaaf", lead=1)
cram = hmac.new(b"tanstaaftanstaaf", b"<1896.697170952@fuzz.example.org>", hashlib.md5).hexdigest()
add("sasl", "cram-md5", b"tim " + cram.encode(), lead=0x42)
add("sasl", "raw-cancel", b"*", lead=0xC0)
client_nonce, server_nonce = "rOprNGfwEbeRWgbNEkqO", "fuzzServerNonce"
salt = base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ==")
for plus, lead in ((False, 3), (True, 4)):
    gs2 = "p=tls-server-end-point,," if plus else "n,,"
    first_bare = f"n=user,r={client_nonce}"
    server_first = f"r={client_nonce}{server_nonce},s={base64.b64encode(salt).decode()},i=4096"
    cbind = base64.b64encode(gs2.encode() + (bytes(32) if plus else b"")).decode()
    without_proof = f"c={cbind},r={client_nonce}{server_nonce}"
    auth = f"{first_bare},{server_first},{without_proof}".encode()
    salted = hashlib.pbkdf2_hmac("sha256", b"pencil", salt, 4096)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    signature = hmac.new(hashlib.sha256(client_key).digest(), auth, hashlib.sha256).digest()
    proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature))).decode()
    add("sasl", "scram-plus" if plus else "scram", f"{gs2}{first_bare}\n{without_proof},p={proof}\n".encode(), lead=lead)

add("maildir-name", "postino", b"1733400000.M123456P789Q1R0123456789abcdef.mail.example.org,S=1234,W=1260:2,S")
add("maildir-name", "dovecot", b"1733400000.M20046P2137.mx,S=4321,W=4400:2,RS")
add("maildir-name", "courier", b"1733400000.12345_1.host.example.org:2,")
add("maildir-name", "huge-w", b"1733400000.1.evil,W=9223372036854775807:2,")
add("maildir-name", "no-info", b"1733400000.V801I2M3.host")
add("maildir-name", "newline", b"17334\n00000.x:2,T")

add("maildir-index", "two", b"postino-index 1\n1733400000.M1.host\t120\t1733400000000\t-\t1733400000.M1.host\n"
    b"uid2\t40\t1733400001000\t1733400500000\t1733400001.M2.host,S=40\nend 2\n", lead=0)
add("maildir-index", "empty", b"postino-index 1\nend 0\n", lead=0)
add("maildir-index", "cut", b"postino-index 1\nuid\t1\t2\t-\tname\n", lead=0)

def index_checksum(body):
    # MaildirIndexBinary.Checksum: FNV-style over little-endian 8-octet words, then the tail octets, xor the length.
    mask, prime, value = (1 << 64) - 1, 1099511628211, 14695981039346656037
    whole = len(body) & ~7
    for at in range(0, whole, 8):
        value = ((value ^ int.from_bytes(body[at:at + 8], "little")) * prime) & mask
    for octet in body[whole:]:
        value = ((value ^ octet) * prime) & mask
    return value ^ len(body)


def index_string(text):
    data = text.encode()
    return len(data).to_bytes(2, "little") + data


def index_body(entries):
    body = b"postino-index 2\n" + b"".join(n.to_bytes(8, "little", signed=True) for n in (1, 2, 3, 4, 5))
    body += len(entries).to_bytes(4, "little")
    for size, received, first, uidl, base, suffix in entries:
        body += b"".join(n.to_bytes(8, "little", signed=True) for n in (size, received, first))
        body += index_string(uidl) + index_string(base)
        body += index_string(suffix) if suffix is not None else b"\xff\xff"
    return body + b"end" + len(entries).to_bytes(4, "little")


# The binary index: first octet 1 (odd) lets the target seal the body with a valid checksum; 0 feeds the file as is.
binary = index_body([(120, 1733400000000, -(1 << 63), "1733400000.M1.host", "1733400000.M1.host", ",S=120,W=124:2,"),
                     (40, 1733400001000, 1733400500000, "uid2", "1733400001.M2.host", None)])
add("maildir-index", "binary-two", binary, lead=1)
add("maildir-index", "binary-sealed", binary + index_checksum(binary).to_bytes(8, "little"), lead=0)
add("maildir-index", "binary-empty", index_body([]), lead=1)

add("proxy-header", "v1-tcp4", b"PROXY TCP4 192.0.2.10 198.51.100.1 56324 110\r\nCAPA\r\n")
add("proxy-header", "v1-tcp6", b"PROXY TCP6 2001:db8::1 2001:db8::2 56324 995\r\n")
add("proxy-header", "v1-unknown", b"PROXY UNKNOWN\r\n")
v2 = bytes([0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A])
add("proxy-header", "v2-tcp4", v2 + bytes([0x21, 0x11, 0, 12]) + bytes([192, 0, 2, 10, 198, 51, 100, 1]) + (56324).to_bytes(2, "big") + (110).to_bytes(2, "big"))
add("proxy-header", "v2-tcp6-tlv", v2 + bytes([0x21, 0x21, 0, 36 + 7]) + bytes(15) + b"\x01" + bytes(15) + b"\x02"
    + (56324).to_bytes(2, "big") + (995).to_bytes(2, "big") + b"\x04\x00\x04abcd")
add("proxy-header", "v2-local", v2 + bytes([0x20, 0x00, 0, 0]))
add("proxy-header", "v2-unix", v2 + bytes([0x21, 0x31, 0, 216]) + bytes(216))

add("dovecot-uidlist", "v3", b"3 V1796513540 N3 G0fcd1f2a4b8c1d6b7c1a0000a8e0b9d4\n"
    b"1 W1234 S1200 :1796513540.M1P2.mx\n2 P0000002a G00 :1796513541.M2P3.mx\n")
add("dovecot-uidlist", "v1", b"1 1796513540 3\n1 1796513540.M1P2.mx\n2 1796513541.M2P3.mx:2,S\n")
add("dovecot-uidlist", "bad", b"3 V1 N2\n5 :a\n4 :b\nx :c\n7 Wx :../d\n")

add("users-file", "demo", b"# users\ndemo:{PLAIN}secret\n"
    b"alice:{SHA512-CRYPT}$6$TP7x3/sMw1ISU6uo$UU3.nEYyrkVZVSb8/Z8NbZv4kWP1i1Q8HaTqCTG2GlU5SmQYX4YpSFgHW5d9ahIkBDwnXUdkkBbWfxw8wXAxL1\n")
add("users-file", "scram", b"bob:{SCRAM-SHA-256}4096,W22ZaJ0SNY7soEsUEjb6gQ==,"
    b"WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=,wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=::postino_login_delay=60\n")
add("users-file", "bom-crlf", b"\xef\xbb\xbfcarol:{PLAIN}x\r\n\r\n")

add("self-test", "hello", b"hello")

if os.path.isdir(SEEDS):
    shutil.rmtree(SEEDS)
for target, entries in sorted(seeds.items()):
    os.makedirs(os.path.join(SEEDS, target))
    for name, data in entries.items():
        with open(os.path.join(SEEDS, target, re.sub(r"[^A-Za-z0-9._-]", "_", name)), "wb") as f:
            f.write(data)
    print(f"{target}: {len(entries)} seeds", file=sys.stderr)

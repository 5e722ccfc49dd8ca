#!/usr/bin/env python3
"""Postino against a private Dovecot in the TUNED configuration (bench/dovecot-tuned.sh), same data, same run,
A-B-A order (Postino, Dovecot, Postino; the two Postino runs are averaged), printing every figure of issue 12's table
with the ratio Postino/Dovecot. Server CPU is read from /proc (the whole process tree: Dovecot's master, login,
auth and pop3 processes, including those that exited), memory is PSS from /proc/PID/smaps_rollup, and the load
generator's own CPU is printed beside each figure. Not a test: figures only. Run as root (Dovecot, drop_caches).

    sudo bench/compare-tuned.sh [--seconds 8] [--warmup 4] [--idle 1000] [--big 100000] [--deliveries 20] [--only NAMES]
                                [--tls-key ecdsa|rsa] [--no-tls-resume]

Both servers use one certificate made for the run (ECDSA P-256 by default, as Postino's self-signed one; --tls-key rsa
for RSA-2048), so a POP3S handshake signs with the same key on both sides.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POSTINO = ["dotnet", f"{ROOT}/src/Postino.Cli/bin/Release/net10.0/postino.dll"]
# `postino deliver` as the package runs it: the NativeAOT postino-deliver (compare-tuned.sh publishes it), alone (as
# a mailbox_command naming it) and through the package's /usr/bin/postino launcher.
DELIVER_AOT = f"{ROOT}/src/Postino.Deliver/bin/Release/net10.0/linux-x64/publish/postino-deliver"
LAUNCHER = f"{ROOT}/packaging/postino-launcher.sh"
BENCH = ["dotnet", f"{ROOT}/bench/Postino.Bench/bin/Release/net10.0/postino-bench.dll"]
DOVECOT = f"{ROOT}/bench/dovecot-tuned.sh"
LDA = "/usr/lib/dovecot/dovecot-lda"
PASSWORD = "bench-password-1"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
MAIL_UID = int(subprocess.check_output(["id", "-u", "mail"]).strip())
MAIL_GID = int(subprocess.check_output(["id", "-g", "mail"]).strip())


# ---------------------------------------------------------------- /proc
def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_cpu_ms(root):
    """utime+stime+cutime+cstime of every live process of the tree: exited ones are in their parent's c-times."""
    total = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])
        except OSError:
            pass
    return total * TICK_MS


def tree_pss_kb(root):
    total = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


# The load generator's environment: --no-tls-resume adds DOTNET_SYSTEM_NET_SECURITY_DISABLETLSRESUME=1 (its SslStream
# then makes a full handshake every time, as against Dovecot, which resumes none in this configuration).
GENERATOR_ENV = None


def run_bench(args, stdin=None):
    """Runs the load generator; returns (stdout, its own CPU ms)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(BENCH + args, check=False, capture_output=True, text=True, input=stdin, env=GENERATOR_ENV).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return out.strip(), cpu


def field(text, marker):
    """The number just before MARKER in TEXT (e.g. ' sessions/s')."""
    head = text.split(marker)[0]
    return float(head.split()[-1])


# ---------------------------------------------------------------- data
LINE = "The quick brown fox jumps over the lazy dog, again and again and again.\n"


def make_maildir(root, count, size, sub="cur", suffix=":2,"):
    for d in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    body = (LINE * (size // len(LINE) + 1))[:size]
    for i in range(count):
        with open(os.path.join(root, sub, f"{1700000000 + i}.M{i}P1.bench{suffix}"), "w") as f:
            f.write(f"From: s{i}@example.org\nTo: bench@localhost\nSubject: message {i}\nMessage-ID: <{i}@bench>\n\n{body}")


def copy_maildir(source, target, owner=None):
    shutil.copytree(source, target)
    if owner:
        for dirpath, dirnames, filenames in os.walk(target):
            os.chown(dirpath, *owner)
            for name in filenames:
                os.chown(os.path.join(dirpath, name), *owner)


# ---------------------------------------------------------------- servers
class Postino:
    def __init__(self, work):
        self.dir = os.path.join(work, "postino")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.proc = None

    def add_users(self, names, source=None):
        os.makedirs(os.path.join(self.dir, "mail"), exist_ok=True)
        with open(os.path.join(self.dir, "users"), "a") as f:
            for name in names:
                f.write(f"{name}:{{PLAIN}}{PASSWORD}\n")
        os.chmod(os.path.join(self.dir, "users"), 0o600)
        for name in names:
            home = os.path.join(self.dir, "mail", name)
            os.makedirs(home, exist_ok=True)
            if source:
                copy_maildir(source, os.path.join(home, "Maildir"))

    def maildir(self, name):
        return os.path.join(self.dir, "mail", name, "Maildir")

    def start(self):
        out = open(os.path.join(self.dir, "out"), "w")
        # The per-address and total connection limits (20 and 1000 by default) would refuse the idle sessions.
        env = dict(os.environ, POSTINO__Limits__ConnectionsPerAddress="60000", POSTINO__Limits__TotalConnections="60000")
        if CERTIFICATE:
            # The same certificate and key as Dovecot's: the handshake's signature costs the same on both sides.
            env.update(POSTINO__Tls__CertificateFile=CERTIFICATE[0], POSTINO__Tls__PrivateKeyFile=CERTIFICATE[1])
        self.proc = subprocess.Popen(
            POSTINO + ["serve", "--data-dir", self.dir, "--pop3", "127.0.0.1:0", "--pop3s", "127.0.0.1:0",
                       "--pop2", "none", "--lmtp", "127.0.0.1:0", "--smtp", "none"],
            stdout=out, stderr=subprocess.STDOUT, env=env)
        ports = {}
        for _ in range(600):
            with open(os.path.join(self.dir, "out")) as f:
                text = f.read()
            if "postino is ready" in text:
                for line in text.splitlines():
                    parts = line.split()
                    if len(parts) >= 4 and parts[1] == "listening" and parts[0] in ("pop3", "pop3s", "lmtp"):
                        ports[parts[0]] = int(parts[3].rsplit(":", 1)[1].rstrip(","))
                break
            time.sleep(0.1)
        if "pop3" not in ports:
            raise SystemExit("postino did not start:\n" + text)
        self.ports = ports
        self.pid = self.proc.pid

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None


class Dovecot:
    def __init__(self, work):
        self.dir = os.path.join(work, "dovecot")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir, exist_ok=True)
        self.running = False

    def add_users(self, names, source=None):
        with open(os.path.join(self.dir, "users"), "a") as f:
            for name in names:
                f.write(f"{name}:{{PLAIN}}{PASSWORD}::::::\n")
        for name in names:
            home = os.path.join(self.dir, "home", name)
            os.makedirs(home, exist_ok=True)
            if source:
                copy_maildir(source, os.path.join(home, "Maildir"), (MAIL_UID, MAIL_GID))
            else:
                for d in ("tmp", "new", "cur"):
                    os.makedirs(os.path.join(home, "Maildir", d), exist_ok=True)
                for dirpath, _, _ in os.walk(home):
                    os.chown(dirpath, MAIL_UID, MAIL_GID)
            os.chown(home, MAIL_UID, MAIL_GID)

    def maildir(self, name):
        return os.path.join(self.dir, "home", name, "Maildir")

    def start(self):
        if CERTIFICATE:
            # dovecot-tuned.sh makes a certificate only when there is none: give it the one Postino uses.
            for source, name in zip(CERTIFICATE, ("cert.pem", "key.pem")):
                shutil.copyfile(source, os.path.join(self.dir, name))
                os.chmod(os.path.join(self.dir, name), 0o600)
        subprocess.run(["sh", DOVECOT, "start", self.dir], check=True)
        with open(os.path.join(self.dir, "ports")) as f:
            self.ports = {k: int(v) for k, v in (line.strip().split("=") for line in f if "=" in line)}
        with open(os.path.join(self.dir, "run", "master.pid")) as f:
            self.pid = int(f.read().strip())
        self.running = True

    def stop(self):
        if self.running:
            subprocess.run(["sh", DOVECOT, "stop", self.dir], check=False)
            self.running = False


# ---------------------------------------------------------------- certificate
CERTIFICATE = None  # (certificate, key) PEM paths shared by both servers, made in main()


def make_certificate(work, kind):
    """One self-signed localhost certificate for both servers: ECDSA P-256 (Postino's own default) or RSA-2048."""
    cert, key = os.path.join(work, f"bench-{kind}-cert.pem"), os.path.join(work, f"bench-{kind}-key.pem")
    algorithm = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] if kind == "ecdsa" else ["-newkey", "rsa:2048"]
    subprocess.run(["openssl", "req", "-x509", *algorithm, "-nodes", "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    os.chmod(key, 0o600)
    return cert, key


# ---------------------------------------------------------------- figures
def ratio(p, d):
    return f"{p / d:.2f}" if d else "n/a"


RESULTS = []


def report(name, unit, postino_values, dovecot_value, target, extra=""):
    p = sum(postino_values) / len(postino_values)
    samples = " / ".join(f"{v:.3g}" for v in postino_values)
    line = f"| {name} | {dovecot_value:.3g} {unit} | {p:.3g} {unit} (A-B-A: {samples}) | {ratio(p, dovecot_value)} | {target} | {extra} |"
    RESULTS.append(line)
    print(line, flush=True)


def load_cpu(server, users, clients, seconds, warmup, tls, per):
    """Server CPU per session or per MB over a pop3-load run, after a warm-up; and the generator's CPU."""
    port = server.ports["pop3s" if tls else "pop3"]
    common = ["pop3-load", "--port", str(port), "--user", users, "--password", PASSWORD, "--clients", str(clients)]
    if tls:
        common.append("--tls")
    run_bench(common + ["--seconds", str(warmup)])
    before = tree_cpu_ms(server.pid)
    out, generator = run_bench(common + ["--seconds", str(seconds)])
    used = tree_cpu_ms(server.pid) - before
    sessions = field(out, " sessions,")
    megabytes = field(out, " MB/s") * seconds
    count = sessions if per == "session" else megabytes
    print(f"    {out}  server {used:.0f} ms, generator {generator:.0f} ms", flush=True)
    return used / count if count else float("nan"), generator / count if count else float("nan")


def aba(make_servers, measure):
    """Runs MEASURE(server) on Postino, Dovecot, Postino; returns ([p1, p2], d, generator figures)."""
    postino, dovecot = make_servers()
    try:
        postino.start()
        dovecot.start()
        p1, g1 = measure(postino)
        d, gd = measure(dovecot)
        p2, g2 = measure(postino)
        return [p1, p2], d, f"generator {((g1 + g2) / 2):.3g} / {gd:.3g}"
    finally:
        postino.stop()
        dovecot.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=4)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--big", type=int, default=100000)
    parser.add_argument("--deliveries", type=int, default=20)
    parser.add_argument("--only", default="session,bulk,big,idle,lmtp,deliver")
    parser.add_argument("--tls-key", choices=("ecdsa", "rsa"), default="ecdsa",
                        help="the key type of the one certificate both servers use (ecdsa: P-256, rsa: 2048 bits)")
    parser.add_argument("--no-tls-resume", action="store_true",
                        help="the load generator resumes no TLS session: full handshakes against both servers (by "
                             "default it resumes with Postino, which issues tickets, and not with Dovecot, which does not)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    global GENERATOR_ENV
    if args.no_tls_resume:
        GENERATOR_ENV = dict(os.environ, DOTNET_SYSTEM_NET_SECURITY_DISABLETLSRESUME="1")
    work = tempfile.mkdtemp(prefix="postino-tuned.")
    os.chmod(work, 0o755)
    global CERTIFICATE
    CERTIFICATE = make_certificate(work, args.tls_key)
    print(f"== {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}, work {work}, "
          f"both servers on one {args.tls_key} certificate"
          f"{', no TLS resumption by the load generator' if args.no_tls_resume else ''}", flush=True)
    print("| figure | Dovecot tuned | Postino | ratio | target | notes |\n| --- | --- | --- | --- | --- | --- |", flush=True)
    try:
        if "session" in only:
            source = os.path.join(work, "src-session")
            make_maildir(source, 5, 4096)

            def servers():
                p, d = Postino(os.path.join(work, "s")), Dovecot(os.path.join(work, "s"))
                names = [f"bench{n}" for n in range(1, 11)]
                p.add_users(names, source)
                d.add_users(names, source)
                return p, d

            for tls in (False, True):
                values, d, gen = aba(servers, lambda s: load_cpu(s, "bench%d", 10, args.seconds, args.warmup, tls, "session"))
                name = "server CPU-ms per POP3S session (TLS 1.3)" if tls else "server CPU-ms per session (login, STAT, UIDL, 5 x 4 KiB RETR, QUIT; 10 clients)"
                report(name, "ms", values, d, "<= 0.3 x" if tls else "<= 0.35 x", gen + " ms/session")

        if "bulk" in only:
            source = os.path.join(work, "src-bulk")
            make_maildir(source, 8, 1 << 20)

            def servers():
                p, d = Postino(os.path.join(work, "b")), Dovecot(os.path.join(work, "b"))
                names = [f"bulk{n}" for n in range(1, 5)]
                p.add_users(names, source)
                d.add_users(names, source)
                return p, d

            for tls in (False, True):
                values, d, gen = aba(servers, lambda s: load_cpu(s, "bulk%d", 4, 2 * args.seconds, args.warmup, tls, "MB"))
                report(f"bulk RETR 4 clients x 8 x 1 MiB, {'POP3S' if tls else 'plain'}: server CPU-ms per MB", "ms", values, d,
                       "<= 0.3 x" if tls else "<= 0.35 x", gen + " ms/MB")

        if "big" in only:
            source = os.path.join(work, "src-big")
            make_maildir(source, args.big, 700)

            def servers():
                p, d = Postino(os.path.join(work, "g")), Dovecot(os.path.join(work, "g"))
                p.add_users(["big1"], source)
                d.add_users(["big1"], source)
                return p, d

            def logins(server, count, cold, cpu=None):
                if cold:
                    subprocess.run(["sync"], check=False)
                    with open("/proc/sys/vm/drop_caches", "w") as f:
                        f.write("3\n")
                before = tree_cpu_ms(server.pid)
                out, _ = run_bench(["pop3-login", "--port", str(server.ports["pop3"]), "--user", "big1", "--password", PASSWORD,
                                    "--logins", str(count)])
                if cpu is not None:
                    cpu.append((tree_cpu_ms(server.pid) - before) / count)
                print("    " + out.replace("\n", "\n    "), flush=True)
                return [field(line, " ms (") for line in out.splitlines() if "PASS+STAT" in line]

            postino, dovecot = servers()
            try:
                postino.start()
                dovecot.start()
                # Warm: after the first login, two more (the index and Dovecot's caches settle), then 3 timed ones whose
                # server CPU is read too (wall time on a loaded machine mostly measures the run queue).
                p_cpu, d_cpu = [], []
                p_cold = logins(postino, 1, True)[0] / 1000
                logins(postino, 2, False)
                p_warm = min(logins(postino, 3, False, p_cpu))
                d_cold = logins(dovecot, 1, True)[0] / 1000
                logins(dovecot, 2, False)
                d_warm = min(logins(dovecot, 3, False, d_cpu))
                os.remove(os.path.join(postino.maildir("big1"), "postino-index"))
                p_cold2 = logins(postino, 1, True)[0] / 1000
                logins(postino, 2, False)
                p_warm2 = min(logins(postino, 3, False, p_cpu))
            finally:
                postino.stop()
                dovecot.stop()
            report(f"{args.big} messages (no size tags), warm: connect -> STAT answer (best of 3)", "ms", [p_warm, p_warm2], d_warm, "<= 0.25 x")
            report("same, warm: server CPU-ms per login", "ms", p_cpu, d_cpu[0], "(CPU, not wall)")
            report("same, first login, cold page cache", "s", [p_cold, p_cold2], d_cold, "<= 0.5 x")

        if "idle" in only:
            n = args.idle

            def servers():
                p, d = Postino(os.path.join(work, "i")), Dovecot(os.path.join(work, "i"))
                names = [f"idle{k}" for k in range(1, n + 1)]
                p.add_users(names)
                d.add_users(names)
                return p, d

            def hold(server, tls):
                before = server.fresh_pss
                proc = subprocess.Popen(BENCH + ["pop3-hold", "--port", str(server.ports["pop3s" if tls else "pop3"]),
                                                 "--user", "idle%d", "--password", PASSWORD, "--sessions", str(n)]
                                        + (["--tls"] if tls else []),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                held = proc.stdout.readline().strip()
                time.sleep(1)
                after = tree_pss_kb(server.pid)
                fds = sum(len(os.listdir(f"/proc/{pid}/fd")) for pid in descendants(server.pid) if os.path.exists(f"/proc/{pid}/fd"))
                proc.stdin.close()
                proc.wait()
                print(f"    {'TLS' if tls else 'plain'}: {held}, PSS {before} -> {after} KB, {fds} descriptors in the server tree", flush=True)
                return (after - before) / n

            # Fresh servers for each kind, one unmeasured hold first on each (Postino's JIT and heap growth, Dovecot's
            # pool of pop3 processes, which it keeps for reuse), then A-B-A; each figure is the PSS of the whole server
            # tree with N sessions held less its PSS when freshly started, divided by N (so fixed costs are included).
            rows = {}
            for tls in (False, True):
                postino, dovecot = servers()
                try:
                    postino.start()
                    dovecot.start()
                    time.sleep(2)
                    postino.fresh_pss = tree_pss_kb(postino.pid)
                    dovecot.fresh_pss = tree_pss_kb(dovecot.pid)
                    hold(postino, tls)
                    hold(dovecot, tls)
                    p1 = hold(postino, tls)
                    d = hold(dovecot, tls)
                    p2 = hold(postino, tls)
                    rows[tls] = ([p1, p2], d)
                finally:
                    postino.stop()
                    dovecot.stop()
            for tls in (False, True):
                report(f"idle logged-in {'POP3S' if tls else 'plain'} session, PSS per session ({n} held)", "KB", rows[tls][0], rows[tls][1],
                       "<= 64 KB" if tls else "<= 16 KB")

        if "lmtp" in only:
            def servers():
                p, d = Postino(os.path.join(work, "l")), Dovecot(os.path.join(work, "l"))
                p.add_users(["lmtp1"])
                d.add_users(["lmtp1"])
                return p, d

            for senders, size in ((1, 4096), (8, 4096), (8, 1 << 20)):
                def measure(server):
                    out, gen = run_bench(["lmtp-load", "--endpoint", f"127.0.0.1:{server.ports['lmtp']}", "--rcpt", "lmtp1@localhost",
                                          "--senders", str(senders), "--sizes", str(size), "--seconds", str(args.seconds)])
                    print("    " + out, flush=True)
                    return field(out, " deliveries/s"), gen

                values, d, gen = aba(servers, measure)
                report(f"LMTP deliveries/s with fsync, {size // 1024} KB, {senders} sender(s)", "/s", values, d, ">= 2 x (8 senders)", gen)

        if "deliver" in only:
            message = os.path.join(work, "deliver.eml")
            with open(message, "w") as f:
                f.write("From: a@example.org\nTo: deliver1@localhost\nSubject: deliver\n\n" + LINE * 50)
            postino, dovecot = Postino(os.path.join(work, "d")), Dovecot(os.path.join(work, "d"))
            postino.add_users(["deliver1"])
            dovecot.add_users(["deliver1"])
            dovecot.start()

            def one(command, stdin_path):
                # /usr/bin/time for the peak RSS: a child forked from this (large) Python keeps its pre-exec maximum.
                started = time.monotonic()
                with open(stdin_path) as stdin:
                    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + command, stdin=stdin, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, text=True)
                    stderr = proc.stderr.read()
                    _, status, usage = os.wait4(proc.pid, 0)
                wall = (time.monotonic() - started) * 1000
                if status != 0:
                    raise SystemExit(f"{command[0]} failed: {status}: {stderr}")
                return (usage.ru_utime + usage.ru_stime) * 1000, wall, int(stderr.strip().splitlines()[-1]) / 1024

            def series(command):
                one(command, message)
                runs = [one(command, message) for _ in range(args.deliveries)]
                return [sum(r[i] for r in runs) / len(runs) for i in range(3)]

            # The package's layout (bin/postino beside lib/postino/postino-deliver), for the launcher.
            layout = os.path.join(work, "package")
            os.makedirs(os.path.join(layout, "bin"))
            os.makedirs(os.path.join(layout, "lib", "postino"))
            shutil.copy(LAUNCHER, os.path.join(layout, "bin", "postino"))
            os.chmod(os.path.join(layout, "bin", "postino"), 0o755)
            os.symlink(DELIVER_AOT, os.path.join(layout, "lib", "postino", "postino-deliver"))
            try:
                arguments = ["--data-dir", postino.dir, "deliver1"]
                aot = [DELIVER_AOT] + arguments
                launched = [os.path.join(layout, "bin", "postino"), "deliver"] + arguments
                dc = [LDA, "-c", os.path.join(dovecot.dir, "dovecot.conf"), "-d", "deliver1", "-p", message]
                a1, l1, d, l2, a2 = series(aot), series(launched), series(dc), series(launched), series(aot)
                jit = series(POSTINO + ["deliver"] + arguments)
            finally:
                dovecot.stop()
            for i, what in enumerate(("CPU ms", "wall ms", "peak RSS MB")):
                report(f"one `postino-deliver` (NativeAOT) vs `dovecot-lda -p`: {what}", "", [a1[i], a2[i]], d[i], "<= 2 x")
                report(f"one `postino deliver` (package launcher -> NativeAOT) vs `dovecot-lda -p`: {what}", "", [l1[i], l2[i]], d[i], "<= 2 x")
                report(f"one `dotnet postino.dll deliver` (JIT, before) vs `dovecot-lda -p`: {what}", "", [jit[i]], d[i], "(reference)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(RESULTS))


if __name__ == "__main__":
    main()

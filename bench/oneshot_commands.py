#!/usr/bin/env python3
"""One-shot commands, per process: the NativeAOT programs (postino-deliver, postino-oneshot) against the .NET program.

    bench/oneshot-commands.sh [--runs 20] [--only deliver,deliver-pg,user,expire] [--aot FILE] [--oneshot FILE] [--jit FILE]

For each command: one unmeasured run of each, then RUNS runs of A (AOT), RUNS of B (the .NET program), RUNS of A again,
each under /usr/bin/time (CPU = user + system of the process and its children, wall, peak RSS). The .NET program is
the Release build's apphost (src/Postino.Cli/bin/Release/net10.0/postino), as the package runs it. A private
PostgreSQL cluster (initdb into a temporary folder, a free port on 127.0.0.1, fsync off) serves the PostgreSQL cases.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AOT = f"{ROOT}/src/Postino.Deliver/bin/Release/net10.0/linux-x64/publish/postino-deliver"
ONESHOT = f"{ROOT}/src/Postino.OneShot/bin/Release/net10.0/linux-x64/publish/postino-oneshot"
JIT = f"{ROOT}/src/Postino.Cli/bin/Release/net10.0/postino"
MESSAGE = "From: a@example.org\nTo: bob@localhost\nSubject: one-shot\n\n" + "a line of a message body, about 64 octets long.........\n" * 60


def measure(command, stdin_text=None, env=None):
    """(CPU ms, wall ms, peak RSS MB) of one run; fails loudly on a non-zero exit."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %e %M"] + command,
        input=(stdin_text or "").encode(), capture_output=True, env=env)
    last = result.stderr.decode().strip().splitlines()[-1]
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.decode()}")
    user, system, wall, rss = last.split()
    return (float(user) + float(system)) * 1000, float(wall) * 1000, int(rss) / 1024


def series(command, runs, stdin_text=None, env=None):
    values = [measure(command, stdin_text, env) for _ in range(runs)]
    return [statistics.median(v[i] for v in values) for i in range(3)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres(work):
    bin_dir = next(d for d in ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
                   if os.path.exists(f"{d}/postgres"))
    folder = os.path.join(work, "pg")
    os.mkdir(folder)
    shutil.chown(folder, "nobody")
    as_nobody = ["runuser", "-u", "nobody", "--"]
    subprocess.run(as_nobody + [f"{bin_dir}/initdb", "-D", f"{folder}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                "--locale=C", "--no-sync"], check=True, capture_output=True)
    port = free_port()
    subprocess.run(as_nobody + [f"{bin_dir}/pg_ctl", "-D", f"{folder}/data", "-w", "-l", f"{folder}/log", "-o",
                                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    subprocess.run([f"{bin_dir}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c", "CREATE DATABASE mail"],
                   check=True, capture_output=True)
    return f"postgresql://postgres@127.0.0.1:{port}/mail", lambda: subprocess.run(
        as_nobody + [f"{bin_dir}/pg_ctl", "-D", f"{folder}/data", "-m", "fast", "stop"], capture_output=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="deliver,deliver-pg,user,expire")
    parser.add_argument("--aot", default=AOT, help="the NativeAOT postino-deliver (default: the publish folder)")
    parser.add_argument("--oneshot", default=ONESHOT, help="the NativeAOT postino-oneshot (default: the publish folder)")
    parser.add_argument("--jit", default=JIT, help="the .NET program's apphost (default: the Release build)")
    args = parser.parse_args()
    jit_program = args.jit
    only = args.only.split(",")
    work = tempfile.mkdtemp(prefix="postino-oneshot-bench-")
    os.chmod(work, 0o755)
    # The package's layout: postino-oneshot beside postino-deliver (which becomes it for PostgreSQL).
    aot_program = os.path.join(work, "postino-deliver")
    oneshot = os.path.join(work, "postino-oneshot")
    shutil.copy(args.aot, aot_program)
    shutil.copy(args.oneshot, oneshot)
    stop = None
    rows = []
    try:
        data = os.path.join(work, "data")
        for user in ("bob", "carol", "dave"):
            subprocess.run([jit_program, "user", "add", user, "--password-stdin", "--scheme", "PLAIN", "--data-dir", data],
                           input=b"pw\n", check=True, capture_output=True)
        cases = []
        if "deliver" in only:
            cases.append(("deliver, Maildir", [aot_program, "--data-dir", data, "bob"], [jit_program, "deliver", "--data-dir", data, "bob"], MESSAGE))
        if "deliver-pg" in only:
            url, stop = start_postgres(work)
            subprocess.run([jit_program, "user", "add", "bob", "--password-stdin", "--scheme", "PLAIN", "--data-dir", data, "--store", url],
                           input=b"pw\n", check=True, capture_output=True)
            cases.append(("deliver, PostgreSQL", [aot_program, "--data-dir", data, "--store", url, "bob"],
                          [jit_program, "deliver", "--data-dir", data, "--store", url, "bob"], MESSAGE))
        if "user" in only:
            cases.append(("user list (3 users)", [oneshot, "user", "list", "--data-dir", data], [jit_program, "user", "list", "--data-dir", data], None))
            cases.append(("user passwd --scheme PLAIN", [oneshot, "user", "passwd", "carol", "--password-stdin", "--scheme", "PLAIN", "--data-dir", data],
                          [jit_program, "user", "passwd", "carol", "--password-stdin", "--scheme", "PLAIN", "--data-dir", data], "pw2\n"))
            cases.append(("user passwd (default ARGON2ID)", [oneshot, "user", "passwd", "dave", "--password-stdin", "--data-dir", data],
                          [jit_program, "user", "passwd", "dave", "--password-stdin", "--data-dir", data], "pw3\n"))
        if "expire" in only:
            # bob's inbox holds the deliveries above (and 20 more): a sweep that reads every mailbox and removes nothing.
            for _ in range(20):
                subprocess.run([aot_program, "--data-dir", data, "bob"], input=MESSAGE.encode(), check=True)
            cases.append(("expire (3 users, ~100 messages, nothing expired)", [oneshot, "expire", "--data-dir", data],
                          [jit_program, "expire", "--data-dir", data], None))
        for name, aot, jit, stdin_text in cases:
            measure(aot, stdin_text)
            measure(jit, stdin_text)
            a1 = series(aot, args.runs, stdin_text)
            b = series(jit, args.runs, stdin_text)
            a2 = series(aot, args.runs, stdin_text)
            a = [(x + y) / 2 for x, y in zip(a1, a2)]
            rows.append((name, a, a1, a2, b))
    finally:
        if stop:
            stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"one-shot commands, median of {args.runs} runs each, A-B-A; load average {os.getloadavg()[0]:.1f}")
    print("| command | NativeAOT (A1 / A2): CPU ms, wall ms, peak RSS MB | .NET program: CPU ms, wall ms, peak RSS MB | AOT / .NET (CPU, wall, RSS) |")
    print("| --- | --- | --- | --- |")
    for name, a, a1, a2, b in rows:
        print(f"| {name} | {a[0]:.1f} ({a1[0]:.1f} / {a2[0]:.1f}), {a[1]:.0f} ({a1[1]:.0f} / {a2[1]:.0f}), {a[2]:.1f} "
              f"| {b[0]:.0f}, {b[1]:.0f}, {b[2]:.1f} | {a[0] / b[0]:.2f}, {a[1] / b[1]:.2f}, {a[2] / b[2]:.2f} |")


if __name__ == "__main__":
    main()

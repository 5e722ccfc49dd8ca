#!/usr/bin/env python3
"""A-B of the cold first login on a big Maildir (no size tags in names) between Postino builds: every build serves the
SAME Maildir (made once, with compare_tuned.py's messages, copied as compare-tuned copies it); each round, for each
build in turn, the index is removed, the page cache dropped, and connect -> STAT answer timed with
`postino-bench pop3-login` (compare-tuned's cold figure without index, its A2). The server's CPU for that login is
printed too. Figures only, not a test. Run as root, under the bench lock, after a Release build:

    flock /work/tasks/bench.lock nice -n 5 python3 bench/cold-login-ab.py [--messages 100000] [--rounds 3] [--work DIR] \
        'OLD=/other/tree/src/Postino.Cli/bin/Release/net10.0/postino.dll' 'NEW='

A variant is NAME=DLL (empty: this tree's build). --work DIR keeps the Maildir between runs (made when missing).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_tuned as ct  # noqa: E402


class Build(ct.Postino):
    def __init__(self, work, dll):
        super().__init__(work)
        self.dll = dll

    def start(self):
        saved = ct.POSTINO
        if self.dll:
            ct.POSTINO = ["dotnet", self.dll]
        try:
            super().start()
        finally:
            ct.POSTINO = saved


def cold_login(server, maildir):
    index = os.path.join(maildir, "postino-index")
    if os.path.exists(index):
        os.remove(index)
    subprocess.run(["sync"], check=False)
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")
    before = ct.tree_cpu_ms(server.pid)
    out, _ = ct.run_bench(["pop3-login", "--port", str(server.ports["pop3"]), "--user", "big1", "--password", ct.PASSWORD,
                           "--logins", "1"])
    cpu = ct.tree_cpu_ms(server.pid) - before
    lines = [line for line in out.splitlines() if "PASS+STAT" in line]
    if not lines:
        raise SystemExit("no PASS+STAT figure:\n" + out)
    return ct.field(lines[0], " ms ("), cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work")
    parser.add_argument("variants", nargs="+")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="postino-cold.")
    os.makedirs(work, exist_ok=True)
    source = os.path.join(work, f"src-{args.messages}")
    if not os.path.isdir(os.path.join(source, "cur")):
        ct.make_maildir(source + ".part", args.messages, 700)
        os.rename(source + ".part", source)
    # One copy for every build, made as compare-tuned makes its copies (shutil.copytree: files in the source's
    # listing order); the builds' data folders point at it through their mail/ link (the operator's layout).
    shared = os.path.join(work, "mail")
    if not os.path.isdir(os.path.join(shared, "big1", "Maildir", "cur")):
        shutil.rmtree(shared, ignore_errors=True)
        os.makedirs(os.path.join(shared, "big1"))
        ct.copy_maildir(source, os.path.join(shared, "big1", "Maildir"))
    maildir = os.path.join(shared, "big1", "Maildir")

    builds = []
    for n, text in enumerate(args.variants):
        name, _, dll = text.partition("=")
        build = Build(os.path.join(work, f"server{n}"), dll or None)
        os.makedirs(build.dir, exist_ok=True)
        with open(os.path.join(build.dir, "users"), "w") as f:
            f.write(f"big1:{{PLAIN}}{ct.PASSWORD}\n")
        os.chmod(os.path.join(build.dir, "users"), 0o600)
        os.symlink(shared, os.path.join(build.dir, "mail"))
        builds.append((name, build))

    print(f"== {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}, "
          f"{args.messages} messages, work {work}", flush=True)
    results = {name: [] for name, _ in builds}
    try:
        for _, build in builds:
            build.start()
            # A first login (cold) that is not counted: the JIT's first pass over the login path.
            cold_login(build, maildir)
        for r in range(args.rounds):
            order = builds[r % len(builds):] + builds[:r % len(builds)]
            for name, build in order:
                ms, cpu = cold_login(build, maildir)
                results[name].append(ms)
                print(f"  round {r + 1} {name}: {ms:.0f} ms, server CPU {cpu:.0f} ms, load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        for _, build in builds:
            build.stop()
    for name, values in results.items():
        print(f"{name}: mean {sum(values) / len(values):.0f} ms, min {min(values):.0f}, max {max(values):.0f} "
              f"({' / '.join(f'{v:.0f}' for v in values)})")


if __name__ == "__main__":
    main()

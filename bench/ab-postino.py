#!/usr/bin/env python3
"""A-B of Postino against itself: server CPU per POP3S (or plain) session for two or more variants (environment
settings, or another build's postino.dll), each on a fresh server, one round after another (each round starts with
the next variant, so that the machine's load drifts over all of them), or all at once with --together (each its own
load generator; heavy on a small machine). compare_tuned.py's servers, data and load (10 clients, login, STAT, UIDL,
5 x 4 KiB RETR, QUIT; --bulk: 4 clients x 8 x 1 MiB). Figures only, not a test. Run as root, under the bench lock,
after a Release build (compare-tuned.sh builds; this script does not):

    flock /work/tasks/bench.lock nice -n 5 python3 bench/ab-postino.py [--rounds 2] [--seconds 8] [--warmup 12] [--plain] [--bulk] [--together] [--no-tls-resume] \
        'A=' 'B=DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0' 'C=dll:/other/tree/postino.dll,DOTNET_gcConcurrent=0'

A variant is NAME=SETTINGS, SETTINGS a comma-separated list of VARIABLE=VALUE and at most one dll:PATH.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_tuned as ct  # noqa: E402


class Variant(ct.Postino):
    def __init__(self, work, env, dll):
        super().__init__(work)
        self.extra, self.dll = env, dll

    def start(self):
        saved_env, saved_cmd = dict(os.environ), ct.POSTINO
        os.environ.update(self.extra)
        if self.dll:
            ct.POSTINO = ["dotnet", self.dll]
        try:
            super().start()
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            ct.POSTINO = saved_cmd


def together(servers, pattern, clients, args, per):
    """Warms up, then loads every server at once; returns (name, CPU-ms per session or per MB) for each."""
    def loads(seconds):
        procs = []
        for _, server in servers:
            port = server.ports["pop3" if args.plain else "pop3s"]
            command = ct.BENCH + ["pop3-load", "--port", str(port), "--user", pattern, "--password", ct.PASSWORD,
                                  "--clients", str(clients), "--seconds", str(seconds)] + ([] if args.plain else ["--tls"])
            procs.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=ct.GENERATOR_ENV))
        return [p.communicate()[0].strip() for p in procs]

    loads(args.warmup)
    before = [ct.tree_cpu_ms(server.pid) for _, server in servers]
    outs = loads(args.seconds)
    out = []
    for (name, server), start, text in zip(servers, before, outs):
        used = ct.tree_cpu_ms(server.pid) - start
        count = ct.field(text, " sessions,") if per == "session" else ct.field(text, " MB/s") * args.seconds
        print(f"    {name}: {text}  server {used:.0f} ms", flush=True)
        out.append((name, used / count if count else float("nan")))
    return out


def parse(text):
    name, _, settings = text.partition("=")
    env, dll = {}, None
    for item in filter(None, settings.split(",")):
        if item.startswith("dll:"):
            dll = item[4:]
        else:
            key, _, value = item.partition("=")
            env[key] = value
    return name, env, dll


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=12)
    parser.add_argument("--plain", action="store_true", help="plain POP3 sessions instead of POP3S")
    parser.add_argument("--bulk", action="store_true", help="4 clients x 8 x 1 MiB, CPU-ms per MB")
    parser.add_argument("--together", action="store_true",
                        help="load every variant at the same time (each its own generator): the machine's load is the same for all")
    parser.add_argument("--no-tls-resume", action="store_true",
                        help="the load generator resumes no TLS session (full handshakes), as compare-tuned.sh --no-tls-resume")
    parser.add_argument("variants", nargs="+")
    args = parser.parse_args()
    variants = [parse(v) for v in args.variants]
    if args.no_tls_resume:
        ct.GENERATOR_ENV = dict(os.environ, DOTNET_SYSTEM_NET_SECURITY_DISABLETLSRESUME="1")
    work = tempfile.mkdtemp(prefix="postino-ab.")
    os.chmod(work, 0o755)
    ct.CERTIFICATE = ct.make_certificate(work, "ecdsa")
    source = os.path.join(work, "src")
    if args.bulk:
        ct.make_maildir(source, 8, 1 << 20)
        users, clients, per = [f"bulk{n}" for n in range(1, 5)], 4, "mb"
    else:
        ct.make_maildir(source, 5, 4096)
        users, clients, per = [f"bench{n}" for n in range(1, 11)], 10, "session"
    pattern = users[0].rstrip("1") + "%d"
    results = {name: [] for name, _, _ in variants}
    # Server CPU over the generator's CPU for the same sessions: the generator's work per session is the same for every
    # variant, so this cancels the machine's drift (on the project's VM the same build's figure moves by 30 % from one
    # minute to the next, and the generator's with it).
    relative = {name: [] for name, _, _ in variants}
    print(f"== {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}, "
          f"{'plain' if args.plain else 'POP3S'}{', full handshakes' if args.no_tls_resume else ''} {'bulk (CPU-ms per MB)' if args.bulk else '(CPU-ms per session)'}, "
          f"variants measured {'at the same time' if args.together else 'one after another'}", flush=True)
    for round_ in range(args.rounds):
        # Each round starts the variants in another order (the first started is not always the first warmed).
        order = variants[round_ % len(variants):] + variants[:round_ % len(variants)]
        servers = []
        try:
            for name, env, dll in order:
                server = Variant(os.path.join(work, f"{name}{round_}"), env, dll)
                server.add_users(users, source)
                server.start()
                servers.append((name, server))
            if args.together:
                for name, value in together(servers, pattern, clients, args, per):
                    results[name].append(value)
                    print(f"  {name} round {round_ + 1}: {value:.3g}, load {os.getloadavg()[0]:.1f}", flush=True)
            else:
                for name, server in servers:
                    value, generator = ct.load_cpu(server, pattern, clients, args.seconds, args.warmup, not args.plain, per)
                    results[name].append(value)
                    relative[name].append(value / generator)
                    print(f"  {name} round {round_ + 1}: {value:.3g} (generator {generator:.3g}), load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            for _, server in servers:
                server.stop()
    base = sum(results[variants[0][0]]) / len(results[variants[0][0]])
    for name, values in results.items():
        mean = sum(values) / len(values)
        print(f"{name}: mean {mean:.3g} ({' / '.join(f'{v:.3g}' for v in values)}), {mean / base:.2f} x {variants[0][0]}")
    if not args.together:
        base = sum(relative[variants[0][0]]) / len(relative[variants[0][0]])
        for name, values in relative.items():
            mean = sum(values) / len(values)
            print(f"{name}: per generator CPU {mean:.3f} ({' / '.join(f'{v:.3f}' for v in values)}), {mean / base:.3f} x {variants[0][0]}")


if __name__ == "__main__":
    main()

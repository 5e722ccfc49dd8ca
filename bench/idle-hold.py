#!/usr/bin/env python3
# Postino-only idle hold (plain and TLS), the same measure as compare_tuned.py's idle figure: tree PSS with N sessions
# held less PSS freshly started, over N; one unmeasured hold first, then two measured ones. No Dovecot (its 10,000
# pop3 processes take 15-20 minutes to start on a loaded 2-core machine).
#
#   python3 bench/idle-hold.py 10000 tls,plain [--holds 2]   (POSTINO_DLL=path/to/postino.dll for another build)
#
# --holds N: measured holds after the warm-up one (default 2: A1, A2); more show whether the figure stays put when
# waves of sessions come and go on one server (bench/idle-where.py splits each figure into GC heap, malloc, files).
import os, subprocess, sys, time, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_tuned as c  # noqa: E402
if os.environ.get("POSTINO_DLL"):
    c.POSTINO = ["dotnet", os.environ["POSTINO_DLL"]]
n = int(sys.argv[1]); kinds = sys.argv[2].split(",")
holds = int(sys.argv[sys.argv.index("--holds") + 1]) if "--holds" in sys.argv else 2
work = tempfile.mkdtemp(prefix="fdlock-idle-")
for kind in kinds:
    tls = kind == "tls"
    p = c.Postino(os.path.join(work, kind))
    p.add_users([f"idle{k}" for k in range(1, n + 1)])
    p.start()
    try:
        time.sleep(2)
        fresh = c.tree_pss_kb(p.pid)
        for run in ["warm-up"] + [f"A{k}" for k in range(1, holds + 1)]:
            proc = subprocess.Popen(c.BENCH + ["pop3-hold", "--port", str(p.ports["pop3s" if tls else "pop3"]), "--user", "idle%d",
                                    "--password", c.PASSWORD, "--sessions", str(n)] + (["--tls"] if tls else []),
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            held = proc.stdout.readline().strip()
            time.sleep(1)
            after = c.tree_pss_kb(p.pid)
            fds = len(os.listdir(f"/proc/{p.pid}/fd"))
            proc.stdin.close(); proc.wait()
            print(f"{kind} {run}: {held}, PSS {fresh} -> {after} KB = {(after - fresh) / n:.1f} KB/session, {fds} descriptors, load {os.getloadavg()[0]:.1f}", flush=True)
        with open(os.path.join(p.dir, "out")) as f:
            print([l for l in f.read().splitlines() if "room for" in l][0][:220])
    finally:
        p.stop()

#!/usr/bin/env python3
# Where the memory of idle sessions is: holds N idle sessions (plain or TLS) on one fresh Postino several times in a
# row and, freshly started, with the sessions held, and after they closed, prints the server's PSS split into
#   gc      the garbage-collected heap's committed regions (anonymous mappings inside its multi-GB reservation)
#   malloc  glibc's arenas ([heap] and the 64 MiB-aligned heaps of the other arenas)
#   anon    other anonymous memory (thread stacks, JIT code and loader heaps, malloc's mmapped large chunks)
#   file    file-backed mappings (libraries, assemblies)
# and the thread count. Not a test: figures only. Options:
#
#   python3 bench/idle-where.py N tls|plain [--holds 4] [--trim-gdb] [--env NAME=VALUE ...]
#
# --counters adds the GC's own figures after its last collection (dotnet-counters).
# --trim-gdb calls malloc_trim(0) in the server through gdb after each hold's close and prints the PSS again (an
# experiment: how much of the growth is free memory that glibc kept). --env sets a variable for the server only.
import argparse, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_tuned as c  # noqa: E402

GC_RESERVE = 1 << 32  # the GC reserves far more than this up front (256 GB with regions); nothing else does
ARENA = 64 << 20
WITH_COUNTERS = False


def split(pid):
    maps = []  # [start, end, pss_kb, path, perms]
    with open(f"/proc/{pid}/smaps") as f:
        current = None
        for line in f:
            head = line.split()
            if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                start, end = (int(x, 16) for x in head[0].split("-"))
                current = [start, end, 0, head[5] if len(head) > 5 else "", head[1]]
                maps.append(current)
            elif head[0] == "Pss:":
                current[2] = int(head[1])
    maps.sort()
    out = {"gc": 0, "malloc": 0, "anon": 0, "file": 0}
    kind = [None] * len(maps)
    for i, m in enumerate(maps):
        if m[3] == "[heap]":
            kind[i] = "malloc"
        elif m[3]:
            kind[i] = "file" if m[3].startswith("/") else "anon"
        # A glibc arena heap: 64 MiB at a 64 MiB boundary, its committed part (rw-p) then its PROT_NONE rest.
        elif m[0] % ARENA == 0 and m[4] == "rw-p" and (m[1] - m[0] == ARENA or (
                i + 1 < len(maps) and maps[i + 1][0] == m[1] and maps[i + 1][4] == "---p" and maps[i + 1][1] == m[0] + ARENA)):
            kind[i] = "malloc"
            if m[1] - m[0] != ARENA:
                kind[i + 1] = "malloc"
    # The GC's reservation: one run of adjacent anonymous mappings of many GB.
    i = 0
    while i < len(maps):
        j = i
        while j + 1 < len(maps) and kind[j + 1] is None and maps[j + 1][0] == maps[j][1] and kind[i] is None:
            j += 1
        if kind[i] is None and maps[j][1] - maps[i][0] >= GC_RESERVE:
            for k in range(i, j + 1):
                kind[k] = "gc"
        i = j + 1
    for m, k in zip(maps, kind):
        out[k or "anon"] += m[2]
    with open(f"/proc/{pid}/status") as f:
        threads = next(line.split()[1] for line in f if line.startswith("Threads:"))
    return out, int(threads)


COUNTERS = os.environ.get("DOTNET_COUNTERS", "/tmp/dntools/dotnet-counters")


def gc_counters(pid):
    """The GC's own view after its last collection (dotnet-counters, which attaches an event pipe session: a few MB)."""
    out = f"/tmp/idle-where-{pid}.csv"
    subprocess.run([COUNTERS, "collect", "-p", str(pid), "--counters",
                    "System.Runtime[dotnet.gc.last_collection.heap.size,dotnet.gc.last_collection.memory.committed_size,"
                    "dotnet.gc.last_collection.heap.fragmentation.size,dotnet.gc.collections]",
                    "--duration", "00:00:00:03", "--format", "csv", "-o", out], capture_output=True)
    last = {}
    with open(out) as f:
        for line in f.read().splitlines()[1:]:
            cells = line.split(",")
            if len(cells) >= 5 and "collections" not in cells[2]:
                name = cells[2].replace("dotnet.gc.last_collection.", "").split(" ")[0]
                gen = cells[2].split("generation=")[1].rstrip("]") if "generation=" in cells[2] else ""
                last[f"{name}{'.' + gen if gen else ''}"] = float(cells[-1]) / 1024
    os.unlink(out)
    return "  ".join(f"{k}={v:.0f}" for k, v in sorted(last.items()) if v)


def show(label, pid, base=None, n=1):
    parts, threads = split(pid)
    total = sum(parts.values())
    text = f"{label:14} PSS {total:7d} KB  " + "  ".join(f"{k} {v:6d}" for k, v in parts.items()) + f"  threads {threads}"
    if base:
        text += "  | per session: " + "  ".join(f"{k} {(parts[k] - base[0][k]) / n:5.1f}" for k in parts) + f"  total {(total - sum(base[0].values())) / n:5.1f} KB"
    print(text, flush=True)
    if WITH_COUNTERS:
        print("               GC (KB): " + gc_counters(pid), flush=True)
    return parts, threads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("kind", choices=("tls", "plain"))
    ap.add_argument("--holds", type=int, default=4)
    ap.add_argument("--trim-gdb", action="store_true")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--counters", action="store_true", help="also the GC's figures (dotnet-counters, path in DOTNET_COUNTERS)")
    args = ap.parse_args()
    global WITH_COUNTERS
    WITH_COUNTERS = args.counters
    for pair in args.env:
        name, value = pair.split("=", 1)
        os.environ[name] = value
    if os.environ.get("POSTINO_DLL"):
        c.POSTINO = ["dotnet", os.environ["POSTINO_DLL"]]
    n, tls = args.n, args.kind == "tls"
    work = tempfile.mkdtemp(prefix="idle-where-")
    p = c.Postino(os.path.join(work, args.kind))
    p.add_users([f"idle{k}" for k in range(1, n + 1)])
    p.start()
    try:
        time.sleep(2)
        base = show("fresh", p.pid)
        for hold in range(1, args.holds + 1):
            proc = subprocess.Popen(c.BENCH + ["pop3-hold", "--port", str(p.ports["pop3s" if tls else "pop3"]), "--user", "idle%d",
                                    "--password", c.PASSWORD, "--sessions", str(n)] + (["--tls"] if tls else []),
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            held = proc.stdout.readline().strip()
            time.sleep(1)
            print(f"hold {hold}: {held}, load {os.getloadavg()[0]:.1f}", flush=True)
            show(f"  held", p.pid, base, n)
            proc.stdin.close()
            proc.wait()
            time.sleep(6)  # the trimmer looks every 5 s (Server:MemoryTrimInterval)
            show(f"  closed", p.pid, base, n)
            if args.trim_gdb:
                subprocess.run(["gdb", "-p", str(p.pid), "-batch", "-ex", "call (int)malloc_trim(0)"], capture_output=True)
                show(f"  gdb trimmed", p.pid, base, n)
    finally:
        p.stop()


main()

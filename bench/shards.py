#!/usr/bin/env python3
"""bench/shards.py — issue 8's figures for bench/REPORT.md: indexing the
main corpus as one database (one writer) vs 2 shards (quire-index
--shards 2), and query latency on those 2 shards opened locally vs served
by xapian-tcpsrv on loopback. Prints JSON: {"lines": [markdown lines]}.
Usage: shards.py --build B --work W --corpus FILE.jsonl --queries Q.tsv --reps N"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import time


def timed(cmd):
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def kv(line):
    return dict(x.split("=", 1) for x in line.split() if "=" in x)


def main():
    ap = argparse.ArgumentParser()
    for a in ("--build", "--work", "--corpus", "--queries"):
        ap.add_argument(a, required=True)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    qi = os.path.join(a.build, "quire-index")
    qsearch = os.path.join(a.build, "bench", "qsearch")
    one, two = os.path.join(a.work, "sh1.idx"), os.path.join(a.work, "sh2.idx")
    walls = {"1 database, 1 writer": [], "2 shards (--shards 2)": []}
    for _ in range(a.reps):
        for name, args, path in (("1 database, 1 writer", ["--threads", "1"], one),
                                 ("2 shards (--shards 2)", ["--shards", "2"], two)):
            shutil.rmtree(path, ignore_errors=True)
            walls[name].append(timed([qi, "-q", "-d", path] + args + [a.corpus]))
    lines = ["Indexing the main corpus (median of %d, seconds): " % a.reps +
             "; ".join("%s %.2f (runs: %s)" % (k, statistics.median(v), ", ".join("%.2f" % x for x in v))
                       for k, v in walls.items()) + ".", ""]
    # The same 2 shards, locally and through xapian-tcpsrv on loopback.
    base = 27000 + os.getpid() % 1000
    stub = os.path.join(a.work, "remote.stub")
    servers = []
    with open(stub, "w") as f:
        for i in range(2):
            servers.append(subprocess.Popen(["xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                                             str(base + i), os.path.join(two, "shard-%d" % i)],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            start_new_session=True))
            f.write("remote 127.0.0.1:%d\n" % (base + i))
    time.sleep(1)
    try:
        res = {}
        for rep in range(a.reps):
            for name, target in (("local shards", two), ("loopback remote shards", stub)):
                out = subprocess.run([qsearch, "bench", target, a.queries, "--threads", "1", "--rounds", "3"],
                                     check=True, capture_output=True, text=True).stdout
                res.setdefault(name, []).append(kv(out.strip().splitlines()[-1]))
    finally:
        for s in servers:
            os.killpg(s.pid, signal.SIGTERM)
    lines.append("| 2 shards | p50 ms | p95 ms | p99 ms | queries/s |")
    lines.append("|---|---|---|---|---|")
    for name, r in res.items():
        lines.append("| %s | %.3f | %.3f | %.3f | %.0f |" % tuple(
            [name] + [statistics.median(float(x[k]) for x in r) for k in ("p50_ms", "p95_ms", "p99_ms", "qps")]))
    lines.append("")
    lines.append("Remote latency adds a few loopback round trips per shard per query (statistics, then matches, "
                 "then each hit's stored text for the snippet).")
    shutil.rmtree(one, ignore_errors=True)
    shutil.rmtree(two, ignore_errors=True)
    print(json.dumps({"lines": lines}))


if __name__ == "__main__":
    main()

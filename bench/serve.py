#!/usr/bin/env python3
"""bench/serve.py — issue 17's figures for bench/REPORT.md: quire-serve under
load from a local client (wrk, a bounded number of connections, keep-alive)
against the library called directly (bench/tools/qsearch.c) on the same
index, queries and machine, in the same run: requests/s and p50/p95/p99.
Then the index is rebuilt several times while wrk keeps the server busy,
and every failed request (a socket error or a status other than 200) is
counted: the target is 0.

Every search is a results page: top 10 with snippets and highlights
(qsearch: the library call; the server: that plus JSON and HTTP). Runs are
interleaved and medians reported, as in run.py.

Prints JSON: {"lines": [markdown lines], "ok": bool}.
Usage: serve.py --build B --work W --corpus FILE.jsonl --queries Q.tsv
                --reps N --seconds S --rebuilds K
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

# wrk's script: the client thread walks the query list from a random
# offset; done() prints one line of numbers (latencies in microseconds).
WRK_LUA = r"""
local reqs = {}
local counter = 0
function setup(thread) thread:set("start", math.random(1000)) end
function init(args)
  -- Formatted once, so the client spends its time on the wire, not in Lua.
  for line in io.lines(os.getenv("QUIRE_BENCH_PATHS")) do reqs[#reqs + 1] = wrk.format("GET", line) end
  counter = (start or 0) % #reqs
end
function request()
  counter = counter % #reqs + 1
  return reqs[counter]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests=%d duration_s=%.3f qps=%.1f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect, e.read, e.write, e.timeout, e.status))
end
"""


def kv(line):
    return dict(x.split("=", 1) for x in line.split() if "=" in x)


def last_kv(out, key):
    for line in reversed(out.strip().splitlines()):
        if key + "=" in line:
            return kv(line)
    raise RuntimeError("no result line in: %s" % out[-500:])


class Server:
    def __init__(self, exe, index, port, threads, log):
        self.url = "http://127.0.0.1:%d" % port
        self.log = open(log, "w")
        self.p = subprocess.Popen([exe, "-d", index, "--listen", "127.0.0.1:%d" % port, "--threads", str(threads),
                                   "--reopen-interval", "0.5"], stderr=self.log, start_new_session=True)
        for _ in range(600):
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("quire-serve did not come up (see %s)" % log)

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.load(r)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(timeout=60)
        self.log.close()
        if rc != 0:
            raise RuntimeError("quire-serve exited %d after SIGTERM" % rc)


def wrk(url, lua, paths, conns, seconds):
    env = dict(os.environ, QUIRE_BENCH_PATHS=paths)
    out = subprocess.run(["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--timeout", "30s", "-s", lua, url],
                         check=True, capture_output=True, text=True, env=env).stdout
    return last_kv(out, "requests")


def main():
    ap = argparse.ArgumentParser()
    for a in ("--build", "--work", "--corpus", "--queries"):
        ap.add_argument(a, required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rebuilds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("serve.py: wrk is not installed (scripts/bench-deps installs it)")
    qi = os.path.join(a.build, "quire-index")
    qs = os.path.join(a.build, "quire-serve")
    qsearch = os.path.join(a.build, "bench", "qsearch")
    idx = os.path.join(a.work, "serve.idx")
    for p in (idx, idx + ".lock"):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.lexists(p):
            os.unlink(p)
    subprocess.run([qi, "-q", "-d", idx, a.corpus], check=True)

    queries = [l.rstrip("\n").split("\t", 1)[1] for l in open(a.queries, encoding="utf-8") if "\t" in l]
    paths = os.path.join(a.work, "serve.paths")
    with open(paths, "w") as f:
        for q in queries:
            f.write("/api/search?limit=10&q=%s\n" % urllib.parse.quote(q, safe=""))
    lua = os.path.join(a.work, "serve.lua")
    with open(lua, "w") as f:
        f.write(WRK_LUA)
    port = 28000 + os.getpid() % 1000
    threads = a.threads

    # Rounds for the library so that its run lasts about as long as wrk's.
    t0 = time.monotonic()
    subprocess.run([qsearch, "bench", idx, a.queries, "--threads", str(threads), "--rounds", "1"], check=True,
                   capture_output=True)
    one = max(time.monotonic() - t0, 0.01)
    rounds = max(3, min(500, int(a.seconds / (one / 2))))

    srv = Server(qs, idx, port, threads, os.path.join(a.work, "serve.log"))
    res = {}
    try:
        wrk(srv.url, lua, paths, 4, 2)  # warm-up
        runs = [("library (qsearch, %d threads)" % threads, None),
                ("quire-serve, %d connections" % threads, threads),
                ("quire-serve, %d connections" % (2 * threads), 2 * threads)]
        for rep in range(a.reps):
            order = runs[rep % len(runs):] + runs[:rep % len(runs)]
            for name, conns in order:
                if conns is None:
                    out = subprocess.run([qsearch, "bench", idx, a.queries, "--threads", str(threads), "--rounds",
                                          str(rounds)], check=True, capture_output=True, text=True).stdout
                    r = last_kv(out, "qps")
                else:
                    r = wrk(srv.url, lua, paths, conns, a.seconds)
                    failed = sum(int(r[k]) for k in r if k.startswith("err_"))
                    if failed:
                        raise RuntimeError("%s: %d failed requests: %s" % (name, failed, r))
                res.setdefault(name, []).append(r)

        # Rebuilds under load: wrk runs until the last rebuild has switched
        # and the server answers from it.
        before = srv.get("/api/stats")["location"]
        env = dict(os.environ, QUIRE_BENCH_PATHS=paths)
        w = subprocess.Popen(["wrk", "-t1", "-c%d" % (2 * threads), "-d600s", "--timeout", "30s", "-s", lua, srv.url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(1)
        t0 = time.monotonic()
        for _ in range(a.rebuilds):
            subprocess.run([qi, "-q", "-d", idx, "--rebuild", a.corpus], check=True)
        rebuild_s = time.monotonic() - t0
        live = os.path.realpath(idx)
        for _ in range(600):
            if srv.get("/api/stats")["location"] == live:
                break
            time.sleep(0.1)
        after = srv.get("/api/stats")["location"]
        time.sleep(1)
        w.send_signal(signal.SIGINT)
        out, err = w.communicate(timeout=60)
        load = last_kv(out, "requests")
    finally:
        srv.stop()

    failed = sum(int(load[k]) for k in load if k.startswith("err_"))
    lines = ["Top 10 with snippets on the main corpus, %d mixed queries; the library called directly "
             "(bench/tools/qsearch.c, %d threads) against quire-serve (%d workers) under wrk (1 client "
             "thread, keep-alive, a bounded number of connections), same index, same run; medians of %d "
             "interleaved runs of ~%d s. Server latency is wrk's: from sending the request to the last byte "
             "of the JSON, queueing included." % (len(queries), threads, threads, a.reps, a.seconds), "",
             "| searcher | requests/s | p50 ms | p95 ms | p99 ms | vs library |", "|---|---|---|---|---|---|"]
    lib_qps = None
    for name, _ in runs:
        r = res[name]
        m = {k: statistics.median(float(x[k]) for x in r) for k in ("qps", "p50_ms", "p95_ms", "p99_ms")}
        if lib_qps is None:
            lib_qps = m["qps"]
        lines.append("| %s | %.0f | %.3f | %.3f | %.3f | %.0f %% |" % (
            name, m["qps"], m["p50_ms"], m["p95_ms"], m["p99_ms"], 100.0 * m["qps"] / lib_qps))
    best = max(statistics.median(float(x["qps"]) for x in res[n]) for n, c in runs if c)
    ratio = best / lib_qps if lib_qps else 0
    lines += ["", "Throughput target (issue 17): at least 80 %% of the library's with snippets on 2 cores: "
              "%.0f %% (%s)." % (100 * ratio, "met" if ratio >= 0.8 else "NOT met"), "",
              "Rebuilt %d times under load (%d connections, %.1f s of rebuilding, the server moved from %s to %s): "
              "%d requests, %d failed (connect %s, read %s, write %s, timeout %s, non-200 %s), %.0f requests/s "
              "while the rebuilds took the CPU." % (
                  a.rebuilds, 2 * threads, rebuild_s, os.path.basename(before), os.path.basename(after),
                  int(load["requests"]), failed, load["err_connect"], load["err_read"], load["err_write"],
                  load["err_timeout"], load["err_status"], float(load["qps"]))]
    ok = failed == 0 and after == live and before != after
    if not ok:
        lines.append("")
        lines.append("**The rebuild run failed its target** (failed requests, or the server did not move "
                     "to the new version).")
    shutil.rmtree(os.path.realpath(idx), ignore_errors=True)
    print(json.dumps({"lines": lines, "ok": ok, "ratio": ratio}))


if __name__ == "__main__":
    main()

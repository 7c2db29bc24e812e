#!/usr/bin/env python3
"""bench/run.py — quire's measuring instrument: indexes the same real corpora
with quire and with the anchors (omindex, scriptindex, a TermGenerator
reference indexer, SQLite FTS5), times the same queries on each, scores
relevance on the judged collections, and writes bench/REPORT.md with raw
numbers, ratios, targets met or not, and a gnuplot PNG.

Runs are interleaved (engine order rotates each repetition) and medians
are reported, because this machine's speed drifts by 10-15 % over minutes:
only figures taken in the same run, side by side, are comparable.

Usage: bench/run.py --build BUILD [--smoke] [--shared DIR] [--out FILE]
       [--work DIR] [--reps N] [--scales 1,2,4,8] [--only relevance|ranking]
Standard library only. Called by `make bench` and `make bench-smoke`.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import corpus
import features
import queries as qgen
import report


def run_measured(cmd, cwd=None, stdout=None, env=None):
    """Run cmd; return wall seconds, CPU seconds (user+sys) and peak RSS in
    MB of the child (wait4's rusage), or raise with its stderr."""
    t0 = time.monotonic()
    err = tempfile.TemporaryFile()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=stdout or subprocess.DEVNULL, stderr=err, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        err.seek(0)
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), p.returncode,
                                                 err.read().decode(errors="replace")[-2000:]))
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024.0}


def tree_size(path):
    """Bytes on disk of a file or directory (following the index symlink)."""
    path = os.path.realpath(path)
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total


def stored_size(path):
    """Size of Xapian's stored document data (the text kept for results)."""
    f = os.path.join(os.path.realpath(path), "docdata.glass")
    return os.path.getsize(f) if os.path.exists(f) else 0


def quire_stored_size(bench, path, name):
    """quire keeps the head records in the document data and the bodies,
    compressed, in value slot 2 (lib/bodystore.h) inside postlist.glass:
    both count as stored text."""
    out = subprocess.run([bench.tool("slotbytes"), os.path.realpath(path), "2"], capture_output=True, text=True)
    try:
        body = int(out.stdout.strip() or 0)
    except ValueError:
        body = 0
    return stored_size(path) + body


def rm(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
    for extra in (path + ".lock",):
        if os.path.exists(extra):
            os.unlink(extra)


# A result list without snippets takes well under a millisecond a query;
# timed over a.rounds rounds it lasted a few tens of milliseconds per
# engine, where warm-up and the machine's drift decided the ratio (one
# full run: per-repetition ratios 1.42x, 1.17x, 1.13x). Runs without
# snippets take LIST_ROUNDS times as many rounds (about half a second).
LIST_ROUNDS = 20

BASE_NAME = "quire-0.1"
BASE_REV = "d097b4d"  # the last commit of quire 0.1.0


def build_baseline(a):
    """quire at BASE_REV (the last release), built in the work directory so
    that indexing and search are compared with it in the same run. None
    when git or that commit is not at hand (a shallow clone)."""
    repo = os.path.join(a.bench_dir, "..")
    src = os.path.join(a.work, "baseline-src")
    try:
        tar = subprocess.run(["git", "-C", repo, "archive", "--format=tar", BASE_REV], capture_output=True,
                             check=True).stdout
        os.makedirs(src, exist_ok=True)
        subprocess.run(["tar", "-x", "-C", src], input=tar, check=True)
        subprocess.run(["make", "-C", src, "-j2", "all", "build/bench/qsearch"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError) as e:
        log("baseline %s (quire 0.1) not built, left out: %s" % (BASE_REV, getattr(e, "stderr", e)))
        return None
    log("baseline %s (quire 0.1) built" % BASE_REV)
    return os.path.join(src, "build")


class Bench:
    def __init__(self, args):
        self.a = args
        self.baseline = None
        self.tools = os.path.join(args.build, "bench")
        self.work = args.work
        self.results = {"index": {}, "index_size": {}, "query": {}, "query_list": {}, "cli": {}, "scale": {},
                        "relevance": {}, "shards": {}, "long": {}, "serve": {}, "ranking": {}, "features": {}}

    def tool(self, name):
        return os.path.join(self.tools, name)

    def quire(self, name):
        return os.path.join(self.a.build, name)

    # -- indexing ------------------------------------------------------

    def indexers(self, c):
        """Every engine's indexing command for corpus c, as (name, prepare,
        command, output path). prepare() runs untimed before each run."""
        w = self.work
        out = {
            "quire": os.path.join(w, "quire.idx"),
            "quire-spelling": os.path.join(w, "quire-spelling.idx"),
            "xapian-tg": os.path.join(w, "tg.db"),
            "xapian-tg-2shards": os.path.join(w, "tg2.db"),
            "fts5": os.path.join(w, "fts5.db"),
            "omindex": os.path.join(w, "omindex.db"),
            "scriptindex": os.path.join(w, "scriptindex.db"),
        }
        engines = [
            ("quire", [self.quire("quire-index"), "-q", "-d", out["quire"], c.jsonl], out["quire"]),
            # The index side of did-you-mean: quire with Xapian's spelling table.
            ("quire-spelling", [self.quire("quire-index"), "-q", "--spelling", "-d", out["quire-spelling"], c.jsonl],
             out["quire-spelling"]),
            ("xapian-tg", [self.tool("tg_index"), "--data", out["xapian-tg"], c.jsonl], out["xapian-tg"]),
            ("xapian-tg-2shards", [sys.executable, os.path.join(self.a.bench_dir, "tg_shards.py"),
                                   self.tool("tg_index"), out["xapian-tg-2shards"], c.jsonl],
             out["xapian-tg-2shards"]),
            ("fts5", [self.tool("fts5"), "index", out["fts5"], c.jsonl], out["fts5"]),
            ("omindex", ["omindex", "--overwrite", "-e", "index", "-p", "--db", out["omindex"], "--url", "/",
                         c.html_dir()], out["omindex"]),
            ("scriptindex", ["scriptindex", "--overwrite", out["scriptindex"],
                             os.path.join(self.a.bench_dir, "anchors", "scriptindex.script"), c.dump_file()],
             out["scriptindex"]),
        ]
        if self.baseline:
            # The last release's quire, for "indexing must not pay for it".
            out["quire-base"] = os.path.join(w, "quire-base.idx")
            engines.append((BASE_NAME, [os.path.join(self.baseline, "quire-index"), "-q", "-d", out["quire-base"],
                                        c.jsonl], out["quire-base"]))
        return engines

    def bench_indexing(self, c):
        engines = self.indexers(c)
        runs = {name: [] for name, _, _ in engines}
        for rep in range(self.a.reps):
            order = engines[rep % len(engines):] + engines[:rep % len(engines)]
            for name, cmd, out in order:
                rm(out)
                m = run_measured(cmd)
                m["size"] = tree_size(out)
                m["stored"] = (0 if name == "fts5" else quire_stored_size(self, out, name) if name == "quire"
                               else stored_size(out))
                runs[name].append(m)
                log("index %-18s rep %d: %.2f s wall, %.2f s CPU, %.0f MB RSS, %.1f MB" %
                    (name, rep + 1, m["wall"], m["cpu"], m["rss_mb"], m["size"] / 1e6))
        # FTS5 without stored text: a contentless table, built once.
        contentless = os.path.join(self.work, "fts5-contentless.db")
        rm(contentless)
        run_measured([self.tool("fts5"), "index", "--contentless", contentless, c.jsonl])
        fts5_bare = tree_size(contentless)
        rm(contentless)
        res = {}
        for name, r in runs.items():
            res[name] = {
                "wall": med(x["wall"] for x in r), "cpu": med(x["cpu"] for x in r),
                "rss_mb": med(x["rss_mb"] for x in r), "size": r[-1]["size"],
                "size_bare": (fts5_bare if name == "fts5" else r[-1]["size"] - r[-1]["stored"]),
                "walls": [x["wall"] for x in r],
            }
        self.results["index"] = {"corpus": c.describe(), "engines": res}
        # quire-index on one writer, for the report: what threads buy.
        one = []
        for _ in range(max(1, self.a.reps // 2)):
            rm(os.path.join(self.work, "quire1.idx"))
            one.append(run_measured([self.quire("quire-index"), "-q", "--threads", "1", "-d",
                                     os.path.join(self.work, "quire1.idx"), c.jsonl]))
        res["quire-1thread"] = {"wall": med(x["wall"] for x in one), "cpu": med(x["cpu"] for x in one),
                                "rss_mb": med(x["rss_mb"] for x in one),
                                "size": tree_size(os.path.join(self.work, "quire1.idx")),
                                "size_bare": 0, "walls": [x["wall"] for x in one]}
        rm(os.path.join(self.work, "quire1.idx"))

    # -- queries -------------------------------------------------------

    def write_queries(self, c, w):
        """The query set for corpus c in each engine's syntax, as files in w."""
        sets = qgen.make(c, per_type=self.a.per_type, seed=42)
        files = {}
        for engine in ("quire", "xapian", "fts5"):
            files[engine] = os.path.join(w, "queries.%s.tsv" % engine)
            with open(files[engine], "w") as f:
                for q in sets:
                    f.write("%s\t%s\n" % (q["qid"], q[engine]))
        return sets, files

    def run_searchers(self, searchers, threads_list, modes):
        """Latency of each searcher command, interleaved over the reps, per
        thread count and mode ("snippets" or "list": --no-snippets).
        Returns {name: {mode: {threads: medians}}}."""
        res = {}
        for mode in modes:
            for threads in threads_list:
                runs = {n: [] for n, _ in searchers}
                for rep in range(self.a.reps):
                    k = rep % len(searchers)
                    for name, cmd in searchers[k:] + searchers[:k]:
                        if mode == "list" and name == BASE_NAME:
                            continue  # quire 0.1's qsearch always makes snippets
                        extra = ["--no-snippets"] if mode == "list" else []
                        rounds = self.a.list_rounds if mode == "list" else self.a.rounds
                        out = subprocess.run(cmd + ["--threads", str(threads), "--rounds", str(rounds)]
                                             + extra, check=True, capture_output=True, text=True).stdout
                        runs[name].append(parse_kv(out.strip().splitlines()[-1]))
                for name, r in runs.items():
                    if not r:
                        continue
                    m = {k: med(float(x[k]) for x in r) for k in ("p50_ms", "p95_ms", "p99_ms", "qps")}
                    for k in ("rss_warm_mb", "rss_end_mb", "rss_peak_mb"):
                        if k in r[0]:
                            m[k] = med(float(x[k]) for x in r)
                    m["hits"] = int(r[0]["hits"])
                    m["p50_runs"] = [float(x["p50_ms"]) for x in r]
                    m["p95_runs"] = [float(x["p95_ms"]) for x in r]
                    res.setdefault(name, {}).setdefault(mode, {})[threads] = m
                    log("query %-10s %-8s %d thread(s): p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, %.0f q/s" %
                        (name, mode, threads, m["p50_ms"], m["p95_ms"], m["p99_ms"], m["qps"]))
        return res

    def bench_queries(self, c):
        w = self.work
        sets, files = self.write_queries(c, w)
        self.results["query_set"] = sets
        searchers = [
            ("quire", [self.tool("qsearch"), "bench", os.path.join(w, "quire.idx"), files["quire"]]),
            ("xapian-tg", [self.tool("tg_search"), "bench", os.path.join(w, "tg.db"), files["xapian"]]),
            ("fts5", [self.tool("fts5"), "search", os.path.join(w, "fts5.db"), files["fts5"]]),
        ]
        res = self.run_searchers(searchers, (1, 2), ("snippets",))
        res_list = self.run_searchers(searchers, (1,), ("list",))
        self.results["query"] = {n: res[n]["snippets"] for n in res}
        self.results["query_list"] = {n: res_list[n]["list"] for n in res_list}
        self.results["cli"] = self.bench_cli(files, os.path.join(w, "quire.idx"), os.path.join(w, "tg.db"))

    def bench_long(self):
        """Issue 12's corpus: long articles (State of the Union, ~46 KB each)
        and mail (SpamAssassin), where reading whole bodies shows. Each
        engine indexes it once (timed, for the record); then result lists
        without and with snippets, and one process per query."""
        c = corpus.Corpus.combined(self.a.shared, self.a.long, self.work, "long.jsonl")
        w = os.path.join(self.work, "long")
        os.makedirs(w, exist_ok=True)
        sets, files = self.write_queries(c, w)
        idx = {"quire": os.path.join(w, "quire.idx"), "xapian-tg": os.path.join(w, "tg.db"),
               "fts5": os.path.join(w, "fts5.db")}
        cmds = {"quire": [self.quire("quire-index"), "-q", "-d", idx["quire"], c.jsonl],
                "xapian-tg": [self.tool("tg_index"), "--data", idx["xapian-tg"], c.jsonl],
                "fts5": [self.tool("fts5"), "index", idx["fts5"], c.jsonl]}
        if self.baseline:
            idx[BASE_NAME] = os.path.join(w, "quire-base.idx")
            cmds[BASE_NAME] = [os.path.join(self.baseline, "quire-index"), "-q", "-d", idx[BASE_NAME], c.jsonl]
        built = {}
        for name, cmd in cmds.items():
            rm(idx[name])
            m = run_measured(cmd)
            m["size"] = tree_size(idx[name])
            built[name] = m
            log("long: index %-10s %.2f s, %.1f MB" % (name, m["wall"], m["size"] / 1e6))
        searchers = [
            ("quire", [self.tool("qsearch"), "bench", idx["quire"], files["quire"]]),
            ("xapian-tg", [self.tool("tg_search"), "bench", idx["xapian-tg"], files["xapian"]]),
            ("fts5", [self.tool("fts5"), "search", idx["fts5"], files["fts5"]]),
        ]
        if self.baseline:
            searchers.append((BASE_NAME, [os.path.join(self.baseline, "bench", "qsearch"), "bench",
                                          idx[BASE_NAME], files["quire"]]))
        res = self.run_searchers(searchers, (1,), ("list", "snippets"))
        cli = self.bench_cli(files, idx["quire"], idx["xapian-tg"])
        self.results["long"] = {"corpus": c.describe(), "index": built, "query": res, "cli": cli,
                                "query_set": sets}

    def bench_cli(self, files, quire_idx, tg_db):
        """Process per query, as a terminal user runs them: quire-query (top
        10 with snippets) against Xapian's quest (top 10, no snippets), each
        query alternately, several times; per query the median, then the
        percentiles over queries and the median per-query ratio."""
        qs = {e: [l.rstrip("\n").split("\t", 1)[1] for l in open(files[e])] for e in ("quire", "xapian")}
        cmds = {
            "quire-query": lambda q: [self.quire("quire-query"), "-d", quire_idx,
                                      "--color", "never", "--limit", "10", "--", q],
            "quest": lambda q: ["quest", "-d", tg_db, "-m", "10", "-o", "and",
                                "-f", "default,wildcard", "-p", "title:S", q],
        }
        per = {n: [] for n in cmds}
        for i in range(len(qs["quire"])):
            t = {n: [] for n in cmds}
            for _ in range(max(1, self.a.reps)):
                for name, mk in cmds.items():
                    t0 = time.monotonic()
                    # Exit 1 is "no match" (as with grep): a query whose
                    # words the generator split differently from ICU.
                    p = subprocess.run(mk(qs["quire" if name == "quire-query" else "xapian"][i]),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    if p.returncode not in (0, 1):
                        raise RuntimeError("%s failed (%d): %s" % (name, p.returncode, p.stderr[-300:]))
                    t[name].append(time.monotonic() - t0)
            for name in cmds:
                per[name].append(med(t[name]))
        res = {}
        for name, lat in per.items():
            s = sorted(lat)
            res[name] = {"p50_ms": 1e3 * pct(s, 50), "p95_ms": 1e3 * pct(s, 95)}
        ratios = sorted(a / b for a, b in zip(per["quire-query"], per["quest"]) if b > 0)
        res["ratio_p50"] = pct(ratios, 50) if ratios else 0
        res["ratio_p95"] = pct(ratios, 95) if ratios else 0
        return res

    # -- scale series --------------------------------------------------

    def bench_scale(self, c):
        res = {}
        for k in self.a.scales:
            sc = c.scaled(k, self.work)
            for name, cmd, out in [
                ("quire", [self.quire("quire-index"), "-q", "-d", os.path.join(self.work, "s.idx"), sc.jsonl],
                 os.path.join(self.work, "s.idx")),
                ("xapian-tg", [self.tool("tg_index"), "--data", os.path.join(self.work, "s.tg"), sc.jsonl],
                 os.path.join(self.work, "s.tg")),
                ("fts5", [self.tool("fts5"), "index", os.path.join(self.work, "s.fts5"), sc.jsonl],
                 os.path.join(self.work, "s.fts5")),
            ]:
                rm(out)
                m = run_measured(cmd)
                m["size"] = tree_size(out)
                m["mb"] = sc.mb
                m["docs"] = sc.docs
                rm(out)
                res.setdefault(name, {})[k] = m
                log("scale %dx %-10s %.2f s wall (%.3f s/MB), %.0f MB RSS" %
                    (k, name, m["wall"], m["wall"] / sc.mb, m["rss_mb"]))
            sc.remove()
        self.results["scale"] = res

    # -- relevance -----------------------------------------------------

    def bench_relevance(self):
        res = {}
        for name in self.a.judged:
            c = corpus.Corpus.judged(self.a.shared, name, self.work)
            qfile = os.path.join(self.work, name + ".q.tsv")
            fts5q = os.path.join(self.work, name + ".q.fts5.tsv")
            with open(qfile, "w") as f, open(fts5q, "w") as g:
                for qid, text in c.queries:
                    words = qgen.plain_words(text)
                    f.write("%s\t%s\n" % (qid, " ".join(words)))
                    g.write("%s\t%s\n" % (qid, " OR ".join('"%s"' % x for x in words)))
            idx = {"quire": os.path.join(self.work, name + ".quire"),
                   "xapian-tg": os.path.join(self.work, name + ".tg"),
                   "fts5": os.path.join(self.work, name + ".fts5")}
            for p in idx.values():
                rm(p)
            run_measured([self.quire("quire-index"), "-q", "-d", idx["quire"], c.jsonl])
            run_measured([self.tool("tg_index"), "--data", idx["xapian-tg"], c.jsonl])
            run_measured([self.tool("fts5"), "index", idx["fts5"], c.jsonl])
            runs = {
                "quire": [self.tool("qsearch"), "trec", idx["quire"], qfile, "1000", "quire"],
                "quire-bm25": [self.tool("qsearch"), "trec", idx["quire"], qfile, "1000", "quire",
                               "--rank", "bm25"],
                "xapian-tg": [self.tool("tg_search"), "trec", idx["xapian-tg"], qfile, "1000", "xapian"],
                "fts5": [self.tool("fts5"), "trec", idx["fts5"], fts5q, "1000", "fts5"],
            }
            res[name] = {}
            for engine, cmd in runs.items():
                runfile = os.path.join(self.work, "%s.%s.run" % (name, engine))
                with open(runfile, "w") as f:
                    subprocess.run(cmd, check=True, stdout=f)
                out = subprocess.run([self.tool("treceval"), c.qrels, runfile, qfile], check=True,
                                     capture_output=True, text=True).stdout
                res[name][engine] = {k: float(v) for k, v in parse_kv(out.strip().splitlines()[-1]).items()}
                log("relevance %-6s %-10s %s" % (name, engine, out.strip().splitlines()[-1]))
            res[name]["_docs"] = c.docs
            res[name]["_queries"] = len(c.queries)
            for p in idx.values():
                rm(p)
        self.results["relevance"] = res

    # -- ranking: proximity on and off (issue 16) ---------------------

    def bench_ranking(self, c):
        """Search latency on the main corpus with the default ranking (BM25
        plus word proximity) and with --rank bm25, interleaved: the whole
        query set with snippets (as bench_queries) and without (the search
        alone), and the class proximity changes (juxtaposed words)."""
        w = self.work
        sets = self.results.get("query_set") or qgen.make(c, per_type=self.a.per_type, seed=42)
        files = {}
        for name, kinds in (("all", None), ("and", ("and",))):
            files[name] = os.path.join(w, "ranking.%s.tsv" % name)
            with open(files[name], "w") as f:
                for q in sets:
                    if kinds is None or q["kind"] in kinds:
                        f.write("%s\t%s\n" % (q["qid"], q["quire"]))
        cases = [(qs, snip) for qs in ("all", "and") for snip in (0, 1)]
        res = {}
        for qs, snip in cases:
            runs = {"proximity": [], "bm25": []}
            for rep in range(self.a.reps * 2):
                order = ("proximity", "bm25") if rep % 2 == 0 else ("bm25", "proximity")
                for rank in order:
                    out = subprocess.run([self.tool("qsearch"), "bench", os.path.join(w, "quire.idx"), files[qs],
                                          "--rounds", str(self.a.list_rounds if snip else self.a.rounds),
                                          "--rank", rank]
                                         + (["--no-snippets"] if snip else []),
                                         check=True, capture_output=True, text=True).stdout
                    runs[rank].append(parse_kv(out.strip().splitlines()[-1]))
            key = "%s%s" % (qs, ", no snippets" if snip else ", with snippets")
            res[key] = {rank: {k: med(float(x[k]) for x in r) for k in ("p50_ms", "p95_ms")}
                        for rank, r in runs.items()}
            for rank in runs:
                res[key][rank]["hits"] = int(runs[rank][0]["hits"])
            log("ranking %-24s p50 %.3f ms proximity vs %.3f ms bm25 (%.2fx)" %
                (key, res[key]["proximity"]["p50_ms"], res[key]["bm25"]["p50_ms"],
                 res[key]["proximity"]["p50_ms"] / res[key]["bm25"]["p50_ms"]))
        self.results["ranking"] = {"latency": res, "queries": {k: sum(1 for _ in open(f)) for k, f in files.items()}}

    # -- did-you-mean and facets (issue 15) ----------------------------

    def bench_features(self, c):
        """What a suggestion adds to a search (term list vs spelling table)
        and what facets cost on a query matching about 10,000 documents
        (bench/features.py); the indexes are the indexing section's."""
        idx = {"terms": os.path.join(self.work, "quire.idx"),
               "spelling": os.path.join(self.work, "quire-spelling.idx")}
        self.results["features"] = features.run(self.tool("qsearch"), idx, c, self.work, self.a.reps,
                                                self.a.rounds, 10 * self.a.per_type, log)

    # -- shards (issue 8) ----------------------------------------------

    def bench_shards(self, c):
        """Indexing with 1 vs 2 shards, and query latency on a local stub vs
        the same shards behind xapian-tcpsrv on loopback."""
        shards = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shards.py")
        if not os.path.exists(shards):
            return
        # Its own session: xapian-tcpsrv signals its process group on exit.
        out = subprocess.run([sys.executable, shards, "--build", self.a.build, "--work", self.work,
                              "--corpus", c.jsonl, "--reps", str(self.a.reps),
                              "--queries", os.path.join(self.work, "queries.quire.tsv")],
                             capture_output=True, text=True, start_new_session=True)
        if out.returncode != 0:
            raise RuntimeError("bench/shards.py exited %d: %s" % (out.returncode, out.stderr[-2000:]))
        self.results["shards"] = json.loads(out.stdout)

    # -- quire-serve under load (issue 17) -------------------------------

    def bench_serve(self, c):
        """quire-serve under wrk against the library called directly, and
        failed requests while the index is rebuilt under load."""
        serve = os.path.join(os.path.dirname(os.path.abspath(__file__)), "serve.py")
        smoke = self.a.smoke
        out = subprocess.run([sys.executable, serve, "--build", self.a.build, "--work", self.work,
                              "--corpus", c.jsonl, "--queries", os.path.join(self.work, "queries.quire.tsv"),
                              "--reps", str(self.a.reps), "--seconds", "2" if smoke else "10",
                              "--rebuilds", "2" if smoke else "3"],
                             capture_output=True, text=True, start_new_session=True)
        if out.returncode != 0:
            raise RuntimeError("bench/serve.py exited %d: %s" % (out.returncode, out.stderr[-2000:]))
        self.results["serve"] = json.loads(out.stdout)
        for line in self.results["serve"]["lines"]:
            if line.startswith("| quire-serve") or line.startswith("| library") or line.startswith("Rebuilt"):
                log("serve: " + line)
        if not self.results["serve"]["ok"]:
            raise RuntimeError("bench/serve.py: requests failed while the index was rebuilt")


def med(xs):
    return statistics.median(list(xs))


def pct(sorted_xs, p):
    k = max(1, min(len(sorted_xs), int(p / 100.0 * len(sorted_xs) + 0.999999)))
    return sorted_xs[k - 1]


def parse_kv(line):
    return dict(x.split("=", 1) for x in line.split() if "=" in x)


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="quire benchmarks")
    ap.add_argument("--build", required=True)
    ap.add_argument("--smoke", action="store_true", help="a tiny run that checks the harness works")
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out")
    ap.add_argument("--work")
    ap.add_argument("--reps", type=int)
    ap.add_argument("--scales")
    ap.add_argument("--no-baseline", action="store_true", help="do not build and measure quire 0.1")
    ap.add_argument("--only", choices=("relevance", "ranking"),
                    help="relevance: only the judged collections (about a minute); ranking: those and"
                         " the latency of proximity ranking on and off on the main corpus")
    a = ap.parse_args()
    a.bench_dir = here
    a.build = os.path.abspath(a.build)
    if not os.path.isdir(os.path.join(a.shared, "corpora")):
        sys.exit("bench: no corpora at %s/corpora (give --shared DIR)" % a.shared)
    if a.only and not a.out:
        a.out = os.path.join(a.build, "bench-" + a.only, "REPORT.md")  # never the full report
    if a.smoke:
        a.reps = a.reps or 1
        a.rounds = 1
        a.per_type = 2
        a.scales = [int(x) for x in (a.scales or "1,2").split(",")]
        a.main = ["cisi"]
        a.long = ["cisi"]
        a.judged = ["cisi"]
        a.out = a.out or os.path.join(a.build, "bench-smoke", "REPORT.md")
    else:
        a.reps = a.reps or 3
        a.rounds = 5
        a.per_type = 10
        a.scales = [int(x) for x in (a.scales or "1,2,4,8").split(",")]
        a.main = ["reuters21578", "sotu"]
        a.long = ["sotu", "spamassassin"]
        a.judged = [n for n in ("cisi", "lisa") if os.path.exists(os.path.join(a.shared, "corpora", n + ".qrels"))]
        a.out = a.out or os.path.join(here, "REPORT.md")
    a.list_rounds = a.rounds * LIST_ROUNDS
    own_work = a.work is None
    a.work = a.work or tempfile.mkdtemp(prefix="quire-bench-")
    os.makedirs(a.work, exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    t0 = time.monotonic()
    b = Bench(a)
    try:
        c = None
        if a.only != "relevance":
            c = corpus.Corpus.combined(a.shared, a.main, a.work)
            log("corpus %s" % c.describe())
        if a.only == "ranking":
            rm(os.path.join(a.work, "quire.idx"))
            run_measured([b.quire("quire-index"), "-q", "-d", os.path.join(a.work, "quire.idx"), c.jsonl])
        elif not a.only:
            if not a.smoke and not a.no_baseline:
                b.baseline = build_baseline(a)
            b.bench_indexing(c)
            b.bench_queries(c)
            b.bench_long()
            b.bench_features(c)
            b.bench_scale(c)
        b.bench_relevance()
        if c:
            b.bench_ranking(c)
        if not a.only:
            try:
                b.bench_shards(c)
            except (RuntimeError, subprocess.CalledProcessError, ValueError) as e:
                log("shards: %s" % e)
                b.results["shards"] = {"lines": ["The shards benchmark failed in this run: %s" % e]}
                if a.smoke:
                    raise
            try:
                b.bench_serve(c)
            except (RuntimeError, subprocess.CalledProcessError, ValueError) as e:
                log("serve: %s" % e)
                b.results["serve"] = dict(b.results.get("serve") or {}, failed=str(e))
                if a.smoke:
                    raise
        b.results["elapsed"] = time.monotonic() - t0
        report.write(a, b.results, a.out)
        log("wrote %s (%.0f s)" % (a.out, time.monotonic() - t0))
    finally:
        if own_work:
            shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()

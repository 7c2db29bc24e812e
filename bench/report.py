"""bench/report.py — writes bench/REPORT.md from the results of run.py:
the machine and versions, every raw number, the ratios to the anchors,
each target of the benchmark issue stated as met or not, and gnuplot
PNGs of indexing time and of the scale series."""
import datetime
import os
import platform
import shutil
import subprocess


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    return "%s, %s cores, %s RAM, %s %s" % (cpu, os.cpu_count(), mem, platform.system(), platform.release())


def versions(build):
    return {
        "quire": sh(os.path.join(build, "quire-index") + " --version"),
        "xapian-core": sh("pkg-config --modversion xapian-core"),
        "xapian-omega": sh("omindex --version"),
        "sqlite": sh("pkg-config --modversion sqlite3"),
        "icu": sh("pkg-config --modversion icu-uc"),
        "cc": sh("cc --version | head -1"),
    }


def f2(x):
    return "%.2f" % x


def ratio(a, b):
    return "%.2fx" % (a / b) if b else "-"


def met(ok):
    return "**met**" if ok else "**not met**"


def targets(r):
    """Each target from the issue: (what, measured, met?)."""
    out = []
    ix = r["index"]["engines"]
    q = ix["quire"]["wall"]
    for anchor, want in (("omindex", 4), ("scriptindex", 4), ("xapian-tg", 2)):
        if anchor in ix:
            s = ix[anchor]["wall"] / q
            out.append(("indexing >= %dx faster than %s" % (want, anchor),
                        "%.2fx (%.2f s vs %.2f s)" % (s, ix[anchor]["wall"], q), s >= want))
    if "fts5" in ix:
        s = ix["fts5"]["wall"] / q
        out.append(("indexing vs SQLite FTS5 (report only)", "%.2fx (%.2f s vs %.2f s)" % (s, ix["fts5"]["wall"], q),
                    None))
    qr = r["query"]
    if qr:
        for th in (1, 2):
            for p in ("p50_ms", "p95_ms"):
                mine = qr["quire"][th][p]
                worst_ok = all(mine <= qr[a][th][p] for a in ("xapian-tg", "fts5"))
                out.append(("query %s, %d thread%s, <= Xapian reference and FTS5" % (p[:3], th, "s" * (th > 1)),
                            "quire %.3f ms, xapian-tg %.3f ms, fts5 %.3f ms" %
                            (mine, qr["xapian-tg"][th][p], qr["fts5"][th][p]), worst_ok))
    for name, rel in r["relevance"].items():
        for m in ("ndcg10", "map"):
            best = max(rel[a][m] for a in ("xapian-tg", "fts5"))
            out.append(("%s %s >= the better anchor" % (name, m),
                        "quire %.4f, best anchor %.4f" % (rel["quire"][m], best), rel["quire"][m] >= best - 1e-9))
    sc = r["scale"].get("quire", {})
    if len(sc) >= 2:
        ks = sorted(sc)
        first = sc[ks[0]]["wall"] / sc[ks[0]]["mb"]
        last = sc[ks[-1]]["wall"] / sc[ks[-1]]["mb"]
        out.append(("indexing s/MB roughly constant %dx..%dx (within 1.3x)" % (ks[0], ks[-1]),
                    "%.3f -> %.3f s/MB (%.2fx)" % (first, last, last / first), last / first <= 1.3))
    return out


def plots(r, outdir):
    """PNG plots with gnuplot, if it is installed; returns the file names."""
    if not shutil.which("gnuplot"):
        return []
    made = []
    ix = r["index"]["engines"]
    dat = os.path.join(outdir, "bench-index.dat")
    with open(dat, "w") as f:
        for name, e in sorted(ix.items(), key=lambda kv: kv[1]["wall"]):
            f.write('"%s" %.3f %.3f\n' % (name, e["wall"], e["cpu"]))
    png = "bench-index.png"
    script = """set terminal png size 800,420
set output '%s'
set title 'Indexing the same corpus (median wall and CPU seconds, lower is better)'
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'seconds'
set xtics rotate by -20
set key top left
plot '%s' using 2:xtic(1) title 'wall', '' using 3 title 'CPU'
""" % (os.path.join(outdir, png), dat)
    if subprocess.run(["gnuplot"], input=script, text=True).returncode == 0:
        made.append(png)
    os.unlink(dat)
    sc = r["scale"]
    if sc:
        dats = []
        for name, series in sc.items():
            d = os.path.join(outdir, "bench-scale-%s.dat" % name)
            with open(d, "w") as f:
                for k in sorted(series):
                    f.write("%d %.4f\n" % (k, series[k]["wall"] / series[k]["mb"]))
            dats.append((name, d))
        png = "bench-scale.png"
        script = """set terminal png size 800,420
set output '%s'
set title 'Indexing cost per MB of text as the corpus grows (lower is better)'
set xlabel 'corpus size (copies of the main corpus)'
set ylabel 'seconds per MB'
set logscale x 2
set yrange [0:*]
set key top left
plot %s
""" % (os.path.join(outdir, png), ", ".join("'%s' using 1:2 with linespoints title '%s'" % (d, n) for n, d in dats))
        if subprocess.run(["gnuplot"], input=script, text=True).returncode == 0:
            made.append(png)
        for _, d in dats:
            os.unlink(d)
    return made


def write(a, r, out):
    outdir = os.path.dirname(os.path.abspath(out))
    L = []
    w = L.append
    w("# quire benchmark report%s\n" % (" (smoke run: tiny corpus, numbers mean nothing)" if a.smoke else ""))
    w("Written by `make bench` (bench/run.py) on %s in %.0f s. Every figure below was measured in this one run;"
      " engines ran interleaved, %d repetition(s), medians reported. Ratios are anchor time / quire time"
      " (above 1: quire is faster).\n" % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), r["elapsed"], a.reps))
    w("- Machine: %s" % machine())
    for k, v in versions(a.build).items():
        w("- %s: %s" % (k, v or "?"))
    c = r["index"]["corpus"]
    w("- Main corpus: %s from ../shared/corpora: %d documents, %.1f MB of text (title+body), %.1f MB of JSON lines\n"
      % (" + ".join(c["names"]), c["docs"], c["text_mb"], c["file_mb"]))

    w("## Targets\n")
    w("| target | measured | |")
    w("|---|---|---|")
    for what, got, ok in targets(r):
        w("| %s | %s | %s |" % (what, got, "-" if ok is None else met(ok)))
    w("")

    w("## Indexing\n")
    w("Each engine indexes the main corpus from scratch. quire-index runs with its defaults (parallel shard"
      " writers on all cores, merged and compacted: the index is searchable at the end). xapian-tg is the"
      " single-writer TermGenerator reference (bench/anchors/tg_index.cc, stores the body for snippets, not"
      " compacted); xapian-tg-2shards runs it as 2 processes on halves of the input and merges with"
      " xapian-compact. omindex reads one HTML file per document, scriptindex a field=value dump"
      " (bench/anchors/scriptindex.script); preparing those files is not timed. FTS5 inserts everything in one"
      " transaction (bench/anchors/fts5.c).\n")
    w("| engine | wall s | CPU s | CPU/wall | docs/s | MB/s | peak RSS MB | index MB | without stored text MB |"
      " anchor/quire |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    ix = r["index"]["engines"]
    q = ix["quire"]["wall"]
    for name, e in sorted(ix.items(), key=lambda kv: kv[1]["wall"]):
        w("| %s | %s | %s | %.2f | %.0f | %.2f | %.0f | %.1f | %s | %s |" % (
            name, f2(e["wall"]), f2(e["cpu"]), e["cpu"] / e["wall"], c["docs"] / e["wall"], c["text_mb"] / e["wall"],
            e["rss_mb"], e["size"] / 1e6, ("%.1f" % (e["size_bare"] / 1e6)) if e["size_bare"] else "-",
            ratio(e["wall"], q)))
    w("\nRaw wall times per repetition (s): " + "; ".join(
        "%s %s" % (n, ", ".join(f2(x) for x in e["walls"])) for n, e in ix.items()) + "\n")
    for png in plots(r, outdir):
        w("![%s](%s)\n" % (png, png))

    if r["query"]:
        qs = r.get("query_set", [])
        kinds = {}
        for x in qs:
            kinds[x["kind"]] = kinds.get(x["kind"], 0) + 1
        w("## Queries\n")
        w("%d queries drawn from the corpus (%s; bench/queries.py, seeded), each in the engine's own syntax."
          " Every execution parses the query, fetches the top 10 with their stored fields and makes a"
          " highlighted snippet for each; warm cache, every query run once before timing, then %d rounds."
          " 2 threads: each thread has its own handle and the executions are split between them.\n" %
          (len(qs), ", ".join("%d %s" % (v, k) for k, v in kinds.items()), a.rounds))
        w("| engine | threads | p50 ms | p95 ms | p99 ms | queries/s | hits (one pass) | p50 anchor/quire |"
          " p95 anchor/quire |")
        w("|---|---|---|---|---|---|---|---|---|")
        qr = r["query"]
        for th in (1, 2):
            for name in ("quire", "xapian-tg", "fts5"):
                e = qr[name][th]
                w("| %s | %d | %.3f | %.3f | %.3f | %.0f | %d | %s | %s |" % (
                    name, th, e["p50_ms"], e["p95_ms"], e["p99_ms"], e["qps"], e["hits"],
                    ratio(e["p50_ms"], qr["quire"][th]["p50_ms"]), ratio(e["p95_ms"], qr["quire"][th]["p95_ms"])))
        w("\nHit counts differ where the engines' analysis differs (FTS5's porter stemmer and tokenizer,"
          " Xapian's STEM_SOME, quire's stopword policy); the query set is the same.\n")
        if r["cli"]:
            w("One process per query, as from a terminal (includes start-up and opening the index):"
              " quire-query with snippets %.1f ms p50 / %.1f ms p95; Xapian's quest (no snippets)"
              " %.1f ms / %.1f ms.\n" % (r["cli"]["quire-query"]["p50_ms"], r["cli"]["quire-query"]["p95_ms"],
                                       r["cli"]["quest"]["p50_ms"], r["cli"]["quest"]["p95_ms"]))
        w("<details><summary>The query set</summary>\n")
        w("| qid | quire | FTS5 |")
        w("|---|---|---|")
        for x in qs:
            w("| %s | `%s` | `%s` |" % (x["qid"], x["quire"], x["fts5"]))
        w("\n</details>\n")

    if r["scale"]:
        w("## Scale series\n")
        w("The main corpus repeated k times with distinct ids (copy c gets ids `cC-ID`), indexed from scratch once"
          " per size.\n")
        w("| engine | copies | docs | MB of text | wall s | s/MB | CPU s | peak RSS MB | index MB |")
        w("|---|---|---|---|---|---|---|---|---|")
        for name, series in r["scale"].items():
            for k in sorted(series):
                m = series[k]
                w("| %s | %d | %d | %.1f | %.2f | %.3f | %.2f | %.0f | %.1f |" % (
                    name, k, m["docs"], m["mb"], m["wall"], m["wall"] / m["mb"], m["cpu"], m["rss_mb"],
                    m["size"] / 1e6))
        w("")

    if r["relevance"]:
        w("## Relevance\n")
        w("Judged collections from ../shared/corpora. Queries are the collection's natural-language requests as"
          " plain words (lower case, punctuation removed), run as ranked OR (quire: `--any`), top 1000;"
          " metrics by bench/tools/treceval.c with TREC conventions (every judged query counts; MAP over the"
          " ranked list, nDCG@10 with the judged grades as gains).\n")
        w("| collection | docs | queries | engine | nDCG@10 | MAP | P@10 |")
        w("|---|---|---|---|---|---|---|")
        for name, rel in r["relevance"].items():
            for eng in ("quire", "xapian-tg", "fts5"):
                m = rel[eng]
                w("| %s | %d | %d | %s | %.4f | %.4f | %.4f |" % (name, rel["_docs"], rel["_queries"], eng,
                                                               m["ndcg10"], m["map"], m["p10"]))
        w("")

    if r.get("shards"):
        s = r["shards"]
        w("## Shards and remote search\n")
        for line in s.get("lines", []):
            w(line)
        w("")

    w("## Method\n")
    w("- Wall time from process start to exit; CPU = user + system of the process and its children"
      " (wait4 rusage); peak RSS = ru_maxrss of the indexing process (for the 2-shard TermGenerator run,"
      " the largest single process).")
    w("- Index size = bytes of all files of the database; 'without stored text' subtracts Xapian's"
      " docdata table (quire, omindex and scriptindex keep result text there) or, for FTS5, builds a"
      " contentless table once.")
    w("- Latency percentiles are nearest-rank over all timed executions; queries/s = executions / wall"
      " time of the timed rounds.")
    w("- The machine's speed drifts by 10-15 % over minutes; compare ratios within this report, not with"
      " another run's absolute numbers.")
    with open(out, "w") as f:
        f.write("\n".join(L) + "\n")

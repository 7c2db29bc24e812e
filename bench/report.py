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
    ix = r["index"].get("engines", {})
    q = ix["quire"]["wall"] if ix else 0
    for anchor, want in (("omindex", 4), ("scriptindex", 4), ("xapian-tg", 2)):
        if anchor in ix:
            s = ix[anchor]["wall"] / q
            out.append(("indexing >= %dx faster than %s" % (want, anchor),
                        "%.2fx (%.2f s vs %.2f s)" % (s, ix[anchor]["wall"], q), s >= want))
    if "fts5" in ix and q:
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
    base = ix.get("quire-0.1")
    if base:
        out.append(("indexing time within 5% of quire 0.1 (issue 12)", "%.2f s vs %.2f s (%.3fx)" %
                    (q, base["wall"], q / base["wall"]), q <= 1.05 * base["wall"]))
        out.append(("index size within 5% of quire 0.1 (issue 12)", "%.1f MB vs %.1f MB (%.3fx)" %
                    (ix["quire"]["size"] / 1e6, base["size"] / 1e6, ix["quire"]["size"] / base["size"]),
                    ix["quire"]["size"] <= 1.05 * base["size"]))
    out.extend(long_targets(r))
    sv = r.get("serve") or {}
    if "ratio" in sv:
        out.append(("quire-serve >= 80% of the library's throughput (snippets, 2 cores)",
                    "%.0f %%" % (100 * sv["ratio"]), sv["ratio"] >= 0.8))
        out.append(("quire-serve: 0 failed requests while the index is rebuilt under load",
                    "see Search over HTTP", sv["ok"] and not sv.get("failed")))
    for name, rel in r["relevance"].items():
        if "quire-bm25" not in rel:
            continue
        on, off = rel["quire"], rel["quire-bm25"]
        out.append(("%s proximity nDCG@10 >= bm25 + 0.02" % name, "%.4f vs %.4f (%+.4f)" %
                    (on["ndcg10"], off["ndcg10"], on["ndcg10"] - off["ndcg10"]),
                    on["ndcg10"] >= off["ndcg10"] + 0.02 - 1e-9))
        out.append(("%s proximity MAP >= bm25" % name, "%.4f vs %.4f (%+.4f)" %
                    (on["map"], off["map"], on["map"] - off["map"]), on["map"] >= off["map"] - 1e-9))
    lat = r.get("ranking", {}).get("latency", {})
    for key in ("all, no snippets", "and, no snippets"):
        if key in lat:
            on, off = lat[key]["proximity"]["p50_ms"], lat[key]["bm25"]["p50_ms"]
            out.append(("search p50 (%s) with proximity <= 1.3x without" % key.replace(", ", " queries, "),
                        "%.3f ms vs %.3f ms (%.2fx)" % (on, off, on / off), on <= 1.3 * off))
    ft = r.get("features") or {}
    if "quire-spelling" in ix:
        t = ix["quire-spelling"]["wall"] / q - 1
        z = ix["quire-spelling"]["size"] / ix["quire"]["size"] - 1
        out.append(("did-you-mean: the spelling table costs <= 5% of index time and size, else an option"
                    " (it is one: --spelling, off by default)",
                    "%+.1f%% time, %+.1f%% size" % (100 * t, 100 * z), None))
    for name, d in sorted(ft.get("dym", {}).items()):
        added = d["on"]["p95_ms"] - d["off"]["p95_ms"]
        out.append(("did-you-mean (%s) adds <= 5 ms p95" % name, "%.3f ms (%.3f vs %.3f ms)" %
                    (added, d["on"]["p95_ms"], d["off"]["p95_ms"]), added <= 5))
    if ft.get("facets"):
        f = ft["facets"]
        s = f["with"]["p50_ms"] / f["without"]["p50_ms"]
        out.append(("facets <= 2x the search without them (a query matching ~10,000 documents: `%s`, %d)"
                    % (f["word"], f["df"]), "%.2fx p50 (%.3f vs %.3f ms)" %
                    (s, f["with"]["p50_ms"], f["without"]["p50_ms"]), s <= 2))
    sc = r["scale"].get("quire", {})
    if len(sc) >= 2:
        ks = sorted(sc)
        first = sc[ks[0]]["wall"] / sc[ks[0]]["mb"]
        last = sc[ks[-1]]["wall"] / sc[ks[-1]]["mb"]
        out.append(("indexing s/MB roughly constant %dx..%dx (within 1.3x)" % (ks[0], ks[-1]),
                    "%.3f -> %.3f s/MB (%.2fx)" % (first, last, last / first), last / first <= 1.3))
    return out


def long_targets(r):
    """Issue 12's targets, on the long-article corpus."""
    lg = r.get("long") or {}
    q = lg.get("query") or {}
    if "quire" not in q:
        return []
    out = []
    mine, xa, ft = q["quire"], q["xapian-tg"], q["fts5"]
    for p, lim in (("p50_ms", 1.2), ("p95_ms", 1.5)):
        a, b = mine["list"][1][p], xa["list"][1][p]
        out.append(("long articles, top 10 without snippets, %s <= %.1fx Xapian QueryParser+Enquire" % (p[:3], lim),
                    "quire %.3f ms, xapian-tg %.3f ms (%.2fx)" % (a, b, a / b), a <= lim * b))
    for p in ("p50_ms", "p95_ms"):
        a = mine["snippets"][1][p]
        for name, e in (("FTS5 snippet()", ft), ("Xapian MSet::snippet", xa)):
            b = e["snippets"][1][p]
            out.append(("long articles, top 10 with snippets, %s <= half of %s" % (p[:3], name),
                        "quire %.3f ms, %s %.3f ms (%.2fx)" % (a, name, b, a / b), a <= 0.5 * b))
    cli = lg.get("cli") or {}
    if "ratio_p50" in cli:
        out.append(("long articles, quire-query as one process with snippets <= 2x quest (median per-query ratio)",
                    "%.2fx (p95 of the ratios %.2fx); quire-query %.1f ms p50, quest %.1f ms p50" %
                    (cli["ratio_p50"], cli["ratio_p95"], cli["quire-query"]["p50_ms"], cli["quest"]["p50_ms"]),
                    cli["ratio_p50"] <= 2.0))
    sn = mine["snippets"][1]
    if "rss_warm_mb" in sn:
        grow = sn["rss_end_mb"] - sn["rss_warm_mb"]
        out.append(("searcher memory does not grow over the timed rounds",
                    "resident %.1f MB after warm-up, %.1f MB after %s (+%.1f MB)" %
                    (sn["rss_warm_mb"], sn["rss_end_mb"], "the rounds", grow), grow <= 2.0))
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
    lq = (r.get("long") or {}).get("query") or {}
    if "quire" in lq:
        dat = os.path.join(outdir, "bench-query.dat")
        with open(dat, "w") as f:
            for name in ("quire", "quire-0.1", "xapian-tg", "fts5"):
                e = lq.get(name)
                if not e:
                    continue
                lst = e.get("list", {}).get(1, {})
                sn = e.get("snippets", {}).get(1, {})
                f.write('"%s" %s %s %s %s\n' % (name, lst.get("p50_ms", "NaN"), lst.get("p95_ms", "NaN"),
                                                sn.get("p50_ms", "NaN"), sn.get("p95_ms", "NaN")))
        png = "bench-query.png"
        script = """set terminal png size 800,420
set output '%s'
set title 'Long articles: top-10 query latency (ms, log scale, lower is better)'
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel 'milliseconds'
set key top left
plot '%s' using 2:xtic(1) title 'list p50', '' using 3 title 'list p95', '' using 4 title 'snippets p50', '' using 5 title 'snippets p95'
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


def cli_line(cli):
    return ("One process per query, as from a terminal (includes start-up and opening the index; each query"
            " run alternately with both programs, median per query): quire-query with snippets %.1f ms p50 /"
            " %.1f ms p95; Xapian's quest (no snippets) %.1f ms / %.1f ms; per-query ratio quire-query/quest"
            " %.2fx median, %.2fx p95.\n" % (cli["quire-query"]["p50_ms"], cli["quire-query"]["p95_ms"],
                                           cli["quest"]["p50_ms"], cli["quest"]["p95_ms"],
                                           cli.get("ratio_p50", 0), cli.get("ratio_p95", 0)))


def long_section(w, lg, a, plotted):
    c = lg["corpus"]
    w("## Long articles\n")
    w("Corpus %s from ../shared/corpora: %d documents, %.1f MB of text, %.1f KB per document on average (in the"
      " full run the State of the Union addresses are ~46 KB each, like long features and reports). Each engine"
      " indexes it once; the same kind of query set is drawn from it."
      " `list`: the top 10 with title and id (quire: its head record; Xapian: two values; FTS5: two columns),"
      " no snippets. `snippets`: the top 10 with a highlighted snippet each (quire: snippets from positions;"
      " Xapian: MSet::snippet on the stored body; FTS5: snippet()). quire-0.1 is the last release (built from"
      " commit d097b4d in the same run), which inflated and re-analysed every hit's whole body. 1 thread,"
      " warm, %d rounds with snippets and %d without, medians of %d runs.\n"
      % (" + ".join(c["names"]), c["docs"], c["text_mb"], 1e3 * c["text_mb"] / max(1, c["docs"]), a.rounds,
         getattr(a, "list_rounds", a.rounds), a.reps))
    w("| engine | index s | index MB |")
    w("|---|---|---|")
    for name, m in lg["index"].items():
        w("| %s | %.2f | %.1f |" % (name, m["wall"], m["size"] / 1e6))
    w("")
    q = lg["query"]
    w("| engine | mode | p50 ms | p95 ms | p99 ms | queries/s | hits | p50 anchor/quire | p95 anchor/quire |"
      " RSS after warm-up / end / peak MB |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for mode in ("list", "snippets"):
        base = q["quire"][mode][1]
        for name in ("quire", "quire-0.1", "xapian-tg", "fts5"):
            e = q.get(name, {}).get(mode, {}).get(1)
            if not e:
                continue
            mem = ("%.1f / %.1f / %.1f" % (e["rss_warm_mb"], e["rss_end_mb"], e["rss_peak_mb"])
                   if "rss_warm_mb" in e else "-")
            w("| %s | %s | %.3f | %.3f | %.3f | %.0f | %d | %s | %s | %s |" % (
                name, mode, e["p50_ms"], e["p95_ms"], e["p99_ms"], e["qps"], e["hits"],
                ratio(e["p50_ms"], base["p50_ms"]), ratio(e["p95_ms"], base["p95_ms"]), mem))
    w("\nRaw p50 / p95 per run (ms): " + "; ".join(
        "%s %s %s / %s" % (n, mode, ", ".join("%.3f" % x for x in e[mode][1]["p50_runs"]),
                           ", ".join("%.3f" % x for x in e[mode][1]["p95_runs"]))
        for n, e in q.items() for mode in e) + "\n")
    if lg.get("cli"):
        w(cli_line(lg["cli"]))
    if plotted:
        w("![bench-query.png](bench-query.png)\n")


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
    c = r["index"].get("corpus")
    if c:
        w("- Main corpus: %s from ../shared/corpora: %d documents, %.1f MB of text (title+body), %.1f MB of"
          " JSON lines\n" % (" + ".join(c["names"]), c["docs"], c["text_mb"], c["file_mb"]))
    if a.only:
        w("- Partial run (`--only %s`): the sections below only.\n" % a.only)

    w("## Targets\n")
    w("| target | measured | |")
    w("|---|---|---|")
    for what, got, ok in targets(r):
        w("| %s | %s | %s |" % (what, got, "-" if ok is None else met(ok)))
    w("")

    made = write_indexing(r, outdir, w) if r["index"] else []
    write_rest(a, r, w, made)
    with open(out, "w") as f:
        f.write("\n".join(L) + "\n")


def write_indexing(r, outdir, w):
    c = r["index"]["corpus"]
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
    made = plots(r, outdir)
    for png in made:
        if png != "bench-query.png":
            w("![%s](%s)\n" % (png, png))
    return made


def write_rest(a, r, w, made):
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
        ql = r.get("query_list") or {}
        if ql:
            w("\nThe same queries as a result list without snippets (titles and ids only; 1 thread; %d rounds):\n"
              % getattr(a, "list_rounds", a.rounds))
            w("| engine | p50 ms | p95 ms | p99 ms | queries/s | p50 anchor/quire | p95 anchor/quire |")
            w("|---|---|---|---|---|---|---|")
            for name in ("quire", "xapian-tg", "fts5"):
                e = ql[name][1]
                w("| %s | %.3f | %.3f | %.3f | %.0f | %s | %s |" % (
                    name, e["p50_ms"], e["p95_ms"], e["p99_ms"], e["qps"], ratio(e["p50_ms"], ql["quire"][1]["p50_ms"]),
                    ratio(e["p95_ms"], ql["quire"][1]["p95_ms"])))
        w("\nHit counts differ where the engines' analysis differs (FTS5's porter stemmer and tokenizer,"
          " Xapian's STEM_SOME, quire's stopword policy); the query set is the same.\n")
        if r["cli"]:
            w(cli_line(r["cli"]))
        w("<details><summary>The query set</summary>\n")
        w("| qid | quire | FTS5 |")
        w("|---|---|---|")
        for x in qs:
            w("| %s | `%s` | `%s` |" % (x["qid"], x["quire"], x["fts5"]))
        w("\n</details>\n")

    if r.get("long"):
        long_section(w, r["long"], a, "bench-query.png" in made)
    ft = r.get("features") or {}
    if ft:
        w("## Did you mean, facets\n")
        w("%d two-word queries drawn from the corpus with one typing error in the second word (a letter dropped,"
          " doubled, replaced or swapped, anywhere; bench/features.py, seeded), e.g. %s. Each searched as a"
          " results page with the suggestion on and off: on the default index (suggestions from the term list)"
          " and on one built with --spelling (Xapian's spelling table); 'right' counts suggestions equal to the"
          " query before the typo.\n" % (ft["queries"], ", ".join("`%s` -> `%s`" % (x[1], x[2])
                                                              for x in ft["examples"][:3])))
        w("| source | p50 ms on | p95 ms on | p50 ms off | p95 ms off | p95 added | offered | right |")
        w("|---|---|---|---|---|---|---|---|")
        for name, d in sorted(ft["dym"].items()):
            w("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %d |" % (
                name, d["on"]["p50_ms"], d["on"]["p95_ms"], d["off"]["p50_ms"], d["off"]["p95_ms"],
                d["on"]["p95_ms"] - d["off"]["p95_ms"], d["offered"], d["right"]))
        ix = r["index"]["engines"]
        if "quire-spelling" in ix:
            w("\nIndex side: quire-index --spelling took %.2f s and %.1f MB against %.2f s and %.1f MB without"
              " (%+.1f%% time, %+.1f%% size).\n" % (
                  ix["quire-spelling"]["wall"], ix["quire-spelling"]["size"] / 1e6, ix["quire"]["wall"],
                  ix["quire"]["size"] / 1e6, 100 * (ix["quire-spelling"]["wall"] / ix["quire"]["wall"] - 1),
                  100 * (ix["quire-spelling"]["size"] / ix["quire"]["size"] - 1)))
        f = ft["facets"]
        w("Facets: `%s` (in %d documents) as a results page, with `--facets %s` and without: p50 %.3f vs %.3f ms,"
          " p95 %.3f vs %.3f ms.\n" % (f["word"], f["df"], f["list"], f["with"]["p50_ms"], f["without"]["p50_ms"],
                                       f["with"]["p95_ms"], f["without"]["p95_ms"]))

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
            for eng in ("quire", "quire-bm25", "xapian-tg", "fts5"):
                if eng not in rel:
                    continue
                m = rel[eng]
                label = {"quire": "quire (default: BM25 + proximity)", "quire-bm25": "quire --rank bm25"}.get(eng, eng)
                w("| %s | %d | %d | %s | %.4f | %.4f | %.4f |" % (name, rel["_docs"], rel["_queries"], label,
                                                               m["ndcg10"], m["map"], m["p10"]))
        w("")
    write_ranking(r, w)

    if r.get("shards"):
        s = r["shards"]
        w("## Shards and remote search\n")
        for line in s.get("lines", []):
            w(line)
        w("")

    if r.get("serve"):
        s = r["serve"]
        w("## Search over HTTP (quire-serve)\n")
        for line in s.get("lines", []):
            w(line)
        if s.get("failed"):
            w("")
            w("The quire-serve benchmark failed in this run: %s" % s["failed"])
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


def write_ranking(r, w):
    """Issue 16: word proximity on and off, relevance and latency."""
    rel = {n: x for n, x in r["relevance"].items() if "quire-bm25" in x}
    lat = r.get("ranking", {}).get("latency", {})
    if not rel and not lat:
        return
    w("## Ranking: word proximity on and off\n")
    w("quire's default ranking adds evidence from adjacent query words found close together to BM25"
      " (Metzler & Croft's sequential dependence model, 2005: weights 0.85 / 0.10 / 0.05 for single words,"
      " pairs in order and adjacent, pairs in any order within 8 words; not fitted to these collections)."
      " `--rank bm25` turns it off. Same index, same queries, same run. How the setting was chosen, and"
      " every setting tried on these collections: bench/RANKING.md.\n")
    if rel:
        w("| collection | ranking | nDCG@10 | MAP | P@10 |")
        w("|---|---|---|---|---|")
        for name, x in rel.items():
            on, off = x["quire"], x["quire-bm25"]
            w("| %s | bm25 (`--rank bm25`) | %.4f | %.4f | %.4f |" % (name, off["ndcg10"], off["map"], off["p10"]))
            w("| %s | bm25 + proximity (default) | %.4f | %.4f | %.4f |" % (name, on["ndcg10"], on["map"], on["p10"]))
            w("| %s | difference | %+.4f | %+.4f | %+.4f |" % (name, on["ndcg10"] - off["ndcg10"],
                                                                on["map"] - off["map"], on["p10"] - off["p10"]))
        w("")
    if lat:
        nq = r["ranking"].get("queries", {})
        w("Search latency on the main corpus, 1 thread, warm, top 10 with stored fields; proximity and bm25"
          " runs alternate, medians of %s. \"all\" is the whole query set (%d queries); \"and\" the %d"
          " queries of juxtaposed words, the only class of the set that has word pairs (the others are single"
          " words, OR, NOT, phrases, NEAR, wildcards, fields: proximity adds nothing to them).\n" %
          ("the repetitions", nq.get("all", 0), nq.get("and", 0)))
        w("| queries | p50 ms bm25 | p50 ms proximity | ratio | p95 ms bm25 | p95 ms proximity | ratio |")
        w("|---|---|---|---|---|---|---|")
        for key, x in lat.items():
            on, off = x["proximity"], x["bm25"]
            w("| %s | %.3f | %.3f | %.2fx | %.3f | %.3f | %.2fx |" % (
                key, off["p50_ms"], on["p50_ms"], on["p50_ms"] / off["p50_ms"], off["p95_ms"], on["p95_ms"],
                on["p95_ms"] / off["p95_ms"]))
        w("")

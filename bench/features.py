"""bench/features.py — what did-you-mean and facets cost (issue 15).

Did you mean: a seeded set of two-word queries drawn from the corpus whose
second word has one typing error (a letter dropped, doubled, replaced or
swapped with the next, at any position), searched on the index with its
term list (the default) and on one built with --spelling, each with
suggestions on and off: the latency the suggestion adds, and how often it
gives back the query as it was before the typo. The index side (time and
size of --spelling) is an engine of the indexing section.

Facets: the word whose document frequency is nearest 10,000, searched as
a results page (top 10, snippets) with and without all five facets.
Standard library only; run.py calls run()."""
import os
import random
import re
import subprocess

import queries as qgen

WORD = re.compile(r"[a-z]+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
FACETS = "source,author,year,month,lang"


def vocabulary(corpus):
    """Document frequency of every lower-case word of titles and bodies."""
    df = {}
    for d in corpus.docs_iter():
        text = ((d.get("title") or "") + " " + (d.get("body") or "")).lower()
        for w in set(WORD.findall(text)):
            df[w] = df.get(w, 0) + 1
    return df


def typo(rnd, w):
    """w with one edit at a random position."""
    i = rnd.randrange(len(w))
    kind = rnd.choice(("drop", "double", "replace", "swap"))
    if kind == "drop":
        return w[:i] + w[i + 1:]
    if kind == "double":
        return w[:i] + w[i] + w[i:]
    if kind == "replace":
        return w[:i] + rnd.choice([c for c in LETTERS if c != w[i]]) + w[i + 1:]
    i = min(i, len(w) - 2)
    return w[:i] + w[i + 1] + w[i] + w[i + 2:]


def misspelled(df, n, seed=15):
    """n (qid, query, expected suggestion) with a typo in the second word."""
    rnd = random.Random(seed)
    stop = qgen.stopwords()
    words = sorted(w for w, c in df.items() if len(w) >= 5 and c >= 20 and w not in stop)
    firsts = sorted(w for w, c in df.items() if len(w) >= 4 and c >= 200 and w not in stop) or words
    out = []
    tries = 0
    while len(out) < n and words and tries < 100 * n:
        tries += 1
        a, b = rnd.choice(firsts), rnd.choice(words)
        t = typo(rnd, b)
        if t in df or t == b:
            continue
        out.append(("dym%d" % (len(out) + 1), "%s %s" % (a, t), "%s %s" % (a, b)))
    return out


def facet_word(df, want=10000):
    stop = qgen.stopwords()
    return min((w for w in df if w not in stop and len(w) >= 3), key=lambda w: (abs(df[w] - want), w))


def parse_kv(line):
    return dict(x.split("=", 1) for x in line.split() if "=" in x)


def qsearch(tool, index, qfile, rounds, extra):
    out = subprocess.run([tool, "bench", index, qfile, "--rounds", str(rounds)] + extra,
                         check=True, capture_output=True, text=True).stdout
    return parse_kv(out.strip().splitlines()[-1])


def med(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def run(tool, indexes, corpus, work, reps, rounds, n, log):
    """indexes: {"terms": quire index, "spelling": quire --spelling index}."""
    df = vocabulary(corpus)
    qs = misspelled(df, n)
    qfile = os.path.join(work, "dym.tsv")
    with open(qfile, "w") as f:
        for qid, text, _ in qs:
            f.write("%s\t%s\n" % (qid, text))
    res = {"queries": len(qs), "examples": qs[:5], "dym": {}}
    variants = [(name, sug) for name in indexes for sug in ("on", "off")]
    runs = {v: [] for v in variants}
    for rep in range(reps):
        order = variants[rep % len(variants):] + variants[:rep % len(variants)]
        for name, sug in order:
            runs[(name, sug)].append(qsearch(tool, indexes[name], qfile, rounds, ["--suggest", sug]))
    for name in indexes:
        r = {sug: {k: med(float(x[k]) for x in runs[(name, sug)]) for k in ("p50_ms", "p95_ms")}
             for sug in ("on", "off")}
        out = subprocess.run([tool, "suggest", indexes[name], qfile], check=True, capture_output=True,
                             text=True).stdout.splitlines()
        got = dict(l.split("\t", 1) for l in out if "\t" in l)
        r["offered"] = sum(1 for qid, _, _ in qs if got.get(qid))
        r["right"] = sum(1 for qid, _, want in qs if got.get(qid) == want)
        res["dym"][name] = r
        log("did-you-mean %-8s p95 %.3f ms with, %.3f ms without; %d/%d offered, %d right" %
            (name, r["on"]["p95_ms"], r["off"]["p95_ms"], r["offered"], len(qs), r["right"]))
    word = facet_word(df)
    ffile = os.path.join(work, "facet.tsv")
    with open(ffile, "w") as f:
        f.write("facet1\t%s\n" % word)
    fr = {"with": [], "without": []}
    for rep in range(reps):
        for v in (("with", "without") if rep % 2 == 0 else ("without", "with")):
            extra = ["--facets", FACETS] if v == "with" else []
            fr[v].append(qsearch(tool, indexes["terms"], ffile, rounds * 20, extra))
    res["facets"] = {"word": word, "df": df[word], "list": FACETS}
    for v in fr:
        res["facets"][v] = {k: med(float(x[k]) for x in fr[v]) for k in ("p50_ms", "p95_ms")}
    log("facets on '%s' (%d documents): p50 %.3f ms with, %.3f ms without" %
        (word, df[word], res["facets"]["with"]["p50_ms"], res["facets"]["without"]["p50_ms"]))
    return res

"""bench/queries.py — the mixed query set, drawn from the corpus itself so
every query can match: single words, AND, OR, NOT, phrases of 2-4 words,
NEAR, prefix and field queries, each written in quire's, Xapian
QueryParser's and FTS5's syntax. Seeded, so every run asks the same."""
import os
import random
import re

WORD = re.compile(r"[a-z]+")
HERE = os.path.dirname(os.path.abspath(__file__))


def stopwords():
    with open(os.path.join(HERE, "..", "stopwords", "en.txt"), encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def plain_words(text):
    """A natural-language query as words only (lower case, no operators,
    no punctuation), the form every engine reads alike."""
    return WORD.findall(text.lower())


def make(corpus, per_type=10, seed=42):
    rnd = random.Random(seed)
    stop = stopwords()
    docs = []
    for i, d in enumerate(corpus.docs_iter()):
        if i >= 20000:
            break
        docs.append(((d.get("title") or "").lower(), (d.get("body") or "").lower()))
    df = {}
    for _, body in docs:
        for w in set(WORD.findall(body)):
            df[w] = df.get(w, 0) + 1
    n = len(docs)
    mid = sorted(w for w, c in df.items() if len(w) >= 4 and w not in stop and 0.001 * n <= c <= 0.05 * n
                 and c >= 2)
    common = sorted(w for w, c in df.items() if len(w) >= 4 and w not in stop and c > 0.05 * n)
    midset = set(mid)
    bodies = [b for _, b in docs if len(b) > 200]
    out = []

    def add(kind, quire, xapian=None, fts5=None):
        out.append({"qid": "%s%d" % (kind, sum(1 for q in out if q["kind"] == kind) + 1), "kind": kind,
                    "quire": quire, "xapian": xapian or quire, "fts5": fts5 or quire})

    def doc_words(body):
        return [w for w in WORD.findall(body) if w in midset]

    for _ in range(per_type):
        add("word", rnd.choice(mid))
    while sum(1 for q in out if q["kind"] == "and") < per_type:
        ws = sorted(set(doc_words(rnd.choice(bodies))))
        if len(ws) >= 2:
            a, b = rnd.sample(ws, 2)
            add("and", "%s %s" % (a, b), fts5="%s AND %s" % (a, b))
    for _ in range(per_type):
        a, b = rnd.sample(mid, 2)
        add("or", "%s OR %s" % (a, b))
    for _ in range(per_type):
        a = rnd.choice(common or mid)
        b = rnd.choice(mid)
        add("not", "%s NOT %s" % (a, b))
    while sum(1 for q in out if q["kind"] == "phrase") < per_type:
        body = rnd.choice(bodies)
        k = 2 + sum(1 for q in out if q["kind"] == "phrase") % 3
        m = list(re.finditer(r"[a-z]+(?: [a-z]+){%d}" % (k - 1), body))
        m = [x.group(0) for x in m if any(w in midset for w in x.group(0).split())]
        if m:
            p = rnd.choice(m)
            add("phrase", '"%s"' % p)
    while sum(1 for q in out if q["kind"] == "near") < per_type:
        toks = WORD.findall(rnd.choice(bodies))
        pairs = [(toks[i], toks[j]) for i in range(len(toks)) for j in range(i + 2, min(i + 5, len(toks)))
                 if toks[i] in midset and toks[j] in midset and toks[i] != toks[j]]
        if pairs:
            a, b = rnd.choice(pairs)
            add("near", "%s NEAR/5 %s" % (a, b), fts5="NEAR(%s %s, 5)" % (a, b))
    long_words = [w for w in mid if len(w) >= 7]
    for _ in range(per_type):
        add("prefix", rnd.choice(long_words)[:5] + "*")
    titles = [w for t, _ in docs for w in WORD.findall(t) if w in midset]
    for _ in range(per_type):
        add("field", "title:" + rnd.choice(titles or mid))
    return out

"""bench/corpus.py — the benchmark corpora, prepared once per run from
../shared/corpora: the JSON lines every engine reads, plus the shapes the
Xapian Omega anchors need (one HTML file per document for omindex, a
field=value dump for scriptindex) and the scale series (k copies of the
corpus with distinct ids). Preparing them is never timed."""
import gzip
import html
import json
import os
import shutil


class Corpus:
    def __init__(self, names, jsonl, work):
        self.names = names
        self.jsonl = jsonl
        self.work = work
        self.docs = 0
        self.bytes = 0   # UTF-8 bytes of title + body: "MB of text"
        self.file_bytes = os.path.getsize(jsonl)
        self._html = None
        self._dump = None
        self.queries = []
        self.qrels = None
        with open(jsonl, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                self.docs += 1
                self.bytes += len((d.get("title") or "").encode()) + len((d.get("body") or "").encode())

    @property
    def mb(self):
        return self.bytes / 1e6

    def describe(self):
        return {"names": self.names, "docs": self.docs, "text_mb": round(self.mb, 2),
                "file_mb": round(self.file_bytes / 1e6, 2)}

    @classmethod
    def combined(cls, shared, names, work, filename="corpus.jsonl"):
        out = os.path.join(work, filename)
        with open(out, "wb") as o:
            for n in names:
                with gzip.open(os.path.join(shared, "corpora", n + ".jsonl.gz")) as f:
                    shutil.copyfileobj(f, o)
        return cls(names, out, work)

    @classmethod
    def judged(cls, shared, name, work):
        c = cls.combined(shared, [name], work, name + ".jsonl")
        with open(os.path.join(shared, "corpora", name + ".queries.tsv"), encoding="utf-8") as f:
            c.queries = [tuple(l.rstrip("\n").split("\t", 1)) for l in f if "\t" in l]
        c.qrels = os.path.join(shared, "corpora", name + ".qrels")
        return c

    def docs_iter(self):
        with open(self.jsonl, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)

    def html_dir(self):
        """omindex reads files: one small HTML page per document (title in
        <title>, body in <pre> so line breaks survive)."""
        if self._html:
            return self._html
        d = os.path.join(self.work, "html")
        shutil.rmtree(d, ignore_errors=True)
        for i, doc in enumerate(self.docs_iter()):
            sub = os.path.join(d, "%03d" % (i // 1000))
            if i % 1000 == 0:
                os.makedirs(sub)
            with open(os.path.join(sub, "%d.html" % i), "w", encoding="utf-8") as f:
                f.write("<html><head><meta charset=\"utf-8\"><title>%s</title></head><body><pre>%s</pre>"
                        "</body></html>\n" % (html.escape(doc.get("title") or ""),
                                              html.escape(doc.get("body") or "")))
        self._html = d
        return d

    def dump_file(self):
        """scriptindex's input: records of field=value lines, separated by
        a blank line; a continuation line of a value starts with '='."""
        if self._dump:
            return self._dump
        path = os.path.join(self.work, "corpus.dump")
        with open(path, "w", encoding="utf-8") as f:
            for doc in self.docs_iter():
                for field in ("id", "title", "body"):
                    lines = (doc.get(field) or "").split("\n")
                    f.write("%s=%s\n" % (field, lines[0]))
                    for l in lines[1:]:
                        f.write("=%s\n" % l)
                f.write("\n")
        self._dump = path
        return path

    def scaled(self, k, work):
        """k copies of the corpus; copy c > 0 gets ids "cC-ID"."""
        path = os.path.join(work, "scale%d.jsonl" % k)
        with open(path, "w", encoding="utf-8") as o:
            for c in range(k):
                with open(self.jsonl, encoding="utf-8") as f:
                    for line in f:
                        if c:
                            d = json.loads(line)
                            d["id"] = "c%d-%s" % (c, d.get("id", ""))
                            line = json.dumps(d, ensure_ascii=False) + "\n"
                        o.write(line)
        s = Scaled(path, self.docs * k, self.bytes * k)
        return s


class Scaled:
    def __init__(self, jsonl, docs, nbytes):
        self.jsonl = jsonl
        self.docs = docs
        self.mb = nbytes / 1e6

    def remove(self):
        os.unlink(self.jsonl)

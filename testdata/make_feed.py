#!/usr/bin/env python3
# Regenerates feed.jsonl (the articles as JSON lines) from articles/*.txt.
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
keys = {"Title": "title", "Date": "date", "Author": "author", "Source": "source", "Lang": "lang"}
out = []
for name in sorted(os.listdir(os.path.join(here, "articles"))):
    text = open(os.path.join(here, "articles", name), encoding="utf-8").read()
    rec = {"id": name}
    if text.startswith("Title: "):
        head, body = text.split("\n\n", 1)
        for line in head.split("\n"):
            k, v = line.split(": ", 1)
            rec[keys[k]] = v
        rec["body"] = body.rstrip("\n")
    else:
        rec["body"] = text.rstrip("\n")
    out.append(json.dumps(rec, ensure_ascii=False))
with open(os.path.join(here, "feed.jsonl"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(len(out), "records", file=sys.stderr)

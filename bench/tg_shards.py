#!/usr/bin/env python3
"""bench/tg_shards.py — the TermGenerator reference run as 2 parallel
shards merged by xapian-compact: what a Xapian user does by hand to use
2 cores. Splitting the input is part of the timed work.
Usage: tg_shards.py TG_INDEX OUT_DB FILE.jsonl"""
import os
import shutil
import subprocess
import sys

tg, out, src = sys.argv[1:4]
parts = [out + ".part%d.jsonl" % i for i in range(2)]
with open(src, "rb") as f, open(parts[0], "wb") as a, open(parts[1], "wb") as b:
    for i, line in enumerate(f):
        (a if i % 2 == 0 else b).write(line)
dbs = [out + ".s%d" % i for i in range(2)]
procs = [subprocess.Popen([tg, "--data", dbs[i], parts[i]], stdout=subprocess.DEVNULL) for i in range(2)]
if any(p.wait() != 0 for p in procs):
    sys.exit("tg_shards: a shard failed")
subprocess.run(["xapian-compact", "-q"] + dbs + [out], check=True, stdout=subprocess.DEVNULL)
for p in parts:
    os.unlink(p)
for d in dbs:
    shutil.rmtree(d)

# test_long_snippets.sh — snippets of long articles (bodies of tens of KB,
# built from testdata/feed.jsonl with a marker sentence deep inside) are
# placed from positions, and are the same whether the index is one
# database, 3 local shards or 3 shards behind xapian-tcpsrv; the same holds
# with --positions stems and --stopwords index.
SUITE=long_snippets
. "$(dirname "$0")/lib.sh"

# Eight long articles: every article body of the feed, repeated, with one
# marker sentence placed at a different depth in each.
python3 - "$TD/feed.jsonl" >"$T/long.jsonl" <<'EOF'
import json, sys
bodies = [json.loads(l).get("body", "") for l in open(sys.argv[1], encoding="utf-8")]
text = "\n\n".join(b for b in bodies if b)
for i in range(8):
    parts = [text] * 6
    marker = ("The zeppelin inspectors reported to the minister of foreign affairs about "
              "shipment %d on Tuesday." % i)
    parts.insert(1 + i % 5, marker)
    doc = {"id": "long-%d" % i, "title": "Long report %d" % i, "date": "2024-1%d-01" % (i % 3),
           "body": "\n\n".join(parts)}
    print(json.dumps(doc, ensure_ascii=False))
EOF
expect_eq long_docs_made 8 "$(wc -l <"$T/long.jsonl" | tr -d ' ')"

QUERIES='zeppelin|"minister of foreign affairs"|zeppelin inspectors|inspect*|zeppelin NEAR/3 reported|shipment|korea troops'

# snips INDEX QUERY: "id snippet-with-marks" lines in rank order, ties by id.
snips() {
    "$QQ" -d "$1" --format json --limit 20 -- "$2" 2>>"$T/snips.err" | python3 -c '
import json, sys
hits = json.load(sys.stdin)["hits"]
for h in sorted(hits, key=lambda h: (-round(h["score"], 9), h["id"])):
    s, out, at = h["snippet"], "", 0
    for a, b in h["highlights"]:
        out += s.encode()[at:a].decode() + "[" + s.encode()[a:b].decode() + "]"
        at = b
    print(h["id"], out + s.encode()[at:].decode())'
}

# A query of many word forms (120 here): a hit's term list is read first
# and only the forms it has are looked up. The forms of zz* are in other
# documents only; the marker deep in the long one must still be found.
head -1 "$T/long.jsonl" >"$T/many.jsonl"
python3 -c '
import json
for i in range(120):
    print(json.dumps({"id": "filler-%d" % i, "body": "zz%03d is a filler word" % i}))' >>"$T/many.jsonl"
"$QI" -q -d "$T/many.idx" --threads 1 "$T/many.jsonl" || fail many_index "indexing failed"
snips "$T/many.idx" 'id:long-0 (zeppelin OR zz*)' >"$T/many"
expect_grep many_forms_marker_found '\[zeppelin\] inspectors' "$T/many"

for variant in words stems stopindex; do
    case $variant in
    words) opts="" ;;
    stems) opts="--positions stems" ;;
    stopindex) opts="--stopwords index" ;;
    esac
    # shellcheck disable=SC2086
    "$QI" -q -d "$T/$variant.idx" --threads 1 $opts "$T/long.jsonl" || fail "${variant}_index" "indexing failed"
    # shellcheck disable=SC2086
    "$QI" -q -d "$T/$variant.sh" --shards 3 $opts "$T/long.jsonl" || fail "${variant}_shards" "indexing failed"
    snips "$T/$variant.idx" zeppelin >"$T/z"
    if [ "$(grep -c '\[zeppelin\] inspectors' "$T/z")" = 8 ]; then ok "${variant}_marker_found_deep"; else
        fail "${variant}_marker_found_deep" "$(head -c 600 "$T/z")"; fi
    echo "$QUERIES" | tr '|' '\n' | while IFS= read -r q; do
        snips "$T/$variant.idx" "$q" >"$T/one"
        snips "$T/$variant.sh" "$q" >"$T/sh"
        if [ -s "$T/one" ] && cmp -s "$T/one" "$T/sh"; then ok "${variant}_shards_same $q"; else
            fail "${variant}_shards_same $q" "$(diff "$T/one" "$T/sh" | head -c 600)"; fi
    done
done

# The same snippets through xapian-tcpsrv (one server per shard).
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
    base=$((28200 + $$ % 4000)) # below the kernel's ephemeral ports (32768-)
    : >"$T/remote.stub"
    for i in 0 1 2; do
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + i)) "$T/words.sh/shard-$i" >/dev/null 2>&1 &
        echo $! >"$T/srv$i.pid"
        echo "remote 127.0.0.1:$((base + i))" >>"$T/remote.stub"
    done
    n=0
    until "$QQ" -d "$T/remote.stub" --count zeppelin >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
    echo "$QUERIES" | tr '|' '\n' | while IFS= read -r q; do
        snips "$T/words.idx" "$q" >"$T/one"
        snips "$T/remote.stub" "$q" >"$T/rem"
        if [ -s "$T/one" ] && cmp -s "$T/one" "$T/rem"; then ok "remote_same $q"; else
            fail "remote_same $q" "$(diff "$T/one" "$T/rem" | head -c 600)"; fi
    done
    for i in 0 1 2; do kill "$(cat "$T/srv$i.pid")" 2>/dev/null; done
else
    skip remote "xapian-tcpsrv or setsid not installed"
fi
rm -rf "$T"

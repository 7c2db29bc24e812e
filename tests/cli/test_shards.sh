# test_shards.sh — sharded indexes and remote search: the same corpus as one
# database and as 3 shards (local, and served by 3 xapian-tcpsrv on
# loopback) must give the same hits, order and scores; a server stopped
# mid-suite is an error naming it, or with --partial a warning; --merge
# gives back one database with the same results; updates and deletes find
# their shard.
SUITE=shards
. "$(dirname "$0")/lib.sh"
ART="$TD/articles"
PROBE="$BUILD/tests/remote_probe"

"$QI" -q -d "$T/one.idx" --threads 1 "$ART" "$TD/feed.jsonl" || fail setup "indexing one database failed"
expect_status shards_exit_0 0 "$QI" -d "$T/sh.idx" --shards 3 "$ART" "$TD/feed.jsonl"
expect_eq shards_layout "XAPIANDB shard-0 shard-1 shard-2" "$(ls "$T/sh.idx" | grep -v '\.lock$' | tr '\n' ' ' | sed 's/ $//')"
expect_eq shards_count "$(doc_count "$T/one.idx")" "$(doc_count "$T/sh.idx")"
for i in 0 1 2; do check "shard_${i}_xapian_check" xapian-check "$T/sh.idx/shard-$i"; done

# "score id" lines by falling score, ties by id (document numbers differ).
hits() { _i=$1; shift; "$QQ" -d "$_i" --format json --limit 100 "$@" 2>>"$T/hits.err" | grep -oE '"(id|score)": *[^,]*' | paste - - |
         sed -E 's/"id": *"([^"]*)"\t"score": *(.*)/\2 \1/' | sort -k1,1gr -k2,2; }
# The last two have word pairs, scored by proximity (the default ranking).
QUERIES='korea|troops OR shells|"kim jong un"|deploy* NOT russia|title:seoul|date:2024-10..2024-12|minister NEAR/4 affairs|north korean troops|artillery shells OR (kim jong un)'
# compare NAME INDEX [OPTION...]: every query gives the same scored hits as
# one.idx.
compare() {
    _name=$1
    _idx=$2
    shift 2
    echo "$QUERIES" | tr '|' '\n' | while IFS= read -r q; do
        hits "$T/one.idx" "$@" -- "$q" >"$T/r1"
        hits "$_idx" "$@" -- "$q" >"$T/r2"
        # Scores equal to 12 significant digits (float rounding).
        if [ -s "$T/r1" ] && [ "$(awk '{printf "%.12g %s\n", $1, $2}' "$T/r1")" = "$(awk '{printf "%.12g %s\n", $1, $2}' "$T/r2")" ]; then
            ok "$_name $q"
        else
            fail "$_name $q" "results differ or empty: $(head -3 "$T/r2" | tr '\n' ' ')"
        fi
    done
}
# Proximity is in play: those queries score otherwise with --rank bm25.
for q in 'north korean troops' 'artillery shells OR (kim jong un)'; do
    if [ "$(hits "$T/one.idx" -- "$q")" != "$(hits "$T/one.idx" --rank bm25 -- "$q")" ]; then ok "proximity_scores $q"
    else fail "proximity_scores $q" "same scores as --rank bm25"; fi
done
compare local_same_hits "$T/sh.idx"
compare local_same_hits_any "$T/sh.idx" --any

# Served by xapian-tcpsrv, one per shard, on loopback ports (each in its
# own session: the server signals its process group when it stops).
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
    base=$((20000 + $$ % 4000)) # below the kernel's ephemeral ports (32768-)
    : >"$T/cluster.stub"
    for i in 0 1 2; do
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + i)) "$T/sh.idx/shard-$i" >/dev/null 2>&1 &
        echo $! >"$T/srv$i.pid"
        echo "remote :127.0.0.1:$((base + i))" >>"$T/cluster.stub"
    done
    n=0
    until "$QQ" -d "$T/cluster.stub" --count korea >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
    compare remote_same_hits "$T/cluster.stub"
    compare remote_same_hits_any "$T/cluster.stub" --any
    # Sorting by date (a value sort) across remote shards: the same dates in
    # the same order as one database (ids can differ among equal dates).
    for order in date -date; do
        "$QQ" -d "$T/one.idx" --sort $order -n 100 --format json 'korea OR troops OR seoul' | grep -o '"date": "[^"]*"' >"$T/d1"
        "$QQ" -d "$T/cluster.stub" --sort $order -n 100 --format json 'korea OR troops OR seoul' | grep -o '"date": "[^"]*"' >"$T/d2"
        if [ -s "$T/d1" ] && cmp -s "$T/d1" "$T/d2"; then ok "remote_sort_$order"; else fail "remote_sort_$order" "dates differ"; fi
    done
    expect_status remote_snippets 0 "$QQ" -d "$T/cluster.stub" --format json '"kim jong un"'
    expect_grep remote_snippet_text '"snippet": ".*Kim Jong' "$T/out"
    expect_grep remote_title_field '"title": "' "$T/out"

    # One server stops while a searcher is open: an error naming it, or
    # with partial the hits of the other two and a warning.
    before=$("$QQ" -d "$T/cluster.stub" --count 'korea OR troops OR seoul')
    "$PROBE" "$T/cluster.stub" 0 "$(cat "$T/srv1.pid")" 'korea OR troops OR seoul' >"$T/probe" 2>&1
    expect_grep probe_before_ok "^before hits: $before\$" "$T/probe"
    expect_grep probe_after_error "^after error: .*shard not answering: remote 127.0.0.1:$((base + 1)) " "$T/probe"
    expect_status down_default_error 2 "$QQ" -d "$T/cluster.stub" korea
    expect_grep down_default_names_shard "shard remote 127.0.0.1:$((base + 1))" "$T/err"
    expect_status down_partial_answers 0 "$QQ" -d "$T/cluster.stub" --partial -f ids 'korea OR troops OR seoul'
    expect_grep down_partial_warns "warning: partial results: shards left out: remote 127.0.0.1:$((base + 1))" "$T/err"
    got=$(wc -l <"$T/out")
    if [ "$got" -gt 0 ] && [ "$got" -lt "$before" ]; then ok down_partial_fewer_hits; else fail down_partial_fewer_hits "$got of $before"; fi
    # The same, with the server stopped under an open searcher.
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + 1)) "$T/sh.idx/shard-1" >/dev/null 2>&1 &
    echo $! >"$T/srv1.pid"
    n=0
    until "$QQ" -d "$T/cluster.stub" --count korea >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
    "$PROBE" "$T/cluster.stub" 1 "$(cat "$T/srv1.pid")" 'korea OR troops OR seoul' >"$T/probe" 2>&1
    expect_grep probe_partial_before "^before hits: $before\$" "$T/probe"
    expect_grep probe_partial_after_warns "^after warning: partial results: shards left out: remote 127.0.0.1:$((base + 1))" "$T/probe"
    expect_grep probe_partial_after_hits "^after hits: [1-9]" "$T/probe"
    # A server that accepts but never answers: --timeout 1 gives up after a
    # second with a message naming it (the default, 10 s, would outlast the
    # 5 s the test allows and end in exit 124).
    python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(5)
print("listening", flush=True)
held = []
while True:
    held.append(s.accept())
' $((base + 3)) >"$T/silent.out" 2>&1 &
    silent=$!
    n=0
    until grep -q listening "$T/silent.out" 2>/dev/null || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
    echo "remote 127.0.0.1:$((base + 3))" >"$T/silent.stub"
    expect_status timeout_honoured 2 timeout 5 "$QQ" -d "$T/silent.stub" --timeout 1 korea
    expect_grep timeout_named "shard remote 127.0.0.1:$((base + 3)): .*Timeout" "$T/err"
    kill $silent 2>/dev/null
    for i in 0 1 2; do kill "$(cat "$T/srv$i.pid")" 2>/dev/null; done
else
    skip remote "xapian-tcpsrv or setsid not installed"
fi

# --merge: one database, same results.
expect_status merge_exit_0 0 "$QI" -d "$T/sh.idx" --merge "$T/merged.idx"
check merged_xapian_check xapian-check "$T/merged.idx"
compare merged_same_hits "$T/merged.idx"
expect_status merge_refuses_existing 2 "$QI" -d "$T/sh.idx" --merge "$T/merged.idx"

# Updates and deletes go to the right shard: nothing duplicated.
expect_status update_exit_0 0 "$QI" -d "$T/sh.idx" --update "$ART"
expect_grep update_counts '0 added, 3 replaced, 26 unchanged' "$T/out"
expect_eq update_same_count "$(doc_count "$T/one.idx")" "$(doc_count "$T/sh.idx")"
expect_status delete_exit_0 0 "$QI" -d "$T/sh.idx" --delete 01-seoul-weighs-shells.txt
expect_eq delete_gone 0 "$("$QQ" -d "$T/sh.idx" --count 'id:01-seoul-weighs-shells.txt')"
expect_status rebuild_refused 2 "$QI" -d "$T/sh.idx" --rebuild "$ART"
expect_grep rebuild_refused_msg 'not rebuilt in place' "$T/err"
expect_status shards_on_existing_refused 2 "$QI" -d "$T/one.idx" --shards 2 "$ART"
printf 'remote nowhere\n' >"$T/bad.stub"
expect_status bad_stub_line 2 "$QQ" -d "$T/bad.stub" korea
expect_grep bad_stub_line_named 'bad.stub:1: not a database line' "$T/err"
rm -rf "$T"

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
# --stats of a sharded index: where it is and what its shards take (it
# said "sh.idx -> " and 0 bytes, from a version directory it does not have).
"$QI" -d "$T/sh.idx" --stats-json --stats >"$T/stats.json"
shard_bytes=$(($(du -sb "$T/sh.idx/shard-0" | cut -f1) + $(du -sb "$T/sh.idx/shard-1" | cut -f1) + $(du -sb "$T/sh.idx/shard-2" | cut -f1)))
expect_eq stats_sharded_location "$T/sh.idx" "$(json_get "$T/stats.json" 'd["location"]')"
got=$(json_get "$T/stats.json" 'd["disk_bytes"]')
# (du counts the directories' own blocks too: within 64 KB)
if [ "$got" -gt $((shard_bytes - 65536)) ] && [ "$got" -le "$shard_bytes" ]; then ok stats_sharded_bytes; else fail stats_sharded_bytes "$got, shards take $shard_bytes"; fi
expect_status stats_sharded_text 0 "$QI" -d "$T/sh.idx" --stats
if grep -q -- '-> *$' "$T/out"; then fail stats_sharded_no_empty_arrow "$(head -1 "$T/out")"; else ok stats_sharded_no_empty_arrow; fi

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
base=$((20000 + $$ % 4000)) # below the kernel's ephemeral ports (32768-); this suite uses base..base+8
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
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
    # Sorting by date across remote shards: the same ids in the same order
    # as one database, undated documents last both ways (the order of
    # ties: score, then id, in every layout).
    for order in date -date; do
        for q in 'korea OR troops OR seoul' 'NOT zzzz'; do
            for i in one.idx sh.idx cluster.stub; do
                "$QQ" -d "$T/$i" --sort $order -n 100 --format json -- "$q" | grep -oE '"(id|date)": "[^"]*"' | paste - - >"$T/s.$i"
            done
            if [ -s "$T/s.one.idx" ] && cmp -s "$T/s.one.idx" "$T/s.sh.idx" && cmp -s "$T/s.one.idx" "$T/s.cluster.stub"; then
                ok "sort_${order}_same_order $q"
            else
                fail "sort_${order}_same_order $q" "$(diff "$T/s.one.idx" "$T/s.cluster.stub" | head -4 | tr '\n' ' ')"
            fi
        done
        # 'NOT zzzz' matches all 29 articles; the 3 undated ones come last.
        expect_eq "remote_sort_${order}_undated_last" '"date": "" "date": "" "date": ""' \
            "$(tail -3 "$T/s.cluster.stub" | cut -f2 | tr '\n' ' ' | sed 's/ $//')"
    done
    expect_status remote_snippets 0 "$QQ" -d "$T/cluster.stub" --format json '"kim jong un"'
    expect_grep remote_snippet_text '"snippet": ".*Kim Jong' "$T/out"
    expect_grep remote_title_field '"title": "' "$T/out"

    # Scripts that stop and start the server of shard 1 (the whole process
    # group, which xapian-tcpsrv's children belong to), waiting until it is
    # gone or answers.
    echo "remote :127.0.0.1:$((base + 1))" >"$T/one-remote.stub"
    cat >"$T/stop1.sh" <<EOF_SH
pid=\$(cat "$T/srv1.pid")
kill -TERM -\$pid 2>/dev/null
n=0
while kill -0 -\$pid 2>/dev/null && [ \$n -lt 100 ]; do sleep 0.1; n=\$((n + 1)); done
EOF_SH
    cat >"$T/start1.sh" <<EOF_SH
setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + 1)) "$T/sh.idx/shard-1" >/dev/null 2>&1 &
echo \$! >"$T/srv1.pid"
n=0
until "$QQ" -d "$T/one-remote.stub" --count korea >/dev/null 2>&1 || [ \$n -ge 50 ]; do sleep 0.1; n=\$((n + 1)); done
EOF_SH
    Q='korea OR troops OR seoul'
    before=$("$QQ" -d "$T/cluster.stub" --count "$Q")
    # One server stops while a searcher is open: an error naming it, and
    # every search after it while it is down. When it is back on its port,
    # the searcher reconnects, after a reopen or at the next search.
    "$PROBE" "$T/cluster.stub" 0 "search:$Q" "sh:sh $T/stop1.sh" "search:$Q" "search:$Q" "sh:sh $T/start1.sh" \
        reopen "search:$Q" "search:$Q" "sh:sh $T/stop1.sh" "search:$Q" "sh:sh $T/start1.sh" "search:$Q" \
        >"$T/probe" 2>&1
    expect_grep probe_before_ok "^1 search: $before hits, total $before\$" "$T/probe"
    expect_grep probe_after_error "^3 search error 14: .*shard not answering: remote 127.0.0.1:$((base + 1)) .*the searcher option partial" "$T/probe"
    expect_grep probe_still_network_error "^4 search error 14: .*remote 127.0.0.1:$((base + 1))" "$T/probe"
    expect_grep probe_reopen_reconnects "^6 reopen: ok\$" "$T/probe"
    expect_grep probe_back_after_reopen "^7 search: $before hits, total $before\$" "$T/probe"
    expect_grep probe_stays_back "^8 search: $before hits, total $before\$" "$T/probe"
    expect_grep probe_down_again "^10 search error 14: " "$T/probe"
    expect_grep probe_back_without_reopen "^12 search: $before hits, total $before\$" "$T/probe"
    if grep -q -- '--partial' "$T/probe"; then fail probe_no_cli_flags_in_messages "$(grep -- --partial "$T/probe")"; else ok probe_no_cli_flags_in_messages; fi
    # (the server is up again here: stop it for the command-line checks)
    sh "$T/stop1.sh"
    expect_status down_default_error 2 "$QQ" -d "$T/cluster.stub" korea
    expect_grep down_default_names_shard "shard remote 127.0.0.1:$((base + 1))" "$T/err"
    expect_grep down_default_hint "--partial answers from the shards that respond" "$T/err"
    expect_status down_partial_answers 0 "$QQ" -d "$T/cluster.stub" --partial -f ids "$Q"
    expect_grep down_partial_warns "warning: partial results: shards left out: remote 127.0.0.1:$((base + 1))" "$T/err"
    got=$(wc -l <"$T/out")
    if [ "$got" -gt 0 ] && [ "$got" -lt "$before" ]; then ok down_partial_fewer_hits; else fail down_partial_fewer_hits "$got of $before"; fi
    expect_status down_partial_json 0 "$QQ" -d "$T/cluster.stub" --partial -f json "$Q"
    expect_grep down_partial_json_marked '"partial_reasons": \[' "$T/out"
    expect_grep down_partial_json_shards '"shards"' "$T/out"
    # A document on the shard that is down is not "no such document" but
    # unknown (exit 2), with the shards left out named; one on a shard
    # that answers is shown. Both said "no document with id" before.
    on1=$(xapian-delve -a -1 "$T/sh.idx/shard-1" | sed -n 's/^Q//p' | head -1)
    on0=$(xapian-delve -a -1 "$T/sh.idx/shard-0" | sed -n 's/^Q//p' | head -1)
    for how in "--show $on1" "--like $on1"; do
        # shellcheck disable=SC2086
        expect_status "down_partial_${how%% *}_elsewhere" 2 "$QQ" -d "$T/cluster.stub" --partial $how
        expect_grep "down_partial_${how%% *}_elsewhere_msg" "no document with id '$on1' among the shards that answered \(shards left out: remote 127.0.0.1:$((base + 1)) " "$T/err"
    done
    expect_status down_partial_show_here 0 "$QQ" -d "$T/cluster.stub" --partial --show "$on0"
    # With partial, a shard that goes down leaves the answer and rejoins
    # it when its server is back.
    sh "$T/start1.sh"
    "$PROBE" "$T/cluster.stub" 1 "search:$Q" "sh:sh $T/stop1.sh" "search:$Q" "sh:sh $T/start1.sh" "search:$Q" \
        "sh:sh $T/stop1.sh" "search:$Q" "sh:sh $T/start1.sh" reopen "search:$Q" >"$T/probe" 2>&1
    expect_grep probe_partial_before "^1 search: $before hits, total $before\$" "$T/probe"
    expect_grep probe_partial_after_warns "^3 search: [1-9][0-9]* hits, total [0-9]*, warning partial results: shards left out: remote 127.0.0.1:$((base + 1))" "$T/probe"
    if grep -q "^3 search: $before hits" "$T/probe"; then fail probe_partial_after_fewer "$(cat "$T/probe")"; else ok probe_partial_after_fewer; fi
    expect_grep probe_partial_rejoins "^5 search: $before hits, total $before\$" "$T/probe"
    expect_grep probe_partial_down_again "^7 search: [0-9]* hits, total [0-9]*, warning partial results" "$T/probe"
    expect_grep probe_partial_reopen "^9 reopen: ok\$" "$T/probe"
    expect_grep probe_partial_rejoins_after_reopen "^10 search: $before hits, total $before\$" "$T/probe"
    # quire-serve's /healthz over the servers: 503 once one has stopped
    # (searches fail then), "partial" with --partial, "ok" when it is back.
    # It said "ok" before, from the count read when they were opened.
    health() { curl -s -w ' %{http_code}' "http://127.0.0.1:$1/healthz" | tr -d '\n'; echo; }
    for mode in strict partial; do
        hp=$((base + 7)) flag=""
        if [ $mode = partial ]; then hp=$((base + 8)) flag=--partial; fi
        # shellcheck disable=SC2086
        "$BUILD/quire-serve" -d "$T/cluster.stub" --listen "127.0.0.1:$hp" --threads 1 $flag 2>"$T/hs.log" &
        hs=$!
        wait_for "$T/hs.log" "serving"
        health $hp >"$T/h1"
        sh "$T/stop1.sh"
        health $hp >"$T/h2"
        sh "$T/start1.sh"
        health $hp >"$T/h3"
        kill -TERM $hs
        wait $hs
        expect_grep "healthz_${mode}_up" '"status": "ok".* 200$' "$T/h1"
        if [ $mode = strict ]; then want='shard not answering: remote 127.0.0.1:'"$((base + 1))"'.* 503$'
        else want='"status": "partial".*"warning": "partial results: shards left out: remote 127.0.0.1:'"$((base + 1))"'.* 200$'; fi
        expect_grep "healthz_${mode}_shard_down" "$want" "$T/h2"
        expect_grep "healthz_${mode}_back" '"status": "ok".* 200$' "$T/h3"
    done
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
    print("accepted", flush=True)
' $((base + 3)) >"$T/silent.out" 2>&1 &
    silent=$!
    n=0
    until grep -q listening "$T/silent.out" 2>/dev/null || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
    echo "remote 127.0.0.1:$((base + 3))" >"$T/silent.stub"
    expect_status timeout_honoured 2 timeout 9 "$QQ" -d "$T/silent.stub" --timeout 1 korea
    expect_grep timeout_named "shard remote 127.0.0.1:$((base + 3)): .*Timeout" "$T/err"
    # A long-running searcher with partial and that silent server among
    # its shards: the server would cost every search the timeout, so after
    # a slow failure it is left alone for a pause (1 s, then 2 s, ...).
    # Counted by the connections the server saw: the open's, none for the
    # searches within the pause, one for the search after it.
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' $base $((base + 3)) >"$T/mixed.stub"
    accepted() { grep -c accepted "$T/silent.out"; }
    a0=$(accepted)
    PROBE_TIMEOUT=0.5 "$PROBE" "$T/mixed.stub" 1 "search:$Q" "search:$Q" "search:$Q" "sh:sleep 1.2" \
        "search:$Q" "search:$Q" >"$T/probe" 2>&1
    # The server prints each connection as it takes it: let it catch up.
    a1=$(accepted) n=0
    while sleep 0.5 && [ "$(accepted)" != "$a1" ] && [ $n -lt 10 ]; do a1=$(accepted) n=$((n + 1)); done
    expect_grep silent_partial_answers "^1 search: [1-9][0-9]* hits, total [0-9]*, warning partial results: shards left out: remote 127.0.0.1:$((base + 3))" "$T/probe"
    expect_grep silent_partial_still_answers "^6 search: [1-9][0-9]* hits, total [0-9]*, warning partial results" "$T/probe"
    expect_eq silent_not_retried_every_search "1 retry after the pause" "$((a1 - a0 - 1)) retry after the pause"
    kill $silent 2>/dev/null
    for i in 0 1 2; do kill -TERM -"$(cat "$T/srv$i.pid")" 2>/dev/null; done
else
    skip remote "xapian-tcpsrv or setsid not installed"
fi

# --- Every layout gives the same page: ids, order and scores ------------
# A generated collection where layouts used to differ: wildcards over
# many words (Xapian weighs a flat synonym by statistics each database
# estimates its own way), exact duplicates under other ids (ties, once
# ordered by Xapian's document numbers) and multi-word queries (term
# weights added in an order each database picks, which differs in the
# last bits). One database, 3 shards, and the shards served remotely.
python3 - "$T/gen.jsonl" <<'EOF_PY'
import json, random, sys
random.seed(14)
stems = ["econom", "market", "trad"]
ends = ["y", "ic", "ics", "ist", "ists", "ical", "ically", "ies", "ise", "er", "ers", "ing", "ed", "e", "es", "able"]
filler = "the a of to in and for on with by at from as is was that it be are this have".split()
common = "bank rates growth sales profit price share stock oil gas yen dollar budget tax".split()
with open(sys.argv[1], "w") as out:
    for i in range(1500):
        words = []
        for _ in range(random.randint(20, 120)):
            r = random.random()
            if r < 0.08:
                words.append(random.choice(stems) + random.choice(ends[:random.randint(1, len(ends))]))
            elif r < 0.4:
                words.append(random.choice(common))
            else:
                words.append(random.choice(filler))
        doc = {"id": "doc-%05d" % i, "title": "item %d" % (i % 50), "body": " ".join(words),
               "date": "2024-%02d-%02d" % (1 + i % 12, 1 + i % 28)}
        out.write(json.dumps(doc) + "\n")
        if i % 10 == 0:
            doc["id"] = "dup-%05d" % i
            out.write(json.dumps(doc) + "\n")
    # A long run of ties under a few better hits: 40 copies of one text,
    # and 6 texts that say zebra more often.
    for i in range(40):
        out.write(json.dumps({"id": "tie-%02d" % ((i * 7) % 40), "title": "zoo",
                              "body": "a zebra crossing near the bank"}) + "\n")
    for i in range(6):
        out.write(json.dumps({"id": "zeb-%d" % i, "title": "zoo",
                              "body": " ".join(["zebra"] * (i + 2) + ["crossing", "bank"] * (i + 1))}) + "\n")
EOF_PY
"$QI" -q -d "$T/g1.idx" --threads 1 "$T/gen.jsonl" || fail layouts_setup "indexing one database failed"
"$QI" -q -d "$T/g3.idx" --shards 3 "$T/gen.jsonl" || fail layouts_setup "indexing 3 shards failed"
LAYOUTS="g1.idx g3.idx"
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
    : >"$T/g.stub"
    for i in 0 1 2; do
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + 4 + i)) "$T/g3.idx/shard-$i" >/dev/null 2>&1 &
        echo $! >"$T/gsrv$i.pid"
        echo "remote :127.0.0.1:$((base + 4 + i))" >>"$T/g.stub"
    done
    n=0
    until "$QQ" -d "$T/g.stub" --count bank >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
    LAYOUTS="$LAYOUTS g.stub"
else
    skip layouts_remote "xapian-tcpsrv or setsid not installed"
fi
# "rank id score" lines of a page, as quire-query prints them.
page() { _l=$1; shift; "$QQ" -d "$T/$_l" --format json --no-snippets "$@" 2>&1 | grep -oE '"(rank|id|score)": *[^,]*' | paste - - - ; }
for q in 'econom*' 'market*' 'trad*' 'econom* market*' 'growth sales' 'bank OR oil OR tax' 'economy' 'year:2024'; do
    for args in "-n 20" "-n 10 --offset 15" "-n 20 --sort date" "-n 20 --sort -date"; do
        # shellcheck disable=SC2086
        page g1.idx $args -- "$q" >"$T/p.one"
        same=1
        for l in $LAYOUTS; do
            # shellcheck disable=SC2086
            page "$l" $args -- "$q" >"$T/p.$l"
            cmp -s "$T/p.one" "$T/p.$l" || same=0
        done
        name="layouts_same_page $q $args"
        if [ -s "$T/p.one" ] && [ $same = 1 ]; then ok "$name"; else fail "$name" "$(diff "$T/p.one" "$T/p.g3.idx" | head -4 | tr '\n' ' ')"; fi
    done
done
# Ties go to the id: the duplicates (same text, same score) come in byte
# order of their ids, "doc-" before "dup-".
# Prints the misordered pairs, or "none" when the page had no ties at all.
page g3.idx -n 200 -- economy | awk '{ s = $NF; if (s == prev) { ties++; if ($4 < previd) bad = bad " " previd ">" $4 } prev = s; previd = $4 }
    END { print (ties ? bad : "none") }' >"$T/ties"
expect_eq layouts_ties_by_id "" "$(cat "$T/ties")"
# A page cut inside a run of ties is the same slice of the whole ordered
# list (every match fetched at once, where no tie goes past the end): the
# refetch sorted by id skips what weighs less than the run, and must not
# lose any of it. "zebra" has a run of 40 ties under 6 better hits;
# "year:2024" is one run of zero scores.
for l in $LAYOUTS; do
    for q in economy sales 'growth sales' year:2024 zebra 'zebra crossing'; do
        page "$l" -n 5000 -- "$q" | cut -f2,3 >"$T/all"
        bad=""
        for off in 0 3 7 10 19 30; do
            page "$l" -n 10 --offset $off -- "$q" | cut -f2,3 >"$T/part"
            sed -n "$((off + 1)),$((off + 10))p" "$T/all" | cmp -s - "$T/part" || bad="$bad $off"
        done
        name="page_is_slice_of_all $l $q"
        if [ -s "$T/all" ] && [ -z "$bad" ]; then ok "$name"; else fail "$name" "offsets$bad differ"; fi
    done
done
for i in 0 1 2; do [ -f "$T/gsrv$i.pid" ] && kill -TERM -"$(cat "$T/gsrv$i.pid")" 2>/dev/null; done

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
# What to do instead (README): build a new one and rename it over the old.
# A searcher kept open (quire-serve's workers) follows at its next reopen,
# with the same number of shards or another; it read the new index's
# revision through the old one's open files before ("damaged stored
# record", or none of the new documents).
printf '{"id": "renamed-1", "body": "zanzibarquux arrives with the renamed index"}\n' >"$T/renamed.jsonl"
# One database renamed over another is the same (seen by the version the
# searcher pinned), and so is a change of layout: shards where one
# database was, or the reverse ("OLD>NEW": shard counts, 1 = one database).
# shellcheck disable=SC2086
for change in 3\>3 3\>2 1\>1 3\>1 1\>3; do
    from=${change%>*} to=${change#*>}
    rm -rf "$T/ren.idx" "$T/ren-new.idx" "$T/ren-old.idx"
    if [ "$from" = 1 ]; then layout="--threads 1"; else layout="--shards $from"; fi
    "$QI" -q -d "$T/ren.idx" $layout "$ART"
    if [ "$to" = 1 ]; then layout="--threads 1"; else layout="--shards $to"; fi
    "$QI" -q -d "$T/ren-new.idx" $layout "$ART" "$T/renamed.jsonl"
    "$PROBE" "$T/ren.idx" 0 "search:zanzibarquux" "search:korea OR seoul OR kim" \
        "sh:mv '$T/ren.idx' '$T/ren-old.idx' && mv '$T/ren-new.idx' '$T/ren.idx' && rm -rf '$T/ren-old.idx'" \
        reopen "search:zanzibarquux" "search:korea OR seoul OR kim" >"$T/ren.out" 2>&1
    before=$(sed -n 's/^2 search: \([0-9]*\) hits.*/\1/p' "$T/ren.out")
    expect_eq "renamed_over_${from}_to_${to}" "1 search: 0 hits, total 0
4 reopen: ok
5 search: 1 hits, total 1
6 search: $before hits, total $before" "$(grep -v '^2 ' "$T/ren.out")"
done
# A stub edited to name a server that is not up (no partial): each reopen
# fails naming it, the databases open go on answering, and nothing is
# left open by the failed tries.
printf 'auto sh.idx/shard-0\nauto sh.idx/shard-1\nauto sh.idx/shard-2\n' >"$T/edit.stub"
"$PROBE" "$T/edit.stub" 0 "search:korea" fds "sh:echo 'remote 127.0.0.1:1' >>'$T/edit.stub'" \
    reopen reopen reopen reopen reopen fds "search:korea" >"$T/edit.out" 2>&1
expect_grep stub_edited_reopen_fails "^4 reopen error 14: .*127.0.0.1:1" "$T/edit.out"
expect_eq stub_edited_no_fds_left "$(sed -n 's/^2 fds: //p' "$T/edit.out")" "$(sed -n 's/^9 fds: //p' "$T/edit.out")"
expect_eq stub_edited_still_answers "$(sed -n 's/^1 search: //p' "$T/edit.out")" "$(sed -n 's/^10 search: //p' "$T/edit.out")"
expect_status shards_on_existing_refused 2 "$QI" -d "$T/one.idx" --shards 2 "$ART"
printf 'remote nowhere\n' >"$T/bad.stub"
expect_status bad_stub_line 2 "$QQ" -d "$T/bad.stub" korea
expect_grep bad_stub_line_named 'bad.stub:1: not a database line' "$T/err"
rm -rf "$T"

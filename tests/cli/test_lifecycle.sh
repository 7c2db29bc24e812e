# test_lifecycle.sh — keeping an index fresh with real processes: updates
# that write nothing when nothing changed, pruning, rebuilds that switch
# atomically or leave the live index alone, one writer at a time, kill -9
# at chosen and random moments, searches during switches, and a full disk.
SUITE=lifecycle
. "$(dirname "$0")/lib.sh"

# mkcorpus DIR PREFIX WORD N: N articles PREFIX-NN.txt that all contain
# "common", WORD, and a word of their own.
mkcorpus() {
    mkdir -p "$1"
    python3 - "$@" <<'PY'
import sys
d, prefix, word, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for i in range(n):
    with open("%s/%s-%02d.txt" % (d, prefix, i), "w") as f:
        f.write("Title: %s report %d\nDate: 2024-%02d-%02d\n\n" % (word, i, 1 + i % 12, 1 + i % 28))
        f.write("A common article about %s, number %d, with the word uniq%s%d. " % (word, i, prefix, i) * 20 + "\n")
PY
}
rev() { xapian-delve "$1" | sed -n 's/^revision = //p'; }
count() { "$QQ" -d "$1" --count "${2:-common}" 2>/dev/null; }
leftovers() { ls -d "$1".v*.building "$1".switch 2>/dev/null | tr '\n' ' '; }


C1="$T/c1"
mkcorpus "$C1" doc alpha 40
U="$T/u.idx"
"$QI" -q -d "$U" "$C1"

# --- Updates ---------------------------------------------------------------
r1=$(rev "$U")
touch "$T/marker"
sleep 1
expect_status update_unchanged 0 "$QI" -d "$U" --update "$C1"
expect_grep update_says_nothing '^nothing changed' "$T/out"
expect_eq update_unchanged_same_revision "$r1" "$(rev "$U")"
# (flintlock is Xapian's lock file, touched by every writer; not content)
expect_eq update_unchanged_writes_nothing "" "$(find "$U/" -newer "$T/marker" -type f ! -name flintlock | tr '\n' ' ')"

rm "$C1/doc-03.txt"
echo "A new paragraph." >>"$C1/doc-05.txt"
expect_status prune 0 "$QI" -d "$U" --update --prune "$C1"
expect_grep prune_counts '0 added, 1 replaced, 38 unchanged, 1 deleted, 0 skipped' "$T/out"
expect_eq prune_count 39 "$(count "$U")"
expect_status pruned_id_gone 1 "$QQ" -d "$U" 'id:doc-03.txt'

printf 'binary\000\001\002\003\004\005\006\007\010\016\017\020\021\022\023\024' >"$C1/zz-binary.dat"
rm "$C1/doc-04.txt"
expect_status prune_refused_after_skip 1 "$QI" -d "$U" --update --prune "$C1"
expect_grep prune_refused_msg 'not pruning: 1 input was skipped' "$T/err"
expect_eq prune_refused_keeps_doc 39 "$(count "$U")"
expect_status prune_keep_going 0 "$QI" -d "$U" --update --prune --keep-going "$C1"
expect_eq prune_keep_going_count 38 "$(count "$U")"
rm "$C1/zz-binary.dat"

# --- Rebuilds --------------------------------------------------------------
expect_status rebuild 0 "$QI" -d "$U" --rebuild "$C1"
case "$(readlink "$U")" in u.idx.v[0-9]*) ok rebuild_makes_version_link ;; *) fail rebuild_makes_version_link "$(ls -l "$U")" ;; esac
expect_eq rebuild_old_removed 1 "$(ls -d "$U".v* | wc -l)"
expect_eq rebuild_count 38 "$(count "$U")"
check rebuild_check xapian-check "$U"
expect_status rebuild_keep_previous 0 "$QI" -d "$U" --rebuild --keep-previous "$C1"
expect_eq keep_previous_two_versions 2 "$(ls -d "$U".v* | wc -l)"
prev=$(ls -d "$U".v* | grep -v "$(readlink "$U")\$")
check keep_previous_is_an_index xapian-check "$prev"
expect_status rebuild_drops_previous 0 "$QI" -d "$U" --rebuild "$C1"
expect_eq only_live_version_left 1 "$(ls -d "$U".v* | wc -l)"

live=$(readlink "$U")
r_live=$(rev "$U")
cp "$TD/edge/binary.dat" "$C1/zz-binary.dat"
expect_status rebuild_abandoned_on_skip 1 "$QI" -d "$U" --rebuild "$C1"
expect_grep rebuild_abandoned_msg 'rebuild abandoned because input was skipped' "$T/err"
expect_eq rebuild_abandoned_same_link "$live" "$(readlink "$U")"
expect_eq rebuild_abandoned_same_revision "$r_live" "$(rev "$U")"
expect_eq rebuild_abandoned_no_leftovers "" "$(leftovers "$U")$(ls -d "$U".v* | grep -v "$live\$")"
expect_status rebuild_keep_going 0 "$QI" -d "$U" --rebuild --keep-going "$C1"
rm "$C1/zz-binary.dat"
expect_status rebuild_new_config 0 "$QI" -d "$U" --rebuild --lang de --fold-accents "$C1"
"$QI" -d "$U" --stats >"$T/stats"
expect_grep rebuild_config_changed 'analyzer: +lang=de stopwords=query fold_accents=1' "$T/stats"
expect_grep stats_documents '^documents: +38$' "$T/stats"
expect_grep stats_last_update '^last update: +20[0-9-]+T[0-9:]+Z \(quire ' "$T/stats"
"$QI" -d "$U" --stats --stats-json >"$T/stats.json"
expect_eq stats_json "38 de" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["documents"], d["config"].split()[0][5:])' "$T/stats.json")"

expect_status compact 0 "$QI" -d "$U" --compact
check compact_check xapian-check "$U"
expect_eq compact_count 38 "$(count "$U")"
expect_status delete 0 "$QI" -d "$U" --delete doc-00.txt doc-01.txt
expect_eq delete_count 36 "$(count "$U")"
expect_status delete_missing 1 "$QI" -d "$U" --delete doc-00.txt
expect_grep delete_missing_msg "no document with id 'doc-00.txt'" "$T/err"

# --- One writer at a time ----------------------------------------------------
C2="$T/c2"
mkcorpus "$C2" new beta 30
W="$T/w.idx"
"$QI" -q -d "$W" "$C1"
QUIRE_TEST_PAUSE=commit "$QIT" -q -d "$W" --batch 5 "$C2" 2>"$T/w1.err" &
w1=$!
if wait_for "$T/w1.err" "test pause at commit"; then
    expect_status second_writer_refused 2 "$QI" -d "$W" "$C1"
    expect_grep second_writer_names_holder "locked by another writer \\(pid $w1, update" "$T/err"
    "$QI" -q -d "$W" --wait 30 "$C1" >"$T/w3.out" 2>&1 &
    w3=$!
    sleep 0.5
    kill -9 "$w1"
    wait "$w1" 2>/dev/null
    wait "$w3"
    expect_eq waiting_writer_gets_in 0 $?
else
    fail writers "the first writer never reached its pause"
    kill -9 "$w1" 2>/dev/null
fi

# --- kill -9 at chosen points ------------------------------------------------
# crash_at NAME POINT INDEX CMD...: run CMD paused at POINT, kill -9 it
# there, then check the index, a search, a rerun and the cleanup.
crash_at() {
    _n=$1 _point=$2 _idx=$3
    shift 3
    _before=$(count "$_idx")
    QUIRE_TEST_PAUSE=$_point "$@" >/dev/null 2>"$T/crash.err" &
    _pid=$!
    if ! wait_for "$T/crash.err" "test pause at $_point"; then
        fail "$_n" "never reached $_point: $(head -c 300 "$T/crash.err")"
        kill -9 $_pid 2>/dev/null
        return
    fi
    kill -9 $_pid
    wait $_pid 2>/dev/null
    if xapian-check "$_idx" >/dev/null 2>&1; then ok "${_n}_check"; else fail "${_n}_check" "xapian-check failed"; fi
    _after=$(count "$_idx")
    if [ -n "$_after" ] && [ "$_after" -ge 0 ]; then ok "${_n}_search"; else fail "${_n}_search" "search failed"; fi
    expect_eq "${_n}_live_unchanged" "$_before" "$_after"
    "$@" >/dev/null 2>"$T/rerun.err"
    expect_eq "${_n}_rerun" 0 $?
    expect_eq "${_n}_no_leftovers" "" "$(leftovers "$_idx")"
    if xapian-check "$_idx" >/dev/null 2>&1; then ok "${_n}_check_after"; else fail "${_n}_check_after" "xapian-check failed"; fi
}
K="$T/k.idx"
"$QI" -q -d "$K" "$C1"
crash_at kill_update_in_commit commit "$K" "$QIT" -q -d "$K" --batch 5 "$C2"
rm -rf "$K" "$K".*
"$QI" -q -d "$K" "$C1"
crash_at kill_rebuild_building commit "$K" "$QIT" -q -d "$K" --rebuild --batch 5 "$C2"
crash_at kill_rebuild_compacted compacted "$K" "$QIT" -q -d "$K" --rebuild "$C1"
rm -rf "$K" "$K".*
"$QI" -q -d "$K" "$C1"
# From a plain directory: killed between the exchange and naming the old one.
QUIRE_TEST_PAUSE=exchanged "$QIT" -q -d "$K" --rebuild "$C1" 2>"$T/crash.err" &
pid=$!
if wait_for "$T/crash.err" "test pause at exchanged"; then
    kill -9 $pid
    wait $pid 2>/dev/null
    check kill_exchanged_check xapian-check "$K"
    expect_eq kill_exchanged_search "$(ls "$C1" | wc -l)" "$(count "$K")"
    expect_status kill_exchanged_rerun 0 "$QI" -q -d "$K" --update "$C1"
    expect_eq kill_exchanged_cleaned "" "$(leftovers "$K")"
else
    fail kill_exchanged "never paused"
    kill -9 $pid 2>/dev/null
fi
crash_at kill_rebuild_switched switched "$K" "$QIT" -q -d "$K" --rebuild "$C1"

# --- kill -9 at random moments ----------------------------------------------
R="$T/r.idx"
"$QI" -q -d "$R" "$C1"
base=$(count "$R")
for i in 1 2 3 4 5 6; do
    "$QI" -q -d "$R" --batch 1 "$C2" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((i * 13 % 9 + 1))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    xapian-check "$R" >/dev/null 2>&1 || fail "random_update_kill_$i" "xapian-check failed"
    n=$(count "$R")
    [ -n "$n" ] && [ "$n" -ge "$base" ] || fail "random_update_kill_$i" "search gave [$n]"
    "$QI" -q -d "$R" --rebuild "$C1" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((i * 7 % 9 + 1))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    xapian-check "$R" >/dev/null 2>&1 || fail "random_rebuild_kill_$i" "xapian-check failed"
    [ -n "$(count "$R")" ] || fail "random_rebuild_kill_$i" "search failed"
done
ok random_kills_leave_valid_indexes
expect_status random_kills_rerun 0 "$QI" -q -d "$R" --rebuild "$C1"
expect_eq random_kills_cleaned "" "$(leftovers "$R")"

# --- Searches while rebuilds switch and updates commit ----------------------
A="$T/A" B="$T/B" S="$T/s.idx"
mkcorpus "$A" a alpha 60
mkcorpus "$B" b beta 60
"$QI" -q -d "$S" --rebuild "$A"
: >"$T/bad"
: >"$T/n"
(
    while [ ! -f "$T/stop" ]; do
        if "$QQ" -d "$S" -f ids -n 1000 common >"$T/ids" 2>"$T/qerr"; then
            # One version per answer: never a- and b- documents together.
            if grep -q '^a-' "$T/ids" && grep -q '^b-' "$T/ids"; then echo mixed >>"$T/bad"; fi
        else
            echo "search failed: $(cat "$T/qerr")" >>"$T/bad"
        fi
        echo . >>"$T/n"
    done
) &
loop=$!
mkdir -p "$T/C"
for i in 1 2 3 4; do
    "$QI" -q -d "$S" --rebuild "$B"
    mkcorpus "$T/C" c$i common 3
    "$QI" -q -d "$S" --update "$T/C"
    "$QI" -q -d "$S" --rebuild "$A"
done
touch "$T/stop"
wait $loop
expect_eq searches_during_switches_never_fail "" "$(sort "$T/bad" | uniq -c | head -3)"
n=$(wc -l <"$T/n")
if [ "$n" -ge 10 ]; then ok searches_ran; else fail searches_ran "only $n searches"; fi

# --- --update gives what a fresh --rebuild gives -----------------------------
E="$T/e" E1="$T/e1.idx" E2="$T/e2.idx"
mkcorpus "$E" e gamma 25
"$QI" -q -d "$E1" "$E"
rm "$E/e-02.txt" "$E/e-07.txt"
echo "An added line about artillery." >>"$E/e-10.txt"
echo "More text, gamma gamma." >>"$E/e-11.txt"
mkcorpus "$T/e-extra" x delta 2
cp "$T/e-extra/"* "$E/"
"$QI" -q -d "$E1" --update --prune "$E"
"$QI" -q -d "$E2" --rebuild "$E"
for q in common gamma artillery delta 'uniqe5 OR uniqe10' '"common article"' 'date:2024-03'; do
    "$QQ" -d "$E1" -f json -n 100 "$q" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["total"], sorted((h["id"], round(h["score"], 6)) for h in d["hits"]))' >"$T/r1"
    "$QQ" -d "$E2" -f json -n 100 "$q" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["total"], sorted((h["id"], round(h["score"], 6)) for h in d["hits"]))' >"$T/r2"
    if cmp -s "$T/r1" "$T/r2"; then ok "update_equals_rebuild_$q"; else fail "update_equals_rebuild_$q" "$(head -c 200 "$T/r1") vs $(head -c 200 "$T/r2")"; fi
done

# --- A full disk --------------------------------------------------------------
F="$T/f.idx"
"$QI" -q -d "$F" "$C1"
before=$(count "$F")
r_before=$(rev "$F")
mkcorpus "$T/big" big omega 3000
if command -v prlimit >/dev/null 2>&1; then
    expect_status disk_full_update 2 prlimit --fsize=200000 "$QI" -d "$F" "$T/big"
    expect_grep disk_full_message 'File too large|No space left' "$T/err"
    check disk_full_index_valid xapian-check "$F"
    expect_eq disk_full_index_intact "$before" "$(count "$F")"
    expect_eq disk_full_same_revision "$r_before" "$(rev "$F")"
    expect_status disk_full_rebuild 2 prlimit --fsize=200000 "$QI" -d "$F" --rebuild "$T/big"
    expect_eq disk_full_rebuild_live_intact "$before" "$(count "$F")"
    expect_eq disk_full_rebuild_no_leftovers "" "$(leftovers "$F")$(ls -d "$F".v* 2>/dev/null | tr '\n' ' ')"
else
    skip disk_full "no prlimit"
fi
if [ "$(id -u)" = 0 ] && mkdir -p "$T/mnt" && mount -t tmpfs -o size=400k tmpfs "$T/mnt" 2>/dev/null; then
    "$QI" -q -d "$T/mnt/t.idx" "$C1"
    tb=$(count "$T/mnt/t.idx")
    expect_status tmpfs_full 2 "$QI" -d "$T/mnt/t.idx" "$T/big"
    expect_grep tmpfs_full_message 'No space left' "$T/err"
    check tmpfs_index_valid xapian-check "$T/mnt/t.idx"
    expect_eq tmpfs_index_intact "$tb" "$(count "$T/mnt/t.idx")"
    umount "$T/mnt"
else
    skip tmpfs_full "cannot mount a small tmpfs here (prlimit covers the full disk)"
fi
rm -rf "$T"

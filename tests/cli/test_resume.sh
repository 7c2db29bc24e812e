# test_resume.sh — a killed first build is resumed (issue 13, item 2). A
# new index built in parallel is killed with -9 at several points (synchronised
# through the library's test pauses, lib/testpause.h), and the same command
# run again must continue from the committed segments (documents already
# written recognised by id and checksum, reported as unchanged) and end with
# the index an uninterrupted build makes: the same documents, the same hits
# and scores.
SUITE=resume
. "$(dirname "$0")/lib.sh"

mkcorpus() {
    mkdir -p "$1"
    python3 - "$@" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
words = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()
for i in range(n):
    with open("%s/doc-%03d.txt" % (d, i), "w") as f:
        f.write("Title: Report %d on %s\nDate: 2024-%02d-%02d\n\n" % (i, words[i % 11], 1 + i % 12, 1 + i % 28))
        f.write(("A common article about %s and %s, number %d, with the word uniq%d. "
                 % (words[i % 11], words[(i * 7) % 11], i, i)) * (10 + i % 30) + "\n")
PY
}


# fingerprint INDEX: every id, then the hits and scores of a few queries.
fingerprint() {
    python3 - "$QQ" "$1" <<'PY'
import json, subprocess, sys
qq, idx = sys.argv[1], sys.argv[2]
ids = subprocess.run([qq, "-d", idx, "-f", "ids", "-n", "100000", "--", "-zzzznotaword"],
                     capture_output=True, text=True, check=True).stdout.split("\n")
print(len(ids) - 1, sorted(ids))
for q in ["common", "alpha", "gamma OR sigma", '"common article"', "date:2024-03", "uniq7 OR uniq77 OR uniq107"]:
    out = subprocess.run([qq, "-d", idx, "-f", "json", "-n", "200", q], capture_output=True, text=True,
                         check=True).stdout
    d = json.loads(out)
    print(q, d["total"], sorted((h["id"], round(h["score"], 6)) for h in d["hits"]))
PY
}
leftovers() { ls -d "$1".new* 2>/dev/null | tr '\n' ' '; }

# Small batches and segments: many commits, several segments per thread.
export QUIRE_SEGMENT_BYTES=30000
OPTS="--threads 2 --batch 10"
C="$T/corpus"
mkcorpus "$C" 120
# shellcheck disable=SC2086
"$QI" -q -d "$T/ref.idx" $OPTS "$C"
fingerprint "$T/ref.idx" >"$T/ref.fp"
expect_eq reference_count 120 "$(doc_count "$T/ref.idx")"
# The fingerprint holds every id and a line per query (a failed run of
# quire-query would leave it short, and two short ones alike).
expect_eq reference_fingerprint "120 7" "$(head -c 4 "$T/ref.fp" | tr -d ' ') $(wc -l <"$T/ref.fp" | tr -d ' ')"

# killed_at NAME POINT INDEX ARGS...: run quire-index -d INDEX ARGS paused
# at POINT, kill -9 it there; 0 if it got there.
killed_at() {
    _n=$1 _point=$2 _idx=$3
    shift 3
    : >"$T/kill.err" # (before the writer starts: no stale pause message)
    QUIRE_TEST_PAUSE=$_point "$QIT" -q -d "$_idx" "$@" >/dev/null 2>"$T/kill.err" &
    _pid=$!
    if ! wait_for "$T/kill.err" "test pause at ${_point%%:*}"; then
        fail "$_n" "never reached $_point: $(head -c 300 "$T/kill.err")"
        kill -9 $_pid 2>/dev/null
        wait $_pid 2>/dev/null
        return 1
    fi
    kill -9 $_pid
    wait $_pid 2>/dev/null
    return 0
}

# resumed NAME INDEX MIN_UNCHANGED REF ARGS...: after a kill, nothing is
# visible yet; the rerun resumes (at least MIN_UNCHANGED documents found
# written), leaves nothing behind, and gives what REF (a fingerprint) says.
resumed() {
    _rn=$1 _idx=$2 _min=$3 _ref=$4
    shift 4
    if [ -e "$_idx" ]; then fail "${_rn}_not_visible" "$_idx exists after the kill"; else ok "${_rn}_not_visible"; fi
    "$QI" -d "$_idx" "$@" >"$T/rerun.out" 2>"$T/rerun.err"
    expect_eq "${_rn}_rerun" 0 $?
    unchanged=$(sed -n 's/.* \([0-9]*\) unchanged.*/\1/p' "$T/rerun.out")
    if [ -n "$unchanged" ] && [ "$unchanged" -ge "$_min" ]; then
        ok "${_rn}_resumed ($unchanged documents kept)"
    else
        fail "${_rn}_resumed" "[$unchanged] unchanged, wanted at least $_min: $(cat "$T/rerun.out" "$T/rerun.err")"
    fi
    _bad=""
    for _db in "$_idx" "$_idx"/shard-*; do
        [ -f "$_db/iamglass" ] || continue
        xapian-check "$_db" >/dev/null 2>&1 || _bad="$_bad $_db"
    done
    expect_eq "${_rn}_xapian_check" "" "$_bad"
    fingerprint "$_idx" >"$T/got.fp"
    if cmp -s "$_ref" "$T/got.fp"; then ok "${_rn}_same_as_uninterrupted"; else fail "${_rn}_same_as_uninterrupted" "$(diff "$_ref" "$T/got.fp" | head -5)"; fi
    expect_eq "${_rn}_no_leftovers" "" "$(leftovers "$_idx")"
}

# Killed before, during and after the first commits, before the merge,
# and after it (before the merged index is moved into place).
X="$T/x.idx"
# shellcheck disable=SC2086
for point in commit:1 commit:4 commit:9 merging merged; do
    name=kill_$(echo $point | tr : _)
    rm -rf "$X" "$X".*
    min=1
    case $point in commit:1) min=0 ;; merging | merged) min=120 ;; esac
    if killed_at "$name" $point "$X" $OPTS "$C"; then
        resumed "$name" "$X" $min "$T/ref.fp" $OPTS "$C"
    fi
done

# Killed twice: the second run (itself resuming) is killed too.
rm -rf "$X" "$X".*
# shellcheck disable=SC2086
if killed_at twice_first commit:4 "$X" $OPTS "$C" && killed_at twice_second commit:2 "$X" $OPTS "$C"; then
    # At least 20 kept: when the 4th commit pauses, the other thread's
    # commit before it may still be under way when the kill lands.
    resumed twice "$X" 20 "$T/ref.fp" $OPTS "$C"
fi

# The sources change between the kill and the rerun: a document edited,
# one removed, one added. The result is what an uninterrupted build of
# the new sources gives (nothing the killed run wrote survives unread).
rm -rf "$X" "$X".*
cp -r "$C" "$T/c2"
# shellcheck disable=SC2086
if killed_at changed commit:8 "$X" $OPTS "$C"; then
    echo "An added sentence about walruses." >>"$T/c2/doc-003.txt"
    rm "$T/c2/doc-005.txt" "$T/c2/doc-011.txt"
    printf 'Title: Latecomer\n\nA common article about a walrus.\n' >"$T/c2/doc-500.txt"
    "$QI" -q -d "$T/ref2.idx" $OPTS "$T/c2"
    fingerprint "$T/ref2.idx" >"$T/ref2.fp"
    resumed changed "$X" 1 "$T/ref2.fp" $OPTS "$T/c2"
    expect_eq changed_count 119 "$(doc_count "$X")"
    expect_status changed_removed_gone 1 "$QQ" -d "$X" 'id:doc-005.txt'
    expect_eq changed_edit_kept doc-003.txt "$("$QQ" -d "$X" -f ids sentence)"
fi

# A sharded new index resumes the same way.
S="$T/s.idx"
"$QI" -q -d "$T/sref.idx" --shards 2 --batch 10 "$C"
fingerprint "$T/sref.idx" >"$T/sref.fp"
if killed_at sharded commit:5 "$S" --shards 2 --batch 10 "$C"; then
    resumed sharded "$S" 1 "$T/sref.fp" --shards 2 --batch 10 "$C"
    expect_eq sharded_layout "shard-0 shard-1" "$(ls -d "$S"/shard-* | sed 's|.*/||' | tr '\n' ' ' | sed 's/ $//')"
fi

# Other settings: what the killed run wrote is not used.
rm -rf "$X" "$X".*
# shellcheck disable=SC2086
if killed_at other_settings commit:5 "$X" $OPTS "$C"; then
    "$QI" -d "$X" $OPTS --lang de "$C" >"$T/out" 2>"$T/err"
    expect_eq other_settings_exit 0 $?
    expect_grep other_settings_starts_over ' 120 added, 0 replaced, 0 unchanged' "$T/out"
    "$QI" -d "$X" --stats >"$T/stats"
    expect_grep other_settings_config 'analyzer: +lang=de' "$T/stats"
    expect_eq other_settings_count 120 "$(doc_count "$X")"
fi

# One writer: a single-threaded build does not resume, and clears them.
rm -rf "$X" "$X".*
# shellcheck disable=SC2086
if killed_at single commit:5 "$X" $OPTS "$C"; then
    expect_status single_writer_builds 0 "$QI" -q -d "$X" --threads 1 "$C"
    expect_eq single_writer_clears "" "$(leftovers "$X")"
    expect_eq single_writer_count 120 "$(doc_count "$X")"
fi

# SIGTERM: the build stops, keeps its segments, and the rerun resumes.
rm -rf "$X" "$X".*
# shellcheck disable=SC2086
QUIRE_TEST_PAUSE=commit:6 QUIRE_TEST_RESUME="$T/go" "$QIT" -q -d "$X" $OPTS "$C" 2>"$T/term.err" &
pid=$!
if wait_for "$T/term.err" "test pause at commit"; then
    kill -TERM $pid
    wait_for "$T/term.err" "interrupted; finishing up"
    touch "$T/go"
    wait $pid
    expect_eq sigterm_exit 2 $?
    expect_grep sigterm_msg 'run the same command again to go on' "$T/term.err"
    resumed sigterm "$X" 40 "$T/ref.fp" $OPTS "$C"
else
    fail sigterm "never paused: $(cat "$T/term.err")"
    kill -9 $pid 2>/dev/null
fi
rm -rf "$T"

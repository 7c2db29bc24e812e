# test_writer_faults.sh — writers under an operator's worst night (issue 13,
# items 1 and 3): a lock file removed or replaced under a running writer,
# and SIGINT/SIGTERM ending a writer within seconds even when it is stuck.
# Processes are synchronised through the library's test pause points
# (lib/testpause.h), never by timing.
SUITE=writer_faults
. "$(dirname "$0")/lib.sh"

mkcorpus() {
    mkdir -p "$1"
    python3 - "$@" <<'PY'
import sys
d, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    with open("%s/%s-%03d.txt" % (d, prefix, i), "w") as f:
        f.write("Title: %s report %d\n\n" % (prefix, i))
        f.write("A common article, number %d, with the word uniq%s%d. " % (i, prefix, i) * 20 + "\n")
PY
}
count() { "$QQ" -d "$1" --count "${2:-common}" 2>/dev/null; }


# finishes NAME GOFILE PID INDEX: let the paused writer PID go on; it must
# end well with all 70 documents of C1 and C2 in INDEX.
finishes() {
    touch "$2"
    wait "$3"
    expect_eq "${1}_finishes" 0 "$?"
    expect_eq "${1}_result" 70 "$(count "$4")"
}

C1="$T/c1" C2="$T/c2"
mkcorpus "$C1" a 40
mkcorpus "$C2" b 30

# --- The lock file removed under a rebuild (item 3) --------------------------
# The issue's case: a rebuild runs, its lock file is deleted, an update
# starts. The update must refuse, and take nothing the rebuild owns.
X="$T/x.idx"
"$QI" -q -d "$X" "$C1"
QUIRE_TEST_PAUSE=commit QUIRE_TEST_RESUME="$T/go1" "$QIT" -q -d "$X" --rebuild --threads 1 "$C1" "$C2" 2>"$T/r.err" &
rb=$!
if wait_for "$T/r.err" "test pause at commit"; then
    building=$(ls -d "$X".v*.building)
    [ -n "$building" ] || fail lock_removed_building "no .building directory while the rebuild is paused"
    rm "$X.lock"
    expect_status lock_removed_update_refused 2 "$QI" -d "$X" --update "$C2"
    expect_grep lock_removed_update_msg "locked by another writer \\(pid $rb, rebuild, .*lock file .*x.idx.lock was removed" "$T/err"
    expect_status lock_removed_rebuild_refused 2 "$QI" -d "$X" --rebuild "$C2"
    expect_status lock_removed_compact_refused 2 "$QI" -d "$X" --compact
    expect_status lock_removed_delete_refused 2 "$QI" -d "$X" --delete a-001.txt
    expect_eq lock_removed_building_kept "$building" "$(ls -d "$X".v*.building 2>/dev/null)"
    finishes lock_removed_rebuild "$T/go1" $rb "$X"
    check lock_removed_index_valid xapian-check "$X"
else
    fail lock_removed "the rebuild never paused: $(cat "$T/r.err")"
    kill -9 $rb 2>/dev/null
fi

# The same under an update, which holds Xapian's own lock on the live
# database: a rebuild beside it would switch its commits away.
Y="$T/y.idx"
"$QI" -q -d "$Y" "$C1"
QUIRE_TEST_PAUSE=commit QUIRE_TEST_RESUME="$T/go2" "$QIT" -q -d "$Y" --batch 5 "$C2" 2>"$T/u.err" &
up=$!
if wait_for "$T/u.err" "test pause at commit"; then
    rm "$Y.lock"
    expect_status lock_removed_under_update_rebuild 2 "$QI" -d "$Y" --rebuild "$C1"
    expect_grep lock_removed_under_update_msg 'being written by another writer, although its lock file' "$T/err"
    expect_status lock_removed_under_update_update 2 "$QI" -d "$Y" --update "$C1"
    finishes lock_removed_update "$T/go2" $up "$Y"
else
    fail lock_removed_under_update "the update never paused: $(cat "$T/u.err")"
    kill -9 $up 2>/dev/null
fi

# The lock file replaced between a writer's open() and its flock(): it must
# lock the file now at the name (held by another writer), not the old one.
Z="$T/z.idx"
"$QI" -q -d "$Z" "$C1"
QUIRE_TEST_PAUSE=lock-opened QUIRE_TEST_RESUME="$T/go3" "$QIT" -q -d "$Z" --rebuild "$C2" 2>"$T/b.err" &
late=$!
if wait_for "$T/b.err" "test pause at lock-opened"; then
    mv "$Z.lock" "$T/old.lock"
    QUIRE_TEST_PAUSE=commit QUIRE_TEST_RESUME="$T/go4" "$QIT" -q -d "$Z" --batch 5 "$C2" 2>"$T/c.err" &
    holder=$!
    if wait_for "$T/c.err" "test pause at commit"; then
        touch "$T/go3"
        wait $late
        expect_eq lock_replaced_refused 2 "$?"
        expect_grep lock_replaced_names_holder "locked by another writer \\(pid $holder, update" "$T/b.err"
    else
        fail lock_replaced "the second writer never paused: $(cat "$T/c.err")"
        touch "$T/go3"
        wait $late
    fi
    finishes lock_replaced_holder "$T/go4" $holder "$Z"
else
    fail lock_replaced "the writer never paused: $(cat "$T/b.err")"
    kill -9 $late 2>/dev/null
fi

# A dead writer's owner file is no obstacle: kill -9 a rebuild, delete its
# lock file, and the next writer cleans up after it.
QUIRE_TEST_PAUSE=commit "$QIT" -q -d "$X" --rebuild --threads 1 "$C1" 2>"$T/k.err" &
dead=$!
if wait_for "$T/k.err" "test pause at commit"; then
    kill -9 $dead
    wait $dead 2>/dev/null
    rm -f "$X.lock"
    expect_status dead_owner_update_runs 0 "$QI" -q -d "$X" --update "$C1"
    expect_eq dead_owner_cleaned "" "$(ls -d "$X".v*.building "$X".v*.owner 2>/dev/null)"
else
    fail dead_owner "the rebuild never paused"
    kill -9 $dead 2>/dev/null
fi

# --- SIGINT/SIGTERM end a writer within seconds (item 1) -----------------------
# wait_guarded PID: its exit status; a writer still there after 120 s (far
# beyond the 5 s grace period) is killed and reported as hung (255).
wait_guarded() {
    (sleep 120 && kill -9 "$1" 2>/dev/null && : >"$T/hung.$1") &
    _g=$!
    wait "$1"
    _rc=$?
    kill $_g 2>/dev/null
    wait $_g 2>/dev/null
    [ -f "$T/hung.$1" ] && _rc=255
    return $_rc
}
S="$T/s.idx"
"$QI" -q -d "$S" "$C1"
# Stuck inside a commit (QUIRE_TEST_HANG stands in for libxapian looping on a
# damaged block): one SIGTERM ends it after the grace period, the index as
# of its last commit (the first batch of 5).
QUIRE_TEST_PAUSE=commit:2 QUIRE_TEST_HANG=1 "$QIT" -q -d "$S" --batch 5 "$C2" 2>"$T/h.err" &
pid=$!
if wait_for "$T/h.err" "test pause at commit"; then
    kill -TERM $pid
    wait_guarded $pid
    expect_eq sigterm_stuck_writer_ends 2 "$?"
    expect_grep sigterm_stuck_writer_msg 'still busy after the signal; stopping now \(the index is as of its last commit\)' "$T/h.err"
    check sigterm_stuck_index_valid xapian-check "$S"
    expect_eq sigterm_stuck_last_commit 45 "$(count "$S")"
else
    fail sigterm_stuck "never paused: $(cat "$T/h.err")"
    kill -9 $pid 2>/dev/null
fi
# A second signal ends it at once.
QUIRE_TEST_PAUSE=commit:2 QUIRE_TEST_HANG=1 "$QIT" -q -d "$S" --batch 5 "$C2" 2>"$T/h2.err" &
pid=$!
if wait_for "$T/h2.err" "test pause at commit"; then
    kill -INT $pid
    if wait_for "$T/h2.err" "interrupted; finishing up"; then
        kill -INT $pid
        wait_guarded $pid
        expect_eq second_signal_ends 2 "$?"
        expect_grep second_signal_msg 'stopping at once \(the index is as of its last commit\)' "$T/h2.err"
    else
        fail second_signal "no message after the first signal: $(cat "$T/h2.err")"
        kill -9 $pid 2>/dev/null
    fi
    check second_signal_index_valid xapian-check "$S"
    expect_eq second_signal_last_commit 50 "$(count "$S")"
else
    fail second_signal "never paused: $(cat "$T/h2.err")"
    kill -9 $pid 2>/dev/null
fi
# Not stuck: the writer stops after the document in hand and keeps its
# commits (here paused before its second commit, resumed after the signal).
rm -rf "$S" "$S".*
"$QI" -q -d "$S" "$C1"
QUIRE_TEST_PAUSE=commit:2 QUIRE_TEST_RESUME="$T/go5" "$QIT" -q -d "$S" --batch 5 "$C2" 2>"$T/g.err" &
pid=$!
if wait_for "$T/g.err" "test pause at commit"; then
    kill -TERM $pid
    wait_for "$T/g.err" "interrupted; finishing up"
    touch "$T/go5"
    wait_guarded $pid
    expect_eq sigterm_graceful_exit 2 "$?"
    expect_grep sigterm_graceful_msg 'interrupted; what was committed is kept' "$T/g.err"
    expect_eq sigterm_graceful_kept 50 "$(count "$S")"
    check sigterm_graceful_valid xapian-check "$S"
    expect_status sigterm_graceful_rerun 0 "$QI" -q -d "$S" "$C2"
    expect_eq sigterm_graceful_rerun_all 70 "$(count "$S")"
else
    fail sigterm_graceful "never paused: $(cat "$T/g.err")"
    kill -9 $pid 2>/dev/null
fi
# A rebuild stuck in its commit: same, and the live index is untouched.
QUIRE_TEST_PAUSE=commit QUIRE_TEST_HANG=1 "$QIT" -q -d "$S" --rebuild --threads 1 "$C1" 2>"$T/r2.err" &
pid=$!
if wait_for "$T/r2.err" "test pause at commit"; then
    kill -TERM $pid
    wait_guarded $pid
    expect_eq sigterm_rebuild_ends 2 "$?"
    expect_eq sigterm_rebuild_live_intact 70 "$(count "$S")"
    expect_status sigterm_rebuild_rerun 0 "$QI" -q -d "$S" --rebuild "$C1"
    expect_eq sigterm_rebuild_cleaned "" "$(ls -d "$S".v*.building "$S".v*.owner 2>/dev/null)"
else
    fail sigterm_rebuild "never paused: $(cat "$T/r2.err")"
    kill -9 $pid 2>/dev/null
fi
rm -rf "$T"

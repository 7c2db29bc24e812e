# test_input_edges.sh — hostile input found by fault testing (issue 13,
# items 4-9): stub files that name themselves, nesting deeper than the
# stack, control characters in ids, invalid times in dates, paths longer
# than PATH_MAX, and the messages for a folder that is no index and for
# numbers out of range. Each must end in a clear message, never a crash.
SUITE=input_edges
. "$(dirname "$0")/lib.sh"
sanitized=${QUIRE_SANFLAGS:-}

IDX="$T/i.idx"
"$QI" -q -d "$IDX" "$TD/articles"

# --- Stub files that name themselves (item 4) -------------------------------
mkdir -p "$T/stubs/fold" "$T/stubs/deep"
(
    cd "$T/stubs" || exit 1
    echo 'auto self.stub' >self.stub
    echo 'auto b.stub' >a.stub
    echo 'auto a.stub' >b.stub
    echo 'auto .' >fold/XAPIANDB
    # Nine stubs, each naming the next, the last naming the index.
    for i in 1 2 3 4 5 6 7 8; do echo "auto d$((i + 1)).stub" >"deep/d$i.stub"; done
    echo "auto $IDX" >deep/d9.stub
    # Three, which is fine.
    echo 'auto d8.stub' >deep/ok.stub
)
S="$T/stubs"
expect_status stub_self_query 2 "$QQ" -d "$S/self.stub" oil
expect_grep stub_self_query_msg 'self.stub: the stub file names itself' "$T/err"
expect_status stub_self_stats 2 "$QI" -d "$S/self.stub" --stats
expect_grep stub_self_stats_msg 'self.stub: the stub file names itself' "$T/err"
expect_status stub_pair_query 2 "$QQ" -d "$S/a.stub" oil
expect_grep stub_pair_query_msg 'a.stub: stub files name each other in a cycle \(.*a.stub -> .*b.stub -> .*a.stub\)' "$T/err"
expect_status stub_pair_stats 2 "$QI" -d "$S/b.stub" --stats
expect_grep stub_pair_stats_msg 'b.stub: stub files name each other in a cycle' "$T/err"
expect_status stub_folder_query 2 "$QQ" -d "$S/fold" oil
expect_grep stub_folder_query_msg 'fold/XAPIANDB: the stub file names itself' "$T/err"
expect_status stub_folder_stats 2 "$QI" -d "$S/fold" --stats
expect_grep stub_folder_stats_msg 'fold/XAPIANDB: the stub file names itself' "$T/err"
echo "Title: x\n\nSome words." >"$T/one.txt"
expect_status stub_folder_update 2 "$QI" -d "$S/fold" "$T/one.txt"
expect_grep stub_folder_update_msg 'fold/XAPIANDB: shard .* is a stub file' "$T/err"
expect_status stub_folder_delete 2 "$QI" -d "$S/fold" --delete x
expect_status stub_too_deep 2 "$QQ" -d "$S/deep/d1.stub" oil
expect_grep stub_too_deep_msg 'd9.stub: stub files nested more than 8 deep' "$T/err"
expect_status stub_nested_ok 0 "$QQ" -d "$S/deep/ok.stub" -f ids oil
expect_eq stub_nested_same_hits "$("$QQ" -d "$IDX" -f ids oil)" "$(cat "$T/out")"

# --- Nesting deeper than the stack holds (item 5) ---------------------------
# The issue's reproduction: now refused as an option, with the bound.
python3 -c 'n = 25000; print("(" * n + "oil" + ")" * n)' >"$T/q25k"
expect_status depth_huge_refused 2 "$QQ" -d "$IDX" --max-depth 1000000 --max-query-bytes 1000000 "$(cat "$T/q25k")"
expect_grep depth_huge_msg 'max-depth needs a number from 1 to 1000' "$T/err"
expect_status depth_nested_25k 2 "$QQ" -d "$IDX" --max-depth 1000 --max-query-bytes 1000000 "$(cat "$T/q25k")"
expect_grep depth_nested_25k_msg 'nests deeper than 1000 levels' "$T/err"
# At the cap the parser fits a 1 MiB stack (4 MiB with the sanitizers'
# larger frames), which is what "provably holds" means here.
python3 -c 'n = 1000; print("(" * n + "oil" + ")" * n)' >"$T/q1000"
stack=1024
[ -n "$sanitized" ] && stack=4096
(ulimit -s $stack && exec "$QQ" -d "$IDX" --max-depth 1000 -f ids "$(cat "$T/q1000")") >"$T/out" 2>"$T/err"
rc=$?
expect_eq depth_at_cap_small_stack "0 $("$QQ" -d "$IDX" -f ids oil)" "$rc $(cat "$T/out")"
python3 -c 'n = 999; print("NOT (" * n + "oil" + ")" * n)' >"$T/qnot"
(ulimit -s $stack && exec "$QQ" -d "$IDX" --max-depth 1000 "$(cat "$T/qnot")") >"$T/out" 2>"$T/err"
expect_eq depth_not_small_stack 2 "$?"
expect_grep depth_not_small_stack_msg 'deeper than 1000 levels' "$T/err"

# --- Ids with control characters (item 6) -----------------------------------
printf '%s\n' '{"id":"line1\nline2","body":"walrus one"}' \
    '{"id":"a\r\u001b[31mred","body":"walrus two"}' \
    '{"id":"back\\slash\ttab\u009bc1","body":"walrus three"}' \
    '{"id":"plain-id.txt","body":"walrus four"}' >"$T/ids.jsonl"
"$QI" -q -d "$T/ids.idx" "$T/ids.jsonl"
"$QQ" -d "$T/ids.idx" -f ids -n 10 walrus >"$T/ids.out"
expect_eq ids_one_per_line 4 "$(wc -l <"$T/ids.out")"
expect_eq ids_no_control_bytes "" "$(tr -d '\n' <"$T/ids.out" | LC_ALL=C tr -d '\040-\176\200-\377' | od -An -c)"
expect_eq ids_escaped 'a\r\x1b[31mred|back\\slash\ttab\u009bc1|line1\nline2|plain-id.txt' "$(sort "$T/ids.out" | tr '\n' '|' | sed 's/|$//')"
"$QQ" -d "$T/ids.idx" -n 10 --no-snippets walrus >"$T/text.out"
expect_grep ids_text_format_same '^   line1\\nline2 \| score' "$T/text.out"
expect_eq ids_text_no_escape_sequence "" "$(LC_ALL=C grep -c "$(printf '\033')" "$T/text.out" | grep -v '^0$')"

# --- Invalid times in dates (item 7) ----------------------------------------
printf '%s\n' '{"id":"t1","body":"kiwi","date":"2024-10-22T25:99:00Z"}' \
    '{"id":"t2","body":"kiwi","date":"2024-10-22T10:00:00+99:99"}' \
    '{"id":"t3","body":"kiwi","date":"2024-02-30"}' \
    '{"id":"t4","body":"kiwi","date":"2024-10-22T10:30:00+02:00"}' >"$T/dates.jsonl"
printf 'Title: Bad time\nDate: 2024-10-22T24:30\n\nkiwi in a text file\n' >"$T/t5.txt"
expect_status bad_times_indexed 0 "$QI" -d "$T/dates.idx" "$T/dates.jsonl" "$T/t5.txt"
expect_grep bad_hour_warned 'dates.jsonl:1: date "2024-10-22T25:99:00Z" is not a valid ISO 8601 date' "$T/err"
expect_grep bad_zone_warned 'dates.jsonl:2: date "2024-10-22T10:00:00\+99:99" is not a valid' "$T/err"
expect_grep bad_day_warned 'dates.jsonl:3: date "2024-02-30" is not a valid' "$T/err"
expect_grep bad_text_time_warned 't5.txt: date "2024-10-22T24:30" is not a valid' "$T/err"
expect_eq bad_times_dropped "t4" "$("$QQ" -d "$T/dates.idx" -f ids 'date:2024-10-22')"
expect_eq bad_times_kept_docs 5 "$("$QQ" -d "$T/dates.idx" --count kiwi)"

# --- Paths longer than PATH_MAX (item 8) ------------------------------------
python3 - "$T/deep" <<'PY'
import os, sys
os.makedirs(sys.argv[1])
os.chdir(sys.argv[1])
for i in range(1500):
    os.mkdir("dd")
    os.chdir("dd")
with open("a.txt", "w") as f:
    f.write("Title: deep\n\nhello from the bottom\n")
PY
printf 'Title: shallow\n\nhello from the top\n' >"$T/deep/top.txt"
expect_status long_path_exit_1 1 "$QI" -d "$T/deep.idx" "$T/deep"
expect_grep long_path_cause 'skipped: its path is 4[0-9]{3} bytes, longer than the system allows \(4095\)' "$T/err"
expect_grep long_path_shortened '^quire-index: …/(dd/)+dd: skipped' "$T/err"
len=$(grep 'longer than the system' "$T/err" | awk '{ print length($0) }')
if [ -n "$len" ] && [ "$len" -lt 400 ]; then ok long_path_message_short; else fail long_path_message_short "length [$len]"; fi
expect_eq long_path_rest_indexed 1 "$("$QQ" -d "$T/deep.idx" --count hello)"
rm -rf "$T/deep"

# --- Messages (item 9) -------------------------------------------------------
mkdir -p "$T/emptydir" "$T/notidx"
echo x >"$T/notidx/file.txt"
expect_status not_index_query 2 "$QQ" -d "$T/notidx" oil
expect_grep not_index_query_msg 'notidx: not a quire index \(a directory without a Xapian database\)' "$T/err"
expect_status etc_query 2 "$QQ" -d /etc oil
expect_grep etc_query_msg '^quire-query: /etc: not a quire index' "$T/err"
expect_status empty_dir_query 2 "$QQ" -d "$T/emptydir" oil
expect_grep empty_dir_query_msg 'emptydir: not a quire index \(an empty directory\)' "$T/err"
expect_status missing_query 2 "$QQ" -d "$T/nothing-here" oil
expect_grep missing_query_msg 'nothing-here: no such index' "$T/err"
expect_status not_index_stats 2 "$QI" -d "$T/notidx" --stats
expect_grep not_index_stats_msg 'notidx: not a quire index' "$T/err"
expect_status limit_too_big 2 "$QQ" -d "$IDX" --limit 1000000000 oil
expect_grep limit_too_big_msg '--limit needs a number from 0 to 100000000: 1000000000' "$T/err"
expect_status offset_too_big 2 "$QQ" -d "$IDX" --offset 1000000000 oil
expect_grep offset_too_big_msg '--offset needs a number from 0 to 100000000' "$T/err"
expect_status limit_at_bound 0 "$QQ" -d "$IDX" --limit 100000000 --count oil
rm -rf "$T"

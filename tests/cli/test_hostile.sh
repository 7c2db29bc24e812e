# test_hostile.sh — hostile and broken input for both programs: huge lines
# and documents (with the memory bound), odd encodings, symlink loops,
# files that vanish, 100,000 files, ids that look like paths, absurd
# queries, damaged and foreign indexes. Each case must end in a clear
# message and the right exit status, never a crash or a damaged index.
SUITE=hostile
. "$(dirname "$0")/lib.sh"
ART="$TD/articles"
sanitized=${QUIRE_SANFLAGS:-}

# peak_rss_mb CMD...: run CMD (output to $T/out, $T/err); print its peak
# resident memory in MB and return its exit status.
peak_rss_mb() {
    python3 - "$T/out" "$T/err" "$@" <<'PY'
import os, resource, subprocess, sys
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "w") as o, open(err, "w") as e:
    rc = subprocess.call(cmd, stdout=o, stderr=e)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.exit(rc)
PY
}

# A 1 GiB JSON line from a pipe: skipped with its line named, memory stays
# bounded (the reader never holds the line), the next line is indexed.
big_line() {
    printf '{"id":"big","body":"'
    head -c 1073741824 /dev/zero | tr '\0' a
    printf '"}\n{"id":"small","body":"after the giant line"}\n'
}
big_line | "$QI" -d "$T/line.idx" --format jsonl - >"$T/out" 2>"$T/err"
expect_eq giant_line_exit_1 1 "$?"
expect_grep giant_line_named 'stdin:1: line longer than the maximum document size' "$T/err"
expect_eq giant_line_next_indexed 1 "$("$QQ" -d "$T/line.idx" --count giant)"

# A 200 MB single text document: cut at --max-doc-size (default 16 MiB)
# with a warning; peak memory about 12x the limit (README: Limits).
mkdir -p "$T/huge"
yes "The quick brown fox jumps over the lazy dog near the riverbank." | head -c 209715200 >"$T/huge/big.txt"
rss=$(peak_rss_mb "$QI" -d "$T/huge.idx" "$T/huge")
expect_eq huge_doc_exit_0 0 "$?"
expect_grep huge_doc_warned 'big.txt: larger than the maximum document size \(16777216 bytes\)' "$T/err"
expect_eq huge_doc_indexed 1 "$("$QQ" -d "$T/huge.idx" --count riverbank)"
if [ -z "$sanitized" ]; then
    if [ "$rss" -lt 512 ]; then ok "huge_doc_memory_bounded (${rss} MB)"; else fail huge_doc_memory_bounded "${rss} MB"; fi
else
    skip huge_doc_memory_bounded "sanitizer build: shadow memory inflates RSS"
fi
rm -rf "$T/huge"
yes "Words after words in a long file." | head -c 5000 >"$T/long.txt"
expect_status max_doc_size_option 0 "$QI" -d "$T/small.idx" --max-doc-size 2K "$T/long.txt"
expect_grep max_doc_size_cut 'larger than the maximum document size \(2048 bytes\)' "$T/err"

# Odd encodings are read, not skipped: UTF-16 with BOM, NUL bytes, invalid
# and overlong UTF-8 (replaced, reported with the line).
"$QI" -q -d "$T/edge.idx" --keep-going "$TD/edge" 2>"$T/err"
expect_eq utf16_searchable "utf16-bom.txt" "$("$QQ" -d "$T/edge.idx" -f ids 'endian' | sed 's|.*/||')"
expect_eq nul_bytes_searchable "nul-bytes.txt" "$("$QQ" -d "$T/edge.idx" -f ids '"this sentence"' | sed 's|.*/||')"
printf 'Title: Overlong\n\nAn overlong slash \300\257 and \340\200\257 here, then plain words.\n' >"$T/overlong.txt"
expect_status overlong_exit_0 0 "$QI" -d "$T/ol.idx" "$T/overlong.txt"
expect_grep overlong_reported 'overlong.txt: .*replaced' "$T/err"
expect_eq overlong_searchable 1 "$("$QQ" -d "$T/ol.idx" --count 'plain words')"

# JSON strings with an escaped NUL (kept as U+FFFD, with a warning) and a
# lone surrogate (the line is refused, named by line).
"$QI" -d "$T/json.idx" "$TD/edge/bad.jsonl" >/dev/null 2>"$T/err"
expect_grep escaped_nul_warned 'bad.jsonl:10: .*NUL' "$T/err"
expect_eq escaped_nul_indexed 1 "$("$QQ" -d "$T/json.idx" --count 'id:bad-10')"
expect_grep lone_surrogate_named 'bad.jsonl:11:' "$T/err"

# Symlink loops are reported once and do not stop the walk.
mkdir -p "$T/loop/sub"
cp "$ART/01-seoul-weighs-shells.txt" "$T/loop/sub/"
ln -s .. "$T/loop/sub/up"
ln -s "$T/loop" "$T/loop/self"
expect_status symlink_loop_exit_1 1 "$QI" -d "$T/loop.idx" "$T/loop"
expect_grep symlink_loop_named 'loop/self: directory already visited \(symlink loop\?\)' "$T/err"
expect_eq symlink_loop_one_doc 1 "$(doc_count "$T/loop.idx")"

# A file that vanishes between the directory walk and its reading: named,
# skipped, the rest indexed (a test pause holds the reader after the walk).
mkdir -p "$T/vanish"
cp "$ART"/0[1-3]*.txt "$T/vanish/"
QUIRE_TEST_PAUSE=walked QUIRE_TEST_RESUME="$T/vanish.go" "$QIT" -d "$T/vanish.idx" "$T/vanish" >"$T/out" 2>"$T/err" &
pid=$!
n=0
while ! grep -q 'test pause at walked' "$T/err" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
if grep -q 'test pause at walked' "$T/err"; then ok vanish_paused; else fail vanish_paused "never paused: $(cat "$T/err")"; fi
rm "$T/vanish/02-pyongyang-troops-russia.txt"
# Another file changes (shrinks) after the walk measured it: read as it is now.
printf 'Title: Rewritten\n\nShorter now: zeppelin.\n' >"$T/vanish/03-shoigu-visit.txt"
: >"$T/vanish.go"
wait $pid
expect_eq vanished_exit_1 1 "$?"
expect_grep vanished_named '02-pyongyang-troops-russia.txt: .*(No such file|vanished)' "$T/err"
expect_eq vanished_others_indexed 2 "$(doc_count "$T/vanish.idx")"
expect_eq changed_file_read_as_now 1 "$("$QQ" -d "$T/vanish.idx" --count zeppelin)"

# 100,000 files in one directory.
python3 - "$T/many" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(d)
for i in range(100000):
    with open(os.path.join(d, "f%06d.txt" % i), "w") as f:
        f.write("Note %d\n\nword%d common\n" % (i, i % 1000))
PY
expect_status many_files_exit_0 0 "$QI" -q -d "$T/many.idx" "$T/many"
expect_eq many_files_count 100000 "$(doc_count "$T/many.idx")"
expect_eq many_files_search 100 "$("$QQ" -d "$T/many.idx" --count word7)"
rm -rf "$T/many" "$T/many.idx"

# Ids that look like paths are only ids: nothing is written outside the
# index, and the documents are found by id.
mkdir -p "$T/ids"
printf '%s\n' '{"id": "../../escape", "body": "dotdot"}' '{"id": "/etc/passwd", "body": "absolute"}' \
    '{"id": "a/../../b\u0000c", "body": "nul in id"}' >"$T/ids/ids.jsonl"
before=$(find "$T" -path "$T/ids.idx" -prune -o -print | sort)
"$QI" -d "$T/ids.idx" "$T/ids/ids.jsonl" >"$T/out" 2>"$T/err"
after=$(find "$T" -path "$T/ids.idx" -prune -o -print | grep -v "$T/out\|$T/err\|ids.idx.lock" | sort)
expect_eq ids_write_nothing_outside "$(echo "$before" | grep -v "$T/out\|$T/err")" "$after"
expect_eq ids_found_by_id "../../escape" "$("$QQ" -d "$T/ids.idx" -f ids 'id:"../../escape"')"

# Absurd queries: limits with a message and exit 2, no stack overflow.
"$QI" -q -d "$T/q.idx" "$ART"
deep=$(python3 -c "print('(' * 10000 + 'seoul' + ')' * 10000)")
expect_status parens_10000 2 "$QQ" -d "$T/q.idx" "$deep"
expect_grep parens_10000_msg 'nests deeper than 100 levels' "$T/err"
many=$(python3 -c "print(' '.join('w%d' % i for i in range(15000)))")
expect_status terms_15000 2 "$QQ" -d "$T/q.idx" --max-query-bytes 200000 "$many"
expect_grep terms_15000_msg 'more than 1000 words and operators' "$T/err"
expect_status query_bytes_limit 2 "$QQ" -d "$T/q.idx" --max-query-bytes 50 "$many"
expect_grep query_bytes_limit_msg 'longer than 50 bytes' "$T/err"
expect_status depth_option 2 "$QQ" -d "$T/q.idx" --max-depth 2 '((a OR (b c)))'
expect_status wildcard_limit 2 "$QQ" -d "$T/q.idx" --max-wildcard 5 'th*'
expect_grep wildcard_limit_msg 'matches more than 5 words' "$T/err"

# Damaged and foreign indexes: a clear error, never a crash, never a write.
cp -r "$T/q.idx" "$T/trunc.idx"
f=$(ls "$T/trunc.idx"/postlist.glass)
truncate -s 8192 "$f"
sum_before=$(cat "$T/trunc.idx"/* | cksum)
"$QQ" -d "$T/trunc.idx" 'seoul OR korea' >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] || [ $rc -eq 3 ]; then ok truncated_query_fails; else fail truncated_query_fails "exit $rc"; fi
expect_grep truncated_query_msg 'trunc.idx' "$T/err"
"$QI" -d "$T/trunc.idx" "$TD/feed.jsonl" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -ge 2 ] && [ $rc -lt 128 ]; then ok truncated_update_fails; else fail truncated_update_fails "exit $rc"; fi
expect_eq truncated_not_written "$sum_before" "$(cat "$T/trunc.idx"/* | cksum)"

cp -r "$T/q.idx" "$T/newer.idx"
xapian-metadata set "$T/newer.idx" quire.schema 99
sum_before=$(cat "$T/newer.idx"/* | cksum)
expect_status newer_schema_query 2 "$QQ" -d "$T/newer.idx" seoul
expect_grep newer_schema_msg 'schema|newer|version' "$T/err"
expect_status newer_schema_update 2 "$QI" -d "$T/newer.idx" "$TD/feed.jsonl"
expect_eq newer_schema_not_written "$sum_before" "$(cat "$T/newer.idx"/* | cksum)"

mkdir -p "$T/foreign"
xapian-metadata set "$T/foreign" unrelated value 2>/dev/null || true
expect_status foreign_xapian_query 2 "$QQ" -d "$T/foreign" seoul
expect_grep foreign_xapian_msg 'not a quire index' "$T/err"
rm -rf "$T"

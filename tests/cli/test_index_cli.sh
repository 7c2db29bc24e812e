# test_index_cli.sh — quire-index from the command line: sources of every
# kind, re-runs, summaries, exit codes, and the index Xapian's tools see.
SUITE=index_cli
. "$(dirname "$0")/lib.sh"
ART="$TD/articles"
NART=$(ls "$ART" | wc -l)

expect_status dir_exit_0 0 "$QI" -d "$T/a.idx" "$ART"
expect_eq dir_doc_count "$NART" "$(doc_count "$T/a.idx")"
expect_grep dir_summary "^$NART documents read .*: $NART added, 0 replaced, 0 unchanged, 0 deleted, 0 skipped" "$T/out"
check xapian_check xapian-check "$T/a.idx"

# Re-running on the same corpus changes nothing.
expect_status rerun_exit_0 0 "$QI" -d "$T/a.idx" "$ART"
expect_grep rerun_unchanged "0 added, 0 replaced, $NART unchanged" "$T/out"
expect_grep rerun_says_nothing_changed "^nothing changed" "$T/out"
expect_eq rerun_same_count "$NART" "$(doc_count "$T/a.idx")"

# The terms of article 01 follow the schema (values read off the file).
docid=$(xapian-delve -1 -t Q01-seoul-weighs-shells.txt "$T/a.idx" | grep -E '^[0-9]+$' | head -1)
xapian-delve -1 -r "$docid" "$T/a.idx" >"$T/terms"
for term in D20241022 M202410 Y2024 Len Apark XSharbor XStimes Sseoul ZSseoul Sshells ZSshell \
            kim jong un Zdeploy 155mm Zartilleri seoul; do
    expect_grep "term_$term" "^$term\$" "$T/terms"
done
xapian-delve -1 -r "$(xapian-delve -1 -t Q02-pyongyang-troops-russia.txt "$T/a.idx" | grep -E '^[0-9]+$' | head -1)" \
    "$T/a.idx" >"$T/terms2"
expect_grep term_10000_without_comma '^10000$' "$T/terms2"
xapian-delve -1 -t Zdeploy "$T/a.idx" | grep -cE '^[0-9]+$' >"$T/n"
expect_eq stem_postings "$(grep -liwE 'deploy|deploys|deployed|deploying|deployment|deployments' "$ART"/* | wc -l)" "$(cat "$T/n")"
xapian-delve -V0 "$T/a.idx" | tr " " "\n" | grep -c ":2024" >"$T/n"
expect_eq date_values "$(grep -l '^Date: 2024' "$ART"/* | wc -l)" "$(cat "$T/n")"

# JSON lines, gzip'd, from standard input, and mixed with directories.
expect_status jsonl_exit_0 0 "$QI" -d "$T/j.idx" "$TD/feed.jsonl"
expect_eq jsonl_count "$(wc -l <"$TD/feed.jsonl")" "$(doc_count "$T/j.idx")"
gzip -c "$TD/feed.jsonl" >"$T/feed.jsonl.gz"
expect_status gz_exit_0 0 "$QI" -d "$T/g.idx" "$T/feed.jsonl.gz"
expect_eq gz_count "$(wc -l <"$TD/feed.jsonl")" "$(doc_count "$T/g.idx")"
cp "$T/feed.jsonl.gz" "$T/feed.bin"
# An id that comes twice in one run: the later document wins, with a
# warning naming it and its line, and the summary counts them.
printf '{"id":"d1","body":"first"}\n{"id":"d2","body":"other"}\n{"id":"d1","body":"second"}\n' >"$T/dups.jsonl"
expect_status dup_ids 0 "$QI" -d "$T/dups.idx" "$T/dups.jsonl"
expect_grep dup_ids_warned "warning: .*dups.jsonl:3: id 'd1' came earlier in this run; this document replaces that one" "$T/err"
expect_grep dup_ids_counted '^1 document had the id of an earlier one in this run and replaced it$' "$T/out"
expect_eq dup_ids_last_wins "1 0" "$("$QQ" -d "$T/dups.idx" -c second) $("$QQ" -d "$T/dups.idx" -c first)"
expect_eq dup_ids_json 1 "$("$QI" -d "$T/dups.idx" --stats-json "$T/dups.jsonl" 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["duplicate_ids"])')"
# An index kept inside its source directory is not read as articles, nor
# are its lock and owner files: a second run changes nothing, exit 0.
mkdir -p "$T/self"
cp "$ART"/*.txt "$T/self/"
n_self=$(ls "$ART"/*.txt | wc -l)
expect_status self_first 0 "$QI" -q -d "$T/self/my.idx" "$T/self"
expect_status self_rebuild 0 "$QI" -q -d "$T/self/my.idx" --rebuild "$T/self"
expect_status self_again 0 "$QI" -d "$T/self/my.idx" "$T/self"
expect_grep self_again_unchanged "0 added, 0 replaced, $n_self unchanged" "$T/out"
expect_eq self_no_index_files "" "$("$QQ" -d "$T/self/my.idx" -f ids -n 1000 -- '-qqqnothing' | grep 'my\.idx')"
# The writer's stamp file (quire-verified) as a FIFO or a link to
# /dev/zero: not read (it would hang), the index is checked instead.
cp -a "$(readlink -f "$T/self/my.idx")" "$T/stamp.idx"
rm -f "$T/stamp.idx/quire-verified"
ln -s /dev/zero "$T/stamp.idx/quire-verified"
expect_status stamp_dev_zero 0 timeout 600 "$QI" -q -d "$T/stamp.idx" "$T/self"
rm -f "$T/stamp.idx/quire-verified"
mkfifo "$T/stamp.idx/quire-verified"
expect_status stamp_fifo 0 timeout 600 "$QI" -q -d "$T/stamp.idx" "$T/self"
# Damaged gzip: the lines before the damage are kept, and the message says
# where reading stopped, in quire's words (not zlib's "<fd:9>: ...").
lines=$(wc -l <"$TD/feed.jsonl")
python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[-6]^=1; open(sys.argv[2],'wb').write(d)" \
    "$T/feed.jsonl.gz" "$T/crc.jsonl.gz"
expect_status gz_bad_checksum 1 "$QI" -d "$T/gc.idx" "$T/crc.jsonl.gz"
expect_grep gz_bad_checksum_msg "crc.jsonl.gz: the compressed data is damaged .*(after line $lines; the rest of the file is not read)" "$T/err"
if grep -q '<fd:' "$T/err"; then fail gz_no_zlib_fd "$(cat "$T/err")"; else ok gz_no_zlib_fd; fi
expect_eq gz_bad_checksum_kept "$lines" "$(doc_count "$T/gc.idx")"
head -c 200 "$T/feed.jsonl.gz" >"$T/cut.jsonl.gz"
expect_status gz_truncated 1 "$QI" -d "$T/gt.idx" "$T/cut.jsonl.gz"
expect_grep gz_truncated_msg 'cut.jsonl.gz: unexpected end of file .after line [0-9]*; the rest of the file is not read.' "$T/err"
# Bytes after the gzip data that are not another gzip member (JSON lines
# appended to a .gz by mistake): zlib skips them without a word; every
# line is indexed, the final one without its newline too, and the bytes
# are named with where they start. Zero padding is accepted, as gzip does;
# a second member is read.
printf '{"id":"tail-1","body":"appended by mistake"}\n' >"$T/tail.txt"
gzip -c "$TD/feed.jsonl" >"$T/trail.jsonl.gz"
gz_size=$(wc -c <"$T/trail.jsonl.gz")
cat "$T/tail.txt" >>"$T/trail.jsonl.gz"
expect_status gz_trailing_data 1 "$QI" -d "$T/gtr.idx" "$T/trail.jsonl.gz"
expect_grep gz_trailing_data_msg "trail.jsonl.gz: $(wc -c <"$T/tail.txt") bytes after the end of the gzip data \(from byte $gz_size\) are not gzip data and were not read \(after line $lines\)" "$T/err"
expect_eq gz_trailing_data_kept "$lines" "$(doc_count "$T/gtr.idx")"
# As any input skipped, it stops a rebuild unless --keep-going.
expect_status gz_trailing_stops_rebuild 1 "$QI" -d "$T/gtr.idx" --rebuild "$T/tail.txt" "$T/trail.jsonl.gz"
expect_eq gz_trailing_rebuild_left_index "$lines" "$(doc_count "$T/gtr.idx")"
expect_status gz_trailing_rebuild_keep_going 0 "$QI" -d "$T/gtr.idx" --rebuild --keep-going "$T/tail.txt" "$T/trail.jsonl.gz"
expect_eq gz_trailing_rebuild_switched "$((lines + 1))" "$(doc_count "$T/gtr.idx")"
printf '{"id":"last","body":"no newline at the end"}' | gzip >"$T/nonl.jsonl.gz"
printf 'x' >>"$T/nonl.jsonl.gz"
expect_status gz_trailing_last_line 1 "$QI" -d "$T/gnl.idx" "$T/nonl.jsonl.gz"
expect_grep gz_trailing_one_byte_msg "nonl.jsonl.gz: 1 byte after the end of the gzip data \(from byte [0-9]+\) is not gzip data and was not read" "$T/err"
expect_eq gz_trailing_last_line_kept 1 "$(doc_count "$T/gnl.idx")"
mkdir -p "$T/trailtext"
{ printf 'A title\n\nThe article body.\n' | gzip; printf 'junk'; } >"$T/trailtext/a.txt.gz"
expect_status gz_trailing_text 1 "$QI" -d "$T/gtt.idx" "$T/trailtext"
expect_grep gz_trailing_text_msg "a.txt.gz: 4 bytes after the end of the gzip data" "$T/err"
expect_eq gz_trailing_text_kept 1 "$(doc_count "$T/gtt.idx")"
{ cat "$T/feed.jsonl.gz"; head -c 1024 /dev/zero; } >"$T/pad.jsonl.gz"
expect_status gz_zero_padding 0 "$QI" -d "$T/gzp.idx" "$T/pad.jsonl.gz"
{ cat "$T/feed.jsonl.gz"; gzip -c "$T/tail.txt"; } >"$T/two.jsonl.gz"
expect_status gz_two_members 0 "$QI" -d "$T/g2m.idx" "$T/two.jsonl.gz"
expect_eq gz_two_members_count "$((lines + 1))" "$(doc_count "$T/g2m.idx")"
expect_status gz_sniffed_by_content 0 "$QI" -d "$T/g2.idx" --format jsonl "$T/feed.bin"
expect_eq gz_sniffed_count "$(wc -l <"$TD/feed.jsonl")" "$(doc_count "$T/g2.idx")"
"$QI" -d "$T/s.idx" --format jsonl - <"$TD/feed.jsonl" >"$T/out" 2>&1
expect_eq stdin_exit_0 0 $?
expect_eq stdin_count "$(wc -l <"$TD/feed.jsonl")" "$(doc_count "$T/s.idx")"
# From a pipe (no size, no lseek) the summary still counts the bytes read.
cat "$TD/feed.jsonl" | "$QI" -d "$T/p.idx" - >"$T/out" 2>&1
expect_grep pipe_input_counted "input $(awk -v n="$(wc -c <"$TD/feed.jsonl")" 'BEGIN { printf "%.1f KB", n / 1000 }')" "$T/out"
# The same ids from the JSON lines and the directory: one document each.
expect_status mixed_exit_0 0 "$QI" -d "$T/m.idx" "$T/feed.jsonl.gz" "$ART"
expect_eq mixed_count "$NART" "$(doc_count "$T/m.idx")"

# Broken input: reported by file (and line), skipped, exit 1; --keep-going 0.
expect_status edge_exit_1 1 "$QI" -d "$T/e.idx" "$TD/edge"
for f in 'bad.jsonl:2:' 'bad.jsonl:3:' 'bad.jsonl:4:' 'bad.jsonl:11:' 'binary.dat: binary' \
         'empty.txt: empty' 'deep.jsonl:1:.*depth' 'blank-lines.txt'; do
    expect_grep "edge_reports_${f%%:*}_$(echo "$f" | tr -dc '0-9a-z' | cut -c1-12)" "$f" "$T/err"
done
expect_grep edge_warns_invalid_utf8 'warning: .*invalid-utf8.txt: .* replaced' "$T/err"
expect_grep edge_warns_bad_date 'warning: .*bad.jsonl:8: date' "$T/err"
expect_status edge_keep_going 0 "$QI" -d "$T/e2.idx" --keep-going "$TD/edge"
expect_status edge_stats_json 1 "$QI" -d "$T/e3.idx" --stats-json "$TD/edge"
python3 - "$T/out" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["skipped"], d["added"] + d["replaced"] + d["unchanged"], d["documents"])
PY
expect_eq stats_json_counts "8 15 15" "$(cat "$T/py")"

# Editing a file replaces its document; a new file is added.
mkdir -p "$T/edit"
cp "$ART"/0[1-3]*.txt "$T/edit/"
"$QI" -q -d "$T/edit.idx" "$T/edit"
printf '\nA paragraph added later.\n' >>"$T/edit/02-pyongyang-troops-russia.txt"
cp "$ART/04-un-sanctions-panel.txt" "$T/edit/"
expect_status edit_exit_0 0 "$QI" -d "$T/edit.idx" "$T/edit"
expect_grep edit_counts '1 added, 1 replaced, 2 unchanged, 0 deleted, 0 skipped' "$T/out"

# An unreadable file is reported and skipped (needs a non-root user: root
# reads everything).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    # The test's own directory is private: use one nobody can enter.
    P=$(mktemp -d "${TMPDIR:-/tmp}/quire-perm-XXXXXX")
    chmod 777 "$P"
    mkdir -p "$P/perm"
    cp "$ART/13-coral-reef-study.txt" "$ART/14-marathon-record.txt" "$P/perm/"
    chmod 000 "$P/perm/14-marathon-record.txt"
    expect_status unreadable_exit_1 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$QI" -d "$P/perm.idx" "$P/perm"
    expect_grep unreadable_named '14-marathon-record.txt: Permission denied' "$T/err"
    expect_eq unreadable_others_indexed 1 "$(doc_count "$P/perm.idx")"
    rm -rf "$P"
elif [ "$(id -u)" != 0 ]; then
    mkdir -p "$T/perm"
    cp "$ART/13-coral-reef-study.txt" "$ART/14-marathon-record.txt" "$T/perm/"
    chmod 000 "$T/perm/14-marathon-record.txt"
    expect_status unreadable_exit_1 1 "$QI" -d "$T/perm.idx" "$T/perm"
    expect_grep unreadable_named '14-marathon-record.txt: Permission denied' "$T/err"
else
    skip unreadable "running as root without setpriv"
fi

# On a terminal there is a progress line; with --quiet or a pipe, none.
if command -v script >/dev/null 2>&1; then
    script -qc "'$QI' -d '$T/tty.idx' '$ART'" /dev/null >"$T/tty" 2>&1
    expect_grep progress_on_tty 'docs/s' "$T/tty"
    "$QI" -d "$T/tty2.idx" "$ART" >"$T/out" 2>"$T/err"
    if grep -q 'ETA' "$T/out" "$T/err"; then fail no_progress_on_pipe "progress line in a pipe"; else ok no_progress_on_pipe; fi
else
    skip progress_on_tty "no script(1)"
fi

# The real seed articles, when present.
if [ -d "$SHARED/seeds" ]; then
    expect_status seeds_exit_0 0 "$QI" -d "$T/seeds.idx" "$SHARED/seeds"
    expect_eq seeds_count 5 "$(doc_count "$T/seeds.idx")"
else
    skip seeds "no $SHARED/seeds"
fi

# Quiet means silent on success.
"$QI" -q -d "$T/q.idx" "$ART" >"$T/out" 2>"$T/err"
expect_eq quiet_exit 0 $?
expect_eq quiet_silent "" "$(cat "$T/out" "$T/err")"

# Usage and fatal errors: exit 2 with the cause.
expect_status no_index_given 2 env -u QUIRE_INDEX "$QI" "$ART"
expect_grep no_index_message 'no index given' "$T/err"
expect_status no_source_given 2 "$QI" -d "$T/x.idx"
# Parallel shard writers (--threads 2, the default on 2 cores) build the
# same index as one writer: same documents, same hits, same scores. The
# feed repeats an id with a changed body; both must keep the later one.
cat "$TD/feed.jsonl" "$TD/feed.jsonl" >"$T/twice.jsonl"
head -1 "$TD/feed.jsonl" | sed 's/"body": *"/"body": "zanzibarian /' >>"$T/twice.jsonl"
expect_status threads1_exit_0 0 "$QI" -d "$T/t1.idx" --threads 1 "$ART" "$T/twice.jsonl"
expect_status threads2_exit_0 0 "$QI" -d "$T/t2.idx" --threads 2 "$ART" "$T/twice.jsonl"
expect_grep threads2_summary "unchanged" "$T/out"
expect_eq threads_same_count "$(doc_count "$T/t1.idx")" "$(doc_count "$T/t2.idx")"
check threads2_xapian_check xapian-check "$T/t2.idx"
# Tiny segments (bulk.c) put repeated ids in different segments of a shard.
expect_status segments_exit_0 0 env QUIRE_SEGMENT_BYTES=3000 "$QI" -d "$T/t3.idx" --threads 2 "$ART" "$T/twice.jsonl"
expect_eq segments_same_count "$(doc_count "$T/t1.idx")" "$(doc_count "$T/t3.idx")"
check segments_xapian_check xapian-check "$T/t3.idx"
# Hits as "score id" by falling score; equal scores (ties are broken by
# document number, which differs between builds) by id.
hits() { "$QQ" -d "$1" --format json --limit 100 "$2" | grep -oE '"(id|score)": *[^,]*' | paste - - |
         sed -E 's/"id": *"([^"]*)"\t"score": *(.*)/\2 \1/' | sort -k1,1gr -k2,2; }
for q in 'korea' 'troops OR shells' '"kim jong un"' 'deploy* NOT russia' 'zanzibarian' 'date:2024-10..2024-12'; do
    hits "$T/t1.idx" "$q" >"$T/r1"
    for i in 2 3; do
        hits "$T/t$i.idx" "$q" >"$T/r2"
        if [ -s "$T/r1" ] && cmp -s "$T/r1" "$T/r2"; then ok "threads_same_hits_$i $q"
        else fail "threads_same_hits_$i $q" "results differ or empty"; fi
    done
done

expect_status bad_option 2 "$QI" -d "$T/x.idx" --frobnicate "$ART"
# One line naming the option, then the pointer to --help (getopt's own
# complaint is not printed as well).
expect_eq bad_option_one_line "quire-index: unknown option: --frobnicate|Try 'quire-index --help'." \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
expect_status bad_letter_in_group 2 "$QI" -d "$T/x.idx" --quiet -Zq "$ART"
expect_eq bad_letter_in_group_named "quire-index: unknown option: -Z|Try 'quire-index --help'." \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
expect_status missing_value 2 "$QI" -d "$T/x.idx" "$ART" --batch
expect_eq missing_value_one_line "quire-index: option needs a value: --batch|Try 'quire-index --help'." \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
# Numbers out of range are refused, not wrapped or read as 0.
for bad in "--threads 4294967297" "--threads 0" "--batch -1" "--batch 4294967297" "--shards 4294967297" \
           "--wait ''" "--wait nan" "--wait inf" "--wait -1" "--max-doc-size 99999999999G" "--batch-size -5M"; do
    eval "set -- $bad"
    name=bad_number_$(printf '%s_%s' "$1" "$2" | tr -c 'A-Za-z0-9_' _)
    expect_status "$name" 2 "$QI" -d "$T/x.idx" "$1" "$2" "$ART"
    expect_grep "${name}_message" "^quire-index: $1 needs" "$T/err"
done
expect_eq bad_numbers_made_no_index "" "$(ls -d "$T/x.idx" 2>/dev/null)"
expect_status env_index 0 env QUIRE_INDEX="$T/env.idx" "$QI" "$ART"
# No source can be read: an error, and nothing is created.
expect_status missing_source 2 "$QI" -d "$T/x.idx" "$T/does-not-exist"
expect_grep missing_source_named 'does-not-exist: No such file or directory' "$T/err"
expect_eq missing_source_creates_nothing "" "$(ls -d "$T"/x.idx* 2>/dev/null)"
# Some can: they are indexed, the others skipped (exit 1).
expect_status some_source_missing 1 "$QI" -d "$T/x.idx" "$T/does-not-exist" "$ART/01-seoul-weighs-shells.txt"
expect_grep some_source_missing_named 'does-not-exist' "$T/err"
expect_eq some_source_indexed 1 "$(doc_count "$T/x.idx")"
rm -rf "$T/x.idx" "$T/x.idx.lock"
: >"$T/plainfile"
expect_status index_is_a_file 2 "$QI" -d "$T/plainfile" "$ART"
expect_grep index_is_a_file_msg 'not an index directory' "$T/err"
mkdir -p "$T/notes" && echo hi >"$T/notes/todo.txt"
expect_status refuses_foreign_dir 2 "$QI" -d "$T/notes" "$ART"
expect_grep refuses_foreign_dir_msg 'not a quire index' "$T/err"
expect_eq foreign_dir_untouched "todo.txt" "$(ls "$T/notes")"
expect_status lang_conflict 2 "$QI" -d "$T/a.idx" --lang de "$ART"
expect_grep lang_conflict_msg 'built with lang=en' "$T/err"
expect_status fold_conflict 2 "$QI" -d "$T/a.idx" --fold-accents "$ART"
expect_status bad_lang 2 "$QI" -d "$T/y.idx" --lang 12 "$ART"
# gzip'd input: the summary counts the text read, not the compressed bytes.
gzip -c "$TD/feed.jsonl" >"$T/feed.jsonl.gz"
expect_status gz_summary 0 "$QI" -d "$T/gz.idx" --stats-json "$T/feed.jsonl.gz"
expect_grep gz_summary_text_bytes "\"bytes_read\": $(wc -c <"$TD/feed.jsonl")," "$T/out"
expect_status gz_summary_text 0 "$QI" -d "$T/gz2.idx" "$T/feed.jsonl.gz"
expect_grep gz_summary_text_line "input $(awk -v b="$(wc -c <"$TD/feed.jsonl")" 'BEGIN { printf "%.1f KB", b / 1000 }')\$" "$T/out"

# On a terminal: the progress line counts text, and the last step (the
# writers' shards merged into one index) is shown while it runs.
if command -v script >/dev/null 2>&1; then
    script -qfc "'$QI' -d '$T/pty.idx' --threads 2 '$T/feed.jsonl.gz'" /dev/null >"$T/pty.out" 2>&1
    tr '\r' '\n' <"$T/pty.out" >"$T/pty.lines"
    expect_grep progress_counts_text '^[0-9]+ docs  [0-9.]+ MB text  ' "$T/pty.lines"
    expect_grep progress_shows_finishing '^finishing the index\.\.\. 0:0' "$T/pty.lines"
    expect_grep progress_then_summary 'documents read in' "$T/pty.lines"
else
    skip progress_on_a_terminal "script(1) not installed"
fi

# A failure in the last step is printed with its reason: the merged index
# cannot be moved into place because something took its name meanwhile.
# (The test build of quire-index pauses in the writers' commit.)
QUIRE_TEST_PAUSE=commit QUIRE_TEST_RESUME="$T/fin.go" "$QIT" -d "$T/fin.idx" --threads 2 "$ART" >"$T/fin.out" 2>"$T/fin.err" &
fin=$!
n=0
until grep -q 'test pause at commit' "$T/fin.err" 2>/dev/null || [ $n -ge 600 ]; do sleep 0.1; n=$((n + 1)); done
mkdir -p "$T/fin.idx/in-the-way"
: >"$T/fin.go"
wait $fin
expect_eq finish_failure_exit 2 $?
expect_grep finish_failure_reason 'cannot move the new index into place' "$T/fin.err"
expect_status version 0 "$QI" --version
expect_grep version_text '^quire-index [0-9]+\.[0-9]+\.[0-9]+' "$T/out"
expect_status help 0 "$QI" --help
expect_grep help_examples 'quire-index -d news.idx' "$T/out"
rm -rf "$T"

# test_features.sh — facets, did-you-mean, synonyms, more-like-this and
# --show, each on one database, on 3 local shards and on the same shards
# served by xapian-tcpsrv on loopback (ports from $$). Expected counts come
# from the articles (testdata/README.md) and from extra documents written
# here: two authors in one list, a source that contains another one's
# name ("The Harbor Times Weekly"), a source too long for one term, a
# long body that says "North Korea" only near its end, and nine wire notes
# with the same date, source, author and language (spread over the
# shards, so that their counts must be added up across them).
SUITE=features
. "$(dirname "$0")/lib.sh"
ART="$TD/articles"

python3 - "$T/extra.jsonl" <<'PY'
import json, sys
filler = " ".join("Officials reviewed port schedules, fuel prices and weather reports for the coming week."
                  for _ in range(60))
docs = [
    {"id": "x-joint", "title": "Joint report on grain shipments", "date": "2024-11-20",
     "author": ["Mina Park", "Lena Vogel"], "source": "The Harbor Times Weekly", "lang": "en",
     "body": "A joint report on grain shipments through the northern ports was published on Wednesday."},
    {"id": "x-long", "title": "A long dispatch from the coast", "date": "2023-02-03", "author": "Sam Okafor",
     "source": "Regional " + "Very Long Name " * 25 + "Gazette", "lang": "en",
     "body": filler + " At the very end the envoys said that leaders of North Korea had met in secret."},
]
docs += [{"id": "x-wire-%d" % i, "title": "Wire note %d" % i, "date": "2022-05-10", "author": "Wire Desk",
          "source": "Coast Wire", "lang": "en",
          "body": "Wire note %d: grain barges left the river port on schedule." % i} for i in range(9)]
with open(sys.argv[1], "w") as f:
    for d in docs:
        f.write(json.dumps(d) + "\n")
PY
"$QI" -q -d "$T/one.idx" --threads 1 "$ART" "$T/extra.jsonl" || fail setup "indexing failed"
"$QI" -q -d "$T/sh.idx" --shards 3 "$ART" "$T/extra.jsonl" || fail setup "indexing shards failed"

count() { "$QQ" -d "$1" -c -- "$2" 2>/dev/null; }

# The facets of a search as "field value count filter" lines, sorted.
facets() {
    "$QQ" -d "$1" --format json -n 0 --facets source,author,year,month,lang --facet-limit 50 -- "$2" |
        python3 -c '
import json, sys
d = json.load(sys.stdin)
for field, vals in d["facets"].items():
    for v in vals:
        print("%s\t%s\t%d\t%s" % (field, v["value"], v["count"], v["filter"]))' | sort
}

Q='korea OR seoul OR troops OR grain OR envoys OR shells'
facets "$T/one.idx" "$Q" >"$T/f1"
expect_grep facets_source_harbor '^source	Harbor Times	3	source:="Harbor Times"$' "$T/f1"
expect_grep facets_source_weekly '^source	The Harbor Times Weekly	1	' "$T/f1"
expect_grep facets_author_list_split '^author	Lena Vogel	1	author:="Lena Vogel"$' "$T/f1"
expect_grep facets_month '^month	2024-11	' "$T/f1"
expect_grep facets_year '^year	2023	' "$T/f1"
expect_grep facets_lang '^lang	en	' "$T/f1"
expect_grep facets_same_values '^source	Coast Wire	9	source:="Coast Wire"$' "$T/f1"
# Every value filters to exactly its count, the hashed long source too.
bad=""
while IFS='	' read -r field value n filter; do
    got=$(count "$T/one.idx" "($Q) $filter")
    [ "$got" = "$n" ] || bad="$bad [$filter: $got, not $n]"
done <"$T/f1"
expect_eq facets_filters_exact "" "$bad"
expect_grep facets_long_source_listed '^source	Regional Very Long Name .* Gazette	1	source:=' "$T/f1"
# A phrase is not a whole value: it also matches "The Harbor Times Weekly".
expect_eq phrase_wider "$(($(count "$T/one.idx" "($Q) source:=\"Harbor Times\"") + 1))" \
    "$(count "$T/one.idx" "($Q) source:\"Harbor Times\"")"
expect_eq value_any_case 3 "$(count "$T/one.idx" "($Q) source:=\"harbor  TIMES\"")"
# Counts cover every match, not just the page.
"$QQ" -d "$T/one.idx" --format json -n 1 --facets year -- "$Q" >"$T/fy.json"
expect_eq facets_all_matches "$(count "$T/one.idx" "$Q")" \
    "$(python3 -c 'import json,sys; print(sum(v["count"] for v in json.load(open(sys.argv[1]))["facets"]["year"]))' "$T/fy.json")"
# A page of one hit of a filter-only query (one run of equal scores,
# fetched again sorted by id): the counts are still those of every match.
"$QQ" -d "$T/one.idx" --format json -n 1 --facets year -- 'year:2024' >"$T/fb.json"
expect_eq facets_all_matches_refetched "$(count "$T/one.idx" 'year:2024')" \
    "$(python3 -c 'import json,sys; print(sum(v["count"] for v in json.load(open(sys.argv[1]))["facets"]["year"]))' "$T/fb.json")"
expect_eq facet_limit 1 "$("$QQ" -d "$T/one.idx" --format json --facets author --facet-limit 1 -- "$Q" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["facets"]["author"]))')"
expect_status facets_text 0 "$QQ" -d "$T/one.idx" --color never --facets source -- "$Q"
expect_grep facets_text_after_total '^Facets:$' "$T/out"
expect_eq facets_text_order "results Facets:" "$(grep -E 'results$|^Facets:' "$T/out" | sed 's/.* //' | tr '\n' ' ' | sed 's/ $//')"
expect_status facets_unknown 2 "$QQ" -d "$T/one.idx" --facets source,colour korea
expect_grep facets_unknown_msg "unknown facet 'colour'" "$T/err"
facets "$T/sh.idx" "$Q" >"$T/f2"
if cmp -s "$T/f1" "$T/f2"; then ok facets_shards_same; else fail facets_shards_same "$(diff "$T/f1" "$T/f2" | head -5)"; fi
# A searcher kept open (quire-serve's workers) over one database and over
# shards: after an update and a reopen, its counts are the new ones (the
# shards' value tables were kept from before the update).
printf '{"id": "x-wire-0", "title": "Wire note 0", "date": "2022-05-10", "author": "Wire Desk", "source": "Inland Wire", "lang": "en", "body": "Wire note 0: grain barges left the river port on schedule."}\n' >"$T/moved.jsonl"
for layout in one sh; do
    if [ $layout = one ]; then "$QI" -q -d "$T/kept-$layout.idx" --threads 1 "$ART" "$T/extra.jsonl"
    else "$QI" -q -d "$T/kept-$layout.idx" --shards 3 "$ART" "$T/extra.jsonl"; fi
    "$BUILD/tests/remote_probe" "$T/kept-$layout.idx" 0 "facets:source:barges" \
        "sh:'$QI' -q -d '$T/kept-$layout.idx' '$T/moved.jsonl'" reopen "facets:source:barges" >"$T/kept.out" 2>&1
    expect_eq "facets_after_update_$layout" "1 facets: Coast Wire=9
3 reopen: ok
4 facets: Coast Wire=8 Inland Wire=1" "$(cat "$T/kept.out")"
done

# Did you mean.
expect_status dym_exit_1 1 "$QQ" -d "$T/one.idx" --color never 'north koreea'
expect_eq dym_text "0 results
Did you mean: north korea?" "$(cat "$T/out")"
dym() { "$QQ" -d "$1" --format json -n 0 -- "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["suggestion"])'; }
expect_eq dym_json "north korea" "$(dym "$T/one.idx" 'north koreea')"
expect_eq dym_null_when_matching None "$(dym "$T/one.idx" 'north korea')"
expect_eq dym_keeps_structure 'title:seoul OR "kim jong un" -russia' "$(dym "$T/one.idx" 'title:seoull OR "kim jong unn" -russia')"
expect_eq dym_keeps_case 'Korea' "$(dym "$T/one.idx" 'Koreea')"
expect_eq dym_not_under_not None "$(dym "$T/one.idx" 'korea -russiaa')"
expect_eq dym_only_if_better None "$(dym "$T/one.idx" 'koreea qqqzzzxx')"
expect_eq dym_field 'author:park' "$(dym "$T/one.idx" 'author:parkk')"
expect_eq dym_shards "north korea" "$(dym "$T/sh.idx" 'north koreea')"
# The term list keeps the first letter; the spelling table does not.
"$QI" -q -d "$T/spell.idx" --spelling "$ART" || fail setup "indexing with --spelling failed"
"$QI" -d "$T/spell.idx" --stats >"$T/stats"
expect_grep spelling_in_config 'spelling=1' "$T/stats"
expect_eq dym_first_letter_term_list None "$(dym "$T/one.idx" 'north jorea')"
expect_eq dym_first_letter_spelling "north korea" "$(dym "$T/spell.idx" 'north jorea')"
expect_status spelling_fixed 2 "$QI" -d "$T/spell.idx" --no-spelling "$ART"
expect_grep spelling_fixed_msg 'spelling table; rebuild' "$T/err"

# More like this.
expect_status like_exit_0 0 "$QQ" -d "$T/one.idx" -f ids -n 50 --like 02-pyongyang-troops-russia.txt
cp "$T/out" "$T/like1"
expect_eq like_not_itself "" "$(grep -x 02-pyongyang-troops-russia.txt "$T/like1")"
check like_some test -s "$T/like1"
# A query only filters: the similar articles of November 2024 (04 and 05).
expect_eq like_filtered "04-un-sanctions-panel.txt 05-un-envoy-appeal.txt" \
    "$("$QQ" -d "$T/one.idx" -f ids --like 02-pyongyang-troops-russia.txt date:2024-11 | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq like_filter_keeps_order "$(grep -E '^0[45]' "$T/like1")" \
    "$("$QQ" -d "$T/one.idx" -f ids --like 02-pyongyang-troops-russia.txt date:2024-11)"
expect_status like_unknown 2 "$QQ" -d "$T/one.idx" --like no-such-id
expect_grep like_unknown_msg "no document with id 'no-such-id'" "$T/err"
"$QQ" -d "$T/sh.idx" -f ids -n 50 --like 02-pyongyang-troops-russia.txt >"$T/like2"
expect_eq like_shards_same "$(sort "$T/like1")" "$(sort "$T/like2")"

# --show.
expect_status show_exit_0 0 "$QQ" -d "$T/one.idx" --color never --show 01-seoul-weighs-shells.txt
cp "$T/out" "$T/show1"
expect_eq show_header "Title: Seoul weighs sending artillery shells to Kyiv
Id: 01-seoul-weighs-shells.txt
Date: 2024-10-22
Author: Mina Park
Source: Harbor Times
Lang: en" "$(sed '/^$/q' "$T/show1")"
expect_eq show_whole_body "$(sed '1,/^$/d' "$ART/01-seoul-weighs-shells.txt")" "$(sed '1,/^$/d' "$T/show1")"
expect_status show_absent 1 "$QQ" -d "$T/one.idx" --show no-such-id
expect_grep show_absent_msg "no document with id 'no-such-id'" "$T/err"
expect_status show_highlight 0 "$QQ" -d "$T/one.idx" --color always --show 01-seoul-weighs-shells.txt shells
expect_eq show_highlight_count 3 "$(grep -o "$(printf '\033')\[1;33mshells" "$T/out" | wc -l | tr -d ' ')"
"$QQ" -d "$T/one.idx" --format json --show x-long envoys >"$T/show.json"
expect_eq show_json "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
src = [json.loads(l) for l in open(sys.argv[2])][1]
b = d["body"].encode()
print(d["body"] == src["body"], d["author"], [b[s:e].decode() for s, e in d["highlights"]])' "$T/show.json" "$T/extra.jsonl")" \
    "True Sam Okafor ['envoys']"
expect_status show_html 0 "$QQ" -d "$T/one.idx" --format html --show 01-seoul-weighs-shells.txt shells
expect_grep show_html_article '^<article class="quire-article">$' "$T/out"
expect_grep show_html_mark 'artillery <mark>shells</mark>' "$T/out"
expect_status show_ids_refused 2 "$QQ" -d "$T/one.idx" --format ids --show 01-seoul-weighs-shells.txt
expect_status dym_html 1 "$QQ" -d "$T/one.idx" --format html 'north koreea'
expect_grep dym_html_line '<p class="quire-suggestion">Did you mean: <em>north korea</em>\?</p>' "$T/out"
# The text form reads back as an article.
mkdir -p "$T/back"
cp "$T/show1" "$T/back/seoul.txt"
"$QI" -q -d "$T/back.idx" "$T/back" || fail setup "indexing a shown article failed"
expect_eq show_round_trip "Seoul weighs sending artillery shells to Kyiv" \
    "$("$QQ" -d "$T/back.idx" --format json shells | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["title"])')"
expect_eq show_shards "$(cat "$T/show1")" "$("$QQ" -d "$T/sh.idx" --color never --show 01-seoul-weighs-shells.txt)"

# Synonyms.
printf '# places\ndprk, north korea, "democratic people'"'"'s republic of korea"\nhowitzer, artillery piece\n' >"$T/syn.txt"
before=$(count "$T/one.idx" dprk)
expect_status synonyms_store 0 "$QI" -d "$T/one.idx" --synonyms "$T/syn.txt"
expect_grep synonyms_store_says '2 synonym groups' "$T/out"
"$QI" -d "$T/one.idx" --stats >"$T/stats"
expect_grep synonyms_stats '^synonyms: +2 groups$' "$T/stats"
expect_eq synonyms_stats_json 2 "$("$QI" -d "$T/one.idx" --stats --stats-json | python3 -c 'import json,sys; print(json.load(sys.stdin)["synonym_groups"])')"
expect_eq synonyms_expand "$(count "$T/one.idx" '"north korea" OR dprk')" "$(count "$T/one.idx" dprk)"
check synonyms_expand_some test "$(count "$T/one.idx" dprk)" -gt "$before"
expect_eq synonyms_phrase_expands "$(count "$T/one.idx" dprk)" "$(count "$T/one.idx" '"North Korea"')"
expect_eq synonyms_exact_no 0 "$(count "$T/one.idx" =dprk)"
expect_eq synonyms_stems "$(count "$T/one.idx" 'howitzer OR "artillery piece"')" "$(count "$T/one.idx" howitzers)"
# No article says DPRK or "artillery piece", so the counts above match
# with or without expansion: the parsed queries show that it happened.
"$QQ" -d "$T/one.idx" --explain -c '"North Korea"' >"$T/explain"
expect_grep synonyms_phrase_expands_parsed '^parsed: \(synonyms \(phrase "North Korea"\) \(word "dprk"\) \(phrase "democratic people.s republic of korea"\)\)$' "$T/explain"
"$QQ" -d "$T/one.idx" --explain -c howitzers >"$T/explain"
expect_grep synonyms_stems_parsed '^parsed: \(synonyms \(word "howitzers"\) \(phrase "artillery piece"\)\)$' "$T/explain"
"$QQ" -d "$T/one.idx" --explain -c dprk >"$T/explain"
expect_grep synonyms_explain 'parsed: \(synonyms \(word "dprk"\) \(phrase "north korea"\)' "$T/explain"
expect_grep synonyms_explain_xapian 'SYNONYM' "$T/explain"
# Snippets highlight what matched, in a long body too (from positions).
"$QQ" -d "$T/one.idx" --format json -n 50 dprk >"$T/syn.json"
expect_eq synonyms_highlight "north korea|north korea" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = {}
for h in d["hits"]:
    s = h["snippet"].encode()
    got[h["id"]] = ",".join(s[a:b].decode().lower() for a, b in h["highlights"])
print(got.get("04-un-sanctions-panel.txt"), got.get("x-long"), sep="|")' "$T/syn.json")"
expect_status synonyms_rebuild 0 "$QI" -q -d "$T/one.idx" --rebuild "$ART" "$T/extra.jsonl"
expect_eq synonyms_kept_by_rebuild "$(count "$T/one.idx" '"north korea"')" "$(count "$T/one.idx" dprk)"
printf 'dprk, north korea\nlonely\n' >"$T/syn-bad.txt"
expect_status synonyms_bad_line 2 "$QI" -d "$T/one.idx" --synonyms "$T/syn-bad.txt"
expect_grep synonyms_bad_line_named 'syn-bad.txt:2: a group needs at least two different entries' "$T/err"
"$QI" -d "$T/one.idx" --stats >"$T/stats"
expect_grep synonyms_bad_unchanged '^synonyms: +2 groups$' "$T/stats"
expect_status synonyms_stdin_twice 2 "$QI" -d "$T/one.idx" --synonyms - -
expect_grep synonyms_stdin_twice_msg 'standard input cannot be both' "$T/err"
printf 'dprk, north korea\n' | "$QI" -q -d "$T/one.idx" --synonyms - || fail synonyms_stdin "exit $?"
expect_eq synonyms_stdin_count "$(count "$T/one.idx" '"north korea"')" "$(count "$T/one.idx" dprk)"
"$QI" -q -d "$T/one.idx" --synonyms "$T/syn.txt"
expect_status synonyms_sharded 0 "$QI" -d "$T/sh.idx" --synonyms "$T/syn.txt"
for i in 0 1 2; do
    "$QI" -d "$T/sh.idx/shard-$i" --stats >"$T/stats"
    expect_grep "synonyms_shard_$i" '^synonyms: +2 groups$' "$T/stats"
done
expect_eq synonyms_shards_count "$(count "$T/one.idx" dprk)" "$(count "$T/sh.idx" dprk)"

# The same over remote shards: xapian-tcpsrv per shard on loopback.
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
    base=$((24100 + $$ % 4000)) # below the kernel's ephemeral ports (32768-)
    : >"$T/remote.stub"
    for i in 0 1 2; do
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((base + i)) "$T/sh.idx/shard-$i" >/dev/null 2>&1 &
        echo $! >"$T/srv$i.pid"
        echo "remote :127.0.0.1:$((base + i))" >>"$T/remote.stub"
    done
    n=0
    until "$QQ" -d "$T/remote.stub" --count korea >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
    facets "$T/remote.stub" "$Q" >"$T/f3"
    if cmp -s "$T/f1" "$T/f3"; then ok facets_remote_same; else fail facets_remote_same "$(diff "$T/f1" "$T/f3" | head -5)"; fi
    expect_eq dym_remote "north korea" "$(dym "$T/remote.stub" 'north koreea')"
    expect_eq synonyms_remote "$(count "$T/one.idx" dprk)" "$(count "$T/remote.stub" dprk)"
    "$QQ" -d "$T/remote.stub" -f ids -n 50 --like 02-pyongyang-troops-russia.txt >"$T/like3"
    expect_eq like_remote_same "$(sort "$T/like1")" "$(sort "$T/like3")"
    expect_eq show_remote "$(cat "$T/show1")" "$("$QQ" -d "$T/remote.stub" --color never --show 01-seoul-weighs-shells.txt)"
    expect_status show_remote_absent 1 "$QQ" -d "$T/remote.stub" --show no-such-id
    for i in 0 1 2; do kill "$(cat "$T/srv$i.pid")" 2>/dev/null; done
else
    skip remote "xapian-tcpsrv or setsid not installed"
fi

printf '\n# none\n' >"$T/syn-empty.txt"
expect_status synonyms_removed 0 "$QI" -d "$T/one.idx" --synonyms "$T/syn-empty.txt"
expect_eq synonyms_removed_count 0 "$(count "$T/one.idx" dprk)"
rm -rf "$T"

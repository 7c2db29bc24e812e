# test_seeds_query.sh — the query suite over the real seed articles in
# ../shared/seeds (skipped, and said so, when they are not there). Expected
# ids are computed with grep over the files.
SUITE=seeds_query
. "$(dirname "$0")/lib.sh"
SEEDS="$SHARED/seeds"
if [ ! -d "$SEEDS" ]; then
    skip all "no $SEEDS"
    exit 0
fi
IDX="$T/seeds.idx"
"$QI" -q -d "$IDX" "$SEEDS" || fail setup "indexing failed"

expect_ids() {
    _n=$1
    _q=$2
    _want=$3
    "$QQ" -d "$IDX" -f ids -n 100 -- "$_q" >"$T/ids" 2>"$T/qerr"
    _st=$?
    _got=$(ids <"$T/ids")
    _want_st=1
    [ -n "$_want" ] && _want_st=0
    if [ "$_got" = "$_want" ] && [ "$_st" = "$_want_st" ]; then
        ok "$_n"
    else
        fail "$_n" "query [$_q]: expected [$_want], got [$_got] (exit $_st) $(head -c 200 "$T/qerr")"
    fi
}
gl() { grep -l "$@" "$SEEDS"/* | ids; }
set_a() { grep -l "$@" "$SEEDS"/* | sed 's|.*/||' | sort >"$T/A"; }
set_b() { grep -l "$@" "$SEEDS"/* | sed 's|.*/||' | sort >"$T/B"; }
both() { comm -12 "$T/A" "$T/B" | tr '\n' ' ' | sed 's/ $//'; }
minus() { comm -23 "$T/A" "$T/B" | tr '\n' ' ' | sed 's/ $//'; }
union() { sort -u "$T/A" "$T/B" | tr '\n' ' ' | sed 's/ $//'; }

expect_ids phrase_across_hyphen '"kim jong un"' "$(gl -iE 'kim[ -]jong[ -]un')"
expect_ids name 'ponomarenko' "$(gl -i 'ponomarenko')"
expect_ids acronym_dotted 'U.N.' "$(gl -iwE 'un|u\.n')"
expect_ids acronym 'DPRK' "$(gl -iw 'dprk')"
expect_ids phrase '"security council"' "$(gl -i 'security council')"
expect_ids stems 'deploying' "$(gl -iwE 'deploy|deploys|deployed|deploying|deployment|deployments')"
expect_ids exact '=deployed' "$(gl -iw 'deployed')"
expect_ids unit '155mm' "$(gl -w '155mm')"
expect_ids grouped_number '10,000' "$(gl -E '10,?000')"
expect_ids curly_possessive "Korea’s" "$(gl -iwE "korea|korea['’]s")"
expect_ids case 'ZELENSKYY' "$(gl -i 'zelenskyy')"
expect_ids prefix 'ukrain*' "$(gl -iwE 'ukrain[a-z]*')"
set_a -iE 'kim[ -]jong[ -]un'; set_b -i 'shoigu'
expect_ids not '"kim jong un" NOT shoigu' "$(minus)"
set_a -iw 'nuclear'; set_b -iwE 'missiles?'
expect_ids minus 'nuclear -missile' "$(minus)"
expect_ids and 'nuclear missile' "$(both)"
set_a -iw 'artillery'; set_b -iwE 'shells?|howitzers?'
expect_ids and_or 'artillery AND (shells OR howitzer)' "$(both)"
set_a -iw 'pyongyang'; set_b -iw 'moscow'
expect_ids or 'pyongyang OR moscow' "$(union)"
expect_ids near 'korea NEAR/2 troops' "$(gl -iP '\bkorea\W+(\w+\W+){0,1}troops\b|\btroops\W+(\w+\W+){0,1}korea\b')"
# Titles as the reader derives them (test_reader checks each one against the
# files): 001 and 002 have a headline line that names Seoul.
expect_ids title_field 'title:seoul' "001_bb79e8bb176362ef.txt 002_ca50cc4a6388ab88.txt"
expect_ids no_match 'xylophone' ''
rm -rf "$T"

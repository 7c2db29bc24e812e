# test_docs.sh — the documentation says what the programs do: every long
# option in --help is in the man page and the README and the other way
# round, the man pages render cleanly, and the quire(3) EXAMPLE compiles
# and runs against the library.
SUITE=docs
. "$(dirname "$0")/lib.sh"
TOP=$(pwd)

# Long options of a help text or a man page (troff's \- unescaped).
opts_of() { sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z-]+' | sort -u; }

for prog in quire-index quire-query quire-serve; do
    "$BUILD/$prog" --help | opts_of >"$T/help"
    opts_of <"$TOP/man/$prog.1" >"$T/man"
    sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$TOP/man/$prog.1" | opts_of >"$T/manopts"
    expect_eq "${prog}_help_options_in_man" "" "$(comm -23 "$T/help" "$T/man" | tr '\n' ' ')"
    expect_eq "${prog}_man_options_in_help" "" "$(comm -13 "$T/help" "$T/manopts" | tr '\n' ' ')"
    missing=""
    for o in $(cat "$T/help"); do
        grep -q -- "$o" "$TOP/README.md" || missing="$missing $o"
    done
    expect_eq "${prog}_help_options_in_readme" "" "$missing"
done

if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    for page in quire-index.1 quire-query.1 quire-serve.1 quire.3; do
        MANWIDTH=80 man --warnings -l "$TOP/man/$page" >/dev/null 2>"$T/w"
        expect_eq "renders_$page" "" "$(cat "$T/w")"
    done
else
    skip render_man_pages "man or groff not installed"
fi
# JSON on a font request (.B {"a": ...}): troff takes the double quotes as
# argument quotes and prints {"a: ...} — write them as \(dq.
expect_eq man_json_quotes "" "$(grep -n '^\.[BIR]*[[:space:]].*{"' "$TOP"/man/*.[13] | head -3)"

# The EXAMPLE of quire(3), as printed, builds and runs.
sed -n '/^\.SH EXAMPLE/,/^\.SH /p' "$TOP/man/quire.3" | sed -n '/^\.EX/,/^\.EE/p' | sed '1d;$d' |
    sed -e 's/\\e/\\/g' -e 's/\\-/-/g' >"$T/example.c"
# shellcheck disable=SC2086
expect_status man_example_builds 0 sh -c "cc -std=c11 -Wall -Wextra -Werror ${QUIRE_SANFLAGS:-} -I'$TOP/include' \
    '$T/example.c' '$BUILD/libquire.a' \$(pkg-config --libs xapian-core icu-uc icu-i18n zlib jansson) \
    -lstdc++ -lpthread -o '$T/example'"
(cd "$T" && ./example >"$T/out" 2>&1)
expect_eq man_example_runs 0 $?
expect_grep man_example_output '^1\. a[12]: .*\[(ferry|trains)\]' "$T/out"
# It checks what it calls: no quire_* call whose status is dropped (a
# statement that starts with the call).
expect_eq man_example_checks_statuses "" "$(grep -nE '^ *quire_(index_add|index_commit|index_finish|search)\(' "$T/example.c" | tr '\n' ' ')"
rm -rf "$T"

# lib.sh — shared by tests/cli/test_*.sh (sourced). Each check prints
# "ok - SUITE/name", "FAIL - SUITE/name: why" or "skip - SUITE/name: why".
set -u
BUILD=${QUIRE_BUILD:?run through tests/run.sh}
TD=${QUIRE_TESTDATA:?}
SHARED=${QUIRE_SHARED:-}
QI="$BUILD/quire-index"
QQ="$BUILD/quire-query"
# The indexer linked with the test hooks (QUIRE_TEST_PAUSE, lib/testpause.h),
# for the tests that stop it at a chosen point; $QI does not honour them.
QIT="$BUILD/tests/quire-index"
T=$(mktemp -d "${QUIRE_TMP:-/tmp}/cli-XXXXXX")
# QUIRE_VALGRIND=1 (make check-valgrind): the programs run under memcheck;
# any error or leak makes them exit 99, which fails the check that ran them.
if [ "${QUIRE_VALGRIND:-}" = 1 ]; then
    mkdir -p "$T/vg"
    for _p in quire-index quire-query; do
        printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect "%s" "$@"\n' \
            "$BUILD/$_p" >"$T/vg/$_p"
        chmod +x "$T/vg/$_p"
    done
    # Readable by the unprivileged user of the permission tests.
    chmod 755 "$T" "$T/vg" "${QUIRE_TMP:-/tmp}" 2>/dev/null
    QI="$T/vg/quire-index"
    QQ="$T/vg/quire-query"
fi

ok() { echo "ok - $SUITE/$1"; }
fail() { echo "FAIL - $SUITE/$1: $2"; }
skip() { echo "skip - $SUITE/$1: $2"; }

# check NAME CMD...: passes when CMD succeeds.
check() {
    _n=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$_n"; else fail "$_n" "failed: $*"; fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}

# expect_status NAME STATUS CMD...: CMD exits with STATUS.
expect_status() {
    _n=$1
    _want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    _got=$?
    if [ "$_got" = "$_want" ]; then ok "$_n"; else fail "$_n" "exit $_got, expected $_want: $* ($(head -c 300 "$T/err"; grep -m3 -E "Sanitizer|runtime error" "$T/err"))"; fi
}

# expect_grep NAME PATTERN FILE: FILE has a line matching PATTERN (ERE).
expect_grep() {
    if grep -qE -- "$2" "$3"; then ok "$1"; else fail "$1" "no /$2/ in: $(head -c 400 "$3")"; fi
}

# Sorted, space-separated basenames of the lines of stdin.
ids() { sed 's|.*/||' | sort | tr '\n' ' ' | sed 's/ $//'; }

# json_get FILE EXPR: a value from the JSON in FILE (EXPR in Python, d is
# the document).
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>&1; }

# doc_count INDEX: number of documents, read with xapian-delve.
doc_count() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }

# wait_for FILE TEXT: until FILE contains TEXT (gives up after 60 s): how
# tests wait for a process to reach a test pause (lib/testpause.h).
wait_for() {
    _i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        _i=$((_i + 1))
        [ $_i -gt 600 ] && return 1
        sleep 0.1
    done
}

#!/bin/sh
# Run every test: the unit test programs in BUILD/tests, the fuzz targets'
# replays, and the CLI test scripts in tests/cli. Each prints "ok - ...", "FAIL - ..." or "skip - ..."
# lines; this adds them up and ends with "N passed, N failed".
# Usage: tests/run.sh BUILD
set -u
# The suites grep articles in several scripts (grep -i on Cyrillic): the
# same answers whatever locale the caller has (glibc builds C.UTF-8 in).
export LC_ALL=C.UTF-8
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$top/$build" 2>/dev/null && pwd) || { echo "no build directory $1" >&2; exit 2; }
export QUIRE_BUILD="$build"
export QUIRE_TESTDATA="$top/testdata"
export QUIRE_SHARED="${QUIRE_SHARED:-$top/../shared}"
QUIRE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/quire-tests-XXXXXX")
export QUIRE_TMP
trap 'rm -rf "$QUIRE_TMP"' EXIT INT TERM
log="$QUIRE_TMP/log"
: >"$log"

run() {
    name=$1
    shift
    out="$QUIRE_TMP/out.$$"
    if ! (cd "$top" && "$@") >"$out" 2>&1; then
        grep -q '^FAIL - ' "$out" || echo "FAIL - $name: exited with an error (output below)" >>"$out"
    fi
    grep -E '^(ok|FAIL|skip) - ' "$out" >>"$log"
    if grep -q '^FAIL - ' "$out"; then cat "$out"; else grep -E '^(skip|FAIL) - ' "$out"; fi
    rm -f "$out"
}

# QUIRE_ONLY="NAME ...": run only these (e.g. make check-valgrind).
wanted() { [ -z "${QUIRE_ONLY:-}" ] || case " $QUIRE_ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
for t in "$build"/tests/test_*; do
    [ -x "$t" ] && wanted "$(basename "$t")" || continue
    run "$(basename "$t")" "$t"
done
# Fuzz targets replay their seeds and past crashes (tests/fuzz/TARGET/).
for t in "$build"/tests/fuzz_*; do
    [ -x "$t" ] && wanted "$(basename "$t")" || continue
    run "$(basename "$t")" "$t" "$top/tests/fuzz/$(basename "$t")"
done
for t in "$top"/tests/cli/test_*.sh; do
    [ -f "$t" ] && wanted "$(basename "$t")" || continue
    run "$(basename "$t")" sh "$t"
done

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^FAIL - ' "$log")
skipped=$(grep -c '^skip - ' "$log")
[ "$skipped" -gt 0 ] && echo "$skipped skipped (listed above; not counted as passed)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

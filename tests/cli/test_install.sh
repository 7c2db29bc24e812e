# test_install.sh — make install / uninstall into a temporary prefix (and
# with DESTDIR), then build and run the examples against the installed
# library: the C one with pkg-config (shared and static), the Python one
# through ctypes. Also: only quire_ symbols exported, a proper soname, and
# the header compiles as C11 and C++.
SUITE=install
. "$(dirname "$0")/lib.sh"
TOP=$(pwd)
P="$T/prefix"
SANFLAGS=${QUIRE_SANFLAGS:-}
# shellcheck disable=SC2086
mk() { make --no-print-directory -s -C "$TOP" ${QUIRE_MAKE_ARGS:-} "$@"; }

expect_status install 0 mk install PREFIX="$P"
for f in bin/quire-index bin/quire-query bin/quire-serve lib/libquire.a lib/libquire.so.0.2.0 include/quire.h \
         lib/pkgconfig/quire.pc share/man/man1/quire-index.1 share/man/man1/quire-query.1 \
         share/man/man1/quire-serve.1 share/man/man3/quire.3; do
    if [ -f "$P/$f" ]; then ok "installed_$(basename "$f")"; else fail "installed_$(basename "$f")" "missing $P/$f"; fi
done
expect_eq soname_link "libquire.so.0.2.0" "$(readlink "$P/lib/libquire.so.0")"
expect_eq dev_link "libquire.so.0" "$(readlink "$P/lib/libquire.so")"
expect_eq soname "libquire.so.0" "$(readelf -d "$P/lib/libquire.so.0.2.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
nm -D --defined-only "$P/lib/libquire.so.0.2.0" | awk '{print $3}' >"$T/syms"
expect_eq only_quire_symbols "" "$(grep -v '^quire_' "$T/syms" | tr '\n' ' ')"
expect_grep exports_api '^quire_search$' "$T/syms"

export PKG_CONFIG_PATH="$P/lib/pkgconfig"
expect_eq pkgconfig_version "0.2.0" "$(pkg-config --modversion quire)"
# shellcheck disable=SC2086
expect_status build_example_shared 0 cc -std=c11 -Wall -Wextra -Werror $SANFLAGS "$TOP/examples/embed.c" \
    $(pkg-config --cflags --libs quire) -Wl,-rpath,"$P/lib" -o "$T/embed"
expect_status run_example 0 "$T/embed" "$T/e.idx" 'ferry harbour'
expect_grep example_hits '^2 hits for' "$T/out"
expect_grep example_highlight '\[Ferry\] service' "$T/out"
expect_eq example_uses_installed_lib "$P/lib/libquire.so.0" \
    "$(ldd "$T/embed" | sed -n 's/.*libquire.so.0 => \([^ ]*\).*/\1/p')"
# shellcheck disable=SC2086
expect_status build_example_static 0 cc -std=c11 -Wall -Wextra -Werror $SANFLAGS "$TOP/examples/embed.c" \
    $(pkg-config --cflags quire) "$P/lib/libquire.a" $(pkg-config --static --libs-only-l quire | sed 's/-lquire//') \
    -o "$T/embed-static"
expect_status run_static_example 0 "$T/embed-static" "$T/e2.idx" ferry
if ldd "$T/embed-static" | grep -q libquire; then fail static_has_no_libquire "linked libquire.so"; else ok static_has_no_libquire; fi

# The static library defines no name but quire_* either (weak C++ template
# and typeinfo copies aside, which linkers merge), so a program with its
# own utf8_decode, input_open, sb_add, strmap_get or test_pause links.
nm -g --defined-only "$P/lib/libquire.a" | awk 'NF == 3 && $2 ~ /^[TDBRGS]$/ { print $3 }' >"$T/ssyms"
expect_eq static_only_quire_symbols "" "$(grep -v '^quire_' "$T/ssyms" | tr '\n' ' ')"
expect_grep static_exports_api '^quire_search$' "$T/ssyms"
cat >"$T/clash.c" <<'EOF_C'
#include <quire.h>
#include <stdio.h>
int utf8_decode(void) { return 1; }
int input_open(void) { return 2; }
void sb_add(void) { }
int strmap_get = 3;
void test_pause(void) { }
int main(void)
{
    sb_add();
    test_pause();
    printf("%s %d\n", quire_version(), utf8_decode() + input_open() + strmap_get);
    return 0;
}
EOF_C
# shellcheck disable=SC2086
expect_status static_link_own_names 0 cc -std=c11 -Wall -Wextra -Werror $SANFLAGS "$T/clash.c" \
    $(pkg-config --cflags quire) "$P/lib/libquire.a" $(pkg-config --static --libs-only-l quire | sed 's/-lquire//') \
    -o "$T/clash"
expect_status static_own_names_run 0 "$T/clash"
expect_grep static_own_names_used '^0\.2\.0 6$' "$T/out"

# What is installed has no test hooks: the name QUIRE_TEST_PAUSE is not in
# it, and the installed quire-index never pauses for it.
if grep -l QUIRE_TEST_PAUSE "$P/lib/libquire.so.0.2.0" "$P/lib/libquire.a" "$P/bin/quire-index" >"$T/hooks" 2>&1; then
    fail installed_has_no_test_hooks "found in $(tr '\n' ' ' <"$T/hooks")"
else
    ok installed_has_no_test_hooks
fi
expect_status installed_ignores_test_pause 0 env QUIRE_TEST_PAUSE=commit QUIRE_TEST_PAUSE_SECONDS=3 \
    "$P/bin/quire-index" -q -d "$T/tp.idx" --threads 1 "$TD/articles"
if grep -q 'test pause' "$T/err"; then fail installed_never_pauses "$(cat "$T/err")"; else ok installed_never_pauses; fi

if command -v python3 >/dev/null 2>&1; then
    if [ -n "$SANFLAGS" ]; then
        # A sanitized library needs its runtime loaded first; Python's own
        # allocations are not ours to check for leaks.
        export LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
        export ASAN_OPTIONS=detect_leaks=0
    fi
    expect_status python_ctypes 0 env LD_LIBRARY_PATH="$P/lib" python3 "$TOP/examples/search.py" "$T/e.idx" ferry
    expect_grep python_hits '^quire 0\.2\.0: 2 hits$' "$T/out"
    expect_grep python_highlight '\[Ferry\] service' "$T/out"
    # Without the library: two lines saying so and what to do, no traceback.
    expect_status python_no_library 2 env QUIRE_LIB="$T/nowhere/libquire.so.0" python3 "$TOP/examples/search.py" "$T/e.idx" ferry
    expect_grep python_no_library_says_so '^search.py: cannot load libquire' "$T/err"
    if grep -q Traceback "$T/err"; then fail python_no_library_no_traceback "$(head -c 300 "$T/err")"; else ok python_no_library_no_traceback; fi
    unset LD_PRELOAD ASAN_OPTIONS
else
    skip python_ctypes "no python3"
fi

# The header on its own, as strict C11 and as C++ (extern "C" guards).
expect_status header_c11 0 cc -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -x c "$P/include/quire.h"
expect_status header_cxx 0 c++ -std=c++11 -Wall -Wextra -Werror -pedantic -fsyntax-only -x c++ "$P/include/quire.h"
printf '#include <quire.h>\nint main() { return quire_version_number() == QUIRE_VERSION_NUMBER ? 0 : 1; }\n' >"$T/v.cc"
# shellcheck disable=SC2086
expect_status cxx_links_and_runs 0 sh -c "c++ $SANFLAGS '$T/v.cc' \$(pkg-config --cflags --libs quire) -Wl,-rpath,'$P/lib' -o '$T/v' && '$T/v'"

expect_status uninstall 0 mk uninstall PREFIX="$P"
expect_eq uninstall_leaves_no_files "" "$(find "$P" -type f -o -type l | tr '\n' ' ')"

# DESTDIR stages under another root.
expect_status destdir_install 0 mk install PREFIX=/opt/quire DESTDIR="$T/stage"
expect_grep destdir_pc_prefix '^prefix=/opt/quire$' "$T/stage/opt/quire/lib/pkgconfig/quire.pc"
if [ -x "$T/stage/opt/quire/bin/quire-query" ]; then ok destdir_layout; else fail destdir_layout "no staged binary"; fi
expect_status destdir_uninstall 0 mk uninstall PREFIX=/opt/quire DESTDIR="$T/stage"
expect_eq destdir_clean "" "$(find "$T/stage" -type f -o -type l | tr '\n' ' ')"
rm -rf "$T"

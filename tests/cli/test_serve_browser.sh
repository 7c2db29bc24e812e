# test_serve_browser.sh — quire-serve's search page in headless Chromium
# (tests/tools/browser.py drives it over the DevTools protocol): the form
# submits, hits and <mark> render with the stylesheet, "next" pages, the
# caret shows, no sideways scrolling on a phone. Screenshots are kept in
# BUILD/test-output/serve/.
SUITE=serve_browser
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    skip browser "chromium not installed (scripts/configure installs it for make test)"
    exit 0
fi
OUT="$BUILD/test-output/serve"
rm -rf "$OUT"
"$QI" -q -d "$T/idx" "$TD/articles" || fail setup "indexing failed"
P=$((PORT0 + 20))
start_server page $P -d "$T/idx"
timeout 300 python3 "$(dirname "$0")/../tools/browser.py" "$CHROMIUM" "http://127.0.0.1:$P" "$OUT" 2>"$T/browser.err" ||
    fail browser_ran "browser.py failed: $(tail -5 "$T/browser.err")"
stop_server page
expect_eq exit_0 0 $?
rm -rf "$T"

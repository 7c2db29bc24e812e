# test_serve.sh — quire-serve over real HTTP (curl): the API answers with
# exactly the JSON of quire-query --format json and quire-index --stats
# --stats-json; every error status (400, 404, 405, 413, 414, 431, 503)
# comes with the JSON error document and never a 500; headers (CSP, CORS
# only when asked); the access log; a commit and --rebuild switches picked
# up without a restart and without a failed request; SIGTERM answers the
# request in flight, then exits 0.
SUITE=serve
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
ART="$TD/articles"

"$QI" -q -d "$T/idx" "$ART" || fail setup "indexing failed"
P=$PORT0
B="http://127.0.0.1:$P"
start_server main $P -d "$T/idx" --access-log --reopen-interval 0.1 --max-limit 50
expect_grep starts_on_loopback "serving $T/idx on http://127.0.0.1:$P/ \([0-9]+ workers?\)" "$T/main.log"

# -- The JSON is quire-query's, byte for byte ------------------------------
same_as_cli() {
    _name=$1
    _url=$2
    shift 2
    get "$B$_url" >/dev/null
    "$QQ" -d "$T/idx" --format json "$@" >"$T/cli.json" 2>&1
    if cmp -s "$T/body" "$T/cli.json"; then ok "$_name"; else
        fail "$_name" "differs from quire-query $*: $(diff "$T/cli.json" "$T/body" | head -5)"
    fi
}
same_as_cli search_json_is_cli '/api/search?q=korea' korea
same_as_cli search_options_as_cli '/api/search?q=korea+OR+seoul&limit=3&offset=1&sort=-date' --limit 3 --offset 1 \
    --sort -date 'korea OR seoul'
same_as_cli search_any_as_cli '/api/search?q=artillery%20shells%20ukraine&any=1&sort=date' --any --sort date \
    'artillery shells ukraine'
same_as_cli search_phrase_as_cli '/api/search?q=%22kim%20jong%20un%22' '"kim jong un"'
same_as_cli search_cjk_as_cli '/api/search?q=%E5%8C%97%E4%BA%AC' '北京'
same_as_cli search_lang_as_cli '/api/search?q=verhandlung&lang=de' --lang de verhandlung
same_as_cli search_nothing_as_cli '/api/search?q=zzzzunknownword' zzzzunknownword
expect_grep search_content_type '^Content-Type: application/json; charset=utf-8' "$T/headers"
get "$B/api/stats" >/dev/null
"$QI" -d "$T/idx" --stats --stats-json >"$T/cli.json"
if cmp -s "$T/body" "$T/cli.json"; then ok stats_json_is_cli; else fail stats_json_is_cli "$(diff "$T/cli.json" "$T/body" | head -5)"; fi
expect_http health_200 200 "$B/healthz"
expect_eq health_body "ok 29" "$(json_get "$T/body" 'd["status"], d["documents"]' | tr -d "(),'")"
expect_http head_200 200 "$B/api/search?q=korea" -I
expect_grep head_length '^Content-Length: [1-9]' "$T/headers"
# curl -I never reads a body: ask on a raw socket and read to the end.
python3 - "$P" <<'PY' >"$T/head.out" 2>&1
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"HEAD /api/search?q=korea HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, sep, rest = data.partition(b"\r\n\r\n")
print("status", head.split(b"\r\n")[0].decode(), "body bytes", len(rest) if sep else "no end of headers")
PY
expect_eq head_no_body "status HTTP/1.1 200 OK body bytes 0" "$(cat "$T/head.out")"

# One connection serves many requests, answers and errors alike (keep-alive).
python3 - "$P" <<'PY' >"$T/ka.out" 2>&1
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
for path in ("/api/search?q=korea", "/nowhere", "/?q=korea", "/api/search?q=%22", "/quire.css", "/healthz"):
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    print(r.status, r.getheader("Connection") or "-", "open" if c.sock else "closed")
PY
expect_eq keep_alive "200 - open|404 - open|200 - open|400 - open|200 - open|200 - open" "$(tr '\n' '|' <"$T/ka.out" | sed 's/|$//')"

# -- Documents by id ------------------------------------------------------
expect_http doc_200 200 "$B/api/doc/01-seoul-weighs-shells.txt"
expect_eq doc_fields "Seoul weighs sending artillery shells to Kyiv|Harbor Times|2024-10-22" \
    "$(json_get "$T/body" '"|".join([d["title"], d["source"], d["date"]])')"
expect_eq doc_whole_body True "$(json_get "$T/body" 'd["body"] == open("'"$TD/articles/01-seoul-weighs-shells.txt"'").read().split("\n\n", 1)[1].strip()')"
mkdir -p "$T/odd"
printf '%s\n' '{"id": "dir/a b&c?.txt", "title": "Odd id", "body": "An odd identifier."}' \
    '{"id": "has\"quote", "title": "Quoted id", "body": "A quote in the id."}' >"$T/odd/odd.jsonl"
"$QI" -q -d "$T/odd.idx" "$T/odd" || fail setup "indexing odd ids failed"
P2=$((P + 1))
start_server odd $P2 -d "$T/odd.idx"
expect_http doc_escaped_id 200 "http://127.0.0.1:$P2/api/doc/dir%2Fa%20b%26c%3F.txt"
expect_eq doc_escaped_id_title "Odd id" "$(json_get "$T/body" 'd["title"]')"
expect_http doc_slash_unescaped 200 "http://127.0.0.1:$P2/api/doc/dir/a%20b%26c%3F.txt"
expect_http doc_quote 200 "http://127.0.0.1:$P2/api/doc/has%22quote"
expect_eq doc_quote_title "Quoted id" "$(json_get "$T/body" 'd["title"]')"
stop_server odd
expect_http doc_404 404 "$B/api/doc/no-such-article.txt"
expect_http doc_empty_404 404 "$B/api/doc/"
expect_http doc_nul_400 400 "$B/api/doc/a%00b"
expect_http doc_bad_escape_400 400 "$B/api/doc/a%zzb"
expect_http doc_long_404 404 "$B/api/doc/$(head -c 300 /dev/zero | tr '\0' x)"

# -- Every error status, as JSON ------------------------------------------
expect_http err_syntax 400 "$B/api/search?q=%22kim+jong"
expect_eq err_syntax_doc "unbalanced quote: this \" is never closed @0" "$(json_get "$T/body" 'd["error"] + " @" + str(d["offset"])')"
expect_http err_syntax_offset 400 "$B/api/search?q=korea+AND"
expect_eq err_syntax_offset_value 6 "$(json_get "$T/body" 'd["offset"]')"
expect_http err_utf8 400 "$B/api/search?q=ab%FFcd"
expect_grep err_utf8_msg '"error": "invalid UTF-8 in the query at byte 2"' "$T/body"
expect_http err_empty_query 400 "$B/api/search?q="
expect_http err_no_query 400 "$B/api/search"
expect_grep err_no_query_msg 'no query given' "$T/body"
expect_http err_nul 400 "$B/api/search?q=a%00b"
expect_grep err_nul_msg "parameter 'q' contains a NUL byte" "$T/body"
expect_http err_limit_nan 400 "$B/api/search?q=korea&limit=ten"
expect_grep err_limit_msg '"error": "limit needs a number from 0 to 100000000: ten"' "$T/body"
expect_http err_limit_cap 400 "$B/api/search?q=korea&limit=51"
expect_grep err_limit_cap_msg 'limit must be at most 50' "$T/body"
expect_http limit_at_cap 200 "$B/api/search?q=korea&limit=50"
expect_http err_offset_cap 400 "$B/api/search?q=korea&offset=10001"
expect_http err_sort 400 "$B/api/search?q=korea&sort=popular"
expect_grep err_sort_msg 'sort must be relevance, date or -date' "$T/body"
expect_http err_any 400 "$B/api/search?q=korea&any=maybe"
expect_http err_lang 400 "$B/api/search?q=korea&lang=1"
expect_grep err_lang_msg "'1' is not a language code" "$T/body"
expect_http err_unknown_param 400 "$B/api/search?q=korea&limt=5"
expect_grep err_unknown_param_msg "unknown parameter 'limt'" "$T/body"
expect_http err_duplicate_param 400 "$B/api/search?q=korea&q=seoul"
expect_http err_depth 400 "$B/api/search?q=$(printf '%0.s(' $(seq 101))a$(printf '%0.s)' $(seq 101))"
expect_grep err_depth_has_offset '"offset": [0-9]' "$T/body"
expect_http facets 200 "$B/api/search?q=korea&facets=source"
expect_eq facets_counted "$(json_get "$T/body" 'd["total"]')" "$(json_get "$T/body" 'sum(v["count"] for v in d["facets"]["source"])')"
expect_http facets_unknown_400 400 "$B/api/search?q=korea&facets=colour"
expect_grep facets_unknown_msg "unknown facet 'colour'" "$T/body"
expect_http suggestion_json 200 "$B/api/search?q=north+koreea"
expect_eq suggestion_json_value "north korea" "$(json_get "$T/body" 'd["suggestion"]')"
expect_http err_params_on_stats 400 "$B/api/stats?x=1"
expect_http err_params_on_doc 400 "$B/api/doc/01-seoul-weighs-shells.txt?x=1"
expect_grep err_params_on_doc_msg "unknown parameter 'x' \\(this endpoint takes none\\)" "$T/body"
expect_http err_404 404 "$B/nowhere"
expect_http err_404_api 404 "$B/api/searches?q=korea"
for m in POST PUT DELETE PATCH; do
    expect_http "err_405_$m" 405 "$B/api/search?q=korea" -X $m
done
expect_grep err_405_allow '^Allow: GET, HEAD' "$T/headers"
expect_http err_options_405_without_cors 405 "$B/api/search?q=korea" -X OPTIONS
expect_http err_413_body 413 "$B/api/search?q=korea" -X GET --data-binary 'a body'
expect_http err_414_uri 414 "$B/api/search?q=$(head -c 20000 /dev/zero | tr '\0' a)"
expect_grep err_414_msg 'request line is longer than --max-request-bytes' "$T/body"
# Beyond what MHD buffers at all: its own 414, still not a 500.
python3 - "$P" >"$T/raw.out" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /api/search?q=" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
print(s.recv(100).split(b"\r\n")[0].decode())
PY
expect_grep err_414_huge '^HTTP/1.1 414 ' "$T/raw.out"
expect_http err_431_headers 431 "$B/api/search?q=korea" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' b)"
# Queries from the hostile-input suite's spirit: never a 500.
bad=""
for q in '%22' '(' ')' 'NOT' 'a%20AND' 'title:' 'NEAR%2F0' 'date:2024-13' 'year:..' '%E2%80%9C' '*' 'a*' '+-' \
    '%C0%80' '%ED%A0%80' '%F4%90%80%80' 'a~' '%22a%22~x' 'id:' 'lang:zz' '((((a' "$(printf 'x%%20%.0s' $(seq 1200))"; do
    s=$(get "$B/api/search?q=$q")
    case $s in 200 | 400) ;; *) bad="$bad $q:$s" ;; esac
done
expect_eq hostile_queries_200_or_400 "" "$bad"

# -- Headers ----------------------------------------------------------------
get "$B/?q=korea" >/dev/null
expect_grep csp_header "^Content-Security-Policy: default-src 'none'; style-src 'self'" "$T/headers"
expect_grep nosniff_header '^X-Content-Type-Options: nosniff' "$T/headers"
expect_grep no_referrer_header '^Referrer-Policy: no-referrer' "$T/headers"
get "$B/api/search?q=korea" -H 'Origin: https://evil.example' >/dev/null
if grep -qi '^Access-Control' "$T/headers"; then fail no_cors_by_default "$(grep -i '^Access-Control' "$T/headers")"; else ok no_cors_by_default; fi
expect_http css_200 200 "$B/quire.css"
expect_grep css_type '^Content-Type: text/css' "$T/headers"
# The page names its icon, so that browsers do not ask for a missing
# /favicon.ico on their own (and log the 404 as a page error).
expect_http icon_200 200 "$B/favicon.svg"
expect_grep icon_type '^Content-Type: image/svg\+xml' "$T/headers"
expect_grep icon_cacheable '^Cache-Control: public' "$T/headers"
expect_grep icon_is_svg '^<svg xmlns="http://www.w3.org/2000/svg"' "$T/body"
expect_http icon_ico_200 200 "$B/favicon.ico"
expect_grep icon_ico_type '^Content-Type: image/svg\+xml' "$T/headers"

# -- The page (HTML; the browser test looks at it in Chromium) --------------
expect_http page_home 200 "$B/"
expect_grep page_home_form '<form class="search" action="/" method="get"' "$T/body"
expect_grep page_names_icon '<link rel="icon" href="/favicon.svg"' "$T/body"
expect_http page_results 200 "$B/?q=%22kim+jong+un%22"
expect_grep page_marks '<mark>Kim Jong[ -][Uu]n</mark>' "$T/body"
expect_grep page_summary 'Results 1.2 of 2 for' "$T/body"
expect_http page_escapes_query 200 "$B/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
if grep -q '<script' "$T/body"; then fail page_no_raw_script "the query came back unescaped"; else ok page_no_raw_script; fi
expect_grep page_query_escaped 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"' "$T/body"
expect_http page_syntax_error 400 "$B/?q=north+%22korea"
expect_grep page_error_message 'unbalanced quote' "$T/body"
expect_eq page_caret "$(printf '<pre>north &quot;korea\n      ^</pre>')" "$(sed -n '/<pre>/,/<\/pre>/p' "$T/body")"
expect_http page_paging 200 "$B/?q=the&limit=2&offset=2&sort=-date&any=on"
expect_grep page_next_link '<a rel="next" href="/\?q=the&amp;offset=4&amp;limit=2&amp;sort=-date&amp;any=on">' "$T/body"
expect_grep page_prev_link '<a rel="prev" href="/\?q=the&amp;limit=2&amp;sort=-date&amp;any=on">' "$T/body"
expect_grep page_keeps_sort '<option value="-date" selected>' "$T/body"
expect_grep page_keeps_any 'name="any" value="on" checked' "$T/body"
expect_http page_ignores_unknown 200 "$B/?q=korea&utm_source=mail"
expect_grep page_facets '<aside class="facets">' "$T/body"
expect_grep page_facet_link '<a href="/\?q=%28korea%29%20source%3A%3D%22Harbor%20Times%22">Harbor Times</a> <span class="count">[0-9]+</span>' "$T/body"
expect_http page_facets_asked 200 "$B/?q=korea&facets=lang"
expect_grep page_facets_asked_lang '<h2>lang</h2>' "$T/body"
expect_grep page_facets_kept '<input type="hidden" name="facets" value="lang">' "$T/body"
expect_http page_suggestion 200 "$B/?q=north+koreea"
expect_grep page_suggestion_link '<p class="suggestion">Did you mean: <a href="/\?q=north%20korea">north korea</a>\?</p>' "$T/body"
expect_http page_bad_limit_400 400 "$B/?q=korea&limit=x"
mkdir -p "$T/evil"
printf 'Title: <script>alert(1)</script> & "quotes"\nURL: javascript:alert(1)\nSource: <i>src</i>\n\nA body with <b>tags</b> in it.\n' >"$T/evil/x.txt"
"$QI" -q -d "$T/evil.idx" "$T/evil"
P3=$((P + 2))
start_server evil $P3 -d "$T/evil.idx"
expect_http page_evil_doc 200 "http://127.0.0.1:$P3/?q=body"
expect_grep page_evil_title_escaped '&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; &quot;quotes&quot;' "$T/body"
expect_grep page_evil_source_escaped '<span class="source">&lt;i&gt;src&lt;/i&gt;</span>' "$T/body"
if grep -qE 'javascript:|<script|<i>' "$T/body"; then fail page_evil_inert "markup from the document reached the page"; else ok page_evil_inert; fi
stop_server evil

# -- The access log ---------------------------------------------------------
python3 - "$P" <<'PY' >"$T/raw.out"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b'GET /?q="x\\y\x7f" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
print(s.recv(100).split(b"\r\n")[0].decode())
PY
wait_for "$T/main.log" 'GET /\?q=\\x22x\\x5Cy\\x7F\\x22 HTTP/1.1" 200 [0-9]+ [0-9.]+ms$'
expect_grep access_log_escaped 'GET /\?q=\\x22x\\x5Cy\\x7F\\x22 HTTP/1.1" 200 [0-9]+ [0-9.]+ms$' "$T/main.log"
expect_grep access_log_format '^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "GET /api/search\?q=korea HTTP/1\.1" 200 [0-9]+ [0-9.]+ms$' "$T/main.log"
expect_grep access_log_errors '"POST /api/search\?q=korea HTTP/1\.1" 405 ' "$T/main.log"
for i in 1 2 3; do curl -s -o /dev/null "$B/api/search?q=logmark$i"; done
wait_for "$T/main.log" 'q=logmark3 HTTP' >/dev/null
wait_for "$T/main.log" 'q=logmark1 HTTP' >/dev/null
wait_for "$T/main.log" 'q=logmark2 HTTP' >/dev/null
expect_eq access_log_one_line_each "1 1 1" "$(for i in 1 2 3; do grep -c "q=logmark$i HTTP" "$T/main.log"; done | tr '\n' ' ' | sed 's/ $//')"

# -- A commit and --rebuild switches, picked up without a restart ----------
mkdir -p "$T/more"
printf 'Title: Zeppelin returns\nDate: 2025-01-02\n\nA zeppelinfest drew crowds.\n' >"$T/more/zep.txt"
"$QI" -q -d "$T/idx" "$T/more"
n=0
until [ "$(get "$B/api/search?q=zeppelinfest")" = 200 ] && [ "$(json_get "$T/body" 'd["total"]')" = 1 ] || [ $n -ge 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
expect_eq commit_seen 1 "$(json_get "$T/body" 'd["total"]')"
# Rebuilds under load: a client keeps searching while the index is
# rebuilt three times; every answer must be a 200.
(
    while [ ! -f "$T/stop-load" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' "$B/api/search?q=korea+OR+zeppelinfest&limit=5"
    done
) >"$T/load.codes" &
load=$!
mkdir -p "$T/v2"
cp "$ART"/0*.txt "$T/v2/"
for i in 1 2 3; do
    "$QI" -q -d "$T/idx" --rebuild "$T/v2" || fail "rebuild_$i" "quire-index --rebuild failed"
done
n=0
until [ "$(get "$B/api/search?q=zeppelinfest")" = 200 ] && [ "$(json_get "$T/body" 'd["total"]')" = 0 ] || [ $n -ge 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
touch "$T/stop-load"
wait $load
expect_eq rebuild_seen 0 "$(json_get "$T/body" 'd["total"]')"
expect_eq rebuild_count 9 "$(get "$B/healthz" >/dev/null; json_get "$T/body" 'd["documents"]')"
codes=$(sort "$T/load.codes" | uniq -c | tr -s ' ' | tr '\n' ';')
if [ "$(grep -cv '^200$' "$T/load.codes")" = 0 ] && [ "$(wc -l <"$T/load.codes")" -gt 0 ]; then ok rebuild_no_failed_request; else
    fail rebuild_no_failed_request "$codes"; fi
# Idle workers let go of old versions: the next writer removes them.
mkdir -p "$T/empty"
n=0
until [ "$(ls -d "$T"/idx.v* 2>/dev/null | wc -l)" = 1 ] || [ $n -ge 300 ]; do
    "$QI" -q -d "$T/idx" --update "$T/empty" >/dev/null 2>&1
    sleep 0.1
    n=$((n + 1))
done
expect_eq old_versions_released 1 "$(ls -d "$T"/idx.v* | wc -l)"

stop_server main
expect_eq sigterm_exit_0 0 $?
expect_grep sigterm_logged 'quire-serve: stopped' "$T/main.log"
if grep -qE 'Sanitizer|runtime error|leak' "$T/main.log"; then fail main_clean "$(grep -m3 -E 'Sanitizer|runtime error|leak' "$T/main.log")"; else ok main_clean; fi

# -- CORS only when asked ----------------------------------------------------
P4=$((P + 3))
start_server cors $P4 -d "$T/idx" --cors https://app.example
get "http://127.0.0.1:$P4/api/search?q=korea" -H 'Origin: https://app.example' >/dev/null
expect_grep cors_origin '^Access-Control-Allow-Origin: https://app.example' "$T/headers"
expect_http cors_preflight 204 "http://127.0.0.1:$P4/api/search?q=korea" -X OPTIONS -H 'Origin: https://app.example' \
    -H 'Access-Control-Request-Method: GET'
expect_grep cors_preflight_methods '^Access-Control-Allow-Methods: GET, HEAD' "$T/headers"
get "http://127.0.0.1:$P4/" >/dev/null
if grep -qi '^Access-Control' "$T/headers"; then fail cors_not_on_page "the page got CORS headers"; else ok cors_not_on_page; fi
stop_server cors
expect_eq cors_exit_0 0 $?

# -- An index that cannot be opened: 503, until it can ---------------------
P5=$((P + 4))
start_server missing $P5 -d "$T/later.idx" --reopen-interval 0.1
expect_grep missing_warns 'warning: .*later.idx.*answering 503 until it can be opened' "$T/missing.log"
expect_http missing_health_503 503 "http://127.0.0.1:$P5/healthz"
expect_grep missing_retry_after '^Retry-After: 1' "$T/headers"
expect_http missing_search_503 503 "http://127.0.0.1:$P5/api/search?q=korea"
expect_http missing_page_503 503 "http://127.0.0.1:$P5/?q=korea"
expect_http missing_bad_query_still_400 400 "http://127.0.0.1:$P5/api/search?q=korea&limit=x"
"$QI" -q -d "$T/later.idx" "$ART"
n=0
until [ "$(get "http://127.0.0.1:$P5/healthz")" = 200 ] || [ $n -ge 300 ]; do sleep 0.1; n=$((n + 1)); done
expect_http missing_then_200 200 "http://127.0.0.1:$P5/api/search?q=korea"
# A hang-up does not stop it (it ended the server at once, in-flight
# requests and all).
kill -HUP "$(cat "$T/missing.pid")"
sleep 0.3
expect_http sighup_ignored 200 "http://127.0.0.1:$P5/healthz"
stop_server missing
expect_eq missing_exit_0 0 $?

# -- SIGTERM with a request in flight ----------------------------------------
# The index is a remote shard behind a proxy that holds the traffic while
# $T/gate exists: a search is then in flight for as long as the test wants.
if command -v xapian-tcpsrv >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
    P6=$((P + 5))
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port $((P + 6)) "$(readlink -f "$T/idx")" >/dev/null 2>&1 &
    echo $! >"$T/tcpsrv.pid"
    python3 - $((P + 7)) $((P + 6)) "$T/gate" >"$T/proxy.log" 2>&1 <<'PY' &
import os, select, socket, sys, threading, time
listen, target, gate = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", listen))
ls.listen(8)
print("listening", flush=True)
def pump(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            if os.path.exists(gate):
                print("holding", flush=True)
                while os.path.exists(gate):
                    time.sleep(0.05)
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
while True:
    c, _ = ls.accept()
    for _ in range(100):
        try:
            u = socket.create_connection(("127.0.0.1", target))
            break
        except OSError:
            time.sleep(0.1)
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()
PY
    proxy=$!
    wait_for "$T/proxy.log" listening
    echo "remote 127.0.0.1:$((P + 7))" >"$T/gated.stub"
    # --time-limit bounds the wait for a worker: with the only worker held
    # by a search in flight, a second request is answered 503 after about
    # a second, not when the worker frees up (it waited for the gate).
    P8=$((P + 9))
    start_server queued $P8 -d "$T/gated.stub" --threads 1 --timeout 60 --reopen-interval 60 --time-limit 1
    # The worker opens the index after the server listens; with a 1 s limit
    # a slow open (ASan, through the proxy) would answer 503: wait for it.
    n=0
    until [ "$(get "http://127.0.0.1:$P8/healthz")" = 200 ] || [ $n -ge 300 ]; do sleep 0.1; n=$((n + 1)); done
    expect_http queued_works 200 "http://127.0.0.1:$P8/api/search?q=korea"
    touch "$T/gate"
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P8/api/search?q=seoul" >"$T/held.code" &
    held=$!
    wait_for "$T/proxy.log" holding
    curl -s -o "$T/late.body" -w '%{http_code}' --max-time 8 "http://127.0.0.1:$P8/healthz" >"$T/late.code"
    expect_eq queued_wait_bounded 503 "$(cat "$T/late.code")"
    expect_grep queued_wait_says_why 'waited .* for a worker, more than --time-limit 1.0 s' "$T/late.body"
    rm -f "$T/gate"
    wait $held
    expect_eq queued_held_answered 200 "$(cat "$T/held.code")"
    stop_server queued
    : >"$T/proxy.log"
    start_server gated $P6 -d "$T/gated.stub" --threads 1 --timeout 60 --reopen-interval 60
    expect_http gated_works 200 "http://127.0.0.1:$P6/api/search?q=korea"
    touch "$T/gate"
    curl -s -o "$T/inflight.body" -w '%{http_code}' "http://127.0.0.1:$P6/api/search?q=seoul" >"$T/inflight.code" &
    client=$!
    wait_for "$T/proxy.log" holding
    kill -TERM "$(cat "$T/gated.pid")"
    wait_for "$T/gated.log" 'SIGTERM: finishing'
    # No new connections once SIGTERM came.
    n=0
    until ! curl -s -o /dev/null "http://127.0.0.1:$P6/healthz" || [ $n -ge 300 ]; do sleep 0.1; n=$((n + 1)); done
    if curl -s -o /dev/null "http://127.0.0.1:$P6/healthz"; then fail sigterm_refuses_new "still accepting"; else ok sigterm_refuses_new; fi
    if kill -0 "$(cat "$T/gated.pid")" 2>/dev/null; then ok sigterm_waits_for_inflight; else fail sigterm_waits_for_inflight "exited with a request in flight"; fi
    rm -f "$T/gate"
    wait $client
    expect_eq sigterm_inflight_answered 200 "$(cat "$T/inflight.code")"
    expect_eq sigterm_inflight_complete "seoul" "$(json_get "$T/inflight.body" 'd["query"]')"
    wait "$(cat "$T/gated.pid")"
    expect_eq sigterm_inflight_exit_0 0 $?
    kill $proxy 2>/dev/null
    kill "$(cat "$T/tcpsrv.pid")" 2>/dev/null
else
    skip sigterm_inflight "xapian-tcpsrv or setsid not installed"
fi

# -- Bad command lines ---------------------------------------------------------
expect_status opt_no_index 2 env -u QUIRE_INDEX "$QS"
expect_grep opt_no_index_msg 'no index given' "$T/err"
expect_status opt_two_indexes 2 "$QS" -d a -d b
expect_grep opt_two_indexes_msg 'one index only' "$T/err"
expect_status opt_bad_listen 2 "$QS" -d "$T/idx" --listen 127.0.0.1:99999
expect_grep opt_bad_listen_msg 'port must be a number' "$T/err"
expect_status opt_bad_threads 2 "$QS" -d "$T/idx" --threads 0
expect_status opt_bad_wildcard 2 "$QS" -d "$T/idx" --max-wildcard x
expect_grep opt_bad_wildcard_msg '--max-wildcard needs a positive number: x' "$T/err"
expect_status opt_stray_arg 2 "$QS" -d "$T/idx" korea
expect_status opt_unknown 2 "$QS" -d "$T/idx" --bogus
expect_eq opt_unknown_one_line "quire-serve: unknown option: --bogus|Try 'quire-serve --help'." \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
expect_status opt_bad_letter_in_group 2 "$QS" -d "$T/idx" --access-log -Zq
expect_eq opt_bad_letter_in_group_named "quire-serve: unknown option: -Z|Try 'quire-serve --help'." \
    "$(tr '\n' '|' <"$T/err" | sed 's/|$//')"
nc_port=$((P + 8))
start_server holder $nc_port -d "$T/idx"
expect_status opt_port_in_use 2 "$QS" -d "$T/idx" --listen "127.0.0.1:$nc_port"
expect_grep opt_port_in_use_msg 'cannot listen on 127.0.0.1:' "$T/err"
stop_server holder
expect_status help_exit_0 0 "$QS" --help
expect_grep help_endpoints '/api/search\?q=QUERY' "$T/out"
rm -rf "$T"

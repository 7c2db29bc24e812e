# serve_lib.sh — helpers for the quire-serve suites (sourced after lib.sh):
# start a server on a port derived from $$ and wait until it says it is
# listening, fetch URLs with curl, stop it with SIGTERM and check it
# exited 0 (under ASan that also means no leak).
QS="$BUILD/quire-serve"
# Ports 10000-19999 plus a small offset per server: below the kernel's
# ephemeral range (32768-60999 here), where the suites' own client
# connections could hold a port; test_shards uses 20000 and up; parallel
# runs differ in $$.
PORT0=$((10000 + $$ % 9970))

# wait_for FILE REGEX: until FILE has a line matching REGEX (at most 60 s,
# a bound on a hang, not a timing check).
wait_for() {
    _n=0
    until grep -qE -- "$2" "$1" 2>/dev/null || [ $_n -ge 600 ]; do sleep 0.1; _n=$((_n + 1)); done
    grep -qE -- "$2" "$1" 2>/dev/null
}

# start_server NAME PORT ARG...: quire-serve in the background, logging to
# $T/NAME.log; returns once it listens (or has exited).
start_server() {
    _name=$1
    _port=$2
    shift 2
    "$QS" --listen "127.0.0.1:$_port" "$@" 2>"$T/$_name.log" &
    echo $! >"$T/$_name.pid"
    _n=0
    until grep -q 'serving .* on http' "$T/$_name.log" 2>/dev/null || ! kill -0 "$(cat "$T/$_name.pid")" 2>/dev/null ||
        [ $_n -ge 600 ]; do
        sleep 0.1
        _n=$((_n + 1))
    done
    grep -q 'serving .* on http' "$T/$_name.log" 2>/dev/null || fail "${_name}_started" "$(head -c 400 "$T/$_name.log")"
}

# stop_server NAME: SIGTERM, then the exit status.
stop_server() {
    _pid=$(cat "$T/$1.pid")
    kill -TERM "$_pid" 2>/dev/null
    wait "$_pid"
}

# get URL [CURL-ARG...]: the body in $T/body, headers in $T/headers; prints
# the status code.
get() {
    _u=$1
    shift
    curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@" "$_u"
}

# expect_http NAME STATUS URL [CURL-ARG...]: the status is STATUS; for an
# error status the body is the JSON error document.
expect_http() {
    _n=$1
    _want=$2
    shift 2
    _got=$(get "$@")
    if [ "$_got" != "$_want" ]; then
        fail "$_n" "status $_got, expected $_want: $1 ($(head -c 300 "$T/body"))"
    elif [ "$_want" -ge 400 ] && ! grep -q '^Content-Type: application/json' "$T/headers" &&
        ! grep -q '^Content-Type: text/html' "$T/headers"; then
        fail "$_n" "error without a JSON or HTML body: $(head -c 200 "$T/headers")"
    elif [ "$_want" -ge 400 ] && grep -q '^Content-Type: application/json' "$T/headers" &&
        ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert set(d)=={"error","offset"} and d["error"]' "$T/body" 2>/dev/null; then
        fail "$_n" "not an error document: $(head -c 300 "$T/body")"
    else
        ok "$_n"
    fi
}


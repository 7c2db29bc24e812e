/*
 * quire-serve — search a quire index over HTTP: a JSON API for programs
 * (the JSON of quire-query --format json) and a search page for people.
 *
 * A thin program over libquire's public API, like quire-query: options
 * (the query limits parsed by common/search_opts.c, as quire-query's), a
 * worker pool with one searcher per worker (pool.c), libmicrohttpd for
 * HTTP (http.c), the endpoints (api.c, doc.c, page.c). Read-only: it never
 * opens the index for writing. SIGTERM or SIGINT: stop accepting, answer
 * what was received, exit 0.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "badopt.h"
#include "http.h"
#include "listen.h"
#include "pool.h"
#include "search_opts.h"

static void usage(FILE *f)
{
    fputs("Usage: quire-serve [-d INDEX] [OPTION]...\n"
          "Answer searches of INDEX (default: $QUIRE_INDEX) over HTTP: a JSON API\n"
          "and a search page.\n"
          "\n"
          "  GET /?q=QUERY             the search page (HTML, no script needed)\n"
          "  GET /api/search?q=QUERY   the JSON of quire-query --format json; also\n"
          "                            limit, offset, sort, any, lang, facets\n"
          "  GET /api/doc/ID           one article's stored fields as JSON\n"
          "  GET /api/stats            the JSON of quire-index --stats --stats-json\n"
          "  GET /healthz              200 while the index can be searched\n"
          "Errors are JSON {\"error\": \"...\", \"offset\": N or null}.\n"
          "\n"
          "Options:\n"
          "  -d, --index=INDEX          the index (or a stub file of several)\n"
          "      --listen=HOST:PORT     where to listen (default 127.0.0.1:8080; PORT\n"
          "                             alone is loopback, port 0 picks a free one)\n"
          "      --threads=N            workers, one searcher each (default: one per\n"
          "                             CPU, at most 8)\n"
          "      --max-limit=N          the largest limit a request may ask (default 100)\n"
          "      --max-offset=N         the largest offset (default 10000)\n"
          "      --max-request-bytes=N  longest request line, and most header bytes\n"
          "                             (default 16384)\n"
          "      --max-connections=N    open connections at most (default 256)\n"
          "      --time-limit=SECONDS   longest a request may wait for a worker, and\n"
          "                             an idle connection stay open (default 10)\n"
          "      --reopen-interval=SECONDS  how often workers look for a new version\n"
          "                             of the index (default 1)\n"
          "      --cors=ORIGIN          let pages from ORIGIN (or *) call the API\n"
          "      --access-log           one line per request on stderr\n"
          "      --max-wildcard=N       most words one wildcard may match (default 1000)\n"
          "      --max-query-bytes=N    longest query accepted (default 100000)\n"
          "      --max-depth=N          deepest nesting in a query (default 100, at most 1000)\n"
          "      --partial              with shards: answer from those that respond\n"
          "      --timeout=SECONDS      with remote shards: how long to wait for one\n"
          "                             (default 10)\n"
          "  -h, --help                 show this help\n"
          "  -V, --version              show the version\n"
          "\n"
          "Exit status: 0 after SIGTERM or SIGINT, 2 if it cannot start.\n"
          "Example:\n"
          "  quire-serve -d news.idx --listen 127.0.0.1:8080\n"
          "  curl 'http://127.0.0.1:8080/api/search?q=north+korea&limit=5'\n",
          f);
}

static int die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "quire-serve: %s%s%s\nTry 'quire-serve --help'.\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

enum { OPT_SHARED = 256, OPT_LISTEN, OPT_THREADS, OPT_MAXLIMIT, OPT_MAXOFFSET, OPT_MAXREQ, OPT_MAXCONN,
       OPT_TIMELIMIT, OPT_REOPEN, OPT_CORS, OPT_ACCESSLOG };

/* Fill *cfg from argv; -1 (after a message) if the options are bad. */
static int parse_options(int argc, char **argv, serve_config *cfg, int *exit_now)
{
    static const struct option longopts[] = {
        {"index", required_argument, 0, 'd'},
        {"listen", required_argument, 0, OPT_LISTEN},
        {"threads", required_argument, 0, OPT_THREADS},
        {"max-limit", required_argument, 0, OPT_MAXLIMIT},
        {"max-offset", required_argument, 0, OPT_MAXOFFSET},
        {"max-request-bytes", required_argument, 0, OPT_MAXREQ},
        {"max-connections", required_argument, 0, OPT_MAXCONN},
        {"time-limit", required_argument, 0, OPT_TIMELIMIT},
        {"reopen-interval", required_argument, 0, OPT_REOPEN},
        {"cors", required_argument, 0, OPT_CORS},
        {"access-log", no_argument, 0, OPT_ACCESSLOG},
        SEARCH_OPTS_SEARCHER_LONGOPTS(OPT_SHARED),
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    cfg->index = getenv("QUIRE_INDEX");
    cfg->listen = "127.0.0.1:8080";
    cfg->threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (unsigned)ncpu;
    cfg->max_limit = 100;
    cfg->max_offset = 10000;
    cfg->max_request_bytes = 16384;
    cfg->max_connections = 256;
    cfg->time_limit = 10;
    cfg->reopen_interval = 1;
    quire_searcher_options_init(&cfg->sopts, QUIRE_SEARCHER_OPTIONS_VERSION);
    int c, longidx = 0, seen_index = 0;
    unsigned n;
    char err[256];
    *exit_now = 0;
    opterr = 0;
    while ((c = badopt_getopt(argc, argv, ":d:hV", longopts, &longidx)) != -1) {
        switch (c) {
        case 'd':
            if (seen_index++)
                return die_usage("one index only (a stub file names several)", optarg);
            cfg->index = optarg;
            break;
        case OPT_LISTEN: cfg->listen = optarg; break;
        case OPT_THREADS:
            if (search_opts_parse_range(optarg, 1, 256, &cfg->threads) != 0)
                return die_usage("--threads needs a number from 1 to 256", optarg);
            break;
        case OPT_MAXLIMIT:
            if (search_opts_parse_range(optarg, 1, SEARCH_OPTS_MAX_COUNT, &cfg->max_limit) != 0)
                return die_usage("--max-limit needs a positive number", optarg);
            break;
        case OPT_MAXOFFSET:
            if (search_opts_parse_range(optarg, 0, SEARCH_OPTS_MAX_COUNT, &cfg->max_offset) != 0)
                return die_usage("--max-offset needs a number", optarg);
            break;
        case OPT_MAXREQ:
            if (search_opts_parse_range(optarg, 256, 1048576, &n) != 0)
                return die_usage("--max-request-bytes needs a number from 256 to 1048576", optarg);
            cfg->max_request_bytes = n;
            break;
        case OPT_MAXCONN:
            if (search_opts_parse_range(optarg, 1, 100000, &cfg->max_connections) != 0)
                return die_usage("--max-connections needs a number from 1 to 100000", optarg);
            break;
        case OPT_TIMELIMIT:
            if (search_opts_parse_seconds(optarg, 0.001, 86400, &cfg->time_limit) != 0)
                return die_usage("--time-limit needs a number of seconds", optarg);
            break;
        case OPT_REOPEN:
            if (search_opts_parse_seconds(optarg, 0.01, 86400, &cfg->reopen_interval) != 0)
                return die_usage("--reopen-interval needs a number of seconds (at least 0.01)", optarg);
            break;
        case OPT_CORS:
            if (!*optarg || strpbrk(optarg, "\r\n"))
                return die_usage("--cors needs an origin such as https://example.org, or *", optarg);
            cfg->cors = optarg;
            break;
        case OPT_ACCESSLOG: cfg->access_log = 1; break;
        case OPT_SHARED:
            if (search_opt_set("--", longopts[longidx].name, optarg, NULL, &cfg->sopts, err, sizeof err) != 1)
                return die_usage(err, NULL);
            break;
        case 'h': usage(stdout); *exit_now = 1; return 0;
        case 'V': printf("quire-serve %s\n", quire_version()); *exit_now = 1; return 0;
        default: {
            char name[64];
            const char *what = badopt_describe(c, argv, name, sizeof name);
            return die_usage(what, name);
        }
        }
    }
    if (optind < argc)
        return die_usage("unexpected argument (the query comes with each request)", argv[optind]);
    if (!cfg->index || !*cfg->index)
        return die_usage("no index given (use -d INDEX or set QUIRE_INDEX)", NULL);
    return 0;
}

/* Say at once when the index cannot be opened: the server still starts
 * (the index may be built later) and answers 503 until it can. */
static void check_index(const serve_config *cfg)
{
    quire_searcher *s;
    if (quire_searcher_open(cfg->index, &cfg->sopts, &s) != QUIRE_OK)
        fprintf(stderr, "quire-serve: warning: %s; answering 503 until it can be opened\n",
                quire_searcher_errmsg(s));
    quire_searcher_close(s);
}

int main(int argc, char **argv)
{
    serve_config cfg;
    memset(&cfg, 0, sizeof cfg);
    int exit_now;
    if (parse_options(argc, argv, &cfg, &exit_now) != 0)
        return 2;
    if (exit_now)
        return fflush(stdout) == 0 ? 0 : 2;

    /* Signals go to sigwait() below only: block them before any thread
     * starts, so every thread inherits the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A hang-up (the terminal closed, a stray 'kill -HUP') is not a reason
     * to drop requests; the index is reopened on its own anyway. */
    signal(SIGHUP, SIG_IGN);

    check_index(&cfg);
    pool *p = pool_start(&cfg, http_handle, http_done);
    if (!p)
        return 2;
    unsigned port;
    http *h = http_start(&cfg, p, &port);
    if (!h) {
        pool_stop(p);
        return 2;
    }
    struct sockaddr_storage addr;
    char err[256], url[128];
    listen_parse(cfg.listen, &addr, err, sizeof err);
    listen_format_url(&addr, port, url, sizeof url);
    fprintf(stderr, "quire-serve: serving %s on %s (%u worker%s)\n", cfg.index, url, cfg.threads,
            cfg.threads == 1 ? "" : "s");

    int sig;
    sigwait(&sigs, &sig);
    fprintf(stderr, "quire-serve: %s: finishing the requests in progress\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    http_quiesce(h);
    pool_close_and_drain(p);
    if (http_wait_idle(h, cfg.time_limit + 5) != 0)
        fprintf(stderr, "quire-serve: warning: some answers were still being sent; closing their connections\n");
    http_stop(h);
    pool_stop(p);
    api_stats_free();
    fprintf(stderr, "quire-serve: stopped\n");
    return 0;
}

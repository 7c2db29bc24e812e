/* remote_probe.c — for tests/cli/test_shards.sh: one searcher kept open
 * while a shard's server is stopped under it, which quire-query (a new
 * searcher per run) cannot show. Searches QUERY, kills PID (the server),
 * searches again on the same handle, printing ids, warnings and errors.
 * Usage: remote_probe STUB PARTIAL(0|1) PID QUERY */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "quire.h"

static void search(quire_searcher *s, const char *q, const char *round)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    quire_results *r;
    if (quire_search(s, q, &o, &r) != QUIRE_OK) {
        printf("%s error: %s\n", round, quire_searcher_errmsg(s));
        return;
    }
    printf("%s hits: %zu\n", round, quire_results_count(r));
    if (*quire_results_warning(r))
        printf("%s warning: %s\n", round, quire_results_warning(r));
    quire_results_free(r);
}

int main(int argc, char **argv)
{
    if (argc != 5)
        return 2;
    quire_searcher_options so = QUIRE_SEARCHER_OPTIONS_INIT;
    so.partial = atoi(argv[2]);
    so.timeout = 5;
    quire_searcher *s;
    if (quire_searcher_open(argv[1], &so, &s) != QUIRE_OK) {
        printf("open error: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return 1;
    }
    search(s, argv[4], "before");
    kill((pid_t)atol(argv[3]), SIGTERM);
    struct timespec ts = {0, 500 * 1000 * 1000};
    nanosleep(&ts, NULL);
    search(s, argv[4], "after");
    quire_searcher_close(s);
    return 0;
}

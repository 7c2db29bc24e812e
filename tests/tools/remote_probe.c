/* remote_probe.c — for tests/cli/test_shards.sh: one searcher kept open
 * while the servers of its shards stop and start again, which quire-query
 * (a new searcher per run) cannot show. Runs the steps given in order and
 * prints one line for each search and reopen, numbered by step:
 *   search:QUERY   "N search: H hits, total T" (", warning W" when there is
 *                  one), or "N search error S: MESSAGE"
 *   facets:FIELD:QUERY
 *                  "N facets: VALUE=COUNT ..." (FIELD's values over the
 *                  matches, most first), or "N search error S: MESSAGE"
 *   reopen         "N reopen: ok" or "N reopen error S: MESSAGE"
 *   fds            "N fds: COUNT", the descriptors this process has open
 *   sh:COMMAND     runs COMMAND with /bin/sh (stop or start a server)
 * S is the status number. Usage: remote_probe STUB PARTIAL(0|1) STEP...
 * The searcher's timeout is 5 s, or PROBE_TIMEOUT seconds if set. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire.h"

static void search(quire_searcher *s, const char *q, int step)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 1000;
    quire_results *r;
    quire_status st = quire_search(s, q, &o, &r);
    if (st != QUIRE_OK) {
        printf("%d search error %d: %s\n", step, (int)st, quire_searcher_errmsg(s));
        return;
    }
    printf("%d search: %zu hits, total %llu", step, quire_results_count(r),
           (unsigned long long)quire_results_total(r, NULL));
    if (*quire_results_warning(r))
        printf(", warning %s", quire_results_warning(r));
    printf("\n");
    quire_results_free(r);
}

static void facets(quire_searcher *s, const char *arg, int step)
{
    char field[32];
    const char *colon = strchr(arg, ':');
    size_t fl = colon ? (size_t)(colon - arg) : 0;
    if (!colon || fl >= sizeof field) {
        printf("%d bad step\n", step);
        return;
    }
    memcpy(field, arg, fl);
    field[fl] = '\0';
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    o.facets = field;
    quire_results *r;
    quire_status st = quire_search(s, colon + 1, &o, &r);
    if (st != QUIRE_OK) {
        printf("%d search error %d: %s\n", step, (int)st, quire_searcher_errmsg(s));
        return;
    }
    printf("%d facets:", step);
    const quire_facet *f = quire_results_facet(r, 0);
    for (size_t i = 0; f && i < f->nvalues; i++)
        printf(" %s=%llu", f->values[i].value, (unsigned long long)f->values[i].count);
    printf("\n");
    quire_results_free(r);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    quire_searcher_options so = QUIRE_SEARCHER_OPTIONS_INIT;
    so.partial = atoi(argv[2]);
    so.timeout = getenv("PROBE_TIMEOUT") ? atof(getenv("PROBE_TIMEOUT")) : 5;
    quire_searcher *s;
    if (quire_searcher_open(argv[1], &so, &s) != QUIRE_OK) {
        printf("open error: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 3; i < argc; i++) {
        int step = i - 2;
        if (strncmp(argv[i], "search:", 7) == 0) {
            search(s, argv[i] + 7, step);
        } else if (strncmp(argv[i], "facets:", 7) == 0) {
            facets(s, argv[i] + 7, step);
        } else if (strcmp(argv[i], "fds") == 0) {
            int n = 0;
            DIR *d = opendir("/proc/self/fd");
            for (struct dirent *e; d && (e = readdir(d));)
                n += e->d_name[0] != '.';
            if (d)
                closedir(d);
            printf("%d fds: %d\n", step, n - 1); /* less the one reading the list */
        } else if (strcmp(argv[i], "reopen") == 0) {
            quire_status st = quire_searcher_reopen(s);
            if (st == QUIRE_OK)
                printf("%d reopen: ok\n", step);
            else
                printf("%d reopen error %d: %s\n", step, (int)st, quire_searcher_errmsg(s));
        } else if (strncmp(argv[i], "sh:", 3) == 0) {
            fflush(stdout);
            if (system(argv[i] + 3) != 0)
                printf("%d sh failed: %s\n", step, argv[i] + 3);
        } else {
            fprintf(stderr, "remote_probe: unknown step %s\n", argv[i]);
            quire_searcher_close(s);
            return 2;
        }
    }
    quire_searcher_close(s);
    return 0;
}

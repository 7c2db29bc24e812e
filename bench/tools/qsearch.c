/* qsearch.c — quire's searcher for the benchmarks, over the public API
 * only (what an embedding program gets): the same query file, warm-up,
 * rounds, thread split and summary line as the anchors (latency.h).
 *
 * Usage: qsearch bench INDEX QUERIES [--threads N] [--rounds R] [--no-snippets]
 *                      [--rank R] [--facets LIST] [--suggest on|off]
 *        qsearch trec INDEX QUERIES K TAG [--rank R]  (ranked OR, TREC run lines)
 *        qsearch suggest INDEX QUERIES        ("qid<TAB>suggestion" lines)
 * --rank bm25 or proximity: the ranking (default: the library's default).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "quire.h"

typedef struct job {
    quire_searcher *s;
    bench_query *q;
    long nq, runs;
    int thread, threads;
    double *lat; /* shared, indexed by run */
    long hits;
    int failed;
} job;

static int no_snippets; /* --no-snippets: a result list without passages */
static quire_rank rank = QUIRE_RANK_DEFAULT; /* --rank */
static const char *facets; /* --facets LIST */
static int no_suggestion;  /* --suggest off */

/* One search as a results page needs it: top 10, snippets, highlights
 * (and facets and a did-you-mean, as asked). */
static int run_one(quire_searcher *s, const bench_query *q, long *hits)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 10;
    o.no_snippets = no_snippets;
    if (getenv("QS_EXACT")) o.exact_count_up_to = (unsigned)atoi(getenv("QS_EXACT"));
    o.highlight_start = "[";
    o.highlight_end = "]";
    o.rank = rank;
    o.facets = facets;
    o.no_suggestion = no_suggestion;
    quire_results *r;
    if (quire_search(s, q->text, &o, &r) != QUIRE_OK) {
        fprintf(stderr, "qsearch: query %s: %s\n", q->qid, quire_searcher_errmsg(s));
        return -1;
    }
    size_t n = quire_results_count(r);
    for (size_t i = 0; i < n; i++) {
        const quire_hit *h = quire_results_hit(r, i);
        if (!h->id || !h->snippet) {
            fprintf(stderr, "qsearch: query %s: a hit without id or snippet\n", q->qid);
            quire_results_free(r);
            return -1;
        }
    }
    *hits += (long)n;
    quire_results_free(r);
    return 0;
}

static quire_searcher *open_searcher(const char *index)
{
    quire_searcher *s;
    if (quire_searcher_open(index, NULL, &s) != QUIRE_OK) {
        fprintf(stderr, "qsearch: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return NULL;
    }
    return s;
}

static void *work(void *arg)
{
    job *j = arg;
    for (long i = j->thread; i < j->runs; i += j->threads) {
        long ignored = 0;
        double t0 = bench_now();
        if (run_one(j->s, &j->q[i % j->nq], i < j->nq ? &j->hits : &ignored) != 0) {
            j->failed = 1;
            break;
        }
        j->lat[i] = bench_now() - t0;
    }
    return NULL;
}

/* Searchers are opened before timing (as the anchors do), the first one
 * warms up on every query, then each thread runs its share of the rounds
 * on its own searcher. */
static int bench(const char *index, bench_query *q, long nq, int threads, int rounds)
{
    quire_searcher *s[64] = {0};
    int failed = 0;
    for (int t = 0; t < threads && !failed; t++)
        failed = !(s[t] = open_searcher(index));
    long warm = 0;
    for (long i = 0; i < nq && !failed; i++)
        failed = run_one(s[0], &q[i], &warm) != 0;
    bench_mark_warm();

    long runs = nq * rounds;
    double *lat = calloc((size_t)runs, sizeof *lat);
    job jobs[64];
    pthread_t tid[64];
    double t0 = bench_now();
    for (int t = 0; t < threads && !failed; t++) {
        jobs[t] = (job){s[t], q, nq, runs, t, threads, lat, 0, 0};
        pthread_create(&tid[t], NULL, work, &jobs[t]);
    }
    long hits = 0;
    for (int t = 0; t < threads && !failed; t++) {
        pthread_join(tid[t], NULL);
        hits += jobs[t].hits;
        failed |= jobs[t].failed;
    }
    double wall = bench_now() - t0;
    if (!failed)
        bench_report("quire", threads, nq, lat, runs, wall, hits);
    for (int t = 0; t < threads; t++)
        quire_searcher_close(s[t]);
    free(lat);
    return failed;
}

/* Run every query once with o (no snippets) and hand each result to fn,
 * which prints what its mode wants. */
static int each_query(const char *index, bench_query *q, long nq, quire_search_options o,
                      void (*fn)(const bench_query *q, const quire_results *r, const void *ctx), const void *ctx)
{
    quire_searcher *s = open_searcher(index);
    if (!s)
        return 1;
    o.no_snippets = 1;
    o.rank = rank;
    for (long i = 0; i < nq; i++) {
        quire_results *r;
        if (quire_search(s, q[i].text, &o, &r) != QUIRE_OK) {
            fprintf(stderr, "qsearch: query %s: %s\n", q[i].qid, quire_searcher_errmsg(s));
            quire_searcher_close(s);
            return 1;
        }
        fn(&q[i], r, ctx);
        quire_results_free(r);
    }
    quire_searcher_close(s);
    return 0;
}

/* trec: ranked OR, "QID Q0 DOCID RANK SCORE TAG" lines. */
static void trec_lines(const bench_query *q, const quire_results *r, const void *tag)
{
    for (size_t j = 0; j < quire_results_count(r); j++) {
        const quire_hit *h = quire_results_hit(r, j);
        printf("%s Q0 %s %u %.6f %s\n", q->qid, h->id, h->rank, h->score, (const char *)tag);
    }
}

/* suggest: each query's did-you-mean, or an empty field when there is none. */
static void suggestion_line(const bench_query *q, const quire_results *r, const void *ctx)
{
    (void)ctx;
    const char *dym = quire_results_suggestion(r);
    printf("%s\t%s\n", q->qid, dym ? dym : "");
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "bench") && strcmp(argv[1], "trec") && strcmp(argv[1], "suggest"))) {
        fprintf(stderr, "usage: qsearch bench INDEX QUERIES [--threads N] [--rounds R] [--no-snippets] [--rank R]\n"
                        "                     [--facets LIST] [--suggest on|off]\n"
                        "       qsearch trec INDEX QUERIES K TAG [--rank R]\n"
                        "       qsearch suggest INDEX QUERIES\n");
        return 2;
    }
    for (int i = 4; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--rank")) {
            if (!strcmp(argv[i + 1], "bm25"))
                rank = QUIRE_RANK_BM25;
            else if (!strcmp(argv[i + 1], "proximity"))
                rank = QUIRE_RANK_PROXIMITY;
            else {
                fprintf(stderr, "qsearch: --rank bm25 or proximity\n");
                return 2;
            }
        }
    bench_query *q;
    long nq = bench_read_queries(argv[3], &q);
    if (nq < 0)
        return 1;
    int rc;
    if (!strcmp(argv[1], "trec")) {
        if (argc < 6)
            return 2;
        quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
        o.limit = (unsigned)atoi(argv[4]);
        o.default_op = QUIRE_OP_OR;
        rc = each_query(argv[2], q, nq, o, trec_lines, argv[5]);
    } else if (!strcmp(argv[1], "suggest")) {
        quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
        rc = each_query(argv[2], q, nq, o, suggestion_line, NULL);
    } else {
        int threads = 1, rounds = 3;
        for (int i = 4; i < argc; i++) {
            if (!strcmp(argv[i], "--threads") && i + 1 < argc)
                threads = atoi(argv[++i]);
            else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
                rounds = atoi(argv[++i]);
            else if (!strcmp(argv[i], "--no-snippets"))
                no_snippets = 1;
            else if (!strcmp(argv[i], "--rank") && i + 1 < argc)
                i++; /* read above */
            else if (!strcmp(argv[i], "--facets") && i + 1 < argc)
                facets = argv[++i];
            else if (!strcmp(argv[i], "--suggest") && i + 1 < argc)
                no_suggestion = strcmp(argv[++i], "off") == 0;
            else
                rounds = 0;
        }
        if (threads < 1 || threads > 64 || rounds < 1) {
            fprintf(stderr, "qsearch: --threads 1..64, --rounds >= 1, --no-snippets, --facets LIST, --suggest on|off\n");
            return 2;
        }
        rc = bench(argv[2], q, nq, threads, rounds);
    }
    bench_free_queries(q, nq);
    return rc;
}

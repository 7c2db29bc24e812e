/* latency.h — the one way every bench searcher (quire's and the anchors')
 * reads its query file, times queries and summarises latencies, so the
 * numbers in bench/REPORT.md are comparable. Header-only, C and C++.
 *
 * Query file: one query per line, "qid<TAB>query text". Bench mode runs
 * every query once to warm the cache, then ROUNDS times split over
 * THREADS threads, and prints one line:
 *   engine=E threads=T queries=N runs=R wall_s=W qps=Q p50_ms=.. p95_ms=.. p99_ms=.. hits=H
 *   rss_warm_mb=.. rss_end_mb=.. rss_peak_mb=..
 * The memory figures are the process's resident set after the warm-up pass
 * (bench_mark_warm), at the end, and its peak: a searcher whose memory grows
 * with the number of queries shows rss_end_mb well above rss_warm_mb.
 */
#ifndef QUIRE_BENCH_LATENCY_H
#define QUIRE_BENCH_LATENCY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench_query {
    char *qid;
    char *text;
} bench_query;

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads FILE into *out (caller frees with bench_free_queries). Returns
 * the number of queries, or -1 with a message on stderr. */
static inline long bench_read_queries(const char *file, bench_query **out)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return -1;
    }
    long n = 0, cap = 0;
    bench_query *q = NULL;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab || len == 0)
            continue;
        *tab = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            q = (bench_query *)realloc(q, (size_t)cap * sizeof *q);
            if (!q) {
                fclose(f);
                return -1;
            }
        }
        q[n].qid = strdup(line);
        q[n].text = strdup(tab + 1);
        n++;
    }
    free(line);
    fclose(f);
    *out = q;
    return n;
}

static inline void bench_free_queries(bench_query *q, long n)
{
    for (long i = 0; i < n; i++) {
        free(q[i].qid);
        free(q[i].text);
    }
    free(q);
}

/* VmRSS or VmHWM of this process in MB (0 if unknown). */
static inline double bench_proc_mb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double mb = 0;
    size_t fl = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, fl) && line[fl] == ':')
            mb = atof(line + fl + 1) / 1024.0;
    if (f)
        fclose(f);
    return mb;
}

static double bench_warm_rss_mb;

/* Call after the warm-up pass. */
static inline void bench_mark_warm(void)
{
    bench_warm_rss_mb = bench_proc_mb("VmRSS");
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static inline double bench_pct(const double *v, long n, double p)
{
    if (n <= 0)
        return 0;
    long k = (long)(p / 100.0 * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

/* Sorts lat (seconds per query run) and prints the summary line. */
static inline void bench_report(const char *engine, int threads, long queries, double *lat, long runs,
                                double wall, long hits)
{
    qsort(lat, (size_t)runs, sizeof *lat, bench_cmp_double);
    printf("engine=%s threads=%d queries=%ld runs=%ld wall_s=%.3f qps=%.1f p50_ms=%.3f p95_ms=%.3f "
           "p99_ms=%.3f hits=%ld rss_warm_mb=%.1f rss_end_mb=%.1f rss_peak_mb=%.1f\n",
           engine, threads, queries, runs, wall, wall > 0 ? (double)runs / wall : 0.0,
           1e3 * bench_pct(lat, runs, 50), 1e3 * bench_pct(lat, runs, 95), 1e3 * bench_pct(lat, runs, 99), hits,
           bench_warm_rss_mb, bench_proc_mb("VmRSS"), bench_proc_mb("VmHWM"));
}

#endif

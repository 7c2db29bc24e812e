/* treceval.c — relevance metrics (MAP, nDCG@10, P@10) for the benchmark
 * report, computed from a TREC qrels file and a TREC run file. Written
 * from the standard definitions so bench/ needs no external trec_eval.
 *
 * Usage: treceval [-q] QRELS RUN [QUERIES.tsv]
 *   QRELS        lines "qid 0 docid relevance" (relevance >= 1: relevant;
 *                the grade is the nDCG gain, values <= 0 give gain 0)
 *   RUN          lines "qid Q0 docid rank score tag"
 *   QUERIES.tsv  optional "qid<TAB>text" lines; restricts evaluation to
 *                judged qids listed there
 *   -q           also print "qid map ndcg10 p10" for each query
 *
 * Evaluated queries: every qid with at least one relevant document in
 * QRELS (intersected with QUERIES.tsv if given). A judged query with no
 * lines in RUN scores 0 on every metric. RUN lines for other qids are
 * ignored. Output: "queries=N map=X ndcg10=X p10=X" (means, 4 decimals).
 *
 * Choices where conventions differ:
 *   - Ranking: documents of a query are ordered by score descending, ties
 *     broken by position in RUN (earlier line ranks higher). The rank
 *     column is ignored, as trec_eval does.
 *   - A docid repeated within a query in RUN: only its first line counts.
 *   - A (qid, docid) pair repeated in QRELS: the last line wins.
 *   - MAP uses the whole ranked list given (no 1000 cutoff).
 *   - P@10 always divides by 10, even if fewer documents were retrieved.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUTOFF 10
#define WS " \t\r\n\v\f"

typedef struct judgment {
    char *qid, *docid;
    long rel;
    size_t line; /* for "last line wins" among duplicates */
} judgment;

typedef struct retrieved {
    char *qid, *docid;
    double score;
    size_t line; /* file order: tie-break and "first line wins" */
} retrieved;

static const char *prog = "treceval";

/* Reports an input error as "treceval: FILE:LINE: message" and exits 1. */
static void die(const char *path, size_t line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: %s:%zu: ", prog, path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

/* Total order on query ids: all-digit ids first, in numeric order (so 2
 * sorts before 10, leading zeros ignored, then raw string to keep "01"
 * and "1" distinct), then all other ids in byte order. Used for every
 * qid sort, so per-query output comes out in natural order. */
static int qidcmp(const char *a, const char *b)
{
    int an = a[strspn(a, "0123456789")] == '\0';
    int bn = b[strspn(b, "0123456789")] == '\0';
    if (an != bn)
        return an ? -1 : 1;
    if (an) {
        const char *x = a + strspn(a, "0"), *y = b + strspn(b, "0");
        size_t lx = strlen(x), ly = strlen(y);
        if (lx != ly)
            return lx < ly ? -1 : 1;
        int c = strcmp(x, y);
        if (c)
            return c;
    }
    return strcmp(a, b);
}

/* Split a line into at most max whitespace-separated fields; returns the
 * field count, or max + 1 if there are more. Modifies the line. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, WS, &save); t; t = strtok_r(NULL, WS, &save)) {
        if (n == max)
            return max + 1;
        f[n++] = t;
    }
    return n;
}

static FILE *xopen(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        exit(1);
    }
    return fp;
}

static void xclose(FILE *fp, const char *path)
{
    if (ferror(fp)) {
        fprintf(stderr, "%s: %s: read error\n", prog, path);
        exit(1);
    }
    fclose(fp);
}

static size_t read_qrels(const char *path, judgment **out)
{
    FILE *fp = xopen(path);
    char *buf = NULL, *f[5];
    size_t cap = 0, n = 0, ncap = 0, lineno = 0;
    judgment *j = NULL;
    while (getline(&buf, &cap, fp) != -1) {
        lineno++;
        size_t nf = split(buf, f, 4);
        if (nf == 0)
            continue;
        if (nf != 4)
            die(path, lineno, "expected 4 fields: qid 0 docid relevance");
        char *end;
        errno = 0;
        long rel = strtol(f[3], &end, 10);
        if (errno || *end || end == f[3])
            die(path, lineno, "relevance \"%s\" is not an integer", f[3]);
        if (n == ncap)
            j = xrealloc(j, (ncap = ncap ? 2 * ncap : 1024) * sizeof *j);
        j[n++] = (judgment){xstrdup(f[0]), xstrdup(f[2]), rel, lineno};
    }
    free(buf);
    xclose(fp, path);
    *out = j;
    return n;
}

static size_t read_run(const char *path, retrieved **out)
{
    FILE *fp = xopen(path);
    char *buf = NULL, *f[7];
    size_t cap = 0, n = 0, ncap = 0, lineno = 0;
    retrieved *r = NULL;
    while (getline(&buf, &cap, fp) != -1) {
        lineno++;
        size_t nf = split(buf, f, 6);
        if (nf == 0)
            continue;
        if (nf != 6)
            die(path, lineno, "expected 6 fields: qid Q0 docid rank score tag");
        char *end;
        double score = strtod(f[4], &end); /* overflow gives HUGE_VAL */
        if (*end || end == f[4] || !isfinite(score))
            die(path, lineno, "score \"%s\" is not a finite number", f[4]);
        if (n == ncap)
            r = xrealloc(r, (ncap = ncap ? 2 * ncap : 4096) * sizeof *r);
        r[n++] = (retrieved){xstrdup(f[0]), xstrdup(f[2]), score, lineno};
    }
    free(buf);
    xclose(fp, path);
    *out = r;
    return n;
}

/* Reads the qid column of a QUERIES.tsv file, sorted with qidcmp. */
static size_t read_queries(const char *path, char ***out)
{
    FILE *fp = xopen(path);
    char *buf = NULL, **q = NULL;
    size_t cap = 0, n = 0, ncap = 0, lineno = 0;
    while (getline(&buf, &cap, fp) != -1) {
        lineno++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[strspn(buf, WS)] == '\0')
            continue;
        char *tab = strchr(buf, '\t');
        if (!tab)
            die(path, lineno, "expected \"qid<TAB>text\"");
        *tab = '\0';
        if (!*buf || buf[strcspn(buf, WS)])
            die(path, lineno, "bad query id \"%s\"", buf);
        if (n == ncap)
            q = xrealloc(q, (ncap = ncap ? 2 * ncap : 256) * sizeof *q);
        q[n++] = xstrdup(buf);
    }
    free(buf);
    xclose(fp, path);
    *out = q;
    return n;
}

static int cmp_qid_ptr(const void *a, const void *b)
{
    return qidcmp(*(char *const *)a, *(char *const *)b);
}

/* By qid, docid, then file line: groups duplicates in file order. */
static int cmp_qid_doc_line(const char *qa, const char *da, size_t la, const char *qb, const char *db, size_t lb)
{
    int c = qidcmp(qa, qb);
    if (!c)
        c = strcmp(da, db);
    if (!c)
        c = (la > lb) - (la < lb);
    return c;
}

/* Duplicated judgments: the last one ends its group. */
static int cmp_judgment(const void *a, const void *b)
{
    const judgment *x = a, *y = b;
    return cmp_qid_doc_line(x->qid, x->docid, x->line, y->qid, y->docid, y->line);
}

/* Duplicated retrieved documents: the first one starts its group. */
static int cmp_retrieved_doc(const void *a, const void *b)
{
    const retrieved *x = a, *y = b;
    return cmp_qid_doc_line(x->qid, x->docid, x->line, y->qid, y->docid, y->line);
}

/* qid, then the ranking: score descending, earlier line first. */
static int cmp_retrieved_rank(const void *a, const void *b)
{
    const retrieved *x = a, *y = b;
    int c = qidcmp(x->qid, y->qid);
    if (!c)
        c = (x->score < y->score) - (x->score > y->score);
    if (!c)
        c = (x->line > y->line) - (x->line < y->line);
    return c;
}

static int cmp_long_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

/* Grade of docid within one query's judgments (sorted by docid, already
 * deduplicated); 0 if unjudged. */
static long grade(const judgment *j, size_t n, const char *docid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(j[mid].docid, docid);
        if (c == 0)
            return j[mid].rel;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Metrics for one query: j[0..nj) its judgments, r[0..nr) its ranking. */
static void evaluate(const judgment *j, size_t nj, const retrieved *r, size_t nr,
                     double *ap, double *ndcg, double *p10)
{
    size_t nrel = 0, hits = 0, hits10 = 0;
    double sum_prec = 0, dcg = 0, idcg = 0;
    long *grades = xrealloc(NULL, nj * sizeof *grades);
    size_t ng = 0;
    for (size_t i = 0; i < nj; i++) {
        if (j[i].rel >= 1) {
            nrel++;
            grades[ng++] = j[i].rel;
        }
    }
    for (size_t i = 0; i < nr; i++) {
        long g = grade(j, nj, r[i].docid);
        if (g < 1)
            continue;
        hits++;
        sum_prec += (double)hits / (double)(i + 1);
        if (i < CUTOFF) {
            hits10++;
            dcg += (double)g / log2((double)(i + 2));
        }
    }
    if (ng)
        qsort(grades, ng, sizeof *grades, cmp_long_desc);
    for (size_t i = 0; i < ng && i < CUTOFF; i++)
        idcg += (double)grades[i] / log2((double)(i + 2));
    free(grades);
    *ap = nrel ? sum_prec / (double)nrel : 0;
    *ndcg = idcg > 0 ? dcg / idcg : 0;
    *p10 = (double)hits10 / CUTOFF;
}

static void usage(void)
{
    fprintf(stderr, "usage: %s [-q] QRELS RUN [QUERIES.tsv]\n", prog);
    exit(2);
}

int main(int argc, char **argv)
{
    int per_query = 0;
    if (argc > 1 && strcmp(argv[1], "-q") == 0) {
        per_query = 1;
        argv++;
        argc--;
    }
    if (argc < 3 || argc > 4 || argv[1][0] == '-')
        usage();

    judgment *j;
    retrieved *r;
    char **queries = NULL;
    size_t nj = read_qrels(argv[1], &j);
    size_t nr = read_run(argv[2], &r);
    int restrict_qids = argc == 4;
    size_t nq = restrict_qids ? read_queries(argv[3], &queries) : 0;
    /* Empty files leave NULL arrays; qsort/bsearch must not see NULL. */
    if (nq)
        qsort(queries, nq, sizeof *queries, cmp_qid_ptr);

    /* Deduplicate qrels, keeping the last line of each (qid, docid). */
    if (nj)
        qsort(j, nj, sizeof *j, cmp_judgment);
    size_t k = 0;
    for (size_t i = 0; i < nj; i++) {
        if (i + 1 < nj && !strcmp(j[i].qid, j[i + 1].qid) &&
            !strcmp(j[i].docid, j[i + 1].docid)) {
            free(j[i].qid);
            free(j[i].docid);
            continue;
        }
        j[k++] = j[i];
    }
    nj = k;

    /* Deduplicate the run, keeping the first line of each (qid, docid),
     * then put each query's documents in ranked order. */
    if (nr)
        qsort(r, nr, sizeof *r, cmp_retrieved_doc);
    k = 0;
    for (size_t i = 0; i < nr; i++) {
        if (k && !strcmp(r[k - 1].qid, r[i].qid) && !strcmp(r[k - 1].docid, r[i].docid)) {
            free(r[i].qid);
            free(r[i].docid);
            continue;
        }
        r[k++] = r[i];
    }
    nr = k;
    if (nr)
        qsort(r, nr, sizeof *r, cmp_retrieved_rank);

    /* Walk the qids of the qrels in order; the run is sorted the same way,
     * so one merge pass finds each query's ranking. */
    size_t counted = 0, ri = 0;
    double sum_ap = 0, sum_ndcg = 0, sum_p10 = 0;
    for (size_t a = 0; a < nj;) {
        size_t b = a, relevant = 0;
        for (; b < nj && !strcmp(j[b].qid, j[a].qid); b++)
            relevant += j[b].rel >= 1;
        const char *qid = j[a].qid;
        while (ri < nr && qidcmp(r[ri].qid, qid) < 0)
            ri++;
        size_t re = ri;
        while (re < nr && !strcmp(r[re].qid, qid))
            re++;
        int listed = !restrict_qids ||
                     (nq && bsearch(&qid, queries, nq, sizeof *queries, cmp_qid_ptr));
        if (relevant && listed) {
            double ap, ndcg, p10;
            evaluate(j + a, b - a, nr ? r + ri : NULL, re - ri, &ap, &ndcg, &p10);
            if (per_query)
                printf("%s %.4f %.4f %.4f\n", qid, ap, ndcg, p10);
            counted++;
            sum_ap += ap;
            sum_ndcg += ndcg;
            sum_p10 += p10;
        }
        ri = re;
        a = b;
    }

    int status = 0;
    if (counted == 0) {
        fprintf(stderr, "%s: no judged queries to evaluate\n", prog);
        status = 1;
    } else {
        printf("queries=%zu map=%.4f ndcg10=%.4f p10=%.4f\n", counted, sum_ap / counted,
               sum_ndcg / counted, sum_p10 / counted);
    }

    for (size_t i = 0; i < nj; i++) {
        free(j[i].qid);
        free(j[i].docid);
    }
    for (size_t i = 0; i < nr; i++) {
        free(r[i].qid);
        free(r[i].docid);
    }
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    free(j);
    free(r);
    free(queries);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: write error\n", prog);
        return 1;
    }
    return status;
}

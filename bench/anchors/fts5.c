/* fts5.c — the SQLite FTS5 anchor for the benchmarks: indexes the same
 * JSON-lines documents quire indexes into an FTS5 table (porter +
 * unicode61) and runs the same query files, so quire's speed, index size
 * and relevance can be compared with a widely used, well-tuned engine.
 * SQLite's defaults are kept (only one transaction around the inserts),
 * so the comparison is honest.
 *
 * Usage:
 *   fts5 index [--contentless] DB FILE.jsonl...
 *   fts5 search DB QUERIES [--threads N] [--rounds R] [--no-snippets]
 *   fts5 trec DB QUERIES K TAG
 * QUERIES lines are "qid<TAB>FTS5 MATCH expression", used as they are.
 */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latency.h"

#define USAGE                                                                                                  \
    "usage: fts5 index [--contentless] DB FILE.jsonl...\n"                                                     \
    "       fts5 search DB QUERIES [--threads N] [--rounds R] [--no-snippets]\n"                               \
    "       fts5 trec DB QUERIES K TAG\n"

static const char *const SEARCH_SQL = "SELECT id, title, snippet(docs, 2, '[', ']', '...', 24), bm25(docs) "
                                      "FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10";
/* --no-snippets: the same page without snippet(). */
static const char *const LIST_SQL = "SELECT id, title, bm25(docs) "
                                    "FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10";
static const char *search_sql = SEARCH_SQL;
static const char *const TREC_SQL = "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ?1 "
                                    "ORDER BY bm25(docs) LIMIT ?2";

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

/* Parses a positive int option value; exits with a message if invalid. */
static int parse_positive(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 1000000) {
        fprintf(stderr, "fts5: %s: invalid value '%s'\n", opt, s);
        exit(2);
    }
    return (int)v;
}

/* Runs SQL that returns no rows; prints the error and returns -1 on failure. */
static int exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fts5: %s: %s\n", sql, err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* Opens DB read-only for one thread's exclusive use. */
static sqlite3 *open_readonly(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fprintf(stderr, "fts5: %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "fts5: prepare: %s\n", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

/* ---- index ---------------------------------------------------------- */

/* Removes PATH and its rollback journal so the index starts empty. */
static int remove_db(const char *path)
{
    char journal[4096];
    snprintf(journal, sizeof journal, "%s-journal", path);
    const char *files[] = {path, journal};
    for (int i = 0; i < 2; i++) {
        if (unlink(files[i]) != 0 && errno != ENOENT) {
            fprintf(stderr, "fts5: cannot remove %s: %s\n", files[i], strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Binds a string field of O (or "" if missing / not a string) to parameter I.
 * The text stays owned by O, which outlives the statement step. */
static int bind_field(sqlite3_stmt *st, int i, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v), SQLITE_STATIC);
    return sqlite3_bind_text(st, i, "", 0, SQLITE_STATIC);
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* Inserts one parsed document; a missing id becomes its ordinal N, as in
 * tg_index. Returns -1 on an SQLite error. */
static int insert_doc(sqlite3 *db, sqlite3_stmt *ins, json_t *o, long n)
{
    char ord[32];
    json_t *id = json_object_get(o, "id");
    int rc;
    if (json_is_string(id)) {
        rc = bind_field(ins, 1, o, "id");
    } else {
        snprintf(ord, sizeof ord, "%ld", n);
        rc = sqlite3_bind_text(ins, 1, ord, -1, SQLITE_TRANSIENT);
    }
    if (rc == SQLITE_OK)
        rc = bind_field(ins, 2, o, "title");
    if (rc == SQLITE_OK)
        rc = bind_field(ins, 3, o, "body");
    if (rc == SQLITE_OK)
        rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        fprintf(stderr, "fts5: insert: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* Inserts every document of one JSON-lines file; *n counts documents.
 * Invalid lines are skipped with a warning. Returns -1 on a fatal error. */
static int index_file(sqlite3 *db, sqlite3_stmt *ins, const char *file, long *n)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "fts5: %s: %s\n", file, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (blank(line))
            continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (!json_is_object(o)) {
            fprintf(stderr, "fts5: warning: %s:%ld: skipped, %s\n", file, lineno,
                    o ? "not a JSON object" : je.text);
            json_decref(o);
            continue;
        }
        rc = insert_doc(db, ins, o, *n);
        json_decref(o);
        if (rc == 0)
            (*n)++;
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "fts5: %s: read error\n", file);
        rc = -1;
    }
    free(line);
    fclose(f);
    return rc;
}

/* Creates the table and loads FILES in a single transaction. */
static int build_index(sqlite3 *db, int contentless, char **files, int nfiles, long *n)
{
    const char *create = contentless ? "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                                       "tokenize='porter unicode61', content='')"
                                     : "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                                       "tokenize='porter unicode61')";
    if (exec_sql(db, "BEGIN") || exec_sql(db, create))
        return -1;
    sqlite3_stmt *ins = prepare(db, "INSERT INTO docs(id, title, body) VALUES (?1, ?2, ?3)");
    int rc = ins ? 0 : -1;
    for (int i = 0; rc == 0 && i < nfiles; i++)
        rc = index_file(db, ins, files[i], n);
    sqlite3_finalize(ins);
    if (rc == 0)
        return exec_sql(db, "COMMIT");
    exec_sql(db, "ROLLBACK");
    return -1;
}

static int cmd_index(int argc, char **argv)
{
    int contentless = 0, npos = 0;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    if (!pos)
        return 1;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--contentless"))
            contentless = 1;
        else
            pos[npos++] = argv[i];
    }
    if (npos < 2) {
        free(pos);
        return usage();
    }
    const char *path = pos[0];
    sqlite3 *db = NULL;
    long n = 0;
    int rc = remove_db(path);
    if (rc == 0 && sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "fts5: %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
        rc = -1;
    }
    if (rc == 0)
        rc = build_index(db, contentless, pos + 1, npos - 1, &n);
    if (db && sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "fts5: %s: close failed\n", path);
        rc = -1;
    }
    if (rc != 0 && db)
        remove_db(path); /* leave no half-built index behind */
    free(pos);
    if (rc != 0)
        return 1;
    printf("%ld documents\n", n);
    return 0;
}

/* ---- search (bench) ------------------------------------------------- */

/* Runs query Q once on ST, reading every column of every row. Returns the
 * number of rows, or -1 after printing "fts5: query QID: error". */
static long run_query(sqlite3_stmt *st, const bench_query *q)
{
    long rows = 0;
    int rc = sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t bytes = 0;
        for (int c = 0; c < 3; c++)
            if (sqlite3_column_text(st, c))
                bytes += (size_t)sqlite3_column_bytes(st, c);
        double score = sqlite3_column_double(st, 3);
        (void)bytes;
        (void)score;
        rows++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        sqlite3 *db = sqlite3_db_handle(st);
        fprintf(stderr, "fts5: query %s: %s\n", q->qid, sqlite3_errmsg(db));
        rows = -1;
    }
    sqlite3_reset(st);
    return rows;
}

typedef struct bench_ctx {
    const char *path;
    const bench_query *queries;
    long nq, runs; /* runs = rounds * nq executions in all */
    int nthreads;
    double *lat; /* one slot per execution; threads write disjoint slots */
    pthread_barrier_t start;
} bench_ctx;

typedef struct worker {
    bench_ctx *ctx;
    int t;
    int failed;
    pthread_t tid;
} worker;

/* One bench thread: opens its own connection, waits for the others, then
 * runs executions t, t+N, t+2N, ... timing each one. */
static void *worker_main(void *arg)
{
    worker *w = arg;
    bench_ctx *c = w->ctx;
    sqlite3 *db = open_readonly(c->path);
    sqlite3_stmt *st = db ? prepare(db, search_sql) : NULL;
    w->failed = st == NULL;
    pthread_barrier_wait(&c->start);
    for (long i = w->t; !w->failed && i < c->runs; i += c->nthreads) {
        double t0 = bench_now();
        if (run_query(st, &c->queries[i % c->nq]) < 0)
            w->failed = 1;
        c->lat[i] = bench_now() - t0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return NULL;
}

/* Untimed single-threaded pass over all queries; returns total hits or -1. */
static long warm_up(const char *path, const bench_query *q, long nq)
{
    sqlite3 *db = open_readonly(path);
    sqlite3_stmt *st = db ? prepare(db, search_sql) : NULL;
    long hits = st ? 0 : -1;
    for (long i = 0; hits >= 0 && i < nq; i++) {
        long r = run_query(st, &q[i]);
        hits = r < 0 ? -1 : hits + r;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return hits;
}

/* Runs the timed rounds over C's threads; returns wall seconds or -1. */
static double run_threads(bench_ctx *c)
{
    worker *w = calloc((size_t)c->nthreads, sizeof *w);
    if (!w || pthread_barrier_init(&c->start, NULL, (unsigned)c->nthreads + 1) != 0) {
        fprintf(stderr, "fts5: cannot set up threads\n");
        free(w);
        return -1;
    }
    int started = 0, failed = 0;
    for (; started < c->nthreads; started++) {
        w[started] = (worker){.ctx = c, .t = started};
        if (pthread_create(&w[started].tid, NULL, worker_main, &w[started]) != 0) {
            fprintf(stderr, "fts5: cannot create thread %d\n", started);
            exit(1); /* the barrier would never open; nothing to clean up */
        }
    }
    pthread_barrier_wait(&c->start);
    double t0 = bench_now();
    for (int t = 0; t < started; t++) {
        pthread_join(w[t].tid, NULL);
        failed |= w[t].failed;
    }
    double wall = bench_now() - t0;
    pthread_barrier_destroy(&c->start);
    free(w);
    return failed ? -1 : wall;
}

static int cmd_search(int argc, char **argv)
{
    int nthreads = 1, rounds = 3, npos = 0;
    const char *pos[2];
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nthreads = parse_positive("--threads", argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = parse_positive("--rounds", argv[++i]);
        else if (!strcmp(argv[i], "--no-snippets"))
            search_sql = LIST_SQL;
        else if (argv[i][0] == '-' || npos == 2)
            return usage();
        else
            pos[npos++] = argv[i];
    }
    if (npos != 2)
        return usage();
    bench_query *q = NULL;
    long nq = bench_read_queries(pos[1], &q);
    if (nq <= 0) {
        if (nq == 0)
            fprintf(stderr, "fts5: %s: no queries\n", pos[1]);
        bench_free_queries(q, nq > 0 ? nq : 0);
        return 1;
    }
    long hits = warm_up(pos[0], q, nq);
    bench_mark_warm();
    bench_ctx c = {.path = pos[0], .queries = q, .nq = nq, .runs = (long)rounds * nq, .nthreads = nthreads};
    c.lat = hits >= 0 ? malloc((size_t)c.runs * sizeof *c.lat) : NULL;
    double wall = c.lat ? run_threads(&c) : -1;
    if (wall >= 0)
        bench_report("fts5", nthreads, nq, c.lat, c.runs, wall, hits);
    free(c.lat);
    bench_free_queries(q, nq);
    return wall >= 0 ? 0 : 1;
}

/* ---- trec (relevance) ----------------------------------------------- */

/* Prints query Q's top K as TREC run lines; returns -1 on a query error. */
static int trec_query(sqlite3_stmt *st, const bench_query *q, int k, const char *tag)
{
    int rc = sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 2, k);
    for (int rank = 1; rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW; rank++) {
        const unsigned char *id = sqlite3_column_text(st, 0);
        double score = -sqlite3_column_double(st, 1) + 0.0; /* + 0.0 turns -0 into 0 */
        printf("%s Q0 %s %d %.6f %s\n", q->qid, id ? (const char *)id : "", rank, score, tag);
        rc = SQLITE_OK;
    }
    int ok = rc == SQLITE_DONE;
    if (!ok)
        fprintf(stderr, "fts5: query %s: %s\n", q->qid, sqlite3_errmsg(sqlite3_db_handle(st)));
    sqlite3_reset(st);
    return ok ? 0 : -1;
}

static int cmd_trec(int argc, char **argv)
{
    if (argc != 4)
        return usage();
    int k = parse_positive("K", argv[2]);
    bench_query *q = NULL;
    long nq = bench_read_queries(argv[1], &q);
    if (nq < 0)
        return 1;
    sqlite3 *db = open_readonly(argv[0]);
    sqlite3_stmt *st = db ? prepare(db, TREC_SQL) : NULL;
    int rc = st ? 0 : -1;
    for (long i = 0; rc == 0 && i < nq; i++)
        rc = trec_query(st, &q[i], k, argv[3]);
    sqlite3_finalize(st);
    sqlite3_close(db);
    bench_free_queries(q, nq);
    if (fflush(stdout) != 0) {
        perror("fts5: stdout");
        rc = -1;
    }
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "index"))
        return cmd_index(argc - 2, argv + 2);
    if (!strcmp(argv[1], "search"))
        return cmd_search(argc - 2, argv + 2);
    if (!strcmp(argv[1], "trec"))
        return cmd_trec(argc - 2, argv + 2);
    return usage();
}

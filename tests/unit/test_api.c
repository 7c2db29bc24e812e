/* test_api.c — every public call of quire.h, with its error paths: bad
 * arguments, missing and locked indexes, foreign and newer indexes,
 * configuration conflicts, stub files, searching while another handle
 * commits. (Reader and search behaviour have their own test files.) */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "quire.h"
#include "xapian_shim.h"

static char tmp[256];

static const char *p(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    if (!tmp[0])
        make_tmpdir(tmp, "api");
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
    return buf[k];
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static quire_status add(quire_index *idx, const char *id, const char *title, const char *body)
{
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = id;
    d.title = title;
    d.body = body;
    return quire_index_add(idx, &d, NULL);
}

static void version(void)
{
    CHECK_STR(quire_version(), QUIRE_VERSION_STRING);
    CHECK_INT(quire_version_number(), QUIRE_VERSION_NUMBER);
    CHECK_INT(QUIRE_VERSION_NUMBER, QUIRE_VERSION_MAJOR * 10000 + QUIRE_VERSION_MINOR * 100 + QUIRE_VERSION_PATCH);
}

static void status_strings(void)
{
    const char *seen[20] = {0};
    for (int s = 0; s <= 16; s++) {
        const char *m = quire_status_str((quire_status)s);
        CHECK(m && *m && strcmp(m, "unknown status") != 0);
        for (int k = 0; k < s; k++)
            CHECK_MSG(strcmp(seen[k], m) != 0, "status %d and %d share '%s'", k, s, m);
        seen[s] = m;
    }
    CHECK_STR(quire_status_str(QUIRE_DONE), "done");
    CHECK_STR(quire_status_str((quire_status)77), "unknown status");
}

static void options_init(void)
{
    quire_index_options io;
    quire_reader_options ro;
    quire_searcher_options so;
    quire_search_options qo;
    CHECK_INT(quire_index_options_init(&io, QUIRE_INDEX_OPTIONS_VERSION), QUIRE_OK);
    CHECK_INT(io.fold_accents, -1);
    CHECK_INT(quire_reader_options_init(&ro, QUIRE_READER_OPTIONS_VERSION), QUIRE_OK);
    CHECK_INT(quire_searcher_options_init(&so, QUIRE_SEARCHER_OPTIONS_VERSION), QUIRE_OK);
    CHECK_INT(quire_search_options_init(&qo, QUIRE_SEARCH_OPTIONS_VERSION), QUIRE_OK);
    CHECK_INT(qo.limit, 10);
    CHECK_INT(quire_index_options_init(&io, 0), QUIRE_EINVAL);
    CHECK_INT(quire_reader_options_init(&ro, 2), QUIRE_EINVAL);
    CHECK_INT(quire_searcher_options_init(&so, 2), QUIRE_EINVAL);
    CHECK_INT(quire_search_options_init(&qo, QUIRE_SEARCH_OPTIONS_VERSION + 1), QUIRE_EINVAL);
    CHECK_INT(quire_search_options_init(&qo, 1), QUIRE_OK);
    CHECK_INT(quire_index_options_init(&io, 1), QUIRE_OK);
    CHECK_INT(quire_index_options_init(&io, 3), QUIRE_EINVAL);
    CHECK_INT(quire_index_options_init(NULL, 1), QUIRE_EINVAL);
    CHECK_INT(quire_search_options_init(NULL, 1), QUIRE_EINVAL);
}

static void index_bad_arguments(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("x.idx"), NULL, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_index_open(NULL, NULL, &idx), QUIRE_EINVAL);
    CHECK(strlen(quire_index_errmsg(idx)) > 0);
    quire_index_close(idx);
    CHECK_INT(quire_index_open("", NULL, &idx), QUIRE_EINVAL);
    quire_index_close(idx);
    quire_index_options bad = QUIRE_INDEX_OPTIONS_INIT;
    bad.version = 42;
    CHECK_INT(quire_index_open(p("x.idx"), &bad, &idx), QUIRE_EINVAL);
    quire_index_close(idx);
    quire_index_options badlang = QUIRE_INDEX_OPTIONS_INIT;
    badlang.lang = "not a language";
    CHECK_INT(quire_index_open(p("y.idx"), &badlang, &idx), QUIRE_EINVAL);
    quire_index_close(idx);

    CHECK_INT(quire_index_open(p("x.idx"), NULL, &idx), QUIRE_OK);
    CHECK_INT(quire_index_add(idx, NULL, NULL), QUIRE_EINVAL);
    CHECK_INT(add(idx, NULL, "t", "b"), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "no id"));
    CHECK_INT(add(idx, "", "t", "b"), QUIRE_EINVAL);
    char longid[300];
    memset(longid, 'i', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    CHECK_INT(add(idx, longid, "t", "b"), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "240"));
    CHECK_INT(add(idx, "u", "ok\xFFno", "b"), QUIRE_EINVAL);
    CHECK_STR(quire_index_errmsg(idx), "field 'title' is not valid UTF-8 at byte 2");
    CHECK_INT(add(idx, "u", "t", "\xC0\xAF"), QUIRE_EINVAL);
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "d";
    d.date = "2024-02-30";
    CHECK_INT(quire_index_add(idx, &d, NULL), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "2024-02-30"));
    d.date = NULL;
    d.lang = "12";
    CHECK_INT(quire_index_add(idx, &d, NULL), QUIRE_EINVAL);
    d.lang = NULL;
    d.version = 9;
    CHECK_INT(quire_index_add(idx, &d, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_index_delete(idx, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_index_delete(idx, ""), QUIRE_EINVAL);
    CHECK_INT(quire_index_doc_count(idx, NULL), QUIRE_EINVAL);
    uint64_t n = 99;
    CHECK_INT(quire_index_doc_count(idx, &n), QUIRE_OK);
    CHECK_INT(n, 0); /* nothing bad got in */
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    /* NULL handles */
    CHECK_INT(quire_index_add(NULL, &d, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_index_commit(NULL), QUIRE_EINVAL);
    CHECK_INT(quire_index_delete(NULL, "x"), QUIRE_EINVAL);
    CHECK_INT(quire_index_close(NULL), QUIRE_OK);
    CHECK(quire_index_errmsg(NULL) != NULL);
    CHECK_STR(quire_index_config(NULL), "");
}

/* Nothing exists under a path whose open was refused. */
static int nothing_at(const char *name)
{
    char lock[320];
    snprintf(lock, sizeof lock, "%s.lock", p(name));
    struct stat sb;
    return stat(p(name), &sb) != 0 && stat(lock, &sb) != 0;
}

/* Options out of range are refused, naming the option, before anything is
 * made on disk: a half-made index would have fixed the defaults (a later
 * open with lang=de was refused as "built with lang=en"), and a lock file
 * would have been left for an index that does not exist. */
static void index_options_checked_first(void)
{
    struct { const char *name, *word; quire_index_options o; } cases[] = {
        {"v1.idx", "language", QUIRE_INDEX_OPTIONS_INIT},
        {"v2.idx", "stopwords", QUIRE_INDEX_OPTIONS_INIT},
        {"v3.idx", "positions", QUIRE_INDEX_OPTIONS_INIT},
        {"v4.idx", "fold_accents", QUIRE_INDEX_OPTIONS_INIT},
        {"v5.idx", "spelling", QUIRE_INDEX_OPTIONS_INIT},
        {"v6.idx", "threads", QUIRE_INDEX_OPTIONS_INIT},
        {"v7.idx", "shards", QUIRE_INDEX_OPTIONS_INIT},
        {"v8.idx", "flags", QUIRE_INDEX_OPTIONS_INIT},
        {"v9.idx", "lock_wait", QUIRE_INDEX_OPTIONS_INIT},
    };
    cases[0].o.lang = "";
    cases[1].o.stopwords = (quire_stopwords)9;
    cases[2].o.positions = (quire_positions)9;
    cases[3].o.fold_accents = 5;
    cases[4].o.spelling = 5;
    cases[5].o.threads = 100000;
    cases[6].o.shards = 100000;
    cases[7].o.flags = 0x80;
    cases[8].o.lock_wait = -1;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        quire_index *idx;
        CHECK_MSG(quire_index_open(p(cases[i].name), &cases[i].o, &idx) == QUIRE_EINVAL, "%s: %s", cases[i].word,
                  quire_index_errmsg(idx));
        CHECK_MSG(strstr(quire_index_errmsg(idx), cases[i].word) != NULL, "%s", quire_index_errmsg(idx));
        quire_index_close(idx);
        CHECK_MSG(nothing_at(cases[i].name), "%s left files behind", cases[i].word);
    }
    /* The refused open fixed nothing: the index is made with lang=de. */
    quire_index_options de = QUIRE_INDEX_OPTIONS_INIT;
    de.lang = "de";
    quire_index *idx;
    CHECK_INT(quire_index_open(p("v1.idx"), &de, &idx), QUIRE_OK);
    CHECK(strstr(quire_index_config(idx), "lang=de") != NULL);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    /* NO_CREATE on a missing index: ENOTFOUND, and no lock file. */
    quire_index_options nc = QUIRE_INDEX_OPTIONS_INIT;
    nc.flags = QUIRE_INDEX_NO_CREATE;
    CHECK_INT(quire_index_open(p("absent.idx"), &nc, &idx), QUIRE_ENOTFOUND);
    quire_index_close(idx);
    CHECK_MSG(nothing_at("absent.idx"), "a lock file was left for a missing index");
    /* A reader format that is none of the formats. */
    quire_reader_options ro = QUIRE_READER_OPTIONS_INIT;
    ro.format = (quire_format)7;
    const char *src[] = {p("v1.idx")};
    quire_reader *rd;
    CHECK_INT(quire_reader_open(src, 1, &ro, &rd), QUIRE_EINVAL);
    CHECK(strstr(quire_reader_errmsg(rd), "format") != NULL);
    quire_reader_close(rd);
}

static void index_outcomes(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("o.idx"), NULL, &idx), QUIRE_OK);
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "a";
    d.title = "Title";
    d.body = "Body text";
    d.date = "2024-05-06T07:08:09Z";
    quire_add_outcome out = QUIRE_UNCHANGED;
    CHECK_INT(quire_index_add(idx, &d, &out), QUIRE_OK);
    CHECK_INT(out, QUIRE_ADDED);
    CHECK_INT(quire_index_add(idx, &d, &out), QUIRE_OK);
    CHECK_INT(out, QUIRE_UNCHANGED);
    d.body = "Body text, edited";
    CHECK_INT(quire_index_add(idx, &d, &out), QUIRE_OK);
    CHECK_INT(out, QUIRE_REPLACED);
    uint64_t n;
    CHECK_INT(quire_index_doc_count(idx, &n), QUIRE_OK);
    CHECK_INT(n, 1);
    CHECK_STR(quire_index_config(idx), "lang=en stopwords=query fold_accents=0 positions=words");
    CHECK_INT(quire_index_delete(idx, "missing"), QUIRE_ENOTFOUND);
    CHECK(strstr(quire_index_errmsg(idx), "missing"));
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
}

static void missing_index(void)
{
    quire_index *idx;
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.flags = QUIRE_INDEX_NO_CREATE;
    CHECK_INT(quire_index_open(p("missing.idx"), &o, &idx), QUIRE_ENOTFOUND);
    CHECK(strstr(quire_index_errmsg(idx), "missing.idx"));
    quire_index_close(idx);
    struct stat st;
    CHECK(stat(p("missing.idx"), &st) != 0); /* not created */
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("missing.idx"), NULL, &s), QUIRE_ENOTFOUND);
    quire_searcher_close(s);
    CHECK_INT(quire_searcher_open(NULL, NULL, &s), QUIRE_EINVAL);
    quire_searcher_close(s);
    CHECK_INT(quire_searcher_open(p("x"), NULL, NULL), QUIRE_EINVAL);
}

typedef struct closer {
    quire_index *idx;
    double after;
} closer;

static void *close_later(void *arg)
{
    closer *c = arg;
    struct timespec ts = {0, (long)(c->after * 1e9)};
    nanosleep(&ts, NULL);
    quire_index_close(c->idx);
    return NULL;
}

static void locked_index(void)
{
    quire_index *a, *b;
    CHECK_INT(quire_index_open(p("lock.idx"), NULL, &a), QUIRE_OK);
    CHECK_INT(quire_index_open(p("lock.idx"), NULL, &b), QUIRE_ELOCKED);
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    CHECK_MSG(strstr(quire_index_errmsg(b), pid), "message: %s", quire_index_errmsg(b));
    quire_index_close(b);
    /* Waiting: gives up after the time given... */
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.lock_wait = 0.3;
    double t0 = now();
    CHECK_INT(quire_index_open(p("lock.idx"), &o, &b), QUIRE_ELOCKED);
    CHECK(now() - t0 >= 0.29);
    quire_index_close(b);
    /* ...and gets the lock when the other writer finishes in time. */
    closer c = {a, 0.2};
    pthread_t th;
    pthread_create(&th, NULL, close_later, &c);
    o.lock_wait = 10;
    CHECK_INT(quire_index_open(p("lock.idx"), &o, &b), QUIRE_OK);
    pthread_join(th, NULL);
    quire_index_close(b);
}

static void overwrite_and_config(void)
{
    quire_index *idx;
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.lang = "German";
    o.fold_accents = 1;
    o.stopwords = QUIRE_STOPWORDS_NONE;
    CHECK_INT(quire_index_open(p("cfg.idx"), &o, &idx), QUIRE_OK);
    CHECK_STR(quire_index_config(idx), "lang=de stopwords=none fold_accents=1 positions=words");
    CHECK_INT(add(idx, "1", "Eins", "Text"), QUIRE_OK);
    quire_index_close(idx);
    /* Reopening without options keeps the stored configuration. */
    CHECK_INT(quire_index_open(p("cfg.idx"), NULL, &idx), QUIRE_OK);
    CHECK_STR(quire_index_config(idx), "lang=de stopwords=none fold_accents=1 positions=words");
    quire_index_close(idx);
    quire_index_options c = QUIRE_INDEX_OPTIONS_INIT;
    c.lang = "en";
    CHECK_INT(quire_index_open(p("cfg.idx"), &c, &idx), QUIRE_ECONFIG);
    CHECK(strstr(quire_index_errmsg(idx), "lang=de"));
    quire_index_close(idx);
    c.lang = NULL;
    c.positions = QUIRE_POSITIONS_STEMS;
    CHECK_INT(quire_index_open(p("cfg.idx"), &c, &idx), QUIRE_ECONFIG);
    quire_index_close(idx);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("cfg.idx"), NULL, &s), QUIRE_OK);
    CHECK_STR(quire_searcher_config(s), "lang=de stopwords=none fold_accents=1 positions=words");
    quire_searcher_close(s);
    /* OVERWRITE starts over, with the new options. */
    c.flags = QUIRE_INDEX_OVERWRITE;
    c.lang = "fr";
    c.positions = QUIRE_POSITIONS_DEFAULT;
    CHECK_INT(quire_index_open(p("cfg.idx"), &c, &idx), QUIRE_OK);
    uint64_t n = 9;
    quire_index_doc_count(idx, &n);
    CHECK_INT(n, 0);
    CHECK_STR(quire_index_config(idx), "lang=fr stopwords=query fold_accents=0 positions=words");
    quire_index_close(idx);
}

/* A Xapian database made without quire (through the shim, as any Xapian
 * program would). */
static void make_foreign(const char *path)
{
    qx_err e;
    qx_db *db = qx_db_open_write(path, QX_CREATE_OR_OPEN, &e);
    qx_doc *d = qx_doc_new(&e);
    qx_doc_add_term(d, "hello", 5, 1, &e);
    qx_db_replace(db, "Qx", d, NULL, &e);
    qx_doc_free(d);
    qx_db_close(db, &e);
}

static void foreign_and_newer_indexes(void)
{
    make_foreign(p("foreign.idx"));
    quire_index *idx;
    CHECK_INT(quire_index_open(p("foreign.idx"), NULL, &idx), QUIRE_ENOTINDEX);
    CHECK(strstr(quire_index_errmsg(idx), "not a quire index"));
    quire_index_close(idx);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("foreign.idx"), NULL, &s), QUIRE_ENOTINDEX);
    quire_searcher_close(s);
    /* Not written to: still one document, no quire metadata. */
    qx_err e;
    qx_db *db = qx_db_open_read(p("foreign.idx"), &e);
    uint64_t n = 0;
    char *v = NULL;
    size_t len;
    CHECK(db && qx_db_doc_count(db, &n, &e) == QUIRE_OK && n == 1);
    CHECK(qx_db_get_metadata(db, "quire.schema", &v, &len, &e) == QUIRE_OK && len == 0);
    free(v);
    qx_db_close(db, &e);

    /* An index from a newer quire. */
    CHECK_INT(quire_index_open(p("newer.idx"), NULL, &idx), QUIRE_OK);
    quire_index_close(idx);
    db = qx_db_open_write(p("newer.idx"), QX_OPEN, &e);
    CHECK(db);
    qx_db_set_metadata(db, "quire.schema", "99", 2, &e);
    qx_db_close(db, &e);
    CHECK_INT(quire_index_open(p("newer.idx"), NULL, &idx), QUIRE_EVERSION);
    CHECK(strstr(quire_index_errmsg(idx), "99"));
    quire_index_close(idx);
    CHECK_INT(quire_searcher_open(p("newer.idx"), NULL, &s), QUIRE_EVERSION);
    quire_searcher_close(s);
}

static void stub_file_spans_databases(void)
{
    quire_index *a, *b;
    CHECK_INT(quire_index_open(p("stub-a.idx"), NULL, &a), QUIRE_OK);
    CHECK_INT(quire_index_open(p("stub-b.idx"), NULL, &b), QUIRE_OK);
    CHECK_INT(add(a, "a1", "Alpha harbour", "ferries in the harbour"), QUIRE_OK);
    CHECK_INT(add(b, "b1", "Beta harbour", "boats in the harbour"), QUIRE_OK);
    CHECK_INT(add(b, "b2", "Gamma", "nothing"), QUIRE_OK);
    quire_index_close(a);
    quire_index_close(b);
    FILE *f = fopen(p("both.stub"), "w");
    CHECK(f);
    fprintf(f, "glass %s\nglass %s\n", p("stub-a.idx"), p("stub-b.idx"));
    fclose(f);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("both.stub"), NULL, &s), QUIRE_OK);
    uint64_t n;
    CHECK_INT(quire_searcher_doc_count(s, &n), QUIRE_OK);
    CHECK_INT(n, 3);
    quire_results *r;
    CHECK_INT(quire_search(s, "harbour", NULL, &r), QUIRE_OK);
    CHECK_INT(quire_results_total(r, NULL), 2);
    CHECK(strstr(quire_results_hit(r, 0)->snippet, "harbour"));
    quire_results_free(r);
    quire_searcher_close(s);
    /* A stub whose only database is a missing folder: ENOTFOUND, with the
     * partial option too (it said ENETWORK "no shard answered"). */
    f = fopen(p("gone.stub"), "w");
    CHECK(f);
    fprintf(f, "auto %s\n", p("no-such.idx"));
    fclose(f);
    CHECK_INT(quire_searcher_open(p("gone.stub"), NULL, &s), QUIRE_ENOTFOUND);
    quire_searcher_close(s);
    quire_searcher_options so = QUIRE_SEARCHER_OPTIONS_INIT;
    so.partial = 1;
    CHECK_INT(quire_searcher_open(p("gone.stub"), &so, &s), QUIRE_ENOTFOUND);
    CHECK(strstr(quire_searcher_errmsg(s), "no-such.idx") != NULL);
    quire_searcher_close(s);
}

static void search_while_another_handle_commits(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("live.idx"), NULL, &idx), QUIRE_OK);
    CHECK_INT(add(idx, "0", "first", "common words here"), QUIRE_OK);
    CHECK_INT(quire_index_commit(idx), QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("live.idx"), NULL, &s), QUIRE_OK);
    for (int i = 1; i <= 30; i++) {
        char id[16], body[64];
        snprintf(id, sizeof id, "%d", i);
        snprintf(body, sizeof body, "common words number%d", i);
        CHECK_INT(add(idx, id, "later", body), QUIRE_OK);
        CHECK_INT(quire_index_commit(idx), QUIRE_OK);
        quire_results *r;
        /* No reopen: the searcher works on (or moves past) its revision. */
        quire_status st = quire_search(s, "common", NULL, &r);
        CHECK_MSG(st == QUIRE_OK, "search %d failed: %s", i, quire_searcher_errmsg(s));
        CHECK(quire_results_total(r, NULL) >= 1);
        quire_results_free(r);
    }
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    uint64_t n;
    CHECK_INT(quire_searcher_doc_count(s, &n), QUIRE_OK);
    CHECK_INT(n, 31);
    quire_searcher_close(s);
    quire_index_close(idx);
}

static uint64_t docs_in(const char *path)
{
    quire_searcher *s;
    uint64_t n = 0;
    if (quire_searcher_open(path, NULL, &s) == QUIRE_OK)
        quire_searcher_doc_count(s, &n);
    quire_searcher_close(s);
    return n;
}

static void rebuild_switch_and_reopen(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("rb.idx"), NULL, &idx), QUIRE_OK);
    CHECK_INT(add(idx, "old", "Old", "version one text"), QUIRE_OK);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("rb.idx"), NULL, &s), QUIRE_OK);

    /* Abandoned rebuild: nothing changes. */
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.flags = QUIRE_INDEX_REBUILD;
    CHECK_INT(quire_index_open(p("rb.idx"), &o, &idx), QUIRE_OK);
    CHECK_INT(add(idx, "new", "New", "version two text"), QUIRE_OK);
    quire_index_abandon(idx);
    CHECK_INT(docs_in(p("rb.idx")), 1);
    char link[512];
    ssize_t n = readlink(p("rb.idx"), link, sizeof link);
    CHECK(n < 0); /* still the plain directory */

    /* Completed rebuild: the name switches; the open searcher keeps its
     * version until it reopens. */
    CHECK_INT(quire_index_open(p("rb.idx"), &o, &idx), QUIRE_OK);
    CHECK_INT(add(idx, "new", "New", "version two text"), QUIRE_OK);
    CHECK_INT(add(idx, "new2", "New", "version two more"), QUIRE_OK);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    n = readlink(p("rb.idx"), link, sizeof link - 1);
    CHECK(n > 0);
    link[n > 0 ? n : 0] = '\0';
    CHECK_MSG(strcmp(link, "rb.idx.v1") == 0, "link: %s", link);
    uint64_t c;
    CHECK_INT(quire_searcher_doc_count(s, &c), QUIRE_OK);
    CHECK_INT(c, 1);
    quire_results *r;
    CHECK_INT(quire_search(s, "version", NULL, &r), QUIRE_OK); /* old version, still readable */
    CHECK_INT(quire_results_total(r, NULL), 1);
    quire_results_free(r);
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    CHECK_INT(quire_searcher_doc_count(s, &c), QUIRE_OK);
    CHECK_INT(c, 2);
    quire_stats st = {QUIRE_STATS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0};
    CHECK_INT(quire_searcher_stats(s, &st), QUIRE_OK);
    CHECK_INT(st.documents, 2);
    CHECK(st.terms > 5 && st.disk_bytes > 0 && st.databases == 1);
    CHECK(strstr(st.location, "rb.idx.v1") != NULL);
    CHECK_STR(st.languages, "en");
    CHECK(strlen(st.updated) == 20);
    CHECK_STR(st.writer, QUIRE_VERSION_STRING);
    st.version = 7;
    CHECK_INT(quire_searcher_stats(s, &st), QUIRE_EINVAL);
    quire_searcher_close(s);
    /* The old plain directory went once no searcher held it (the next
     * writer cleans it when a searcher still had it). */
    CHECK_INT(quire_index_open(p("rb.idx"), NULL, &idx), QUIRE_OK);
    quire_index_close(idx);
    struct stat sb;
    CHECK(stat(p("rb.idx.v0"), &sb) != 0);

    /* Compaction through the API, keeping the previous version. */
    quire_index_options k = QUIRE_INDEX_OPTIONS_INIT;
    k.keep_previous = 1;
    CHECK_INT(quire_index_open(p("rb.idx"), &k, &idx), QUIRE_OK);
    CHECK_INT(add(idx, "third", "Third", "more text"), QUIRE_OK);
    CHECK_INT(quire_index_compact(idx), QUIRE_OK);
    CHECK_INT(add(idx, "fourth", "Fourth", "after compaction"), QUIRE_OK);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(docs_in(p("rb.idx")), 4);
    CHECK(stat(p("rb.idx.v1/iamglass"), &sb) == 0); /* the kept previous version */
    n = readlink(p("rb.idx"), link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    CHECK_STR(link, "rb.idx.v2");
}

/* A batch of n documents "<tag>-i", committed. */
static int add_batch(quire_index *idx, const char *tag, int n)
{
    for (int i = 0; i < n; i++) {
        char id[32], body[96];
        snprintf(id, sizeof id, "%s-%d", tag, i);
        snprintf(body, sizeof body, "harbour ferry %s word%d", tag, i);
        if (add(idx, id, "Batch", body) != QUIRE_OK)
            return 0;
    }
    return quire_index_commit(idx) == QUIRE_OK;
}

/* rounds more batches of per documents ("b0-*", "b1-*", ...), each
 * committed: enough commits to discard the revision a reader holds. */
static int add_rounds(quire_index *idx, int rounds, int per)
{
    for (int round = 0; round < rounds; round++) {
        char tag[16];
        snprintf(tag, sizeof tag, "b%d", round);
        if (!add_batch(idx, tag, per))
            return 0;
    }
    return 1;
}

/* A searcher keeps the version it opened even when the writer commits to
 * that version before compacting it away: every commit replaces the
 * version's iamglass file, so a pin held on that file stopped protecting
 * the directory, and the compaction removed it under the searcher. */
static void open_version_survives_commits_and_compaction(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("pin.idx"), NULL, &idx), QUIRE_OK);
    CHECK(add_batch(idx, "a", 300));
    CHECK_INT(quire_index_compact(idx), QUIRE_OK); /* pin.idx -> pin.idx.v1 */
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("pin.idx"), NULL, &s), QUIRE_OK);
    CHECK(add_rounds(idx, 4, 300));
    CHECK_INT(quire_index_compact(idx), QUIRE_OK); /* -> pin.idx.v2 */
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    struct stat sb;
    CHECK_MSG(stat(p("pin.idx.v1/iamglass"), &sb) == 0, "the version the searcher holds was removed");
    quire_results *r;
    CHECK_MSG(quire_search(s, "ferry", NULL, &r) == QUIRE_OK, "%s", quire_searcher_errmsg(s));
    quire_results_free(r);
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    uint64_t c;
    CHECK_INT(quire_searcher_doc_count(s, &c), QUIRE_OK);
    CHECK_INT(c, 1500);
    quire_searcher_close(s);
    /* Free now: the next writer removes it. */
    CHECK_INT(quire_index_open(p("pin.idx"), NULL, &idx), QUIRE_OK);
    quire_index_close(idx);
    CHECK(stat(p("pin.idx.v1"), &sb) != 0);
}

/* The same from a plain directory, which the compaction renames to
 * "<name>.v0" before pointing the name at the new version: the searcher's
 * revision was discarded by the commits, and the search that meets that
 * reopens and answers from one consistent database. */
static void plain_directory_searcher_through_compaction(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("plain.idx"), NULL, &idx), QUIRE_OK);
    CHECK(add_batch(idx, "a", 300));
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("plain.idx"), NULL, &s), QUIRE_OK);
    CHECK(add_rounds(idx, 4, 300));
    CHECK_INT(quire_index_compact(idx), QUIRE_OK); /* plain.idx -> plain.idx.v1, old at .v0 */
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_results *r;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.exact_count_up_to = 100000;
    CHECK_MSG(quire_search(s, "ferry", &o, &r) == QUIRE_OK, "%s", quire_searcher_errmsg(s));
    CHECK_INT(quire_results_total(r, NULL), 1500); /* the newest revision of the directory it opened */
    quire_results_free(r);
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    uint64_t c;
    CHECK_INT(quire_searcher_doc_count(s, &c), QUIRE_OK);
    CHECK_INT(c, 1500);
    quire_searcher_close(s);
}

/* Total matches of q, exactly; -1 on an error. */
static long long total_of(quire_searcher *s, const char *q)
{
    quire_results *r;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.exact_count_up_to = UINT_MAX;
    if (quire_search(s, q, &o, &r) != QUIRE_OK)
        return -1;
    long long t = (long long)quire_results_total(r, NULL);
    quire_results_free(r);
    return t;
}

/* Each shard of a sharded index is a versioned name of its own: a
 * searcher pins the shard versions it opened and, after the shards are
 * compacted into new versions, moves to them (it kept reading the old
 * tables through the new revision files: no hits for new documents even
 * after a reopen, or EMODIFIED). */
static void sharded_searcher_follows_compaction(void)
{
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.shards = 2;
    quire_index *idx;
    CHECK_INT(quire_index_open(p("shc.idx"), &o, &idx), QUIRE_OK);
    CHECK(add_batch(idx, "a", 300));
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(quire_index_open(p("shc.idx"), NULL, &idx), QUIRE_OK);
    CHECK_INT(quire_index_compact(idx), QUIRE_OK); /* shard-i -> shard-i.v1 */
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("shc.idx"), NULL, &s), QUIRE_OK);
    CHECK_INT(total_of(s, "ferry"), 300);
    CHECK(add_rounds(idx, 4, 300));
    CHECK_INT(quire_index_compact(idx), QUIRE_OK); /* -> shard-i.v2 */
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    long long t = total_of(s, "ferry"); /* the old versions, or the new ones */
    CHECK_MSG(t == 300 || t == 1500, "ferry: %lld (%s)", t, quire_searcher_errmsg(s));
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    CHECK_INT(total_of(s, "b3"), 300);
    CHECK_INT(total_of(s, "ferry"), 1500);
    quire_searcher_close(s);

    /* A reopen that fails on one shard after another moved on: the
     * searcher must not keep the moved shard's closed database (every
     * search then failed with DatabaseClosedError until a later reopen). */
    CHECK_INT(quire_searcher_open(p("shc.idx"), NULL, &s), QUIRE_OK);
    CHECK_INT(quire_index_open(p("shc.idx"), NULL, &idx), QUIRE_OK);
    CHECK(add_rounds(idx, 1, 100));
    CHECK_INT(quire_index_compact(idx), QUIRE_OK); /* -> shard-i.v3 */
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    FILE *f = fopen(p("shc.idx/shard-1/iamglass"), "r+b");
    CHECK(f);
    for (int i = 0; i < 64; i++)
        fputc(0x5A, f);
    fclose(f);
    CHECK(quire_searcher_reopen(s) != QUIRE_OK); /* shard-1's new version is damaged */
    t = total_of(s, "ferry");
    CHECK_MSG(t > 0, "search after the failed reopen: %s", quire_searcher_errmsg(s));
    quire_searcher_close(s);
}

/* Stats read the database like a search: when a writer's commits have
 * discarded the revision the searcher holds, they move on to the newest
 * one (they failed with Xapian's "you should call
 * Xapian::Database::reopen()"), and a message about it is in quire's
 * words. */
static void stats_after_commits(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("st.idx"), NULL, &idx), QUIRE_OK);
    CHECK(add_batch(idx, "a", 2000));
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("st.idx"), NULL, &s), QUIRE_OK);
    CHECK(add_rounds(idx, 4, 2000));
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_stats st = {QUIRE_STATS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0};
    CHECK_MSG(quire_searcher_stats(s, &st) == QUIRE_OK, "%s", quire_searcher_errmsg(s));
    CHECK_INT(st.documents, 10000);
    quire_searcher_close(s);
}

/* After a failed write (a file size limit standing in for a full disk),
 * every call says the handle makes no more changes: doc_count said
 * "index is not open or count is NULL" although neither was true. And a
 * NULL synonym list is an error, not "remove every group". */
static void calls_after_a_failed_write(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("ff.idx"), NULL, &idx), QUIRE_OK);
    CHECK_INT(quire_index_set_synonyms(idx, "dprk, north korea", NULL), QUIRE_OK);
    CHECK(add_batch(idx, "a", 10));
    CHECK_INT(quire_index_set_synonyms(idx, NULL, NULL), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "NULL") != NULL);
    struct rlimit old, small;
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    small = old;
    small.rlim_cur = 64 * 1024;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
    quire_status st = QUIRE_OK;
    for (int b = 0; b < 50 && st == QUIRE_OK; b++) {
        char tag[16];
        snprintf(tag, sizeof tag, "f%d", b);
        for (int i = 0; i < 100 && st == QUIRE_OK; i++) {
            char id[32], body[200];
            snprintf(id, sizeof id, "%s-%d", tag, i);
            snprintf(body, sizeof body, "filler text %s number %d with words w%d x%d y%d", tag, i, i * 7, i * 13, b);
            st = add(idx, id, "Filler", body);
        }
        if (st == QUIRE_OK)
            st = quire_index_commit(idx);
    }
    CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
    signal(SIGXFSZ, SIG_DFL);
    CHECK_INT(st, QUIRE_EIO);
    uint64_t n;
    CHECK_INT(quire_index_doc_count(idx, &n), QUIRE_EIO);
    CHECK_MSG(strstr(quire_index_errmsg(idx), "earlier write failed") != NULL, "%s", quire_index_errmsg(idx));
    quire_index_abandon(idx);
    /* The list is as set before. */
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("ff.idx"), NULL, &s), QUIRE_OK);
    quire_stats stt = {QUIRE_STATS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0};
    CHECK_INT(quire_searcher_stats(s, &stt), QUIRE_OK);
    CHECK_INT(stt.synonym_groups, 1);
    quire_searcher_close(s);
}

/* The languages a searcher stems in and stats list are those the index
 * has documents in now: when the only German document is replaced by an
 * English one, German goes (it stayed: the writers' record only grew). */
static void languages_follow_the_documents(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("lg.idx"), NULL, &idx), QUIRE_OK);
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "a";
    d.body = "Die Verhandlungen laufen weiter";
    d.lang = "de";
    CHECK_INT(quire_index_add(idx, &d, NULL), QUIRE_OK);
    CHECK_INT(add(idx, "b", "Talks", "The talks go on"), QUIRE_OK);
    CHECK(add_batch(idx, "seed", 3000)); /* tables deeper than the root blocks a reader keeps */
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(p("lg.idx"), NULL, &s), QUIRE_OK);
    quire_stats st = {QUIRE_STATS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0};
    CHECK_INT(quire_searcher_stats(s, &st), QUIRE_OK);
    CHECK_STR(st.languages, "de,en");
    quire_results *r;
    CHECK_INT(quire_search(s, "verhandlungen", NULL, &r), QUIRE_OK);
    CHECK(strstr(quire_results_xapian_query(r), "Zverhandl ") != NULL); /* German too, while it has a document */
    quire_results_free(r);
    d.body = "The negotiations go on";
    d.lang = NULL;
    CHECK_INT(quire_index_add(idx, &d, NULL), QUIRE_OK);
    /* Enough commits after it that the searcher's revision is discarded:
     * its next search moves on by itself (and must read the languages
     * again then, as the reopen below finds nothing newer). */
    CHECK(add_rounds(idx, 4, 2000));
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(quire_search(s, "talks", NULL, &r), QUIRE_OK);
    quire_results_free(r);
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    CHECK_INT(quire_searcher_stats(s, &st), QUIRE_OK);
    CHECK_STR(st.languages, "en");
    CHECK_INT(quire_search(s, "verhandlungen", NULL, &r), QUIRE_OK);
    CHECK_MSG(strstr(quire_results_xapian_query(r), "Zverhandl ") == NULL, "still stemmed in German: %s",
              quire_results_xapian_query(r));
    quire_results_free(r);
    quire_searcher_close(s);
}

static void sync_prune(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("sync.idx"), NULL, &idx), QUIRE_OK);
    uint64_t d = 9;
    CHECK_INT(quire_index_sync_prune(idx, &d), QUIRE_EINVAL);
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%d", i);
        CHECK_INT(add(idx, id, "t", "body"), QUIRE_OK);
    }
    CHECK_INT(quire_index_commit(idx), QUIRE_OK);
    CHECK_INT(quire_index_sync_begin(idx), QUIRE_OK);
    CHECK_INT(add(idx, "d1", "t", "body"), QUIRE_OK);          /* unchanged */
    CHECK_INT(add(idx, "d3", "t", "body, edited"), QUIRE_OK);  /* replaced */
    CHECK_INT(add(idx, "d9", "t", "body"), QUIRE_OK);          /* added */
    CHECK_INT(quire_index_sync_prune(idx, &d), QUIRE_OK);
    CHECK_INT(d, 3); /* d0 d2 d4 */
    uint64_t n;
    CHECK_INT(quire_index_doc_count(idx, &n), QUIRE_OK);
    CHECK_INT(n, 3);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
}

static void results_accessors_tolerate_null(void)
{
    CHECK_INT(quire_results_count(NULL), 0);
    CHECK(quire_results_hit(NULL, 0) == NULL);
    int exact = 5;
    CHECK_INT(quire_results_total(NULL, &exact), 0);
    CHECK_INT(exact, 0);
    CHECK_STR(quire_results_parsed(NULL), "");
    CHECK_STR(quire_results_xapian_query(NULL), "");
    CHECK_STR(quire_results_warning(NULL), "");
    quire_results_free(NULL);
    quire_searcher_close(NULL);
    quire_reader_close(NULL);
    CHECK_INT(quire_searcher_reopen(NULL), QUIRE_EINVAL);
    CHECK_INT(quire_searcher_doc_count(NULL, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_searcher_error_offset(NULL), (size_t)-1);
    CHECK(quire_searcher_errmsg(NULL) != NULL);
}

static void cleanup(void)
{
    if (tmp[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp);
    }
}

/* A sharded index: built in parallel, updated and deleted through its
 * shards, searched as one, merged back into one database. */
static void shards_and_merge(void)
{
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.shards = 3;
    quire_index *idx;
    CHECK_INT(quire_index_open(p("sh.idx"), &o, &idx), QUIRE_OK);
    for (int i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        CHECK_INT(add(idx, id, "Shard test", i % 2 ? "odd walrus" : "even walrus"), QUIRE_OK);
    }
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    struct stat sb;
    CHECK(stat(p("sh.idx/XAPIANDB"), &sb) == 0 && stat(p("sh.idx/shard-2/iamglass"), &sb) == 0);
    CHECK_INT(docs_in(p("sh.idx")), 12);
    /* Reopened: documents land on their shard, so a replace does not duplicate. */
    CHECK_INT(quire_index_open(p("sh.idx"), NULL, &idx), QUIRE_OK);
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "s3";
    d.title = "Shard test";
    d.body = "changed walrus";
    quire_add_outcome out;
    CHECK_INT(quire_index_add(idx, &d, &out), QUIRE_OK);
    CHECK_INT(out, QUIRE_REPLACED);
    CHECK_INT(quire_index_delete(idx, "s4"), QUIRE_OK);
    CHECK_INT(quire_index_delete(idx, "nope"), QUIRE_ENOTFOUND);
    CHECK(strstr(quire_index_errmsg(idx), "nope") != NULL);
    uint64_t n = 0;
    CHECK_INT(quire_index_doc_count(idx, &n), QUIRE_OK);
    CHECK_INT((int)n, 11);
    CHECK_INT(quire_index_merge(idx, p("merged.idx")), QUIRE_OK);
    CHECK_INT(quire_index_merge(idx, p("merged.idx")), QUIRE_EINVAL); /* exists */
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(docs_in(p("sh.idx")), 11);
    CHECK_INT(docs_in(p("merged.idx")), 11);
    /* Not for an existing plain index, nor a rebuild of a sharded one. */
    CHECK_INT(quire_index_open(p("merged.idx"), &o, &idx), QUIRE_EINVAL);
    quire_index_close(idx);
    quire_index_options r = QUIRE_INDEX_OPTIONS_INIT;
    r.flags = QUIRE_INDEX_REBUILD;
    CHECK_INT(quire_index_open(p("sh.idx"), &r, &idx), QUIRE_EINVAL);
    quire_index_close(idx);
}

/* A new index built in parallel, abandoned after a commit, is resumed by
 * the next open: documents found there are UNCHANGED, replaced ones and
 * ones not added again do not survive (issue 13, item 2); a damaged
 * index is refused with QUIRE_ECORRUPT (item 1). */
static void resume_and_verify(void)
{
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.threads = 2;
    o.batch_docs = 3;
    quire_index *idx;
    char id[32], body[64];
    CHECK_INT(quire_index_open(p("res.idx"), &o, &idx), QUIRE_OK);
    for (int i = 0; i < 20; i++) {
        snprintf(id, sizeof id, "r%02d", i);
        snprintf(body, sizeof body, "resumable document number %d", i);
        CHECK_INT(add(idx, id, "Resume", body), QUIRE_OK);
    }
    CHECK_INT(quire_index_commit(idx), QUIRE_OK);
    /* Given after the commit: kept too (the threads write their queues). */
    CHECK_INT(add(idx, "r20", "Resume", "resumable document number 20"), QUIRE_OK);
    quire_index_abandon(idx);
    struct stat sb;
    CHECK(stat(p("res.idx"), &sb) != 0);           /* not visible */
    CHECK(stat(p("res.idx.new.owner"), &sb) == 0); /* but kept */
    CHECK_INT(quire_index_open(p("res.idx"), &o, &idx), QUIRE_OK);
    int unchanged = 0;
    for (int i = 0; i < 21; i++) { /* r18 and r19 are not added again */
        if (i == 18 || i == 19)
            continue;
        snprintf(id, sizeof id, "r%02d", i);
        snprintf(body, sizeof body, i == 4 ? "changed %d" : "resumable document number %d", i);
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = id;
        d.title = "Resume";
        d.body = body;
        quire_add_outcome out;
        CHECK_INT(quire_index_add(idx, &d, &out), QUIRE_OK);
        CHECK_INT(out, i == 4 ? QUIRE_REPLACED : QUIRE_UNCHANGED);
        unchanged += out == QUIRE_UNCHANGED;
    }
    uint64_t n = 0;
    CHECK_INT(quire_index_doc_count(idx, &n), QUIRE_OK);
    CHECK_INT((int)n, 19);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(unchanged, 18);
    CHECK_INT(docs_in(p("res.idx")), 19);
    CHECK(stat(p("res.idx.new.owner"), &sb) != 0);
    quire_searcher *s;
    quire_results *r;
    CHECK_INT(quire_searcher_open(p("res.idx"), NULL, &s), QUIRE_OK);
    CHECK_INT(quire_search(s, "changed", NULL, &r), QUIRE_OK);
    CHECK_INT(quire_results_count(r), 1);
    quire_results_free(r);
    CHECK_INT(quire_search(s, "id:r19", NULL, &r), QUIRE_OK);
    CHECK_INT(quire_results_count(r), 0);
    quire_results_free(r);
    quire_searcher_close(s);

    /* Damage: a stray write into a table. */
    FILE *f = fopen(p("res.idx/termlist.glass"), "r+b");
    CHECK(f);
    fseek(f, 12, SEEK_SET); /* the root block's item pointers */
    for (int i = 0; i < 64; i++)
        fputc(0xA5, f);
    fclose(f);
    quire_index_options v = QUIRE_INDEX_OPTIONS_INIT;
    v.flags = QUIRE_INDEX_NO_CREATE;
    CHECK_INT(quire_index_open(p("res.idx"), &v, &idx), QUIRE_ECORRUPT);
    CHECK_MSG(strstr(quire_index_errmsg(idx), "is damaged") != NULL, "%s", quire_index_errmsg(idx));
    quire_index_close(idx);
}

int main(void)
{
    atexit(cleanup);
    static const test_case tests[] = {
        T(version), T(status_strings), T(options_init), T(index_bad_arguments), T(index_options_checked_first), T(index_outcomes),
        T(missing_index), T(locked_index), T(overwrite_and_config), T(foreign_and_newer_indexes),
        T(stub_file_spans_databases), T(search_while_another_handle_commits),
        T(rebuild_switch_and_reopen), T(open_version_survives_commits_and_compaction),
        T(plain_directory_searcher_through_compaction), T(sharded_searcher_follows_compaction), T(stats_after_commits),
        T(calls_after_a_failed_write), T(languages_follow_the_documents), T(sync_prune), T(results_accessors_tolerate_null), T(shards_and_merge),
        T(resume_and_verify)};
    return harness_run("api", tests, sizeof tests / sizeof tests[0]);
}

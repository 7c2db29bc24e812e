/* test_threads.c — several threads search, each with its own searcher,
 * while a writer thread keeps adding and committing. Every search must
 * succeed and see a consistent revision (totals never go down); run under
 * ASan/UBSan by make check-asan.
 *
 * The writer commits every 3 documents, 4 ms apart: about a hundred
 * commits a second, so readers keep meeting discarded revisions and
 * retrying. (A Xapian reader's revision survives only until the writer's
 * second next commit; a writer with no pause at all can starve a slower
 * reader, and 1 ms apart a reader slowed by ASan on a loaded machine could
 * meet one at each of its 10 retries.) */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"
#include "quire.h"

enum { READERS = 3, WRITES = 120, COMMIT_EVERY = 3 };

static char tmp[256], path[300];
static atomic_int writer_done;
static atomic_int failures;
static char first_failure[512];

static void note_failure(const char *what)
{
    if (atomic_fetch_add(&failures, 1) == 0)
        snprintf(first_failure, sizeof first_failure, "%s", what);
}

static void *writer(void *arg)
{
    (void)arg;
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.lock_wait = 5;
    quire_index *idx;
    if (quire_index_open(path, &o, &idx) != QUIRE_OK) {
        note_failure(quire_index_errmsg(idx));
        quire_index_close(idx);
        atomic_store(&writer_done, 1);
        return NULL;
    }
    for (int i = 0; i < WRITES; i++) {
        char id[32], body[128];
        snprintf(id, sizeof id, "w%d", i);
        snprintf(body, sizeof body, "shared words in every document, and token%d alone", i);
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = id;
        d.title = "Writer document";
        d.body = body;
        d.date = "2024-06-01";
        if (quire_index_add(idx, &d, NULL) != QUIRE_OK)
            note_failure(quire_index_errmsg(idx));
        if (i % COMMIT_EVERY == 0) {
            if (quire_index_commit(idx) != QUIRE_OK)
                note_failure(quire_index_errmsg(idx));
            struct timespec ts = {0, 4 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (quire_index_close(idx) != QUIRE_OK)
        note_failure("closing the writer failed");
    atomic_store(&writer_done, 1);
    return NULL;
}

static void *reader(void *arg)
{
    int me = (int)(long)arg;
    quire_searcher *s;
    if (quire_searcher_open(path, NULL, &s) != QUIRE_OK) {
        note_failure(quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return NULL;
    }
    const char *queries[] = {"shared words", "\"every document\"", "token1*", "writer -alone",
                             "date:2024-06 shared"};
    uint64_t last_total = 0;
    int n = 0;
    while (!atomic_load(&writer_done) || n < 20) {
        const char *q = queries[(n + me) % 5];
        quire_results *r;
        quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
        o.limit = 5;
        if (quire_search(s, q, &o, &r) != QUIRE_OK) {
            char m[512];
            snprintf(m, sizeof m, "reader %d query '%s': %s", me, q, quire_searcher_errmsg(s));
            note_failure(m);
            break;
        }
        for (size_t i = 0; i < quire_results_count(r); i++)
            if (!*quire_results_hit(r, i)->id)
                note_failure("a hit without an id");
        if (n % 5 == 0) {
            uint64_t total = quire_results_total(r, NULL);
            if (total < last_total)
                note_failure("a total went down between searches");
            last_total = total;
        }
        quire_results_free(r);
        if (++n % 7 == 0) {
            if (quire_searcher_reopen(s) != QUIRE_OK)
                note_failure(quire_searcher_errmsg(s));
        }
    }
    quire_searcher_close(s);
    return NULL;
}

static void readers_and_a_writer(void)
{
    make_tmpdir(tmp, "threads");
    snprintf(path, sizeof path, "%s/t.idx", tmp);
    CHECK(add_document(path, "seed", "shared words to start with"));

    pthread_t w, r[READERS];
    for (long i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, (void *)i);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    CHECK_MSG(atomic_load(&failures) == 0, "%d failures, first: %s", atomic_load(&failures), first_failure);

    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    uint64_t n;
    CHECK_INT(quire_searcher_doc_count(s, &n), QUIRE_OK);
    CHECK_INT(n, WRITES + 1);
    quire_searcher_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    CHECK(system(cmd) == 0);
}

/* A searcher opening while a writer commits: its database opened at one
 * revision, then (held at the test point "searcher-opened") the writer
 * commits several times, so that revision is discarded before the searcher
 * reads its settings. The open must move on to the newest revision, not
 * fail with DatabaseModifiedError (seen once under load in the test above,
 * from a reader's open). */
enum { SEED_DOCS = 3000, COMMITS = 6, BATCH_DOCS = 300 };
static quire_status opened;
static quire_searcher *opened_searcher;

/* Add batches of documents to the index at path, committing after each:
 * 1 on success. */
static int write_batches(const char *where, const char *tag, int batches, int per_batch)
{
    quire_index *idx;
    int ok = quire_index_open(where, NULL, &idx) == QUIRE_OK;
    for (int c = 0; ok && c < batches; c++) {
        for (int i = 0; ok && i < per_batch; i++) {
            char id[48], body[160];
            snprintf(id, sizeof id, "%s-%d-%d", tag, c, i);
            snprintf(body, sizeof body, "shared words in batch %d, document %d of %s, word%d", c, i, tag, i % 97);
            quire_document d = QUIRE_DOCUMENT_INIT;
            d.id = id;
            d.body = body;
            ok = quire_index_add(idx, &d, NULL) == QUIRE_OK;
        }
        ok = ok && quire_index_commit(idx) == QUIRE_OK;
    }
    return quire_index_close(idx) == QUIRE_OK && ok;
}

static void *open_searcher(void *arg)
{
    (void)arg;
    opened = quire_searcher_open(path, NULL, &opened_searcher);
    return NULL;
}

/* Run fn in a thread held at the test point `point`; while it is held,
 * write `COMMITS` batches so that the revision it reads is discarded, then
 * let it go. 1 if it reached the point and the writes succeeded. */
static int discard_while_paused(const char *point, void *(*fn)(void *))
{
    char paused[320], resume[320];
    snprintf(paused, sizeof paused, "%s/paused", tmp);
    snprintf(resume, sizeof resume, "%s/resume", tmp);
    setenv("QUIRE_TEST_PAUSE", point, 1);
    setenv("QUIRE_TEST_PAUSED", paused, 1);
    setenv("QUIRE_TEST_RESUME", resume, 1);
    pthread_t t;
    pthread_create(&t, NULL, fn, NULL);
    struct stat st;
    for (int i = 0; i < 3000 && stat(paused, &st) != 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int was_paused = stat(paused, &st) == 0;
    if (!was_paused)
        fprintf(stderr, "# the thread never reached the test point %s\n", point);
    int wrote = write_batches(path, "more", COMMITS, BATCH_DOCS);
    FILE *f = fopen(resume, "w");
    if (f)
        fclose(f);
    pthread_join(t, NULL);
    unsetenv("QUIRE_TEST_PAUSE");
    unsetenv("QUIRE_TEST_PAUSED");
    unsetenv("QUIRE_TEST_RESUME");
    remove(paused);
    remove(resume);
    return was_paused && wrote;
}

static void open_while_a_writer_commits(void)
{
    make_tmpdir(tmp, "threads-open");
    snprintf(path, sizeof path, "%s/t.idx", tmp);
    /* Enough documents that the tables are more than a root block, which
     * the opened database keeps in memory. */
    CHECK(write_batches(path, "seed", 1, SEED_DOCS));
    CHECK(discard_while_paused("searcher-opened", open_searcher));
    CHECK_MSG(opened == QUIRE_OK, "open failed: %s", quire_searcher_errmsg(opened_searcher));
    quire_results *r;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    CHECK_MSG(quire_search(opened_searcher, "shared words", &o, &r) == QUIRE_OK, "search failed: %s",
              quire_searcher_errmsg(opened_searcher));
    quire_results_free(r);
    quire_searcher_close(opened_searcher);
    remove_tmpdir(tmp);
}

/* A search whose revision was discarded moves to the newest one; if a
 * writer discards that one too before the languages are read again, the
 * search moves on once more instead of failing (seen under ASan in
 * readers_and_a_writer: "reader 2 query '"every document"': the index
 * changed while it was being read"). */
static quire_status searched;
static uint64_t searched_total;

static void *search_once(void *arg)
{
    (void)arg;
    quire_results *r;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    searched = quire_search(opened_searcher, "shared words", &o, &r);
    if (searched == QUIRE_OK) {
        searched_total = quire_results_total(r, NULL);
        quire_results_free(r);
    }
    return NULL;
}

static void search_while_a_writer_commits(void)
{
    make_tmpdir(tmp, "threads-search");
    snprintf(path, sizeof path, "%s/t.idx", tmp);
    CHECK(write_batches(path, "seed", 1, SEED_DOCS));
    CHECK_INT(quire_searcher_open(path, NULL, &opened_searcher), QUIRE_OK);
    /* Discard the searcher's revision, so that its next search moves. */
    CHECK(write_batches(path, "before", COMMITS, BATCH_DOCS));
    CHECK(discard_while_paused("searcher-moved", search_once));
    CHECK_MSG(searched == QUIRE_OK, "search failed: %s", quire_searcher_errmsg(opened_searcher));
    CHECK_INT(searched_total, SEED_DOCS + 2 * COMMITS * BATCH_DOCS);
    quire_searcher_close(opened_searcher);
    remove_tmpdir(tmp);
}

TEST_MAIN("threads", T(readers_and_a_writer), T(open_while_a_writer_commits), T(search_while_a_writer_commits))

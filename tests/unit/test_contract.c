/* test_contract.c — the promises of quire.h an embedder relies on: every
 * handle's message and code describe its last call (SQLite's rule), bad
 * search options are refused, quire_index_finish() keeps the reason a
 * finish failed, a time limit marks the result, ties go to the id, and
 * highlights show only the forms that matched. Public API only. */
#include <math.h>
#include <sys/stat.h>

#include "harness.h"
#include "quire.h"

static char tmp[256];

static const char *p(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    if (!tmp[0])
        make_tmpdir(tmp, "contract");
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
    return buf[k];
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

static quire_status add(quire_index *idx, const char *id, const char *title, const char *body)
{
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = id;
    d.title = title;
    d.body = body;
    return quire_index_add(idx, &d, NULL);
}

static void null_handles(void)
{
    CHECK_STR(quire_index_errmsg(NULL), "");
    CHECK_STR(quire_searcher_errmsg(NULL), "");
    CHECK_STR(quire_reader_errmsg(NULL), "");
    CHECK_INT(quire_index_errcode(NULL), QUIRE_OK);
    CHECK_INT(quire_searcher_errcode(NULL), QUIRE_OK);
    CHECK_INT(quire_reader_errcode(NULL), QUIRE_OK);
    CHECK_INT(quire_index_finish(NULL), QUIRE_EINVAL);
}

/* The index "c.idx": three documents, made once. */
static const char *small_index(void)
{
    static int made;
    const char *path = p("c.idx");
    if (made)
        return path;
    quire_index *idx;
    if (quire_index_open(path, NULL, &idx) != QUIRE_OK)
        return NULL;
    add(idx, "w1", "Walrus", "The walrus sleeps on the ice.");
    add(idx, "w2", "Seal", "A seal swims past the walrus.");
    add(idx, "w3", "Delay", "The delay was short. Delays happen; the train was delayed. "
                            "The movements of the movement were slow.");
    made = quire_index_close(idx) == QUIRE_OK;
    return made ? path : NULL;
}

static void index_message_is_the_last_calls(void)
{
    quire_index *idx;
    CHECK_INT(quire_index_open(p("m.idx"), NULL, &idx), QUIRE_OK);
    CHECK_STR(quire_index_errmsg(idx), "");
    CHECK_INT(add(idx, "a", "A", "alpha"), QUIRE_OK);
    CHECK_INT(quire_index_delete(idx, "nope"), QUIRE_ENOTFOUND);
    CHECK_INT(quire_index_errcode(idx), QUIRE_ENOTFOUND);
    CHECK(strstr(quire_index_errmsg(idx), "nope") != NULL);
    /* A success after a failure: "" and QUIRE_OK. */
    CHECK_INT(add(idx, "b", "B", "beta"), QUIRE_OK);
    CHECK_STR(quire_index_errmsg(idx), "");
    CHECK_INT(quire_index_errcode(idx), QUIRE_OK);
    quire_document bad = QUIRE_DOCUMENT_INIT;
    CHECK_INT(quire_index_add(idx, &bad, NULL), QUIRE_EINVAL);
    CHECK_INT(quire_index_errcode(idx), QUIRE_EINVAL);
    CHECK(*quire_index_errmsg(idx));
    CHECK_INT(quire_index_commit(idx), QUIRE_OK);
    CHECK_STR(quire_index_errmsg(idx), "");
    CHECK_INT(quire_index_finish(idx), QUIRE_OK);
    /* Finished: nothing but closing is left, and that says so. */
    CHECK_INT(add(idx, "c", "C", "gamma"), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "finished") != NULL);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
}

static void searcher_message_is_the_last_calls(void)
{
    const char *path = small_index();
    CHECK(path);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    quire_results *r;
    CHECK_INT(quire_search(s, "walrus (", NULL, &r), QUIRE_ESYNTAX);
    CHECK_INT(quire_searcher_errcode(s), QUIRE_ESYNTAX);
    CHECK(*quire_searcher_errmsg(s));
    CHECK_INT(quire_search(s, "walrus", NULL, &r), QUIRE_OK);
    CHECK_STR(quire_searcher_errmsg(s), "");
    CHECK_INT(quire_searcher_errcode(s), QUIRE_OK);
    CHECK_INT(quire_searcher_error_offset(s), (size_t)-1);
    quire_results_free(r);
    /* Statistics have an INIT macro and an init function. */
    quire_stats st = QUIRE_STATS_INIT;
    CHECK_INT(quire_searcher_stats(s, &st), QUIRE_OK);
    CHECK_INT(st.documents, 3);
    quire_stats st2;
    CHECK_INT(quire_stats_init(&st2, QUIRE_STATS_VERSION), QUIRE_OK);
    CHECK_INT(st2.version, QUIRE_STATS_VERSION);
    CHECK_INT(quire_searcher_stats(s, &st2), QUIRE_OK);
    CHECK_INT(st2.documents, 3);
    CHECK_INT(quire_stats_init(&st2, 99), QUIRE_EINVAL);
    st2.version = 99;
    CHECK_INT(quire_searcher_stats(s, &st2), QUIRE_EINVAL);
    CHECK_INT(quire_searcher_errcode(s), QUIRE_EINVAL);
    uint64_t n;
    CHECK_INT(quire_searcher_doc_count(s, &n), QUIRE_OK);
    CHECK_STR(quire_searcher_errmsg(s), "");
    quire_searcher_close(s);
}

static void reader_message_is_the_last_calls(void)
{
    const char *srcs[] = {p("no-such-file.txt"), p("one.txt")};
    FILE *f = fopen(srcs[1], "w");
    CHECK(f);
    fputs("Title\n\nSome text.\n", f);
    fclose(f);
    quire_reader *r;
    CHECK_INT(quire_reader_open(srcs, 2, NULL, &r), QUIRE_OK);
    const quire_document *d;
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK_INT(quire_reader_errcode(r), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "no-such-file") != NULL);
    CHECK_INT(quire_reader_next(r, &d), QUIRE_OK);
    CHECK_STR(quire_reader_errmsg(r), "");
    CHECK_INT(quire_reader_errcode(r), QUIRE_OK);
    CHECK_INT(quire_reader_text_bytes(r), 18);
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    CHECK_STR(quire_reader_errmsg(r), "");
    quire_reader_close(r);
}

static void bad_search_options_are_refused(void)
{
    const char *path = small_index();
    CHECK(path);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    quire_results *r = NULL;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.sort = (quire_sort)7;
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_EINVAL);
    CHECK(strstr(quire_searcher_errmsg(s), "sort") != NULL);
    o = (quire_search_options)QUIRE_SEARCH_OPTIONS_INIT;
    o.default_op = (quire_default_op)5;
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_EINVAL);
    CHECK(strstr(quire_searcher_errmsg(s), "default_op") != NULL);
    o = (quire_search_options)QUIRE_SEARCH_OPTIONS_INIT;
    o.lang = "zz";
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_EINVAL);
    CHECK(strstr(quire_searcher_errmsg(s), "'zz'") != NULL);
    o.lang = "klingon";
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_EINVAL);
    o.time_limit = -1;
    o.lang = NULL;
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_EINVAL);
    o.time_limit = NAN;
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_EINVAL);
    CHECK(r == NULL);
    /* Good values still work: a stemmer language, the index's own. */
    o = (quire_search_options)QUIRE_SEARCH_OPTIONS_INIT;
    o.lang = "german";
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_OK);
    quire_results_free(r);
    o.lang = "en";
    o.sort = QUIRE_SORT_DATE_DESC;
    o.default_op = QUIRE_OP_OR;
    CHECK_INT(quire_search(s, "walrus", &o, &r), QUIRE_OK);
    quire_results_free(r);
    quire_searcher_close(s);
}

/* A new index built by two writers is moved into place by finish: with
 * something in the way, the reason is there to read. */
static void finish_keeps_the_reason(void)
{
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.threads = 2;
    quire_index *idx;
    const char *path = p("f.idx");
    CHECK_INT(quire_index_open(path, &o, &idx), QUIRE_OK);
    CHECK_INT(add(idx, "a", "A", "alpha"), QUIRE_OK);
    CHECK_INT(add(idx, "b", "B", "beta"), QUIRE_OK);
    CHECK(mkdir(path, 0755) == 0);
    CHECK(mkdir(p("f.idx/in-the-way"), 0755) == 0);
    CHECK_INT(quire_index_finish(idx), QUIRE_EIO);
    CHECK_MSG(strstr(quire_index_errmsg(idx), "cannot move the new index into place") != NULL, "message: %s",
              quire_index_errmsg(idx));
    CHECK_INT(quire_index_errcode(idx), QUIRE_EIO);
    CHECK_INT(quire_index_finish(idx), QUIRE_EINVAL); /* once only */
    CHECK_INT(quire_index_close(idx), QUIRE_EIO);
}

/* Documents that score the same come in id order, whatever order they
 * were added in. */
static void ties_go_by_id(void)
{
    quire_index *idx;
    const char *path = p("t.idx");
    CHECK_INT(quire_index_open(path, NULL, &idx), QUIRE_OK);
    const char *ids[] = {"m", "b", "z", "a", "k"};
    for (int i = 0; i < 5; i++)
        CHECK_INT(add(idx, ids[i], "Same", "identical text about a narwhal"), QUIRE_OK);
    CHECK_INT(add(idx, "other", "Other", "a narwhal, a narwhal and a narwhal"), QUIRE_OK);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    quire_results *r;
    CHECK_INT(quire_search(s, "narwhal", NULL, &r), QUIRE_OK);
    char got[64] = "";
    for (size_t i = 0; i < quire_results_count(r); i++) {
        strcat(got, i ? " " : "");
        strcat(got, quire_results_hit(r, i)->id);
    }
    quire_results_free(r);
    quire_searcher_close(s);
    CHECK_STR(got, "other a b k m z");
}

/* 600 documents with a common word, 200 with a rare one too (1 to 10
 * times), 400 with neither: with no time left for counting beyond the
 * page, Xapian stops once no document with only the common word can reach
 * the page, so the count of "rare OR common" is an estimate. */
static void time_limit_marks_the_result(void)
{
    quire_index *idx;
    const char *path = p("tl.idx");
    CHECK_INT(quire_index_open(path, NULL, &idx), QUIRE_OK);
    for (int i = 0; i < 1200; i++) {
        char id[16], body[128] = "";
        snprintf(id, sizeof id, "d%04d", i);
        for (int k = 0; i < 200 && k <= i % 10; k++)
            strcat(body, "rare ");
        strcat(body, i < 200 ? "common" : i < 800 ? "common words filler text" : "other things");
        CHECK_INT(add(idx, id, "", body), QUIRE_OK);
    }
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 1;
    o.exact_count_up_to = 100000;
    quire_results *r;
    CHECK_INT(quire_search(s, "rare OR common", &o, &r), QUIRE_OK);
    int exact;
    CHECK_INT(quire_results_total(r, &exact), 800);
    CHECK_INT(exact, 1);
    CHECK_INT(quire_results_partial(r), 0);
    char first[16];
    snprintf(first, sizeof first, "%s", quire_results_hit(r, 0)->id);
    quire_results_free(r);
    o.time_limit = 1e-9; /* spent before matching starts */
    CHECK_INT(quire_search(s, "rare OR common", &o, &r), QUIRE_OK);
    quire_results_total(r, &exact);
    CHECK_INT(exact, 0);
    CHECK_INT(quire_results_partial(r), QUIRE_PARTIAL_TIME);
    CHECK(strstr(quire_results_warning(r), "time limit") != NULL);
    CHECK_STR(quire_results_hit(r, 0)->id, first); /* the hits are the same */
    quire_results_free(r);
    /* A limit that leaves time enough changes nothing. */
    o.time_limit = 600;
    CHECK_INT(quire_search(s, "rare OR common", &o, &r), QUIRE_OK);
    CHECK_INT(quire_results_total(r, &exact), 800);
    CHECK_INT(quire_results_partial(r), 0);
    quire_results_free(r);
    /* A struct of version 1 (quire 0.1) has no time_limit: whatever lies
     * there is not read, so an exact count is not cut short. */
    quire_search_options v1;
    CHECK_INT(quire_search_options_init(&v1, 1), QUIRE_OK);
    v1.limit = 1;
    v1.exact_count_up_to = 100000; /* a version-1 field: count them all */
    v1.time_limit = 1e-9;          /* past the end of a version-1 struct */
    CHECK_INT(quire_search(s, "rare OR common", &v1, &r), QUIRE_OK);
    CHECK_INT(quire_results_partial(r), 0);
    CHECK_INT(quire_results_total(r, &exact), 800);
    CHECK_INT(exact, 1);
    quire_results_free(r);
    quire_searcher_close(s);
}

/* The highlighted words of the snippet of the first hit, " | "-joined. */
static const char *highlighted(quire_searcher *s, const char *q)
{
    static char out[512];
    quire_results *r;
    if (quire_search(s, q, NULL, &r) != QUIRE_OK || !quire_results_count(r)) {
        snprintf(out, sizeof out, "error: %s", quire_searcher_errmsg(s));
        return out;
    }
    const quire_hit *h = quire_results_hit(r, 0);
    out[0] = '\0';
    for (size_t i = 0; i < h->snippet_span_count; i++) {
        strcat(out, i ? " | " : "");
        strncat(out, h->snippet + h->snippet_spans[i].start, h->snippet_spans[i].end - h->snippet_spans[i].start);
    }
    quire_results_free(r);
    return out;
}

static void highlights_show_the_forms_that_matched(void)
{
    const char *path = small_index();
    CHECK(path);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    CHECK_STR(highlighted(s, "=delay"), "delay");
    CHECK_STR(highlighted(s, "delay"), "delay | Delays | delayed");
    /* Every "the" and the "movement", but not "movements". */
    CHECK_STR(highlighted(s, "movement NEAR/5 the"), "The | the | The | the | movement");
    quire_searcher_close(s);
}

int main(void)
{
    atexit(cleanup);
    static const test_case tests[] = {
        T(null_handles), T(index_message_is_the_last_calls), T(searcher_message_is_the_last_calls),
        T(reader_message_is_the_last_calls), T(bad_search_options_are_refused), T(finish_keeps_the_reason),
        T(ties_go_by_id), T(time_limit_marks_the_result), T(highlights_show_the_forms_that_matched)};
    return harness_run("contract", tests, sizeof tests / sizeof tests[0]);
}

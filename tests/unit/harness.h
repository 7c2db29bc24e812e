/*
 * harness.h — the unit-test harness: no dependencies, one line per test
 * ("ok - name", "FAIL - name: where: what", "skip - name: why") and a
 * closing count, which tests/run.sh adds up across programs.
 *
 * A test is a void function using CHECK*; the first failed check ends it.
 * SKIP(why) ends it as skipped (never counted as passed).
 */
#ifndef QUIRE_TEST_HARNESS_H
#define QUIRE_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire.h"

typedef struct test_case {
    const char *name;
    void (*fn)(void);
} test_case;

static int harness_failed, harness_skipped;
static char harness_msg[1024];

#define FAIL_AT(...)                                                           \
    do {                                                                       \
        int n_ = snprintf(harness_msg, sizeof harness_msg, "%s:%d: ", __FILE__, __LINE__); \
        snprintf(harness_msg + n_, sizeof harness_msg - (size_t)n_, __VA_ARGS__); \
        harness_failed = 1;                                                    \
        return;                                                                \
    } while (0)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            FAIL_AT("check failed: %s", #cond);                                \
    } while (0)

#define CHECK_MSG(cond, ...)                                                   \
    do {                                                                       \
        if (!(cond))                                                           \
            FAIL_AT(__VA_ARGS__);                                              \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_)                                                          \
            FAIL_AT("%s == %lld, expected %s == %lld", #a, a_, #b, b_);        \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                 \
            FAIL_AT("%s is \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)",   \
                    b_ ? b_ : "(null)");                                       \
    } while (0)

#define SKIP(...)                                                              \
    do {                                                                       \
        snprintf(harness_msg, sizeof harness_msg, __VA_ARGS__);                \
        harness_skipped = 1;                                                   \
        return;                                                                \
    } while (0)

static int harness_run(const char *suite, const test_case *tests, size_t n)
{
    int passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        harness_failed = harness_skipped = 0;
        harness_msg[0] = '\0';
        tests[i].fn();
        if (harness_failed) {
            printf("FAIL - %s/%s: %s\n", suite, tests[i].name, harness_msg);
            failed++;
        } else if (harness_skipped) {
            printf("skip - %s/%s: %s\n", suite, tests[i].name, harness_msg);
            skipped++;
        } else {
            printf("ok - %s/%s\n", suite, tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("# %s: %d passed, %d failed, %d skipped\n", suite, passed, failed, skipped);
    return failed ? 1 : 0;
}

#define TEST_MAIN(suite, ...)                                                  \
    int main(void)                                                             \
    {                                                                          \
        static const test_case tests_[] = {__VA_ARGS__};                       \
        return harness_run(suite, tests_, sizeof tests_ / sizeof tests_[0]);   \
    }

#define T(fn) {#fn, fn}

/* Paths from the environment tests/run.sh sets. */
static inline const char *testdata_dir(void)
{
    const char *d = getenv("QUIRE_TESTDATA");
    return d ? d : "testdata";
}

static inline const char *shared_dir(void)
{
    const char *d = getenv("QUIRE_SHARED");
    return d ? d : "../shared";
}

/* Remove a directory made by make_tmpdir and all in it ("" or never made:
 * nothing). Complains on stderr when it cannot. */
static inline void remove_tmpdir(const char *dir)
{
    if (!dir || !dir[0])
        return;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* A new index at path holding testdata/articles, read through the public
 * API and left open for more (the caller closes it); NULL on failure. */
static inline quire_index *index_articles(const char *path)
{
    char src[512];
    snprintf(src, sizeof src, "%s/articles", testdata_dir());
    const char *srcs[] = {src};
    quire_reader *r;
    quire_index *idx;
    if (quire_reader_open(srcs, 1, NULL, &r) != QUIRE_OK) {
        quire_reader_close(r);
        return NULL;
    }
    if (quire_index_open(path, NULL, &idx) != QUIRE_OK) {
        quire_reader_close(r);
        quire_index_close(idx);
        return NULL;
    }
    const quire_document *d;
    while (quire_reader_next(r, &d) == QUIRE_OK)
        quire_index_add(idx, d, NULL);
    quire_reader_close(r);
    return idx;
}

/* Add one document (id, body) to the index at path, creating it if need
 * be, and commit: 1 on success. */
static inline int add_document(const char *path, const char *id, const char *body)
{
    quire_index *idx;
    if (quire_index_open(path, NULL, &idx) != QUIRE_OK) {
        quire_index_close(idx);
        return 0;
    }
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = id;
    d.body = body;
    if (quire_index_add(idx, &d, NULL) != QUIRE_OK) {
        quire_index_abandon(idx);
        return 0;
    }
    return quire_index_close(idx) == QUIRE_OK;
}

/* A fresh temporary directory (static buffer per call site is the
 * caller's: pass one). */
static inline const char *make_tmpdir(char buf[256], const char *tag)
{
    const char *base = getenv("QUIRE_TMP");
    snprintf(buf, 256, "%s/%s-XXXXXX", base ? base : "/tmp", tag);
    return mkdtemp(buf);
}

#endif

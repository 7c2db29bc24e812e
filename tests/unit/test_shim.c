/* test_shim.c — the Xapian shim turns every failure into a status code
 * and a message (missing, locked, not-a-database, corrupt), never an
 * exception or a crash. */
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "quire.h"
#include "xapian_shim.h"

static char tmp[256];

static const char *p(const char *name)
{
    static char buf[512];
    if (!tmp[0])
        make_tmpdir(tmp, "shim");
    snprintf(buf, sizeof buf, "%s/%s", tmp, name);
    return buf;
}

static void missing_database(void)
{
    qx_err e = {0, ""};
    qx_db *db = qx_db_open_read(p("nope"), &e);
    CHECK(!db);
    CHECK_INT(e.code, QUIRE_ENOTFOUND);
    CHECK(strlen(e.msg) > 0);
    db = qx_db_open_write(p("nope2"), QX_OPEN, &e);
    CHECK(!db);
    CHECK_INT(e.code, QUIRE_ENOTFOUND);
}

static void second_writer_is_locked_out(void)
{
    qx_err e = {0, ""};
    qx_db *a = qx_db_open_write(p("locked"), QX_CREATE_OR_OPEN, &e);
    CHECK_MSG(a, "first writer failed: %s", e.msg);
    qx_db *b = qx_db_open_write(p("locked"), QX_CREATE_OR_OPEN, &e);
    CHECK(!b);
    CHECK_INT(e.code, QUIRE_ELOCKED);
    /* A reader is not blocked by the writer. */
    qx_db *r = qx_db_open_read(p("locked"), &e);
    CHECK_MSG(r, "reader failed: %s", e.msg);
    qx_db_close(r, &e);
    CHECK_INT(qx_db_close(a, &e), QUIRE_OK);
    b = qx_db_open_write(p("locked"), QX_CREATE_OR_OPEN, &e);
    CHECK(b);
    qx_db_close(b, &e);
}

static void directory_that_is_not_a_database(void)
{
    mkdir(p("plain"), 0755);
    FILE *f = fopen(p("plain/notes.txt"), "w");
    if (f) {
        fputs("hello\n", f);
        fclose(f);
    }
    qx_err e = {0, ""};
    qx_db *db = qx_db_open_read(p("plain"), &e);
    CHECK(!db);
    CHECK_MSG(e.code == QUIRE_ENOTINDEX || e.code == QUIRE_ENOTFOUND, "code %d: %s", e.code, e.msg);
}

static void corrupt_table_is_an_error(void)
{
    qx_err e = {0, ""};
    qx_db *db = qx_db_open_write(p("corrupt"), QX_CREATE_OR_OPEN, &e);
    CHECK(db);
    qx_doc *d = qx_doc_new(&e);
    CHECK(qx_doc_add_posting(d, "word", 4, 1, 1, &e) == QUIRE_OK);
    CHECK(qx_doc_set_value(d, 0, "data", 4, &e) == QUIRE_OK);
    for (int i = 0; i < 50; i++) {
        char id[16];
        snprintf(id, sizeof id, "Q%d", i);
        CHECK(qx_db_replace(db, id, d, NULL, &e) == QUIRE_OK);
    }
    qx_doc_free(d);
    CHECK(qx_db_close(db, &e) == QUIRE_OK);
    /* Overwrite the postlist table with garbage. */
    FILE *f = fopen(p("corrupt/postlist.glass"), "r+b");
    CHECK(f);
    char junk[8192];
    memset(junk, 0x5A, sizeof junk);
    fwrite(junk, 1, sizeof junk, f);
    fclose(f);
    db = qx_db_open_read(p("corrupt"), &e);
    if (db) {
        uint64_t n = 0;
        uint32_t id = 0;
        int rc = qx_db_find_term(db, "Q7", &id, &e);
        CHECK_MSG(rc != QUIRE_OK, "reading a corrupt table succeeded");
        CHECK_MSG(rc == QUIRE_ECORRUPT || rc == QUIRE_EIO, "code %d: %s", rc, e.msg);
        qx_db_doc_count(db, &n, &e);
        qx_db_close(db, &e);
    } else {
        CHECK_MSG(e.code == QUIRE_ECORRUPT || e.code == QUIRE_EIO || e.code == QUIRE_EVERSION,
                  "code %d: %s", e.code, e.msg);
    }
}

static void bad_arguments(void)
{
    qx_err e = {0, ""};
    CHECK(!qx_db_open_read(NULL, &e));
    CHECK_INT(e.code, QUIRE_EINVAL);
    CHECK(!qx_query_term(NULL, 0, 1, 0, &e));
    CHECK_INT(e.code, QUIRE_EINVAL);
    CHECK(!qx_stem_new("klingon", &e));
    CHECK_INT(e.code, QUIRE_ENOTFOUND);
    qx_stem *s = qx_stem_new("en", &e);
    CHECK(s);
    char out[4];
    /* A stem longer than the buffer reports its full length. */
    long n = qx_stem_apply(s, "internationalization", 20, out, sizeof out);
    CHECK(n > 3);
    CHECK_INT(strlen(out), 3);
    qx_stem_free(s);
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

int main(void)
{
    atexit(cleanup);
    static const test_case tests[] = {T(missing_database), T(second_writer_is_locked_out),
                                      T(directory_that_is_not_a_database), T(corrupt_table_is_an_error),
                                      T(bad_arguments)};
    return harness_run("shim", tests, sizeof tests / sizeof tests[0]);
}

/* test_reader.c — quire_reader on text articles, JSON lines, gzip, stdin,
 * directory walks and broken input. Inputs are written by the tests into a
 * temporary directory, so each case shows exactly what it feeds in. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "quire.h"

static char tmp[256];

static const char *dir(void)
{
    if (!tmp[0] && !make_tmpdir(tmp, "reader"))
        return "/nonexistent";
    return tmp;
}

static const char *path_of(const char *name)
{
    static char p[2][512];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%s", dir(), name);
    return p[k];
}

static const char *put(const char *name, const char *data, size_t len)
{
    const char *p = path_of(name);
    char d[512];
    snprintf(d, sizeof d, "%s", p);
    char *slash = strrchr(d, '/');
    if (slash) {
        *slash = '\0';
        mkdir(d, 0755);
    }
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
    return p;
}

#define PUT(name, lit) put(name, lit, sizeof(lit) - 1)

static const char *put_gz(const char *name, const char *data)
{
    const char *p = path_of(name);
    gzFile g = gzopen(p, "wb");
    if (g) {
        gzwrite(g, data, (unsigned)strlen(data));
        gzclose(g);
    }
    return p;
}

typedef struct warnings {
    int n;
    char last[512];
} warnings;

static void on_warn(void *ctx, const char *where, const char *msg)
{
    warnings *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s: %s", where, msg);
}

/* Open a reader on one source with default options plus warnings. */
static quire_reader *open1(const char *src, warnings *w, quire_format fmt)
{
    quire_reader_options o;
    quire_reader_options_init(&o, QUIRE_READER_OPTIONS_VERSION);
    o.on_warning = on_warn;
    o.warning_ctx = w;
    o.format = fmt;
    quire_reader *r;
    if (quire_reader_open(&src, 1, &o, &r) != QUIRE_OK) {
        quire_reader_close(r);
        return NULL;
    }
    return r;
}

static void header_block(void)
{
    warnings w = {0};
    const char *p = PUT("h.txt", "Title: Seoul weighs shells\nDate: 2024-10-22\nAuthor: Mina Park\n"
                                 "Source: Harbor Times\nLang: en\nX-Other: ignored\n\nFirst paragraph.\n\nSecond.\n\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r);
    const quire_document *d;
    CHECK_INT(quire_reader_next(r, &d), QUIRE_OK);
    CHECK_STR(d->id, p);
    CHECK_STR(d->title, "Seoul weighs shells");
    CHECK_STR(d->date, "2024-10-22");
    CHECK_STR(d->author, "Mina Park");
    CHECK_STR(d->source, "Harbor Times");
    CHECK_STR(d->lang, "en");
    CHECK_STR(d->body, "First paragraph.\n\nSecond.");
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    CHECK_INT(w.n, 0);
    quire_reader_close(r);
}

static void headline_then_blank_line(void)
{
    warnings w = {0};
    const char *p = PUT("hl.txt", "Markets rally on rate cut hopes\n\nShares rose on Tuesday.\nMore text.\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "Markets rally on rate cut hopes");
    CHECK_STR(d->body, "Shares rose on Tuesday.\nMore text.");
    quire_reader_close(r);
}

static void boilerplate_line_before_headline(void)
{
    warnings w = {0};
    const char *p = PUT("bp.txt", "Find Us\n\nSeoul warns Russia over weapons\n\nThe warning came on Thursday.\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "Seoul warns Russia over weapons");
    CHECK_STR(d->body, "Find Us\n\nThe warning came on Thursday.");
    quire_reader_close(r);
}

static void no_headline_takes_first_sentence(void)
{
    warnings w = {0};
    const char *p = PUT("nh.txt", "South Korea issued strong condemnation on Monday over reports that the North has "
                                  "deployed troops to support the war. More follows here.\nSecond line.\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    /* The first sentence is 115 characters: cut on the last space within
     * the first 100 characters. */
    CHECK_STR(d->title, "South Korea issued strong condemnation on Monday over reports that the North has deployed troops to\xE2\x80\xA6");
    CHECK(strncmp(d->body, "South Korea issued", 18) == 0);
    quire_reader_close(r);

    p = PUT("short.txt", "A short lead sentence. And more body text after it.");
    r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "A short lead sentence");
    quire_reader_close(r);
}

static void crlf_and_boms(void)
{
    warnings w = {0};
    const char *p = PUT("crlf.txt", "Title: Windows file\r\nDate: 2024-01-02\r\n\r\nLine one.\r\nLine two.\r\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "Windows file");
    CHECK_STR(d->date, "2024-01-02");
    CHECK_STR(d->body, "Line one.\nLine two.");
    quire_reader_close(r);

    p = PUT("bom8.txt", "\xEF\xBB\xBFTitle: With a BOM\n\nBody.\n");
    r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "With a BOM");
    quire_reader_close(r);

    /* UTF-16LE with BOM: "Title: Ü\n\nHi." */
    static const char u16[] = "\xFF\xFET\0i\0t\0l\0e\0:\0 \0\xDC\0\n\0\n\0H\0i\0.\0";
    p = put("bom16.txt", u16, sizeof u16 - 1);
    r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "\xC3\x9C");
    CHECK_STR(d->body, "Hi.");
    quire_reader_close(r);
    CHECK_INT(w.n, 0);
}

static void invalid_utf8_and_nul_are_repaired(void)
{
    warnings w = {0};
    static const char bad[] = "Title: Bad bytes\n\nfirst line\nsecond \xFF line with \xC0\xAF and a NUL \0 here\n";
    const char *p = put("bad.txt", bad, sizeof bad - 1);
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK(strstr(d->body, "second \xEF\xBF\xBD line") != NULL);
    /* C0 AF is two invalid bytes (C0 can never start a character). */
    CHECK(strstr(d->body, "with \xEF\xBF\xBD\xEF\xBF\xBD and") != NULL);
    CHECK(strstr(d->body, "NUL \xEF\xBF\xBD here") != NULL);
    CHECK_INT(w.n, 1);
    CHECK_MSG(strstr(w.last, "bad.txt") && strstr(w.last, "4 invalid") && strstr(w.last, "line 4"),
              "warning was: %s", w.last);
    quire_reader_close(r);
}

static void binary_and_empty_files_are_skipped(void)
{
    warnings w = {0};
    char bin[2048];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i % 7 == 0 ? 0 : (i * 37) & 0xFF);
    const char *p = put("img.dat", bin, sizeof bin);
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r);
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "img.dat") && strstr(quire_reader_errmsg(r), "binary"));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    quire_reader_close(r);

    p = put("empty.txt", "", 0);
    r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r);
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "empty.txt") && strstr(quire_reader_errmsg(r), "empty"));
    quire_reader_close(r);
}

static void jsonl_fields(void)
{
    warnings w = {0};
    const char *p = PUT("feed.jsonl",
                        "{\"id\":\"a1\",\"title\":\"T\",\"body\":\"B\",\"date\":\"2024-10-22T10:00:00Z\","
                        "\"author\":[\"Ann\",\"Bo\"],\"source\":\"S\",\"url\":\"http://x\",\"lang\":\"de\",\"extra\":{\"x\":1}}\n"
                        "\n"
                        "{\"id\":7,\"text\":\"uses text\"}\n"
                        "{\"title\":\"no id\",\"body\":\"b\"}\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->id, "a1");
    CHECK_STR(d->title, "T");
    CHECK_STR(d->body, "B");
    CHECK_STR(d->date, "2024-10-22T10:00:00Z");
    CHECK_STR(d->author, "Ann, Bo");
    CHECK_STR(d->source, "S");
    CHECK_STR(d->url, "http://x");
    CHECK_STR(d->lang, "de");
    CHECK_STR(quire_reader_location(r), path_of("feed.jsonl:1"));
    CHECK(quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->id, "7");
    CHECK_STR(d->body, "uses text");
    CHECK(quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->id, path_of("feed.jsonl:4"));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    CHECK_INT(w.n, 0);
    quire_reader_close(r);
}

/* Each bad line is reported with FILE:LINE and skipped; good lines go on. */
static void jsonl_bad_lines(void)
{
    warnings w = {0};
    const char *p = PUT("bad.jsonl",
                        "{\"id\":\"ok1\",\"body\":\"x\"}\n"
                        "{\"id\":\"broken\",\"body\":\"unterminated}\n"
                        "[1,2,3]\n"
                        "{\"id\":\"trail\"} garbage\n"
                        "{\"id\":\"baddate\",\"body\":\"y\",\"date\":\"2024-13-45\",\"lang\":\"12\"}\n"
                        "{\"id\":\"nul\",\"body\":\"a\\u0000b\"}\n"
                        "{\"id\":\"surrogate\",\"body\":\"\\ud800\"}\n"
                        "{\"id\":\"ok2\",\"title\":5}\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r);
    const quire_document *d;
    const char *ids[8] = {0};
    int n = 0, errors = 0;
    int lines_err[8];
    quire_status st;
    while ((st = quire_reader_next(r, &d)) != QUIRE_DONE) {
        if (st == QUIRE_EINPUT) {
            const char *m = quire_reader_errmsg(r);
            const char *colon = strstr(m, "bad.jsonl:");
            CHECK_MSG(colon, "no FILE:LINE in: %s", m);
            lines_err[errors++] = atoi(colon + 10);
            continue;
        }
        CHECK_INT(st, QUIRE_OK);
        ids[n++] = strdup(d->id);
        if (strcmp(d->id, "baddate") == 0)
            CHECK(!*d->date && !*d->lang);
        if (strcmp(d->id, "nul") == 0)
            CHECK_STR(d->body, "a\xEF\xBF\xBD" "b");
    }
    CHECK_INT(n, 4);
    CHECK_STR(ids[0], "ok1");
    CHECK_STR(ids[1], "baddate");
    CHECK_STR(ids[2], "nul");
    CHECK_STR(ids[3], "ok2");
    CHECK_INT(errors, 4);
    CHECK_INT(lines_err[0], 2);
    CHECK_INT(lines_err[1], 3);
    CHECK_INT(lines_err[2], 4);
    CHECK_INT(lines_err[3], 7);
    /* Warnings: bad date, bad lang, NUL in body, title not a string. */
    CHECK_INT(w.n, 4);
    for (int i = 0; i < n; i++)
        free((char *)ids[i]);
    quire_reader_close(r);
}

static void jsonl_deep_nesting_is_an_error(void)
{
    size_t depth = 10000;
    char *s = malloc(depth * 2 + 64);
    size_t o = (size_t)sprintf(s, "{\"id\":\"deep\",\"body\":");
    for (size_t i = 0; i < depth; i++)
        s[o++] = '[';
    for (size_t i = 0; i < depth; i++)
        s[o++] = ']';
    s[o++] = '}';
    s[o++] = '\n';
    const char *p = put("deep.jsonl", s, o);
    free(s);
    warnings w = {0};
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r);
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK_MSG(strstr(quire_reader_errmsg(r), "deep.jsonl:1") && strstr(quire_reader_errmsg(r), "depth"),
              "message: %s", quire_reader_errmsg(r));
    quire_reader_close(r);
}

static void gzip_input(void)
{
    warnings w = {0};
    const char *p = put_gz("z.jsonl.gz", "{\"id\":\"g1\",\"body\":\"zipped\"}\n{\"id\":\"g2\",\"body\":\"two\"}\n");
    quire_reader *r = open1(p, &w, QUIRE_FORMAT_AUTO);
    const quire_document *d;
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->id, "g1");
    CHECK(quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->body, "two");
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    quire_reader_close(r);

    p = put_gz("t.txt.gz", "Title: Zipped text\n\nBody here.\n");
    r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "Zipped text");
    quire_reader_close(r);

    /* A truncated gzip file is an error naming it, not a crash. */
    const char *full = path_of("t.txt.gz");
    FILE *f = fopen(full, "rb");
    char buf[256];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    p = put("cut.jsonl.gz", buf, n / 2);
    r = open1(p, &w, QUIRE_FORMAT_JSONL);
    CHECK(r);
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "cut.jsonl.gz"));
    quire_reader_close(r);

    /* Bytes after the gzip data: a text article is handed out, and the
     * next call reports what was not read, naming its file. */
    char *tail = malloc(n + 6);
    CHECK(tail);
    if (!tail)
        return;
    memcpy(tail, buf, n);
    memcpy(tail + n, "extra\n", 6);
    p = put("tail.txt.gz", tail, n + 6);
    free(tail);
    r = open1(p, &w, QUIRE_FORMAT_AUTO);
    CHECK(r && quire_reader_next(r, &d) == QUIRE_OK);
    CHECK_STR(d->title, "Zipped text");
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK_MSG(strstr(quire_reader_errmsg(r), "tail.txt.gz: 6 bytes after the end of the gzip data") != NULL, "%s",
              quire_reader_errmsg(r));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    quire_reader_close(r);
}

static void directory_walk(void)
{
    PUT("walk/b.txt", "Title: B\n\nb\n");
    PUT("walk/a.txt", "Title: A\n\na\n");
    PUT("walk/sub/c.md", "Title: C\n\nc\n");
    PUT("walk/.hidden.txt", "Title: H\n\nh\n");
    PUT("walk/z.jsonl", "{\"body\":\"from jsonl\"}\n");
    symlink(".", path_of("walk/sub/loop"));
    warnings w = {0};
    quire_reader *r = open1(path_of("walk"), &w, QUIRE_FORMAT_AUTO);
    CHECK(r);
    const quire_document *d;
    char got[512] = "";
    int skipped = 0;
    quire_status st;
    while ((st = quire_reader_next(r, &d)) != QUIRE_DONE) {
        if (st == QUIRE_EINPUT) {
            skipped++;
            CHECK_MSG(strstr(quire_reader_errmsg(r), "loop"), "unexpected skip: %s", quire_reader_errmsg(r));
            continue;
        }
        strcat(got, d->id);
        strcat(got, " ");
    }
    CHECK_STR(got, "a.txt b.txt sub/c.md z.jsonl:1 ");
    CHECK_INT(skipped, 1);
    uint64_t done, total;
    quire_reader_progress(r, &done, &total);
    CHECK(total > 0 && done == total);
    quire_reader_close(r);
}

static void special_and_missing_sources(void)
{
    warnings w = {0};
    const char *fifo = path_of("fifo");
    CHECK(mkfifo(fifo, 0600) == 0 || errno == EEXIST);
    const char *srcs[] = {fifo, path_of("does-not-exist.txt")};
    quire_reader *r;
    CHECK(quire_reader_open(srcs, 2, NULL, &r) == QUIRE_OK);
    const quire_document *d;
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "not a regular file"));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "does-not-exist.txt"));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_DONE);
    quire_reader_close(r);
    (void)w;
}

static void size_limits(void)
{
    quire_reader_options o;
    quire_reader_options_init(&o, QUIRE_READER_OPTIONS_VERSION);
    warnings w = {0};
    o.on_warning = on_warn;
    o.warning_ctx = &w;
    o.max_doc_bytes = 100;
    char big[300];
    memset(big, 'x', sizeof big);
    memcpy(big, "Title: Big\n\n", 12);
    for (size_t i = 20; i < sizeof big; i += 10)
        big[i] = ' ';
    const char *srcs[] = {put("big.txt", big, sizeof big), NULL};
    char line[400];
    snprintf(line, sizeof line, "{\"id\":\"long\",\"body\":\"%0250d\"}\n{\"id\":\"short\"}\n", 0);
    srcs[1] = put("long.jsonl", line, strlen(line));
    quire_reader *r;
    CHECK(quire_reader_open(srcs, 2, &o, &r) == QUIRE_OK);
    const quire_document *d;
    CHECK_INT(quire_reader_next(r, &d), QUIRE_OK);
    CHECK(strlen(d->body) <= 100);
    CHECK_INT(w.n, 1);
    CHECK(strstr(w.last, "maximum document size"));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_EINPUT);
    CHECK(strstr(quire_reader_errmsg(r), "long.jsonl:1"));
    CHECK_INT(quire_reader_next(r, &d), QUIRE_OK);
    CHECK_STR(d->id, "short");
    quire_reader_close(r);
}

static void bad_options(void)
{
    quire_reader_options o;
    CHECK_INT(quire_reader_options_init(&o, 999), QUIRE_EINVAL);
    quire_reader_options_init(&o, QUIRE_READER_OPTIONS_VERSION);
    const char *srcs[] = {""};
    quire_reader *r;
    CHECK_INT(quire_reader_open(srcs, 1, &o, &r), QUIRE_EINVAL);
    CHECK(strlen(quire_reader_errmsg(r)) > 0);
    quire_reader_close(r);
    CHECK_INT(quire_reader_open(NULL, 1, &o, &r), QUIRE_EINVAL);
    quire_reader_close(r);
    CHECK_INT(quire_reader_open(srcs, 1, &o, NULL), QUIRE_EINVAL);
}

/* The real seed articles: five documents with sensible titles. */
static void seeds_have_sensible_titles(void)
{
    char seeds[512];
    snprintf(seeds, sizeof seeds, "%s/seeds", shared_dir());
    struct stat st;
    if (stat(seeds, &st) != 0)
        SKIP("%s not found", seeds);
    warnings w = {0};
    quire_reader *r = open1(seeds, &w, QUIRE_FORMAT_AUTO);
    CHECK(r);
    const quire_document *d;
    int n = 0;
    while (quire_reader_next(r, &d) == QUIRE_OK) {
        n++;
        CHECK_MSG(*d->title && strlen(d->title) < 160, "title of %s: '%s'", d->id, d->title);
        /* Expected titles read off the files themselves. */
        if (strncmp(d->id, "001_", 4) == 0)
            CHECK_STR(d->title, "Seoul could send weapons to Ukraine to counter North Korea\xE2\x80\x99s troop deployments");
        if (strncmp(d->id, "002_", 4) == 0)
            CHECK_STR(d->title, "Seoul warns Russia over North Korea-supplied weapons");
        if (strncmp(d->id, "000_", 4) == 0)
            CHECK(strncmp(d->title, "This image from the state-run Korean Central News Agency shows", 62) == 0);
        if (strncmp(d->id, "003_", 4) == 0)
            CHECK(strncmp(d->title, "South Korea issued strong condemnation on Monday", 48) == 0);
        if (strncmp(d->id, "004_", 4) == 0)
            CHECK(strncmp(d->title, "South Korea is reportedly considering supplying Ukraine with 155mm", 65) == 0);
    }
    CHECK_INT(n, 5);
    CHECK_INT(w.n, 0);
    quire_reader_close(r);
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
    static const test_case tests[] = {
        T(header_block), T(headline_then_blank_line), T(boilerplate_line_before_headline),
        T(no_headline_takes_first_sentence), T(crlf_and_boms), T(invalid_utf8_and_nul_are_repaired),
        T(binary_and_empty_files_are_skipped), T(jsonl_fields), T(jsonl_bad_lines),
        T(jsonl_deep_nesting_is_an_error), T(gzip_input), T(directory_walk),
        T(special_and_missing_sources), T(size_limits), T(bad_options), T(seeds_have_sensible_titles)};
    return harness_run("reader", tests, sizeof tests / sizeof tests[0]);
}

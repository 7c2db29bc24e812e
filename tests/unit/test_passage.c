/* test_passage.c — the stored body (bodystore.h) and snippets of long
 * documents chosen from positions (hitpos.h, passage.h): blocks read back
 * exactly, the position map restarts the analyzer where it says, a match
 * anywhere in a long body becomes the snippet, damage is an error, and on
 * real long documents the passage is as good as a scan of the whole body. */
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "analyzer.h"
#include "bodystore.h"
#include "config.h"
#include "docdata.h"
#include "harness.h"
#include "highlight.h"
#include "query_build.h"
#include "query_parse.h"
#include "quire.h"
#include "schema.h"
#include "snippet.h"
#include "strbuf.h"

static qa_analyzer *an;

static void cleanup(void)
{
    qa_free(an);
}

static void setup(void)
{
    if (an)
        return;
    char err[256];
    an = qa_new(0, "en", err, sizeof err);
    atexit(cleanup);
}

/* A deterministic body of about n bytes: sentences of words, some
 * non-ASCII, CJK and long-number tokens mixed in. */
static char *make_body(size_t n, unsigned seed)
{
    static const char *words[] = {"harbour", "ferry", "the", "of", "Zürich", "naïve", "10,000",
                                  "U.N.", "l'armée", "北京大学", "Kim", "Jong-un", "storms", "sailed",
                                  "Ponomarenko's", "155mm", "and", "islands", "κόσμος", "Москва"};
    strbuf b = {0};
    unsigned x = seed;
    while (b.len < n) {
        x = x * 1103515245u + 12345u;
        sb_adds(&b, words[(x >> 16) % (sizeof words / sizeof words[0])]);
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 16) % 16;
        sb_adds(&b, r == 0 ? ". " : r == 1 ? "\n\n" : r == 2 ? ", " : " ");
    }
    return sb_take(&b);
}

static void roundtrip_reads_every_range(void)
{
    setup();
    bs_zip z;
    bs_zip_init(&z);
    size_t sizes[] = {1, 100, 8191, 8192, 8193, 70000};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        char *body = make_body(sizes[si], (unsigned)si + 7);
        size_t len = strlen(body);
        qa_tokens t = {0};
        char err[256];
        CHECK(qa_run(an, body, len, "en", 140, &t, NULL, err, sizeof err) == 0);
        char *blob;
        size_t blen;
        CHECK(bs_encode(&z, body, len, &t, 140, &blob, &blen) == 0);
        bodystore b;
        int oom;
        CHECK(bs_open(&b, blob, blen, &oom) == 0);
        CHECK_INT(b.text_len, len);
        CHECK_INT(b.first_pos, 140);
        size_t step = len / 7 + 1;
        for (size_t from = 0; from <= len; from += step)
            for (size_t to = from; to <= len; to += step / 2 + 1) {
                char *got;
                CHECK(bs_read(&z, &b, from, to, &got, &oom) == 0);
                CHECK_MSG(memcmp(got, body + from, to - from) == 0 && got[to - from] == '\0',
                          "bytes %zu..%zu of a %zu-byte body differ", from, to, len);
                free(got);
            }
        bs_close(&b);
        free(blob);
        qa_tokens_free(&t);
        free(body);
    }
    bs_zip_free(&z);
}

/* Analysing from a map entry gives the whole-body tokens from there on. */
static void map_entries_restart_the_analyzer(void)
{
    setup();
    bs_zip z;
    bs_zip_init(&z);
    char *body = make_body(200000, 3);
    size_t len = strlen(body);
    qa_tokens all = {0}, part = {0};
    char err[256];
    CHECK(qa_run(an, body, len, "en", 5, &all, NULL, err, sizeof err) == 0);
    char *blob;
    size_t blen;
    CHECK(bs_encode(&z, body, len, &all, 5, &blob, &blen) == 0);
    bodystore b;
    int oom;
    CHECK(bs_open(&b, blob, blen, &oom) == 0);
    CHECK_MSG(b.ncheck > 100, "only %zu map entries", b.ncheck);
    size_t k = 0;
    for (size_t c = 1; c <= b.ncheck; c++) {
        while (k < all.n && all.v[k].start < b.check_byte[c])
            k++;
        CHECK_MSG(k < all.n && all.v[k].start == b.check_byte[c] && all.v[k].pos == b.check_pos[c],
                  "entry %zu (pos %u, byte %zu) is not a word start", c, b.check_pos[c], b.check_byte[c]);
        size_t to = c < b.ncheck ? b.check_byte[c + 1] : len;
        qa_tokens_reset(&part);
        CHECK(qa_run(an, body + b.check_byte[c], to - b.check_byte[c], "en", b.check_pos[c], &part, NULL, err,
                     sizeof err) == 0);
        for (size_t i = 0; i < part.n; i++) {
            const qa_token *p = &part.v[i], *w = &all.v[k + i];
            CHECK_MSG(p->pos == w->pos && p->start + b.check_byte[c] == w->start &&
                          strcmp(qa_term(&part, p), qa_term(&all, w)) == 0,
                      "after entry %zu token %zu differs: %s@%u vs %s@%u", c, i, qa_term(&part, p), p->pos,
                      qa_term(&all, w), w->pos);
        }
    }
    bs_close(&b);
    free(blob);
    qa_tokens_free(&all);
    qa_tokens_free(&part);
    free(body);
    bs_zip_free(&z);
}

/* Every single-byte change of a blob is either read back as some text or
 * refused; never a crash or an overread (ASan). */
static void damaged_blob_is_an_error(void)
{
    setup();
    bs_zip z;
    bs_zip_init(&z);
    char *body = make_body(20000, 9);
    size_t len = strlen(body);
    qa_tokens t = {0};
    char err[256];
    CHECK(qa_run(an, body, len, "en", 1, &t, NULL, err, sizeof err) == 0);
    char *blob;
    size_t blen;
    CHECK(bs_encode(&z, body, len, &t, 1, &blob, &blen) == 0);
    int refused = 0;
    for (size_t i = 0; i < blen; i += 3) {
        char *copy = malloc(blen);
        memcpy(copy, blob, blen);
        copy[i] ^= (char)(0x5A + i);
        bodystore b;
        int oom;
        if (bs_open(&b, copy, blen, &oom) != 0) {
            refused++;
        } else {
            char *got = NULL;
            if (bs_read(&z, &b, 0, b.text_len, &got, &oom) != 0)
                refused++;
            free(got);
            bs_close(&b);
        }
        free(copy);
    }
    /* Truncations are always refused. */
    for (size_t cut = 0; cut < blen; cut += 97) {
        bodystore b;
        int oom;
        int opened = bs_open(&b, blob, cut, &oom) == 0;
        if (opened)
            bs_close(&b);
        CHECK_MSG(!opened || cut == 0, "a blob cut at %zu bytes was accepted", cut);
    }
    CHECK_MSG(refused > 0, "no damaged blob was refused");
    free(blob);
    qa_tokens_free(&t);
    free(body);
    bs_zip_free(&z);
}

/* ---- Through the index ---------------------------------------------------- */

static quire_index *new_index(const char *path, quire_positions positions, quire_stopwords stops)
{
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    o.positions = positions;
    o.stopwords = stops;
    quire_index *idx;
    if (quire_index_open(path, &o, &idx) != QUIRE_OK) {
        fprintf(stderr, "%s\n", quire_index_errmsg(idx));
        quire_index_abandon(idx);
        return NULL;
    }
    return idx;
}

/* The one hit of query: its snippet contains want, highlighted. */
static int snippet_has(quire_searcher *s, const char *query, const char *want, char *why, size_t cap)
{
    quire_search_options so = QUIRE_SEARCH_OPTIONS_INIT;
    so.highlight_start = "[";
    so.highlight_end = "]";
    quire_results *r;
    if (quire_search(s, query, &so, &r) != QUIRE_OK) {
        snprintf(why, cap, "%s: %s", query, quire_searcher_errmsg(s));
        return 0;
    }
    const quire_hit *h = quire_results_hit(r, 0);
    int ok = h && strstr(h->snippet_marked, want) != NULL;
    snprintf(why, cap, "%s: snippet \"%s\"", query, h ? h->snippet_marked : "(no hit)");
    quire_results_free(r);
    return ok;
}

/* A 3 MiB body whose only matches sit past the first 1 MiB (quire 0.1
 * scanned only that much), for each index layout of positions/stopwords. */
static void match_deep_in_long_body(void)
{
    quire_positions pos[] = {QUIRE_POSITIONS_WORDS, QUIRE_POSITIONS_STEMS, QUIRE_POSITIONS_WORDS};
    quire_stopwords stops[] = {QUIRE_STOPWORDS_QUERY, QUIRE_STOPWORDS_QUERY, QUIRE_STOPWORDS_INDEX};
    for (int v = 0; v < 3; v++) {
        char dir[256], path[300];
        CHECK(make_tmpdir(dir, "passage") != NULL);
        snprintf(path, sizeof path, "%s/long.idx", dir);
        quire_index *idx = new_index(path, pos[v], stops[v]);
        CHECK(idx != NULL);
        char *filler = make_body(3 << 20, 11);
        strbuf body = {0};
        sb_adds(&body, filler);
        sb_adds(&body, " The zeppelins departed for the minister of foreign affairs. Then more text follows here. ");
        sb_adds(&body, filler + strlen(filler) - 5000);
        free(filler);
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = "long";
        d.title = "A long report";
        d.body = body.s;
        CHECK(quire_index_add(idx, &d, NULL) == QUIRE_OK);
        d.id = "short";
        d.title = "Zeppelin notes";
        d.body = "Short: zeppelin and the minister of foreign affairs.";
        CHECK(quire_index_add(idx, &d, NULL) == QUIRE_OK);
        CHECK(quire_index_close(idx) == QUIRE_OK);
        sb_free(&body);
        quire_searcher *s;
        CHECK(quire_searcher_open(path, NULL, &s) == QUIRE_OK);
        char why[600];
        CHECK_MSG(snippet_has(s, "id:long zeppelin", "[zeppelins]", why, sizeof why), "variant %d: %s", v, why);
        CHECK_MSG(snippet_has(s, "id:long \"minister of foreign affairs\"", "[minister of foreign affairs]", why,
                              sizeof why),
                  "variant %d: %s", v, why);
        CHECK_MSG(snippet_has(s, "id:long zeppelin*", "[zeppelins]", why, sizeof why), "variant %d: %s", v, why);
        CHECK_MSG(snippet_has(s, "id:long departed NEAR/3 zeppelins", "departed", why, sizeof why), "variant %d: %s",
                  v, why);
        CHECK_MSG(snippet_has(s, "id:long report", "…", why, sizeof why), "variant %d: %s", v, why);
        quire_searcher_close(s);
    }
}

/* A new index (default settings) in a fresh directory named after tag,
 * holding d alone; its path in path. 1 on success. */
static int index_one(char *path, size_t cap, const char *tag, const quire_document *d)
{
    char dir[256];
    if (!make_tmpdir(dir, tag))
        return 0;
    snprintf(path, cap, "%s/one.idx", dir);
    quire_index *idx = new_index(path, QUIRE_POSITIONS_DEFAULT, QUIRE_STOPWORDS_DEFAULT);
    if (!idx)
        return 0;
    if (quire_index_add(idx, d, NULL) != QUIRE_OK) {
        quire_index_abandon(idx);
        return 0;
    }
    return quire_index_close(idx) == QUIRE_OK;
}

/* An index made by quire 0.1 (schema 1) is refused with a message that
 * says to rebuild; so is updating it. */
static void older_schema_is_refused(void)
{
    char path[300];
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "a";
    d.body = "text";
    CHECK(index_one(path, sizeof path, "schema", &d));
    quire_index *idx;
    qx_err e;
    qx_db *db = qx_db_open_write(path, QX_OPEN, &e);
    CHECK(db != NULL);
    CHECK(qx_db_set_metadata(db, META_SCHEMA, "1", 1, &e) == QUIRE_OK);
    CHECK(qx_db_close(db, &e) == QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_EVERSION);
    /* Library messages name no command-line flag (the programs add their own hint). */
    CHECK_MSG(strstr(quire_searcher_errmsg(s), "rebuild it") != NULL && !strstr(quire_searcher_errmsg(s), "--"),
              "message: %s", quire_searcher_errmsg(s));
    quire_searcher_close(s);
    quire_index_options o = QUIRE_INDEX_OPTIONS_INIT;
    CHECK_INT(quire_index_open(path, &o, &idx), QUIRE_EVERSION);
    CHECK_MSG(strstr(quire_index_errmsg(idx), "rebuild it") != NULL && !strstr(quire_index_errmsg(idx), "--"),
              "message: %s", quire_index_errmsg(idx));
    quire_index_abandon(idx);
    /* A rebuild reads its configuration and writes the current schema. */
    o.flags = QUIRE_INDEX_REBUILD;
    CHECK_INT(quire_index_open(path, &o, &idx), QUIRE_OK);
    CHECK(quire_index_add(idx, &d, NULL) == QUIRE_OK);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    quire_searcher_close(s);
}

/* The head record is a value of its own, read without the body. */
static void head_record_in_its_slot(void)
{
    char path[300];
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = "h-1";
    d.title = "Ferries resume";
    d.author = "Ana Ruiz";
    d.body = "The ferry sailed at dawn.";
    CHECK(index_one(path, sizeof path, "head", &d));
    qx_err e;
    qx_db *db = qx_db_open_read(path, &e);
    CHECK(db != NULL);
    uint32_t did = 0;
    CHECK(qx_db_find_term(db, "Qh-1", &did, &e) == QUIRE_OK && did);
    char *head = NULL;
    size_t len = 0;
    CHECK(qx_db_get_value(db, did, SLOT_HEAD, &head, &len, &e) == QUIRE_OK);
    docdata dd;
    CHECK(docdata_decode(head, len, &dd) == 0);
    CHECK_STR(dd.id, "h-1");
    CHECK_STR(dd.title, "Ferries resume");
    CHECK_STR(dd.author, "Ana Ruiz");
    int has_body = 0; /* the record may hold NUL bytes: no strstr */
    for (size_t i = 0; i + 4 <= len; i++)
        has_body |= memcmp(head + i, "dawn", 4) == 0;
    CHECK(!has_body);
    docdata_free(&dd);
    free(head);
    CHECK(qx_db_close(db, &e) == QUIRE_OK);
}

/* ---- Against a scan of the whole body ------------------------------------ */

/* Distinct groups and whole phrases highlighted in a snippet's text. */
static void quality(const char *text, const qbuild *qb, long *distinct, long *phrases)
{
    qa_tokens t = {0};
    char err[256];
    *distinct = *phrases = 0;
    if (qa_run(an, text, strlen(text), "en", 0, &t, NULL, err, sizeof err) != 0)
        return;
    hl_match *m;
    size_t nm;
    if (hl_find(&t, qb->hl, qb->nhl, 0, 0, &m, &nm) == 0) {
        unsigned char seen[256] = {0};
        for (size_t i = 0; i < nm; i++) {
            if (m[i].group < 256 && !seen[m[i].group]++)
                (*distinct)++;
            *phrases += m[i].phrase;
        }
        free(m);
    }
    qa_tokens_free(&t);
}

/* On the State of the Union addresses (46 KB each, ../shared): for each
 * query and each of its top hits, the passage chosen from positions holds
 * as many distinct query terms and phrases as the best passage of a scan
 * of the whole body (quire 0.1's way, without its 1 MiB limit). */
static void passage_as_good_as_full_scan(void)
{
    setup();
    char src[512], dir[256], path[300];
    snprintf(src, sizeof src, "%s/corpora/sotu.jsonl.gz", shared_dir());
    if (access(src, R_OK) != 0)
        SKIP("%s not found (the State of the Union corpus lives in ../shared)", src);
    CHECK(make_tmpdir(dir, "sotu") != NULL);
    snprintf(path, sizeof path, "%s/sotu.idx", dir);
    quire_index *idx = new_index(path, QUIRE_POSITIONS_DEFAULT, QUIRE_STOPWORDS_DEFAULT);
    CHECK(idx != NULL);
    const char *srcs[] = {src};
    quire_reader *rd;
    CHECK(quire_reader_open(srcs, 1, NULL, &rd) == QUIRE_OK);
    const quire_document *doc;
    while (quire_reader_next(rd, &doc) == QUIRE_OK)
        CHECK(quire_index_add(idx, doc, NULL) == QUIRE_OK);
    quire_reader_close(rd);
    CHECK(quire_index_close(idx) == QUIRE_OK);

    static const char *queries[] = {
        "railroad", "slavery war", "\"united states\"", "tariff NEAR/5 revenue", "immigr*", "economy jobs",
        "\"federal government\" spending", "peace treaty", "indian tribes land", "gold silver currency",
        "\"health care\" insurance", "navy ships", "mexico texas annexation", "banks deposits", "taxes cut",
        "\"soviet union\" missiles", "education schools teachers", "terror* afghanistan", "depression unemployment",
        "canal panama", "cuba spain", "atomic energy", "civil rights", "oil energy prices", "postal service",
        "\"great britain\" commerce", "farmers agriculture prices", "public debt interest", "veterans pensions",
        "\"of the\" people"};
    qx_err e;
    qx_db *db = qx_db_open_read(path, &e);
    CHECK(db != NULL);
    qconfig cfg;
    int fresh;
    char err[QUIRE_MAX_ID_BYTES + 1024];
    CHECK(qconfig_load(db, path, &cfg, &fresh, err) == QUIRE_OK);
    quire_searcher *s;
    CHECK(quire_searcher_open(path, NULL, &s) == QUIRE_OK);
    snippeter *sp = snippeter_new(an);
    bs_zip z;
    bs_zip_init(&z);
    const char *langs[] = {"en"};
    int worse = 0, compared = 0, better = 0;
    char first_worse[600] = "";
    for (int any = 0; any < 2; any++)
        for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
            qparse_limits lim = {100000, 100, 1000};
            qparse_error pe;
            qnode *tree = qparse(queries[qi], &lim, &pe);
            CHECK(tree != NULL);
            qbuild_ctx ctx = {db, an, &cfg, langs, 1, any ? QUIRE_OP_OR : QUIRE_OP_AND, 1000, 0, NULL};
            qbuild qb;
            CHECK(qbuild_run(&ctx, tree, &qb, &pe) == QUIRE_OK);
            quire_search_options so = QUIRE_SEARCH_OPTIONS_INIT;
            so.default_op = any ? QUIRE_OP_OR : QUIRE_OP_AND;
            quire_results *r;
            CHECK(quire_search(s, queries[qi], &so, &r) == QUIRE_OK);
            for (size_t i = 0; i < quire_results_count(r); i++) {
                const quire_hit *h = quire_results_hit(r, i);
                char term[QUIRE_MAX_ID_BYTES + 2];
                snprintf(term, sizeof term, "Q%s", h->id);
                uint32_t did;
                CHECK(qx_db_find_term(db, term, &did, &e) == QUIRE_OK && did);
                char *blob, *body;
                size_t blen;
                CHECK(qx_db_get_value(db, did, SLOT_BODY, &blob, &blen, &e) == QUIRE_OK);
                bodystore b;
                int oom;
                CHECK(bs_open(&b, blob, blen, &oom) == 0);
                CHECK(bs_read(&z, &b, 0, b.text_len, &body, &oom) == 0);
                snippet full;
                CHECK(snippet_make(sp, body, b.text_len, "en", qb.hl, qb.nhl, 0, 200, &full) == 0);
                long fd, fp, nd, np;
                quality(full.text, &qb, &fd, &fp);
                quality(h->snippet, &qb, &nd, &np);
                compared++;
                if (nd < fd || (nd == fd && np < fp)) {
                    if (!worse++)
                        snprintf(first_worse, sizeof first_worse, "%s %s: %ld/%ld vs full %ld/%ld: \"%s\" vs \"%s\"",
                                 queries[qi], h->id, nd, np, fd, fp, h->snippet, full.text);
                } else if (nd > fd || np > fp) {
                    better++;
                }
                snippet_free(&full);
                free(body);
                free(blob);
                bs_close(&b);
            }
            quire_results_free(r);
            qbuild_free(&qb);
            qnode_free(tree);
        }
    printf("# passage: %d hits compared, %d worse, %d better than a full scan\n", compared, worse, better);
    bs_zip_free(&z);
    snippeter_free(sp);
    quire_searcher_close(s);
    qx_db_close(db, &e);
    CHECK_MSG(compared > 300, "only %d hits compared", compared);
    CHECK_MSG(worse == 0, "%d of %d passages hold fewer terms or phrases than a full scan's, e.g. %s", worse,
              compared, first_worse);
}

TEST_MAIN("passage", T(roundtrip_reads_every_range), T(map_entries_restart_the_analyzer),
          T(damaged_blob_is_an_error), T(match_deep_in_long_body), T(older_schema_is_refused),
          T(head_record_in_its_slot),
          T(passage_as_good_as_full_scan))

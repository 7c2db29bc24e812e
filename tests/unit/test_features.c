/* test_features.c — facets, did-you-mean, synonyms, more-like-this and
 * quire_searcher_get() through the public API, plus the exact-value keys
 * behind facet filters (fieldvalue.h). The index holds
 * testdata/articles and three documents written here, whose words
 * (gondola, timetable, fares, linesmen, riggers, cable car) no article has,
 * so the counts are theirs. */
#include "harness.h"
#include "quire.h"

#include "analyzer.h"
#include "fieldvalue.h"
#include "schema.h"
#include "synonyms.h"

static char tmp[256], idx_path[300];
static quire_searcher *S;

static void cleanup(void)
{
    quire_searcher_close(S);
    remove_tmpdir(tmp);
}

static int add(quire_index *idx, const char *id, const char *title, const char *author, const char *source,
               const char *body)
{
    quire_document d = QUIRE_DOCUMENT_INIT;
    d.id = id;
    d.title = title;
    d.author = author;
    d.source = source;
    d.body = body;
    d.date = "2022-05-01";
    return quire_index_add(idx, &d, NULL);
}

static quire_searcher *searcher(void)
{
    if (S)
        return S;
    atexit(cleanup);
    make_tmpdir(tmp, "features");
    snprintf(idx_path, sizeof idx_path, "%s/f.idx", tmp);
    quire_index *idx = index_articles(idx_path);
    if (!idx)
        return NULL;
    add(idx, "y-one", "Gondola timetable", "Ana Ruiz; Ben Ode", "Port Bulletin", "The gondola timetable changes in May.");
    add(idx, "y-two", "Gondola fares", "ben ode", "PORT  bulletin", "Gondola fares rise by two percent.");
    add(idx, "y-four", "Gondola repairs", NULL, "Port Bulletin", "Gondola repairs end in June.");
    add(idx, "y-three", "Gondola linesmen", "Ana Ruiz", "Port Bulletin Extra", "Gondola linesmen ask for more rest.");
    add(idx, "r-one", "Poezd", NULL, NULL, "Поезд идёт в Москву через Тверь.");
    add(idx, "q-one", "Quay notice", "Cy \"The Rigger\" Vale", "The \"Quay\" Gazette", "The quay closes for winter.");
    quire_index_set_synonyms(idx, "dprk, north korea\n", "test");
    quire_index_close(idx);
    quire_searcher_open(idx_path, NULL, &S);
    return S;
}

static uint64_t total(const char *q)
{
    quire_results *r;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    if (quire_search(searcher(), q, &o, &r) != QUIRE_OK)
        return (uint64_t)-1;
    uint64_t n = quire_results_total(r, NULL);
    quire_results_free(r);
    return n;
}

static const quire_facet_value *find(const quire_facet *f, const char *value)
{
    for (size_t i = 0; f && i < f->nvalues; i++)
        if (strcmp(f->values[i].value, value) == 0)
            return &f->values[i];
    return NULL;
}

static void facets_api(void)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.facets = "author, source,year";
    o.limit = 1;
    quire_results *r;
    CHECK_INT(quire_search(searcher(), "gondola OR shells OR korea", &o, &r), QUIRE_OK);
    CHECK_INT(quire_results_facet_count(r), 3);
    const quire_facet *a = quire_results_facet(r, 0), *s = quire_results_facet(r, 1), *y = quire_results_facet(r, 2);
    CHECK(quire_results_facet(r, 3) == NULL);
    CHECK_STR(a->field, "author");
    CHECK_STR(s->field, "source");
    CHECK_STR(y->field, "year");
    /* "Ana Ruiz; Ben Ode" and "ben ode": one Ben Ode, shown as written most. */
    const quire_facet_value *ben = find(a, "Ben Ode");
    CHECK(ben != NULL);
    CHECK_INT(ben->count, 2);
    CHECK_STR(ben->filter, "author:=\"Ben Ode\"");
    CHECK(find(a, "ben ode") == NULL);
    CHECK(find(a, "Ana Ruiz") && find(a, "Ana Ruiz")->count == 2);
    /* Case and spacing do not make another source (shown as written most);
     * a longer name does. */
    CHECK(find(s, "Port Bulletin") && find(s, "Port Bulletin")->count == 3);
    CHECK(find(s, "PORT  bulletin") == NULL);
    CHECK(find(s, "Port Bulletin Extra") && find(s, "Port Bulletin Extra")->count == 1);
    CHECK(find(y, "2022") && find(y, "2022")->count == 4);
    /* Most documents first, ties by value. */
    for (size_t i = 1; i < a->nvalues; i++)
        CHECK(a->values[i - 1].count > a->values[i].count ||
              (a->values[i - 1].count == a->values[i].count && strcmp(a->values[i - 1].value, a->values[i].value) < 0));
    CHECK(a->distinct >= a->nvalues);
    CHECK_INT(total("(gondola OR shells OR korea) author:=\"Ben Ode\""), 2);
    CHECK_INT(total("source:=\"port bulletin\""), 3);
    CHECK_INT(total("source:\"port bulletin\""), 4);
    /* A value with quotes in it: its filter escapes them and selects it. */
    quire_results *qr;
    CHECK_INT(quire_search(searcher(), "quay", &o, &qr), QUIRE_OK);
    const quire_facet_value *gz = find(quire_results_facet(qr, 1), "The \"Quay\" Gazette");
    const quire_facet_value *cy = find(quire_results_facet(qr, 0), "Cy \"The Rigger\" Vale");
    CHECK(gz != NULL && cy != NULL && gz->count == 1 && cy->count == 1);
    CHECK_STR(gz->filter, "source:=\"The \\\"Quay\\\" Gazette\"");
    CHECK_INT(total(gz->filter), 1);
    CHECK_INT(total(cy->filter), 1);
    quire_results_free(qr);
    uint64_t all = quire_results_total(r, NULL);
    quire_results_free(r);
    CHECK_INT(all, total("gondola OR shells OR korea"));

    o.facets = "source,weather";
    CHECK_INT(quire_search(searcher(), "ferry", &o, &r), QUIRE_EINVAL);
    CHECK(strstr(quire_searcher_errmsg(S), "unknown facet 'weather'") != NULL);
    CHECK(r == NULL);
}

static void options_version_1(void)
{
    /* A program built against 0.1 passes a shorter struct: the fields after
     * lang are not read (here they hold a facet request a v1 caller could
     * not have made). */
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.version = 1;
    o.facets = "source";
    quire_results *r;
    CHECK_INT(quire_search(searcher(), "ferry", &o, &r), QUIRE_OK);
    CHECK_INT(quire_results_facet_count(r), 0);
    quire_results_free(r);
    quire_index_options io = QUIRE_INDEX_OPTIONS_INIT;
    io.version = 1;
    io.spelling = 1; /* beyond a v1 struct: ignored */
    io.flags = QUIRE_INDEX_NO_CREATE;
    quire_index *idx;
    CHECK_INT(quire_index_open(idx_path, &io, &idx), QUIRE_OK);
    CHECK(strstr(quire_index_config(idx), "spelling") == NULL);
    quire_index_close(idx);
    CHECK_INT(quire_searcher_reopen(S), QUIRE_OK);
}

static void suggestion_api(void)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    quire_results *r;
    CHECK_INT(quire_search(searcher(), "gondolla timetabel", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r), "gondola timetable");
    quire_results_free(r);
    CHECK_INT(quire_search(searcher(), "gondola timetable", &o, &r), QUIRE_OK);
    CHECK(quire_results_suggestion(r) == NULL);
    quire_results_free(r);
    o.no_suggestion = 1;
    CHECK_INT(quire_search(searcher(), "gondolla timetabel", &o, &r), QUIRE_OK);
    CHECK(quire_results_suggestion(r) == NULL);
    quire_results_free(r);
    /* A synonym is known: dprk matches through its group. */
    o.no_suggestion = 0;
    CHECK_INT(quire_search(searcher(), "dprk", &o, &r), QUIRE_OK);
    CHECK(quire_results_suggestion(r) == NULL);
    CHECK(quire_results_total(r, NULL) > 0);
    quire_results_free(r);
    /* A query that matches through some of its words still gets the
     * others corrected when a match need not hold them (OR, --any); one
     * that holds all of its words needs no lookups and gets nothing. */
    CHECK_INT(quire_search(searcher(), "quay OR timetabel", &o, &r), QUIRE_OK);
    CHECK(quire_results_total(r, NULL) > 0);
    CHECK_STR(quire_results_suggestion(r), "quay OR timetable");
    quire_results_free(r);
    o.default_op = QUIRE_OP_OR;
    CHECK_INT(quire_search(searcher(), "quay timetabel", &o, &r), QUIRE_OK);
    CHECK(quire_results_total(r, NULL) > 0);
    CHECK_STR(quire_results_suggestion(r), "quay timetable");
    quire_results_free(r);
    o.default_op = QUIRE_OP_AND;
    /* Letters beyond ASCII: a swap and a wrong letter. */
    CHECK_INT(quire_search(searcher(), "моксву", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r), "москву");
    quire_results_free(r);
    CHECK_INT(quire_search(searcher(), "поезд тварь", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r), "поезд тверь");
    quire_results_free(r);
    CHECK_INT(quire_search(searcher(), "gondola (fares OR timetable) -timetabel", &o, &r), QUIRE_OK);
    CHECK(quire_results_total(r, NULL) > 0);
    CHECK(quire_results_suggestion(r) == NULL);
    quire_results_free(r);
}

static void get_api(void)
{
    quire_article *a;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.highlight_start = "<";
    o.highlight_end = ">";
    CHECK_INT(quire_searcher_get(searcher(), "y-one", "timetable", &o, &a), QUIRE_OK);
    CHECK_STR(a->id, "y-one");
    CHECK_STR(a->title, "Gondola timetable");
    CHECK_STR(a->author, "Ana Ruiz; Ben Ode");
    CHECK_STR(a->date, "2022-05-01");
    CHECK_STR(a->body, "The gondola timetable changes in May.");
    CHECK_INT(a->body_len, strlen(a->body));
    CHECK_INT(a->body_span_count, 1);
    CHECK_INT(a->body_spans[0].start, 12);
    CHECK_INT(a->body_spans[0].end, 21);
    CHECK_STR(a->title_marked, "Gondola <timetable>");
    CHECK_STR(a->body_marked, "The gondola <timetable> changes in May.");
    quire_article_free(a);
    /* Without a query: no spans, no marks; a long body comes back whole. */
    CHECK_INT(quire_searcher_get(S, "01-seoul-weighs-shells.txt", NULL, NULL, &a), QUIRE_OK);
    CHECK_INT(a->body_span_count, 0);
    CHECK(a->body_marked == NULL);
    CHECK(a->body_len > 600 && strstr(a->body, "without weakening the country's own readiness.") != NULL);
    quire_article_free(a);
    CHECK_INT(quire_searcher_get(S, "no-such-id", NULL, NULL, &a), QUIRE_ENOTFOUND);
    CHECK(a == NULL);
    CHECK(strstr(quire_searcher_errmsg(S), "no document with id 'no-such-id'") != NULL);
    CHECK_INT(quire_searcher_get(S, "", NULL, NULL, &a), QUIRE_EINVAL);
    CHECK_INT(quire_searcher_get(S, "y-one", "\"unclosed", NULL, &a), QUIRE_ESYNTAX);
    quire_article_free(NULL);
}

static void like_api(void)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.like_id = "y-one";
    o.limit = 20;
    quire_results *r;
    CHECK_INT(quire_search(searcher(), NULL, &o, &r), QUIRE_OK);
    int others = 0;
    for (size_t i = 0; i < quire_results_count(r); i++) {
        CHECK(strcmp(quire_results_hit(r, i)->id, "y-one") != 0);
        others += strncmp(quire_results_hit(r, i)->id, "y-", 2) == 0;
    }
    CHECK_INT(others, 3); /* the other gondola articles are all there */
    quire_results_free(r);
    CHECK_INT(quire_search(S, "linesmen", &o, &r), QUIRE_OK);
    CHECK_INT(quire_results_total(r, NULL), 1);
    CHECK_STR(quire_results_hit(r, 0)->id, "y-three");
    quire_results_free(r);
    o.like_id = "no-such-id";
    CHECK_INT(quire_search(S, "", &o, &r), QUIRE_ENOTFOUND);
}

static void synonyms_api(void)
{
    searcher();
    quire_index *idx;
    quire_index_options io = QUIRE_INDEX_OPTIONS_INIT;
    io.flags = QUIRE_INDEX_NO_CREATE;
    CHECK_INT(quire_index_open(idx_path, &io, &idx), QUIRE_OK);
    CHECK_INT(quire_index_set_synonyms(idx, "a, b\nonly\n", "syn.txt"), QUIRE_EINVAL);
    CHECK_STR(quire_index_errmsg(idx), "syn.txt:2: a group needs at least two different entries, separated by commas");
    CHECK_INT(quire_index_set_synonyms(idx, "gondola, GONDOLA\n", NULL), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "synonyms:1:") != NULL);
    CHECK_INT(quire_index_set_synonyms(idx, "ok, fine\n\xff\xfe, x\n", "s"), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "s:2: not valid UTF-8") != NULL);
    CHECK_INT(quire_index_set_synonyms(idx, "x, ---\n", "s"), QUIRE_EINVAL);
    CHECK(strstr(quire_index_errmsg(idx), "entry '---' has no words") != NULL);
    /* Nothing was changed by the bad lists; a good one replaces the old. */
    CHECK_INT(quire_index_set_synonyms(idx, "# lifts\ngondola, cable car, telepherique\nlinesmen, riggers\nIT, information technology\n", "s"), QUIRE_OK);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    CHECK_INT(quire_searcher_reopen(S), QUIRE_OK);
    quire_stats st = {QUIRE_STATS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0};
    CHECK_INT(quire_searcher_stats(S, &st), QUIRE_OK);
    CHECK_INT(st.synonym_groups, 3);
    /* A version 1 struct is filled without its missing field. */
    struct {
        quire_stats st;
        unsigned guard;
    } v1 = {{1, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 77}, 0};
    CHECK_INT(quire_searcher_stats(S, &v1.st), QUIRE_OK);
    CHECK_INT(v1.st.synonym_groups, 77);
    CHECK_INT(total("riggers"), total("riggers OR linesmen"));
    CHECK_INT(total("riggers"), 1);
    CHECK_INT(total("dprk"), 0); /* the old group is gone */
    quire_results *r;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    CHECK_INT(quire_search(S, "telepherique", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_parsed(r), "(synonyms (word \"telepherique\") (word \"gondola\") (phrase \"cable car\"))");
    CHECK_INT(quire_results_total(r, NULL), 4);
    quire_results_free(r);
    /* A stopword of a group is still dropped beside other words, and named
     * right (its expansion analyses other text). */
    CHECK_INT(quire_search(S, "it riggers", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_parsed(r), "(and (stopword \"it\") (synonyms (word \"riggers\") (word \"linesmen\")))");
    quire_results_free(r);
}

/* The entries of key, sorted and joined by '|'. */
static void group_of(const syn_table *t, const char *key, char *out, size_t cap)
{
    size_t n;
    const char *const *e = syn_find(t, key, &n);
    const char *v[16];
    for (size_t i = 0; i < n && i < 16; i++)
        v[i] = e[i];
    for (size_t i = 1; i < n && i < 16; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            const char *x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n && i < 16; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "|" : "", v[i]);
}

/* A word in two groups answers both groups' entries; the others only
 * their own group's. (The table shares one list per group among its
 * entries: a group of n entries costs n, not n squared.) */
static void synonym_groups_sharing_a_word(void)
{
    char err[128], got[256];
    qa_analyzer *an = qa_new(0, "en", err, sizeof err);
    CHECK(an != NULL);
    /* car in three groups, auto in two; a merged list has each once. A
     * group repeated (in any order) counts once. */
    syn_table *t = syn_load(an, "car, auto\ncar, automobile, motor vehicle\nbus, coach\nauto, lorry, car\n"
                                "bus, coach\ncoach, bus\n");
    CHECK(t != NULL);
    CHECK_INT(syn_groups(t), 4);
    group_of(t, "Zcar", got, sizeof got);
    CHECK_STR(got, "auto|automobile|car|lorry|motor vehicle");
    group_of(t, "Zauto", got, sizeof got);
    CHECK_STR(got, "auto|car|lorry");
    group_of(t, "Zlorri", got, sizeof got); /* the stem of lorry */
    CHECK_STR(got, "auto|car|lorry");
    group_of(t, "motor vehicle", got, sizeof got);
    CHECK_STR(got, "automobile|car|motor vehicle");
    group_of(t, "Zcoach", got, sizeof got);
    CHECK_STR(got, "bus|coach");
    group_of(t, "Ztrain", got, sizeof got);
    CHECK_STR(got, "");
    syn_free(t);
    qa_free(an);
}

static void value_terms(void)
{
    char err[128], term[FV_TERM_MAX], term2[FV_TERM_MAX];
    qa_analyzer *an = qa_new(0, "en", err, sizeof err);
    qa_tokens t = {0};
    CHECK(an != NULL);
    CHECK_INT(fv_term(an, &t, PFX_SOURCE_VALUE, "  The HARBOR-Times ", 19, term), 20);
    CHECK_STR(term, "XFS:the harbor times");
    CHECK_INT(fv_term(an, &t, PFX_SOURCE_VALUE, " \t ", 3, term), 0);
    CHECK_INT(fv_term(an, &t, PFX_SOURCE_VALUE, "— –", strlen("— –"), term), (int)strlen("XFS:— –"));
    /* Too long for one term: cut, with a hash that tells values apart. */
    char a[400], b[400];
    memset(a, 'a', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memcpy(b, a, sizeof b);
    b[sizeof b - 2] = 'b';
    int la = fv_term(an, &t, PFX_AUTHOR_VALUE, a, strlen(a), term);
    int lb = fv_term(an, &t, PFX_AUTHOR_VALUE, b, strlen(b), term2);
    CHECK(la > 0 && la <= 245 && lb == la);
    CHECK(strcmp(term, term2) != 0);
    qa_tokens_free(&t);
    qa_free(an);
}

static int names_seen(void *ctx, const char *name, size_t len)
{
    char *out = ctx;
    strncat(out, name, len);
    strcat(out, "|");
    return 0;
}

static void author_names(void)
{
    char out[256] = "";
    const char *list = " Mina Park, Daniel Reyes;Lena Vogel ,, ";
    fv_each_name(list, strlen(list), names_seen, out);
    CHECK_STR(out, "Mina Park|Daniel Reyes|Lena Vogel|");
    out[0] = '\0';
    fv_each_name(list, 11, names_seen, out); /* only the bytes given */
    CHECK_STR(out, "Mina Park|");
}

/* A searcher keeps the vocabulary it read for suggestions while the
 * index stays as it was, and reads it again once the index has changed. */
static void suggestions_follow_reopen(void)
{
    char dir[256], path[300];
    CHECK(make_tmpdir(dir, "vocab") != NULL);
    snprintf(path, sizeof path, "%s/v.idx", dir);
    quire_index *idx = index_articles(path);
    CHECK(idx != NULL);
    CHECK_INT(quire_index_close(idx), QUIRE_OK);
    quire_searcher *s;
    CHECK_INT(quire_searcher_open(path, NULL, &s), QUIRE_OK);
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    quire_results *r;
    CHECK_INT(quire_search(s, "zeppelinx", &o, &r), QUIRE_OK);
    CHECK(quire_results_suggestion(r) == NULL); /* no zeppelin yet */
    quire_results_free(r);
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK); /* unchanged */
    CHECK_INT(quire_search(s, "shellss", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r), "shells");
    quire_results_free(r);
    CHECK(add_document(path, "z-one", "The zeppelin landed."));
    CHECK_INT(quire_searcher_reopen(s), QUIRE_OK);
    CHECK_INT(quire_search(s, "zeppelinx", &o, &r), QUIRE_OK);
    CHECK_STR(quire_results_suggestion(r), "zeppelin");
    quire_results_free(r);
    quire_searcher_close(s);
    remove_tmpdir(dir);
}

TEST_MAIN("features", T(facets_api), T(options_version_1), T(suggestion_api), T(get_api), T(like_api),
          T(synonyms_api), T(synonym_groups_sharing_a_word), T(value_terms), T(author_names),
          T(suggestions_follow_reopen))

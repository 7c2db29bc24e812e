/* test_proximity.c — the proximity ranking (lib/proximity.h) through the
 * public API: each document's score is its BM25 score plus exactly the pair
 * evidence the model defines (checked against scores of the parts run on
 * their own), the set of matches never changes, which words pair up, the
 * off switch, and the search options versions. */
#include <math.h>

#include "harness.h"
#include "proximity.h"
#include "quire.h"

static char tmp[256], idx_path[300];
static quire_searcher *S;

#define FILL "lorem ipsum dolor amet consectetur adipiscing elit tempor incididunt labore"

/* Documents placed so that each pair of "alpha beta gamma" is adjacent in
 * order, near, reversed or far apart. */
static const struct {
    const char *id, *body;
} DOCS[] = {
    {"adj", "alpha beta " FILL},
    {"near", "alpha lorem ipsum beta " FILL},
    {"far", "alpha " FILL " " FILL " beta"},
    {"rev", "beta alpha " FILL},
    /* alpha and beta far apart, beta gamma adjacent: an OR of the pair
     * queries under AND_MAYBE made Xapian 1.4 count "alpha beta" here. */
    {"bg", "beta gamma " FILL " " FILL " alpha"},
    {"gap", "alpha of beta " FILL},
    {"none", FILL " gamma"},
};

static void cleanup(void)
{
    quire_searcher_close(S);
    remove_tmpdir(tmp);
}

static quire_searcher *searcher(void)
{
    if (S)
        return S;
    atexit(cleanup);
    make_tmpdir(tmp, "proximity");
    snprintf(idx_path, sizeof idx_path, "%s/p.idx", tmp);
    quire_index *idx;
    if (quire_index_open(idx_path, NULL, &idx) != QUIRE_OK)
        return NULL;
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = DOCS[i].id;
        d.body = DOCS[i].body;
        d.lang = "en";
        if (quire_index_add(idx, &d, NULL) != QUIRE_OK)
            return NULL;
    }
    if (quire_index_close(idx) != QUIRE_OK)
        return NULL;
    quire_searcher_open(idx_path, NULL, &S);
    return S;
}

/* Score of document id for query q (-1 when it does not match). */
static double score(const char *q, quire_default_op op, quire_rank rank, const char *id)
{
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 100;
    o.default_op = op;
    o.rank = rank;
    o.no_snippets = 1;
    quire_results *r;
    if (quire_search(searcher(), q, &o, &r) != QUIRE_OK)
        return -2;
    double s = -1;
    for (size_t i = 0; i < quire_results_count(r); i++)
        if (!strcmp(quire_results_hit(r, i)->id, id))
            s = quire_results_hit(r, i)->score;
    quire_results_free(r);
    return s;
}

/* The evidence the model adds to document id for the pair a b: the pair's
 * words' weight (a NEAR query scores the same two exact words) times
 * PROX_UNORDERED_WEIGHT if they are within the unordered window, plus
 * PROX_ORDERED_WEIGHT if they are adjacent in order. */
static double pair_bonus(const char *a, const char *b, const char *id)
{
    char q[128];
    snprintf(q, sizeof q, "%s NEAR/%d %s", a, PROX_UNORDERED_WINDOW - 1, b);
    double w = score(q, QUIRE_OP_AND, QUIRE_RANK_BM25, id);
    if (w < 0)
        return 0;
    snprintf(q, sizeof q, "\"%s %s\"", a, b);
    int ordered = score(q, QUIRE_OP_AND, QUIRE_RANK_BM25, id) >= 0;
    return w * (PROX_UNORDERED_WEIGHT + (ordered ? PROX_ORDERED_WEIGHT : 0));
}

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

static void score_is_bm25_plus_pair_evidence(void)
{
    CHECK(searcher());
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        const char *id = DOCS[i].id;
        double bm25 = score("alpha beta gamma", QUIRE_OP_OR, QUIRE_RANK_BM25, id);
        double prox = score("alpha beta gamma", QUIRE_OP_OR, QUIRE_RANK_PROXIMITY, id);
        double want = bm25 + pair_bonus("alpha", "beta", id) + pair_bonus("beta", "gamma", id);
        CHECK_MSG(bm25 > 0, "%s: no bm25 score (%g)", id, bm25);
        CHECK_MSG(close_to(prox, want), "%s: score %.12g, expected %.12g (bm25 %.12g)", id, prox, want, bm25);
    }
    /* The cases the documents were made for. */
    CHECK(pair_bonus("alpha", "beta", "adj") > 0 && pair_bonus("alpha", "beta", "far") == 0);
    CHECK(score("\"alpha beta\"", QUIRE_OP_AND, QUIRE_RANK_BM25, "near") < 0);
    CHECK(pair_bonus("alpha", "beta", "near") > 0 && pair_bonus("alpha", "beta", "rev") > 0);
    CHECK(pair_bonus("alpha", "beta", "bg") == 0 && pair_bonus("beta", "gamma", "bg") > 0);
    /* The default is proximity; adjacent beats near beats far. */
    CHECK(close_to(score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_DEFAULT, "adj"),
                   score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_PROXIMITY, "adj")));
    double adj = score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_DEFAULT, "adj"),
           near = score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_DEFAULT, "near"),
           far = score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_DEFAULT, "far");
    CHECK_MSG(adj > near && near > far, "adj %g near %g far %g", adj, near, far);
}

/* A stopword between two words is bridged: the pair is still in order,
 * one word apart. */
static void stopwords_are_bridged(void)
{
    CHECK(searcher());
    double bm25 = score("alpha of beta", QUIRE_OP_AND, QUIRE_RANK_BM25, "gap");
    double prox = score("alpha of beta", QUIRE_OP_AND, QUIRE_RANK_PROXIMITY, "gap");
    double w = score("alpha NEAR/7 beta", QUIRE_OP_AND, QUIRE_RANK_BM25, "gap");
    CHECK(bm25 > 0 && w > 0);
    CHECK_MSG(close_to(prox, bm25 + w * (PROX_ORDERED_WEIGHT + PROX_UNORDERED_WEIGHT)), "%g vs %g", prox, bm25);
    /* "alpha beta" (adjacent) is not in "alpha of beta" in order... */
    CHECK(close_to(score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_PROXIMITY, "gap"),
                   score("alpha beta", QUIRE_OP_AND, QUIRE_RANK_BM25, "gap") + w * PROX_UNORDERED_WEIGHT));
}

/* What quire_results_ranking() says for q (proximity ranking, OR). */
static const char *ranking(const char *q, quire_rank rank)
{
    static char out[4096];
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.default_op = QUIRE_OP_OR;
    o.rank = rank;
    o.limit = 0;
    quire_results *r;
    quire_status st = quire_search(searcher(), q, &o, &r);
    if (st != QUIRE_OK) {
        snprintf(out, sizeof out, "error %d: %s", st, quire_searcher_errmsg(S));
        return out;
    }
    snprintf(out, sizeof out, "%s", quire_results_ranking(r));
    quire_results_free(r);
    return out;
}

/* The pairs part of the description: after the colon. */
static const char *pairs(const char *q)
{
    const char *d = ranking(q, QUIRE_RANK_PROXIMITY);
    const char *c = strstr(d, "):");
    return c ? c + 3 : d;
}

/* The description's spelt-out weights are the ones used. */
static void description_names_the_weights(void)
{
    char want[200];
    snprintf(want, sizeof want, "bm25 + proximity (%.3f x in order, %.3f x within %u words; Metzler & Croft 2005):",
             PROX_ORDERED_WEIGHT, PROX_UNORDERED_WEIGHT, (unsigned)PROX_UNORDERED_WINDOW);
    CHECK_STR(prox_desc_head, want);
    const char *d = ranking("alpha beta", QUIRE_RANK_PROXIMITY);
    CHECK_MSG(!strncmp(d, want, strlen(want)), "%s", d);
}

static void which_words_pair(void)
{
    CHECK(searcher());
    CHECK_STR(pairs("alpha beta gamma"), "\"alpha beta\", \"beta gamma\"");
    CHECK_STR(pairs("the alpha of the beta"), "\"alpha beta\"~2");
    CHECK_STR(pairs("alpha beta OR gamma lorem"), "\"alpha beta\", \"gamma lorem\"");
    CHECK_STR(pairs("alpha beta alpha beta"), "\"alpha beta\" x2, \"beta alpha\"");
    CHECK_STR(pairs("+alpha beta"), "\"alpha beta\"");
    CHECK_STR(pairs("alpha (beta gamma)"), "\"beta gamma\"");
    CHECK_STR(pairs("Alpha, beta!"), "\"alpha beta\"");
    /* Nothing pairs across a NOT, a phrase, NEAR, a wildcard, a filter or
     * fields, nor two stopwords. */
    const char *none[] = {"alpha -beta", "alpha \"beta gamma\"", "alpha NEAR beta",
                          "alpha bet*", "alpha id:adj", "title:alpha beta",
                          "the of and", "alpha", "-alpha -beta", "alpha AND beta"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        CHECK_MSG(!strcmp(ranking(none[i], QUIRE_RANK_PROXIMITY), "bm25 (no word pairs for proximity)") ||
                      !strncmp(ranking(none[i], QUIRE_RANK_PROXIMITY), "none", 4),
                  "%s: %s", none[i], ranking(none[i], QUIRE_RANK_PROXIMITY));
    CHECK_STR(ranking("id:adj", QUIRE_RANK_PROXIMITY), "none (only filters: every match scores 0)");
    CHECK_STR(ranking("alpha beta", QUIRE_RANK_BM25), "bm25");
    CHECK(!strncmp(ranking("alpha beta", QUIRE_RANK_DEFAULT), "bm25 + proximity (", 18));
}

/* A long query contributes at most PROX_MAX_PAIRS pairs, the first ones. */
static void pairs_are_capped(void)
{
    CHECK(searcher());
    char q[2048] = "", w[16];
    for (int i = 0; i < PROX_MAX_PAIRS + 10; i++) {
        snprintf(w, sizeof w, "%sw%c%c", i ? " " : "", 'a' + i / 26, 'a' + i % 26);
        strcat(q, w);
    }
    const char *d = pairs(q);
    int n = 1;
    for (const char *p = d; *p; p++)
        n += *p == ',';
    CHECK_INT(n, PROX_MAX_PAIRS);
    CHECK(!strncmp(d, "\"waa wab\", \"wab wac\"", 20));
}

/* Proximity only adds weight: the matches and their number are those of
 * BM25. */
static void matches_do_not_change(void)
{
    CHECK(searcher());
    const char *qs[] = {"alpha beta", "alpha beta gamma", "beta gamma lorem", "alpha of beta -gamma"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        for (int op = 0; op < 2; op++) {
            uint64_t n[2];
            for (int k = 0; k < 2; k++) {
                quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
                o.default_op = op ? QUIRE_OP_OR : QUIRE_OP_AND;
                o.rank = k ? QUIRE_RANK_PROXIMITY : QUIRE_RANK_BM25;
                quire_results *r;
                CHECK_INT(quire_search(searcher(), qs[i], &o, &r), QUIRE_OK);
                n[k] = quire_results_total(r, NULL);
                quire_results_free(r);
            }
            CHECK_MSG(n[0] == n[1] && n[0] > 0, "%s (op %d): %llu vs %llu", qs[i], op,
                      (unsigned long long)n[0], (unsigned long long)n[1]);
        }
}

/* rank is a version-2 field: checked there, ignored in a version-1 struct
 * (which has no such field: what lies there is not the caller's). */
static void options_versions(void)
{
    CHECK(searcher());
    quire_search_options o;
    CHECK_INT(quire_search_options_init(&o, 2), QUIRE_OK);
    CHECK_INT(o.rank, QUIRE_RANK_DEFAULT);
    CHECK_INT(quire_search_options_init(&o, 3), QUIRE_EINVAL);
    o.rank = (quire_rank)7;
    quire_results *r;
    CHECK_INT(quire_search(searcher(), "alpha beta", &o, &r), QUIRE_EINVAL);
    CHECK(strstr(quire_searcher_errmsg(S), "rank 7") != NULL);
    o.version = 1;
    CHECK_INT(quire_search(searcher(), "alpha beta", &o, &r), QUIRE_OK);
    CHECK(!strncmp(quire_results_ranking(r), "bm25 + proximity", 16));
    quire_results_free(r);
    CHECK_STR(quire_results_ranking(NULL), "");
}

/* With positions on stems, pairs match stems: "mined data" is near in
 * "mining data"; with positions on words only the exact words pair. */
static void stems_pair_with_positions_on_stems(void)
{
    for (int stems = 0; stems < 2; stems++) {
        char dir[256], path[300];
        CHECK(make_tmpdir(dir, "proximity") != NULL);
        snprintf(path, sizeof path, "%s/s.idx", dir);
        quire_index_options io = QUIRE_INDEX_OPTIONS_INIT;
        io.positions = stems ? QUIRE_POSITIONS_STEMS : QUIRE_POSITIONS_WORDS;
        quire_index *idx;
        CHECK(quire_index_open(path, &io, &idx) == QUIRE_OK);
        quire_document d = QUIRE_DOCUMENT_INIT;
        d.id = "a";
        d.body = "The miners were mining data all day.";
        CHECK(quire_index_add(idx, &d, NULL) == QUIRE_OK);
        CHECK(quire_index_close(idx) == QUIRE_OK);
        quire_searcher *s;
        CHECK(quire_searcher_open(path, NULL, &s) == QUIRE_OK);
        double sc[2];
        for (int k = 0; k < 2; k++) {
            quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
            o.rank = k ? QUIRE_RANK_PROXIMITY : QUIRE_RANK_BM25;
            quire_results *r;
            CHECK(quire_search(s, "mined data", &o, &r) == QUIRE_OK);
            CHECK(quire_results_count(r) == 1);
            sc[k] = quire_results_hit(r, 0)->score;
            quire_results_free(r);
        }
        quire_searcher_close(s);
        remove_tmpdir(dir);
        CHECK_MSG(stems ? sc[1] > sc[0] : sc[1] == sc[0], "positions on %s: %g vs bm25 %g",
                  stems ? "stems" : "words", sc[1], sc[0]);
    }
}

TEST_MAIN("proximity", T(score_is_bm25_plus_pair_evidence), T(description_names_the_weights), T(stopwords_are_bridged), T(which_words_pair),
          T(pairs_are_capped), T(matches_do_not_change), T(options_versions),
          T(stems_pair_with_positions_on_stems))

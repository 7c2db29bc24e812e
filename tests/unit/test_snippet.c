/* test_snippet.c — passage choice, highlight spans and clean cuts, with
 * highlight specs written out by hand (as query_build.c makes them). */
#include "analyzer.h"
#include "harness.h"
#include "highlight.h"
#include "snippet.h"
#include "utf8.h"

static qa_analyzer *an;
static snippeter *sp;

static void cleanup(void)
{
    snippeter_free(sp);
    qa_free(an);
}

static void setup(void)
{
    if (an)
        return;
    char err[256];
    an = qa_new(0, "en", err, sizeof err);
    sp = snippeter_new(an);
    atexit(cleanup);
}

/* A spec of one kind over the given terms. */
static hl_spec spec(hl_kind kind, int group, char **terms, size_t n)
{
    hl_spec s = {kind, QF_ANY, terms, n, 0, group};
    return s;
}

static snippet make(const char *body, hl_spec *hl, size_t nhl, size_t chars)
{
    setup();
    snippet sn;
    if (snippet_make(sp, body, strlen(body), "en", hl, nhl, 0, chars, &sn) != 0)
        memset(&sn, 0, sizeof sn);
    return sn;
}

/* The highlighted substrings, joined with '|'. */
static const char *marked(const snippet *sn)
{
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < sn->nspans; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, sn->text + sn->spans[i].start, sn->spans[i].end - sn->spans[i].start);
    }
    return out;
}

static void picks_passage_with_most_distinct_terms(void)
{
    char *a[] = {"alpha"}, *b[] = {"beta"};
    hl_spec hl[] = {spec(HL_STEMS, 0, a, 1), spec(HL_STEMS, 1, b, 1)};
    const char *body =
        "Alpha appears here first in a sentence about nothing else at all, padded with words to take "
        "up room so that the next part cannot share a window with it. More filler text follows here to "
        "push the second paragraph well beyond the reach of a two hundred character window.\n\n"
        "Unrelated middle paragraph with plenty of words and no query terms of any kind in it at all, "
        "again long enough to keep passages apart from each other.\n\n"
        "Finally alpha and beta meet in this closing sentence.";
    snippet sn = make(body, hl, 2, 120);
    CHECK(sn.text);
    CHECK_MSG(strstr(sn.text, "Finally alpha and beta meet") != NULL, "snippet: %s", sn.text);
    CHECK_STR(marked(&sn), "alpha|beta");
    snippet_free(&sn);
}

static void whole_phrase_beats_scattered_words(void)
{
    char *ph[] = {"north", "korea"}, *tr[] = {"troop"};
    hl_spec hl[] = {spec(HL_PHRASE, 0, ph, 2), spec(HL_STEMS, 1, tr, 1)};
    const char *body =
        "The north of the country sent troops, officials in Korea said, in a first paragraph written "
        "to be long enough that the phrase further down cannot share its window in any way at all.\n\n"
        "Much later, after more words that fill the space between them, North Korea was named.";
    snippet sn = make(body, hl, 2, 100);
    CHECK_MSG(sn.text && strstr(sn.text, "North Korea was named"), "snippet: %s", sn.text);
    CHECK_STR(marked(&sn), "North Korea");
    snippet_free(&sn);
}

static void spans_land_on_the_words(void)
{
    char *d[] = {"deploy"}, *k[] = {"kim", "jong", "un"};
    hl_spec hl[] = {spec(HL_STEMS, 0, d, 1), spec(HL_PHRASE, 1, k, 3)};
    const char *body = "Officials said Kim Jong-un had DEPLOYED more units; the deployments\ncontinued.";
    snippet sn = make(body, hl, 2, 200);
    CHECK(sn.text);
    CHECK_STR(sn.text, "Officials said Kim Jong-un had DEPLOYED more units; the deployments continued.");
    CHECK_STR(marked(&sn), "Kim Jong-un|DEPLOYED|deployments");
    snippet_free(&sn);
}

static void stems_exact_and_prefix(void)
{
    char *e[] = {"shells"}, *p[] = {"ukrain"};
    hl_spec hl[] = {spec(HL_EXACT, 0, e, 1), spec(HL_PREFIX, 1, p, 1)};
    snippet sn = make("A shell, two shells, Ukraine and Ukrainian forces.", hl, 2, 200);
    CHECK_STR(marked(&sn), "shells|Ukraine|Ukrainian");
    snippet_free(&sn);
}

static void long_document_match_near_the_end(void)
{
    size_t n = 100000;
    char *body = malloc(n + 200);
    for (size_t i = 0; i < n; i += 10)
        memcpy(body + i, "filler is ", 10);
    strcpy(body + n, "so the needle appears only here at the end of it all.");
    char *w[] = {"needl"};
    hl_spec hl[] = {spec(HL_STEMS, 0, w, 1)};
    snippet sn = make(body, hl, 1, 200);
    free(body);
    CHECK(sn.text);
    CHECK_MSG(strstr(sn.text, "needle appears"), "snippet: %.80s", sn.text);
    CHECK(strncmp(sn.text, "\xE2\x80\xA6", 3) == 0); /* cut in the middle of the run-on text */
    CHECK(utf8_chars(sn.text, strlen(sn.text)) <= 202);
    CHECK_STR(marked(&sn), "needle");
    snippet_free(&sn);
}

static void multibyte_text_is_cut_on_characters(void)
{
    /* 600 Cyrillic letters in words, match in the middle. */
    char body[8192] = "";
    for (int i = 0; i < 60; i++)
        strcat(body, i == 30 ? "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 " /* Москва */
                             : "\xD1\x81\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD0\xBB\xD0\xBE\xD0\xB2 "); /* слово­слов */
    char *w[] = {"\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"}; /* москва */
    hl_spec hl[] = {spec(HL_EXACT, 0, w, 1)};
    snippet sn = make(body, hl, 1, 50);
    CHECK(sn.text);
    size_t len = strlen(sn.text);
    CHECK_INT(utf8_valid_prefix(sn.text, len, 1), len);
    CHECK(utf8_chars(sn.text, len) <= 52);
    CHECK_STR(marked(&sn), "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
    CHECK(strncmp(sn.text, "\xE2\x80\xA6", 3) == 0);
    CHECK(strcmp(sn.text + len - 3, "\xE2\x80\xA6") == 0);
    snippet_free(&sn);
    /* CJK without spaces. */
    char cjk[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(cjk, i == 20 ? "\xE5\x8C\x97\xE4\xBA\xAC\xE5\xA4\xA7\xE5\xAD\xA6\xE3\x80\x82" /* 北京大学。 */
                            : "\xE5\xAD\xA6\xE7\x94\x9F\xE5\x8F\x82\xE5\x8A\xA0\xE4\xBA\x86\xE4\xBC\x9A\xE8\xAE\xAE\xE3\x80\x82");
    char *z[] = {"\xE5\x8C\x97\xE4\xBA\xAC"}; /* 北京 */
    hl_spec hz[] = {spec(HL_EXACT, 0, z, 1)};
    sn = make(cjk, hz, 1, 40);
    CHECK(sn.text);
    len = strlen(sn.text);
    CHECK_INT(utf8_valid_prefix(sn.text, len, 1), len);
    CHECK(strstr(sn.text, "\xE5\x8C\x97\xE4\xBA\xAC"));
    CHECK(utf8_chars(sn.text, len) <= 42);
    snippet_free(&sn);
}

static void starts_at_sentence_boundary(void)
{
    char *w[] = {"target"};
    hl_spec hl[] = {spec(HL_STEMS, 0, w, 1)};
    const char *body = "First sentence is here and talks about something else entirely. "
                       "Second sentence mentions the target word in it. Third sentence follows.";
    snippet sn = make(body, hl, 1, 100);
    CHECK_MSG(sn.text && strncmp(sn.text, "Second sentence mentions", 24) == 0, "snippet: %s", sn.text);
    snippet_free(&sn);
}

static void no_match_gives_the_beginning(void)
{
    char *w[] = {"absent"};
    hl_spec hl[] = {spec(HL_STEMS, 0, w, 1)};
    snippet sn = make("The beginning of the body. More after it.", hl, 1, 200);
    CHECK_STR(sn.text, "The beginning of the body. More after it.");
    CHECK_INT(sn.nspans, 0);
    snippet_free(&sn);
}

static void whitespace_tags_and_controls_are_cleaned(void)
{
    char *w[] = {"bold"};
    hl_spec hl[] = {spec(HL_STEMS, 0, w, 1)};
    snippet sn = make("Line one\n\n   <p>with <b>bold</b> text</p>\x1B[31m and 2 < 3 > 1\ttoo.", hl, 1, 200);
    CHECK_STR(sn.text, "Line one with bold text and 2 < 3 > 1 too.");
    CHECK_STR(marked(&sn), "bold");
    snippet_free(&sn);
    /* A tag whose attributes run over a line break (mail bodies wrap them)
     * is a tag too; a '<' that starts no tag name is text. */
    sn = make("Intro. <a href=\"mailto:x@y.z\"\ntitle=x@y.z>Name</a> and <b>bold</b> word. 1 <\n2 > 0", hl, 1, 200);
    CHECK_STR(sn.text, "Intro. Name and bold word. 1 < 2 > 0");
    snippet_free(&sn);
    /* Code is not a tag: "i<n; ..." keeps its lines, the match included. */
    char *w2[] = {"total"};
    hl_spec hl2[] = {spec(HL_STEMS, 0, w2, 1)};
    sn = make("for (i = 0; i<n; i++) {\n  total += weight[i];\n  if (total > limit) break;", hl2, 1, 200);
    CHECK_STR(sn.text, "for (i = 0; i<n; i++) { total += weight[i]; if (total > limit) break;");
    snippet_free(&sn);
}

/* With many specs hl_find tests each token against the specs of its first
 * byte only: the matches must be exactly those of testing every spec,
 * in the same order (token by token, specs in order). Compared with the
 * specs run one at a time (the plain path) on text with stems, exact
 * forms, prefixes, phrases, stopwords and a title-only spec. */
static void many_specs_match_as_few(void)
{
    setup();
    const char *text = "The ferry sailed to Seoul; ferries and ferrymen sailed again, and the harbour master "
                       "said the ferry would sail to Busan. Sailing is slow; seoul ferry, SEOUL ferries, "
                       "Harbour masters sail. Über die Brücke.";
    char *w[][3] = {{"ferri", "sail"}, {"seoul"}, {"harbour", "master"}, {"ferry"}, {"sai"}, {"the"},
                    {"busan"}, {"harbour"}, {"ferri"}, {"slow"}, {"über"}, {"brück"}, {"x"}, {"s"},
                    {"seoul", "ferri"}, {"to", "seoul"}, {"master"}, {"again"}, {"zzz"}, {"is"}};
    hl_kind kinds[] = {HL_STEMS, HL_STEMS, HL_PHRASE, HL_EXACT, HL_PREFIX, HL_EXACT, HL_STEMS, HL_EXACT,
                       HL_STEMS, HL_PREFIX, HL_EXACT, HL_STEMS, HL_PREFIX, HL_PREFIX, HL_PHRASE, HL_PHRASE,
                       HL_STEMS, HL_EXACT, HL_STEMS, HL_EXACT};
    size_t nterms[] = {2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1};
    enum { N = 20 };
    hl_spec hl[N];
    for (int i = 0; i < N; i++) {
        hl[i] = spec(kinds[i], i, w[i], nterms[i]);
        hl[i].on_stems = i == 14; /* one phrase of stems */
    }
    hl[7].field = QF_TITLE; /* applies only in titles */
    qa_tokens t = {0};
    char msg[128];
    CHECK(qa_run(an, text, strlen(text), "en", 0, &t, NULL, msg, sizeof msg) == 0);
    for (int in_title = 0; in_title < 2; in_title++) {
        hl_match *all, *one, want[256];
        size_t nall, nwant = 0, none;
        CHECK(hl_find(&t, hl, N, in_title, 0, &all, &nall) == 0);
        /* The plain path, spec by spec, then ordered by token, spec. */
        int spec_of[256];
        for (int s = 0; s < N; s++) {
            CHECK(hl_find(&t, &hl[s], 1, in_title, 0, &one, &none) == 0);
            for (size_t k = 0; k < none && nwant < 256; k++) {
                size_t at = nwant++;
                while (at > 0 && want[at - 1].start > one[k].start) {
                    want[at] = want[at - 1];
                    spec_of[at] = spec_of[at - 1];
                    at--;
                }
                want[at] = one[k];
                spec_of[at] = s;
            }
            free(one);
        }
        CHECK_INT(nall, nwant);
        CHECK(nwant > 20);
        for (size_t k = 0; k < nall && k < nwant; k++)
            CHECK_MSG(all[k].start == want[k].start && all[k].end == want[k].end && all[k].group == want[k].group &&
                          all[k].phrase == want[k].phrase,
                      "match %zu: %zu-%zu group %d, expected %zu-%zu group %d (spec %d)", k, all[k].start,
                      all[k].end, all[k].group, want[k].start, want[k].end, want[k].group, spec_of[k]);
        free(all);
    }
    qa_tokens_free(&t);
}

static void title_spans(void)
{
    setup();
    char *w[] = {"seoul"};
    hl_spec hl[] = {spec(HL_STEMS, 0, w, 1)};
    hl[0].field = QF_TITLE;
    quire_span *s;
    size_t n;
    CHECK(snippet_title_spans(sp, "Why Seoul weighs shells", "en", hl, 1, 0, &s, &n) == 0);
    CHECK_INT(n, 1);
    CHECK_INT(s[0].start, 4);
    CHECK_INT(s[0].end, 9);
    free(s);
    /* A title: spec never marks the body. */
    snippet sn = make("Seoul again.", hl, 1, 200);
    CHECK_INT(sn.nspans, 0);
    snippet_free(&sn);
}

TEST_MAIN("snippet", T(picks_passage_with_most_distinct_terms), T(whole_phrase_beats_scattered_words),
          T(spans_land_on_the_words), T(stems_exact_and_prefix), T(long_document_match_near_the_end),
          T(multibyte_text_is_cut_on_characters), T(starts_at_sentence_boundary),
          T(no_match_gives_the_beginning), T(whitespace_tags_and_controls_are_cleaned), T(title_spans),
          T(many_specs_match_as_few))

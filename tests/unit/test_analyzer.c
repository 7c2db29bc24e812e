/* test_analyzer.c — the analyzer on the cases users trip over in other
 * engines (each from the foundation issue), spans, CJK and bad input. */
#include "analyzer.h"
#include "harness.h"

static qa_analyzer *an_plain, *an_fold;

static void cleanup(void)
{
    qa_free(an_plain);
    qa_free(an_fold);
}

static qa_analyzer *get(int fold)
{
    char err[256];
    qa_analyzer **a = fold ? &an_fold : &an_plain;
    if (!an_plain && !an_fold)
        atexit(cleanup);
    if (!*a)
        *a = qa_new(fold, "en", err, sizeof err);
    return *a;
}

/* Space-joined terms (stems when want_stems) of text. */
static const char *forms(const char *text, int fold, const char *lang, int want_stems)
{
    static char out[4096];
    qa_tokens t = {0};
    char err[256];
    out[0] = '\0';
    if (qa_run(get(fold), text, strlen(text), lang, 0, &t, NULL, err, sizeof err) != 0) {
        snprintf(out, sizeof out, "ERROR %s", err);
        return out;
    }
    for (size_t i = 0; i < t.n; i++) {
        if (i)
            strcat(out, " ");
        if (t.v[i].flags & QA_TOOLONG)
            strcat(out, "<toolong>");
        else
            strncat(out, want_stems ? qa_stem(&t, &t.v[i]) : qa_term(&t, &t.v[i]), 200);
    }
    qa_tokens_free(&t);
    return out;
}

static const char *terms(const char *text) { return forms(text, 0, NULL, 0); }

static void kim_jong_un_hyphen_and_space(void)
{
    CHECK_STR(terms("Kim Jong-un"), "kim jong un");
    CHECK_STR(terms("Kim Jong Un"), "kim jong un");
    CHECK_STR(terms("KIM JONG UN"), "kim jong un");
}

static void positions_are_consecutive(void)
{
    qa_tokens t = {0};
    char err[256];
    const char *s = "Kim Jong-un, met\nPutin.";
    CHECK(qa_run(get(0), s, strlen(s), NULL, 7, &t, NULL, err, sizeof err) == 0);
    CHECK_INT(t.n, 5);
    for (size_t i = 0; i < t.n; i++)
        CHECK_INT(t.v[i].pos, 7 + i);
    qa_tokens_free(&t);
}

static void un_dotted_and_plain(void)
{
    CHECK_STR(terms("U.N."), "un");
    CHECK_STR(terms("UN"), "un");
    CHECK_STR(terms("the U.N. Security Council"), "the un security council");
    CHECK_STR(terms("the UN Security Council"), "the un security council");
}

static void dotted_acronym_is_not_a_stopword(void)
{
    qa_tokens t = {0};
    char err[256];
    /* "I.T." folds to "it", a stopword, but as an acronym it is kept. */
    CHECK(qa_run(get(0), "I.T. it", 7, NULL, 0, &t, NULL, err, sizeof err) == 0);
    CHECK_INT(t.n, 2);
    CHECK(t.v[0].flags & QA_ACRONYM);
    CHECK(!(t.v[0].flags & QA_STOP));
    CHECK(t.v[1].flags & QA_STOP);
    qa_tokens_free(&t);
}

static void possessive_straight_and_curly(void)
{
    CHECK_STR(terms("Ponomarenko's"), "ponomarenko");
    CHECK_STR(terms("Ponomarenko\xE2\x80\x99s"), "ponomarenko");
    CHECK_STR(terms("Ponomarenko"), "ponomarenko");
}

static void numbers_stay_one_token(void)
{
    CHECK_STR(terms("155mm shells"), "155mm shells");
    CHECK_STR(terms("10,000 troops"), "10000 troops");
    CHECK_STR(terms("10000"), "10000");
    CHECK_STR(terms("1,500 and 3.5"), "1500 and 3.5");
    CHECK_STR(terms("K600 2s7"), "k600 2s7");
}

static void curly_and_straight_apostrophes(void)
{
    CHECK_STR(terms("didn\xE2\x80\x99t"), "didn't");
    CHECK_STR(terms("didn't"), "didn't");
}

static void case_folding(void)
{
    CHECK_STR(terms("Zelenskyy"), "zelenskyy");
    CHECK_STR(terms("ZELENSKYY"), "zelenskyy");
    CHECK_STR(terms("Stra\xC3\x9F" "e"), "strasse"); /* Straße */
    CHECK_STR(terms("STRASSE"), "strasse");
    /* ΟΔΥΣΣΕΥΣ and οδυσσευς (final sigma) both fold to οδυσσευσ */
    CHECK_STR(terms("\xCE\x9F\xCE\x94\xCE\xA5\xCE\xA3\xCE\xA3\xCE\x95\xCE\xA5\xCE\xA3"),
              "\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x85\xCF\x83");
    CHECK_STR(terms("\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x85\xCF\x82"),
              "\xCE\xBF\xCE\xB4\xCF\x85\xCF\x83\xCF\x83\xCE\xB5\xCF\x85\xCF\x83");
}

static void nfkc(void)
{
    CHECK_STR(terms("\xEF\xAC\x81nance"), "finance");                    /* ﬁnance */
    CHECK_STR(terms("\xEF\xBC\xB5\xEF\xBC\xAE"), "un");                  /* ＵＮ */
    CHECK_STR(terms("cafe\xCC\x81"), "caf\xC3\xA9"); /* e + U+0301 composes to é */
}

static void accents_fold_only_when_asked(void)
{
    CHECK_STR(forms("Z\xC3\xBCrich caf\xC3\xA9 na\xC3\xAFve S\xC3\xA3o", 1, NULL, 0), "zurich cafe naive sao");
    CHECK_STR(forms("\xC5\x81\xC3\xB3" "d\xC5\xBA \xC3\x98rsted", 1, NULL, 0), "lodz orsted"); /* Łódź Ørsted */
    CHECK_STR(terms("Z\xC3\xBCrich"), "z\xC3\xBCrich"); /* unfolded: differs from "zurich" */
    CHECK_STR(terms("Zurich"), "zurich");
    /* Thai vowel marks are letters, not accents: folding keeps them. */
    const char *thai = "\xE0\xB8\x87\xE0\xB9\x88\xE0\xB8\xB2\xE0\xB8\xA2"; /* ง่าย */
    CHECK_STR(forms(thai, 1, NULL, 0), thai);
}

static void elision(void)
{
    CHECK_STR(terms("l'arm\xC3\xA9" "e"), "arm\xC3\xA9" "e");
    CHECK_STR(terms("qu'il"), "il");
}

static void spans_point_at_the_words(void)
{
    const char *s = "\xE2\x80\x9CSeoul\xE2\x80\x9D warns Kim Jong-un\xE2\x80\x99s \xE5\x8C\x97\xE4\xBA\xAC.";
    qa_tokens t = {0};
    char err[256];
    CHECK(qa_run(get(0), s, strlen(s), NULL, 0, &t, NULL, err, sizeof err) == 0);
    const char *want[] = {"Seoul", "warns", "Kim", "Jong", "un\xE2\x80\x99s"};
    CHECK(t.n >= 6);
    for (size_t i = 0; i < 5; i++) {
        size_t len = t.v[i].end - t.v[i].start;
        CHECK_MSG(len == strlen(want[i]) && memcmp(s + t.v[i].start, want[i], len) == 0,
                  "token %zu spans '%.*s'", i, (int)len, s + t.v[i].start);
    }
    qa_tokens_free(&t);
}

static void stems_join_word_forms(void)
{
    CHECK_STR(forms("deploy deployed deploying deployment", 0, NULL, 1), "deploy deploy deploy deploy");
    CHECK_STR(forms("troops troop", 0, NULL, 1), "troop troop");
    /* German stems with the German stemmer. */
    const char *de = forms("Verhandlungen Verhandlung", 0, "de", 1);
    char first[64];
    sscanf(de, "%63s", first);
    CHECK_MSG(strstr(de + strlen(first), first) != NULL, "German forms stem apart: %s", de);
}

static void stopwords_by_language(void)
{
    CHECK(qa_is_stopword(get(0), "en", "the", 3));
    CHECK(!qa_is_stopword(get(0), "en", "korea", 5));
    CHECK(qa_is_stopword(get(0), "de", "und", 3));
    CHECK(qa_is_stopword(get(0), "fr", "les", 3));
    CHECK(qa_is_stopword(get(0), "ru", "\xD0\xB8", 2)); /* и */
    CHECK(!qa_is_stopword(get(0), "zh", "the", 3));      /* no list: nothing is */
}

static void cjk_and_thai_are_segmented(void)
{
    qa_tokens t = {0};
    char err[256];
    const char *zh = "\xE5\x8C\x97\xE4\xBA\xAC\xE5\xA4\xA7\xE5\xAD\xA6\xE7\x9A\x84\xE5\xAD\xA6\xE7\x94\x9F"; /* 北京大学的学生 */
    CHECK(qa_run(get(0), zh, strlen(zh), "zh", 0, &t, NULL, err, sizeof err) == 0);
    CHECK_MSG(t.n >= 3, "Chinese gave %zu tokens", t.n);
    for (size_t i = 0; i < t.n; i++) {
        CHECK(t.v[i].flags & QA_CJK);
        CHECK(t.v[i].start % 3 == 0 && t.v[i].end % 3 == 0); /* 3-byte characters: boundaries */
    }
    qa_tokens_reset(&t);
    const char *th = "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2"; /* ภาษาไทย */
    CHECK(qa_run(get(0), th, strlen(th), "th", 0, &t, NULL, err, sizeof err) == 0);
    CHECK_MSG(t.n == 2, "Thai gave %zu tokens", t.n);
    qa_tokens_free(&t);
}

static void invalid_utf8_never_makes_words(void)
{
    const char s[] = "ab\xFF" "cd \xC3\x28 \xC0\xAF ok \xE2\x82";
    qa_tokens t = {0};
    char err[256];
    CHECK(qa_run(get(0), s, sizeof s - 1, NULL, 0, &t, NULL, err, sizeof err) == 0);
    for (size_t i = 0; i < t.n; i++) {
        const char *w = qa_term(&t, &t.v[i]);
        for (const unsigned char *p = (const unsigned char *)w; *p; p++)
            CHECK_MSG(*p < 0x80, "token %zu '%s' carries non-ASCII bytes", i, w);
    }
    CHECK(t.n >= 3);
    qa_tokens_free(&t);
}

static void very_long_word_is_not_indexed(void)
{
    char w[400];
    memset(w, 'a', 300);
    w[300] = '\0';
    CHECK_STR(terms(w), "<toolong>");
}

static void empty_text(void)
{
    CHECK_STR(terms(""), "");
    CHECK_STR(terms(" .,;!? \xF0\x9F\x99\x82 "), ""); /* punctuation and an emoji */
}

TEST_MAIN("analyzer", T(kim_jong_un_hyphen_and_space), T(positions_are_consecutive),
          T(un_dotted_and_plain), T(dotted_acronym_is_not_a_stopword),
          T(possessive_straight_and_curly), T(numbers_stay_one_token),
          T(curly_and_straight_apostrophes), T(case_folding), T(nfkc),
          T(accents_fold_only_when_asked), T(elision), T(spans_point_at_the_words),
          T(stems_join_word_forms), T(stopwords_by_language), T(cjk_and_thai_are_segmented),
          T(invalid_utf8_never_makes_words), T(very_long_word_is_not_indexed), T(empty_text))

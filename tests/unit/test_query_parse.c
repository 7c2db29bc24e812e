/* test_query_parse.c — the query grammar: precedence, fields, phrases,
 * wildcards, dates, and every error message with the offset the caret is
 * drawn at. */
#include "harness.h"
#include "date.h"
#include "query_parse.h"
#include "quire.h"

static void dump(const qnode *n, char *out, size_t cap)
{
    static const char *kinds[] = {"w", "p", "pre", "and", "or", "grp", "not", "req", "near",
                                  "date", "id", "lang"};
    static const char *fields[] = {"", "title:", "author:", "source:"};
    size_t l = strlen(out);
    switch (n->kind) {
    case QK_WORD:
    case QK_PHRASE:
    case QK_PREFIX:
        snprintf(out + l, cap - l, "%s%s%s%s", fields[n->field], n->exact ? "=" : "",
                 n->kind == QK_PHRASE ? "\"" : "", n->text);
        l = strlen(out);
        if (n->kind == QK_PHRASE)
            snprintf(out + l, cap - l, n->slop ? "\"~%u" : "\"", n->slop);
        else if (n->kind == QK_PREFIX)
            snprintf(out + l, cap - l, "*");
        return;
    case QK_DATE:
        snprintf(out + l, cap - l, "date[%s,%s%s]", n->lo, n->hi, n->date_terms ? ",t" : "");
        return;
    case QK_ID:
    case QK_LANG:
        snprintf(out + l, cap - l, "%s=%s", kinds[n->kind], n->text);
        return;
    default:
        break;
    }
    if (n->kind == QK_NEAR)
        snprintf(out + l, cap - l, "(near/%u", n->near);
    else
        snprintf(out + l, cap - l, "(%s", kinds[n->kind]);
    for (size_t i = 0; i < n->nkids; i++) {
        strncat(out, " ", cap - strlen(out) - 1);
        dump(n->kids[i], out, cap);
    }
    strncat(out, ")", cap - strlen(out) - 1);
}

static const qparse_limits lim = {100000, 100, 1000};

static const char *tree(const char *q)
{
    static char out[2048];
    qparse_error e;
    out[0] = '\0';
    qnode *n = qparse(q, &lim, &e);
    if (!n) {
        snprintf(out, sizeof out, "ERROR@%zu %s", e.offset, e.msg);
        return out;
    }
    dump(n, out, sizeof out);
    qnode_free(n);
    return out;
}

/* The error for q: its status, offset and a part of its message. */
static int error_is(const char *q, int status, size_t offset, const char *part)
{
    qparse_error e;
    qnode *n = qparse(q, &lim, &e);
    if (n) {
        qnode_free(n);
        fprintf(stderr, "'%s' parsed without error\n", q);
        return 0;
    }
    if (e.status != status || e.offset != offset || !strstr(e.msg, part)) {
        fprintf(stderr, "'%s': status %d offset %zu msg '%s'\n", q, e.status, e.offset, e.msg);
        return 0;
    }
    return 1;
}

static void words_and_groups(void)
{
    CHECK_STR(tree("north"), "north");
    CHECK_STR(tree("north korea troops"), "(grp north korea troops)");
    CHECK_STR(tree("  spaced\tout \n"), "(grp spaced out)");
    CHECK_STR(tree("Jong-un"), "Jong-un");
    CHECK_STR(tree("and or not"), "(grp and or not)"); /* lower case: words */
}

static void precedence(void)
{
    CHECK_STR(tree("a OR b c"), "(or a (grp b c))");
    CHECK_STR(tree("a b OR c"), "(or (grp a b) c)");
    CHECK_STR(tree("a AND b OR c AND d"), "(or (and a b) (and c d))");
    CHECK_STR(tree("a b AND c"), "(and (grp a b) c)");
    CHECK_STR(tree("a OR b OR c"), "(or a b c)");
    CHECK_STR(tree("NOT a b"), "(grp (not a) b)");
    CHECK_STR(tree("a AND NOT b"), "(and a (not b))");
    CHECK_STR(tree("(a OR b) c"), "(grp (or a b) c)");
    CHECK_STR(tree("((a))"), "a");
    /* NEAR binds tighter than NOT (README, --help). */
    CHECK_STR(tree("NOT a NEAR/3 b"), "(not (near/3 a b))");
    CHECK_STR(tree("-a NEAR/3 b"), "(not (near/3 a b))");
}

static void issue_examples(void)
{
    CHECK_STR(tree("\"kim jong un\" AND (russia OR moscow) NOT shoigu"),
              "(and \"kim jong un\" (grp (or russia moscow) (not shoigu)))");
    CHECK_STR(tree("title:seoul deploy*"), "(grp title:seoul deploy*)");
}

static void plus_minus_exact(void)
{
    CHECK_STR(tree("+seoul -pyongyang =deploying"), "(grp (req seoul) (not pyongyang) =deploying)");
    CHECK_STR(tree("-russia"), "(not russia)");
    CHECK_STR(tree("NOT NOT a"), "(not (not a))");
    CHECK_STR(tree("well-known -x"), "(grp well-known (not x))");
    /* Before a phrase or a group too, as NOT. */
    CHECK_STR(tree("bank -\"interest rates\""), "(grp bank (not \"interest rates\"))");
    CHECK_STR(tree("oil -(gas OR prices)"), "(grp oil (not (or gas prices)))");
    CHECK_STR(tree("+\"kim jong un\" +(a b)"), "(grp (req \"kim jong un\") (req (grp a b)))");
    CHECK_STR(tree("-\xE2\x80\x9C" "a b\xE2\x80\x9D"), "(not \"a b\")");
    CHECK(error_is("a - (b)", QUIRE_ESYNTAX, 2, "nothing after '-'"));
    CHECK(error_is("a +", QUIRE_ESYNTAX, 2, "nothing after '+'"));
}

static void phrases(void)
{
    CHECK_STR(tree("\"kim jong un\""), "\"kim jong un\"");
    CHECK_STR(tree("\"kim un\"~2"), "\"kim un\"~2");
    CHECK_STR(tree("\xE2\x80\x9C" "curly quotes\xE2\x80\x9D"), "\"curly quotes\""); /* “curly quotes” */
    CHECK_STR(tree("title:\"a b\""), "title:\"a b\"");
}

static void near(void)
{
    CHECK_STR(tree("seoul NEAR troops"), "(near/10 seoul troops)");
    CHECK_STR(tree("seoul NEAR/5 troops"), "(near/5 seoul troops)");
    CHECK_STR(tree("a NEAR/3 b NEAR/3 c"), "(near/3 a b c)");
    CHECK_STR(tree("x a NEAR b"), "(grp x (near/10 a b))");
    CHECK_STR(tree("a NEAR b NEAR/10 c"), "(near/10 a b c)");
    /* One chain, one distance: a mixed chain says so, where it changes. */
    CHECK(error_is("market NEAR/2 share NEAR/5 price", QUIRE_ESYNTAX, 20, "one NEAR chain has one distance"));
    CHECK(error_is("a NEAR/2 b NEAR/2 c NEAR d", QUIRE_ESYNTAX, 20, "(NEAR/2 before, NEAR/10 here)"));
    CHECK_STR(tree("(a NEAR/2 b) AND (b NEAR/5 c)"), "(and (near/2 a b) (near/5 b c))");
    CHECK_STR(tree("(a NEAR/3 b) NEAR/3 c"), "(near/3 a b c)");
}

/* Inside quotes a backslash makes the next character literal. */
static void escapes(void)
{
    CHECK_STR(tree("\"a\\\"b\""), "\"a\"b\"");
    CHECK_STR(tree("id:\"a\\\"b\""), "id=a\"b");
    CHECK_STR(tree("id:\"back\\\\slash\""), "id=back\\slash");
    CHECK_STR(tree("\"x\\\xE2\x80\x9Dy\""), "\"x\xE2\x80\x9Dy\""); /* an escaped curly quote */
    CHECK_STR(tree("a\\b"), "a\\b"); /* outside quotes: an ordinary character */
    CHECK(error_is("\"open\\\"", QUIRE_ESYNTAX, 0, "quote"));
}

static const char *quoted(const char *text)
{
    static char buf[4096];
    size_t n = quire_query_quote(text, buf, sizeof buf);
    return n < sizeof buf ? buf : NULL;
}

/* quire_query_quote() gives text back unchanged, as a phrase and as an
 * id, for hostile strings and random ones made of the language's own
 * characters. */
static void quote_round_trip(void)
{
    static const char *hostile[] = {
        "a\"b", "\\", "\"", "\\\"", "ends with \\", "\xE2\x80\x9C" "curly\xE2\x80\x9D \xE2\x80\x9E",
        "(a OR b) AND NOT c", "title:x", "-x +y =z *", "NEAR/3", "\"\"\"", "a\\\"b\\", "\xE5\x8C\x97\"\xE4\xBA\xAC",
        "~2", "date:2024..", ")", "x\"~3"};
    char q[4200];
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const char *qt = quoted(hostile[i]);
        CHECK(qt);
        qparse_error e;
        qnode *n = qparse(qt, &lim, &e);
        CHECK_MSG(n && n->kind == QK_PHRASE && strcmp(n->text, hostile[i]) == 0, "%.100s -> %.200s: %.200s", hostile[i], qt,
                  n ? n->text : e.msg);
        qnode_free(n);
        snprintf(q, sizeof q, "id:%s", qt);
        n = qparse(q, &lim, &e);
        CHECK_MSG(n && n->kind == QK_ID && strcmp(n->text, hostile[i]) == 0, "%.200s: %.200s", q, n ? n->text : e.msg);
        qnode_free(n);
    }
    static const char *alphabet[] = {"\"", "\\", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E", "(", ")", " ", ":",
                                     "*", "-", "+", "~", "a", "Z", "\xC3\xA9", "\xE5\x8C\x97", "OR", "NEAR"};
    unsigned seed = 14;
    for (int round = 0; round < 2000; round++) {
        char text[256] = "";
        int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
        for (int k = 0; k < len; k++)
            strcat(text, alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof alphabet / sizeof *alphabet)]);
        const char *qt = quoted(text);
        CHECK(qt);
        snprintf(q, sizeof q, "id:%s", qt);
        qparse_error e;
        qnode *n = qparse(q, &lim, &e);
        CHECK_MSG(n && n->kind == QK_ID && strcmp(n->text, text) == 0, "[%.200s] -> %.200s: %.200s", text, q, n ? n->text : e.msg);
        qnode_free(n);
    }
    /* snprintf-like: the length needed, a truncated NUL-terminated copy. */
    char small[4];
    CHECK_INT(quire_query_quote("a\"b", small, sizeof small), 6);
    CHECK_STR(small, "\"a\\");
    CHECK_INT(quire_query_quote("", NULL, 0), 2);
    CHECK_INT(quire_query_quote(NULL, small, sizeof small), 2);
    CHECK_STR(small, "\"\"");
}

static void fields(void)
{
    CHECK_STR(tree("title:seoul"), "title:seoul");
    CHECK_STR(tree("author:park source:wire"), "(grp author:park source:wire)");
    CHECK_STR(tree("title:(seoul OR kyiv)"), "(or title:seoul title:kyiv)");
    CHECK_STR(tree("TITLE:x"), "title:x");
    CHECK_STR(tree("id:01-seoul-troops.txt"), "id=01-seoul-troops.txt");
    CHECK_STR(tree("id:\"a b.txt\""), "id=a b.txt");
    CHECK_STR(tree("lang:German"), "lang=de");
    CHECK_STR(tree("12:30 meeting"), "(grp 12:30 meeting)");
}

static void wildcards(void)
{
    CHECK_STR(tree("ukrain*"), "ukrain*");
    CHECK_STR(tree("title:deploy*"), "title:deploy*");
    CHECK_STR(tree("\xD1\x83\xD0\xBA*"), "\xD1\x83\xD0\xBA*"); /* ук*: two characters */
}

static void dates(void)
{
    CHECK_STR(tree("date:2024-10-22"), "date[20241022,20241022,t]");
    CHECK_STR(tree("date:2024-10"), "date[20241000,20241099,t]");
    CHECK_STR(tree("date:2024"), "date[20240000,20249999,t]");
    CHECK_STR(tree("date:2024-10..2024-12"), "date[20241000,20241299]");
    CHECK_STR(tree("date:..2024-06-30"), "date[,20240630]");
    CHECK_STR(tree("date:2024-06-01.."), "date[20240601,]");
    CHECK_STR(tree("year:2024"), "date[20240000,20249999,t]");
    CHECK_STR(tree("year:2020..2024"), "date[20200000,20249999]");
    CHECK_STR(tree("date:1987-03..1987-03"), "date[19870300,19870399]");
    /* A range that ends before it starts is an error at the range. */
    CHECK(error_is("date:1987-05..1987-03", QUIRE_ESYNTAX, 5, "ends before it starts"));
    CHECK(error_is("x year:2024..2020", QUIRE_ESYNTAX, 7, "ends before it starts"));
}

static void errors_with_positions(void)
{
    CHECK(error_is("\"kim jong un", QUIRE_ESYNTAX, 0, "quote"));
    CHECK(error_is("a \"b", QUIRE_ESYNTAX, 2, "quote"));
    CHECK(error_is("(a OR b", QUIRE_ESYNTAX, 0, "parenthesis"));
    CHECK(error_is("a OR b)", QUIRE_ESYNTAX, 6, "')'"));
    CHECK(error_is("a AND", QUIRE_ESYNTAX, 2, "AND needs something after"));
    CHECK(error_is("a AND )", QUIRE_ESYNTAX, 2, "AND needs something after"));
    CHECK(error_is("OR a", QUIRE_ESYNTAX, 0, "before"));
    CHECK(error_is("a OR", QUIRE_ESYNTAX, 2, "OR needs something after"));
    CHECK(error_is("a NOT", QUIRE_ESYNTAX, 2, "NOT needs a word"));
    CHECK(error_is("a -", QUIRE_ESYNTAX, 2, "nothing after '-'"));
    CHECK(error_is("colour:red", QUIRE_ESYNTAX, 0, "unknown field 'colour'"));
    CHECK(error_is("x title: y", QUIRE_ESYNTAX, 2, "needs a value"));
    CHECK(error_is("", QUIRE_ESYNTAX, 0, "empty query"));
    CHECK(error_is("   ", QUIRE_ESYNTAX, 0, "empty query"));
    CHECK(error_is("ok \xFF bad", QUIRE_ESYNTAX, 3, "invalid UTF-8"));
    CHECK(error_is("u*", QUIRE_ESYNTAX, 0, "at least 2 characters"));
    CHECK(error_is("a*b*", QUIRE_ESYNTAX, 0, "at least 2 characters"));
    CHECK(error_is("date:2024-13", QUIRE_ESYNTAX, 5, "not a date"));
    CHECK(error_is("date:yesterday", QUIRE_ESYNTAX, 5, "not a date"));
    CHECK(error_is("year:2024-10", QUIRE_ESYNTAX, 5, "not a year"));
    CHECK(error_is("lang:12", QUIRE_ESYNTAX, 5, "not a language"));
    CHECK(error_is("a NEAR/x b", QUIRE_ESYNTAX, 2, "NEAR/N"));
    CHECK(error_is("\"a b\"~", QUIRE_ESYNTAX, 5, "needs a whole number"));
    /* Every digit is the number's: too big, or followed by more, is an
     * error, not a number cut short and the rest searched as a word. */
    CHECK(error_is("\"oil prices\"~1234567", QUIRE_ESYNTAX, 12, "up to 100000"));
    CHECK(error_is("\"a b\"~3abc", QUIRE_ESYNTAX, 5, "whole number"));
    CHECK(error_is("\"a b\"~3.5", QUIRE_ESYNTAX, 5, "whole number"));
    CHECK(error_is("a NEAR/1000000 b", QUIRE_ESYNTAX, 2, "from 1 to 100000"));
    CHECK_STR(tree("\"a b\"~100000"), "\"a b\"~100000");
    CHECK(error_is("=", QUIRE_ESYNTAX, 0, "nothing after '='"));
    /* A '*' inside a word: at the '*', not a silent phrase "se oul". */
    CHECK(error_is("x se*oul", QUIRE_ESYNTAX, 4, "only at the end of a word"));
    CHECK(error_is("title:=ab*c", QUIRE_ESYNTAX, 9, "only at the end of a word"));
    CHECK_STR(tree("\"se*oul\""), "\"se*oul\"");
}

static void limits(void)
{
    /* 10,000 nested parentheses: a limit message, not a stack overflow. */
    size_t depth = 10000;
    char *q = malloc(depth * 2 + 2);
    memset(q, '(', depth);
    q[depth] = 'a';
    memset(q + depth + 1, ')', depth);
    q[depth * 2 + 1] = '\0';
    CHECK(error_is(q, QUIRE_ELIMIT, 100, "deeper than 100"));
    free(q);
    /* 100,000 terms. */
    size_t n = 100000;
    q = malloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++) {
        q[2 * i] = 'a';
        q[2 * i + 1] = ' ';
    }
    q[n * 2] = '\0';
    qparse_limits big = {1u << 30, 100, 1000};
    qparse_error e;
    CHECK(qparse(q, &big, &e) == NULL);
    CHECK_INT(e.status, QUIRE_ELIMIT);
    CHECK(strstr(e.msg, "more than 1000"));
    /* Too long. */
    CHECK(error_is(q, QUIRE_ELIMIT, 100000, "longer than 100000 bytes"));
    free(q);
    /* NOT NOT ... is bounded too. */
    char nots[4200] = "";
    for (int i = 0; i < 1000; i++)
        strcat(nots, "NOT ");
    strcat(nots, "a");
    CHECK(error_is(nots, QUIRE_ELIMIT, 400, "deeper"));
}

/* A caller asking for more nesting than the stack holds gets the cap
 * (QUIRE_MAX_DEPTH_LIMIT): the issue's 25,000 parentheses, and 1,000,000,
 * end in a message instead of a stack overflow. */
static void depth_capped(void)
{
    qparse_limits huge = {100000000, 0xFFFFFFFFu, 1000};
    size_t sizes[] = {25000, 1000000};
    for (int k = 0; k < 2; k++) {
        size_t depth = sizes[k];
        char *q = malloc(depth * 2 + 2);
        CHECK(q);
        memset(q, '(', depth);
        q[depth] = 'a';
        memset(q + depth + 1, ')', depth);
        q[depth * 2 + 1] = '\0';
        qparse_error e;
        qnode *n = qparse(q, &huge, &e);
        free(q);
        qnode_free(n);
        CHECK(n == NULL);
        CHECK_INT(e.status, QUIRE_ELIMIT);
        CHECK_INT(e.offset, QUIRE_MAX_DEPTH_LIMIT);
        CHECK(strstr(e.msg, "deeper than 1000 levels"));
    }
}

/* Dates with a time: the time must be valid too (issue 13, item 7). */
static void date_times(void)
{
    const char *good[] = {"2024-10-22", "2024-10-22T10:00:00Z", "2024-10-22T10:00:00+02:00",
                          "2024-10-22T10:00:00.123-05:30", "2024-10-22 10:00", "2024-10-22T10",
                          "2024-10-22T1000+0200", "2024-10-22T23:59:60Z", "2024-10-22t10:00z",
                          "2024-10-22T10:00:00,5+01"};
    const char *bad[] = {"2024-10-22T25:99:00Z", "2024-10-22T10:00:00+99:99", "2024-02-30",
                         "2024-10-22T24:00", "2024-10-22T10:60", "2024-10-22T10:00:61Z",
                         "2024-10-22T10:00:00 ", "2024-10-22T10:00:00GMT", "2024-10-22T",
                         "2024-10-22T1", "2024-10-22T10:0000", "2024-10-22T10:00:00+0",
                         "2024-10-22T10:00:00+02:", "2024-10-22T10:00:00.Z", "2024-10T10:00"};
    qdate d;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK_MSG(qdate_parse(good[i], 1, &d) == 10 && d.day == 22, "rejected %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_MSG(qdate_parse(bad[i], 1, &d) == 0, "accepted %s", bad[i]);
    /* Queries take dates only. */
    CHECK_INT(qdate_parse("2024-10-22T10:00:00Z", 0, &d), 0);
}

TEST_MAIN("query_parse", T(words_and_groups), T(precedence), T(issue_examples), T(plus_minus_exact),
          T(phrases), T(near), T(escapes), T(quote_round_trip), T(fields), T(wildcards), T(dates),
          T(errors_with_positions), T(limits), T(depth_capped), T(date_times))

/* query_parse.c — see query_parse.h. A hand-written lexer and recursive
 * descent parser; recursion depth is bounded by qparse_limits.max_depth
 * (itself capped at QUIRE_MAX_DEPTH_LIMIT), so hostile nesting is an error
 * message, not a stack overflow. Measured: a level of parentheses costs
 * about 400 bytes of stack (-O2; about 2 KiB under ASan), so the cap needs
 * under 0.5 MiB (2 MiB under ASan); tests run it at the cap with a stack
 * limit of 1 MiB (4 MiB under ASan). */
#include "query_parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "lang.h"
#include "quire.h"
#include "utf8.h"

typedef enum {
    T_EOF, T_WORD, T_PHRASE, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_NEAR,
    T_PLUS, T_MINUS, T_FIELD
} ttype;

typedef struct token {
    ttype type;
    size_t pos, len;   /* span in the query */
    size_t tpos, tlen; /* T_WORD/T_PHRASE/T_FIELD: the text part */
    unsigned num;      /* NEAR/N, phrase ~N (UINT_MAX: none) */
    int exact;         /* T_PHRASE: written ="..." */
} token;

typedef struct parser {
    const char *q;
    size_t len, i;
    token tok;        /* current (peeked) token */
    int have_tok;
    unsigned depth, items;
    const qparse_limits *lim;
    qparse_error *err;
    int failed;
} parser;

/* Markers read_num() returns besides a number (above any int, so not
 * enumeration constants, which C11 keeps within int). */
#define NO_NUM 0xFFFFFFFFu
#define TOO_BIG 0xFFFFFFFEu
enum { MAX_NUM = 100000, DEFAULT_NEAR = 10 };

static void fail(parser *p, int status, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(parser *p, int status, size_t pos, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    p->err->status = status;
    p->err->offset = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
}

/* ---- Lexer -------------------------------------------------------------- */

size_t qparse_quote_len(const char *s, size_t n)
{
    if (n >= 1 && s[0] == '"')
        return 1;
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0x9E))
        return 3;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Ends a word: space, parenthesis, quote. */
static int word_end(parser *p, size_t i)
{
    return i >= p->len || is_space(p->q[i]) || p->q[i] == '(' || p->q[i] == ')' ||
           qparse_quote_len(p->q + i, p->len - i);
}

/* Bytes of the character at i inside quotes: a backslash and the
 * character after it count as one (the query is valid UTF-8 by now). */
static size_t escape_len(parser *p, size_t i)
{
    if (p->q[i] != '\\' || i + 1 >= p->len)
        return 1;
    size_t adv = 1;
    utf8_decode(p->q + i + 1, p->len - i - 1, &adv);
    return 1 + (adv ? adv : 1);
}

/* The digits at *i as a number (NO_NUM if none, TOO_BIG above MAX_NUM;
 * every digit is read either way, so nothing of the number is left to
 * become a word). */
static unsigned read_num(parser *p, size_t *i)
{
    unsigned long v = 0;
    size_t start = *i;
    while (*i < p->len && isdigit((unsigned char)p->q[*i])) {
        if (v <= MAX_NUM)
            v = v * 10 + (unsigned long)(p->q[*i] - '0');
        (*i)++;
    }
    return *i == start ? NO_NUM : v > MAX_NUM ? TOO_BIG : (unsigned)v;
}

static void lex(parser *p, token *t)
{
    while (p->i < p->len && is_space(p->q[p->i]))
        p->i++;
    memset(t, 0, sizeof *t);
    t->pos = p->i;
    t->num = NO_NUM;
    if (p->i >= p->len) {
        t->type = T_EOF;
        return;
    }
    const char *s = p->q + p->i;
    size_t rest = p->len - p->i, ql;
    if (*s == '=' && rest > 1 && qparse_quote_len(s + 1, rest - 1)) {
        /* ="...": a phrase asked for as a whole field value */
        t->exact = 1;
        p->i++;
        s++;
        rest--;
    }
    if (*s == '(' || *s == ')') {
        t->type = *s == '(' ? T_LPAREN : T_RPAREN;
        t->len = 1;
        p->i++;
        return;
    }
    if ((ql = qparse_quote_len(s, rest))) {
        /* A backslash makes the next character literal (quire_query_quote). */
        size_t j = p->i + ql, close = 0;
        while (j < p->len && !(close = qparse_quote_len(p->q + j, p->len - j)))
            j += escape_len(p, j);
        if (!close) {
            fail(p, QUIRE_ESYNTAX, p->i, "unbalanced quote: this \" is never closed");
            t->type = T_EOF;
            return;
        }
        t->type = T_PHRASE;
        t->tpos = p->i + ql;
        t->tlen = j - t->tpos;
        p->i = j + close;
        if (p->i < p->len && p->q[p->i] == '~') {
            size_t k = p->i + 1;
            unsigned n = read_num(p, &k);
            if (n == NO_NUM || n == TOO_BIG || !word_end(p, k)) {
                fail(p, QUIRE_ESYNTAX, p->i, "~ after a phrase needs a whole number up to %d, e.g. \"...\"~3",
                     MAX_NUM);
                t->type = T_EOF;
                return;
            }
            t->num = n;
            p->i = k;
        }
        t->len = p->i - t->pos;
        return;
    }
    /* '+' and '-' go with what follows at once: a word, a field, a phrase
     * or a group. */
    if ((*s == '+' || *s == '-') && p->i + 1 < p->len &&
        (!word_end(p, p->i + 1) || p->q[p->i + 1] == '(' || qparse_quote_len(p->q + p->i + 1, p->len - p->i - 1))) {
        t->type = *s == '+' ? T_PLUS : T_MINUS;
        t->len = 1;
        p->i++;
        return;
    }
    if ((*s == '+' || *s == '-')) {
        fail(p, QUIRE_ESYNTAX, p->i, "nothing after '%c'", *s);
        t->type = T_EOF;
        return;
    }
    size_t j = p->i;
    while (!word_end(p, j))
        j++;
    size_t wl = j - p->i;
    /* field:value — letters, then ':' and no space */
    size_t k = 0;
    while (k < wl && isalpha((unsigned char)s[k]))
        k++;
    if (k > 0 && k < wl && s[k] == ':') {
        t->type = T_FIELD;
        t->tpos = p->i;
        t->tlen = k;
        t->len = k + 1;
        p->i += k + 1;
        if (word_end(p, p->i) && !(p->i < p->len && (p->q[p->i] == '(' || qparse_quote_len(p->q + p->i, p->len - p->i))))
            fail(p, QUIRE_ESYNTAX, t->pos, "field '%.*s:' needs a value right after the colon", (int)k, s);
        return;
    }
    t->type = T_WORD;
    t->tpos = p->i;
    t->tlen = wl;
    t->len = wl;
    p->i = j;
    if ((wl == 3 && memcmp(s, "AND", 3) == 0))
        t->type = T_AND;
    else if (wl == 2 && memcmp(s, "OR", 2) == 0)
        t->type = T_OR;
    else if (wl == 3 && memcmp(s, "NOT", 3) == 0)
        t->type = T_NOT;
    else if (wl >= 4 && memcmp(s, "NEAR", 4) == 0 && (wl == 4 || s[4] == '/')) {
        t->type = T_NEAR;
        t->num = DEFAULT_NEAR;
        if (wl > 4) {
            size_t m = p->i - wl + 5;
            unsigned n = read_num(p, &m);
            if (n == NO_NUM || n == TOO_BIG || m != p->i || n == 0) {
                fail(p, QUIRE_ESYNTAX, t->pos, "NEAR/N needs a whole number N from 1 to %d", MAX_NUM);
                t->type = T_EOF;
            }
            t->num = n;
        }
    }
}

static token *peek(parser *p)
{
    if (!p->have_tok) {
        lex(p, &p->tok);
        p->have_tok = 1;
    }
    return &p->tok;
}

static token next(parser *p)
{
    token t = *peek(p);
    p->have_tok = 0;
    return t;
}

/* ---- Tree --------------------------------------------------------------- */

void qnode_free(qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        qnode_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static qnode *node(parser *p, qkind k, size_t pos)
{
    if (p->failed)
        return NULL;
    if (++p->items > p->lim->max_items) {
        fail(p, QUIRE_ELIMIT, pos, "query has more than %u words and operators", p->lim->max_items);
        return NULL;
    }
    qnode *n = calloc(1, sizeof *n);
    if (!n) {
        fail(p, QUIRE_ENOMEM, (size_t)-1, "out of memory");
        return NULL;
    }
    n->kind = k;
    n->pos = pos;
    return n;
}

static int add_kid(parser *p, qnode *n, qnode *kid)
{
    qnode **k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
    if (!k) {
        fail(p, QUIRE_ENOMEM, (size_t)-1, "out of memory");
        qnode_free(kid);
        return -1;
    }
    n->kids = k;
    n->kids[n->nkids++] = kid;
    return 0;
}

static char *dup_span(parser *p, size_t pos, size_t len)
{
    char *s = malloc(len + 1);
    if (!s) {
        fail(p, QUIRE_ENOMEM, (size_t)-1, "out of memory");
        return NULL;
    }
    memcpy(s, p->q + pos, len);
    s[len] = '\0';
    return s;
}

/* The text of a word, or of a phrase with its escapes undone. */
static char *token_text(parser *p, const token *t)
{
    char *s = dup_span(p, t->tpos, t->tlen);
    if (!s || t->type != T_PHRASE)
        return s;
    size_t o = 0;
    for (size_t i = 0; s[i]; i++)
        s[o++] = s[i] == '\\' && s[i + 1] ? s[++i] : s[i];
    s[o] = '\0';
    return s;
}

/* Wrap a and b in a binary node of kind k, flattening same-kind chains. */
static qnode *join(parser *p, qkind k, qnode *a, qnode *b, size_t pos)
{
    if (a->kind == k) {
        if (add_kid(p, a, b) != 0) {
            qnode_free(a);
            return NULL;
        }
        return a;
    }
    qnode *n = node(p, k, pos);
    if (!n || add_kid(p, n, a) != 0) {
        qnode_free(n);
        qnode_free(a);
        qnode_free(b);
        return NULL;
    }
    if (add_kid(p, n, b) != 0) {
        qnode_free(n);
        return NULL;
    }
    return n;
}

/* ---- Grammar ------------------------------------------------------------ */

static qnode *parse_query(parser *p, qfield field);

static int starts_operand(ttype t)
{
    return t == T_WORD || t == T_PHRASE || t == T_LPAREN || t == T_NOT ||
           t == T_PLUS || t == T_MINUS || t == T_FIELD;
}

static int enter(parser *p, size_t pos)
{
    if (++p->depth > p->lim->max_depth) {
        fail(p, QUIRE_ELIMIT, pos, "query nests deeper than %u levels", p->lim->max_depth);
        return -1;
    }
    return 0;
}

/* A date or year value: single ("2024-10") or a range ("a..b", "..b", "a.."). */
static qnode *date_value(parser *p, token *fld, int year_only)
{
    token v = next(p);
    if (v.type != T_WORD) {
        fail(p, QUIRE_ESYNTAX, v.pos, "%s: needs a date such as %s", year_only ? "year" : "date",
             year_only ? "2024 or 2020..2024" : "2024-10-22 or 2024-10..2024-12");
        return NULL;
    }
    qnode *n = node(p, QK_DATE, fld->pos);
    if (!n || !(n->text = dup_span(p, v.tpos, v.tlen))) {
        qnode_free(n);
        return NULL;
    }
    char *dots = strstr(n->text, "..");
    char *parts[2] = {n->text, NULL};
    if (dots) {
        *dots = '\0';
        parts[1] = dots + 2;
    }
    for (int i = 0; i < (dots ? 2 : 1); i++) {
        const char *s = parts[i];
        size_t off = v.tpos + (size_t)(s - n->text);
        if (!*s) {
            if (!dots) {
                fail(p, QUIRE_ESYNTAX, off, "empty date");
                break;
            }
            continue; /* open end */
        }
        qdate d;
        int used = qdate_parse(s, 0, &d);
        if (!used || (year_only && d.month)) {
            fail(p, QUIRE_ESYNTAX, off, "'%s' is not a %s", s,
                 year_only ? "year (YYYY)" : "date (YYYY, YYYY-MM or YYYY-MM-DD)");
            break;
        }
        char key[9];
        qdate_key(&d, key);
        /* A lower bound starts the period it names, an upper bound ends it. */
        if (i == 0) {
            memcpy(n->lo, key, 9);
            if (!dots) {
                qdate e = d;
                if (!e.month)
                    e.month = 99;
                if (!e.day)
                    e.day = 99;
                qdate_key(&e, n->hi);
            }
        } else {
            if (!d.month)
                d.month = 99;
            if (!d.day)
                d.day = 99;
            qdate_key(&d, n->hi);
        }
    }
    if (dots) {
        *dots = '.';
        if (!*n->lo && !*n->hi && !p->failed)
            fail(p, QUIRE_ESYNTAX, v.tpos, "a date range needs at least one end");
        if (*n->lo && *n->hi && strcmp(n->lo, n->hi) > 0 && !p->failed)
            fail(p, QUIRE_ESYNTAX, v.tpos, "the date range %s ends before it starts", n->text);
    }
    n->date_terms = !dots;
    if (p->failed) {
        qnode_free(n);
        return NULL;
    }
    return n;
}

static qnode *parse_field(parser *p, token *fld, qfield outer);

static qnode *parse_primary(parser *p, qfield field)
{
    token *t = peek(p);
    if (p->failed)
        return NULL;
    switch (t->type) {
    case T_LPAREN: {
        token open = next(p);
        if (enter(p, open.pos) != 0)
            return NULL;
        qnode *n = parse_query(p, field);
        p->depth--;
        if (!n)
            return NULL;
        token close = next(p);
        if (close.type != T_RPAREN) {
            fail(p, QUIRE_ESYNTAX, open.pos, "unbalanced parenthesis: this ( is never closed");
            qnode_free(n);
            return NULL;
        }
        return n;
    }
    case T_FIELD: {
        token fld = next(p);
        return parse_field(p, &fld, field);
    }
    case T_PHRASE: {
        token ph = next(p);
        int value = ph.exact && (field == QF_AUTHOR || field == QF_SOURCE);
        qnode *n = node(p, value ? QK_VALUE : QK_PHRASE, ph.pos);
        if (!n)
            return NULL;
        n->field = field;
        n->tpos = ph.tpos;
        n->slop = ph.num == NO_NUM ? 0 : ph.num;
        if (!(n->text = token_text(p, &ph))) {
            qnode_free(n);
            return NULL;
        }
        return n;
    }
    case T_WORD: {
        token w = next(p);
        size_t s = w.tpos, l = w.tlen;
        int exact = 0;
        if (p->q[s] == '=') {
            exact = 1;
            s++;
            l--;
            if (!l) {
                fail(p, QUIRE_ESYNTAX, w.pos, "nothing after '='");
                return NULL;
            }
        }
        qkind k = QK_WORD;
        if (l > 0 && p->q[s + l - 1] == '*') {
            k = QK_PREFIX;
            l--;
            if (utf8_chars(p->q + s, l) < 2 || memchr(p->q + s, '*', l)) {
                fail(p, QUIRE_ESYNTAX, w.pos, "a wildcard needs at least 2 characters before a single trailing *");
                return NULL;
            }
        }
        /* Not a wildcard: a '*' inside a word would be split off by the
         * analyser, and "se*oul" silently searched as the phrase "se oul". */
        const char *star = k == QK_WORD ? memchr(p->q + s, '*', l) : NULL;
        if (star) {
            fail(p, QUIRE_ESYNTAX, (size_t)(star - p->q),
                 "'*' is a wildcard only at the end of a word (put the word in quotes to search for it as text)");
            return NULL;
        }
        if (exact && k == QK_WORD && (field == QF_AUTHOR || field == QF_SOURCE))
            k = QK_VALUE;
        qnode *n = node(p, k, w.pos);
        if (!n)
            return NULL;
        n->field = field;
        n->exact = exact;
        n->tpos = s;
        if (!(n->text = dup_span(p, s, l))) {
            qnode_free(n);
            return NULL;
        }
        return n;
    }
    case T_RPAREN:
        fail(p, QUIRE_ESYNTAX, t->pos, "unexpected ')' with no matching '('");
        return NULL;
    case T_EOF:
        fail(p, QUIRE_ESYNTAX, t->pos, "the query ends where a word was expected");
        return NULL;
    default:
        fail(p, QUIRE_ESYNTAX, t->pos, "'%.*s' needs a word before it", (int)t->len, p->q + t->pos);
        return NULL;
    }
}

static qnode *parse_field(parser *p, token *fld, qfield outer)
{
    (void)outer;
    const char *name = p->q + fld->tpos;
    size_t nl = fld->tlen;
#define IS(s) (nl == sizeof(s) - 1 && strncasecmp(name, s, nl) == 0)
    qfield f;
    if (IS("title"))
        f = QF_TITLE;
    else if (IS("author"))
        f = QF_AUTHOR;
    else if (IS("source"))
        f = QF_SOURCE;
    else if (IS("date") || IS("year"))
        return date_value(p, fld, IS("year"));
    else if (IS("id") || IS("lang")) {
        int is_id = IS("id");
        token v = next(p);
        if (v.type != T_WORD && v.type != T_PHRASE) {
            fail(p, QUIRE_ESYNTAX, fld->pos, "%s: takes one value", is_id ? "id" : "lang");
            return NULL;
        }
        qnode *n = node(p, is_id ? QK_ID : QK_LANG, fld->pos);
        if (!n || !(n->text = token_text(p, &v))) {
            qnode_free(n);
            return NULL;
        }
        if (!is_id) {
            char code[LANG_CODE_MAX];
            if (lang_canonical(n->text, code) != 0) {
                fail(p, QUIRE_ESYNTAX, v.tpos, "'%s' is not a language code", n->text);
                qnode_free(n);
                return NULL;
            }
            strcpy(n->text, code); /* never longer than the input */
        }
        return n;
    } else {
        fail(p, QUIRE_ESYNTAX, fld->pos,
             "unknown field '%.*s' (fields: title, author, source, id, lang, date, year)", (int)nl, name);
        return NULL;
    }
#undef IS
    if (enter(p, fld->pos) != 0)
        return NULL;
    qnode *n = parse_primary(p, f);
    p->depth--;
    return n;
}

/* a NEAR/n b NEAR/n c: one chain, all of its words within one window.
 * Distances in one chain must agree (Xapian's OP_NEAR has one window). */
static qnode *parse_near(parser *p, qfield field)
{
    qnode *a = parse_primary(p, field);
    int chain = 0;
    while (a && peek(p)->type == T_NEAR) {
        token op = next(p);
        if (!chain && a->kind == QK_NEAR && a->near == op.num)
            chain = 1; /* (a NEAR/3 b) NEAR/3 c: the same chain */
        if (chain && a->near != op.num) {
            fail(p, QUIRE_ESYNTAX, op.pos,
                 "one NEAR chain has one distance (NEAR/%u before, NEAR/%u here); for separate conditions "
                 "write (a NEAR/%u b) AND (b NEAR/%u c)", a->near, op.num, a->near, op.num);
            qnode_free(a);
            return NULL;
        }
        if (!starts_operand(peek(p)->type)) {
            fail(p, QUIRE_ESYNTAX, op.pos, "NEAR needs a word on each side");
            qnode_free(a);
            return NULL;
        }
        qnode *b = parse_primary(p, field);
        if (!b) {
            qnode_free(a);
            return NULL;
        }
        if (!chain) {
            qnode *n = node(p, QK_NEAR, op.pos);
            if (!n || add_kid(p, n, a) != 0) {
                qnode_free(n);
                qnode_free(a);
                qnode_free(b);
                return NULL;
            }
            n->near = op.num;
            a = n;
            chain = 1;
        }
        if (add_kid(p, a, b) != 0) {
            qnode_free(a);
            return NULL;
        }
    }
    return a;
}

static qnode *parse_unary(parser *p, qfield field)
{
    token *t = peek(p);
    if (t->type == T_NOT || t->type == T_MINUS || t->type == T_PLUS) {
        token op = next(p);
        if (enter(p, op.pos) != 0)
            return NULL;
        if (!starts_operand(peek(p)->type) || peek(p)->type == T_PLUS) {
            if (!p->failed)
                fail(p, QUIRE_ESYNTAX, op.pos, "%s needs a word after it",
                     op.type == T_NOT ? "NOT" : op.type == T_MINUS ? "'-'" : "'+'");
            return NULL;
        }
        qnode *kid = parse_unary(p, field);
        p->depth--;
        if (!kid)
            return NULL;
        qnode *n = node(p, op.type == T_PLUS ? QK_REQUIRE : QK_NOT, op.pos);
        if (!n || add_kid(p, n, kid) != 0) {
            qnode_free(n);
            if (!n)
                qnode_free(kid);
            return NULL;
        }
        return n;
    }
    return parse_near(p, field);
}

static qnode *parse_group(parser *p, qfield field)
{
    size_t pos = peek(p)->pos;
    qnode *first = parse_unary(p, field);
    if (!first || !starts_operand(peek(p)->type))
        return first;
    qnode *g = node(p, QK_GROUP, pos);
    if (!g || add_kid(p, g, first) != 0) {
        if (!g)
            qnode_free(first);
        qnode_free(g);
        return NULL;
    }
    while (starts_operand(peek(p)->type)) {
        qnode *k = parse_unary(p, field);
        if (!k || add_kid(p, g, k) != 0) {
            qnode_free(g);
            return NULL;
        }
    }
    return g;
}

static qnode *parse_and(parser *p, qfield field)
{
    qnode *a = parse_group(p, field);
    while (a && peek(p)->type == T_AND) {
        token op = next(p);
        if (!starts_operand(peek(p)->type)) {
            if (!p->failed)
                fail(p, QUIRE_ESYNTAX, op.pos, "AND needs something after it");
            qnode_free(a);
            return NULL;
        }
        qnode *b = parse_group(p, field);
        if (!b) {
            qnode_free(a);
            return NULL;
        }
        a = join(p, QK_AND, a, b, op.pos);
    }
    return a;
}

static qnode *parse_query(parser *p, qfield field)
{
    token *t = peek(p);
    if (t->type == T_AND || t->type == T_OR || t->type == T_NEAR) {
        fail(p, QUIRE_ESYNTAX, t->pos, "%.*s needs something before it", (int)t->len, p->q + t->pos);
        return NULL;
    }
    qnode *a = parse_and(p, field);
    while (a && peek(p)->type == T_OR) {
        token op = next(p);
        if (!starts_operand(peek(p)->type)) {
            if (!p->failed)
                fail(p, QUIRE_ESYNTAX, op.pos, "OR needs something after it");
            qnode_free(a);
            return NULL;
        }
        qnode *b = parse_and(p, field);
        if (!b) {
            qnode_free(a);
            return NULL;
        }
        a = join(p, QK_OR, a, b, op.pos);
    }
    return a;
}

qnode *qparse(const char *query, const qparse_limits *lim, qparse_error *err)
{
    memset(err, 0, sizeof *err);
    err->offset = (size_t)-1;
    parser p = {0};
    p.q = query;
    p.len = strlen(query);
    qparse_limits capped = *lim;
    if (capped.max_depth > QUIRE_MAX_DEPTH_LIMIT)
        capped.max_depth = QUIRE_MAX_DEPTH_LIMIT;
    p.lim = &capped;
    p.err = err;
    if (p.len > lim->max_bytes) {
        fail(&p, QUIRE_ELIMIT, lim->max_bytes, "query is longer than %zu bytes", lim->max_bytes);
        return NULL;
    }
    size_t valid = utf8_valid_prefix(query, p.len, 1);
    if (valid != p.len) {
        fail(&p, QUIRE_ESYNTAX, valid, "invalid UTF-8 in the query at byte %zu", valid);
        return NULL;
    }
    if (peek(&p)->type == T_EOF) {
        if (!p.failed)
            fail(&p, QUIRE_ESYNTAX, 0, "empty query");
        return NULL;
    }
    qnode *n = parse_query(&p, QF_ANY);
    if (n && peek(&p)->type != T_EOF && !p.failed) {
        token *t = peek(&p);
        fail(&p, QUIRE_ESYNTAX, t->pos, t->type == T_RPAREN ? "unexpected ')' with no matching '('"
                                                             : "unexpected '%.*s'", (int)t->len, p.q + t->pos);
    }
    if (p.failed) {
        qnode_free(n);
        return NULL;
    }
    return n;
}

/*
 * query_parse.h — quire's query language to a syntax tree.
 *
 * Grammar, loosest binding first:
 *   query   := or ( 'OR' or )*           a OR b
 *   or      := group ( 'AND' group )*     a AND b
 *   group   := unary+                     a b      (the default operator)
 *   unary   := 'NOT' unary | '-' unary | '+' unary | near
 *   near    := primary ( 'NEAR' ['/' N] primary )*
 *   primary := '(' query ')' | FIELD ':' primary | '"' phrase '"' ['~' N]
 *            | word | word'*' | '=' word | '=' '"' phrase '"'
 * In an author or source field, '=' asks for the whole value
 * (source:="Harbor Times", author:=Park): a QK_VALUE node.
 * Operators are upper-case; lower-case and/or/not are plain words. Curly
 * quotes work like straight ones. Words are raw text here; analysis (the
 * same analyzer as the index) happens when the tree is turned into a Xapian
 * query (query_build.h).
 */
#ifndef QUIRE_QUERY_PARSE_H
#define QUIRE_QUERY_PARSE_H

#include <stddef.h>

typedef enum qkind {
    QK_WORD,    /* text: one word as typed (may analyse to several tokens) */
    QK_PHRASE,  /* text: the phrase's content; slop */
    QK_PREFIX,  /* text: the word before '*' */
    QK_AND,     /* explicit AND */
    QK_OR,
    QK_GROUP,   /* juxtaposed items, joined by the default operator */
    QK_NOT,     /* kids[0] excluded ('NOT x', '-x') */
    QK_REQUIRE, /* kids[0] required ('+x') */
    QK_NEAR,    /* kids, within near words */
    QK_DATE,    /* lo/hi: "YYYYMMDD" bounds ("" when open); text: as typed */
    QK_ID,      /* text: exact document id */
    QK_LANG,    /* text: language code */
    QK_VALUE    /* text: a whole author name or source (fieldvalue.h) */
} qkind;

typedef enum qfield {
    QF_ANY = 0, /* body and title */
    QF_TITLE,
    QF_AUTHOR,
    QF_SOURCE
} qfield;

typedef struct qnode {
    qkind kind;
    qfield field;
    int exact;          /* '=word': no stemming */
    char *text;         /* owned, NUL-terminated */
    size_t tpos;        /* byte offset of text in the query (words,
                           phrases, wildcards, values) */
    unsigned slop;      /* phrase "..."~N */
    unsigned near;      /* NEAR/N distance */
    char lo[9], hi[9];  /* QK_DATE bounds */
    int date_terms;     /* QK_DATE: a single day/month/year (use terms) */
    size_t pos;         /* byte offset in the query, for messages */
    struct qnode **kids;
    size_t nkids;
} qnode;

typedef struct qparse_limits {
    size_t max_bytes;
    unsigned max_depth; /* above QUIRE_MAX_DEPTH_LIMIT counts as that */
    unsigned max_items; /* words, phrases and operators */
} qparse_limits;

typedef struct qparse_error {
    int status;     /* quire_status */
    size_t offset;  /* byte offset in the query, (size_t)-1 if none */
    char msg[256];
} qparse_error;

/* Length of a quote character of the language at s (n bytes): 1 for ",
 * 3 for a curly one (“ ” „); 0 when there is none. quire_query_quote()
 * escapes exactly these. */
size_t qparse_quote_len(const char *s, size_t n);

/* Parse query. Returns the tree (free with qnode_free) or NULL with *err
 * filled (QUIRE_ESYNTAX, QUIRE_ELIMIT or QUIRE_ENOMEM). */
qnode *qparse(const char *query, const qparse_limits *lim, qparse_error *err);
void qnode_free(qnode *n);

#endif

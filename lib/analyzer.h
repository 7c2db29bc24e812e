/*
 * analyzer.h — text to tokens, the one analyzer behind indexing, query
 * words and snippets (if they ever disagreed, phrase search and
 * highlighting would break).
 *
 * Words are found with ICU's word break iterator, which handles spaces,
 * punctuation, and dictionary segmentation of Chinese, Japanese, Thai, Lao,
 * Khmer and Burmese alike. Each word is normalised (normalize.h), flagged as
 * a stopword by its language's list, and stemmed with that language's
 * Snowball stemmer (cached). Every token keeps the byte span of the word in
 * the original text, for snippets and highlighting.
 */
#ifndef QUIRE_ANALYZER_H
#define QUIRE_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"

/* Token flags */
#define QA_STOP 0x01u    /* a stopword in the token's language */
#define QA_ACRONYM 0x02u /* was a dotted acronym (U.N.): never a stopword */
#define QA_NUMBER 0x04u  /* ICU says number */
#define QA_CJK 0x08u     /* ideographs or kana */
#define QA_TOOLONG 0x10u /* longer than QA_MAX_TERM: not indexed; forms "" */

/* Longest term indexed, in bytes (Xapian allows 245 with the prefix). */
#define QA_MAX_TERM 120

typedef struct qa_token {
    uint32_t start, end;   /* byte span of the word in the text */
    uint32_t pos;          /* word position */
    uint32_t term, stem;   /* offsets of the forms in qa_tokens.buf */
    uint16_t term_len, stem_len;
    uint16_t flags;
} qa_token;

/* A growable token list. Reuse one across calls to avoid allocations. */
typedef struct qa_tokens {
    qa_token *v;
    size_t n, cap;
    char *buf; /* NUL-terminated forms, addressed by offset */
    size_t len, bufcap;
} qa_tokens;

void qa_tokens_reset(qa_tokens *t);
void qa_tokens_free(qa_tokens *t);

static inline const char *qa_term(const qa_tokens *t, const qa_token *k)
{
    return t->buf + k->term;
}
static inline const char *qa_stem(const qa_tokens *t, const qa_token *k)
{
    return t->buf + k->stem;
}

typedef struct qa_analyzer qa_analyzer;

/* fold_accents: strip accents (café = cafe). default_lang: canonical code
 * used when a call passes NULL. NULL on failure with a message in err. */
qa_analyzer *qa_new(int fold_accents, const char *default_lang, char *err,
                    size_t errlen);
void qa_free(qa_analyzer *a);

/*
 * Append the tokens of text (len bytes of UTF-8; invalid bytes are treated
 * as U+FFFD and never form words) to out, numbering positions from
 * first_pos. lang: canonical code or NULL for the default; it picks the
 * stemmer and stopword list. Returns 0, or -1 with a message in err.
 * *next_pos (may be NULL) gets the position after the last token.
 */
int qa_run(qa_analyzer *a, const char *text, size_t len, const char *lang,
           uint32_t first_pos, qa_tokens *out, uint32_t *next_pos, char *err,
           size_t errlen);

/* Stem of an already normalised term in lang (NULL: default); the result
 * is valid until the next call on a. Terms of languages without a stemmer
 * come back unchanged. */
const char *qa_stem_term(qa_analyzer *a, const char *lang, const char *term,
                         size_t len, size_t *outlen);

/* Is the normalised term a stopword in lang (NULL: default)? */
int qa_is_stopword(qa_analyzer *a, const char *lang, const char *term,
                   size_t len);

/* Bytes held by caches, for memory accounting. */
size_t qa_cache_bytes(const qa_analyzer *a);

#endif

/*
 * normalize.h — one word segment to its index form.
 *
 * NFKC + case folding (ICU's NFKC_Casefold), optional accent folding for
 * Latin and Greek letters, and the fixes users expect from a news search
 * engine, each applied the same way to documents, query words and snippets:
 *   - curly apostrophes become straight ones (didn’t = didn't);
 *   - a trailing possessive 's goes (Ponomarenko's = Ponomarenko);
 *   - a leading French/Italian elision goes (l'armée = armée);
 *   - dotted acronyms lose their dots (U.N. = UN);
 *   - thousands separators go from numbers (10,000 = 10000).
 */
#ifndef QUIRE_NORMALIZE_H
#define QUIRE_NORMALIZE_H

#include <stddef.h>

typedef struct qn_normalizer qn_normalizer;

/* Flags set by qn_word(). */
#define QN_ACRONYM 0x1u /* was a dotted acronym */

/* NULL on failure, with a message in err. */
qn_normalizer *qn_new(int fold_accents, char *err, size_t errlen);
void qn_free(qn_normalizer *n);

/*
 * Normalise word (len bytes of UTF-8, one segment from the word breaker).
 * Returns the normal form (NUL-terminated, owned by n, valid until the next
 * call) with its length in *outlen, or NULL if nothing is left or memory ran
 * out. *flags (may be NULL) gets QN_* flags.
 */
const char *qn_word(qn_normalizer *n, const char *word, size_t len,
                    size_t *outlen, unsigned *flags);

#endif

/*
 * lang.h — language codes: one canonical spelling for every place that
 * names a language (index option, document field, query option, metadata).
 */
#ifndef QUIRE_LANG_H
#define QUIRE_LANG_H

#include <stddef.h>

enum { LANG_CODE_MAX = 16 };

/*
 * Canonicalise a language given as an ISO 639 code ("de", "pt-BR", "PT_br")
 * or a Snowball name ("german") into a lower-case primary code ("de", "pt")
 * in out. "none" means no stemming and is kept. Returns 0, or -1 when the
 * text is not a plausible language tag (then out is "").
 */
int lang_canonical(const char *in, char out[LANG_CODE_MAX]);

/* The Xapian stemmer name for a canonical code, or NULL when Xapian has no
 * stemmer for it (zh, ja, ko, th, none, ...). */
const char *lang_stemmer(const char *code);

#endif

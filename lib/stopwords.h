/*
 * stopwords.h — the built-in stopword lists (generated at build time from
 * stopwords/<lang>.txt by scripts/gen-stopwords.sh).
 */
#ifndef QUIRE_STOPWORDS_H
#define QUIRE_STOPWORDS_H

struct stopword_list {
    const char *lang;  /* canonical code, e.g. "en" */
    const char *words; /* one word per line, each ending in '\n' */
};

/* Terminated by an entry with lang == NULL. */
extern const struct stopword_list stopword_lists[];

/* The word list for lang, or NULL when there is none. */
const char *stopwords_for(const char *lang);

#endif

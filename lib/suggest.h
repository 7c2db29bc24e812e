/*
 * suggest.h — did you mean (quire_results_suggestion).
 *
 * Which words: those a match must contain (not under NOT, not wildcards,
 * numbers, stopwords, ideographs or words of one or two letters). A word
 * is wrong when the index does not have it (for an unquoted word: neither
 * the word nor its stem; synonyms count as having it), or, when the whole
 * query matches nothing, when a near spelling is at least RARE_RATIO
 * times as frequent. So a query that matches and whose words are all in
 * the index never gets a suggestion.
 *
 * Corrections come from the index's own vocabulary and frequencies, within
 * an edit distance (Damerau-Levenshtein on characters) of 1, or 2 for
 * words of SUGGEST_LONG characters or more; nearest first, then most
 * frequent. Two sources, measured in bench/ (see README.md):
 *   - the term list, read at query time (the default; costs nothing at
 *     index time and works over remote servers): the words of the field
 *     that start with the word's first letter, or with its second letter
 *     (a typo in the first letter is caught when it is an extra letter or
 *     a swap with the second, not a wrong first letter);
 *   - Xapian's spelling table, when the index keeps one (--spelling) and
 *     every database is local (Xapian 1.4's remote backend has no spelling
 *     table): trigram candidates, so any letter may be wrong.
 * The suggestion is the query as typed with the wrong words replaced (their
 * case pattern kept), so operators, quotes and fields stay; it is offered
 * only when it matches more documents than the query did.
 */
#ifndef QUIRE_SUGGEST_H
#define QUIRE_SUGGEST_H

#include <stdint.h>

#include "query_parse.h"
#include "quire.h"

struct quire_searcher;
struct search_ctx;

enum { SUGGEST_LONG = 5, RARE_RATIO = 20 };

/* The corrected query for query (parsed as tree) that matched total
 * documents, in *out (malloc'd), or *out NULL when there is none. Errors
 * of the index are returned with the message in the searcher. */
quire_status suggest_run(struct quire_searcher *s, const char *query,
                         const qnode *tree, struct search_ctx *sc,
                         uint64_t total, char **out);

#endif

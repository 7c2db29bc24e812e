/*
 * synonyms.h — synonym groups: "dprk, north korea, democratic people's
 * republic of korea" means that each entry also matches the others.
 *
 * Stored in the index twice, written together: in Xapian's synonym table
 * (each entry's key -> the group's other entries, so Xapian's own tools
 * see them) and, as given, in the metadata key META_SYNONYMS. The
 * searcher reads the metadata, because Xapian 1.4's remote backend does
 * not serve the synonym table (Database::Internal answers "no synonyms"
 * for it), while metadata it does serve; so shards and remote servers
 * expand alike. A rebuild carries the list over and analyses it again.
 *
 * Keys are analysed like query text: a one-word entry by its stem in the
 * index language ("Z" + stem, Xapian's convention for stemmed synonym
 * keys), so cars finds the group of car; a longer entry by its words
 * joined with spaces (case and accents folded as the index folds them),
 * which a quoted phrase matches.
 */
#ifndef QUIRE_SYNONYMS_H
#define QUIRE_SYNONYMS_H

#include <stddef.h>

#include "analyzer.h"
#include "xapian_shim.h"

/* Check list (the file format of quire_index_set_synonyms) and turn it
 * into a normalised text: one group a line, entries trimmed and joined by
 * ", ". Every entry must have words (an analyses them) and a group at
 * least two different entries. Returns the text (malloc'd), or NULL with
 * a message naming origin (may be NULL) and the line in err (errlen
 * bytes); *oom is set when memory ran out. */
char *syn_normalise(qa_analyzer *an, const char *list, const char *origin,
                    char *err, size_t errlen, int *oom);

/* Replace db's synonym table and metadata with the normalised text,
 * analysed with an. Returns a quire_status, with e filled. */
int syn_store(qx_db *db, qa_analyzer *an, const char *text, qx_err *e);

/* The groups as the searcher uses them. */
typedef struct syn_table syn_table;

/* A table from a normalised text (NULL when out of memory; an empty text
 * gives an empty table). */
syn_table *syn_load(qa_analyzer *an, const char *text);
void syn_free(syn_table *t);
size_t syn_groups(const syn_table *t);

/* The key of an analysed word (its stem) or phrase (its words) into out
 * (a malloc'd string): what syn_find looks up. words: the terms, n of
 * them; stem: the stem of a single word. NULL when out of memory. */
char *syn_key(const char *const *words, const size_t *lens, size_t n,
              const char *stem, size_t stem_len);

/* The entries of key's group, the key's own entry among them; *n gets
 * how many (0 and NULL when key is in no group). Entries are the texts as
 * given, to be analysed like a query word or phrase. */
const char *const *syn_find(const syn_table *t, const char *key, size_t *n);

#endif

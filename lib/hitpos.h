/*
 * hitpos.h — where a query's highlight specs (query_build.h) occur in one
 * document's body, read from the index's positional postings instead of
 * re-analysing the text. snippet.c uses it to pick which part of a long
 * body to decode and analyse.
 *
 * A plan, made once per query, turns each spec into positional terms:
 * exact words as they are; a stem into the indexed word forms that have it
 * (positions sit on words, not stems, unless the index keeps positions on
 * stems); a wildcard into its indexed expansions; a phrase into its words
 * in order. Per hit, the positions of those terms give the matches.
 * Positions only choose the window: highlights come from analysing the
 * window itself (highlight.h), so the plan may over-include forms (a stem
 * of another index language) without harm.
 */
#ifndef QUIRE_HITPOS_H
#define QUIRE_HITPOS_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "config.h"
#include "query_build.h"
#include "xapian_shim.h"

typedef struct hp_plan hp_plan;

/* Build the plan for specs hl over db (for word forms: the index's term
 * list, stemmed with an in every language of langs). NULL with e filled
 * when the database fails or memory runs out. */
hp_plan *hp_plan_new(qx_db *db, qa_analyzer *an, const qconfig *cfg,
                     const char *const *langs, size_t nlangs,
                     const hl_spec *hl, size_t nhl, qx_err *e);
void hp_plan_free(hp_plan *p);

/* Positional terms the plan looks up per hit (a cost measure). */
size_t hp_plan_terms(const hp_plan *p);

typedef struct hp_match {
    uint32_t pos;   /* first word */
    uint32_t words; /* words covered (a phrase: all of them) */
    int group;      /* hl_spec.group */
    int phrase;     /* a whole phrase of two or more words */
} hp_match;

/* Matches at positions >= from in document docid, ordered by position.
 * *out is malloc'd (NULL when there are none). Returns a quire_status.
 * A plan of many terms (a query of many words or wildcards) first reads a
 * local document's term list and looks up only the forms it has. Each
 * lookup is a round trip to a remote database, and reading a remote
 * document's term list costs more (the server looks up the frequency of
 * every term in it), so remote hits look up every form; the matches are
 * the same either way. */
int hp_collect(const hp_plan *p, qx_db *db, uint32_t docid, uint32_t from,
               hp_match **out, size_t *n, qx_err *e);

#endif

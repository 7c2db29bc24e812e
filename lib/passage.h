/*
 * passage.h — the snippet of one hit from its stored body (bodystore.h).
 *
 * A short body is inflated and analysed whole, as that costs less than
 * looking up positions. In a long one, the positions of the query's matches
 * (hitpos.h) pick the best cluster of matches in word space (the most
 * distinct query groups within a snippet's worth of words, phrases next,
 * then the number of matches, the earliest on ties: the order snippet.c
 * uses); the position map turns it into a byte region with room for the
 * sentence start before it and a full window after it; only that region's
 * blocks are inflated and analysed, and snippet.c cuts the passage from
 * it. A match anywhere in a body, however long, can be the snippet.
 */
#ifndef QUIRE_PASSAGE_H
#define QUIRE_PASSAGE_H

#include <stddef.h>

#include "bodystore.h"
#include "hitpos.h"
#include "snippet.h"

/* Bodies up to this many bytes are analysed whole (no positions needed). */
enum { PASSAGE_WHOLE_MAX = 2048 };

/* Does a hit with this body need match positions (hp_collect)? */
int passage_wants_positions(const bodystore *b);

/*
 * The snippet of body b in language lang. m/nm: the matches in the body
 * (positions from b->first_pos on), only used for long bodies. Returns 0,
 * or -1 when the stored body is damaged or memory ran out (*oom says
 * which).
 */
int passage_make(snippeter *sp, bs_zip *z, const bodystore *b,
                 const hp_match *m, size_t nm, const char *lang,
                 const hl_spec *hl, size_t nhl, int skip_stops,
                 size_t max_chars, snippet *out, int *oom);

#endif

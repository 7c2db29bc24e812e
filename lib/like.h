/*
 * like.h — more like this (quire_search_options.like_id).
 *
 * A document's most distinctive terms are Xapian's expand set (ESet) for a
 * relevance set holding only that document: the stems (Z terms, title
 * stems left out as they repeat body stems) that it has and few others
 * do, weighted by Xapian's expand weight; stopwords are left out. The
 * search is those terms OR'ed (BM25 ranks the documents sharing most of
 * them first), never the document itself, and the user's query, when
 * there is one, only filters. Works over shards and remote servers, since
 * Xapian reads the document's term list and term frequencies from
 * whichever database holds them.
 */
#ifndef QUIRE_LIKE_H
#define QUIRE_LIKE_H

#include "query_build.h"
#include "quire.h"

struct quire_searcher;

/* Turn qb, the user's query as built (qb->query NULL when there is none),
 * into the more-like-this search for document id; its terms become
 * highlight specs and its description joins qb->parsed. ENOTFOUND when
 * there is no such document, with a message in the searcher. */
quire_status like_build(struct quire_searcher *s, const char *id, qbuild *qb);

#endif

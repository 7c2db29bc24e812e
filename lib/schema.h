/*
 * schema.h — how a quire document maps onto Xapian, in one place.
 *
 * Term prefixes follow Xapian's conventions so xapian-delve and friends
 * make sense of an index. Body and title words are unprefixed with
 * positions, stems carry a Z prefix; field words and boolean filters carry
 * the prefixes below.
 */
#ifndef QUIRE_SCHEMA_H
#define QUIRE_SCHEMA_H

/* Bump when the layout changes incompatibly (at most once per release); an
 * index with another number is refused (QUIRE_EVERSION): a newer one needs
 * a newer quire, an older one a rebuild (quire-index --rebuild).
 * 1: quire 0.1 (the whole record, body included, in the document data).
 * 2: quire 0.2 (head record in SLOT_HEAD, body in SLOT_BODY as compressed
 *    blocks with a word-position map; facet and sort slots; no document
 *    data). */
#define QUIRE_SCHEMA_VERSION 2
/* The quire release that first wrote QUIRE_SCHEMA_VERSION, for messages. */
#define QUIRE_SCHEMA_RELEASE "0.2"

#define PFX_STEM "Z"       /* stem of a body/title word */
#define PFX_TITLE "S"      /* title word (positions) */
#define PFX_TITLE_STEM "ZS"
#define PFX_AUTHOR "A"     /* author word (positions) */
#define PFX_SOURCE "XS"    /* source word (positions) */
#define PFX_LANG "L"       /* boolean: language code */
#define PFX_ID "Q"         /* boolean: unique id */
#define PFX_DAY "D"        /* boolean: YYYYMMDD */
#define PFX_MONTH "M"      /* boolean: YYYYMM */
#define PFX_YEAR "Y"       /* boolean: YYYY */
/* Whole field values as boolean terms (fieldvalue.h), so a facet value is
 * a filter that matches exactly the documents it counts: the source, and
 * each author name, as its words joined by single spaces. */
#define PFX_SOURCE_VALUE "XFS:"
#define PFX_AUTHOR_VALUE "XFA:"

#define SLOT_DATE 0        /* "YYYYMMDD" (00 for an unknown month/day); absent
                              when undated, so a descending sort puts
                              undated documents last */
#define SLOT_CHECKSUM 1    /* checksum of the stored record (head + body) */
#define SLOT_BODY 2        /* the body: compressed blocks + position map
                              (bodystore.h); values are not recompressed by
                              Xapian, and only the blocks a snippet shows are
                              inflated */
#define SLOT_DATE_UP 3     /* "YYYYMMDD", or "~" when undated: an ascending
                              value sort puts undated documents last (a
                              plain value sort, so remote shards can do it) */
#define SLOT_ID 4          /* the document id: breaks score ties the same way
                              in every index layout */
#define SLOT_FACETS 5      /* what facets count, in one value so that a
                              search reads one value per match, not four:
                              "YYYYMMDD" (or ""), language, source and
                              author(s), separated by FACET_SEP (facets.h) */
#define SLOT_HEAD 6        /* the head record (docdata.h): what a hit shows.
                              A value, not the document data: Xapian
                              deflates data over 18 bytes, and inflating
                              a head record cost more than the rest of
                              reading a hit (callgrind); values are stored
                              as they are */
#define FACET_SEP '\x1f'   /* not in any field: replaced by a space */

/* Title words also count in the body space, this many times each. */
#define TITLE_WDF 2
/* Gap in positions between the title and the body, so that a phrase
 * cannot run from one into the other. */
#define TITLE_BODY_GAP 100

/* Database metadata keys */
#define META_SCHEMA "quire.schema"
#define META_LANG "quire.lang"
#define META_FOLD "quire.fold_accents"
#define META_STOPWORDS "quire.stopwords"
#define META_POSITIONS "quire.positions"
#define META_LANGS "quire.langs"     /* every document language seen (kept by
                                        writers; searchers take the languages
                                        from the L terms, which follow
                                        replacements and deletions) */
#define META_UPDATED "quire.updated" /* UTC time of the last commit */
#define META_WRITER "quire.writer"   /* quire version of the last writer */
#define META_SYNONYMS "quire.synonyms" /* the synonym groups as given, one a
                                          line (synonyms.h) */
#define META_SPELLING "quire.spelling" /* "1": the index keeps Xapian's
                                          spelling table (suggest.h) */

#endif

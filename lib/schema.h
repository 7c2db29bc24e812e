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

/* Bump when the layout changes incompatibly; an index with a higher number
 * is refused (QUIRE_EVERSION). */
#define QUIRE_SCHEMA_VERSION 1

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

#define SLOT_DATE 0        /* "YYYYMMDD" (00 for an unknown month/day) */
#define SLOT_CHECKSUM 1    /* checksum of the stored record */

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
#define META_LANGS "quire.langs"     /* every document language seen */
#define META_UPDATED "quire.updated" /* UTC time of the last commit */
#define META_WRITER "quire.writer"   /* quire version of the last writer */

#endif

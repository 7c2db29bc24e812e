/*
 * config.h — the analyzer configuration an index was built with, stored in
 * its metadata so that queries are always analysed the same way.
 */
#ifndef QUIRE_CONFIG_H
#define QUIRE_CONFIG_H

#include <stddef.h>

#include "lang.h"
#include "quire.h"
#include "xapian_shim.h"

typedef struct qconfig {
    int schema;
    char lang[LANG_CODE_MAX];
    int fold_accents;
    quire_stopwords stopwords; /* never DEFAULT once loaded */
    quire_positions positions; /* never DEFAULT once loaded */
    int spelling;              /* keeps Xapian's spelling table (suggest.h) */
} qconfig;

void qconfig_defaults(qconfig *c);

/*
 * Read the configuration of db into c. *fresh is set when db holds no
 * quire configuration and no documents (a new index; c keeps defaults).
 * ENOTINDEX when it has documents but no configuration (not made by
 * quire), EVERSION when its schema is newer than this library's. Messages
 * go to err (QERR_MAX bytes) and name path.
 */
quire_status qconfig_load(qx_db *db, const char *path, qconfig *c, int *fresh,
                          char *err);

/* EVERSION, with a message that says to rebuild, when c was loaded from
 * an index of an older schema (it can be read for its configuration, as a
 * rebuild does, but not searched or updated). */
quire_status qconfig_check_current(const qconfig *c, const char *path, char *err);

/* Write c into db's metadata (committed with the next commit). */
quire_status qconfig_store(qx_db *db, const qconfig *c, char *err);

/* "lang=en stopwords=query fold_accents=0 positions=words", followed by
 * " spelling=1" when the index keeps a spelling table. */
void qconfig_describe(const qconfig *c, char *out, size_t n);

const char *qconfig_stopwords_name(quire_stopwords s);
const char *qconfig_positions_name(quire_positions p);

#endif

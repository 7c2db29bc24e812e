/* config.c — see config.h. Values are stored as short strings so that
 * xapian-delve -M shows them readably. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema.h"

void qconfig_defaults(qconfig *c)
{
    memset(c, 0, sizeof *c);
    c->schema = QUIRE_SCHEMA_VERSION;
    strcpy(c->lang, "en");
    c->stopwords = QUIRE_STOPWORDS_QUERY;
    c->positions = QUIRE_POSITIONS_WORDS;
}

const char *qconfig_stopwords_name(quire_stopwords s)
{
    switch (s) {
    case QUIRE_STOPWORDS_NONE: return "none";
    case QUIRE_STOPWORDS_INDEX: return "index";
    default: return "query";
    }
}

const char *qconfig_positions_name(quire_positions p)
{
    return p == QUIRE_POSITIONS_STEMS ? "stems" : "words";
}

static quire_status meta(qx_db *db, const char *key, char **val, char *err)
{
    qx_err e;
    size_t len;
    if (qx_db_get_metadata(db, key, val, &len, &e) != QUIRE_OK)
        return qerr_from_shim(err, &e, "reading index metadata");
    return QUIRE_OK;
}

quire_status qconfig_load(qx_db *db, const char *path, qconfig *c, int *fresh,
                          char *err)
{
    qconfig_defaults(c);
    *fresh = 0;
    char *schema = NULL, *lang = NULL, *fold = NULL, *stop = NULL, *pos = NULL, *spell = NULL;
    quire_status st = meta(db, META_SCHEMA, &schema, err);
    if (st == QUIRE_OK && !*schema) {
        uint64_t n = 0;
        qx_err e;
        if (qx_db_doc_count(db, &n, &e) != QUIRE_OK)
            st = qerr_from_shim(err, &e, "reading index");
        else if (n == 0)
            *fresh = 1;
        else
            st = qerr_set(err, QUIRE_ENOTINDEX,
                          "%s: not a quire index (a Xapian database with %llu "
                          "documents but no quire metadata)",
                          path, (unsigned long long)n);
        free(schema);
        return st;
    }
    if (st == QUIRE_OK) {
        c->schema = atoi(schema);
        if (c->schema > QUIRE_SCHEMA_VERSION || c->schema < 1)
            st = qerr_set(err, QUIRE_EVERSION,
                          "%s: index schema version %s is not supported by "
                          "quire %s (supports up to %d); upgrade quire",
                          path, schema, QUIRE_VERSION_STRING, QUIRE_SCHEMA_VERSION);
    }
    if (st == QUIRE_OK)
        st = meta(db, META_LANG, &lang, err);
    if (st == QUIRE_OK)
        st = meta(db, META_FOLD, &fold, err);
    if (st == QUIRE_OK)
        st = meta(db, META_STOPWORDS, &stop, err);
    if (st == QUIRE_OK)
        st = meta(db, META_POSITIONS, &pos, err);
    if (st == QUIRE_OK)
        st = meta(db, META_SPELLING, &spell, err);
    if (st == QUIRE_OK) {
        if (lang_canonical(lang, c->lang) != 0)
            st = qerr_set(err, QUIRE_ECORRUPT, "%s: bad language '%s' in index metadata", path, lang);
        c->fold_accents = strcmp(fold, "1") == 0;
        c->stopwords = strcmp(stop, "none") == 0    ? QUIRE_STOPWORDS_NONE
                       : strcmp(stop, "index") == 0 ? QUIRE_STOPWORDS_INDEX
                                                    : QUIRE_STOPWORDS_QUERY;
        c->positions = strcmp(pos, "stems") == 0 ? QUIRE_POSITIONS_STEMS : QUIRE_POSITIONS_WORDS;
        c->spelling = strcmp(spell, "1") == 0;
    }
    free(schema);
    free(lang);
    free(fold);
    free(stop);
    free(pos);
    free(spell);
    return st;
}

quire_status qconfig_check_current(const qconfig *c, const char *path, char *err)
{
    if (c->schema >= QUIRE_SCHEMA_VERSION)
        return QUIRE_OK;
    return qerr_set(err, QUIRE_EVERSION,
                    "%s: index schema %d was written by an older quire (0.1); quire %s stores "
                    "documents differently (schema %d, since %s): rebuild it from its sources",
                    path, c->schema, QUIRE_VERSION_STRING, QUIRE_SCHEMA_VERSION, QUIRE_SCHEMA_RELEASE);
}

quire_status qconfig_store(qx_db *db, const qconfig *c, char *err)
{
    char schema[16];
    snprintf(schema, sizeof schema, "%d", QUIRE_SCHEMA_VERSION);
    const char *kv[][2] = {
        {META_SCHEMA, schema},
        {META_LANG, c->lang},
        {META_FOLD, c->fold_accents ? "1" : "0"},
        {META_STOPWORDS, qconfig_stopwords_name(c->stopwords)},
        {META_POSITIONS, qconfig_positions_name(c->positions)},
        {META_SPELLING, c->spelling ? "1" : ""},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        qx_err e;
        if (qx_db_set_metadata(db, kv[i][0], kv[i][1], strlen(kv[i][1]), &e) != QUIRE_OK)
            return qerr_from_shim(err, &e, "writing index metadata");
    }
    return QUIRE_OK;
}

void qconfig_describe(const qconfig *c, char *out, size_t n)
{
    snprintf(out, n, "lang=%s stopwords=%s fold_accents=%d positions=%s%s", c->lang,
             qconfig_stopwords_name(c->stopwords), c->fold_accents,
             qconfig_positions_name(c->positions), c->spelling ? " spelling=1" : "");
}

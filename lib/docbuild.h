/*
 * docbuild.h — a quire_document to a Xapian document, following schema.h.
 *
 * Pure computation with no database access, so several builders can run in
 * parallel threads while one thread writes (each builder has its own
 * analyzer). Validation of the fields happens here too, so every way into
 * the index checks the same things.
 */
#ifndef QUIRE_DOCBUILD_H
#define QUIRE_DOCBUILD_H

#include <stddef.h>

#include "config.h"
#include "quire.h"
#include "xapian_shim.h"

typedef struct docbuilder docbuilder;

/* NULL on failure with a message in err (QERR_MAX bytes). */
docbuilder *docbuild_new(const qconfig *cfg, char *err);
void docbuild_free(docbuilder *b);

typedef struct built_doc {
    qx_doc *doc;                 /* owned by the caller: qx_doc_free() */
    char id_term[QUIRE_MAX_ID_BYTES + 2]; /* "Q<id>" */
    char checksum[24];           /* of the stored record */
    char lang[LANG_CODE_MAX];    /* language used for the document */
    size_t bytes;                /* size of the stored record */
} built_doc;

/* Check doc's fields; EINVAL with a message naming the field otherwise. */
quire_status docbuild_validate(const quire_document *doc, char *err);

/* The checksum docbuild_make() would give doc (out: 24 bytes); *bytes
 * (may be NULL) gets the size of its stored record. -1 when out of
 * memory. */
int docbuild_checksum(const quire_document *doc, char *out, size_t *bytes);

/* Validate and build. On success out->doc is set. */
quire_status docbuild_make(docbuilder *b, const quire_document *doc,
                           built_doc *out, char *err);

#endif

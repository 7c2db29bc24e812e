/*
 * indexdir.h — refuse to write into a directory that is not an index.
 */
#ifndef QUIRE_INDEXDIR_H
#define QUIRE_INDEXDIR_H

#include "quire.h"

/* OK when path is missing (and may be created), an empty directory, or a
 * directory with a glass database. Otherwise ENOTFOUND (missing and
 * no_create) or ENOTINDEX, with a message in err (QERR_MAX bytes). */
quire_status indexdir_check_writable(const char *path, int no_create, char *err);

/* For a reader that found no database at path: ENOTFOUND "no such index"
 * when nothing is there, else ENOTINDEX saying what is there instead (an
 * empty directory, a directory without a Xapian database, ...). */
quire_status indexdir_not_found(const char *path, char *err);

#endif

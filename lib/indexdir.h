/*
 * indexdir.h — checks and bookkeeping on an index directory around the
 * Xapian writer: refuse to write into something that is not an index, and
 * name the process holding the write lock when another one asks.
 */
#ifndef QUIRE_INDEXDIR_H
#define QUIRE_INDEXDIR_H

#include "quire.h"

/* OK when path is missing (and may be created), an empty directory, or a
 * directory with a glass database. Otherwise ENOTFOUND (missing and
 * no_create) or ENOTINDEX, with a message in err (QERR_MAX bytes). */
quire_status indexdir_check_writable(const char *path, int no_create, char *err);

/* Record this process as the writer (best effort). */
void indexdir_note_writer(const char *path);
void indexdir_forget_writer(const char *path);

/* ELOCKED, with a message naming the recorded writer if there is one. */
quire_status indexdir_locked_error(const char *path, char *err);

#endif

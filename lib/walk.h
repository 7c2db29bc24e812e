/*
 * walk.h — recursive directory walk in a stable order.
 *
 * Names are visited in byte order (not locale order), so the same tree
 * always gives the same sequence of documents. Symlinks are followed, but a
 * directory already visited (a symlink loop, or a second link to it) is
 * reported and skipped, so a walk always ends. Directories holding a
 * Xapian database or a sharded index, and the lock and owner files quire
 * writes beside an index, are passed over without a word: an index kept
 * inside a source directory is not articles.
 */
#ifndef QUIRE_WALK_H
#define QUIRE_WALK_H

#include <stdint.h>

typedef struct walker walker;

/* NULL when out of memory. */
walker *walk_new(const char *root, int include_hidden);
void walk_free(walker *w);

/*
 * Next regular file. Returns 1 with *path (root-joined) and *rel (relative
 * to root), both valid until the next call; 0 when done; -1 for an entry
 * that had to be skipped (loop, unreadable directory, broken symlink,
 * special file), with a message naming it in err (QERR_MAX bytes); the walk
 * can go on after -1. *size gets the file size.
 */
int walk_next(walker *w, const char **path, const char **rel, uint64_t *size,
              char *err);

#endif

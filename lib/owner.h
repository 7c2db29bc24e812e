/*
 * owner.h — which working directories belong to a writer that is alive.
 *
 * The writer lock ("<name>.lock", lifecycle.h) says who writes an index,
 * but only while the file stays at its name: an operator who deletes it
 * lets a second writer take a fresh one. So a writer also holds an flock
 * on an owner file for each family of working directories it creates:
 * "<name>.v4.owner" for a version being built ("<name>.v4.building*",
 * "<name>.v4"), "<name>.new.owner" for a new index built in parallel
 * ("<name>.new.*"). Another writer refuses to start while any of them is
 * held, and clean-up never removes a family whose owner is held. Owner
 * files left by a writer that died are stale: not held, removed by
 * clean-up (".new.owner" also records how the new index was being built,
 * so that a later run can resume it: bulk.h).
 */
#ifndef QUIRE_OWNER_H
#define QUIRE_OWNER_H

#include <stddef.h>

#include "lifecycle.h"
#include "quire.h"

typedef struct owner {
    int fd;                   /* -1: none taken */
    char file[LC_PATH_MAX];
} owner;

#define OWNER_NONE { -1, "" }

/* Take "<path><family>.owner" (family ".v4", ".new"), writing a note
 * naming this process and mode, then the lines of extra (may be NULL). */
quire_status owner_take(owner *o, const char *path, const char *family,
                        const char *mode, const char *extra, char *err);

/* Remove the owner file and let it go. Fine on an owner never taken. */
void owner_release(owner *o);

/* Let it go but leave the file, with its notes, for a later run. */
void owner_leave(owner *o);

/* Is the owner file held by a live writer? note (may be NULL) gets its
 * first line. */
int owner_held(const char *file, char *note, size_t n);

/* The contents of an owner file after its first line (the extra lines
 * given to owner_take); "" if it cannot be read. */
void owner_extra(const char *file, char *out, size_t n);

/* Is name (a directory entry beside the index named base) an owner file?
 * 1 for "<base>.new.owner", 2 for "<base>.v<N>.owner" (*version = N). */
int owner_name(const char *name, const char *base, long *version);

/* With the writer lock held: ELOCKED, naming the writer, if an owner file
 * of path is held by another process (a writer still at work although
 * the lock file was removed or replaced). */
quire_status owner_check_none(const char *path, char *err);

#endif

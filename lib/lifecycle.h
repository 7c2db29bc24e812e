/*
 * lifecycle.h — an index as a series of versions behind one name.
 *
 * The name a user gives (news.idx) is either a plain directory holding a
 * Xapian database, or a symlink to a version directory beside it
 * (news.idx.v3). A rebuild or a compaction writes a new version and
 * switches the name to it with rename(2), so readers see either the old
 * database or the new one, never a mix. Around that:
 *
 *  - one writer at a time per name: an flock on "<name>.lock" beside it,
 *    held for the writer's whole life, naming its holder;
 *  - readers pin the version they opened with a shared flock on its
 *    directory, and a version is only removed when nobody holds it;
 *  - whatever an interrupted rebuild left (".building" directories, a
 *    half-made switch, an unfinished version) is cleaned by the next
 *    writer.
 */
#ifndef QUIRE_LIFECYCLE_H
#define QUIRE_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "quire.h"

enum { LC_PATH_MAX = 4096 + 256 }; /* room for suffixes on a PATH_MAX path */

/* Take the writer lock of the index named path, waiting up to wait
 * seconds; mode ("update", "rebuild", ...) is recorded for the message
 * another writer gets. ELOCKED, naming the holder, if it stays taken. */
quire_status lc_lock(const char *path, double wait, const char *mode, int *fd,
                     char *err);
void lc_unlock(int fd);

/* The note a writer leaves in its lock and owner files for the messages
 * of others: "pid N, MODE, since TIME\n". Returns its length. */
int lc_writer_note(char *buf, size_t n, const char *mode);

/* The directory holding the live database of path (path itself, or the
 * resolved target of the symlink). *exists is 0 when there is none yet
 * (then out is the directory a new index would use: path itself). */
quire_status lc_live_dir(const char *path, char *out, size_t n, int *exists,
                         char *err);

/* A fresh version directory name, "<path>.v<N>" with N above all existing
 * ones. */
quire_status lc_next_version(const char *path, char *out, size_t n, char *err);

/* Point path at the database in dir (a version directory beside it),
 * atomically. A plain directory at path becomes "<path>.v0". Writer lock
 * held. */
quire_status lc_switch(const char *path, const char *dir, char *err);

/* Remove leftovers of interrupted runs, and old versions beyond the newest
 * keep ones or marked obsolete earlier, unless a reader holds them (then
 * they are marked obsolete for a later writer). Writer lock held. Best
 * effort. */
void lc_cleanup(const char *path, unsigned keep);

/* Remove what a new index built in parallel left beside path
 * ("<path>.new.*": segments, a half-made merge, its owner file). */
void lc_remove_new(const char *path);

/* Remove a directory tree (best effort). */
void lc_remove_tree(const char *dir);

/* Bytes used by the files under path (a file counts itself). */
uint64_t lc_dir_bytes(const char *path);

/* Resolve path to its live directory and pin it against removal: *fd is
 * a shared lock (or -1 when the database cannot be pinned, e.g. a stub
 * file). dir gets the resolved directory (or path itself). */
quire_status lc_reader_pin(const char *path, char *dir, size_t n, int *fd,
                           char *err);
void lc_reader_unpin(int fd);
/* 0 when dir now names another directory than the one pinned by fd (an
 * index or shard directory renamed over: the name is the same, the
 * database is not); 1 when it is the same or it cannot tell (no pin, or
 * nothing there now: the opener reports that). */
int lc_pin_is(int fd, const char *dir);

#endif

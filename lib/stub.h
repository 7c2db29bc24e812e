/*
 * stub.h — reading a Xapian stub database file ourselves, so that a search
 * over several shards can open each one on its own: with its own timeout,
 * naming the one that fails, and leaving out the ones that do not answer
 * when a partial answer is acceptable.
 *
 * Lines (as Xapian 1.4 reads them; '#' starts a comment):
 *   auto PATH | glass PATH      a local database; PATH relative to the stub
 *   remote HOST:PORT            a database served by xapian-tcpsrv
 *   remote :HOST:PORT           the same (the spelling in quire's docs)
 * A directory holding a file XAPIANDB is a stub too (a sharded quire index).
 */
#ifndef QUIRE_STUB_H
#define QUIRE_STUB_H

#include <stddef.h>

typedef struct stub_entry {
    int remote;
    char *path;          /* local: resolved against the stub's directory */
    char *host;          /* remote */
    unsigned port;
    char label[300];     /* for messages: "PATH" or "remote HOST:PORT" */
} stub_entry;

/* If path is a stub (a regular file, or a directory with XAPIANDB), write
 * the stub file's path to file (n bytes) and return 1; else 0. */
int stub_detect(const char *path, char *file, size_t n);

/* Parse file. Returns 0 with *out and *n set (free with stub_free), or -1 with
 * a message naming file:line in err (errlen bytes). */
int stub_parse(const char *file, stub_entry **out, size_t *n, char *err, size_t errlen);
void stub_free(stub_entry *v, size_t n);

/* How deep stubs may name stubs, and how many databases they may name in
 * all. */
enum { STUB_MAX_DEPTH = 8, STUB_MAX_DATABASES = 4096 };

/*
 * Like stub_parse, but a local entry that is itself a stub (a file, or a
 * directory with XAPIANDB and no database of its own) is replaced by the
 * databases it names, recursively, so that Xapian is never handed a stub
 * (its own reader recurses without end on a stub that names itself). A
 * cycle (a stub reached again through the stubs that led to it), nesting
 * deeper than STUB_MAX_DEPTH or more than STUB_MAX_DATABASES databases is
 * an error naming the file. Every local entry left names a directory (or
 * nothing: opening it then says so).
 */
int stub_expand(const char *file, stub_entry **out, size_t *n, char *err, size_t errlen);

/* Is path (a file, or a directory with XAPIANDB) a stub, not a database
 * directory? Like stub_detect, but a directory holding a database of its
 * own is not one. file gets the stub file's path. */
int stub_is_stub(const char *path, char *file, size_t n);

/* Does directory dir hold a Xapian database of its own (glass, chert or
 * honey)? */
int stub_holds_database(const char *dir);

#endif

/*
 * quire.h — the public API of libquire, full-text search for collections of
 * articles on top of Xapian.
 *
 * Conventions (they hold for every call below unless its comment says
 * otherwise):
 *
 *  - Every fallible call returns a quire_status. QUIRE_OK (0) is success.
 *    A handle describes the most recent call made on it (SQLite's rule):
 *    quire_index_errmsg(), quire_searcher_errmsg() and
 *    quire_reader_errmsg() give that call's error message, or "" when it
 *    succeeded; quire_index_errcode(), quire_searcher_errcode() and
 *    quire_reader_errcode() give its status (QUIRE_OK after a success). The
 *    getters (*_errmsg, *_errcode, *_config, *_error_offset,
 *    quire_reader_location, quire_reader_progress,
 *    quire_reader_text_bytes) do not count as calls. The message stays
 *    valid until the next call on that handle. Messages speak of the
 *    library's own terms (options, flags), never of a program's command
 *    line. No call aborts or exits the process.
 *
 *  - Open functions follow SQLite: they set *out to a new handle even when
 *    they fail (so the caller can read its error message), unless memory ran
 *    out, in which case *out is NULL and QUIRE_ENOMEM is returned. The caller
 *    must close every handle it got, failed or not.
 *
 *  - All strings are UTF-8 and NUL-terminated. Strings the library returns
 *    (const char *) are owned by the library and stay valid until the object
 *    they came from is freed, unless a comment says otherwise. Strings the
 *    caller passes in are copied when kept; the caller keeps ownership.
 *
 *  - Options structs carry a version field, libgit2-style: initialise them
 *    with the matching *_INIT macro or *_options_init() before setting
 *    fields, so a program built against an older header keeps working with a
 *    newer library.
 *
 *  - Threads: the library has no global mutable state. One handle must be
 *    used by one thread at a time; different handles may be used from
 *    different threads at the same time (several searchers on one index
 *    while a writer commits to it is fine). quire_version(),
 *    quire_status_str() and the *_options_init() functions are safe from any
 *    thread.
 */
#ifndef QUIRE_H
#define QUIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(QUIRE_NO_VISIBILITY)
#define QUIRE_API __attribute__((visibility("default")))
#else
#define QUIRE_API
#endif

/* ---- Version ------------------------------------------------------------ */

#define QUIRE_VERSION_MAJOR 0
#define QUIRE_VERSION_MINOR 2
#define QUIRE_VERSION_PATCH 0
#define QUIRE_VERSION_STRING "0.2.0"
/* MAJOR*10000 + MINOR*100 + PATCH, for compile-time comparisons. */
#define QUIRE_VERSION_NUMBER                                                   \
    (QUIRE_VERSION_MAJOR * 10000 + QUIRE_VERSION_MINOR * 100 + QUIRE_VERSION_PATCH)

/* The version of the library actually linked, e.g. "0.1.0". Static string. */
QUIRE_API const char *quire_version(void);
/* Same as QUIRE_VERSION_NUMBER, but of the linked library. */
QUIRE_API int quire_version_number(void);

/* ---- Status codes ------------------------------------------------------- */

typedef enum quire_status {
    QUIRE_OK = 0,
    QUIRE_ERROR = 1,      /* unexpected internal error */
    QUIRE_EINVAL = 2,     /* bad argument from the caller */
    QUIRE_ENOMEM = 3,     /* out of memory */
    QUIRE_EIO = 4,        /* I/O error (read, write, disk full) */
    QUIRE_ENOTFOUND = 5,  /* no such index, document or file */
    QUIRE_EEXIST = 6,     /* exists already */
    QUIRE_ELOCKED = 7,    /* another writer holds the index */
    QUIRE_ECORRUPT = 8,   /* the index is damaged */
    QUIRE_EVERSION = 9,   /* index made by a newer quire (or Xapian) */
    QUIRE_ENOTINDEX = 10, /* the path is not a quire index */
    QUIRE_ESYNTAX = 11,   /* malformed query; see quire_searcher_error_offset() */
    QUIRE_ELIMIT = 12,    /* a configured limit was exceeded */
    QUIRE_EMODIFIED = 13, /* index changed under a reader; reopen and retry */
    QUIRE_ENETWORK = 14,  /* a remote database failed or timed out */
    QUIRE_ECONFIG = 15,   /* option conflicts with how the index was built */
    QUIRE_EINPUT = 16,    /* reader: one input item was malformed and skipped */
    QUIRE_DONE = 100      /* iteration finished; not an error */
} quire_status;

/* A short constant description of a status ("index is locked"). */
QUIRE_API const char *quire_status_str(quire_status status);

/* ---- Documents ---------------------------------------------------------- */

#define QUIRE_DOCUMENT_VERSION 1

/*
 * An article as fields. Used to add documents and returned by readers.
 * Only id is required; NULL or "" means the field is absent. date is ISO
 * 8601 (YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by a time such as
 * "T10:04:00Z", which is ignored). lang is a language code ("en", "de",
 * "pt-BR"); it overrides the index's default language for this document.
 */
typedef struct quire_document {
    unsigned int version; /* QUIRE_DOCUMENT_VERSION */
    const char *id;
    const char *title;
    const char *body;
    const char *date;
    const char *author;
    const char *source;
    const char *url;
    const char *lang;
} quire_document;

#define QUIRE_DOCUMENT_INIT { QUIRE_DOCUMENT_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/* Longest id accepted, in bytes (Xapian's term length limit less a prefix). */
#define QUIRE_MAX_ID_BYTES 240

/* ---- Writable index ----------------------------------------------------- */

typedef struct quire_index quire_index;

/* When are stopwords dropped? The default keeps every word in the index with
 * its position (so phrases such as "minister of foreign affairs" match
 * exactly) and drops stopwords only from non-phrase query words. */
typedef enum quire_stopwords {
    QUIRE_STOPWORDS_DEFAULT = 0, /* existing index: keep; new index: QUERY */
    QUIRE_STOPWORDS_QUERY = 1,   /* index all; drop from unquoted query words */
    QUIRE_STOPWORDS_NONE = 2,    /* never drop */
    QUIRE_STOPWORDS_INDEX = 3    /* not indexed at all (smaller index; phrases
                                    skip over them) */
} quire_stopwords;

/* Which postings carry positions. */
typedef enum quire_positions {
    QUIRE_POSITIONS_DEFAULT = 0, /* existing index: keep; new index: WORDS */
    QUIRE_POSITIONS_WORDS = 1,   /* exact words with positions, stems without */
    QUIRE_POSITIONS_STEMS = 2    /* stems only, with positions: one posting per
                                    word, smaller and faster to build; phrases
                                    then match on stems and =word is not
                                    available */
} quire_positions;

/* quire_index_options.flags */
#define QUIRE_INDEX_NO_CREATE 0x1u /* fail with ENOTFOUND if it does not exist */
#define QUIRE_INDEX_OVERWRITE 0x2u /* start from an empty index */
/* Build a complete new version of the index beside the live one; closing
 * the handle compacts it and switches the index to it atomically (readers
 * in flight finish on the old version). The analyzer configuration is the
 * live index's, except where options set it. Until then the live index is
 * untouched, and quire_index_abandon() throws the new version away. */
#define QUIRE_INDEX_REBUILD 0x4u
/* Before writing into an existing database, check all of it for damage
 * with Xapian's checker (which reads every block; about 0.5 s for 60 MB)
 * and refuse with QUIRE_ECORRUPT if it is damaged. Without this flag the
 * check runs only when the database's files were changed by anything but
 * a quire writer's clean finish since the last writer closed it. Opening
 * with QUIRE_INDEX_NO_CREATE | QUIRE_INDEX_VERIFY and closing again is a
 * check of the index (quire-index --check). */
#define QUIRE_INDEX_VERIFY 0x8u

#define QUIRE_INDEX_OPTIONS_VERSION 2

/* The most writer threads and shards an index is opened with. Options out
 * of range (these, unknown flags, analyzer settings that are not one of
 * their values, a negative lock_wait) are QUIRE_EINVAL naming the option,
 * before anything is made on disk. */
#define QUIRE_MAX_THREADS 64
#define QUIRE_MAX_SHARDS 256

typedef struct quire_index_options {
    unsigned int version;  /* QUIRE_INDEX_OPTIONS_VERSION */
    unsigned int flags;    /* QUIRE_INDEX_* flags */
    /* Analyzer configuration. For a new index these are stored in it; for an
     * existing one, a value that differs from the stored one is refused with
     * QUIRE_ECONFIG (rebuild to change it). Unset values keep what is stored. */
    const char *lang;      /* default language; NULL: "en" (new) / keep */
    int fold_accents;      /* -1: default (off) / keep; 0: off; 1: on */
    quire_stopwords stopwords;
    quire_positions positions;
    /* Commit automatically after this many added/deleted documents (0: 600)
     * or when the documents added since the last commit hold this many bytes
     * of text (0: 2 MiB). A crash loses at most the uncommitted batch.
     * Small batches are faster with Xapian and bound the writer's memory.
     * With threads >= 2 these apply to each shard. */
    unsigned int batch_docs;
    size_t batch_bytes;
    /* Wait up to this many seconds for another writer to finish (0: fail at
     * once with QUIRE_ELOCKED). */
    double lock_wait;
    /* After a rebuild or compaction switches versions, keep this many
     * previous versions (for rollback); older ones are removed once no
     * reader has them open. */
    unsigned int keep_previous;
    /* Writers for a new index or a rebuild: 0 or 1, one (documents become
     * visible at each commit); N >= 2, N threads each writing a shard,
     * merged when the handle is closed, which is when the new index
     * becomes visible (commits then only make the work durable). A new
     * index built this way whose writer died (or was abandoned) before the
     * merge is resumed by the next open of the same path with the same
     * layout and analyzer settings: the documents it committed are kept,
     * quire_index_add() reports a document found there with the same
     * checksum as QUIRE_UNCHANGED and does not write it again, and those
     * not added again by the time of the close are left out, so the result
     * is what one uninterrupted build gives. Updates of an existing index
     * always use one writer. */
    unsigned int threads;
    /* A new index as N >= 2 shards (0 or 1: one database): a directory
     * with one database per shard, "shard-<K>", built in parallel, and a
     * Xapian stub file XAPIANDB naming them. Documents go to the shard a
     * hash of their id picks, so later updates and deletes on the sharded
     * index (opened like any other) find them. Rebuilding a sharded index
     * in place is not supported (QUIRE_EINVAL). */
    unsigned int shards;
    /* Fields added after version 1 (quire 0.1) follow; a struct of an
     * older version is accepted, its missing fields taking defaults. */
    /* Keep Xapian's spelling table (every word and its frequency) for
     * did-you-mean suggestions: -1 default (off) / keep; 0 off; 1 on.
     * Like the analyzer settings, it is fixed when an index is made and
     * changed by a rebuild. Without it suggestions come from the term list
     * at query time, which costs nothing at index time (see
     * quire_results_suggestion()). */
    int spelling;
} quire_index_options;

#define QUIRE_INDEX_OPTIONS_INIT                                               \
    { QUIRE_INDEX_OPTIONS_VERSION, 0, NULL, -1, QUIRE_STOPWORDS_DEFAULT,      \
      QUIRE_POSITIONS_DEFAULT, 0, 0, 0.0, 0, 0, 0, -1 }

/* Fill *opts with defaults. EINVAL if version is not one this library knows. */
QUIRE_API quire_status quire_index_options_init(quire_index_options *opts,
                                                unsigned int version);

/*
 * Open the index at path for writing, creating it unless
 * QUIRE_INDEX_NO_CREATE is set. opts may be NULL for defaults. Only one
 * writer may have an index open (a lock file "<path>.lock" beside it);
 * others get QUIRE_ELOCKED, naming the holder, after waiting
 * opts->lock_wait seconds. Readers are never blocked. Opening also cleans
 * up what an interrupted rebuild or compaction left behind.
 * *out is set as described at the top of this file; close it with
 * quire_index_close() or quire_index_abandon() in every case.
 */
QUIRE_API quire_status quire_index_open(const char *path,
                                        const quire_index_options *opts,
                                        quire_index **out);

/* What quire_index_add() did. */
typedef enum quire_add_outcome {
    QUIRE_ADDED = 0,     /* the id was new */
    QUIRE_REPLACED = 1,  /* a document with this id was replaced */
    QUIRE_UNCHANGED = 2  /* a document with this id and identical fields
                            exists; nothing was written */
} quire_add_outcome;

/*
 * Add doc, or replace the document with the same id. doc is copied; the
 * caller keeps it. outcome may be NULL. Fields must be valid UTF-8 (EINVAL
 * otherwise, naming the field and byte offset); a date that is not ISO 8601
 * is EINVAL too. May commit (see batch_docs / batch_bytes).
 */
QUIRE_API quire_status quire_index_add(quire_index *idx,
                                       const quire_document *doc,
                                       quire_add_outcome *outcome);

/* Delete the document with this id. QUIRE_ENOTFOUND if there is none. */
QUIRE_API quire_status quire_index_delete(quire_index *idx, const char *id);

/* Make every change so far durable and visible to readers. (For a
 * QUIRE_INDEX_REBUILD handle: durable in the new version, which readers
 * see once the handle is closed.) */
QUIRE_API quire_status quire_index_commit(quire_index *idx);

/* Start remembering which ids are added, replaced or found unchanged, for
 * quire_index_sync_prune(). */
QUIRE_API quire_status quire_index_sync_begin(quire_index *idx);

/* Delete every document whose id was not seen since
 * quire_index_sync_begin(), so the index holds exactly what this run
 * read. *deleted (may be NULL) gets how many. EINVAL without sync_begin. */
QUIRE_API quire_status quire_index_sync_prune(quire_index *idx,
                                              uint64_t *deleted);

/* Commit, then compact the index into a new version and switch to it
 * atomically, as a rebuild does; the handle stays open on the new version.
 * Not for QUIRE_INDEX_REBUILD handles (closing one compacts anyway). */
QUIRE_API quire_status quire_index_compact(quire_index *idx);

/* Commit, then write the whole index, all shards of a sharded one merged,
 * as one new compacted index at out (which must not exist). The handle is
 * unchanged. Searching out gives the same hits and scores. */
QUIRE_API quire_status quire_index_merge(quire_index *idx, const char *out);

/*
 * Replace the index's synonym list (all shards of a sharded one) with
 * list: one group per line, entries separated by commas, an entry a word
 * or a phrase ("dprk, north korea, democratic people's republic of
 * korea"); blank lines and lines starting with '#' are skipped. Entries
 * are analysed like query text. An empty list removes every group (a NULL
 * one is EINVAL). The
 * list is kept in Xapian's synonym table and, as given, in the index
 * metadata, and survives rebuilds. A bad line is EINVAL with a message
 * naming origin (e.g. the file name; may be NULL) and the line; nothing is
 * changed then. Written with the next commit.
 */
QUIRE_API quire_status quire_index_set_synonyms(quire_index *idx,
                                                const char *list,
                                                const char *origin);

/* Number of documents, counting uncommitted changes. */
QUIRE_API quire_status quire_index_doc_count(quire_index *idx, uint64_t *count);

/* The index's analyzer configuration as stored in it, e.g. "lang=en
 * stopwords=query fold_accents=0 positions=words". Valid until the next call
 * on idx. */
QUIRE_API const char *quire_index_config(quire_index *idx);

/* Message of the most recent call on idx if it failed, else "". idx may
 * be NULL (""). */
QUIRE_API const char *quire_index_errmsg(const quire_index *idx);
/* Status of the most recent call on idx (QUIRE_OK for NULL). */
QUIRE_API quire_status quire_index_errcode(const quire_index *idx);

/*
 * Do the work of closing and keep the handle, so that a failure can be
 * read with quire_index_errmsg(): commit pending changes; for a rebuild,
 * compact the new version and switch the index to it; for a new index
 * built by several threads, merge their shards and move the result into
 * place. Then only quire_index_close() (or quire_index_abandon(), which is
 * then the same) is left to call; it releases the write lock and returns
 * the status of this call again. Not repeatable: a failed finish leaves
 * the live index as it was and the work is lost.
 */
QUIRE_API quire_status quire_index_finish(quire_index *idx);

/*
 * quire_index_finish() unless it was called, then release the write lock
 * and free idx. Returns the status of the finishing work; idx is freed
 * whatever it returns, so call quire_index_finish() first to read the
 * message of a failure. NULL is a no-op.
 */
QUIRE_API quire_status quire_index_close(quire_index *idx);

/*
 * Drop changes since the last commit (for a rebuild: the whole new
 * version; the live index stays as it was), release the write lock and
 * free idx. A new index built in parallel (threads or shards >= 2) is the
 * exception: its writer threads finish writing every document they were
 * given, committed or not, and keep it beside the index ("<path>.new.*"),
 * and the next quire_index_open() of the same path with the same settings
 * resumes from it (see threads: a document found there is QUIRE_UNCHANGED
 * when added again). After quire_index_finish() it is the same as
 * quire_index_close(). NULL is a no-op.
 */
QUIRE_API void quire_index_abandon(quire_index *idx);

/* ---- Readers: articles from files, directories, JSON lines -------------- */

typedef struct quire_reader quire_reader;

typedef enum quire_format {
    QUIRE_FORMAT_AUTO = 0,  /* by extension, then by content */
    QUIRE_FORMAT_TEXT = 1,  /* one article per file */
    QUIRE_FORMAT_JSONL = 2  /* one article per line */
} quire_format;

/* Called for input that was repaired but kept (e.g. invalid UTF-8 replaced
 * by U+FFFD). where is "FILE" or "FILE:LINE". Both strings are only valid
 * during the call. */
typedef void (*quire_warning_fn)(void *ctx, const char *where,
                                 const char *message);

#define QUIRE_READER_OPTIONS_VERSION 1

typedef struct quire_reader_options {
    unsigned int version;     /* QUIRE_READER_OPTIONS_VERSION */
    quire_format format;
    /* Largest document accepted, in bytes (0: 16 MiB). A longer text file is
     * cut at this size (with a warning); a longer JSON line is skipped. This
     * bounds the reader's memory. */
    size_t max_doc_bytes;
    int include_hidden;       /* walk into names starting with '.' */
    quire_warning_fn on_warning;
    void *warning_ctx;
} quire_reader_options;

#define QUIRE_READER_OPTIONS_INIT                                              \
    { QUIRE_READER_OPTIONS_VERSION, QUIRE_FORMAT_AUTO, 0, 0, NULL, NULL }

QUIRE_API quire_status quire_reader_options_init(quire_reader_options *opts,
                                                 unsigned int version);

/*
 * A reader over n sources: files, directories (walked recursively in byte
 * order of names, symlink loops detected) or "-" for standard input. Text
 * files give one document each, id = path relative to the directory given,
 * or the path as given for a file. JSON lines give one document per line,
 * id = the "id" field or "FILE:LINE". gzip'd input is recognised by its
 * content. The sources array and strings are copied.
 */
QUIRE_API quire_status quire_reader_open(const char *const *sources, size_t n,
                                         const quire_reader_options *opts,
                                         quire_reader **out);

/*
 * Next document. QUIRE_OK: *doc is valid until the next call on r.
 * QUIRE_DONE: no more. QUIRE_EINPUT: one item (file or line) was skipped,
 * or the rest of a file was not read (damaged gzip data, or bytes after its
 * end that are not gzip data: reported after the documents before them);
 * quire_reader_errmsg() says which and why; call again to go on. Any other
 * status is fatal for the reader.
 */
QUIRE_API quire_status quire_reader_next(quire_reader *r,
                                         const quire_document **doc);

/* "FILE" or "FILE:LINE" of the document last returned; valid until the
 * next call on r. */
QUIRE_API const char *quire_reader_location(const quire_reader *r);

/* Bytes of input consumed so far, and the total when known (0 if not, e.g.
 * standard input), for a share done or an ETA. For gzip'd files these are
 * compressed bytes, as the file sizes are. */
QUIRE_API void quire_reader_progress(const quire_reader *r, uint64_t *done,
                                     uint64_t *total);

/* Bytes of text read so far: after decompression, so the size of the
 * articles themselves. */
QUIRE_API uint64_t quire_reader_text_bytes(const quire_reader *r);

/* As quire_index_errmsg() / quire_index_errcode(). QUIRE_DONE counts as a
 * success; QUIRE_EINPUT is a failure whose message names the item. */
QUIRE_API const char *quire_reader_errmsg(const quire_reader *r);
QUIRE_API quire_status quire_reader_errcode(const quire_reader *r);
QUIRE_API void quire_reader_close(quire_reader *r);

/* ---- Searching ---------------------------------------------------------- */

typedef struct quire_searcher quire_searcher;
typedef struct quire_results quire_results;

#define QUIRE_SEARCHER_OPTIONS_VERSION 1

/* The deepest query nesting a searcher may be asked to accept. */
#define QUIRE_MAX_DEPTH_LIMIT 1000

typedef struct quire_searcher_options {
    unsigned int version;     /* QUIRE_SEARCHER_OPTIONS_VERSION */
    /* Remote shards: seconds before a silent server counts as failed
     * (0: 10 s). */
    double timeout;
    /* With several databases: answer from the ones that work and list the
     * others in quire_results_warning() instead of failing. */
    int partial;
    /* Limits for hostile queries (0: defaults 100000 bytes, 100 levels of
     * nesting, 1000 terms per wildcard). max_depth may be at most
     * QUIRE_MAX_DEPTH_LIMIT (EINVAL above it): the parser recurses once
     * per level, and that many levels take under 0.5 MiB of stack. */
    size_t max_query_bytes;
    unsigned int max_depth;
    unsigned int max_wildcard_terms;
} quire_searcher_options;

#define QUIRE_SEARCHER_OPTIONS_INIT                                            \
    { QUIRE_SEARCHER_OPTIONS_VERSION, 0.0, 0, 0, 0, 0 }

QUIRE_API quire_status quire_searcher_options_init(quire_searcher_options *opts,
                                                   unsigned int version);

/*
 * Open for searching: a quire index directory, a sharded quire index, or a
 * Xapian stub file listing several databases ("auto PATH", relative to the
 * stub, or "remote HOST:PORT" / "remote :HOST:PORT" lines for
 * xapian-tcpsrv). Each database of a stub is opened on its own, remote ones
 * with opts->timeout; one that fails is an error naming it unless
 * opts->partial. The query analyzer is configured from the index's
 * metadata. opts may be NULL. See the top of the file about *out.
 *
 * A database of a stub that fails (at opening, or during a search) is
 * retried, connected afresh, by quire_searcher_reopen() and by every
 * later search, so a long-running searcher recovers when a server comes
 * back. While one is down, searches fail with QUIRE_ENETWORK naming it,
 * or with opts->partial answer from the others and say so in
 * quire_results_warning() and quire_results_partial(). A server that
 * refuses the connection costs nothing noticeable and is retried every
 * time; one whose attempt failed slowly (0.25 s or more, e.g. it said
 * nothing until opts->timeout) is left alone for a pause first, 1 s after
 * the first slow failure, doubling up to 30 s, so that it does not cost
 * every search the timeout.
 */
QUIRE_API quire_status quire_searcher_open(const char *path,
                                           const quire_searcher_options *opts,
                                           quire_searcher **out);

/* Move to the latest committed version of the index(es), and reconnect
 * the databases of a stub that failed (see quire_searcher_open). An index
 * or sharded index renamed over the one open (the same path, another
 * directory, also one database where shards were or the reverse), or a
 * stub file that changed, is opened afresh; if that fails, the error is
 * returned and s keeps answering from what it has open. */
QUIRE_API quire_status quire_searcher_reopen(quire_searcher *s);

/* Number of documents searchable. */
QUIRE_API quire_status quire_searcher_doc_count(quire_searcher *s,
                                                uint64_t *count);

/* The analyzer configuration read from the index (see quire_index_config). */
QUIRE_API const char *quire_searcher_config(const quire_searcher *s);

#define QUIRE_STATS_VERSION 2

/* Facts about an open index; strings belong to the searcher and stay valid
 * until its next call. */
typedef struct quire_stats {
    unsigned int version;    /* QUIRE_STATS_VERSION, set by the caller */
    uint64_t documents;
    uint64_t terms;          /* distinct terms */
    uint64_t total_length;   /* sum of document lengths */
    uint64_t disk_bytes;     /* size of the database files (of a stub or
                                sharded index: its local databases'; 0
                                for remote ones) */
    unsigned int databases;  /* 1, or the number of shards/stub entries */
    const char *location;    /* the directory actually read (of a stub or
                                sharded index: its path as given) */
    const char *config;      /* as quire_searcher_config() */
    const char *languages;   /* document languages, comma-separated */
    const char *updated;     /* UTC time of the last commit, or "" */
    const char *writer;      /* quire version of the last writer, or "" */
    /* Version 2 (quire 0.2): */
    unsigned int synonym_groups; /* groups in the synonym list */
} quire_stats;

#define QUIRE_STATS_INIT { QUIRE_STATS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 }

/* Initialise *out for quire_searcher_stats(). EINVAL for an unknown
 * version. */
QUIRE_API quire_status quire_stats_init(quire_stats *out, unsigned int version);

/* Fill *out (initialised with QUIRE_STATS_INIT or quire_stats_init()).
 * Counting terms reads the whole term list, so this is not free on a big
 * index. */
QUIRE_API quire_status quire_searcher_stats(quire_searcher *s,
                                            quire_stats *out);

/* As quire_index_errmsg() / quire_index_errcode(). */
QUIRE_API const char *quire_searcher_errmsg(const quire_searcher *s);
QUIRE_API quire_status quire_searcher_errcode(const quire_searcher *s);

/* For QUIRE_ESYNTAX and QUIRE_ELIMIT on a query: byte offset in the query
 * text where the problem is; (size_t)-1 when there is no position. */
QUIRE_API size_t quire_searcher_error_offset(const quire_searcher *s);

QUIRE_API void quire_searcher_close(quire_searcher *s);

/* Hits with equal keys are ordered by the next key: the date sorts by
 * score next, and equal scores by document id (byte order), so an order
 * is the same for every layout of an index (one database, shards, remote
 * shards). */
typedef enum quire_sort {
    QUIRE_SORT_RELEVANCE = 0, /* BM25 score, best first */
    QUIRE_SORT_DATE = 1,      /* oldest first; undated last */
    QUIRE_SORT_DATE_DESC = 2  /* newest first; undated last */
} quire_sort;

typedef enum quire_default_op {
    QUIRE_OP_AND = 0, /* all words must match */
    QUIRE_OP_OR = 1   /* any word may match; more matches rank higher */
} quire_default_op;

/* How relevance is scored (quire-query(1), RANKING). */
typedef enum quire_rank {
    QUIRE_RANK_DEFAULT = 0,   /* the library's default: PROXIMITY */
    QUIRE_RANK_BM25 = 1,      /* BM25 on single words only (quire 0.1) */
    QUIRE_RANK_PROXIMITY = 2  /* BM25 plus evidence from adjacent query
                                 words found close together */
} quire_rank;

/* 1: quire 0.1 (up to lang); 2: quire 0.2 (rank ... time_limit). */
#define QUIRE_SEARCH_OPTIONS_VERSION 2

typedef struct quire_search_options {
    unsigned int version;       /* QUIRE_SEARCH_OPTIONS_VERSION */
    unsigned int offset;        /* hits to skip */
    unsigned int limit;         /* hits to return (0: none, only the total) */
    quire_default_op default_op;
    quire_sort sort;
    /* Snippet length in characters (0: 200). */
    unsigned int snippet_length;
    int no_snippets;            /* skip snippets (faster) */
    /* If both are set, hits also get snippet_marked/title_marked: the text
     * with these strings around each highlighted span (not escaped). */
    const char *highlight_start;
    const char *highlight_end;
    /* Count matches exactly up to this many (UINT_MAX: always exact);
     * beyond it the total may be Xapian's estimate (quire_results_total()
     * says which). 0: exact when at most offset+limit+100 match (a second
     * pass that only counts, and stops after that many, finds out), else
     * the estimate, so a query on common words does not pay for counting
     * them all. The same on one database, shards and remote servers. */
    unsigned int exact_count_up_to;
    /* Stem query words in this language only (NULL: in every language the
     * index has documents in). */
    const char *lang;
    /* Fields added after version 1 (quire 0.1) follow; a struct of an
     * older version is accepted, its missing fields taking defaults. */
    /* Version 2 (quire 0.2): */
    quire_rank rank;            /* relevance scoring (sort by relevance) */
    /* Count field values over every matching document, for the fields
     * named here, comma-separated: source, author, year, month, lang (NULL
     * or "": none). See quire_results_facet(). The total is then exact. */
    const char *facets;
    unsigned int facet_limit;   /* values listed per field (0: 10) */
    /* More like this: rank documents by how many of this document's most
     * distinctive terms they share (the document itself never comes
     * back). The query (NULL or "" for none) then only filters. ENOTFOUND
     * when there is no document with this id. */
    const char *like_id;
    /* Do not look for a did-you-mean suggestion (quire_results_suggestion). */
    int no_suggestion;
    /* Seconds the search may spend counting matches beyond the page (0:
     * no limit). The hits are still the best ones; when time runs out, a
     * total that would have been exact (exact_count_up_to set, or few
     * matches) is Xapian's estimate and quire_results_partial() has
     * QUIRE_PARTIAL_TIME. Xapian 1.4 cannot stop the ranking itself, so this
     * bounds the count, not the whole search. */
    double time_limit;
} quire_search_options;

#define QUIRE_SEARCH_OPTIONS_INIT                                              \
    { QUIRE_SEARCH_OPTIONS_VERSION, 0, 10, QUIRE_OP_AND, QUIRE_SORT_RELEVANCE, \
      0, 0, NULL, NULL, 0, NULL, QUIRE_RANK_DEFAULT, NULL, 0, NULL, 0, 0.0 }

QUIRE_API quire_status quire_search_options_init(quire_search_options *opts,
                                                 unsigned int version);

/* A highlighted range: bytes [start, end) of the text it belongs to. */
typedef struct quire_span {
    size_t start;
    size_t end;
} quire_span;

/*
 * One hit. Owned by its quire_results; every pointer in it is valid until
 * quire_results_free(). Absent fields are "" (never NULL), except the
 * *_marked strings, which are NULL unless highlight markers were given.
 * New fields are only ever appended, so the struct may grow.
 */
typedef struct quire_hit {
    unsigned int rank;       /* 1-based, counting the offset */
    double score;            /* relevance: BM25 weight, plus proximity
                                evidence by default (0 for pure boolean
                                queries), rounded to 12 significant digits
                                (see quire(3): equal in every index layout) */
    const char *id;
    const char *title;
    const char *date;        /* as given at indexing, e.g. "2024-10-22" */
    const char *author;
    const char *source;
    const char *url;
    const char *lang;
    const char *snippet;     /* best passage, "…" where cut */
    const quire_span *snippet_spans;
    size_t snippet_span_count;
    const quire_span *title_spans;
    size_t title_span_count;
    const char *snippet_marked;
    const char *title_marked;
} quire_hit;

/*
 * Run query (see quire-query(1) for the language) and return a page of
 * hits in *out, to be freed with quire_results_free(). opts may be NULL. On
 * failure *out is NULL. A query that meets a concurrent modification is
 * retried after reopening. Options out of range (sort, default_op, a lang
 * that is neither a language of the index nor one quire can stem) are
 * QUIRE_EINVAL.
 */
QUIRE_API quire_status quire_search(quire_searcher *s, const char *query,
                                    const quire_search_options *opts,
                                    quire_results **out);

/* Hits in this page. */
QUIRE_API size_t quire_results_count(const quire_results *r);
/* Hit i (0-based) of this page, or NULL if out of range. */
QUIRE_API const quire_hit *quire_results_hit(const quire_results *r, size_t i);
/* Matching documents in all. *exact (may be NULL) is 1 when this is an exact
 * count and 0 when it is Xapian's estimate. */
QUIRE_API uint64_t quire_results_total(const quire_results *r, int *exact);
/* The query as parsed, as an S-expression such as
 * (and (word "korea") (phrase "kim" "jong" "un")). */
QUIRE_API const char *quire_results_parsed(const quire_results *r);
/* The Xapian query it became (Xapian's own description). */
QUIRE_API const char *quire_results_xapian_query(const quire_results *r);
/* How relevance was scored, for explaining results: "bm25", or "bm25 +
 * proximity" followed by the word pairs and weights that were added, or
 * "none" when the results are not ranked by relevance. */
QUIRE_API const char *quire_results_ranking(const quire_results *r);
/* Warnings for the caller to show, e.g. shards that did not answer with
 * the partial option, or a time limit that ran out; "" if none. */
QUIRE_API const char *quire_results_warning(const quire_results *r);

/*
 * Did you mean: the query with its misspelt words corrected, keeping
 * everything else as typed (operators, quotes, fields), or NULL when there
 * is none. It is offered when a word the query must match is not in the
 * index (a word under NOT or a wildcard never counts), or when the query
 * matches nothing and a word has a much more frequent near spelling; and
 * only when the corrected query matches more documents. A word is
 * corrected to the index's closest word (edit distance 1, or 2 for words
 * of 5 or more characters; ties go to the more frequent word) taken from
 * the index's spelling table if it has one (quire_index_options.spelling,
 * local databases), else from its term list. Valid until
 * quire_results_free().
 */
QUIRE_API const char *quire_results_suggestion(const quire_results *r);

/* One value of a facet. */
typedef struct quire_facet_value {
    const char *value;  /* as stored: "Harbor Times", "Mina Park", "2024",
                           "2024-10", "de" */
    uint64_t count;     /* matching documents with this value (exact) */
    /* A query that matches exactly the documents with this value:
     * source:="Harbor Times", author:="Mina Park", year:2024,
     * date:2024-10, lang:de. AND it with the query to narrow the results
     * to count documents (quotes in a value are escaped, see
     * quire_query_quote()). */
    const char *filter;
} quire_facet_value;

/*
 * The counts of one field's values over every matching document
 * (quire_search_options.facets), exact and merged across shards and
 * remote servers. Values that differ only in case, accents (when the index
 * folds them) or punctuation count as one, shown in their most frequent
 * form; an author field counts each name of its list (names are separated
 * by commas or semicolons); year and month come from the date. Owned by
 * the results.
 */
typedef struct quire_facet {
    const char *field;                /* "source", "author", "year", "month", "lang" */
    const quire_facet_value *values;  /* most documents first, ties by value */
    size_t nvalues;                   /* at most facet_limit */
    size_t distinct;                  /* distinct values among the matches */
} quire_facet;

/* Facets computed, in the order they were asked for. */
QUIRE_API size_t quire_results_facet_count(const quire_results *r);
/* Facet i, or NULL if out of range. */
QUIRE_API const quire_facet *quire_results_facet(const quire_results *r, size_t i);

/* Why a result may be incomplete: bits of quire_results_partial(). */
#define QUIRE_PARTIAL_SHARDS 0x1u /* databases left out (searcher option
                                     partial); their hits are missing */
#define QUIRE_PARTIAL_TIME 0x2u   /* the time limit ran out before the
                                     matches were counted: the total is an
                                     estimate */
/* 0 for a complete result, else QUIRE_PARTIAL_* bits. */
QUIRE_API unsigned int quire_results_partial(const quire_results *r);

QUIRE_API void quire_results_free(quire_results *r);

/*
 * A stored article with its whole body, as quire_searcher_get() returns
 * it. Absent fields are "" (never NULL), except the *_marked strings.
 */
typedef struct quire_article {
    const char *id;
    const char *title;
    const char *date;
    const char *author;
    const char *source;
    const char *url;
    const char *lang;     /* as given at indexing ("" if none was given) */
    const char *body;     /* the whole body, as indexed */
    size_t body_len;      /* bytes of body */
    /* With a query: the words it matched, as in snippets. */
    const quire_span *title_spans;
    size_t title_span_count;
    const quire_span *body_spans;
    size_t body_span_count;
    /* With a query and both highlight markers in opts: the texts with the
     * markers around each span; NULL otherwise. */
    const char *title_marked;
    const char *body_marked;
} quire_article;

/*
 * The document with this id, in *out (free with quire_article_free()).
 * query (NULL or "": none) gives the words to highlight, analysed as a
 * search would (opts: default_op, lang, highlight_start/end; may be
 * NULL). ENOTFOUND when there is no such document; *out is NULL on
 * failure. Works over shards and remote servers.
 */
QUIRE_API quire_status quire_searcher_get(quire_searcher *s, const char *id,
                                          const char *query,
                                          const quire_search_options *opts,
                                          quire_article **out);
QUIRE_API void quire_article_free(quire_article *a);

/* ---- Building queries --------------------------------------------------- */

/*
 * Quote text for the query language, so that a program can search for a
 * string a user gave (an id, a phrase) without it being read as syntax:
 * text between double quotes, with a backslash before each backslash and
 * each quote character (", and the curly quotes the language also
 * accepts). The result is a phrase, or after "id:" an exact id: the
 * text  a"b\c  becomes  "a\"b\\c"  (with the quotes).
 * Writes at most cap bytes into out, NUL-terminated when cap > 0, and
 * returns the length of the whole quoted text (without the NUL), as
 * snprintf does: a result >= cap means out was too small. text must be
 * valid UTF-8 (it is copied as bytes; the query is checked when run).
 */
QUIRE_API size_t quire_query_quote(const char *text, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* QUIRE_H */

/*
 * members.h — the databases a stub file names, as a searcher holds them:
 * each opened on its own (remote ones with a timeout), combined into one
 * Xapian database for matching, and kept track of when one stops
 * answering, so that a long-running searcher reconnects it when it comes
 * back instead of failing for ever.
 *
 * A local member is pinned and followed like a single index (lifecycle.h):
 * a shard of a sharded index, or an index a stub names, is a versioned
 * name of its own, and a reopen moves to the version it now names.
 *
 * A member is up (open, part of the combination) or down (left out, with
 * the reason). Down members are retried by ms_refresh(), which the
 * searcher calls on every reopen and before every search, except that one
 * whose last attempt failed slowly (it hung until the timeout) waits a
 * pause first, so that a silent server does not cost every search the
 * timeout. With partial
 * set, a set with some members up answers from those; without it, any
 * member down is an error naming it (QUIRE_ENETWORK).
 */
#ifndef QUIRE_MEMBERS_H
#define QUIRE_MEMBERS_H

#include <stddef.h>
#include <stdint.h>

#include "quire.h"
#include "xapian_shim.h"

typedef struct memberset memberset;

/* A failed connection attempt this slow (seconds) starts the pauses; the
 * first pause, and the longest they double to. */
#define MEMBER_SLOW_FAILURE 0.25
#define MEMBER_FIRST_PAUSE 1.0
#define MEMBER_LONGEST_PAUSE 30.0

/* Open every database the stub file names. name is the index as the
 * caller gave it, for messages; err: QERR_MAX bytes. *out is set on
 * success and on failures after parsing (to be freed with ms_free). */
quire_status ms_open(const char *name, const char *stubfile, unsigned timeout_ms,
                     int partial, memberset **out, char *err);
void ms_free(memberset *m);
/* Bytes of the files of the local members that are up (remote ones are
 * not counted). */
uint64_t ms_local_bytes(const memberset *m);

/* The members that are up, combined; owned by m and replaced by
 * ms_refresh() and ms_recover() when the members change. */
qx_db *ms_db(const memberset *m);

/* Members up, and member i's database (NULL when down) and label. */
size_t ms_count(const memberset *m);
qx_db *ms_member_db(const memberset *m, size_t i);
const char *ms_member_label(const memberset *m, size_t i);

/* Retry the members that are down; with reopen, also move the ones that
 * are up to their latest revision (reconnecting a remote one that fails).
 * *changed (may be NULL) is set when members came back or went down.
 * Returns QUIRE_OK when the set may be searched, else an error in err. */
quire_status ms_refresh(memberset *m, int reopen, int *changed, char *err);

/* After a query failed with a network error (why): a remote connection
 * that failed part-way is unusable, so every remote member is connected
 * afresh; those that cannot be are down. QUIRE_OK means: search again. */
quire_status ms_recover(memberset *m, const char *why, char *err);

/* Is any member (up or down) a remote database? */
int ms_has_remote(const memberset *m);

/* "LABEL (why); ..." for the members down, or "" when all are up. */
const char *ms_missing(const memberset *m);

#endif

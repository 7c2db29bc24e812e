/* members.c — see members.h. */
#include "members.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "lifecycle.h"
#include "strbuf.h"
#include "stub.h"

typedef struct member {
    char label[300];
    char where[256];   /* local path, or remote host */
    unsigned port;
    int remote;
    qx_db *db;         /* NULL while down */
    char *dir;         /* local and up: the version directory open */
    int pin_fd;        /* its pin (lifecycle.h), or -1 */
    char why[512];     /* while down: the last failure */
    double retry_at;   /* while down: not retried before (monotonic s) */
    double pause;      /* the last pause before a retry; 0: none */
} member;

struct memberset {
    char *name;
    member *v;
    size_t n;
    unsigned timeout_ms;
    int partial;
    qx_db *multi;      /* the members up, combined */
    char *missing;     /* ms_missing() */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Open the local member x's live version, pinned like a single index's
 * (a shard of a sharded index is a versioned name of its own, which a
 * compaction switches to a new version). */
static qx_db *open_local(member *x, qx_err *e)
{
    char dir[LC_PATH_MAX], err[QERR_MAX];
    int fd;
    if (lc_reader_pin(x->where, dir, sizeof dir, &fd, err) != QUIRE_OK) {
        e->code = QUIRE_EIO;
        snprintf(e->msg, sizeof e->msg, "%.*s", (int)sizeof e->msg - 1, err);
        return NULL;
    }
    char *d = strdup(dir);
    qx_db *db = d ? qx_db_open_read(dir, e) : NULL;
    if (!d) {
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
    }
    if (!db) {
        free(d);
        lc_reader_unpin(fd);
        return NULL;
    }
    x->dir = d;
    x->pin_fd = fd;
    return db;
}

/* Let go of x's database and pin. */
static void close_member(member *x)
{
    qx_err e;
    qx_db_close(x->db, &e);
    x->db = NULL;
    lc_reader_unpin(x->pin_fd);
    x->pin_fd = -1;
    free(x->dir);
    x->dir = NULL;
}

/* x->db := a fresh connection, or NULL with x->why. A failure that took
 * MEMBER_SLOW_FAILURE or longer (a server that accepts and then says
 * nothing, an unreachable host) would cost as much again at every search:
 * such a member is not retried for a pause that starts at
 * MEMBER_FIRST_PAUSE and doubles up to MEMBER_LONGEST_PAUSE. A quick
 * failure (connection refused, a missing folder) is retried every time. */
static void connect_member(const memberset *m, member *x)
{
    qx_err e;
    double t0 = now_s();
    x->db = x->remote ? qx_db_open_remote(x->where, x->port, m->timeout_ms, &e) : open_local(x, &e);
    double t1 = now_s();
    if (x->db || t1 - t0 < MEMBER_SLOW_FAILURE) {
        x->pause = 0;
        x->retry_at = 0;
    } else {
        x->pause = x->pause ? 2 * x->pause : MEMBER_FIRST_PAUSE;
        if (x->pause > MEMBER_LONGEST_PAUSE)
            x->pause = MEMBER_LONGEST_PAUSE;
        x->retry_at = t1 + x->pause;
    }
    if (!x->db)
        snprintf(x->why, sizeof x->why, "%s", e.msg);
}

/* Whether a member that is down may be tried again now. */
static int due(const member *x)
{
    return !x->retry_at || now_s() >= x->retry_at;
}

static void take_down(member *x, const char *why)
{
    if (why != x->why)
        snprintf(x->why, sizeof x->why, "%s", why);
    close_member(x);
}

/* A local member whose name now leads to another version (a compaction
 * or rebuild of that shard switched it, or the sharded index was renamed
 * over by a new one): open that one instead. 1 if it
 * moved, 0 if not, -1 with e set if the new version cannot be opened (the
 * old one is kept). */
static int follow_member_switch(member *x, qx_err *e)
{
    char dir[LC_PATH_MAX], err[QERR_MAX];
    int exists;
    /* Where the name leads now (no pin taken just to compare). */
    if (x->remote || !x->dir || lc_live_dir(x->where, dir, sizeof dir, &exists, err) != QUIRE_OK)
        return 0; /* cannot tell: the reopen reports */
    if (strcmp(dir, x->dir) == 0 && lc_pin_is(x->pin_fd, dir))
        return 0;
    member fresh = *x;
    fresh.dir = NULL;
    fresh.pin_fd = -1;
    fresh.db = open_local(&fresh, e);
    if (!fresh.db)
        return -1;
    close_member(x);
    *x = fresh;
    return 1;
}

/* m->multi := the members up. The previous combination is released
 * without closing the members it shares. */
static quire_status combine(memberset *m, char *err)
{
    qx_err e;
    qx_db *multi = qx_db_new_multi(&e);
    if (!multi)
        return qerr_from_shim(err, &e, m->name);
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].db && qx_db_add(multi, m->v[i].db, &e) != QUIRE_OK) {
            qx_db_release(multi);
            return qerr_from_shim(err, &e, m->v[i].label);
        }
    }
    qx_db_release(m->multi);
    m->multi = multi;
    return QUIRE_OK;
}

/* Whether the set may be searched as it is: every member up, or (partial)
 * at least one. Also notes the members down for ms_missing(). */
static quire_status judge(memberset *m, char *err)
{
    strbuf miss = {0}, names = {0};
    size_t down = 0, remote_down = 0;
    const char *first_why = "";
    for (size_t i = 0; i < m->n; i++) {
        member *x = &m->v[i];
        if (x->db)
            continue;
        remote_down += x->remote;
        sb_addf(&miss, "%s%s (%s)", down ? "; " : "", x->label, x->why);
        sb_addf(&names, "%s%s", down ? ", " : "", x->label);
        if (!down++)
            first_why = x->why;
    }
    char *list = sb_take(&names);
    free(m->missing);
    m->missing = sb_take(&miss);
    quire_status st = QUIRE_OK;
    if ((down && !list) || (down && !m->missing))
        st = qerr_set(err, QUIRE_ENOMEM, "out of memory");
    else if (down == m->n) /* a missing local database is not a network failure */
        st = qerr_set(err, remote_down ? QUIRE_ENETWORK : QUIRE_ENOTFOUND, "%s: no shard %s: %s", m->name,
                      remote_down ? "answered" : "could be opened", m->missing);
    else if (down && !m->partial)
        st = qerr_set(err, QUIRE_ENETWORK,
                      "%s: shard%s not answering: %s (%s); the searcher option partial answers from the others",
                      m->name, down > 1 ? "s" : "", list, first_why);
    free(list);
    return st;
}

quire_status ms_open(const char *name, const char *stubfile, unsigned timeout_ms,
                     int partial, memberset **out, char *err)
{
    *out = NULL;
    stub_entry *v;
    size_t n;
    if (stub_expand(stubfile, &v, &n, err, QERR_MAX) != 0)
        return QUIRE_ENOTINDEX;
    memberset *m = calloc(1, sizeof *m);
    if (m) {
        m->v = calloc(n ? n : 1, sizeof *m->v);
        m->name = strdup(name);
    }
    if (!m || !m->v || !m->name) {
        stub_free(v, n);
        ms_free(m);
        return qerr_set(err, QUIRE_ENOMEM, "out of memory");
    }
    *out = m;
    m->timeout_ms = timeout_ms;
    m->partial = partial;
    quire_status st = QUIRE_OK;
    for (size_t i = 0; i < n && st == QUIRE_OK; i++) {
        member *x = &m->v[m->n++];
        snprintf(x->label, sizeof x->label, "%s", v[i].label);
        snprintf(x->where, sizeof x->where, "%s", v[i].remote ? v[i].host : v[i].path);
        x->remote = v[i].remote;
        x->port = v[i].port;
        x->pin_fd = -1;
        connect_member(m, x);
        if (!x->db && !partial)
            st = qerr_set(err, x->remote ? QUIRE_ENETWORK : QUIRE_ENOTFOUND, "%s: shard %s: %s", name, x->label,
                          x->why);
    }
    stub_free(v, n);
    if (st == QUIRE_OK && !m->n)
        st = qerr_set(err, QUIRE_ENOTINDEX, "%s: the stub names no database", name);
    if (st == QUIRE_OK)
        st = judge(m, err);
    return st == QUIRE_OK ? combine(m, err) : st;
}

void ms_free(memberset *m)
{
    if (!m)
        return;
    qx_db_release(m->multi);
    for (size_t i = 0; i < m->n; i++)
        close_member(&m->v[i]);
    free(m->v);
    free(m->missing);
    free(m->name);
    free(m);
}

qx_db *ms_db(const memberset *m)
{
    return m->multi;
}

size_t ms_count(const memberset *m)
{
    return m->n;
}

qx_db *ms_member_db(const memberset *m, size_t i)
{
    return i < m->n ? m->v[i].db : NULL;
}

const char *ms_member_label(const memberset *m, size_t i)
{
    return i < m->n ? m->v[i].label : "";
}

quire_status ms_refresh(memberset *m, int reopen, int *changed, char *err)
{
    int moved = 0, revised = 0;
    quire_status failed = QUIRE_OK; /* its message is in err */
    if (changed)
        *changed = 0;
    if (!reopen && !*ms_missing(m))
        return QUIRE_OK; /* every member up: nothing to do before a search */
    for (size_t i = 0; i < m->n && failed == QUIRE_OK; i++) {
        member *x = &m->v[i];
        if (!x->db) {
            if (due(x)) {
                connect_member(m, x);
                moved |= x->db != NULL;
            }
            continue;
        }
        if (!reopen)
            continue;
        qx_err fe;
        int sw = follow_member_switch(x, &fe);
        if (sw < 0) {
            failed = qerr_from_shim(err, &fe, x->label);
            break;
        }
        if (sw > 0) {
            moved = 1;
            continue;
        }
        for (int attempt = 0;; attempt++) {
            qx_err e;
            int c = 0;
            if (qx_db_reopen(x->db, &c, &e) == QUIRE_OK) {
                revised |= c;
                break;
            }
            revised = 1; /* a reopen that failed part-way moved some tables */
            if (x->remote) {
                /* A dead connection cannot be reopened: connect afresh. */
                take_down(x, e.msg);
                moved = 1;
                connect_member(m, x);
                break;
            }
            if (e.code != QUIRE_EMODIFIED || attempt == 10) {
                failed = qerr_from_shim(err, &e, x->label);
                break;
            }
        }
    }
    if (changed)
        *changed = moved || revised;
    /* Members that moved before a failure closed their old databases: the
     * combination must not keep those, whatever happened after. */
    char cerr[QERR_MAX];
    quire_status st = moved ? combine(m, failed == QUIRE_OK ? err : cerr) : QUIRE_OK;
    if (!moved && revised) /* the combination shares them: its counts are stale */
        qx_db_forget_values(m->multi);
    if (failed != QUIRE_OK)
        return failed;
    return st == QUIRE_OK ? judge(m, err) : st;
}

quire_status ms_recover(memberset *m, const char *why, char *err)
{
    for (size_t i = 0; i < m->n; i++) {
        member *x = &m->v[i];
        if (!x->remote || (!x->db && !due(x)))
            continue;
        take_down(x, why);
        connect_member(m, x);
    }
    quire_status st = combine(m, err);
    return st == QUIRE_OK ? judge(m, err) : st;
}

uint64_t ms_local_bytes(const memberset *m)
{
    uint64_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!m->v[i].remote && m->v[i].db && m->v[i].dir)
            n += lc_dir_bytes(m->v[i].dir);
    return n;
}

int ms_has_remote(const memberset *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].remote)
            return 1;
    return 0;
}

const char *ms_missing(const memberset *m)
{
    return m->missing ? m->missing : "";
}

/* bulk_resume.c — see bulk_resume.h. */
#include "bulk_resume.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema.h"
#include "strbuf.h"
#include "xapian_shim.h"

/* Entries are stored as text: "SUM SEG" plus " u" while unread. */
int idmap_put(strmap *ids, const char *id, size_t len, const idmap_entry *e)
{
    char val[48];
    int n = snprintf(val, sizeof val, "%s %d%s", e->sum, e->seg, e->unread ? " u" : "");
    return strmap_put(ids, id, len, val, (size_t)n);
}

int idmap_get(const strmap *ids, const char *id, size_t len, idmap_entry *e)
{
    const char *v = strmap_get(ids, id, len, NULL);
    if (!v)
        return 0;
    const char *sp = strchr(v, ' ');
    size_t sl = sp ? (size_t)(sp - v) : strlen(v);
    if (sl >= sizeof e->sum)
        sl = sizeof e->sum - 1;
    memcpy(e->sum, v, sl);
    e->sum[sl] = '\0';
    e->seg = sp ? atoi(sp + 1) : 0;
    e->unread = sp && strstr(sp + 1, " u") != NULL;
    return 1;
}

/* "<base>.s<K>.g<M>" -> K, M; 0 if name is not one. */
static int segment_name(const char *name, const char *base, unsigned *k, int *m)
{
    size_t bl = strlen(base);
    if (strncmp(name, base, bl) != 0 || strncmp(name + bl, ".s", 2) != 0)
        return 0;
    char *end;
    const char *p = name + bl + 2;
    if (*p < '0' || *p > '9')
        return 0;
    unsigned long kk = strtoul(p, &end, 10);
    if (strncmp(end, ".g", 2) != 0 || end[2] < '0' || end[2] > '9')
        return 0;
    long mm = strtol(end + 2, &end, 10);
    if (*end || mm > 1000000 || kk > 1000)
        return 0;
    *k = (unsigned)kk;
    *m = (int)mm;
    return 1;
}

static int by_segment(const void *a, const void *b)
{
    const leftover *x = a, *y = b;
    return (x->seg > y->seg) - (x->seg < y->seg);
}

typedef struct loading {
    qx_db *db;
    strmap *ids;
    size_t *unread;
    int k;
    int failed;
    char *err;
} loading;

/* One id of a leftover: into the map with its checksum. Later leftovers
 * (loaded later) win over earlier ones. */
static int load_one(void *ctx, const char *term, size_t len)
{
    loading *l = ctx;
    char t[QUIRE_MAX_ID_BYTES + 2];
    if (len >= sizeof t)
        return 0;
    memcpy(t, term, len);
    t[len] = '\0';
    uint32_t docid = 0;
    char *sum = NULL;
    size_t sl;
    qx_err e;
    if (qx_db_find_term(l->db, t, &docid, &e) != QUIRE_OK || !docid ||
        qx_db_get_value(l->db, docid, SLOT_CHECKSUM, &sum, &sl, &e) != QUIRE_OK) {
        l->failed = 1;
        qerr_set(l->err, QUIRE_EIO, "reading an interrupted build: %s", e.msg);
        return 1;
    }
    idmap_entry ent = {"", -1 - l->k, 1};
    snprintf(ent.sum, sizeof ent.sum, "%s", sum);
    free(sum);
    const char *id = t + 1;
    size_t idl = len - 1;
    if (!strmap_get(l->ids, id, idl, NULL))
        (*l->unread)++;
    if (idmap_put(l->ids, id, idl, &ent) != 0) {
        l->failed = 1;
        qerr_set(l->err, QUIRE_ENOMEM, "out of memory");
        return 1;
    }
    return 0;
}

/* Split prefix into its directory and base name. */
static void split_prefix(const char *prefix, char *dir, size_t n, const char **base)
{
    snprintf(dir, n, "%s", prefix);
    char *slash = strrchr(dir, '/');
    if (!slash) {
        snprintf(dir, n, ".");
        *base = prefix;
    } else {
        *base = prefix + (slash - dir) + 1;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

/* Open leftover v (read-only) and check its configuration: 1 usable,
 * 0 nothing to use (never committed, or cut short while being created:
 * its documents, if any, are simply read again), -1 of another build. */
static int leftover_usable(const leftover *v, const qconfig *cfg, qx_db **db)
{
    qx_err e;
    *db = qx_db_open_read(v->dir, &e);
    if (!*db)
        return 0;
    qconfig have;
    int fresh;
    char err[QERR_MAX];
    if (qconfig_load(*db, v->dir, &have, &fresh, err) != QUIRE_OK || fresh)
        return 0;
    char a[128], b[128];
    qconfig_describe(&have, a, sizeof a);
    qconfig_describe(cfg, b, sizeof b);
    return strcmp(a, b) == 0 && have.schema == cfg->schema ? 1 : -1;
}

quire_status leftovers_load(const char *prefix, const qconfig *cfg, strmap *ids,
                            size_t *unread, leftover **out, size_t *n,
                            int *next_seg, char *err)
{
    *out = NULL;
    *n = 0;
    *next_seg = 0;
    char dir[LC_PATH_MAX], half[LC_PATH_MAX];
    const char *base;
    split_prefix(prefix, dir, sizeof dir, &base);
    snprintf(half, sizeof half, "%s.out", prefix);
    lc_remove_tree(half);
    DIR *d = opendir(dir);
    if (!d)
        return QUIRE_OK;
    leftover *v = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        unsigned k;
        int m;
        if (!segment_name(de->d_name, base, &k, &m))
            continue;
        if (cnt == cap) {
            cap = cap ? 2 * cap : 16;
            leftover *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                closedir(d);
                free(v);
                return qerr_set(err, QUIRE_ENOMEM, "out of memory");
            }
            v = nv;
        }
        if ((size_t)snprintf(v[cnt].dir, sizeof v[cnt].dir, "%.*s/%s", (int)(sizeof v[cnt].dir - 300), dir,
                             de->d_name) >= sizeof v[cnt].dir)
            continue;
        v[cnt].shard = k;
        v[cnt].seg = m;
        cnt++;
    }
    closedir(d);
    if (cnt)
        qsort(v, cnt, sizeof *v, by_segment);
    /* Keep the usable ones; any of another build means starting over. */
    size_t kept = 0;
    int foreign = 0;
    quire_status st = QUIRE_OK;
    for (size_t i = 0; i < cnt && st == QUIRE_OK && !foreign; i++) {
        qx_db *db;
        int use = leftover_usable(&v[i], cfg, &db);
        if (use == 1) {
            v[kept] = v[i];
            loading l = {db, ids, unread, (int)kept, 0, err};
            qx_err e;
            if (qx_db_terms_with_prefix(db, PFX_ID, (size_t)-1, load_one, &l, NULL, &e) != QUIRE_OK)
                st = qerr_from_shim(err, &e, v[i].dir);
            else if (l.failed)
                st = QUIRE_EIO;
            if (v[i].seg + 1 > *next_seg)
                *next_seg = v[i].seg + 1;
            kept++;
        } else if (use == 0) {
            lc_remove_tree(v[i].dir);
        } else {
            foreign = 1;
        }
        qx_err e;
        qx_db_close(db, &e);
    }
    if (foreign || st != QUIRE_OK) {
        /* Start over: nothing of it is trusted. */
        for (size_t i = 0; i < cnt; i++)
            lc_remove_tree(v[i].dir);
        free(v);
        strmap_clear(ids);
        *unread = 0;
        *next_seg = 0;
        return st == QUIRE_ENOMEM ? st : QUIRE_OK;
    }
    *out = v;
    *n = kept;
    return QUIRE_OK;
}

typedef struct pruning {
    const strmap *ids;
    int k;
    strvec gone;
    strmap *langs;
    int oom;
} pruning;

static int note_gone(void *ctx, const char *term, size_t len)
{
    pruning *p = ctx;
    idmap_entry e;
    if (idmap_get(p->ids, term + 1, len - 1, &e) && e.seg == -1 - p->k && !e.unread)
        return 0; /* stays */
    if (sv_push(&p->gone, term, len) != 0)
        return p->oom = 1;
    return 0;
}

static int note_lang(void *ctx, const char *term, size_t len)
{
    pruning *p = ctx;
    if (len > 1 && strmap_put(p->langs, term + 1, len - 1, "", 0) != 0)
        p->oom = 1;
    return p->oom;
}

quire_status leftovers_prune(const leftover *v, size_t n, const strmap *ids,
                             strmap *langs, char *err)
{
    quire_status st = QUIRE_OK;
    for (size_t k = 0; k < n && st == QUIRE_OK; k++) {
        qx_err e;
        qx_db *db = qx_db_open_write(v[k].dir, QX_OPEN, &e);
        if (!db)
            return qerr_from_shim(err, &e, v[k].dir);
        pruning p = {ids, (int)k, {NULL, 0, 0}, langs, 0};
        /* Collect first: deleting while walking the term list is not safe. */
        if (qx_db_terms_with_prefix(db, PFX_ID, (size_t)-1, note_gone, &p, NULL, &e) != QUIRE_OK)
            st = qerr_from_shim(err, &e, v[k].dir);
        else if (p.oom)
            st = qerr_set(err, QUIRE_ENOMEM, "out of memory");
        for (size_t i = 0; i < p.gone.n && st == QUIRE_OK; i++)
            if (qx_db_delete(db, p.gone.v[i], &e) != QUIRE_OK)
                st = qerr_from_shim(err, &e, v[k].dir);
        sv_free(&p.gone);
        if (st == QUIRE_OK && qx_db_commit(db, &e) != QUIRE_OK)
            st = qerr_from_shim(err, &e, v[k].dir);
        if (st == QUIRE_OK && qx_db_terms_with_prefix(db, PFX_LANG, (size_t)-1, note_lang, &p, NULL, &e) != QUIRE_OK)
            st = qerr_from_shim(err, &e, v[k].dir);
        if (st == QUIRE_OK && p.oom)
            st = qerr_set(err, QUIRE_ENOMEM, "out of memory");
        if (qx_db_close(db, &e) != QUIRE_OK && st == QUIRE_OK)
            st = qerr_from_shim(err, &e, v[k].dir);
    }
    return st;
}

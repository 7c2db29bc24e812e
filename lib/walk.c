/* walk.c — see walk.h. Each open directory is read whole and sorted, so no
 * directory handle stays open while its files are being indexed; a stack
 * of those listings is the walk's state. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "shards.h"
#include "strmap.h"
#include "stub.h"

typedef struct frame {
    char *dir;     /* path of this directory */
    char *rel;     /* relative to the root ("" for the root) */
    char **names;
    size_t n, next;
} frame;

struct walker {
    char *root;
    int hidden;
    int started;
    frame *stack;
    size_t depth, cap;
    strmap *seen;  /* "dev:ino" of directories entered */
    char *path, *relpath;
};

walker *walk_new(const char *root, int include_hidden)
{
    walker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->root = strdup(root);
    w->seen = strmap_new();
    w->hidden = include_hidden;
    if (!w->root || !w->seen) {
        walk_free(w);
        return NULL;
    }
    return w;
}

static void free_frame(frame *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->names[i]);
    free(f->names);
    free(f->dir);
    free(f->rel);
}

void walk_free(walker *w)
{
    if (!w)
        return;
    while (w->depth)
        free_frame(&w->stack[--w->depth]);
    free(w->stack);
    strmap_free(w->seen);
    free(w->root);
    free(w->path);
    free(w->relpath);
    free(w);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int slash = la > 0 && a[la - 1] != '/';
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    if (slash)
        p[la++] = '/';
    memcpy(p + la, b, lb + 1);
    return p;
}

/* Does dir hold a Xapian database or a sharded index (XAPIANDB)? */
static int is_database(const char *dir)
{
    return stub_holds_database(dir) || shards_detect(dir);
}

/* Does dir/base + suffix exist (as a database, if db)? */
static int sibling(const char *dir, const char *base, size_t bl, const char *suffix, int db)
{
    char *name = malloc(bl + strlen(suffix) + 1), *p = NULL;
    if (name) {
        memcpy(name, base, bl);
        strcpy(name + bl, suffix);
        p = join(dir, name);
    }
    struct stat st;
    int yes = p && (db ? is_database(p) : stat(p, &st) == 0);
    free(name);
    free(p);
    return yes;
}

/* Is name (in dir) the lock or owner file of a quire index beside it (one
 * kept inside a source directory), also while a new index or a version of
 * it is being built? Like the index itself, it is not an article:
 *   B.new.owner            a new index built in parallel (B.lock beside)
 *   B.vN.owner, B.owner    a version being built (B.lock beside), or
 *                          beside index B
 *   B.lock                 beside index B, or beside B.new.owner */
static int is_index_file(const char *dir, const char *name)
{
    size_t nl = strlen(name);
#define ENDS(s) (nl > sizeof(s) - 1 && strcmp(name + nl - (sizeof(s) - 1), s) == 0)
    if (ENDS(".new.owner"))
        return sibling(dir, name, nl - 10, ".lock", 0);
    if (ENDS(".owner")) {
        size_t bl = nl - 6, d = bl;
        while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
            d--;
        int version = d < bl && d >= 2 && name[d - 1] == 'v' && name[d - 2] == '.';
        return (version && sibling(dir, name, d - 2, ".lock", 0)) || sibling(dir, name, bl, "", 1);
    }
    if (ENDS(".lock")) {
        size_t bl = nl - 5;
        return sibling(dir, name, bl, "", 1) || sibling(dir, name, bl, ".new.owner", 0);
    }
#undef ENDS
    return 0;
}

/* Mark a directory as entered; 0 if it was already. */
static int first_visit(walker *w, const struct stat *st)
{
    char key[64];
    int n = snprintf(key, sizeof key, "%llu:%llu", (unsigned long long)st->st_dev,
                     (unsigned long long)st->st_ino);
    if (strmap_get(w->seen, key, (size_t)n, NULL))
        return 0;
    strmap_put(w->seen, key, (size_t)n, "", 0);
    return 1;
}

/* Push a listing of dir; -1 with a message on failure. */
static int push_dir(walker *w, const char *dir, const char *rel, char *err)
{
    char shown[QERR_PATH_SHOWN];
    DIR *d = opendir(dir);
    if (!d)
        return qerr_set(err, QUIRE_EIO, "%s: cannot read directory: %s", qerr_path(dir, shown), strerror(errno)), -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int oom = 0;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || (nm[0] == '.' && !w->hidden))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                oom = 1;
                break;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(nm))) {
            oom = 1;
            break;
        }
        n++;
    }
    closedir(d);
    if (!oom && w->depth == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 16;
        frame *ns = realloc(w->stack, nc * sizeof *ns);
        if (ns) {
            w->stack = ns;
            w->cap = nc;
        } else {
            oom = 1;
        }
    }
    frame f = {strdup(dir), strdup(rel), names, n, 0};
    if (oom || !f.dir || !f.rel) {
        free_frame(&f);
        return qerr_set(err, QUIRE_ENOMEM, "%s: out of memory", qerr_path(dir, shown)), -1;
    }
    if (f.n)
        qsort(f.names, f.n, sizeof *f.names, cmp_names);
    w->stack[w->depth++] = f;
    return 0;
}

int walk_next(walker *w, const char **path, const char **rel, uint64_t *size,
              char *err)
{
    char shown[QERR_PATH_SHOWN];
    if (!w->started) {
        w->started = 1;
        struct stat st;
        if (stat(w->root, &st) != 0)
            return qerr_set(err, QUIRE_EIO, "%s: %s", qerr_path(w->root, shown), strerror(errno)), -1;
        first_visit(w, &st);
        if (push_dir(w, w->root, "", err) != 0)
            return -1;
    }
    while (w->depth) {
        frame *f = &w->stack[w->depth - 1];
        if (f->next == f->n) {
            free_frame(f);
            w->depth--;
            continue;
        }
        const char *name = f->names[f->next++];
        free(w->path);
        free(w->relpath);
        w->path = join(f->dir, name);
        w->relpath = *f->rel ? join(f->rel, name) : strdup(name);
        if (!w->path || !w->relpath)
            return qerr_set(err, QUIRE_ENOMEM, "out of memory"), -1;
        struct stat st;
        if (stat(w->path, &st) != 0) {
            struct stat lst;
            const char *p = qerr_path(w->path, shown);
            if (errno == ENAMETOOLONG)
                return qerr_set(err, QUIRE_EINPUT,
                                "%s: skipped: its path is %zu bytes, longer than the system allows (%d)",
                                p, strlen(w->path), PATH_MAX - 1), -1;
            if (errno == ELOOP || (lstat(w->path, &lst) == 0 && S_ISLNK(lst.st_mode)))
                return qerr_set(err, QUIRE_EIO, "%s: broken or looping symlink, skipped", p), -1;
            return qerr_set(err, QUIRE_EIO, "%s: %s, skipped", p, strerror(errno)), -1;
        }
        if (S_ISDIR(st.st_mode) && is_database(w->path))
            continue; /* a Xapian database or a sharded index: not articles */
        if (S_ISREG(st.st_mode) && is_index_file(f->dir, name))
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (!first_visit(w, &st))
                return qerr_set(err, QUIRE_EINPUT, "%s: directory already visited (symlink loop?), skipped",
                                qerr_path(w->path, shown)), -1;
            /* push_dir may move the stack: copy what it needs first. */
            char *p = strdup(w->path), *r = strdup(w->relpath);
            int rc = (p && r) ? push_dir(w, p, r, err)
                              : (qerr_set(err, QUIRE_ENOMEM, "out of memory"), -1);
            free(p);
            free(r);
            if (rc != 0)
                return -1;
            continue;
        }
        if (!S_ISREG(st.st_mode))
            return qerr_set(err, QUIRE_EINPUT, "%s: not a regular file, skipped", qerr_path(w->path, shown)), -1;
        *path = w->path;
        *rel = w->relpath;
        *size = (uint64_t)st.st_size;
        return 1;
    }
    return 0;
}

/* lifecycle.c — see lifecycle.h. Linux-specific where it must be:
 * renameat2(RENAME_EXCHANGE) turns a plain index directory into a symlink
 * atomically (with a rename fallback where the filesystem lacks it). */
#define _GNU_SOURCE
#include "lifecycle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "owner.h"
#include "testpause.h"

/* Parent directory and base name of path (which has no trailing '/'). */
static void split(const char *path, char *dir, size_t dn, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, dn, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, dn, "/");
        *base = slash + 1;
    } else {
        snprintf(dir, dn, "%.*s", (int)(slash - path), path);
        *base = slash + 1;
    }
}

/* out = a + sep + b; an overlong result is cut (and can then not name an
 * existing file, so the operation using it fails cleanly). */
static void join_path(char *out, size_t n, const char *a, const char *sep, const char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    if (la + ls + lb + 1 > n) {
        out[0] = '\0';
        return;
    }
    memcpy(out, a, la);
    memcpy(out + la, sep, ls);
    memcpy(out + la + ls, b, lb + 1);
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int lc_writer_note(char *buf, size_t n, const char *mode)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int len = snprintf(buf, n, "pid %ld, %s, since %s\n", (long)getpid(), mode, now);
    return len < (int)n ? len : (int)n - 1;
}

/* Is the file open as fd still the one named path? Another process may
 * have removed or replaced the name between our open() and flock(): the
 * lock we hold is then on a file nobody else will open. */
static int still_named(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

quire_status lc_lock(const char *path, double wait, const char *mode, int *fd,
                     char *err)
{
    char lock[LC_PATH_MAX];
    join_path(lock, sizeof lock, path, ".lock", "");
    for (double waited = 0;;) {
        *fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (*fd < 0)
            return qerr_set(err, errno == ENOENT ? QUIRE_ENOTFOUND : QUIRE_EIO,
                            "%s: cannot create lock file %s: %s", path, lock, strerror(errno));
        test_pause("lock-opened");
        if (flock(*fd, LOCK_EX | LOCK_NB) == 0) {
            if (still_named(*fd, lock))
                break;
            close(*fd); /* the name moved on: lock what is there now */
            continue;
        }
        if (errno != EWOULDBLOCK || waited >= wait) {
            char holder[200] = "";
            ssize_t n = pread(*fd, holder, sizeof holder - 1, 0);
            holder[n > 0 ? n : 0] = '\0';
            holder[strcspn(holder, "\n")] = '\0';
            close(*fd);
            *fd = -1;
            if (*holder)
                return qerr_set(err, QUIRE_ELOCKED, "%s is locked by another writer (%s)", path, holder);
            return qerr_set(err, QUIRE_ELOCKED, "%s is locked by another writer", path);
        }
        close(*fd);
        sleep_ms(100);
        waited += 0.1;
    }
    char note[200];
    int len = lc_writer_note(note, sizeof note, mode);
    if (ftruncate(*fd, 0) != 0 || pwrite(*fd, note, (size_t)len, 0) != len) {
        /* The note is only for messages; the lock itself is held. */
    }
    return QUIRE_OK;
}

void lc_unlock(int fd)
{
    if (fd < 0)
        return;
    if (ftruncate(fd, 0) != 0) {
        /* a stale note names a process that is gone; harmless */
    }
    close(fd); /* releases the flock */
}

quire_status lc_live_dir(const char *path, char *out, size_t n, int *exists,
                         char *err)
{
    struct stat st;
    *exists = 0;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT)
            return qerr_set(err, QUIRE_EIO, "%s: %s", path, strerror(errno));
        snprintf(out, n, "%s", path);
        return QUIRE_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        char real[PATH_MAX];
        if (!realpath(path, real))
            return qerr_set(err, QUIRE_ECORRUPT, "%s: points at a version that is gone (%s)", path,
                            strerror(errno));
        snprintf(out, n, "%s", real);
        *exists = 1;
        return QUIRE_OK;
    }
    snprintf(out, n, "%s", path);
    *exists = 1;
    return QUIRE_OK;
}

/* If name is "<base>.v<N>" (building: "<base>.v<N>.building") return N,
 * else -1. */
static long version_of(const char *name, const char *base, int *building)
{
    size_t bl = strlen(base);
    *building = 0;
    if (strncmp(name, base, bl) != 0 || strncmp(name + bl, ".v", 2) != 0)
        return -1;
    const char *p = name + bl + 2;
    if (*p < '0' || *p > '9')
        return -1;
    char *end;
    long v = strtol(p, &end, 10);
    if (strncmp(end, ".building", 9) == 0) /* also its shards, ".building.s0" */
        *building = 1;
    else if (*end)
        return -1;
    return v;
}

quire_status lc_next_version(const char *path, char *out, size_t n, char *err)
{
    char dir[LC_PATH_MAX];
    const char *base;
    split(path, dir, sizeof dir, &base);
    DIR *d = opendir(dir);
    if (!d)
        return qerr_set(err, QUIRE_EIO, "%s: %s", dir, strerror(errno));
    long max = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        int b;
        long v = version_of(e->d_name, base, &b);
        if (v > max)
            max = v;
    }
    closedir(d);
    snprintf(out, n, "%s.v%ld", path, max + 1);
    return QUIRE_OK;
}

quire_status lc_switch(const char *path, const char *dir, char *err)
{
    char parent[LC_PATH_MAX], tmp[LC_PATH_MAX];
    const char *base, *target = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    split(path, parent, sizeof parent, &base);
    join_path(tmp, sizeof tmp, path, ".switch", "");
    unlink(tmp);
    if (symlink(target, tmp) != 0)
        return qerr_set(err, QUIRE_EIO, "%s: cannot create %s: %s", path, tmp, strerror(errno));
    struct stat st;
    int plain = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (!plain) {
        if (rename(tmp, path) != 0) {
            int e = errno;
            unlink(tmp);
            return qerr_set(err, QUIRE_EIO, "%s: cannot switch to %s: %s", path, target, strerror(e));
        }
    } else {
        /* A plain directory: swap it with the symlink in one step, then
         * give the old database a version name. */
        char old[LC_PATH_MAX];
        join_path(old, sizeof old, path, ".v0", "");
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
            test_pause("exchanged");
            if (rename(tmp, old) != 0)
                lc_remove_tree(tmp);
        } else if (errno == EINVAL || errno == ENOSYS) {
            /* No exchange on this filesystem: two renames, with a moment
             * in between where the name is missing. */
            if (rename(path, old) != 0 || rename(tmp, path) != 0) {
                int e = errno;
                return qerr_set(err, QUIRE_EIO, "%s: cannot switch to %s: %s", path, target, strerror(e));
            }
        } else {
            int e = errno;
            unlink(tmp);
            return qerr_set(err, QUIRE_EIO, "%s: cannot switch to %s: %s", path, target, strerror(e));
        }
    }
    fsync_dir(parent);
    return QUIRE_OK;
}

static int rm_walk(const char *p)
{
    struct stat st;
    if (lstat(p, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(p);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char c[LC_PATH_MAX];
                join_path(c, sizeof c, p, "/", e->d_name);
                rm_walk(c);
            }
            closedir(d);
        }
        return rmdir(p);
    }
    return unlink(p);
}

void lc_remove_tree(const char *dir)
{
    rm_walk(dir);
}

void lc_remove_new(const char *path)
{
    char parent[LC_PATH_MAX];
    const char *base;
    split(path, parent, sizeof parent, &base);
    DIR *d = opendir(parent);
    if (!d)
        return;
    size_t bl = strlen(base);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, base, bl) != 0 || strncmp(e->d_name + bl, ".new.", 5) != 0)
            continue;
        char full[LC_PATH_MAX];
        join_path(full, sizeof full, parent, "/", e->d_name);
        lc_remove_tree(full);
    }
    closedir(d);
}

uint64_t lc_dir_bytes(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char c[LC_PATH_MAX];
        join_path(c, sizeof c, path, "/", e->d_name);
        total += lc_dir_bytes(c);
    }
    closedir(d);
    return total;
}

#define OBSOLETE_MARK "quire-obsolete"

/* What readers lock to pin a version: the version directory itself. Not a
 * file in it: Xapian replaces its files by rename (iamglass at every
 * commit), and a lock on a replaced file no longer guards the name. */
static int open_pin(const char *dir)
{
    return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Remove a previous version unless a reader holds it; then mark it, so
 * that a later writer removes it once it is free. */
static void remove_if_unused(const char *dir)
{
    char f[LC_PATH_MAX];
    int fd = open_pin(dir);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        join_path(f, sizeof f, dir, "/", OBSOLETE_MARK);
        int m = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (m >= 0)
            close(m);
        return;
    }
    lc_remove_tree(dir);
    if (fd >= 0)
        close(fd);
}

static int marked_obsolete(const char *dir)
{
    char f[LC_PATH_MAX];
    struct stat st;
    join_path(f, sizeof f, dir, "/", OBSOLETE_MARK);
    return stat(f, &st) == 0;
}

typedef struct version {
    long n;
    char name[NAME_MAX + 1];
} version;

static int by_number_desc(const void *a, const void *b)
{
    long x = ((const version *)a)->n, y = ((const version *)b)->n;
    return (x < y) - (x > y);
}

/* The version numbers whose owner file a live writer holds. */
typedef struct held_families {
    long v[16];
    size_t n;
    int new_index;
} held_families;

static int family_held(const held_families *h, long v)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i] == v)
            return 1;
    return 0;
}

/* Note the owner files of base that are held; remove the stale ones
 * (".new.owner" only when the index exists: until then it records a new
 * index that may be resumed). */
static void find_owners(DIR *d, const char *parent, const char *base, held_families *h, int exists)
{
    struct dirent *e;
    while ((e = readdir(d))) {
        long v;
        int kind = owner_name(e->d_name, base, &v);
        if (!kind)
            continue;
        char full[LC_PATH_MAX];
        join_path(full, sizeof full, parent, "/", e->d_name);
        if (owner_held(full, NULL, 0)) {
            if (kind == 1)
                h->new_index = 1;
            else if (h->n < sizeof h->v / sizeof *h->v)
                h->v[h->n++] = v;
        } else if (kind == 2 || exists) {
            unlink(full);
        }
    }
}

void lc_cleanup(const char *path, unsigned keep)
{
    char parent[LC_PATH_MAX], tmp[LC_PATH_MAX], live[LC_PATH_MAX] = "";
    const char *base;
    split(path, parent, sizeof parent, &base);
    /* A switch cut short: a stray symlink, or (exchange done, rename not)
     * the old database under the temporary name. */
    join_path(tmp, sizeof tmp, path, ".switch", "");
    struct stat st;
    if (lstat(tmp, &st) == 0) {
        char old[LC_PATH_MAX];
        join_path(old, sizeof old, path, ".v0", "");
        if (S_ISDIR(st.st_mode) && rename(tmp, old) == 0) {
            /* kept as a previous version */
        } else {
            lc_remove_tree(tmp);
        }
    }
    long live_n = -1;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        ssize_t n = readlink(path, live, sizeof live - 1);
        live[n > 0 ? n : 0] = '\0';
        int b;
        live_n = version_of(live, base, &b);
    }
    DIR *d = opendir(parent);
    if (!d)
        return;
    /* What live writers own stays (owner.h); the owner files of dead ones
     * go, except a new index's while it may still be resumed (no index at
     * path yet: bulk.h decides). */
    held_families held = {0};
    int exists = lstat(path, &st) == 0;
    find_owners(d, parent, base, &held, exists);
    rewinddir(d);
    version *old = NULL;
    size_t nold = 0, cap = 0;
    struct dirent *e;
    size_t bl = strlen(base);
    while ((e = readdir(d))) {
        int building;
        if (strncmp(e->d_name, base, bl) == 0 && strncmp(e->d_name + bl, ".new.", 5) == 0) {
            /* Segments or the merge of a new index built in parallel:
             * garbage once the index exists. */
            char full[LC_PATH_MAX];
            join_path(full, sizeof full, parent, "/", e->d_name);
            if (exists && !held.new_index && strcmp(e->d_name + bl, ".new.owner") != 0)
                lc_remove_tree(full);
            continue;
        }
        long v = version_of(e->d_name, base, &building);
        if (v < 0 || strcmp(e->d_name, live) == 0)
            continue;
        char full[LC_PATH_MAX];
        join_path(full, sizeof full, parent, "/", e->d_name);
        if ((building || v > live_n) && !family_held(&held, v)) {
            /* Never switched to: an interrupted rebuild or compaction. */
            lc_remove_tree(full);
            continue;
        }
        if (building || v > live_n)
            continue; /* a live writer's */
        if (nold == cap) {
            size_t nc = cap ? cap * 2 : 8;
            version *nv = realloc(old, nc * sizeof *nv);
            if (!nv)
                break;
            old = nv;
            cap = nc;
        }
        old[nold].n = v;
        snprintf(old[nold].name, sizeof old[nold].name, "%s", e->d_name);
        nold++;
    }
    closedir(d);
    if (nold)
        qsort(old, nold, sizeof *old, by_number_desc);
    for (size_t i = 0; i < nold; i++) {
        char full[LC_PATH_MAX];
        join_path(full, sizeof full, parent, "/", old[i].name);
        if (i >= keep || marked_obsolete(full))
            remove_if_unused(full);
    }
    free(old);
}

int lc_pin_is(int fd, const char *dir)
{
    struct stat pinned, now;
    if (fd < 0 || fstat(fd, &pinned) != 0 || stat(dir, &now) != 0)
        return 1;
    return pinned.st_dev == now.st_dev && pinned.st_ino == now.st_ino;
}

quire_status lc_reader_pin(const char *path, char *dir, size_t n, int *fd,
                           char *err)
{
    *fd = -1;
    for (int attempt = 0; attempt < 50; attempt++) {
        struct stat st;
        if (lstat(path, &st) != 0) {
            snprintf(dir, n, "%s", path); /* let the opener report it */
            return QUIRE_OK;
        }
        int linked = S_ISLNK(st.st_mode);
        char real[PATH_MAX];
        if (linked) {
            if (!realpath(path, real)) {
                sleep_ms(10); /* mid-switch, or a broken link */
                continue;
            }
        } else if (S_ISDIR(st.st_mode)) {
            snprintf(real, sizeof real, "%s", path);
        } else {
            snprintf(dir, n, "%s", path); /* a stub file: nothing to pin */
            return QUIRE_OK;
        }
        char f[LC_PATH_MAX];
        join_path(f, sizeof f, real, "/", "iamglass");
        int pfd = stat(f, &st) == 0 ? open_pin(real) : -1;
        if (pfd < 0) {
            if (linked) {
                sleep_ms(10); /* removed under us: resolve again */
                continue;
            }
            snprintf(dir, n, "%s", real); /* not glass: the opener reports */
            return QUIRE_OK;
        }
        if (flock(pfd, LOCK_SH | LOCK_NB) != 0) {
            close(pfd); /* being removed right now */
            sleep_ms(10);
            continue;
        }
        /* Still the live version? (A switch may have happened between
         * resolving and locking.) */
        char again[PATH_MAX];
        if (linked && (!realpath(path, again) || strcmp(again, real) != 0)) {
            close(pfd);
            continue;
        }
        *fd = pfd;
        snprintf(dir, n, "%s", real);
        return QUIRE_OK;
    }
    return qerr_set(err, QUIRE_EIO, "%s: could not settle on a version of the index", path);
}

void lc_reader_unpin(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* owner.c — see owner.h. */
#define _GNU_SOURCE
#include "owner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "error.h"

quire_status owner_take(owner *o, const char *path, const char *family,
                        const char *mode, const char *extra, char *err)
{
    o->fd = -1;
    if ((size_t)snprintf(o->file, sizeof o->file, "%s%s.owner", path, family) >= sizeof o->file)
        return qerr_set(err, QUIRE_EINVAL, "%s: path too long", path);
    int fd = open(o->file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return qerr_set(err, QUIRE_EIO, "%s: cannot create %s: %s", path, o->file, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char note[200];
        close(fd);
        owner_held(o->file, note, sizeof note);
        return qerr_set(err, QUIRE_ELOCKED, "%s is being written by another writer (%s)", path, note);
    }
    char head[256];
    int len = lc_writer_note(head, sizeof head, mode);
    size_t xl = extra ? strlen(extra) : 0;
    if (ftruncate(fd, 0) != 0 || write(fd, head, (size_t)len) != len ||
        (xl && write(fd, extra, xl) != (ssize_t)xl)) {
        int e = errno;
        close(fd);
        unlink(o->file);
        return qerr_set(err, QUIRE_EIO, "%s: cannot write %s: %s", path, o->file, strerror(e));
    }
    o->fd = fd;
    return QUIRE_OK;
}

void owner_release(owner *o)
{
    if (o->fd < 0)
        return;
    unlink(o->file); /* first: nobody may find it stale while it is ours */
    close(o->fd);
    o->fd = -1;
}

void owner_leave(owner *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
}

int owner_held(const char *file, char *note, size_t n)
{
    if (note && n)
        note[0] = '\0';
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (note && n) {
        ssize_t got = pread(fd, note, n - 1, 0);
        note[got > 0 ? got : 0] = '\0';
        note[strcspn(note, "\n")] = '\0';
    }
    close(fd); /* drops the shared lock, if taken */
    return held;
}

void owner_extra(const char *file, char *out, size_t n)
{
    out[0] = '\0';
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[4096];
    ssize_t got = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[got > 0 ? got : 0] = '\0';
    const char *nl = strchr(buf, '\n');
    snprintf(out, n, "%s", nl ? nl + 1 : "");
}

int owner_name(const char *name, const char *base, long *version)
{
    size_t bl = strlen(base);
    *version = -1;
    if (strncmp(name, base, bl) != 0)
        return 0;
    name += bl;
    if (strcmp(name, ".new.owner") == 0)
        return 1;
    if (strncmp(name, ".v", 2) != 0 || name[2] < '0' || name[2] > '9')
        return 0;
    char *end;
    long v = strtol(name + 2, &end, 10);
    if (strcmp(end, ".owner") != 0)
        return 0;
    *version = v;
    return 2;
}

quire_status owner_check_none(const char *path, char *err)
{
    char dir[LC_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = path;
    if (slash) {
        base = path + (slash - dir) + 1;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    DIR *d = opendir(dir);
    if (!d)
        return QUIRE_OK; /* whoever needs the directory reports it */
    quire_status st = QUIRE_OK;
    struct dirent *e;
    while (st == QUIRE_OK && (e = readdir(d))) {
        long v;
        if (!owner_name(e->d_name, base, &v))
            continue;
        char file[LC_PATH_MAX + NAME_MAX + 2], note[200];
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        if (owner_held(file, note, sizeof note))
            st = qerr_set(err, QUIRE_ELOCKED,
                          "%s is locked by another writer (%s), which is still working although its lock "
                          "file %s.lock was removed or replaced", path, *note ? note : "unknown", path);
    }
    closedir(d);
    return st;
}

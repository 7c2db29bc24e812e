/* integrity.c — see integrity.h. Linux-specific where it must be: the
 * checker runs in a child that dies with its parent (PR_SET_PDEATHSIG). */
#define _GNU_SOURCE
#include "integrity.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "lifecycle.h"
#include "strbuf.h"
#include "xapian_shim.h"

#define STAMP "quire-verified"
#define STAMP_MAX_BYTES (64 * 1024) /* a stamp is a few hundred bytes */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files that change without the database changing. */
static int ignored(const char *name)
{
    return name[0] == '.' || strcmp(name, "flintlock") == 0 || strncmp(name, STAMP, sizeof STAMP - 1) == 0 ||
           strcmp(name, "quire-obsolete") == 0;
}

/* The stamp the files in dir would get now (malloc'd), NULL on failure. */
static char *describe(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int bad = 0;
    while (!bad && (e = readdir(d))) {
        if (ignored(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                bad = 1;
            else
                names = nn;
        }
        if (!bad && !(names[n++] = strdup(e->d_name)))
            bad = 1, n--;
    }
    closedir(d);
    strbuf b = {0};
    if (!bad) {
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n && !bad; i++) {
            char p[LC_PATH_MAX];
            struct stat st;
            snprintf(p, sizeof p, "%s/%s", dir, names[i]);
            if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
                bad = 1;
                break;
            }
            sb_addf(&b, "%s %lld %lld.%09ld %lld.%09ld %llu\n", names[i], (long long)st.st_size,
                    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
                    st.st_ctim.tv_nsec, (unsigned long long)st.st_ino);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    char *s = sb_take(&b);
    if (bad) {
        free(s);
        return NULL;
    }
    return s;
}

/* The stamp stored in dir (malloc'd), or NULL. Only a regular file of a stamp's size is
 * read: anything else there (a FIFO, a link to /dev/zero) would hang or
 * fill memory, and simply does not match, so the index gets checked. */
static char *stored(const char *dir)
{
    char p[LC_PATH_MAX];
    snprintf(p, sizeof p, "%s/" STAMP, dir);
    int fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > STAMP_MAX_BYTES) {
        close(fd);
        return NULL;
    }
    strbuf b = {0};
    char buf[4096];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0 && b.len <= STAMP_MAX_BYTES)
        sb_add(&b, buf, (size_t)got);
    close(fd);
    return sb_take(&b);
}

void integrity_stamp(const char *dir)
{
    char *now = describe(dir), *old = stored(dir);
    if (now && (!old || strcmp(now, old) != 0)) {
        char tmp[LC_PATH_MAX], p[LC_PATH_MAX];
        snprintf(tmp, sizeof tmp, "%s/" STAMP ".tmp", dir);
        snprintf(p, sizeof p, "%s/" STAMP, dir);
        FILE *f = fopen(tmp, "w");
        if (f) {
            int ok = fputs(now, f) >= 0;
            ok = fclose(f) == 0 && ok;
            if (!ok || rename(tmp, p) != 0)
                unlink(tmp);
        }
    }
    free(now);
    free(old);
}

enum { CHILD_SOUND = 0, CHILD_DAMAGED = 10, CHILD_FAILED = 11 };

/* Run Xapian's checker on dir in a child process: on some damage the
 * checker itself reads out of bounds and crashes, which must not take the
 * writer with it. The child writes what it found into a pipe. */
static quire_status check_in_child(const char *dir, char *msg, size_t n)
{
    int fds[2];
    msg[0] = '\0';
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(msg, n, "cannot check it: %s", strerror(errno));
        return QUIRE_EIO;
    }
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(msg, n, "cannot check it: %s", strerror(errno));
        return QUIRE_EIO;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(CHILD_FAILED);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2); /* a crash report from inside Xapian is noise here */
        qx_err e;
        int rc = qx_db_check(dir, &e);
        if (rc != QUIRE_OK && write(fds[1], e.msg, strlen(e.msg)) < 0)
            _exit(CHILD_FAILED);
        _exit(rc == QUIRE_OK ? CHILD_SOUND : rc == QUIRE_ECORRUPT ? CHILD_DAMAGED : CHILD_FAILED);
    }
    close(fds[1]);
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fds[0], msg + got, n - 1 - got);
        if (r > 0 && (got += (size_t)r) < n - 1)
            continue;
        if (r < 0 && errno == EINTR)
            continue;
        break;
    }
    msg[got] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(msg, n, "cannot check it: %s", strerror(errno));
            return QUIRE_EIO;
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_SOUND)
        return QUIRE_OK;
    if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_FAILED)
        return QUIRE_EIO;
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DAMAGED))
        snprintf(msg, n, "Xapian's checker crashed on it (%s)",
                 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exit status not its own");
    return QUIRE_ECORRUPT;
}

quire_status integrity_before_write(const char *dir, const char *name, int force, char *err)
{
    char probe[LC_PATH_MAX];
    struct stat sb;
    snprintf(probe, sizeof probe, "%s/iamglass", dir);
    if (stat(probe, &sb) != 0)
        return QUIRE_OK; /* no database yet, or not glass: the opener says so */
    if (!force) {
        char *now = describe(dir), *old = stored(dir);
        int same = now && old && strcmp(now, old) == 0;
        free(now);
        free(old);
        if (same)
            return QUIRE_OK;
    }
    char why[512];
    quire_status st = check_in_child(dir, why, sizeof why);
    if (st == QUIRE_OK)
        return QUIRE_OK;
    if (st != QUIRE_ECORRUPT)
        return qerr_set(err, st, "%s: %s", name, why);
    return qerr_set(err, QUIRE_ECORRUPT,
                    "%s is damaged: %s. Nothing was written to it; rebuild it from its sources", name, why);
}

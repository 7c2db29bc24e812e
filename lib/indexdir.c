/* indexdir.c — see indexdir.h. The writer note is a small text file beside
 * Xapian's tables; Xapian's own lock is what actually excludes writers. */
#include "indexdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

#define WRITER_NOTE "quire-writer"

static int has_file(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static int dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    closedir(d);
    return empty;
}

quire_status indexdir_check_writable(const char *path, int no_create, char *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT)
            return qerr_set(err, QUIRE_EIO, "%s: %s", path, strerror(errno));
        if (no_create)
            return qerr_set(err, QUIRE_ENOTFOUND, "%s: no such index", path);
        return QUIRE_OK;
    }
    if (!S_ISDIR(st.st_mode))
        return qerr_set(err, QUIRE_ENOTINDEX, "%s: exists and is not an index directory", path);
    if (has_file(path, "iamglass") || dir_is_empty(path))
        return QUIRE_OK;
    if (has_file(path, "iamhoney") || has_file(path, "iamchert"))
        return qerr_set(err, QUIRE_ENOTINDEX,
                        "%s: a Xapian database of a backend quire cannot write (needs glass)", path);
    return qerr_set(err, QUIRE_ENOTINDEX,
                    "%s: not a quire index (a non-empty directory without a Xapian "
                    "database); refusing to write into it", path);
}

void indexdir_note_writer(const char *path)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/" WRITER_NOTE, path);
    FILE *f = fopen(p, "w");
    if (!f)
        return;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "pid %ld since %s\n", (long)getpid(), now);
    fclose(f);
}

void indexdir_forget_writer(const char *path)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/" WRITER_NOTE, path);
    unlink(p);
}

quire_status indexdir_locked_error(const char *path, char *err)
{
    char p[4096], line[128] = "";
    snprintf(p, sizeof p, "%s/" WRITER_NOTE, path);
    FILE *f = fopen(p, "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
        line[strcspn(line, "\n")] = '\0';
    }
    if (*line)
        return qerr_set(err, QUIRE_ELOCKED, "%s is locked by another writer (%s)", path, line);
    return qerr_set(err, QUIRE_ELOCKED, "%s is locked by another writer", path);
}

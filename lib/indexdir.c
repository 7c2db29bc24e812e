/* indexdir.c — see indexdir.h. */
#include "indexdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

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


quire_status indexdir_not_found(const char *path, char *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return qerr_set(err, QUIRE_ENOTFOUND, "%s: no such index", path);
    if (!S_ISDIR(st.st_mode))
        return qerr_set(err, QUIRE_ENOTINDEX, "%s: not a quire index (not a directory)", path);
    if (dir_is_empty(path))
        return qerr_set(err, QUIRE_ENOTINDEX, "%s: not a quire index (an empty directory)", path);
    return qerr_set(err, QUIRE_ENOTINDEX, "%s: not a quire index (a directory without a Xapian database)", path);
}

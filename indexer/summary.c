/* summary.c — see summary.h. */
#include "summary.h"

#include <dirent.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#include "quire.h"

/* Bytes under path; the top level follows a symlink (a versioned index),
 * the walk below it does not. */
static uint64_t tree_bytes(const char *path, int follow)
{
    struct stat st;
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0)
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
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        total += tree_bytes(p, 0);
    }
    closedir(d);
    return total;
}

uint64_t dir_bytes(const char *path)
{
    return tree_bytes(path, 1);
}

static void human(char *out, size_t n, double bytes)
{
    const char *u[] = {"B", "KB", "MB", "GB", "TB"};
    int i = 0;
    while (bytes >= 1000 && i < 4) {
        bytes /= 1000;
        i++;
    }
    snprintf(out, n, i ? "%.1f %s" : "%.0f %s", bytes, u[i]);
}

void summary_print_text(const summary *s, FILE *f)
{
    uint64_t n = s->outcomes[QUIRE_ADDED] + s->outcomes[QUIRE_REPLACED] + s->outcomes[QUIRE_UNCHANGED];
    char read[32], size[32];
    human(read, sizeof read, (double)s->bytes_read);
    human(size, sizeof size, (double)dir_bytes(s->index));
    double secs = s->seconds > 0 ? s->seconds : 1e-9;
    fprintf(f, "%llu documents read in %.2f s (%.0f docs/s, %.1f MB/s): %llu added, %llu replaced, "
               "%llu unchanged, %llu deleted, %llu skipped\n",
            (unsigned long long)n, s->seconds, (double)n / secs, (double)s->bytes_read / 1e6 / secs,
            (unsigned long long)s->outcomes[QUIRE_ADDED], (unsigned long long)s->outcomes[QUIRE_REPLACED],
            (unsigned long long)s->outcomes[QUIRE_UNCHANGED], (unsigned long long)s->deleted,
            (unsigned long long)s->skipped);
    if (s->duplicate_ids)
        fprintf(f, "%llu document%s had the id of an earlier one in this run and replaced it\n",
                (unsigned long long)s->duplicate_ids, s->duplicate_ids == 1 ? "" : "s");
    if (s->outcomes[QUIRE_ADDED] + s->outcomes[QUIRE_REPLACED] + s->deleted == 0)
        fprintf(f, "nothing changed\n");
    fprintf(f, "%s: %llu documents, %s on disk, input %s\n", s->index,
            (unsigned long long)s->documents, size, read);
}

void summary_print_json(const summary *s, FILE *f)
{
    json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:s}",
                          "index", s->index,
                          "added", (json_int_t)s->outcomes[QUIRE_ADDED],
                          "replaced", (json_int_t)s->outcomes[QUIRE_REPLACED],
                          "unchanged", (json_int_t)s->outcomes[QUIRE_UNCHANGED],
                          "deleted", (json_int_t)s->deleted,
                          "skipped", (json_int_t)s->skipped,
                          "duplicate_ids", (json_int_t)s->duplicate_ids,
                          "bytes_read", (json_int_t)s->bytes_read,
                          "documents", (json_int_t)s->documents,
                          "index_bytes", (json_int_t)dir_bytes(s->index),
                          "seconds", s->seconds,
                          "config", s->config);
    if (!o)
        return;
    json_dumpf(o, f, JSON_INDENT(2) | JSON_SORT_KEYS);
    fputc('\n', f);
    json_decref(o);
}

/* driver.c — main() for a fuzz target without libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file named (directories: every file in
 * them), so the seed inputs and past crashes replay in make test and
 * under ASan, with gcc. Prints "ok - fuzz/TARGET/FILE" lines. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *target, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("FAIL - fuzz/%s/%s: cannot open\n", target, path);
        return 1;
    }
    size_t cap = 1 << 16, len = 0, n;
    unsigned char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        return 1;
    LLVMFuzzerTestOneInput(buf, len); /* a crash or sanitizer report ends the run */
    free(buf);
    const char *leaf = strrchr(path, '/');
    printf("ok - fuzz/%s/%s\n", target, leaf ? leaf + 1 : path);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *target = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            bad |= run_file(target, argv[i]);
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d)
            continue;
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            names = realloc(names, (n + 1) * sizeof *names);
            names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
            sprintf(names[n++], "%s/%s", argv[i], e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, cmp);
        for (size_t j = 0; j < n; j++) {
            bad |= run_file(target, names[j]);
            free(names[j]);
        }
        free(names);
    }
    return bad;
}

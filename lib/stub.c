/* stub.c — see stub.h. */
#include "stub.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int stub_detect(const char *path, char *file, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode)) {
        snprintf(file, n, "%s", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return 0;
    if ((size_t)snprintf(file, n, "%s/XAPIANDB", path) >= n)
        return 0;
    return stat(file, &st) == 0 && S_ISREG(st.st_mode);
}

/* "HOST:PORT" (an optional leading ':' allowed) into host and port. */
static int parse_tcp(const char *s, stub_entry *e)
{
    if (*s == ':')
        s++;
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || !colon[1])
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port <= 0 || port > 65535)
        return -1;
    if (!(e->host = strndup(s, (size_t)(colon - s))))
        return -1;
    e->port = (unsigned)port;
    e->remote = 1;
    snprintf(e->label, sizeof e->label, "remote %s:%u", e->host, e->port);
    return 0;
}

static int parse_local(const char *dir, const char *p, stub_entry *e)
{
    size_t need = strlen(dir) + strlen(p) + 2;
    if (!(e->path = malloc(need)))
        return -1;
    if (p[0] == '/' || !dir[0])
        snprintf(e->path, need, "%s", p);
    else
        snprintf(e->path, need, "%s/%s", dir, p);
    snprintf(e->label, sizeof e->label, "%s", e->path);
    return 0;
}

int stub_parse(const char *file, stub_entry **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read the stub file", file);
        return -1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    char line[4096];
    unsigned lineno = 0;
    stub_entry *v = NULL;
    size_t cnt = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        char *end = p + strlen(p);
        while (end > p && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (!*p)
            continue;
        char *arg = p;
        while (*arg && !isspace((unsigned char)*arg))
            arg++;
        if (*arg)
            *arg++ = '\0';
        while (isspace((unsigned char)*arg))
            arg++;
        stub_entry *grown = realloc(v, (cnt + 1) * sizeof *v);
        if (!grown) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        v = grown;
        stub_entry *e = &v[cnt];
        memset(e, 0, sizeof *e);
        int bad;
        if (!strcmp(p, "remote"))
            bad = parse_tcp(arg, e);
        else if ((!strcmp(p, "auto") || !strcmp(p, "glass")) && *arg)
            bad = parse_local(dir, arg, e);
        else
            bad = -1;
        if (bad) {
            free(e->host);
            free(e->path);
            snprintf(err, errlen, "%s:%u: not a database line (want \"auto PATH\" or \"remote HOST:PORT\"): %s%s%s",
                     file, lineno, p, *arg ? " " : "", arg);
            rc = -1;
            break;
        }
        cnt++;
    }
    fclose(f);
    if (rc == 0 && cnt == 0) {
        snprintf(err, errlen, "%s: the stub file names no databases", file);
        rc = -1;
    }
    if (rc != 0) {
        stub_free(v, cnt);
        return -1;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void stub_free(stub_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].host);
    }
    free(v);
}

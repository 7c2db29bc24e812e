/* stub.c — see stub.h. Stubs are read here, not by Xapian, so that each
 * database can be opened on its own and a stub naming itself is an error
 * rather than an endless recursion. */
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

int stub_holds_database(const char *dir)
{
    static const char *const own[] = {"iamglass", "iamchert", "iamhoney"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        char p[4200];
        struct stat st;
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, own[i]) < sizeof p && stat(p, &st) == 0)
            return 1;
    }
    return 0;
}

int stub_is_stub(const char *path, char *file, size_t n)
{
    if (!stub_detect(path, file, n))
        return 0;
    if (strcmp(file, path) == 0)
        return 1; /* a regular file */
    /* A directory with XAPIANDB: Xapian opens a database in it first. */
    return !stub_holds_database(path);
}

/* The stub files being expanded, outermost first, to find cycles. */
typedef struct chain {
    dev_t dev[STUB_MAX_DEPTH + 1];
    ino_t ino[STUB_MAX_DEPTH + 1];
    const char *name[STUB_MAX_DEPTH + 1];
    int depth;
} chain;

typedef struct expansion {
    stub_entry *v;
    size_t n, cap;
    char *err;
    size_t errlen;
} expansion;

static int take(expansion *x, stub_entry *e)
{
    if (x->n == STUB_MAX_DATABASES) {
        snprintf(x->err, x->errlen, "stubs name more than %d databases", STUB_MAX_DATABASES);
        return -1;
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        stub_entry *nv = realloc(x->v, cap * sizeof *nv);
        if (!nv) {
            snprintf(x->err, x->errlen, "out of memory");
            return -1;
        }
        x->v = nv;
        x->cap = cap;
    }
    x->v[x->n++] = *e;
    memset(e, 0, sizeof *e); /* moved */
    return 0;
}

static int expand(const char *file, chain *c, expansion *x)
{
    struct stat st;
    if (stat(file, &st) != 0) {
        snprintf(x->err, x->errlen, "%s: cannot read the stub file", file);
        return -1;
    }
    for (int i = 0; i < c->depth; i++) {
        if (c->dev[i] != st.st_dev || c->ino[i] != st.st_ino)
            continue;
        if (i == c->depth - 1) {
            snprintf(x->err, x->errlen, "%s: the stub file names itself", c->name[i]);
        } else {
            /* "a.stub -> b.stub -> a.stub" */
            size_t at = (size_t)snprintf(x->err, x->errlen, "%s: stub files name each other in a cycle (",
                                         c->name[i]);
            for (int k = i; k < c->depth && at < x->errlen; k++)
                at += (size_t)snprintf(x->err + at, x->errlen - at, "%s -> ", c->name[k]);
            if (at < x->errlen)
                snprintf(x->err + at, x->errlen - at, "%s)", file);
        }
        return -1;
    }
    if (c->depth == STUB_MAX_DEPTH) {
        snprintf(x->err, x->errlen, "%s: stub files nested more than %d deep", file, STUB_MAX_DEPTH);
        return -1;
    }
    stub_entry *v;
    size_t n;
    if (stub_parse(file, &v, &n, x->err, x->errlen) != 0)
        return -1;
    c->dev[c->depth] = st.st_dev;
    c->ino[c->depth] = st.st_ino;
    c->name[c->depth] = file;
    c->depth++;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char inner[4200];
        if (!v[i].remote && stub_is_stub(v[i].path, inner, sizeof inner))
            rc = expand(inner, c, x);
        else
            rc = take(x, &v[i]);
    }
    c->depth--;
    stub_free(v, n);
    return rc;
}

int stub_expand(const char *file, stub_entry **out, size_t *n, char *err, size_t errlen)
{
    chain c;
    c.depth = 0;
    expansion x = {NULL, 0, 0, err, errlen};
    *out = NULL;
    *n = 0;
    if (expand(file, &c, &x) != 0) {
        stub_free(x.v, x.n);
        return -1;
    }
    *out = x.v;
    *n = x.n;
    return 0;
}

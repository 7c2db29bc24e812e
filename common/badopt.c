/* badopt.c — see badopt.h. */
#include "badopt.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* The element getopt was at when the last call began: a refused letter
 * inside "-abc" leaves optind on that element, one that ends it (or a long
 * option) moves optind past. */
static const char *at_call;

int badopt_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, int *longidx)
{
    at_call = optind < argc ? argv[optind] : NULL;
    return getopt_long(argc, argv, shortopts, longopts, longidx);
}

/* The "-abc" element holding the short option getopt just refused, or
 * NULL for a long one. */
static const char *refused_cluster(int c, char **argv)
{
    const char *cur = argv[optind]; /* argv[argc] is NULL */
    if (c == '?' && optopt && cur && cur == at_call && cur[0] == '-' && cur[1] && cur[1] != '-' &&
        strchr(cur + 1, optopt))
        return cur;
    const char *prev = argv[optind - 1];
    if (strncmp(prev, "--", 2) == 0 || (c == '?' && !optopt))
        return NULL;
    return prev;
}

const char *badopt_describe(int c, char **argv, char *name, unsigned cap)
{
    if (refused_cluster(c, argv)) {
        snprintf(name, cap, "-%c", optopt);
    } else { /* a long option: its name, without "=value" */
        const char *arg = argv[optind - 1];
        snprintf(name, cap, "%.*s", (int)strcspn(arg, "="), arg);
        if (c == '?' && optopt) /* getopt knows it: "--flag=value" */
            return "option takes no value";
    }
    return c == ':' ? "option needs a value" : "unknown option";
}

int badopt_in_word(int c, char **argv)
{
    const char *cl = c == '?' ? refused_cluster(c, argv) : NULL;
    return cl && strlen(cl) > 2;
}

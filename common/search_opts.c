/* search_opts.c — see search_opts.h. Every check of a search option lives
 * here, so quire-query and quire-serve refuse the same values with the
 * same words. */
#include "search_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int search_opts_parse_range(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > SEARCH_OPTS_MAX_COUNT || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int search_opts_parse_seconds(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo) || !(v <= hi))
        return -1;
    *out = v;
    return 0;
}

/* A flag's value: absent (a bare --any) or 1/true/yes/on is on;
 * ""/0/false/no/off is off; anything else is -1. */
static int parse_flag(const char *v)
{
    static const char *const on[] = {"1", "true", "yes", "on"};
    static const char *const off[] = {"", "0", "false", "no", "off"};
    if (!v)
        return 1;
    for (size_t i = 0; i < sizeof on / sizeof *on; i++)
        if (strcmp(v, on[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof off / sizeof *off; i++)
        if (strcmp(v, off[i]) == 0)
            return 0;
    return -1;
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define COUNT_STR "100000000" /* SEARCH_OPTS_MAX_COUNT */

static int bad(char *err, size_t errlen, const char *prefix, const char *name, const char *what,
               const char *value)
{
    snprintf(err, errlen, "%s%s %s: %s", prefix, name, what, value ? value : "(none)");
    return -1;
}

int search_opt_set(const char *prefix, const char *name, const char *value,
                   quire_search_options *so, quire_searcher_options *sopts,
                   char *err, size_t errlen)
{
#define IS(s) (strcmp(name, s) == 0)
    if (so && IS("limit")) {
        if (search_opts_parse_range(value, 0, SEARCH_OPTS_MAX_COUNT, &so->limit) != 0)
            return bad(err, errlen, prefix, name, "needs a number from 0 to " COUNT_STR, value);
    } else if (so && IS("offset")) {
        if (search_opts_parse_range(value, 0, SEARCH_OPTS_MAX_COUNT, &so->offset) != 0)
            return bad(err, errlen, prefix, name, "needs a number from 0 to " COUNT_STR, value);
    } else if (so && IS("sort")) {
        if (value && strcmp(value, "relevance") == 0)
            so->sort = QUIRE_SORT_RELEVANCE;
        else if (value && strcmp(value, "date") == 0)
            so->sort = QUIRE_SORT_DATE;
        else if (value && strcmp(value, "-date") == 0)
            so->sort = QUIRE_SORT_DATE_DESC;
        else
            return bad(err, errlen, prefix, name, "must be relevance, date or -date", value);
    } else if (so && IS("rank")) {
        if (value && strcmp(value, "proximity") == 0)
            so->rank = QUIRE_RANK_PROXIMITY;
        else if (value && strcmp(value, "bm25") == 0)
            so->rank = QUIRE_RANK_BM25;
        else
            return bad(err, errlen, prefix, name, "must be proximity or bm25", value);
    } else if (so && IS("any")) {
        int on = parse_flag(value);
        if (on < 0)
            return bad(err, errlen, prefix, name, "must be on or off (1/0, true/false, yes/no)", value);
        so->default_op = on ? QUIRE_OP_OR : QUIRE_OP_AND;
    } else if (so && IS("lang")) {
        /* The library checks the code itself and says why it is not one. */
        if (!value || !*value)
            return bad(err, errlen, prefix, name, "needs a language code", value);
        so->lang = value;
    } else if (so && IS("snippet-length")) {
        if (search_opts_parse_range(value, 20, 10000, &so->snippet_length) != 0)
            return bad(err, errlen, prefix, name, "needs a number from 20 to 10000", value);
    } else if (sopts && IS("max-wildcard")) {
        if (search_opts_parse_range(value, 1, SEARCH_OPTS_MAX_COUNT, &sopts->max_wildcard_terms) != 0)
            return bad(err, errlen, prefix, name, "needs a positive number", value);
    } else if (sopts && IS("max-query-bytes")) {
        unsigned n;
        if (search_opts_parse_range(value, 1, SEARCH_OPTS_MAX_COUNT, &n) != 0)
            return bad(err, errlen, prefix, name, "needs a positive number", value);
        sopts->max_query_bytes = n;
    } else if (sopts && IS("max-depth")) {
        /* Capped where the parser's stack use is known to fit (quire.h). */
        if (search_opts_parse_range(value, 1, QUIRE_MAX_DEPTH_LIMIT, &sopts->max_depth) != 0)
            return bad(err, errlen, prefix, name, "needs a number from 1 to " STR(QUIRE_MAX_DEPTH_LIMIT), value);
    } else if (sopts && IS("partial")) {
        int on = parse_flag(value);
        if (on < 0)
            return bad(err, errlen, prefix, name, "must be on or off", value);
        sopts->partial = on;
    } else if (sopts && IS("timeout")) {
        char *end;
        double t = value ? strtod(value, &end) : 0;
        if (!value || !*value || *end || !(t > 0) || t > 3600)
            return bad(err, errlen, prefix, name, "needs a number of seconds (at most 3600)", value);
        sopts->timeout = t;
    } else {
        return 0;
    }
    return 1;
#undef IS
}

/*
 * search_opts.h — the search options quire-query and quire-serve share:
 * one parser, one set of limits and one set of messages, whether a value
 * comes from the command line (--limit 5) or a URL (limit=5).
 */
#ifndef QUIRE_COMMON_SEARCH_OPTS_H
#define QUIRE_COMMON_SEARCH_OPTS_H

#include <stddef.h>

#include "quire.h"

/* The largest limit or offset either program accepts. */
#define SEARCH_OPTS_MAX_COUNT 100000000u

/*
 * Set the option called name ("limit", "offset", "sort", "rank", "any", "lang",
 * "snippet-length", "max-wildcard", "max-query-bytes", "max-depth",
 * "partial", "timeout") from value, in *so (per search) or *sopts (per
 * searcher); either may be NULL when the caller does not take those
 * options. value is NULL for a flag given without one (--any). Returns 1
 * if set, 0 if name is not one of these, -1 if value is bad, with a message
 * in err naming the option as prefix followed by name ("--limit needs a
 * number: x"). Strings are not copied: value must outlive *so.
 */
int search_opt_set(const char *prefix, const char *name, const char *value,
                   quire_search_options *so, quire_searcher_options *sopts,
                   char *err, size_t errlen);

/* Parse a decimal number in [lo, hi] (hi at most SEARCH_OPTS_MAX_COUNT);
 * -1 if s is not one. */
int search_opts_parse_range(const char *s, unsigned lo, unsigned hi, unsigned *out);

/* Parse a number of seconds in [lo, hi] ("", "nan" and trailing text are
 * not one); -1 if s is not one. */
int search_opts_parse_seconds(const char *s, double lo, double hi, double *out);

/* The getopt_long entries of the searcher options both programs take
 * (the query limits and shards), each returning code. */
#define SEARCH_OPTS_SEARCHER_LONGOPTS(code)                                    \
    {"max-wildcard", required_argument, 0, code},                              \
    {"max-query-bytes", required_argument, 0, code},                           \
    {"max-depth", required_argument, 0, code},                                 \
    {"partial", no_argument, 0, code},                                         \
    {"timeout", required_argument, 0, code}

#endif

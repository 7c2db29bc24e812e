/*
 * badopt.h — one line for an option getopt_long refused, the same in
 * every program: getopt's own complaint is switched off (opterr = 0) and
 * the option string starts with ':', so that a missing value and an
 * unknown option can be told apart.
 */
#ifndef QUIRE_COMMON_BADOPT_H
#define QUIRE_COMMON_BADOPT_H

struct option;

/* getopt_long(), noting where it starts, so that badopt_describe() can
 * tell which element a refused option came from. */
int badopt_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, int *longidx);

/* The option getopt_long just refused, as given ("--bogus", "-Z"), into
 * name (cap bytes); returns the problem: "option needs a value" for
 * c == ':', "option takes no value" for "--flag=value", "unknown option"
 * otherwise. */
const char *badopt_describe(int c, char **argv, char *name, unsigned cap);

/* Whether the option refused was an unknown letter of a longer "-abc"
 * element: often a query or value starting with '-' that needed "--"
 * before it. */
int badopt_in_word(int c, char **argv);

#endif

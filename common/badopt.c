/* badopt.c — see badopt.h. */
#include "badopt.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char *badopt_describe(int c, char **argv, char *name, unsigned cap)
{
    const char *arg = argv[optind - 1];
    if (strncmp(arg, "--", 2) == 0) /* a long option: its name, without "=value" */
        snprintf(name, cap, "%.*s", (int)strcspn(arg, "="), arg);
    else
        snprintf(name, cap, "-%c", optopt);
    return c == ':' ? "option needs a value" : "unknown option";
}

/*
 * cli.h — what quire-index's options asked for, shared by its modes.
 */
#ifndef QUIRE_INDEXER_CLI_H
#define QUIRE_INDEXER_CLI_H

#include <signal.h>

#include "quire.h"

typedef enum { MODE_UPDATE, MODE_REBUILD, MODE_DELETE, MODE_COMPACT, MODE_STATS, MODE_MERGE,
               MODE_SYNONYMS, MODE_CHECK } cli_mode;

typedef struct cli {
    const char *index;
    cli_mode mode;
    int prune, keep_going, quiet, json;
    quire_index_options iopts;
    quire_reader_options ropts;
    char **args;    /* sources, ids for --delete, the output for --merge */
    int nargs;
    const char *synonyms; /* --synonyms FILE, or NULL */
} cli;

/* Set by SIGINT/SIGTERM: stop at the next document. */
extern volatile sig_atomic_t cli_interrupted;

/* The modes; each returns the exit status (0, 1 or 2). */
int run_index(const cli *c);
int run_delete(const cli *c);
int run_compact(const cli *c);
int run_merge(const cli *c);
int run_stats(const cli *c);
/* --synonyms FILE without sources: replace the list and commit. */
int run_synonyms(const cli *c);
/* Store the --synonyms file in idx (0), or say why not (2). */
int apply_synonyms(const cli *c, quire_index *idx);
int run_check(const cli *c);
/* Say why quire_index_open(c->index) failed with st, and for a damaged or
 * outdated index the command that rebuilds it (the library's messages
 * name no command line). */
void report_open_failure(const cli *c, quire_index *idx, quire_status st);

#endif

/*
 * quire-index — build, update and maintain a quire index.
 *
 * A thin program over libquire's public API (quire.h): this file parses
 * options and picks a mode; run_index.c reads sources into the index,
 * run_admin.c deletes, compacts and reports. Exit status: 0 success, 1
 * finished but some input was skipped (unless --keep-going), 2 usage or
 * fatal error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badopt.h"
#include "cli.h"
#include "search_opts.h"

volatile sig_atomic_t cli_interrupted;

/* How long a writer may take to stop after SIGINT/SIGTERM: it finishes
 * the document in hand and commits what it has (a batch commits in well
 * under a second), unless it is stuck inside Xapian. */
enum { STOP_GRACE_SECONDS = 5 };

static void say(const char *msg)
{
    if (write(2, msg, strlen(msg)) < 0) {
        /* nothing more to do in a signal handler */
    }
}

/* The writer did not stop in time (stuck in Xapian, a long merge):
 * stop now. Glass commits are atomic, so the index stays as of its last
 * commit; leftovers are cleaned up (or resumed) by the next run. */
static void on_alarm(int sig)
{
    (void)sig;
    say("quire-index: still busy after the signal; stopping now (the index is as of its last commit)\n");
    _exit(2);
}

/* First SIGINT/SIGTERM: stop at the next document; a second one, or the
 * grace period running out: stop at once. */
static void on_signal(int sig)
{
    (void)sig;
    if (cli_interrupted) {
        say("quire-index: stopping at once (the index is as of its last commit)\n");
        _exit(2);
    }
    cli_interrupted = 1;
    say("quire-index: interrupted; finishing up (signal again to stop at once)\n");
    alarm(STOP_GRACE_SECONDS);
}

static void usage(FILE *f)
{
    fputs(
        "Usage: quire-index -d INDEX [OPTION]... SOURCE...\n"
        "       quire-index -d INDEX --delete ID...\n"
        "       quire-index -d INDEX --compact | --stats | --check\n"
        "       quire-index -d INDEX --merge OUT\n"
        "       quire-index -d INDEX --synonyms FILE [SOURCE...]\n"
        "Index articles into INDEX (created if missing). Documents whose id is\n"
        "already there are replaced, unchanged ones are skipped.\n"
        "\n"
        "SOURCE is a directory (walked recursively; one article per text file,\n"
        "JSON-lines files inside are read too), a file (.txt, .md, .jsonl,\n"
        ".ndjson, any of them gzip'd), or - for standard input.\n"
        "\n"
        "Modes:\n"
        "      --update           add new, replace changed, skip unchanged\n"
        "                         documents (the default)\n"
        "      --prune            with --update: also delete documents that the\n"
        "                         sources no longer hold (not if input was skipped)\n"
        "      --rebuild          build a complete new version beside the live\n"
        "                         index, compact it and switch to it atomically;\n"
        "                         the live index is untouched if anything fails\n"
        "      --delete           remove the documents with the ids given\n"
        "      --merge OUT        write the index (all shards of a sharded one)\n"
        "                         as one compacted index at OUT\n"
        "      --shards=N         a new index as N (1 to 256) shard databases\n"
        "                         built in parallel, with a stub file naming them\n"
        "      --compact          compact the index into a new version, switched\n"
        "                         to atomically\n"
        "      --stats            show documents, terms, size, configuration,\n"
        "                         synonym groups and the time of the last update\n"
        "      --synonyms=FILE    replace the index's synonym list with FILE (- for\n"
        "                         standard input): one group per line, entries\n"
        "                         separated by commas, e.g. 'dprk, north korea';\n"
        "                         # starts a comment line; an empty file removes\n"
        "                         them all. Kept across --rebuild; with SOURCEs,\n"
        "                         stored with that run\n"
        "      --check            check the whole index for damage with Xapian's\n"
        "                         checker (exit 2 and what is damaged if it is)\n"
        "\n"
        "Options:\n"
        "  -d, --index=DIR        the index (default: $QUIRE_INDEX)\n"
        "  -f, --format=FMT       auto (default), text or jsonl\n"
        "  -l, --lang=CODE        default language of a new index (default en);\n"
        "                         a document's own lang field wins\n"
        "      --fold-accents     new index: match words regardless of accents\n"
        "      --stopwords=WHEN   new index: query (default: index every word,\n"
        "                         drop stopwords from unquoted query words), none,\n"
        "                         or index (never index them)\n"
        "      --positions=WHAT   new index: words (default) or stems (smaller,\n"
        "                         faster; phrases then match on stems)\n"
        "      --spelling         new index (or a rebuild): keep Xapian's spelling\n"
        "                         table for did-you-mean (20-55% more indexing\n"
        "                         time in bench runs; by default suggestions come\n"
        "                         from the term list)\n"
        "      --no-spelling      with --rebuild: drop the spelling table\n"
        "      --verify           before writing into the index, check all of it\n"
        "                         for damage (otherwise only when its files were\n"
        "                         changed by anything but a quire writer)\n"
        "      --keep-previous    after --rebuild or --compact, keep the previous\n"
        "                         version for rollback\n"
        "      --max-doc-size=N   largest document read, bytes (K/M/G suffixes;\n"
        "                         default 16M); longer text files are cut\n"
        "      --batch=N          commit every N documents (default 600; at most\n"
        "                         100000000)\n"
        "      --batch-size=N     or every N bytes of text (default 2M)\n"
        "      --wait=SECONDS     wait for another writer to finish (default 0; at\n"
        "                         most 31536000, a year)\n"
        "      --threads=N        writers (1 to 64) for a new index or a rebuild,\n"
        "                         each building a shard merged at the end\n"
        "                         (default: one per CPU, at most 8)\n"
        "      --hidden           also read files and directories starting with .\n"
        "  -k, --keep-going       exit 0 even when some input was skipped\n"
        "  -q, --quiet            print nothing but errors\n"
        "      --stats-json       print the summary (or --stats) as JSON\n"
        "  -h, --help             show this help\n"
        "  -V, --version          show the version\n"
        "\n"
        "Only one writer works on an index at a time; searches are never\n"
        "blocked. Exit status: 0 done, 1 done but some input was skipped (or an\n"
        "id to delete was not found), 2 error.\n"
        "Examples:\n"
        "  quire-index -d news.idx ../shared/seeds/\n"
        "  quire-index -d news.idx articles.jsonl.gz more/\n"
        "  cat feed.jsonl | quire-index -d news.idx --format jsonl -\n"
        "  quire-index -d news.idx --update --prune corpus/\n"
        "  quire-index -d news.idx --rebuild --quiet corpus/\n",
        f);
}

static int die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "quire-index: %s%s%s\nTry 'quire-index --help'.\n", msg,
            arg ? ": " : "", arg ? arg : "");
    return 2;
}

/* getopt_long's complaint as one line of our own (common/badopt.h). */
static int bad_option(int c, char **argv)
{
    char name[64];
    const char *what = badopt_describe(c, argv, name, sizeof name);
    return die_usage(what, name);
}

/* "64M" -> bytes; 0 on error (also for a size past SIZE_MAX, which
 * shifting would have wrapped). */
static size_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return 0;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end || v > (unsigned long long)SIZE_MAX >> shift)
        return 0;
    return (size_t)(v << shift);
}


enum { OPT_FOLD = 256, OPT_STOP, OPT_POS, OPT_MAXDOC, OPT_BATCH, OPT_BATCHSIZE, OPT_WAIT,
       OPT_HIDDEN, OPT_JSON, OPT_UPDATE, OPT_PRUNE, OPT_REBUILD, OPT_DELETE, OPT_COMPACT,
       OPT_STATS, OPT_KEEP, OPT_THREADS, OPT_SHARDS, OPT_MERGE, OPT_SYNONYMS, OPT_SPELLING,
       OPT_NOSPELLING, OPT_VERIFY, OPT_CHECK };

static int set_mode(cli *c, cli_mode m, const char *name)
{
    if (c->mode != MODE_UPDATE && c->mode != m)
        return die_usage("choose one of --update, --rebuild, --delete, --compact, --merge, --stats, --check", name);
    c->mode = m;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, 0, 'd'},
        {"format", required_argument, 0, 'f'},
        {"lang", required_argument, 0, 'l'},
        {"fold-accents", no_argument, 0, OPT_FOLD},
        {"stopwords", required_argument, 0, OPT_STOP},
        {"positions", required_argument, 0, OPT_POS},
        {"max-doc-size", required_argument, 0, OPT_MAXDOC},
        {"batch", required_argument, 0, OPT_BATCH},
        {"batch-size", required_argument, 0, OPT_BATCHSIZE},
        {"wait", required_argument, 0, OPT_WAIT},
        {"hidden", no_argument, 0, OPT_HIDDEN},
        {"keep-going", no_argument, 0, 'k'},
        {"quiet", no_argument, 0, 'q'},
        {"stats-json", no_argument, 0, OPT_JSON},
        {"update", no_argument, 0, OPT_UPDATE},
        {"prune", no_argument, 0, OPT_PRUNE},
        {"rebuild", no_argument, 0, OPT_REBUILD},
        {"delete", no_argument, 0, OPT_DELETE},
        {"compact", no_argument, 0, OPT_COMPACT},
        {"stats", no_argument, 0, OPT_STATS},
        {"keep-previous", no_argument, 0, OPT_KEEP},
        {"threads", required_argument, 0, OPT_THREADS},
        {"shards", required_argument, 0, OPT_SHARDS},
        {"merge", no_argument, 0, OPT_MERGE},
        {"synonyms", required_argument, 0, OPT_SYNONYMS},
        {"spelling", no_argument, 0, OPT_SPELLING},
        {"no-spelling", no_argument, 0, OPT_NOSPELLING},
        {"verify", no_argument, 0, OPT_VERIFY},
        {"check", no_argument, 0, OPT_CHECK},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    cli c;
    memset(&c, 0, sizeof c);
    quire_index_options_init(&c.iopts, QUIRE_INDEX_OPTIONS_VERSION);
    quire_reader_options_init(&c.ropts, QUIRE_READER_OPTIONS_VERSION);
    c.index = getenv("QUIRE_INDEX");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c.iopts.threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
    int opt, bad = 0;
    opterr = 0;
    while ((opt = badopt_getopt(argc, argv, ":d:f:l:kqhV", longopts, NULL)) != -1 && !bad) {
        switch (opt) {
        case 'd': c.index = optarg; break;
        case 'f':
            if (strcmp(optarg, "auto") == 0) c.ropts.format = QUIRE_FORMAT_AUTO;
            else if (strcmp(optarg, "text") == 0) c.ropts.format = QUIRE_FORMAT_TEXT;
            else if (strcmp(optarg, "jsonl") == 0) c.ropts.format = QUIRE_FORMAT_JSONL;
            else return die_usage("--format must be auto, text or jsonl", optarg);
            break;
        case 'l': c.iopts.lang = optarg; break;
        case OPT_FOLD: c.iopts.fold_accents = 1; break;
        case OPT_STOP:
            if (strcmp(optarg, "query") == 0) c.iopts.stopwords = QUIRE_STOPWORDS_QUERY;
            else if (strcmp(optarg, "none") == 0) c.iopts.stopwords = QUIRE_STOPWORDS_NONE;
            else if (strcmp(optarg, "index") == 0) c.iopts.stopwords = QUIRE_STOPWORDS_INDEX;
            else return die_usage("--stopwords must be query, none or index", optarg);
            break;
        case OPT_POS:
            if (strcmp(optarg, "words") == 0) c.iopts.positions = QUIRE_POSITIONS_WORDS;
            else if (strcmp(optarg, "stems") == 0) c.iopts.positions = QUIRE_POSITIONS_STEMS;
            else return die_usage("--positions must be words or stems", optarg);
            break;
        case OPT_MAXDOC:
            if (!(c.ropts.max_doc_bytes = parse_size(optarg)))
                return die_usage("--max-doc-size needs a positive size such as 16M", optarg);
            break;
        case OPT_BATCH:
            if (search_opts_parse_range(optarg, 1, SEARCH_OPTS_MAX_COUNT, &c.iopts.batch_docs) != 0)
                return die_usage("--batch needs a number from 1 to 100000000", optarg);
            break;
        case OPT_BATCHSIZE:
            if (!(c.iopts.batch_bytes = parse_size(optarg)))
                return die_usage("--batch-size needs a positive size such as 32M", optarg);
            break;
        case OPT_WAIT:
            if (search_opts_parse_seconds(optarg, 0, 31536000, &c.iopts.lock_wait) != 0)
                return die_usage("--wait needs a number of seconds from 0 to 31536000 (a year)", optarg);
            break;
        case OPT_HIDDEN: c.ropts.include_hidden = 1; break;
        case OPT_KEEP: c.iopts.keep_previous = 1; break;
        case OPT_THREADS:
            if (search_opts_parse_range(optarg, 1, QUIRE_MAX_THREADS, &c.iopts.threads) != 0)
                return die_usage("--threads needs a number from 1 to 64", optarg);
            break;
        case 'k': c.keep_going = 1; break;
        case 'q': c.quiet = 1; break;
        case OPT_JSON: c.json = 1; break;
        case OPT_UPDATE: bad = set_mode(&c, MODE_UPDATE, "--update"); break;
        case OPT_PRUNE: c.prune = 1; break;
        case OPT_REBUILD: bad = set_mode(&c, MODE_REBUILD, "--rebuild"); break;
        case OPT_DELETE: bad = set_mode(&c, MODE_DELETE, "--delete"); break;
        case OPT_COMPACT: bad = set_mode(&c, MODE_COMPACT, "--compact"); break;
        case OPT_STATS: bad = set_mode(&c, MODE_STATS, "--stats"); break;
        case OPT_MERGE: bad = set_mode(&c, MODE_MERGE, "--merge"); break;
        case OPT_SYNONYMS: c.synonyms = optarg; break;
        case OPT_SPELLING: c.iopts.spelling = 1; break;
        case OPT_NOSPELLING: c.iopts.spelling = 0; break;
        case OPT_CHECK: bad = set_mode(&c, MODE_CHECK, "--check"); break;
        case OPT_VERIFY: c.iopts.flags |= QUIRE_INDEX_VERIFY; break;
        case OPT_SHARDS:
            if (search_opts_parse_range(optarg, 1, QUIRE_MAX_SHARDS, &c.iopts.shards) != 0)
                return die_usage("--shards needs a number from 1 to 256", optarg);
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("quire-index %s\n", quire_version()); return 0;
        default: return bad_option(opt, argv);
        }
    }
    if (bad)
        return bad;
    if (!c.index || !*c.index)
        return die_usage("no index given (use -d INDEX or set QUIRE_INDEX)", NULL);
    c.args = argv + optind;
    c.nargs = argc - optind;
    if (c.prune && c.mode != MODE_UPDATE)
        return die_usage("--prune goes with --update", NULL);
    if (c.synonyms && c.mode != MODE_UPDATE && c.mode != MODE_REBUILD)
        return die_usage("--synonyms goes with an update or a rebuild, or alone", NULL);
    for (int i = 0; c.synonyms && strcmp(c.synonyms, "-") == 0 && i < c.nargs; i++)
        if (strcmp(c.args[i], "-") == 0)
            return die_usage("standard input cannot be both the synonym list and a SOURCE", NULL);
    if (c.synonyms && c.mode == MODE_UPDATE && c.nargs == 0 && !c.prune)
        c.mode = MODE_SYNONYMS;
    if ((c.mode == MODE_UPDATE || c.mode == MODE_REBUILD) && c.nargs == 0)
        return die_usage("no SOURCE given (a directory, a file, or - for standard input)", NULL);
    if (c.mode == MODE_DELETE && c.nargs == 0)
        return die_usage("--delete needs the ids of the documents to remove", NULL);
    if (c.mode == MODE_MERGE && c.nargs != 1)
        return die_usage("--merge needs exactly one output path", NULL);
    if ((c.mode == MODE_COMPACT || c.mode == MODE_STATS || c.mode == MODE_CHECK) && c.nargs)
        return die_usage("--compact, --stats and --check take no other arguments", c.args[0]);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    /* A file-size limit (ulimit -f) then shows up as a write error with a
     * message, instead of killing the process. */
    signal(SIGXFSZ, SIG_IGN);
    switch (c.mode) {
    case MODE_DELETE: return run_delete(&c);
    case MODE_COMPACT: return run_compact(&c);
    case MODE_MERGE: return run_merge(&c);
    case MODE_STATS: return run_stats(&c);
    case MODE_SYNONYMS: return run_synonyms(&c);
    case MODE_CHECK: return run_check(&c);
    default: return run_index(&c);
    }
}

/*
 * quire-index — build or update a quire index from articles.
 *
 * A thin program over libquire's public API (quire.h): options, progress
 * and the closing summary live here; reading, analysis and writing are the
 * library's. Exit status: 0 success, 1 finished but some input was skipped
 * (unless --keep-going), 2 usage or fatal error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quire.h"
#include "progress.h"
#include "summary.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *f)
{
    fputs(
        "Usage: quire-index -d INDEX [OPTION]... SOURCE...\n"
        "Index articles into INDEX (created if missing; documents with an id\n"
        "already in it are replaced, unchanged ones are skipped).\n"
        "\n"
        "SOURCE is a directory (walked recursively; one article per text file,\n"
        "JSON-lines files inside are read too), a file (.txt, .md, .jsonl,\n"
        ".ndjson, any of them gzip'd), or - for standard input.\n"
        "\n"
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
        "      --max-doc-size=N   largest document read, bytes (K/M/G suffixes;\n"
        "                         default 64M); longer text files are cut\n"
        "      --batch=N          commit every N documents (default 10000)\n"
        "      --wait=SECONDS     wait for another writer to finish (default 0)\n"
        "      --hidden           also read files and directories starting with .\n"
        "  -k, --keep-going       exit 0 even when some input was skipped\n"
        "  -q, --quiet            print nothing but errors\n"
        "      --stats-json       print the summary as JSON on standard output\n"
        "  -h, --help             show this help\n"
        "  -V, --version          show the version\n"
        "\n"
        "Exit status: 0 done, 1 done but some input was skipped, 2 error.\n"
        "Examples:\n"
        "  quire-index -d news.idx ../shared/seeds/\n"
        "  quire-index -d news.idx articles.jsonl.gz more/\n"
        "  cat feed.jsonl | quire-index -d news.idx --format jsonl -\n",
        f);
}

static int die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "quire-index: %s%s%s\nTry 'quire-index --help'.\n", msg,
            arg ? ": " : "", arg ? arg : "");
    return 2;
}

/* "64M" -> bytes; 0 on error. */
static size_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return 0;
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: break;
    }
    return *end ? 0 : (size_t)v;
}

typedef struct run {
    int quiet;
    progress prog;
} run;

static void on_warning(void *ctx, const char *where, const char *msg)
{
    run *r = ctx;
    if (r->quiet)
        return;
    progress_clear(&r->prog);
    fprintf(stderr, "quire-index: warning: %s: %s\n", where, msg);
}

enum { OPT_FOLD = 256, OPT_STOP, OPT_POS, OPT_MAXDOC, OPT_BATCH, OPT_WAIT,
       OPT_HIDDEN, OPT_JSON };

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
        {"wait", required_argument, 0, OPT_WAIT},
        {"hidden", no_argument, 0, OPT_HIDDEN},
        {"keep-going", no_argument, 0, 'k'},
        {"quiet", no_argument, 0, 'q'},
        {"stats-json", no_argument, 0, OPT_JSON},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    quire_index_options iopts;
    quire_reader_options ropts;
    quire_index_options_init(&iopts, QUIRE_INDEX_OPTIONS_VERSION);
    quire_reader_options_init(&ropts, QUIRE_READER_OPTIONS_VERSION);
    const char *index = getenv("QUIRE_INDEX");
    int keep_going = 0, json = 0, c;
    run r = {0};
    char *end;
    while ((c = getopt_long(argc, argv, "d:f:l:kqhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': index = optarg; break;
        case 'f':
            if (strcmp(optarg, "auto") == 0) ropts.format = QUIRE_FORMAT_AUTO;
            else if (strcmp(optarg, "text") == 0) ropts.format = QUIRE_FORMAT_TEXT;
            else if (strcmp(optarg, "jsonl") == 0) ropts.format = QUIRE_FORMAT_JSONL;
            else return die_usage("--format must be auto, text or jsonl", optarg);
            break;
        case 'l': iopts.lang = optarg; break;
        case OPT_FOLD: iopts.fold_accents = 1; break;
        case OPT_STOP:
            if (strcmp(optarg, "query") == 0) iopts.stopwords = QUIRE_STOPWORDS_QUERY;
            else if (strcmp(optarg, "none") == 0) iopts.stopwords = QUIRE_STOPWORDS_NONE;
            else if (strcmp(optarg, "index") == 0) iopts.stopwords = QUIRE_STOPWORDS_INDEX;
            else return die_usage("--stopwords must be query, none or index", optarg);
            break;
        case OPT_POS:
            if (strcmp(optarg, "words") == 0) iopts.positions = QUIRE_POSITIONS_WORDS;
            else if (strcmp(optarg, "stems") == 0) iopts.positions = QUIRE_POSITIONS_STEMS;
            else return die_usage("--positions must be words or stems", optarg);
            break;
        case OPT_MAXDOC:
            if (!(ropts.max_doc_bytes = parse_size(optarg)))
                return die_usage("--max-doc-size needs a positive size such as 64M", optarg);
            break;
        case OPT_BATCH:
            iopts.batch_docs = (unsigned)strtoul(optarg, &end, 10);
            if (*end || !iopts.batch_docs)
                return die_usage("--batch needs a positive number", optarg);
            break;
        case OPT_WAIT:
            iopts.lock_wait = strtod(optarg, &end);
            if (*end || iopts.lock_wait < 0)
                return die_usage("--wait needs a number of seconds", optarg);
            break;
        case OPT_HIDDEN: ropts.include_hidden = 1; break;
        case 'k': keep_going = 1; break;
        case 'q': r.quiet = 1; break;
        case OPT_JSON: json = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("quire-index %s\n", quire_version()); return 0;
        default: return die_usage("invalid option", NULL);
        }
    }
    if (!index || !*index)
        return die_usage("no index given (use -d INDEX or set QUIRE_INDEX)", NULL);
    if (optind >= argc)
        return die_usage("no SOURCE given (a directory, a file, or - for standard input)", NULL);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    progress_init(&r.prog, !r.quiet && !json && isatty(2));
    ropts.on_warning = on_warning;
    ropts.warning_ctx = &r;

    quire_index *idx;
    quire_status st = quire_index_open(index, &iopts, &idx);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_index_close(idx);
        return 2;
    }
    quire_reader *rd;
    st = quire_reader_open((const char *const *)argv + optind, (size_t)(argc - optind), &ropts, &rd);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_reader_errmsg(rd));
        quire_reader_close(rd);
        quire_index_close(idx);
        return 2;
    }

    summary s = {0};
    s.index = index;
    int fatal = 0;
    const quire_document *doc;
    while (!interrupted) {
        st = quire_reader_next(rd, &doc);
        if (st == QUIRE_DONE)
            break;
        if (st == QUIRE_EINPUT) {
            progress_clear(&r.prog);
            fprintf(stderr, "quire-index: %s\n", quire_reader_errmsg(rd));
            s.skipped++;
            continue;
        }
        if (st != QUIRE_OK) {
            progress_clear(&r.prog);
            fprintf(stderr, "quire-index: %s\n", quire_reader_errmsg(rd));
            fatal = 1;
            break;
        }
        quire_add_outcome out;
        st = quire_index_add(idx, doc, &out);
        if (st == QUIRE_EINVAL) {
            progress_clear(&r.prog);
            fprintf(stderr, "quire-index: %s: %s, skipped\n", quire_reader_location(rd),
                    quire_index_errmsg(idx));
            s.skipped++;
            continue;
        }
        if (st != QUIRE_OK) {
            progress_clear(&r.prog);
            fprintf(stderr, "quire-index: %s: %s\n", quire_reader_location(rd), quire_index_errmsg(idx));
            fatal = 1;
            break;
        }
        s.outcomes[out]++;
        uint64_t done, total;
        quire_reader_progress(rd, &done, &total);
        progress_update(&r.prog, s.outcomes[0] + s.outcomes[1] + s.outcomes[2], done, total);
    }
    progress_clear(&r.prog);
    quire_reader_progress(rd, &s.bytes_read, NULL);
    quire_reader_close(rd);

    /* Commit what was done, even after an error or interruption: nothing
     * already indexed is thrown away. */
    st = quire_index_commit(idx);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        fatal = 1;
    }
    quire_index_doc_count(idx, &s.documents);
    snprintf(s.config, sizeof s.config, "%s", quire_index_config(idx));
    if (quire_index_close(idx) != QUIRE_OK && !fatal) {
        fprintf(stderr, "quire-index: closing %s failed\n", index);
        fatal = 1;
    }
    s.seconds = now_seconds() - r.prog.start;
    if (interrupted) {
        fprintf(stderr, "quire-index: interrupted; work done so far was committed\n");
        fatal = 1;
    }
    if (json)
        summary_print_json(&s, stdout);
    else if (!r.quiet)
        summary_print_text(&s, stdout);
    if (fatal)
        return 2;
    return (s.skipped && !keep_going) ? 1 : 0;
}

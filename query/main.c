/*
 * quire-query — search a quire index from the command line.
 *
 * A thin program over libquire's public API: option parsing, the caret
 * display of query errors, and output formats (output.h). Exit status like
 * grep: 0 something matched, 1 nothing did, 2 error.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badopt.h"
#include "caret.h"
#include "output.h"
#include "quire.h"
#include "search_opts.h"

static void usage(FILE *f)
{
    fputs(
        "Usage: quire-query [-d INDEX] [OPTION]... QUERY...\n"
        "       quire-query [-d INDEX] --like ID [OPTION]... [QUERY...]\n"
        "       quire-query [-d INDEX] --show ID [QUERY...]\n"
        "Search INDEX (default: $QUIRE_INDEX). Words of QUERY given as several\n"
        "arguments are joined with spaces. When a word is not in the index and a\n"
        "close spelling is, a corrected query is offered (\"Did you mean: ...?\").\n"
        "\n"
        "Query language:\n"
        "  north korea            both words (stems match: deploying finds deployed)\n"
        "  =deploying             this exact word only\n"
        "  \"kim jong un\"          exact phrase (also matches Kim Jong-un)\n"
        "  \"kim un\"~2             phrase with up to 2 other words in between\n"
        "  russia OR moscow       either word; AND, NOT, AND NOT, ( ) too\n"
        "  +seoul -pyongyang      require / exclude a word, phrase or ( group )\n"
        "  seoul NEAR/5 troops    within 5 words of each other, any order\n"
        "  ukrain*                words starting with ukrain (2+ characters)\n"
        "  title:seoul  author:park  source:\"harbor times\"  id:01-seoul.txt  lang:de\n"
        "  title:(seoul OR kyiv)  a field applies to a word, a phrase or a group\n"
        "  source:=\"Harbor Times\"  author:=\"Mina Park\"   the whole source / one whole\n"
        "                         author name (what a facet value filters by)\n"
        "  date:2024-10-22  date:2024-10..2024-12  date:..2024-06-30  year:2024\n"
        "  id:\"a \\\"quoted\\\" id\"   inside quotes, \\\" is a quote and \\\\ a backslash\n"
        "Operators are upper-case. NEAR binds tightest, then NOT, + and -, then\n"
        "the space between words, then AND, then OR: NOT a NEAR/3 b is\n"
        "NOT (a NEAR/3 b). Unquoted stopwords (the, of, ...) are ignored when\n"
        "other words are given; inside quotes they count.\n"
        "\n"
        "Options:\n"
        "  -d, --index=DIR         the index (or a stub file of several)\n"
        "      --any               match any word (ranked OR) instead of all\n"
        "  -n, --limit=N           hits to show (default 10)\n"
        "      --offset=N          hits to skip (default 0)\n"
        "      --sort=ORDER        relevance (default), date (oldest first) or\n"
        "                          -date (newest first)\n"
        "      --rank=MODEL        proximity (default): BM25 plus a bonus where\n"
        "                          adjacent query words occur close together;\n"
        "                          bm25: single words only\n"
        "  -f, --format=FMT        text (default), json, ids or html\n"
        "  -c, --count             print only the number of matches, counted\n"
        "                          exactly (\"about N\" if a time limit cut it short;\n"
        "                          with --format json, as JSON)\n"
        "      --exact-count       count every match exactly (slower on common\n"
        "                          words; by default a total beyond the page may\n"
        "                          be Xapian's estimate, marked \"about\")\n"
        "      --color=WHEN        (or --colour) auto (default: on a terminal,\n"
        "                          unless NO_COLOR is set), always or never\n"
        "      --snippet-length=N  snippet length in characters (default 200)\n"
        "      --no-snippets       leave snippets out (faster)\n"
        "      --explain           show the parsed query, the Xapian query and how\n"
        "                          hits are ranked\n"
        "      --facets=LIST       count the values of these fields over all matches:\n"
        "                          source,author,year,month,lang (any of them)\n"
        "      --facet-limit=N     values listed per field (default 10)\n"
        "      --like=ID           articles most like document ID (never ID itself);\n"
        "                          a QUERY then only filters them\n"
        "      --show=ID           print document ID whole: its fields and body\n"
        "                          (with a QUERY, its matches highlighted); exit 1\n"
        "                          when there is no such document\n"
        "      --lang=CODE         stem query words in this language only (default:\n"
        "                          every language the index has documents in)\n"
        "      --max-wildcard=N    most words one wildcard may match (default 1000)\n"
        "      --max-query-bytes=N longest query accepted (default 100000)\n"
        "      --partial           with shards: answer from those that respond and\n"
        "                          warn about the others (default: an error)\n"
        "      --timeout=SECONDS   with remote shards: how long to wait for one\n"
        "                          (default 10)\n"
        "      --time-limit=SECONDS  stop counting matches beyond the page after\n"
        "                          this long: the hits are the same; a count that\n"
        "                          would have been exact is then an estimate and\n"
        "                          the result is marked partial\n"
        "      --max-depth=N       deepest nesting of parentheses, quotes and\n"
        "                          operators accepted (default 100, at most 1000)\n"
        "  -h, --help              show this help\n"
        "  -V, --version           show the version\n"
        "\n"
        "Exit status: 0 something matched, 1 nothing matched, 2 error.\n"
        "Examples:\n"
        "  quire-query -d news.idx 'north korea troops'\n"
        "  quire-query -d news.idx '\"kim jong un\" AND (russia OR moscow) NOT shoigu'\n"
        "  quire-query -d news.idx 'title:seoul deploy*' --limit 5 --format json\n"
        "  quire-query -d news.idx --any 'artillery shells ukraine'\n"
        "  quire-query -d news.idx --facets source,year korea\n"
        "  quire-query -d news.idx 'korea source:=\"Harbor Times\"'\n"
        "  quire-query -d news.idx --like 01-seoul-weighs-shells.txt year:2024\n"
        "  quire-query -d news.idx --show 01-seoul-weighs-shells.txt shells\n",
        f);
}

static int die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "quire-query: %s%s%s\nTry 'quire-query --help'.\n", msg,
            arg ? ": " : "", arg ? arg : "");
    return 2;
}

/* getopt_long's complaint as one line of our own (common/badopt.h). */
static int bad_option(int c, char **argv)
{
    char name[64], shown[160];
    const char *what = badopt_describe(c, argv, name, sizeof name);
    snprintf(shown, sizeof shown, "%s%s", name,
             badopt_in_word(c, argv) ? " (a query that starts with '-' goes after '--': -- '-word ...')" : "");
    return die_usage(what, shown);
}

/* What the library's message cannot say: which option of this program
 * helps. */
static void hint(quire_status st, const char *index, int partial)
{
    if (st == QUIRE_EVERSION)
        fprintf(stderr, "quire-query: rebuild it with: quire-index -d %s --rebuild SOURCE...\n", index);
    else if (st == QUIRE_ENETWORK && !partial)
        fprintf(stderr, "quire-query: --partial answers from the shards that respond\n");
}

/* The error message, then the query with a caret under the position. */
static void show_query_error(const char *query, const char *msg, size_t off)
{
    fprintf(stderr, "quire-query: %s\n", msg);
    if (off == (size_t)-1)
        return;
    size_t len = strlen(query);
    fputs("  ", stderr);
    for (size_t i = 0; i < len; i++)
        fputc((unsigned char)query[i] < 0x20 ? ' ' : query[i], stderr);
    fprintf(stderr, "\n  %*s^\n", (int)caret_column(query, off), "");
}

/* Join the query arguments with spaces (malloc'd). */
static char *join_args(char **argv, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

/* OPT_SHARED: an option quire-serve takes too, parsed by common/search_opts.c. */
enum { OPT_SHARED = 256, OPT_COLOR, OPT_NOSNIP, OPT_EXPLAIN, OPT_EXACT, OPT_FACETS, OPT_FACETLIMIT, OPT_LIKE,
       OPT_SHOW, OPT_TIMELIMIT };
enum { FMT_TEXT, FMT_JSON, FMT_IDS, FMT_HTML };

/* --show: print document id (exit 0), or say there is none (exit 1). */
static int show_document(quire_searcher *s, const char *id, const char *query,
                         const quire_search_options *so, int format, int color)
{
    quire_article *a;
    quire_status st = quire_searcher_get(s, id, query, so, &a);
    if (st == QUIRE_ENOTFOUND) {
        fprintf(stderr, "quire-query: %s\n", quire_searcher_errmsg(s));
        return 1;
    }
    if (st != QUIRE_OK) {
        show_query_error(query, quire_searcher_errmsg(s), quire_searcher_error_offset(s));
        return 2;
    }
    if (format == FMT_JSON)
        print_article_json(stdout, a);
    else if (format == FMT_HTML)
        print_article_html(stdout, a);
    else
        print_article_text(stdout, a, color);
    quire_article_free(a);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quire-query: error writing output\n");
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, 0, 'd'},
        {"any", no_argument, 0, OPT_SHARED},
        {"limit", required_argument, 0, OPT_SHARED},
        {"offset", required_argument, 0, OPT_SHARED},
        {"sort", required_argument, 0, OPT_SHARED},
        {"rank", required_argument, 0, OPT_SHARED},
        {"format", required_argument, 0, 'f'},
        {"count", no_argument, 0, 'c'},
        {"exact-count", no_argument, 0, OPT_EXACT},
        {"color", required_argument, 0, OPT_COLOR},
        {"colour", required_argument, 0, OPT_COLOR},
        {"snippet-length", required_argument, 0, OPT_SHARED},
        {"no-snippets", no_argument, 0, OPT_NOSNIP},
        {"explain", no_argument, 0, OPT_EXPLAIN},
        {"lang", required_argument, 0, OPT_SHARED},
        {"time-limit", required_argument, 0, OPT_TIMELIMIT},
        SEARCH_OPTS_SEARCHER_LONGOPTS(OPT_SHARED),
        {"facets", required_argument, 0, OPT_FACETS},
        {"facet-limit", required_argument, 0, OPT_FACETLIMIT},
        {"like", required_argument, 0, OPT_LIKE},
        {"show", required_argument, 0, OPT_SHOW},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    quire_search_options so;
    quire_search_options_init(&so, QUIRE_SEARCH_OPTIONS_VERSION);
    quire_searcher_options sopts;
    quire_searcher_options_init(&sopts, QUIRE_SEARCHER_OPTIONS_VERSION);
    const char *index = getenv("QUIRE_INDEX"), *show = NULL;
    int format = FMT_TEXT, count_only = 0, color = -1, explain = 0, c;
    int longidx = 0;
    char err[256];
    opterr = 0;
    while ((c = badopt_getopt(argc, argv, ":d:n:f:chV", longopts, &longidx)) != -1) {
        switch (c) {
        case 'd': index = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") == 0) format = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0) format = FMT_JSON;
            else if (strcmp(optarg, "ids") == 0) format = FMT_IDS;
            else if (strcmp(optarg, "html") == 0) format = FMT_HTML;
            else return die_usage("--format must be text, json, ids or html", optarg);
            break;
        case 'c': count_only = 1; break;
        case OPT_EXACT: so.exact_count_up_to = UINT_MAX; break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0) color = -1;
            else if (strcmp(optarg, "always") == 0) color = 1;
            else if (strcmp(optarg, "never") == 0) color = 0;
            else return die_usage("--color must be auto, always or never", optarg);
            break;
        case OPT_NOSNIP: so.no_snippets = 1; break;
        case OPT_EXPLAIN: explain = 1; break;
        case OPT_FACETS: so.facets = optarg; break;
        case OPT_FACETLIMIT:
            if (search_opts_parse_range(optarg, 1, SEARCH_OPTS_MAX_COUNT, &so.facet_limit) != 0)
                return die_usage("--facet-limit needs a positive number", optarg);
            break;
        case OPT_LIKE: so.like_id = optarg; break;
        case OPT_SHOW: show = optarg; break;
        case OPT_TIMELIMIT: {
            char *end;
            so.time_limit = strtod(optarg, &end);
            if (!*optarg || *end || !(so.time_limit > 0) || so.time_limit > 86400)
                return die_usage("--time-limit needs a positive number of seconds", optarg);
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': printf("quire-query %s\n", quire_version()); return 0;
        case 'n':
        case OPT_SHARED:
            if (search_opt_set("--", c == 'n' ? "limit" : longopts[longidx].name, optarg, &so, &sopts, err,
                               sizeof err) != 1)
                return die_usage(err, NULL);
            break;
        default: return bad_option(c, argv);
        }
    }
    if (!index || !*index)
        return die_usage("no index given (use -d INDEX or set QUIRE_INDEX)", NULL);
    if (show && so.like_id)
        return die_usage("--show and --like do not go together", NULL);
    if (show && (count_only || format == FMT_IDS))
        return die_usage("--show prints a document: use --format text, json or html", NULL);
    if (optind >= argc && !show && !so.like_id)
        return die_usage("no QUERY given", NULL);
    if (color < 0) {
        const char *nc = getenv("NO_COLOR");
        color = isatty(1) && !(nc && *nc);
    }
    if (count_only) {
        so.limit = 0;
        so.no_snippets = 1;
        so.exact_count_up_to = UINT_MAX; /* the number asked for, not an estimate
                                            (unless a time limit runs out) */
    }
    if (format == FMT_IDS)
        so.no_snippets = 1;
    if (count_only || format == FMT_IDS) {
        so.no_suggestion = 1; /* no place for these in those outputs */
        so.facets = NULL;
    }

    char *query = join_args(argv + optind, argc - optind);
    if (!query) {
        fprintf(stderr, "quire-query: out of memory\n");
        return 2;
    }
    quire_searcher *s;
    quire_status st = quire_searcher_open(index, &sopts, &s);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-query: %s\n", quire_searcher_errmsg(s));
        hint(st, index, sopts.partial);
        quire_searcher_close(s);
        free(query);
        return 2;
    }
    if (show) {
        int rc = show_document(s, show, query, &so, format, color);
        quire_searcher_close(s);
        free(query);
        return rc;
    }
    quire_results *r;
    st = quire_search(s, query, &so, &r);
    if (st != QUIRE_OK) {
        show_query_error(query, quire_searcher_errmsg(s), quire_searcher_error_offset(s));
        hint(st, index, sopts.partial);
        quire_searcher_close(s);
        free(query);
        return 2;
    }
    output_opts oo = {query, color, explain, so.offset, so.limit};
    if (count_only && format == FMT_JSON) {
        print_json(stdout, r, &oo);
    } else if (count_only) {
        int exact;
        unsigned long long total = quire_results_total(r, &exact);
        if (explain)
            printf("parsed: %s\nxapian: %s\nranking: %s\n", quire_results_parsed(r),
                   quire_results_xapian_query(r), quire_results_ranking(r));
        printf("%s%llu\n", exact ? "" : "about ", total);
    } else if (format == FMT_JSON)
        print_json(stdout, r, &oo);
    else if (format == FMT_IDS)
        print_ids(stdout, r);
    else if (format == FMT_HTML)
        print_html(stdout, r, &oo);
    else
        print_text(stdout, r, &oo);
    /* Text output prints the warning itself; JSON carries it. */
    if ((count_only ? format != FMT_JSON : format == FMT_IDS || format == FMT_HTML) && *quire_results_warning(r))
        fprintf(stderr, "quire-query: warning: %s\n", quire_results_warning(r));
    int matched = quire_results_total(r, NULL) > 0;
    quire_results_free(r);
    quire_searcher_close(s);
    free(query);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quire-query: error writing output\n");
        return 2;
    }
    return matched ? 0 : 1;
}

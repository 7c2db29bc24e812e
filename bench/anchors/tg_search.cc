// tg_search.cc — the reference searcher for the benchmarks: what a minimal,
// sensible Xapian program does with QueryParser + Enquire + MSet::snippet
// over an index built by tg_index --data (body = document data, title =
// value 0, external id = value 1). quire's query speed and relevance are
// compared against it.
//
// bench mode times ten results with highlighted snippets per query and
// prints the latency.h summary line; trec mode prints a TREC run for
// trec_eval.
//
// Usage: tg_search bench DB QUERIES [--threads N] [--rounds R] [--no-snippets]
//        tg_search trec DB QUERIES K TAG
#include <xapian.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "latency.h"

namespace {

const Xapian::valueno SLOT_TITLE = 0;
const Xapian::valueno SLOT_ID = 1;
const unsigned BENCH_TOP = 10;
const size_t SNIPPET_LEN = 200;

void usage()
{
    std::fprintf(stderr, "usage: tg_search bench DB QUERIES [--threads N] [--rounds R] [--no-snippets]\n"
                         "       tg_search trec DB QUERIES K TAG\n");
    std::exit(2);
}

// Parses a positive integer argument or exits with a usage error.
long parse_positive(const char *what, const char *s)
{
    char *end;
    long v = std::strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1) {
        std::fprintf(stderr, "tg_search: %s must be a positive integer, got '%s'\n", what, s);
        std::exit(2);
    }
    return v;
}

// One thread's private Xapian objects: none of them may be shared between
// threads, so each worker builds its own.
struct Searcher {
    Xapian::Database db;
    Xapian::Stem stem{"english"};
    Xapian::QueryParser qp;
    Xapian::Enquire enq;

    Searcher(const std::string &path, Xapian::Query::op default_op) : db(path), enq(db)
    {
        qp.set_stemmer(stem);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_database(db); // wildcard expansion needs the term list
        qp.add_prefix("title", "S");
        qp.set_default_op(default_op);
    }

    // Parses TEXT and returns the top N matches (throws Xapian::Error).
    Xapian::MSet search(const std::string &text, Xapian::doccount n)
    {
        const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;
        enq.set_query(qp.parse_query(text, flags));
        return enq.get_mset(0, n);
    }
};

// Opens DB for a searcher, checking it was built with tg_index --data.
// Exits with a message on failure (only called from the main thread).
Searcher *open_searcher(const char *path, Xapian::Query::op default_op)
{
    try {
        Searcher *s = new Searcher(path, default_op);
        if (s->db.get_doccount() > 0 && s->db.get_value_freq(SLOT_ID) == 0) {
            std::fprintf(stderr, "tg_search: %s: no ids in value slot 1 (index with tg_index --data)\n", path);
            std::exit(1);
        }
        return s;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "tg_search: %s: %s\n", path, e.get_description().c_str());
        std::exit(1);
    }
}

bool no_snippets = false; // --no-snippets: a result list without passages

// One bench execution: search, then fetch title, id and body of each hit
// and build its snippet, as a results page would (--no-snippets: title and
// id only). Returns the hit count.
unsigned run_query(Searcher &s, const char *text)
{
    Xapian::MSet mset = s.search(text, BENCH_TOP);
    (void)mset.get_matches_estimated();
    if (no_snippets) {
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            std::string title = doc.get_value(SLOT_TITLE);
            std::string id = doc.get_value(SLOT_ID);
        }
        return mset.size();
    }
    const unsigned snip_flags = Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        std::string title = doc.get_value(SLOT_TITLE);
        std::string id = doc.get_value(SLOT_ID);
        std::string body = doc.get_data();
        std::string snip = mset.snippet(body, SNIPPET_LEN, s.stem, snip_flags, "[", "]", "...");
    }
    return mset.size();
}

[[noreturn]] void query_failed(const bench_query &q, const std::string &msg)
{
    std::fprintf(stderr, "tg_search: query %s: %s\n", q.qid, msg.c_str());
    std::exit(1);
}

// Shared state of a timed bench run. Each worker writes only its own
// lat[] entries and its own error slot, so no locking is needed.
struct BenchRun {
    const bench_query *qs;
    long nq;
    long runs;
    int threads;
    std::vector<double> lat;
    std::vector<std::string> err;      // per thread: error message
    std::vector<long> err_query;       // per thread: index of failing query
    std::atomic<bool> stop{false};
};

// Worker T: runs executions i with i % threads == T on its own searcher.
void bench_worker(BenchRun *r, int t, Searcher *s)
{
    for (long i = t; i < r->runs && !r->stop.load(std::memory_order_relaxed); i += r->threads) {
        const bench_query &q = r->qs[i % r->nq];
        try {
            double t0 = bench_now();
            run_query(*s, q.text);
            r->lat[i] = bench_now() - t0;
        } catch (const Xapian::Error &e) {
            r->err[t] = e.get_description();
            r->err_query[t] = i % r->nq;
            r->stop = true;
        }
    }
}

int cmd_bench(const char *db_path, const char *qfile, int threads, long rounds)
{
    bench_query *qs;
    long nq = bench_read_queries(qfile, &qs);
    if (nq < 0)
        return 1;
    if (nq == 0) {
        std::fprintf(stderr, "tg_search: %s: no queries\n", qfile);
        return 1;
    }

    // Searchers are opened before timing so wall time is query work only.
    std::vector<Searcher *> searchers;
    for (int t = 0; t < threads; t++)
        searchers.push_back(open_searcher(db_path, Xapian::Query::OP_AND));

    // Warm-up pass, single-threaded and untimed; it also counts the hits.
    long hits = 0;
    for (long i = 0; i < nq; i++) {
        try {
            hits += run_query(*searchers[0], qs[i].text);
        } catch (const Xapian::Error &e) {
            query_failed(qs[i], e.get_description());
        }
    }

    bench_mark_warm();
    BenchRun r;
    r.qs = qs;
    r.nq = nq;
    r.runs = rounds * nq;
    r.threads = threads;
    r.lat.assign((size_t)r.runs, 0.0);
    r.err.assign((size_t)threads, std::string());
    r.err_query.assign((size_t)threads, -1);

    double start = bench_now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++)
        pool.emplace_back(bench_worker, &r, t, searchers[t]);
    for (std::thread &th : pool)
        th.join();
    double wall = bench_now() - start;

    for (int t = 0; t < threads; t++)
        if (r.err_query[t] >= 0)
            query_failed(qs[r.err_query[t]], r.err[t]);

    bench_report("xapian-tg", threads, nq, r.lat.data(), r.runs, wall, hits);
    for (Searcher *s : searchers)
        delete s;
    bench_free_queries(qs, nq);
    return 0;
}

// Prints "qid Q0 docid rank score TAG" for the top K of each query.
int cmd_trec(const char *db_path, const char *qfile, long k, const char *tag)
{
    bench_query *qs;
    long nq = bench_read_queries(qfile, &qs);
    if (nq < 0)
        return 1;
    Searcher *s = open_searcher(db_path, Xapian::Query::OP_OR);
    for (long i = 0; i < nq; i++) {
        try {
            Xapian::MSet mset = s->search(qs[i].text, (Xapian::doccount)k);
            for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
                std::string id = it.get_document().get_value(SLOT_ID);
                std::printf("%s Q0 %s %u %.6f %s\n", qs[i].qid, id.c_str(), it.get_rank() + 1, it.get_weight(),
                            tag);
            }
        } catch (const Xapian::Error &e) {
            query_failed(qs[i], e.get_description());
        }
    }
    delete s;
    bench_free_queries(qs, nq);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 4 && !std::strcmp(argv[1], "bench")) {
        long threads = 1, rounds = 3;
        for (int i = 4; i < argc; i++) {
            if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
                threads = parse_positive("--threads", argv[++i]);
            else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc)
                rounds = parse_positive("--rounds", argv[++i]);
            else if (!std::strcmp(argv[i], "--no-snippets"))
                no_snippets = true;
            else
                usage();
        }
        if (threads > 1024)
            usage();
        return cmd_bench(argv[2], argv[3], (int)threads, rounds);
    }
    if (argc == 6 && !std::strcmp(argv[1], "trec"))
        return cmd_trec(argv[2], argv[3], parse_positive("K", argv[4]), argv[5]);
    usage();
}

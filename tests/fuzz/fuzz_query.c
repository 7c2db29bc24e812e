/* fuzz_query.c — any bytes as a query, through the whole public search
 * path: parser, limits, analysis of query words, Xapian, ranking,
 * snippets and highlight spans. A query may fail, but only with a status
 * and a message, and every span must lie inside its text. */
#include "fuzz_common.h"
#include "fuzz.h"

static quire_searcher *searcher;

static void check_spans(const char *text, const quire_span *sp, size_t n)
{
    size_t len = text ? strlen(text) : 0;
    for (size_t i = 0; i < n; i++)
        if (sp[i].start > sp[i].end || sp[i].end > len)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!searcher) {
        quire_searcher_options so = QUIRE_SEARCHER_OPTIONS_INIT;
        so.max_query_bytes = 4096;
        if (quire_searcher_open(fuzz_index(), &so, &searcher) != QUIRE_OK)
            abort();
    }
    if (size < 1)
        return 0;
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.default_op = data[0] & 1 ? QUIRE_OP_OR : QUIRE_OP_AND;
    o.sort = (data[0] >> 1) % 3;
    o.lang = data[0] & 8 ? fuzz_lang(data[0] >> 4) : NULL;
    o.limit = 5;
    o.snippet_length = 20 + (data[0] >> 2) % 200;
    o.highlight_start = "<";
    o.highlight_end = ">";
    char *q = fuzz_cstr(data + 1, size - 1);
    quire_results *r = NULL;
    quire_status st = quire_search(searcher, q, &o, &r);
    if (st == QUIRE_OK) {
        for (size_t i = 0; i < quire_results_count(r); i++) {
            const quire_hit *h = quire_results_hit(r, i);
            check_spans(h->snippet, h->snippet_spans, h->snippet_span_count);
            check_spans(h->title, h->title_spans, h->title_span_count);
        }
        if (!quire_results_parsed(r))
            abort();
        quire_results_free(r);
    } else {
        const char *msg = quire_searcher_errmsg(searcher);
        size_t off = quire_searcher_error_offset(searcher);
        if (!msg || !*msg || (off != (size_t)-1 && off > size - 1))
            abort();
    }
    free(q);
    return 0;
}

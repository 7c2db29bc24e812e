/* format_json.c — one JSON document per search, written with jansson.
 * Highlight spans are [start, end) byte offsets into the string they
 * belong to (UTF-8). */
#include <jansson.h>

#include "output.h"

static json_t *spans_json(const quire_span *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("[I,I]", (json_int_t)s[i].start, (json_int_t)s[i].end));
    return a;
}

void print_json(FILE *f, const quire_results *r, const output_opts *o)
{
    int exact;
    uint64_t total = quire_results_total(r, &exact);
    json_t *hits = json_array();
    for (size_t i = 0; hits && i < quire_results_count(r); i++) {
        const quire_hit *h = quire_results_hit(r, i);
        json_array_append_new(
            hits, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:o, s:o}",
                            "rank", (int)h->rank, "id", h->id, "title", h->title, "date", h->date,
                            "author", h->author, "source", h->source, "url", h->url, "lang", h->lang,
                            "score", h->score, "snippet", h->snippet,
                            "highlights", spans_json(h->snippet_spans, h->snippet_span_count),
                            "title_highlights", spans_json(h->title_spans, h->title_span_count)));
    }
    json_t *doc = json_pack("{s:s, s:s, s:I, s:b, s:i, s:i, s:o}", "query", o->query, "parsed",
                            quire_results_parsed(r), "total", (json_int_t)total, "total_exact", exact,
                            "offset", (int)o->offset, "limit", (int)o->limit, "hits", hits);
    if (!doc)
        return;
    if (o->explain) {
        json_object_set_new(doc, "xapian_query", json_string(quire_results_xapian_query(r)));
        json_object_set_new(doc, "ranking", json_string(quire_results_ranking(r)));
    }
    const char *w = quire_results_warning(r);
    if (*w)
        json_object_set_new(doc, "warning", json_string(w));
    json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(doc);
}

void print_ids(FILE *f, const quire_results *r)
{
    for (size_t i = 0; i < quire_results_count(r); i++)
        fprintf(f, "%s\n", quire_results_hit(r, i)->id);
}

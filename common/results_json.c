/* results_json.c — see results_json.h. Highlight spans are [start, end)
 * byte offsets into the string they belong to (UTF-8). */
#include "results_json.h"

#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static json_t *spans_json(const quire_span *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("[I,I]", (json_int_t)s[i].start, (json_int_t)s[i].end));
    return a;
}

/* Append the stored fields of h to obj, in the schema's order. */
static json_t *add_fields(json_t *obj, const quire_hit *h)
{
    const char *const kv[][2] = {{"id", h->id},         {"title", h->title}, {"date", h->date},
                                 {"author", h->author}, {"source", h->source}, {"url", h->url},
                                 {"lang", h->lang}};
    for (size_t i = 0; obj && i < sizeof kv / sizeof *kv; i++)
        json_object_set_new(obj, kv[i][0], json_string(kv[i][1]));
    return obj;
}

json_t *hit_fields_json(const quire_hit *h)
{
    return add_fields(json_object(), h);
}

json_t *results_json(const quire_results *r, const results_json_opts *o)
{
    int exact;
    uint64_t total = quire_results_total(r, &exact);
    json_t *hits = json_array();
    for (size_t i = 0; hits && i < quire_results_count(r); i++) {
        const quire_hit *h = quire_results_hit(r, i);
        json_t *hit = add_fields(json_pack("{s:i}", "rank", (int)h->rank), h);
        if (hit) {
            json_object_set_new(hit, "score", json_real(h->score));
            json_object_set_new(hit, "snippet", json_string(h->snippet));
            json_object_set_new(hit, "highlights", spans_json(h->snippet_spans, h->snippet_span_count));
            json_object_set_new(hit, "title_highlights", spans_json(h->title_spans, h->title_span_count));
        }
        json_array_append_new(hits, hit);
    }
    json_t *doc = json_pack("{s:s, s:s, s:I, s:b, s:i, s:i, s:o}", "query", o->query, "parsed",
                            quire_results_parsed(r), "total", (json_int_t)total, "total_exact", exact,
                            "offset", (int)o->offset, "limit", (int)o->limit, "hits", hits);
    if (!doc)
        return NULL;
    if (o->explain)
        json_object_set_new(doc, "xapian_query", json_string(quire_results_xapian_query(r)));
    const char *w = quire_results_warning(r);
    if (*w)
        json_object_set_new(doc, "warning", json_string(w));
    return doc;
}

json_t *stats_json(const char *index, const quire_stats *st)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "index", index, "location",
                     st->location, "documents", (json_int_t)st->documents, "terms", (json_int_t)st->terms,
                     "total_length", (json_int_t)st->total_length, "disk_bytes", (json_int_t)st->disk_bytes,
                     "config", st->config, "languages", st->languages, "updated", st->updated, "writer",
                     st->writer);
}

int json_print(FILE *f, const json_t *doc)
{
    if (json_dumpf(doc, f, JSON_FLAGS) != 0)
        return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}

char *json_text(const json_t *doc, size_t *len)
{
    char *s = json_dumps(doc, JSON_FLAGS);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    if (len)
        *len = n + 1;
    return t;
}

/* results_json.c — see results_json.h. Highlight spans are [start, end)
 * byte offsets into the string they belong to (UTF-8). "partial" says
 * whether hits or the count may be missing, "partial_reasons" why
 * ("shards", "time_limit"). */
#include "results_json.h"

#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static void spans(jw *w, const char *key, const quire_span *s, size_t n)
{
    jw_key(w, key);
    jw_array(w);
    for (size_t i = 0; i < n; i++) {
        jw_array(w);
        jw_int(w, (long long)s[i].start);
        jw_int(w, (long long)s[i].end);
        jw_array_end(w);
    }
    jw_array_end(w);
}

void hit_fields_write(jw *w, const quire_hit *h)
{
    const char *const kv[][2] = {{"id", h->id},         {"title", h->title}, {"date", h->date},
                                 {"author", h->author}, {"source", h->source}, {"url", h->url},
                                 {"lang", h->lang}};
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
        jw_key(w, kv[i][0]);
        jw_string(w, kv[i][1]);
    }
}

/* "facets": {"source": [{"value": ..., "count": ..., "filter": ...}, ...], ...} */
static void facets_write(jw *w, const quire_results *r)
{
    jw_key(w, "facets");
    jw_object(w);
    for (size_t i = 0; i < quire_results_facet_count(r); i++) {
        const quire_facet *f = quire_results_facet(r, i);
        jw_key(w, f->field);
        jw_array(w);
        for (size_t k = 0; k < f->nvalues; k++) {
            jw_object(w);
            jw_key(w, "value");
            jw_string(w, f->values[k].value);
            jw_key(w, "count");
            jw_int(w, (long long)f->values[k].count);
            jw_key(w, "filter");
            jw_string(w, f->values[k].filter);
            jw_object_end(w);
        }
        jw_array_end(w);
    }
    jw_object_end(w);
}

char *article_json_text(const quire_article *a, size_t *len)
{
    jw w;
    memset(&w, 0, sizeof w);
    jw_object(&w);
    const char *const kv[][2] = {{"id", a->id},         {"title", a->title},   {"date", a->date},
                                 {"author", a->author}, {"source", a->source}, {"url", a->url},
                                 {"lang", a->lang},     {"body", a->body}};
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
        jw_key(&w, kv[i][0]);
        jw_string(&w, kv[i][1]);
    }
    spans(&w, "title_highlights", a->title_spans, a->title_span_count);
    spans(&w, "highlights", a->body_spans, a->body_span_count);
    jw_object_end(&w);
    return jw_finish(&w, len);
}

char *results_json_text(const quire_results *r, const results_json_opts *o, size_t *len)
{
    int exact;
    uint64_t total = quire_results_total(r, &exact);
    jw w;
    memset(&w, 0, sizeof w);
    jw_object(&w);
    jw_key(&w, "query");
    jw_string(&w, o->query);
    jw_key(&w, "parsed");
    jw_string(&w, quire_results_parsed(r));
    jw_key(&w, "total");
    jw_int(&w, (long long)total);
    jw_key(&w, "total_exact");
    jw_bool(&w, exact);
    jw_key(&w, "offset");
    jw_int(&w, o->offset);
    jw_key(&w, "limit");
    jw_int(&w, o->limit);
    jw_key(&w, "hits");
    jw_array(&w);
    for (size_t i = 0; i < quire_results_count(r); i++) {
        const quire_hit *h = quire_results_hit(r, i);
        jw_object(&w);
        jw_key(&w, "rank");
        jw_int(&w, h->rank);
        hit_fields_write(&w, h);
        jw_key(&w, "score");
        jw_real_digits(&w, h->score, 12); /* as rounded by the library (quire.h) */
        jw_key(&w, "snippet");
        jw_string(&w, h->snippet);
        spans(&w, "highlights", h->snippet_spans, h->snippet_span_count);
        spans(&w, "title_highlights", h->title_spans, h->title_span_count);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "suggestion");
    const char *dym = quire_results_suggestion(r);
    if (dym)
        jw_string(&w, dym);
    else
        jw_null(&w);
    if (quire_results_facet_count(r))
        facets_write(&w, r);
    if (o->explain) {
        jw_key(&w, "xapian_query");
        jw_string(&w, quire_results_xapian_query(r));
        jw_key(&w, "ranking");
        jw_string(&w, quire_results_ranking(r));
    }
    /* Whether hits or the count may be missing, and why. */
    unsigned partial = quire_results_partial(r);
    jw_key(&w, "partial");
    jw_bool(&w, partial != 0);
    if (partial) {
        jw_key(&w, "partial_reasons");
        jw_array(&w);
        if (partial & QUIRE_PARTIAL_SHARDS)
            jw_string(&w, "shards");
        if (partial & QUIRE_PARTIAL_TIME)
            jw_string(&w, "time_limit");
        jw_array_end(&w);
    }
    const char *warning = quire_results_warning(r);
    if (*warning) {
        jw_key(&w, "warning");
        jw_string(&w, warning);
    }
    jw_object_end(&w);
    return jw_finish(&w, len);
}

json_t *stats_json(const char *index, const quire_stats *st)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "index", index, "location",
                     st->location, "documents", (json_int_t)st->documents, "terms", (json_int_t)st->terms,
                     "total_length", (json_int_t)st->total_length, "disk_bytes", (json_int_t)st->disk_bytes,
                     "config", st->config, "languages", st->languages, "updated", st->updated, "writer",
                     st->writer, "synonym_groups", (json_int_t)st->synonym_groups);
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

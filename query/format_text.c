/* format_text.c — the default, human-readable output. Every field from the
 * index goes through emit_plain (ids through emit_id), so text from a
 * hostile document cannot send escape sequences to the terminal. */
#include <stdio.h>
#include <string.h>

#include "output.h"

void emit_plain(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        fputc(c < 0x20 || c == 0x7F ? ' ' : c, f);
    }
}

void emit_id(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\')
            fputs("\\\\", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c < 0x20 || c == 0x7F)
            fprintf(f, "\\x%02x", c);
        else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F)
            fprintf(f, "\\u%04x", (unsigned char)s[++i]);
        else
            fputc(c, f);
    }
}

/* Each facet as a column of counts and values. */
static void print_facets(FILE *f, const quire_results *r)
{
    size_t nf = quire_results_facet_count(r);
    if (!nf)
        return;
    fputs("\nFacets:\n", f);
    for (size_t i = 0; i < nf; i++) {
        const quire_facet *fc = quire_results_facet(r, i);
        fprintf(f, "  %s", fc->field);
        if (fc->distinct > fc->nvalues)
            fprintf(f, " (top %zu of %zu)", fc->nvalues, fc->distinct);
        fputs(":\n", f);
        int width = fc->nvalues ? snprintf(NULL, 0, "%llu", (unsigned long long)fc->values[0].count) : 1;
        for (size_t k = 0; k < fc->nvalues; k++) {
            fprintf(f, "    %*llu  ", width, (unsigned long long)fc->values[k].count);
            emit_plain(f, fc->values[k].value, strlen(fc->values[k].value));
            fputc('\n', f);
        }
        if (!fc->nvalues)
            fputs("    (none)\n", f);
    }
}

void print_text(FILE *f, const quire_results *r, const output_opts *o)
{
    const char *on = o->color ? "\033[1;33m" : "", *off = o->color ? "\033[0m" : "";
    const char *bold = o->color ? "\033[1m" : "", *dim = o->color ? "\033[2m" : "";
    if (o->explain)
        fprintf(f, "parsed: %s\nxapian: %s\nranking: %s\n\n", quire_results_parsed(r),
                quire_results_xapian_query(r), quire_results_ranking(r));
    size_t n = quire_results_count(r);
    for (size_t i = 0; i < n; i++) {
        const quire_hit *h = quire_results_hit(r, i);
        fprintf(f, "%s%u.%s ", bold, h->rank, off);
        if (*h->title)
            write_marked(f, h->title, h->title_spans, h->title_span_count, on, off, emit_plain);
        else
            fputs("(no title)", f);
        fprintf(f, "\n   %s", dim);
        emit_id(f, h->id, strlen(h->id));
        if (*h->date) {
            fputs(" | ", f);
            emit_plain(f, h->date, strlen(h->date));
        }
        if (*h->author) {
            fputs(" | ", f);
            emit_plain(f, h->author, strlen(h->author));
        }
        fprintf(f, " | score %.3f%s\n", h->score, off);
        if (*h->snippet) {
            fputs("   ", f);
            write_marked(f, h->snippet, h->snippet_spans, h->snippet_span_count, on, off, emit_plain);
            fputc('\n', f);
        }
        fputc('\n', f);
    }
    int exact;
    unsigned long long total = quire_results_total(r, &exact);
    if (n)
        fprintf(f, "%u-%u of ", o->offset + 1, o->offset + (unsigned)n);
    fprintf(f, "%s%llu result%s%s\n", exact ? "" : "about ", total, total == 1 ? "" : "s",
            exact ? "" : " (estimated)");
    const char *dym = quire_results_suggestion(r);
    if (dym) {
        fputs("Did you mean: ", f);
        emit_plain(f, dym, strlen(dym));
        fputs("?\n", f);
    }
    print_facets(f, r);
    const char *w = quire_results_warning(r);
    if (*w)
        fprintf(stderr, "quire-query: warning: %s\n", w);
}

/* results_html.c — see results_html.h. */
#include "results_html.h"

#include <string.h>
#include <strings.h>

#include "marked.h"

void html_escape(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7F)
                fputc(' ', f);
            else
                fputc(s[i], f);
        }
    }
}

void html_escape_str(FILE *f, const char *s)
{
    html_escape(f, s, strlen(s));
}

/* A field as <TAG class="CLASS">value</TAG>, when it has a value. */
static void field(FILE *f, const char *tag, const char *cls, const char *value)
{
    if (!*value)
        return;
    fprintf(f, " <%s class=\"%s\">", tag, cls);
    html_escape_str(f, value);
    fprintf(f, "</%s>", tag);
}

void results_html_list(FILE *f, const quire_results *r, unsigned offset)
{
    fprintf(f, "<ol class=\"quire-results\" start=\"%u\">\n", offset + 1);
    for (size_t i = 0; i < quire_results_count(r); i++) {
        const quire_hit *h = quire_results_hit(r, i);
        int link = strncasecmp(h->url, "http://", 7) == 0 || strncasecmp(h->url, "https://", 8) == 0;
        fputs("<li>", f);
        if (link) {
            fputs("<a class=\"title\" href=\"", f);
            html_escape_str(f, h->url);
            fputs("\">", f);
        } else {
            fputs("<span class=\"title\">", f);
        }
        if (*h->title)
            write_marked(f, h->title, h->title_spans, h->title_span_count, "<mark>", "</mark>", html_escape);
        else
            fputs("(no title)", f);
        fputs(link ? "</a>" : "</span>", f);
        field(f, "span", "id", h->id);
        field(f, "time", "date", h->date);
        field(f, "span", "author", h->author);
        field(f, "span", "source", h->source);
        fprintf(f, " <span class=\"score\">%.3f</span>\n<p class=\"snippet\">", h->score);
        write_marked(f, h->snippet, h->snippet_spans, h->snippet_span_count, "<mark>", "</mark>", html_escape);
        fputs("</p></li>\n", f);
    }
    fputs("</ol>\n", f);
}

void results_html_total(FILE *f, const quire_results *r)
{
    int exact;
    unsigned long long total = quire_results_total(r, &exact);
    fprintf(f, "<p class=\"quire-total\">%s%llu result%s</p>\n", exact ? "" : "about ", total,
            total == 1 ? "" : "s");
}

void results_html_extras(FILE *f, const quire_results *r)
{
    const char *dym = quire_results_suggestion(r);
    if (dym) {
        fputs("<p class=\"quire-suggestion\">Did you mean: <em>", f);
        html_escape_str(f, dym);
        fputs("</em>?</p>\n", f);
    }
    for (size_t i = 0; i < quire_results_facet_count(r); i++) {
        const quire_facet *fc = quire_results_facet(r, i);
        fputs("<dl class=\"quire-facet\"><dt>", f);
        html_escape_str(f, fc->field);
        fputs("</dt>\n", f);
        for (size_t k = 0; k < fc->nvalues; k++) {
            fputs("<dd data-filter=\"", f);
            html_escape_str(f, fc->values[k].filter);
            fputs("\">", f);
            html_escape_str(f, fc->values[k].value);
            fprintf(f, " <span class=\"count\">%llu</span></dd>\n", (unsigned long long)fc->values[k].count);
        }
        fputs("</dl>\n", f);
    }
}

/* format_html.c — an HTML fragment: an ordered list of hits with <mark>ed
 * matches. Everything from the index is escaped; only http(s) URLs become
 * links. */
#include <string.h>
#include <strings.h>

#include "output.h"

static void emit_html(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
                fputc(' ', f);
            else
                fputc(s[i], f);
        }
    }
}

static void esc(FILE *f, const char *s)
{
    emit_html(f, s, strlen(s));
}

void print_html(FILE *f, const quire_results *r, const output_opts *o)
{
    fprintf(f, "<ol class=\"quire-results\" start=\"%u\">\n", o->offset + 1);
    for (size_t i = 0; i < quire_results_count(r); i++) {
        const quire_hit *h = quire_results_hit(r, i);
        int link = strncasecmp(h->url, "http://", 7) == 0 || strncasecmp(h->url, "https://", 8) == 0;
        fputs("<li>", f);
        if (link) {
            fputs("<a class=\"title\" href=\"", f);
            esc(f, h->url);
            fputs("\">", f);
        } else {
            fputs("<span class=\"title\">", f);
        }
        write_marked(f, h->title, h->title_spans, h->title_span_count, "<mark>", "</mark>", emit_html);
        fputs(link ? "</a>" : "</span>", f);
        fputs(" <span class=\"id\">", f);
        esc(f, h->id);
        fputs("</span>", f);
        if (*h->date) {
            fputs(" <time>", f);
            esc(f, h->date);
            fputs("</time>", f);
        }
        fprintf(f, " <span class=\"score\">%.3f</span>\n<p class=\"snippet\">", h->score);
        write_marked(f, h->snippet, h->snippet_spans, h->snippet_span_count, "<mark>", "</mark>", emit_html);
        fputs("</p></li>\n", f);
    }
    int exact;
    unsigned long long total = quire_results_total(r, &exact);
    fprintf(f, "</ol>\n<p class=\"quire-total\">%s%llu result%s</p>\n", exact ? "" : "about ", total,
            total == 1 ? "" : "s");
}

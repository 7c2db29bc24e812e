/* format_html.c — an HTML fragment: an ordered list of hits with <mark>ed
 * matches, then the total, the did-you-mean and the facets. The fragment
 * is common/results_html.c's, the one quire-serve's search page shows;
 * --show's <article> is here. */
#include <strings.h>

#include "output.h"
#include "results_html.h"

void print_html(FILE *f, const quire_results *r, const output_opts *o)
{
    results_html_list(f, r, o->offset);
    results_html_total(f, r);
    results_html_extras(f, r);
}

void print_article_html(FILE *f, const quire_article *a)
{
    int link = strncasecmp(a->url, "http://", 7) == 0 || strncasecmp(a->url, "https://", 8) == 0;
    fputs("<article class=\"quire-article\">\n<h1>", f);
    write_marked(f, a->title, a->title_spans, a->title_span_count, "<mark>", "</mark>", html_escape);
    fputs("</h1>\n<dl>", f);
    const char *names[] = {"id", "date", "author", "source", "lang", "url"};
    const char *vals[] = {a->id, a->date, a->author, a->source, a->lang, a->url};
    for (size_t i = 0; i < 6; i++) {
        if (!*vals[i])
            continue;
        fprintf(f, "<dt>%s</dt><dd>", names[i]);
        if (i == 5 && link) {
            fputs("<a href=\"", f);
            html_escape_str(f, a->url);
            fputs("\">", f);
        }
        html_escape_str(f, vals[i]);
        fputs(i == 5 && link ? "</a></dd>" : "</dd>", f);
    }
    fputs("</dl>\n<pre class=\"body\">", f);
    write_marked(f, a->body, a->body_spans, a->body_span_count, "<mark>", "</mark>", html_escape);
    fputs("</pre>\n</article>\n", f);
}

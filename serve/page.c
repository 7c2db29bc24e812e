/* page.c — see page.h. Every string from the request or the index goes
 * through html_escape (common/results_html.c); links are built from
 * percent-encoded parameters only. */
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caret.h"
#include "http.h"
#include "params.h"
#include "respond.h"
#include "results_html.h"

/* The facets the page shows unless the URL asks for others. */
#define PAGE_FACETS "source,author,year"

/* What the page was asked for, to redraw the form and build links. */
typedef struct page_state {
    const char *q;
    search_params sp;
    int explicit_limit;
} page_state;

/* Percent-encode s for a query-string value (unreserved bytes stay). */
static void url_encode(FILE *f, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.' || *p == '~')
            fputc(*p, f);
        else
            fprintf(f, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

/* href="..." for the page of query q starting at offset, keeping the
 * other settings of this one: paging, "did you mean" and facet filters. */
static void write_href(FILE *f, const page_state *ps, const char *q, unsigned offset)
{
    const quire_search_options *so = &ps->sp.so;
    fputs(" href=\"/?q=", f);
    url_encode(f, q);
    if (offset)
        fprintf(f, "&amp;offset=%u", offset);
    if (ps->explicit_limit)
        fprintf(f, "&amp;limit=%u", so->limit);
    if (so->sort == QUIRE_SORT_DATE)
        fputs("&amp;sort=date", f);
    else if (so->sort == QUIRE_SORT_DATE_DESC)
        fputs("&amp;sort=-date", f);
    if (so->default_op == QUIRE_OP_OR)
        fputs("&amp;any=on", f);
    if (so->lang) {
        fputs("&amp;lang=", f);
        url_encode(f, so->lang);
    }
    if (ps->sp.facets && *ps->sp.facets) {
        fputs("&amp;facets=", f);
        url_encode(f, ps->sp.facets);
    }
    fputc('"', f);
}

/* Escape bytes of possibly invalid UTF-8 for HTML text. */
static void text(FILE *f, const char *s)
{
    char *clean = utf8_sanitize(s, strlen(s));
    html_escape_str(f, clean ? clean : "");
    free(clean);
}

static void head(FILE *f, const char *q)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    if (q && *q) {
        text(f, q);
        fputs(" \xE2\x80\x93 ", f);
    }
    fputs("quire search</title>\n<link rel=\"stylesheet\" href=\"/quire.css\">\n"
          "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n", f);
}

static void option(FILE *f, const char *value, const char *label, int selected)
{
    fprintf(f, "<option value=\"%s\"%s>%s</option>", value, selected ? " selected" : "", label);
}

static void form(FILE *f, const page_state *ps)
{
    const quire_search_options *so = &ps->sp.so;
    fputs("<header>\n<form class=\"search\" action=\"/\" method=\"get\" role=\"search\">\n"
          "<div class=\"box\"><input type=\"search\" name=\"q\" aria-label=\"Search articles\" "
          "placeholder=\"Search articles\" value=\"",
          f);
    text(f, ps->q ? ps->q : "");
    fputs("\"><button type=\"submit\">Search</button></div>\n<div class=\"options\">"
          "<label>Sort <select name=\"sort\">",
          f);
    option(f, "relevance", "best match", so->sort == QUIRE_SORT_RELEVANCE);
    option(f, "-date", "newest first", so->sort == QUIRE_SORT_DATE_DESC);
    option(f, "date", "oldest first", so->sort == QUIRE_SORT_DATE);
    fprintf(f, "</select></label> <label><input type=\"checkbox\" name=\"any\" value=\"on\"%s> any of the words"
               "</label>",
            so->default_op == QUIRE_OP_OR ? " checked" : "");
    if (so->lang) {
        fputs("<input type=\"hidden\" name=\"lang\" value=\"", f);
        text(f, so->lang);
        fputs("\">", f);
    }
    if (ps->explicit_limit)
        fprintf(f, "<input type=\"hidden\" name=\"limit\" value=\"%u\">", so->limit);
    if (ps->sp.facets && *ps->sp.facets) {
        fputs("<input type=\"hidden\" name=\"facets\" value=\"", f);
        text(f, ps->sp.facets);
        fputs("\">", f);
    }
    fputs("</div>\n</form>\n</header>\n<main>\n", f);
}

static void tail(FILE *f)
{
    fprintf(f, "</main>\n<footer>quire %s</footer>\n</body>\n</html>\n", quire_version());
}

/* The error, and for a query error the query with a caret under off. */
static void error_box(FILE *f, const char *msg, const char *q, size_t off)
{
    fputs("<div class=\"error\" role=\"alert\">\n<p>", f);
    text(f, msg);
    fputs("</p>\n", f);
    if (q && off != NO_OFFSET) {
        char *shown = strdup(q);
        if (shown) {
            for (char *p = shown; *p; p++)
                if ((unsigned char)*p < 0x20)
                    *p = ' ';
            fputs("<pre>", f);
            text(f, shown);
            fprintf(f, "\n%*s^</pre>\n", (int)caret_column(q, off), "");
            free(shown);
        }
    }
    fputs("</div>\n", f);
}

static void grouped(FILE *f, unsigned long long n)
{
    if (n >= 1000) {
        grouped(f, n / 1000);
        fprintf(f, ",%03llu", n % 1000);
    } else {
        fprintf(f, "%llu", n);
    }
}

/* "Did you mean: <a>...</a>?", a link to the corrected query. */
static void suggestion(FILE *f, const page_state *ps, const quire_results *r)
{
    const char *dym = quire_results_suggestion(r);
    if (!dym)
        return;
    fputs("<p class=\"suggestion\">Did you mean: <a", f);
    write_href(f, ps, dym, 0);
    fputs(">", f);
    text(f, dym);
    fputs("</a>?</p>\n", f);
}

/* Each facet as a list of its values, each a link to the query narrowed
 * by the value's filter (which matches exactly its count). */
static void facets(FILE *f, const page_state *ps, const quire_results *r)
{
    size_t nf = quire_results_facet_count(r);
    if (!nf)
        return;
    fputs("<aside class=\"facets\">\n", f);
    for (size_t i = 0; i < nf; i++) {
        const quire_facet *fc = quire_results_facet(r, i);
        fputs("<section><h2>", f);
        text(f, fc->field);
        fputs("</h2><ul>", f);
        for (size_t k = 0; k < fc->nvalues; k++) {
            const quire_facet_value *v = &fc->values[k];
            size_t len = strlen(ps->q) + strlen(v->filter) + 4;
            char *narrowed = *v->filter ? malloc(len) : NULL;
            fputs("<li>", f);
            if (narrowed) {
                snprintf(narrowed, len, "(%s) %s", ps->q, v->filter);
                fputs("<a", f);
                write_href(f, ps, narrowed, 0);
                fputs(">", f);
            }
            text(f, v->value);
            fputs(narrowed ? "</a>" : "", f);
            fprintf(f, " <span class=\"count\">%llu</span></li>", (unsigned long long)v->count);
            free(narrowed);
        }
        fputs("</ul></section>\n", f);
    }
    fputs("</aside>\n", f);
}

static void results(FILE *f, const page_state *ps, const quire_results *r)
{
    int exact;
    unsigned long long total = quire_results_total(r, &exact);
    size_t n = quire_results_count(r);
    unsigned offset = ps->sp.so.offset;
    suggestion(f, ps, r);
    if (n == 0) {
        fputs("<p class=\"summary\">", f);
        if (offset && total)
            fputs("No more results for <q>", f);
        else
            fputs("No articles match <q>", f);
        text(f, ps->q);
        fputs("</q>.</p>\n", f);
    } else {
        fprintf(f, "<p class=\"summary\">Results %u\xE2\x80\x93%u of %s", offset + 1, offset + (unsigned)n,
                exact ? "" : "about ");
        grouped(f, total);
        fputs(" for <q>", f);
        text(f, ps->q);
        fputs("</q></p>\n", f);
        results_html_list(f, r, offset);
    }
    facets(f, ps, r);
    unsigned limit = ps->sp.so.limit;
    int prev = offset > 0 && limit > 0, next = limit > 0 && n > 0 && offset + n < total;
    if (prev || next) {
        fputs("<nav class=\"pages\" aria-label=\"Pages\">", f);
        if (prev) {
            fputs("<a rel=\"prev\"", f);
            write_href(f, ps, ps->q, offset > limit ? offset - limit : 0);
            fputs(">\xE2\x86\x90 Previous</a>", f);
        }
        if (next) {
            fputs("<a rel=\"next\"", f);
            write_href(f, ps, ps->q, offset + limit);
            fputs(">Next \xE2\x86\x92</a>", f);
        }
        fputs("</nav>\n", f);
    }
    const char *warning = quire_results_warning(r);
    if (*warning) {
        fputs("<p class=\"warning\">", f);
        text(f, warning);
        fputs("</p>\n", f);
    }
}

static void home(FILE *f)
{
    fputs("<section class=\"help\">\n<p>Search the articles. All the words must match; "
          "for example:</p>\n<ul>\n"
          "<li><code>\"kim jong un\"</code> an exact phrase</li>\n"
          "<li><code>russia OR moscow</code>, <code>seoul -pyongyang</code></li>\n"
          "<li><code>title:seoul</code>, <code>source:\"harbor times\"</code>, <code>ukrain*</code></li>\n"
          "<li><code>date:2024-10..2024-12</code>, <code>year:2024</code></li>\n"
          "</ul>\n</section>\n",
          f);
}

void page_search(worker *w, request *req)
{
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f) {
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
        return;
    }
    page_state ps;
    memset(&ps, 0, sizeof ps);
    char err[512];
    unsigned status = 200;
    int bad = params_search(req, w->cfg, 0, &ps.sp, err, sizeof err) != 0;
    ps.q = ps.sp.q;
    if (!ps.sp.facets)
        ps.sp.so.facets = PAGE_FACETS; /* facets=... in the URL picks others */
    for (size_t i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, "limit") == 0 && req->params[i].value && *req->params[i].value)
            ps.explicit_limit = 1;
    head(f, ps.q);
    form(f, &ps);
    quire_results *r = NULL;
    if (bad) {
        status = 400;
        error_box(f, err, NULL, NO_OFFSET);
    } else if (!ps.q || !*ps.q) {
        home(f);
    } else if (!w->s) {
        status = 503;
        error_box(f, "The index cannot be searched right now.", NULL, NO_OFFSET);
    } else {
        ps.sp.so.time_limit = http_time_left(w, req);
        quire_status st = quire_search(w->s, ps.q, &ps.sp.so, &r);
        if (st == QUIRE_OK) {
            results(f, &ps, r);
        } else {
            /* A query's own errors are shown; the index's are the
             * operator's business (stderr, /api/stats). */
            status = status_for(st);
            if (status < 500)
                error_box(f, quire_searcher_errmsg(w->s), ps.q, quire_searcher_error_offset(w->s));
            else
                error_box(f, "The index cannot be searched right now.", NULL, NO_OFFSET);
        }
    }
    quire_results_free(r);
    tail(f);
    if (fclose(f) != 0 || !body) {
        free(body);
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
        return;
    }
    resp_set(&req->resp, status, CTYPE_HTML, body, len);
    if (status == 503)
        req->resp.retry_after = 1;
}

/* format_article.c — quire-query --show: one stored article, whole. The
 * text form is the text-file format quire-index reads (a header block,
 * a blank line, the body), so a shown article can be saved and indexed
 * again; Id is a header line the reader skips. (JSON and HTML are in
 * format_json.c and format_html.c, next to their escaping.) */
#include <string.h>

#include "output.h"

/* Body text for a terminal: lines and tabs kept, other control characters
 * (escape sequences among them) made harmless. */
static void emit_body(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r')
            continue;
        fputc((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F ? ' ' : c, f);
    }
}

static void header(FILE *f, const char *key, const char *value)
{
    if (!*value)
        return;
    fprintf(f, "%s: ", key);
    emit_plain(f, value, strlen(value));
    fputc('\n', f);
}

void print_article_text(FILE *f, const quire_article *a, int color)
{
    const char *on = color ? "\033[1;33m" : "", *off = color ? "\033[0m" : "";
    /* Title first, even when empty: a header block must open with a key
     * the reader knows. */
    fputs("Title: ", f);
    write_marked(f, a->title, a->title_spans, a->title_span_count, on, off, emit_plain);
    fputc('\n', f);
    fputs("Id: ", f); /* escaped as in --format ids */
    emit_id(f, a->id, strlen(a->id));
    fputc('\n', f);
    header(f, "Date", a->date);
    header(f, "Author", a->author);
    header(f, "Source", a->source);
    header(f, "Lang", a->lang);
    header(f, "URL", a->url);
    fputc('\n', f);
    write_marked(f, a->body, a->body_spans, a->body_span_count, on, off, emit_body);
    if (a->body_len && a->body[a->body_len - 1] != '\n')
        fputc('\n', f);
}

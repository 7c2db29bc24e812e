/* format_json.c — one JSON document per search; the document itself is
 * built by common/results_json.c, which quire-serve uses too. */
#include <stdlib.h>

#include "output.h"
#include "results_json.h"

void print_json(FILE *f, const quire_results *r, const output_opts *o)
{
    results_json_opts jo = {o->query, o->offset, o->limit, o->explain};
    size_t len;
    char *text = results_json_text(r, &jo, &len);
    if (!text) {
        fprintf(stderr, "quire-query: out of memory\n");
        return;
    }
    fwrite(text, 1, len, f);
    free(text);
}

void print_article_json(FILE *f, const quire_article *a)
{
    size_t len;
    char *text = article_json_text(a, &len);
    if (!text) {
        fprintf(stderr, "quire-query: out of memory\n");
        return;
    }
    fwrite(text, 1, len, f);
    free(text);
}

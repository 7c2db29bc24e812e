/* format_json.c — one JSON document per search; the document itself is
 * built by common/results_json.c, which quire-serve uses too. */
#include "output.h"
#include "results_json.h"

void print_json(FILE *f, const quire_results *r, const output_opts *o)
{
    results_json_opts jo = {o->query, o->offset, o->limit, o->explain};
    json_t *doc = results_json(r, &jo);
    if (!doc)
        return;
    json_print(f, doc);
    json_decref(doc);
}

void print_ids(FILE *f, const quire_results *r)
{
    for (size_t i = 0; i < quire_results_count(r); i++)
        fprintf(f, "%s\n", quire_results_hit(r, i)->id);
}

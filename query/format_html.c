/* format_html.c — an HTML fragment: an ordered list of hits with <mark>ed
 * matches, then the total. The fragment is common/results_html.c's, the
 * one quire-serve's search page shows. */
#include "output.h"
#include "results_html.h"

void print_html(FILE *f, const quire_results *r, const output_opts *o)
{
    results_html_list(f, r, o->offset);
    results_html_total(f, r);
}

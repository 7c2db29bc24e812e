/* format_ids.c — one id per line, for scripts. An id may hold any
 * character, so it is written escaped (emit_id): a newline in an id can
 * never start a second line, nor an escape sequence reach the terminal. */
#include <string.h>

#include "output.h"

void print_ids(FILE *f, const quire_results *r)
{
    for (size_t i = 0; i < quire_results_count(r); i++) {
        const char *id = quire_results_hit(r, i)->id;
        emit_id(f, id, strlen(id));
        fputc('\n', f);
    }
}

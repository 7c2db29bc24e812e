/* query_quote.c — quire_query_quote() (see quire.h): text as a quoted
 * string of the query language, which query_parse.c reads back as the
 * same text. */
#include <string.h>

#include "query_parse.h"
#include "quire.h"

size_t quire_query_quote(const char *text, char *out, size_t cap)
{
    size_t n = 0;
#define PUT(c)                                                                 \
    do {                                                                       \
        if (n + 1 < cap)                                                       \
            out[n] = (c);                                                      \
        n++;                                                                   \
    } while (0)
    PUT('"');
    const char *s = text ? text : "", *end = s + strlen(s);
    while (s < end) {
        size_t q = qparse_quote_len(s, (size_t)(end - s));
        if (q || *s == '\\')
            PUT('\\');
        for (size_t k = q ? q : 1; k > 0; k--, s++)
            PUT(*s);
    }
    PUT('"');
#undef PUT
    if (cap)
        out[n < cap ? n : cap - 1] = '\0';
    return n;
}

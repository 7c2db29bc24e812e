/* query_quote.c — quire_query_quote() (see quire.h): text as a quoted
 * string of the query language, which query_parse.c reads back as the
 * same text. */
#include <string.h>

#include "quire.h"

/* A quote character of the language at s: ", or a curly one (“ ” „). */
static size_t quote_char(const char *s)
{
    if (s[0] == '"')
        return 1;
    if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0x9E))
        return 3;
    return 0;
}

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
    for (const char *s = text ? text : ""; *s;) {
        size_t q = quote_char(s);
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

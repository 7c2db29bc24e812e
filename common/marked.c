/* marked.c — see marked.h. */
#include "marked.h"

#include <string.h>

void write_marked(FILE *f, const char *s, const quire_span *spans, size_t n,
                  const char *open, const char *close,
                  void (*emit)(FILE *f, const char *s, size_t len))
{
    size_t at = 0, len = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (spans[i].start < at || spans[i].end > len || spans[i].start > spans[i].end)
            continue;
        emit(f, s + at, spans[i].start - at);
        fputs(open, f);
        emit(f, s + spans[i].start, spans[i].end - spans[i].start);
        fputs(close, f);
        at = spans[i].end;
    }
    emit(f, s + at, len - at);
}

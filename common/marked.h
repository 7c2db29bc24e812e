/*
 * marked.h — text with its highlighted spans wrapped in markers, for every
 * output that shows matches (terminal colours, <mark> in HTML).
 */
#ifndef QUIRE_COMMON_MARKED_H
#define QUIRE_COMMON_MARKED_H

#include <stdio.h>

#include "quire.h"

/* Write s with spans [start,end) wrapped in open/close; other bytes through
 * emit (which escapes or sanitises as the format needs). Spans out of
 * order or out of range are skipped, never trusted. */
void write_marked(FILE *f, const char *s, const quire_span *spans, size_t n,
                  const char *open, const char *close,
                  void (*emit)(FILE *f, const char *s, size_t len));

#endif

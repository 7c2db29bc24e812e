/*
 * caret.h — where to put the caret under a malformed query, so that
 * quire-query's terminal display and quire-serve's page point at the same
 * character.
 */
#ifndef QUIRE_COMMON_CARET_H
#define QUIRE_COMMON_CARET_H

#include <stddef.h>

/* Columns a monospace display of query takes before byte offset off
 * (East Asian wide characters count 2). off past the end counts the whole
 * query. */
size_t caret_column(const char *query, size_t off);

#endif

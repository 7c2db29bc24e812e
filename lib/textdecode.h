/*
 * textdecode.h — raw file bytes to clean UTF-8 text, or a verdict of
 * "binary". Handles byte order marks (UTF-8, UTF-16 LE/BE), invalid UTF-8
 * and NUL bytes (each replaced by U+FFFD), and CRLF / CR line ends (to LF),
 * so the parsers after it only ever see clean UTF-8 with '\n' lines.
 */
#ifndef QUIRE_TEXTDECODE_H
#define QUIRE_TEXTDECODE_H

#include <stddef.h>

typedef struct text_decoded {
    char *text;      /* malloc'd, NUL-terminated; NULL if binary */
    size_t len;
    int binary;      /* looked like a binary file: not text */
    int utf16;       /* was UTF-16 (with BOM) */
    size_t replaced; /* invalid sequences / NULs replaced by U+FFFD */
    size_t first_bad_line; /* 1-based line of the first replacement */
} text_decoded;

/* Decode raw (len bytes; not consumed). Returns 0, or -1 when out of
 * memory. */
int text_decode(const char *raw, size_t len, text_decoded *out);

#endif

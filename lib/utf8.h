/*
 * utf8.h — strict UTF-8 validation and repair.
 *
 * Input comes from anywhere (files, JSON, query strings), so everything is
 * checked with one strict definition: no overlong forms, no surrogates,
 * nothing above U+10FFFF. The analyzer, readers and query parser all use it,
 * so they agree on what is valid.
 */
#ifndef QUIRE_UTF8_H
#define QUIRE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one character at s (len bytes available). Returns the code point
 * and sets *adv to its length; on an invalid sequence returns -1 and sets
 * *adv to the number of bytes to skip (at least 1). */
int32_t utf8_decode(const char *s, size_t len, size_t *adv);

/* Length of the longest valid prefix of s; equals len when s is valid. NUL
 * bytes count as invalid when nul_is_invalid is set. */
size_t utf8_valid_prefix(const char *s, size_t len, int nul_is_invalid);

/* A malloc'd, NUL-terminated copy of s with each invalid sequence and each
 * NUL byte replaced by U+FFFD. *outlen (may be NULL) gets its length and
 * *nbad (may be NULL) the number of replacements. NULL when out of memory. */
char *utf8_repair(const char *s, size_t len, size_t *outlen, size_t *nbad);

/* Encode cp into out (at least 4 bytes); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);

/* The largest character boundary <= pos in s (len bytes). */
size_t utf8_floor(const char *s, size_t len, size_t pos);

/* Count of characters (code points) in s. */
size_t utf8_chars(const char *s, size_t len);

#endif

/*
 * input.h — one input file (or standard input) read through zlib, which
 * passes plain files through unchanged, so gzip'd and plain input need no
 * separate code paths. Memory stays bounded: lines and whole-file reads
 * stop at a caller-given maximum.
 */
#ifndef QUIRE_INPUT_H
#define QUIRE_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct input input;

/* path "-" is standard input. NULL on failure with a message in err
 * (QERR_MAX bytes). */
input *input_open(const char *path, char *err);
void input_close(input *in);

/* Copy up to n of the first decompressed bytes into buf without consuming
 * them; returns how many (fewer at end of input), or -1 on error. */
long input_peek(input *in, char *buf, size_t n);

/* Was the data gzip-compressed? Valid after the first peek or read. */
int input_is_gzip(input *in);

/*
 * Read the rest of the input, at most max bytes, into a malloc'd
 * NUL-terminated buffer. *truncated is set when more was left (the rest is
 * not read). Returns 0, or -1 with a message in err.
 */
int input_read_all(input *in, size_t max, char **out, size_t *len,
                   int *truncated, char *err);

/*
 * Next line without its '\n' (a final line without one counts). The line
 * is in a buffer owned by in, valid until the next call. A line longer than
 * max is skipped entirely and reported with *too_long set (then *line is
 * NULL). Returns 1 for a line, 0 at end of input, -1 on error (message in
 * err).
 */
int input_getline(input *in, size_t max, char **line, size_t *len,
                  int *too_long, char *err);

/* At the end of input: what was not read at the file's end (bytes after
 * its gzip data that are not gzip data, which zlib skips without a word),
 * or NULL. Valid until input_close(). */
const char *input_unread(const input *in);

/* Bytes of the underlying file consumed so far (compressed bytes for gzip;
 * for a pipe, which cannot tell, the bytes it delivered). */
uint64_t input_offset(input *in);

/* Bytes of text (after decompression) consumed so far. */
uint64_t input_text_offset(input *in);

#endif

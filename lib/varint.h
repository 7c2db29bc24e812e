/*
 * varint.h — LEB128 unsigned integers, the length/number encoding of every
 * record quire stores (docdata.h, bodystore.h). Decoding is bounded by the
 * bytes available, since a damaged index must give an error, not a crash.
 */
#ifndef QUIRE_VARINT_H
#define QUIRE_VARINT_H

#include <stddef.h>
#include <stdint.h>

enum { VARINT_MAX = 10 }; /* bytes for a 64-bit value */

/* Write v at p (room for VARINT_MAX bytes); returns the bytes written. */
static inline size_t varint_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    do {
        unsigned char b = v & 0x7F;
        v >>= 7;
        p[n++] = (unsigned char)(b | (v ? 0x80 : 0));
    } while (v);
    return n;
}

/* Read a value from p (avail bytes). Returns the bytes used, or 0 when
 * the value is truncated or too long. */
static inline size_t varint_get(const unsigned char *p, size_t avail, uint64_t *v)
{
    uint64_t r = 0;
    for (size_t i = 0; i < avail && i < VARINT_MAX; i++) {
        r |= (uint64_t)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = r;
            return i + 1;
        }
    }
    return 0;
}

#endif

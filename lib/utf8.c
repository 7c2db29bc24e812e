/* utf8.c — see utf8.h. Hand-written because every consumer needs the same
 * strict rules and byte offsets, and ICU's converters would cost a copy. */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

int32_t utf8_decode(const char *str, size_t len, size_t *adv)
{
    const unsigned char *s = (const unsigned char *)str;
    *adv = 1;
    if (len == 0)
        return -1;
    unsigned c = s[0];
    if (c < 0x80)
        return (int32_t)c;
    size_t need;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3; cp = c & 0x07; min = 0x10000;
    } else {
        return -1; /* continuation byte, overlong lead C0/C1, or F5..FF */
    }
    size_t i;
    for (i = 1; i <= need; i++) {
        if (i >= len || (s[i] & 0xC0) != 0x80) {
            *adv = i; /* skip the lead and the continuations seen so far */
            return -1;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *adv = need + 1;
        return -1;
    }
    *adv = need + 1;
    return (int32_t)cp;
}

size_t utf8_valid_prefix(const char *s, size_t len, int nul_is_invalid)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == 0 && nul_is_invalid)
                return i;
            i++;
            continue;
        }
        size_t adv;
        if (utf8_decode(s + i, len - i, &adv) < 0)
            return i;
        i += adv;
    }
    return len;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

char *utf8_repair(const char *s, size_t len, size_t *outlen, size_t *nbad)
{
    size_t bad = 0;
    /* Worst case: every byte becomes a 3-byte U+FFFD. */
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    size_t valid = utf8_valid_prefix(s, len, 1);
    size_t cap = valid == len ? len + 1 : len * 3 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    memcpy(out, s, valid);
    size_t o = valid, i = valid;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t adv = 1;
        int32_t cp = c ? utf8_decode(s + i, len - i, &adv) : -1;
        if (cp < 0) {
            o += utf8_encode(0xFFFD, out + o);
            bad++;
        } else {
            memcpy(out + o, s + i, adv);
            o += adv;
        }
        i += adv;
    }
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    if (nbad)
        *nbad = bad;
    return out;
}

size_t utf8_floor(const char *s, size_t len, size_t pos)
{
    if (pos >= len)
        return len;
    while (pos > 0 && ((unsigned char)s[pos] & 0xC0) == 0x80)
        pos--;
    return pos;
}

size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

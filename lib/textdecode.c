/* textdecode.c — see textdecode.h. The binary test looks at the first
 * 8 KiB only: more than 10% control bytes or invalid UTF-8 there means a
 * binary file. That keeps text with a few stray bytes (repaired) and plain
 * text that file(1) misnames (some BBC articles) while skipping images,
 * archives and UTF-16 without a BOM. */
#include "textdecode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { SAMPLE = 8192 };

static int looks_binary(const char *s, size_t len)
{
    size_t n = len < SAMPLE ? len : SAMPLE, bad = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F)
                bad++;
            i++;
            continue;
        }
        size_t adv;
        if (utf8_decode(s + i, len - i, &adv) < 0 && i + adv <= n)
            bad++;
        i += adv;
    }
    return bad * 10 > n;
}

/* UTF-16 (after the BOM) to UTF-8; unpaired surrogates become U+FFFD. */
static char *from_utf16(const unsigned char *s, size_t len, int be, size_t *outlen,
                        size_t *bad)
{
    char *out = malloc((len / 2) * 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    *bad = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t v = be ? (uint32_t)(s[i + 2] << 8 | s[i + 3]) : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                o += utf8_encode(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), out + o);
                i += 2;
                continue;
            }
        }
        if ((u >= 0xD800 && u <= 0xDFFF) || u == 0) {
            u = 0xFFFD;
            (*bad)++;
        }
        o += utf8_encode(u, out + o);
    }
    if (len % 2) {
        o += utf8_encode(0xFFFD, out + o);
        (*bad)++;
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

/* CRLF and lone CR to LF, in place. */
static size_t normalize_newlines(char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            s[o++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

static size_t line_of_first_bad(const char *s, size_t len)
{
    size_t line = 1, i = 0;
    while (i < len) {
        size_t adv;
        if (s[i] == 0 || utf8_decode(s + i, len - i, &adv) < 0)
            return line;
        if (s[i] == '\n')
            line++;
        i += adv;
    }
    return 0;
}

int text_decode(const char *raw, size_t len, text_decoded *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *u = (const unsigned char *)raw;
    char *text;
    size_t tl, bad = 0;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        out->utf16 = 1;
        text = from_utf16(u + 2, len - 2, u[0] == 0xFE, &tl, &bad);
        if (!text)
            return -1;
        if (bad)
            out->first_bad_line = 1;
    } else {
        if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
            raw += 3;
            len -= 3;
        }
        if (looks_binary(raw, len)) {
            out->binary = 1;
            return 0;
        }
        size_t valid = utf8_valid_prefix(raw, len, 1);
        if (valid != len)
            out->first_bad_line = line_of_first_bad(raw, len);
        text = utf8_repair(raw, len, &tl, &bad);
        if (!text)
            return -1;
    }
    out->replaced = bad;
    out->len = normalize_newlines(text, tl);
    out->text = text;
    return 0;
}

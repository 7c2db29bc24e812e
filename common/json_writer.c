/* json_writer.c — see json_writer.h. The layout follows jansson's: a
 * container's members one per line, indented two spaces a level, "key":
 * value, empty containers as [] and {}; strings escape only '"', '\\' and
 * control characters; reals as %.17g with ".0" added to integral values and
 * exponents without '+' or leading zeros. */
#include "json_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grow the buffer for n more bytes (and a NUL); 0, or -1 when out of
 * memory (then w->failed). */
static int grow(jw *w, size_t n)
{
    if (w->failed)
        return -1;
    size_t cap = w->cap ? w->cap : 4096;
    while (w->len + n + 2 > cap)
        cap *= 2;
    char *ns = realloc(w->s, cap);
    if (!ns) {
        w->failed = 1;
        return -1;
    }
    w->s = ns;
    w->cap = cap;
    return 0;
}

static inline void put(jw *w, const char *s, size_t n)
{
    if (w->len + n + 2 > w->cap && grow(w, n) != 0)
        return;
    memcpy(w->s + w->len, s, n);
    w->len += n;
    w->s[w->len] = '\0';
}

static void newline(jw *w, unsigned depth)
{
    static const char nl[] = "\n                                                                "
                             "                                                                ";
    size_t n = 1 + 2 * (size_t)depth;
    put(w, nl, n < sizeof nl ? n : sizeof nl - 1);
}

/* Before a value: after a key it follows on the same line; in an array,
 * the separator and a new indented line. */
static void before_value(jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first[w->depth])
        put(w, ",", 1);
    w->first[w->depth] = 0;
    newline(w, w->depth);
}

static void open_(jw *w, char c)
{
    before_value(w);
    put(w, &c, 1);
    if (w->depth + 1 < sizeof w->first)
        w->depth++;
    w->first[w->depth] = 1;
}

static void close_(jw *w, char c)
{
    int empty = w->first[w->depth];
    if (w->depth)
        w->depth--;
    if (!empty)
        newline(w, w->depth);
    put(w, &c, 1);
}

void jw_object(jw *w) { open_(w, '{'); }
void jw_object_end(jw *w) { close_(w, '}'); }
void jw_array(jw *w) { open_(w, '['); }
void jw_array_end(jw *w) { close_(w, ']'); }

static void quoted(jw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    put(w, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\b': put(w, "\\b", 2); break;
        case '\f': put(w, "\\f", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(w, u, 6);
        }
        }
    }
    put(w, run, (size_t)(s - run));
    put(w, "\"", 1);
}

void jw_key(jw *w, const char *key)
{
    before_value(w);
    quoted(w, key);
    put(w, ": ", 2);
    w->after_key = 1;
}

void jw_string(jw *w, const char *s)
{
    before_value(w);
    quoted(w, s);
}

void jw_int(jw *w, long long v)
{
    char b[24], *p = b + sizeof b;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    before_value(w);
    put(w, p, (size_t)(b + sizeof b - p));
}

void jw_real(jw *w, double v)
{
    jw_real_digits(w, v, 17);
}

void jw_real_digits(jw *w, double v, int digits)
{
    char b[40];
    int n = snprintf(b, sizeof b, "%.*g", digits, v);
    if (n < 0 || (size_t)n >= sizeof b)
        n = snprintf(b, sizeof b, "0.0");
    if (!strpbrk(b, ".eEn")) { /* integral: keep it a real ("inf"/"nan" never reach here) */
        memcpy(b + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(b, 'e');
    if (e) { /* e+020 -> e20, e-07 -> e-7 */
        char *d = e + 1, *from = d;
        if (*from == '+')
            from++;
        else if (*from == '-')
            d++, from++;
        while (*from == '0' && from[1])
            from++;
        memmove(d, from, strlen(from) + 1);
        n = (int)strlen(b);
    }
    before_value(w);
    put(w, b, (size_t)n);
}

void jw_bool(jw *w, int v)
{
    before_value(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw *w)
{
    before_value(w);
    put(w, "null", 4);
}

char *jw_finish(jw *w, size_t *len)
{
    put(w, "\n", 1);
    char *s = w->failed ? NULL : w->s;
    if (len)
        *len = s ? w->len : 0;
    if (!s)
        free(w->s);
    memset(w, 0, sizeof *w);
    return s;
}

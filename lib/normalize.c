/* normalize.c — see normalize.h. ASCII words take a fast path (lower-case
 * only: NFKC is the identity on ASCII); everything else goes through ICU in
 * UTF-16 and back. */
#include "normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "utf8.h"

struct qn_normalizer {
    const UNormalizer2 *nfkc_cf, *nfd, *nfc; /* ICU singletons, not owned */
    int fold;
    UChar *a, *b;
    int32_t cap16; /* capacity of a and b, in UChars */
    char *out;
    size_t out_cap;
};

qn_normalizer *qn_new(int fold_accents, char *err, size_t errlen)
{
    UErrorCode st = U_ZERO_ERROR;
    qn_normalizer *n = calloc(1, sizeof *n);
    if (!n) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    n->fold = fold_accents;
    n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_SUCCESS(st))
        n->nfd = unorm2_getNFDInstance(&st);
    if (U_SUCCESS(st))
        n->nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "ICU normalizer data unavailable: %s", u_errorName(st));
        free(n);
        return NULL;
    }
    return n;
}

void qn_free(qn_normalizer *n)
{
    if (!n)
        return;
    free(n->a);
    free(n->b);
    free(n->out);
    free(n);
}

static int reserve16(qn_normalizer *n, int32_t need)
{
    if (need <= n->cap16)
        return 0;
    int32_t cap = need < 64 ? 64 : need * 2;
    UChar *a = realloc(n->a, (size_t)cap * sizeof(UChar));
    if (!a)
        return -1;
    n->a = a;
    UChar *b = realloc(n->b, (size_t)cap * sizeof(UChar));
    if (!b)
        return -1;
    n->b = b;
    n->cap16 = cap;
    return 0;
}

static int reserve_out(qn_normalizer *n, size_t need)
{
    if (need <= n->out_cap)
        return 0;
    size_t cap = need < 64 ? 64 : need * 2;
    char *o = realloc(n->out, cap);
    if (!o)
        return -1;
    n->out = o;
    n->out_cap = cap;
    return 0;
}

/* src (len) -> dst through norm, growing the buffers as needed. Because a
 * and b are swapped by the caller, this works on indices 0/1. Returns the
 * output length or -1. */
static int32_t run_norm(qn_normalizer *n, const UNormalizer2 *norm, int from_a,
                        int32_t len)
{
    for (;;) {
        UErrorCode st = U_ZERO_ERROR;
        UChar *src = from_a ? n->a : n->b, *dst = from_a ? n->b : n->a;
        int32_t out = unorm2_normalize(norm, src, len, dst, n->cap16, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            if (reserve16(n, out + 1) != 0)
                return -1;
            continue;
        }
        return U_FAILURE(st) ? -1 : out;
    }
}

/* Letters with no decomposition that accent folding still maps, as users
 * type them without the stroke (after case folding). */
static const char *fold_special(UChar32 c)
{
    switch (c) {
    case 0x00F8: return "o";  /* ø */
    case 0x0111: return "d";  /* đ */
    case 0x00F0: return "d";  /* ð */
    case 0x0127: return "h";  /* ħ */
    case 0x0131: return "i";  /* dotless ı */
    case 0x0142: return "l";  /* ł */
    case 0x0140: return "l";  /* ŀ */
    case 0x0167: return "t";  /* ŧ */
    case 0x00E6: return "ae"; /* æ */
    case 0x0153: return "oe"; /* œ */
    case 0x00FE: return "th"; /* þ */
    default: return NULL;
    }
}

/* Should this combining mark go, given the letter it sits on? Only for
 * scripts where marks are accents on a base letter users type without them
 * (Latin, Greek); in Thai, Devanagari, Hebrew... marks are letters. In
 * Cyrillic only the diaeresis of ё goes (е), since й, ї are letters. */
static int drop_mark(UChar32 mark, UChar32 base)
{
    if (u_charType(mark) != U_NON_SPACING_MARK || base < 0)
        return 0;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(base, &st);
    if (U_FAILURE(st))
        return 0;
    if (sc == USCRIPT_LATIN || sc == USCRIPT_GREEK)
        return 1;
    return sc == USCRIPT_CYRILLIC && mark == 0x0308 && base == 0x0435;
}

/* Accent folding on b (len) -> result in b; returns new length or -1. */
static int32_t fold_accents16(qn_normalizer *n, int32_t len)
{
    int32_t dlen = run_norm(n, n->nfd, 0, len); /* b -> a */
    if (dlen < 0)
        return -1;
    /* Filter a in place into b (specials can expand by one unit each). */
    if (reserve16(n, dlen * 2 + 1) != 0)
        return -1;
    int32_t i = 0, o = 0;
    UChar32 base = -1;
    while (i < dlen) {
        UChar32 c;
        U16_NEXT(n->a, i, dlen, c);
        if (drop_mark(c, base))
            continue;
        if (u_charType(c) != U_NON_SPACING_MARK)
            base = c;
        const char *sp = fold_special(c);
        if (sp) {
            for (; *sp; sp++)
                n->b[o++] = (UChar)*sp;
            continue;
        }
        U16_APPEND_UNSAFE(n->b, o, c);
    }
    return run_norm(n, n->nfc, 0, o); /* b -> a */
}

/* The ICU path for words with non-ASCII bytes. Leaves UTF-8 in n->out. */
static int normalize_unicode(qn_normalizer *n, const char *w, size_t len,
                             size_t *outlen)
{
    if (len > INT32_MAX / 2 || reserve16(n, (int32_t)len + 1) != 0)
        return -1;
    UErrorCode st = U_ZERO_ERROR;
    int32_t l16 = 0;
    u_strFromUTF8WithSub(n->a, n->cap16, &l16, w, (int32_t)len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        return -1;
    for (int32_t i = 0; i < l16; i++) {
        UChar c = n->a[i];
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x201B)
            n->a[i] = 0x27;
    }
    int32_t l = run_norm(n, n->nfkc_cf, 1, l16); /* a -> b */
    if (l < 0)
        return -1;
    /* Case folding turns İ into i + U+0307; the dot is not what users mean. */
    int32_t o = 0;
    for (int32_t i = 0; i < l; i++) {
        if (n->b[i] == 0x0307 && o > 0 && (n->b[o - 1] == 'i' || n->b[o - 1] == 'j'))
            continue;
        n->b[o++] = n->b[i];
    }
    l = o;
    UChar *res = n->b;
    if (n->fold) {
        l = fold_accents16(n, l);
        if (l < 0)
            return -1;
        res = n->a;
    }
    if (reserve_out(n, (size_t)l * 3 + 1) != 0)
        return -1;
    int32_t l8 = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(n->out, (int32_t)n->out_cap, &l8, res, l, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        return -1;
    *outlen = (size_t)l8;
    return 0;
}

static const char *const elisions[] = {
    "l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'", "qu'", "jusqu'",
    "lorsqu'", "puisqu'", "quoiqu'", "dell'", "dall'", "nell'", "sull'",
    "all'", "coll'", "pell'", "un'", "quell'", "bell'", "sant'", NULL};
enum { ELISIONS = sizeof elisions / sizeof elisions[0] - 1 };

/* "u.n" -> "un": every dot-separated part is one letter, two parts or more. */
static int is_dotted_acronym(const char *s, size_t n)
{
    size_t parts = 0, i = 0;
    while (i < n) {
        size_t adv;
        int32_t c = utf8_decode(s + i, n - i, &adv);
        if (c < 0 || c == '.' || (c >= '0' && c <= '9'))
            return 0;
        i += adv;
        parts++;
        if (i == n)
            break;
        if (s[i] != '.')
            return 0;
        i++;
        if (i == n)
            return 0;
    }
    return parts >= 2;
}

/* 1,234,567(.89) -> 1234567(.89) */
static int is_grouped_number(const char *s, size_t n)
{
    size_t i = 0, lead = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, lead++;
    if (lead < 1 || lead > 3 || i == n || s[i] != ',')
        return 0;
    while (i < n && s[i] == ',') {
        i++;
        for (int k = 0; k < 3; k++, i++)
            if (i >= n || s[i] < '0' || s[i] > '9')
                return 0;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i == n)
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i == n;
}

static size_t remove_char(char *s, size_t n, char c)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != c)
            s[o++] = s[i];
    return o;
}

/* The language-independent fixes, on the case-folded UTF-8 form. */
static size_t postprocess(char *s, size_t n, unsigned *flags)
{
    /* Every elision ends in an apostrophe: most words skip the list. */
    for (const char *const *e = memchr(s, '\'', n) ? elisions : elisions + ELISIONS; *e; e++) {
        size_t el = strlen(*e);
        if (n > el && memcmp(s, *e, el) == 0) {
            memmove(s, s + el, n - el);
            n -= el;
            break;
        }
    }
    if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's')
        n -= 2;
    else if (n > 1 && s[n - 1] == '\'')
        n -= 1;
    if (memchr(s, '.', n) && is_dotted_acronym(s, n)) {
        n = remove_char(s, n, '.');
        *flags |= QN_ACRONYM;
    } else if (memchr(s, ',', n) && is_grouped_number(s, n)) {
        n = remove_char(s, n, ',');
    }
    s[n] = '\0';
    return n;
}

const char *qn_word(qn_normalizer *n, const char *w, size_t len,
                    size_t *outlen, unsigned *flags)
{
    unsigned f = 0;
    size_t l = 0;
    int ascii = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)w[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) {
        if (reserve_out(n, len + 1) != 0)
            return NULL;
        for (size_t i = 0; i < len; i++) {
            char c = w[i];
            n->out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        l = len;
    } else if (normalize_unicode(n, w, len, &l) != 0) {
        return NULL;
    }
    l = postprocess(n->out, l, &f);
    if (flags)
        *flags = f;
    if (l == 0)
        return NULL;
    *outlen = l;
    return n->out;
}

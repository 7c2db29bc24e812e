/* passage.c — see passage.h. */
#include "passage.h"

#include <stdlib.h>
#include <string.h>

enum {
    REGION_MAX = 64 * 1024, /* bytes analysed for one snippet, at most */
    MIN_WINDOW_WORDS = 8,
    MAX_TRIES = 4           /* regions analysed for one snippet, at most */
};

int passage_wants_positions(const bodystore *b)
{
    return b->text_len > PASSAGE_WHOLE_MAX;
}

/* Words a snippet of max_chars characters holds in this body, about. */
static uint32_t window_words(const bodystore *b, size_t max_chars)
{
    uint64_t w = b->nchars ? (uint64_t)max_chars * b->words / b->nchars : 32;
    return w < MIN_WINDOW_WORDS ? MIN_WINDOW_WORDS : (uint32_t)w;
}

/* A window of W words in position space and its score (distinct groups
 * x 1000 + phrases x 100 + matches, as snippet.c scores text windows). */
typedef struct anchor {
    uint32_t start;
    long score;
} anchor;

static int cmp_anchor(const void *a, const void *b)
{
    const anchor *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The best windows of W words over matches m (ordered by position), at
 * most k of them and at least W words apart, best first: a window starts
 * a quarter window before each match; counts per group slide along.
 * Returns how many were found (0 when out of memory). */
static size_t best_anchors(const hp_match *m, size_t nm, uint32_t W, uint32_t first, anchor *out, size_t k)
{
    int ngroups = 0;
    for (size_t i = 0; i < nm; i++)
        if (m[i].group + 1 > ngroups)
            ngroups = m[i].group + 1;
    size_t *count = calloc((size_t)ngroups, sizeof *count);
    anchor *all = malloc(nm * sizeof *all);
    if (!count || !all) {
        free(count);
        free(all);
        return 0;
    }
    size_t na = 0, lo = 0, hi = 0;
    long distinct = 0, phrases = 0;
    for (size_t i = 0; i < nm; i++) {
        if (i > 0 && m[i].pos == m[i - 1].pos)
            continue;
        uint32_t start = m[i].pos - first >= W / 4 ? m[i].pos - W / 4 : first;
        uint32_t end = start + W;
        while (hi < nm && m[hi].pos < end) {
            if (count[m[hi].group]++ == 0)
                distinct++;
            phrases += m[hi].phrase;
            hi++;
        }
        while (lo < hi && m[lo].pos < start) {
            if (--count[m[lo].group] == 0)
                distinct--;
            phrases -= m[lo].phrase;
            lo++;
        }
        anchor a = {start, distinct * 1000 + phrases * 100 + (long)(hi - lo)};
        all[na++] = a;
    }
    qsort(all, na, sizeof *all, cmp_anchor);
    size_t n = 0;
    for (size_t i = 0; i < na && n < k; i++) {
        int near = 0;
        for (size_t j = 0; j < n && !near; j++)
            near = (all[i].start > out[j].start ? all[i].start - out[j].start : out[j].start - all[i].start) < W;
        if (!near)
            out[n++] = all[i];
    }
    free(count);
    free(all);
    return n;
}

/* Read [from, to) and cut it to whole characters at both ends. */
static int read_region(bs_zip *z, const bodystore *b, size_t from, size_t to,
                       char **text, size_t *len, size_t *off, int *oom)
{
    if (bs_read(z, b, from, to, text, oom) != 0)
        return -1;
    size_t s = 0, e = to - from;
    while (s < e && ((unsigned char)(*text)[s] & 0xC0) == 0x80)
        s++;
    if (to < b->text_len) {
        size_t k = e;
        while (k > s && ((unsigned char)(*text)[k - 1] & 0xC0) == 0x80)
            k--;
        /* k - 1 is a lead byte: keep it only if its character is whole. */
        if (k > s) {
            unsigned char c = (unsigned char)(*text)[k - 1];
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (e - (k - 1) < need)
                e = k - 1;
        }
    }
    memmove(*text, *text + s, e - s);
    (*text)[e - s] = '\0';
    *len = e - s;
    *off = from + s;
    return 0;
}

/* The region around a window starting at word position anchor: from far
 * enough before it for the sentence-start test, to a full window past it
 * (see snippet.h). *lead: bytes of the region before the anchor's map
 * entry, where no window may start. */
static void region(const bodystore *b, uint32_t anchor, uint32_t W, size_t margin,
                   size_t *from, size_t *to, size_t *lead)
{
    size_t ca = bs_check_at(b, anchor), cs = ca, ce = ca + 1;
    while (cs > 0 && b->check_byte[ca] - b->check_byte[cs] < margin)
        cs--;
    size_t after = ce <= b->ncheck ? b->check_byte[ce] : b->text_len;
    while (ce <= b->ncheck && (b->check_pos[ce] < anchor + W + W / 4 + 16 || b->check_byte[ce] - after < margin))
        ce++;
    *from = b->check_byte[cs];
    *to = ce <= b->ncheck ? b->check_byte[ce] : b->text_len;
    *lead = cs > 0 ? b->check_byte[ca] - *from : 0;
    if (*to - *from > REGION_MAX) {
        /* Words too long or no restart points: stay near the anchor. */
        size_t a = b->check_byte[ca];
        *from = a - *from > margin ? a - margin : *from;
        *lead = a - *from;
        *to = *from + REGION_MAX < *to ? *from + REGION_MAX : *to;
    }
}

/* The snippet of bytes [from, to) of b, windows starting past lead. */
static int snippet_of(snippeter *sp, bs_zip *z, const bodystore *b, size_t from, size_t to, size_t lead,
                      const char *lang, const hl_spec *hl, size_t nhl, int skip_stops, size_t max_chars,
                      snippet *out, int *oom)
{
    char *text;
    size_t len, off;
    if (read_region(z, b, from, to, &text, &len, &off, oom) != 0)
        return -1;
    snippet_src src = {text, len, off, b->text_len, lead > off - from ? lead - (off - from) : 0};
    int rc = snippet_make_src(sp, &src, lang, hl, nhl, skip_stops, max_chars, out);
    free(text);
    if (rc != 0)
        *oom = 1;
    return rc;
}

int passage_make(snippeter *sp, bs_zip *z, const bodystore *b,
                 const hp_match *m, size_t nm, const char *lang,
                 const hl_spec *hl, size_t nhl, int skip_stops,
                 size_t max_chars, snippet *out, int *oom)
{
    memset(out, 0, sizeof *out);
    *oom = 0;
    size_t margin = 4 * max_chars; /* bytes that surely hold max_chars characters */
    if (!passage_wants_positions(b))
        return snippet_of(sp, z, b, 0, b->text_len, 0, lang, hl, nhl, skip_stops, max_chars, out, oom);
    uint32_t W = window_words(b, max_chars);
    anchor a[MAX_TRIES];
    size_t na = nm ? best_anchors(m, nm, W, b->first_pos, a, MAX_TRIES) : 0;
    if (na == 0) {
        size_t to = margin + 64 < b->text_len ? margin + 64 : b->text_len;
        return snippet_of(sp, z, b, 0, to, 0, lang, hl, nhl, skip_stops, max_chars, out, oom);
    }
    /* Word counts only approximate a window of max_chars characters, so
     * the text may fit fewer matches than the positions promised: then
     * the next best windows are tried too, and the best text kept. */
    for (size_t i = 0; i < na; i++) {
        size_t from, to, lead;
        region(b, a[i].start, W, margin, &from, &to, &lead);
        snippet sn;
        if (snippet_of(sp, z, b, from, to, lead, lang, hl, nhl, skip_stops, max_chars, &sn, oom) != 0) {
            snippet_free(out);
            return -1;
        }
        if (i == 0 || sn.score > out->score) {
            snippet_free(out);
            *out = sn;
        } else {
            snippet_free(&sn);
        }
        if (out->score / 100 >= a[0].score / 100)
            break; /* as many groups and phrases as any window promised */
    }
    return 0;
}

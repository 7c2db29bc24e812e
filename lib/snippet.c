/* snippet.c — see snippet.h. Windows are anchored at each match (at its
 * sentence's start when that fits, else a little before it); each is
 * scored and the best kept, earliest first on ties. The caller bounds the
 * text analysed: a long body is cut down to a region first (passage.h). */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "highlight.h"
#include "strbuf.h"
#include "utf8.h"

struct snippeter {
    qa_analyzer *an;
    qa_tokens tok;
    UBreakIterator *sent;
    UText ut;
};

snippeter *snippeter_new(qa_analyzer *an)
{
    snippeter *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    UText init = UTEXT_INITIALIZER;
    s->ut = init;
    s->an = an;
    UErrorCode st = U_ZERO_ERROR;
    s->sent = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &st);
    if (U_FAILURE(st)) {
        free(s);
        return NULL;
    }
    return s;
}

void snippeter_free(snippeter *s)
{
    if (!s)
        return;
    ubrk_close(s->sent);
    utext_close(&s->ut);
    qa_tokens_free(&s->tok);
    free(s);
}

void snippet_free(snippet *sn)
{
    free(sn->text);
    free(sn->spans);
    memset(sn, 0, sizeof *sn);
}

/* Byte offset n characters after a (not past len). */
static size_t fwd_chars(const char *s, size_t len, size_t a, size_t n)
{
    while (a < len && n > 0) {
        a++;
        while (a < len && ((unsigned char)s[a] & 0xC0) == 0x80)
            a++;
        n--;
    }
    return a;
}

/* Byte offset n characters before a. */
static size_t back_chars(const char *s, size_t a, size_t n)
{
    while (a > 0 && n > 0) {
        a--;
        while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80)
            a--;
        n--;
    }
    return a;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of an HTML-like tag at s ("<b>", "</div>", "<!-- x -->"), or 0.
 * A tag with a real name ("<a", "</p", a letter then letters, digits, ':'
 * or '-', then a space, '/' or '>') may run over line breaks in its
 * attributes (mail bodies wrap long tags); anything else, such as the
 * "i<n" of code, ends at a line break. */
static size_t tag_len(const char *s, size_t n)
{
    if (n < 3 || s[0] != '<')
        return 0;
    size_t i = s[1] == '/' ? 2 : 1;
    if (!is_alpha(s[i]) && s[1] != '!')
        return 0;
    while (i < n && (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '-'))
        i++;
    int named = s[1] != '!' && i < n && (is_ws(s[i]) || s[i] == '/' || s[i] == '>');
    for (; i < n && i < 512; i++) {
        if (s[i] == '>')
            return i + 1;
        if (s[i] == '<' || (s[i] == '\n' && !named))
            return 0;
    }
    return 0;
}

/* Window end: about max_chars after start, pulled back to a word gap. */
static size_t window_end(const char *s, size_t len, size_t start, size_t max_chars)
{
    size_t e = fwd_chars(s, len, start, max_chars);
    if (e >= len)
        return len;
    size_t w = e;
    while (w > start && !is_ws(s[w]))
        w--;
    return w > start ? w : e;
}

typedef struct window {
    size_t start, end;
    int at_sentence;
    long score;
    long tiebreak; /* whole text shown first, else the earliest first match */
} window;

/* Score of window w: distinct groups first, then whole phrases, then
 * matches. m is sorted by start; from is a match index at or after w.start. */
static long score_window(const hl_match *m, size_t nm, size_t from, window w,
                         size_t ngroups, unsigned char *seen)
{
    memset(seen, 0, ngroups);
    long distinct = 0, phrases = 0, total = 0;
    for (size_t j = from; j < nm && m[j].start < w.end; j++) {
        if (m[j].start < w.start || m[j].end > w.end)
            continue;
        if (!seen[m[j].group]) {
            seen[m[j].group] = 1;
            distinct++;
        }
        phrases += m[j].phrase;
        total++;
    }
    return distinct * 1000 + phrases * 100 + total;
}

static long tiebreak(const hl_match *m, size_t nm, window w, const snippet_src *src)
{
    size_t len = src->len;
    if (src->off + w.start == 0 && w.end == len && src->off + len == src->body_len)
        return 0;
    for (size_t j = 0; j < nm; j++)
        if (m[j].start >= w.start && m[j].end <= w.end)
            return -1 - (long)(m[j].start - w.start);
    return -(long)len - 1;
}

static int better(window a, window b)
{
    return a.score > b.score || (a.score == b.score && a.tiebreak > b.tiebreak);
}

static window best_window(snippeter *sp, const snippet_src *src,
                          const hl_match *m, size_t nm, size_t ngroups,
                          size_t max_chars, unsigned char *seen)
{
    const char *s = src->text;
    size_t len = src->len;
    /* The beginning of the body is a candidate too; ties go to the
     * earliest window, so a short text is shown from its start. Inside a
     * region, its first anchored window stands in until a better one. */
    window best = {0, window_end(s, len, 0, max_chars), 1, -2, 0};
    if (src->off == 0) {
        best.score = nm ? score_window(m, nm, 0, best, ngroups, seen) : -1;
        best.tiebreak = tiebreak(m, nm, best, src);
    } else {
        size_t b = src->min_anchor < len ? src->min_anchor : len;
        while (b < len && !is_ws(s[b]))
            b++;
        while (b < len && is_ws(s[b]))
            b++;
        best.start = b;
        best.end = window_end(s, len, b, max_chars);
        best.at_sentence = 0;
    }
    for (size_t i = 0; i < nm; i++) {
        if ((i > 0 && m[i].start == m[i - 1].start) || m[i].start < src->min_anchor)
            continue;
        window w = {0, 0, 0, 0, 0};
        int32_t sb = ubrk_preceding(sp->sent, (int32_t)m[i].start + 1);
        size_t s0 = sb == UBRK_DONE ? 0 : (size_t)sb;
        if (utf8_chars(s + s0, m[i].end - s0) <= max_chars * 3 / 4) {
            w.start = s0;
            w.at_sentence = 1;
        } else {
            size_t b = back_chars(s, m[i].start, max_chars / 5);
            while (b < m[i].start && !is_ws(s[b]))
                b++;
            while (b < m[i].start && is_ws(s[b]))
                b++;
            w.start = b;
        }
        w.end = window_end(s, len, w.start, max_chars);
        size_t j = i;
        while (j > 0 && m[j - 1].start >= w.start)
            j--;
        w.score = score_window(m, nm, j, w, ngroups, seen);
        w.tiebreak = tiebreak(m, nm, w, src);
        if (better(w, best))
            best = w;
    }
    return best;
}

/* Copy s[w.start, w.end) cleaned up into out; map[i] gets the output
 * offset of source byte w.start + i. */
static void render(const snippet_src *src, window w, strbuf *out, size_t *map)
{
    const char *s = src->text;
    if (src->off + w.start > 0 && !w.at_sentence)
        sb_adds(out, "\xE2\x80\xA6"); /* … */
    size_t lead = out->len;
    for (size_t i = w.start; i < w.end;) {
        map[i - w.start] = out->len;
        unsigned char c = (unsigned char)s[i];
        size_t tl;
        if (is_ws((char)c) || (c == '<' && (tl = tag_len(s + i, w.end - i)))) {
            size_t skip = is_ws((char)c) ? 1 : tl;
            if (out->len > lead && out->s[out->len - 1] != ' ')
                sb_add(out, " ", 1);
            for (size_t k = 1; k < skip; k++)
                map[i - w.start + k] = out->len;
            i += skip;
            continue;
        }
        if (c == 0x1B) {
            /* A terminal escape: drop it whole (ESC [ params final). */
            size_t k = i + 1;
            if (k < w.end && s[k] == '[') {
                k++;
                while (k < w.end && !((unsigned char)s[k] >= 0x40 && (unsigned char)s[k] <= 0x7E))
                    k++;
                if (k < w.end)
                    k++;
            }
            for (size_t q = i + 1; q < k; q++)
                map[q - w.start] = out->len;
            i = k;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            i++;
            continue;
        }
        sb_add(out, s + i, 1);
        i++;
    }
    map[w.end - w.start] = out->len;
    while (out->len > lead && out->s[out->len - 1] == ' ')
        out->s[--out->len] = '\0';
    if (src->off + w.end < src->body_len)
        sb_adds(out, "\xE2\x80\xA6");
}

int snippet_make(snippeter *sp, const char *body, size_t len, const char *lang,
                 const hl_spec *hl, size_t nhl, int skip_stops,
                 size_t max_chars, snippet *out)
{
    snippet_src src = {body, len, 0, len, 0};
    return snippet_make_src(sp, &src, lang, hl, nhl, skip_stops, max_chars, out);
}

int snippet_make_src(snippeter *sp, const snippet_src *src, const char *lang,
                     const hl_spec *hl, size_t nhl, int skip_stops,
                     size_t max_chars, snippet *out)
{
    memset(out, 0, sizeof *out);
    char err[256];
    qa_tokens_reset(&sp->tok);
    if (qa_run(sp->an, src->text, src->len, lang, 0, &sp->tok, NULL, err, sizeof err) != 0)
        return -1;
    hl_match *m = NULL;
    size_t nm = 0;
    if (hl_find(&sp->tok, hl, nhl, 0, skip_stops, &m, &nm) != 0)
        return -1;
    UErrorCode st = U_ZERO_ERROR;
    utext_openUTF8(&sp->ut, src->text, (int64_t)src->len, &st);
    ubrk_setUText(sp->sent, &sp->ut, &st);
    unsigned char *seen = calloc(nhl + 1, 1);
    if (U_FAILURE(st) || !seen) {
        free(m);
        free(seen);
        return -1;
    }
    window w = best_window(sp, src, m, nm, nhl + 1, max_chars, seen);
    free(seen);
    size_t *map = malloc((w.end - w.start + 1) * sizeof *map);
    strbuf text = {0};
    if (!map) {
        free(m);
        return -1;
    }
    render(src, w, &text, map);
    /* Matches inside the window, moved to snippet offsets. */
    size_t k = 0;
    for (size_t i = 0; i < nm; i++)
        if (m[i].start >= w.start && m[i].end <= w.end) {
            m[k] = m[i];
            m[k].start = map[m[i].start - w.start];
            m[k].end = map[m[i].end - w.start];
            /* A trailing skipped byte maps past the match: pull back. */
            while (m[k].end > m[k].start && text.s && text.s[m[k].end - 1] == ' ')
                m[k].end--;
            if (m[k].end > m[k].start)
                k++;
        }
    free(map);
    int rc = hl_spans(m, k, &out->spans, &out->nspans);
    free(m);
    out->score = w.score;
    out->text = sb_take(&text);
    if (rc != 0 || !out->text) {
        snippet_free(out);
        return -1;
    }
    return 0;
}

int snippet_text_spans(snippeter *sp, const char *text, size_t len,
                       const char *lang, const hl_spec *hl, size_t nhl,
                       int in_title, int skip_stops, quire_span **spans,
                       size_t *n)
{
    *spans = NULL;
    *n = 0;
    char err[256];
    qa_tokens_reset(&sp->tok);
    if (qa_run(sp->an, text, len, lang, 0, &sp->tok, NULL, err, sizeof err) != 0)
        return -1;
    hl_match *m = NULL;
    size_t nm = 0;
    if (hl_find(&sp->tok, hl, nhl, in_title, skip_stops, &m, &nm) != 0)
        return -1;
    int rc = hl_spans(m, nm, spans, n);
    free(m);
    return rc;
}

int snippet_title_spans(snippeter *sp, const char *title, const char *lang,
                        const hl_spec *hl, size_t nhl, int skip_stops,
                        quire_span **spans, size_t *n)
{
    return snippet_text_spans(sp, title, strlen(title), lang, hl, nhl, 1, skip_stops, spans, n);
}

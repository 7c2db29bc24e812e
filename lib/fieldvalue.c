/* fieldvalue.c — see fieldvalue.h. */
#include "fieldvalue.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "strbuf.h"
#include "utf8.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The key: the value's words joined by single spaces; a value without
 * words (punctuation only) keeps its own bytes, spaces collapsed, so it
 * still has a key of its own. */
static int make_key(qa_analyzer *an, qa_tokens *t, const char *v, size_t len, strbuf *key)
{
    char msg[128];
    qa_tokens_reset(t);
    if (qa_run(an, v, len, NULL, 0, t, NULL, msg, sizeof msg) != 0)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        const qa_token *k = &t->v[i];
        if (!k->term_len)
            continue;
        if (key->len)
            sb_add(key, " ", 1);
        sb_add(key, qa_term(t, k), k->term_len);
    }
    if (!key->len) {
        for (size_t i = 0; i < len; i++) {
            if (!is_space(v[i]))
                sb_add(key, v + i, 1);
            else if (key->len && i + 1 < len && !is_space(v[i + 1]))
                sb_add(key, " ", 1);
        }
    }
    return strbuf_failed(key) ? -1 : 0;
}

int fv_term(qa_analyzer *an, qa_tokens *scratch, const char *pfx,
            const char *value, size_t len, char *out)
{
    strbuf key = {0};
    if (make_key(an, scratch, value, len, &key) != 0) {
        sb_free(&key);
        return -1;
    }
    size_t pl = strlen(pfx), kl = key.len;
    if (!kl) {
        sb_free(&key);
        return 0;
    }
    memcpy(out, pfx, pl);
    if (pl + kl < FV_TERM_MAX) {
        memcpy(out + pl, key.s, kl);
        out[pl + kl] = '\0';
        sb_free(&key);
        return (int)(pl + kl);
    }
    /* Too long for one term: a cut at a character boundary, then a hash
     * of the whole key. */
    size_t cut = utf8_floor(key.s, kl, FV_TERM_MAX - 1 - pl - 9);
    memcpy(out + pl, key.s, cut);
    unsigned long h = crc32(0L, (const Bytef *)key.s, (uInt)kl);
    int n = snprintf(out + pl + cut, FV_TERM_MAX - pl - cut, "#%08lx", h);
    sb_free(&key);
    return (int)(pl + cut) + n;
}

int fv_each_name(const char *authors, size_t len,
                 int (*fn)(void *ctx, const char *name, size_t len), void *ctx)
{
    const char *p = authors, *end = authors + len;
    while (p < end) {
        const char *s = p, *e = p;
        while (e < end && *e != ',' && *e != ';')
            e++;
        p = e < end ? e + 1 : end;
        while (s < e && is_space(*s))
            s++;
        while (e > s && is_space(e[-1]))
            e--;
        if (e > s) {
            int rc = fn(ctx, s, (size_t)(e - s));
            if (rc)
                return rc;
        }
    }
    return 0;
}

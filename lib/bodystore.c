/* bodystore.c — see bodystore.h. */
#include "bodystore.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "varint.h"

void bs_zip_init(bs_zip *z)
{
    memset(z, 0, sizeof *z);
}

void bs_zip_free(bs_zip *z)
{
    if (z->def_ok)
        deflateEnd(&z->def);
    if (z->inf_ok)
        inflateEnd(&z->inf);
    memset(z, 0, sizeof *z);
}

static void put_num(strbuf *sb, uint64_t v)
{
    unsigned char tmp[VARINT_MAX];
    sb_add(sb, (const char *)tmp, varint_put(tmp, v));
}

/* May a map entry sit at token k? See bodystore.h. */
static int safe_restart(const char *body, const qa_token *k)
{
    if (k->start == 0 || (k->flags & QA_CJK))
        return 0;
    char c = body[k->start - 1];
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Compress text[0, n) as one raw deflate stream onto sb. Returns the
 * stored size and sets *raw when it did not shrink (then the text itself
 * was added), or (size_t)-1 when out of memory. */
static size_t put_block(bs_zip *z, strbuf *sb, const char *text, size_t n, int *raw)
{
    if (!z->def_ok) {
        if (deflateInit2(&z->def, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return (size_t)-1;
        z->def_ok = 1;
    } else if (deflateReset(&z->def) != Z_OK) {
        return (size_t)-1;
    }
    size_t bound = deflateBound(&z->def, (uLong)n);
    size_t at = sb->len;
    if (sb_reserve(sb, bound > n ? bound : n) != 0)
        return (size_t)-1;
    z->def.next_in = (Bytef *)text;
    z->def.avail_in = (uInt)n;
    z->def.next_out = (Bytef *)sb->s + at;
    z->def.avail_out = (uInt)bound;
    int rc = deflate(&z->def, Z_FINISH);
    size_t clen = bound - z->def.avail_out;
    *raw = rc != Z_STREAM_END || clen >= n;
    if (*raw) {
        memcpy(sb->s + at, text, n);
        clen = n;
    }
    sb->len = at + clen;
    sb->s[sb->len] = '\0';
    return clen;
}

int bs_encode(bs_zip *z, const char *body, size_t len, const qa_tokens *t,
              uint32_t first_pos, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (len == 0)
        return 0;
    size_t nchars = 0;
    for (size_t i = 0; i < len; i++)
        nchars += ((unsigned char)body[i] & 0xC0) != 0x80;
    uint32_t words = t->n ? t->v[t->n - 1].pos + 1 - first_pos : 0;

    /* The position map, as deltas. */
    strbuf map = {0};
    size_t ncheck = 0;
    uint32_t last_pos = first_pos;
    size_t last_byte = 0;
    for (size_t i = 0; i < t->n; i++) {
        const qa_token *k = &t->v[i];
        uint32_t since = k->pos - last_pos;
        if (since < BODYSTORE_CHECK_WORDS || (!safe_restart(body, k) && since < 4 * BODYSTORE_CHECK_WORDS))
            continue;
        put_num(&map, k->pos - last_pos);
        put_num(&map, k->start - last_byte);
        last_pos = k->pos;
        last_byte = k->start;
        ncheck++;
    }

    size_t nblocks = (len + BODYSTORE_BLOCK - 1) / BODYSTORE_BLOCK;
    strbuf blocks = {0}, dir = {0};
    for (size_t b = 0; b < nblocks; b++) {
        size_t from = b * BODYSTORE_BLOCK;
        size_t n = len - from < BODYSTORE_BLOCK ? len - from : BODYSTORE_BLOCK;
        int raw;
        size_t clen = put_block(z, &blocks, body + from, n, &raw);
        if (clen == (size_t)-1)
            break;
        put_num(&dir, (uint64_t)clen << 1 | (uint64_t)raw);
    }

    strbuf sb = {0};
    sb_add(&sb, "B\1", 2);
    put_num(&sb, len);
    put_num(&sb, nchars);
    put_num(&sb, words);
    put_num(&sb, first_pos);
    put_num(&sb, BODYSTORE_BLOCK);
    put_num(&sb, ncheck);
    sb_add(&sb, map.s ? map.s : "", map.len);
    sb_add(&sb, dir.s ? dir.s : "", dir.len);
    sb_add(&sb, blocks.s ? blocks.s : "", blocks.len);
    int failed = strbuf_failed(&map) || strbuf_failed(&dir) || strbuf_failed(&blocks) ||
                 strbuf_failed(&sb) || dir.len == 0;
    sb_free(&map);
    sb_free(&dir);
    sb_free(&blocks);
    if (failed) {
        sb_free(&sb);
        return -1;
    }
    *outlen = sb.len;
    *out = sb_take(&sb);
    return 0;
}

/* A cursor over the blob for bs_open. */
typedef struct rd {
    const unsigned char *p;
    size_t left;
    int bad;
} rd;

static uint64_t num(rd *r)
{
    uint64_t v = 0;
    size_t used = r->bad ? 0 : varint_get(r->p, r->left, &v);
    if (!used) {
        r->bad = 1;
        return 0;
    }
    r->p += used;
    r->left -= used;
    return v;
}

int bs_open(bodystore *b, const char *blob, size_t len, int *oom)
{
    memset(b, 0, sizeof *b);
    *oom = 0;
    if (len == 0) {
        b->check_pos = malloc(sizeof *b->check_pos);
        b->check_byte = malloc(sizeof *b->check_byte);
        if (!b->check_pos || !b->check_byte) {
            bs_close(b);
            *oom = 1;
            return -1;
        }
        b->check_pos[0] = 0;
        b->check_byte[0] = 0;
        return 0;
    }
    if (len < 2 || blob[0] != 'B' || blob[1] != 1)
        return -1;
    rd r = {(const unsigned char *)blob + 2, len - 2, 0};
    uint64_t text_len = num(&r), nchars = num(&r), words = num(&r), first = num(&r);
    uint64_t bsize = num(&r), ncheck = num(&r);
    /* Every map entry takes at least two bytes: bounds the allocation. */
    if (r.bad || bsize == 0 || text_len == 0 || nchars > text_len || words > UINT32_MAX ||
        first > UINT32_MAX || ncheck > r.left / 2)
        return -1;
    b->blob = (const unsigned char *)blob;
    b->blob_len = len;
    b->text_len = (size_t)text_len;
    b->nchars = (size_t)nchars;
    b->words = (uint32_t)words;
    b->first_pos = (uint32_t)first;
    b->block_size = (size_t)bsize;
    b->nblocks = (size_t)((text_len + bsize - 1) / bsize);
    b->ncheck = (size_t)ncheck;
    b->check_pos = malloc((b->ncheck + 1) * sizeof *b->check_pos);
    b->check_byte = malloc((b->ncheck + 1) * sizeof *b->check_byte);
    if (!b->check_pos || !b->check_byte) {
        bs_close(b);
        *oom = 1;
        return -1;
    }
    b->check_pos[0] = b->first_pos;
    b->check_byte[0] = 0;
    for (size_t i = 1; i <= b->ncheck; i++) {
        uint64_t dp = num(&r), db = num(&r);
        uint64_t p = b->check_pos[i - 1] + dp, o = b->check_byte[i - 1] + db;
        if (r.bad || dp == 0 || db == 0 || p > UINT32_MAX || o >= text_len) {
            bs_close(b);
            return -1;
        }
        b->check_pos[i] = (uint32_t)p;
        b->check_byte[i] = (size_t)o;
    }
    /* The directory: stored sizes must add up to the rest of the blob. */
    b->dir = r.p;
    uint64_t stored = 0;
    for (size_t i = 0; i < b->nblocks && !r.bad; i++) {
        uint64_t c = num(&r) >> 1;
        if (c > len)
            r.bad = 1;
        stored += c;
    }
    if (r.bad || stored != r.left) {
        bs_close(b);
        return -1;
    }
    b->dir_len = (size_t)(r.p - b->dir);
    b->data_off = (size_t)(r.p - b->blob);
    return 0;
}

void bs_close(bodystore *b)
{
    free(b->check_pos);
    free(b->check_byte);
    memset(b, 0, sizeof *b);
}

size_t bs_check_at(const bodystore *b, uint32_t pos)
{
    size_t lo = 0, hi = b->ncheck; /* answer in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (b->check_pos[mid] <= pos)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Inflate block data[0, clen) into out, which must receive exactly n
 * bytes. Returns 0, -1 when damaged, -2 when out of memory. */
static int inflate_block(bs_zip *z, const unsigned char *data, size_t clen, char *out, size_t n)
{
    if (!z->inf_ok) {
        int rc = inflateInit2(&z->inf, -15);
        if (rc != Z_OK)
            return rc == Z_MEM_ERROR ? -2 : -1;
        z->inf_ok = 1;
    } else if (inflateReset(&z->inf) != Z_OK) {
        return -1;
    }
    z->inf.next_in = (Bytef *)data;
    z->inf.avail_in = (uInt)clen;
    z->inf.next_out = (Bytef *)out;
    z->inf.avail_out = (uInt)n;
    int rc = inflate(&z->inf, Z_FINISH);
    if (rc == Z_MEM_ERROR)
        return -2;
    return rc == Z_STREAM_END && z->inf.avail_out == 0 ? 0 : -1;
}

int bs_read(bs_zip *z, const bodystore *b, size_t from, size_t to, char **out,
            int *oom)
{
    *out = NULL;
    *oom = 0;
    if (from > to || to > b->text_len)
        return -1;
    char *buf = malloc(to - from + 1);
    if (!buf) {
        *oom = 1;
        return -1;
    }
    buf[to - from] = '\0';
    if (from == to) {
        *out = buf;
        return 0;
    }
    size_t first = from / b->block_size, last = (to - 1) / b->block_size;
    char *tmp = NULL; /* a whole block, when only part of it is wanted */
    rd r = {b->dir, b->dir_len, 0};
    size_t off = b->data_off;
    int rc = 0;
    for (size_t i = 0; i <= last && rc == 0; i++) {
        uint64_t e = num(&r);
        size_t clen = (size_t)(e >> 1);
        if (i >= first) {
            size_t bstart = i * b->block_size;
            size_t n = b->text_len - bstart < b->block_size ? b->text_len - bstart : b->block_size;
            size_t a = from > bstart ? from - bstart : 0;
            size_t z_end = to < bstart + n ? to - bstart : n;
            const unsigned char *data = b->blob + off;
            if (e & 1) {
                rc = clen == n ? 0 : -1;
                if (rc == 0)
                    memcpy(buf + (bstart + a - from), data + a, z_end - a);
            } else if (a == 0 && z_end == n) {
                rc = inflate_block(z, data, clen, buf + (bstart - from), n);
            } else {
                if (!tmp && !(tmp = malloc(b->block_size))) {
                    rc = -2;
                    break;
                }
                rc = inflate_block(z, data, clen, tmp, n);
                if (rc == 0)
                    memcpy(buf + (bstart + a - from), tmp + a, z_end - a);
            }
        }
        off += clen;
    }
    free(tmp);
    if (rc != 0 || r.bad) {
        free(buf);
        *oom = rc == -2;
        return -1;
    }
    *out = buf;
    return 0;
}

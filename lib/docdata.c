/* docdata.c — see docdata.h. */
#include "docdata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[2] = {'q', '1'};

static size_t put_len(unsigned char *p, size_t v)
{
    size_t n = 0;
    do {
        unsigned char b = v & 0x7F;
        v >>= 7;
        p[n++] = (unsigned char)(b | (v ? 0x80 : 0));
    } while (v);
    return n;
}

char *docdata_encode(const quire_document *doc, size_t *len)
{
    const char *vals[8] = {doc->id, doc->title, doc->date, doc->author,
                           doc->source, doc->url, doc->lang, doc->body};
    static const char tags[8] = {'i', 't', 'd', 'a', 's', 'u', 'l', 'b'};
    size_t total = sizeof MAGIC;
    for (int i = 0; i < 8; i++)
        if (vals[i] && *vals[i])
            total += 1 + 10 + strlen(vals[i]);
    unsigned char *buf = malloc(total);
    if (!buf)
        return NULL;
    memcpy(buf, MAGIC, sizeof MAGIC);
    size_t o = sizeof MAGIC;
    for (int i = 0; i < 8; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        size_t l = strlen(vals[i]);
        buf[o++] = (unsigned char)tags[i];
        o += put_len(buf + o, l);
        memcpy(buf + o, vals[i], l);
        o += l;
    }
    *len = o;
    return (char *)buf;
}

static int get_len(const unsigned char *p, size_t avail, size_t *v, size_t *used)
{
    size_t r = 0;
    for (size_t i = 0; i < avail && i < 9; i++) {
        r |= (size_t)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = r;
            *used = i + 1;
            return 0;
        }
    }
    return -1;
}

int docdata_decode(const char *data, size_t len, docdata *out)
{
    memset(out, 0, sizeof *out);
    if (len < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC) != 0)
        return -1;
    /* One block: the record's bytes plus room for a NUL after each field and
     * one empty string for absent fields. */
    char *block = malloc(len + 9 + 1);
    if (!block)
        return -1;
    char *empty = block + len + 9;
    *empty = '\0';
    const char **slots[8] = {&out->id, &out->title, &out->date, &out->author,
                             &out->source, &out->url, &out->lang, &out->body};
    static const char tags[] = "itdasulb";
    for (int i = 0; i < 8; i++)
        *slots[i] = empty;
    const unsigned char *p = (const unsigned char *)data;
    size_t i = sizeof MAGIC, o = 0;
    while (i < len) {
        const char *t = memchr(tags, p[i], 8);
        size_t l, used;
        if (!t || get_len(p + i + 1, len - i - 1, &l, &used) != 0 ||
            l > len - i - 1 - used) {
            free(block);
            memset(out, 0, sizeof *out);
            return -1;
        }
        i += 1 + used;
        memcpy(block + o, data + i, l);
        block[o + l] = '\0';
        *slots[t - tags] = block + o;
        if (*t == 'b')
            out->body_len = l;
        o += l + 1;
        i += l;
    }
    out->block = block;
    return 0;
}

void docdata_free(docdata *d)
{
    free(d->block);
    memset(d, 0, sizeof *d);
}

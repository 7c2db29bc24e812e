/* docdata.c — see docdata.h. */
#include "docdata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "varint.h"

static const char MAGIC[2] = {'q', '2'};
enum { NFIELDS = 7 };
static const char TAGS[NFIELDS + 1] = "itdasul";

char *docdata_encode(const quire_document *doc, size_t *len)
{
    const char *vals[NFIELDS] = {doc->id, doc->title, doc->date, doc->author,
                                 doc->source, doc->url, doc->lang};
    size_t total = sizeof MAGIC;
    for (int i = 0; i < NFIELDS; i++)
        if (vals[i] && *vals[i])
            total += 1 + VARINT_MAX + strlen(vals[i]);
    unsigned char *buf = malloc(total);
    if (!buf)
        return NULL;
    memcpy(buf, MAGIC, sizeof MAGIC);
    size_t o = sizeof MAGIC;
    for (int i = 0; i < NFIELDS; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        size_t l = strlen(vals[i]);
        buf[o++] = (unsigned char)TAGS[i];
        o += varint_put(buf + o, l);
        memcpy(buf + o, vals[i], l);
        o += l;
    }
    *len = o;
    return (char *)buf;
}

int docdata_decode(const char *data, size_t len, docdata *out)
{
    memset(out, 0, sizeof *out);
    if (len < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC) != 0)
        return -1;
    /* One block: the record's bytes plus room for a NUL after each field and
     * one empty string for absent fields. */
    char *block = malloc(len + NFIELDS + 1);
    if (!block)
        return -1;
    char *empty = block + len + NFIELDS;
    *empty = '\0';
    const char **slots[NFIELDS] = {&out->id, &out->title, &out->date, &out->author,
                                   &out->source, &out->url, &out->lang};
    for (int i = 0; i < NFIELDS; i++)
        *slots[i] = empty;
    const unsigned char *p = (const unsigned char *)data;
    size_t i = sizeof MAGIC, o = 0;
    while (i < len) {
        const char *t = memchr(TAGS, p[i], NFIELDS);
        uint64_t l = 0;
        size_t used = t ? varint_get(p + i + 1, len - i - 1, &l) : 0;
        if (!used || l > len - i - 1 - used || o + l + 1 > len) {
            free(block);
            memset(out, 0, sizeof *out);
            return -1;
        }
        i += 1 + used;
        memcpy(block + o, data + i, (size_t)l);
        block[o + l] = '\0';
        *slots[t - TAGS] = block + o;
        o += (size_t)l + 1;
        i += (size_t)l;
    }
    out->block = block;
    return 0;
}

void docdata_free(docdata *d)
{
    free(d->block);
    memset(d, 0, sizeof *d);
}

/* respond.c — see respond.h. */
#include "respond.h"

#include <stdlib.h>
#include <string.h>

#include "results_json.h"

void resp_set(response *r, unsigned status, const char *ctype, char *body, size_t len)
{
    free(r->body);
    r->status = status;
    r->ctype = ctype;
    r->body = body;
    r->len = len;
}

void resp_static(response *r, const char *ctype, const char *data, size_t len)
{
    char *body = malloc(len + 1);
    if (!body) {
        resp_error(r, 503, "out of memory", NO_OFFSET);
        return;
    }
    memcpy(body, data, len + 1);
    resp_set(r, 200, ctype, body, len);
    r->cacheable = 1;
}

void resp_json(response *r, unsigned status, json_t *doc)
{
    size_t len = 0;
    char *text = doc ? json_text(doc, &len) : NULL;
    json_decref(doc);
    if (!text) {
        static const char oom[] = "{\"error\": \"out of memory\", \"offset\": null}\n";
        text = strdup(oom);
        len = text ? sizeof oom - 1 : 0;
        status = 503;
    }
    resp_set(r, status, CTYPE_JSON, text, len);
    if (status == 503)
        r->retry_after = 1;
}

void resp_error(response *r, unsigned status, const char *msg, size_t offset)
{
    char *clean = utf8_sanitize(msg, strlen(msg));
    json_t *doc = json_pack("{s:s, s:o}", "error", clean ? clean : "out of memory", "offset",
                            offset == NO_OFFSET ? json_null() : json_integer((json_int_t)offset));
    free(clean);
    resp_json(r, status, doc);
}

unsigned status_for(quire_status st)
{
    switch (st) {
    case QUIRE_ESYNTAX:
    case QUIRE_ELIMIT:
    case QUIRE_EINVAL: return 400;
    case QUIRE_ENOTFOUND:
    case QUIRE_ENOTINDEX:
    case QUIRE_ECORRUPT:
    case QUIRE_EVERSION:
    case QUIRE_EIO:
    case QUIRE_ENETWORK:
    case QUIRE_EMODIFIED:
    case QUIRE_ECONFIG:
    case QUIRE_ELOCKED:
    case QUIRE_ENOMEM: return 503;
    default: return 500;
    }
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c >= 0x01 && c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

char *utf8_sanitize(const char *s, size_t len)
{
    char *out = malloc(len * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq((const unsigned char *)s + i, len - i);
        if (k) {
            memcpy(o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *o = '\0';
    return out;
}

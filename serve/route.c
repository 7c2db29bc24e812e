/* route.c — see route.h. The path is taken from the request target as
 * received and decoded here, so that an id's bytes (%2F, %00, a bad
 * escape) are seen exactly, not as libmicrohttpd's own decoding left them. */
#include "route.h"

#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode s[0..n) into a new string; *len gets its length (it may
 * hold NUL bytes). NULL on a malformed escape or no memory. */
static char *pct_decode(const char *s, size_t n, size_t *len)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            *o++ = s[i];
            continue;
        }
        int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
        int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        *o++ = (char)(hi * 16 + lo);
        i += 2;
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

int route(request *req)
{
    const char *u = req->uri;
    size_t n = strcspn(u, "?#");
#define PATH_IS(s) (n == sizeof(s) - 1 && memcmp(u, s, n) == 0)
    if (PATH_IS("/"))
        req->ep = EP_PAGE;
    else if (PATH_IS("/api/search"))
        req->ep = EP_SEARCH;
    else if (PATH_IS("/api/stats"))
        req->ep = EP_STATS;
    else if (PATH_IS("/healthz"))
        req->ep = EP_HEALTH;
    else if (PATH_IS("/quire.css"))
        req->ep = EP_CSS;
    else if (PATH_IS("/favicon.svg") || PATH_IS("/favicon.ico"))
        req->ep = EP_ICON;
    else if (n > 9 && memcmp(u, "/api/doc/", 9) == 0) {
        req->ep = EP_DOC;
        req->doc_id = pct_decode(u + 9, n - 9, &req->doc_id_len);
        return req->doc_id ? 0 : -2;
    } else
        return -1;
#undef PATH_IS
    return 0;
}


/* doc.c — see doc.h. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "respond.h"
#include "results_json.h"

/* Can the query language name this id inside a phrase? Not if it holds
 * a quote character, which would end the phrase. */
static int quotable(const char *id)
{
    return !strchr(id, '"') && !strstr(id, "\xE2\x80\x9C") && !strstr(id, "\xE2\x80\x9D") &&
           !strstr(id, "\xE2\x80\x9E");
}

void doc_lookup(worker *w, request *req)
{
    const char *id = req->doc_id;
    if (strlen(id) != req->doc_id_len) {
        resp_error(&req->resp, 400, "the id contains a NUL byte", NO_OFFSET);
        return;
    }
    if (!*id || req->doc_id_len > QUIRE_MAX_ID_BYTES) {
        resp_error(&req->resp, 404, "no document with this id", NO_OFFSET);
        return;
    }
    if (!quotable(id)) {
        resp_error(&req->resp, 501, "ids containing quote characters cannot be looked up by this version",
                   NO_OFFSET);
        return;
    }
    if (!w->s) {
        resp_error(&req->resp, 503, w->open_error, NO_OFFSET);
        return;
    }
    size_t qlen = strlen(id) + 8;
    char *query = malloc(qlen);
    if (!query) {
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
        return;
    }
    snprintf(query, qlen, "id:\"%s\"", id);
    quire_search_options so = QUIRE_SEARCH_OPTIONS_INIT;
    so.limit = 1;
    so.snippet_length = EXCERPT_CHARS;
    quire_results *r;
    quire_status st = quire_search(w->s, query, &so, &r);
    free(query);
    if (st != QUIRE_OK) {
        /* The id itself is the only input: its errors (invalid UTF-8) are
         * the caller's, and no position in a query they did not write. */
        resp_error(&req->resp, status_for(st), quire_searcher_errmsg(w->s), NO_OFFSET);
        return;
    }
    const quire_hit *h = quire_results_hit(r, 0);
    if (!h) {
        quire_results_free(r);
        resp_error(&req->resp, 404, "no document with this id", NO_OFFSET);
        return;
    }
    jw out;
    memset(&out, 0, sizeof out);
    jw_object(&out);
    hit_fields_write(&out, h);
    jw_key(&out, "excerpt");
    jw_string(&out, h->snippet);
    jw_object_end(&out);
    quire_results_free(r);
    size_t len;
    char *text = jw_finish(&out, &len);
    if (!text)
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
    else
        resp_set(&req->resp, 200, CTYPE_JSON, text, len);
}

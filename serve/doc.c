/* doc.c — see doc.h. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "respond.h"
#include "results_json.h"

void doc_lookup(worker *w, request *req)
{
    const char *id = req->doc_id;
    char err[256];
    if (params_none(req, err, sizeof err) != 0) { /* as /api/stats and /healthz */
        resp_error(&req->resp, 400, err, NO_OFFSET);
        return;
    }
    if (strlen(id) != req->doc_id_len) {
        resp_error(&req->resp, 400, "the id contains a NUL byte", NO_OFFSET);
        return;
    }
    if (!*id || req->doc_id_len > QUIRE_MAX_ID_BYTES) {
        resp_error(&req->resp, 404, "no document with this id", NO_OFFSET);
        return;
    }
    if (!w->s) {
        resp_error(&req->resp, 503, w->open_error, NO_OFFSET);
        return;
    }
    quire_article *a;
    quire_status st = quire_searcher_get(w->s, id, NULL, NULL, &a);
    if (st == QUIRE_ENOTFOUND) {
        resp_error(&req->resp, 404, "no document with this id", NO_OFFSET);
        return;
    }
    if (st != QUIRE_OK) {
        /* The id itself is the only input: its errors (invalid UTF-8) are
         * the caller's, and no position in a query they did not write. */
        resp_error(&req->resp, status_for(st), quire_searcher_errmsg(w->s), NO_OFFSET);
        return;
    }
    size_t len;
    char *text = article_json_text(a, &len);
    quire_article_free(a);
    if (!text)
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
    else
        resp_set(&req->resp, 200, CTYPE_JSON, text, len);
}

/* api.c — see api.h. */
#include "api.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "params.h"
#include "respond.h"
#include "results_json.h"

/* How long one /api/stats answer is reused: counting terms reads the whole
 * term list, which a client looping on /api/stats should not make every
 * worker do. */
#define STATS_TTL 5.0

void api_search(worker *w, request *req)
{
    search_params sp;
    char err[512];
    if (params_search(req, w->cfg, 1, &sp, err, sizeof err) != 0) {
        resp_error(&req->resp, 400, err, NO_OFFSET);
        return;
    }
    if (!sp.q) {
        resp_error(&req->resp, 400, "no query given: /api/search?q=QUERY", NO_OFFSET);
        return;
    }
    if (!w->s) {
        resp_error(&req->resp, 503, w->open_error, NO_OFFSET);
        return;
    }
    /* What waiting has left of --time-limit bounds the counting of the
     * search (the library cannot cut the ranking short); the query limits
     * bound the rest. */
    sp.so.time_limit = http_time_left(w, req);
    quire_results *r;
    quire_status st = quire_search(w->s, sp.q, &sp.so, &r);
    if (st != QUIRE_OK) {
        resp_error(&req->resp, status_for(st), quire_searcher_errmsg(w->s), quire_searcher_error_offset(w->s));
        return;
    }
    results_json_opts jo = {sp.q, sp.so.offset, sp.so.limit, 0};
    size_t len;
    char *text = results_json_text(r, &jo, &len);
    quire_results_free(r);
    if (!text)
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
    else
        resp_set(&req->resp, 200, CTYPE_JSON, text, len);
}

static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static char *stats_text;
static size_t stats_len;
static double stats_at;

void api_stats(worker *w, request *req)
{
    char err[256];
    if (params_none(req, err, sizeof err) != 0) {
        resp_error(&req->resp, 400, err, NO_OFFSET);
        return;
    }
    if (!w->s) {
        resp_error(&req->resp, 503, w->open_error, NO_OFFSET);
        return;
    }
    pthread_mutex_lock(&stats_mu);
    if (!stats_text || serve_now() - stats_at > STATS_TTL) {
        quire_stats st = QUIRE_STATS_INIT;
        quire_status rc = quire_searcher_stats(w->s, &st);
        if (rc != QUIRE_OK) {
            pthread_mutex_unlock(&stats_mu);
            resp_error(&req->resp, status_for(rc), quire_searcher_errmsg(w->s), NO_OFFSET);
            return;
        }
        json_t *doc = stats_json(w->cfg->index, &st);
        size_t len = 0;
        char *text = doc ? json_text(doc, &len) : NULL;
        json_decref(doc);
        if (text) {
            free(stats_text);
            stats_text = text;
            stats_len = len;
            stats_at = serve_now();
        }
    }
    char *copy = stats_text ? malloc(stats_len + 1) : NULL;
    if (copy)
        memcpy(copy, stats_text, stats_len + 1);
    pthread_mutex_unlock(&stats_mu);
    if (!copy)
        resp_error(&req->resp, 503, "out of memory", NO_OFFSET);
    else
        resp_set(&req->resp, 200, CTYPE_JSON, copy, stats_len);
}

void api_stats_free(void)
{
    free(stats_text);
    stats_text = NULL;
}

void api_health(worker *w, request *req)
{
    char err[256];
    if (params_none(req, err, sizeof err) != 0) {
        resp_error(&req->resp, 400, err, NO_OFFSET);
        return;
    }
    if (!w->s) {
        resp_error(&req->resp, 503, w->open_error, NO_OFFSET);
        return;
    }
    /* A search that matches nothing still asks every shard and server: the
     * document count alone is kept from when they were opened, and says
     * nothing of a server that has stopped since. */
    quire_search_options o = QUIRE_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    o.time_limit = http_time_left(w, req);
    quire_results *r;
    uint64_t n;
    if (quire_search(w->s, "id:quire-healthz-probe", &o, &r) != QUIRE_OK) {
        resp_error(&req->resp, 503, quire_searcher_errmsg(w->s), NO_OFFSET);
        return;
    }
    const char *warning = quire_results_warning(r);
    if (quire_searcher_doc_count(w->s, &n) != QUIRE_OK)
        resp_error(&req->resp, 503, quire_searcher_errmsg(w->s), NO_OFFSET);
    else if (*warning) /* --partial: answering, from some shards */
        resp_json(&req->resp, 200, json_pack("{s:s, s:I, s:s}", "status", "partial", "documents", (json_int_t)n,
                                             "warning", warning));
    else
        resp_json(&req->resp, 200, json_pack("{s:s, s:I}", "status", "ok", "documents", (json_int_t)n));
    quire_results_free(r);
}

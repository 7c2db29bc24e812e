/* http.c — see http.h. */
#include "http.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accesslog.h"
#include "api.h"
#include "doc.h"
#include "listen.h"
#include "page.h"
#include "respond.h"
#include "route.h"

struct http {
    struct MHD_Daemon *d;
    const serve_config *cfg;
    pool *p;
    pthread_mutex_t mu;
    pthread_cond_t idle;
    unsigned long inflight; /* requests the handler saw, not yet completed */
    int closing;            /* set by http_quiesce */
};

/* The policy for every response: nothing but our own stylesheet, no
 * framing, no referrer leaking the query to the sites hits link to. */
static const char CSP[] = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    fprintf(stderr, "quire-serve: http: %s\n", msg);
}

/* A new request line: its context, freed when the request completes. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    request *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    req->uri = strdup(uri);
    req->conn = conn;
    req->t_start = serve_now();
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr)
        listen_format_peer(ci->client_addr, req->client, sizeof req->client);
    else
        snprintf(req->client, sizeof req->client, "-");
    return req;
}

static void free_request(request *req)
{
    for (size_t i = 0; i < req->nparams; i++) {
        free(req->params[i].name);
        free(req->params[i].value);
    }
    free(req->params);
    free(req->doc_id);
    free(req->resp.body);
    free(req->uri);
    free(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ctx, enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    http *h = cls;
    request *req = *ctx;
    *ctx = NULL;
    if (!req)
        return;
    if (req->handled) {
        if (h->cfg->access_log)
            access_log(req, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
        pthread_mutex_lock(&h->mu);
        if (--h->inflight == 0)
            pthread_cond_broadcast(&h->idle);
        pthread_mutex_unlock(&h->mu);
    }
    free_request(req);
}

static int is_api(endpoint ep)
{
    return ep == EP_SEARCH || ep == EP_DOC || ep == EP_STATS || ep == EP_HEALTH;
}

/* Send req->resp with the headers every response carries. */
static enum MHD_Result send_response(http *h, struct MHD_Connection *conn, request *req)
{
    response *rs = &req->resp;
    struct MHD_Response *m = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : (char *)"",
                                                             rs->body ? MHD_RESPMEM_MUST_FREE
                                                                      : MHD_RESPMEM_PERSISTENT);
    if (!m)
        return MHD_NO;
    rs->body = NULL; /* MHD frees it */
    MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, rs->ctype ? rs->ctype : CTYPE_JSON);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "Content-Security-Policy", CSP);
    MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(m, MHD_HTTP_HEADER_CACHE_CONTROL, rs->cacheable ? "public, max-age=86400" : "no-store");
    if (rs->allow)
        MHD_add_response_header(m, MHD_HTTP_HEADER_ALLOW, rs->allow);
    if (rs->retry_after)
        MHD_add_response_header(m, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (h->cfg->cors && (is_api(req->ep) || rs->status >= 400)) {
        MHD_add_response_header(m, "Access-Control-Allow-Origin", h->cfg->cors);
        MHD_add_response_header(m, MHD_HTTP_HEADER_VARY, "Origin");
        if (rs->preflight) {
            MHD_add_response_header(m, "Access-Control-Allow-Methods", "GET, HEAD");
            MHD_add_response_header(m, "Access-Control-Max-Age", "86400");
        }
    }
    pthread_mutex_lock(&h->mu);
    int closing = h->closing;
    pthread_mutex_unlock(&h->mu);
    if (closing)
        MHD_add_response_header(m, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(conn, rs->status, m);
    MHD_destroy_response(m);
    return ret;
}

static enum MHD_Result refuse(http *h, struct MHD_Connection *conn, request *req, unsigned status,
                              const char *msg)
{
    resp_error(&req->resp, status, msg, NO_OFFSET);
    if (status == 405)
        req->resp.allow = h->cfg->cors ? "GET, HEAD, OPTIONS" : "GET, HEAD";
    return send_response(h, conn, req);
}

typedef struct collect {
    request *req;
    int failed;
} collect;

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                                 const char *value, size_t vlen)
{
    (void)kind;
    collect *c = cls;
    request *req = c->req;
    param *np = realloc(req->params, (req->nparams + 1) * sizeof *np);
    if (!np) {
        c->failed = 1;
        return MHD_NO;
    }
    req->params = np;
    param *p = &np[req->nparams];
    p->name = strndup(key, klen);
    p->value = value ? malloc(vlen + 1) : NULL;
    p->len = vlen;
    if (p->value) {
        memcpy(p->value, value, vlen);
        p->value[vlen] = '\0';
    }
    if (!p->name || (value && !p->value)) {
        free(p->name);
        free(p->value);
        c->failed = 1;
        return MHD_NO;
    }
    req->nparams++;
    return MHD_YES;
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static int has_body(struct MHD_Connection *conn)
{
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return (clen && strcmp(clen, "0") != 0) ||
           MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* The refusals that need no worker, in the order a client would want to
 * hear them: 1 (and *ret) if req was refused, 0 to go on. */
static int refused(http *h, struct MHD_Connection *conn, request *req, int body, enum MHD_Result *ret)
{
    const serve_config *cfg = h->cfg;
    int get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    int r = route(req);
    size_t hbytes = strlen(req->uri);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, sum_header, &hbytes);
    if (strlen(req->uri) > cfg->max_request_bytes)
        *ret = refuse(h, conn, req, 414, "the request line is longer than --max-request-bytes");
    else if (hbytes > cfg->max_request_bytes)
        *ret = refuse(h, conn, req, 431, "the request headers are larger than --max-request-bytes");
    else if (cfg->cors && !body && strcmp(req->method, "OPTIONS") == 0 && r == 0 && is_api(req->ep)) {
        resp_set(&req->resp, 204, "text/plain", NULL, 0); /* a CORS preflight */
        req->resp.preflight = 1;
        *ret = send_response(h, conn, req);
    } else if (!get)
        *ret = refuse(h, conn, req, 405, "only GET and HEAD are allowed (the service is read-only)");
    else if (body)
        *ret = refuse(h, conn, req, 413, "a request body is not accepted");
    else if (r == -1)
        *ret = refuse(h, conn, req, 404, "no such page or endpoint (/, /api/search, /api/doc/ID, /api/stats, /healthz)");
    else if (r == -2)
        *ret = refuse(h, conn, req, 400, "the id in the path has a malformed %-escape");
    else
        return 0;
    return 1;
}

/* MHD calls this when the headers are in, for each piece of a body, and
 * once more when the request is complete; and again after a worker has
 * resumed the connection. A request with a body is refused at once (its
 * connection then closes, its body unread); any other is judged when
 * complete, so that its connection can be kept alive. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **ctx)
{
    (void)url;
    (void)upload;
    http *h = cls;
    request *req = *ctx;
    if (!req || !req->uri)
        return MHD_NO; /* out of memory: drop the connection */
    if (req->queued)
        return send_response(h, conn, req); /* a worker has answered */
    enum MHD_Result ret;
    if (!req->handled) {
        req->handled = 1;
        snprintf(req->method, sizeof req->method, "%s", method);
        snprintf(req->version, sizeof req->version, "%s", version);
        pthread_mutex_lock(&h->mu);
        h->inflight++;
        pthread_mutex_unlock(&h->mu);
        if (has_body(conn)) {
            req->answered = 1;
            refused(h, conn, req, 1, &ret);
            return ret;
        }
        return MHD_YES;
    }
    if (req->answered || *upload_size) {
        *upload_size = 0; /* the rest of a refused body */
        return MHD_YES;
    }
    req->answered = 1;
    if (refused(h, conn, req, 0, &ret))
        return ret;
    if (req->ep == EP_CSS || req->ep == EP_ICON) {
        if (req->ep == EP_CSS)
            page_css(req);
        else
            page_icon(req);
        return send_response(h, conn, req);
    }
    collect c = {req, 0};
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, add_param, &c);
    if (c.failed)
        return MHD_NO;
    /* Suspend before queuing: a worker may answer (and resume) at once. */
    MHD_suspend_connection(conn);
    req->queued = 1;
    req->t_queued = serve_now();
    if (pool_submit(h->p, req) != 0) {
        resp_error(&req->resp, 503, "the server is shutting down", NO_OFFSET);
        req->resp.retry_after = 1;
        MHD_resume_connection(conn);
    }
    return MHD_YES;
}

double http_time_left(const worker *w, const request *req)
{
    double left = w->cfg->time_limit - (serve_now() - req->t_queued);
    return left > 0.001 ? left : 0.001;
}

void http_handle(worker *w, request *req)
{
    double waited = serve_now() - req->t_queued;
    if (waited > w->cfg->time_limit) {
        char msg[160];
        snprintf(msg, sizeof msg, "the request waited %.1f s for a worker, more than --time-limit %.1f s", waited,
                 w->cfg->time_limit);
        resp_error(&req->resp, 503, msg, NO_OFFSET);
        req->resp.retry_after = 1;
        return;
    }
    switch (req->ep) {
    case EP_PAGE: page_search(w, req); break;
    case EP_SEARCH: api_search(w, req); break;
    case EP_DOC: doc_lookup(w, req); break;
    case EP_STATS: api_stats(w, req); break;
    case EP_HEALTH: api_health(w, req); break;
    case EP_CSS:
    case EP_ICON: break; /* answered in on_request, without a worker */
    }
}

void http_done(request *req)
{
    MHD_resume_connection(req->conn);
}

http *http_start(const serve_config *cfg, pool *p, unsigned *port)
{
    struct sockaddr_storage addr;
    char err[256];
    if (listen_parse(cfg->listen, &addr, err, sizeof err) != 0) {
        fprintf(stderr, "quire-serve: --listen %s: %s\n", cfg->listen, err);
        return NULL;
    }
    http *h = calloc(1, sizeof *h);
    if (!h) {
        fprintf(stderr, "quire-serve: out of memory\n");
        return NULL;
    }
    h->cfg = cfg;
    h->p = p;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->idle, NULL);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* MHD's own buffer must hold what --max-request-bytes lets through, so
     * that oversized requests get our JSON answer, not MHD's HTML one. */
    size_t pool_bytes = 2 * cfg->max_request_bytes + 32 * 1024;
    unsigned timeout = cfg->time_limit < 1 ? 1 : (unsigned)(cfg->time_limit + 0.999);
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                            MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
                            timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_bytes,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, h, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
                            MHD_OPTION_END);
    if (!h->d) {
        fprintf(stderr, "quire-serve: cannot listen on %s\n", cfg->listen);
        http_stop(h);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : 0;
    return h;
}

void http_quiesce(http *h)
{
    pthread_mutex_lock(&h->mu);
    h->closing = 1;
    pthread_mutex_unlock(&h->mu);
    MHD_socket fd = MHD_quiesce_daemon(h->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

int http_wait_idle(http *h, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)seconds;
    int rc = 0;
    pthread_mutex_lock(&h->mu);
    while (h->inflight > 0 && rc == 0)
        rc = pthread_cond_timedwait(&h->idle, &h->mu, &until);
    int left = h->inflight > 0;
    pthread_mutex_unlock(&h->mu);
    return left ? -1 : 0;
}

void http_stop(http *h)
{
    if (!h)
        return;
    if (h->d)
        MHD_stop_daemon(h->d);
    pthread_cond_destroy(&h->idle);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

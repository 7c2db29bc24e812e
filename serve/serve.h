/*
 * serve.h — quire-serve's shared types: the configuration from the command
 * line, a request as it travels from the HTTP thread to a worker and back,
 * and the response a worker builds for it.
 */
#ifndef QUIRE_SERVE_H
#define QUIRE_SERVE_H

#include <stddef.h>

#include "quire.h"

typedef struct serve_config {
    const char *index;
    const char *listen;           /* HOST:PORT */
    unsigned threads;             /* workers, one searcher each */
    unsigned max_limit;           /* the largest limit= accepted */
    unsigned max_offset;          /* the largest offset= accepted */
    size_t max_request_bytes;     /* request line and headers */
    unsigned max_connections;
    double time_limit;            /* seconds a request may wait and run */
    double reopen_interval;       /* seconds between checks for a new version */
    const char *cors;             /* Access-Control-Allow-Origin, or NULL */
    int access_log;
    quire_searcher_options sopts; /* query limits, as quire-query's */
} serve_config;

/* What a request asks for, decided in the HTTP thread. */
typedef enum endpoint {
    EP_PAGE,    /* GET /           the search page */
    EP_SEARCH,  /* GET /api/search */
    EP_DOC,     /* GET /api/doc/ID */
    EP_STATS,   /* GET /api/stats */
    EP_HEALTH,  /* GET /healthz */
    EP_CSS,     /* GET /quire.css  the page's stylesheet */
    EP_ICON     /* GET /favicon.svg, /favicon.ico  the page's icon */
} endpoint;

/* One query-string parameter, decoded. value may hold NUL bytes (len says
 * how many bytes); it is NULL for a bare "name" without "=". */
typedef struct param {
    char *name;
    char *value;
    size_t len;
} param;

typedef struct response {
    unsigned status;
    char *body;           /* malloc'd */
    size_t len;
    const char *ctype;    /* Content-Type */
    const char *allow;    /* Allow header (405), or NULL */
    int retry_after;      /* seconds (503), or 0 */
    int cacheable;        /* static content: may be cached a day */
    int preflight;        /* a CORS preflight answer */
} response;

typedef struct request {
    struct MHD_Connection *conn;
    char *uri;            /* the request target as received (for the log) */
    char method[8];
    char version[12];     /* "HTTP/1.1" */
    char client[64];      /* peer address, for the log */
    double t_start;       /* monotonic seconds when the request line came */
    double t_queued;      /* ... when it was handed to the pool */
    endpoint ep;
    char *doc_id;         /* EP_DOC: the decoded id */
    size_t doc_id_len;
    param *params;
    size_t nparams;
    int handled;          /* the access handler saw it (for the in-flight count) */
    int answered;         /* judged: refused, answered, or queued */
    int queued;           /* handed to a worker, answer pending */
    response resp;
    struct request *next; /* the pool's queue */
} request;

/* Monotonic clock in seconds. */
double serve_now(void);

#endif

/*
 * params.h — a search request's query-string parameters (q, limit,
 * offset, sort, any, lang, facets) checked and turned into search options,
 * for /api/search and the search page alike. Values are checked by
 * common/search_opts.c, the parser quire-query uses, then against the
 * server's caps (--max-limit, --max-offset).
 */
#ifndef QUIRE_SERVE_PARAMS_H
#define QUIRE_SERVE_PARAMS_H

#include "serve.h"

typedef struct search_params {
    const char *q;          /* NULL if not given; points into the request */
    quire_search_options so;
    const char *facets;     /* NULL if not given */
} search_params;

/* Fill *out from req's parameters. strict (the API): an unknown
 * parameter is an error; otherwise (the page, whose links may carry
 * others) unknown ones and empty optional values are ignored. 0, or -1
 * with a message in err. */
int params_search(const request *req, const serve_config *cfg, int strict, search_params *out, char *err,
                  size_t errlen);

/* The API's endpoints without parameters: -1 with a message if any. */
int params_none(const request *req, char *err, size_t errlen);

#endif

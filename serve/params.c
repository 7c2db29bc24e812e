/* params.c — see params.h. */
#include "params.h"

#include <stdio.h>
#include <string.h>

#include "search_opts.h"

static const char *const known[] = {"q", "limit", "offset", "sort", "any", "lang", "facets"};

int params_none(const request *req, char *err, size_t errlen)
{
    if (req->nparams == 0)
        return 0;
    snprintf(err, errlen, "unknown parameter '%.100s' (this endpoint takes none)", req->params[0].name);
    return -1;
}

static int is_known(const char *name)
{
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(name, known[i]) == 0)
            return 1;
    return 0;
}

int params_search(const request *req, const serve_config *cfg, int strict, search_params *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    quire_search_options_init(&out->so, QUIRE_SEARCH_OPTIONS_VERSION);
    for (size_t i = 0; i < req->nparams; i++) {
        const param *p = &req->params[i];
        if (!is_known(p->name)) {
            if (!strict)
                continue;
            snprintf(err, errlen, "unknown parameter '%.100s' (known: q, limit, offset, sort, any, lang, facets)",
                     p->name);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(req->params[j].name, p->name) == 0) {
                snprintf(err, errlen, "parameter '%s' is given more than once", p->name);
                return -1;
            }
        }
        if (p->value && strlen(p->value) != p->len) {
            snprintf(err, errlen, "parameter '%s' contains a NUL byte", p->name);
            return -1;
        }
        if (!strict && strcmp(p->name, "q") != 0 && p->value && !*p->value)
            continue;
        if (strcmp(p->name, "q") == 0) {
            out->q = p->value ? p->value : "";
        } else if (strcmp(p->name, "facets") == 0) {
            out->facets = p->value ? p->value : "";
        } else if (search_opt_set("", p->name, p->value, &out->so, NULL, err, errlen) != 1) {
            return -1;
        }
    }
    out->so.facets = out->facets;
    if (out->so.limit > cfg->max_limit) {
        snprintf(err, errlen, "limit must be at most %u: %u", cfg->max_limit, out->so.limit);
        return -1;
    }
    if (out->so.offset > cfg->max_offset) {
        snprintf(err, errlen, "offset must be at most %u: %u", cfg->max_offset, out->so.offset);
        return -1;
    }
    return 0;
}

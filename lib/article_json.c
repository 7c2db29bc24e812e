/* article_json.c — see article_json.h. jansson is Debian's well-kept JSON
 * library; it bounds nesting depth itself (JSON_PARSER_MAX_DEPTH), so deep
 * input is an error, not a stack overflow. */
#include "article_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "utf8.h"

static char *own(json_article *a, char *s)
{
    if (!s)
        return NULL;
    if (a->nowned == (int)(sizeof a->owned / sizeof a->owned[0])) {
        free(s);
        return NULL;
    }
    a->owned[a->nowned++] = s;
    return s;
}

/* A string field, with embedded NULs (escaped \u0000) replaced. */
static const char *string_field(json_article *a, json_t *v, const char *name,
                                json_warn_fn warn, void *ctx, int *oom)
{
    char msg[256];
    if (!v || json_is_null(v))
        return "";
    if (!json_is_string(v)) {
        snprintf(msg, sizeof msg, "field \"%s\" is not a string; ignored", name);
        warn(ctx, msg);
        return "";
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) == len)
        return s;
    snprintf(msg, sizeof msg, "field \"%s\" contains NUL characters; replaced with U+FFFD", name);
    warn(ctx, msg);
    const char *r = own(a, utf8_repair(s, len, NULL, NULL));
    if (!r)
        *oom = 1;
    return r ? r : "";
}

/* author may be a list of names: join them with ", ". */
static const char *author_field(json_article *a, json_t *v, json_warn_fn warn,
                                void *ctx, int *oom)
{
    if (!json_is_array(v))
        return string_field(a, v, "author", warn, ctx, oom);
    size_t total = 1, i;
    json_t *x;
    json_array_foreach(v, i, x) if (json_is_string(x)) total += json_string_length(x) + 2;
    char *out = malloc(total);
    if (!out) {
        *oom = 1;
        return "";
    }
    size_t o = 0;
    json_array_foreach(v, i, x)
    {
        const char *s = string_field(a, x, "author", warn, ctx, oom);
        size_t l = strlen(s);
        if (!l)
            continue;
        if (o) {
            memcpy(out + o, ", ", 2);
            o += 2;
        }
        memcpy(out + o, s, l);
        o += l;
    }
    out[o] = '\0';
    if (!own(a, out)) {
        *oom = 1;
        return "";
    }
    return out;
}

static const char *id_field(json_article *a, json_t *v, json_warn_fn warn,
                            void *ctx, int *oom)
{
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_integer(v)) {
        char *s = malloc(32);
        if (!s) {
            *oom = 1;
            return NULL;
        }
        snprintf(s, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        if (!own(a, s))
            *oom = 1;
        return s;
    }
    const char *s = string_field(a, v, "id", warn, ctx, oom);
    return *s ? s : NULL;
}

int json_article_parse(const char *line, size_t len, json_article *a,
                       json_warn_fn warn, void *ctx, char *err)
{
    memset(a, 0, sizeof *a);
    json_error_t je;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
    if (!root) {
        qerr_set(err, QUIRE_EINPUT, "column %d: invalid JSON: %s", je.column, je.text);
        return -1;
    }
    if (!json_is_object(root)) {
        const char *kind = json_is_array(root) ? "an array" : json_is_string(root) ? "a string"
                           : json_is_number(root) ? "a number" : "a literal";
        qerr_set(err, QUIRE_EINPUT, "expected a JSON object, found %s", kind);
        json_decref(root);
        return -1;
    }
    a->root = root;
    int oom = 0;
    a->id = id_field(a, json_object_get(root, "id"), warn, ctx, &oom);
    a->title = string_field(a, json_object_get(root, "title"), "title", warn, ctx, &oom);
    json_t *body = json_object_get(root, "body");
    a->body = string_field(a, body ? body : json_object_get(root, "text"), body ? "body" : "text", warn, ctx, &oom);
    a->date = string_field(a, json_object_get(root, "date"), "date", warn, ctx, &oom);
    a->author = author_field(a, json_object_get(root, "author"), warn, ctx, &oom);
    a->source = string_field(a, json_object_get(root, "source"), "source", warn, ctx, &oom);
    a->url = string_field(a, json_object_get(root, "url"), "url", warn, ctx, &oom);
    a->lang = string_field(a, json_object_get(root, "lang"), "lang", warn, ctx, &oom);
    if (oom) {
        json_article_free(a);
        return -2;
    }
    return 0;
}

void json_article_free(json_article *a)
{
    for (int i = 0; i < a->nowned; i++)
        free(a->owned[i]);
    if (a->root)
        json_decref((json_t *)a->root);
    memset(a, 0, sizeof *a);
}

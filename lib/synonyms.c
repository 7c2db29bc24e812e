/* synonyms.c — see synonyms.h. */
#include "synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quire.h"
#include "schema.h"
#include "strbuf.h"
#include "strmap.h"
#include "utf8.h"

enum { MAX_ENTRIES = 256 };

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

char *syn_key(const char *const *words, const size_t *lens, size_t n,
              const char *stem, size_t stem_len)
{
    strbuf k = {0};
    if (n == 1) {
        sb_adds(&k, "Z");
        sb_add(&k, stem, stem_len);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (i)
                sb_add(&k, " ", 1);
            sb_add(&k, words[i], lens[i]);
        }
    }
    return sb_take(&k);
}

/* The key of one entry (len bytes): NULL when it has no words (*oom when
 * memory ran out instead). */
static char *entry_key(qa_analyzer *an, qa_tokens *t, const char *e, size_t len, int *oom)
{
    char msg[128];
    qa_tokens_reset(t);
    if (qa_run(an, e, len, NULL, 0, t, NULL, msg, sizeof msg) != 0) {
        *oom = 1;
        return NULL;
    }
    const char *words[MAX_ENTRIES];
    size_t lens[MAX_ENTRIES], n = 0;
    const qa_token *one = NULL;
    for (size_t i = 0; i < t->n && n < MAX_ENTRIES; i++) {
        if (!t->v[i].term_len)
            continue; /* too long to index */
        one = &t->v[i];
        words[n] = qa_term(t, one);
        lens[n++] = one->term_len;
    }
    if (!n)
        return NULL;
    char *k = syn_key(words, lens, n, qa_stem(t, one), one->stem_len);
    if (!k)
        *oom = 1;
    return k;
}

/* One line's entries: trimmed, surrounding quotes dropped. */
typedef struct line_entries {
    const char *s[MAX_ENTRIES];
    size_t len[MAX_ENTRIES];
    size_t n;
} line_entries;

static int split_line(const char *p, size_t n, line_entries *out)
{
    out->n = 0;
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && p[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && is_space(p[a]))
            a++;
        while (b > a && is_space(p[b - 1]))
            b--;
        if (b - a >= 2 && p[a] == '"' && p[b - 1] == '"')
            a++, b--;
        if (b > a) {
            if (out->n == MAX_ENTRIES)
                return -1;
            out->s[out->n] = p + a;
            out->len[out->n++] = b - a;
        }
        i = j + 1;
    }
    return 0;
}

char *syn_normalise(qa_analyzer *an, const char *list, const char *origin,
                    char *err, size_t errlen, int *oom)
{
    *oom = 0;
    strbuf out = {0};
    qa_tokens t = {0};
    line_entries le;
    const char *where = origin && *origin ? origin : "synonyms";
    unsigned line = 0;
    int failed = 0;
    for (const char *p = list ? list : ""; *p && !failed;) {
        size_t n = strcspn(p, "\n");
        line++;
        const char *s = p;
        p += n + (p[n] ? 1 : 0);
        size_t skip = 0, valid = utf8_valid_prefix(s, n, 1);
        if (valid != n) {
            snprintf(err, errlen, "%s:%u: not valid UTF-8 at byte %zu of the line", where, line, valid + 1);
            failed = 1;
            break;
        }
        while (skip < n && is_space(s[skip]))
            skip++;
        if (skip == n || s[skip] == '#')
            continue;
        if (split_line(s, n, &le) != 0) {
            snprintf(err, errlen, "%s:%u: more than %d entries in one group", where, line, MAX_ENTRIES);
            failed = 1;
            break;
        }
        char *first = NULL;
        int distinct = 0;
        for (size_t i = 0; i < le.n && !failed; i++) {
            char *k = entry_key(an, &t, le.s[i], le.len[i], oom);
            if (!k) {
                if (!*oom)
                    snprintf(err, errlen, "%s:%u: entry '%.*s' has no words", where, line, (int)le.len[i], le.s[i]);
                failed = 1;
                break;
            }
            if (!first)
                first = k;
            else {
                distinct |= strcmp(first, k) != 0;
                free(k);
            }
        }
        free(first);
        if (!failed && !distinct) {
            snprintf(err, errlen, "%s:%u: a group needs at least two different entries, separated by commas",
                     where, line);
            failed = 1;
        }
        for (size_t i = 0; i < le.n && !failed; i++) {
            sb_add(&out, le.s[i], le.len[i]);
            sb_adds(&out, i + 1 < le.n ? ", " : "\n");
        }
    }
    qa_tokens_free(&t);
    if (*oom)
        snprintf(err, errlen, "out of memory");
    char *r = failed ? NULL : sb_take(&out);
    if (!failed && !r) {
        *oom = 1;
        snprintf(err, errlen, "out of memory");
    }
    sb_free(&out);
    return r;
}

/* ---- The table ---------------------------------------------------------- */

/* The entries a key answers: its group's, shared with the group's other
 * keys (built once per group, so a group of n entries costs n, not n
 * squared), or, for a key in several groups, a merged list of its own.
 * Each list owns its arrays and keys. */
typedef struct syn_list {
    const char **entries; /* texts, pointing into the table's copy */
    char **keys;          /* their keys, one per entry (no two alike) */
    size_t n;
} syn_list;

struct syn_table {
    char *text;        /* the normalised text, entries cut out of it */
    strmap *index;     /* key -> list number */
    syn_list *lists;   /* groups first, then merged lists */
    size_t nlists, cap, groups;
};

void syn_free(syn_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nlists; i++) {
        for (size_t k = 0; k < t->lists[i].n; k++)
            free(t->lists[i].keys[k]);
        free(t->lists[i].keys);
        free(t->lists[i].entries);
    }
    free(t->lists);
    strmap_free(t->index);
    free(t->text);
    free(t);
}

size_t syn_groups(const syn_table *t)
{
    return t ? t->groups : 0;
}

/* A new empty list; NULL when out of memory. */
static syn_list *new_list(syn_table *t, size_t *at)
{
    if (t->nlists == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        syn_list *nl = realloc(t->lists, cap * sizeof *nl);
        if (!nl)
            return NULL;
        t->lists = nl;
        t->cap = cap;
    }
    *at = t->nlists++;
    memset(&t->lists[*at], 0, sizeof t->lists[*at]);
    return &t->lists[*at];
}

static size_t key_pos(const syn_list *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->keys[i], key) == 0)
            return i;
    return (size_t)-1;
}

/* Append entry/key to l, key taken. */
static int list_push(syn_list *l, const char *entry, char *key)
{
    const char **e = realloc(l->entries, (l->n + 1) * sizeof *e);
    if (!e)
        return -1;
    l->entries = e;
    char **k = realloc(l->keys, (l->n + 1) * sizeof *k);
    if (!k)
        return -1;
    l->keys = k;
    l->entries[l->n] = entry;
    l->keys[l->n++] = key;
    return 0;
}

/* key (in group g, list number gi) answers g's list, or, when an earlier
 * group has it too, a merged list of both; -1 when out of memory. */
static int index_key(syn_table *t, const char *key, size_t gi)
{
    size_t vl, cur;
    const char *v = strmap_get(t->index, key, strlen(key), &vl);
    if (!v)
        return strmap_put(t->index, key, strlen(key), (const char *)&gi, sizeof gi);
    memcpy(&cur, v, sizeof cur);
    size_t mi = cur;
    if (cur < t->groups) { /* a group's shared list: merge into a copy */
        syn_list *m = new_list(t, &mi);
        if (!m)
            return -1;
        const syn_list *src = &t->lists[cur];
        for (size_t i = 0; i < src->n; i++) {
            char *k = strdup(src->keys[i]);
            if (!k || list_push(&t->lists[mi], src->entries[i], k) != 0) {
                free(k);
                return -1;
            }
        }
        if (strmap_put(t->index, key, strlen(key), (const char *)&mi, sizeof mi) != 0)
            return -1;
    }
    syn_list *g = &t->lists[gi], *m = &t->lists[mi];
    for (size_t i = 0; i < g->n; i++) {
        if (key_pos(m, g->keys[i]) != (size_t)-1)
            continue;
        char *k = strdup(g->keys[i]);
        if (!k || list_push(m, g->entries[i], k) != 0) {
            free(k);
            return -1;
        }
    }
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether group l has the same keys as a group seen before (its keys,
 * sorted, are in seen); -1 when out of memory. A line repeated many
 * times (lists concatenated from several sources) would otherwise merge
 * each of its keys's lists with every copy: n^3 in the line's length. */
static int seen_before(strmap *seen, const syn_list *l)
{
    char **k = malloc((l->n ? l->n : 1) * sizeof *k);
    if (!k)
        return -1;
    memcpy(k, l->keys, l->n * sizeof *k);
    qsort(k, l->n, sizeof *k, by_string);
    strbuf sig = {0};
    for (size_t i = 0; i < l->n; i++) {
        sb_adds(&sig, k[i]);
        sb_add(&sig, "\n", 1);
    }
    free(k);
    int r = -1;
    if (!sig.oom) {
        r = strmap_get(seen, sig.s ? sig.s : "", sig.len, NULL) != NULL;
        if (!r && strmap_put(seen, sig.s ? sig.s : "", sig.len, "", 0) != 0)
            r = -1;
    }
    sb_free(&sig);
    return r;
}

/* Free the last list of t (a group just built that is not kept). */
static void drop_last(syn_table *t)
{
    syn_list *l = &t->lists[--t->nlists];
    for (size_t k = 0; k < l->n; k++)
        free(l->keys[k]);
    free(l->keys);
    free(l->entries);
}

syn_table *syn_load(qa_analyzer *an, const char *text)
{
    syn_table *t = calloc(1, sizeof *t);
    if (!t || !(t->text = strdup(text ? text : "")) || !(t->index = strmap_new())) {
        syn_free(t);
        return NULL;
    }
    /* Groups first, so that list numbers below t->groups are groups. */
    qa_tokens tok = {0};
    strmap *seen = strmap_new();
    int oom = !seen;
    for (char *p = t->text; *p && !oom;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        size_t gi;
        syn_list *g = new_list(t, &gi);
        oom = !g;
        for (char *e = p; e && g && !oom;) {
            char *c = strstr(e, ", ");
            if (c)
                *c = '\0';
            char *k = entry_key(an, &tok, e, strlen(e), &oom);
            if (k && (g->n >= MAX_ENTRIES || key_pos(g, k) != (size_t)-1))
                free(k);
            else if (k && list_push(g, e, k) != 0) {
                free(k);
                oom = 1;
            }
            e = c ? c + 2 : NULL;
        }
        int again = oom ? 0 : seen_before(seen, g);
        oom = oom || again < 0;
        if (again > 0)
            drop_last(t);
        else
            t->groups++;
        p = nl ? nl + 1 : p + strlen(p);
    }
    for (size_t gi = 0; gi < t->groups && !oom; gi++)
        for (size_t i = 0; i < t->lists[gi].n && !oom; i++)
            oom = index_key(t, t->lists[gi].keys[i], gi) != 0;
    strmap_free(seen);
    qa_tokens_free(&tok);
    if (oom) {
        syn_free(t);
        return NULL;
    }
    return t;
}

const char *const *syn_find(const syn_table *t, const char *key, size_t *n)
{
    *n = 0;
    size_t vl, i;
    const char *v = t && key ? strmap_get(t->index, key, strlen(key), &vl) : NULL;
    if (!v)
        return NULL;
    memcpy(&i, v, sizeof i);
    *n = t->lists[i].n;
    return t->lists[i].entries;
}

/* ---- Writing ------------------------------------------------------------ */

typedef struct store_ctx {
    const syn_table *t;
    qx_db *db;
    qx_err *e;
    int rc;
} store_ctx;

/* Xapian's table: key to the keys of its group's other entries. */
static int store_key(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
    (void)vl;
    store_ctx *c = ctx;
    size_t li;
    memcpy(&li, v, sizeof li);
    const syn_list *l = &c->t->lists[li];
    char key[1024];
    if (kl >= sizeof key)
        return 0; /* longer than any Xapian term */
    memcpy(key, k, kl);
    key[kl] = '\0';
    for (size_t i = 0; i < l->n && c->rc == QUIRE_OK; i++)
        if (strcmp(l->keys[i], key) != 0)
            c->rc = qx_db_add_synonym(c->db, key, l->keys[i], c->e);
    return c->rc != QUIRE_OK;
}

int syn_store(qx_db *db, qa_analyzer *an, const char *text, qx_err *e)
{
    syn_table *t = syn_load(an, text);
    if (!t) {
        e->code = QUIRE_ENOMEM;
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return QUIRE_ENOMEM;
    }
    store_ctx c = {t, db, e, qx_db_clear_synonyms(db, e)};
    if (c.rc == QUIRE_OK)
        strmap_each(t->index, store_key, &c);
    int rc = c.rc;
    if (rc == QUIRE_OK)
        rc = qx_db_set_metadata(db, META_SYNONYMS, text, strlen(text), e);
    syn_free(t);
    return rc;
}

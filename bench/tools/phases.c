/* phases.c — where indexing time goes: read+parse, analysis, building
 * Xapian documents, writing them (with and without the per-document id
 * lookup). A profiling aid for bench/, built against the library's
 * internals. Usage: phases FILE.jsonl */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "config.h"
#include "docbuild.h"
#include "quire.h"
#include "xapian_shim.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct doc {
    char *id, *title, *body;
} doc;

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *src[] = {argv[1]};
    quire_reader *r;
    double t0 = now();
    if (quire_reader_open(src, 1, NULL, &r) != QUIRE_OK)
        return 1;
    size_t n = 0, cap = 0, bytes = 0;
    doc *docs = NULL;
    const quire_document *d;
    while (quire_reader_next(r, &d) == QUIRE_OK) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            docs = realloc(docs, cap * sizeof *docs);
        }
        docs[n].id = strdup(d->id);
        docs[n].title = strdup(d->title ? d->title : "");
        docs[n].body = strdup(d->body ? d->body : "");
        bytes += strlen(docs[n].body) + strlen(docs[n].title);
        n++;
    }
    quire_reader_close(r);
    double t1 = now();
    printf("read+parse   %6.2f s  (%zu docs, %.1f MB)\n", t1 - t0, n, bytes / 1e6);

    char err[1024];
    qa_analyzer *an = qa_new(0, "en", err, sizeof err);
    qa_tokens tok = {0};
    size_t ntok = 0;
    for (size_t i = 0; i < n; i++) {
        qa_tokens_reset(&tok);
        qa_run(an, docs[i].title, strlen(docs[i].title), NULL, 0, &tok, NULL, err, sizeof err);
        qa_run(an, docs[i].body, strlen(docs[i].body), NULL, 0, &tok, NULL, err, sizeof err);
        ntok += tok.n;
    }
    double t2 = now();
    printf("analysis     %6.2f s  (%zu tokens, %.1f MB/s)\n", t2 - t1, ntok, bytes / 1e6 / (t2 - t1));

    qconfig cfg;
    qconfig_defaults(&cfg);
    docbuilder *b = docbuild_new(&cfg, err);
    qx_doc **built = calloc(n, sizeof *built);
    for (size_t i = 0; i < n; i++) {
        quire_document q = QUIRE_DOCUMENT_INIT;
        q.id = docs[i].id;
        q.title = docs[i].title;
        q.body = docs[i].body;
        built_doc bd;
        if (docbuild_make(b, &q, &bd, err) == QUIRE_OK)
            built[i] = bd.doc;
    }
    double t3 = now();
    printf("build docs   %6.2f s  (analysis + Xapian::Document)\n", t3 - t2);

    qx_err e;
    const char *mode = argc > 2 ? argv[2] : "replace";
    system("rm -rf /tmp/phases.idx");
    qx_db *db = qx_db_open_write("/tmp/phases.idx", QX_CREATE_OR_OVERWRITE, &e);
    for (size_t i = 0; i < n; i++) {
        char term[300];
        snprintf(term, sizeof term, "Q%s", docs[i].id);
        if (strcmp(mode, "lookup") == 0) {
            uint32_t id;
            qx_db_find_term(db, term, &id, &e);
        }
        if (built[i])
            qx_db_replace(db, term, built[i], NULL, &e);
        if ((i + 1) % 10000 == 0)
            qx_db_commit(db, &e);
    }
    qx_db_commit(db, &e);
    double t4 = now();
    printf("write (%s) %6.2f s\n", mode, t4 - t3);
    qx_db_close(db, &e);
    double t5 = now();
    printf("close        %6.2f s\n", t5 - t4);
    system("rm -rf /tmp/phases.cmp");
    qx_compact("/tmp/phases.idx", "/tmp/phases.cmp", &e);
    printf("compact      %6.2f s\n", now() - t5);
    return 0;
}

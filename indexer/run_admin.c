/* run_admin.c — quire-index --delete, --compact, --merge, --stats,
 * --synonyms, --check. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "results_json.h"
#include "summary.h"

/* Finish idx and close it, printing the cause of a failure. 0 or 2. */
static int finish_and_close(quire_index *idx)
{
    quire_status st = quire_index_finish(idx);
    if (st != QUIRE_OK)
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
    quire_index_close(idx);
    return st == QUIRE_OK ? 0 : 2;
}

void report_open_failure(const cli *c, quire_index *idx, quire_status st)
{
    fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
    char stub[4096];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", c->index);
    FILE *f = (st == QUIRE_ECORRUPT || st == QUIRE_EVERSION) ? fopen(stub, "r") : NULL;
    if (f) /* sharded: the message says how (no --rebuild in place) */
        fclose(f);
    else if (st == QUIRE_ECORRUPT || st == QUIRE_EVERSION)
        fprintf(stderr, "quire-index: rebuild it with: quire-index -d %s --rebuild SOURCE...\n", c->index);
}

static quire_index *open_writer(const cli *c)
{
    quire_index *idx;
    quire_index_options o = c->iopts;
    o.flags |= QUIRE_INDEX_NO_CREATE;
    quire_status st = quire_index_open(c->index, &o, &idx);
    if (st != QUIRE_OK) {
        report_open_failure(c, idx, st);
        quire_index_close(idx);
        return NULL;
    }
    return idx;
}

int run_delete(const cli *c)
{
    quire_index *idx = open_writer(c);
    if (!idx)
        return 2;
    int missing = 0, deleted = 0;
    for (int i = 0; i < c->nargs; i++) {
        quire_status st = quire_index_delete(idx, c->args[i]);
        if (st == QUIRE_OK) {
            deleted++;
        } else if (st == QUIRE_ENOTFOUND || st == QUIRE_EINVAL) {
            fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
            missing++;
        } else {
            fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
            quire_index_abandon(idx);
            return 2;
        }
    }
    if (quire_index_commit(idx) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_index_abandon(idx);
        return 2;
    }
    uint64_t left = 0;
    quire_index_doc_count(idx, &left);
    if (finish_and_close(idx) != 0)
        return 2;
    if (!c->quiet)
        printf("deleted %d document%s, %d not found; %s: %llu documents\n", deleted, deleted == 1 ? "" : "s",
               missing, c->index, (unsigned long long)left);
    return missing ? 1 : 0;
}

int run_compact(const cli *c)
{
    quire_index *idx = open_writer(c);
    if (!idx)
        return 2;
    uint64_t before = dir_bytes(c->index);
    if (quire_index_compact(idx) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_index_close(idx);
        return 2;
    }
    if (finish_and_close(idx) != 0)
        return 2;
    if (!c->quiet)
        printf("compacted %s: %.1f MB -> %.1f MB\n", c->index, (double)before / 1e6,
               (double)dir_bytes(c->index) / 1e6);
    return 0;
}

int run_merge(const cli *c)
{
    quire_index *idx = open_writer(c);
    if (!idx)
        return 2;
    if (quire_index_merge(idx, c->args[0]) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_index_close(idx);
        return 2;
    }
    if (finish_and_close(idx) != 0)
        return 2;
    if (!c->quiet)
        printf("merged %s into %s: %.1f MB\n", c->index, c->args[0], (double)dir_bytes(c->args[0]) / 1e6);
    return 0;
}

/* The whole index through Xapian's checker (QUIRE_INDEX_VERIFY), with
 * the writer lock held so that no commit lands mid-check. */
int run_check(const cli *c)
{
    cli ck = *c;
    ck.iopts.flags |= QUIRE_INDEX_VERIFY;
    quire_index *idx = open_writer(&ck);
    if (!idx)
        return 2;
    if (quire_index_close(idx) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s: checked, but closing it failed\n", c->index);
        return 2;
    }
    if (!c->quiet)
        printf("%s: no damage found (Xapian's checker read all of it)\n", c->index);
    return 0;
}

int run_stats(const cli *c)
{
    quire_searcher *s;
    if (quire_searcher_open(c->index, NULL, &s) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return 2;
    }
    quire_stats st = QUIRE_STATS_INIT;
    if (quire_searcher_stats(s, &st) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_searcher_errmsg(s));
        quire_searcher_close(s);
        return 2;
    }
    if (c->json) {
        json_t *o = stats_json(c->index, &st);
        if (o) {
            json_print(stdout, o);
            json_decref(o);
        }
    } else {
        printf("index:        %s%s%s\n", c->index, strcmp(c->index, st.location) ? " -> " : "",
               strcmp(c->index, st.location) ? st.location : "");
        printf("documents:    %llu\n", (unsigned long long)st.documents);
        printf("terms:        %llu distinct, %llu in all\n", (unsigned long long)st.terms,
               (unsigned long long)st.total_length);
        printf("size:         %.1f MB\n", (double)st.disk_bytes / 1e6);
        printf("analyzer:     %s\n", st.config);
        printf("languages:    %s\n", *st.languages ? st.languages : "-");
        printf("synonyms:     %u group%s\n", st.synonym_groups, st.synonym_groups == 1 ? "" : "s");
        printf("last update:  %s%s%s%s\n", *st.updated ? st.updated : "-", *st.writer ? " (quire " : "",
               st.writer, *st.writer ? ")" : "");
    }
    quire_searcher_close(s);
    return 0;
}

enum { MAX_SYNONYMS_BYTES = 64 * 1024 * 1024 };

/* The whole of file ("-": standard input) as a string; NULL after saying
 * why not. */
static char *read_file(const char *file)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "quire-index: %s: %s\n", file, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            char *nb = cap < MAX_SYNONYMS_BYTES ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                fprintf(stderr, "quire-index: %s: %s\n", file,
                        cap < MAX_SYNONYMS_BYTES ? "out of memory" : "larger than 64 MiB");
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, "quire-index: %s: read error\n", file);
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (buf) {
        buf[len] = '\0';
        if (strlen(buf) != len) {
            fprintf(stderr, "quire-index: %s: a NUL byte at byte %zu; a synonym list is text\n", file,
                    strlen(buf) + 1);
            free(buf);
            buf = NULL;
        }
    }
    if (f != stdin)
        fclose(f);
    return buf;
}

int apply_synonyms(const cli *c, quire_index *idx)
{
    char *list = read_file(c->synonyms);
    if (!list)
        return 2;
    const char *origin = strcmp(c->synonyms, "-") == 0 ? "standard input" : c->synonyms;
    quire_status st = quire_index_set_synonyms(idx, list, origin);
    free(list);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        return 2;
    }
    return 0;
}

int run_synonyms(const cli *c)
{
    quire_index *idx = open_writer(c);
    if (!idx)
        return 2;
    if (apply_synonyms(c, idx) != 0) {
        quire_index_abandon(idx);
        return 2;
    }
    if (quire_index_close(idx) != QUIRE_OK) {
        fprintf(stderr, "quire-index: storing the synonyms in %s failed\n", c->index);
        return 2;
    }
    if (!c->quiet) {
        quire_searcher *s;
        quire_stats st = QUIRE_STATS_INIT;
        if (quire_searcher_open(c->index, NULL, &s) == QUIRE_OK && quire_searcher_stats(s, &st) == QUIRE_OK)
            printf("%s: %u synonym group%s\n", c->index, st.synonym_groups, st.synonym_groups == 1 ? "" : "s");
        quire_searcher_close(s);
    }
    return 0;
}

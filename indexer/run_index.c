/* run_index.c — quire-index's main job: read the sources into the index,
 * as an update (default), an update that prunes what the sources no longer
 * hold, or a rebuild that switches in a new version at the end. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "idset.h"
#include "progress.h"
#include "summary.h"

typedef struct run {
    const cli *c;
    progress prog;
    idset ids; /* added in this run */
} run;

static void on_warning(void *ctx, const char *where, const char *msg)
{
    run *r = ctx;
    if (r->c->quiet)
        return;
    progress_clear(&r->prog);
    fprintf(stderr, "quire-index: warning: %s: %s\n", where, msg);
}

static void say(run *r, const char *fmt, const char *a)
{
    progress_clear(&r->prog);
    fprintf(stderr, fmt, a);
}

/* Read every document into idx. Returns 0; 2 on a fatal error of the
 * input (what was indexed can still be committed); 3 when writing failed
 * (the library dropped the batch in progress). */
static int read_all(run *r, quire_index *idx, quire_reader *rd, summary *s)
{
    const quire_document *doc;
    while (!cli_interrupted) {
        quire_status st = quire_reader_next(rd, &doc);
        if (st == QUIRE_DONE)
            return 0;
        if (st == QUIRE_EINPUT) {
            say(r, "quire-index: %s\n", quire_reader_errmsg(rd));
            s->skipped++;
            continue;
        }
        if (st != QUIRE_OK) {
            say(r, "quire-index: %s\n", quire_reader_errmsg(rd));
            return 2;
        }
        quire_add_outcome out;
        st = quire_index_add(idx, doc, &out);
        if (st == QUIRE_EINVAL) {
            progress_clear(&r->prog);
            fprintf(stderr, "quire-index: %s: %s, skipped\n", quire_reader_location(rd), quire_index_errmsg(idx));
            s->skipped++;
            continue;
        }
        if (st != QUIRE_OK) {
            progress_clear(&r->prog);
            fprintf(stderr, "quire-index: %s: %s\n", quire_reader_location(rd), quire_index_errmsg(idx));
            return 3;
        }
        s->outcomes[out]++;
        if (idset_add(&r->ids, doc->id) == 1) {
            s->duplicate_ids++;
            char msg[400];
            snprintf(msg, sizeof msg, "id '%.240s' came earlier in this run; this document replaces that one",
                     doc->id);
            on_warning(r, quire_reader_location(rd), msg);
        }
        uint64_t done, total;
        quire_reader_progress(rd, &done, &total);
        progress_update(&r->prog, s->outcomes[0] + s->outcomes[1] + s->outcomes[2], quire_reader_text_bytes(rd),
                        done, total);
    }
    return 0;
}

/* After SIGINT/SIGTERM: keep what was done (an update's batch in
 * progress is committed, a new index built in parallel keeps its segments
 * for the next run to resume from) or drop it (a rebuild), and exit 2. */
static int stop_interrupted(const cli *c, quire_index *idx, int rebuild)
{
    if (!rebuild)
        quire_index_commit(idx);
    quire_index_abandon(idx);
    if (rebuild)
        fprintf(stderr, "quire-index: interrupted; rebuild abandoned, %s is unchanged\n", c->index);
    else
        fprintf(stderr, "quire-index: interrupted; what was committed is kept (run the same command again "
                        "to go on)\n");
    return 2;
}

/* Can any source be read at all? If none can, nothing is created: a
 * mistyped path must not leave an empty index behind. Sources that can
 * be read are indexed and the others reported as skipped. */
static int any_source_readable(const cli *c)
{
    for (int i = 0; i < c->nargs; i++) {
        const char *src = c->args[i];
        struct stat sb;
        if (strcmp(src, "-") == 0 || (stat(src, &sb) == 0 && access(src, R_OK) == 0))
            return 1;
    }
    for (int i = 0; i < c->nargs; i++) {
        const char *src = c->args[i];
        struct stat sb;
        fprintf(stderr, "quire-index: %s: %s\n", src,
                stat(src, &sb) != 0 ? strerror(errno) : "cannot be read");
    }
    fprintf(stderr, "quire-index: no source can be read; %s was not %s\n", c->index,
            c->mode == MODE_REBUILD ? "rebuilt" : "touched");
    return 0;
}

/* The job, with rp's state (the caller frees it). */
static int index_sources(run *rp)
{
    const cli *c = rp->c;
    progress_init(&rp->prog, !c->quiet && !c->json && isatty(2));
    quire_reader_options ro = c->ropts;
    ro.on_warning = on_warning;
    ro.warning_ctx = rp;
    quire_index_options io = c->iopts;
    int rebuild = c->mode == MODE_REBUILD;
    if (rebuild)
        io.flags |= QUIRE_INDEX_REBUILD;
    if (!any_source_readable(c))
        return 2;

    quire_index *idx;
    quire_status ost = quire_index_open(c->index, &io, &idx);
    if (ost != QUIRE_OK) {
        report_open_failure(c, idx, ost);
        quire_index_close(idx);
        return 2;
    }
    if (c->synonyms && apply_synonyms(c, idx) != 0) {
        quire_index_abandon(idx);
        return 2;
    }
    quire_reader *rd;
    if (quire_reader_open((const char *const *)c->args, (size_t)c->nargs, &ro, &rd) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_reader_errmsg(rd));
        quire_reader_close(rd);
        quire_index_abandon(idx);
        return 2;
    }
    if (c->prune && quire_index_sync_begin(idx) != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_reader_close(rd);
        quire_index_abandon(idx);
        return 2;
    }
    summary s = {0};
    s.index = c->index;
    int status = read_all(rp, idx, rd, &s);
    progress_clear(&rp->prog);
    s.bytes_read = quire_reader_text_bytes(rd);
    quire_reader_close(rd);
    if (cli_interrupted)
        return stop_interrupted(c, idx, rebuild);
    int skipped = s.skipped && !c->keep_going;
    if (status == 3) {
        quire_index_abandon(idx);
        fprintf(stderr, "quire-index: nothing since the last commit was kept; %s is as it was then\n", c->index);
        return 2;
    }

    /* A pruning update deletes what the sources no longer hold, but not
     * after input was skipped: that document may only be unreadable now. */
    if (status == 0 && c->prune) {
        if (skipped) {
            fprintf(stderr, "quire-index: not pruning: %llu input%s skipped (use --keep-going to prune anyway)\n",
                    (unsigned long long)s.skipped, s.skipped == 1 ? " was" : "s were");
        } else if (quire_index_sync_prune(idx, &s.deleted) != QUIRE_OK) {
            fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
            status = 2;
        }
    }
    /* A rebuild replaces the live index only when it read everything. */
    if (rebuild && (status != 0 || skipped)) {
        quire_index_abandon(idx);
        fprintf(stderr, "quire-index: rebuild abandoned%s; %s is unchanged\n",
                status ? "" : " because input was skipped (use --keep-going to switch anyway)", c->index);
        return status ? status : 1;
    }
    /* An update keeps what it did, even after an error. With several
     * writers the commit waits for them, so the display says so. */
    progress_phase_begin(&rp->prog, "writing the index");
    quire_status st = quire_index_commit(idx);
    progress_phase_end(&rp->prog);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_index_abandon(idx);
        return 2;
    }
    /* A signal while the last batch was written: stop before the merge
     * or switch (which the grace period might cut short). */
    if (cli_interrupted)
        return stop_interrupted(c, idx, rebuild);
    quire_index_doc_count(idx, &s.documents);
    snprintf(s.config, sizeof s.config, "%s", quire_index_config(idx));
    if (rebuild && !c->quiet && !c->json)
        fprintf(stderr, "quire-index: compacting and switching %s to the new version\n", c->index);
    progress_phase_begin(&rp->prog, rebuild ? "compacting and switching" : "finishing the index");
    st = quire_index_finish(idx);
    progress_phase_end(&rp->prog);
    if (st != QUIRE_OK) {
        fprintf(stderr, "quire-index: %s\n", quire_index_errmsg(idx));
        quire_index_close(idx);
        return 2;
    }
    quire_index_close(idx);
    s.seconds = now_seconds() - rp->prog.start;
    if (c->json)
        summary_print_json(&s, stdout);
    else if (!c->quiet)
        summary_print_text(&s, stdout);
    if (status)
        return status;
    return skipped ? 1 : 0;
}

int run_index(const cli *c)
{
    run r = {c, {0}, {0}};
    int rc = index_sources(&r);
    idset_free(&r.ids);
    return rc;
}

/* reader.c — quire_reader (see quire.h): walks the sources given, decides
 * each file's format, and hands out one document at a time. Parsing lives
 * in article_text.c / article_json.c; this file owns the iteration state,
 * ids, locations, warnings and progress. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "article_json.h"
#include "article_text.h"
#include "date.h"
#include "error.h"
#include "input.h"
#include "lang.h"
#include "quire.h"
#include "testpause.h"
#include "textdecode.h"
#include "utf8.h"
#include "walk.h"

/* Analysis and Xapian need about 12 bytes of memory per byte of one
 * document (measured: 746 MB peak for a 64 MiB text), so the default keeps
 * a writer with two threads under 512 MB. */
enum { DEFAULT_MAX_DOC = 16 * 1024 * 1024 };

struct quire_reader {
    quire_reader_options opts;
    int paused; /* the "walked" test pause point was passed */
    char **sources;
    size_t nsrc, next_src;
    walker *walk;
    /* An open JSON-lines stream. */
    input *in;
    char *in_name;    /* path for locations in messages */
    char *in_idbase;  /* relative name for made-up ids ("FILE:LINE") */
    uint64_t in_size;
    size_t lineno;
    /* The document handed out last, and what its strings point into. */
    quire_document doc;
    text_decoded dec;
    text_article ta;
    json_article ja;
    char *made_id;
    char location[4200];
    /* An error to report on the next call, after the document of the file
     * it is about (bytes at its end were not read). */
    char pending[QERR_MAX];
    uint64_t done, total;
    uint64_t text_done; /* text bytes of the files finished */
    quire_status code;  /* status of the last call (error.h) */
    char err[QERR_MAX];
};

quire_status quire_reader_options_init(quire_reader_options *opts,
                                       unsigned int version)
{
    if (!opts || version != QUIRE_READER_OPTIONS_VERSION)
        return QUIRE_EINVAL;
    quire_reader_options d = QUIRE_READER_OPTIONS_INIT;
    *opts = d;
    return QUIRE_OK;
}

const char *quire_reader_errmsg(const quire_reader *r)
{
    return r ? r->err : "";
}

quire_status quire_reader_errcode(const quire_reader *r)
{
    return r ? r->code : QUIRE_OK;
}

const char *quire_reader_location(const quire_reader *r)
{
    return r ? r->location : "";
}

void quire_reader_progress(const quire_reader *r, uint64_t *done,
                           uint64_t *total)
{
    uint64_t d = r->done + (r->in ? input_offset(r->in) : 0);
    if (done)
        *done = r->total && d > r->total ? r->total : d;
    if (total)
        *total = r->total;
}

uint64_t quire_reader_text_bytes(const quire_reader *r)
{
    return r ? r->text_done + (r->in ? input_text_offset(r->in) : 0) : 0;
}

static void warn(quire_reader *r, const char *where, const char *msg)
{
    if (r->opts.on_warning)
        r->opts.on_warning(r->opts.warning_ctx, where, msg);
}

static void json_warn(void *ctx, const char *msg)
{
    quire_reader *r = ctx;
    warn(r, r->location, msg);
}

/* Forget the last document's storage. */
static void clear_doc(quire_reader *r)
{
    free(r->dec.text);
    r->dec.text = NULL;
    text_article_free(&r->ta);
    json_article_free(&r->ja);
    free(r->made_id);
    r->made_id = NULL;
    quire_document d = QUIRE_DOCUMENT_INIT;
    r->doc = d;
}

static void close_stream(quire_reader *r)
{
    if (!r->in)
        return;
    /* Standard input has no size up front: count what was read. */
    r->done += r->in_size ? r->in_size : input_offset(r->in);
    r->text_done += input_text_offset(r->in);
    input_close(r->in);
    r->in = NULL;
    free(r->in_name);
    free(r->in_idbase);
    r->in_name = r->in_idbase = NULL;
}

/* Sum the sizes of the input, for progress; 0 means unknown. */
static uint64_t prescan(char *const *sources, size_t n, int hidden)
{
    uint64_t total = 0;
    char err[QERR_MAX];
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(sources[i], "-") == 0)
            return 0;
        if (stat(sources[i], &st) != 0)
            continue;
        if (!S_ISDIR(st.st_mode)) {
            total += (uint64_t)st.st_size;
            continue;
        }
        walker *w = walk_new(sources[i], hidden);
        const char *p, *rel;
        uint64_t size;
        int rc;
        while (w && (rc = walk_next(w, &p, &rel, &size, err)) != 0)
            if (rc > 0)
                total += size;
        walk_free(w);
    }
    return total;
}

static quire_status reader_open(const char *const *sources, size_t n,
                                const quire_reader_options *opts,
                                quire_reader **out)
{
    if (!out)
        return QUIRE_EINVAL;
    quire_reader *r = calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return QUIRE_ENOMEM;
    quire_reader_options d = QUIRE_READER_OPTIONS_INIT;
    r->opts = opts ? *opts : d;
    if (r->opts.version != QUIRE_READER_OPTIONS_VERSION)
        return qerr_set(r->err, QUIRE_EINVAL, "reader options version %u is not supported", r->opts.version);
    if ((unsigned)r->opts.format > QUIRE_FORMAT_JSONL)
        return qerr_set(r->err, QUIRE_EINVAL, "format %d is not a QUIRE_FORMAT_ value", (int)r->opts.format);
    if (!r->opts.max_doc_bytes)
        r->opts.max_doc_bytes = DEFAULT_MAX_DOC;
    if (!sources && n)
        return qerr_set(r->err, QUIRE_EINVAL, "sources is NULL");
    r->sources = calloc(n ? n : 1, sizeof *r->sources);
    if (!r->sources)
        return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!sources[i] || !*sources[i])
            return qerr_set(r->err, QUIRE_EINVAL, "source %zu is empty", i + 1);
        if (!(r->sources[i] = strdup(sources[i])))
            return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
        r->nsrc++;
    }
    quire_document dd = QUIRE_DOCUMENT_INIT;
    r->doc = dd;
    r->total = prescan(r->sources, r->nsrc, r->opts.include_hidden);
    return QUIRE_OK;
}

void quire_reader_close(quire_reader *r)
{
    if (!r)
        return;
    clear_doc(r);
    close_stream(r);
    walk_free(r->walk);
    for (size_t i = 0; i < r->nsrc; i++)
        free(r->sources[i]);
    free(r->sources);
    free(r);
}

static int has_ext(const char *name, const char *const *exts)
{
    size_t n = strlen(name);
    if (n > 3 && strcasecmp(name + n - 3, ".gz") == 0)
        n -= 3;
    for (; *exts; exts++) {
        size_t e = strlen(*exts);
        if (n > e && strncasecmp(name + n - e, *exts, e) == 0)
            return 1;
    }
    return 0;
}

static quire_format pick_format(quire_reader *r, const char *name, input *in)
{
    static const char *const jsonl[] = {".jsonl", ".ndjson", NULL};
    static const char *const text[] = {".txt", ".text", ".md", ".markdown", NULL};
    if (r->opts.format != QUIRE_FORMAT_AUTO)
        return r->opts.format;
    if (has_ext(name, jsonl))
        return QUIRE_FORMAT_JSONL;
    if (has_ext(name, text))
        return QUIRE_FORMAT_TEXT;
    char head[256];
    long got = input_peek(in, head, sizeof head);
    for (long i = 0; i < got; i++) {
        if (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')
            continue;
        return head[i] == '{' ? QUIRE_FORMAT_JSONL : QUIRE_FORMAT_TEXT;
    }
    return QUIRE_FORMAT_TEXT;
}

/* Drop a date or lang the index would refuse, with a warning, so one bad
 * field does not cost the whole article. */
static void check_fields(quire_reader *r)
{
    char msg[512];
    qdate d;
    if (r->doc.date && *r->doc.date && !qdate_parse(r->doc.date, 1, &d)) {
        snprintf(msg, sizeof msg, "date \"%.64s\" is not a valid ISO 8601 date (YYYY-MM-DD, optionally with a time "
                 "such as T10:30:00Z); indexed without a date", r->doc.date);
        warn(r, r->location, msg);
        r->doc.date = "";
    }
    char code[LANG_CODE_MAX];
    if (r->doc.lang && *r->doc.lang && lang_canonical(r->doc.lang, code) != 0) {
        snprintf(msg, sizeof msg, "lang \"%.64s\" is not a language code; using the index default", r->doc.lang);
        warn(r, r->location, msg);
        r->doc.lang = "";
    }
}

/* One text file, already open: read, decode, parse into r->doc. */
static quire_status text_doc(quire_reader *r, input *in, const char *name,
                             const char *id)
{
    char *raw;
    size_t len;
    int truncated;
    snprintf(r->location, sizeof r->location, "%s", name);
    if (input_read_all(in, r->opts.max_doc_bytes, &raw, &len, &truncated, r->err) != 0)
        return QUIRE_EINPUT;
    if (len == 0) {
        free(raw);
        return qerr_set(r->err, QUIRE_EINPUT, "%s: empty file, skipped", name);
    }
    int rc = text_decode(raw, len, &r->dec);
    free(raw);
    if (rc != 0)
        return qerr_set(r->err, QUIRE_ENOMEM, "%s: out of memory", name);
    if (r->dec.binary)
        return qerr_set(r->err, QUIRE_EINPUT, "%s: binary file (not text), skipped", name);
    char msg[256];
    if (truncated) {
        snprintf(msg, sizeof msg, "larger than the maximum document size (%zu bytes); only the start was indexed",
                 r->opts.max_doc_bytes);
        warn(r, name, msg);
    }
    if (r->dec.replaced) {
        snprintf(msg, sizeof msg, "%zu invalid %s replaced with U+FFFD (first on line %zu)", r->dec.replaced,
                 r->dec.utf16 ? "UTF-16 units" : "UTF-8 sequences or NUL bytes", r->dec.first_bad_line);
        warn(r, name, msg);
    }
    if (text_article_parse(r->dec.text, &r->ta) != 0)
        return qerr_set(r->err, QUIRE_ENOMEM, "%s: out of memory", name);
    if (!*r->ta.title && !*r->ta.body)
        return qerr_set(r->err, QUIRE_EINPUT, "%s: no text in it, skipped", name);
    if (!(r->made_id = strdup(id)))
        return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
    r->doc.id = r->made_id;
    r->doc.title = r->ta.title;
    r->doc.body = r->ta.body;
    r->doc.date = r->ta.date;
    r->doc.author = r->ta.author;
    r->doc.source = r->ta.source;
    r->doc.url = r->ta.url;
    r->doc.lang = r->ta.lang;
    check_fields(r);
    return QUIRE_OK;
}

/* Next line of the open JSON-lines stream into r->doc. QUIRE_DONE at its
 * end. */
static quire_status json_doc(quire_reader *r)
{
    for (;;) {
        char *line;
        size_t len;
        int too_long;
        int rc = input_getline(r->in, r->opts.max_doc_bytes, &line, &len, &too_long, r->err);
        if (rc < 0) {
            /* Say where: lines before this one were read, the rest is lost. */
            char why[QERR_MAX];
            snprintf(why, sizeof why, "%s", r->err);
            qerr_set(r->err, QUIRE_EINPUT, "%s (after line %zu; the rest of the file is not read)", why, r->lineno);
            close_stream(r);
            return QUIRE_EINPUT;
        }
        if (rc == 0) {
            const char *unread = input_unread(r->in);
            if (unread)
                qerr_set(r->err, QUIRE_EINPUT, "%s: %s (after line %zu)", r->in_name, unread, r->lineno);
            close_stream(r);
            return unread ? QUIRE_EINPUT : QUIRE_DONE;
        }
        r->lineno++;
        snprintf(r->location, sizeof r->location, "%s:%zu", r->in_name, r->lineno);
        if (too_long)
            return qerr_set(r->err, QUIRE_EINPUT, "%s: line longer than the maximum document size (%zu bytes), skipped",
                            r->location, r->opts.max_doc_bytes);
        size_t i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i == len)
            continue; /* blank line */
        size_t nbad = 0;
        char *fixed = NULL;
        if (utf8_valid_prefix(line, len, 0) != len) {
            fixed = utf8_repair(line, len, &len, &nbad);
            if (!fixed)
                return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
            char msg[128];
            snprintf(msg, sizeof msg, "%zu invalid UTF-8 sequences replaced with U+FFFD", nbad);
            warn(r, r->location, msg);
        }
        char perr[QERR_MAX];
        rc = json_article_parse(fixed ? fixed : line, len, &r->ja, json_warn, r, perr);
        free(fixed);
        if (rc == -2)
            return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
        if (rc != 0)
            return qerr_set(r->err, QUIRE_EINPUT, "%s: %s, skipped", r->location, perr);
        r->doc.id = r->ja.id;
        if (!r->doc.id) {
            char id[QUIRE_MAX_ID_BYTES + 1];
            snprintf(id, sizeof id, "%s:%zu", r->in_idbase, r->lineno);
            if (!(r->made_id = strdup(id)))
                return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
            r->doc.id = r->made_id;
        }
        r->doc.title = r->ja.title;
        r->doc.body = r->ja.body;
        r->doc.date = r->ja.date;
        r->doc.author = r->ja.author;
        r->doc.source = r->ja.source;
        r->doc.url = r->ja.url;
        r->doc.lang = r->ja.lang;
        check_fields(r);
        return QUIRE_OK;
    }
}

/* Open a file: path is how it is opened and reported, id its id (the
 * path relative to the directory given, or as given). Text files produce
 * their document at once; JSON lines become the open stream. */
static quire_status start_file(quire_reader *r, const char *path,
                               const char *id, uint64_t size)
{
    /* The name messages use: a very long path is shortened (error.h). */
    char shown[QERR_PATH_SHOWN];
    const char *name = strcmp(path, "-") == 0 ? "stdin" : qerr_path(path, shown);
    input *in = input_open(path, r->err);
    if (!in) {
        r->done += size;
        return QUIRE_EINPUT;
    }
    if (pick_format(r, id, in) == QUIRE_FORMAT_JSONL) {
        r->in = in;
        r->in_size = size;
        r->lineno = 0;
        r->in_name = strdup(name);
        r->in_idbase = strdup(id);
        if (!r->in_name || !r->in_idbase) {
            close_stream(r);
            return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
        }
        return QUIRE_DONE; /* nothing yet: the caller reads the stream */
    }
    quire_status st = text_doc(r, in, name, id);
    if (st == QUIRE_OK && input_unread(in))
        snprintf(r->pending, sizeof r->pending, "%s: %s", name, input_unread(in));
    r->done += size ? size : input_offset(in);
    r->text_done += input_text_offset(in);
    input_close(in);
    return st;
}

static quire_status reader_next(quire_reader *r, const quire_document **doc)
{
    if (!doc)
        return qerr_set(r->err, QUIRE_EINVAL, "doc is NULL");
    *doc = NULL;
    clear_doc(r);
    if (r->pending[0]) {
        quire_status st = qerr_set(r->err, QUIRE_EINPUT, "%s", r->pending);
        r->pending[0] = '\0';
        return st;
    }
    for (;;) {
        quire_status st;
        if (r->in) {
            st = json_doc(r);
            if (st == QUIRE_DONE)
                continue;
        } else if (r->walk) {
            const char *path, *rel;
            uint64_t size;
            int rc = walk_next(r->walk, &path, &rel, &size, r->err);
            if (rc == 0) {
                walk_free(r->walk);
                r->walk = NULL;
                continue;
            }
            if (rc < 0)
                return QUIRE_EINPUT;
            if (!r->paused) { /* tests: files listed, none read yet */
                r->paused = 1;
                test_pause("walked");
            }
            st = start_file(r, path, rel, size);
            if (st == QUIRE_DONE)
                continue;
        } else if (r->next_src < r->nsrc) {
            const char *src = r->sources[r->next_src++];
            struct stat sb;
            if (strcmp(src, "-") == 0) {
                st = start_file(r, "-", "stdin", 0);
            } else if (stat(src, &sb) != 0) {
                return qerr_set(r->err, QUIRE_EINPUT, "%s: no such file or directory", src);
            } else if (S_ISDIR(sb.st_mode)) {
                if (!(r->walk = walk_new(src, r->opts.include_hidden)))
                    return qerr_set(r->err, QUIRE_ENOMEM, "out of memory");
                continue;
            } else if (!S_ISREG(sb.st_mode)) {
                return qerr_set(r->err, QUIRE_EINPUT, "%s: not a regular file, skipped", src);
            } else {
                st = start_file(r, src, src, (uint64_t)sb.st_size);
            }
            if (st == QUIRE_DONE)
                continue;
        } else {
            return QUIRE_DONE;
        }
        if (st == QUIRE_OK)
            *doc = &r->doc;
        return st;
    }
}

/* ---- Public entry points: each records its outcome (error.h). ---------- */

quire_status quire_reader_open(const char *const *sources, size_t n,
                               const quire_reader_options *opts,
                               quire_reader **out)
{
    quire_status st = reader_open(sources, n, opts, out);
    if (out && *out)
        qerr_end((*out)->err, &(*out)->code, st);
    return st;
}

quire_status quire_reader_next(quire_reader *r, const quire_document **doc)
{
    if (!r)
        return QUIRE_EINVAL;
    qerr_begin(r->err, &r->code);
    return qerr_end(r->err, &r->code, reader_next(r, doc));
}
